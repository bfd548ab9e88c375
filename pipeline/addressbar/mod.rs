//! Browser address bars (Chromium's omnibox, Firefox's URL bar), light and dark.
//!
//! The guidance is to hide the address bar, not only the URL in it, so the whole input field is
//! covered, including any text OCR failed to read. A bar is a URL-looking text line near the top
//! of the frame that sits in a uniformly coloured field; the field's extent is found by walking
//! outwards from the text over pixels of the field's colour.
//!
//! The bar is a *place*, not a text pattern: while the user types, the field shows a half-typed
//! host or a search query and a suggestion popup opens under it ([`popup`]). In a single frame
//! that state is recognised by the popup's first row repeating the typed text; in a stream,
//! [`BarMemory`] remembers each field found and keeps covering it, and its popup, for as long as
//! the toolbar around it stays where it was.

mod field;
mod memory;
mod popup;

pub use memory::BarMemory;

use crate::classify::hosts;
use crate::frame::{Frame, Rect};
use crate::ocr::TextLine;
use field::field_around;

/// Does a text line read like the content of an address bar? One of its words is a URL with a
/// scheme, "host/path", "host:port", an IP address, or a bare host name.
///
/// Small type is read as OCR reads it: a dot as a comma, a scheme with a slash or a letter
/// lost ("htp:/illing-27.wonka,.priv/payments").
pub fn is_urlish(text: &str) -> bool {
    text.split_whitespace().any(|w| {
        let w = w.trim_matches(|c: char| "\"'()<>[],;".contains(c));
        if let Some((scheme, _)) = w.split_once("://") {
            return !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
        }
        let unmisread = unmisread_url(w);
        let (w, after_scheme) = match misread_scheme(&unmisread) {
            Some(rest) => (rest, true),
            None => (unmisread.as_str(), false),
        };
        // without its colon a scheme is only a scheme before a host and a path: "http/server.go"
        // is a file in a folder (an editor's title)
        let colonless = after_scheme && !unmisread.contains(':');
        let host = w.split(['/', '?', '#']).next().unwrap_or("");
        let (host, port) = host.split_once(':').unwrap_or((host, ""));
        let has_path = w.len() > host.len() + port.len() + usize::from(!port.is_empty());
        // "deploy-19:3000l": the slash after a port read as a letter
        let (port, has_path) = match port.strip_suffix(['l', 'I', '|']) {
            Some(p) if p.len() >= 2 && p.bytes().all(|b| b.is_ascii_digit()) => (p, true),
            _ => (port, has_path),
        };
        let ip = host.split('.').count() == 4 && host.split('.').all(|o| o.parse::<u8>().is_ok());
        // "redis-cache:3000/": a single-label intranet name with a port and a path
        let bare_with_port = has_path
            && port.len() >= 2
            && port.parse::<u16>().is_ok_and(|p| p > 0)
            && host.chars().any(|c| c.is_ascii_alphabetic())
            && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !host.starts_with('-');
        // after a scheme a dotted name is a host even when OCR lost its top-level domain
        // ("http/shop-admin.grigots./admin": ".fr" read as nothing)
        let tld_lost = after_scheme && has_path && hosts::looks_like_elided_host(host.trim_end_matches('.'));
        if colonless && !has_path {
            return false;
        }
        ip || bare_with_port
            || tld_lost
            || (host.eq_ignore_ascii_case("localhost") && (has_path || !port.is_empty()))
            || hosts::looks_like_host(host, has_path || !port.is_empty() || after_scheme)
    })
}

/// A URL word with OCR's commas for dots read back as dots ("wonka,.priv" -> "wonka.priv").
fn unmisread_url(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    for c in w.chars().map(|c| if c == ',' { '.' } else { c }) {
        if !(c == '.' && out.ends_with('.')) {
            out.push(c);
        }
    }
    out
}

