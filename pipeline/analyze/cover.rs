//! Where the cover of a span of text ends.
//!
//! A span's box comes from CTC character positions, good to about half a character, so it is
//! padded on every side. The padding must not reach into the text beside the span: a cover that
//! touches the last digit of "Ticket 1001" leaves it legible to a person, but an OCR (a meeting's
//! captions, the user's own check) reads "Ticket 100", and a harmless neighbour counts as lost.
//! Where a word gap separates the span from its neighbour (a space in the text, or the edge of
//! the line's box), the frame's own pixels show where that gap is: a run of blank columns. The
//! padding stops inside it, a third of the gap short of the neighbour's ink. The span's own
//! glyphs are never uncovered: the gap lies outside them.

use crate::frame::{Frame, Rect};
use crate::ocr::TextLine;

/// The cover of characters `start..end` of line `i`.
pub fn span_cover(frame: &Frame, lines: &[TextLine], i: usize, start: usize, end: usize) -> Rect {
    let line = &lines[i];
    let glyphs = line.span_rect(start, end);
    let mut rect = pad_text_box(glyphs, line.rect.h, frame.bounds());
    let exact = start < end && end <= line.chars.len();
    if exact {
        rect = stop_in_word_gaps(frame, line, glyphs, rect, start, end);
    }
    let rect = keep_clear_of_neighbours(rect, i, lines);
    fit_to_ink_rows(frame, rect, line.rect.h)
}

/// `rect` with the blank rows above and below its glyphs' ink trimmed, less a margin. The
/// detector's box is a good deal taller than the ink; covers that tall leave a hairline between
/// the rows of a table, and a column of them reads as one dark block, which an OCR's page
/// layout takes for a picture and skips the text beside it with ("Ticket 1001" next to a
/// column of covered addresses). Only trims: no row with ink is uncovered, and a cover with no
/// ink row found (text fainter than the ink threshold) stays as it was.
fn fit_to_ink_rows(frame: &Frame, rect: Rect, line_h: u32) -> Rect {
    let rect = rect.intersect(frame.bounds());
    if rect.is_empty() {
        return rect;
    }
    let inked = |y: u32| {
        let (mut lo, mut hi) = (u8::MAX, 0u8);
        for px in frame.row_span(y, rect.x, rect.right()).chunks_exact(4) {
            let l = ((px[0] as u32 * 77 + px[1] as u32 * 150 + px[2] as u32 * 29) >> 8) as u8;
            lo = lo.min(l);
            hi = hi.max(l);
        }
        hi - lo > 24
    };
    let Some(top) = (rect.y..rect.bottom()).find(|&y| inked(y)) else {
        return rect;
    };
    let bottom = (rect.y..rect.bottom()).rev().find(|&y| inked(y)).unwrap_or(top) + 1;
    let margin = (line_h / 10).max(2);
    let y0 = top.saturating_sub(margin).max(rect.y);
    let y1 = (bottom + margin).min(rect.bottom());
    Rect::new(rect.x, y0, rect.w, y1 - y0)
}

/// Padding so no glyph edge survives: character positions from CTC are good to about half a
/// character, and anti-aliasing bleeds a pixel or two past the detector's box.
fn pad_text_box(r: Rect, line_h: u32, bounds: Rect) -> Rect {
    let dx = pad_x(line_h);
    // Vertically the detector's unclipped box already clears the glyphs; more would cut into
    // the neighbouring lines of tightly set terminals.
    let dy = (line_h as f32 * 0.06).ceil() as u32;
    r.pad(dx, dy, bounds)
}

fn pad_x(line_h: u32) -> u32 {
    (line_h as f32 * 0.45).ceil() as u32 + 2
}

