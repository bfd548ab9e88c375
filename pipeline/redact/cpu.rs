//! The CPU redactor: row-parallel with rayon, plain loops the compiler vectorises.

use rayon::prelude::*;

use super::{Redaction, Redactor, Style};
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
                Style::Blur { radius } => blur(frame, rect, radius),
            }
        }
        Ok(())
    }
}

/// Mutable row slices `[x0, x1)` of the rows of `rect`, in parallel.
fn rows_mut(frame: &mut Frame, rect: Rect) -> impl ParallelIterator<Item = (u32, &mut [u8])> {
    let stride = frame.width() as usize * 4;
    let (x0, x1) = (rect.x as usize * 4, rect.right() as usize * 4);
    let data = &mut frame.data_mut()[rect.y as usize * stride..rect.bottom() as usize * stride];
    data.par_chunks_mut(stride)
        .enumerate()
        .map(move |(i, row)| (rect.y + i as u32, &mut row[x0..x1]))
}

fn solid(frame: &mut Frame, rect: Rect, color: [u8; 3]) {
    let px = [color[0], color[1], color[2], 255];
    rows_mut(frame, rect).for_each(|(_, row)| {
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
    let means: Vec<Vec<[u8; 4]>> = bands
        .par_iter()
        .map(|&(y0, y1)| {
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
                .collect()
        })
        .collect();
    rows_mut(frame, rect).for_each(|(y, row)| {
        let band = &means[((y - rect.y) / block) as usize];
        for (i, p) in row.chunks_exact_mut(4).enumerate() {
            p.copy_from_slice(&band[i / block as usize]);
        }
    });
}

/// Three box-blur passes (horizontal then vertical each) over the region, sampling only inside
/// it with clamped edges, so the result depends on nothing outside the region.
fn blur(frame: &mut Frame, rect: Rect, radius: u32) {
    if radius == 0 {
        return;
    }
    let (rw, rh) = (rect.w as usize, rect.h as usize);
    let w = frame.width() as usize;
    let mut buf: Vec<[f32; 4]> = Vec::with_capacity(rw * rh);
    for y in rect.y..rect.bottom() {
        let row = &frame.data()[(y as usize * w + rect.x as usize) * 4..(y as usize * w + rect.right() as usize) * 4];
        buf.extend(
            row.chunks_exact(4)
                .map(|p| [p[0] as f32, p[1] as f32, p[2] as f32, p[3] as f32]),
        );
    }
    let r = radius as usize;
    let mut tmp = buf.clone();
    for _ in 0..3 {
        box_pass(&buf, &mut tmp, rw, rh, r, true);
        box_pass(&tmp, &mut buf, rw, rh, r, false);
    }
    rows_mut(frame, rect).for_each(|(y, row)| {
        let src = &buf[(y - rect.y) as usize * rw..][..rw];
        for (p, s) in row.chunks_exact_mut(4).zip(src) {
            for c in 0..4 {
                p[c] = s[c].round().clamp(0.0, 255.0) as u8;
            }
        }
    });
}

/// One 1-D box filter of width 2r+1 with clamped edges, along rows or columns.
fn box_pass(src: &[[f32; 4]], dst: &mut [[f32; 4]], w: usize, h: usize, r: usize, horizontal: bool) {
    let (len, lines) = if horizontal { (w, h) } else { (h, w) };
    let idx = move |line: usize, i: usize| {
        if horizontal {
            line * w + i
        } else {
            i * w + line
        }
    };
    let norm = 1.0 / (2 * r + 1) as f32;
    let out: Vec<(usize, Vec<[f32; 4]>)> = (0..lines)
        .into_par_iter()
        .map(|line| {
            let at = |i: isize| src[idx(line, i.clamp(0, len as isize - 1) as usize)];
            let mut acc = [0f32; 4];
            for i in -(r as isize)..=(r as isize) {
                let p = at(i);
                for c in 0..4 {
                    acc[c] += p[c];
                }
            }
            let mut res = Vec::with_capacity(len);
            for i in 0..len as isize {
                res.push(acc.map(|a| a * norm));
                let (add, sub) = (at(i + r as isize + 1), at(i - r as isize));
                for c in 0..4 {
                    acc[c] += add[c] - sub[c];
                }
            }
            (line, res)
        })
        .collect();
    for (line, res) in out {
        for (i, v) in res.into_iter().enumerate() {
            dst[idx(line, i)] = v;
        }
    }
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
