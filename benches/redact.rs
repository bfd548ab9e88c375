//! Redaction and classification cost per frame (criterion). `cargo bench --bench redact`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use scrim::classify::{Classifier, ClassifierConfig};
use scrim::redact::{CpuRedactor, Redaction, Redactor, Style};
use scrim::{Frame, Rect};

fn frame(w: u32, h: u32) -> Frame {
    let mut data = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            data.extend_from_slice(&[(x % 251) as u8, (y % 241) as u8, ((x ^ y) % 239) as u8, 255]);
        }
    }
    Frame::new(w, h, data).unwrap()
}

/// `n` text-line-sized regions spread over the frame (300 x 24 px, like a URL or a key).
fn text_regions(w: u32, h: u32, n: u32, style: Style) -> Vec<Redaction> {
    (0..n)
        .map(|i| {
            let x = (i * 397) % (w - 300);
            let y = (i * 53) % (h - 24);
            Redaction {
                rect: Rect::new(x, y, 300, 24),
                style,
            }
        })
        .collect()
}

fn redaction(c: &mut Criterion) {
    let styles = [
        ("solid", Style::Solid { color: [0, 0, 0] }),
        ("mosaic", Style::Mosaic { block: 24 }),
        ("blur", Style::Blur { radius: 12 }),
    ];
    for (w, h) in [(1280u32, 720u32), (1920, 1080), (3840, 2160)] {
        let base = frame(w, h);
        let mut g = c.benchmark_group(format!("cpu_redact_{w}x{h}"));
        for (name, style) in styles {
            for n in [1u32, 20, 50] {
                let regions = text_regions(w, h, n, style);
                g.bench_with_input(
                    BenchmarkId::new(name, format!("{n}_regions")),
                    &regions,
                    |b, regions| {
                        let mut f = base.clone();
                        b.iter(|| CpuRedactor.apply(&mut f, regions).unwrap());
                    },
                );
            }
            let full = vec![Redaction {
                rect: base.bounds(),
                style,
            }];
            g.bench_with_input(BenchmarkId::new(name, "full_frame"), &full, |b, full| {
                let mut f = base.clone();
                b.iter(|| CpuRedactor.apply(&mut f, full).unwrap());
            });
        }
        g.finish();
    }
}

fn classification(c: &mut Criterion) {
    let classifier = Classifier::new(ClassifierConfig::default());
    let lines = [
        "intranet.acme.internal/payments/oncall/?team=pay&session=7f3a9c2e8b1d4f6a0c5e9b2d7a4f1e8c",
        "Escalate to the primary on-call before paging the database team.",
        "export AWS_SECRET_ACCESS_KEY=SZF38W37cuIM80DJ5tfN0Uf5KWzZpVeUqk4gEkVj",
        "Ledger writer ledger-db-03.pay.acme.internal 10.44.18.203 hana.okoye@acme.example",
        "Refund test card: 4242 4242 4242 4242",
    ];
    c.bench_function("classify_5_lines", |b| {
        b.iter(|| lines.iter().map(|l| classifier.classify(l).len()).sum::<usize>())
    });
}

criterion_group!(benches, redaction, classification);
criterion_main!(benches);
