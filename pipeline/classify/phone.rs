//! Telephone numbers, validated against libphonenumber's metadata (the `phonenumber` crate:
//! which number ranges exist in which country, and their lengths).
//!
//! A candidate is a run of digit groups with spaces, dots, dashes, slashes or parentheses
//! between them, read on the line and on its look-alike-digit view (O->0, l->1 ...). A part of a
//! candidate is a phone number when
//! - it starts with `+` or `00` and libphonenumber knows the number in that country code, or it
//!   has the international grouping (`+CC` and three to five groups);
//! - it is a valid national number of one of the policy's regions and is written as a phone is
//!   written: in groups, or beside a phone label ("Tel:", "Mobile") when it is one run of digits;
//! - it has the North American grouping `(NPA) NXX-XXXX`, which also covers the 555-01xx numbers
//!   of test data in area codes libphonenumber knows to be unassigned.
//!
//! Shapes that a reader knows are not phone numbers are masked before candidates are taken:
//! dates, times, dotted quads (the IP recogniser's), versions, amounts of money, year ranges.

use std::sync::Arc;

use phonenumber::country::Id;

use super::line::CharIndex;
use super::{Category, Findings, Line, Recognizer};

/// Regions whose national layouts count when a policy names none: the countries whose numbers
/// are most often on the screens of English-, European-, Indian- and Latin-American-language
/// users. A `+CC` number of any country is always found.
pub const DEFAULT_REGIONS: &[&str] = &[
    "US", "CA", "GB", "IE", "DE", "AT", "CH", "FR", "BE", "NL", "LU", "IT", "ES", "PT", "SE", "NO", "DK", "FI", "PL",
    "CZ", "IN", "AU", "NZ", "SG", "JP", "BR", "MX", "ZA",
];

// The North American grouping, and the international one for numbers libphonenumber does not
// know (fictional ranges of test data).
re!(
    GROUPED,
    r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}|\+\d{1,3}(?:[\s.-]?\d{2,4}){3,5}"
);

// Digit groups and what may stand between them (one separator, or a parenthesis with a space).
re!(CANDIDATE, r"\+?\(?\d(?:\d|(?:[ .\-/]|\) ?| ?\()\d)*");

// A word on the line that says a number is a phone number.
re!(
    LABEL,
    r"(?i)\b(?:tel|tél|phone|telephone|telefon|telefone|téléphone|telefono|teléfono|mobile|mobil|móvil|cell|cellphone|fax|handy|whatsapp|sms|mob|ph)\b"
);

// Numbers that are something else (checked for plausibility in code where noted).
re!(DATE_YMD, r"\b(?:19|20)\d{2}([-./])\d{1,2}([-./])\d{1,2}\b");
re!(DATE_DMY, r"\b\d{1,2}([-./])\d{1,2}([-./])(?:\d{4}|\d{2})\b");
re!(TIME, r"\b\d{1,2}:\d{2}(?::\d{2})?\b");
re!(QUAD, r"\b\d{1,3}(?:\.\d{1,3}){3}\b");
re!(
    VERSION,
    r"(?i)(?:\bv|\bversion\s?|\brelease\s?|\bbuild\s?|\bver\.?\s?)\d+(?:\.\d+)+"
);
re!(
    MONEY,
    r"(?i)(?:[$€£¥₹]|\b(?:usd|eur|gbp|chf|jpy|inr|aud|cad|sek|nok|dkk|pln|brl)\s?)\s?\d{1,3}(?:[,.' ]\d{3})*(?:[.,]\d{1,2})?|\d{1,3}(?:[,.' ]\d{3})*(?:[.,]\d{1,2})?\s?(?:[$€£¥₹]|(?:usd|eur|gbp|chf|jpy|inr|aud|cad|sek|nok|dkk|pln|brl|kr|zł)\b)"
);
re!(ISBN, r"(?i)\bISBN(?:-1[03])?:?\s?[0-9][0-9 -]{8,16}[0-9X]\b");
re!(
    YEARS,
    r"\b(?:19|20)\d{2}(?:\s?[-–/,]\s?|\s)(?:19|20)\d{2}(?:(?:\s?[-–/,]\s?|\s)(?:19|20)\d{2})*\b"
);

