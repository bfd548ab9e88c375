//! The gate: scrim's promise that no frame leaves with a changed region that has not been
//! analysed.
//!
//! Frames are [`Gate::push`]ed as they are captured and [`Gate::pull`]ed in order. A frame whose
//! every tile matches what was analysed is released with its redactions. A frame with changed
//! tiles is either *held* (mode `hold`, until its analysis lands or its latency budget runs out)
//! or released with those tiles *covered* (mode `cover`, or when the budget ran out). Analysis
//! runs on a worker thread over the changed bands of the newest frame; if it errors, panics or
//! stalls, the affected tiles simply stay unanalysed, so they stay covered — the gate cannot
//! release them raw because it never trusts anything but a committed analysis.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, Receiver, Sender, TryRecvError};
use std::sync::{Arc, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::addressbar::BarMemory;
use crate::analyze::{self, read_band};
use crate::classify::{Category, Classifier};
use crate::error::Result;
use crate::frame::{Frame, Rect};
use crate::ocr::{Ocr, TextLine};
use crate::policy::Policy;
use crate::redact::{Redaction, Redactor, Style};
use crate::region::{Detector, Region};
use crate::temporal::{Changes, Scene};

/// What to do with a frame whose changed parts are not analysed yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Wait for the analysis, up to the latency budget; then cover what is still unanalysed.
    Hold,
    /// Release at once with unanalysed parts covered.
    Cover,
}

/// Colour of covered (not yet analysed) areas: neutral, and clearly not content.
pub const COVER: Style = Style::Solid { color: [96, 96, 104] };

/// Reads text in a band of a frame: the OCR, or a fake in tests.
pub trait BandReader: Send + 'static {
    fn read(&mut self, frame: &Frame, band: Rect) -> Result<Vec<TextLine>>;
}

impl BandReader for Ocr {
    fn read(&mut self, frame: &Frame, band: Rect) -> Result<Vec<TextLine>> {
        read_band(self, frame, band).map(|(lines, _)| lines)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Every tile analysed; only findings redacted.
    Clean,
    /// Some tiles were not analysed in time (or analysis failed) and were covered.
    Covered,
}

/// A frame leaving the gate, redacted and ready for a sink.
pub struct Release {
    pub seq: u64,
    /// Shared: a repeat of an unchanged frame under unchanged redactions is the same picture.
    pub frame: Arc<Frame>,
    pub captured: Instant,
    pub released: Instant,
    pub outcome: Outcome,
    /// It waited for its analysis (hold mode) before going out.
    pub held: bool,
    /// Areas covered because they were unanalysed.
    pub covered: Vec<Rect>,
    pub regions: Vec<Region>,
}

pub enum Pulled {
    Released(Release),
    /// The head frame waits for its analysis (hold mode); pull again soon.
    Held,
    /// Nothing queued.
    Empty,
}

/// Health of the analysis, for the status line.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct GateStats {
    pub pushed: u64,
    pub released_clean: u64,
    pub released_covered: u64,
    pub analyses: u64,
    pub analysis_errors: u64,
    /// Set when the analyser died (panicked): everything that changes stays covered.
    pub failed: Option<String>,
    pub stalled: bool,
    /// How long the most recent analyses took, from hand-over to result (ms; the last
    /// [`RECENT_ANALYSES`]).
    pub analysis_ms: VecDeque<f64>,
}

pub const RECENT_ANALYSES: usize = 1000;

struct Pending {
    seq: u64,
    /// Frames with the same `content` have the same pixels (a source repeating a static
    /// screen hands the gate the same `Arc`): compared, and redacted, once.
    content: u64,
    frame: Arc<Frame>,
    captured: Instant,
    /// It waited for analysis at least once.
    held: bool,
}

struct Job {
    frame: Arc<Frame>,
    bands: Vec<Rect>,
}

type JobResult = std::result::Result<Vec<(Rect, Vec<TextLine>)>, String>;

struct Worker {
    jobs: Sender<Job>,
    results: Receiver<JobResult>,
    busy: Option<(Instant, Arc<Frame>, Vec<Rect>)>,
    handle: Option<JoinHandle<()>>,
}

/// What the live loop needs from a gate: frames in, analysed (or covered) frames out. The
/// screen [`Gate`] analyses changed bands on a worker; the camera gate
/// ([`crate::camera::CameraGate`]) analyses every frame before releasing it.
pub trait FrameGate {
    /// `frame` may be the same `Arc` as an earlier push: the source saw no change.
    fn push(&mut self, frame: Arc<Frame>, captured: Instant);
    fn pull(&mut self, now: Instant) -> Result<Pulled>;
    fn queued(&self) -> usize;
    fn stats(&self) -> &GateStats;
    fn backend(&self) -> String;
}

