//! Tokens a terminal wrapped at its right edge: `kubectl get pods -o wide` in a narrow window
//! prints a node's name as "… k8s-node" at the end of one line and "-22.int.wonka.com" (or
//! just "e", or ". lan") at the start of the next. Neither half is a host on its own; a reader
//! joins them, and so does this: the last token of a line that reaches the right edge of the
//! text and the first token of the line under it that starts at the left edge are read as one
//! token, and what the classifier finds in it covers both halves.

use crate::classify::{Category, Finding};
use crate::ocr::TextLine;

/// Categories whose tokens a wrap can cut.
const TOKENS: &[Category] = &[
    Category::Hostname,
    Category::Email,
    Category::Url,
    Category::Secret,
    Category::Ip,
];

/// A token cut by a wrap: the head's line and where the head starts in it, the tail's line and
/// where the tail ends in it, and the token joined.
pub struct Wrap {
    head: (usize, usize),
    tail: (usize, usize),
    head_len: usize,
    pub text: String,
}

/// The marks that join the parts of a machine-written token, where a wrap may cut it.
const JOINTS: [char; 4] = ['.', '-', '@', '_'];

/// Does one of `findings`, of a token category, take in all of characters `start..end`?
fn whole_token(findings: &[Finding], start: usize, end: usize) -> bool {
    findings
        .iter()
        .any(|f| TOKENS.contains(&f.category) && f.start <= start && f.end >= end)
}

fn tokenish(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || "-._@:/".contains(c))
}

/// The wrapped tokens of a screen.
pub fn wraps(lines: &[TextLine], findings: &[Vec<Finding>]) -> Vec<Wrap> {
    let mut out = Vec::new();
    for (b, tail) in lines.iter().enumerate() {
        let h = tail.rect.h.max(8);
        // the tail starts its row
        if lines
            .iter()
            .any(|o| o.rect.x + h / 2 < tail.rect.x && super::same_row(o.rect, tail.rect))
        {
            continue;
        }
        let above = lines
            .iter()
            .enumerate()
            .filter(|(_, a)| a.rect.bottom() <= tail.rect.y + h / 2 && tail.rect.y < a.rect.bottom() + h)
            .max_by_key(|(_, a)| a.rect.right());
        let Some((a, head)) = above else { continue };
        // the head's line reaches the right edge of the text block the tail's line starts
        let edge = lines
            .iter()
            .filter(|l| l.rect.x.abs_diff(tail.rect.x) <= h)
            .map(|l| l.rect.right())
            .max()
            .unwrap_or(0);
        if head.rect.right() + 2 * h < edge {
            continue;
        }
        let head_chars: Vec<char> = head.text.trim_end().chars().collect();
        let head_start = head_chars.iter().rposition(|c| c.is_whitespace()).map_or(0, |k| k + 1);
        let head_token: String = head_chars[head_start..].iter().collect();
        // the tail: its first token, or the whole of a short line OCR spaced (". lan")
        let tail_text = tail.text.trim_end();
        let lead = tail_text.chars().take_while(|c| c.is_whitespace()).count();
        let (tail_token, tail_end) = if tail_text.chars().count() <= 8 {
            (
                tail_text.split_whitespace().collect::<String>(),
                tail_text.chars().count(),
            )
        } else {
            let first: String = tail_text
                .chars()
                .skip(lead)
                .take_while(|c| !c.is_whitespace())
                .collect();
            let n = first.chars().count();
            (first, lead + n)
        };
        let joint = |s: &str| s.contains(JOINTS);
        // a head that is a whole value already ("ana@corp.example" ending a form's row) was cut
        // by no wrap; nor is a capitalised word (the next row's label) the rest of a token. A
        // random token's tail may start with a capital, and then has more ("BySEI" ending a
        // Docker Hub token): no word is written so.
        let whole = whole_token(&findings[a], head_start, head_chars.len());
        let word = tail_token.starts_with(char::is_uppercase)
            && !tail_token
                .chars()
                .skip(1)
                .any(|c| c.is_uppercase() || c.is_ascii_digit());
        // nor is a tail that is a whole value on its own, after a head that does not end in a
        // joint: the first cell of a table's next row ("us-east-2" ending a dashboard's row,
        // "db-01.corp.internal" starting the next)
        let tail_whole = whole_token(&findings[b], lead, tail_end) && !head_token.ends_with(JOINTS);
        if whole || word || tail_whole {
            continue;
        }
        // prose wraps between words: a sentence's end before a capital is no cut token
        let sentence = head_token.ends_with([',', ';', ':', ')', '!', '?'])
            || (head_token.ends_with('.') && tail_token.starts_with(char::is_uppercase));
        if head_token.chars().count() >= 2
            && !sentence
            && tokenish(&head_token)
            && tokenish(&tail_token)
            && (joint(&head_token) || joint(&tail_token))
        {
            out.push(Wrap {
                head: (a, head_start),
                tail: (b, tail_end),
                head_len: head_token.chars().count(),
                text: format!("{head_token}{tail_token}"),
            });
        }
    }
    out
}

