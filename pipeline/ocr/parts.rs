//! Where in a frame text can be: detection skips flat areas.
//!
//! Screens are mostly background. A page of text sits in a column beside empty margins, a
//! scroll bar runs down one edge, a toolbar spans the top. Detection costs in proportion to the
//! pixels it is given, so [`content_parts`] cuts the frame into a few rectangles that hold every
//! 8x8 cell with content and as little else as it can, and the detector runs on each. A cell
//! has content when it varies along both axes: flat cells and cells crossed only by straight
//! borders and rules have none, and a glyph's corners, which vary both ways, bound the glyph.
//!
//! A cut never passes through a line of text: it runs only where no pixel column (for a
//! horizontal cut; row, for a vertical one) changes within [`CUT_CLEARANCE`] pixels either side.
//! Glyphs always change along both axes within that distance; what a cut may cross are long
//! straight edges (a scroll bar's border, a table rule), which are not text.

use crate::frame::{Frame, Rect};

/// Side of the cells classed flat or not; cuts run on cell boundaries.
const CELL: u32 = 8;
/// Pixels either side of a cut that must not change across it.
pub const CUT_CLEARANCE: u32 = 12;
/// Pixels within this of each other in every channel count as the same colour. Screen backgrounds are flat to the bit;
/// lossy video adds a little noise; text this faint cannot be read by anyone.
const TOLERANCE: u8 = 6;
/// Context kept around each part, so glyphs never touch the edge of what the detector sees.
pub const PART_MARGIN: u32 = 16;
/// A rectangle at least this full of content cells (tenths) is not cut further.
const DENSE_TENTHS: usize = 6;
/// Parts are only worth it when they cover at most this much of the frame (tenths).
const WORTH_TENTHS: usize = 8;
/// Cutting stops after this many levels: at most 2^depth parts.
const MAX_DEPTH: u32 = 5;

/// A part of a frame to detect text in: `area` is what the detector sees, `core` the cells it
/// answers for (a box is kept by the part whose core holds its centre).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    pub area: Rect,
    pub core: Rect,
}

/// The parts of `frame` that need detection; empty when the frame is flat; a single part
/// covering the frame when cutting would not save enough.
pub fn content_parts(frame: &Frame) -> Vec<Part> {
    let grid = Grid::of(frame);
    let mut cells = Vec::new();
    grid.split(
        CellRect {
            x0: 0,
            y0: 0,
            x1: grid.cw,
            y1: grid.ch,
        },
        MAX_DEPTH,
        &mut cells,
    );
    let bounds = frame.bounds();
    let mut parts: Vec<Part> = cells
        .iter()
        .map(|c| {
            let core =
                Rect::new(c.x0 * CELL, c.y0 * CELL, (c.x1 - c.x0) * CELL, (c.y1 - c.y0) * CELL).intersect(bounds);
            Part {
                area: core.pad(PART_MARGIN, PART_MARGIN, bounds),
                core,
            }
        })
        .collect();
    let covered: u64 = parts.iter().map(|p| p.area.area()).sum();
    if parts.len() > 1 && covered * 10 > bounds.area() * WORTH_TENTHS as u64 {
        parts = vec![Part {
            area: bounds,
            core: bounds,
        }];
    }
    parts
}

/// A rectangle of cells, ends exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CellRect {
    x0: u32,
    y0: u32,
    x1: u32,
    y1: u32,
}

impl CellRect {
    fn area(&self) -> usize {
        ((self.x1 - self.x0) * (self.y1 - self.y0)) as usize
    }
}

/// Every pixel of `row` (RGBA) is within the tolerance of `px`. No early exit, so it vectorises.
fn all_near(row: &[u8], px: &[u8]) -> bool {
    let px: [u8; 4] = [px[0], px[1], px[2], px[3]];
    row.chunks_exact(4).fold(0u8, |m, p| {
        let d = p[0].abs_diff(px[0]).max(p[1].abs_diff(px[1]));
        m.max(d.max(p[2].abs_diff(px[2])).max(p[3].abs_diff(px[3])))
    }) <= TOLERANCE
}

