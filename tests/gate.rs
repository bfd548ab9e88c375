//! The gate's promise, tested with deliberately slow, failing, panicking and stalling analysers
//! and with random change patterns: no frame ever leaves with unanalysed secret pixels.
//!
//! The fake analyser "reads" a secret wherever a pure red pixel is (as an AWS key, which the
//! real classifier flags); red pixels therefore stand for secret text, and a released frame with
//! any red pixel left is a leak.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use scrim::classify::{Classifier, ClassifierConfig};
use scrim::error::{Error, ErrorKind, Result};
use scrim::gate::{BandReader, Gate, GateConfig, Mode, Outcome, Pulled, Release};
use scrim::ocr::TextLine;
use scrim::policy::Policy;
use scrim::redact::CpuRedactor;
use scrim::{Frame, Rect};

const RED: [u8; 4] = [255, 0, 0, 255];
const SECRET: &str = "AKIAIOSFODNN7EXAMPLE";

#[derive(Clone, Copy, Debug)]
enum Behaviour {
    Instant,
    Slow(Duration),
    Fails,
    Panics,
    Stalls,
}

struct FakeReader {
    behaviour: Behaviour,
    calls: Arc<AtomicUsize>,
}

impl BandReader for FakeReader {
    fn read(&mut self, frame: &Frame, band: Rect) -> Result<Vec<TextLine>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        match self.behaviour {
            Behaviour::Instant => {}
            Behaviour::Slow(d) => std::thread::sleep(d),
            Behaviour::Fails => return Err(Error::new(ErrorKind::Inference, "model failed")),
            Behaviour::Panics => panic!("analyser bug"),
            Behaviour::Stalls => std::thread::sleep(Duration::from_secs(3600)),
        }
        // one "line" per run of red pixels in a row
        let mut lines = Vec::new();
        for y in band.y..band.bottom() {
            let mut x = band.x;
            while x < band.right() {
                if frame.pixel(x, y) == RED {
                    let start = x;
                    while x < band.right() && frame.pixel(x, y) == RED {
                        x += 1;
                    }
                    lines.push(TextLine {
                        rect: Rect::new(start, y, x - start, 1),
                        text: SECRET.into(),
                        chars: Vec::new(),
                        confidence: 1.0,
                    });
                } else {
                    x += 1;
                }
            }
        }
        Ok(lines)
    }
}

fn gate(mode: Mode, behaviour: Behaviour, max_latency_ms: u64) -> (Gate, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let cfg = GateConfig {
        mode,
        max_latency: Duration::from_millis(max_latency_ms),
        ..GateConfig::default()
    };
    let g = Gate::new(
        cfg,
        Box::new(FakeReader {
            behaviour,
            calls: calls.clone(),
        }),
        Classifier::new(ClassifierConfig::default()),
        Policy::default(),
        Box::new(CpuRedactor),
    );
    (g, calls)
}

fn has_red(f: &Frame) -> bool {
    f.data().chunks_exact(4).any(|p| p == RED)
}

fn paint(f: &mut Frame, r: Rect, c: [u8; 4]) {
    let r = r.intersect(f.bounds());
    let w = f.width();
    for y in r.y..r.bottom() {
        for x in r.x..r.right() {
            let i = ((y * w + x) * 4) as usize;
            f.data_mut()[i..i + 4].copy_from_slice(&c);
        }
    }
}

