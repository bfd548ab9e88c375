//! Text recognition with a CTC network: each crop is scaled to 48 px high; the model emits one
//! class distribution per 8 px column ("time step"). Collapsing repeats and blanks gives the text,
//! and the time steps each character came from give its horizontal position.

use fast_image_resize::Resizer;
use ndarray::Array4;
use ort::session::Session;
use ort::value::TensorRef;

use super::{TextBox, TextLine, TextRecognizer};
use crate::error::{Error, ErrorKind, Result};
use crate::frame::Frame;
use crate::models::{self, ModelDir};
use crate::resize::resize_rgba;

const INPUT_HEIGHT: u32 = 48;
/// Input pixels per output time step.
const STEP: f32 = 8.0;
/// Widest crop fed to the model. A longer line is squeezed (still readable well past 100:1).
const MAX_INPUT_WIDTH: u32 = 4800;
/// Crops per batch; sorted by width, so padding is small.
const BATCH: usize = 8;
/// A batch's widest line is at most this much wider than its narrowest (see [`batches`]).
const WIDTH_SPREAD: f32 = 1.15;
/// Lines remembered by their pixels. A stream re-reads the same lines over and over (a band around
/// a change holds unchanged lines; scrolled lines keep their pixels): those are not run again.
const CACHE_LINES: usize = 4096;

/// A reading remembered for a crop's exact pixels; character positions relative to the crop.
#[derive(Clone)]
struct Remembered {
    text: String,
    chars: Vec<(f32, f32)>,
    confidence: f32,
}

pub struct CtcRecognizer {
    session: Session,
    resizer: Resizer,
    /// Class `i` (1-based) is `alphabet[i - 1]`; class 0 is the CTC blank.
    alphabet: Vec<char>,
    /// Keyed by a hash of the crop's size and pixels. Held in memory only.
    cache: std::collections::HashMap<u64, Remembered>,
    hasher: std::collections::hash_map::RandomState,
}

impl CtcRecognizer {
    pub fn new(models: &ModelDir, threads: usize) -> Result<Self> {
        let dict_path = models.file(models::OCR_DICT)?;
        let dict = std::fs::read_to_string(&dict_path).map_err(|e| {
            Error::new(
                ErrorKind::ModelMissing,
                format!("cannot read {}: {e}", dict_path.display()),
            )
            .with_path(&dict_path)
        })?;
        let mut alphabet: Vec<char> = dict.lines().map(|l| l.chars().next().unwrap_or(' ')).collect();
        // PP-OCR appends the space as the last class.
        alphabet.push(' ');
        let session = models::open_session(models, models::OCR_REC_MODEL, threads)?;
        // A model cut down to some classes (models/rec_latin.py) says which dictionary class
        // each of its outputs is.
        let classes = session.metadata().map_err(Error::inference)?.custom(CLASSES_KEY);
        if let Some(classes) = classes {
            alphabet = alphabet_for(&classes, &alphabet).ok_or_else(|| {
                Error::new(
                    ErrorKind::ModelMissing,
                    format!(
                        "{}: its class list does not fit {}; run `{}` to restore both",
                        models::OCR_REC_MODEL,
                        models::OCR_DICT,
                        crate::error::FETCH_COMMAND
                    ),
                )
            })?;
        }
        Ok(CtcRecognizer {
            session,
            resizer: Resizer::new(),
            alphabet,
            cache: std::collections::HashMap::new(),
            hasher: std::collections::hash_map::RandomState::new(),
        })
    }

    /// Identity of a crop: its size and every pixel (a keyed SipHash, so collisions cannot be
    /// crafted).
    fn key(&self, frame: &Frame, r: crate::frame::Rect) -> u64 {
        use std::hash::{BuildHasher, Hasher};
        let mut h = self.hasher.build_hasher();
        h.write_u32(r.w);
        h.write_u32(r.h);
        for y in r.y..r.bottom() {
            h.write(frame.row_span(y, r.x, r.right()));
        }
        h.finish()
    }

