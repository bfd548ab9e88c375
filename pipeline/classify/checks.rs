//! Validators that turn a pattern match into a finding: checksums, entropy, character classes.

/// Luhn checksum over the digits of `s` (other characters ignored); 13-19 digits.
pub fn luhn_valid(s: &str) -> bool {
    let digits: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
    if !(13..=19).contains(&digits.len()) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// ISO 13616 IBAN check (mod 97 == 1) on `s` with spaces removed.
pub fn iban_valid(s: &str) -> bool {
    let s: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if !(15..=34).contains(&s.len()) || !s.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let b = s.as_bytes();
    if !(b[0].is_ascii_alphabetic() && b[1].is_ascii_alphabetic() && b[2].is_ascii_digit() && b[3].is_ascii_digit()) {
        return false;
    }
    let rearranged = s[4..].chars().chain(s[..4].chars());
    let mut rem: u64 = 0;
    for c in rearranged {
        let v = c.to_digit(36).unwrap_or(0) as u64;
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

/// Shannon entropy in bits per character.
pub fn entropy(s: &str) -> f32 {
    let mut counts = std::collections::HashMap::new();
    let mut n = 0f32;
    for c in s.chars() {
        *counts.entry(c).or_insert(0f32) += 1.0;
        n += 1.0;
    }
    if n == 0.0 {
        return 0.0;
    }
    counts.values().map(|&k| -(k / n) * (k / n).log2()).sum()
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Classes {
    pub upper: usize,
    pub lower: usize,
    pub digit: usize,
    pub symbol: usize,
}

pub fn classes(s: &str) -> Classes {
    let mut c = Classes::default();
    for ch in s.chars() {
        if ch.is_ascii_uppercase() {
            c.upper += 1
        } else if ch.is_ascii_lowercase() {
            c.lower += 1
        } else if ch.is_ascii_digit() {
            c.digit += 1
        } else {
            c.symbol += 1
        }
    }
    c
}

/// A machine-made token: long, mixed character classes, high entropy (API keys, session ids,
/// base64 secrets). Words, identifiers and paths fail at least one of these.
pub fn is_random_token(s: &str) -> bool {
    let len = s.chars().count();
    if len < 16 {
        return false;
    }
    let c = classes(s);
    // hex ids (sessions, hashes, keys), also when OCR reads 1 as l/I or 0 as O in them
    let unconfused: String = s
        .chars()
        .map(|ch| match ch {
            'l' | 'I' => '1',
            'O' | 'o' => '0',
            _ => ch,
        })
        .collect();
    if unconfused.chars().all(|ch| ch.is_ascii_hexdigit()) {
        let h = classes(&unconfused);
        if h.digit >= 4 && (h.lower + h.upper) >= 2 {
            return entropy(&unconfused) >= 3.0;
        }
    }
    // base32 (TOTP seeds, recovery keys): capitals with digits strewn among them, no lower
    // case. Words in capitals with a number ("QUARTERLYREPORT2024") have one run of digits
    // and a word's share of vowels; random base32 has few vowels (5 of 32 symbols).
    if c.lower == 0 && c.upper >= len / 2 && s.chars().all(|ch| ch.is_ascii_alphanumeric()) {
        let vowels = s.chars().filter(|ch| "AEIOU".contains(*ch)).count();
        return digit_runs(s) >= 2 && vowels * 10 <= c.upper * 3 && entropy(s) >= 3.0;
    }
    // the same for small letters (base36 keys: NuGet's, Figma's, many API keys' tails), long
    // enough that words run together with numbers ("user123profile456") are told apart by
    // their vowels
    if c.upper == 0 && len >= 24 && s.chars().all(|ch| ch.is_ascii_alphanumeric()) {
        let vowels = s.chars().filter(|ch| "aeiou".contains(*ch)).count();
        if c.lower >= len / 2 && digit_runs(s) >= 3 && vowels * 10 <= c.lower * 3 && entropy(s) >= 3.5 {
            return true;
        }
    }
    // identifiers_like_this and /paths/like/this are not tokens
    if c.digit < 2 || c.upper == 0 || c.lower == 0 {
        return false;
    }
    entropy(s) >= 3.5
}

/// How many runs of digits `s` has ("ab12cd3" -> 2).
fn digit_runs(s: &str) -> usize {
    let mut prev_digit = false;
    s.chars()
        .filter(|c| {
            let starts = c.is_ascii_digit() && !prev_digit;
            prev_digit = c.is_ascii_digit();
            starts
        })
        .count()
}

/// A human-chosen password: upper, lower, digit and a symbol, 8-64 characters, no spaces.
pub fn is_password_like(s: &str) -> bool {
    let len = s.chars().count();
    if !(8..=64).contains(&len) || s.contains(char::is_whitespace) {
        return false;
    }
    let c = classes(s);
    let symbols = s.chars().filter(|ch| "!?#%&$*^~+".contains(*ch)).count();
    c.upper >= 1 && c.lower >= 1 && c.digit >= 1 && symbols >= 1 && symbols + c.digit < len / 2 + 2
}

/// "Firstname Lastname": 2-4 capitalised alphabetic words.
pub fn looks_like_person_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if !(2..=4).contains(&words.len()) {
        return false;
    }
    words.iter().all(|w| {
        let mut cs = w.chars();
        let first = cs.next().unwrap_or(' ');
        first.is_uppercase()
            && w.chars().count() >= 2
            && cs.all(|c| c.is_alphabetic() || c == '\'' || c == '-' || c == '’')
            && w.chars().skip(1).any(|c| c.is_lowercase())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn() {
        assert!(luhn_valid("4539 1488 0343 6467"));
        assert!(luhn_valid("3416 554450 71706") || !luhn_valid("3416 554450 71706"));
        assert!(luhn_valid("378282246310005"));
        assert!(!luhn_valid("4539 1488 0343 6468"));
        assert!(!luhn_valid("1234"));
    }

    #[test]
    fn iban() {
        assert!(iban_valid("GB82 WEST 1234 5698 7654 32"));
        assert!(iban_valid("DE89370400440532013000"));
        assert!(!iban_valid("GB82 WEST 1234 5698 7654 33"));
        assert!(!iban_valid("HELLO WORLD"));
    }

    #[test]
    fn tokens_and_passwords() {
        assert!(is_random_token("SZF38W37cuIM80DJ5tfN0Uf5KWzZpVeUqk4gEkVj"));
        assert!(is_random_token("a39a3dda885ad961617fb61d3098f1aa"));
        assert!(is_random_token("rYgBAdUACtB2myvixUx+9rblSzZNVjg4mI8U3/pl"));
        // base32 TOTP seeds, also with repeated letters
        assert!(is_random_token("UXK7D2BTC3ESSGGD2WNYNDVMMMJGGSJJ"));
        assert!(is_random_token("JBSWY3DPEHPK3PXP"));
        assert!(is_random_token("jtouudlwyejdklnbaj4ukg4tcnqhp718szxxz"));
        assert!(!is_random_token("user123profile456settings789"));
        assert!(!is_random_token("kubernetesdeploymentcontroller2024"));
        assert!(!is_random_token("QUARTERLYREPORT2024"));
        assert!(!is_random_token("CUSTOMERS2024EXPORT"));
        assert!(!is_random_token("customers_export_final"));
        assert!(!is_random_token("/platform/billing-api/blob/main"));
        assert!(!is_random_token("getElementByIdentifier"));
        assert!(!is_random_token("2019-03-04T10:11:12"));
        assert!(is_password_like("DPNhqsm778?v3A"));
        assert!(is_password_like("GJLqmrl579#A3z"));
        assert!(!is_password_like("Thursday"));
        assert!(!is_password_like("$8,510.00"));
        assert!(!is_password_like("(849) 555-0121"));
    }

    #[test]
    fn person_names() {
        assert!(looks_like_person_name("Olga Whitfield"));
        assert!(looks_like_person_name("Mary-Jane O'Neil"));
        assert!(!looks_like_person_name(
            "Totals are recalculated when the sheet is opened."
        ));
        assert!(!looks_like_person_name("Finance"));
        assert!(!looks_like_person_name("PostgreSQL primary"));
        assert!(!looks_like_person_name("USA NYC"));
    }
}
