//! Temporal reuse: what scrim has already analysed, so a frame costs only the analysis of what
//! changed.
//!
//! A [`Scene`] keeps the pixels exactly as they were when analysed, the text lines read from
//! them, and one validity bit per 32x32 tile. A tile of a new frame is *clean* when its pixels
//! match the analysed ones (exactly, or within a noise tolerance for decoded video), so the
//! verdicts of the lines there still hold. Everything else is *dirty*: it is analysed (offline),
//! or held or covered by the gate (live) — never shown raw.
//!
//! Comparing against the analysed copy, not against the previous frame, means slow drifts add
//! up until they count, and there are no hash collisions to reason about.

use rayon::prelude::*;

use crate::frame::{Frame, Rect};
use crate::ocr::TextLine;

/// Tile side in pixels: small enough that one typed character dirties little, large enough
/// that the bookkeeping is negligible (2040 tiles at 1080p).
pub const TILE: u32 = 32;

/// Rows of context added above and below a changed band, so a line whose glyphs just changed is
/// read whole. Larger than the tallest common UI line.
pub const BAND_MARGIN: u32 = 24;

/// When more than this fraction of tiles is dirty, one full-frame analysis is cheaper than many
/// bands.
pub const FULL_FRAME_FRACTION: f32 = 0.5;

/// Which tiles of a frame differ from what was analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changes {
    tiles_x: u32,
    tiles_y: u32,
    width: u32,
    height: u32,
    dirty: Vec<bool>,
}

impl Changes {
    pub fn is_clean(&self) -> bool {
        !self.dirty.iter().any(|&d| d)
    }

    pub fn dirty_count(&self) -> usize {
        self.dirty.iter().filter(|&&d| d).count()
    }

    pub fn fraction(&self) -> f32 {
        self.dirty_count() as f32 / self.dirty.len().max(1) as f32
    }

    pub fn is_dirty(&self, tx: u32, ty: u32) -> bool {
        self.dirty[(ty * self.tiles_x + tx) as usize]
    }

    fn tile_rect(&self, tx: u32, ty: u32) -> Rect {
        tile_rect(tx, ty, self.width, self.height)
    }

    /// These changes minus the tiles `scene` says changed only under `shields` (areas that are
    /// redacted whatever they show, such as the address bar's field): such a change cannot be
    /// seen, so it needs no analysis before release.
    pub fn unshielded(&self, scene: &Scene, frame: &Frame, shields: &[Rect]) -> Changes {
        let mut out = self.clone();
        if shields.is_empty() {
            return out;
        }
        for ty in 0..self.tiles_y {
            for tx in 0..self.tiles_x {
                let i = (ty * self.tiles_x + tx) as usize;
                if !self.dirty[i] || !scene.valid[i] {
                    continue; // never analysed: nothing is known of it
                }
                let tile = self.tile_rect(tx, ty);
                if !shields.iter().any(|s| s.overlaps(tile)) {
                    continue;
                }
                let changed_outside = (tile.y..tile.bottom()).any(|y| {
                    (tile.x..tile.right()).any(|x| {
                        !shields.iter().any(|s| s.contains(Rect::new(x, y, 1, 1)))
                            && frame.pixel(x, y) != scene.analysed.pixel(x, y)
                    })
                });
                out.dirty[i] = changed_outside;
            }
        }
        out
    }

    /// The dirty tiles as rectangles: horizontal runs of dirty tiles, one per tile row.
    pub fn dirty_rects(&self) -> Vec<Rect> {
        let mut out = Vec::new();
        for ty in 0..self.tiles_y {
            let mut run: Option<Rect> = None;
            for tx in 0..self.tiles_x {
                if self.is_dirty(tx, ty) {
                    let r = self.tile_rect(tx, ty);
                    run = Some(run.map_or(r, |u| u.union(r)));
                } else if let Some(r) = run.take() {
                    out.push(r);
                }
            }
            out.extend(run);
        }
        out
    }
}

fn tile_rect(tx: u32, ty: u32, width: u32, height: u32) -> Rect {
    let x = tx * TILE;
    let y = ty * TILE;
    Rect::new(x, y, TILE.min(width - x), TILE.min(height - y))
}

