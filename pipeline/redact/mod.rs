//! Redaction styles and the [`Redactor`] seam. [`CpuRedactor`] is the reference implementation;
//! the GPU path implements the same trait and must give the same picture.

mod backend;
mod cpu;
mod gpu;
pub mod shade;

pub use backend::{adapters, hardware_gpu_possible, select, AdapterSummary, BackendChoice, Note};
pub use cpu::{blend, CpuRedactor};
pub use gpu::GpuRedactor;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feathered_mask_covers_the_box_fully() {
        let m = Mask::from_rects(20, 10, &[Rect::new(5, 3, 4, 2)], 3);
        let a = |x: usize, y: usize| m.alpha()[y * 20 + x];
        assert_eq!(a(5, 3), 255);
        assert_eq!(a(8, 4), 255);
        assert!(a(4, 3) > 0 && a(4, 3) < 255);
        assert!(a(3, 3) < a(4, 3));
        assert_eq!(a(1, 3), 0);
        assert_eq!(a(15, 8), 0);
        assert!(Mask::new(2, 2, vec![0; 3]).is_err());
    }
}

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
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

/// Per-pixel opacity of a redacted layer, 0 (frame shows) to 255 (layer shows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mask {
    width: u32,
    height: u32,
    alpha: Vec<u8>,
}

impl Mask {
    pub fn new(width: u32, height: u32, alpha: Vec<u8>) -> Result<Self> {
        if alpha.len() != width as usize * height as usize {
            return Err(Error::new(
                ErrorKind::BadInput,
                format!("mask of {} bytes for {width}x{height}", alpha.len()),
            ));
        }
        Ok(Mask { width, height, alpha })
    }

    /// Opaque inside `rects`, fading linearly to nothing over `feather` pixels outside them:
    /// the box itself is always fully covered, the feather only softens the edge around it.
    pub fn from_rects(width: u32, height: u32, rects: &[Rect], feather: u32) -> Self {
        let mut alpha = vec![0u8; width as usize * height as usize];
        let bounds = Rect::new(0, 0, width, height);
        for r in rects {
            let outer = r.pad(feather, feather, bounds);
            for y in outer.y..outer.bottom() {
                for x in outer.x..outer.right() {
                    let dx = r.x.saturating_sub(x).max(x.saturating_sub(r.right().saturating_sub(1)));
                    let dy =
                        r.y.saturating_sub(y)
                            .max(y.saturating_sub(r.bottom().saturating_sub(1)));
                    let d = dx.max(dy);
                    let a = if d == 0 {
                        255
                    } else {
                        255 - (255 * d / (feather + 1)).min(255)
                    } as u8;
                    let px = &mut alpha[y as usize * width as usize + x as usize];
                    *px = (*px).max(a);
                }
            }
        }
        Mask { width, height, alpha }
    }

    pub fn width(&self) -> u32 {
        self.width
    }
    pub fn height(&self) -> u32 {
        self.height
    }
    pub fn alpha(&self) -> &[u8] {
        &self.alpha
    }
}

/// Applies redactions to a frame in place, in order.
pub trait Redactor {
    /// Backend name for reports ("cpu", "gpu: <adapter>").
    fn backend(&self) -> String;
    fn apply(&mut self, frame: &mut Frame, redactions: &[Redaction]) -> Result<()>;
    /// Blends `style` applied to the whole frame into the frame, weighted by `mask`
    /// (background blur: the mask is "not the person"; feathered boxes: `Mask::from_rects`).
    fn composite(&mut self, frame: &mut Frame, style: Style, mask: &Mask) -> Result<()>;
}

pub(crate) fn check_mask(frame: &Frame, mask: &Mask) -> Result<()> {
    if (mask.width, mask.height) != (frame.width(), frame.height()) {
        return Err(Error::new(
            ErrorKind::BadInput,
            format!(
                "mask is {}x{} but the frame {}x{}",
                mask.width,
                mask.height,
                frame.width(),
                frame.height()
            ),
        ));
    }
    Ok(())
}
