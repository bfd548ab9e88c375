//! `scrim bench live REC`: a recording replayed through the live pipeline (gate included) at its
//! frame rate, as a screen share would feed it; the sink discards frames.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use scrim::error::{Error, ErrorKind, Result};
use scrim::gate::Mode;
use scrim::live::{self, percentile, LiveConfig, Sink};
use scrim::models::ModelDir;
use scrim::policy::Policy;
use scrim::redact::BackendChoice;
use scrim::Frame;

#[derive(clap::Args)]
pub struct Args {
    /// The recording to replay (anything ffmpeg reads)
    #[arg(value_name = "RECORDING")]
    recording: PathBuf,
    /// Replay rate [default: the recording's frame rate]
    #[arg(long)]
    fps: Option<u32>,
    #[arg(long, value_enum, default_value_t = Mode::Hold)]
    mode: Mode,
    /// Hold budget in milliseconds
    #[arg(long, default_value_t = 100)]
    max_latency: u64,
    /// Also write the results as JSON
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// What happened when in the recording, to report time to safe per kind of change: a JSON
    /// list of {"label": "typing", "from_ms": 3000, "to_ms": 8000} (times from the first
    /// frame; `benches/record-browser.sh` writes one beside its recording)
    #[arg(long, value_name = "FILE")]
    events: Option<PathBuf>,
    /// Also draw the run as a PNG timeline: each frame's release latency, clean or covered, the
    /// time-to-safe episodes and the events, against the 150 ms and 1 s targets
    #[arg(long, value_name = "FILE")]
    chart: Option<PathBuf>,
}

/// How a set of durations (ms) spreads, as the report and the summary lines give it.
#[derive(Clone, Copy, serde::Serialize)]
struct Spread {
    n: usize,
    p50: f64,
    p95: f64,
    max: f64,
}

impl Spread {
    fn of(mut v: Vec<f64>) -> Spread {
        v.sort_by(f64::total_cmp);
        Spread {
            n: v.len(),
            p50: percentile(&v, 0.5),
            p95: percentile(&v, 0.95),
            max: v.last().copied().unwrap_or(0.0),
        }
    }

    fn line(&self, what: &str) -> String {
        format!(
            "{} {what}, p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms",
            self.n, self.p50, self.p95, self.max
        )
    }
}

#[derive(serde::Deserialize)]
struct Event {
    label: String,
    from_ms: f64,
    to_ms: f64,
}

fn read_events(path: &std::path::Path) -> Result<Vec<Event>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::new(ErrorKind::BadInput, format!("cannot read events: {e}")).with_path(path))?;
    serde_json::from_str(&text).map_err(|e| Error::new(ErrorKind::BadInput, format!("events: {e}")).with_path(path))
}

/// Discards frames (the measurement is of scrim, not of a consumer).
struct NullSink;

impl Sink for NullSink {
    fn describe(&self) -> String {
        "nothing".into()
    }
    fn write(&mut self, _: &Arc<Frame>, _: Duration) -> Result<()> {
        Ok(())
    }
    fn finish(self: Box<Self>) -> Result<()> {
        Ok(())
    }
}

/// CPU time of this process (all its threads; child processes such as the ffmpeg decoder are
/// not counted: capture is excluded), from /proc.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // fields after the command name, which is in parentheses and may contain spaces
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<f64> = rest.split_whitespace().map(|x| x.parse().unwrap_or(0.0)).collect();
    // utime, stime are fields 14 and 15 of the whole line: 12 and 13 after the name
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) / 100.0
}

