//! Names where a reader sees a person: before their e-mail address (`Dana Whitfield <dana@…>`),
//! after a label or in a labelled column (From, To, Cc, Owner, Attendees), in the row of a
//! record with their contact details, at the head of a signature, in a column of names.

use super::gazetteer::{self, Known};
use super::labels::{name_label, value_of, PHONE_WORDS};
use super::table::{self, Column};
use super::{same_row, NameScope};
use crate::classify::{looks_like_person_name, Category, Finding};
use crate::ocr::TextLine;

/// Words of interfaces that make a capitalised phrase no person ("Sent Items", "Pull Requests",
/// "Sales Team"), whatever names its other words are.
const UI_WORDS: &[&str] = &[
    "items",
    "item",
    "requests",
    "request",
    "report",
    "reports",
    "settings",
    "details",
    "overview",
    "dashboard",
    "center",
    "centre",
    "services",
    "service",
    "portal",
    "manager",
    "team",
    "teams",
    "group",
    "groups",
    "inbox",
    "drafts",
    "notes",
    "note",
    "list",
    "lists",
    "board",
    "page",
    "pages",
    "view",
    "history",
    "status",
    "account",
    "accounts",
    "profile",
    "access",
    "review",
    "log",
    "logs",
    "date",
    "time",
    "name",
    "number",
    "address",
    "type",
    "summary",
    "records",
    "record",
    "office",
    "department",
    "health",
    "payroll",
    "benefits",
    "calendar",
    "contacts",
    "messages",
    "people",
    "members",
    "files",
    "documents",
    "projects",
    "project",
    "tasks",
    "issues",
    "sprint",
    "release",
    "notes",
    "console",
    "keys",
    "tokens",
    "users",
    "user",
    "admin",
    "support",
    "help",
    "search",
    "results",
    "policy",
    "security",
    "privacy",
    "terms",
    "events",
    "updates",
    "news",
    "today",
];

/// Lower-case name particles between a given name and a surname ("Lotte de Boer", "Ahmad bin
/// Yusof", "Ludwig van der Berg").
const PARTICLES: &[&str] = &[
    "de", "da", "di", "du", "del", "della", "der", "den", "des", "dos", "das", "do", "van", "von", "ter", "ten", "la",
    "le", "y", "al", "el", "bin", "binti", "bint", "ibn", "ben", "zu",
];

/// A word of letters with OCR's digit look-alikes in it read as letters ("0lmedo" -> "Olmedo",
/// "Ade1e" -> "Adele"); other words as they are.
fn unconfuse(word: &str) -> String {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let others: Vec<char> = word
        .chars()
        .filter(|c| !c.is_alphabetic() && !"'-’.,".contains(*c))
        .collect();
    if letters < 2 || others.is_empty() || others.len() > 2 || !others.iter().all(|c| "015|".contains(*c)) {
        return word.to_string();
    }
    word.chars()
        .enumerate()
        .map(|(k, c)| match (c, k == 0) {
            ('0', true) => 'O',
            ('0', false) => 'o',
            ('1' | '|', true) => 'I',
            ('1' | '|', false) => 'l',
            ('5', true) => 'S',
            ('5', false) => 's',
            (c, _) => c,
        })
        .collect()
}

/// The capitalised words of a phrase shaped like a person's name (2 to 4 of them, particles
/// allowed between them), or `None`.
fn name_words(s: &str) -> Option<Vec<String>> {
    let t = s.trim().trim_end_matches([',', ';', '.', ':']);
    let fixed: Vec<String> = t.split_whitespace().map(unconfuse).collect();
    let words: Vec<&str> = fixed.iter().map(String::as_str).collect();
    let inner = |k: usize| k > 0 && k + 1 < words.len();
    let caps: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|&(k, w)| !(inner(k) && PARTICLES.contains(w)))
        .map(|(_, w)| *w)
        .collect();
    let ui = words
        .iter()
        .any(|w| UI_WORDS.contains(&w.to_lowercase().trim_matches(|c: char| !c.is_alphanumeric())));
    (words.len() - caps.len() <= 2 && looks_like_person_name(&caps.join(" ")) && !ui)
        .then(|| caps.iter().map(|w| w.to_string()).collect())
}

