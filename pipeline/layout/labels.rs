//! Labels and their values: "Password: …", "Session ID  …", a "Token" cell with its value to
//! the right or below. A value a label calls secret is a secret whatever it looks like (a
//! password of plain words, an id whose digits repeat); a value a label calls a person is a
//! name.

use std::sync::LazyLock;

use regex::Regex;

use super::{same_row, whole_line};
use crate::classify::{Category, Finding};
use crate::ocr::TextLine;

/// Words that, ending a short label, say the value is a secret.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "pwd",
    "pass",
    "secret",
    "token",
    "session",
    "sid",
    "cookie",
    "credential",
    "credentials",
    "authorization",
    "auth",
    "bearer",
    "api key",
    "apikey",
    "key",
    "otp",
    "totp",
    "2fa",
    "mfa",
    "totp seed",
    "otp seed",
    "2fa seed",
    "mfa seed",
    "seed phrase",
    "recovery phrase",
    "mnemonic",
    "recovery key",
    "backup codes",
    "shared secret",
    "pin",
    "one-time password",
    "one time password",
    "one-time code",
    "recovery code",
    "recovery codes",
    "backup code",
    "license key",
    "dsn",
    "connection string",
    "signature",
    "hmac",
    "salt",
    "private key",
    "secret key",
    "access key",
    "signing key",
    "session id",
    "session key",
    "client secret",
];

/// Words that, ending a short label, say the value is a person.
const NAME_WORDS: &[&str] = &[
    "name",
    "full name",
    "employee",
    "cardholder",
    "card holder",
    "customer",
    "patient",
    "holder",
    "contact",
    "owner",
    "assignee",
    "assigned to",
    "reporter",
    "reviewer",
    "approver",
    "approved by",
    "requested by",
    "submitted by",
    "created by",
    "updated by",
    "modified by",
    "author",
    "manager",
    "from",
    "to",
    "cc",
    "bcc",
    "sender",
    "recipient",
    "recipients",
    "reply-to",
    "reply to",
    "organizer",
    "organiser",
    "attendee",
    "attendees",
    "participant",
    "participants",
    "invitee",
    "invitees",
    "guest",
    "guests",
    "member",
    "members",
    "people",
    "speaker",
    "host",
    "presenter",
    "emergency contact",
    "next of kin",
    "spouse",
    "beneficiary",
    "signed by",
    "witness",
];

/// Words that, ending a short label, say the value is a machine's name.
const HOST_WORDS: &[&str] = &[
    "host",
    "hosts",
    "hostname",
    "host name",
    "fqdn",
    "server",
    "server name",
    "node",
    "node name",
    "machine",
    "instance",
    "computer name",
    "device name",
    "endpoint",
    // a cloud console's "Private DNS" / "Public DNS" columns, a resolver's "DNS name"
    "dns",
    "dns name",
];

/// Labels of phone numbers; also the phone words of contact-detail labels (names.rs).
pub const PHONE_WORDS: &[&str] = &[
    "phone",
    "telephone",
    "tel",
    "mobile",
    "cell",
    "fax",
    "phone number",
    "contact number",
    "whatsapp",
    "direct line",
];

/// Does this label say its value is a phone number? ("Phone", "Mobile", "Work phone", "Tel.")
pub fn phone_label(label: &str) -> bool {
    ends_with_word(label, PHONE_WORDS)
}

/// A value shaped like a phone number in a column labelled so: 7 to 15 digits, with only a
/// number's punctuation between them ("+65 6101 6805", "(591) 555-0163", "089 0793857"), even
/// where libphonenumber finds no such number in its plan.
pub fn phone_like(v: &str) -> bool {
    let t = v.trim();
    let t = t.split(" ext").next().unwrap_or(t).split(" x").next().unwrap_or(t);
    let digits = t.chars().filter(char::is_ascii_digit).count();
    (7..=15).contains(&digits) && t.chars().all(|c| c.is_ascii_digit() || " +()-./".contains(c)) && !DATE.is_match(t)
}

// a date in a phone column is a date ("2025-12-18", "18.12.2025", "12/18/2025")
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$").expect("built-in pattern")
});

