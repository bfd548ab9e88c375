//! The live pipeline: a [`source::Source`] ticks at the frame rate, every frame goes through the
//! [`Gate`], and what the gate releases goes to a [`sink::Sink`]. Per-frame timing is kept for
//! the status line and `--stats`.

pub mod capture;
pub mod control;
pub mod hotkey;
pub mod outlet;
pub mod portal;
pub mod session;
pub mod sink;
pub mod source;
pub mod v4l2;
pub mod webcam;
pub mod window;

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::font;
use crate::frame::Frame;
use crate::gate::{FrameGate, Outcome, Pulled, Release};

pub use control::{Controls, Output};
pub use sink::Sink;
pub use source::Source;

/// What the status line shows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LiveStatus {
    /// Frames taken from the source and given to the gate; each comes out released, clean or
    /// covered (`frames_out`), once the gate has drained.
    pub captured: u64,
    pub frames_out: u64,
    pub fps: f64,
    pub latency_p50_ms: f64,
    pub latency_p95_ms: f64,
    pub regions: usize,
    pub clean: u64,
    pub covered: u64,
    pub analysis_errors: u64,
    /// Released frames the sink's consumer was too busy to take (not reading, stalled).
    pub dropped: u64,
    pub failed: Option<String>,
    pub source_lost: Option<String>,
    /// What the presenter controls give the sink.
    pub output: Output,
}

impl LiveStatus {
    pub fn line(&self) -> String {
        let mut s = match self.output {
            Output::Live => String::new(),
            Output::Paused => "PAUSED (frozen frame)  ".into(),
            Output::Blanked => "BLANKED  ".into(),
        };
        s += &format!(
            "{:5.1} fps  latency p50 {:4.0} ms p95 {:4.0} ms  {} regions  {} clean / {} covered",
            self.fps, self.latency_p50_ms, self.latency_p95_ms, self.regions, self.clean, self.covered
        );
        if self.dropped > 0 {
            s += &format!("  {} dropped (output not read)", self.dropped);
        }
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
    /// Time handing it to the sink: a recording waits for its encoder, a live output never.
    pub sink_ms: f64,
    /// The sink's consumer was still busy with earlier frames, so this one was not sent.
    pub dropped: bool,
    /// What the sink was given for it: this frame (live), the frozen one, or a blank one.
    pub output: Output,
}

pub struct LiveConfig {
    pub fps: u32,
    /// Stop after this many captured frames (tests, benchmarks); run until the source ends or
    /// Ctrl-C otherwise.
    pub max_frames: Option<u64>,
    /// Presenter controls (pause, blank); always live without.
    pub controls: Option<Arc<Controls>>,
    /// Draw the output state into the frames as a corner badge (`--badge`).
    pub badge: bool,
}

/// The neutral frame `blank` shows: plain, darker than the gate's cover grey, no text.
pub const BLANK: [u8; 4] = [40, 40, 48, 255];

/// What the sink gets for one release, by the presenter's choice: the release itself, the frame
/// the sink was last given (paused), or a neutral one (blanked). Never anything that did not come
/// out of the gate.
struct Shown {
    last: Option<Arc<Frame>>,
    blank: Option<Arc<Frame>>,
    /// The last badged frame and what it was drawn on: a static screen keeps one picture (the
    /// sinks convert a repeated picture once).
    badged: Option<(Weak<Frame>, Output, Arc<Frame>)>,
}

impl Shown {
    fn blank(&mut self, like: &Frame) -> Arc<Frame> {
        let (w, h) = (like.width(), like.height());
        match &self.blank {
            Some(b) if (b.width(), b.height()) == (w, h) => b.clone(),
            _ => {
                let b = Arc::new(Frame::filled(w, h, BLANK).expect("the size of a real frame"));
                self.blank = Some(b.clone());
                b
            }
        }
    }

