//! Whiteboards, papers and screens behind the person: found without reading them, so handwriting
//! that OCR cannot read is covered too. Two cues: the text detector's probability map (any
//! text-like strokes) and large bright, flat quadrilaterals with dark marks on them.

use crate::error::Result;
use crate::frame::{Frame, Rect};
use crate::ocr::{db_boxes, DbDetector, DbParams};

/// Longer side the camera frame is scaled to for the text map: camera text that matters
/// (a whiteboard, a sticky note) is large; 640 px keeps the map affordable (35 ms p50 on one
/// core at 720p, `scrim bench camera CLIP --whiteboards --faces mosaic`).
pub const BOARD_DET_MAX_SIDE: u32 = 640;
/// Side of the grid the brightness analysis runs on (cells of the frame).
const GRID_W: usize = 160;

pub struct BoardDetector {
    det: DbDetector,
    params: DbParams,
}

impl BoardDetector {
    pub fn new(det: DbDetector) -> Self {
        BoardDetector {
            det: det.with_max_side(BOARD_DET_MAX_SIDE),
            // lower thresholds than for screen text: handwriting gives weaker, broken responses
            params: DbParams {
                threshold: 0.25,
                box_threshold: 0.4,
                unclip_ratio: 2.0,
                min_side: 2,
            },
        }
    }

    /// Boxes to cover: text-like areas (grown to whole words and lines) and bright boards that
    /// carry marks.
    pub fn detect(&mut self, frame: &Frame) -> Result<Vec<Rect>> {
        let (map, mw, mh) = self.det.probability_map(frame)?;
        let bounds = frame.bounds();
        let pad = (frame.width().max(frame.height()) / 200).max(2);
        let mut out: Vec<Rect> = db_boxes(&map, mw, mh, frame.width(), frame.height(), &self.params)
            .into_iter()
            .map(|b| b.rect.pad(pad, pad, bounds))
            .collect();
        out.extend(bright_boards(frame));
        Ok(merge(out))
    }
}

/// Large bright low-saturation components of the frame (boards, paper, lit screens) that are
/// roughly rectangular and carry dark marks.
pub fn bright_boards(frame: &Frame) -> Vec<Rect> {
    let (fw, fh) = (frame.width() as usize, frame.height() as usize);
    let cell = fw.div_ceil(GRID_W).max(1);
    let (gw, gh) = (fw.div_ceil(cell), fh.div_ceil(cell));
    // per cell: mean luma, saturation, and whether it holds dark marks
    let mut bright = vec![false; gw * gh];
    let mut marked = vec![false; gw * gh];
    let mut lum_sum = 0f64;
    let mut lumas = vec![0f32; gw * gh];
    for gy in 0..gh {
        for gx in 0..gw {
            let (x0, y0) = (gx * cell, gy * cell);
            let (x1, y1) = ((x0 + cell).min(fw), (y0 + cell).min(fh));
            let (mut sum, mut sat, mut min_l, mut n) = (0u32, 0u32, 255u8, 0u32);
            for y in y0..y1 {
                for p in frame.row_span(y as u32, x0 as u32, x1 as u32).chunks_exact(4) {
                    let l = ((p[0] as u32 * 77 + p[1] as u32 * 150 + p[2] as u32 * 29) >> 8) as u8;
                    let mx = p[0].max(p[1]).max(p[2]);
                    let mn = p[0].min(p[1]).min(p[2]);
                    sum += l as u32;
                    sat += (mx - mn) as u32;
                    min_l = min_l.min(l);
                    n += 1;
                }
            }
            let mean = sum as f32 / n as f32;
            lumas[gy * gw + gx] = mean;
            lum_sum += mean as f64;
            bright[gy * gw + gx] = mean > 150.0 && (sat as f32 / n as f32) < 40.0;
            marked[gy * gw + gx] = (mean - min_l as f32) > 60.0;
        }
    }
    let frame_mean = (lum_sum / (gw * gh) as f64) as f32;
    // a mark on a board makes its cell darker: count cells with marks as board too if their
    // neighbours are bright (closing by one cell)
    let board: Vec<bool> = (0..gw * gh)
        .map(|i| {
            let (x, y) = (i % gw, i / gw);
            bright[i]
                || (marked[i]
                    && [(0isize, -1isize), (0, 1), (-1, 0), (1, 0)].iter().all(|&(dx, dy)| {
                        let (nx, ny) = (x as isize + dx, y as isize + dy);
                        nx < 0
                            || ny < 0
                            || nx >= gw as isize
                            || ny >= gh as isize
                            || bright[ny as usize * gw + nx as usize]
                    }))
        })
        .collect();
    let mut label = vec![usize::MAX; gw * gh];
    let mut out = Vec::new();
    let mut stack = Vec::new();
    for start in 0..gw * gh {
        if !board[start] || label[start] != usize::MAX {
            continue;
        }
        let (mut x0, mut y0, mut x1, mut y1, mut n, mut marks, mut lsum) = (gw, gh, 0, 0, 0usize, 0usize, 0f32);
        label[start] = start;
        stack.push(start);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % gw, i / gw);
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
            n += 1;
            marks += marked[i] as usize;
            lsum += lumas[i];
            for (dx, dy) in [(0isize, -1isize), (0, 1), (-1, 0), (1, 0)] {
                let (nx, ny) = (x as isize + dx, y as isize + dy);
                if nx < 0 || ny < 0 || nx >= gw as isize || ny >= gh as isize {
                    continue;
                }
                let j = ny as usize * gw + nx as usize;
                if board[j] && label[j] == usize::MAX {
                    label[j] = start;
                    stack.push(j);
                }
            }
        }
        let (bw, bh) = (x1 - x0 + 1, y1 - y0 + 1);
        let fill = n as f32 / (bw * bh) as f32;
        let big = n * 100 >= gw * gh; // at least 1 % of the frame
                                      // a board hangs in the room: a bright area running along two or more frame edges is a
                                      // wall or a window, not a board (a board cut by one edge still counts)
        let edges = (x0 == 0) as u8 + (y0 == 0) as u8 + (x1 == gw - 1) as u8 + (y1 == gh - 1) as u8;
        let whole_frame = edges >= 2;
        // brighter than the room, rectangular enough, with some marks but not a texture
        if big && !whole_frame && fill > 0.6 && marks >= 2 && marks * 2 < n && lsum / n as f32 > frame_mean + 10.0 {
            out.push(
                Rect::new(
                    (x0 * cell) as u32,
                    (y0 * cell) as u32,
                    (bw * cell) as u32,
                    (bh * cell) as u32,
                )
                .intersect(frame.bounds()),
            );
        }
    }
    out
}

