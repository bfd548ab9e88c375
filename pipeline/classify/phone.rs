//! Telephone numbers: North American groupings and international `+CC` numbers.

use super::{Category, Findings, Line, Recognizer};

re!(
    PHONE,
    r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}|\+\d{1,3}(?:[\s.-]?\d{2,4}){3,5}"
);

pub struct PhoneRecognizer;

impl Recognizer for PhoneRecognizer {
    fn name(&self) -> &'static str {
        "phone"
    }

    fn categories(&self) -> &'static [Category] {
        &[Category::Phone]
    }

    fn recognize(&self, line: &Line<'_>, found: &mut Findings) {
        // the shortest plausible match: seven digits, 70 % of them real
        // the shortest plausible match has 7 digits, 70 % of them real
        for view in line.numeric_views(5) {
            for m in PHONE.find_iter(view.text) {
                // a leading '(' is part of the number; check bounds outside it
                if view.plausible(&m) && view.bounded(&m) {
                    let (s, e) = view.span(&m);
                    found.push(s, e, Category::Phone, "phone");
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
    fn phones() {
        for (text, want) in [
            ("(849) 555-0121", "(849) 555-0121"),
            ("+44 20 7946 0958", "+44 20 7946 0958"),
            ("Reach me on my cell at (515) 555-0170", "(515) 555-0170"),
            ("415.555.0134", "415.555.0134"),
            ("call 415-555-0134 today", "415-555-0134"),
        ] {
            assert_covers(text, Category::Phone, want);
        }
        for text in ["Start date 2019-03-04", "09:41", "$8,510.00", "Version 1.2.3 released"] {
            assert_not_covered(text, Category::Phone);
        }
    }
}
