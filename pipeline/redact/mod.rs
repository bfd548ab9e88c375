//! Redaction styles and the [`Redactor`] seam. [`CpuRedactor`] is the reference implementation;
//! the GPU path implements the same trait and must give the same picture.

mod backend;
mod cpu;
mod gpu;

pub use backend::{adapters, select, AdapterSummary, BackendChoice};
pub use cpu::CpuRedactor;
pub use gpu::GpuRedactor;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::frame::{Frame, Rect};

/// How a region is made unreadable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "style", rename_all = "kebab-case")]
pub enum Style {
    /// Irreversible: every pixel replaced by one colour.
    Solid { color: [u8; 3] },
    /// Irreversible when blocks are at least a glyph high: each block becomes its mean colour.
    Mosaic { block: u32 },
    /// Box blur approximating a Gaussian (three passes). For backgrounds, not for text:
    /// a light blur of text can be reversed.
    Blur { radius: u32 },
}

/// The names used on the command line and in the policy file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum StyleName {
    Solid,
    Mosaic,
    Blur,
}

/// How a blur of `radius` over `rect` is computed, identically on CPU and GPU: the region is
/// box-averaged down by `scale`, blurred by three box passes of `low_radius` at that size, then
/// scaled back up bilinearly. Large radii stay cheap (a 1080p frame blurs at 1/16 of the pixels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlurPlan {
    pub scale: u32,
    pub low_radius: u32,
    pub low_w: u32,
    pub low_h: u32,
}

pub fn blur_plan(rect: Rect, radius: u32) -> BlurPlan {
    let scale = radius.div_ceil(3).max(1);
    let low_radius = ((radius + scale / 2) / scale).max(1);
    BlurPlan {
        scale,
        low_radius,
        low_w: rect.w.div_ceil(scale),
        low_h: rect.h.div_ceil(scale),
    }
}

/// One region and the style to apply there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Redaction {
    pub rect: Rect,
    pub style: Style,
}

/// Applies redactions to a frame in place, in order.
pub trait Redactor {
    /// Backend name for reports ("cpu", "gpu: <adapter>").
    fn backend(&self) -> String;
    fn apply(&mut self, frame: &mut Frame, redactions: &[Redaction]) -> Result<()>;
}
