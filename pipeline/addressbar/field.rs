//! Pixels of a toolbar: the uniformly coloured input field around a line of text, and the edge
//! of a panel along a row.

use crate::frame::{Frame, Rect};

/// Colour distance under which two pixels are "the same field". Chromium's light omnibox
/// (#f1f3f4) sits on a white toolbar: 14 levels apart, so this must be tighter than that.
pub const TOLERANCE: i32 = 8;

/// Tighter, for a field whose colour is a few levels off its toolbar's (Firefox's focused
/// URL bar: white on #f9f9fb), tried when the field seems to run across the toolbar.
const TIGHT_TOLERANCE: i32 = 2;

pub fn close(a: [u8; 4], b: [u8; 4]) -> bool {
    within(a, b, TOLERANCE)
}

fn within(a: [u8; 4], b: [u8; 4], tolerance: i32) -> bool {
    (0..3).all(|i| (a[i] as i32 - b[i] as i32).abs() <= tolerance)
}

/// Most common colour in a rectangle (text is a minority of a line box's pixels): the most
/// common exact colour of the most common light quantisation bucket, so anti-aliasing noise
/// does not split the vote and two flat colours a few levels apart (a chip on a field) are
/// still told apart.
pub fn dominant_colour(frame: &Frame, r: Rect) -> [u8; 4] {
    let r = r.intersect(frame.bounds());
    let mut exact = std::collections::HashMap::<[u8; 3], u32>::new();
    for y in r.y..r.bottom() {
        for x in (r.x..r.right()).step_by(2) {
            let p = frame.pixel(x, y);
            *exact.entry([p[0], p[1], p[2]]).or_default() += 1;
        }
    }
    let bucket = |c: &[u8; 3]| [c[0] & 0xF8, c[1] & 0xF8, c[2] & 0xF8];
    let mut buckets = std::collections::HashMap::<[u8; 3], u32>::new();
    for (c, n) in &exact {
        *buckets.entry(bucket(c)).or_default() += n;
    }
    let Some(best) = buckets.into_iter().max_by_key(|&(b, n)| (n, b)).map(|(b, _)| b) else {
        return [0, 0, 0, 255];
    };
    let c = exact
        .into_iter()
        .filter(|(c, _)| bucket(c) == best)
        .max_by_key(|&(c, n)| (n, c))
        .map(|(c, _)| c)
        .unwrap_or(best);
    [c[0], c[1], c[2], 255]
}

/// Walks out from a text box to the edges of the input field around it, and returns the field
/// with its colour. `None` when the text does not sit in a field: the colour runs on vertically
/// (a terminal, a page) or spans the whole width (a header bar) — an address bar is a bounded
/// box inside a toolbar.
///
/// The field's colour is the most common one in the right half of the text box (else in all
/// of it): a "Not secure" chip at the start of the line has a colour of its own and can fill
/// the larger part of a short URL's box.
pub fn field_around(frame: &Frame, text: Rect) -> Option<(Rect, [u8; 4])> {
    let whole = dominant_colour(frame, text);
    let half = Rect::new(text.x + text.w / 2, text.y, text.w - text.w / 2, text.h);
    let right = dominant_colour(frame, half);
    let colours = || std::iter::once(right).chain((!close(right, whole)).then_some(whole));
    [TOLERANCE, TIGHT_TOLERANCE]
        .into_iter()
        .find_map(|tolerance| colours().find_map(|bg| field_of_colour(frame, text, bg, tolerance).map(|r| (r, bg))))
        .or_else(|| ring_around(frame, text, right).map(|r| (r, right)))
        .or_else(|| ring_around(frame, inset(text)?, right).map(|r| (r.union(text), right)))
}

/// The text's box without its margins: OCR's box of a line that starts with a chip ("Not
/// Secure") may take in the ring around the field, which [`ring_around`] must find outside it.
fn inset(text: Rect) -> Option<Rect> {
    let (dx, dy) = (text.h / 2, text.h / 5);
    (text.w > 4 * text.h && dy > 0).then(|| Rect::new(text.x + dx, text.y + dy, text.w - 2 * dx, text.h - 2 * dy))
}

/// A field of its toolbar's own colour, bounded only by a ring a few pixels wide (Firefox's
/// focused URL bar: white inside a blue ring on a white toolbar): the ring is found straight
/// above and below the text at three columns, of one colour, and its sides on the text's
/// middle row left and right of the text.
fn ring_around(frame: &Frame, text: Rect, bg: [u8; 4]) -> Option<Rect> {
    let h = text.h.max(1);
    let reach = h;
    // up or down from the text's edge, the first row that leaves the field's colour
    let edge = |x: u32, up: bool| -> Option<(u32, [u8; 4])> {
        (1..=reach).find_map(|d| {
            let y = if up {
                text.y.checked_sub(d)?
            } else {
                text.bottom() - 1 + d
            };
            (y < frame.height()).then_some(())?;
            let p = frame.pixel(x, y);
            (!close(p, bg)).then_some((y, p))
        })
    };
    let columns = [text.x + text.w / 4, text.x + text.w / 2, text.x + 3 * text.w / 4];
    let mut ring = None;
    let (mut top, mut bottom) = (0, u32::MAX);
    for &x in &columns {
        let (t, tc) = edge(x, true)?;
        let (b, bc) = edge(x, false)?;
        let colour = *ring.get_or_insert(tc);
        if !close(tc, colour) || !close(bc, colour) {
            return None;
        }
        top = top.max(t);
        bottom = bottom.min(b);
    }
    let ring = ring?;
    // the ring's sides, along the text's middle row
    let y = text.y + text.h / 2;
    let left = (0..text.x).rev().find(|&x| close(frame.pixel(x, y), ring))?;
    let right = (text.right()..frame.width()).find(|&x| close(frame.pixel(x, y), ring))?;
    // a side runs a good part of the ring's height (its corners are rounded: at 200 % scale
    // the straight part is under half of it)
    let side = |x: u32| (top..=bottom).filter(|&r| close(frame.pixel(x, r), ring)).count() as u32 * 3 >= bottom - top;
    if !side(left) || !side(right) {
        return None;
    }
    let margin = frame.width() / 50;
    if left <= margin && right + 1 + margin >= frame.width() {
        return None;
    }
    let field = Rect::new(left, top, right + 1 - left, bottom + 1 - top);
    Some(field.union(text).pad(3, 2, frame.bounds()))
}