    fn run_batch(
        &mut self,
        frame: &Frame,
        boxes: &[TextBox],
        idx: &[usize],
        out: &mut [Option<TextLine>],
    ) -> Result<()> {
        let widths: Vec<u32> = idx.iter().map(|&i| input_width(boxes[i].rect)).collect();
        let max_w = widths
            .iter()
            .copied()
            .max()
            .unwrap_or(STEP as u32)
            .next_multiple_of(STEP as u32);
        let (n, hh, ww) = (idx.len(), INPUT_HEIGHT as usize, max_w as usize);
        // Zero after normalisation = mid grey: PaddleOCR's right padding.
        let mut input = Array4::<f32>::zeros((n, 3, hh, ww));
        {
            let plane = hh * ww;
            let buf = input.as_slice_mut().expect("fresh array is contiguous");
            for (k, &i) in idx.iter().enumerate() {
                let rgba = resize_rgba(&mut self.resizer, frame, boxes[i].rect, widths[k], INPUT_HEIGHT)?;
                let wk = widths[k] as usize;
                let sample = &mut buf[k * 3 * plane..(k + 1) * 3 * plane];
                let (b, rest) = sample.split_at_mut(plane);
                let (g, r) = rest.split_at_mut(plane);
                for (y, src) in rgba.chunks_exact(wk * 4).enumerate() {
                    let row = y * ww..y * ww + wk;
                    let px = src.chunks_exact(4);
                    // BGR planes, scaled to [-1, 1]
                    for (((p, b), g), r) in px.zip(&mut b[row.clone()]).zip(&mut g[row.clone()]).zip(&mut r[row]) {
                        *b = p[2] as f32 / 127.5 - 1.0;
                        *g = p[1] as f32 / 127.5 - 1.0;
                        *r = p[0] as f32 / 127.5 - 1.0;
                    }
                }
            }
        }
        let tensor = TensorRef::from_array_view(&input).map_err(Error::inference)?;
        let outputs = self.session.run(ort::inputs![tensor]).map_err(Error::inference)?;
        let (shape, data) = outputs[0].try_extract_tensor::<f32>().map_err(Error::inference)?;
        let dims: Vec<i64> = shape.iter().copied().collect();
        if dims.len() != 3 || dims[0] as usize != n {
            return Err(Error::inference(format!(
                "unexpected recognition output shape {dims:?}"
            )));
        }
        let (t_all, classes) = (dims[1] as usize, dims[2] as usize);
        if classes != self.alphabet.len() + 1 {
            return Err(Error::inference(format!(
                "recognition model has {classes} classes but the dictionary {} (model and dictionary do not match)",
                self.alphabet.len() + 1
            )));
        }
        let step = ww as f32 / t_all as f32;
        for (k, &i) in idx.iter().enumerate() {
            let steps = ((widths[k] as f32 / step).ceil() as usize).min(t_all);
            let probs = &data[k * t_all * classes..(k * t_all + steps) * classes];
            let d = ctc_decode(probs, classes, &self.alphabet);
            let r = boxes[i].rect;
            // time step -> input column -> frame x
            let sx = r.w as f32 / widths[k] as f32;
            let chars = d
                .spans
                .iter()
                .map(|&(a, b)| (r.x as f32 + a * step * sx, r.x as f32 + b * step * sx))
                .collect();
            out[i] = Some(TextLine {
                rect: r,
                text: d.text,
                chars,
                confidence: d.confidence,
            });
        }
        Ok(())
    }
}

impl TextRecognizer for CtcRecognizer {
    fn forget(&mut self) {
        self.cache.clear();
    }

