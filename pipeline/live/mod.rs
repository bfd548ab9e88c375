//! The live pipeline: a [`source::Source`] ticks at the frame rate, every frame goes through the
//! [`Gate`], and what the gate releases goes to a [`sink::Sink`]. Per-frame timing is kept for
//! the status line and `--stats`.

pub mod capture;
pub mod portal;
pub mod session;
pub mod sink;
pub mod source;
pub mod v4l2;
pub mod webcam;
pub mod window;

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::font;
use crate::frame::Frame;
use crate::gate::{FrameGate, Outcome, Pulled, Release};

pub use sink::Sink;
pub use source::Source;

/// What the status line shows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LiveStatus {
    pub frames_out: u64,
    pub fps: f64,
    pub latency_p50_ms: f64,
    pub latency_p95_ms: f64,
    pub regions: usize,
    pub clean: u64,
    pub covered: u64,
    pub analysis_errors: u64,
    pub failed: Option<String>,
    pub source_lost: Option<String>,
}

impl LiveStatus {
    pub fn line(&self) -> String {
        let mut s = format!(
            "{:5.1} fps  latency p50 {:4.0} ms p95 {:4.0} ms  {} regions  {} clean / {} covered",
            self.fps, self.latency_p50_ms, self.latency_p95_ms, self.regions, self.clean, self.covered
        );
        if self.analysis_errors > 0 {
            s += &format!("  {} analysis errors", self.analysis_errors);
        }
        if let Some(f) = &self.failed {
            s += &format!("  ANALYSER FAILED ({f}): changes stay covered");
        }
        if let Some(l) = &self.source_lost {
            s += &format!("  SOURCE LOST ({l}): showing a placeholder");
        }
        s
    }
}

/// One line of `--stats`: timings of a released frame. Never any text.
#[derive(Debug, Clone, Serialize)]
pub struct FrameStat {
    pub seq: u64,
    pub captured_ms: f64,
    pub released_ms: f64,
    pub latency_ms: f64,
    pub outcome: Outcome,
    /// It waited for its analysis before going out.
    pub held: bool,
    pub covered_boxes: usize,
    pub regions: usize,
    pub sink_ms: f64,
}

pub struct LiveConfig {
    pub fps: u32,
    /// Stop after this many captured frames (tests, benchmarks); run until the source ends or
    /// Ctrl-C otherwise.
    pub max_frames: Option<u64>,
}

/// A neutral frame saying the source is gone: shown instead of anything stale.
pub fn placeholder(width: u32, height: u32, why: &str) -> Frame {
    let mut f = Frame::filled(width.max(64), height.max(32), [40, 40, 48, 255]).expect("valid size");
    let w = f.width();
    let scale = (w / 400).max(1);
    let mut put = |x: u32, y: u32| {
        if x < w && y < f.height() {
            let i = ((y * w + x) * 4) as usize;
            f.data_mut()[i..i + 4].copy_from_slice(&[220, 220, 220, 255]);
        }
    };
    let msg = format!("scrim: source unavailable ({why})");
    font::draw_text(&msg, 16, 16, scale, &mut put);
    f
}

