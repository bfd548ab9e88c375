//! Text detection with a DB (differentiable binarisation) network: the model gives a per-pixel
//! text probability; thresholding it, taking connected components and "unclipping" them (DB
//! trains on shrunk text regions) gives line boxes.

use fast_image_resize::Resizer;
use ndarray::Array4;
use ort::session::Session;
use ort::value::TensorRef;

use super::parts::content_parts;
use super::{TextBox, TextDetector};
use crate::error::{Error, Result};
use crate::frame::{Frame, Rect};
use crate::models::{self, ModelDir};
use crate::resize::resize_rgba;

/// Post-processing parameters (PaddleOCR's defaults, which suit screen text).
#[derive(Debug, Clone, Copy)]
pub struct DbParams {
    /// Pixels with probability above this are text.
    pub threshold: f32,
    /// Components whose mean probability is below this are dropped.
    pub box_threshold: f32,
    /// How far to grow a component back: distance = area * ratio / perimeter.
    pub unclip_ratio: f32,
    /// Components smaller than this (map pixels, shorter side) are noise.
    pub min_side: u32,
}

impl Default for DbParams {
    fn default() -> Self {
        DbParams {
            threshold: 0.3,
            box_threshold: 0.5,
            unclip_ratio: 1.6,
            min_side: 2,
        }
    }
}

/// Runs PP-OCR DB detection on frames scaled so the longer side is at most `max_side`.
pub struct DbDetector {
    session: Session,
    resizer: Resizer,
    max_side: u32,
    params: DbParams,
}

/// Longer side the frame is scaled to before detection. Measured on the shared evaluation's
/// 1080p screenshots (11-28 px UI text; see models/README.md for the table and the command):
/// native 1920 px reads everything; at 1280 small text starts to leak. So screens are read at
/// their native resolution up to 2560x1440, whose UI text at 100 % is as small as 1080p's
/// (scaling a 1440p screen to 1920 shrinks 11 px text to 8 px, below what the detector finds);
/// larger screens run at 200 % UI scale, with text twice as tall. Detection runs only on the
/// parts of a frame with content, so native resolution costs less than it seems.
pub const DEFAULT_DET_MAX_SIDE: u32 = 2560;

impl DbDetector {
    pub fn new(models: &ModelDir, threads: usize) -> Result<Self> {
        let session = models::open_session(models, models::OCR_DET_MODEL, threads)?;
        Ok(DbDetector {
            session,
            resizer: Resizer::new(),
            max_side: DEFAULT_DET_MAX_SIDE,
            params: DbParams::default(),
        })
    }

    pub fn with_max_side(mut self, max_side: u32) -> Self {
        self.max_side = max_side.max(32);
        self
    }

    /// How much a frame of this size is scaled down so its longer side fits `max_side`.
    fn scale(&self, w: u32, h: u32) -> f32 {
        (self.max_side as f32 / w.max(h).max(1) as f32).min(1.0)
    }

    /// The raw probability map (`map_w` x `map_h`, row-major) for a frame.
    pub fn probability_map(&mut self, frame: &Frame) -> Result<(Vec<f32>, u32, u32)> {
        let scale = self.scale(frame.width(), frame.height());
        self.probability_map_at(frame, scale)
    }

    /// The probability map of `frame` (or a part of one) at `scale`, each side of the network's
    /// input a multiple of 32.
    fn probability_map_at(&mut self, frame: &Frame, scale: f32) -> Result<(Vec<f32>, u32, u32)> {
        let round32 = |v: f32| (((v / 32.0).round() as u32).max(1)) * 32;
        let (iw, ih) = (
            round32(frame.width() as f32 * scale),
            round32(frame.height() as f32 * scale),
        );
        let rgba = resize_rgba(&mut self.resizer, frame, frame.bounds(), iw, ih)?;
        let (iw_us, ih_us) = (iw as usize, ih as usize);
        let mut input = Array4::<f32>::zeros((1, 3, ih_us, iw_us));
        // BGR channel order, ImageNet normalisation (PaddleOCR reads images with OpenCV).
        const MEAN: [f32; 3] = [0.485, 0.456, 0.406];
        const STD: [f32; 3] = [0.229, 0.224, 0.225];
        {
            let plane = ih_us * iw_us;
            let buf = input.as_slice_mut().expect("fresh array is contiguous");
            let (b, rest) = buf.split_at_mut(plane);
            let (g, r) = rest.split_at_mut(plane);
            // one multiply-add per sample: (v / 255 - mean) / std
            let scale = |c: usize| 1.0 / (255.0 * STD[c]);
            let (sb, sg, sr) = (scale(0), scale(1), scale(2));
            let (ob, og, or) = (MEAN[0] / STD[0], MEAN[1] / STD[1], MEAN[2] / STD[2]);
            for (((px, b), g), r) in rgba.chunks_exact(4).zip(b).zip(g).zip(r) {
                *b = px[2] as f32 * sb - ob;
                *g = px[1] as f32 * sg - og;
                *r = px[0] as f32 * sr - or;
            }
        }
        let tensor = TensorRef::from_array_view(&input).map_err(Error::inference)?;
        let outputs = self.session.run(ort::inputs![tensor]).map_err(Error::inference)?;
        let (shape, data) = outputs[0].try_extract_tensor::<f32>().map_err(Error::inference)?;
        let dims: Vec<i64> = shape.iter().copied().collect();
        if dims.len() != 4 || dims[2] as u32 != ih || dims[3] as u32 != iw {
            return Err(Error::inference(format!("unexpected detection output shape {dims:?}")));
        }
        Ok((data.to_vec(), iw, ih))
    }
}