impl FrameGate for Gate {
    fn push(&mut self, frame: Arc<Frame>, captured: Instant) {
        Gate::push(self, frame, captured)
    }
    fn pull(&mut self, now: Instant) -> Result<Pulled> {
        Gate::pull(self, now)
    }
    fn queued(&self) -> usize {
        Gate::queued(self)
    }
    fn stats(&self) -> &GateStats {
        Gate::stats(self)
    }
    fn backend(&self) -> String {
        Gate::backend(self)
    }
}

pub struct GateConfig {
    pub mode: Mode,
    /// Hold mode: the longest a frame waits for analysis before its unanalysed parts are covered.
    pub max_latency: Duration,
    /// An analysis running longer than this is reported as stalled.
    pub stall_after: Duration,
    /// Frames queued beyond this are released covered at once (a stalled consumer or analyser
    /// must not grow memory without bound).
    pub max_queue: usize,
}

impl Default for GateConfig {
    fn default() -> Self {
        GateConfig {
            mode: Mode::Hold,
            max_latency: Duration::from_millis(100),
            stall_after: Duration::from_secs(5),
            max_queue: 16,
        }
    }
}

pub struct Gate {
    cfg: GateConfig,
    scene: Option<Scene>,
    classifier: Classifier,
    policy: Policy,
    redactor: Box<dyn Redactor>,
    regions: Vec<Region>,
    queue: VecDeque<Pending>,
    worker: Worker,
    next_seq: u64,
    stats: GateStats,
    /// Bumped whenever the scene changes (new size, analysis committed, scroll followed), so a
    /// comparison of a frame with the scene can be reused until then.
    scene_version: u64,
    /// The last comparison: (frame content, scene version, result). A static screen is
    /// compared once, not once per frame, push and pull.
    memo: Option<(u64, u64, Changes)>,
    /// The last frame pushed and its content number. Weak: the gate's own bookkeeping must not
    /// keep a frame shared (a frame only the queue holds is redacted without a copy).
    last_pushed: Option<(Weak<Frame>, u64)>,
    /// The last frame released: its content, what was drawn on it, and the result, handed out
    /// again while neither changes.
    last_release: Option<(u64, Vec<Redaction>, Arc<Frame>)>,
    /// Fields redacted whole whatever they show (the address bar), from the current regions,
    /// when their style is irreversible.
    shields: Vec<Rect>,
    /// Address bars seen in this scene's frames.
    bars: BarMemory,
}

/// The address-bar fields and open popups among `regions`, when the policy covers them
/// irreversibly (solid, or a mosaic, whose blocks are at least the field's height): whatever
/// appears inside them is never shown, so typing (which changes both) needs no analysis first.
fn shields_of(regions: &[Region], policy: &Policy) -> Vec<Rect> {
    regions
        .iter()
        .filter(|r| r.category == Category::AddressBar && r.detector == Detector::AddressBar)
        .filter(|r| !matches!(policy.redaction.style_for(r.category, r.rect.h), Style::Blur { .. }))
        .map(|r| r.rect)
        .collect()
}

/// `scene.changes(frame)`, reused while neither the frame nor the scene changed.
fn changes_memo(
    memo: &mut Option<(u64, u64, Changes)>,
    version: u64,
    scene: &Scene,
    content: u64,
    frame: &Frame,
) -> Changes {
    if let Some((s, v, c)) = memo {
        if *s == content && *v == version {
            return c.clone();
        }
    }
    let c = scene.changes(frame);
    *memo = Some((content, version, c.clone()));
    c
}

impl Gate {
    pub fn new(
        cfg: GateConfig,
        reader: Box<dyn BandReader>,
        classifier: Classifier,
        policy: Policy,
        redactor: Box<dyn Redactor>,
    ) -> Gate {
        let (job_tx, job_rx) = channel::<Job>();
        let (res_tx, res_rx) = channel::<JobResult>();
        let handle = std::thread::Builder::new()
            .name("scrim-analyse".into())
            .spawn(move || analyse_loop(reader, job_rx, res_tx))
            .expect("spawn the analysis thread");
        Gate {
            cfg,
            scene: None,
            classifier,
            policy,
            redactor,
            regions: Vec::new(),
            queue: VecDeque::new(),
            worker: Worker {
                jobs: job_tx,
                results: res_rx,
                busy: None,
                handle: Some(handle),
            },
            next_seq: 0,
            stats: GateStats::default(),
            scene_version: 0,
            memo: None,
            last_pushed: None,
            last_release: None,
            shields: Vec::new(),
            bars: BarMemory::new(0),
        }
    }

