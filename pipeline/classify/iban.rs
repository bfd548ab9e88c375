//! International bank account numbers: a country code, check digits and the country's BBAN,
//! validated against the SWIFT IBAN registry (the `iban_validate` crate: each country's length
//! and BBAN format, and the ISO 13616 mod-97 check), printed in groups of four or electronic.
//!
//! OCR confuses 0/O, 1/I, 5/S, 8/B, 2/Z and 6/G, and one such slip breaks the checksum: a
//! candidate that fails as read is tried with those characters swapped (at most 2^8 variants of
//! one candidate), so "SA48 52VV FWOR ..." read for "FW0R" still validates. Text after the
//! number ("... 0130 00 EUR") is cut off by trying shorter prefixes.

use super::{Category, Findings, Line, Recognizer};

// The country code may hold one digit OCR read for its letter ("F1" for "FI").
re!(
    IBAN,
    r"(?:[A-Z][A-Z012568]|[012568][A-Z])[0-9OISBZ]{2}(?:\s?[A-Z0-9]){11,32}"
);

/// Most look-alike characters of one candidate tried both ways.
const MAX_SWAPS: usize = 8;
/// What else OCR reads a character of small type as (a round letter for a zero, a "Q" for an
/// "O" whose tail it saw): the slips tried one or two at a time when the candidate fails. The
/// first two of each group are the look-alike pair OCR swaps most, tried many at once.
const MISREADS: &[&[char]] = &[
    &['0', 'O', 'Q', 'D'],
    &['1', 'I', 'L'],
    &['5', 'S'],
    &['8', 'B'],
    &['2', 'Z'],
    &['6', 'G'],
];

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
            let (s, _) = line.span(&m);
            // the candidate's characters without spaces, and each one's index in the line
            let chars: Vec<(usize, char)> = m
                .as_str()
                .chars()
                .enumerate()
                .filter(|(_, c)| !c.is_whitespace())
                .map(|(k, c)| (s + k, c))
                .collect();
            if let Some(n) = longest_iban(&chars) {
                if !line.at(chars[n - 1].0 + 1).is_alphanumeric() || n == chars.len() {
                    found.push(s, chars[n - 1].0 + 1, Category::Iban, "iban");
                }
            }
        }
    }
}

/// The length of the longest prefix of `chars` that is an IBAN, as read or with look-alikes
/// swapped.
fn longest_iban(chars: &[(usize, char)]) -> Option<usize> {
    (15..=chars.len().min(34)).rev().find(|&n| {
        let s: Vec<char> = chars[..n].iter().map(|&(_, c)| c).collect();
        valid_read(&s)
    })
}

/// Is `s` (electronic form) an IBAN as read, after swapping some of its look-alikes, or after
/// correcting one or two misread characters anywhere in it?
fn valid_read(s: &[char]) -> bool {
    let mut chars = s.to_vec();
    // a country code is letters: a digit there is its look-alike letter
    for c in chars.iter_mut().take(2).filter(|c| c.is_ascii_digit()) {
        *c = swap(*c);
    }
    swapped_lookalikes(&chars) || near_miss(&chars)
}

/// The look-alikes of a BBAN that is mostly digits: many letters O for zeros at once
/// ("DE89 37O4 OO44 O532 O13O OO"). Letters are tried first, a letter O being likelier a slip
/// than a digit 0.
fn swapped_lookalikes(chars: &[char]) -> bool {
    let mut ambiguous: Vec<usize> = (2..chars.len())
        .filter(|&k| MISREADS.iter().any(|g| g[..2].contains(&chars[k])))
        .collect();
    ambiguous.sort_by_key(|&k| chars[k].is_ascii_digit());
    ambiguous.truncate(MAX_SWAPS);
    (0u32..1 << ambiguous.len()).any(|mask| {
        let mut v = chars.to_vec();
        for (bit, &k) in ambiguous.iter().enumerate() {
            if mask & (1 << bit) != 0 {
                v[k] = swap(v[k]);
            }
        }
        is_iban(&v)
    })
}

