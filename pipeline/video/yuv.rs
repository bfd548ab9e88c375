//! Planar YUV 4:2:0, the format video is decoded to and encoded from.
//!
//! Frames travel between ffmpeg and scrim as I420, not RGBA: ffmpeg's own RGBA conversion costs
//! more than the whole rest of the pipeline (measured: 1080p decode 11 ms/frame slower, encode
//! more). scrim converts to RGBA itself for analysis, and writes back only the redacted regions,
//! so every pixel outside them leaves exactly as it was decoded.

use rayon::prelude::*;

use crate::error::{Error, ErrorKind, Result};
use crate::frame::{Frame, Rect};

/// BT.709 limited range for HD, BT.601 for SD (what encoders assume when unsignalled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matrix {
    Bt601,
    Bt709,
}

impl Matrix {
    pub fn for_height(h: u32) -> Matrix {
        if h >= 720 {
            Matrix::Bt709
        } else {
            Matrix::Bt601
        }
    }

    /// (Kr, Kb)
    fn k(self) -> (f32, f32) {
        match self {
            Matrix::Bt601 => (0.299, 0.114),
            Matrix::Bt709 => (0.2126, 0.0722),
        }
    }
}

/// One I420 picture: Y plane, then U and V at half resolution (rounded up).
#[derive(Clone, PartialEq, Eq)]
pub struct Yuv420 {
    width: u32,
    height: u32,
    data: Vec<u8>,
}

pub fn i420_len(w: u32, h: u32) -> usize {
    let (cw, ch) = (w.div_ceil(2) as usize, h.div_ceil(2) as usize);
    w as usize * h as usize + 2 * cw * ch
}

/// Fixed-point (Q14) conversion coefficients, derived once from the matrix.
#[derive(Clone, Copy)]
struct Coeffs {
    rv: i32,
    gu: i32,
    gv: i32,
    bu: i32,
}

fn coeffs(m: Matrix) -> Coeffs {
    let (kr, kb) = m.k();
    let kg = 1.0 - kr - kb;
    // limited range: Y 16..235, C 16..240
    let s = (1 << 14) as f32 * 255.0 / 224.0;
    Coeffs {
        rv: (2.0 * (1.0 - kr) * s).round() as i32,
        gu: (2.0 * (1.0 - kb) * kb / kg * s).round() as i32,
        gv: (2.0 * (1.0 - kr) * kr / kg * s).round() as i32,
        bu: (2.0 * (1.0 - kb) * s).round() as i32,
    }
}

/// Rows compared and converted together by [`Yuv420::update_rgba`] (even, so a stripe holds
/// whole chroma rows).
const STRIPE: usize = 16;

/// One row of an I420 picture (`w` pixels wide) converted to RGBA, two pixels per chroma sample.
fn convert_row(k: Coeffs, w: usize, (yp, up, vp): (&[u8], &[u8], &[u8]), row: usize, dst: &mut [u8]) {
    let cw = w.div_ceil(2);
    let ys = &yp[row * w..(row + 1) * w];
    let us = &up[(row / 2) * cw..(row / 2 + 1) * cw];
    let vs = &vp[(row / 2) * cw..(row / 2 + 1) * cw];
    // two pixels share a chroma sample: convert in pairs, without bounds checks
    let px = |yv: u8, cr: (i32, i32, i32), out: &mut [u8]| {
        let yv = (yv as i32 - 16) * 19077; // 255/219 in Q14
        out[0] = ((yv + cr.0) >> 14).clamp(0, 255) as u8;
        out[1] = ((yv + cr.1) >> 14).clamp(0, 255) as u8;
        out[2] = ((yv + cr.2) >> 14).clamp(0, 255) as u8;
        out[3] = 255;
    };
    let chroma = |u: u8, v: u8| {
        let (u, v) = (u as i32 - 128, v as i32 - 128);
        (k.rv * v + 8192, -k.gu * u - k.gv * v + 8192, k.bu * u + 8192)
    };
    let pairs = dst.chunks_exact_mut(8).zip(ys.chunks_exact(2)).zip(us.iter().zip(vs));
    for ((out, y2), (&u, &v)) in pairs {
        let cr = chroma(u, v);
        px(y2[0], cr, &mut out[..4]);
        px(y2[1], cr, &mut out[4..]);
    }
    if w % 2 == 1 {
        let cr = chroma(us[cw - 1], vs[cw - 1]);
        px(ys[w - 1], cr, &mut dst[(w - 1) * 4..]);
    }
}

