//! E-mail addresses, also with OCR's stray spaces around '.' and '@' ("olga . whitfield@corp").

use super::{Category, Findings, Line, Recognizer};

re!(EMAIL, r"[A-Za-z0-9._%+-]+ ?@ ?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+");

pub struct EmailRecognizer;

impl Recognizer for EmailRecognizer {
    fn name(&self) -> &'static str {
        "email"
    }

    fn categories(&self) -> &'static [Category] {
        &[Category::Email]
    }

    fn recognize(&self, line: &Line<'_>, found: &mut Findings) {
        if !line.text.contains('@') {
            return;
        }
        for view in line.text_views() {
            let ix = super::line::CharIndex::new(view.text);
            for m in EMAIL.find_iter(view.text) {
                let (s, e) = view.to_line(ix.at(m.start()), ix.at(m.end()));
                found.push(s, e, Category::Email, "email");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_covers, assert_not_covered};
    use super::*;

    #[test]
    fn emails() {
        for (text, want) in [
            ("olga.whitfield@corp.example", "olga.whitfield@corp.example"),
            (
                "Work e-mail: olga.whitfield@corp.example",
                "olga.whitfield@corp.example",
            ),
            ("Email:kenji.vasquez@corp.example", "kenji.vasquez@corp.example"),
            ("mail: olga . whitfield@corp.example", "olga . whitfield@corp.example"),
            ("From: Dana Whitfield <dana.w @ acme.com>", "dana.w @ acme.com"),
            (
                "ops+alerts@status.acme-internal.io",
                "ops+alerts@status.acme-internal.io",
            ),
        ] {
            assert_covers(text, Category::Email, want);
        }
        for text in ["@here standup in 5", "user@localhost", "git@"] {
            assert_not_covered(text, Category::Email);
        }
    }
}