    fn recognize(&mut self, frame: &Frame, boxes: &[TextBox]) -> Result<Vec<TextLine>> {
        let mut order: Vec<usize> = (0..boxes.len()).filter(|&i| !boxes[i].rect.is_empty()).collect();
        order.sort_by(|&a, &b| {
            let ra = boxes[a].rect.w as f32 / boxes[a].rect.h.max(1) as f32;
            let rb = boxes[b].rect.w as f32 / boxes[b].rect.h.max(1) as f32;
            ra.total_cmp(&rb)
        });
        let mut out: Vec<Option<TextLine>> = vec![None; boxes.len()];
        let keys: Vec<u64> = boxes
            .iter()
            .map(|b| self.key(frame, b.rect.intersect(frame.bounds())))
            .collect();
        order.retain(|&i| match self.cache.get(&keys[i]) {
            Some(m) => {
                let x = boxes[i].rect.x as f32;
                out[i] = Some(TextLine {
                    rect: boxes[i].rect,
                    text: m.text.clone(),
                    chars: m.chars.iter().map(|&(a, b)| (a + x, b + x)).collect(),
                    confidence: m.confidence,
                });
                false
            }
            None => true,
        });
        for chunk in batches(&order, |i| input_width(boxes[i].rect)) {
            self.run_batch(frame, boxes, chunk, &mut out)?;
        }
        if self.cache.len() + order.len() > CACHE_LINES {
            self.cache.clear();
        }
        for &i in &order {
            if let Some(l) = &out[i] {
                let x = l.rect.x as f32;
                self.cache.insert(
                    keys[i],
                    Remembered {
                        text: l.text.clone(),
                        chars: l.chars.iter().map(|&(a, b)| (a - x, b - x)).collect(),
                        confidence: l.confidence,
                    },
                );
            }
        }
        Ok(out
            .into_iter()
            .zip(boxes)
            .map(|(l, b)| {
                l.unwrap_or(TextLine {
                    rect: b.rect,
                    text: String::new(),
                    chars: vec![],
                    confidence: 0.0,
                })
            })
            .collect())
    }
}

/// Width of a box's crop in the network's input: scaled to [`INPUT_HEIGHT`], aspect kept.
fn input_width(r: crate::frame::Rect) -> u32 {
    let w = (INPUT_HEIGHT as f32 * r.w as f32 / r.h.max(1) as f32).round() as u32;
    w.clamp(STEP as u32, MAX_INPUT_WIDTH)
}

/// Splits `order` (sorted by width) into batches of at most [`BATCH`] whose padding to the
/// widest member wastes little: the network's cost grows with the padded width, so a short
/// line batched with a long one costs as much as the long one.
fn batches(order: &[usize], width: impl Fn(usize) -> u32) -> Vec<&[usize]> {
    let mut out = Vec::new();
    let mut start = 0;
    for k in 1..=order.len() {
        let full = k - start >= BATCH;
        let end = k == order.len();
        // a new batch when the next line is much wider than the batch's first
        let wide = !end && width(order[k]) as f32 > width(order[start]) as f32 * WIDTH_SPREAD + 2.0 * STEP;
        if end || full || wide {
            out.push(&order[start..k]);
            start = k;
        }
    }
    out
}

/// Metadata key of a cut-down model: its output classes as comma-separated original class
/// numbers, the blank (0) first.
const CLASSES_KEY: &str = "scrim.classes";

/// The alphabet of a cut-down model: `full[c - 1]` for each listed class `c` after the blank.
/// `None` when the list is malformed or names a class the dictionary lacks.
fn alphabet_for(classes: &str, full: &[char]) -> Option<Vec<char>> {
    let ids: Vec<usize> = classes
        .split(',')
        .map(|c| c.trim().parse().ok())
        .collect::<Option<_>>()?;
    let (&blank, rest) = ids.split_first()?;
    if blank != 0 {
        return None;
    }
    rest.iter().map(|&c| full.get(c.checked_sub(1)?).copied()).collect()
}

/// Greedy CTC decoding result: text, per-character span in time steps, mean confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub text: String,
    /// `[start, end)` in time steps for each character of `text`.
    pub spans: Vec<(f32, f32)>,
    pub confidence: f32,
}