/// Labels of e-mail addresses.
const EMAIL_WORDS: &[&str] = &[
    "email",
    "e-mail",
    "mail",
    "email address",
    "e-mail address",
    "mail address",
];

/// Does this label say its value is an e-mail address? ("Email", "Work e-mail")
pub fn email_label(label: &str) -> bool {
    ends_with_word(label, EMAIL_WORDS)
}

/// A column header OCR misread by one letter ("Emal", "Phane"): the label word of the
/// e-mail or phone vocabulary it is one edit from, if exactly one. Only these two, whose
/// values a column rule still checks by their shape (an '@' or a host's spelling; a
/// number's digits): a misread "Holder" would be a "Folder" of harmless words.
pub fn misread_header(label: &str) -> Option<&'static str> {
    let n = normalise(label);
    if n.contains(' ') || n.chars().count() < 4 || !n.chars().all(char::is_alphabetic) {
        return None;
    }
    let mut near = EMAIL_WORDS
        .iter()
        .chain(PHONE_WORDS)
        .filter(|w| !w.contains(' ') && w.len() >= 5 && one_edit(&n, w));
    let first = near.next()?;
    near.next().is_none().then_some(*first)
}

/// Are `a` and `b` one substitution, insertion or deletion apart?
pub(crate) fn one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    if long.len() - short.len() > 1 || a == b {
        return false;
    }
    let prefix = short.iter().zip(long.iter()).take_while(|(x, y)| x == y).count();
    if long.len() > short.len() {
        short[prefix..] == long[prefix + 1..]
    } else {
        short[prefix + 1..] == long[prefix + 1..]
    }
}

/// A value in a column labelled e-mail: one to four words with an '@', or with no word
/// capitalised, as addresses are written (OCR drops the '@' and the dots of small type, or
/// reads the '@' as a capital: "vram gutagdndede", "soiakargiannisQliberoit"); "Not provided"
/// is no address.
pub fn email_like(v: &str) -> bool {
    let t = v.trim();
    t.split_whitespace().count() <= 4
        && t.chars().filter(|c| c.is_alphanumeric()).count() >= 5
        && (t.contains('@') || !t.split_whitespace().any(|w| w.starts_with(char::is_uppercase)))
}

/// Labels of bank accounts and payment cards.
const ACCOUNT_WORDS: &[&str] = &[
    "iban",
    "bban",
    "account",
    "account number",
    "account no",
    "acct",
    "bank account",
];
const CARD_WORDS: &[&str] = &["card", "card number", "card no", "pan", "credit card"];

/// Does this label say its value is a bank account? ("IBAN", "Account number", "Card / account")
pub fn account_label(label: &str) -> bool {
    ends_with_word(&label.replace('/', " "), ACCOUNT_WORDS)
}

/// Does this label say its value is a payment card? ("Card", "Card number")
pub fn card_label(label: &str) -> bool {
    ends_with_word(&label.replace('/', " "), CARD_WORDS)
}

/// A value in a column of accounts or cards, read through whatever OCR made of it: ten or more
/// letters and digits, six digits and a quarter of them or more, in groups ("CH53 7608 8MAP BXQ7 MDIQ
/// F", whose misread letters fail the checksum); "Pending" and "Visa" are none.
pub fn account_like(v: &str) -> bool {
    let t = v.trim();
    let alnum = t.chars().filter(|c| c.is_alphanumeric()).count();
    let digits = t.chars().filter(char::is_ascii_digit).count();
    alnum >= 10
        && digits >= 6
        && digits * 4 >= alnum
        && t.split_whitespace().count() <= 9
        && t.chars().all(|c| c.is_alphanumeric() || " -".contains(c))
}

/// Does this label say its value is a host name? ("Hostname", "Server", "FQDN")
pub fn host_label(label: &str) -> bool {
    ends_with_word(label, HOST_WORDS)
}