/// A vertical shift of content that was recognised and followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scroll {
    /// The area that moved (tile aligned).
    pub area: Rect,
    /// Rows moved down (negative: up, as when a page scrolls on).
    pub dy: i32,
}

/// What has been analysed: pixels, the lines read from them, and which tiles those describe.
pub struct Scene {
    analysed: Frame,
    valid: Vec<bool>,
    tiles_x: u32,
    tiles_y: u32,
    lines: Vec<TextLine>,
    /// Largest per-channel difference still counted as "unchanged" (0 = exact).
    tolerance: u8,
}

impl Scene {
    /// A scene for frames of this size where nothing has been analysed yet: every tile is dirty.
    pub fn new(width: u32, height: u32, tolerance: u8) -> Self {
        let tiles_x = width.div_ceil(TILE);
        let tiles_y = height.div_ceil(TILE);
        Scene {
            analysed: Frame::filled(width, height, [0, 0, 0, 0]).expect("scene size is a valid frame size"),
            valid: vec![false; (tiles_x * tiles_y) as usize],
            tiles_x,
            tiles_y,
            lines: Vec::new(),
            tolerance,
        }
    }

    pub fn width(&self) -> u32 {
        self.analysed.width()
    }
    pub fn height(&self) -> u32 {
        self.analysed.height()
    }

    /// The pixels as they were analysed (address-bar geometry is judged on these).
    pub fn analysed(&self) -> &Frame {
        &self.analysed
    }

    /// Text lines currently believed on screen. Held in memory only; never logged.
    pub fn lines(&self) -> &[TextLine] {
        &self.lines
    }

    pub fn fits(&self, frame: &Frame) -> bool {
        frame.width() == self.width() && frame.height() == self.height()
    }

    /// Compares `frame` (same size as the scene) with what was analysed, tile by tile.
    pub fn changes(&self, frame: &Frame) -> Changes {
        assert!(self.fits(frame), "frame size differs from the scene's");
        let (w, h, tx_n) = (self.width(), self.height(), self.tiles_x);
        let tol = self.tolerance;
        let dirty: Vec<bool> = (0..self.tiles_y)
            .into_par_iter()
            .flat_map_iter(|ty| {
                let mut row_dirty: Vec<bool> = (0..tx_n).map(|tx| !self.valid[(ty * tx_n + tx) as usize]).collect();
                let mut noisy = vec![0u32; tx_n as usize];
                let y0 = ty * TILE;
                for y in y0..(y0 + TILE).min(h) {
                    let (a, b) = (frame.row(y), self.analysed.row(y));
                    if a == b {
                        continue;
                    }
                    for (tx, d) in row_dirty.iter_mut().enumerate() {
                        if *d {
                            continue;
                        }
                        let x0 = tx as u32 * TILE;
                        let x1 = (x0 + TILE).min(w);
                        let (s, t) = (
                            &a[x0 as usize * 4..x1 as usize * 4],
                            &b[x0 as usize * 4..x1 as usize * 4],
                        );
                        *d = if tol == 0 {
                            s != t
                        } else {
                            noisy[tx] += strong_changes(s, t, tol);
                            noisy[tx] >= STRONG_PIXELS
                        };
                    }
                }
                row_dirty
            })
            .collect();
        Changes {
            tiles_x: self.tiles_x,
            tiles_y: self.tiles_y,
            width: w,
            height: h,
            dirty,
        }
    }

    /// Looks for a vertical scroll inside the dirty area and, when content that was analysed
    /// reappears shifted, moves its pixels, lines and validity with it, so only the newly
    /// exposed rows need analysis. Returns the scroll it followed.
    pub fn follow_scroll(&mut self, frame: &Frame, changes: &Changes) -> Option<Scroll> {
        let area = scroll_candidate(changes)?;
        let dy = if self.tolerance == 0 {
            exact_shift(&self.analysed, frame, area)
        } else {
            estimate_shift(&self.analysed, frame, area)
        }?;
        self.apply_shift(area, dy);
        Some(Scroll { area, dy })
    }

