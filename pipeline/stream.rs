//! Analysis of a stream of frames with temporal reuse, for when there is no deadline (recordings):
//! every changed part of a frame is analysed before the frame is redacted, so nothing needs
//! covering. The live gate does the same work asynchronously.

use std::time::{Duration, Instant};

use crate::addressbar::BarMemory;
use crate::analyze::{self, Analyzer, StageTimes};
use crate::error::{Error, ErrorKind, Result};
use crate::frame::{Frame, Rect};
use crate::region::Region;
use crate::temporal::{Scene, Scroll};

/// How much of a frame had to be analysed, and what it cost.
#[derive(Debug, Clone, Default)]
pub struct FrameWork {
    /// Bands read by OCR (empty: the frame matched what was already analysed).
    pub bands: Vec<Rect>,
    pub scroll: Option<Scroll>,
    /// Pixels read by OCR.
    pub analysed_pixels: u64,
    pub times: StageTimes,
    /// Comparing with the analysed scene, following scrolls.
    pub compare: Duration,
}

pub struct StreamAnalyzer {
    analyzer: Analyzer,
    scene: Option<Scene>,
    regions: Vec<Region>,
    /// Address bars seen in this stream's frames (reset with the scene).
    bars: BarMemory,
    tolerance: u8,
    exhaustive: bool,
}

impl StreamAnalyzer {
    /// `tolerance`: largest per-channel difference treated as "unchanged" (0 for lossless
    /// capture; a little more for decoded video, whose static parts flicker by a few levels).
    pub fn new(analyzer: Analyzer, tolerance: u8) -> Self {
        StreamAnalyzer {
            analyzer,
            scene: None,
            regions: Vec::new(),
            bars: BarMemory::new(tolerance),
            tolerance,
            exhaustive: false,
        }
    }

    /// Analyse every frame in full (no reuse): the reference the reuse is measured against.
    pub fn exhaustive(mut self, on: bool) -> Self {
        self.exhaustive = on;
        self
    }

    /// Brings the analysis up to date with `frame` and returns the regions to redact in it.
    /// On error nothing is returned for this frame: the caller must not emit it (fail closed).
    pub fn analyse(&mut self, frame: &Frame) -> Result<(&[Region], FrameWork)> {
        let t0 = Instant::now();
        let scene = match &mut self.scene {
            Some(s) if s.fits(frame) && !self.exhaustive => s,
            _ => {
                if !self.scene.as_ref().is_some_and(|s| s.fits(frame)) {
                    self.bars = BarMemory::new(self.tolerance);
                }
                self.scene
                    .insert(Scene::new(frame.width(), frame.height(), self.tolerance))
            }
        };
        let mut work = FrameWork::default();
        let mut changes = scene.changes(frame);
        if changes.is_clean() {
            work.compare = t0.elapsed();
            return Ok((&self.regions, work));
        }
        if let Some(scroll) = scene.follow_scroll(frame, &changes) {
            work.scroll = Some(scroll);
            changes = scene.changes(frame);
        }
        work.bands = scene.bands(&changes);
        work.compare = t0.elapsed();
        for &band in &work.bands {
            let (lines, t) = self.analyzer.read_band(frame, band)?;
            work.times.detect += t.detect;
            work.times.recognize += t.recognize;
            work.analysed_pixels += band.area();
            scene.commit(frame, band, lines);
        }
        let t = Instant::now();
        self.regions = analyze::regions_for(
            self.analyzer.classifier(),
            scene.analysed(),
            scene.lines(),
            &mut self.bars,
        );
        work.times.classify = t.elapsed();
        // The promise, checked rather than assumed: after the bands are committed the frame
        // must match the analysed scene everywhere.
        if !scene.changes(frame).is_clean() {
            return Err(Error::new(
                ErrorKind::Inference,
                "internal: a changed part of the frame was left unanalysed; refusing to emit it",
            ));
        }
        Ok((&self.regions, work))
    }
}
