//! What a person or a program checks after a run: a JSON report (boxes and categories, never
//! the text) and a preview picture with each redaction outlined and labelled.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::analyze::StageTimes;
use crate::classify::Category;
use crate::font;
use crate::frame::{Frame, Rect};
use crate::region::Region;

#[derive(Debug, Clone, Serialize)]
pub struct ImageReport {
    pub input: PathBuf,
    pub output: PathBuf,
    pub width: u32,
    pub height: u32,
    /// Which redactor ran ("cpu", or the GPU adapter).
    pub backend: String,
    pub timings_ms: BTreeMap<&'static str, f64>,
    pub counts: BTreeMap<Category, usize>,
    pub regions: Vec<Region>,
}

impl ImageReport {
    pub fn new(
        input: PathBuf,
        output: PathBuf,
        frame: &Frame,
        backend: String,
        regions: Vec<Region>,
        times: &StageTimes,
        redact_ms: f64,
    ) -> Self {
        let mut counts = BTreeMap::new();
        for r in &regions {
            *counts.entry(r.category).or_insert(0) += 1;
        }
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
        let timings_ms = BTreeMap::from([
            ("detect", ms(times.detect)),
            ("recognize", ms(times.recognize)),
            ("classify", ms(times.classify)),
            ("redact", redact_ms),
        ]);
        ImageReport {
            input,
            output,
            width: frame.width(),
            height: frame.height(),
            backend,
            timings_ms,
            counts,
            regions,
        }
    }
}

/// The report file: one entry per image.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub scrim_version: &'static str,
    pub images: Vec<ImageReport>,
}

/// Outline colour per category, distinct enough to tell apart at a glance.
pub fn category_colour(c: Category) -> [u8; 3] {
    match c {
        Category::AddressBar => [230, 25, 75],
        Category::Url => [245, 130, 48],
        Category::Hostname => [255, 190, 0],
        Category::Email => [60, 180, 75],
        Category::Ip => [70, 240, 240],
        Category::Secret => [220, 0, 220],
        Category::Phone => [0, 130, 200],
        Category::Ssn => [145, 30, 180],
        Category::Card => [128, 0, 0],
        Category::Iban => [170, 110, 40],
        Category::Name => [0, 128, 128],
        Category::Custom => [128, 128, 0],
        Category::Face => [255, 105, 180],
        Category::Whiteboard => [100, 149, 237],
    }
}

/// The redacted frame with every region outlined in its category's colour and labelled.
pub fn preview(redacted: &Frame, regions: &[Region]) -> Frame {
    let mut out = redacted.clone();
    let (w, h) = (out.width(), out.height());
    let put = |f: &mut Frame, x: u32, y: u32, c: [u8; 3]| {
        if x < w && y < h {
            let i = ((y * w + x) * 4) as usize;
            f.data_mut()[i..i + 4].copy_from_slice(&[c[0], c[1], c[2], 255]);
        }
    };
    for r in regions {
        let c = category_colour(r.category);
        let b = r.rect.pad(2, 2, out.bounds());
        for t in 0..2 {
            for x in b.x..b.right() {
                put(&mut out, x, b.y + t, c);
                put(&mut out, x, b.bottom().saturating_sub(1 + t), c);
            }
            for y in b.y..b.bottom() {
                put(&mut out, b.x + t, y, c);
                put(&mut out, b.right().saturating_sub(1 + t), y, c);
            }
        }
    }
    // labels last, so outlines never cross them
    for r in regions {
        let c = category_colour(r.category);
        let label = r.category.as_str();
        let (lw, lh) = (font::text_width(label, 1) + 4, 11);
        let b = r.rect.pad(2, 2, out.bounds());
        let ly = if b.y >= lh {
            b.y - lh
        } else {
            b.bottom().min(h.saturating_sub(lh))
        };
        let bg = Rect::new(b.x, ly, lw, lh).intersect(out.bounds());
        for y in bg.y..bg.bottom() {
            for x in bg.x..bg.right() {
                put(&mut out, x, y, c);
            }
        }
        font::draw_text(label, b.x + 2, ly + 2, 1, |x, y| put(&mut out, x, y, [255, 255, 255]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::Detector;

    #[test]
    fn preview_outlines_in_category_colour_and_report_has_no_text() {
        let f = Frame::filled(200, 100, [255; 4]).unwrap();
        let region = Region {
            rect: Rect::new(50, 40, 60, 20),
            category: Category::Email,
            detector: Detector::Text,
            rule: "email".into(),
            confidence: 0.9,
        };
        let p = preview(&f, std::slice::from_ref(&region));
        let c = category_colour(Category::Email);
        assert_eq!(p.pixel(48, 50), [c[0], c[1], c[2], 255]);
        let rep = ImageReport::new(
            "in.png".into(),
            "out.png".into(),
            &f,
            "cpu".into(),
            vec![region],
            &StageTimes::default(),
            0.1,
        );
        let json = serde_json::to_string(&rep).unwrap();
        assert!(
            json.contains("\"category\":\"email\"") && json.contains("\"box\""),
            "{json}"
        );
    }
}