/// Greedy CTC decode of `probs` (`steps x classes`, row-major). Class 0 is blank; class `i` is
/// `alphabet[i-1]`. A character's span runs from the middle of the gap before its first step to
/// the middle of the gap after its last, so adjacent spans tile the line without holes.
pub fn ctc_decode(probs: &[f32], classes: usize, alphabet: &[char]) -> Decoded {
    let steps = probs.len() / classes;
    let mut runs: Vec<(char, usize, usize, f32)> = Vec::new(); // char, first step, last step, prob
    let mut prev = 0usize;
    for t in 0..steps {
        let row = &probs[t * classes..(t + 1) * classes];
        let (best, p) = row
            .iter()
            .enumerate()
            .fold((0, f32::MIN), |acc, (i, &v)| if v > acc.1 { (i, v) } else { acc });
        if best != 0 {
            if best == prev {
                if let Some(last) = runs.last_mut() {
                    last.2 = t;
                    last.3 = last.3.max(p);
                }
            } else if let Some(&c) = alphabet.get(best - 1) {
                runs.push((c, t, t, p));
            }
        }
        prev = best;
    }
    let mut spans = Vec::with_capacity(runs.len());
    for (k, r) in runs.iter().enumerate() {
        let start = if k == 0 {
            // the first glyph starts up to a step before its first activation
            (r.1 as f32 - 1.0).max(0.0)
        } else {
            (runs[k - 1].2 as f32 + 1.0 + r.1 as f32) / 2.0
        };
        let end = if k + 1 == runs.len() {
            (r.2 as f32 + 2.0).min(steps as f32)
        } else {
            (r.2 as f32 + 1.0 + runs[k + 1].1 as f32) / 2.0
        };
        spans.push((start, end.max(start)));
    }
    let confidence = if runs.is_empty() {
        0.0
    } else {
        runs.iter().map(|r| r.3).sum::<f32>() / runs.len() as f32
    };
    Decoded {
        text: runs.iter().map(|r| r.0).collect(),
        spans,
        confidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn onehot(seq: &[usize], classes: usize) -> Vec<f32> {
        let mut v = vec![0.0; seq.len() * classes];
        for (t, &c) in seq.iter().enumerate() {
            v[t * classes + c] = 0.9;
        }
        v
    }

    #[test]
    fn batches_group_lines_of_similar_width() {
        // sorted widths as a page gives them: icons, a few labels, a column of long lines
        let widths = [
            27, 41, 46, 48, 58, 165, 198, 340, 702, 947, 1526, 1526, 1577, 1577, 1577, 1577, 1577, 1577, 1577, 1577,
            1694,
        ];
        let order: Vec<usize> = (0..widths.len()).collect();
        let got = batches(&order, |i| widths[i]);
        // every line once, in order
        assert_eq!(got.concat(), order);
        for b in &got {
            assert!(!b.is_empty() && b.len() <= BATCH);
            let (lo, hi) = (widths[b[0]] as f32, widths[*b.last().unwrap()] as f32);
            assert!(hi <= lo * WIDTH_SPREAD + 2.0 * STEP, "batch {lo}..{hi} pads too much");
        }
        // the long lines are not padded by a short one, nor split needlessly
        assert_eq!(got.iter().map(|b| b.len()).max(), Some(BATCH));
        assert!(batches(&[], |_| 8).is_empty());
    }

    #[test]
    fn a_cut_down_model_reads_through_its_class_list() {
        let full = ['a', 'b', 'c', 'd', ' '];
        assert_eq!(alphabet_for("0,2,4,5", &full), Some(vec!['b', 'd', ' ']));
        assert_eq!(alphabet_for("0", &full), Some(vec![]));
        // the blank must come first; every class must exist; numbers only
        assert_eq!(alphabet_for("1,2", &full), None);
        assert_eq!(alphabet_for("0,6", &full), None);
        assert_eq!(alphabet_for("0,x", &full), None);
        assert_eq!(alphabet_for("", &full), None);
    }

    #[test]
    fn collapses_repeats_and_blanks() {
        let alphabet = ['a', 'b', ' '];
        // a a _ a b b _ _  ->  "aab"
        let d = ctc_decode(&onehot(&[1, 1, 0, 1, 2, 2, 0, 0], 4), 4, &alphabet);
        assert_eq!(d.text, "aab");
        assert_eq!(d.spans.len(), 3);
        assert!((d.confidence - 0.9).abs() < 1e-6);
        // spans are ordered and do not overlap
        for w in d.spans.windows(2) {
            assert!(w[0].1 <= w[1].0 + 1e-6, "{:?}", d.spans);
        }
        assert_eq!(d.spans[0].0, 0.0);
    }

    #[test]
    fn positions_follow_time_steps() {
        let alphabet = ['x', 'y', ' '];
        // x at step 2, y at step 10
        let mut seq = vec![0; 14];
        seq[2] = 1;
        seq[10] = 2;
        let d = ctc_decode(&onehot(&seq, 4), 4, &alphabet);
        assert_eq!(d.text, "xy");
        assert_eq!(d.spans[0], (1.0, 6.5));
        assert_eq!(d.spans[1], (6.5, 12.0));
    }

    #[test]
    fn empty_input_decodes_to_nothing() {
        let d = ctc_decode(&[], 4, &['a', 'b', ' ']);
        assert!(d.text.is_empty() && d.spans.is_empty() && d.confidence == 0.0);
    }
}
