//! Still-frame analysis: OCR the frame, classify every line, map findings to boxes, add the
//! address bar and layout-marked names. The live pipeline reuses this per changed region.

mod cover;

use std::time::{Duration, Instant};

use crate::addressbar::BarMemory;
use crate::classify::{Category, Classifier, Finding};
use crate::error::Result;
use crate::frame::{Frame, Rect};
use crate::layout;
use crate::models::ModelDir;
use crate::ocr::{CtcRecognizer, DbDetector, Ocr, TextLine};
use crate::policy::Policy;
use crate::region::{Detector, Region};

/// Time spent per stage on one frame.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct StageTimes {
    pub detect: Duration,
    pub recognize: Duration,
    pub classify: Duration,
}

/// The outcome of analysing a frame. `lines` stays in memory only: it holds the very text
/// scrim redacts and is never written to a report or log.
pub struct Analysis {
    pub regions: Vec<Region>,
    pub lines: Vec<TextLine>,
    pub times: StageTimes,
}

pub struct Analyzer {
    ocr: Ocr,
    classifier: Classifier,
}

impl Analyzer {
    pub fn new(ocr: Ocr, classifier: Classifier) -> Self {
        Analyzer { ocr, classifier }
    }

    /// The real OCR models from `models`, configured by the policy.
    pub fn from_models(models: &ModelDir, policy: &Policy, threads: usize) -> Result<Self> {
        let ocr = Ocr {
            detector: Box::new(DbDetector::new(models, threads)?.with_max_side(policy.ocr.detection_max_side)),
            recognizer: Box::new(CtcRecognizer::new(models, threads)?),
        };
        Ok(Analyzer::new(ocr, Classifier::new(policy.classifier.clone())))
    }

    /// Forgets the lines the recogniser remembers (see [`crate::ocr::TextRecognizer::forget`]).
    pub fn forget_lines(&mut self) {
        self.ocr.recognizer.forget();
    }

    pub fn classifier(&self) -> &Classifier {
        &self.classifier
    }

    pub fn analyze(&mut self, frame: &Frame) -> Result<Analysis> {
        let t0 = Instant::now();
        let boxes = self.ocr.detector.detect(frame)?;
        let t1 = Instant::now();
        let lines = self.ocr.recognizer.recognize(frame, &boxes)?;
        let t2 = Instant::now();
        let regions = self.regions_for(frame, &lines);
        let times = StageTimes {
            detect: t1 - t0,
            recognize: t2 - t1,
            classify: t2.elapsed(),
        };
        Ok(Analysis { regions, lines, times })
    }

    /// Reads the text lines inside `band` of `frame` (OCR on that crop only), in frame
    /// coordinates. The temporal pipeline calls this for the parts of a frame that changed.
    pub fn read_band(&mut self, frame: &Frame, band: Rect) -> Result<(Vec<TextLine>, StageTimes)> {
        read_band(&mut self.ocr, frame, band)
    }

    /// Findings of the classifier plus geometry-based detectors, as padded boxes (a still
    /// frame: nothing remembered from other frames).
    pub fn regions_for(&self, frame: &Frame, lines: &[TextLine]) -> Vec<Region> {
        regions_for(&self.classifier, frame, lines, &mut BarMemory::new(0))
    }

    pub fn into_parts(self) -> (Ocr, Classifier) {
        (self.ocr, self.classifier)
    }
}

/// OCR of one band of a frame; lines come back in frame coordinates.
pub fn read_band(ocr: &mut Ocr, frame: &Frame, band: Rect) -> Result<(Vec<TextLine>, StageTimes)> {
    let band = band.intersect(frame.bounds());
    let whole = band == frame.bounds();
    let crop;
    let view = if whole {
        frame
    } else {
        crop = frame.crop(band)?;
        &crop
    };
    let t0 = Instant::now();
    let boxes = ocr.detector.detect(view)?;
    let t1 = Instant::now();
    let mut lines = ocr.recognizer.recognize(view, &boxes)?;
    let t2 = Instant::now();
    for l in &mut lines {
        l.rect.x += band.x;
        l.rect.y += band.y;
        for c in &mut l.chars {
            c.0 += band.x as f32;
            c.1 += band.x as f32;
        }
    }
    Ok((
        lines,
        StageTimes {
            detect: t1 - t0,
            recognize: t2 - t1,
            classify: Duration::ZERO,
        },
    ))
}