fn field_of_colour(frame: &Frame, text: Rect, bg: [u8; 4], tolerance: i32) -> Option<Rect> {
    let close = |a: [u8; 4], b: [u8; 4]| within(a, b, tolerance);
    let bounds = frame.bounds();
    let h = text.h.max(1);
    // Rows that cross the field but (mostly) not the glyphs: the text box's top and bottom
    // edge, and a little outside them — a chip inside the field (Chromium's white "Not
    // secure" pill) hides the field's colour on the box's rows but not above and below it.
    let d = (h / 8).max(2);
    let probe_rows = [
        text.y,
        text.bottom().saturating_sub(1),
        text.y.saturating_sub(d),
        (text.bottom() + d - 1).min(frame.height() - 1),
    ];
    let column_is_field = |x: u32| probe_rows.iter().any(|&y| close(frame.pixel(x, y), bg));
    // Icons inside the field (lock, star) interrupt the colour for up to ~1.5 line heights.
    let max_gap = (h * 2).max(24);
    let walk = |start: i64, step: i64, limit: i64| -> u32 {
        let (mut x, mut last_field, mut gap) = (start, start, 0u32);
        while x != limit {
            if column_is_field(x as u32) {
                last_field = x;
                gap = 0;
            } else {
                gap += 1;
                if gap > max_gap {
                    break;
                }
            }
            x += step;
        }
        last_field as u32
    };
    let left = walk(text.x as i64, -1, -1);
    let right = walk(text.right() as i64 - 1, 1, frame.width() as i64);
    // Vertically: from the text box outwards, while the column left of the text is field-coloured.
    let probe_x = text.x.saturating_sub(2).max(left);
    let reach = h * 2;
    let mut top = text.y;
    while top > 0 && text.y - top < reach && close(frame.pixel(probe_x, top - 1), bg) {
        top -= 1;
    }
    let mut bottom = text.bottom();
    while bottom < frame.height() && bottom - text.bottom() < reach && close(frame.pixel(probe_x, bottom), bg) {
        bottom += 1;
    }
    let bounded_vertically =
        top > 0 && text.y - top < reach && bottom < frame.height() && bottom - text.bottom() < reach;
    // a header bar runs edge to edge; an omnibox leaves room for buttons on both sides
    let margin = frame.width() / 50;
    let spans_width = left <= margin && right + 1 + margin >= frame.width();
    if !bounded_vertically || spans_width {
        return None;
    }
    let field = Rect::new(left, top, right + 1 - left, bottom - top);
    // Never smaller than the text itself, padded past anti-aliased field corners.
    Some(field.union(text).pad(3, 2, bounds))
}

/// The first column right of `x` on row `y` where the colour leaves that of `(x, y)`: the
/// right edge of a panel, walking along a row with no glyphs on it. `None` if the colour runs
/// to the edge of the frame (the panel's edge cannot be told from the page behind it).
pub fn panel_right_edge(frame: &Frame, y: u32, x: u32) -> Option<u32> {
    if y >= frame.height() || x >= frame.width() {
        return None;
    }
    let bg = frame.pixel(x, y);
    (x..frame.width()).find(|&c| !close(frame.pixel(c, y), bg))
}

/// The first column left of `x` on row `y` where the colour leaves that of `(x, y)`: the left
/// edge of a panel (see [`panel_right_edge`]).
pub fn panel_left_edge(frame: &Frame, y: u32, x: u32) -> Option<u32> {
    if y >= frame.height() || x >= frame.width() {
        return None;
    }
    let bg = frame.pixel(x, y);
    (0..x).rev().find(|&c| !close(frame.pixel(c, y), bg))
}

/// Where a panel opened under a toolbar ends, seen down its inner margins: each of `columns`
/// (just inside the panel's left or right edge, where no row text or icon reaches) keeps the
/// panel's colour from `y` down to the panel's bottom edge, and the page behind it starts
/// there. Thin lines inside the panel (a separator, a row highlight's rounded end) interrupt
/// the colour for a few pixels only. The lowest end over the columns: one of them may run into
/// something of the panel that reaches its edge (Chromium's selected-row bar on the left).
/// `None` where no column ends before the frame does.
pub fn panel_bottom(frame: &Frame, y: u32, columns: &[u32], line_h: u32) -> Option<u32> {
    let max_gap = (line_h / 6).max(3);
    let ends = columns
        .iter()
        .filter(|&&x| x < frame.width() && y < frame.height())
        .map(|&x| {
            let bg = frame.pixel(x, y);
            let (mut last, mut gap) = (y, 0);
            for row in y..frame.height() {
                if close(frame.pixel(x, row), bg) {
                    last = row;
                    gap = 0;
                } else {
                    gap += 1;
                    if gap > max_gap {
                        return Some(last + 1);
                    }
                }
            }
            None
        });
    ends.flatten().max()
}
