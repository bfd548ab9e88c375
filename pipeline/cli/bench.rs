//! `scrim bench`: per-stage latency of the still pipeline on real frames at 720p, 1080p and 4K,
//! as p50/p95/p99: a table on stdout, and optionally JSON and a PNG chart.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use scrim::error::{Error, ErrorKind, Result};
use scrim::models::ModelDir;
use scrim::policy::Policy;
use scrim::still::StillPipeline;
use scrim::{imageio, Frame};

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    live: Option<Mode>,
    /// Frames to run (PNG/JPEG/WebP); default: the bundled 1080p example screenshot
    #[arg(value_name = "IMAGE")]
    images: Vec<PathBuf>,
    /// Runs per image and resolution (after one warm-up run)
    #[arg(long, default_value_t = 10)]
    iterations: usize,
    /// Resolutions to scale each image to (heights; 16:9)
    #[arg(long, value_delimiter = ',', default_values_t = [720u32, 1080, 2160])]
    heights: Vec<u32>,
    /// Longer side (px) frames are scaled to for text detection
    #[arg(long, value_name = "PX", default_value_t = scrim::ocr::DEFAULT_DET_MAX_SIDE,
          value_parser = clap::value_parser!(u32).range(320..=7680))]
    det_max_side: u32,
    /// Also write the results as JSON
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Also draw the per-stage latencies as a PNG chart
    #[arg(long, value_name = "FILE")]
    chart: Option<PathBuf>,
}

#[derive(clap::Subcommand)]
enum Mode {
    /// Replay a recording through the live pipeline at its frame rate: release latency
    /// p50/p95/p99, CPU per frame, frames clean/covered, time-to-safe after changes.
    Live(crate::livebench::Args),
    /// A camera clip through the camera filter (faces, background, whiteboards): per-stage
    /// latency p50/p95/p99, throughput, and SSIM inside the person vs the background.
    Camera(crate::camerabench::Args),
}

/// The example screenshot shipped in the source tree.
pub fn bundled_example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/examples/intranet-dashboard.png")
}

/// Latency of one stage over many runs, in milliseconds.
#[derive(serde::Serialize)]
pub struct StageStats {
    pub stage: &'static str,
    pub n: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub mean_ms: f64,
}

pub fn stats(stage: &'static str, mut v: Vec<f64>) -> StageStats {
    v.sort_by(f64::total_cmp);
    let q = |p: f64| scrim::live::percentile(&v, p);
    let mean = v.iter().sum::<f64>() / v.len().max(1) as f64;
    StageStats {
        stage,
        n: v.len(),
        p50_ms: q(0.5),
        p95_ms: q(0.95),
        p99_ms: q(0.99),
        mean_ms: mean,
    }
}

#[derive(serde::Serialize)]
struct ResolutionStats {
    width: u32,
    height: u32,
    stages: Vec<StageStats>,
}

fn scaled(frame: &Frame, height: u32) -> Result<Frame> {
    let width = (height * 16).div_ceil(9);
    if (frame.width(), frame.height()) == (width, height) {
        return Ok(frame.clone());
    }
    let mut r = fast_image_resize::Resizer::new();
    let data = scrim::resize::resize_rgba(&mut r, frame, frame.bounds(), width, height)?;
    Frame::new(width, height, data)
}

pub fn run(args: Args, models: &ModelDir, threads: usize, backend: scrim::redact::BackendChoice) -> Result<ExitCode> {
    match args.live {
        Some(Mode::Live(a)) => return crate::livebench::run(a, models, threads, backend),
        Some(Mode::Camera(a)) => return crate::camerabench::run(a, models, threads, backend),
        None => {}
    }
    if args.iterations == 0 || args.heights.is_empty() {
        return Err(Error::new(
            ErrorKind::Usage,
            "--iterations and --heights must not be empty or zero",
        ));
    }
    let images = if args.images.is_empty() {
        vec![bundled_example()]
    } else {
        args.images.clone()
    };
    let frames: Vec<Frame> = images.iter().map(|p| imageio::load(p)).collect::<Result<_>>()?;
    let mut policy = Policy::default();
    policy.ocr.detection_max_side = args.det_max_side;
    let mut pipeline = StillPipeline::new(models, policy, threads)?.with_redactor(crate::redactor(backend));
    let mut results = Vec::new();
    for &height in &args.heights {
        let (mut det, mut rec, mut cls, mut red, mut total) = (vec![], vec![], vec![], vec![], vec![]);
        let mut width = 0;
        for frame in &frames {
            let frame = scaled(frame, height)?;
            width = frame.width();
            eprintln!("bench: {}x{}, {} runs", frame.width(), frame.height(), args.iterations);
            pipeline.run(frame.clone())?; // warm-up: the first inference at a size allocates
            for _ in 0..args.iterations {
                // the same frame again would be read from the recogniser's memory of its lines
                pipeline.forget_lines();
                let t = Instant::now();
                let r = pipeline.run(frame.clone())?;
                total.push(t.elapsed().as_secs_f64() * 1e3);
                det.push(r.times.detect.as_secs_f64() * 1e3);
                rec.push(r.times.recognize.as_secs_f64() * 1e3);
                cls.push(r.times.classify.as_secs_f64() * 1e3);
                red.push(r.redact_time.as_secs_f64() * 1e3);
            }
        }
        let stages = vec![
            stats("detect", det),
            stats("recognize", rec),
            stats("classify", cls),
            stats("redact", red),
            stats("total", total),
        ];
        results.push(ResolutionStats { width, height, stages });
    }
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    println!(
        "machine: {cores} cores; redaction backend {}; {threads} inference threads; detection at <= {} px",
        pipeline.backend(),
        args.det_max_side
    );
    println!(
        "{:<11} {:<10} {:>6} {:>9} {:>9} {:>9} {:>9}",
        "resolution", "stage", "n", "p50 ms", "p95 ms", "p99 ms", "mean ms"
    );
    for r in &results {
        for s in &r.stages {
            let res = format!("{}x{}", r.width, r.height);
            println!(
                "{res:<11} {:<10} {:>6} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
                s.stage, s.n, s.p50_ms, s.p95_ms, s.p99_ms, s.mean_ms
            );
        }
    }
    if let Some(p) = &args.json {
        let json = serde_json::json!({
            "images": images, "cores": cores, "threads": threads, "backend": pipeline.backend(),
            "detection_max_side": args.det_max_side, "resolutions": results,
        });
        imageio::write_atomic(p, &serde_json::to_vec_pretty(&json).expect("json"))?;
    }
    if let Some(p) = &args.chart {
        let series: Vec<crate::chart::Series> = results
            .iter()
            .map(|r| crate::chart::Series {
                group: format!("{}P", r.height),
                stages: r
                    .stages
                    .iter()
                    .map(|s| (s.stage.to_string(), s.p50_ms, s.p95_ms, s.p99_ms))
                    .collect(),
            })
            .collect();
        let title = format!("SCRIM STILL PIPELINE LATENCY  {cores} CORES  {}", pipeline.backend());
        imageio::save(&crate::chart::draw(&title, &series), p)?;
    }
    Ok(ExitCode::SUCCESS)
}
