//! The CPU redactor: row-parallel with rayon, plain loops the compiler vectorises.

use rayon::prelude::*;

use super::{blur_plan, check_mask, Mask, Redaction, Redactor, Style};
use crate::error::Result;
use crate::frame::{Frame, Rect};

#[derive(Debug, Default, Clone, Copy)]
pub struct CpuRedactor;

impl Redactor for CpuRedactor {
    fn backend(&self) -> String {
        "cpu".into()
    }

    fn apply(&mut self, frame: &mut Frame, redactions: &[Redaction]) -> Result<()> {
        let bounds = frame.bounds();
        for r in redactions {
            let rect = r.rect.intersect(bounds);
            if rect.is_empty() {
                continue;
            }
            match r.style {
                Style::Solid { color } => solid(frame, rect, color),
                Style::Mosaic { block } => mosaic(frame, rect, block.max(1)),
                Style::Blur { radius } => blur(frame, rect, radius, None),
            }
        }
        Ok(())
    }

    fn composite(&mut self, frame: &mut Frame, style: Style, mask: &Mask) -> Result<()> {
        check_mask(frame, mask)?;
        if let Style::Blur { radius } = style {
            // blurred and blended in one pass, only where the mask shows the layer: the same
            // pixels as a blurred copy blended afterwards, without the copy
            if radius > 0 {
                let bounds = frame.bounds();
                blur(frame, bounds, radius, Some(mask));
            }
            return Ok(());
        }
        let mut layer = frame.clone();
        self.apply(
            &mut layer,
            &[Redaction {
                rect: frame.bounds(),
                style,
            }],
        )?;
        blend(frame, &layer, mask)
    }
}

/// `frame = frame * (1 - a) + layer * a` per channel, `a = mask / 255`, in integers rounded half
/// up (the composite shader's arithmetic). Pixels the mask leaves alone are not touched.
pub fn blend(frame: &mut Frame, layer: &Frame, mask: &Mask) -> Result<()> {
    check_mask(frame, mask)?;
    if (layer.width(), layer.height()) != (frame.width(), frame.height()) {
        return Err(crate::error::Error::new(
            crate::error::ErrorKind::BadInput,
            "composite layer and frame differ in size",
        ));
    }
    let w = frame.width() as usize * 4;
    frame
        .data_mut()
        .par_chunks_mut(w)
        .zip(layer.data().par_chunks(w))
        .enumerate()
        .for_each(|(y, (row, lrow))| {
            let arow = &mask.alpha()[y * w / 4..(y + 1) * w / 4];
            for ((o, l), &a) in row.chunks_exact_mut(4).zip(lrow.chunks_exact(4)).zip(arow) {
                match a {
                    0 => {}
                    255 => o.copy_from_slice(l),
                    _ => blend_px(o, l, a),
                }
            }
        });
    Ok(())
}

/// Regions smaller than this many pixels are processed on the calling thread: waking rayon's
/// workers costs more than filling a text-line box (measured with `cargo bench --bench redact`).
const PARALLEL_MIN_PIXELS: u64 = 1 << 16;

/// Calls `f(y, row)` with the mutable `[x0, x1)` slice of every row of `rect`; in parallel for
/// large regions.
fn for_each_row(frame: &mut Frame, rect: Rect, f: impl Fn(u32, &mut [u8]) + Sync + Send) {
    let stride = frame.width() as usize * 4;
    let (x0, x1) = (rect.x as usize * 4, rect.right() as usize * 4);
    let data = &mut frame.data_mut()[rect.y as usize * stride..rect.bottom() as usize * stride];
    if rect.area() < PARALLEL_MIN_PIXELS {
        data.chunks_mut(stride)
            .enumerate()
            .for_each(|(i, row)| f(rect.y + i as u32, &mut row[x0..x1]));
    } else {
        data.par_chunks_mut(stride)
            .enumerate()
            .for_each(|(i, row)| f(rect.y + i as u32, &mut row[x0..x1]));
    }
}

fn solid(frame: &mut Frame, rect: Rect, color: [u8; 3]) {
    let px = [color[0], color[1], color[2], 255];
    for_each_row(frame, rect, |_, row| {
        for p in row.chunks_exact_mut(4) {
            p.copy_from_slice(&px);
        }
    });
}