/// `a` and `b` are pixel for pixel within the tolerance.
fn rows_near(a: &[u8], b: &[u8]) -> bool {
    a.iter().zip(b).fold(0u8, |m, (&p, &q)| m.max(p.abs_diff(q))) <= TOLERANCE
}

/// Which cells hold anything but a flat colour, and where cuts may run.
struct Grid<'f> {
    frame: &'f Frame,
    cw: u32,
    ch: u32,
    content: Vec<bool>,
}

impl<'f> Grid<'f> {
    fn of(frame: &'f Frame) -> Grid<'f> {
        let (w, h) = (frame.width(), frame.height());
        let (cw, ch) = (w.div_ceil(CELL), h.div_ceil(CELL));
        let mut content = vec![false; (cw * ch) as usize];
        for cy in 0..ch {
            let (y0, y1) = (cy * CELL, (cy * CELL + CELL).min(h));
            for cx in 0..cw {
                let (x0, x1) = (cx * CELL, (cx * CELL + CELL).min(w));
                // straight edges only (every row constant, or every column) are borders and
                // rules, not text: a glyph's corners vary both ways, and they bound it
                let rows_constant =
                    (y0..y1).all(|y| all_near(frame.row_span(y, x0, x1), frame.row_span(y, x0, x0 + 1)));
                let top = frame.row_span(y0, x0, x1);
                let columns_constant = (y0..y1).all(|y| rows_near(frame.row_span(y, x0, x1), top));
                content[(cy * cw + cx) as usize] = !rows_constant && !columns_constant;
            }
        }
        Grid { frame, cw, ch, content }
    }

    /// A horizontal cut at `y = cy * CELL` may cross cell column `cx`: no pixel there changes
    /// within the clearance above or below.
    fn cut_h(&self, cy: u32, cx: u32) -> bool {
        let (w, h) = (self.frame.width(), self.frame.height());
        let (x0, x1) = (cx * CELL, (cx * CELL + CELL).min(w));
        let y = cy * CELL;
        let at = self.frame.row_span(y, x0, x1);
        (y.saturating_sub(CUT_CLEARANCE)..(y + CUT_CLEARANCE).min(h))
            .all(|r| rows_near(self.frame.row_span(r, x0, x1), at))
    }

    /// A vertical cut at `x = cx * CELL` may cross cell row `cy`: no pixel there changes within
    /// the clearance left or right.
    fn cut_v(&self, cx: u32, cy: u32) -> bool {
        let (w, h) = (self.frame.width(), self.frame.height());
        let (y0, y1) = (cy * CELL, (cy * CELL + CELL).min(h));
        let x = cx * CELL;
        let (a, b) = (x.saturating_sub(CUT_CLEARANCE), (x + CUT_CLEARANCE).min(w));
        (y0..y1).all(|y| all_near(self.frame.row_span(y, a, b), self.frame.row_span(y, x, x + 1)))
    }

    fn at(&self, x: u32, y: u32) -> bool {
        self.content[(y * self.cw + x) as usize]
    }

    /// The smallest rectangle holding every content cell of `r`.
    fn trim(&self, r: CellRect) -> Option<CellRect> {
        let mut t: Option<CellRect> = None;
        for y in r.y0..r.y1 {
            for x in r.x0..r.x1 {
                if self.at(x, y) {
                    t = Some(match t {
                        None => CellRect {
                            x0: x,
                            y0: y,
                            x1: x + 1,
                            y1: y + 1,
                        },
                        Some(t) => CellRect {
                            x0: t.x0.min(x),
                            y0: t.y0,
                            x1: t.x1.max(x + 1),
                            y1: y + 1,
                        },
                    });
                }
            }
        }
        t
    }

    fn filled(&self, r: &CellRect) -> usize {
        (r.y0..r.y1)
            .map(|y| (r.x0..r.x1).filter(|&x| self.at(x, y)).count())
            .sum()
    }

    /// Guillotine cuts where no edge crosses, each chosen to leave the least area, until the
    /// pieces are dense or no cut saves enough.
    fn split(&self, r: CellRect, depth: u32, out: &mut Vec<CellRect>) {
        let Some(r) = self.trim(r) else { return };
        let area = r.area();
        if depth == 0 || self.filled(&r) * 10 >= area * DENSE_TENTHS {
            out.push(r);
            return;
        }
        // the trimmed pieces either side of every row (column) boundary, from running unions
        let row = |y: u32| {
            let xs = (r.x0..r.x1).filter(|&x| self.at(x, y));
            let (x0, x1) = xs.fold((u32::MAX, 0), |(a, b), x| (a.min(x), b.max(x + 1)));
            (x0 < x1).then_some(CellRect {
                x0,
                y0: y,
                x1,
                y1: y + 1,
            })
        };
        let column = |x: u32| {
            let ys = (r.y0..r.y1).filter(|&y| self.at(x, y));
            let (y0, y1) = ys.fold((u32::MAX, 0), |(a, b), y| (a.min(y), b.max(y + 1)));
            (y0 < y1).then_some(CellRect {
                x0: x,
                y0,
                x1: x + 1,
                y1,
            })
        };
        let mut best: Option<(usize, CellRect, CellRect)> = None;
        let mut consider = |a: Option<CellRect>, b: Option<CellRect>| {
            if let (Some(a), Some(b)) = (a, b) {
                let cost = a.area() + b.area();
                if best.is_none_or(|(c, _, _)| cost < c) {
                    best = Some((cost, a, b));
                }
            }
        };
        let (before, after) = running_unions((r.y0..r.y1).map(row).collect());
        for y in r.y0 + 1..r.y1 {
            if (r.x0..r.x1).all(|x| self.cut_h(y, x)) {
                let i = (y - r.y0) as usize;
                consider(before[i], after[i]);
            }
        }
        let (before, after) = running_unions((r.x0..r.x1).map(column).collect());
        for x in r.x0 + 1..r.x1 {
            if (r.y0..r.y1).all(|y| self.cut_v(x, y)) {
                let i = (x - r.x0) as usize;
                consider(before[i], after[i]);
            }
        }
        match best {
            Some((cost, a, b)) if cost <= area => {
                self.split(a, depth - 1, out);
                self.split(b, depth - 1, out);
            }
            _ => out.push(r),
        }
    }
}

fn union(a: Option<CellRect>, b: Option<CellRect>) -> Option<CellRect> {
    match (a, b) {
        (Some(a), Some(b)) => Some(CellRect {
            x0: a.x0.min(b.x0),
            y0: a.y0.min(b.y0),
            x1: a.x1.max(b.x1),
            y1: a.y1.max(b.y1),
        }),
        (a, None) => a,
        (None, b) => b,
    }
}

/// For slices `s[0..n]`: `before[i]` is the union of `s[..i]`, `after[i]` of `s[i..]`.
fn running_unions(s: Vec<Option<CellRect>>) -> (Vec<Option<CellRect>>, Vec<Option<CellRect>>) {
    let n = s.len();
    let mut before = vec![None; n + 1];
    let mut after = vec![None; n + 1];
    for i in 0..n {
        before[i + 1] = union(before[i], s[i]);
    }
    for i in (0..n).rev() {
        after[i] = union(s[i], after[i + 1]);
    }
    (before, after)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paint(f: &mut Frame, r: Rect, c: [u8; 4]) {
        for y in r.y..r.bottom() {
            for x in r.x..r.right() {
                let i = ((y * f.width() + x) * 4) as usize;
                f.data_mut()[i..i + 4].copy_from_slice(&c);
            }
        }
    }

    /// A browser-like screen: toolbar across the top, a scroll bar down the right edge, a
    /// column of "text" on the left, the rest white.
    fn page() -> Frame {
        let mut f = Frame::filled(1920, 1080, [255; 4]).unwrap();
        paint(&mut f, Rect::new(0, 0, 1920, 80), [222, 225, 230, 255]);
        paint(&mut f, Rect::new(0, 80, 1920, 1), [160, 160, 160, 255]);
        paint(&mut f, Rect::new(100, 30, 600, 20), [30, 30, 30, 255]);
        paint(&mut f, Rect::new(1904, 81, 16, 999), [200, 200, 200, 255]);
        paint(&mut f, Rect::new(1904, 81, 1, 999), [120, 120, 120, 255]);
        for i in 0..30 {
            // text lines with a noisy glyph texture
            for x in (40..1000).step_by(3) {
                paint(&mut f, Rect::new(x, 120 + i * 30, 1, 14), [0, 0, 0, 255]);
            }
        }
        f
    }

    #[test]
    fn flat_frames_have_no_parts() {
        let f = Frame::filled(640, 480, [40, 40, 40, 255]).unwrap();
        assert!(content_parts(&f).is_empty());
    }

    #[test]
    fn margins_and_the_area_beside_a_column_of_text_are_skipped() {
        let f = page();
        let parts = content_parts(&f);
        let area: u64 = parts.iter().map(|p| p.area.area()).sum();
        assert!(area * 10 < f.bounds().area() * 7, "{parts:?}");
        // every non-flat pixel lies in some core, and each core sits inside its area
        let grid = Grid::of(&f);
        for cy in 0..grid.ch {
            for cx in 0..grid.cw {
                if grid.at(cx, cy) {
                    let t = Rect::new(cx * CELL, cy * CELL, 1, 1);
                    assert!(parts.iter().any(|p| p.core.contains(t)), "cell {cx},{cy} in no part");
                }
            }
        }
        assert!(parts.iter().all(|p| p.area.contains(p.core)));
        // no part reaches across the white gap between the text and the scroll bar
        assert!(
            parts
                .iter()
                .all(|p| p.core.right() <= 1024 || p.core.x >= 1888 || p.core.bottom() <= 96),
            "{parts:?}"
        );
    }

    #[test]
    fn no_cut_runs_through_a_line() {
        // one line of text crossing what would be a tile boundary, with a long run of words
        let mut f = Frame::filled(1280, 256, [255; 4]).unwrap();
        for x in (20..1200).step_by(4) {
            paint(&mut f, Rect::new(x, 58, 2, 12), [0, 0, 0, 255]);
        }
        paint(&mut f, Rect::new(20, 200, 40, 12), [0, 0, 0, 255]);
        let parts = content_parts(&f);
        let line = Rect::new(20, 58, 1180, 12);
        assert!(parts.iter().any(|p| p.core.contains(line)), "{parts:?}");
    }

    #[test]
    fn dense_frames_stay_whole() {
        // glyph-like texture everywhere: short strokes on a grid
        let mut f = Frame::filled(320, 240, [255; 4]).unwrap();
        for y in (0..240).step_by(6) {
            for x in (0..320).step_by(5) {
                paint(&mut f, Rect::new(x, y, 2, 3), [0, 0, 0, 255]);
            }
        }
        assert_eq!(
            content_parts(&f),
            vec![Part {
                area: f.bounds(),
                core: f.bounds()
            }]
        );
    }

    #[test]
    fn noise_within_the_tolerance_is_flat_and_beyond_it_is_content() {
        let mut f = Frame::filled(256, 256, [128, 128, 128, 255]).unwrap();
        paint(&mut f, Rect::new(10, 10, 20, 20), [131, 125, 128, 255]);
        assert!(content_parts(&f).is_empty());
        paint(&mut f, Rect::new(200, 200, 3, 3), [140, 128, 128, 255]);
        let parts = content_parts(&f);
        assert!(!parts.is_empty());
        assert!(parts.iter().all(|p| p.core.contains(Rect::new(200, 200, 3, 3))));
    }
}