/// A phrase a label calls a person ("From:", "Owner", an "Employee" column): the label is the
/// evidence, so a name shape is enough (a name the gazetteer lacks is still covered).
fn labelled_person(s: &str) -> bool {
    name_words(s).is_some()
}

/// A person's name where only the layout suggests one (beside an address, at the head of a
/// signature, in a row of contact details, a column of names): shaped like a name, and one of
/// its words a given name or surname of the gazetteer (or two that are names and common words,
/// "Grace Hopper"), so "Login Succeeded" or "Corporate Mail" stay readable.
pub fn person(s: &str) -> bool {
    let Some(words) = name_words(s) else {
        return false;
    };
    let (mut names, mut common) = (0, 0);
    for part in words.iter().flat_map(|w| w.split(['-', '‐'])) {
        match gazetteer::known(part.trim_matches(|c: char| !c.is_alphabetic())) {
            Known::Name => names += 1,
            Known::Common => common += 1,
            Known::No => {}
        }
    }
    names >= 1 || common >= 2
}

fn finding(start: usize, end: usize, rule: &str) -> Finding {
    Finding {
        start,
        end,
        category: Category::Name,
        rule: rule.into(),
    }
}

/// The names in a list ("Dana Whitfield, Chen Ferreira; Li Wei") as character spans of `text`
/// from `offset` on.
fn names_in_list(text: &str, offset: usize, rule: &str) -> Vec<Finding> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = offset;
    for (k, c) in chars
        .iter()
        .enumerate()
        .skip(offset)
        .chain(std::iter::once((chars.len(), &',')))
    {
        // a byline's middle dot or bullet sets the name off from the date after it
        if matches!(c, ',' | ';' | '|' | '·' | '•') || k == chars.len() {
            let item: String = chars[start..k].iter().collect();
            // "Dana Whitfield <dana@…>": the name before the address
            let name_part = item.split(['<', '(', '[']).next().unwrap_or("");
            let lead = name_part.chars().take_while(|c| c.is_whitespace()).count();
            let trimmed = name_part.trim();
            if labelled_person(trimmed) {
                let s = start + lead;
                out.push(finding(s, s + trimmed.chars().count(), rule));
            }
            start = k + 1;
        }
    }
    out
}

/// The words right before position `at` of `text` that read as a name (2 to 4 words), set
/// off from it as a mail client sets a name off from its address (`<`, `(`, `[`, a dash), as
/// a span. A plain space is not enough: "Corporate Mail maria@…" is an app's header.
fn name_before(text: &str, at: usize) -> Option<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut end = at.min(chars.len());
    let mut set_off = false;
    while end > 0 && (chars[end - 1].is_whitespace() || "<([-–—\"'".contains(chars[end - 1])) {
        set_off |= "<([-–—".contains(chars[end - 1]);
        end -= 1;
    }
    if !set_off {
        return None;
    }
    let before: String = chars[..end].iter().collect();
    let words: Vec<&str> = before.split_whitespace().collect();
    for n in (2..=4.min(words.len())).rev() {
        let cand = words[words.len() - n..].join(" ");
        if person(&cand) {
            let len = cand.chars().count();
            // the candidate is the text right before `end`, single-spaced or not
            let start = before.trim_end().chars().count().checked_sub(len)?;
            if chars[start..end].iter().collect::<String>() == cand {
                return Some((start, end));
            }
        }
    }
    None
}

fn has(findings: &[Finding], cats: &[Category]) -> bool {
    findings.iter().any(|f| cats.contains(&f.category))
}