impl Yuv420 {
    pub fn new(width: u32, height: u32, data: Vec<u8>) -> Result<Self> {
        if width == 0 || height == 0 || data.len() != i420_len(width, height) {
            return Err(Error::new(
                ErrorKind::BadInput,
                format!("I420 frame {width}x{height} with {} bytes", data.len()),
            ));
        }
        Ok(Yuv420 { width, height, data })
    }

    pub fn width(&self) -> u32 {
        self.width
    }
    pub fn height(&self) -> u32 {
        self.height
    }
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    fn planes_mut(&mut self) -> (&mut [u8], &mut [u8], &mut [u8]) {
        let ylen = self.width as usize * self.height as usize;
        let clen = (self.width.div_ceil(2) * self.height.div_ceil(2)) as usize;
        let (y, c) = self.data.split_at_mut(ylen);
        let (u, v) = c.split_at_mut(clen);
        (y, u, v)
    }

    fn planes(&self) -> (&[u8], &[u8], &[u8]) {
        let ylen = self.width as usize * self.height as usize;
        let clen = (self.width.div_ceil(2) * self.height.div_ceil(2)) as usize;
        let (y, c) = self.data.split_at(ylen);
        let (u, v) = c.split_at(clen);
        (y, u, v)
    }

    /// The picture as RGBA (integer arithmetic, parallel over rows).
    pub fn to_rgba(&self, m: Matrix) -> Frame {
        let mut out = Frame::filled(self.width, self.height, [0, 0, 0, 255]).expect("same size as the YUV frame");
        self.to_rgba_into(m, &mut out);
        out
    }

    /// Like [`Yuv420::to_rgba`], into a frame of the same size (reused across frames: a fresh
    /// 8 MB buffer per 1080p frame costs more in page faults than the conversion itself).
    pub fn to_rgba_into(&self, m: Matrix, out: &mut Frame) {
        assert_eq!((out.width(), out.height()), (self.width, self.height));
        let (w, h) = (self.width as usize, self.height as usize);
        let (yp, up, vp) = self.planes();
        let k = coeffs(m);
        debug_assert_eq!(out.data().len(), w * h * 4);
        out.data_mut()
            .par_chunks_mut(w * 4)
            .enumerate()
            .for_each(|(row, dst)| convert_row(k, w, (yp, up, vp), row, dst));
    }

    /// Brings `out` (this picture's size), which holds the conversion of `prev` (the I420 bytes
    /// of the previous picture), up to date by converting only the stripes of rows whose bytes
    /// differ; `prev` becomes this picture's bytes. Returns the stripes converted, as
    /// `[first_row, end_row)` ranges. A static screen then costs a comparison, not a conversion.
    pub fn update_rgba(&self, m: Matrix, prev: &mut [u8], out: &mut Frame) -> Vec<(u32, u32)> {
        assert_eq!((out.width(), out.height()), (self.width, self.height));
        assert_eq!(prev.len(), self.data.len());
        let (w, h) = (self.width as usize, self.height as usize);
        let cw = w.div_ceil(2);
        let planes = self.planes();
        let k = coeffs(m);
        let (ylen, clen) = (w * h, cw * h.div_ceil(2));
        // the byte ranges of a stripe in the Y, U and V planes
        let ranges = |s: usize| {
            let (r0, r1) = (s * STRIPE, ((s + 1) * STRIPE).min(h));
            let (c0, c1) = (r0 / 2, r1.div_ceil(2));
            [
                r0 * w..r1 * w,
                ylen + c0 * cw..ylen + c1 * cw,
                ylen + clen + c0 * cw..ylen + clen + c1 * cw,
            ]
        };
        let stripe_changed = |s: usize| ranges(s).into_iter().any(|r| self.data[r.clone()] != prev[r]);
        let changed: Vec<usize> = (0..h.div_ceil(STRIPE))
            .into_par_iter()
            .filter(|&s| stripe_changed(s))
            .collect();
        if changed.is_empty() {
            return Vec::new();
        }
        out.data_mut()
            .par_chunks_mut(w * 4 * STRIPE)
            .enumerate()
            .filter(|(s, _)| changed.binary_search(s).is_ok())
            .for_each(|(s, dst)| {
                for (i, row) in dst.chunks_exact_mut(w * 4).enumerate() {
                    convert_row(k, w, planes, s * STRIPE + i, row);
                }
            });
        for &s in &changed {
            for r in ranges(s) {
                prev[r.clone()].copy_from_slice(&self.data[r]);
            }
        }
        changed
            .into_iter()
            .map(|s| ((s * STRIPE) as u32, ((s + 1) * STRIPE).min(h) as u32))
            .collect()
    }

