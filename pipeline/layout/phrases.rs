//! Phrases the text detector cut apart. At large UI scales and in headers the detector often
//! boxes a phrase word by word ("Owner:" | "Anastasia" | "Vlachos", "Zawadi" | "Kiprop"), or a
//! name apart from the address after it ("aec09ed Yasaman Karimi" | "<yasaman.karimi@…>").
//! A reader reads one phrase; the name rules need the whole of it. Boxes that sit on one row a
//! word space apart are joined into one line here, the name rules run on the joined lines as
//! well, and what they find is mapped back onto the boxes it came from.

use super::same_row;
use crate::classify::Finding;
use crate::ocr::TextLine;

/// The widest gap between two boxes of one phrase, in line heights: a word space is about a
/// third of one; table cells and label/value pairs stand further apart.
const WORD_GAP: f32 = 0.6;

/// A gap of at most this many line heights at a hyphen or dot is no space: the detector cut a
/// token there.
const TOUCH: f32 = 0.15;

/// The lines of a screen with the boxes of each phrase joined, and each box's place in its
/// phrase.
pub struct Phrases {
    pub lines: Vec<TextLine>,
    pub findings: Vec<Vec<Finding>>,
    /// Per phrase: (index of the box in the original lines, character offset in the phrase,
    /// character count).
    members: Vec<Vec<(usize, usize, usize)>>,
}

/// Is `b` the next word of `a`'s phrase: on its row, of about its height, starting at most a
/// word gap after `a` ends (or overlapping `a` a little, as neighbouring boxes do)?
fn follows(a: &TextLine, b: &TextLine) -> bool {
    let (ha, hb) = (a.rect.h.max(1) as f32, b.rect.h.max(1) as f32);
    let h = ha.min(hb);
    let gap = b.rect.x as f32 - a.rect.right() as f32;
    same_row(a.rect, b.rect)
        && ha.min(hb) / ha.max(hb) >= 0.7
        && b.rect.x > a.rect.x
        && gap <= WORD_GAP * h
        && (gap >= -0.5 * h || (gap >= -h && same_mark(a, b)))
        && !a.text.trim().is_empty()
        && !b.text.trim().is_empty()
}

/// The mark `a` ends with is the one `b` starts with: boxes that overlap by that character,
/// both reading it.
fn same_mark(a: &TextLine, b: &TextLine) -> bool {
    let mark = a.text.trim_end().chars().last().filter(|c| ":=,;".contains(*c));
    mark.is_some() && mark == b.text.chars().next()
}

/// `a` ends with a lone letter that `b`, overlapping it, starts with: the detector's box for
/// one word took in the first letter of the next, which its own box reads again ("Amira F" |
/// "Farouk"). That letter belongs to `b`.
fn echoed_initial(a: &TextLine, b: &TextLine) -> bool {
    let mut rev = a.text.chars().rev();
    let (last, before) = (rev.next(), rev.next());
    b.rect.x < a.rect.right()
        && before == Some(' ')
        && last.is_some_and(char::is_alphanumeric)
        && last == b.text.chars().next()
}

/// The screen's lines with the boxes of each phrase joined into one, or `None` when no boxes
/// join.
pub fn join(lines: &[TextLine], findings: &[Vec<Finding>]) -> Option<Phrases> {
    // each box's next word: the nearest box that follows it, taken by one box only
    let mut next: Vec<Option<usize>> = vec![None; lines.len()];
    let mut taken = vec![false; lines.len()];
    for (i, a) in lines.iter().enumerate() {
        let nearest = (0..lines.len())
            .filter(|&j| j != i && !taken[j] && follows(a, &lines[j]))
            .min_by_key(|&j| lines[j].rect.x);
        if let Some(j) = nearest {
            next[i] = Some(j);
            taken[j] = true;
        }
    }
    let mut out = Phrases {
        lines: Vec::new(),
        findings: Vec::new(),
        members: Vec::new(),
    };
    if next.iter().all(Option::is_none) {
        return None;
    }
    // every line heads its phrase or belongs to one: the rules see the whole screen (the
    // account rule looks at the bar's other text, the record rule at the row)
    for head in (0..lines.len()).filter(|&i| !taken[i]) {
        let mut line = lines[head].clone();
        let mut found = findings[head].clone();
        let mut members = vec![(head, 0, line.text.chars().count())];
        let mut at = head;
        while let Some(j) = next[at] {
            let b = &lines[j];
            if echoed_initial(&lines[at], b) {
                // the first box's reading of it becomes a space, one character for one
                line.text.pop();
                line.text.push(' ');
            }
            let gap_start = line.rect.right() as f32;
            // boxes that touch at a hyphen or dot split a token ("555" "-0127"); others are
            // words of a phrase
            let h = line.rect.h.min(b.rect.h).max(1) as f32;
            let joint = line.text.ends_with(['-', '.', '_', '@', '/', '('])
                || b.text.starts_with(['-', '.', '_', '@', '/', ')']);
            if !joint || b.rect.x as f32 - gap_start > TOUCH * h {
                line.text.push(' ');
                line.chars.push((gap_start.min(b.rect.x as f32), b.rect.x as f32));
            }
            let offset = line.chars.len();
            // overlapping boxes both read the mark where they meet ("password:" |
            // ": \"value\""): the second reading is a space in the phrase (one character for
            // one, so offsets still map onto the box)
            if (b.rect.x as f32) < gap_start && same_mark(&line, b) {
                line.text.push(' ');
                line.text.push_str(&b.text[1..]);
            } else {
                line.text.push_str(&b.text);
            }
            line.chars.extend_from_slice(&b.chars);
            line.rect = line.rect.union(b.rect);
            line.confidence = line.confidence.min(b.confidence);
            found.extend(findings[j].iter().map(|f| Finding {
                start: f.start + offset,
                end: f.end + offset,
                ..f.clone()
            }));
            members.push((j, offset, b.text.chars().count()));
            // no cycle: a next box starts right of its box, and each is taken once
            at = j;
        }
        out.lines.push(line);
        out.findings.push(found);
        out.members.push(members);
    }
    Some(out)
}

