//! Names where a reader sees a person: before their e-mail address (`Dana Whitfield <dana@…>`),
//! after a label or in a labelled column (From, To, Cc, Owner, Attendees), in the row of a
//! record with their contact details, at the head of a signature, in a column of names.

mod account;
mod activity;
mod contact;

use super::gazetteer::{self, Known};
use super::labels::{self, name_label, value_of};
use super::table::{self, Column};
use super::{same_row, NameScope};
use crate::classify::{looks_like_person_name, Category, Finding};
use crate::ocr::TextLine;
use account::{account_name, trailing_name};
use contact::{has, signature, spelled_by_address, CONTACT};

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

/// Letters whose capital is their small letter set larger: OCR reads one for the other, in
/// monospaced and serif faces most ("Esteban villanueva").
const SAME_SHAPE_CASE: &str = "cosuvwxz";

/// After a capitalised first word, a word OCR read with a small initial of the same shape as
/// its capital gets its capital back, if it is a name of the gazetteer: "villanueva" is
/// "Villanueva", "status" stays a word.
fn recase(words: &mut [String]) {
    if !words.first().is_some_and(|w| w.starts_with(char::is_uppercase)) {
        return;
    }
    for w in words.iter_mut().skip(1) {
        let Some(first) = w.chars().next() else { continue };
        if SAME_SHAPE_CASE.contains(first) && gazetteer::known(w) == Known::Name {
            *w = capitalised(w);
        }
    }
}

/// A name OCR split in two ("Guada lupe Bermúdez"): a capitalised word and the small-lettered
/// word after it are one word when only together they are a name of the gazetteer.
fn rejoin(words: &mut Vec<String>) {
    let mut k = 0;
    while k + 1 < words.len() {
        let (a, b) = (&words[k], &words[k + 1]);
        let joined = format!("{a}{b}");
        if a.starts_with(char::is_uppercase)
            && b.starts_with(char::is_lowercase)
            && !PARTICLES.contains(&b.as_str())
            && gazetteer::known(&joined) == Known::Name
        {
            words[k] = joined;
            words.remove(k + 1);
        }
        k += 1;
    }
}

/// 'I' and 'l' are one glyph in many sans-serif faces: a word OCR began with 'l' ("lyer",
/// "lrina") is the gazetteer's name spelt with an 'I' ("Iyer", "Irina") when only that
/// spelling is a known word.
fn capital_i(words: &mut [String]) {
    for w in words.iter_mut() {
        let Some(rest) = w.strip_prefix('l') else { continue };
        if rest.starts_with(char::is_lowercase) && gazetteer::known(w) == Known::No {
            let fixed = format!("I{rest}");
            if gazetteer::known(&fixed) == Known::Name {
                *w = fixed;
            }
        }
    }
}