    /// A whole RGBA frame converted to I420 (2x2 chroma averaging), parallel over row pairs.
    pub fn from_rgba(f: &Frame, m: Matrix) -> Yuv420 {
        let mut out = Yuv420 {
            width: f.width(),
            height: f.height(),
            data: vec![0u8; i420_len(f.width(), f.height())],
        };
        out.fill_from_rgba(f, m);
        out
    }

    /// Like [`Yuv420::from_rgba`], into this picture's buffer (same size; no allocation).
    pub fn fill_from_rgba(&mut self, f: &Frame, m: Matrix) {
        assert_eq!((f.width(), f.height()), (self.width, self.height));
        let (w, h) = (f.width() as usize, f.height() as usize);
        let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
        let enc = Encoder::new(m);
        let (yp, c) = self.data.split_at_mut(w * h);
        let (up, vp) = c.split_at_mut(cw * ch);
        let src = f.data();
        yp.par_chunks_mut(w).enumerate().for_each(|(y, row)| {
            let s = &src[y * w * 4..(y + 1) * w * 4];
            for (out, p) in row.iter_mut().zip(s.chunks_exact(4)) {
                *out = enc.luma(p);
            }
        });
        up.par_chunks_mut(cw)
            .zip(vp.par_chunks_mut(cw))
            .enumerate()
            .for_each(|(cy, (urow, vrow))| {
                for cx in 0..cw {
                    (urow[cx], vrow[cx]) = enc.chroma(f, cx, cy);
                }
            });
    }

    /// Copies the pixels of `rgba` inside `rects` into this picture (converting to YUV), leaving
    /// everything else untouched. Rects are widened to even coordinates so each chroma sample
    /// they touch is computed from redacted pixels only. Same arithmetic as
    /// [`Yuv420::fill_from_rgba`].
    pub fn patch_from_rgba(&mut self, rgba: &Frame, rects: &[Rect], m: Matrix) {
        let (w, h) = (self.width, self.height);
        let cw = w.div_ceil(2) as usize;
        let enc = Encoder::new(m);
        let (yp, up, vp) = self.planes_mut();
        for r in rects {
            let r = r.intersect(Rect::new(0, 0, w, h));
            if r.is_empty() {
                continue;
            }
            let x0 = r.x & !1;
            let y0 = r.y & !1;
            let x1 = (r.right() + 1).min(w) & !1;
            let x1 = if r.right() == w { w } else { x1 };
            let y1 = if r.bottom() == h {
                h
            } else {
                (r.bottom() + 1).min(h) & !1
            };
            for y in y0..y1 {
                let s = rgba.row_span(y, x0, x1);
                let at = (y * w + x0) as usize;
                for (out, p) in yp[at..at + (x1 - x0) as usize].iter_mut().zip(s.chunks_exact(4)) {
                    *out = enc.luma(p);
                }
            }
            for cy in (y0 / 2)..y1.div_ceil(2) {
                for cx in (x0 / 2)..x1.div_ceil(2) {
                    let ci = cy as usize * cw + cx as usize;
                    (up[ci], vp[ci]) = enc.chroma(rgba, cx as usize, cy as usize);
                }
            }
        }
    }
}

/// RGB to limited-range YUV in Q16 integer arithmetic.
struct Encoder {
    y: [i32; 3],
    u: [i32; 3],
    v: [i32; 3],
}

impl Encoder {
    fn new(m: Matrix) -> Self {
        let (kr, kb) = m.k();
        let kg = 1.0 - kr - kb;
        let q = |v: f32| (v * 65536.0).round() as i32;
        let cu = 224.0 / 255.0 / (2.0 * (1.0 - kb));
        let cv = 224.0 / 255.0 / (2.0 * (1.0 - kr));
        Encoder {
            y: [q(kr * 219.0 / 255.0), q(kg * 219.0 / 255.0), q(kb * 219.0 / 255.0)],
            u: [q(-kr * cu), q(-kg * cu), q((1.0 - kb) * cu)],
            v: [q((1.0 - kr) * cv), q(-kg * cv), q(-kb * cv)],
        }
    }

    #[inline]
    fn luma(&self, p: &[u8]) -> u8 {
        let v = self.y[0] * p[0] as i32 + self.y[1] * p[1] as i32 + self.y[2] * p[2] as i32;
        ((v + (16 << 16) + 32768) >> 16).clamp(0, 255) as u8
    }

