//! Contact details around a name: a signature or contact card under it, a record whose row
//! holds the person's address or number.

use super::super::labels::{value_of, PHONE_WORDS};
use crate::classify::{Category, Finding};
use crate::ocr::TextLine;

pub(super) fn has(findings: &[Finding], cats: &[Category]) -> bool {
    findings.iter().any(|f| cats.contains(&f.category))
}

pub(super) const CONTACT: &[Category] = &[
    Category::Email,
    Category::Phone,
    Category::Ssn,
    Category::Card,
    Category::Iban,
];

/// A line of a signature or contact card: contact details and at most a short label before
/// each ("Phone:", "M", "E-mail |"). A shell prompt that holds an address and a command is not
/// one: words after the first contact detail must be labels ending in a colon.
fn contact_line(text: &str, findings: &[Finding]) -> bool {
    let contact: Vec<&Finding> = findings.iter().filter(|f| CONTACT.contains(&f.category)).collect();
    let Some(first) = contact.iter().map(|f| f.start).min() else {
        return false;
    };
    let chars: Vec<char> = text.chars().collect();
    let mut words = 0;
    let mut k = 0;
    while k < chars.len() {
        let outside = |k: usize| !contact.iter().any(|f| (f.start..f.end).contains(&k));
        if !outside(k) || chars[k].is_whitespace() || "|·•,/".contains(chars[k]) {
            k += 1;
            continue;
        }
        let start = k;
        while k < chars.len() && outside(k) && !chars[k].is_whitespace() {
            k += 1;
        }
        let word: String = chars[start..k].iter().collect();
        let label = word.trim_end_matches(':');
        words += 1;
        if words > 2
            || !label.chars().all(|c| c.is_alphabetic() || c == '-' || c == '.')
            || (start > first && !word.ends_with(':'))
        {
            return false;
        }
    }
    true
}

/// Words of the labels of contact details ("Mobile", "Work phone", "E-mail:"), in the languages
/// of the gazetteer's largest locales, besides the English phone words of [`PHONE_WORDS`].
const CONTACT_LABEL_WORDS: &[&str] = &[
    "pager",
    "work",
    "home",
    "office",
    "direct",
    "main",
    "private",
    "personal",
    "business",
    "e-mail",
    "email",
    "mail",
    "telefon",
    "handy",
    "mobil",
    "téléphone",
    "portable",
    "courriel",
    "teléfono",
    "móvil",
    "correo",
    "telefono",
    "cellulare",
    "telefone",
    "celular",
];

/// A label cell of a contact detail: one or two label words, perhaps with a colon.
fn contact_label(text: &str) -> bool {
    let words: Vec<String> = text
        .trim()
        .trim_end_matches(':')
        .split_whitespace()
        .map(|w| w.to_lowercase().trim_end_matches(['.', ':']).to_string())
        .collect();
    (1..=2).contains(&words.len())
        && words
            .iter()
            .all(|w| CONTACT_LABEL_WORDS.contains(&w.as_str()) || PHONE_WORDS.contains(&w.as_str()))
}

/// Is line `i` the name at the head of a signature or contact card? The lines right under it,
/// aligned with it, are short plain lines (a title, a company) and then a line of contact
/// details. Anything else in between (a command, a long message) ends the search: in a
/// terminal every line is aligned and a prompt holding an address is no signature.
pub(super) fn signature(lines: &[TextLine], findings: &[Vec<Finding>], i: usize) -> bool {
    let l = &lines[i];
    let h = l.rect.h.max(8);
    let mut under: Vec<usize> = (0..lines.len())
        .filter(|&j| {
            j != i
                && lines[j].rect.y > l.rect.y
                && lines[j].rect.y <= l.rect.bottom() + 4 * h
                && lines[j].rect.x.abs_diff(l.rect.x) <= 2 * h
        })
        .collect();
    under.sort_by_key(|&j| lines[j].rect.y);
    for j in under {
        if contact_line(&lines[j].text, &findings[j]) {
            return true;
        }
        // a contact card's field: a label cell ("Mobile", "E-mail") whose value holds the detail
        if findings[j].is_empty() && contact_label(&lines[j].text) {
            if let Some(v) = value_of(lines, j) {
                if v != i && contact_line(&lines[v].text, &findings[v]) {
                    return true;
                }
            }
        }
        if !findings[j].is_empty() || lines[j].text.split_whitespace().count() > 6 {
            return false;
        }
    }
    false
}

/// Does an e-mail address near line `i` (under it in its card, or on its row) spell the name
/// the line holds? Its local part holds the last word and the first word or its initial
/// ("Ori Peretz" over ori_peretz@…, "Lakshmi Sharma" over lsharma@…, cardoso.v@…): a reader's evidence
/// that the line is a person even when the gazetteer lacks both words.
pub(super) fn spelled_by_address(lines: &[TextLine], findings: &[Vec<Finding>], i: usize) -> bool {
    let l = &lines[i];
    let h = l.rect.h.max(8);
    let words: Vec<String> = l
        .text
        .split_whitespace()
        .map(|w| {
            super::super::gazetteer::fold(w)
                .chars()
                .filter(|c| c.is_alphabetic())
                .collect()
        })
        .collect();
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return false;
    };
    if words.len() < 2 || last.chars().count() < 3 || first.is_empty() {
        return false;
    }
    let initial: String = first.chars().take(1).collect();
    let near = |j: usize| {
        let o = lines[j].rect;
        let under = o.y >= l.rect.y && o.y <= l.rect.bottom() + 6 * h && o.x.abs_diff(l.rect.x) <= 6 * h;
        under || super::super::same_row(o, l.rect)
    };
    (0..lines.len()).filter(|&j| j != i && near(j)).any(|j| {
        let chars: Vec<char> = lines[j].text.chars().collect();
        findings[j].iter().filter(|f| f.category == Category::Email).any(|f| {
            let address: String = chars[f.start.min(chars.len())..f.end.min(chars.len())].iter().collect();
            let local = address.split('@').next().unwrap_or("").to_lowercase();
            let letters: String = local.chars().filter(|c| c.is_alphabetic()).collect();
            // the initial before or after the surname: lsharma@, cardoso.v@
            let rest = letters.replacen(last.as_str(), "", 1);
            letters.contains(last.as_str())
                && (letters.contains(first.as_str()) || rest.starts_with(&initial) || rest.ends_with(&initial))
        })
    })
}
