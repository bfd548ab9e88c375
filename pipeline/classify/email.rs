//! E-mail addresses, also with OCR's stray spaces around '.' and '@' ("olga . whitfield@corp"),
//! and at single-label intranet domains (`megan.dunmore@corp`, `ops@localhost`), which is also
//! what a dotted domain becomes when OCR drops its dots.

use super::{Category, Findings, Line, Recognizer};

re!(EMAIL, r"[A-Za-z0-9._%+-]+ ?@ ?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+");
// A single-label domain: letters first, no dot after it (then EMAIL matches).
re!(
    SHORT,
    r"[A-Za-z0-9._%+-]*[A-Za-z][A-Za-z0-9._%+-]* ?@ ?[A-Za-z][A-Za-z0-9-]{1,62}"
);

/// What follows `@` in text that is no address: package versions and tags (`react@latest`),
/// chat mentions and decorators have no local part and never match.
const NOT_DOMAINS: &[&str] = &[
    "latest",
    "next",
    "beta",
    "alpha",
    "canary",
    "rc",
    "stable",
    "dev",
    "main",
    "master",
    "head",
    "lts",
    "experimental",
    "nightly",
    "types",
    "here",
    "channel",
    "everyone",
    "all",
];

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
            for m in SHORT.find_iter(view.text) {
                let rest = &view.text[m.end()..];
                let domain = m.as_str().rsplit('@').next().unwrap_or("").trim();
                // a dotted domain is EMAIL's; `user@host:` is a shell prompt or scp target, still
                // a person's account on a machine, and stays covered
                let dotted = rest.starts_with('.') && rest[1..].starts_with(|c: char| c.is_ascii_alphanumeric());
                if dotted
                    || rest.starts_with(['(', '{', '/'])
                    || NOT_DOMAINS.contains(&domain.to_ascii_lowercase().as_str())
                {
                    continue;
                }
                let (s, e) = view.to_line(ix.at(m.start()), ix.at(m.end()));
                found.push(s, e, Category::Email, "email-intranet");
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
            // small serif text: OCR reads '@' with a bracket
            (
                "Iker Garcia <iker.garcia(@gringotts.co.jp>",
                "iker.garcia(@gringotts.co.jp",
            ),
            ("hyun-woo+news@)adatum.co.uk", "hyun-woo+news@)adatum.co.uk"),
            (
                "ops+alerts@status.acme-internal.io",
                "ops+alerts@status.acme-internal.io",
            ),
        ] {
            assert_covers(text, Category::Email, want);
        }
        for (text, want) in [
            ("megan.dunmore@corp", "megan.dunmore@corp"),
            ("Owner: oakley.j@lan", "oakley.j@lan"),
            ("ops@localhost", "ops@localhost"),
            ("mail minh_vu@test today", "minh_vu@test"),
            // OCR dropped the dots of the domain
            ("weihuang@prosewaretest", "weihuang@prosewaretest"),
        ] {
            assert_covers(text, Category::Email, want);
        }
        for text in [
            "@here standup in 5",
            "git@",
            "npm install react@latest",
            "pnpm add lodash@next",
            "@Override",
            "HEAD@{1}: checkout",
            "stash@{0}",
        ] {
            assert_not_covered(text, Category::Email);
        }
    }
}
