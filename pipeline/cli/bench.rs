//! `scrim bench`: per-stage latency of the still pipeline on real frames, as p50/p95/p99.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use scrim::error::{Error, ErrorKind, Result};
use scrim::models::ModelDir;
use scrim::policy::Policy;
use scrim::still::StillPipeline;
use scrim::{imageio, Frame};

#[derive(clap::Args)]
pub struct Args {
    /// Frames to run (PNG/JPEG/WebP); default: the bundled example screenshot
    #[arg(value_name = "IMAGE")]
    images: Vec<PathBuf>,
    /// Runs per image (after one warm-up run)
    #[arg(long, default_value_t = 5)]
    iterations: usize,
    /// Longer side (px) frames are scaled to for text detection
    #[arg(long, value_name = "PX", default_value_t = scrim::ocr::DEFAULT_DET_MAX_SIDE,
          value_parser = clap::value_parser!(u32).range(320..=7680))]
    det_max_side: u32,
    /// Also write the results as JSON
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

/// The example screenshot shipped in the source tree.
pub fn bundled_example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/examples/intranet-dashboard.png")
}

#[derive(serde::Serialize)]
struct StageStats {
    stage: &'static str,
    n: usize,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
    mean_ms: f64,
}

fn stats(stage: &'static str, mut v: Vec<f64>) -> StageStats {
    v.sort_by(f64::total_cmp);
    let q = |p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize];
    StageStats {
        stage,
        n: v.len(),
        p50_ms: q(0.5),
        p95_ms: q(0.95),
        p99_ms: q(0.99),
        mean_ms: v.iter().sum::<f64>() / v.len() as f64,
    }
}

pub fn run(args: Args, models: &ModelDir, threads: usize, backend: scrim::redact::BackendChoice) -> Result<ExitCode> {
    let images = if args.images.is_empty() {
        vec![bundled_example()]
    } else {
        args.images.clone()
    };
    let frames: Vec<(PathBuf, Frame)> = images
        .iter()
        .map(|p| imageio::load(p).map(|f| (p.clone(), f)))
        .collect::<Result<_>>()?;
    if args.iterations == 0 {
        return Err(Error::new(ErrorKind::Usage, "--iterations must be at least 1"));
    }
    let mut policy = Policy::default();
    policy.ocr.detection_max_side = args.det_max_side;
    let mut pipeline = StillPipeline::new(models, policy, threads)?.with_redactor(crate::redactor(backend));
    let (mut det, mut rec, mut cls, mut red, mut total) = (vec![], vec![], vec![], vec![], vec![]);
    for (path, frame) in &frames {
        eprintln!(
            "bench: {} ({}x{}), {} runs",
            path.display(),
            frame.width(),
            frame.height(),
            args.iterations
        );
        pipeline.run(frame.clone())?; // warm-up: first inference allocates
        for _ in 0..args.iterations {
            let t = Instant::now();
            let r = pipeline.run(frame.clone())?;
            total.push(t.elapsed().as_secs_f64() * 1e3);
            det.push(r.times.detect.as_secs_f64() * 1e3);
            rec.push(r.times.recognize.as_secs_f64() * 1e3);
            cls.push(r.times.classify.as_secs_f64() * 1e3);
            red.push(r.redact_time.as_secs_f64() * 1e3);
        }
    }
    let table = vec![
        stats("detect", det),
        stats("recognize", rec),
        stats("classify+layout", cls),
        stats("redact", red),
        stats("total", total),
    ];
    println!(
        "machine: {} cores, backend {}, {threads} inference threads, detection at <= {} px",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        pipeline.backend(),
        args.det_max_side
    );
    println!(
        "{:<16} {:>6} {:>10} {:>10} {:>10} {:>10}",
        "stage", "n", "p50 ms", "p95 ms", "p99 ms", "mean ms"
    );
    for s in &table {
        println!(
            "{:<16} {:>6} {:>10.2} {:>10.2} {:>10.2} {:>10.2}",
            s.stage, s.n, s.p50_ms, s.p95_ms, s.p99_ms, s.mean_ms
        );
    }
    if let Some(p) = &args.json {
        let json = serde_json::json!({
            "images": images, "threads": threads, "backend": pipeline.backend(), "stages": table,
        });
        imageio::write_atomic(p, &serde_json::to_vec_pretty(&json).expect("json"))?;
    }
    Ok(ExitCode::SUCCESS)
}
