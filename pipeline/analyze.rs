//! Still-frame analysis: OCR the frame, classify every line, map findings to boxes, add the
//! address bar and layout-marked names. The live pipeline reuses this per changed region.

use std::time::{Duration, Instant};

use crate::addressbar;
use crate::classify::{looks_like_person_name, Category, Classifier};
use crate::error::Result;
use crate::frame::{Frame, Rect};
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

/// Labels that mark the value beside or below them as a person's name.
const NAME_LABELS: &[&str] = &[
    "name",
    "full name",
    "employee",
    "employee name",
    "cardholder",
    "card holder",
    "cardholder name",
    "customer",
    "customer name",
    "account holder",
    "patient",
    "patient name",
    "holder",
    "contact",
    "contact name",
    "owner",
    "assignee",
    "reporter",
    "legal name",
];

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

    /// Findings of the classifier plus geometry-based detectors, as padded boxes.
    pub fn regions_for(&self, frame: &Frame, lines: &[TextLine]) -> Vec<Region> {
        regions_for(&self.classifier, frame, lines)
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

/// Findings of the classifier plus geometry-based detectors, as padded boxes.
pub fn regions_for(classifier: &Classifier, frame: &Frame, lines: &[TextLine]) -> Vec<Region> {
    let bounds = frame.bounds();
    let mut regions = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        for f in classifier.classify(&line.text) {
            let rect = pad_text_box(line.span_rect(f.start, f.end), line.rect.h, bounds);
            let rect = keep_clear_of_neighbours(rect, i, lines);
            regions.push(Region {
                rect,
                category: f.category,
                detector: Detector::Text,
                rule: f.rule,
                confidence: line.confidence,
            });
        }
    }
    if classifier.config().enabled.contains(&Category::Name) {
        for (rect, conf) in labelled_names(lines) {
            let rect = pad_text_box(rect, rect.h, bounds);
            regions.push(Region {
                rect,
                category: Category::Name,
                detector: Detector::Layout,
                rule: "name-column".into(),
                confidence: conf,
            });
        }
    }
    if classifier.config().enabled.contains(&Category::AddressBar) {
        for rect in addressbar::find_address_bars(frame, lines) {
            regions.push(Region {
                rect,
                category: Category::AddressBar,
                detector: Detector::AddressBar,
                rule: "omnibox".into(),
                confidence: 1.0,
            });
        }
    }
    regions
}

/// Padding so no glyph edge survives: character positions from CTC are good to about half a
/// character, and anti-aliasing bleeds a pixel or two past the detector's box.
fn pad_text_box(r: Rect, line_h: u32, bounds: Rect) -> Rect {
    let dx = (line_h as f32 * 0.45).ceil() as u32 + 2;
    // Vertically the detector's unclipped box already clears the glyphs; more would cut into
    // the neighbouring lines of tightly set terminals.
    let dy = (line_h as f32 * 0.06).ceil() as u32;
    r.pad(dx, dy, bounds)
}

/// Detector boxes of tightly set lines (terminals) overlap by a few pixels. A redaction box of
/// line `i` stops at the midpoint of any such overlap, so it covers its own glyphs (which sit in
/// the middle of the box) without cutting the neighbour's descenders or ascenders.
fn keep_clear_of_neighbours(mut rect: Rect, i: usize, lines: &[TextLine]) -> Rect {
    let own = lines[i].rect;
    for (j, other) in lines.iter().enumerate() {
        let o = other.rect;
        if j == i || o.right() <= rect.x || o.x >= rect.right() {
            continue;
        }
        let overlap = own.bottom().min(o.bottom()).saturating_sub(own.y.max(o.y));
        // a big overlap is the same row (another segment of it), not a neighbour
        if overlap == 0 || overlap * 10 > own.h.min(o.h) * 4 {
            continue;
        }
        if o.center_y() < own.center_y() {
            let limit = (own.y + o.bottom()) / 2;
            if rect.y < limit {
                let bottom = rect.bottom();
                rect = Rect::new(rect.x, limit.min(bottom), rect.w, bottom - limit.min(bottom));
            }
        } else {
            let limit = (own.bottom() + o.y).div_ceil(2);
            if rect.bottom() > limit {
                rect.h = limit.saturating_sub(rect.y);
            }
        }
    }
    rect
}

fn normalise_label(s: &str) -> String {
    s.trim().trim_end_matches([':', '*']).trim().to_lowercase()
}

/// Names marked by layout: the value right of a "Full name" label, and the cells below a
/// "Cardholder" column header.
fn labelled_names(lines: &[TextLine]) -> Vec<(Rect, f32)> {
    let mut out = Vec::new();
    for label in lines
        .iter()
        .filter(|l| NAME_LABELS.contains(&normalise_label(&l.text).as_str()))
    {
        let lr = label.rect;
        let v_overlap = |r: Rect| {
            let top = r.y.max(lr.y);
            let bottom = r.bottom().min(lr.bottom());
            bottom.saturating_sub(top) as f32 >= 0.5 * r.h.min(lr.h) as f32
        };
        // the value on the same row: the nearest line to the right
        if let Some(v) = lines
            .iter()
            .filter(|l| l.rect.x >= lr.right() && v_overlap(l.rect))
            .min_by_key(|l| l.rect.x - lr.right())
        {
            if looks_like_person_name(&v.text) {
                out.push((v.rect, v.confidence));
            }
        }
        // the column below: left-aligned with the header, within ~30 rows
        let tol = lr.h.max(12);
        for l in lines.iter().filter(|l| {
            l.rect.y >= lr.bottom() && l.rect.y <= lr.bottom() + 30 * lr.h.max(10) && l.rect.x.abs_diff(lr.x) <= tol
        }) {
            if looks_like_person_name(&l.text) {
                out.push((l.rect, l.confidence));
            }
        }
    }
    // a cell can sit below two labels (a form above a table)
    out.sort_by_key(|&(r, _)| (r.y, r.x, r.w, r.h));
    out.dedup_by_key(|&mut (r, _)| r);
    out
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
        let names: Vec<Rect> = a
            .regions
            .iter()
            .filter(|r| r.category == Category::Name)
            .map(|r| r.rect)
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
        assert!(names.iter().all(|r| r.y < 290));
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
        let ip: Vec<Rect> = a
            .regions
            .iter()
            .filter(|r| r.category == Category::Ip)
            .map(|r| r.rect)
            .collect();
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
