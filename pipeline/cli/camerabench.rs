//! `scrim bench camera CLIP`: a camera clip through the camera filter, frame by frame as decoded:
//! per-stage latency p50/p95/p99, analysis throughput, and how sharp the person stays (SSIM of
//! the output against the input inside the person, and outside it, where the background blur
//! should take the detail away).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use scrim::camera::{Background, CameraFilter};
use scrim::error::{Error, ErrorKind, Result};
use scrim::models::ModelDir;
use scrim::redact::{BackendChoice, Mask};
use scrim::video::{ffmpeg::Decoder, yuv::Matrix};
use scrim::{Frame, Rect};

use crate::bench::{stats, StageStats};

#[derive(clap::Args)]
pub struct Args {
    /// The camera clip (anything ffmpeg reads)
    #[arg(value_name = "CLIP")]
    clip: PathBuf,
    #[command(flatten)]
    camera: crate::camera::CameraArgs,
    /// Stop after this many frames
    #[arg(long, value_name = "N")]
    frames: Option<u64>,
    /// Measure SSIM on every n-th frame
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    ssim_every: u64,
    /// Also write the results as JSON
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

pub fn run(args: Args, models: &ModelDir, threads: usize, backend: BackendChoice) -> Result<ExitCode> {
    let mut cfg = args.camera.config(&scrim::camera::CameraConfig::default());
    if !cfg.is_active() {
        // the benchmark of the issue: background blur and faces
        cfg.background = Some(Background::Blur {
            radius: scrim::camera::DEFAULT_BACKGROUND_BLUR,
        });
        cfg.faces = Some(scrim::redact::StyleName::Mosaic);
    }
    let describe = format!(
        "faces {:?}, background {:?}, whiteboards {}",
        cfg.faces, cfg.background, cfg.whiteboards
    );
    let mut filter = CameraFilter::new(models, cfg, threads)?;
    let mut redactor = crate::redactor(backend);
    let mut decoder = Decoder::open(&args.clip)?;
    let names = [
        "convert",
        "faces",
        "segment",
        "whiteboards",
        "composite",
        "redact",
        "total",
    ];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    let (mut inside, mut outside) = (Vec::new(), Vec::new());
    let mut n = 0u64;
    let started = Instant::now();
    while let Some((yuv, _)) = decoder.next_frame()? {
        if args.frames.is_some_and(|m| n >= m) {
            break;
        }
        let t = Instant::now();
        let original = yuv.to_rgba(Matrix::for_height(yuv.height()));
        let convert = t.elapsed();
        let mut frame = original.clone();
        let regions = filter.process(&mut frame, redactor.as_mut())?;
        let c = filter.times;
        let total = t.elapsed();
        for (v, d) in times
            .iter_mut()
            .zip([convert, c.faces, c.segment, c.whiteboards, c.composite, c.redact, total])
        {
            v.push(d.as_secs_f64() * 1e3);
        }
        if n.is_multiple_of(args.ssim_every) {
            if let Some(mask) = filter.last_background_mask() {
                let covered: Vec<Rect> = regions.iter().map(|r| r.rect).collect();
                let (i, o) = ssim_inside_outside(&original, &frame, mask, &covered);
                inside.extend(i);
                outside.extend(o);
            }
        }
        n += 1;
    }
    let wall = started.elapsed().as_secs_f64();
    if n == 0 {
        return Err(Error::new(ErrorKind::BadInput, "the clip has no decodable frames").with_path(&args.clip));
    }
    let mean = |v: &[f64]| {
        if v.is_empty() {
            f64::NAN
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    println!(
        "{}: {n} frames; {describe}; {cores} cores, redaction on {}",
        args.clip.display(),
        redactor.backend()
    );
    println!("{:<12} {:>9} {:>9} {:>9}", "stage", "p50 ms", "p95 ms", "p99 ms");
    let stages: Vec<StageStats> = names.iter().zip(times).map(|(name, v)| stats(name, v)).collect();
    for s in &stages {
        println!("{:<12} {:>9.2} {:>9.2} {:>9.2}", s.stage, s.p50_ms, s.p95_ms, s.p99_ms);
    }
    println!(
        "throughput (decode wait + convert + analysis + redaction, no encode): {:.1} fps",
        n as f64 / wall
    );
    if !inside.is_empty() || !outside.is_empty() {
        println!(
            "SSIM output vs input: inside the person {:.3} ({} windows), background {:.3} ({} windows)",
            mean(&inside),
            inside.len(),
            mean(&outside),
            outside.len()
        );
    }
    if let Some(p) = &args.json {
        let json = serde_json::json!({
            "clip": args.clip, "frames": n, "config": describe, "cores": cores, "threads": threads,
            "backend": redactor.backend(), "stages": stages, "fps": n as f64 / wall,
            "ssim_inside_person": mean(&inside), "ssim_background": mean(&outside),
        });
        scrim::imageio::write_atomic(p, &serde_json::to_vec_pretty(&json).expect("json"))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Window side for SSIM (on luma, non-overlapping windows).
const WIN: u32 = 8;

/// SSIM of `a` vs `b` per 8x8 window, split into windows wholly on the person (mask 0, and not
/// on a face or board scrim covered) and wholly in the background (mask 255).
fn ssim_inside_outside(a: &Frame, b: &Frame, mask: &Mask, covered: &[Rect]) -> (Vec<f64>, Vec<f64>) {
    let (mut inside, mut outside) = (Vec::new(), Vec::new());
    let luma = |f: &Frame, x: u32, y: u32| {
        let p = f.pixel(x, y);
        0.299 * p[0] as f64 + 0.587 * p[1] as f64 + 0.114 * p[2] as f64
    };
    let w = mask.width();
    for wy in (0..a.height() / WIN).map(|i| i * WIN) {
        for wx in (0..a.width() / WIN).map(|i| i * WIN) {
            let win = Rect::new(wx, wy, WIN, WIN);
            let (mut all0, mut all255) = (true, true);
            for y in wy..wy + WIN {
                for x in wx..wx + WIN {
                    let m = mask.alpha()[(y * w + x) as usize];
                    all0 &= m == 0;
                    all255 &= m == 255;
                }
            }
            if !(all0 || all255) || (all0 && covered.iter().any(|f| f.overlaps(win))) {
                continue;
            }
            let (mut sa, mut sb, mut saa, mut sbb, mut sab) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for y in wy..wy + WIN {
                for x in wx..wx + WIN {
                    let (p, q) = (luma(a, x, y), luma(b, x, y));
                    sa += p;
                    sb += q;
                    saa += p * p;
                    sbb += q * q;
                    sab += p * q;
                }
            }
            let n = (WIN * WIN) as f64;
            let (ma, mb) = (sa / n, sb / n);
            let (va, vb, cov) = (saa / n - ma * ma, sbb / n - mb * mb, sab / n - ma * mb);
            let (c1, c2) = ((0.01f64 * 255.0).powi(2), (0.03f64 * 255.0).powi(2));
            let s = ((2.0 * ma * mb + c1) * (2.0 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
            if all0 {
                inside.push(s);
            } else {
                outside.push(s);
            }
        }
    }
    (inside, outside)
}