/// A label's words: lower case, separators as spaces, trailing ':' '*' '=' and "(s)" gone.
fn normalise(label: &str) -> String {
    let t = label.trim().trim_end_matches([':', '*', '=', ' ']).trim();
    let t = t.strip_suffix("(s)").unwrap_or(t);
    t.chars()
        .map(|c| match c {
            '_' | '.' => ' ',
            c => c.to_ascii_lowercase(),
        })
        .collect::<String>()
        .split_whitespace()
        .map(unconfuse_word)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A word of letters with one of OCR's digit look-alikes in it, read as letters ("0wner" is
/// "owner", "passw0rd" "password"); a word of digits or a version ("v2", "s3") as it is.
fn unconfuse_word(w: &str) -> String {
    let letters = w.chars().filter(|c| c.is_alphabetic()).count();
    let lookalikes = w.chars().filter(|c| matches!(c, '0' | '1')).count();
    let other_digits = w
        .chars()
        .filter(|c| c.is_ascii_digit() && !matches!(c, '0' | '1'))
        .count();
    if letters < 3 || lookalikes != 1 || other_digits > 0 {
        return w.to_string();
    }
    w.chars()
        .map(|c| match c {
            '0' => 'o',
            '1' => 'l',
            c => c,
        })
        .collect()
}

/// A short label (at most four words) whose last words are one of `words`; any first words
/// qualify it ("Client secret", "DB password", "Refresh token", "Employee name").
fn ends_with_word(label: &str, words: &[&str]) -> bool {
    let n = normalise(label);
    if n.is_empty() || n.split(' ').count() > 4 || !n.chars().all(|c| c.is_alphanumeric() || " -'".contains(c)) {
        return false;
    }
    let n = n.replace('-', " ");
    words.iter().any(|w| {
        let w = w.replace('-', " ");
        n == w || n.ends_with(&format!(" {w}"))
    })
}

/// Does this label say its value is secret? ("Session ID", "API key", "Password", "Token")
pub fn secret_label(label: &str) -> bool {
    // "... id" / "... ids" after a secret word: "Session ID", "Token ID"
    let n = normalise(label);
    let n = n.strip_suffix(" ids").or_else(|| n.strip_suffix(" id")).unwrap_or(&n);
    ends_with_word(n, SECRET_WORDS)
}

/// Does this label say its value is a person? ("Full name", "From", "Attendees", "Owner")
pub fn name_label(label: &str) -> bool {
    ends_with_word(label, NAME_WORDS)
}

/// Words that make a value prose ("must be at least 12 characters"), not a secret.
const PROSE: &[&str] = &[
    "the", "a", "an", "is", "are", "be", "been", "must", "should", "will", "can", "your", "you", "at", "least", "of",
    "to", "in", "for", "with", "and", "or", "not", "never", "expires", "expired", "has", "have", "was", "this", "that",
    "on", "by", "from", "click", "enter", "please",
];

/// Placeholders and controls that stand where a secret is hidden or absent.
const NOT_VALUES: &[&str] = &[
    "true",
    "false",
    "null",
    "none",
    "yes",
    "no",
    "n/a",
    "na",
    "required",
    "optional",
    "hidden",
    "redacted",
    "set",
    "unset",
    "not set",
    "enabled",
    "disabled",
    "show",
    "hide",
    "copy",
    "reveal",
    "generate",
    "regenerate",
    "change",
    "edit",
    "reset",
    "revoke",
    "active",
    "expired",
    "valid",
    "invalid",
    "empty",
    "default",
];

/// Is `v` a value a secret label can be labelling (not prose, not a placeholder)?
pub fn secret_value(v: &str) -> bool {
    let t = v.trim().trim_matches(|c: char| "\"'`".contains(c));
    if t.chars().filter(|c| c.is_alphanumeric()).count() < 3 {
        return false;
    }
    let lower = t.to_lowercase();
    if NOT_VALUES.contains(&lower.as_str()) {
        return false;
    }
    // masked: dots, bullets, asterisks
    if t.chars().all(|c| "•●*·.x-_ ".contains(c)) {
        return false;
    }
    let words: Vec<&str> = lower.split_whitespace().collect();
    if words.len() > 4 || (words.len() >= 2 && words.iter().any(|w| PROSE.contains(w))) {
        return false;
    }
    true
}

// "label: value" inside a line, the label after the start, a space, `|`, `;`, `,` or a bracket.
static INLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[|;,(\[]\s*|\s)([A-Za-z][A-Za-z0-9 _.\-]{0,40}?)\s*[:=]\s*").expect("built-in pattern")
});
// where a value ends: the next "label:" or a field separator
static VALUE_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s+[A-Za-z][A-Za-z0-9_\-]*[:=]|\s[|;]\s|\s{3,}").expect("built-in pattern"));

