//! International bank account numbers: country code, check digits, up to 30 alphanumerics,
//! optionally grouped in fours; ISO 13616 mod-97 valid.

use super::{iban_valid, Category, Findings, Line, Recognizer};

re!(IBAN, r"[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30}");

pub struct IbanRecognizer;

impl Recognizer for IbanRecognizer {
    fn name(&self) -> &'static str {
        "iban"
    }

    fn categories(&self) -> &'static [Category] {
        &[Category::Iban]
    }

    fn recognize(&self, line: &Line<'_>, found: &mut Findings) {
        for m in IBAN.find_iter(line.text) {
            if iban_valid(m.as_str()) {
                let (s, e) = line.span(&m);
                found.push(s, e, Category::Iban, "iban");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_covers, assert_not_covered};
    use super::*;

    #[test]
    fn ibans() {
        for (text, want) in [
            ("IBAN GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32"),
            ("DE89370400440532013000", "DE89370400440532013000"),
            ("Konto: DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00"),
        ] {
            assert_covers(text, Category::Iban, want);
        }
        for text in [
            "GB82 WEST 1234 5698 7654 33",
            "AB12 CDEF GHIJ KLMN",
            "ISO 9001 2015 CERTIFIED",
        ] {
            assert_not_covered(text, Category::Iban);
        }
    }
}
