//! Address bars remembered across the frames of one stream (a recording, a live share).
//!
//! A browser's toolbar keeps its geometry while its window does, so once a field has been found
//! (idle, showing a URL in a bounded field) it stays covered whatever it shows next: a host
//! half typed, a search query, an empty field with a caret, text OCR cannot read. The memory
//! holds the pixels of the toolbar on both sides of the field (back/forward/reload on the left,
//! the profile and menu buttons on the right) and forgets the field once those have gone (the
//! window moved or another one covers it); the next URL shown finds it again.

use super::field::{close, dominant_colour};
use super::{popup, BarPart};
use crate::frame::{Frame, Rect};
use crate::ocr::TextLine;

/// Share of the toolbar pixels beside a field that must still match for the field to be
/// remembered. Below 1: a page load swaps reload for stop, and back/forward change their
/// enabled shade, on a few icons' worth of the strip.
const ANCHOR_MATCH: f32 = 0.6;

struct Remembered {
    field: Rect,
    /// Its colour when found idle: a different colour now means the field is focused, and
    /// what opens under it is its popup.
    idle: [u8; 4],
    text_h: u32,
    /// The toolbar beside the field when it was found.
    anchor: Vec<Strip>,
}

/// A strip of toolbar beside a field.
struct Strip {
    rect: Rect,
    /// Its pixels (RGBA rows) when the field was found.
    then: Vec<u8>,
    /// It shows something (a button's icon, an edge) rather than one plain colour: a plain
    /// strip would match any plain screen, so alone it proves nothing.
    telling: bool,
}

impl Strip {
    fn of(frame: &Frame, rect: Rect) -> Strip {
        let then = pixels(frame, rect);
        let telling = has_detail(&then);
        Strip { rect, then, telling }
    }

    fn matches(&self, frame: &Frame, tol: u8) -> bool {
        let now = pixels(frame, self.rect);
        let same = now
            .chunks_exact(4)
            .zip(self.then.chunks_exact(4))
            .filter(|(p, q)| (0..3).all(|i| p[i].abs_diff(q[i]) <= tol))
            .count();
        !self.then.is_empty() && same as f32 >= ANCHOR_MATCH * (self.then.len() / 4) as f32
    }
}

/// The address bars of one stream. Start a new one when the frame size changes.
pub struct BarMemory {
    remembered: Vec<Remembered>,
    /// Per-channel difference still counted as the same pixel (decoded video flickers).
    tolerance: u8,
}

impl BarMemory {
    /// `tolerance`: as the stream's scene's (0 for lossless capture).
    pub fn new(tolerance: u8) -> Self {
        BarMemory {
            remembered: Vec::new(),
            tolerance,
        }
    }

    /// The address-bar parts to cover in `frame`: those found in it, and the fields
    /// remembered from earlier frames whose toolbar is still in place, with their popups.
    pub fn parts(&mut self, frame: &Frame, lines: &[TextLine]) -> Vec<(Rect, BarPart)> {
        let seen = super::seen(frame, lines);
        let tol = self.tolerance;
        self.remembered.retain(|r| r.anchored(frame, tol));
        for s in &seen {
            let Some(idle) = s.idle else { continue };
            // a smaller field inside a remembered one is a part of it, not a new bar: on focus
            // the URL is selected, and its highlight reads as a bounded field of its own colour
            if self.remembered.iter().any(|r| part_of(s.field, r.field)) {
                continue;
            }
            let anchor = anchor_strips(s.field, s.text_h, frame)
                .into_iter()
                .map(|r| Strip::of(frame, r))
                .collect::<Vec<_>>();
            if anchor.is_empty() {
                continue;
            }
            self.remembered.retain(|r| !r.field.overlaps(s.field));
            self.remembered.push(Remembered {
                field: s.field,
                idle,
                text_h: s.text_h,
                anchor,
            });
        }
        let mut out = super::parts(&seen);
        for r in &self.remembered {
            if seen.iter().any(|s| s.idle.is_some() && mostly_inside(r.field, s.field)) {
                continue; // found again as it is: already in `out`
            }
            out.push((r.field, BarPart::Remembered));
            if let Some(p) = r.popup(frame, lines) {
                if !seen.iter().any(|s| s.popup.is_some_and(|q| q.contains(p))) {
                    out.push((p, BarPart::Popup));
                }
            }
        }
        out
    }
}