    /// The chroma sample (cx, cy): the average over its 2x2 block (the part inside the frame).
    #[inline]
    fn chroma(&self, f: &Frame, cx: usize, cy: usize) -> (u8, u8) {
        let (w, h) = (f.width() as usize, f.height() as usize);
        let src = f.data();
        let (mut r, mut g, mut b, mut n) = (0i32, 0i32, 0i32, 0i32);
        for y in cy * 2..(cy * 2 + 2).min(h) {
            for x in cx * 2..(cx * 2 + 2).min(w) {
                let i = (y * w + x) * 4;
                r += src[i] as i32;
                g += src[i + 1] as i32;
                b += src[i + 2] as i32;
                n += 1;
            }
        }
        let u = (self.u[0] * r + self.u[1] * g + self.u[2] * b) / n;
        let v = (self.v[0] * r + self.v[1] * g + self.v[2] * b) / n;
        (
            ((u + (128 << 16) + 32768) >> 16).clamp(0, 255) as u8,
            ((v + (128 << 16) + 32768) >> 16).clamp(0, 255) as u8,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_converts_only_changed_stripes_and_equals_a_full_conversion() {
        let (w, h) = (37, 41); // odd sizes: a partial last stripe and a lone last chroma column
        let mut data = vec![0u8; i420_len(w, h)];
        for (i, b) in data.iter_mut().enumerate() {
            *b = (i * 31 % 251) as u8;
        }
        let first = Yuv420::new(w, h, data.clone()).unwrap();
        let mut prev = first.data().to_vec();
        let mut out = first.to_rgba(Matrix::Bt709);
        assert!(first.update_rgba(Matrix::Bt709, &mut prev, &mut out).is_empty());
        // one luma byte in row 20 (stripe 1), one V byte of the last chroma row (stripe 2)
        data[20 * w as usize + 5] ^= 0x55;
        let last = data.len() - 1;
        data[last] ^= 0x55;
        let second = Yuv420::new(w, h, data).unwrap();
        let stripes = second.update_rgba(Matrix::Bt709, &mut prev, &mut out);
        assert_eq!(stripes, vec![(16, 32), (32, 41)]);
        assert!(out == second.to_rgba(Matrix::Bt709));
        assert_eq!(prev, second.data());
    }

    #[test]
    fn round_trip_of_a_patch_is_close_and_leaves_the_rest_alone() {
        let (w, h) = (7, 5);
        let mut data = vec![0u8; i420_len(w, h)];
        for (i, b) in data.iter_mut().enumerate() {
            *b = 40 + (i * 37 % 160) as u8;
        }
        let yuv = Yuv420::new(w, h, data).unwrap();
        // an RGB picture of flat 2x2 blocks survives RGB -> YUV -> RGB up to rounding
        let mut blocks = Frame::filled(w, h, [0, 0, 0, 255]).unwrap();
        for y in 0..h {
            for x in 0..w {
                let i = ((y * w + x) * 4) as usize;
                let (bx, by) = (x / 2, y / 2);
                let c = [(bx * 60 + 20) as u8, (by * 70 + 30) as u8, ((bx + by) * 40 + 10) as u8];
                blocks.data_mut()[i..i + 3].copy_from_slice(&c);
            }
        }
        let mut back = yuv.clone();
        back.patch_from_rgba(&blocks, &[Rect::new(0, 0, w, h)], Matrix::Bt709);
        let again = back.to_rgba(Matrix::Bt709);
        assert!(
            blocks.data().iter().zip(again.data()).all(|(a, b)| a.abs_diff(*b) <= 3),
            "{:?} vs {:?}",
            blocks.data(),
            again.data()
        );
        let rgba = yuv.to_rgba(Matrix::Bt709);
        // the whole-frame conversion agrees with the patch one
        let whole = Yuv420::from_rgba(&blocks, Matrix::Bt709);
        assert!(whole.data().iter().zip(back.data()).all(|(a, b)| a.abs_diff(*b) <= 1));
        // a solid black region becomes black, and nothing outside it moves
        let mut black = rgba.clone();
        for y in 2..4 {
            for x in 2..4 {
                let i = ((y * w + x) * 4) as usize;
                black.data_mut()[i..i + 3].copy_from_slice(&[0, 0, 0]);
            }
        }
        let mut p = yuv.clone();
        p.patch_from_rgba(&black, &[Rect::new(2, 2, 2, 2)], Matrix::Bt709);
        let out = p.to_rgba(Matrix::Bt709);
        for y in 2..4 {
            for x in 2..4 {
                assert!(out.pixel(x, y)[..3].iter().all(|&c| c <= 2), "{:?}", out.pixel(x, y));
            }
        }
        assert_eq!(out.pixel(6, 4), rgba.pixel(6, 4));
        assert_eq!(out.pixel(0, 0), rgba.pixel(0, 0));
        assert!(Yuv420::new(w, h, vec![0; 3]).is_err());
    }
}