/// What follows a scheme OCR misread by a letter or a slash ("htp:/", "https:", "hps://" is
/// read whole above): the scheme's letters, a colon and one slash or none before a host; or
/// the exact scheme with its colon lost ("http/"; not "html/", a folder).
fn misread_scheme(w: &str) -> Option<&str> {
    let Some((scheme, rest)) = w.split_once(':') else {
        let (scheme, rest) = w.split_once('/')?;
        let exact = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
        let rest = rest.trim_start_matches('/');
        return (exact && rest.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())).then_some(rest);
    };
    let lower = scheme.to_ascii_lowercase();
    let near = ["http", "https"]
        .iter()
        .any(|s| crate::layout::labels::one_edit(&lower, s) || lower == *s);
    let rest = rest.trim_start_matches('/');
    (near && rest.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())).then_some(rest)
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
    let Some(w) = lone_word(text) else {
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

/// A line that is one URL-looking word and nothing else, as the omnibox shows what is typed.
fn lone_url(text: &str) -> bool {
    lone_word(text).is_some_and(is_urlish)
}

/// The line's only word, if it has exactly one.
fn lone_word(text: &str) -> Option<&str> {
    let mut words = text.split_whitespace();
    match (words.next(), words.next()) {
        (Some(w), None) => Some(w),
        _ => None,
    }
}

/// Why a part of the frame is covered as the address bar (the region's rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarPart {
    /// The field, found in this frame.
    Field,
    /// A field found in an earlier frame of the stream whose toolbar is still in place.
    Remembered,
    /// The suggestion popup open under a field.
    Popup,
}

impl BarPart {
    pub fn rule(self) -> &'static str {
        match self {
            BarPart::Field => "omnibox",
            BarPart::Remembered => "omnibox-remembered",
            BarPart::Popup => "omnibox-popup",
        }
    }
}

/// An address bar seen in one frame.
#[derive(Debug, Clone, Copy)]
struct Seen {
    field: Rect,
    popup: Option<Rect>,
    /// Line height of the text in it.
    text_h: u32,
    /// The field's colour when found idle (a URL in a bounded field): the state memory
    /// compares with to tell that it is focused. `None` for fields found some other way.
    idle: Option<[u8; 4]>,
}

/// How far down the frame a browser's toolbar can sit (tab strip and toolbar at 200 % UI).
fn top_band(frame: &Frame) -> u32 {
    (frame.height() as f32 * 0.2).max(160.0) as u32
}

/// The address-bar fields (and open popups) in a frame, given its OCR lines.
pub fn find_address_bars(frame: &Frame, lines: &[TextLine]) -> Vec<(Rect, BarPart)> {
    parts(&seen(frame, lines))
}

fn parts(seen: &[Seen]) -> Vec<(Rect, BarPart)> {
    let mut out = Vec::new();
    for s in seen {
        out.push((s.field, BarPart::Field));
        if let Some(p) = s.popup {
            out.push((p, BarPart::Popup));
        }
    }
    out
}