impl Remembered {
    /// The toolbar is still in place when the strip on either side of the field is: focusing
    /// the field can change one side (Chromium drops the "Not secure" chip and widens the
    /// field; a popup panel grows past the field's ends), while a window that moved or covers
    /// the browser changes both.
    fn anchored(&self, frame: &Frame, tol: u8) -> bool {
        if !frame.bounds().contains(self.field) {
            return false;
        }
        if self.anchor.iter().any(|s| s.telling) {
            self.anchor.iter().filter(|s| s.telling).any(|s| s.matches(frame, tol))
        } else {
            self.anchor.iter().all(|s| s.matches(frame, tol))
        }
    }

    /// The popup under the field, when the field is focused (no longer its idle colour) and
    /// rows of text hang under it in its column.
    fn popup(&self, frame: &Frame, lines: &[TextLine]) -> Option<Rect> {
        let f = self.field;
        let h = self.text_h.max(8);
        let inner = Rect::new(f.x + h / 2, f.y + f.h / 4, f.w.saturating_sub(h), f.h / 2);
        if close(dominant_colour(frame, inner), self.idle) {
            return None;
        }
        let (x0, x1) = (f.x.saturating_sub(h / 2), (f.right() + h / 2).min(frame.width()));
        let (rows, first) = popup::rows_below(lines, f.bottom(), f.x + h, h, (x0, x1))?;
        let bottom = match typed_line(f, lines) {
            // the panel's own edges bound it, as for a bar found typing: page text lined up
            // with the popup's column does not extend it down the page
            Some(typed) => {
                let (inside, right_edge) = popup::panel_under(frame, typed, h);
                popup::bottom(frame, rows, first, inside, typed, right_edge, h)
            }
            None => rows.bottom() + h / 2,
        };
        Some(Rect::from_corners_f(
            x0 as f32,
            f.bottom() as f32,
            x1 as f32,
            bottom as f32,
            frame.bounds(),
        ))
    }
}

/// The text typed into a field: the widest line read inside it.
fn typed_line(field: Rect, lines: &[TextLine]) -> Option<Rect> {
    lines
        .iter()
        .map(|l| l.rect)
        .filter(|&r| !r.is_empty() && mostly_inside(r, field))
        .max_by_key(|r| r.w)
}

/// The toolbar strips left and right of a field, a little apart from it (Firefox's focused
/// URL bar grows by a few pixels) and as high as its middle half.
fn anchor_strips(field: Rect, text_h: u32, frame: &Frame) -> Vec<Rect> {
    let h = text_h.max(8);
    let (y, sh) = (field.y + field.h / 4, (field.h / 2).max(1));
    let mut out = Vec::new();
    let left_end = field.x.saturating_sub(h / 2);
    let left_start = field.x.saturating_sub(3 * h);
    if left_end > left_start + 4 {
        out.push(Rect::new(left_start, y, left_end - left_start, sh));
    }
    let right_start = field.right() + h / 2;
    let right_end = (field.right() + 3 * h).min(frame.width());
    if right_end > right_start + 4 {
        out.push(Rect::new(right_start, y, right_end - right_start, sh));
    }
    out.into_iter()
        .map(|r| r.intersect(frame.bounds()))
        .filter(|r| !r.is_empty())
        .collect()
}

/// At least 90 % of `a` lies inside `b`.
fn mostly_inside(a: Rect, b: Rect) -> bool {
    a.intersect(b).area() * 10 >= a.area() * 9
}

/// `part` lies in `whole` and is clearly smaller than it.
fn part_of(part: Rect, whole: Rect) -> bool {
    mostly_inside(part, whole) && part.area() * 10 < whole.area() * 9
}

/// Whether a strip shows something (a button's icon, an edge) rather than one plain colour.
fn has_detail(px: &[u8]) -> bool {
    let Some(first) = px.chunks_exact(4).next() else {
        return false;
    };
    let differing = px
        .chunks_exact(4)
        .filter(|p| (0..3).any(|i| p[i].abs_diff(first[i]) > 40))
        .count();
    differing * 50 >= px.len() / 4 // 2 % of its pixels
}

