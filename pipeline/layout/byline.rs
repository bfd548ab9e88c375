//! Bylines: the author heading a message or comment, then when it was written ("Solène Girard
//! 8 Aug 2025", "Yekaterina Zaitsev 3:25 PM", "Hamza Nasser · yesterday"), as chat clients,
//! issue trackers, forums and code review show them. The timestamp beside it is what tells a
//! reader the words are a person; the gazetteer tells a name from a title ("Nightly Build 03:00").

use std::sync::LazyLock;

use regex::Regex;

use super::names::{labelled_person, person};
use super::same_row;
use crate::classify::{Category, Finding};
use crate::ocr::TextLine;

/// A month's name, maybe abbreviated ("Jan", "Sept", "October").
const MONTH: &str = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*";

/// Text that is only a timestamp (a time, a date, both, or a relative one), maybe after a
/// separator.
static WHEN: LazyLock<Regex> = LazyLock::new(|| {
    let month = format!(r"{MONTH}\.?");
    let day = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?";
    let one = format!(
        r"(?:\d{{1,2}}[:.]\d{{2}}(?::\d{{2}})?(?:\s*[ap]\.?\s?m\.?)?|\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}})?Z?)?|\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}|\d{{1,2}}\s+{month}(?:,?\s*\d{{4}})?|{month}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s*\d{{4}})?|{day}|yesterday|today|just\s+now|\d+\s*(?:s|m|h|d|w|mins?|minutes?|hrs?|hours?|days?|weeks?|months?)\s+ago)"
    );
    Regex::new(&format!(
        r"(?i)^[\s·•|,\-–—]*{one}(?:[\s,·•]*(?:at\s+)?{one}){{0,2}}\s*(?:\(edited\))?\s*$"
    ))
    .expect("timestamp pattern")
});

/// A timestamp with a date in it (a year, a month's name, a relative day), not a time alone.
static DATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\d{{4}}|\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2}}|\b{MONTH}\b|\b(?:ago|yesterday|today)\b"
    ))
    .expect("date pattern")
});

/// Is `text` only a timestamp?
pub fn when(text: &str) -> bool {
    WHEN.is_match(text)
}

fn finding(start: usize, end: usize) -> Finding {
    Finding {
        start,
        end,
        category: Category::Name,
        rule: "byline".into(),
    }
}

/// The author of a line that starts with a name (as `is_name` judges one) and ends with a
/// timestamp, as a span.
fn author(text: &str, is_name: fn(&str) -> bool) -> Option<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let words = super::word_spans(text);
    for n in (2..=6.min(words.len().saturating_sub(1))).rev() {
        let (s, e) = (words[0].0, words[n - 1].1);
        let name: String = chars[s..e].iter().collect();
        let rest: String = chars[e..].iter().collect();
        if when(&rest) && is_name(&name) {
            return Some((s, e));
        }
    }
    None
}

/// Names heading a message: a name and its timestamp on one OCR line, or a name line with a
/// timestamp line right beside it on the same row.
///
/// A thread's bylines stand one above the other: where one of them is a name the gazetteer
/// knows, the others at its left edge need only a name's shape ("Gilad Shapiro 2024-09-11"
/// under "Dale Pennington 05.10.2027"), as the gazetteer lacks many romanised names.
pub fn bylines(lines: &[TextLine]) -> Vec<(usize, Finding)> {
    let mut out = known_bylines(lines);
    let edges: Vec<crate::frame::Rect> = out.iter().map(|(i, _)| lines[*i].rect).collect();
    for (i, l) in lines.iter().enumerate() {
        let h = l.rect.h.max(8);
        let in_thread = edges.iter().any(|r| r.x.abs_diff(l.rect.x) <= h && r.y != l.rect.y);
        if !in_thread || out.iter().any(|(j, _)| *j == i) {
            continue;
        }
        // an interface's event list times its events ("Nightly Export 03:00"); a thread dates
        // its messages
        let dated = |e: usize| DATED.is_match(&l.text.chars().skip(e).collect::<String>());
        if let Some((s, e)) = author(&l.text, labelled_person).filter(|&(_, e)| dated(e)) {
            out.push((i, finding(s, e)));
        }
    }
    out
}

/// Bylines whose author the gazetteer knows.
fn known_bylines(lines: &[TextLine]) -> Vec<(usize, Finding)> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if let Some((s, e)) = author(&l.text, person) {
            out.push((i, finding(s, e)));
            continue;
        }
        let h = l.rect.h.max(8);
        let stamped = lines.iter().enumerate().any(|(j, o)| {
            j != i
                && same_row(o.rect, l.rect)
                && o.rect.x >= l.rect.right()
                && o.rect.x - l.rect.right() <= 3 * h
                && when(&o.text)
        });
        if stamped && person(&l.text) {
            out.extend(super::whole_line(l, Category::Name, "byline").map(|f| (i, f)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fake::{covered, line};
    use super::*;

    #[test]
    fn timestamps() {
        for t in [
            "3:25 PM",
            "23:09",
            " · 2:17 a.m.",
            "8 Aug 2025",
            "2026-09-22",
            "2026-09-22 14:03",
            "15 May 2023",
            "Mar 4, 2024",
            // OCR drops the space after a comma
            "Jan 13,2025",
            "yesterday at 10:02",
            "Tue 09:14",
            "5 minutes ago",
            "3h ago",
            "12.03.2024 16:27",
            "just now",
        ] {
            assert!(when(t), "{t:?}");
        }
        for t in [
            "Build 42",
            "version 9.15.8",
            "Room 4",
            "at the end of May",
            "Low",
            "",
            "3 items",
        ] {
            assert!(!when(t), "{t:?}");
        }
    }

    #[test]
    fn authors_of_messages_and_comments() {
        let lines = vec![
            line(10, 10, 300, 20, "Yekaterina Zaitsev 3:25 PM"),
            line(10, 40, 400, 20, "Coffee machine on the third floor has been repaired."),
            line(10, 70, 200, 20, "Solène Girard"),
            line(215, 70, 100, 20, "8 Aug 2025"),
            line(10, 100, 300, 20, "Lotte de Boer · yesterday"),
            // not people: a job name and a status line with times
            line(10, 130, 300, 20, "Nightly Export 03:00"),
            line(10, 160, 300, 20, "Login Succeeded 10:02"),
            line(10, 190, 200, 20, "Build Passed"),
            line(215, 190, 100, 20, "12:26"),
            // a name far from a timestamp in another column
            line(10, 220, 200, 20, "Dana Whitfield"),
            line(900, 220, 100, 20, "12:26"),
            // a name the gazetteer lacks, in the thread of known ones
            line(10, 250, 300, 20, "Xochiquetzal Ayotl 2024-09-11"),
            // and one in another column
            line(600, 280, 300, 20, "Quetzalli Tlacatl 2024-09-12"),
        ];
        let mut got: Vec<String> = covered(&lines, &bylines(&lines)).into_iter().map(|(s, _)| s).collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                "Lotte de Boer",
                "Solène Girard",
                "Xochiquetzal Ayotl",
                "Yekaterina Zaitsev"
            ]
        );
    }
}