/// Fewest and most digits of a phone number (a national number with its trunk prefix, or an
/// international one with its `00`).
const MIN_DIGITS: usize = 7;
const MAX_DIGITS: usize = 17;
/// Groups of one candidate looked at (a longer run is a table of numbers, read in pieces).
const MAX_GROUPS: usize = 12;
/// Cached metadata regexes: enough for the `+CC` countries numbers on screen name, and per
/// region of the policy.
const REGEX_CACHE_BASE: usize = 200;
const REGEX_CACHE_PER_REGION: usize = 30;

pub struct PhoneRecognizer {
    regions: Arc<[Id]>,
}

impl PhoneRecognizer {
    /// `regions`: ISO 3166 codes whose national layouts count (unknown codes are skipped; the
    /// policy rejects them before this).
    pub fn new(regions: &[String]) -> Self {
        let regions: Arc<[Id]> = regions.iter().filter_map(|r| parse_region(r)).collect();
        widen_regex_cache(regions.len());
        PhoneRecognizer { regions }
    }
}

/// libphonenumber's metadata patterns are compiled on use and kept in a least-recently-used
/// cache of 100 regexes shared by the whole database. One region needs about 30 (a descriptor
/// per number type, the formats' patterns and leading digits), so validating a number against
/// the policy's regions evicted and recompiled patterns on every call: 3 ms a line on a page of
/// numbers. The cache is widened to hold every region's patterns at once; it only grows.
fn widen_regex_cache(regions: usize) {
    let wanted = REGEX_CACHE_BASE + regions * REGEX_CACHE_PER_REGION;
    let cache = phonenumber::metadata::DATABASE.cache();
    let mut cache = cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if cache.capacity() < wanted {
        cache.set_capacity(wanted);
    }
}

/// A region code as libphonenumber names it ("GB", not "UK").
pub fn parse_region(code: &str) -> Option<Id> {
    code.trim().to_ascii_uppercase().parse().ok()
}

impl Recognizer for PhoneRecognizer {
    fn name(&self) -> &'static str {
        "phone"
    }

    fn categories(&self) -> &'static [Category] {
        &[Category::Phone]
    }

    fn recognize(&self, line: &Line<'_>, found: &mut Findings) {
        // the shortest plausible match has 7 digits, 70 % of them real
        let views = line.numeric_views(5);
        if views.is_empty() {
            return;
        }
        let labelled = LABEL.is_match(line.text);
        // read on the line itself: the look-alike view has no words left ("Ver510n")
        let not_phone = non_phone_chars(line.text);
        for view in views {
            for m in GROUPED.find_iter(view.text) {
                if view.plausible(&m) && view.bounded(&m) {
                    let (s, e) = view.span(&m);
                    found.push(s, e, Category::Phone, "phone");
                }
            }
            let masked: String = view
                .text
                .chars()
                .zip(&not_phone)
                .map(|(c, &m)| if m { 'x' } else { c })
                .collect();
            let ix = CharIndex::new(&masked);
            for m in CANDIDATE.find_iter(&masked) {
                let start = ix.at(m.start());
                for (s, e) in self.numbers_in(line, m.as_str(), start, labelled) {
                    if view.plausible_span(s, e) {
                        found.push(s, e, Category::Phone, "phone-number");
                    }
                }
            }
        }
    }
}

/// How a part of a candidate is written: its digit groups and what stands between them.
struct Written<'a> {
    groups: &'a [&'a str],
    seps: &'a [&'a str],
    /// Starts with `+`.
    plus: bool,
    /// A phone label is on the line.
    labelled: bool,
    /// The whole run of groups (not a part of a longer run such as "0 20 40 60 80 100").
    whole: bool,
}