    pub fn stats(&self) -> &GateStats {
        &self.stats
    }

    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    pub fn backend(&self) -> String {
        self.redactor.backend()
    }

    /// Queues a captured frame.
    pub fn push(&mut self, frame: impl Into<Arc<Frame>>, captured: Instant) {
        let frame = frame.into();
        if !self.scene.as_ref().is_some_and(|s| s.fits(&frame)) {
            // a new size (window resized, source switched): nothing is known about it
            self.scene = Some(Scene::new(frame.width(), frame.height(), 0));
            self.scene_version += 1;
            self.regions.clear();
            self.shields.clear();
            self.bars = BarMemory::new(0);
        }
        let content = match &self.last_pushed {
            Some((last, content)) if std::ptr::eq(last.as_ptr(), Arc::as_ptr(&frame)) => *content,
            _ => self.next_seq,
        };
        self.last_pushed = Some((Arc::downgrade(&frame), content));
        self.queue.push_back(Pending {
            seq: self.next_seq,
            content,
            frame,
            captured,
            held: false,
        });
        self.next_seq += 1;
        self.stats.pushed += 1;
        self.pump();
    }

    /// Collects finished analysis and starts the next one (on the newest frame that needs it).
    fn pump(&mut self) {
        loop {
            match self.worker.results.try_recv() {
                Ok(result) => {
                    let (started, frame, _) = self.worker.busy.take().expect("a result answers a job");
                    match result {
                        Ok(bands) => {
                            self.stats.analyses += 1;
                            if self.stats.analysis_ms.len() >= RECENT_ANALYSES {
                                self.stats.analysis_ms.pop_front();
                            }
                            self.stats.analysis_ms.push_back(started.elapsed().as_secs_f64() * 1e3);
                            if let Some(scene) = self.scene.as_mut().filter(|s| s.fits(&frame)) {
                                for (band, lines) in bands {
                                    scene.commit(&frame, band, lines);
                                }
                                self.scene_version += 1;
                                self.regions = analyze::regions_for(
                                    &self.classifier,
                                    scene.analysed(),
                                    scene.lines(),
                                    &mut self.bars,
                                );
                                self.shields = shields_of(&self.regions, &self.policy);
                            }
                        }
                        Err(e) => {
                            self.stats.analysis_errors += 1;
                            if e.starts_with("panic") {
                                self.stats.failed = Some(e);
                            }
                        }
                    }
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.worker.busy = None;
                    if self.stats.failed.is_none() {
                        self.stats.failed = Some("the analysis thread stopped".into());
                    }
                    break;
                }
            }
        }
        if let Some((started, _, _)) = &self.worker.busy {
            self.stats.stalled = started.elapsed() > self.cfg.stall_after;
            return;
        }
        self.stats.stalled = false;
        if self.stats.failed.is_some() {
            return;
        }
        let (Some(scene), Some(newest)) = (self.scene.as_mut(), self.queue.back()) else {
            return;
        };
        let changes = changes_memo(&mut self.memo, self.scene_version, scene, newest.content, &newest.frame);
        if changes.is_clean() {
            return;
        }
        let changes = match scene.follow_scroll(&newest.frame, &changes) {
            Some(_) => {
                // verdicts moved with the content; the redaction boxes follow at once
                self.scene_version += 1;
                self.regions = analyze::regions_for(&self.classifier, scene.analysed(), scene.lines(), &mut self.bars);
                self.shields = shields_of(&self.regions, &self.policy);
                changes_memo(&mut self.memo, self.scene_version, scene, newest.content, &newest.frame)
            }
            None => changes,
        };
        let bands = scene.bands(&changes);
        if bands.is_empty() {
            return;
        }
        let frame = newest.frame.clone();
        if self
            .worker
            .jobs
            .send(Job {
                frame: frame.clone(),
                bands: bands.clone(),
            })
            .is_ok()
        {
            self.worker.busy = Some((Instant::now(), frame, bands));
        }
    }