/// One or two misread characters anywhere ("CH45 2149 1B80 S72U ..." for "B8OS", "MDIQ" for
/// "MDIO"), whatever else the BBAN holds. The mod-97 check is done first on each variant; the
/// registry's country format only for the few that pass it.
fn near_miss(chars: &[char]) -> bool {
    let alternatives = |c: char| {
        MISREADS
            .iter()
            .find(|g| g.contains(&c))
            .map(|g| g.iter().filter(move |&&a| a != c))
    };
    let slots: Vec<usize> = (2..chars.len()).filter(|&k| alternatives(chars[k]).is_some()).collect();
    let mut v = chars.to_vec();
    let passes = |v: &[char]| mod97(v) == Some(1) && is_iban(v);
    for (n, &a) in slots.iter().enumerate() {
        for &x in alternatives(chars[a]).into_iter().flatten() {
            v[a] = x;
            if passes(&v) {
                return true;
            }
            for &b in &slots[n + 1..] {
                for &y in alternatives(chars[b]).into_iter().flatten() {
                    v[b] = y;
                    if passes(&v) {
                        return true;
                    }
                }
                v[b] = chars[b];
            }
        }
        v[a] = chars[a];
    }
    false
}

/// ISO 13616's check: the BBAN, then the country code and check digits, letters as 10..35,
/// modulo 97 (1 for a valid IBAN). None for a character an IBAN cannot hold.
fn mod97(chars: &[char]) -> Option<u32> {
    let n = chars.len().min(4);
    chars[n..].iter().chain(&chars[..n]).try_fold(0u32, |r, &c| match c {
        '0'..='9' => Some((r * 10 + c as u32 - '0' as u32) % 97),
        'A'..='Z' => Some((r * 100 + c as u32 - 'A' as u32 + 10) % 97),
        _ => None,
    })
}

/// The registry's verdict: the checksum, the country's length and its BBAN format.
fn is_iban(chars: &[char]) -> bool {
    chars.iter().collect::<String>().parse::<iban::Iban>().is_ok()
}

fn swap(c: char) -> char {
    MISREADS
        .iter()
        .find_map(|g| match g[..2] {
            [a, b] if c == a => Some(b),
            [a, b] if c == b => Some(a),
            _ => None,
        })
        .unwrap_or(c)
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
            ("FI21 1234 5600 0007 85", "FI21 1234 5600 0007 85"),
            ("SA03 8000 0000 6080 1016 7519", "SA03 8000 0000 6080 1016 7519"),
            ("CH93 0076 2011 6238 5295 7", "CH93 0076 2011 6238 5295 7"),
            ("NO93 8601 1117 947", "NO93 8601 1117 947"),
            ("Pay to DE89 3704 0044 0532 0130 00 EUR", "DE89 3704 0044 0532 0130 00"),
            // OCR read the zeros of a German IBAN as letters O
            ("DE89 37O4 OO44 O532 O13O OO", "DE89 37O4 OO44 O532 O13O OO"),
            // ... and the I of a Finnish country code as a 1
            ("F19351879763818300", "F19351879763818300"),
            // small type: one zero read as a letter O among many look-alikes, or an O as Q
            ("CH4521491B80S72UMCXB6", "CH4521491B80S72UMCXB6"),
            ("CH53 7608 8MAP BXQ7 MDIQ F", "CH53 7608 8MAP BXQ7 MDIQ F"),
            ("FR2926138344120OY4OL8MBTS33", "FR2926138344120OY4OL8MBTS33"),
            ("FR38 6858 8117 56WD QCAV BKM4 935", "FR38 6858 8117 56WD QCAV BKM4 935"),
            ("CH4051538UIX6UU99ZB81", "CH4051538UIX6UU99ZB81"),
        ] {
            assert_covers(text, Category::Iban, want);
        }
        for text in [
            "GB82 WEST 1234 5698 7654 33",
            "AB12 CDEF GHIJ KLMN",
            "ISO 9001 2015 CERTIFIED",
            "DE89 3704 0044 0532 0130 01",
            "XX89370400440532013000",
            "SKU AB12 3456 7890 1234",
            // a German BBAN is digits: no slip makes a letter of one
            "DE89 3704 0044 0532 0130 0A",
            "ORDER 2024 1187 5531 0042",
        ] {
            assert_not_covered(text, Category::Iban);
        }
    }

    #[test]
    fn the_eur_after_a_number_is_not_part_of_it() {
        let line = Line::new("DE89 3704 0044 0532 0130 00 EUR");
        let mut f = Findings::default();
        IbanRecognizer.recognize(&line, &mut f);
        let got: Vec<String> = f.iter().map(|f| line.chars[f.start..f.end].iter().collect()).collect();
        assert_eq!(got, vec!["DE89 3704 0044 0532 0130 00"]);
    }
}