impl Written<'_> {
    fn digits(&self) -> String {
        self.groups.concat()
    }

    /// Written as national phone numbers are written, whatever the country's own layout:
    /// grouped, no single digits, no thousands grouping ("12 345 678"), no run of short groups
    /// unless after a trunk prefix ("06 12 34 56 78", not "10 25 50 100").
    fn phone_like(&self) -> bool {
        let g = self.groups;
        if g.len() < 2 || g.iter().any(|x| x.len() == 1) {
            return false;
        }
        let trunk = g[0].starts_with('0');
        let thousands = g[0].len() <= 3 && g[1..].iter().all(|x| x.len() == 3);
        let short = g.iter().filter(|x| x.len() <= 2).count();
        trunk || (!thousands && short * 2 <= g.len())
    }

    /// Shapes no phone number has, whatever else: decimals and dotted identifiers with short
    /// parts ("122.4194", "1.2.840.113549"), several slashes ("01/02 03/04").
    fn impossible(&self) -> bool {
        let dotted = !self.seps.is_empty() && self.seps.iter().all(|s| s.trim() == ".");
        let slashes = self.seps.iter().filter(|s| s.contains('/')).count();
        (dotted && (self.groups.len() < 3 || self.groups.iter().any(|g| g.len() < 2)))
            || slashes > 1
            || (slashes == 1 && !self.seps[0].contains('/'))
    }
}

/// Words right before a number that make it an identifier, not a phone number.
const ID_WORDS: &[&str] = &[
    "order",
    "invoice",
    "inv",
    "ticket",
    "case",
    "id",
    "ref",
    "reference",
    "no",
    "nr",
    "number",
    "build",
    "job",
    "po",
    "sku",
    "serial",
    "account",
    "acct",
    "customer",
    "transaction",
    "txn",
    "batch",
    "run",
    "pid",
    "uid",
    "gid",
    "port",
    "row",
    "rows",
    "page",
    "step",
    "version",
    "release",
    "issue",
    "pr",
    "commit",
    "item",
    "qty",
    "zip",
    "postcode",
    "tracking",
    "shipment",
    "policy",
    "claim",
    "member",
    "employee",
    "badge",
    "iban",
    "card",
    "bic",
];

/// Does the text before character `at` of the line end in an identifier's label ("Order",
/// "Ticket #", "ID:")?
fn after_id_word(line: &Line<'_>, at: usize) -> bool {
    let before: String = line.chars[..at].iter().collect();
    let before = before.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '#' | '-' | '.'));
    if line.chars[..at].iter().rev().find(|c| !c.is_whitespace()) == Some(&'#') {
        return true;
    }
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .chars()
        .rev()
        .collect();
    ID_WORDS.contains(&word.to_lowercase().as_str())
}