    /// The next frame out, in capture order.
    pub fn pull(&mut self, now: Instant) -> Result<Pulled> {
        self.pump();
        let Some(head) = self.queue.front() else {
            return Ok(Pulled::Empty);
        };
        let Some(scene) = self.scene.as_ref().filter(|s| s.fits(&head.frame)) else {
            // cannot happen (the scene follows the newest size), but fail closed if it did
            let p = self.queue.pop_front().expect("head exists");
            let all = p.frame.bounds();
            return self.release(p, vec![all], now).map(Pulled::Released);
        };
        let changes = changes_memo(&mut self.memo, self.scene_version, scene, head.content, &head.frame);
        // the address bar's fast path: typing in the omnibox changes only pixels that the
        // field's redaction covers whole, so the frame need not wait for the OCR to catch up
        let changes = if changes.is_clean() {
            changes
        } else {
            changes.unshielded(scene, &head.frame, &self.shields)
        };
        if changes.is_clean() {
            let p = self.queue.pop_front().expect("head exists");
            return self.release(p, Vec::new(), now).map(Pulled::Released);
        }
        let waiting = self.cfg.mode == Mode::Hold
            && now < head.captured + self.cfg.max_latency
            && self.stats.failed.is_none()
            && self.queue.len() <= self.cfg.max_queue;
        if waiting {
            if let Some(head) = self.queue.front_mut() {
                head.held = true;
            }
            return Ok(Pulled::Held);
        }
        let covered = changes.dirty_rects();
        let p = self.queue.pop_front().expect("head exists");
        self.release(p, covered, now).map(Pulled::Released)
    }

    fn release(&mut self, p: Pending, covered: Vec<Rect>, now: Instant) -> Result<Release> {
        let mut redactions = self.policy.redaction.redactions(&p.frame, &self.regions);
        redactions.extend(covered.iter().map(|&rect| Redaction { rect, style: COVER }));
        let frame = match &self.last_release {
            Some((content, drawn, out)) if *content == p.content && *drawn == redactions => out.clone(),
            _ => {
                self.last_release = None;
                // a copy only if someone else (the source, a queued repeat) still holds it
                let mut frame = Arc::unwrap_or_clone(p.frame);
                // the redactor failing must not let the frame out as it is
                self.redactor.apply(&mut frame, &redactions)?;
                let frame = Arc::new(frame);
                self.last_release = Some((p.content, redactions, frame.clone()));
                frame
            }
        };
        let outcome = if covered.is_empty() {
            self.stats.released_clean += 1;
            Outcome::Clean
        } else {
            self.stats.released_covered += 1;
            Outcome::Covered
        };
        Ok(Release {
            seq: p.seq,
            frame,
            captured: p.captured,
            released: now,
            outcome,
            held: p.held,
            covered,
            regions: self.regions.clone(),
        })
    }

    /// Waits for the analysis in flight (if any), up to `timeout`. For offline use and tests.
    pub fn settle(&mut self, timeout: Duration) {
        let end = Instant::now() + timeout;
        while self.worker.busy.is_some() && Instant::now() < end {
            std::thread::sleep(Duration::from_millis(2));
            self.pump();
        }
    }
}

impl Drop for Gate {
    fn drop(&mut self) {
        // closing the job channel ends the worker once its current job is done; a stalled
        // worker is left to die with the process rather than block shutdown
        let (tx, _) = channel();
        drop(std::mem::replace(&mut self.worker.jobs, tx));
        if let Some(h) = self.worker.handle.take() {
            if self.worker.busy.is_none() {
                let _ = h.join();
            }
        }
    }
}

fn analyse_loop(mut reader: Box<dyn BandReader>, jobs: Receiver<Job>, results: Sender<JobResult>) {
    while let Ok(job) = jobs.recv() {
        let out = catch_unwind(AssertUnwindSafe(|| {
            let mut out = Vec::with_capacity(job.bands.len());
            for &band in &job.bands {
                // one retry: ONNX Runtime has been seen failing a run intermittently when driven
                // from this thread ("GetElementType is not implemented"); a second failure counts
                let lines = match reader.read(&job.frame, band) {
                    Ok(l) => l,
                    Err(_) => reader.read(&job.frame, band).map_err(|e| e.to_string())?,
                };
                out.push((band, lines));
            }
            Ok(out)
        }));
        let result = match out {
            Ok(r) => r,
            Err(p) => {
                let msg = p
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| p.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                let _ = results.send(Err(format!("panic in the analyser: {msg}")));
                // its state may be broken: stop; the gate keeps everything changed covered
                return;
            }
        };
        if results.send(result).is_err() {
            return;
        }
    }
}
