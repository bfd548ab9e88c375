//! The omnibox (Chromium) / URL-bar (Firefox) suggestion popup: the panel that opens under the
//! field while the user types, listing searches, history titles and URLs. Everything in it
//! belongs to the address bar: its first row repeats what is being typed ("payroll.intr -
//! DuckDuckGo Search", "payroll.intr — Search with Google"), which is exactly what must not be
//! seen, and no text pattern can tell a half-typed host from a search word.

use super::field;
use crate::frame::{Frame, Rect};
use crate::ocr::TextLine;

/// Lower-case letters and digits only: OCR drops and doubles dots and spaces in small UI text
/// ("payrol.intr" in the field, "payrollintr - …" in the row under it).
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `row` starts with `typed`, allowing OCR's slips: about one edit per five characters.
fn starts_like(row: &str, typed: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (typed.chars().collect(), row.chars().collect());
    if a.len() < 3 || b.len() < a.len().saturating_sub(1) {
        return false;
    }
    let budget = (a.len() / 5).max(1);
    // edit distance of `a` against the best prefix of `b` (Levenshtein, free suffix of b)
    let mut prev: Vec<usize> = (0..=b.len()).map(|_| 0).collect();
    for (j, p) in prev.iter_mut().enumerate() {
        *p = j;
    }
    for (i, &ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev.iter().min().is_some_and(|&d| d <= budget)
}

/// Where a line's text starts: after a row's icon that OCR read as a letter of the line
/// ("Q payroll.intr": the search icon, then the suggestion).
fn text_start(l: &TextLine) -> u32 {
    let text: Vec<char> = l.text.chars().collect();
    let icon = text.iter().position(|&c| c != ' ').unwrap_or(text.len());
    if text.get(icon + 1) != Some(&' ') {
        return l.rect.x;
    }
    let Some(start) = (icon + 1..text.len()).find(|&i| text[i] != ' ') else {
        return l.rect.x;
    };
    if l.chars.len() == text.len() {
        l.span_rect(start, text.len()).x
    } else {
        // no glyph positions (a fake line): in proportion
        l.rect.x + (l.rect.w as u64 * start as u64 / text.len() as u64) as u32
    }
}

fn same_row(a: Rect, b: Rect) -> bool {
    let top = a.y.max(b.y);
    let bottom = a.bottom().min(b.bottom());
    bottom.saturating_sub(top) * 2 >= a.h.min(b.h)
}

/// The rows of an open popup under a field whose text starts at `text_x` (lines of height
/// about `h`): lines starting near that column, each within a couple of line heights of the
/// one above, beginning right under `field_bottom`; lines sharing a row with one of them
/// ("Search with Google" beside the typed text) belong to it. Their bounding box, if any, and
/// the bottom of the first row.
pub fn rows_below(
    lines: &[TextLine],
    field_bottom: u32,
    text_x: u32,
    h: u32,
    x_range: (u32, u32),
) -> Option<(Rect, u32)> {
    let h = h.max(8);
    let mut below: Vec<&TextLine> = lines
        .iter()
        .filter(|l| l.rect.y + l.rect.h / 2 >= field_bottom && !l.rect.is_empty())
        .filter(|l| l.rect.x + 4 >= x_range.0 && l.rect.x < x_range.1)
        .collect();
    below.sort_by_key(|l| l.rect.y);
    // the column of the popup's text, row after row, until a gap or page text says the panel
    // ended. The popup's rows share one left edge; the page under it has its own margin, so
    // text that starts left of that edge (wider than a row's icon) is the page.
    let mut column: Vec<Rect> = Vec::new();
    let mut bottom = field_bottom;
    for (k, l) in below.iter().enumerate() {
        let r = Rect {
            x: text_start(l),
            ..l.rect
        };
        let gap = if column.is_empty() { h * 5 / 2 } else { h * 2 };
        if r.y > bottom + gap {
            break; // what follows is the page
        }
        // a row's icon, read as a letter or two, is not the row's text
        if l.text.trim().chars().count() < 3 || r.w < h * 3 / 2 {
            continue;
        }
        match column.first() {
            None if r.x.abs_diff(text_x) <= h * 5 / 2 => {}
            Some(first) if r.x.abs_diff(first.x) <= h * 3 / 4 => {}
            // ... unless rows of the column go on right under it: then it is a section
            // header of the popup ("Google suggestions", "Firefox Suggest")
            Some(first) if r.x + h / 2 < first.x && r.w > 2 * h && r.y >= bottom => {
                let rows_go_on = below[k + 1..]
                    .iter()
                    .take_while(|n| n.rect.y <= r.bottom() + h * 2)
                    .any(|n| text_start(n).abs_diff(first.x) <= h * 3 / 4 && n.text.trim().chars().count() >= 3);
                if !rows_go_on {
                    break;
                }
            }
            _ => continue,
        }
        column.push(r);
        bottom = bottom.max(r.bottom());
    }
    // and whatever shares a row with it
    let rows = below
        .iter()
        .map(|l| l.rect)
        .filter(|&r| r.bottom() <= bottom + h && column.iter().any(|&c| same_row(c, r)));
    let first = column.first()?.bottom();
    rows.fold(None, |u: Option<Rect>, r| Some(u.map_or(r, |u| u.union(r))))
        .map(|u| (u, first))
}

/// Where the panel under a typed line is looked at: the glyph-free row just under the text, and
/// the panel's right edge along it, if it can be told from the page (well right of the text;
/// a panel of the toolbar's colour, Chromium dark, has none).
pub fn panel_under(frame: &Frame, typed: Rect, h: u32) -> (u32, Option<u32>) {
    let inside = (typed.bottom() + 2).min(frame.height() - 1);
    let right_edge = field::panel_right_edge(frame, inside, typed.right() + 2).filter(|&e| e > typed.right() + 4 * h);
    (inside, right_edge)
}

/// The bottom of an open popup: under its last row of text, or where the panel's pixels end if
/// that is higher. Rows of the page can line up with the popup's column and follow it at a row's
/// distance (a table whose second column starts where the suggestions do), so text alone runs
/// on into the page; the panel's inner margins, left and right of its rows, show where it ends.
/// `y` is a glyph-free row inside the panel (under the typed text), `text` the typed line,
/// `right_edge` the panel's right edge found along `y` (if it could be told from the page). The
/// margins count only if they run at least past the first row (`first_row_bottom`): a margin
/// that ends sooner was not the panel's.
pub fn bottom(
    frame: &Frame,
    rows: Rect,
    first_row_bottom: u32,
    y: u32,
    text: Rect,
    right_edge: Option<u32>,
    h: u32,
) -> u32 {
    let text_bottom = rows.bottom() + h / 2;
    let left = field::panel_left_edge(frame, y, text.x)
        .map(|e| e + 3)
        .filter(|&c| c < text.x);
    let right = right_edge.map(|e| e - 3);
    let columns: Vec<u32> = left.into_iter().chain(right).collect();
    match field::panel_bottom(frame, y, &columns, h) {
        Some(panel) if panel >= first_row_bottom => text_bottom.min(panel),
        _ => text_bottom,
    }
}

/// An omnibox being typed into, found from text alone: a line near the top (`typed`) with a
/// line right under it, in the same column, that repeats it and, on its row, offers to search
/// for it or visit it ("… - DuckDuckGo Search", "… — Search with Google", "host/ Visit") or is a
/// URL suggestion. Repetitive text (a terminal's `ls -l`) repeats too, but offers nothing.
/// With inline autocompletion the field shows more than was typed (the typed prefix and a
/// remembered URL's rest, selected) and the rows under it start with a history title; the row
/// that offers to search then holds only the typed prefix, a few rows down.
/// Returns the indices of the typed lines.
pub fn typing_signature(lines: &[TextLine], top_band: u32) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, l1) in lines.iter().enumerate() {
        let typed = squash(&l1.text);
        if l1.rect.y > top_band || typed.chars().count() < 3 {
            continue;
        }
        let h = l1.rect.h.max(8);
        let repeated = lines.iter().any(|l2| {
            let r = l2.rect;
            let aligned = r.y >= l1.rect.bottom().saturating_sub(h / 4) && r.x.abs_diff(l1.rect.x) <= h * 3 / 2;
            if !aligned || r.y > l1.rect.bottom() + h * 6 {
                return false;
            }
            let row = || {
                lines
                    .iter()
                    .filter(|l| same_row(l.rect, r) && l.rect.x + h >= r.x)
                    .map(|l| l.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            if r.y <= l1.rect.bottom() + h * 5 / 2 && starts_like(&squash(&l2.text), &typed) {
                return offers(&row()) || super::is_urlish(&l2.text);
            }
            let q = query(&l2.text);
            completes(&typed, &squash(q)) && row().strip_prefix(q).is_some_and(engine_offer)
        });
        if repeated {
            out.push(i);
        }
    }
    out
}

/// The query of a search row: its text before the offer ("mail-2 - DuckDuckGo Search").
fn query(row: &str) -> &str {
    [" - ", " — ", " – "]
        .iter()
        .filter_map(|sep| row.find(sep))
        .min()
        .map_or(row, |k| &row[..k])
}

/// What a search row says after its query: a search engine's offer ("DuckDuckGo Search",
/// "Search with Google") or "Visit", and nothing else (a page's "Search the handbook" is not).
fn engine_offer(rest: &str) -> bool {
    let t = rest.trim_start_matches([' ', '-', '—', '–']).trim().to_lowercase();
    let words: Vec<&str> = t.split_whitespace().collect();
    match words.as_slice() {
        ["visit"] => true,
        ["search", "with", ..] => words.len() <= 4,
        [.., "search"] => (2..=3).contains(&words.len()),
        _ => false,
    }
}

/// Whether the field's text (`shown`) is `typed` with an inline completion after it: a strict
/// prefix, exact while short (a few letters match too much by chance), with OCR's slips after.
fn completes(shown: &str, typed: &str) -> bool {
    let n = typed.chars().count();
    if n < 3 || shown.chars().count() <= n {
        return false;
    }
    if n < 6 {
        shown.starts_with(typed)
    } else {
        starts_like(shown, typed)
    }
}

/// A popup row's offer: search for the typed text, or visit it.
fn offers(row: &str) -> bool {
    let t = row.to_lowercase();
    t.contains("search") || t.split_whitespace().any(|w| w == "visit")
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::layout::fake::line;

    #[test]
    fn prefixes_survive_ocr_slips() {
        assert!(starts_like("payrollintrduckduckgosearch", "payrolintr"));
        assert!(starts_like("wikicorpduckduckgosearch", "wikicorp"));
        assert!(starts_like("jenkinsbuild", "jenkinsbuild"));
        assert!(!starts_like("welcomebacktothepayroll", "payrollintr"));
        assert!(!starts_like("xy", "abc"));
    }

    /// Chromium 156, light, 100 %: the field and the popup's rows as PP-OCR reads them.
    fn chromium_typing() -> Vec<TextLine> {
        vec![
            line(49, 9, 110, 22, " Payroll portal"),
            line(169, 51, 85, 24, "payrol.intr"),
            line(139, 53, 22, 20, "Q"),
            line(169, 94, 225, 23, "payrollintr - DuckDuckGo Search"),
            line(
                168,
                131,
                503,
                26,
                "Payroll portal - payrollintra.example/app/?session=4f8a",
            ),
            line(169, 174, 146, 23, "payroll.intra.example"),
            line(25, 115, 104, 50, "Payri"),
            line(28, 181, 97, 24, "Welcome t"),
            line(28, 400, 300, 24, "Quarterly reports"),
        ]
    }

    #[test]
    fn the_typed_line_is_found_by_the_row_that_repeats_it() {
        let lines = chromium_typing();
        assert_eq!(typing_signature(&lines, 216), vec![1]);
        // a page whose heading is followed by a paragraph starting differently: nothing
        let page = vec![
            line(30, 117, 241, 43, "Payroll portal"),
            line(30, 179, 357, 27, "Welcome back. Quarterly reports are below."),
        ];
        assert!(typing_signature(&page, 216).is_empty());
        // a terminal's repetitive lines repeat, but offer nothing
        let ls = vec![
            line(8, 40, 600, 20, "drwxr-xr-x 2 root root 4096 Dec 1 ops"),
            line(8, 62, 600, 20, "drwxr-xr-x 3 root root 4096 Dec 1 www"),
        ];
        assert!(typing_signature(&ls, 216).is_empty());
    }

    #[test]
    fn an_inline_completion_is_found_by_the_search_row_of_what_was_typed() {
        // Chromium completes "mail-2" to a remembered URL (the rest selected); the first row is
        // that page's history title, the search row for "mail-2" comes after it
        let lines = vec![
            line(257, 84, 478, 24, "mail-24.soylent.home.arpa/mail/message/17375"),
            line(22, 143, 135, 24, "Daily Courier"),
            line(
                257,
                146,
                705,
                24,
                "Vendor renewal - Mail - mail-24.soylent.home.arpa/mail/message/17375",
            ),
            line(257, 206, 280, 24, "mail-2 - DuckDuckGo Search"),
            line(27, 222, 150, 24, "Marathon rou"),
        ];
        assert_eq!(typing_signature(&lines, 216), vec![0]);
        let rows = rows_below(&lines, 108, 257, 24, (185, 1248)).unwrap().0;
        assert!(rows.bottom() >= 230, "every row of the popup: {rows:?}");
        // a page heading followed, further down, by a search box's hint is no completion
        let page = vec![
            line(40, 60, 300, 24, "Documentation"),
            line(40, 180, 300, 24, "Doc - Search the handbook"),
        ];
        assert!(typing_signature(&page, 216).is_empty());
        assert!(completes("mail24soylenthome", "mail2"));
        assert!(!completes("mail24", "mail24"));
        assert!(!completes("mail24", "mai1"));
        assert!(engine_offer(" - DuckDuckGo Search") && engine_offer(" — Search with Google"));
        assert!(!engine_offer(" - Search the handbook") && !engine_offer(" search"));
    }

    #[test]
    fn popup_rows_stop_where_the_panel_ends() {
        let lines = chromium_typing();
        let rows = rows_below(&lines, 80, 169, 24, (118, 1837)).unwrap().0;
        assert_eq!(rows.y, 94);
        assert_eq!(rows.bottom(), 197);
        // the page's own text further down is not part of it
        assert!(rows.bottom() < 400);
    }

    #[test]
    fn firefox_rows_keep_the_search_label_beside_the_typed_text() {
        let lines = vec![
            line(281, 72, 85, 30, "payrollintr"),
            line(271, 117, 85, 26, "payrollintr"),
            line(367, 119, 120, 23, "Search with Google"),
            line(2, 134, 258, 40, "Error response"),
        ];
        assert_eq!(typing_signature(&lines, 216), vec![0]);
        let rows = rows_below(&lines, 104, 281, 30, (230, 1690)).unwrap().0;
        assert!(rows.x <= 271 && rows.right() >= 487, "{rows:?}");
    }

    #[test]
    fn a_section_header_inside_the_popup_does_not_end_it() {
        // Firefox: the search row, the "Google suggestions" header left of the rows' text,
        // then a suggestion row repeating the typed host
        let lines = vec![
            line(270, 73, 150, 24, "vault.ops.acme."),
            line(269, 117, 150, 22, "vault.ops.acme."),
            line(430, 119, 140, 20, "— Search with Google"),
            line(231, 157, 105, 14, "Google suggestions"),
            // the row's search icon read as a letter of it
            line(236, 178, 137, 20, "Q vault.ops.acme."),
            line(41, 160, 240, 48, "Team wiki"),
        ];
        let rows = rows_below(&lines, 104, 270, 24, (220, 1060)).unwrap().0;
        assert!(rows.bottom() >= 198, "{rows:?}");
    }

    #[test]
    fn the_page_under_a_one_row_popup_is_not_part_of_it() {
        // Firefox, dark, 1280x720: one "Visit" row, then the page's heading and text at the
        // page's own margin, close enough that a gap alone does not end the panel
        let lines = vec![
            line(279, 73, 262, 24, "kibana.lucerne.local:5601/orders/8052"),
            line(236, 116, 25, 25, "e"), // the row's globe icon
            line(270, 117, 262, 22, "kibana.lucerne.local:5601/orders/8052"),
            line(528, 119, 50, 20, "— Visit"),
            line(237, 186, 282, 23, "Runbook: database"),
            line(235, 234, 235, 21, "Owner: Lei Sun · 1 Feb 2027"),
            line(239, 275, 267, 17, "Connect to the bastion host first."),
        ];
        let rows = rows_below(&lines, 104, 279, 24, (224, 1092)).unwrap().0;
        assert!(rows.y <= 117 && rows.right() >= 578, "{rows:?}");
        assert!(rows.bottom() < 186, "{rows:?}");
    }

    /// A white popup panel (x 120..900, down to y 200) over a dark page whose table's second
    /// column starts where the popup's rows do, a row's distance under the last suggestion.
    fn panel_over_a_table() -> (Frame, Vec<TextLine>) {
        let mut f = Frame::filled(1280, 720, [20, 30, 50, 255]).unwrap();
        let w = f.width();
        let data = f.data_mut();
        for y in 40..200 {
            for x in 120..900 {
                let i = ((y * w + x) * 4) as usize;
                data[i..i + 4].copy_from_slice(&[255, 255, 255, 255]);
            }
        }
        let lines = vec![
            line(170, 55, 150, 24, "mail-24.soylen"),
            line(170, 100, 330, 24, "mail-24.soylen - DuckDuckGo Search"),
            line(170, 150, 300, 24, "mail-24.soylent.home.arpa"),
            // the page: its table's rows at a row's distance, in the popup's column
            line(40, 215, 60, 22, "Date"),
            line(172, 215, 120, 22, "Customer"),
            line(172, 255, 180, 22, "Nora Fairweather"),
            line(172, 295, 160, 22, "Joanna Kowalski"),
        ];
        (f, lines)
    }

    #[test]
    fn the_panel_edge_ends_a_popup_whose_column_the_page_continues() {
        let (frame, lines) = panel_over_a_table();
        let (rows, first) = rows_below(&lines, 79, 170, 24, (98, 900)).unwrap();
        // by text alone the page's column runs on under the suggestions
        assert!(rows.bottom() > 300, "{rows:?}");
        let t = lines[0].rect;
        let edge = field::panel_right_edge(&frame, 81, t.right() + 2).filter(|&e| e > t.right() + 4 * 24);
        let b = bottom(&frame, rows, first, 81, t, edge, 24);
        assert!((200..=202).contains(&b), "{b}");
        // a panel that cannot be told from the page (the same colour): the text decides
        let plain = Frame::filled(1280, 720, [255, 255, 255, 255]).unwrap();
        let edge = field::panel_right_edge(&plain, 81, t.right() + 2);
        assert_eq!(bottom(&plain, rows, first, 81, t, edge, 24), rows.bottom() + 12);
    }
}