/// Each `block` x `block` cell (aligned to the region's corner, clipped to it) becomes its
/// rounded mean colour.
fn mosaic(frame: &mut Frame, rect: Rect, block: u32) {
    let w = frame.width() as usize;
    let bands: Vec<(u32, u32)> = (rect.y..rect.bottom())
        .step_by(block as usize)
        .map(|y| (y, (y + block).min(rect.bottom())))
        .collect();
    // means first (read-only), then fill: cells never read pixels another cell wrote
    let mean_of_band = |&(y0, y1): &(u32, u32)| {
        let data = frame.data();
        (rect.x..rect.right())
            .step_by(block as usize)
            .map(|x0| {
                let x1 = (x0 + block).min(rect.right());
                let mut sum = [0u64; 4];
                for y in y0..y1 {
                    let row = &data[(y as usize * w + x0 as usize) * 4..(y as usize * w + x1 as usize) * 4];
                    for p in row.chunks_exact(4) {
                        for c in 0..4 {
                            sum[c] += p[c] as u64;
                        }
                    }
                }
                let n = ((x1 - x0) * (y1 - y0)) as u64;
                [0, 1, 2, 3].map(|c| ((sum[c] + n / 2) / n) as u8)
            })
            .collect::<Vec<[u8; 4]>>()
    };
    let means: Vec<Vec<[u8; 4]>> = if rect.area() < PARALLEL_MIN_PIXELS {
        bands.iter().map(mean_of_band).collect()
    } else {
        bands.par_iter().map(mean_of_band).collect()
    };
    for_each_row(frame, rect, |y, row| {
        let band = &means[((y - rect.y) / block) as usize];
        for (i, p) in row.chunks_exact_mut(4).enumerate() {
            p.copy_from_slice(&band[i / block as usize]);
        }
    });
}

/// The blur both backends implement, step for step (see `blur_plan`): box-average the region
/// down by `s`, three separable box passes of radius `rl` at low resolution, bilinear back up.
/// Sampling stays inside the region (edges clamp), so nothing outside it influences the result.
fn blur(frame: &mut Frame, rect: Rect, radius: u32, mask: Option<&Mask>) {
    if radius == 0 {
        return;
    }
    let plan = blur_plan(rect, radius);
    let (lw, lh, s) = (plan.low_w as usize, plan.low_h as usize, plan.scale as usize);
    let w = frame.width() as usize;
    let data = frame.data();
    let mut a: Vec<[f32; 4]> = vec![[0.0; 4]; lw * lh];
    a.par_chunks_mut(lw).enumerate().for_each(|(ly, row)| {
        let y0 = rect.y as usize + ly * s;
        let y1 = (y0 + s).min(rect.bottom() as usize);
        for (lx, out) in row.iter_mut().enumerate() {
            let x0 = rect.x as usize + lx * s;
            let x1 = (x0 + s).min(rect.right() as usize);
            let mut sum = [0u32; 4];
            for y in y0..y1 {
                for p in data[(y * w + x0) * 4..(y * w + x1) * 4].chunks_exact(4) {
                    for c in 0..4 {
                        sum[c] += p[c] as u32;
                    }
                }
            }
            let n = ((x1 - x0) * (y1 - y0)) as f32;
            *out = sum.map(|v| v as f32 / n);
        }
    });
    let mut b = a.clone();
    let r = plan.low_radius as isize;
    let norm = 1.0 / (2 * r + 1) as f32;
    for _ in 0..3 {
        box_pass(&a, &mut b, lw, lh, r, norm, true);
        box_pass(&b, &mut a, lw, lh, r, norm, false);
    }
    // Bilinear taps per column and per row, computed once: the same expressions as the shader's.
    let taps = |i: u32, low: usize| {
        let v = (((i as f32 + 0.5) / s as f32) - 0.5).clamp(0.0, (low - 1) as f32);
        let i0 = v.floor() as usize;
        (i0, (i0 + 1).min(low - 1), v - i0 as f32)
    };
    let cols: Vec<(usize, usize, f32)> = (0..rect.w).map(|x| taps(x, lw)).collect();
    // Horizontal interpolation of every low-res row once ("top" and "bottom" in the shader).
    let mut hrows: Vec<[f32; 4]> = vec![[0.0; 4]; lh * rect.w as usize];
    hrows.par_chunks_mut(rect.w as usize).enumerate().for_each(|(ly, out)| {
        let r = &a[ly * lw..(ly + 1) * lw];
        for (o, &(x0, x1, fx)) in out.iter_mut().zip(&cols) {
            *o = [0, 1, 2, 3].map(|c| r[x0][c] * (1.0 - fx) + r[x1][c] * fx);
        }
    });
    let (ry, rw) = (rect.y, rect.w as usize);
    let fw = frame.width() as usize;
    for_each_row(frame, rect, |y, row| {
        let (y0, y1, fy) = taps(y - ry, lh);
        let (top, bottom) = (&hrows[y0 * rw..(y0 + 1) * rw], &hrows[y1 * rw..(y1 + 1) * rw]);
        let alpha = mask.map(|m| &m.alpha()[y as usize * fw + rect.x as usize..][..rw]);
        for (i, ((p, t), b)) in row.chunks_exact_mut(4).zip(top).zip(bottom).enumerate() {
            let a = alpha.map_or(255, |a| a[i]);
            if a == 0 {
                continue;
            }
            // floor(v + 0.5) (WGSL's round() is half-to-even); v >= 0, so truncation floors
            let blurred = [0, 1, 2, 3].map(|c| ((t[c] * (1.0 - fy) + b[c] * fy).clamp(0.0, 255.0) + 0.5) as u8);
            if a == 255 {
                p.copy_from_slice(&blurred);
            } else {
                blend_px(p, &blurred, a);
            }
        }
    });
}