fn seen(frame: &Frame, lines: &[TextLine]) -> Vec<Seen> {
    let top = top_band(frame);
    let bounds = frame.bounds();
    let mut bars: Vec<Seen> = Vec::new();
    // being typed into: the popup's first row repeats the field's text
    for i in popup::typing_signature(lines, top) {
        let l = &lines[i];
        let h = l.rect.h.max(8);
        if bars.iter().any(|b| b.field.overlaps(l.rect)) {
            continue;
        }
        let x0 = l.rect.x.saturating_sub(3 * h);
        // the panel's right edge, along the glyph-free row under the typed text; where the
        // panel has the toolbar's colour (Chromium dark) it cannot be seen: most of the width
        let (inside, right_edge) = popup::panel_under(frame, l.rect, h);
        let x1 = right_edge.unwrap_or_else(|| frame.width().saturating_sub(h));
        let x1 = x1.max(l.rect.right() + h);
        let field = Rect::from_corners_f(
            x0 as f32,
            (l.rect.y as f32 - h as f32 * 0.6).max(0.0),
            x1 as f32,
            (l.rect.bottom() + h / 2) as f32,
            bounds,
        );
        let popup = popup::rows_below(lines, l.rect.bottom(), l.rect.x, h, (x0, x1)).map(|(rows, first)| {
            let bottom = popup::bottom(frame, rows, first, inside, l.rect, right_edge, h);
            Rect::from_corners_f(x0 as f32, field.bottom() as f32, x1 as f32, bottom as f32, bounds)
        });
        bars.push(Seen {
            field,
            popup,
            text_h: h,
            idle: None,
        });
    }
    for line in lines {
        let r = line.rect;
        if r.is_empty() || r.y > top || !(is_urlish(&line.text) || is_typed_host(&line.text)) {
            continue;
        }
        if bars.iter().any(|b| b.field.overlaps(r)) {
            continue;
        }
        if let Some((field, colour)) = field_around(frame, r) {
            bars.push(Seen {
                field,
                popup: None,
                text_h: r.h,
                idle: Some(colour),
            });
        } else if (is_typed_host(&line.text) && typed_host_words(&line.text)) || lone_url(&line.text) {
            // the omnibox while typing, its field merged with the open popup or the popup not
            // read: a host or URL being typed near the top ("k8s-api:3000/") is covered as a
            // line, with room to the right for the next characters
            let pad = r.h / 2 + 2;
            let field = Rect::from_corners_f(
                r.x as f32 - pad as f32,
                r.y as f32 - pad as f32,
                (r.right() + 4 * r.h) as f32,
                (r.bottom() + pad) as f32,
                bounds,
            );
            bars.push(Seen {
                field,
                popup: None,
                text_h: r.h,
                idle: None,
            });
        }
    }
    under_the_toolbar_removed(bars)
}

