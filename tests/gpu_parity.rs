//! The WGSL shaders and the CPU path must give the same picture: within 1 level per channel,
//! for every style, odd sizes, regions touching the edges and overlapping each other.
//! Runs on whatever adapter wgpu finds; CI installs mesa-vulkan-drivers (lavapipe) so the
//! shaders really run there. No adapter at all fails the test: parity would go unchecked.

use scrim::redact::{CpuRedactor, GpuRedactor, Redaction, Redactor, Style};
use scrim::{Frame, Rect};

/// Small deterministic generator, so a failure reproduces.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
    fn below(&mut self, n: u32) -> u32 {
        self.next() % n.max(1)
    }
}

fn noise_frame(w: u32, h: u32, rng: &mut Lcg) -> Frame {
    let mut data = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            // structure plus noise: edges and gradients, like text on a page
            let base = ((x / 7 + y / 5) % 2 * 160) as u8;
            data.extend_from_slice(&[
                base ^ rng.below(64) as u8,
                (x % 256) as u8,
                (y % 256) as u8,
                255 - rng.below(3) as u8,
            ]);
        }
    }
    Frame::new(w, h, data).unwrap()
}

fn gpu() -> GpuRedactor {
    let instance = wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env());
    let mut adapters = pollster::block_on(instance.enumerate_adapters(wgpu::Backends::all()));
    // prefer Vulkan (lavapipe on CI) over GL
    adapters.sort_by_key(|a| a.get_info().backend != wgpu::Backend::Vulkan);
    let adapter = adapters
        .first()
        .expect("no GPU adapter: install mesa-vulkan-drivers (make deps) to run the shaders");
    GpuRedactor::new(adapter).expect("GPU redactor starts and its shaders compile")
}

fn styles() -> Vec<Style> {
    vec![
        Style::Solid { color: [12, 200, 99] },
        Style::Mosaic { block: 1 },
        Style::Mosaic { block: 8 },
        Style::Mosaic { block: 33 },
        Style::Blur { radius: 1 },
        Style::Blur { radius: 2 },
        Style::Blur { radius: 5 },
        Style::Blur { radius: 12 },
        Style::Blur { radius: 40 },
    ]
}

fn assert_same(cpu: &Frame, gpu: &Frame, what: &str) {
    let mut worst = 0u8;
    let mut at = 0;
    for (i, (a, b)) in cpu.data().iter().zip(gpu.data()).enumerate() {
        let d = a.abs_diff(*b);
        if d > worst {
            worst = d;
            at = i;
        }
    }
    let px = at / 4;
    assert!(
        worst <= 1,
        "{what}: CPU and GPU differ by {worst} at pixel ({}, {}) channel {}",
        px % cpu.width() as usize,
        px / cpu.width() as usize,
        at % 4
    );
}

fn check(gpu: &mut GpuRedactor, frame: &Frame, redactions: &[Redaction], what: &str) {
    let mut c = frame.clone();
    CpuRedactor.apply(&mut c, redactions).unwrap();
    let mut g = frame.clone();
    gpu.apply(&mut g, redactions).unwrap();
    assert_same(&c, &g, what);
}

#[test]
fn every_style_matches_on_odd_sizes_and_edges() {
    let mut gpu = gpu();
    let mut rng = Lcg(7);
    for (w, h) in [(1, 1), (7, 5), (61, 33), (1366, 768)] {
        let frame = noise_frame(w, h, &mut rng);
        for style in styles() {
            let cases = [
                frame.bounds(),
                Rect::new(0, 0, w.div_ceil(2), h.div_ceil(2)),
                Rect::new(w / 3, h / 3, w, h), // runs past the bottom-right edge
                Rect::new(w.saturating_sub(1), 0, 1, h),
            ];
            for rect in cases {
                check(
                    &mut gpu,
                    &frame,
                    &[Redaction { rect, style }],
                    &format!("{w}x{h} {style:?} {rect:?}"),
                );
            }
        }
    }
}

#[test]
fn overlapping_mixed_regions_match() {
    let mut gpu = gpu();
    let mut rng = Lcg(42);
    let frame = noise_frame(1366, 768, &mut rng);
    for round in 0..6 {
        let redactions: Vec<Redaction> = (0..25)
            .map(|_| {
                let style = styles()[rng.below(9) as usize];
                let rect = Rect::new(rng.below(1366), rng.below(768), 1 + rng.below(400), 1 + rng.below(120));
                Redaction { rect, style }
            })
            .collect();
        check(&mut gpu, &frame, &redactions, &format!("round {round}"));
    }
}

#[test]
fn four_k_full_frame_matches() {
    let mut gpu = gpu();
    let mut rng = Lcg(3);
    let frame = noise_frame(3840, 2160, &mut rng);
    for style in [
        Style::Blur { radius: 16 },
        Style::Mosaic { block: 24 },
        Style::Solid { color: [0, 0, 0] },
    ] {
        check(
            &mut gpu,
            &frame,
            &[Redaction {
                rect: frame.bounds(),
                style,
            }],
            &format!("4K {style:?}"),
        );
    }
    // buffers shrink-proof: a smaller frame after a large one
    let small = noise_frame(640, 360, &mut rng);
    check(
        &mut gpu,
        &small,
        &[Redaction {
            rect: Rect::new(5, 5, 300, 40),
            style: Style::Blur { radius: 6 },
        }],
        "after 4K",
    );
}

#[test]
fn masked_composite_matches() {
    use scrim::redact::Mask;
    let mut gpu = gpu();
    let mut rng = Lcg(11);
    for (w, h) in [(1, 1), (33, 17), (1280, 720)] {
        let frame = noise_frame(w, h, &mut rng);
        // a soft per-pixel mask (like a person segmentation) and feathered boxes
        let soft: Vec<u8> = (0..w * h).map(|_| rng.below(256) as u8).collect();
        let masks = [
            Mask::new(w, h, soft).unwrap(),
            Mask::from_rects(w, h, &[Rect::new(w / 4, h / 4, w / 2 + 1, h / 3 + 1)], 6),
        ];
        for mask in &masks {
            for style in [
                Style::Blur { radius: 14 },
                Style::Mosaic { block: 16 },
                Style::Solid { color: [9, 9, 9] },
            ] {
                let mut c = frame.clone();
                CpuRedactor.composite(&mut c, style, mask).unwrap();
                let mut g = frame.clone();
                gpu.composite(&mut g, style, mask).unwrap();
                assert_same(&c, &g, &format!("composite {w}x{h} {style:?}"));
            }
        }
    }
    // a mask of the wrong size is an error on both
    let frame = noise_frame(10, 10, &mut rng);
    let bad = Mask::from_rects(9, 10, &[], 0);
    assert!(CpuRedactor
        .composite(&mut frame.clone(), Style::Blur { radius: 3 }, &bad)
        .is_err());
    assert!(gpu
        .composite(&mut frame.clone(), Style::Blur { radius: 3 }, &bad)
        .is_err());
}