    fn apply_shift(&mut self, area: Rect, dy: i32) {
        let (y0, y1) = (area.y as i64, area.bottom() as i64);
        let src_of = |y: i64| y - dy as i64;
        // pixels: move rows inside the area; rows with no source inside it keep stale pixels
        // and are marked invalid below
        let old = self.analysed.crop(area).expect("scroll area is inside the frame");
        let stride = area.w as usize * 4;
        let fw = self.width() as usize * 4;
        for y in y0..y1 {
            let s = src_of(y);
            if s < y0 || s >= y1 {
                continue;
            }
            let src = &old.data()[(s - y0) as usize * stride..(s - y0 + 1) as usize * stride];
            let at = y as usize * fw + area.x as usize * 4;
            self.analysed.data_mut()[at..at + stride].copy_from_slice(src);
        }
        // validity: a tile is valid if every row came from a valid tile inside the area
        let tx0 = area.x / TILE;
        let tx1 = area.right().div_ceil(TILE);
        let old_valid = self.valid.clone();
        for ty in area.y / TILE..area.bottom().div_ceil(TILE) {
            for tx in tx0..tx1 {
                let r = tile_rect(tx, ty, self.width(), self.height());
                let ok = (r.y as i64..r.bottom() as i64).all(|y| {
                    let s = src_of(y);
                    s >= y0 && s < y1 && old_valid[((s as u32 / TILE) * self.tiles_x + tx) as usize]
                });
                self.valid[(ty * self.tiles_x + tx) as usize] = ok;
            }
        }
        // lines: those inside the area move; those cut by its edges are dropped and their
        // tiles invalidated, so no half of a line is shown without its verdict
        let mut kept = Vec::with_capacity(self.lines.len());
        let mut dropped = Vec::new();
        for mut line in std::mem::take(&mut self.lines) {
            if !line.rect.overlaps(area) {
                kept.push(line);
                continue;
            }
            let moved_y = line.rect.y as i64 + dy as i64;
            let inside = area.contains(line.rect) && moved_y >= y0 && moved_y + line.rect.h as i64 <= y1;
            if inside {
                line.rect.y = moved_y as u32;
                kept.push(line);
            } else {
                if !area.contains(line.rect) {
                    // the part outside the area did not move and is still there
                    dropped.push(line.rect);
                }
                let top = moved_y.clamp(0, self.height() as i64) as u32;
                let bottom = (moved_y + line.rect.h as i64).clamp(0, self.height() as i64) as u32;
                dropped.push(Rect::new(line.rect.x, top, line.rect.w, bottom.saturating_sub(top)));
            }
        }
        self.lines = kept;
        for r in dropped {
            self.invalidate(r);
        }
    }

    fn invalidate(&mut self, r: Rect) {
        if r.is_empty() {
            return;
        }
        for ty in r.y / TILE..r.bottom().div_ceil(TILE).min(self.tiles_y) {
            for tx in r.x / TILE..r.right().div_ceil(TILE).min(self.tiles_x) {
                self.valid[(ty * self.tiles_x + tx) as usize] = false;
            }
        }
    }

    /// Areas to analyse for these changes: the dirty tiles, grown by [`BAND_MARGIN`] (twice that
    /// sideways, so a changed glyph is read with its neighbours) and until they hold every known
    /// line they touch, so lines are read whole and a line's verdict is always replaced as a
    /// unit; overlapping areas are merged. Only as wide as the change: a scroll bar or a mouse
    /// pointer moving at the edge of a page must not send the whole width of the page to OCR.
    ///
    /// Text outside an area is either part of a known line it touches (then the area holds the
    /// line) or was analysed with no line there, and its pixels have not changed since.
    pub fn bands(&self, changes: &Changes) -> Vec<Rect> {
        let (w, h) = (self.width(), self.height());
        if changes.is_clean() {
            return Vec::new();
        }
        let bounds = Rect::new(0, 0, w, h);
        if changes.fraction() > FULL_FRAME_FRACTION {
            return vec![bounds];
        }
        let mut bands: Vec<Rect> = changes
            .dirty_rects()
            .into_iter()
            .map(|r| r.pad(2 * BAND_MARGIN, BAND_MARGIN, bounds))
            .collect();
        // grow to whole lines and merge, until nothing changes
        loop {
            let mut changed = false;
            for b in bands.iter_mut() {
                for l in &self.lines {
                    if l.rect.overlaps(*b) && !b.contains(l.rect) {
                        *b = b.union(l.rect).intersect(bounds);
                        changed = true;
                    }
                }
            }
            let mut merged: Vec<Rect> = Vec::with_capacity(bands.len());
            for b in bands {
                match merged.iter_mut().find(|m| m.overlaps(b)) {
                    Some(m) => {
                        *m = m.union(b);
                        changed = true;
                    }
                    None => merged.push(b),
                }
            }
            bands = merged;
            if !changed {
                bands.sort_by_key(|r| (r.y, r.x));
                let area: u64 = bands.iter().map(|b| b.area()).sum();
                // past this, one full-frame pass is cheaper than many areas
                if area as f32 > FULL_FRAME_FRACTION * bounds.area() as f32 {
                    return vec![bounds];
                }
                return bands;
            }
        }
    }