/// Overlapping boxes become one (fewer, larger redactions; a board's words join into the board).
fn merge(mut rects: Vec<Rect>) -> Vec<Rect> {
    let mut changed = true;
    while changed {
        changed = false;
        let mut out: Vec<Rect> = Vec::new();
        for r in rects {
            if let Some(o) = out.iter_mut().find(|o| o.overlaps(r)) {
                *o = o.union(r);
                changed = true;
            } else {
                out.push(r);
            }
        }
        rects = out;
    }
    rects
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marked_bright_board_on_a_dim_wall_is_found() {
        let (w, h) = (640u32, 360u32);
        let mut f = Frame::filled(w, h, [90, 80, 70, 255]).unwrap();
        let board = Rect::new(300, 40, 240, 150);
        for y in board.y..board.bottom() {
            for x in board.x..board.right() {
                // dark scribbles every few rows
                let ink =
                    (y - board.y) % 20 < 3 && (x - board.x) % 37 < 25 && y > board.y + 10 && y < board.bottom() - 10;
                let c = if ink { [30, 30, 120, 255] } else { [235, 235, 230, 255] };
                let i = ((y * w + x) * 4) as usize;
                f.data_mut()[i..i + 4].copy_from_slice(&c);
            }
        }
        let found = bright_boards(&f);
        assert_eq!(found.len(), 1, "{found:?}");
        // the same board pushed into a corner is a lit wall, not a board
        let wall = Rect::new(w - board.w, 0, board.w, board.h);
        let mut shifted = Frame::filled(w, h, [90, 80, 70, 255]).unwrap();
        for y in 0..board.h {
            for x in 0..board.w {
                let p = f.pixel(board.x + x, board.y + y);
                let i = (((wall.y + y) * w + wall.x + x) * 4) as usize;
                shifted.data_mut()[i..i + 4].copy_from_slice(&p);
            }
        }
        assert!(bright_boards(&shifted).is_empty());
        assert!(found[0].pad(4, 4, f.bounds()).contains(board), "{:?}", found[0]);
        // a plain bright wall without marks is not a board
        let plain = Frame::filled(w, h, [235, 235, 230, 255]).unwrap();
        assert!(bright_boards(&plain).is_empty());
    }

    #[test]
    fn overlapping_boxes_merge() {
        let m = merge(vec![
            Rect::new(0, 0, 10, 10),
            Rect::new(50, 50, 5, 5),
            Rect::new(5, 5, 10, 10),
        ]);
        assert_eq!(m.len(), 2);
        assert!(m.contains(&Rect::new(0, 0, 15, 15)));
    }
}