/// Labels whose value runs to the end of the line (headers with `;`/`=` inside their value).
fn runs_to_end(label: &str) -> bool {
    let n = normalise(label);
    n.ends_with("cookie") || n.ends_with("authorization") || n.ends_with("connection string") || n.ends_with("dsn")
}

/// Values of secret labels: in the same line ("Session ID: …"), or in the cell right of a label
/// cell, or in the line right under it.
pub fn labelled_secrets(lines: &[TextLine]) -> Vec<(usize, Finding)> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        for c in INLINE.captures_iter(&l.text) {
            let label = c.get(1).expect("label group").as_str();
            if !secret_label(label) {
                continue;
            }
            let start_b = c.get(0).expect("match").end();
            let rest = &l.text[start_b..];
            let len_b = if runs_to_end(label) {
                rest.trim_end().len()
            } else {
                VALUE_END.find(rest).map_or(rest.trim_end().len(), |m| m.start())
            };
            let value = &rest[..len_b];
            if !secret_value(value) {
                continue;
            }
            let start = l.text[..start_b].chars().count();
            out.push((
                i,
                Finding {
                    start,
                    end: start + value.chars().count(),
                    category: Category::Secret,
                    rule: "labelled-secret".into(),
                },
            ));
        }
        out.extend(codes_after_label(&l.text).map(|f| (i, f)));
        // a label cell: the value beside it or under it
        if secret_label(&l.text) {
            if let Some(v) = value_of(lines, i) {
                if secret_value(&lines[v].text) {
                    out.extend(whole_line(&lines[v], Category::Secret, "labelled-secret").map(|f| (v, f)));
                }
            }
        }
    }
    out
}

/// A label read with its values as one line and no colon between them ("Recovery codes
/// 2dcc-7907 5613-5d9c baa4-6104"): after one to three words that are a secret label, words
/// that are all codes (each with a digit, one of six characters or more). Prose after a label
/// ("Token 2 expired") is no code.
fn codes_after_label(text: &str) -> Option<Finding> {
    if text.contains(':') {
        return None;
    }
    let spans = super::word_spans(text);
    let words: Vec<&str> = text.split_whitespace().collect();
    let code = |w: &&str| w.chars().any(|c| c.is_ascii_digit()) && w.chars().all(|c| c.is_alphanumeric() || c == '-');
    let long = |w: &&str| w.chars().filter(|c| c.is_alphanumeric()).count() >= 6;
    (1..=3.min(words.len().saturating_sub(1)))
        .find(|&n| secret_label(&words[..n].join(" ")) && words[n..].iter().all(code) && words[n..].iter().any(long))
        .map(|n| Finding {
            start: spans[n].0,
            end: spans[spans.len() - 1].1,
            category: Category::Secret,
            rule: "labelled-secret".into(),
        })
}

/// The value cell of the label cell `i`: the nearest line right of it on its row, else the
/// line right under it, starting in its column. Never another label.
///
/// A label in a table's header row ("Access key ID | Status | Created") labels the column under
/// it, not the header beside it; a heading ("Security credentials", set larger than what
/// follows) labels a section, not the line under it.
pub fn value_of(lines: &[TextLine], i: usize) -> Option<usize> {
    let lr = lines[i].rect;
    let h = lr.h.max(8);
    let right = lines
        .iter()
        .enumerate()
        .filter(|(j, l)| *j != i && l.rect.x >= lr.right() && l.rect.x - lr.right() <= 30 * h && same_row(l.rect, lr))
        // the '=' or ':' between them, boxed on its own, is no value
        .filter(|(_, l)| l.text.chars().any(char::is_alphanumeric))
        .min_by_key(|(_, l)| l.rect.x - lr.right())
        .map(|(j, _)| j)
        .filter(|_| !header_row(lines, i));
    right
        .or_else(|| cell_below(lines, i))
        .filter(|&j| no_label(&lines[j].text))
}

fn no_label(text: &str) -> bool {
    !secret_label(text) && !name_label(text) && !plural_label(text)
}

