//! Layout context: what a reader sees around a line — the label it is the value of, the table
//! column it sits in, the e-mail address it is the name of — so that classification can use
//! structure and not only a line's own characters.
//!
//! The classifier judges one line at a time; a random id whose digits happen to repeat fails
//! any fixed entropy threshold, a password of plain words has no shape at all, and a name is
//! only a name where a reader sees a person. A reader uses the structure: the column header
//! says "Session", the label says "Password:", the cell's column-mates are all secrets, the
//! words stand before `<dana@…>`. This stage groups OCR lines into rows, columns and label/value
//! pairs and adds findings from that context. Every finding stays a span of one line, so the
//! label itself stays readable.

mod byline;
mod fragments;
mod gazetteer;
pub(crate) mod labels;
mod names;
pub mod phrases;
mod recurring;
mod table;
pub mod wraps;

pub use labels::{name_label, secret_label};

use crate::classify::{Category, Finding};
use crate::ocr::TextLine;

/// How widely names are looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NameScope {
    /// Where the layout says a person is meant: a label, a column of people, beside their
    /// e-mail address, a mail header, a signature, an attendee list.
    #[default]
    Records,
    /// Also any text that reads as a person's name on its own.
    Everywhere,
}

/// A column's header label, the category its cells then are, and the shape a cell must have.
type LabelledColumn = (fn(&str) -> bool, Category, fn(&str) -> bool);

/// The columns a header labels (names are judged by `names`, with their own evidence).
const LABELLED_COLUMNS: &[LabelledColumn] = &[
    (labels::host_label, Category::Hostname, table::host_like),
    (labels::email_label, Category::Email, labels::email_like),
    (labels::phone_label, Category::Phone, labels::phone_like),
    (labels::account_label, Category::Iban, labels::account_like),
    (labels::card_label, Category::Card, labels::account_like),
    (secret_label, Category::Secret, table::token_like),
];

/// Findings the layout adds, as (line index, finding) pairs; `findings[i]` are the
/// classifier's findings for `lines[i]`.
pub fn context_findings(
    lines: &[TextLine],
    findings: &[Vec<Finding>],
    enabled: &[Category],
    names: Option<NameScope>,
) -> Vec<(usize, Finding)> {
    let mut out = Vec::new();
    let secrets = enabled.contains(&Category::Secret);
    if secrets {
        out.extend(labels::labelled_secrets(lines));
    }
    let columns = table::columns(lines);
    out.extend(table::column_mates(lines, findings, &columns, enabled));
    out.extend(fragments::number_fragments(lines, findings, &columns, enabled));
    out.extend(
        table::whole_cells(lines, findings, &columns)
            .into_iter()
            .filter(|(_, f)| enabled.contains(&f.category)),
    );
    for &(label, category, value) in LABELLED_COLUMNS.iter().filter(|(_, c, _)| enabled.contains(c)) {
        out.extend(table::labelled_columns(lines, &columns, label, category, value));
    }
    if let Some(scope) = names.filter(|_| enabled.contains(&Category::Name)) {
        out.extend(people(lines, findings, &columns, scope));
        // and on phrases the detector boxed word by word, mapped back onto their boxes
        if let Some(p) = phrases::join(lines, findings) {
            let joined_columns = table::columns(&p.lines);
            out.extend(p.back(people(&p.lines, &p.findings, &joined_columns, scope)));
        }
        let classified = findings
            .iter()
            .enumerate()
            .flat_map(|(i, fs)| fs.iter().map(move |f| (i, f.clone())));
        let found: Vec<(usize, Finding)> = out.iter().cloned().chain(classified).collect();
        out.extend(recurring::seen_elsewhere(lines, &found));
    }
    // a cell can sit in two columns (left- and right-aligned) or under two labels
    out.sort_by(|(i, a), (j, b)| (i, a.start, a.end, a.category).cmp(&(j, b.start, b.end, b.category)));
    out.dedup_by(|(i, a), (j, b)| i == j && a.start == b.start && a.end == b.end && a.category == b.category);
    out
}

/// The people the layout shows: names by their labels, columns, addresses and records, and
/// the authors heading messages.
fn people(
    lines: &[TextLine],
    findings: &[Vec<Finding>],
    columns: &[table::Column],
    scope: NameScope,
) -> Vec<(usize, Finding)> {
    let mut out = names::names(lines, findings, columns, scope);
    out.extend(byline::bylines(lines));
    out
}

/// The words of `text` (runs of non-space characters) as character spans `[start, end)`.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        if chars[k].is_whitespace() {
            k += 1;
            continue;
        }
        let s = k;
        while k < chars.len() && !chars[k].is_whitespace() {
            k += 1;
        }
        out.push((s, k));
    }
    out
}

/// A finding covering a whole line's text (trimmed).
fn whole_line(line: &TextLine, category: Category, rule: &str) -> Option<Finding> {
    let chars: Vec<char> = line.text.chars().collect();
    let start = chars.iter().position(|c| !c.is_whitespace())?;
    let end = chars.iter().rposition(|c| !c.is_whitespace())? + 1;
    Some(Finding {
        start,
        end,
        category,
        rule: rule.into(),
    })
}

/// Do two boxes share a row (overlap by half the smaller height)?
fn same_row(a: crate::frame::Rect, b: crate::frame::Rect) -> bool {
    let top = a.y.max(b.y);
    let bottom = a.bottom().min(b.bottom());
    bottom.saturating_sub(top) * 2 >= a.h.min(b.h).max(1)
}

#[cfg(test)]
pub(crate) mod fake {
    use crate::frame::Rect;
    use crate::ocr::TextLine;

    /// A line with evenly spaced characters, as the analysis tests' fake OCR makes them.
    pub fn line(x: u32, y: u32, w: u32, h: u32, text: &str) -> TextLine {
        let n = text.chars().count().max(1) as f32;
        let cw = w as f32 / n;
        TextLine {
            rect: Rect::new(x, y, w, h),
            text: text.into(),
            chars: (0..text.chars().count())
                .map(|i| (x as f32 + i as f32 * cw, x as f32 + (i + 1) as f32 * cw))
                .collect(),
            confidence: 0.9,
        }
    }

    /// The substrings of `lines` that `found` covers, with their category.
    pub fn covered(
        lines: &[TextLine],
        found: &[(usize, crate::classify::Finding)],
    ) -> Vec<(String, crate::classify::Category)> {
        found
            .iter()
            .map(|(i, f)| {
                let s: String = lines[*i].text.chars().skip(f.start).take(f.end - f.start).collect();
                (s, f.category)
            })
            .collect()
    }
}