const CONTACT: &[Category] = &[
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
fn signature(lines: &[TextLine], findings: &[Vec<Finding>], i: usize) -> bool {
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
            if let Some(v) = super::labels::value_of(lines, j) {
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

/// A line that is a name label (one or two words, no colon) and then a person's name: the
/// name's span. The name must read as a person (the gazetteer), as the label may be a word of
/// prose ("To", "From").
fn label_then_name(text: &str) -> Option<Finding> {
    let chars: Vec<char> = text.chars().collect();
    // character index where each word starts
    let starts: Vec<usize> = (0..chars.len())
        .filter(|&k| !chars[k].is_whitespace() && (k == 0 || chars[k - 1].is_whitespace()))
        .collect();
    let end = chars.iter().rposition(|c| !c.is_whitespace())? + 1;
    for n in 1..=2 {
        if starts.len() < n + 2 {
            break;
        }
        let label: String = chars[starts[0]..starts[n]].iter().collect();
        let rest: String = chars[starts[n]..end].iter().collect();
        if name_label(&label) && person(&rest) {
            return Some(finding(starts[n], end, "labelled-name"));
        }
    }
    None
}

/// The last words of `text` that read as a person ("Tracker Huy Nguyen" -> "Huy Nguyen"), the
/// fewest that do.
fn trailing_name(text: &str) -> Option<Finding> {
    let chars: Vec<char> = text.chars().collect();
    let end = chars.iter().rposition(|c| !c.is_whitespace())? + 1;
    let starts: Vec<usize> = (0..end)
        .filter(|&k| !chars[k].is_whitespace() && (k == 0 || chars[k - 1].is_whitespace()))
        .collect();
    starts.iter().rev().skip(1).find_map(|&s| {
        let rest: String = chars[s..end].iter().collect();
        person(&rest).then(|| finding(s, end, "account-name"))
    })
}

/// Words beside the signed-in user's name in an application's bar.
const ACCOUNT_WORDS: &[&str] = &[
    "sign out",
    "sign off",
    "log out",
    "logout",
    "my account",
    "switch account",
];

/// Is line `i` the signed-in user of an application: a name beside "Sign out" or "My account"
/// on its row, or a name at the right end of a bar near the top of the screen whose other text
/// (the application's name, its menus: at least one line) is all left of it.
fn account_name(lines: &[TextLine], i: usize) -> bool {
    let l = &lines[i];
    let h = l.rect.h.max(8);
    let row: Vec<&TextLine> = lines
        .iter()
        .enumerate()
        .filter(|&(j, o)| j != i && same_row(o.rect, l.rect))
        .map(|(_, o)| o)
        .collect();
    let near = |o: &TextLine| o.rect.x.abs_diff(l.rect.right()).min(l.rect.x.abs_diff(o.rect.right())) <= 15 * h;
    let account = |t: &str| {
        let t = t.to_lowercase();
        ACCOUNT_WORDS.iter().any(|w| t.contains(w))
    };
    if row.iter().any(|o| near(o) && account(&o.text)) {
        return true;
    }
    let top = lines.iter().map(|o| o.rect.y).min().unwrap_or(0);
    let bottom = lines.iter().map(|o| o.rect.bottom()).max().unwrap_or(0);
    let right = lines.iter().map(|o| o.rect.right()).max().unwrap_or(0);
    let in_top_band = (l.rect.y - top) * 4 <= bottom - top;
    let at_right_end = l.rect.right() + 4 * h >= right && row.iter().all(|o| o.rect.right() <= l.rect.x);
    // a bar: the application's name (and perhaps its menus) on the left
    in_top_band && at_right_end && (1..=4).contains(&row.len())
}

pub fn names(
    lines: &[TextLine],
    findings: &[Vec<Finding>],
    columns: &[Column],
    scope: NameScope,
) -> Vec<(usize, Finding)> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        // before an e-mail address on the same line
        for f in findings[i].iter().filter(|f| f.category == Category::Email) {
            if let Some((s, e)) = name_before(&l.text, f.start) {
                out.push((i, finding(s, e, "name-beside-email")));
            }
        }
        // after a label on the same line: "From: Dana Whitfield <dana@…>", "Attendees: A, B"
        if let Some((label, _)) = l.text.split_once(':') {
            if name_label(label) {
                let offset = label.chars().count() + 1;
                out.extend(
                    names_in_list(&l.text, offset, "labelled-name")
                        .into_iter()
                        .map(|f| (i, f)),
                );
            }
        }
        // a label and its value read as one line: "Organizer Daan de Boer", "Owner Lei Sun"
        if !l.text.contains(':') {
            if let Some(f) = label_then_name(&l.text) {
                out.push((i, f));
            }
        }
        // a label cell and its value cell
        if name_label(&l.text) {
            if let Some(v) = value_of(lines, i) {
                out.extend(
                    names_in_list(&lines[v].text, 0, "labelled-name")
                        .into_iter()
                        .map(|f| (v, f)),
                );
            }
        }
        if !person(&l.text) {
            continue;
        }
        // a record: the name shares a table row with the person's contact details (an app's
        // name beside the signed-in user's address is not a record)
        let record = lines.iter().enumerate().any(|(j, o)| {
            j != i && same_row(o.rect, l.rect) && has(&findings[j], CONTACT) && table::table_row(lines, columns, i, j)
        });
        let card = signature(lines, findings, i);
        if !record && !card && account_name(lines, i) {
            // OCR may read the bar's title with the name: only the name's words
            out.extend(trailing_name(&l.text).map(|f| (i, f)));
            continue;
        }
        let rule = if record {
            Some("record-name")
        } else if card {
            Some("signature-name")
        } else if scope == NameScope::Everywhere {
            Some("person-name")
        } else {
            None
        };
        if let Some(rule) = rule {
            out.extend(super::whole_line(l, Category::Name, rule).map(|f| (i, f)));
        }
    }
    out.extend(table::labelled_columns(
        lines,
        columns,
        name_label,
        Category::Name,
        labelled_person,
    ));
    // a column that is mostly names: all of its names; when two thirds of it are, also its
    // other cells shaped like a name (a name the gazetteer lacks, a surname OCR misread), as
    // a reader takes a column of people to hold people
    // An inbox's From column mixes "Name <address>" with bare names: a cell whose name was
    // found beside its address counts as one of the column's people.
    let beside_email: Vec<usize> = out
        .iter()
        .filter(|(_, f)| f.rule == "name-beside-email")
        .map(|(i, _)| *i)
        .collect();
    for col in columns {
        let is_person = |i: usize| person(&lines[i].text) || beside_email.contains(&i);
        let named: Vec<usize> = col.cells.iter().copied().filter(|&i| is_person(i)).collect();
        if named.len() < 3 || named.len() * 2 < col.cells.len() {
            continue;
        }
        let of_people = named.len() * 3 >= col.cells.len() * 2;
        for &i in &col.cells {
            if beside_email.contains(&i) {
                continue; // its name is covered already, its other words are the address
            }
            if named.contains(&i) || (of_people && labelled_person(&lines[i].text)) {
                out.extend(super::whole_line(&lines[i], Category::Name, "name-column").map(|f| (i, f)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fake::{covered, line};
    use super::*;
    use crate::classify::{Classifier, ClassifierConfig};

    fn run(lines: &[TextLine], scope: NameScope) -> Vec<String> {
        let c = Classifier::new(ClassifierConfig::default());
        let findings: Vec<Vec<Finding>> = lines.iter().map(|l| c.classify(&l.text)).collect();
        let cols = table::columns(lines);
        let mut got: Vec<String> = covered(lines, &names(lines, &findings, &cols, scope))
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        got.sort();
        got.dedup();
        got
    }

    /// One cell per row, stacked in a column.
    fn column(cells: &[&str]) -> Vec<TextLine> {
        cells
            .iter()
            .enumerate()
            .map(|(k, t)| line(10, 10 + 30 * k as u32, 200, 20, t))
            .collect()
    }

    #[test]
    fn names_beside_their_address_and_in_headers() {
        let lines = vec![
            line(10, 10, 600, 20, "From: Dana Whitfield <dana.whitfield@corp.example>"),
            line(10, 40, 600, 20, "To: Chen Ferreira, Li Wei; Tomasz Brennan"),
            line(10, 160, 600, 20, "Owner: Talia Friedman · 16 Jun 2023"),
            line(10, 70, 600, 20, "Sent Items"),
            line(10, 100, 600, 20, "Priya Raman - priya.raman@corp.example"),
            line(10, 130, 600, 20, "Subject: Quarterly Budget Review"),
        ];
        assert_eq!(
            run(&lines, NameScope::Records),
            vec![
                "Chen Ferreira",
                "Dana Whitfield",
                "Li Wei",
                "Priya Raman",
                "Talia Friedman",
                "Tomasz Brennan"
            ]
        );
    }

    #[test]
    fn signatures_records_and_scope() {
        let lines = vec![
            line(10, 10, 300, 20, "Best regards,"),
            line(10, 40, 300, 20, "Olga Lindqvist"),
            line(10, 70, 300, 20, "Senior Engineer, Payroll"),
            line(10, 100, 300, 20, "+1 415 555 0134"),
            line(10, 300, 200, 20, "Kenji Tanaka"),
            line(400, 300, 300, 20, "kenji.tanaka@corp.example"),
            line(10, 330, 200, 20, "Active"),
            line(400, 330, 300, 20, "ops@corp.example"),
            line(10, 360, 200, 20, "Pending"),
            line(400, 360, 300, 20, "hr@corp.example"),
            line(10, 500, 300, 20, "Mateo Alvarez"),
            // an app's header: its name beside the signed-in user's address
            line(10, 560, 140, 20, "Corporate Mail"),
            line(170, 560, 300, 20, "maria.kowalski@corp.example"),
        ];
        assert_eq!(run(&lines, NameScope::Records), vec!["Kenji Tanaka", "Olga Lindqvist"]);
        // a terminal: a shell prompt holding an address under a status line is no signature
        let shell = vec![
            line(0, 145, 139, 16, "Login Succeeded"),
            line(
                0,
                162,
                599,
                19,
                "imogen@ops8.local:~$ ssh admin@consul-23.internal.example",
            ),
        ];
        assert_eq!(run(&shell, NameScope::Records), Vec::<String>::new());
        // everywhere: any phrase with a given name or surname, not an app's name
        assert_eq!(
            run(&lines, NameScope::Everywhere),
            vec!["Kenji Tanaka", "Mateo Alvarez", "Olga Lindqvist"]
        );
    }

    #[test]
    fn a_label_and_its_name_on_one_line_and_ocr_digits_in_names() {
        let lines = vec![
            line(10, 10, 600, 20, "Organizer Daan de Boer"),
            line(10, 40, 600, 20, "To Kill a Mockingbird"),
            line(10, 70, 600, 20, "Contact Sales Team"),
            line(
                10,
                100,
                600,
                20,
                "203955d Esteban 0lmedo <esteban_olmedo@mail.ru> Bump deps",
            ),
        ];
        assert_eq!(run(&lines, NameScope::Records), vec!["Daan de Boer", "Esteban 0lmedo"]);
        assert_eq!(unconfuse("0lmedo"), "Olmedo");
        assert_eq!(unconfuse("Ade1e"), "Adele");
        assert_eq!(unconfuse("2024"), "2024");
        assert_eq!(unconfuse("A1"), "A1");
    }

    #[test]
    fn contact_cards_headed_by_a_name() {
        // a card: the name over label and value cells, one of them contact details
        let lines = vec![
            line(300, 200, 150, 24, "Huy Hoang"),
            line(300, 240, 60, 18, "Title"),
            line(400, 240, 190, 18, "Procurement Lead"),
            line(300, 270, 70, 18, "Mobile"),
            line(400, 270, 150, 18, "+65 6597 6684"),
            line(300, 300, 70, 18, "City"),
            line(400, 300, 60, 18, "Lyon"),
        ];
        assert_eq!(run(&lines, NameScope::Records), vec!["Huy Hoang"]);
        // the same card without contact details: a product's name over its properties
        let product = vec![
            line(300, 200, 150, 24, "Grace Hopper"),
            line(300, 240, 60, 18, "Title"),
            line(400, 240, 190, 18, "Procurement Lead"),
            line(300, 270, 70, 18, "City"),
            line(400, 270, 60, 18, "Lyon"),
        ];
        assert!(run(&product, NameScope::Records).is_empty());
    }

    #[test]
    fn the_signed_in_user_in_an_application_bar() {
        let page = |user: &str, x: u32| {
            vec![
                line(20, 40, 300, 16, "Address book - Chromium"),
                line(20, 100, 110, 20, "Directory"),
                line(x, 100, 150, 20, user),
                line(290, 180, 260, 30, "Address book"),
                line(
                    290,
                    400,
                    500,
                    18,
                    "Coffee machine on the third floor has been repaired.",
                ),
                line(20, 900, 1880, 18, "Showing 4 of 4 contacts"),
            ]
        };
        assert_eq!(
            run(&page("Arjun Krishnan", 1750), NameScope::Records),
            vec!["Arjun Krishnan"]
        );
        // the bar's title read with the name: the title stays readable
        assert_eq!(trailing_name("Tracker Huy Nguyen").map(|f| f.start), Some(8));
        assert_eq!(trailing_name("Daan de Boer").map(|f| f.start), Some(0));
        assert!(trailing_name("Release Notes").is_none());
        // not at the right end of the bar, or not a person: readable
        assert!(run(&page("Arjun Krishnan", 600), NameScope::Records).is_empty());
        assert!(run(&page("Release Notes", 1750), NameScope::Records).is_empty());
        assert!(run(&page("Help Center", 1750), NameScope::Records).is_empty());
        // lower down the page a right-aligned name is no account
        let mut low = page("Directory", 20);
        low.push(line(1750, 700, 150, 20, "Arjun Krishnan"));
        assert!(run(&low, NameScope::Records).is_empty());
        // beside "Sign out", wherever the bar is
        let bar = vec![
            line(20, 500, 110, 20, "Payroll"),
            line(900, 500, 150, 20, "Omar Saleh"),
            line(1070, 500, 80, 20, "Sign out"),
            line(20, 20, 1880, 20, "Quarterly results are published on the intranet"),
            line(20, 980, 1880, 20, "Copyright 2024"),
        ];
        assert_eq!(run(&bar, NameScope::Records), vec!["Omar Saleh"]);
    }

    #[test]
    fn a_column_of_people_and_a_labelled_column() {
        let mut lines = vec![line(10, 10, 100, 20, "Assignee")];
        for (k, n) in ["Dana Whitfield", "Chen Ferreira", "Li Wei Zhang"].iter().enumerate() {
            lines.push(line(10, 40 + 30 * k as u32, 200, 20, n));
        }
        assert_eq!(
            run(&lines, NameScope::Records),
            vec!["Chen Ferreira", "Dana Whitfield", "Li Wei Zhang"]
        );
        // UI phrases shaped like names are not people
        let nav: Vec<TextLine> = ["Sent Items", "Deleted Items", "Pull Requests", "Team Calendar"]
            .iter()
            .enumerate()
            .map(|(k, t)| line(10, 40 + 30 * k as u32, 200, 20, t))
            .collect();
        assert!(run(&nav, NameScope::Everywhere).is_empty());
    }

    #[test]
    fn an_inbox_column_mixes_names_with_and_without_their_address() {
        // most senders show an address, a few only a name: the column is one of people
        let cells = [
            "Adaeze Eze <adaeze.eze@aperture.example>",
            "Valentina Montoya",
            "Alessandro Bianchi <alessandro+ci@aperture.example>",
            "Yasaman Mohammadi <yasaman_m@aperture.example>",
            "Kostas Konstantinidis",
            "Xiaoling Wu <xiaoling.wu@aperture.example>",
            "Quillon Marbeck",
        ];
        let lines = column(&cells);
        let got = run(&lines, NameScope::Records);
        for n in [
            "Valentina Montoya",
            "Kostas Konstantinidis",
            "Quillon Marbeck",
            "Adaeze Eze",
            "Xiaoling Wu",
        ] {
            assert!(got.iter().any(|g| g == n), "{n} not covered: {got:?}");
        }
        // an inbox of subjects with one sender's address: no column of people
        let subjects = column(&[
            "Quarterly Budget",
            "Dana Whitfield <dana@corp.example>",
            "Access Denied",
            "Sent Items",
        ]);
        assert_eq!(run(&subjects, NameScope::Records), vec!["Dana Whitfield"]);
    }

    #[test]
    fn a_column_of_people_holds_names_the_gazetteer_lacks() {
        // a header OCR misread, known names, and names of no list (or misread): all covered
        let cells = [
            "Emplovee",
            "Zorvan Thelquist",
            "Dana Whitfield",
            "Chen Ferreira",
            "Olga Lindqvist",
            "Priya Raman",
            "Tomasz Nowak",
            "Quillon Marbeck",
            "Maria Qarcia",
        ];
        let lines = column(&cells);
        assert_eq!(
            run(&lines, NameScope::Records),
            vec![
                "Chen Ferreira",
                "Dana Whitfield",
                "Maria Qarcia",
                "Olga Lindqvist",
                "Priya Raman",
                "Quillon Marbeck",
                "Tomasz Nowak",
                "Zorvan Thelquist"
            ]
        );
        // a column with only half of it names: the names the gazetteer knows, no more
        let mixed = [
            "Dana Whitfield",
            "Quarterly Budget",
            "Chen Ferreira",
            "Access Denied",
            "Olga Lindqvist",
            "Quillon Marbeck",
        ];
        let lines = column(&mixed);
        assert_eq!(
            run(&lines, NameScope::Records),
            vec!["Chen Ferreira", "Dana Whitfield", "Olga Lindqvist"]
        );
    }

    #[test]
    fn the_gazetteer_tells_people_from_interface_phrases() {
        for name in [
            "Dana Whitfield",
            "Lotte de Boer",
            "Ahmad bin Yusof",
            "Ludwig van der Berg",
            "Mary-Jane O'Neil",
            "Anne-Sophie Lefèvre",
            "Jean-Luc Picard",
            "Łukasz Dąbrowski",
            "Nguyễn Văn An",
            "Grace Hopper",
            "Søren Kierkegaard,",
        ] {
            assert!(person(name), "{name}");
        }
        for phrase in [
            "Login Succeeded",
            "Corporate Mail",
            "Quarterly Budget",
            "Sent Items",
            "Sales Team",
            "Access Denied",
            "Build Passed",
            "Monday June",
            "Sign In",
            "de Boer",
            "Lotte de",
            "Dana",
            "Dana Whitfield Olga Lindqvist Chen",
        ] {
            assert!(!person(phrase), "{phrase}");
        }
        // a label says a person is meant: the shape is enough, known names or not
        assert!(labelled_person("Xanthe Quorrimby") && !person("Xanthe Quorrimby"));
        assert!(!labelled_person("Pull Requests"));
        let lines = vec![
            line(10, 10, 600, 20, "Owner: Zorvan Thelquist"),
            line(10, 40, 600, 20, "Login Succeeded <noreply@corp.example>"),
            line(10, 70, 600, 20, "Lotte de Boer <lotte@corp.example>"),
        ];
        assert_eq!(
            run(&lines, NameScope::Records),
            vec!["Lotte de Boer", "Zorvan Thelquist"]
        );
    }
}