    /// Records the analysis of `band` of `frame`: `lines` (frame coordinates) replace the lines
    /// there, the band's pixels become the analysed ones and the tiles inside it valid.
    pub fn commit(&mut self, frame: &Frame, band: Rect, lines: Vec<TextLine>) {
        assert!(self.fits(frame), "frame size differs from the scene's");
        self.lines.retain(|l| !l.rect.overlaps(band));
        self.lines.extend(lines);
        self.analysed.copy_rect_from(frame, band);
        for ty in band.y.div_ceil(TILE)..self.tiles_y {
            for tx in band.x.div_ceil(TILE)..self.tiles_x {
                let r = tile_rect(tx, ty, self.width(), self.height());
                if band.contains(r) {
                    self.valid[(ty * self.tiles_x + tx) as usize] = true;
                }
            }
        }
        // tiles cut by the band's edge keep their validity: their pixels outside the band were
        // not part of this analysis
    }
}

/// With a tolerance, a tile changed if this many of its pixels differ by more than
/// [`STRONG_FACTOR`] times it (72 levels at the video tolerance of 12). Measured on H.264 screen
/// recordings: a static frame moves isolated pixels by up to ~55 levels (x264 alternating frame
/// types on white-on-navy text), a scrolled one by up to ~110 at a few glyph edges (0-3 pixels per
/// tile over 64), while a new or changed glyph moves dozens of pixels by 100+.
const STRONG_PIXELS: u32 = 6;
const STRONG_FACTOR: u16 = 6;

/// How many pixels (of RGBA spans) differ strongly (by more than `STRONG_FACTOR * tol` in some
/// channel).
fn strong_changes(a: &[u8], b: &[u8], tol: u8) -> u32 {
    let strong = (tol as u16 * STRONG_FACTOR).min(255) as u8;
    // whole pixels as arrays, so the loop vectorises
    let (a, b) = (a.as_chunks::<4>().0, b.as_chunks::<4>().0);
    a.iter()
        .zip(b)
        .map(|(p, q)| {
            let d = p[0].abs_diff(q[0]).max(p[1].abs_diff(q[1])).max(p[2].abs_diff(q[2]));
            (d > strong) as u32
        })
        .sum()
}

/// The tile-aligned area where a scroll may have happened: the bounding box of the tallest run
/// of dirty tile rows, if it is at least four tiles high.
fn scroll_candidate(c: &Changes) -> Option<Rect> {
    let mut best: Option<(u32, u32)> = None;
    let mut ty = 0;
    while ty < c.tiles_y {
        if !(0..c.tiles_x).any(|tx| c.is_dirty(tx, ty)) {
            ty += 1;
            continue;
        }
        let start = ty;
        while ty < c.tiles_y && (0..c.tiles_x).any(|tx| c.is_dirty(tx, ty)) {
            ty += 1;
        }
        if best.is_none_or(|(a, b)| ty - start > b - a) {
            best = Some((start, ty));
        }
    }
    let (ty0, ty1) = best?;
    if ty1 - ty0 < 4 {
        return None;
    }
    let cols: Vec<u32> = (0..c.tiles_x)
        .filter(|&tx| (ty0..ty1).any(|ty| c.is_dirty(tx, ty)))
        .collect();
    let (tx0, tx1) = (*cols.first()?, *cols.last()? + 1);
    let x0 = tx0 * TILE;
    let y0 = ty0 * TILE;
    Some(Rect::new(
        x0,
        y0,
        (tx1 * TILE).min(c.width) - x0,
        (ty1 * TILE).min(c.height) - y0,
    ))
}