/// `padded` with its left and right edges pulled back into the word gap before and after the
/// span, where the text says there is one (the span starts the line or follows a space; ends
/// it or precedes one) and the pixels show it.
fn stop_in_word_gaps(frame: &Frame, line: &TextLine, glyphs: Rect, padded: Rect, start: usize, end: usize) -> Rect {
    let text: Vec<char> = line.text.chars().collect();
    let spaced = |k: usize| text.get(k).is_some_and(|c| c.is_whitespace());
    // wider than the padding, so a gap that goes on past it (a margin) is seen to
    let reach = pad_x(line.rect.h);
    let x0 = padded.x.saturating_sub(reach);
    let x1 = (padded.right() + reach).min(frame.width());
    let band = Rect::new(x0, line.rect.y, x1.saturating_sub(x0), line.rect.h).intersect(frame.bounds());
    if band.is_empty() {
        return padded;
    }
    let blank = blank_columns(frame, band);
    // a run that reaches the band's edge is a margin, not a gap before a neighbour
    let runs: Vec<(u32, u32)> = gaps(&blank, band.x, min_gap(line.rect.h))
        .into_iter()
        .filter(|&(g0, g1)| g0 > band.x && g1 < band.right())
        .collect();
    let (mut left, mut right) = (padded.x, padded.right());
    if start == 0 || spaced(start - 1) {
        // the gap right before the span's first glyph: the last one that starts left of it
        if let Some(&(g0, g1)) = runs.iter().rev().find(|&&(g0, _)| g0 < glyphs.x) {
            left = left.max(g0 + (g1 - g0) / 3);
        }
    }
    if end == text.len() || spaced(end) {
        if let Some(&(g0, g1)) = runs.iter().find(|&&(_, g1)| g1 > glyphs.right()) {
            right = right.min(g1 - (g1 - g0) / 3);
        }
    }
    if right <= left {
        return padded;
    }
    Rect::new(left, padded.y, right - left, padded.h)
}

/// Per column of `band`: no ink in it (its lightest and darkest pixels differ by little), so it
/// can only be background. Anti-aliased glyph edges and codec ringing count as ink.
fn blank_columns(frame: &Frame, band: Rect) -> Vec<bool> {
    let mut lo = vec![u8::MAX; band.w as usize];
    let mut hi = vec![0u8; band.w as usize];
    for y in band.y..band.bottom() {
        for (k, px) in frame.row_span(y, band.x, band.right()).chunks_exact(4).enumerate() {
            // integer luma, Rec. 601 weights
            let l = ((px[0] as u32 * 77 + px[1] as u32 * 150 + px[2] as u32 * 29) >> 8) as u8;
            lo[k] = lo[k].min(l);
            hi[k] = hi[k].max(l);
        }
    }
    lo.iter().zip(&hi).map(|(&l, &h)| h - l <= 24).collect()
}

/// The narrowest gap that separates words rather than letters, for a line box this tall:
/// letters of proportional fonts sit a pixel or two apart, a word space is a third of an em.
fn min_gap(line_h: u32) -> u32 {
    (line_h / 5).max(3)
}

/// Runs of blank columns at least `min` wide, as `[start, end)` in frame columns.
fn gaps(blank: &[bool], x0: u32, min: u32) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut run: Option<u32> = None;
    for (k, &b) in blank.iter().chain(std::iter::once(&false)).enumerate() {
        let x = x0 + k as u32;
        match (b, run) {
            (true, None) => run = Some(x),
            (false, Some(s)) => {
                if x - s >= min {
                    out.push((s, x));
                }
                run = None;
            }
            _ => {}
        }
    }
    out
}