impl Phrases {
    /// The phrases made of two or more boxes.
    pub fn joined(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.lines.len()).filter(|&k| self.members[k].len() > 1)
    }

    /// The joined phrases some of whose letters and digits no finding covers yet: reading the
    /// others whole can cover nothing more (on a page of numbers most phrases are covered box
    /// by box already, and classifying them again doubled the classifier's time).
    pub fn joined_uncovered(&self) -> impl Iterator<Item = usize> + '_ {
        self.joined().filter(|&k| {
            let chars: Vec<char> = self.lines[k].text.chars().collect();
            let mut covered = vec![false; chars.len()];
            for f in &self.findings[k] {
                for c in &mut covered[f.start.min(chars.len())..f.end.min(chars.len())] {
                    *c = true;
                }
            }
            chars
                .iter()
                .zip(&covered)
                .any(|(c, &done)| c.is_alphanumeric() && !done)
        })
    }

    /// Findings on the joined lines as findings on the boxes they span: a name across three
    /// boxes covers its part of each.
    pub fn back(&self, found: Vec<(usize, Finding)>) -> Vec<(usize, Finding)> {
        let mut out = Vec::new();
        for (k, f) in found {
            for &(i, offset, len) in &self.members[k] {
                let (s, e) = (f.start.max(offset), f.end.min(offset + len));
                if s < e {
                    out.push((
                        i,
                        Finding {
                            start: s - offset,
                            end: e - offset,
                            ..f.clone()
                        },
                    ));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::fake::line;
    use super::*;
    use crate::classify::Category;

    fn texts(p: &Phrases) -> Vec<&str> {
        p.lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn boxes_a_word_space_apart_join_and_cells_do_not() {
        let lines = vec![
            line(31, 324, 120, 30, "Owner:"),
            line(140, 324, 156, 29, "Anastasia"),
            line(303, 323, 123, 30, "Vlachos"),
            // a date a column's width away
            line(465, 321, 170, 33, "2026-05-03"),
            // a label and its value cell
            line(30, 400, 80, 20, "Username"),
            line(172, 400, 200, 20, "dana@acme.example"),
            // a smaller caption right after a heading is another line
            line(30, 500, 200, 40, "Dashboard"),
            line(235, 512, 60, 16, "beta"),
            // the same words one row down
            line(140, 360, 156, 29, "Gerhard"),
        ];
        let none: Vec<Vec<Finding>> = vec![Vec::new(); lines.len()];
        let p = join(&lines, &none).unwrap();
        let joined: Vec<&str> = texts(&p).into_iter().filter(|t| t.contains(' ')).collect();
        assert_eq!(joined, vec!["Owner: Anastasia Vlachos"]);
        assert_eq!(p.lines.len(), lines.len() - 2);
        let l = &p.lines[0];
        assert_eq!(l.chars.len(), l.text.chars().count());
        assert!(l.chars.windows(2).all(|w| w[0].0 <= w[1].0), "{:?}", l.chars);
        assert!(join(&lines[3..], &none[3..]).is_none());
    }

    #[test]
    fn phrases_covered_box_by_box_need_no_second_reading() {
        let lines = vec![
            line(0, 10, 60, 20, "458"),
            line(66, 10, 60, 20, "555"),
            line(0, 60, 120, 20, "10.0.0.1"),
            line(126, 60, 120, 20, "10.0.0.2"),
        ];
        let ip = |end| Finding {
            start: 0,
            end,
            category: Category::Ip,
            rule: "ip".into(),
        };
        let findings = vec![Vec::new(), Vec::new(), vec![ip(8)], vec![ip(8)]];
        let p = join(&lines, &findings).unwrap();
        let open: Vec<&str> = p.joined_uncovered().map(|k| p.lines[k].text.as_str()).collect();
        assert_eq!(open, vec!["458 555"]);
    }

    #[test]
    fn a_mark_both_overlapping_boxes_read_is_read_once() {
        // a diff line cut after its key, the colon read by both boxes
        let lines = vec![
            line(40, 219, 87, 16, "41 + password:"),
            line(117, 220, 143, 13, ": \"staple.staple.walrus84\""),
        ];
        let none: Vec<Vec<Finding>> = vec![Vec::new(); lines.len()];
        let p = join(&lines, &none).unwrap();
        assert_eq!(texts(&p), vec!["41 + password:   \"staple.staple.walrus84\""]);
        assert_eq!(p.lines[0].chars.len(), p.lines[0].text.chars().count());
        let c = crate::classify::Classifier::new(crate::classify::ClassifierConfig::default());
        let found = c.classify(&p.lines[0].text);
        assert!(found.iter().any(|f| f.category == Category::Secret), "{found:?}");
    }

    #[test]
    fn findings_move_with_their_box_and_map_back_onto_each_box() {
        let lines = vec![
            line(0, 353, 209, 16, "aec09ed Yasaman Karimi"),
            line(203, 352, 368, 19, "<yasaman.karimi@stark.example> Update docs"),
        ];
        let email = Finding {
            start: 1,
            end: 29,
            category: Category::Email,
            rule: "email".into(),
        };
        let p = join(&lines, &[Vec::new(), vec![email]]).unwrap();
        let f = &p.findings[0][0];
        let joined: String = p.lines[0].text.chars().skip(f.start).take(f.end - f.start).collect();
        assert_eq!(joined, "yasaman.karimi@stark.example");
        // a name across both boxes, and one inside the first only
        let across = Finding {
            start: 8,
            end: 24,
            category: Category::Name,
            rule: "t".into(),
        };
        let inside = Finding {
            start: 8,
            end: 22,
            ..across.clone()
        };
        let back = p.back(vec![(0, across), (0, inside)]);
        let spans: Vec<(usize, usize, usize)> = back.iter().map(|(i, f)| (*i, f.start, f.end)).collect();
        assert_eq!(spans, vec![(0, 8, 22), (1, 0, 1), (0, 8, 22)]);
    }
}

#[cfg(test)]
mod through_the_layout {
    use super::super::fake::{covered, line};
    use super::super::{context_findings, NameScope};
    use crate::classify::{Category, Classifier, ClassifierConfig, Finding};
    use crate::ocr::TextLine;

    /// Each line's own findings, as the analysis classifies them.
    fn classified(lines: &[TextLine]) -> Vec<Vec<Finding>> {
        let c = Classifier::new(ClassifierConfig::default());
        lines.iter().map(|l| c.classify(&l.text)).collect()
    }

    /// The names the layout covers on this screen (records scope), in screen order.
    fn names_covered(lines: &[TextLine], findings: &[Vec<Finding>]) -> Vec<String> {
        let cfg = ClassifierConfig::default();
        let found = context_findings(lines, findings, &cfg.enabled, Some(NameScope::Records));
        covered(lines, &found)
            .into_iter()
            .filter(|(_, c)| *c == Category::Name)
            .map(|(s, _)| s)
            .collect()
    }

    #[test]
    fn a_name_boxed_word_by_word_is_covered_box_by_box() {
        let lines = vec![
            line(31, 324, 120, 30, "Owner:"),
            line(140, 324, 156, 29, "Anastasia"),
            line(303, 323, 123, 30, "Vlachos"),
            line(465, 321, 170, 33, "2026-05-03"),
            line(0, 353, 209, 16, "aec09ed Yasaman Karimi"),
            line(203, 352, 368, 19, "<yasaman.karimi@stark.example> Update docs"),
            // the signed-in user in the bar at the top right, boxed word by word
            line(14, 10, 100, 22, "Bitwarden"),
            line(1150, 12, 54, 16, "Zawadi"),
            line(1207, 11, 61, 20, "Kiprop"),
        ];
        let mut names = names_covered(&lines, &classified(&lines));
        names.sort();
        assert_eq!(
            names,
            vec!["Anastasia", "Kiprop", "Vlachos", "Yasaman Karimi", "Zawadi"]
        );
    }

    #[test]
    fn a_surname_whose_initial_the_box_before_read_too_is_one_name() {
        // the signed-in user at the right of a web app's bar; the first box took in the
        // surname's initial, which the second reads again
        let lines = vec![
            line(40, 193, 217, 40, "Outlook Web"),
            line(2281, 196, 113, 36, "Amira F"),
            line(2377, 196, 111, 34, "Farouk"),
            line(40, 304, 94, 40, "Inbox"),
        ];
        let findings = classified(&lines);
        let p = super::join(&lines, &findings).unwrap();
        assert!(p.lines.iter().any(|l| l.text == "Amira   Farouk"), "{:?}", p.lines);
        assert_eq!(names_covered(&lines, &findings), vec!["Amira F", "Farouk"]);
    }
}