/// A browser's toolbar is one band across its window, and the page starts under it: a URL-ish
/// line in a bounded box clear below a bar already found (a striped table row with an e-mail
/// address, an IP address in a cell, both within the top fifth of a 1080p page) is page
/// content, not a second address bar. Windows tiled side by side have their bars at one
/// height; a URL in the page is still covered by the text rules.
fn under_the_toolbar_removed(mut bars: Vec<Seen>) -> Vec<Seen> {
    bars.sort_by_key(|b| b.field.y);
    let mut kept: Vec<Seen> = Vec::with_capacity(bars.len());
    for mut b in bars {
        // the popup's highlighted first row looks like a field of its own (a filled box with
        // the typed host in it, the rows under it repeating it): the popup already holds it,
        // and the rows "under" it are the page
        let centre = (b.field.x + b.field.w / 2, b.field.y + b.field.h / 2);
        if kept
            .iter()
            .any(|k| k.popup.is_some_and(|p| p.contains(Rect::new(centre.0, centre.1, 1, 1))))
        {
            b.popup = None;
        }
        let below = kept.iter().any(|k| {
            let clear_below = k.field.bottom() + k.text_h / 2 <= b.field.y;
            let in_popup = k.popup.is_some_and(|p| p.overlaps(b.field));
            clear_below && !in_popup
        });
        if !below {
            kept.push(b);
        }
    }
    kept
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
        let (b, part) = bars[0];
        assert_eq!(part, BarPart::Field);
        assert!(b.x <= 100 && b.right() >= 700, "{b:?}");
        assert!(b.y <= 40 && b.bottom() >= 76, "{b:?}");
    }

    /// Paints `r` of `f` in one colour (also for the memory's tests).
    pub(super) fn fill(f: &mut Frame, r: Rect, c: [u8; 4]) {
        let w = f.width();
        for y in r.y..r.bottom() {
            for x in r.x..r.right() {
                let i = ((y * w + x) * 4) as usize;
                f.data_mut()[i..i + 4].copy_from_slice(&c);
            }
        }
    }

    fn strokes(f: &mut Frame, r: Rect, c: [u8; 4]) {
        for x in (r.x..r.right()).step_by(7) {
            fill(f, Rect::new(x, r.y + 4, 2, r.h - 8), c);
        }
    }

    #[test]
    fn a_focused_field_of_the_toolbars_colour_is_bounded_by_its_ring() {
        // Firefox focused: white field, 2 px blue ring, white toolbar, a page under it
        let mut f = Frame::filled(1600, 300, [255; 4]).unwrap();
        fill(&mut f, Rect::new(236, 67, 1166, 37), [154, 193, 241, 255]);
        fill(&mut f, Rect::new(240, 69, 1158, 33), [255; 4]);
        fill(&mut f, Rect::new(0, 106, 1600, 194), [124, 45, 18, 255]);
        strokes(&mut f, Rect::new(245, 72, 400, 26), [20, 20, 20, 255]);
        let bars = find_address_bars(
            &f,
            &[line(
                Rect::new(238, 69, 412, 32),
                "Not Secure http://billing-27.wonka.priv/payments/recent",
            )],
        );
        assert_eq!(bars.len(), 1, "{bars:?}");
        let (b, _) = bars[0];
        assert!(
            b.x <= 236 && b.right() >= 1400 && b.y <= 67 && b.bottom() >= 103,
            "{b:?}"
        );
        assert!(b.right() < 1500, "{b:?}");
    }

    #[test]
    fn a_rounded_ring_under_the_text_box_still_bounds_the_field() {
        // Firefox focused at 200 %: a 1 px ring whose sides are straight for only 12 of its
        // 28 rows, and OCR's box of "Not Secure http/…" (colon and ".fr" lost) over the ring
        let mut f = Frame::filled(2560, 300, [255; 4]).unwrap();
        fill(&mut f, Rect::new(0, 0, 2560, 56), [235, 235, 237, 255]);
        let ring = [154, 193, 241, 255];
        fill(&mut f, Rect::new(190, 58, 2208, 1), ring);
        fill(&mut f, Rect::new(190, 85, 2208, 1), ring);
        fill(&mut f, Rect::new(184, 66, 1, 12), ring);
        fill(&mut f, Rect::new(2404, 66, 1, 12), ring);
        fill(&mut f, Rect::new(0, 89, 2560, 211), [11, 13, 17, 255]);
        strokes(&mut f, Rect::new(200, 64, 340, 18), [20, 20, 20, 255]);
        let bars = find_address_bars(
            &f,
            &[line(
                Rect::new(183, 57, 364, 31),
                "Not Secure http/shop-admin.grigots./admin/ordersviw",
            )],
        );
        assert_eq!(bars.len(), 1, "{bars:?}");
        let b = bars[0].0;
        assert!(b.x <= 184 && b.right() > 2404 && b.y <= 58 && b.bottom() >= 86, "{b:?}");
    }

    #[test]
    fn a_chip_that_fills_most_of_the_text_box_does_not_hide_the_field() {
        // Firefox: a white toolbar, the field #f2f2f2, and a "Not Secure" chip of a third
        // colour taking most of the OCR line "Not Secure http://start.corp.example"
        let mut f = Frame::filled(1280, 300, [255; 4]).unwrap();
        fill(&mut f, Rect::new(224, 70, 832, 32), [242, 242, 242, 255]);
        fill(&mut f, Rect::new(226, 72, 170, 28), [247, 247, 247, 255]);
        strokes(&mut f, Rect::new(240, 72, 140, 28), [60, 60, 60, 255]);
        strokes(&mut f, Rect::new(400, 72, 110, 28), [60, 60, 60, 255]);
        let bars = find_address_bars(
            &f,
            &[line(
                Rect::new(226, 72, 285, 28),
                "Not Secure http://start.corp.example",
            )],
        );
        assert_eq!(bars.len(), 1, "{bars:?}");
        let b = bars[0].0;
        assert!(b.x <= 224 && b.right() >= 1056, "{b:?}");
    }

    #[test]
    fn the_field_runs_on_past_a_chip_inside_it() {
        // Chromium: the grey field, a white "Not secure" pill inside it, the URL right of it
        let mut f = Frame::filled(1280, 300, [255; 4]).unwrap();
        fill(&mut f, Rect::new(128, 46, 1060, 34), [237, 237, 237, 255]);
        fill(&mut f, Rect::new(140, 51, 78, 24), [255; 4]);
        strokes(&mut f, Rect::new(150, 51, 60, 24), [60, 60, 60, 255]);
        strokes(&mut f, Rect::new(229, 51, 136, 25), [30, 30, 30, 255]);
        let bars = find_address_bars(&f, &[line(Rect::new(229, 51, 136, 25), "start.corp.example")]);
        assert_eq!(bars.len(), 1, "{bars:?}");
        let b = bars[0].0;
        assert!(b.x <= 128 && b.right() >= 1187, "{b:?}");
    }

    #[test]
    fn ignores_non_url_text_and_lines_low_on_the_page() {
        let f = toolbar();
        assert!(find_address_bars(&f, &[line(Rect::new(136, 48, 270, 20), "Service health")]).is_empty());
        assert!(find_address_bars(&f, &[line(Rect::new(136, 250, 270, 20), "intranet.corp.example/")]).is_empty());
    }

    #[test]
    fn a_bounded_box_with_an_address_under_the_bar_is_page_content() {
        let mut f = toolbar();
        // a striped table row under the toolbar, the page's own bounded box
        fill(&mut f, Rect::new(60, 130, 700, 30), [230, 245, 232, 255]);
        let lines = [
            line(Rect::new(229, 51, 136, 25), "start.corp.example"),
            line(Rect::new(300, 134, 200, 20), "10.20.36.87"),
        ];
        let bars = find_address_bars(&f, &lines);
        assert_eq!(bars.len(), 1, "{bars:?}");
        assert!(bars[0].0.y < 60, "{bars:?}");
        // on its own (no bar above it) the same box still counts
        assert_eq!(find_address_bars(&f, &lines[1..]).len(), 1);
    }

    #[test]
    fn the_popups_highlighted_row_brings_no_popup_of_its_own() {
        // Firefox typing: the blue first row of the dropdown reads as a filled field with the
        // host in it; "its" rows under it are the chat page, which must stay readable
        let bar = |field: Rect, popup: Rect| Seen {
            field,
            popup: Some(popup),
            text_h: 28,
            idle: None,
        };
        let kept = under_the_toolbar_removed(vec![
            bar(Rect::new(218, 125, 937, 59), Rect::new(218, 184, 937, 561)),
            bar(Rect::new(230, 69, 934, 61), Rect::new(230, 130, 934, 124)),
        ]);
        let popups: Vec<Rect> = kept.iter().filter_map(|b| b.popup).collect();
        assert_eq!(popups, vec![Rect::new(230, 130, 934, 124)], "{kept:?}");
        assert!(kept.iter().any(|b| b.field == Rect::new(218, 125, 937, 59)));
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
            // a single-label intranet name, typed with a port and a path
            "redis-cache:3000/",
            "idp-23:9090/targets",
            // small type: a scheme short of a letter and a slash, a dot read as a comma
            "Not Secure htp:/illing-27.wonka,.priv/payments/recent",
            "http:/wiki.corp.example/start",
            // the colon lost, and the top-level domain after the scheme
            "Not Secure http/shop-admin.grigots./admin/ordersviw",
            "https/wiki.corp.example/start",
            "deploy-19:3000l",
        ] {
            assert!(is_urlish(t), "{t}");
        }
        for t in [
            "Service health",
            "Team calendar",
            "Inbox 5",
            "settings.py",
            "Meeting at 10:30",
            "Ratio 16:9",
            "step:1/3",
            "k8s-api:3000",
            "Ratio 16:9l",
            "http:/",
            "Note: see the docs",
            "html/index.html",
            "src/main.rs",
            "http/",
            "see http/handler.go",
        ] {
            assert!(!is_urlish(t), "{t}");
        }
        assert!(lone_url("k8s-api:3000/") && lone_url("git.corp.example"));
        assert!(!lone_url("see git.corp.example") && !lone_url("Team calendar"));
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