fn pixels(frame: &Frame, r: Rect) -> Vec<u8> {
    let r = r.intersect(frame.bounds());
    let mut out = Vec::with_capacity(r.area() as usize * 4);
    for y in r.y..r.bottom() {
        out.extend_from_slice(frame.row_span(y, r.x, r.right()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::addressbar::tests::fill;
    use crate::layout::fake::line;

    /// A toolbar: white, nav "icons" on the left and a menu on the right, a grey field.
    fn toolbar(field_colour: [u8; 4]) -> Frame {
        let mut f = Frame::filled(1000, 600, [255; 4]).unwrap();
        fill(&mut f, Rect::new(0, 0, 1000, 40), [211, 227, 253, 255]); // tab strip
        for x in [20, 50, 80] {
            fill(&mut f, Rect::new(x, 55, 14, 14), [60, 60, 60, 255]);
        }
        fill(&mut f, Rect::new(960, 55, 6, 14), [60, 60, 60, 255]);
        fill(&mut f, Rect::new(120, 46, 800, 34), field_colour);
        f
    }

    fn glyphs(f: &mut Frame, r: Rect) {
        for x in (r.x..r.right()).step_by(6) {
            fill(f, Rect::new(x, r.y + 3, 2, r.h - 6), [20, 20, 20, 255]);
        }
    }

    #[test]
    fn a_field_found_idle_stays_covered_while_typed_into() {
        let mut mem = BarMemory::new(0);
        let mut idle = toolbar([237, 242, 250, 255]);
        glyphs(&mut idle, Rect::new(180, 52, 300, 22));
        let url = [line(180, 52, 300, 22, "payroll.intra.example/app")];
        let parts = mem.parts(&idle, &url);
        assert_eq!(parts.len(), 1);
        let field = parts[0].0;
        assert_eq!(parts[0].1, BarPart::Field);
        // focused: the field turns white, a half-typed host OCR cannot call a host, and a
        // popup of two rows opens under it
        let mut typing = toolbar([255; 4]);
        glyphs(&mut typing, Rect::new(170, 52, 60, 22));
        glyphs(&mut typing, Rect::new(170, 95, 200, 22));
        glyphs(&mut typing, Rect::new(170, 130, 250, 22));
        let lines = [
            line(170, 52, 60, 22, "payro"),
            line(170, 95, 200, 22, "payro"),
            line(170, 130, 250, 22, "Payroll portal"),
            line(20, 400, 300, 22, "Welcome back"),
        ];
        let parts = mem.parts(&typing, &lines);
        let remembered: Vec<Rect> = parts
            .iter()
            .filter(|p| p.1 == BarPart::Remembered)
            .map(|p| p.0)
            .collect();
        assert_eq!(remembered, vec![field]);
        let popup: Vec<Rect> = parts.iter().filter(|p| p.1 == BarPart::Popup).map(|p| p.0).collect();
        assert_eq!(popup.len(), 1, "{parts:?}");
        assert!(popup[0].y <= 95 && popup[0].bottom() >= 152 && popup[0].bottom() < 400);
        assert!(popup[0].x <= 120 && popup[0].right() >= 920);
    }

    #[test]
    fn a_remembered_popup_ends_where_its_panel_does() {
        let mut mem = BarMemory::new(0);
        let mut idle = toolbar([237, 242, 250, 255]);
        glyphs(&mut idle, Rect::new(180, 52, 300, 22));
        mem.parts(&idle, &[line(180, 52, 300, 22, "payroll.intra.example/app")]);
        // focused: the white field opens into a white panel of two rows with a grey border,
        // over a grey page whose text starts in the popup's column, a row's distance apart
        let mut typing = toolbar([255; 4]);
        fill(&mut typing, Rect::new(0, 90, 1000, 510), [238, 238, 238, 255]);
        fill(&mut typing, Rect::new(110, 80, 820, 90), [255; 4]);
        let border = [170, 170, 170, 255];
        fill(&mut typing, Rect::new(110, 46, 1, 125), border);
        fill(&mut typing, Rect::new(929, 46, 1, 125), border);
        fill(&mut typing, Rect::new(110, 170, 820, 1), border);
        let mut lines = vec![
            line(170, 52, 60, 22, "payro"),
            line(170, 95, 200, 22, "payro"),
            line(170, 130, 250, 22, "Payroll portal"),
        ];
        for (i, text) in ["Runbook", "Step one", "Step two", "Step three"].iter().enumerate() {
            lines.push(line(170, 180 + 35 * i as u32, 200, 22, text));
        }
        for l in &lines {
            glyphs(&mut typing, l.rect);
        }
        let parts = mem.parts(&typing, &lines);
        let popup: Vec<Rect> = parts.iter().filter(|p| p.1 == BarPart::Popup).map(|p| p.0).collect();
        assert_eq!(popup.len(), 1, "{parts:?}");
        assert!(popup[0].bottom() >= 152, "the rows are covered: {popup:?}");
        assert!(popup[0].bottom() <= 175, "the page under the panel is not: {popup:?}");
    }

    #[test]
    fn the_field_is_forgotten_when_its_toolbar_goes() {
        let mut mem = BarMemory::new(0);
        let mut idle = toolbar([237, 242, 250, 255]);
        glyphs(&mut idle, Rect::new(180, 52, 300, 22));
        assert_eq!(
            mem.parts(&idle, &[line(180, 52, 300, 22, "wiki.corp.example/start")])
                .len(),
            1
        );
        // another window (a terminal) fills the screen
        let term = Frame::filled(1000, 600, [0, 0, 0, 255]).unwrap();
        assert!(mem.parts(&term, &[]).is_empty());
        // and it does not come back with the browser until a URL is seen again
        assert!(mem.parts(&toolbar([237, 242, 250, 255]), &[]).is_empty());
    }

    #[test]
    fn focusing_may_change_one_side_of_the_toolbar() {
        let mut mem = BarMemory::new(0);
        let mut idle = toolbar([237, 242, 250, 255]);
        // a "Not secure" chip left of the URL: part of the strip beside the field found
        fill(&mut idle, Rect::new(60, 50, 56, 24), [255, 255, 255, 255]);
        glyphs(&mut idle, Rect::new(62, 52, 50, 20));
        glyphs(&mut idle, Rect::new(180, 52, 300, 22));
        let found = mem.parts(&idle, &[line(180, 52, 300, 22, "payroll.intra.example/app")]);
        assert_eq!(found.len(), 1);
        // focused: the chip is gone and the field widened over it; the right side is as it was
        let mut typing = toolbar([255; 4]);
        fill(&mut typing, Rect::new(20, 46, 100, 34), [255; 4]);
        glyphs(&mut typing, Rect::new(70, 52, 40, 22));
        let parts = mem.parts(&typing, &[line(70, 52, 40, 22, "pay")]);
        assert!(parts.iter().any(|p| p.1 == BarPart::Remembered), "{parts:?}");
    }

    #[test]
    fn a_selected_url_does_not_shrink_the_field() {
        let mut mem = BarMemory::new(0);
        let mut idle = toolbar([237, 242, 250, 255]);
        glyphs(&mut idle, Rect::new(180, 52, 300, 22));
        let url = line(180, 52, 300, 22, "payroll.intra.example/app");
        let field = mem.parts(&idle, std::slice::from_ref(&url))[0].0;
        // focused with the URL selected: a blue highlight box around the text, the field white
        let mut focused = toolbar([255; 4]);
        fill(&mut focused, Rect::new(176, 50, 310, 27), [45, 110, 220, 255]);
        glyphs(&mut focused, Rect::new(180, 52, 300, 22));
        let parts = mem.parts(&focused, &[url]);
        assert!(
            parts.iter().any(|p| p.0.contains(field)),
            "the whole field stays covered: {parts:?}"
        );
    }

    #[test]
    fn no_popup_while_the_field_is_idle() {
        let mut mem = BarMemory::new(0);
        let mut idle = toolbar([237, 242, 250, 255]);
        glyphs(&mut idle, Rect::new(180, 52, 300, 22));
        let url = line(180, 52, 300, 22, "wiki.corp.example/start");
        mem.parts(&idle, std::slice::from_ref(&url));
        // the page under the toolbar happens to start in the field's column
        let page = [
            url,
            line(170, 95, 300, 22, "Runbook"),
            line(170, 130, 300, 22, "Step one"),
        ];
        let parts = mem.parts(&idle, &page);
        assert!(parts.iter().all(|p| p.1 != BarPart::Popup), "{parts:?}");
    }
}
