//! Person segmentation with MediaPipe selfie segmentation (converted from `.tflite` by
//! `models/tflite2onnx.py`; see models/README.md), and the mask post-processing: temporal
//! smoothing that never ghosts, feathering at model resolution, and a bilinear upscale with
//! `fast_image_resize`.

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use ndarray::Array4;
use ort::session::Session;
use ort::value::TensorRef;

use crate::error::{Error, ErrorKind, Result};
use crate::frame::Frame;
use crate::models::{self, ModelDir};
use crate::redact::Mask;
use crate::resize::resize_rgba;

/// Weight of the previous frame when a pixel becomes *more* person-like. Pixels that become
/// less person-like follow the current frame at once: a person who moves away leaves no sharp
/// ghost behind (the safe direction is "background", which is blurred).
const RISE_SMOOTHING: f32 = 0.4;
/// Person probability mapped to sharpness: below `LOW` fully background, above `HIGH` fully
/// person, linear between (a soft edge instead of a hard threshold).
const LOW: f32 = 0.35;
const HIGH: f32 = 0.75;

pub struct Segmenter {
    square: Session,
    landscape: Session,
    resizer: Resizer,
    /// Smoothed person probability at model resolution, for the current model size.
    prev: Option<(u32, u32, Vec<f32>)>,
}

impl Segmenter {
    pub fn new(models: &ModelDir, threads: usize) -> Result<Self> {
        Ok(Segmenter {
            square: models::open_session(models, models::SELFIE_SQUARE_MODEL, threads)?,
            landscape: models::open_session(models, models::SELFIE_LANDSCAPE_MODEL, threads)?,
            resizer: Resizer::new(),
            prev: None,
        })
    }

    /// Forgets the smoothing history (a cut, a new source).
    pub fn reset(&mut self) {
        self.prev = None;
    }

    /// Person probability (0..1) at model resolution: `(w, h, values)`. Wide frames use the
    /// landscape model (256x144), others the square one (256x256); the frame is stretched to
    /// the model's input, as MediaPipe does.
    pub fn person_probability(&mut self, frame: &Frame) -> Result<(u32, u32, Vec<f32>)> {
        let landscape = frame.width() as f32 / frame.height() as f32 > 1.3;
        let (mw, mh) = if landscape { (256u32, 144u32) } else { (256, 256) };
        let rgba = resize_rgba(&mut self.resizer, frame, frame.bounds(), mw, mh)?;
        let mut input = Array4::<f32>::zeros((1, mh as usize, mw as usize, 3));
        {
            let buf = input.as_slice_mut().expect("fresh array is contiguous");
            for (o, p) in buf.chunks_exact_mut(3).zip(rgba.chunks_exact(4)) {
                for c in 0..3 {
                    o[c] = p[c] as f32 / 255.0;
                }
            }
        }
        let session = if landscape {
            &mut self.landscape
        } else {
            &mut self.square
        };
        let tensor = TensorRef::from_array_view(&input).map_err(Error::inference)?;
        let outputs = session.run(ort::inputs![tensor]).map_err(Error::inference)?;
        let (_, data) = outputs[0].try_extract_tensor::<f32>().map_err(Error::inference)?;
        let n = (mw * mh) as usize;
        if data.len() != n {
            return Err(Error::inference(format!(
                "unexpected segmentation output: {} values for {mw}x{mh}",
                data.len()
            )));
        }
        if data.iter().any(|v| !v.is_finite()) {
            return Err(Error::inference("segmentation output is not finite"));
        }
        Ok((mw, mh, data.to_vec()))
    }

    /// The background mask for `frame`: 255 where the background shows (to be blurred or
    /// replaced), 0 on the person, soft in between.
    pub fn background_mask(&mut self, frame: &Frame) -> Result<Mask> {
        let (mw, mh, mut p) = self.person_probability(frame)?;
        if let Some((pw, ph, prev)) = &self.prev {
            if (*pw, *ph) == (mw, mh) {
                smooth(&mut p, prev);
            }
        }
        let mut low: Vec<u8> = p
            .iter()
            .map(|&v| (255.0 * (1.0 - ((v - LOW) / (HIGH - LOW)).clamp(0.0, 1.0))).round() as u8)
            .collect();
        self.prev = Some((mw, mh, p));
        feather(&mut low, mw as usize, mh as usize);
        upscale(&mut self.resizer, &low, mw, mh, frame.width(), frame.height())
    }
}

/// Temporal smoothing that only delays "person", never "background".
fn smooth(cur: &mut [f32], prev: &[f32]) {
    for (c, &p) in cur.iter_mut().zip(prev) {
        if *c > p {
            *c = (1.0 - RISE_SMOOTHING) * *c + RISE_SMOOTHING * p;
        }
    }
}

/// A 3x3 max of "background" followed by a 3x3 mean, at model resolution: the blurred area
/// reaches a little into the person's edge (hair, shoulders), so no sharp halo of background
/// survives around them, and the edge is soft after upscaling.
fn feather(a: &mut [u8], w: usize, h: usize) {
    let src = a.to_vec();
    let at =
        |v: &[u8], x: isize, y: isize| v[y.clamp(0, h as isize - 1) as usize * w + x.clamp(0, w as isize - 1) as usize];
    let mut grown = vec![0u8; w * h];
    for y in 0..h as isize {
        for x in 0..w as isize {
            let mut m = 0;
            for dy in -1..=1 {
                for dx in -1..=1 {
                    m = m.max(at(&src, x + dx, y + dy));
                }
            }
            grown[y as usize * w + x as usize] = m;
        }
    }
    for y in 0..h as isize {
        for x in 0..w as isize {
            let mut s = 0u32;
            for dy in -1..=1 {
                for dx in -1..=1 {
                    s += at(&grown, x + dx, y + dy) as u32;
                }
            }
            a[y as usize * w + x as usize] = ((s + 4) / 9) as u8;
        }
    }
}

fn upscale(resizer: &mut Resizer, low: &[u8], mw: u32, mh: u32, w: u32, h: u32) -> Result<Mask> {
    let bad = |e: &dyn std::fmt::Display| Error::new(ErrorKind::BadInput, format!("mask resize failed: {e}"));
    let src = ImageRef::new(mw, mh, low, PixelType::U8).map_err(|e| bad(&e))?;
    let mut dst = Image::new(w, h, PixelType::U8);
    let opts = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Bilinear));
    resizer.resize(&src, &mut dst, &opts).map_err(|e| bad(&e))?;
    Mask::new(w, h, dst.into_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smoothing_delays_person_but_never_background() {
        let prev = vec![0.0, 1.0];
        let mut cur = vec![1.0, 0.0];
        smooth(&mut cur, &prev);
        assert!(cur[0] < 1.0 && cur[0] > 0.5, "appearing person is delayed: {}", cur[0]);
        assert_eq!(cur[1], 0.0, "a person who left is background at once");
    }

    #[test]
    fn feathering_grows_background_into_the_edge() {
        // left half background (255), right half person (0)
        let (w, h) = (8, 4);
        let mut a: Vec<u8> = (0..w * h).map(|i| if i % w < 4 { 255 } else { 0 }).collect();
        feather(&mut a, w, h);
        assert_eq!(a[2], 255);
        assert!(
            a[4] > 160,
            "first person column is mostly covered by the grown background"
        );
        assert!(a[5] > 0 && a[5] < a[4], "then a soft edge");
        assert_eq!(a[6], 0);
    }
}