/// Rows of the middle half of `area`'s columns (scroll bars and side panels move differently):
/// an identity for each (a fast hash; a wrong match costs only analysis, because tiles are
/// compared pixel by pixel after the shift) and whether it is textured enough to vote.
fn row_identities(f: &Frame, area: Rect) -> Vec<(u64, bool)> {
    let x0 = area.x + area.w / 4;
    let x1 = area.right() - area.w / 4;
    (area.y..area.bottom())
        .map(|y| {
            let s = f.row_span(y, x0, x1);
            let mut h: u64 = s.len() as u64;
            for c in s.chunks(8) {
                let mut b = [0u8; 8];
                b[..c.len()].copy_from_slice(c);
                h = (h ^ u64::from_le_bytes(b))
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                    .rotate_left(29);
            }
            (h, edge_count(s) >= 3)
        })
        .collect()
}

/// Strong horizontal edges along a row of RGBA pixels: a row of text has many, a flat row none.
fn edge_count(s: &[u8]) -> u32 {
    s.chunks_exact(4)
        .zip(s.chunks_exact(4).skip(1))
        .filter(|(p, q)| {
            let d: u32 = (0..3).map(|i| p[i].abs_diff(q[i]) as u32).sum();
            d > 96
        })
        .count() as u32
}

/// The vertical shift of `area` between `old` and `new` for lossless sources (screens): every
/// textured row of `new` votes for the shifts that map it onto an identical row of `old`, so a
/// shift of any size is found (a Page Down moves content by most of the viewport) and repeated
/// layouts (a table's rows) cannot fool it the way a row signature can.
fn exact_shift(old: &Frame, new: &Frame, area: Rect) -> Option<i32> {
    if area.w < 32 {
        return None;
    }
    let (ro, rn) = (row_identities(old, area), row_identities(new, area));
    let h = ro.len();
    let mut at: std::collections::HashMap<u64, Vec<usize>> = std::collections::HashMap::new();
    for (y, &(id, textured)) in ro.iter().enumerate() {
        if textured {
            at.entry(id).or_default().push(y);
        }
    }
    // votes[dy + h]; a row repeated many times (a rule, a border) says nothing about the shift
    let mut votes = vec![0u32; 2 * h];
    for (y, &(id, textured)) in rn.iter().enumerate() {
        match at.get(&id) {
            Some(ys) if textured && ys.len() <= 4 => {
                for &yo in ys {
                    votes[y + h - yo] += 1;
                }
            }
            _ => {}
        }
    }
    votes[h] = 0; // rows that did not move are not a scroll
    let (best, _) = votes
        .iter()
        .enumerate()
        .max_by_key(|&(i, &v)| (v, std::cmp::Reverse(i)))?;
    let dy = best as i64 - h as i64;
    // the shift must explain most of the overlap, not a few coincident rows
    let (mut hits, mut total) = (0u32, 0u32);
    for y in dy.max(0)..(h as i64 + dy.min(0)) {
        let (n, o) = (rn[y as usize], ro[(y - dy) as usize]);
        if n.1 || o.1 {
            total += 1;
            hits += (n.0 == o.0) as u32;
        }
    }
    (hits >= 8 && hits * 2 >= total).then_some(dy as i32)
}