impl TextDetector for DbDetector {
    /// Runs the network on the parts of the frame that are not flat (see [`content_parts`]),
    /// all at the scale of the whole frame.
    fn detect(&mut self, frame: &Frame) -> Result<Vec<TextBox>> {
        let scale = self.scale(frame.width(), frame.height());
        let mut out = Vec::new();
        for part in content_parts(frame) {
            let crop;
            let view = if part.area == frame.bounds() {
                frame
            } else {
                crop = frame.crop(part.area)?;
                &crop
            };
            let (map, mw, mh) = self.probability_map_at(view, scale)?;
            for mut b in db_boxes(&map, mw, mh, view.width(), view.height(), &self.params) {
                b.rect.x += part.area.x;
                b.rect.y += part.area.y;
                // a box centred in the margin belongs to the neighbouring part, which sees it whole
                let (cx, cy) = (b.rect.x + b.rect.w / 2, b.rect.y + b.rect.h / 2);
                if part.core.contains(Rect::new(cx, cy, 1, 1)) {
                    out.push(b);
                }
            }
        }
        out.sort_by_key(|b| (b.rect.y, b.rect.x));
        Ok(out)
    }
}

/// Probability map -> text boxes in frame coordinates. Pure, so it is unit-tested without a model.
pub fn db_boxes(map: &[f32], mw: u32, mh: u32, frame_w: u32, frame_h: u32, p: &DbParams) -> Vec<TextBox> {
    let (w, h) = (mw as usize, mh as usize);
    assert_eq!(map.len(), w * h, "probability map size");
    let mut label = vec![0u32; w * h];
    let mut next = 0u32;
    let mut stack = Vec::new();
    let mut out = Vec::new();
    let sx = frame_w as f32 / mw as f32;
    let sy = frame_h as f32 / mh as f32;
    let bounds = Rect::new(0, 0, frame_w, frame_h);
    for start in 0..w * h {
        if label[start] != 0 || map[start] <= p.threshold {
            continue;
        }
        next += 1;
        label[start] = next;
        stack.push(start);
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0usize, 0usize);
        let (mut sum, mut n) = (0f32, 0u32);
        // 4-connected flood fill: 8-connectivity merges neighbouring lines at small fonts.
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
            sum += map[i];
            n += 1;
            let mut visit = |j: usize| {
                if label[j] == 0 && map[j] > p.threshold {
                    label[j] = next;
                    stack.push(j);
                }
            };
            if x > 0 {
                visit(i - 1);
            }
            if x + 1 < w {
                visit(i + 1);
            }
            if y > 0 {
                visit(i - w);
            }
            if y + 1 < h {
                visit(i + w);
            }
        }
        let (bw, bh) = ((x1 - x0 + 1) as f32, (y1 - y0 + 1) as f32);
        if (bw.min(bh) as u32) < p.min_side || sum / (n as f32) < p.box_threshold {
            continue;
        }
        // Unclip: DB's training targets are text regions shrunk by this distance.
        let d = bw * bh * p.unclip_ratio / (2.0 * (bw + bh));
        let rect = Rect::from_corners_f(
            (x0 as f32 - d) * sx,
            (y0 as f32 - d) * sy,
            (x1 as f32 + 1.0 + d) * sx,
            (y1 as f32 + 1.0 + d) * sy,
            bounds,
        );
        if !rect.is_empty() {
            out.push(TextBox {
                rect,
                score: sum / n as f32,
            });
        }
    }
    // Reading order: top to bottom, then left to right.
    out.sort_by_key(|b| (b.rect.y, b.rect.x));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_with(w: u32, h: u32, blobs: &[(u32, u32, u32, u32, f32)]) -> Vec<f32> {
        let mut m = vec![0.0; (w * h) as usize];
        for &(x, y, bw, bh, v) in blobs {
            for yy in y..y + bh {
                for xx in x..x + bw {
                    m[(yy * w + xx) as usize] = v;
                }
            }
        }
        m
    }

    #[test]
    fn finds_separate_lines_and_unclips_them() {
        let m = map_with(64, 32, &[(4, 4, 30, 4, 0.9), (4, 20, 10, 4, 0.8)]);
        let boxes = db_boxes(&m, 64, 32, 128, 64, &DbParams::default());
        assert_eq!(boxes.len(), 2);
        let a = boxes[0].rect;
        // scaled by 2 and grown on all sides
        assert!(a.x < 8 && a.y < 8 && a.right() > 68 && a.bottom() > 16, "{a:?}");
        assert!(boxes[0].score > 0.85);
        assert!(boxes[1].rect.y > a.y);
    }

    #[test]
    fn drops_weak_and_tiny_components() {
        let m = map_with(32, 32, &[(2, 2, 10, 4, 0.35), (20, 20, 1, 1, 0.99)]);
        assert!(db_boxes(&m, 32, 32, 32, 32, &DbParams::default()).is_empty());
    }

    #[test]
    fn boxes_are_clipped_to_the_frame() {
        let m = map_with(16, 16, &[(0, 0, 16, 3, 0.9)]);
        let b = db_boxes(&m, 16, 16, 16, 16, &DbParams::default());
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].rect.x, 0);
        assert_eq!(b[0].rect.right(), 16);
    }
}