/// One pixel of the masked composite, in the shader's integer arithmetic.
#[inline]
fn blend_px(o: &mut [u8], l: &[u8], a: u8) {
    let a = a as u32;
    for c in 0..4 {
        o[c] = ((o[c] as u32 * (255 - a) + l[c] as u32 * a + 127) / 255) as u8;
    }
}

/// One box pass of radius `r` with clamped edges, along rows or columns; taps summed in order
/// from -r to r, as the shader does.
fn box_pass(src: &[[f32; 4]], dst: &mut [[f32; 4]], w: usize, h: usize, r: isize, norm: f32, horizontal: bool) {
    dst.par_chunks_mut(w).enumerate().for_each(|(y, row)| {
        for (x, out) in row.iter_mut().enumerate() {
            let mut acc = [0f32; 4];
            for k in -r..=r {
                let p = if horizontal {
                    src[y * w + (x as isize + k).clamp(0, w as isize - 1) as usize]
                } else {
                    src[(y as isize + k).clamp(0, h as isize - 1) as usize * w + x]
                };
                for c in 0..4 {
                    acc[c] += p[c];
                }
            }
            *out = acc.map(|v| v * norm);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gradient(w: u32, h: u32) -> Frame {
        let mut data = Vec::new();
        for y in 0..h {
            for x in 0..w {
                data.extend_from_slice(&[(x * 7 % 256) as u8, (y * 11 % 256) as u8, ((x + y) % 256) as u8, 255]);
            }
        }
        Frame::new(w, h, data).unwrap()
    }

    fn apply(frame: &mut Frame, rect: Rect, style: Style) {
        CpuRedactor.apply(frame, &[Redaction { rect, style }]).unwrap();
    }

    #[test]
    fn solid_fills_exactly_the_region() {
        let mut f = gradient(50, 40);
        let orig = f.clone();
        let r = Rect::new(10, 5, 20, 10);
        apply(&mut f, r, Style::Solid { color: [1, 2, 3] });
        for y in 0..40 {
            for x in 0..50 {
                let inside = (10..30).contains(&x) && (5..15).contains(&y);
                if inside {
                    assert_eq!(f.pixel(x, y), [1, 2, 3, 255]);
                } else {
                    assert_eq!(f.pixel(x, y), orig.pixel(x, y));
                }
            }
        }
    }

    #[test]
    fn mosaic_blocks_are_uniform_and_clipped() {
        let mut f = gradient(37, 23);
        apply(&mut f, Rect::new(3, 2, 30, 20), Style::Mosaic { block: 8 });
        // within one block every pixel is equal
        assert_eq!(f.pixel(3, 2), f.pixel(10, 9));
        assert_ne!(f.pixel(3, 2), f.pixel(11, 2));
        // partial last block
        assert_eq!(f.pixel(27, 18), f.pixel(32, 21));
    }

    #[test]
    fn blur_keeps_flat_areas_and_smooths_edges() {
        let mut f = Frame::filled(40, 40, [200, 100, 50, 255]).unwrap();
        apply(&mut f, Rect::new(0, 0, 40, 40), Style::Blur { radius: 4 });
        assert_eq!(f.pixel(20, 20), [200, 100, 50, 255]);
        let mut g = gradient(40, 40);
        let before = g.pixel(20, 20);
        apply(&mut g, Rect::new(0, 0, 40, 40), Style::Blur { radius: 4 });
        assert_ne!(g.pixel(20, 20), before);
    }

    #[test]
    fn regions_outside_or_touching_edges_are_safe() {
        let mut f = gradient(1, 1);
        apply(&mut f, Rect::new(0, 0, 5, 5), Style::Mosaic { block: 4 });
        apply(&mut f, Rect::new(3, 3, 5, 5), Style::Solid { color: [0, 0, 0] });
        apply(&mut f, Rect::new(0, 0, 1, 1), Style::Blur { radius: 9 });
        assert_eq!(f.width(), 1);
    }
}