impl PhoneRecognizer {
    /// The phone numbers inside one candidate (`text`, starting at character `start` of the
    /// line), longest first from the left, as character spans of the line.
    fn numbers_in(&self, line: &Line<'_>, text: &str, start: usize, labelled: bool) -> Vec<(usize, usize)> {
        let chars: Vec<char> = text.chars().collect();
        let all: String = chars.iter().filter(|c| c.is_ascii_digit()).collect();
        if is_isbn(&all) {
            return Vec::new();
        }
        // digit groups as spans of `chars`; a group with no real digit on the line is a word
        // of look-alike letters ("ID" read as "10") and splits the candidate
        let mut segments: Vec<Vec<(usize, usize)>> = vec![Vec::new()];
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_ascii_digit() {
                let s = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                if line.chars[start + s..start + i].iter().any(|c| c.is_ascii_digit()) {
                    segments.last_mut().expect("one segment").push((s, i));
                } else {
                    segments.push(Vec::new());
                }
            } else {
                i += 1;
            }
        }
        let plus_at = (chars.first() == Some(&'+')).then_some(0);
        let mut out = Vec::new();
        for (k, seg) in segments.iter().enumerate() {
            for chunk in seg.chunks(MAX_GROUPS) {
                let texts: Vec<&str> = chunk
                    .iter()
                    .map(|&(s, e)| &text[byte(&chars, s)..byte(&chars, e)])
                    .collect();
                let seps: Vec<&str> = chunk
                    .windows(2)
                    .map(|w| &text[byte(&chars, w[0].1)..byte(&chars, w[1].0)])
                    .collect();
                let mut a = 0;
                while a < chunk.len() {
                    let plus = k == 0 && a == 0 && plus_at.is_some() && chunk[0] == seg[0];
                    let from = if plus { 0 } else { chunk[a].0 };
                    let mut taken = None;
                    for b in (a + 1..=chunk.len()).rev() {
                        let to = chunk[b - 1].1;
                        if line.before(start + from).is_alphanumeric() || line.at(start + to).is_alphanumeric() {
                            continue;
                        }
                        let w = Written {
                            groups: &texts[a..b],
                            seps: &seps[a..b - 1],
                            plus,
                            labelled,
                            whole: a == 0 && b == chunk.len() && chunk.len() == seg.len(),
                        };
                        if (MIN_DIGITS..=MAX_DIGITS).contains(&w.digits().len())
                            && self.is_number(&w, line, start + from)
                        {
                            taken = Some(b);
                            break;
                        }
                    }
                    match taken {
                        Some(b) => {
                            // "(02) 9876 5432": the parenthesis opens the number
                            let from = if from > 0 && chars[from - 1] == '(' {
                                from - 1
                            } else {
                                from
                            };
                            out.push((start + from, start + chunk[b - 1].1));
                            a = b;
                        }
                        None => a += 1,
                    }
                }
            }
        }
        out
    }

    /// Is this written number a phone number: international after a `+` (or `00`), else a
    /// national number of one of the regions written as a phone number is?
    fn is_number(&self, w: &Written<'_>, line: &Line<'_>, at: usize) -> bool {
        let digits = w.digits();
        if is_isbn(&digits) {
            return false;
        }
        if w.plus {
            return valid(None, &format!("+{digits}")).is_some();
        }
        if let Some(intl) = digits.strip_prefix("00") {
            if valid(None, &format!("+{intl}")).is_some() {
                return true;
            }
        }
        if w.labelled {
            // the label is the evidence: one run of digits is enough
            return self.regions.iter().any(|&r| valid(Some(r), &digits).is_some());
        }
        if w.groups.len() < 2 || w.impossible() || after_id_word(line, at) {
            return false;
        }
        let lengths: Vec<usize> = w.groups.iter().map(|g| g.len()).collect();
        self.regions.iter().any(|&r| {
            valid(Some(r), &digits).is_some_and(|national| {
                // the country's own layout, or a phone-like one
                (w.whole && group_lengths(&national) == lengths) || w.phone_like()
            })
        })
    }
}

/// Byte offset of character `i` of `chars` (ASCII-safe for the candidate's characters).
fn byte(chars: &[char], i: usize) -> usize {
    chars[..i].iter().map(|c| c.len_utf8()).sum()
}

/// Lengths of the digit runs of a formatted number ("020 7946 0958" -> 3, 4, 4).
fn group_lengths(formatted: &str) -> Vec<usize> {
    formatted
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect()
}

/// libphonenumber's verdict on a normalised number (digits, perhaps a leading `+`): its
/// national layout when it is a valid number. A panic inside the library counts as a number
/// (a detector failure fails closed).
fn valid(region: Option<Id>, number: &str) -> Option<String> {
    std::panic::catch_unwind(|| {
        let n = phonenumber::parse(region, number).ok()?;
        phonenumber::is_valid(&n).then(|| n.format().mode(phonenumber::Mode::National).to_string())
    })
    .unwrap_or_else(|_| Some(number.to_string()))
}

