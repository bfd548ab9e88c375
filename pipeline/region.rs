//! What the analysis found: a box, why, and by whom. Never the text itself.

use serde::Serialize;

use crate::classify::Category;
use crate::frame::Rect;

/// Which detector produced a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Detector {
    /// OCR line + the text classifier.
    Text,
    /// Browser omnibox geometry.
    AddressBar,
    /// Table/form layout (a "Name" label or column header).
    Layout,
    /// The face detector (and its tracks).
    Face,
    /// Text-like areas and marked bright boards in a camera frame.
    Whiteboard,
}

/// A part of the frame to redact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Region {
    #[serde(rename = "box")]
    pub rect: Rect,
    pub category: Category,
    pub detector: Detector,
    pub rule: String,
    /// Recogniser confidence of the line it came from (address bars: detector score), 0..1.
    pub confidence: f32,
}
