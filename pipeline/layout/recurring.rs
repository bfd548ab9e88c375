//! Names that recur: a person's name found once on a screen (a member list, a mail header, a
//! labelled field) is covered wherever else the same screen shows it.

use crate::classify::{Category, Finding};
use crate::ocr::TextLine;

/// A person's name found in one place is a name wherever else the screen shows it: a chat's
/// member list names the authors of its messages, a mail's header the name in its greeting, a
/// record its owner's name in the page's title. `found` are the name findings made so far
/// (layout's and the classifier's). Only names of two to four capitalised words are carried
/// over, matched as whole words.
pub fn seen_elsewhere(lines: &[TextLine], found: &[(usize, Finding)]) -> Vec<(usize, Finding)> {
    let mut known: Vec<Vec<char>> = Vec::new();
    for (i, f) in found.iter().filter(|(_, f)| f.category == Category::Name) {
        let name: String = lines[*i].text.chars().skip(f.start).take(f.end - f.start).collect();
        let words: Vec<&str> = name.split_whitespace().collect();
        let shaped = (2..=4).contains(&words.len())
            && words.iter().all(|w| {
                w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars().count() >= 2
                    && w.chars().all(|c| c.is_alphabetic() || "-'.".contains(c))
            });
        let name: Vec<char> = words.join(" ").chars().collect();
        if shaped && !known.contains(&name) {
            known.push(name);
        }
    }
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let text: Vec<char> = l.text.chars().collect();
        for name in &known {
            let mut at = 0;
            while at + name.len() <= text.len() {
                let boundary = |k: Option<&char>| k.is_none_or(|c| !c.is_alphanumeric());
                if text[at..at + name.len()] == name[..]
                    && boundary(at.checked_sub(1).and_then(|k| text.get(k)))
                    && boundary(text.get(at + name.len()))
                {
                    out.push((
                        i,
                        Finding {
                            start: at,
                            end: at + name.len(),
                            category: Category::Name,
                            rule: "name-seen-elsewhere".into(),
                        },
                    ));
                    at += name.len();
                } else {
                    at += 1;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fake::{covered, line};
    use super::super::table;
    use super::*;
    use crate::classify::{Classifier, ClassifierConfig};

    #[test]
    fn a_name_found_once_is_a_name_wherever_it_shows() {
        let lines = vec![
            line(10, 10, 300, 20, "Mareike Dietrich 07:1l"),
            line(10, 40, 500, 20, "The new dashboard loads twice as fast."),
            line(600, 10, 150, 20, "Members"),
            line(600, 40, 150, 20, "Mareike Dietrich"),
            line(600, 70, 150, 20, "Yuna Tanaka"),
            line(10, 70, 500, 20, "Yuna Tanaka: can Mareike Dietrichs team check?"),
        ];
        let c = Classifier::new(ClassifierConfig::default());
        let findings: Vec<Vec<Finding>> = lines.iter().map(|l| c.classify(&l.text)).collect();
        let cols = table::columns(&lines);
        let mut found = super::super::names::names(&lines, &findings, &cols, super::super::NameScope::Records);
        found.extend(seen_elsewhere(&lines, &found));
        let got = covered(&lines, &found);
        let named_on = |i: usize, name: &str| {
            found.iter().any(|(j, f)| {
                *j == i
                    && f.category == Category::Name
                    && lines[i]
                        .text
                        .chars()
                        .skip(f.start)
                        .take(f.end - f.start)
                        .collect::<String>()
                        == name
            })
        };
        assert!(named_on(3, "Mareike Dietrich"), "{got:?}");
        // the byline OCR garbled (no time read) is covered for the member list's name
        assert!(named_on(0, "Mareike Dietrich"), "{got:?}");
        // not inside a longer word
        assert!(!named_on(5, "Mareike Dietrich"), "{got:?}");
    }
}
