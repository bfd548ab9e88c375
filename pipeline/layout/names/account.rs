//! The signed-in user of an application: the name in its bar.

use super::super::same_row;
use super::{finding, person};
use crate::classify::Finding;
use crate::frame::Rect;
use crate::ocr::TextLine;

/// The last words of `text` that read as a person ("Tracker Huy Nguyen" -> "Huy Nguyen"), the
/// fewest that do.
pub(super) fn trailing_name(text: &str) -> Option<Finding> {
    let chars: Vec<char> = text.chars().collect();
    let end = chars.iter().rposition(|c| !c.is_whitespace())? + 1;
    let starts: Vec<usize> = (0..end)
        .filter(|&k| !chars[k].is_whitespace() && (k == 0 || chars[k - 1].is_whitespace()))
        .collect();
    starts.iter().rev().skip(1).find_map(|&s| {
        let rest: String = chars[s..end].iter().collect();
        person(&rest).then(|| finding(s, end, "account-name"))
    })
}

/// Words beside the signed-in user's name in an application's bar.
const ACCOUNT_WORDS: &[&str] = &[
    "sign out",
    "sign off",
    "log out",
    "logout",
    "my account",
    "switch account",
];

/// Is line `i` the signed-in user of an application: a name beside "Sign out" or "My account"
/// on its row, or a name at the right end of a bar near the top of the screen whose other text
/// (the application's name, its menus: at least one line) is all left of it.
pub(super) fn account_name(lines: &[TextLine], i: usize) -> bool {
    let l = &lines[i];
    let h = l.rect.h.max(8);
    let row: Vec<&TextLine> = lines
        .iter()
        .enumerate()
        // a speck of an icon OCR read as a letter is no item of the bar
        .filter(|&(j, o)| j != i && same_row(o.rect, l.rect) && o.rect.h * 2 >= l.rect.h)
        .map(|(_, o)| o)
        .collect();
    let near = |o: &TextLine| o.rect.x.abs_diff(l.rect.right()).min(l.rect.x.abs_diff(o.rect.right())) <= 15 * h;
    let account = |t: &str| {
        let t = t.to_lowercase();
        ACCOUNT_WORDS.iter().any(|w| t.contains(w))
    };
    if row.iter().any(|o| near(o) && account(&o.text)) {
        return true;
    }
    let top = lines.iter().map(|o| o.rect.y).min().unwrap_or(0);
    let bottom = lines.iter().map(|o| o.rect.bottom()).max().unwrap_or(0);
    let right = lines.iter().map(|o| o.rect.right()).max().unwrap_or(0);
    // near the top: in the top quarter of the text, or under no more than the browser's own
    // rows (tab strip, address bar, bookmarks) when the page's text is short
    let mut above: Vec<Rect> = lines
        .iter()
        .map(|o| o.rect)
        .filter(|r| r.bottom() <= l.rect.y)
        .collect();
    above.sort_by_key(|r| r.y);
    let rows_above = above
        .iter()
        .enumerate()
        .filter(|&(k, r)| k == 0 || !same_row(above[k - 1], *r))
        .count();
    let in_top_band = (l.rect.y - top) * 4 <= bottom - top || rows_above <= 3;
    let at_right_end = l.rect.right() + 4 * h >= right && row.iter().all(|o| o.rect.right() <= l.rect.x);
    // a bar: the application's name (and perhaps its menus) on the left
    in_top_band && at_right_end && (1..=4).contains(&row.len())
}