/// The `p` quantile (0..1) of ascending `sorted` values by nearest rank; 0 when empty. The one
/// definition the status line and every benchmark report use.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Runs until the source ends, `stop` is set, or `max_frames` were captured. The sink is
/// always finished (flushed/closed) before returning.
pub fn run(
    mut source: Box<dyn Source>,
    gate: &mut dyn FrameGate,
    mut sink: Box<dyn Sink>,
    cfg: &LiveConfig,
    stop: &AtomicBool,
    mut stats: Option<&mut dyn Write>,
    mut status: impl FnMut(&LiveStatus),
) -> Result<LiveStatus> {
    let tick = Duration::from_secs_f64(1.0 / cfg.fps.max(1) as f64);
    let start = Instant::now();
    let mut next_tick = start;
    let mut captured = 0u64;
    let mut st = LiveStatus::default();
    let mut latencies: Vec<f64> = Vec::new();
    let mut last_status = start;
    let mut size = (0, 0);
    let mut source_done = false;
    let result = (|| -> Result<()> {
        loop {
            let now = Instant::now();
            let stopping = stop.load(Ordering::Relaxed) || cfg.max_frames.is_some_and(|m| captured >= m);
            if !source_done && !stopping && now >= next_tick {
                next_tick += tick;
                if next_tick < now {
                    // we fell behind: skip ticks rather than queue a burst
                    next_tick = now + tick;
                }
                match source.next_frame() {
                    Ok(Some(frame)) => {
                        size = (frame.width(), frame.height());
                        st.source_lost = None;
                        gate.push(frame, now);
                        captured += 1;
                    }
                    Ok(None) => source_done = true,
                    Err(e) => {
                        // never the last good frame: a placeholder, and keep trying
                        st.source_lost = Some(e.to_string());
                        let (w, h) = if size.0 > 0 { size } else { (1280, 720) };
                        gate.push(Arc::new(placeholder(w, h, "lost")), now);
                        captured += 1;
                    }
                }
            }
            // pull everything that can go
            while let Pulled::Released(r) = gate.pull(Instant::now())? {
                match emit(&r, &mut *sink, start, &mut stats, &mut latencies) {
                    // told to stop, and the reader went too (a terminal's Ctrl-C reaches every
                    // program of a pipeline): the end the user asked for, not a failure
                    Err(e) if e.kind() == ErrorKind::Closed && stop.load(Ordering::Relaxed) => return Ok(()),
                    r => r?,
                }
                st.regions = r.regions.len();
                st.frames_out += 1;
            }
            let finished = (source_done || stopping) && gate.queued() == 0;
            if last_status.elapsed() >= Duration::from_millis(500) || finished {
                let g = gate.stats();
                let mut recent: Vec<f64> = latencies.iter().rev().take(300).copied().collect();
                recent.sort_by(f64::total_cmp);
                st.fps = st.frames_out as f64 / start.elapsed().as_secs_f64().max(1e-6);
                st.latency_p50_ms = percentile(&recent, 0.5);
                st.latency_p95_ms = percentile(&recent, 0.95);
                st.clean = g.released_clean;
                st.covered = g.released_covered;
                st.analysis_errors = g.analysis_errors;
                st.failed = g.failed.clone();
                status(&st);
                last_status = Instant::now();
            }
            if finished {
                return Ok(());
            }
            let wait = next_tick
                .saturating_duration_since(Instant::now())
                .min(Duration::from_millis(2));
            std::thread::sleep(wait.max(Duration::from_micros(300)));
        }
    })();
    let finished = sink.finish();
    result?;
    finished?;
    Ok(st)
}

fn emit(
    r: &Release,
    sink: &mut dyn Sink,
    start: Instant,
    stats: &mut Option<&mut dyn Write>,
    latencies: &mut Vec<f64>,
) -> Result<()> {
    let t = Instant::now();
    sink.write(&r.frame, r.captured.saturating_duration_since(start))?;
    let sink_ms = t.elapsed().as_secs_f64() * 1e3;
    let ms = |i: Instant| i.saturating_duration_since(start).as_secs_f64() * 1e3;
    let latency = r.released.saturating_duration_since(r.captured).as_secs_f64() * 1e3;
    latencies.push(latency);
    if let Some(out) = stats.as_mut() {
        let s = FrameStat {
            seq: r.seq,
            captured_ms: ms(r.captured),
            released_ms: ms(r.released),
            latency_ms: latency,
            outcome: r.outcome,
            held: r.held,
            covered_boxes: r.covered.len(),
            regions: r.regions.len(),
            sink_ms,
        };
        let line = serde_json::to_string(&s).expect("stat serialises");
        writeln!(out, "{line}").map_err(|e| Error::new(ErrorKind::Output, format!("cannot write stats: {e}")))?;
    }
    Ok(())
}
