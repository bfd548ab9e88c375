//! US social security numbers: 3-2-4 digits with dashes or spaces, look-alike digits allowed.

use super::{Category, Findings, Line, Recognizer};

re!(SSN, r"\d{3}[-\s]\d{2}[-\s]\d{4}");

pub struct SsnRecognizer;

impl Recognizer for SsnRecognizer {
    fn name(&self) -> &'static str {
        "ssn"
    }

    fn categories(&self) -> &'static [Category] {
        &[Category::Ssn]
    }

    fn recognize(&self, line: &Line<'_>, found: &mut Findings) {
        // the shortest plausible match: nine digits, 70 % of them real
        // the shortest plausible match has 9 digits, 70 % of them real
        for view in line.numeric_views(7) {
            for m in SSN.find_iter(view.text) {
                if view.plausible(&m) && view.bounded(&m) {
                    let (s, e) = view.span(&m);
                    found.push(s, e, Category::Ssn, "ssn");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_covers, assert_not_covered};
    use super::*;

    #[test]
    fn ssns() {
        for (text, want) in [
            ("747-37-5331", "747-37-5331"),
            ("SSN 747-37-533l", "747-37-533l"),
            ("ssn: 4O1 22 9817", "4O1 22 9817"),
        ] {
            assert_covers(text, Category::Ssn, want);
        }
        for text in [
            "Start date 2019-03-04",
            "ISBN 978-3-16-148410-0",
            "order 1234-56-78901",
            "SESSION-22-ABCD",
        ] {
            assert_not_covered(text, Category::Ssn);
        }
    }
}