/// Pushes `frames` at `interval`, pulling as a sink would; returns every release. A frame may
/// be the same `Arc` as the one before it, as a source repeats an unchanged screen.
fn run(g: &mut Gate, frames: Vec<impl Into<Arc<Frame>>>, interval: Duration) -> Vec<Release> {
    let mut out = Vec::new();
    let n = frames.len();
    for f in frames {
        g.push(f, Instant::now());
        let until = Instant::now() + interval;
        loop {
            match g.pull(Instant::now()).unwrap() {
                Pulled::Released(r) => out.push(r),
                Pulled::Held | Pulled::Empty => {
                    if Instant::now() >= until {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
        }
    }
    // drain (a generous deadline: on a loaded machine the worker may wait long for a core)
    let end = Instant::now() + Duration::from_secs(30);
    while out.len() < n && Instant::now() < end {
        match g.pull(Instant::now()).unwrap() {
            Pulled::Released(r) => out.push(r),
            _ => std::thread::sleep(Duration::from_millis(1)),
        }
    }
    assert_eq!(out.len(), n, "every pushed frame comes out");
    out
}

fn scenario() -> Vec<Frame> {
    // a page, then a secret appears, then another, then it scrolls
    let base = Frame::filled(160, 120, [240, 240, 240, 255]).unwrap();
    let mut frames = vec![base.clone(); 3];
    let mut f = base.clone();
    paint(&mut f, Rect::new(20, 30, 40, 2), RED);
    frames.extend(vec![f.clone(); 4]);
    paint(&mut f, Rect::new(90, 80, 30, 3), RED);
    frames.extend(vec![f.clone(); 4]);
    frames
}

#[test]
fn hold_mode_with_a_fast_analyser_releases_clean_frames_without_secrets() {
    let (mut g, _) = gate(Mode::Hold, Behaviour::Instant, 500);
    let out = run(&mut g, scenario(), Duration::from_millis(5));
    for r in &out {
        assert!(!has_red(&r.frame), "frame {} leaked", r.seq);
    }
    // with a fast analyser in hold mode nothing needs covering
    assert!(out.iter().all(|r| r.outcome == Outcome::Clean), "{:?}", g.stats());
    // order is kept
    assert!(out.windows(2).all(|w| w[0].seq < w[1].seq));
}

#[test]
fn slow_analysis_in_cover_mode_covers_and_never_leaks() {
    let (mut g, _) = gate(Mode::Cover, Behaviour::Slow(Duration::from_millis(60)), 0);
    let out = run(&mut g, scenario(), Duration::from_millis(10));
    assert!(out.iter().all(|r| !has_red(&r.frame)));
    assert!(out.iter().any(|r| r.outcome == Outcome::Covered));
}

#[test]
fn slow_analysis_in_hold_mode_is_covered_when_the_budget_runs_out() {
    let (mut g, _) = gate(Mode::Hold, Behaviour::Slow(Duration::from_millis(80)), 20);
    let out = run(&mut g, scenario(), Duration::from_millis(10));
    assert!(out.iter().all(|r| !has_red(&r.frame)));
    // the budget bounds the wait: no release waits for the 80 ms analysis beyond the budget
    // (plus scheduling slack: a loaded machine may not run this thread for a while; latency
    // itself is measured by `scrim bench live`, not asserted here)
    for r in &out {
        assert!(r.released.duration_since(r.captured) < Duration::from_millis(20 + 500));
    }
}

#[test]
fn failing_panicking_and_stalling_analysers_fail_closed() {
    for b in [Behaviour::Fails, Behaviour::Panics, Behaviour::Stalls] {
        let (mut g, calls) = gate(Mode::Hold, b, 15);
        let out = run(&mut g, scenario(), Duration::from_millis(5));
        assert!(out.iter().all(|r| !has_red(&r.frame)));
        // nothing was ever analysed, so every frame was covered where it was new
        assert!(out.iter().all(|r| r.outcome == Outcome::Covered));
        assert!(calls.load(Ordering::SeqCst) >= 1);
        // the worker reports its failure once it gets a core: wait for that, not a fixed time
        let reported = |g: &Gate| match b {
            Behaviour::Panics => g.stats().failed.is_some(),
            Behaviour::Fails => g.stats().analysis_errors >= 1,
            _ => true,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while !reported(&g) && Instant::now() < deadline {
            g.settle(Duration::from_millis(10));
            std::thread::sleep(Duration::from_millis(5));
            let _ = g.pull(Instant::now()); // collects a result that came in meanwhile
        }
        assert!(reported(&g), "{b:?} never reported: {:?}", g.stats());
        // stalled: the gate must not block shutdown on the stuck analyser
        std::mem::forget(g);
    }
}

#[derive(Debug, Clone)]
enum Change {
    Paint { x: u32, y: u32, w: u32, h: u32, red: bool },
    Scroll(i32),
    Same,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (0u32..150, 0u32..110, 1u32..40, 1u32..12, any::<bool>()).prop_map(|(x, y, w, h, red)| Change::Paint {
            x,
            y,
            w,
            h,
            red
        }),
        (-40i32..40).prop_map(Change::Scroll),
        Just(Change::Same),
    ]
}

fn apply(prev: &Frame, c: &Change, salt: u8) -> Frame {
    let mut f = prev.clone();
    match *c {
        Change::Paint { x, y, w, h, red } => {
            let colour = if red { RED } else { [salt, 100, 200, 255] };
            paint(&mut f, Rect::new(x, y, w, h), colour);
        }
        Change::Scroll(dy) => {
            let (w, h) = (f.width() as i64, f.height() as i64);
            for y in 0..h {
                let s = y - dy as i64;
                for x in 0..w {
                    let px = if (0..h).contains(&s) {
                        prev.pixel(x as u32, s as u32)
                    } else {
                        [240, 240, 240, 255]
                    };
                    let i = ((y * w + x) * 4) as usize;
                    f.data_mut()[i..i + 4].copy_from_slice(&px);
                }
            }
        }
        Change::Same => {}
    }
    f
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Whatever changes, in whatever order, with whatever analysis speed and mode: no released
    /// frame has a red (secret) pixel.
    #[test]
    fn no_release_ever_shows_an_unanalysed_secret(
        changes in proptest::collection::vec(change(), 1..14),
        slow_ms in 0u64..40,
        hold in any::<bool>(),
        budget_ms in 0u64..30,
    ) {
        let mode = if hold { Mode::Hold } else { Mode::Cover };
        let behaviour = if slow_ms < 5 { Behaviour::Instant } else { Behaviour::Slow(Duration::from_millis(slow_ms)) };
        let (mut g, _) = gate(mode, behaviour, budget_ms);
        let mut frames: Vec<Arc<Frame>> = Vec::new();
        let mut f = Frame::filled(160, 120, [240, 240, 240, 255]).unwrap();
        for (i, c) in changes.iter().enumerate() {
            match (c, frames.last()) {
                // an unchanged screen: the source hands over the same picture again
                (Change::Same, Some(last)) => frames.push(last.clone()),
                _ => {
                    f = apply(&f, c, i as u8);
                    frames.push(Arc::new(f.clone()));
                }
            }
        }
        let out = run(&mut g, frames, Duration::from_millis(3));
        for r in &out {
            prop_assert!(!has_red(&r.frame), "frame {} leaked ({:?})", r.seq, r.outcome);
        }
    }
}