/// The capitalised words of a phrase shaped like a person's name (2 to 4 of them, particles
/// allowed between them), or `None`.
fn name_words(s: &str) -> Option<Vec<String>> {
    let t = s.trim().trim_end_matches([',', ';', '.', ':']);
    let mut fixed: Vec<String> = t.split_whitespace().map(unconfuse).collect();
    rejoin(&mut fixed);
    capital_i(&mut fixed);
    recase(&mut fixed);
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
/// Capitals only ("ÉLODIE CHEVALIER", as a card prints its holder) are read title-cased: the
/// label is the evidence there, not the case.
pub(super) fn labelled_person(s: &str) -> bool {
    if name_words(s).is_some() {
        return true;
    }
    let letters = || s.chars().filter(|c| c.is_alphabetic());
    letters().count() >= 4 && letters().all(char::is_uppercase) && name_words(&title_case(s)).is_some()
}

/// "ÉLODIE DE LA CRUZ" -> "Élodie De La Cruz".
fn title_case(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|f| f.to_uppercase().chain(cs.flat_map(char::to_lowercase)).collect())
                .unwrap_or_default()
        })
        .collect::<Vec<String>>()
        .join(" ")
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
///
/// Where the address itself vouches for the words (its local part spells one of them:
/// "Shirin Sadeghi <sadeghi.s@…>"), a name's shape is enough, as after a label: the gazetteer
/// lacks many romanised names. A word the local part spells gets its capital back ("Dimitris
/// stavrou <dimitris.stavrou@…>"). A service's name is not ("Jira Software <jira@…>").
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
    let local: String = chars[at.min(chars.len())..]
        .iter()
        .take_while(|&&c| c != '@' && !c.is_whitespace())
        .collect();
    let local = gazetteer::fold(&local);
    let spelt = |w: &str| {
        let f = gazetteer::fold(w);
        // a service's address is its name alone ("jira@"); a person's adds an initial or
        // another name ("sadeghi.s@", "eitan.katz@", "ekatz@")
        f.chars().count() >= 3 && f.chars().all(char::is_alphabetic) && local.contains(&f) && local != f
    };
    let before: String = chars[..end].iter().collect();
    let words: Vec<&str> = before.split_whitespace().collect();
    for n in (2..=4.min(words.len())).rev() {
        let cand = words[words.len() - n..].join(" ");
        let vouched = words[words.len() - n..].iter().any(|w| spelt(w));
        let cased = || {
            words[words.len() - n..]
                .iter()
                .map(|w| if spelt(w) { capitalised(w) } else { w.to_string() })
                .collect::<Vec<_>>()
                .join(" ")
        };
        if person(&cand) || (vouched && labelled_person(&cased())) {
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

/// "stavrou" -> "Stavrou".
fn capitalised(w: &str) -> String {
    let mut cs = w.chars();
    cs.next()
        .map(|f| f.to_uppercase().chain(cs).collect())
        .unwrap_or_default()
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

/// Small type that OCR garbles ("Hano bayasht" for "Haruto Kobayashi"): in a column where at
/// least half the cells (two thirds counting names found only as a column's), and three or
/// more, are found to be people, the other cells between
/// them written as a name is written (one to three words of letters, capitalised) are people
/// too, as a reader takes a column of people to hold people. A label stays readable.
///
/// Past the first or last person, a cell counts when its row is a record (it shares a table
/// row with contact details): the table's last row, whose name OCR garbled.
fn garbled_people(
    lines: &[TextLine],
    findings: &[Vec<Finding>],
    columns: &[Column],
    found: &[(usize, Finding)],
) -> Vec<(usize, Finding)> {
    // people found on their own evidence (a label, an address, a record), and those found
    // only as the names of a column that is mostly names
    let mut is_found = vec![false; lines.len()];
    let mut own = vec![false; lines.len()];
    for (i, f) in found {
        is_found[*i] = true;
        own[*i] |= f.rule != "name-column";
    }
    let mut out = Vec::new();
    for col in columns {
        let people: Vec<usize> = col.cells.iter().copied().filter(|&i| is_found[i]).collect();
        let own_people = people.iter().filter(|&&i| own[i]).count();
        if people.len() < 3 {
            continue;
        }
        // among the people: a heading above the table ("Directory") is none of them
        let (top, bottom) = (lines[people[0]].rect.y, lines[people[people.len() - 1]].rect.y);
        let among: Vec<usize> = col
            .cells
            .iter()
            .copied()
            .filter(|&i| (top..=bottom).contains(&lines[i].rect.y) || record_row(lines, findings, columns, i))
            .collect();
        // half of them on their own evidence, or two thirds counting the column's names (half
        // a column of names is no column of people: "Quarterly Budget" among them stays)
        if own_people * 2 < among.len() && people.len() * 3 < among.len() * 2 {
            continue;
        }
        for i in among {
            let t = lines[i].text.trim();
            if is_found[i] || name_label(t) || !name_written(t) {
                continue;
            }
            out.extend(super::whole_line(&lines[i], Category::Name, "name-column").map(|f| (i, f)));
        }
    }
    out
}

/// Does line `i` share a table row with another cell's contact details?
fn record_row(lines: &[TextLine], findings: &[Vec<Finding>], columns: &[Column], i: usize) -> bool {
    lines.iter().enumerate().any(|(j, o)| {
        j != i
            && same_row(o.rect, lines[i].rect)
            && has(&findings[j], CONTACT)
            && table::table_row(lines, columns, i, j)
    })
}

/// One to three words, most of their characters letters, one of them capitalised (OCR may drop
/// a first name's capital with its first letters: "shi Karimi"); no interface word among them.
fn name_written(t: &str) -> bool {
    let words: Vec<&str> = t.split_whitespace().collect();
    let chars: Vec<char> = t.chars().filter(|c| !c.is_whitespace()).collect();
    let letters = chars.iter().filter(|c| c.is_alphabetic()).count();
    (1..=3).contains(&words.len())
        && letters >= 4
        && letters * 10 >= chars.len() * 8
        && words.iter().any(|w| w.starts_with(char::is_uppercase))
        && !words
            .iter()
            .any(|w| UI_WORDS.contains(&w.to_lowercase().trim_matches(|c: char| !c.is_alphanumeric())))
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
        // a label cell and its value cell; a header ("Name | Relationship | SSN") over the
        // only row of its table that is on screen, which no column is made of, labels the cell
        // under it, whatever a person's name beside it makes of the row
        if name_label(&l.text) {
            let names_of = |v: usize| (v, names_in_list(&lines[v].text, 0, "labelled-name"));
            let beside = value_of(lines, i).map(names_of).filter(|(_, found)| !found.is_empty());
            let under = || {
                labels::value_below(lines, i)
                    .filter(|_| labels::caption_row(lines, i))
                    .map(names_of)
            };
            if let Some((v, found)) = beside.or_else(under) {
                out.extend(found.into_iter().map(|f| (v, f)));
            }
        }
        // the actor of an event, the agent after "edited by", "assigned to"
        out.extend(activity::activity_names(&l.text).into_iter().map(|f| (i, f)));
        if !person(&l.text) {
            // a name the gazetteer lacks, heading a card or a record whose address spells it
            if name_written(&l.text)
                && spelled_by_address(lines, findings, i)
                && (signature(lines, findings, i) || record_row(lines, findings, columns, i))
            {
                out.extend(super::whole_line(l, Category::Name, "name-of-address").map(|f| (i, f)));
            }
            continue;
        }
        // a record: the name shares a table row with the person's contact details (an app's
        // name beside the signed-in user's address is not a record)
        let record = record_row(lines, findings, columns, i);
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
    // then the garbled cells among all the people found so far, the column's too
    out.extend(garbled_people(lines, findings, columns, &out));
    out
}

#[cfg(test)]
mod tests;