/// The vertical shift that best maps rows of `old` onto rows of `new` inside `area`, for decoded
/// video, whose pixels never repeat exactly: judged on the middle half of its columns (scroll
/// bars and side panels move differently), rows compared by a noise-robust signature (how many
/// strong horizontal edges they have), shifts up to 3/4 of the area. The estimate only proposes:
/// after the shift, tiles count as unchanged only if their pixels really match (within the
/// tolerance), so a wrong guess costs analysis, never safety.
fn estimate_shift(old: &Frame, new: &Frame, area: Rect) -> Option<i32> {
    let x0 = area.x + area.w / 4;
    let x1 = area.right() - area.w / 4;
    if x1 <= x0 + 8 {
        return None;
    }
    let sig = |f: &Frame| -> Vec<u32> {
        (area.y..area.bottom())
            .map(|y| edge_count(f.row_span(y, x0, x1)))
            .collect()
    };
    let (so, sn) = (sig(old), sig(new));
    let h = so.len() as i64;
    let textured = |v: u32| v >= 3;
    let close = |a: u32, b: u32| a.abs_diff(b) <= 1 + a.max(b) / 16;
    let mut best: Option<(i64, u32, u32)> = None;
    let max_dy = h * 3 / 4;
    for dy in (-max_dy..=max_dy).filter(|&d| d != 0) {
        let (mut hits, mut total) = (0u32, 0u32);
        let ys = dy.max(0)..(h + dy.min(0));
        for y in ys {
            let (n, o) = (sn[y as usize], so[(y - dy) as usize]);
            if textured(n) || textured(o) {
                total += 1;
                hits += close(n, o) as u32;
            }
        }
        // matches count, mismatches count double: a small overlap cannot win by ratio alone
        let score = hits as i64 - 2 * (total - hits) as i64;
        if total >= 8 && best.is_none_or(|(_, bh, bt)| score > bh as i64 - 2 * (bt - bh) as i64) {
            best = Some((dy, hits, total));
        }
    }
    let (dy, hits, total) = best?;
    (hits >= 8 && hits * 10 >= total * 8).then_some(dy as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(x: u32, y: u32, w: u32, h: u32) -> TextLine {
        TextLine {
            rect: Rect::new(x, y, w, h),
            text: String::new(),
            chars: Vec::new(),
            confidence: 1.0,
        }
    }

    /// A frame with distinct, textured rows (like lines of text on a page).
    fn page(w: u32, h: u32, offset: u32) -> Frame {
        let mut f = Frame::filled(w, h, [255, 255, 255, 255]).unwrap();
        for y in 0..h {
            let v = (y + offset) as u64;
            for x in 0..w {
                let i = ((y * w + x) * 4) as usize;
                let n = (v.wrapping_mul(2_654_435_761) >> (x % 13)) as u8 ^ (x as u8);
                f.data_mut()[i..i + 3].copy_from_slice(&[n, n.wrapping_mul(3), n.wrapping_add(7)]);
            }
        }
        f
    }

    #[test]
    fn new_scene_is_all_dirty_and_commit_cleans() {
        let f = page(100, 70, 0);
        let mut s = Scene::new(100, 70, 0);
        let c = s.changes(&f);
        assert_eq!(c.dirty_count(), 4 * 3);
        assert_eq!(s.bands(&c), vec![Rect::new(0, 0, 100, 70)]);
        s.commit(&f, f.bounds(), vec![line(1, 1, 10, 10)]);
        assert!(s.changes(&f).is_clean());
        assert_eq!(s.lines().len(), 1);
    }

    #[test]
    fn a_changed_pixel_dirties_its_tile_only() {
        let f = page(200, 200, 0);
        let mut s = Scene::new(200, 200, 0);
        s.commit(&f, f.bounds(), vec![]);
        let mut g = f.clone();
        g.data_mut()[((70 * 200 + 150) * 4) as usize] ^= 1;
        let c = s.changes(&g);
        assert_eq!(c.dirty_count(), 1);
        assert!(c.is_dirty(150 / TILE, 70 / TILE));
        assert_eq!(c.dirty_rects(), vec![Rect::new(128, 64, 32, 32)]);
        // a band is the tile with margins (twice as wide sideways), clipped to the frame
        assert_eq!(
            s.bands(&c),
            vec![Rect::new(
                128 - 2 * BAND_MARGIN,
                64 - BAND_MARGIN,
                200 - (128 - 2 * BAND_MARGIN),
                32 + 2 * BAND_MARGIN
            )]
        );
        // within tolerance, it is not a change
        let mut t = Scene::new(200, 200, 2);
        t.commit(&f, f.bounds(), vec![]);
        assert!(t.changes(&g).is_clean());
        // isolated noise, even strong, is not either; several strongly changed pixels are
        let mut n = f.clone();
        for x in [130, 140, 150] {
            let i = ((70 * 200 + x) * 4) as usize;
            n.data_mut()[i] = n.data()[i].wrapping_add(128);
        }
        assert!(t.changes(&n).is_clean());
        let mut many = f.clone();
        for x in 130..136 {
            let i = ((70 * 200 + x) * 4) as usize;
            many.data_mut()[i] = many.data()[i].wrapping_add(128);
        }
        assert_eq!(t.changes(&many).dirty_count(), 1);
    }

    #[test]
    fn changes_under_a_shield_need_no_analysis_but_changes_beside_it_do() {
        let f = page(200, 200, 0);
        let mut s = Scene::new(200, 200, 0);
        s.commit(&f, f.bounds(), vec![]);
        let field = Rect::new(10, 40, 150, 20); // cuts through tiles
        let mut g = f.clone();
        g.data_mut()[((50 * 200 + 100) * 4) as usize] ^= 0xff; // inside the field
        let c = s.changes(&g);
        assert_eq!(c.dirty_count(), 1);
        assert!(c.unshielded(&s, &g, &[field]).is_clean());
        assert_eq!(c.unshielded(&s, &g, &[]).dirty_count(), 1);
        // the same tile also changed outside the field: still dirty
        g.data_mut()[((35 * 200 + 100) * 4) as usize] ^= 0xff;
        let c = s.changes(&g);
        assert_eq!(c.unshielded(&s, &g, &[field]).dirty_count(), 1);
        // never-analysed tiles are never shielded
        let fresh = Scene::new(200, 200, 0);
        let c = fresh.changes(&f);
        assert_eq!(c.unshielded(&fresh, &f, &[f.bounds()]).dirty_count(), c.dirty_count());
    }

    #[test]
    fn bands_grow_to_whole_lines() {
        let f = page(200, 300, 0);
        let mut s = Scene::new(200, 300, 0);
        s.commit(&f, f.bounds(), vec![line(0, 100, 150, 80)]);
        let mut g = f.clone();
        g.data_mut()[((70 * 200 + 10) * 4) as usize] ^= 0xff;
        let b = s.bands(&s.changes(&g));
        assert_eq!(b.len(), 1);
        assert!(b[0].contains(Rect::new(0, 100, 150, 80)) && b[0].contains(Rect::new(10, 70, 1, 1)));
        // committing the band replaces the line inside it
        s.commit(&g, b[0], vec![line(5, 110, 20, 20)]);
        assert_eq!(
            s.lines().iter().map(|l| l.rect).collect::<Vec<_>>(),
            vec![Rect::new(5, 110, 20, 20)]
        );
        assert!(s.changes(&g).is_clean());
    }

    #[test]
    fn bands_are_only_as_wide_as_the_change_and_the_lines_it_touches() {
        let f = page(1000, 300, 0);
        let mut s = Scene::new(1000, 300, 0);
        s.commit(&f, f.bounds(), vec![line(100, 40, 300, 20), line(600, 200, 300, 20)]);
        let mut g = f.clone();
        // a scroll bar thumb at the right edge, and a typed glyph at the end of the second line
        g.data_mut()[((100 * 1000 + 990) * 4) as usize] ^= 0xff;
        g.data_mut()[((205 * 1000 + 890) * 4) as usize] ^= 0xff;
        let b = s.bands(&s.changes(&g));
        assert_eq!(b.len(), 2, "{b:?}");
        assert_eq!(
            b[0],
            Rect::new(
                960 - 2 * BAND_MARGIN,
                96 - BAND_MARGIN,
                1000 - (960 - 2 * BAND_MARGIN),
                32 + 2 * BAND_MARGIN
            )
        );
        assert!(b[1].contains(Rect::new(600, 200, 300, 20)) && b[1].contains(Rect::new(890, 205, 1, 1)));
        assert!(!b[1].overlaps(Rect::new(100, 40, 300, 20)) && b[1].x == 600);
        for band in b {
            s.commit(&g, band, vec![]);
        }
        assert!(s.changes(&g).is_clean());
        assert_eq!(
            s.lines().len(),
            1,
            "the line the band held was replaced, the other kept"
        );
    }

    #[test]
    fn scroll_moves_verdicts_and_leaves_only_exposed_rows_dirty() {
        let (w, h) = (320, 480);
        let before = page(w, h, 0);
        let mut s = Scene::new(w, h, 0);
        s.commit(
            &before,
            before.bounds(),
            vec![line(10, 200, 100, 20), line(10, 5, 100, 20)],
        );
        // content scrolled up by 64 rows: row y now shows what was at y + 64
        let after = page(w, h, 64);
        let c = s.changes(&after);
        assert!(c.fraction() > 0.9);
        let scroll = s.follow_scroll(&after, &c).expect("scroll found");
        assert_eq!(scroll.dy, -64);
        let residual = s.changes(&after);
        // only the rows exposed at the bottom remain
        assert!(residual.dirty_count() > 0);
        for r in residual.dirty_rects() {
            assert!(r.bottom() > h - 64 - TILE, "{r:?} should be near the bottom");
        }
        let rects: Vec<Rect> = s.lines().iter().map(|l| l.rect).collect();
        assert!(rects.contains(&Rect::new(10, 136, 100, 20)), "{rects:?}");
        // the line that scrolled out of view is gone
        assert_eq!(rects.len(), 1);
    }

    /// A table as a browser shows one: rows every 28 px with the same columns, glyph-like
    /// blocks that differ between rows and between the scanlines of a row; row `y` of the frame
    /// shows row `y + offset` of the document.
    fn table(w: u32, h: u32, offset: u32) -> Frame {
        let mut f = Frame::filled(w, h, [255, 255, 255, 255]).unwrap();
        for y in 0..h {
            let (row, scan) = ((y + offset) / 28, (y + offset) % 28);
            if !(8..22).contains(&scan) {
                continue;
            }
            for k in 0..(w - 20) / 10 {
                let mut z = ((row as u64) << 40) | ((k as u64) << 20) | scan as u64;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                let ink = (z ^ (z >> 31)).is_multiple_of(3);
                if ink {
                    for x in 10 + k * 10..16 + k * 10 {
                        let i = ((y * w + x) * 4) as usize;
                        f.data_mut()[i..i + 3].copy_from_slice(&[20, 20, 20]);
                    }
                }
            }
        }
        f
    }

    #[test]
    fn a_page_down_of_most_of_a_table_is_followed() {
        let (w, h) = (640, 480);
        let before = table(w, h, 0);
        let mut s = Scene::new(w, h, 0);
        s.commit(&before, before.bounds(), vec![line(10, 428, 600, 20)]);
        // Chromium's Page Down moves by 7/8 of the view: only 60 rows stay on screen
        let after = table(w, h, 420);
        let c = s.changes(&after);
        let scroll = s.follow_scroll(&after, &c).expect("scroll found");
        assert_eq!(scroll.dy, -420);
        assert_eq!(
            s.lines().iter().map(|l| l.rect).collect::<Vec<_>>(),
            vec![Rect::new(10, 8, 600, 20)]
        );
        // what was on screen before is analysed; everything below it is not
        let residual = s.changes(&after);
        for r in residual.dirty_rects() {
            assert!(r.y >= 32, "{r:?}");
        }
        assert!(residual.fraction() > 0.8);
    }

    #[test]
    fn no_scroll_is_claimed_for_unrelated_content() {
        let (w, h) = (320, 480);
        let before = page(w, h, 0);
        let mut s = Scene::new(w, h, 0);
        s.commit(&before, before.bounds(), vec![]);
        let mut after = Frame::filled(w, h, [0, 0, 0, 255]).unwrap();
        for (i, b) in after.data_mut().iter_mut().enumerate() {
            *b = (i.wrapping_mul(7919) >> 3) as u8;
        }
        let c = s.changes(&after);
        assert_eq!(s.follow_scroll(&after, &c), None);
        // nor for another table whose rows look alike but hold other glyphs
        let mut s = Scene::new(w, h, 0);
        let t = table(w, h, 0);
        s.commit(&t, t.bounds(), vec![]);
        let other = table(w, h, 7);
        let c = s.changes(&other);
        assert!(c.fraction() > 0.5);
        assert_eq!(
            s.follow_scroll(&other, &c).map(|s| s.dy),
            Some(-7),
            "a real 7-row shift"
        );
    }
}