/// 13-digit book numbers (ISBN-13, Bookland 978/979) with a valid check digit.
fn is_isbn(digits: &str) -> bool {
    if digits.len() != 13 || !(digits.starts_with("978") || digits.starts_with("979")) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .enumerate()
        .map(|(i, b)| (b - b'0') as u32 * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    sum.is_multiple_of(10)
}

/// Which characters of `text` belong to a date, time, dotted quad, version, amount of money
/// or year range, so that no candidate crosses them.
fn non_phone_chars(text: &str) -> Vec<bool> {
    let ix = CharIndex::new(text);
    let mut masked = vec![false; text.chars().count()];
    let mut mask = |s: usize, e: usize| {
        for m in &mut masked[ix.at(s)..ix.at(e)] {
            *m = true;
        }
    };
    // a date or quad followed by one more group of the same kind is something else
    // ("06.19.19.85.40" is a French phone number)
    let continues = |end: usize, sep: &str| {
        let rest = &text[end..];
        rest.starts_with(sep) && rest[sep.len()..].starts_with(|c: char| c.is_ascii_digit())
    };
    let parts = |s: &str| -> Vec<u32> { s.split(['-', '.', '/']).filter_map(|p| p.parse().ok()).collect() };
    let day_month = |d: u32, mo: u32| (1..=31).contains(&d) && (1..=12).contains(&mo);
    for c in DATE_YMD.captures_iter(text) {
        let (m, sep) = (c.get(0).expect("whole match"), &c[1]);
        let p = parts(m.as_str());
        if sep == &c[2] && p.len() == 3 && day_month(p[2], p[1]) && !continues(m.end(), sep) {
            mask(m.start(), m.end());
        }
    }
    for c in DATE_DMY.captures_iter(text) {
        let (m, sep) = (c.get(0).expect("whole match"), &c[1]);
        let p = parts(m.as_str());
        if sep == &c[2] && p.len() == 3 && (day_month(p[0], p[1]) || day_month(p[1], p[0])) && !continues(m.end(), sep)
        {
            mask(m.start(), m.end());
        }
    }
    for m in QUAD.find_iter(text) {
        if !continues(m.end(), ".") {
            mask(m.start(), m.end());
        }
    }
    for re in [&*TIME, &*VERSION, &*MONEY, &*YEARS, &*ISBN] {
        for m in re.find_iter(text) {
            mask(m.start(), m.end());
        }
    }
    masked
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_covers, assert_not_covered, covered};
    use super::*;

    #[test]
    fn north_american_and_international_groupings() {
        for (text, want) in [
            ("(849) 555-0121", "(849) 555-0121"),
            ("+44 20 7946 0958", "+44 20 7946 0958"),
            ("Reach me on my cell at (515) 555-0170", "(515) 555-0170"),
            ("415.555.0134", "415.555.0134"),
            ("call 415-555-0134 today", "415-555-0134"),
            ("+1 (674) 555-0188", "+1 (674) 555-0188"),
        ] {
            assert_covers(text, Category::Phone, want);
        }
    }

    /// Layouts of other countries, validated by libphonenumber's metadata.
    #[test]
    fn international_and_national_numbers() {
        for (text, want) in [
            ("+33 6 80 63 43 55", "+33 6 80 63 43 55"),
            ("+27216803231", "+27216803231"),
            ("Mobile +61 2 9062 6624", "+61 2 9062 6624"),
            ("079 912 05 70", "079 912 05 70"),
            ("Tel. 040 85982456", "040 85982456"),
            ("01 18 22 98 57", "01 18 22 98 57"),
            ("22 003 95 36", "22 003 95 36"),
            ("668 15 73 23", "668 15 73 23"),
            ("6838 8839", "6838 8839"),
            ("+91 93307 95210", "+91 93307 95210"),
            ("+81 3-7237-8790", "+81 3-7237-8790"),
            ("+55 11 95409-0967", "+55 11 95409-0967"),
            ("+44 (0) 20 7946 0958", "+44 (0) 20 7946 0958"),
            ("0044 20 7946 0958", "0044 20 7946 0958"),
            ("06.19.19.85.40", "06.19.19.85.40"),
            ("Telefon: 030/12345678", "030/12345678"),
            // OCR look-alikes: O for 0, l for 1
            ("+33 6 8O 63 43 55", "+33 6 8O 63 43 55"),
            ("Tel 0l 18 22 98 57", "0l 18 22 98 57"),
            ("+86 10 6552 9988", "+86 10 6552 9988"),
            ("+7 495 123-45-67", "+7 495 123-45-67"),
            ("+966 11 234 5678", "+966 11 234 5678"),
            ("0161 496 0000", "0161 496 0000"),
            ("(02) 9876 5432", "(02) 9876 5432"),
            ("0412 345 678", "0412 345 678"),
            ("+91-98765-43210", "+91-98765-43210"),
            // a phone column cell with a name beside it
            ("Paloma Fernández | +34 914 84 05 30", "+34 914 84 05 30"),
        ] {
            assert_covers(text, Category::Phone, want);
        }
    }

    #[test]
    fn national_digit_runs_need_a_label() {
        assert_covers("Phone: 0412345678", Category::Phone, "0412345678");
        assert_covers("tel:0207946095", Category::Phone, "0207946095");
        assert_not_covered("Order 0412345678 shipped", Category::Phone);
    }

    #[test]
    fn numbers_that_are_not_phones() {
        for text in [
            "Start date 2019-03-04",
            "09:41",
            "$8,510.00",
            "Version 1.2.3 released",
            "09.10.2027 16:27",
            "2023-07-23 14:05:33",
            "18.02.2024",
            "03/04/2019",
            "10.20.30.40",
            "192.168.100.200",
            "v2.23.16",
            "€134,096.50",
            "CHF 191 227",
            "1 234 567,89 €",
            "142,555.50 USD",
            "ISBN 978-3-16-148410-0",
            "978-3-16-148410-0",
            "ISBN 0-306-40615-2",
            "9783161484100",
            "2019 - 2024",
            "INV-38533",
            "Order #100234567",
            "commit 4f2a9c1",
            "build 2024.11.5.1",
            "1,234,567 rows",
            "Uptime 99.95 %",
            "port 8080 and 8443",
        ] {
            assert_not_covered(text, Category::Phone);
        }
    }

    #[test]
    fn a_number_beside_a_date_is_found_and_the_date_is_not() {
        let got = covered("2024-05-01 +33 6 80 63 43 55", Category::Phone);
        assert_eq!(got, vec!["+33 6 80 63 43 55".to_string()]);
    }

    fn found(r: &PhoneRecognizer, text: &str) -> Vec<String> {
        let line = Line::new(text);
        let mut f = Findings::default();
        r.recognize(&line, &mut f);
        let mut got: Vec<String> = f.iter().map(|f| line.chars[f.start..f.end].iter().collect()).collect();
        got.dedup();
        got
    }

    #[test]
    fn regions_come_from_the_policy() {
        let only_us = PhoneRecognizer::new(&["US".into()]);
        assert!(
            found(&only_us, "079 912 05 70").is_empty(),
            "a Swiss mobile is no US number"
        );
        let ch = PhoneRecognizer::new(&["ch".into()]);
        assert_eq!(found(&ch, "079 912 05 70"), vec!["079 912 05 70"]);
        // international numbers are found whatever the regions
        assert_eq!(found(&only_us, "+41 79 912 05 70"), vec!["+41 79 912 05 70"]);
        assert!(parse_region("UK").is_none());
    }

    #[test]
    fn screen_text_with_numbers_is_not_phones() {
        for text in [
            "Order 2024-001234 shipped",
            "12 345 678 rows scanned",
            "1 000 000 requests",
            "37.7749, -122.4194",
            "ID 48213377",
            "Employee ID 100234",
            "OID 1.2.840.113549.1.1.11",
            "0 20 40 60 80 100",
            "2019 2020 2021 2022 2023",
            "10 25 50 100 per page",
            "01/02 03/04 05/06",
            "Ticket #4521 8890 12",
            "2024-05-01T12:34:56Z GET /api/v1/users 200 12 ms",
            "[12:34:56.789] worker 3 started, pid 123456",
            "Mem: 16318412 total, 1203344 free",
            "3 files changed, 120 insertions(+), 45 deletions(-)",
            "Kernel 6.1.0-18-amd64 #1 SMP Debian 6.1.76-1",
        ] {
            assert_not_covered(text, Category::Phone);
        }
    }

    #[test]
    fn isbn_check_digit() {
        assert!(is_isbn("9783161484100"));
        assert!(!is_isbn("9783161484101"));
    }
}