pub fn run(args: Args, models: &ModelDir, threads: usize, backend: BackendChoice) -> Result<ExitCode> {
    let probe = scrim::video::ffmpeg::probe(&args.recording)?;
    let fps = args.fps.unwrap_or(probe.fps.round().max(1.0) as u32);
    let source = Box::new(live::source::FileSource::open(&args.recording, false)?);
    let mut gate = crate::live::gate(args.mode, args.max_latency, Policy::default(), models, threads, backend)?;
    let stop = AtomicBool::new(false);
    let mut stats = Vec::new();
    let cpu0 = cpu_seconds();
    // (frames out, CPU seconds) every status tick: the second half of the run is the steady
    // state, after the first full analysis
    let mut samples: Vec<(u64, f64)> = Vec::new();
    let last = live::run(
        source,
        &mut gate,
        Box::new(NullSink),
        &LiveConfig {
            fps,
            max_frames: None,
            controls: None,
            badge: false,
        },
        &stop,
        Some(&mut stats),
        |s| samples.push((s.frames_out, cpu_seconds())),
    )?;
    let cpu = cpu_seconds() - cpu0;
    let steady = samples
        .iter()
        .find(|(n, _)| *n * 2 >= last.frames_out)
        .and_then(|&(n0, c0)| {
            let (n1, c1) = *samples.last()?;
            (n1 > n0).then(|| (c1 - c0) * 1e3 / (n1 - n0) as f64)
        });
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&stats)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    if rows.is_empty() {
        return Err(Error::new(ErrorKind::BadInput, "the recording produced no frames"));
    }
    let mut lat: Vec<f64> = rows.iter().filter_map(|r| r["latency_ms"].as_f64()).collect();
    lat.sort_by(f64::total_cmp);
    let covered = rows.iter().filter(|r| r["outcome"] == "covered").count();
    // time to safe: from the capture of the first frame of a change that had to wait or was
    // covered, to the release of the next clean frame (the new content shown, analysed)
    let mut episodes: Vec<(f64, f64)> = Vec::new();
    let mut start: Option<f64> = None;
    for r in &rows {
        let covered = r["outcome"] == "covered";
        if covered || r["held"] == true {
            start.get_or_insert(r["captured_ms"].as_f64().unwrap_or(0.0));
        }
        if !covered {
            if let Some(s) = start.take() {
                episodes.push((s, r["released_ms"].as_f64().unwrap_or(0.0) - s));
            }
        }
    }
    let events = match &args.events {
        Some(p) => read_events(p)?,
        None => Vec::new(),
    };
    let label_of = |t: f64| {
        events
            .iter()
            .find(|e| e.from_ms <= t && t < e.to_ms)
            .map_or("other", |e| e.label.as_str())
    };
    let mut by_label: std::collections::BTreeMap<&str, Vec<f64>> = Default::default();
    for &(s, d) in &episodes {
        by_label.entry("all").or_default().push(d);
        if !events.is_empty() {
            by_label.entry(label_of(s)).or_default().push(d);
        }
    }
    let safe: std::collections::BTreeMap<&str, Spread> =
        by_label.into_iter().map(|(k, v)| (k, Spread::of(v))).collect();
    let all = safe.get("all").copied().unwrap_or_else(|| Spread::of(Vec::new()));
    let n = rows.len();
    let analysis = Spread::of(gate.stats().analysis_ms.iter().copied().collect());
    let report = serde_json::json!({
        "analysis_ms": analysis,
        "recording": args.recording, "fps": fps, "mode": args.mode, "max_latency_ms": args.max_latency,
        "frames": n, "clean": n - covered, "covered": covered,
        "latency_ms": {"p50": percentile(&lat, 0.5), "p95": percentile(&lat, 0.95), "p99": percentile(&lat, 0.99)},
        "cpu_ms_per_frame": cpu * 1e3 / n as f64,
        "cpu_ms_per_frame_second_half": steady,
        "time_to_safe_ms": safe,
        "episodes": episodes.iter().map(|(s, d)| serde_json::json!({"start_ms": s, "to_safe_ms": d, "event": label_of(*s)})).collect::<Vec<_>>(),
        "backend": gate.backend(),
    });
    println!(
        "{n} frames at {fps} fps ({:?}, budget {} ms): release latency p50 {:.1} / p95 {:.1} / p99 {:.1} ms; \
{} clean, {covered} covered; CPU {:.2} ms per frame (all scrim threads, capture excluded; \
second half of the run {}); time to safe after a change: {} episodes, p50 {:.0} ms, max {:.0} ms",
        args.mode,
        args.max_latency,
        percentile(&lat, 0.5),
        percentile(&lat, 0.95),
        percentile(&lat, 0.99),
        n - covered,
        cpu * 1e3 / n as f64,
        steady.map_or("n/a".to_string(), |c| format!("{c:.2} ms")),
        all.n,
        all.p50,
        all.max
    );
    println!("  {} (hand-over to result)", analysis.line("analyses"));
    for (label, v) in safe.iter().filter(|(l, _)| **l != "all") {
        println!("  time to safe, {label}: {}", v.line("episodes"));
    }
    if let Some(p) = &args.json {
        scrim::imageio::write_atomic(p, serde_json::to_string_pretty(&report).expect("json").as_bytes())?;
    }
    if let Some(p) = &args.chart {
        let frames: Vec<crate::chart::FramePoint> = rows
            .iter()
            .filter_map(|r| {
                Some(crate::chart::FramePoint {
                    at_s: r["captured_ms"].as_f64()? / 1e3,
                    latency_ms: r["latency_ms"].as_f64()?,
                    covered: r["outcome"] == "covered",
                })
            })
            .collect();
        let episodes: Vec<(f64, f64)> = episodes.iter().map(|&(s, d)| (s / 1e3, d)).collect();
        let spans: Vec<(String, f64, f64)> = events
            .iter()
            .map(|e| (e.label.clone(), e.from_ms / 1e3, e.to_ms / 1e3))
            .collect();
        let name = args
            .recording
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().to_uppercase());
        let title = format!("SCRIM LIVE  {name}  {fps} FPS  {:?} {} MS", args.mode, args.max_latency).to_uppercase();
        let chart = crate::chart::timeline(
            &title,
            &frames,
            &episodes,
            &spans,
            &[(150.0, "150 MS"), (1000.0, "1 S")],
        );
        scrim::imageio::save(&chart, p)?;
    }
    Ok(ExitCode::SUCCESS)
}