/// The line right under line `i`, starting in its column: the value under a label, or the
/// first cell under a column header. Never another label.
pub fn value_below(lines: &[TextLine], i: usize) -> Option<usize> {
    cell_below(lines, i).filter(|&j| no_label(&lines[j].text))
}

fn cell_below(lines: &[TextLine], i: usize) -> Option<usize> {
    let lr = lines[i].rect;
    let h = lr.h.max(8);
    lines
        .iter()
        .enumerate()
        .filter(|(j, l)| {
            *j != i
                && l.rect.y >= lr.bottom().saturating_sub(h / 4)
                && l.rect.y <= lr.bottom() + h * 6 / 5
                && l.rect.x.abs_diff(lr.x) <= h * 3 / 2
                && l.rect.h * 4 >= lr.h * 3
        })
        .min_by_key(|(_, l)| l.rect.y)
        .map(|(j, _)| j)
}

/// A heading naming secrets or people in the plural ("Access keys", "API tokens", "Owners"):
/// the title of a section, never a value.
fn plural_label(text: &str) -> bool {
    let t = text.trim();
    t.strip_suffix('s')
        .is_some_and(|one| secret_label(one) || name_label(one))
}

/// Is line `i` one of a table's column headers: on a row of three or more cells, each a short
/// capitalised caption of words (no digits, no symbols a value would have), with a value under
/// it that is no caption? A form's label column has the next label under it ("Reporter" over
/// "Assignee"), and a person's name is a caption too.
fn header_row(lines: &[TextLine], i: usize) -> bool {
    let lr = lines[i].rect;
    let h = lr.h.max(8);
    let under = lines
        .iter()
        .filter(|l| l.rect.y >= lr.bottom().saturating_sub(h / 4) && l.rect.y <= lr.bottom() + h * 2)
        .filter(|l| l.rect.x.abs_diff(lr.x) <= h)
        .min_by_key(|l| l.rect.y);
    caption_row(lines, i) && under.is_some_and(|u| !caption(&u.text))
}

/// A short capitalised caption of words: no digits, no symbols a value would have.
fn caption(t: &str) -> bool {
    let t = t.trim();
    let words = t.split_whitespace().count();
    (1..=3).contains(&words)
        && t.chars().next().is_some_and(char::is_uppercase)
        && t.chars().all(|c| c.is_alphabetic() || " /-#()".contains(c))
}

/// Is line `i` the first of a row of three or more captions: a table's header row, or a form's
/// label beside two more labels? (A spreadsheet's row number or a sidebar before it does not
/// count.)
pub fn caption_row(lines: &[TextLine], i: usize) -> bool {
    let lr = lines[i].rect;
    let row: Vec<&TextLine> = lines
        .iter()
        .filter(|l| same_row(l.rect, lr) && l.rect.x >= lr.x)
        .collect();
    row.len() >= 3 && row.iter().all(|l| caption(&l.text))
}

#[cfg(test)]
mod tests {
    use super::super::fake::{covered, line};
    use super::*;

    #[test]
    fn labels() {
        for l in [
            "Session ID",
            "session",
            "API key:",
            "Client secret",
            "DB_PASSWORD",
            "Refresh token",
            "Password *",
            "Cookie",
            "Recovery codes",
            "TOTP seed",
            "One-time password secret",
            "Authenticator key",
            "2FA secret",
            "Passw0rd",
        ] {
            assert!(secret_label(l), "{l}");
        }
        for l in [
            "Session timeout",
            "Keyboard",
            "Monkey",
            "Password policy",
            "Tokens issued today",
            "Name",
            "Last login",
            "Random seed for the test run",
        ] {
            assert!(!secret_label(l), "{l}");
        }
        for l in [
            "Full name",
            "From:",
            "Cc",
            "Attendees",
            "Assigned to",
            "Owner",
            "0wner:",
        ] {
            assert!(name_label(l), "{l}");
        }
        assert!(!name_label("Hostname"));
        assert!(!name_label("File name of the export"));
        for l in ["Hostname", "Private DNS", "Public DNS name", "Server:", "FQDN"] {
            assert!(host_label(l), "{l}");
        }
        for l in ["DNS servers", "Hosting plan", "Status"] {
            assert!(!host_label(l), "{l}");
        }
    }

