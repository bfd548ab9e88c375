//! Browser address bars (Chromium's omnibox, Firefox's URL bar), light and dark.
//!
//! The guidance is to hide the address bar, not only the URL in it, so the whole input field is
//! covered, including any text OCR failed to read. A bar is a URL-looking text line near the top
//! of the frame that sits in a uniformly coloured field; the field's extent is found by walking
//! outwards from the text over pixels of the field's colour.

use crate::classify::hosts;
use crate::frame::{Frame, Rect};
use crate::ocr::TextLine;

/// Colour distance under which two pixels are "the same field". Chromium's light omnibox
/// (#f1f3f4) sits on a white toolbar: 14 levels apart, so this must be tighter than that.
const TOLERANCE: i32 = 8;

fn close(a: [u8; 4], b: [u8; 4]) -> bool {
    (0..3).all(|i| (a[i] as i32 - b[i] as i32).abs() <= TOLERANCE)
}

/// Most common colour in a rectangle (text is a minority of a line box's pixels).
fn dominant_colour(frame: &Frame, r: Rect) -> [u8; 4] {
    let mut counts = std::collections::HashMap::<[u8; 3], u32>::new();
    for y in r.y..r.bottom() {
        for x in (r.x..r.right()).step_by(2) {
            let p = frame.pixel(x, y);
            // quantise lightly so anti-aliasing noise does not split the vote
            *counts.entry([p[0] & 0xF8, p[1] & 0xF8, p[2] & 0xF8]).or_default() += 1;
        }
    }
    let best = counts
        .into_iter()
        .max_by_key(|&(_, n)| n)
        .map(|(c, _)| c)
        .unwrap_or([0; 3]);
    // the exact colour of a pixel in that bucket
    for y in r.y..r.bottom() {
        for x in r.x..r.right() {
            let p = frame.pixel(x, y);
            if [p[0] & 0xF8, p[1] & 0xF8, p[2] & 0xF8] == best {
                return p;
            }
        }
    }
    [best[0], best[1], best[2], 255]
}

/// Does a text line read like the content of an address bar? One of its words is a URL with a
/// scheme, "host/path", "host:port", an IP address, or a bare host name.
pub fn is_urlish(text: &str) -> bool {
    text.split_whitespace().any(|w| {
        let w = w.trim_matches(|c: char| "\"'()<>[],;".contains(c));
        if let Some((scheme, _)) = w.split_once("://") {
            return !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
        }
        let host = w.split(['/', '?', '#']).next().unwrap_or("");
        let (host, port) = host.split_once(':').unwrap_or((host, ""));
        let has_path = w.len() > host.len() + port.len() + usize::from(!port.is_empty());
        let ip = host.split('.').count() == 4 && host.split('.').all(|o| o.parse::<u8>().is_ok());
        ip || (host.eq_ignore_ascii_case("localhost") && (has_path || !port.is_empty()))
            || hosts::looks_like_host(host, has_path || !port.is_empty())
    })
}

/// A host being typed: a word of three or more dot-separated labels ("payroll.intra.exampl"),
/// which [`is_urlish`] rejects for its unfinished top-level domain. Only used together with the
/// omnibox geometry, so such a word lower in a page does not count.
pub fn is_typed_host(text: &str) -> bool {
    text.split_whitespace().any(|w| {
        let w = w.trim_matches(|c: char| "\"'()<>[],;|".contains(c));
        let host = w.split(['/', '?', '#']).next().unwrap_or("");
        let labels: Vec<&str> = host.split('.').collect();
        // three labels, two of them with letters: not "requirements.txt" or "v1.2.3"
        labels.len() >= 3
            && labels.iter().filter(|l| l.chars().any(|c| c.is_alphabetic())).count() >= 2
            && labels
                .iter()
                .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
    })
}

/// A line that is nothing but a host being typed, of three or more labels with letters in at
/// least two ("payroll.intra.exampl"; not "v1.2.3", "requirements.txt" or a terminal line that
/// mentions a host).
fn typed_host_words(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let (Some(w), None) = (words.next(), words.next()) else {
        return false;
    };
    let host = w
        .trim_matches(|c: char| "|'\"".contains(c))
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 3 && labels.iter().filter(|l| l.chars().any(|c| c.is_alphabetic())).count() >= 2
}

