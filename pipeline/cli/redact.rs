//! `scrim redact`: screenshots in, redacted screenshots (plus report and preview) out.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use scrim::analyze::StageTimes;
use scrim::camera::CameraFilter;
use scrim::error::{Error, ErrorKind, Result};
use scrim::models::ModelDir;
use scrim::redact::{Redactor, StyleName};
use scrim::report::{self, ImageReport, Report};
use scrim::still::StillPipeline;
use scrim::{imageio, Frame};

#[derive(clap::Args)]
pub struct Args {
    /// Input images (PNG, JPEG or WebP)
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output file, or a directory when there are several inputs (created if missing)
    #[arg(short, long, value_name = "OUTPUT")]
    pub output: PathBuf,
    /// Policy file (TOML); see assets/policy.example.toml
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Redaction style for every category (overrides the policy's default style)
    #[arg(long, value_enum)]
    style: Option<StyleName>,
    /// Write a report: .json (per region or track: box, category, frames; never the text) or,
    /// for videos, .html (timeline and redacted thumbnails). May be given twice.
    #[arg(long, value_name = "FILE")]
    pub report: Vec<PathBuf>,
    /// Write a preview with every redaction outlined and labelled (a directory for several inputs)
    #[arg(long, value_name = "FILE")]
    preview: Option<PathBuf>,
    /// Longer side (px) frames are scaled to for text detection [default: policy, else 1920]
    #[arg(long, value_name = "PX", value_parser = clap::value_parser!(u32).range(320..=7680))]
    det_max_side: Option<u32>,
    /// Videos: analyse every frame in full instead of only what changed (slow; for comparison)
    #[arg(long)]
    pub exhaustive: bool,
    /// Videos: encoder quality, lower is better (x264 CRF; VP9 for .webm)
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(0..=51))]
    pub crf: u32,
    /// Videos: write per-frame statistics (stage times, analysed bands) as JSON lines
    #[arg(long, value_name = "FILE")]
    pub stats: Option<PathBuf>,
    /// Videos: x264 preset (ultrafast … veryslow)
    #[arg(long, default_value = "veryfast")]
    pub preset: String,
    /// Camera privacy (faces, background, whiteboards): given any of these, the input is treated
    /// as camera footage instead of a screen
    #[command(flatten)]
    pub camera: crate::camera::CameraArgs,
}