/// Findings of the classifier plus geometry-based detectors, as padded boxes. `bars` carries
/// the address bars of earlier frames of the same stream (a fresh one for a still).
pub fn regions_for(classifier: &Classifier, frame: &Frame, lines: &[TextLine], bars: &mut BarMemory) -> Vec<Region> {
    let cfg = classifier.config();
    let mut findings: Vec<Vec<Finding>> = lines.iter().map(|l| classifier.classify(&l.text)).collect();
    // small type the detector boxed word by word ("458" "555" "-0127"): read each phrase whole
    if let Some(p) = layout::phrases::join(lines, &findings) {
        let whole: Vec<(usize, Finding)> = p
            .joined_uncovered()
            .flat_map(|k| classifier.classify(&p.lines[k].text).into_iter().map(move |f| (k, f)))
            .collect();
        for (i, f) in p.back(whole) {
            if !findings[i]
                .iter()
                .any(|g| g.start == f.start && g.end == f.end && g.category == f.category)
            {
                findings[i].push(f);
            }
        }
    }
    // a token a terminal wrapped at its right edge: read the two halves as one
    for w in layout::wraps::wraps(lines, &findings) {
        for (i, f) in w.back(&classifier.classify(&w.text)) {
            findings[i].push(f);
        }
    }
    let names = cfg.enabled.contains(&Category::Name).then_some(cfg.names);
    let context = layout::context_findings(lines, &findings, &cfg.enabled, names);
    let mut spans: Vec<(usize, Finding, Detector)> = Vec::new();
    for (i, fs) in findings.into_iter().enumerate() {
        spans.extend(fs.into_iter().map(|f| (i, f, Detector::Text)));
    }
    spans.extend(context.into_iter().map(|(i, f)| (i, f, Detector::Layout)));
    // one region per span and category, whoever found it first
    let mut seen = std::collections::HashSet::new();
    let mut regions = Vec::new();
    for (i, f, detector) in spans {
        if !seen.insert((i, f.start, f.end, f.category)) {
            continue;
        }
        let line = &lines[i];
        let rect = cover::span_cover(frame, lines, i, f.start, f.end);
        regions.push(Region {
            rect,
            category: f.category,
            detector,
            rule: f.rule,
            confidence: line.confidence,
        });
    }
    if cfg.enabled.contains(&Category::AddressBar) {
        for (rect, part) in bars.parts(frame, lines) {
            regions.push(Region {
                rect,
                category: Category::AddressBar,
                detector: Detector::AddressBar,
                rule: part.rule().into(),
                confidence: 1.0,
            });
        }
    }
    regions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::ClassifierConfig;
    use crate::error::Error;
    use crate::ocr::{TextBox, TextDetector, TextRecognizer};

    /// Fake OCR: the detector returns the scripted boxes, the recogniser their scripted text
    /// with evenly spaced characters.
    struct Script(Vec<(Rect, &'static str)>);
    impl TextDetector for Script {
        fn detect(&mut self, _: &Frame) -> Result<Vec<TextBox>> {
            Ok(self.0.iter().map(|&(rect, _)| TextBox { rect, score: 1.0 }).collect())
        }
    }
    impl TextRecognizer for Script {
        fn recognize(&mut self, _: &Frame, boxes: &[TextBox]) -> Result<Vec<TextLine>> {
            Ok(boxes
                .iter()
                .zip(&self.0)
                .map(|(b, &(_, text))| {
                    let n = text.chars().count().max(1) as f32;
                    let cw = b.rect.w as f32 / n;
                    let chars = (0..text.chars().count())
                        .map(|i| (b.rect.x as f32 + i as f32 * cw, b.rect.x as f32 + (i + 1) as f32 * cw))
                        .collect();
                    TextLine {
                        rect: b.rect,
                        text: text.into(),
                        chars,
                        confidence: 0.9,
                    }
                })
                .collect())
        }
    }
    struct Failing;
    impl TextDetector for Failing {
        fn detect(&mut self, _: &Frame) -> Result<Vec<TextBox>> {
            Err(Error::inference("boom"))
        }
    }

    /// The boxes of one category.
    fn rects(a: &Analysis, category: Category) -> Vec<Rect> {
        a.regions
            .iter()
            .filter(|r| r.category == category)
            .map(|r| r.rect)
            .collect()
    }

    fn analyzer(script: Vec<(Rect, &'static str)>) -> Analyzer {
        let ocr = Ocr {
            detector: Box::new(Script(script.clone())),
            recognizer: Box::new(Script(script)),
        };
        Analyzer::new(ocr, Classifier::new(ClassifierConfig::default()))
    }

    #[test]
    fn substring_gets_its_own_box_and_label_stays() {
        // 40 chars at 10 px each
        let text = "Work e-mail: olga.whitfield@corp.example";
        let frame = Frame::filled(600, 200, [255; 4]).unwrap();
        let a = analyzer(vec![(Rect::new(100, 150, 400, 20), text)])
            .analyze(&frame)
            .unwrap();
        let email: Vec<_> = a.regions.iter().filter(|r| r.category == Category::Email).collect();
        assert_eq!(email.len(), 1);
        let r = email[0].rect;
        // the e-mail starts at char 13 (x = 230); its box must not reach back into "Work e-mail"
        assert!(r.x > 200 && r.x <= 230, "{r:?}");
        assert!(r.right() >= 500, "{r:?}");
    }

    #[test]
    fn names_by_label_and_column() {
        let frame = Frame::filled(800, 400, [255; 4]).unwrap();
        let a = analyzer(vec![
            (Rect::new(50, 100, 80, 16), "Full name"),
            (Rect::new(200, 100, 120, 16), "Olga Whitfield"),
            (Rect::new(50, 200, 90, 16), "Cardholder"),
            (Rect::new(52, 230, 120, 16), "Priya Brennan"),
            (Rect::new(52, 260, 120, 16), "Tomasz Tanaka"),
            (
                Rect::new(10, 300, 300, 16),
                "Totals are recalculated when the sheet is opened.",
            ),
        ])
        .analyze(&frame)
        .unwrap();
        let names = rects(&a, Category::Name);
        assert_eq!(names.len(), 3, "{names:?}");
        assert!(names.iter().all(|r| r.y < 290));
    }

    #[test]
    fn a_phone_number_boxed_word_by_word_is_read_whole() {
        // small type: the detector boxed "458 555-0127" as three words
        let frame = Frame::filled(800, 100, [255; 4]).unwrap();
        let a = analyzer(vec![
            (Rect::new(100, 40, 52, 20), "Alejandra"),
            (Rect::new(300, 40, 26, 20), "458"),
            (Rect::new(330, 40, 26, 20), "555"),
            (Rect::new(357, 40, 46, 20), "-0127"),
        ])
        .analyze(&frame)
        .unwrap();
        let phone = rects(&a, Category::Phone);
        assert_eq!(phone.len(), 3, "{phone:?}");
        assert!(phone.iter().all(|r| r.x >= 280), "{phone:?}");
    }

    #[test]
    fn boxes_stop_halfway_into_overlapping_neighbours() {
        let frame = Frame::filled(600, 200, [255; 4]).unwrap();
        let a = analyzer(vec![
            (Rect::new(0, 100, 300, 30), "ops@jump:~$ ip -brief addr"),
            (Rect::new(0, 124, 300, 30), "lo UNKNOWN 10.1.2.3"),
            (Rect::new(0, 148, 300, 30), "ops@jump:~$ uptime"),
        ])
        .analyze(&frame)
        .unwrap();
        let ip = rects(&a, Category::Ip);
        assert_eq!(ip.len(), 1);
        // own box 124..154; neighbours end at 130 and start at 148
        assert_eq!((ip[0].y, ip[0].bottom()), (127, 151), "{ip:?}");
    }

    #[test]
    fn detector_failure_is_an_error_not_an_empty_result() {
        let ocr = Ocr {
            detector: Box::new(Failing),
            recognizer: Box::new(Script(vec![])),
        };
        let mut a = Analyzer::new(ocr, Classifier::new(ClassifierConfig::default()));
        let frame = Frame::filled(10, 10, [0; 4]).unwrap();
        assert!(a.analyze(&frame).is_err());
    }
}
