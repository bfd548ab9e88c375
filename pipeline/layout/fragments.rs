//! Pieces of numbers in a column of them. Small type (a 2560-pixel screen at 100 % scale) is
//! cut by the detector into pieces of uneven height that no rule can read as a number: "937"
//! "555" "0" "133", "(925)" "555" "-0134". In a column whose cells mostly read as phone numbers
//! (or IP addresses), a reader takes every piece of digits inside the column to be part of one.

use super::table::{cell_category, Column};
use super::whole_line;
use crate::classify::{Category, Finding};
use crate::ocr::TextLine;

/// Categories written in digits and a few separators, and those separators.
const NUMBERS: &[(Category, &str)] = &[(Category::Phone, "+()-. /"), (Category::Ip, ".:")];

/// The fewest cells a column needs to be known as a column of such numbers.
const MIN_CELLS: usize = 5;

pub fn number_fragments(
    lines: &[TextLine],
    findings: &[Vec<Finding>],
    columns: &[Column],
    enabled: &[Category],
) -> Vec<(usize, Finding)> {
    let mut out = Vec::new();
    for &(cat, separators) in NUMBERS.iter().filter(|(c, _)| enabled.contains(c)) {
        for col in columns {
            let known: Vec<&TextLine> = col
                .cells
                .iter()
                .filter(|&&i| cell_category(&lines[i], &findings[i]) == Some(cat))
                .map(|&i| &lines[i])
                .collect();
            if known.len() < MIN_CELLS || known.len() * 2 < col.cells.len() {
                continue;
            }
            let mut heights: Vec<u32> = known.iter().map(|l| l.rect.h).collect();
            heights.sort_unstable();
            let h = heights[heights.len() / 2].max(4);
            let x0 = known.iter().map(|l| l.rect.x).min().unwrap_or(0).saturating_sub(h);
            let x1 = known.iter().map(|l| l.rect.right()).max().unwrap_or(0) + h;
            let y0 = known.iter().map(|l| l.rect.y).min().unwrap_or(0);
            let y1 = known.iter().map(|l| l.rect.bottom()).max().unwrap_or(0) + h;
            for (i, l) in lines.iter().enumerate() {
                let r = l.rect;
                let inside = r.x >= x0 && r.right() <= x1 && r.y >= y0 && r.bottom() <= y1;
                let t = l.text.trim();
                let digits = t.chars().any(|c| c.is_ascii_digit());
                let number = t.chars().all(|c| c.is_ascii_digit() || separators.contains(c));
                if inside && digits && number && !findings[i].iter().any(|f| f.category == cat) {
                    out.extend(whole_line(l, cat, "column-fragment").map(|f| (i, f)));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fake::{covered, line};
    use super::super::table::columns;
    use super::*;
    use crate::classify::{Classifier, ClassifierConfig};

    #[test]
    fn pieces_of_phone_numbers_in_their_column() {
        let mut lines = Vec::new();
        let phones = [
            "(887) 555-0144",
            "+1-588-555-0190",
            "(02) 7472 8363",
            "+1 965 555 0101",
            "869 555 0100",
            "679-555-0150",
        ];
        for (k, p) in phones.iter().enumerate() {
            let y = 100 + 40 * k as u32;
            lines.push(line(10, y, 200, 16, &format!("Name {k}")));
            lines.push(line(400, y, 62, 16, p));
            lines.push(line(600, y, 80, 16, "£184,750.00"));
        }
        // pieces between the rows, and an amount in the next column
        lines.push(line(402, 120, 13, 10, "937"));
        lines.push(line(417, 120, 16, 10, "555"));
        lines.push(line(437, 122, 6, 6, "0"));
        lines.push(line(443, 122, 12, 7, "133"));
        lines.push(line(600, 160, 20, 10, "42"));
        let c = Classifier::new(ClassifierConfig::default());
        let findings: Vec<Vec<Finding>> = lines.iter().map(|l| c.classify(&l.text)).collect();
        let cols = columns(&lines);
        let got: Vec<String> = covered(&lines, &number_fragments(&lines, &findings, &cols, &Category::ALL))
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        assert_eq!(got, vec!["937", "555", "0", "133"]);
    }
}