pub fn run(args: Args, models: &ModelDir, threads: usize, backend: scrim::redact::BackendChoice) -> Result<ExitCode> {
    let mut policy = crate::load_policy(args.policy.as_deref())?;
    if let Some(side) = args.det_max_side {
        policy.ocr.detection_max_side = side;
    }
    if let Some(s) = args.style {
        policy.redaction.default = s;
        policy.redaction.per_category.clear();
    }
    if args.inputs.len() == 1 && scrim::video::is_video_path(&args.inputs[0]) {
        return crate::video::run(&args.inputs[0], &args, policy, models, threads, backend);
    }
    if let Some(p) = args.report.iter().find(|p| p.extension().is_none_or(|e| e != "json")) {
        return Err(Error::new(
            ErrorKind::Usage,
            format!("{}: image reports are JSON (.json)", p.display()),
        ));
    }
    // A still's redaction takes well under a millisecond on the CPU (a camera blur ~13 ms at
    // 1080p): `auto` does not probe for a GPU it would not gain from.
    let backend = match backend {
        scrim::redact::BackendChoice::Auto => scrim::redact::BackendChoice::Cpu,
        b => b,
    };
    let dir_mode = args.inputs.len() > 1 || args.output.is_dir();
    let jobs = plan(&args, dir_mode)?;
    let camera = args.camera.config(&policy.camera);
    let mut pipeline = if camera.is_active() {
        Pipeline::Camera(
            Box::new(CameraFilter::new(models, camera, threads)?),
            crate::redactor(backend),
        )
    } else {
        Pipeline::Screen(Box::new(
            StillPipeline::new(models, policy, threads)?.with_redactor(crate::redactor(backend)),
        ))
    };
    let mut reports = Vec::new();
    let mut failed = 0usize;
    for (i, (input, output, preview)) in jobs.iter().enumerate() {
        if dir_mode {
            eprintln!("[{}/{}] {}", i + 1, jobs.len(), input.display());
        }
        match one(&mut pipeline, input, output, preview.as_deref()) {
            Ok(rep) => {
                let n = rep.regions.len();
                eprintln!(
                    "  {} -> {} ({} region{} redacted)",
                    input.display(),
                    output.display(),
                    n,
                    if n == 1 { "" } else { "s" }
                );
                reports.push(rep);
            }
            // Inference failures are not per-file problems: stop, write nothing more.
            Err(e) if e.kind() == ErrorKind::Inference || e.kind() == ErrorKind::ModelMissing => return Err(e),
            Err(e) if dir_mode => {
                eprintln!("scrim: error: {e}");
                failed += 1;
            }
            Err(e) => return Err(e),
        }
    }
    for path in &args.report {
        let rep = Report {
            scrim_version: env!("CARGO_PKG_VERSION"),
            images: reports.clone(),
        };
        let json = serde_json::to_vec_pretty(&rep).map_err(|e| Error::new(ErrorKind::Output, e.to_string()))?;
        imageio::write_atomic(path, &json)?;
    }
    if failed > 0 {
        eprintln!(
            "scrim: {failed} of {} inputs failed; their outputs were not written",
            jobs.len()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

type Job = (PathBuf, PathBuf, Option<PathBuf>);

/// Input -> output (and preview) paths, checked before any model is loaded.
fn plan(args: &Args, dir_mode: bool) -> Result<Vec<Job>> {
    let usage = |m: String| Error::new(ErrorKind::Usage, m);
    if !dir_mode {
        imageio::format_for(&args.output)?;
        if let Some(p) = &args.preview {
            imageio::format_for(p)?;
        }
        let input = &args.inputs[0];
        if same_file(input, &args.output) {
            return Err(usage(format!(
                "output {} is the input; choose another name",
                args.output.display()
            )));
        }
        return Ok(vec![(input.clone(), args.output.clone(), args.preview.clone())]);
    }
    for d in std::iter::once(&args.output).chain(args.preview.as_ref()) {
        if d.exists() && !d.is_dir() {
            return Err(usage(format!(
                "{} exists and is not a directory (several inputs need an output directory)",
                d.display()
            )));
        }
        std::fs::create_dir_all(d)
            .map_err(|e| Error::new(ErrorKind::Output, format!("cannot create {}: {e}", d.display())))?;
    }
    let mut seen = std::collections::HashSet::new();
    let mut jobs = Vec::new();
    for input in &args.inputs {
        let name = input
            .file_name()
            .ok_or_else(|| usage(format!("{} is not a file", input.display())))?;
        let out = args.output.join(name);
        if !seen.insert(out.clone()) {
            return Err(usage(format!(
                "two inputs are named {:?}; they would overwrite each other",
                name
            )));
        }
        if same_file(input, &out) {
            return Err(usage(format!(
                "output {} is the input; choose another directory",
                out.display()
            )));
        }
        let preview = args.preview.as_ref().map(|d| d.join(name));
        jobs.push((input.clone(), out, preview));
    }
    Ok(jobs)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Screenshots go through the text pipeline; camera stills through the camera filter.
enum Pipeline {
    Screen(Box<StillPipeline>),
    Camera(Box<CameraFilter>, Box<dyn Redactor>),
}

fn one(pipeline: &mut Pipeline, input: &Path, output: &Path, preview: Option<&Path>) -> Result<ImageReport> {
    let mut frame: Frame = imageio::load(input)?;
    let (frame, regions, times, redact_ms, backend) = match pipeline {
        Pipeline::Screen(p) => {
            // Each still is read alone: a remembered line leaves the batch its neighbours are
            // read in, and a line's reading depends a little on the width it is padded to, so
            // a file's output would depend on which files went before it.
            p.forget_lines();
            let r = p.run(frame)?;
            (
                r.frame,
                r.regions,
                r.times,
                r.redact_time.as_secs_f64() * 1e3,
                p.backend(),
            )
        }
        Pipeline::Camera(filter, redactor) => {
            // a still is a new scene: no tracks or smoothing carried over from the last one
            filter.reset();
            let regions = filter.process(&mut frame, redactor.as_mut())?;
            let t = filter.times;
            let redact_ms = (t.composite + t.redact).as_secs_f64() * 1e3;
            (frame, regions, StageTimes::default(), redact_ms, redactor.backend())
        }
    };
    imageio::save(&frame, output)?;
    if let Some(p) = preview {
        imageio::save(&report::preview(&frame, &regions), p)?;
    }
    Ok(ImageReport::new(
        input.to_path_buf(),
        output.to_path_buf(),
        &frame,
        backend,
        regions,
        &times,
        redact_ms,
    ))
}
