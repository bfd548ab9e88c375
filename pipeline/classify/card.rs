//! Payment card numbers: 13-19 digits, grouped by spaces or dashes or not, Luhn-valid;
//! look-alike digits allowed.

use super::{luhn_valid, Category, Findings, Line, Recognizer};

re!(CARD, r"\d(?:[\s-]?\d){12,18}");

pub struct CardRecognizer;

impl Recognizer for CardRecognizer {
    fn name(&self) -> &'static str {
        "card"
    }

    fn categories(&self) -> &'static [Category] {
        &[Category::Card]
    }

    fn recognize(&self, line: &Line<'_>, found: &mut Findings) {
        // the shortest plausible match: thirteen digits, 70 % of them real
        // the shortest plausible match has 13 digits, 70 % of them real
        for view in line.numeric_views(10) {
            for m in CARD.find_iter(view.text) {
                if view.plausible(&m) && view.bounded(&m) && luhn_valid(m.as_str()) {
                    let (s, e) = view.span(&m);
                    found.push(s, e, Category::Card, "card-luhn");
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
    fn cards() {
        for (text, want) in [
            ("4539 1488 0343 6467", "4539 1488 0343 6467"),
            ("378282246310005", "378282246310005"),
            ("card 4539-1488-O343-6467 exp", "4539-1488-O343-6467"),
            ("Refund test card: 4242 4242 4242 4242", "4242 4242 4242 4242"),
            ("Amex 3714 496353 98431", "3714 496353 98431"),
        ] {
            assert_covers(text, Category::Card, want);
        }
        for text in [
            // fails Luhn
            "4539 1488 0343 6468",
            "order 1234567890123",
            "tracking 1Z999AA10123456784",
            "Requests / min 48,213",
        ] {
            assert_not_covered(text, Category::Card);
        }
    }
}