    fn pick(&mut self, released: &Arc<Frame>, output: Output, badge: bool) -> Arc<Frame> {
        let frame = match output {
            Output::Live => released.clone(),
            Output::Paused => match &self.last {
                Some(f) => f.clone(),
                None => self.blank(released),
            },
            Output::Blanked => self.blank(released),
        };
        self.last = Some(frame.clone());
        if !badge {
            return frame;
        }
        match &self.badged {
            Some((on, o, b)) if *o == output && std::ptr::eq(on.as_ptr(), Arc::as_ptr(&frame)) => b.clone(),
            _ => {
                let mut f = (*frame).clone();
                draw_badge(&mut f, output);
                let b = Arc::new(f);
                self.badged = Some((Arc::downgrade(&frame), output, b.clone()));
                b
            }
        }
    }
}

/// A corner square in the state's colour (green live, amber paused, red blanked) and, when not
/// live, a border of it, so a presenter glancing at the shared window sees what it shows.
pub fn draw_badge(f: &mut Frame, output: Output) {
    let colour = match output {
        Output::Live => [40, 170, 80, 255],
        Output::Paused => [235, 160, 0, 255],
        Output::Blanked => [210, 40, 40, 255],
    };
    let (w, h) = (f.width(), f.height());
    let side = (w.min(h) / 30).max(8).min(w).min(h);
    let border = if output == Output::Live { 0 } else { (side / 4).max(2) };
    let data = f.data_mut();
    let mut fill = |x0: u32, y0: u32, x1: u32, y1: u32| {
        for y in y0..y1 {
            let row = &mut data[((y * w + x0) * 4) as usize..((y * w + x1) * 4) as usize];
            for px in row.chunks_exact_mut(4) {
                px.copy_from_slice(&colour);
            }
        }
    };
    fill(w - side, 0, w, side);
    if border > 0 {
        fill(0, 0, w, border);
        fill(0, h - border, w, h);
        fill(0, 0, border, h);
        fill(w - border, 0, w, h);
    }
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
    sink: Box<dyn Sink>,
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
    let mut lost: Option<Arc<Frame>> = None;
    let mut shown = Shown {
        last: None,
        blank: None,
        badged: None,
    };
    let mut outlet = outlet::Outlet::start(sink)?;
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
                        lost = None;
                        gate.push(frame, now);
                        captured += 1;
                    }
                    Ok(None) => source_done = true,
                    // gone for good (the X server lost): end, finishing the sink, with the error
                    Err(e) if e.kind() == ErrorKind::Closed => return Err(e),
                    Err(e) => {
                        // never the last good frame: a placeholder, and keep trying; the same
                        // picture while the loss lasts, which the gate and the sinks repeat
                        // without redrawing or converting it
                        st.source_lost = Some(e.to_string());
                        let (w, h) = if size.0 > 0 { size } else { (1280, 720) };
                        let frame = match &lost {
                            Some(p) if (p.width(), p.height()) == (w.max(64), h.max(32)) => p.clone(),
                            _ => Arc::new(placeholder(w, h, "lost")),
                        };
                        lost = Some(frame.clone());
                        gate.push(frame, now);
                        captured += 1;
                    }
                }
            }
            // pull everything that can go
            while let Pulled::Released(r) = gate.pull(Instant::now())? {
                let output = cfg.controls.as_ref().map_or(Output::Live, |c| c.output());
                st.output = output;
                let frame = shown.pick(&r.frame, output, cfg.badge);
                match emit(&r, &frame, output, &mut outlet, start, &mut stats, &mut latencies) {
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
                st.captured = captured;
                st.clean = g.released_clean;
                st.covered = g.released_covered;
                st.analysis_errors = g.analysis_errors;
                st.dropped = outlet.dropped();
                st.failed = g.failed.clone();
                if let Some(c) = &cfg.controls {
                    st.output = c.output();
                    c.publish(&st);
                }
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
    st.dropped = outlet.dropped();
    st.captured = captured;
    let finished = match outlet.finish() {
        // stopping, and the reader went away or stopped reading: what was asked for
        Err(e) if e.kind() == ErrorKind::Closed && stop.load(Ordering::Relaxed) => Ok(()),
        r => r,
    };
    result?;
    finished?;
    Ok(st)
}

fn emit(
    r: &Release,
    frame: &Arc<Frame>,
    output: Output,
    outlet: &mut outlet::Outlet,
    start: Instant,
    stats: &mut Option<&mut dyn Write>,
    latencies: &mut Vec<f64>,
) -> Result<()> {
    let t = Instant::now();
    let delivery = outlet.offer(frame.clone(), r.captured.saturating_duration_since(start))?;
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
            dropped: delivery == outlet::Delivery::Dropped,
            output,
        };
        let line = serde_json::to_string(&s).expect("stat serialises");
        writeln!(out, "{line}").map_err(|e| Error::new(ErrorKind::Output, format!("cannot write stats: {e}")))?;
    }
    Ok(())
}