    #[test]
    fn values() {
        for v in [
            "a3f9b21c7d0e55aa1b2c",
            "correct horse battery",
            "Tr0ub4dor&3",
            "Bearer eyJhbGciOi",
        ] {
            assert!(secret_value(v), "{v}");
        }
        for v in [
            "••••••••",
            "********",
            "hidden",
            "must be at least 12 characters",
            "Show",
            "n/a",
            "ab",
        ] {
            assert!(!secret_value(v), "{v}");
        }
    }

    #[test]
    fn the_mark_between_a_key_and_its_value_boxed_alone_is_no_value() {
        // a config file at 2560x1440: "db_password", its '=' and the quoted value as three
        // boxes, the '=' a little off the row
        let lines = vec![
            line(286, 941, 12, 10, "="),
            line(298, 936, 92, 19, "\"Falcon2013@\""),
            line(206, 938, 79, 16, "db_password"),
        ];
        let got = labelled_secrets(&lines);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, 1);
    }

    #[test]
    fn codes_read_on_one_line_with_their_label() {
        let f = codes_after_label("Recovery codes 2dcc-7907 5613-5d9c baa4-6104 d6e").expect("codes");
        let text: String = "Recovery codes 2dcc-7907 5613-5d9c baa4-6104 d6e"
            .chars()
            .skip(f.start)
            .take(f.end - f.start)
            .collect();
        assert_eq!(text, "2dcc-7907 5613-5d9c baa4-6104 d6e");
        for prose in [
            "Token 2 expired",
            "Recovery codes",
            "API key 1",
            "Password must be 12 characters",
        ] {
            assert!(codes_after_label(prose).is_none(), "{prose}");
        }
    }

    #[test]
    fn inline_and_cell_labels() {
        let lines = vec![
            line(10, 10, 400, 20, "Session ID: 5135a80455c2e5258173"),
            line(
                10,
                40,
                600,
                20,
                "2026-11-30 10:01 user=ops token: aaaa1111bbbb2222 status=ok",
            ),
            line(10, 70, 100, 20, "Password"),
            line(200, 70, 200, 20, "summer orchard lamp"),
            line(10, 100, 100, 20, "API key"),
            line(10, 124, 300, 20, "k3yk3yk3yk3yk3yk3y00"),
            line(10, 160, 600, 20, "Cookie: sid=abc123; theme=dark"),
            line(10, 190, 500, 20, "Session timeout: 30 minutes"),
            line(10, 220, 500, 20, "Password: must be at least 12 characters long"),
        ];
        let got = covered(&lines, &labelled_secrets(&lines));
        let texts: Vec<&str> = got.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "5135a80455c2e5258173",
                "aaaa1111bbbb2222",
                "summer orchard lamp",
                "k3yk3yk3yk3yk3yk3y00",
                "sid=abc123; theme=dark"
            ]
        );
        assert!(got.iter().all(|(_, c)| *c == Category::Secret));
    }

    #[test]
    fn headers_label_their_columns_and_headings_their_sections() {
        let lines = vec![
            line(200, 120, 330, 30, "Security credentials"),
            line(220, 160, 150, 26, "Access keys"),
            line(10, 230, 20, 20, "1"),
            line(230, 230, 140, 20, "Access key ID"),
            line(500, 230, 60, 20, "Status"),
            line(640, 230, 70, 20, "Created"),
            line(230, 262, 250, 20, "ASIADO4KNEQPKCZLV4H7"),
            line(500, 262, 70, 20, "Inactive"),
            line(640, 262, 110, 20, "09.01.2026"),
            // a form row keeps its value beside the label
            line(230, 320, 90, 20, "API key"),
            line(360, 320, 220, 20, "k3yk3yk3yk3yk3yk3y00"),
            // ... also where its row takes in a sidebar link: three captions, the next label under
            line(10, 360, 60, 20, "Backlog"),
            line(230, 362, 90, 20, "Password"),
            line(360, 362, 200, 20, "Summer Orchard"),
            line(230, 390, 90, 20, "Priority"),
        ];
        let got = covered(&lines, &labelled_secrets(&lines));
        let texts: Vec<&str> = got.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            texts,
            vec!["ASIADO4KNEQPKCZLV4H7", "k3yk3yk3yk3yk3yk3y00", "Summer Orchard"]
        );
    }
}
