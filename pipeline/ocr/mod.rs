//! OCR: find text lines (detection), read them (recognition), and know where each character is.
//!
//! Both stages sit behind small traits so the analysis can be tested with fakes in
//! milliseconds; [`DbDetector`] and [`CtcRecognizer`] run the real PP-OCRv6 models through ONNX
//! Runtime.

mod detect;
mod parts;
mod recognize;

pub use detect::{db_boxes, DbDetector, DbParams, DEFAULT_DET_MAX_SIDE};
pub use parts::{content_parts, Part};
pub use recognize::{ctc_decode, CtcRecognizer, Decoded};

use crate::error::Result;
use crate::frame::{Frame, Rect};

/// A region the detector believes holds one line (or one run) of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextBox {
    pub rect: Rect,
    /// Mean text probability inside the region, 0..1.
    pub score: f32,
}

/// Finds text regions in a frame.
pub trait TextDetector: Send {
    fn detect(&mut self, frame: &Frame) -> Result<Vec<TextBox>>;
}

/// Reads the text in given regions of a frame, one [`TextLine`] per box (same order).
pub trait TextRecognizer: Send {
    fn recognize(&mut self, frame: &Frame, boxes: &[TextBox]) -> Result<Vec<TextLine>>;

    /// Forgets lines remembered from earlier frames, so the next call reads every box (for
    /// measuring the recogniser itself).
    fn forget(&mut self) {}
}

/// A recognised line with the horizontal extent of every character, so that a substring
/// (an e-mail inside "E-mail: a@b.example") maps to its own sub-box.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    pub rect: Rect,
    pub text: String,
    /// Per character (not byte) of `text`: `[x0, x1)` in frame pixels.
    pub chars: Vec<(f32, f32)>,
    /// Mean probability of the emitted characters, 0..1.
    pub confidence: f32,
}

impl TextLine {
    /// The box covering characters `start..end` (character indices) of this line.
    /// Out-of-range or empty spans give the whole line, so a bad index never under-redacts.
    pub fn span_rect(&self, start: usize, end: usize) -> Rect {
        if start >= end || end > self.chars.len() {
            return self.rect;
        }
        let x0 = self.chars[start].0;
        let x1 = self.chars[end - 1].1;
        let x0 = x0.max(self.rect.x as f32);
        let x1 = x1.min(self.rect.right() as f32);
        if x1 <= x0 {
            return self.rect;
        }
        Rect::from_corners_f(x0, self.rect.y as f32, x1, self.rect.bottom() as f32, self.rect)
    }
}

/// Detection followed by recognition.
pub struct Ocr {
    pub detector: Box<dyn TextDetector>,
    pub recognizer: Box<dyn TextRecognizer>,
}

impl Ocr {
    pub fn read(&mut self, frame: &Frame) -> Result<Vec<TextLine>> {
        let boxes = self.detector.detect(frame)?;
        self.recognizer.recognize(frame, &boxes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_rect_maps_characters() {
        let line = TextLine {
            rect: Rect::new(100, 10, 60, 20),
            text: "ab cd".into(),
            chars: vec![
                (100.0, 110.0),
                (110.0, 120.0),
                (120.0, 130.0),
                (130.0, 140.0),
                (140.0, 160.0),
            ],
            confidence: 0.9,
        };
        assert_eq!(line.span_rect(3, 5), Rect::new(130, 10, 30, 20));
        assert_eq!(line.span_rect(0, 1), Rect::new(100, 10, 10, 20));
        // invalid spans fall back to the whole line
        assert_eq!(line.span_rect(4, 9), line.rect);
        assert_eq!(line.span_rect(2, 2), line.rect);
    }
}