impl Wrap {
    /// What the classifier found in the joined token, as findings on both halves.
    pub fn back(&self, found: &[Finding]) -> Vec<(usize, Finding)> {
        let mut out = Vec::new();
        for f in found.iter().filter(|f| TOKENS.contains(&f.category)) {
            // a finding inside one half was found there already
            if f.start >= self.head_len || f.end <= self.head_len {
                continue;
            }
            let (a, start) = self.head;
            let (b, end) = self.tail;
            let rule = "wrapped-token".to_string();
            out.push((
                a,
                Finding {
                    start: start + f.start,
                    end: start + self.head_len,
                    category: f.category,
                    rule: rule.clone(),
                },
            ));
            out.push((
                b,
                Finding {
                    start: 0,
                    end,
                    category: f.category,
                    rule,
                },
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::fake::{covered, line};
    use super::*;
    use crate::classify::{Classifier, ClassifierConfig};

    fn found(lines: &[TextLine]) -> Vec<(String, Category)> {
        let c = Classifier::new(ClassifierConfig::default());
        let mut got = Vec::new();
        let findings: Vec<Vec<Finding>> = lines.iter().map(|l| c.classify(&l.text)).collect();
        for w in wraps(lines, &findings) {
            got.extend(covered(lines, &w.back(&c.classify(&w.text))));
        }
        got
    }

    #[test]
    fn a_host_a_terminal_wrapped_is_read_whole() {
        let lines = vec![
            line(
                0,
                100,
                1250,
                30,
                "ingrid@build:~$ kubectl get pods -o wide --all-namespaces",
            ),
            line(0, 223, 268, 31, "api-b9c7a4bf5-ylkgi"),
            line(416, 223, 108, 33, "Running"),
            line(992, 253, 258, 30, "k8s-node.tailspin.d"),
            line(0, 288, 18, 22, "e"),
            line(795, 308, 455, 36, "192.168.110.152 k8s-node.sterling"),
            line(0, 340, 62, 29, ". lan"),
            line(795, 380, 450, 30, "10.76.187.175 k8s-node"),
            line(0, 412, 240, 30, "-22.int.wonka.example"),
            // a line ending short of the edge wraps nothing
            line(0, 450, 300, 30, "listing nodes.example"),
            line(0, 482, 100, 30, "internal"),
            // prose that wraps after a sentence
            line(0, 520, 1250, 30, "Rotate the keys before Friday, then read the docs."),
            line(0, 552, 600, 30, "Example configs are in the wiki"),
            // a form's row ending in an address, the next row's label
            line(0, 600, 200, 30, "E-mail"),
            line(900, 600, 350, 30, "ana.ruiz@corp.example"),
            line(0, 632, 100, 30, "Phone"),
            line(900, 632, 300, 30, "+1 415 555 0134"),
            // a token the wrap cut before a capital
            line(
                0,
                680,
                1250,
                30,
                "ci$ docker login -u ci -p dckr_pat_pXtU5nWdJ_omVzkcevAzew",
            ),
            line(0, 712, 69, 23, "BySEI"),
            // a dashboard's table: the last cell of a row, the host starting the next
            line(0, 760, 200, 30, "db-01.corp.internal"),
            line(1100, 760, 150, 30, "us-east-2"),
            line(0, 792, 200, 30, "db-02.corp.internal"),
            line(1100, 792, 150, 30, "us-east-2"),
        ];
        let got: Vec<String> = found(&lines).into_iter().map(|(s, _)| s).collect();
        assert_eq!(
            got,
            vec![
                "k8s-node.tailspin.d",
                "e",
                "k8s-node.sterling",
                ". lan",
                "k8s-node",
                "-22.int.wonka.example",
                "dckr_pat_pXtU5nWdJ_omVzkcevAzew",
                "BySEI"
            ]
        );
    }
}
