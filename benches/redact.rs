//! Redaction and classification cost per frame (criterion). `cargo bench --bench redact`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use scrim::classify::{Classifier, ClassifierConfig};
use scrim::redact::{CpuRedactor, GpuRedactor, Mask, Redaction, Redactor, Style};
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

/// The redactors to compare: the CPU, and the best GPU adapter wgpu finds (lavapipe on a machine
/// without a GPU, which is a software rasteriser: its figures are not a GPU's).
fn redactors() -> Vec<(String, Box<dyn Redactor>)> {
    let mut out: Vec<(String, Box<dyn Redactor>)> = vec![("cpu".into(), Box::new(CpuRedactor))];
    let instance = wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env());
    let mut adapters = pollster::block_on(instance.enumerate_adapters(wgpu::Backends::all()));
    adapters.sort_by_key(|a| {
        (
            a.get_info().device_type == wgpu::DeviceType::Cpu,
            a.get_info().backend != wgpu::Backend::Vulkan,
        )
    });
    match adapters.first().map(GpuRedactor::new) {
        Some(Ok(g)) => {
            let name = if g.adapter_info().device_type == wgpu::DeviceType::Cpu {
                "gpu-software"
            } else {
                "gpu"
            };
            out.push((name.into(), Box::new(g)));
        }
        Some(Err(e)) => eprintln!("GPU redactor unavailable: {e}"),
        None => eprintln!("no GPU adapter: benchmarking the CPU only"),
    }
    out
}

fn redaction(c: &mut Criterion) {
    let styles = [
        ("solid", Style::Solid { color: [0, 0, 0] }),
        ("mosaic", Style::Mosaic { block: 24 }),
        ("blur", Style::Blur { radius: 12 }),
    ];
    let mut backends = redactors();
    for (w, h) in [(1280u32, 720u32), (1920, 1080), (3840, 2160)] {
        let base = frame(w, h);
        for (backend, redactor) in backends.iter_mut() {
            let mut g = c.benchmark_group(format!("redact_{backend}_{w}x{h}"));
            for (name, style) in styles {
                for n in [1u32, 20, 50] {
                    let regions = text_regions(w, h, n, style);
                    g.bench_with_input(
                        BenchmarkId::new(name, format!("{n}_regions")),
                        &regions,
                        |b, regions| {
                            let mut f = base.clone();
                            b.iter(|| redactor.apply(&mut f, regions).unwrap());
                        },
                    );
                }
                let full = vec![Redaction {
                    rect: base.bounds(),
                    style,
                }];
                g.bench_with_input(BenchmarkId::new(name, "full_frame"), &full, |b, full| {
                    let mut f = base.clone();
                    b.iter(|| redactor.apply(&mut f, full).unwrap());
                });
            }
            // background blur: a full-frame blurred layer through a soft mask
            let mask = Mask::from_rects(w, h, &[Rect::new(w / 3, h / 4, w / 3, h * 3 / 4)], 24);
            g.bench_function("masked_blur_composite", |b| {
                let mut f = base.clone();
                b.iter(|| redactor.composite(&mut f, Style::Blur { radius: 16 }, &mask).unwrap());
            });
            g.finish();
        }
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