/// Detector boxes of tightly set lines (terminals) overlap by a few pixels. A redaction box of
/// line `i` stops at the midpoint of any such overlap, so it covers its own glyphs (which sit in
/// the middle of the box) without cutting the neighbour's descenders or ascenders.
fn keep_clear_of_neighbours(mut rect: Rect, i: usize, lines: &[TextLine]) -> Rect {
    let own = lines[i].rect;
    for (j, other) in lines.iter().enumerate() {
        let o = other.rect;
        if j == i || o.right() <= rect.x || o.x >= rect.right() {
            continue;
        }
        let overlap = own.bottom().min(o.bottom()).saturating_sub(own.y.max(o.y));
        // a big overlap is the same row (another segment of it), not a neighbour
        if overlap == 0 || overlap * 10 > own.h.min(o.h) * 4 {
            continue;
        }
        if o.center_y() < own.center_y() {
            let limit = (own.y + o.bottom()) / 2;
            if rect.y < limit {
                let bottom = rect.bottom();
                rect = Rect::new(rect.x, limit.min(bottom), rect.w, bottom - limit.min(bottom));
            }
        } else {
            let limit = (own.bottom() + o.y).div_ceil(2);
            if rect.bottom() > limit {
                rect.h = limit.saturating_sub(rect.y);
            }
        }
    }
    rect
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white 400x60 frame with black "words" (solid ink) at the given column ranges, rows
    /// 20..40, and one line over all of it whose characters are spread evenly over each word
    /// (one space character per gap), shifted by `err` pixels as CTC positions may be.
    fn scene(words: &[(u32, u32)], text: &str, err: f32) -> (Frame, Vec<TextLine>) {
        let mut f = Frame::filled(400, 60, [255; 4]).unwrap();
        for &(x0, x1) in words {
            for y in 20..40 {
                for x in x0..x1 {
                    let i = (y * 400 + x) as usize * 4;
                    f.data_mut()[i..i + 3].copy_from_slice(&[0, 0, 0]);
                }
            }
        }
        let mut chars = Vec::new();
        for (k, word) in text.split(' ').enumerate() {
            let (x0, x1) = words[k];
            let n = word.chars().count() as f32;
            let cw = (x1 - x0) as f32 / n;
            for c in 0..word.chars().count() {
                chars.push((x0 as f32 + c as f32 * cw + err, x0 as f32 + (c + 1) as f32 * cw + err));
            }
            if k + 1 < words.len() {
                let next = words[k + 1].0 as f32;
                chars.push((x1 as f32 + err, next + err));
            }
        }
        let line = TextLine {
            rect: Rect::new(
                words[0].0.saturating_sub(8),
                14,
                words[words.len() - 1].1 + 16 - words[0].0,
                32,
            ),
            text: text.into(),
            chars,
            confidence: 0.9,
        };
        (f, vec![line])
    }

    #[test]
    fn the_cover_stops_inside_the_word_gaps_and_keeps_the_span_covered() {
        let words = [(20, 100), (112, 240), (252, 320)];
        for err in [-5.0, 0.0, 5.0] {
            let (f, lines) = scene(&words, "Ticket luis@acme.example active", err);
            let r = span_cover(&f, &lines, 0, 7, 24);
            // the span's ink 112..240 stays covered
            assert!(r.x <= 112 && r.right() >= 240, "err {err}: {r:?}");
            // the neighbours' ink (..100 and 252..) is not touched, a third of each gap kept
            assert!(r.x >= 104 && r.right() <= 248, "err {err}: {r:?}");
        }
    }

    #[test]
    fn without_a_word_gap_the_padding_stays() {
        // "token=secretvalue": no space before the value, so nothing tells where the key ends
        let (f, lines) = scene(&[(20, 240)], "token=secretvalue", 0.0);
        let padded = pad_text_box(lines[0].span_rect(6, 17), 32, f.bounds());
        let r = span_cover(&f, &lines, 0, 6, 17);
        assert_eq!((r.x, r.w), (padded.x, padded.w));
    }

    #[test]
    fn a_margin_or_a_gap_with_ink_in_it_keeps_the_full_padding() {
        // the span alone on its line, far from anything: a margin, not a gap
        let (f, lines) = scene(&[(150, 250)], "sk_live_abcdef", 0.0);
        let padded = pad_text_box(lines[0].span_rect(0, 14), 32, f.bounds());
        let r = span_cover(&f, &lines, 0, 0, 14);
        assert_eq!((r.x, r.w), (padded.x, padded.w));
        // a gap that is not blank (a gradient behind the text) tells nothing: padding kept
        let (mut f, lines) = scene(&[(20, 100), (112, 240)], "Ticket luis@acme.example", 0.0);
        for y in 20..40u32 {
            for x in 100..112u32 {
                let i = (y * 400 + x) as usize * 4;
                let v = (y * 6) as u8;
                f.data_mut()[i..i + 3].copy_from_slice(&[v, v, v]);
            }
        }
        let r = span_cover(&f, &lines, 0, 7, 24);
        let padded = pad_text_box(lines[0].span_rect(7, 24), 32, f.bounds());
        assert_eq!(r.x, padded.x, "{r:?}");
    }

    #[test]
    fn the_cover_fits_the_inks_rows_and_never_uncovers_one() {
        // ink on rows 20..40 of a line box 14..46: the blank rows above and below go, but a
        // margin past the ink stays
        let (f, lines) = scene(&[(20, 100), (112, 240)], "Ticket luis@acme.example", 0.0);
        let r = span_cover(&f, &lines, 0, 7, 24);
        assert!(r.y <= 18 && r.bottom() >= 42, "{r:?}");
        assert!(r.y >= 16 && r.bottom() <= 44, "{r:?}");
        // a cover over nothing it can tell from the background keeps its height
        let blank = Frame::filled(400, 60, [255; 4]).unwrap();
        let r = span_cover(&blank, &lines, 0, 7, 24);
        let padded = pad_text_box(lines[0].span_rect(7, 24), 32, blank.bounds());
        assert_eq!((r.y, r.h), (padded.y, padded.h));
    }

    #[test]
    fn word_gaps_and_letter_gaps() {
        let blank = [false, true, true, false, true, true, true, true, false, true];
        assert_eq!(gaps(&blank, 10, 3), vec![(14, 18)]);
        assert_eq!(gaps(&blank, 10, 1), vec![(11, 13), (14, 18), (19, 20)]);
        assert_eq!(min_gap(32), 6);
        assert_eq!(min_gap(10), 3);
    }
}
