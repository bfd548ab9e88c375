//! Person names the line itself marks: after a label ("Name: Olga Whitfield") and in records
//! (a name-shaped field of a delimited line that also holds an e-mail, phone, SSN or card).

use super::{looks_like_person_name, Category, Findings, Line, Recognizer, RECORD_PII};

re!(
    NAME_LABEL,
    r"(?i)\b(?:full\s*name|name|employee|cardholder|card\s*holder|customer|patient|account\s*holder|holder|contact)\s*[:=]\s*"
);

pub struct LabelledNameRecognizer;

impl Recognizer for LabelledNameRecognizer {
    fn name(&self) -> &'static str {
        "labelled-name"
    }

    fn categories(&self) -> &'static [Category] {
        &[Category::Name]
    }

    fn recognize(&self, line: &Line<'_>, found: &mut Findings) {
        let text = line.text;
        for m in NAME_LABEL.find_iter(text) {
            let rest = &text[m.end()..];
            let words: Vec<&str> = rest.split_whitespace().take(4).collect();
            // the longest run of up to four words after the label that reads as a name
            for n in (2..=words.len()).rev() {
                let cand = words[..n].join(" ");
                let cand = cand.trim_end_matches([',', ';', '.']);
                if looks_like_person_name(cand) {
                    let s = line.char_at_byte(m.end()) + rest.chars().take_while(|c| c.is_whitespace()).count();
                    found.push(s, s + cand.chars().count(), Category::Name, "labelled-name");
                    break;
                }
            }
        }
    }
}

/// Runs after the others: it needs their findings.
pub struct RecordNameRecognizer;

impl Recognizer for RecordNameRecognizer {
    fn name(&self) -> &'static str {
        "record-name"
    }

    fn categories(&self) -> &'static [Category] {
        &[Category::Name]
    }

    fn recognize(&self, line: &Line<'_>, found: &mut Findings) {
        if !found.iter().any(|f| RECORD_PII.contains(&f.category)) {
            return;
        }
        let text = line.text;
        let mut start = 0;
        for field in text.split([',', ';', '|', '\t']) {
            let trimmed = field.trim();
            if looks_like_person_name(trimmed) {
                let s = line.char_at_byte(start + field.find(trimmed).unwrap_or(0));
                found.push(s, s + trimmed.chars().count(), Category::Name, "record-name");
            }
            start += field.len() + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_covers, assert_not_covered};
    use super::*;

    #[test]
    fn labelled_and_record_names() {
        for (text, want) in [
            ("Cardholder: Priya Brennan", "Priya Brennan"),
            ("Full name: Mary-Jane O'Neil", "Mary-Jane O'Neil"),
            ("Patient: Kenji Vasquez, DOB 1984", "Kenji Vasquez"),
            (
                "Chen Ferreira,chen.ferreira@corp.example,(946) 555-0188,875-31-4384",
                "Chen Ferreira",
            ),
            ("Dana Whitfield | dana@corp.example | Sales", "Dana Whitfield"),
        ] {
            assert_covers(text, Category::Name, want);
        }
        for text in [
            // no PII beside it: not a record
            "Chen Ferreira, Lisbon, Portugal",
            "Name: required",
            "Customer: ACME",
            "Totals are recalculated when the sheet is opened.",
        ] {
            assert_not_covered(text, Category::Name);
        }
    }
}