/// The address-bar fields in a frame, given its OCR lines.
pub fn find_address_bars(frame: &Frame, lines: &[TextLine]) -> Vec<Rect> {
    let top_band = (frame.height() as f32 * 0.2).max(160.0) as u32;
    let mut bars: Vec<Rect> = Vec::new();
    for line in lines {
        let r = line.rect;
        if r.is_empty() || r.y > top_band || !(is_urlish(&line.text) || is_typed_host(&line.text)) {
            continue;
        }
        if bars.iter().any(|b| b.overlaps(r)) {
            continue;
        }
        if let Some(field) = field_around(frame, r) {
            bars.push(field);
        } else if is_typed_host(&line.text) && typed_host_words(&line.text) {
            // the omnibox while typing (its popup has no field border): a host being typed near
            // the top is covered as a line, with room to the right for the next characters
            let pad = r.h / 2 + 2;
            bars.push(Rect::from_corners_f(
                r.x as f32 - pad as f32,
                r.y as f32 - pad as f32,
                (r.right() + 4 * r.h) as f32,
                (r.bottom() + pad) as f32,
                frame.bounds(),
            ));
        }
    }
    bars
}

/// Walks out from a text box to the edges of the input field around it. `None` when the text
/// does not sit in a field: the colour runs on vertically (a terminal, a page) or spans the
/// whole width (a header bar) — an address bar is a bounded box inside a toolbar.
fn field_around(frame: &Frame, text: Rect) -> Option<Rect> {
    let bounds = frame.bounds();
    let bg = dominant_colour(frame, text);
    let h = text.h.max(1);
    // Rows that cross the field but (mostly) not the glyphs: the text box's top and bottom edge.
    let probe_rows = [text.y, text.bottom().saturating_sub(1)];
    let column_is_field = |x: u32| probe_rows.iter().all(|&y| close(frame.pixel(x, y), bg));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn line(rect: Rect, text: &str) -> TextLine {
        TextLine {
            rect,
            text: text.into(),
            chars: vec![],
            confidence: 1.0,
        }
    }

    /// A toolbar with a light-grey rounded field, dark "glyphs" inside and a star icon.
    fn toolbar() -> Frame {
        let mut f = Frame::filled(800, 300, [255, 255, 255, 255]).unwrap();
        let w = f.width();
        let data = f.data_mut();
        let mut put = |x: u32, y: u32, c: [u8; 4]| {
            let i = ((y * w + x) * 4) as usize;
            data[i..i + 4].copy_from_slice(&c);
        };
        for y in 40..76 {
            for x in 100..700 {
                put(x, y, [241, 243, 244, 255]);
            }
        }
        // glyph strokes between y 50 and 66
        for x in (140..400).step_by(7) {
            for y in 50..66 {
                put(x, y, [30, 30, 30, 255]);
            }
        }
        // star icon at the right end of the field
        for y in 48..68 {
            for x in 660..680 {
                put(x, y, [90, 90, 90, 255]);
            }
        }
        f
    }

    #[test]
    fn covers_the_whole_field() {
        let f = toolbar();
        let bars = find_address_bars(
            &f,
            &[line(Rect::new(136, 48, 270, 20), "intranet.corp.example/path?x=1")],
        );
        assert_eq!(bars.len(), 1);
        let b = bars[0];
        assert!(b.x <= 100 && b.right() >= 700, "{b:?}");
        assert!(b.y <= 40 && b.bottom() >= 76, "{b:?}");
    }

    #[test]
    fn ignores_non_url_text_and_lines_low_on_the_page() {
        let f = toolbar();
        assert!(find_address_bars(&f, &[line(Rect::new(136, 48, 270, 20), "Service health")]).is_empty());
        assert!(find_address_bars(&f, &[line(Rect::new(136, 250, 270, 20), "intranet.corp.example/")]).is_empty());
    }

    #[test]
    fn text_on_a_plain_background_is_not_a_field() {
        // a terminal: URL-looking text on an endless black background
        let f = Frame::filled(800, 300, [0, 0, 0, 255]).unwrap();
        assert!(find_address_bars(&f, &[line(Rect::new(10, 20, 300, 18), "curl http://x.corp.example/")]).is_empty());
    }

    #[test]
    fn urlish() {
        for t in [
            "Not secure status.internal.example/d/overview?org=3",
            "https://x.y",
            "git.corp.example",
            "localhost:8080/x",
            "10.0.0.1",
        ] {
            assert!(is_urlish(t), "{t}");
        }
        for t in ["Service health", "Team calendar", "Inbox 5", "settings.py"] {
            assert!(!is_urlish(t), "{t}");
        }
    }

    #[test]
    fn hosts_being_typed_count_in_the_omnibox() {
        assert!(is_typed_host("payroll.intra.examplel"));
        assert!(is_typed_host("payroll.intra.exampl - DuckDuckGo Search"));
        assert!(!is_typed_host("payroll.intra"));
        assert!(!is_typed_host("requirements.txt"));
        assert!(!is_typed_host("v1.2.3"));
        assert!(!is_typed_host("Team wiki"));
        assert!(!is_typed_host("a.b"));
        assert!(!is_typed_host("Welcome to the weekly planning notes."));
    }
}
