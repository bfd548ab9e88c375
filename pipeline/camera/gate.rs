//! The camera's gate: every pixel of a camera frame changes (sensor noise), so there is nothing
//! to reuse and every frame is analysed before it is released, synchronously in `push`. When
//! the analysis fails the frame goes out fully covered and the failure is counted and shown: a
//! camera frame never leaves unanalysed.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Instant;

use super::CameraFilter;
use crate::error::Result;
use crate::frame::Frame;
use crate::gate::{FrameGate, GateStats, Outcome, Pulled, Release, COVER};
use crate::redact::{Redaction, Redactor};

pub struct CameraGate {
    filter: CameraFilter,
    redactor: Box<dyn Redactor>,
    ready: VecDeque<Release>,
    stats: GateStats,
    seq: u64,
}

impl CameraGate {
    pub fn new(filter: CameraFilter, redactor: Box<dyn Redactor>) -> Self {
        CameraGate {
            filter,
            redactor,
            ready: VecDeque::new(),
            stats: GateStats::default(),
            seq: 0,
        }
    }
}

impl FrameGate for CameraGate {
    fn push(&mut self, frame: Arc<Frame>, captured: Instant) {
        self.stats.pushed += 1;
        self.seq += 1;
        // a camera source hands over each frame once: no copy here
        let mut out = Arc::unwrap_or_clone(frame);
        // a panicking model must not take the stream down with it: the frame is covered instead
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.filter.process(&mut out, self.redactor.as_mut())
        }));
        self.stats.analyses += 1;
        let (outcome, covered, regions) = match result {
            Ok(Ok(regions)) => {
                self.stats.released_clean += 1;
                self.stats.failed = None;
                (Outcome::Clean, Vec::new(), regions)
            }
            failure => {
                let why = match failure {
                    Ok(Err(e)) => e.to_string(),
                    _ => "the camera analysis panicked".to_string(),
                };
                self.stats.analysis_errors += 1;
                self.stats.released_covered += 1;
                self.stats.failed = Some(why);
                // the frame may be half processed: cover all of it
                let all = out.bounds();
                let cover = [Redaction {
                    rect: all,
                    style: COVER,
                }];
                if self.redactor.apply(&mut out, &cover).is_err() {
                    out = Frame::filled(out.width(), out.height(), [96, 96, 104, 255]).expect("same size");
                }
                // tracks and smoothing may hold anything now: start afresh
                self.filter.reset();
                (Outcome::Covered, vec![all], Vec::new())
            }
        };
        self.ready.push_back(Release {
            seq: self.seq,
            frame: Arc::new(out),
            captured,
            released: Instant::now(),
            outcome,
            held: false,
            covered,
            regions,
        });
    }

    fn pull(&mut self, _now: Instant) -> Result<Pulled> {
        Ok(match self.ready.pop_front() {
            Some(r) => Pulled::Released(r),
            None => Pulled::Empty,
        })
    }

    fn queued(&self) -> usize {
        self.ready.len()
    }

    fn stats(&self) -> &GateStats {
        &self.stats
    }

    fn backend(&self) -> String {
        self.redactor.backend()
    }
}
