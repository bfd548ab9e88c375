//! `scrim redact clip.mp4 -o out.mp4`: recordings in, redacted recordings out.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use scrim::analyze::Analyzer;
use scrim::camera::CameraFilter;
use scrim::error::{Error, ErrorKind, Result};
use scrim::models::ModelDir;
use scrim::policy::Policy;
use scrim::redact::BackendChoice;
use scrim::stream::StreamAnalyzer;
use scrim::video::{self, Analysis, EncodeOptions, VideoJob};

pub fn run(
    input: &Path,
    args: &crate::redact::Args,
    policy: Policy,
    models: &ModelDir,
    threads: usize,
    backend: BackendChoice,
) -> Result<ExitCode> {
    video::ffmpeg::format_for(&args.output)?;
    for r in &args.report {
        if !r.extension().is_some_and(|e| e == "json" || e == "html") {
            return Err(Error::new(
                ErrorKind::Usage,
                format!("{}: video reports are .json or .html", r.display()),
            ));
        }
    }
    let camera = args.camera.config(&policy.camera);
    let mut stream = None;
    let mut filter = None;
    if camera.is_active() {
        filter = Some(CameraFilter::new(models, camera, threads)?);
    } else {
        let analyzer = Analyzer::from_models(models, &policy, threads)?;
        stream = Some(StreamAnalyzer::new(analyzer, video::VIDEO_NOISE_TOLERANCE).exhaustive(args.exhaustive));
    }
    let mut redactor = crate::redactor(backend);
    let stop = crate::signals::stop_flag();
    let mut stats_file = match &args.stats {
        Some(p) => Some(std::io::BufWriter::new(std::fs::File::create(p).map_err(|e| {
            Error::new(ErrorKind::Output, format!("cannot create {}: {e}", p.display()))
        })?)),
        None => None,
    };
    let mut job = VideoJob {
        input,
        output: &args.output,
        policy: &policy,
        encode: EncodeOptions {
            crf: args.crf,
            preset: args.preset.clone(),
            live: false,
        },
        exhaustive: args.exhaustive,
        stop: &stop,
        stats: stats_file.as_mut().map(|f| f as &mut dyn std::io::Write),
    };
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} frames  {per_sec}  ETA {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let analysis = match (&mut stream, &mut filter) {
        (Some(s), _) => Analysis::Screen(s),
        (None, Some(f)) => Analysis::Camera(f),
        (None, None) => unreachable!("one of the two was built above"),
    };
    let outcome = job.run(analysis, redactor.as_mut(), |p| {
        bar.set_length(p.frames_estimate);
        bar.set_position(p.frame);
    });
    bar.finish_and_clear();
    let report = outcome?;
    for r in &args.report {
        if r.extension().is_some_and(|e| e == "html") {
            report.write_html(r)?;
        } else {
            report.write_json(r)?;
        }
    }
    if let Some(d) = &report.damaged_tail {
        eprintln!(
            "scrim: warning: the end of {} could not be decoded ({d}); the output holds the {} frames before it",
            input.display(),
            report.frames
        );
    }
    let counts: Vec<String> = report
        .counts()
        .iter()
        .map(|(c, n)| format!("{} {n}", c.as_str()))
        .collect();
    eprintln!(
        "  {} -> {}: {} frames in {:.1} s ({:.1} fps); {} analysed, {:.1}% of pixels; tracks: {}",
        input.display(),
        report.output.display(),
        report.frames,
        report.wall_s,
        report.fps,
        report.analysed_frames,
        report.analysed_pixel_fraction * 100.0,
        if counts.is_empty() {
            "none".into()
        } else {
            counts.join(", ")
        }
    );
    Ok(ExitCode::SUCCESS)
}
