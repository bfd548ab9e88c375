//! Tables: columns of aligned cells, their headers, and what a column's other cells say about
//! one of them. A cell whose column-mates of the same shape are secrets is a secret: a random
//! id that fails an entropy threshold by chance still sits in a column of ids.

use super::{same_row, whole_line};
use crate::classify::{Category, Finding};
use crate::ocr::TextLine;

/// Cells of one column, top to bottom (indices into the lines).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub cells: Vec<usize>,
}

/// Categories whose findings cover a cell as a token (a cell of the column "is" one).
const CELL_CATEGORIES: &[Category] = &[
    Category::Secret,
    Category::Ip,
    Category::Email,
    Category::Hostname,
    Category::Url,
    Category::Phone,
    Category::Ssn,
    Category::Card,
    Category::Iban,
];

fn alnum(s: &str) -> usize {
    s.chars().filter(|c| c.is_alphanumeric()).count()
}

/// Columns: lines left-aligned (or right-aligned, as numbers are) with at least two others in
/// other rows, of about the same height, split where a vertical gap says another block starts.
pub fn columns(lines: &[TextLine]) -> Vec<Column> {
    let mut out: Vec<Column> = Vec::new();
    for edge in [Edge::Left, Edge::Right] {
        for group in aligned_groups(lines, edge) {
            for cells in split_blocks(lines, group) {
                if cells.len() >= 3 && !out.iter().any(|c| c.cells == cells) {
                    out.push(Column { cells });
                }
            }
        }
    }
    out
}

#[derive(Clone, Copy)]
enum Edge {
    Left,
    Right,
}

fn edge_of(l: &TextLine, e: Edge) -> u32 {
    match e {
        Edge::Left => l.rect.x,
        Edge::Right => l.rect.right(),
    }
}

/// Lines whose `edge` agree within a third of a line height, chained (union-find).
fn aligned_groups(lines: &[TextLine], edge: Edge) -> Vec<Vec<usize>> {
    let n = lines.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let mut order: Vec<usize> = (0..n).filter(|&i| !lines[i].rect.is_empty()).collect();
    order.sort_by_key(|&i| edge_of(&lines[i], edge));
    for (k, &i) in order.iter().enumerate() {
        for &j in &order[k + 1..] {
            let (a, b) = (&lines[i].rect, &lines[j].rect);
            let tol = (a.h.min(b.h) / 3).max(3);
            if edge_of(&lines[j], edge) - edge_of(&lines[i], edge) > tol {
                break;
            }
            let similar_height = a.h.max(b.h) * 2 <= a.h.min(b.h) * 3;
            if similar_height && !same_row(*a, *b) {
                let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                parent[ri] = rj;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for i in order {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    groups.into_values().filter(|g| g.len() >= 3).collect()
}

/// A group split into vertical blocks: a gap of more than three times the typical row pitch
/// (and four line heights) between two cells starts another table.
fn split_blocks(lines: &[TextLine], mut group: Vec<usize>) -> Vec<Vec<usize>> {
    group.sort_by_key(|&i| lines[i].rect.y);
    let mut pitches: Vec<u32> = group
        .windows(2)
        .map(|w| lines[w[1]].rect.y.saturating_sub(lines[w[0]].rect.y))
        .collect();
    pitches.sort_unstable();
    let pitch = pitches.get(pitches.len() / 2).copied().unwrap_or(0);
    let mut blocks = vec![Vec::new()];
    let mut prev: Option<usize> = None;
    for i in group {
        if let Some(p) = prev {
            let gap = lines[i].rect.y.saturating_sub(lines[p].rect.y);
            if gap > 3 * pitch.max(1) && gap > 4 * lines[i].rect.h {
                blocks.push(Vec::new());
            }
        }
        blocks.last_mut().expect("one block at least").push(i);
        prev = Some(i);
    }
    blocks
}

/// The category a cell is covered by as a token: a finding of it spanning most of the cell.
pub(super) fn cell_category(line: &TextLine, findings: &[Finding]) -> Option<Category> {
    let chars: Vec<char> = line.text.chars().collect();
    let total = alnum(&line.text).max(1);
    findings
        .iter()
        .filter(|f| CELL_CATEGORIES.contains(&f.category))
        .map(|f| {
            let covered = chars[f.start.min(chars.len())..f.end.min(chars.len())]
                .iter()
                .filter(|c| c.is_alphanumeric())
                .count();
            (f.category, covered)
        })
        .filter(|&(_, covered)| covered * 10 >= total * 6)
        .max_by_key(|&(_, covered)| covered)
        .map(|(c, _)| c)
}

/// The shape of a cell's text: length in letters and digits, share of digits, its words and
/// the punctuation it is written with.
#[derive(Debug, Clone)]
struct Shape {
    len: usize,
    digits: f32,
    words: usize,
    punct: Vec<char>,
}

fn shape(s: &str) -> Shape {
    let t = s.trim();
    let len = alnum(t);
    let digits = t.chars().filter(|c| c.is_ascii_digit()).count() as f32 / len.max(1) as f32;
    // OCR reads a dot of small type as a comma ("nas-29olivander,priv" among hosts)
    let mut punct: Vec<char> = t
        .chars()
        .filter(|c| !c.is_alphanumeric() && !c.is_whitespace())
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    punct.sort_unstable();
    punct.dedup();
    Shape {
        len,
        digits,
        words: t.split_whitespace().count(),
        punct,
    }
}

/// Does `s` have the shape of the cells `mates`: same length within a quarter, same share of
/// digits within 0.3, as many words (one more or less for spaced values such as phone numbers),
/// and no punctuation the mates are not written with? A line of prose in a terminal's column
/// of prompts is not a prompt.
///
/// `loose` (addresses and host names, which OCR splits where it drops a dot): one word more or
/// less and a length within half.
fn shaped_like(s: &Shape, mates: &[Shape], loose: bool) -> bool {
    let median = |f: fn(&Shape) -> usize| {
        let mut v: Vec<usize> = mates.iter().map(f).collect();
        v.sort_unstable();
        v[v.len() / 2]
    };
    let len = median(|m| m.len);
    let words = median(|m| m.words);
    let digits = mates.iter().map(|m| m.digits).sum::<f32>() / mates.len() as f32;
    let word_slack = usize::from(words > 1 || loose);
    let len_slack = if loose { len / 2 } else { len / 4 };
    s.len >= 4
        && s.len.abs_diff(len) <= len_slack.max(3)
        && (s.digits - digits).abs() <= 0.3
        && s.words.abs_diff(words) <= word_slack
        && s.punct.iter().all(|c| mates.iter().any(|m| m.punct.contains(c)))
}

/// Cells of a column whose column-mates mostly are of one category, and that have their shape,
/// are of that category too.
pub fn column_mates(
    lines: &[TextLine],
    findings: &[Vec<Finding>],
    columns: &[Column],
    enabled: &[Category],
) -> Vec<(usize, Finding)> {
    let mut out = Vec::new();
    for col in columns {
        let cats: Vec<Option<Category>> = col
            .cells
            .iter()
            .map(|&i| cell_category(&lines[i], &findings[i]))
            .collect();
        for &cat in CELL_CATEGORIES.iter().filter(|c| enabled.contains(c)) {
            let mates: Vec<Shape> = col
                .cells
                .iter()
                .zip(&cats)
                .filter(|(_, c)| **c == Some(cat))
                .map(|(&i, _)| shape(&lines[i].text))
                .collect();
            if mates.len() < 2 {
                continue;
            }
            let candidates: Vec<usize> = col
                .cells
                .iter()
                .zip(&cats)
                .filter(|(&i, c)| {
                    let t = &lines[i].text;
                    // a loosely shaped cell must still be written as machines write names
                    c.is_none()
                        && shaped_like(&shape(t), &mates, loose(cat))
                        && (!loose(cat) || t.contains('@') || host_like(t))
                })
                .map(|(&i, _)| i)
                .collect();
            // most of the cells of this shape are known to be of this category; for names
            // machines write, which small type garbles in many cells at once (".nl" read as
            // ".n"), at least as many cells and five or more
            let most = mates.len() >= candidates.len() * 2;
            let many = loose(cat) && mates.len() >= 5 && mates.len() >= candidates.len();
            if !most && !many {
                continue;
            }
            for i in candidates {
                out.extend(whole_line(&lines[i], cat, "column-mates").map(|f| (i, f)));
            }
        }
    }
    out
}

/// Categories of machine-written tokens that OCR can split or garble without their being
/// anything else.
fn loose(cat: Category) -> bool {
    matches!(cat, Category::Email | Category::Hostname | Category::Url)
}

/// A table cell holds one value: when part of a short cell (three words at most) is an address,
/// host or URL, the whole cell is (OCR read "rsaleh@int proseware comau" for one address).
pub fn whole_cells(lines: &[TextLine], findings: &[Vec<Finding>], columns: &[Column]) -> Vec<(usize, Finding)> {
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for &i in columns.iter().flat_map(|c| &c.cells) {
        if !seen.insert(i) || lines[i].text.split_whitespace().count() > 3 {
            continue;
        }
        if let Some(f) = findings[i].iter().find(|f| loose(f.category)) {
            if !shell_prompt(&lines[i].text, f.start) && !after_its_neighbour(&lines[i].text, f) {
                out.extend(whole_line(&lines[i], f.category, "whole-cell").map(|w| (i, w)));
            }
        }
    }
    out
}

/// Two words, then the value to the end of the line ("Ticket 1011 priya.raman@acme.example"):
/// OCR joined the cell before it in a tight table, and the value was read whole (a garbled
/// value leaves a fragment after it, or one before it).
fn after_its_neighbour(text: &str, f: &Finding) -> bool {
    let before = text.chars().take(f.start).collect::<String>();
    let after = text.chars().skip(f.end).collect::<String>();
    before.split_whitespace().count() == 2 && after.trim().is_empty()
}

/// `user@host:~/dir$ command`: the address is a shell prompt's, and what follows it is the
/// command, not the rest of a garbled address (the prompt itself stays covered).
fn shell_prompt(text: &str, start: usize) -> bool {
    let token: String = text.chars().skip(start).take_while(|c| !c.is_whitespace()).collect();
    let Some((user_host, path)) = token.split_once(':') else {
        return false;
    };
    // the working directory (OCR may read the `$` after it as `S`), or the prompt's sign
    user_host.contains('@') && (path.starts_with(['~', '/']) || path.ends_with(['$', '#', '%', '>']))
}

/// A cell that can be a host name: one or two words of four or more letters and digits, written
/// as machines are named (a dot, a dash, a digit, or no word capitalised), not a capitalised
/// word. OCR may read a dot or an '@' as a capital inside ("soiakargiannisQliberoit").
pub fn host_like(s: &str) -> bool {
    // a comma between letters is a dot OCR misread ("nas-29olivander,priv")
    let dotted = s.trim().replace(',', ".");
    let t = if dotted.contains(". ") {
        s.trim()
    } else {
        dotted.as_str()
    };
    let words = t.split_whitespace().count();
    (1..=2).contains(&words)
        && alnum(t) >= 4
        && t.chars().all(|c| c.is_alphanumeric() || "-._: ".contains(c))
        && (t.contains(['.', '-'])
            || t.chars().any(|c| c.is_ascii_digit())
            || !t.split_whitespace().any(|w| w.starts_with(char::is_uppercase)))
}

/// Are cells `a` and `b` (on one row) cells of a table: in two columns that share at least two
/// other rows?
pub fn table_row(lines: &[TextLine], columns: &[Column], a: usize, b: usize) -> bool {
    let of = |i: usize| columns.iter().filter(move |c| c.cells.contains(&i));
    of(a).any(|ca| {
        of(b).any(|cb| {
            ca.cells
                .iter()
                .filter(|&&x| x != a)
                .filter(|&&x| {
                    cb.cells
                        .iter()
                        .any(|&y| y != b && same_row(lines[x].rect, lines[y].rect))
                })
                .count()
                >= 2
        })
    })
}

/// A cell that can be a machine-made value: one word of six or more characters with a digit,
/// or twelve or more. A space OCR put beside a dot, dash or underscore inside the word
/// ("correct.maple. battery55") does not split it, nor one where it lost an underscore of a
/// passphrase joined by them ("rocket walrus_river76": two words, an underscore left in one and
/// a digit; prose under the label, "rotated 2 days ago", has neither).
pub fn token_like(s: &str) -> bool {
    let t = s.trim();
    let n = alnum(t);
    let joined = rejoin_at_marks(t);
    let words: Vec<&str> = joined.split_whitespace().collect();
    let lost_underscore = words.len() == 2
        && words.iter().any(|w| w.trim_matches('_').contains('_'))
        && t.chars().any(|c| c.is_ascii_digit());
    (words.len() == 1 || lost_underscore) && (n >= 12 || (n >= 6 && t.chars().any(|c| c.is_ascii_digit())))
}

/// `s` without the spaces next to a '.', '-' or '_'.
fn rejoin_at_marks(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mark = |k: Option<&char>| matches!(k, Some('.' | '-' | '_'));
    chars
        .iter()
        .enumerate()
        .filter(|&(k, c)| !(c.is_whitespace() && (mark(chars.get(k + 1)) || (k > 0 && mark(chars.get(k - 1))))))
        .map(|(_, c)| *c)
        .collect()
}

/// The header of a column: its top cell if it reads as a label, or a line right above the
/// top cell that overlaps the column's extent (a centred header).
///
/// The header may also be the second or third cell: a button or a caption above the table can
/// share the column's left edge ("New contact" over "Name"). A header OCR misread by a letter
/// ("Emal") counts where the column's values are checked by their shape.
fn header(lines: &[TextLine], col: &Column, is_label: fn(&str) -> bool) -> Option<usize> {
    let reads = |i: usize| {
        let t = &lines[i].text;
        is_label(t) || super::labels::misread_header(t).is_some_and(is_label)
    };
    if let Some(&h) = col.cells.iter().take(3).find(|&&i| reads(i)) {
        return Some(h);
    }
    let top = col.cells[0];
    let t = lines[top].rect;
    let (x0, x1) = col
        .cells
        .iter()
        .map(|&i| lines[i].rect)
        .fold((u32::MAX, 0), |(a, b), r| (a.min(r.x), b.max(r.right())));
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            l.rect.bottom() <= t.y + t.h / 4
                && t.y - l.rect.bottom().min(t.y) <= 2 * t.h
                && l.rect.x < x1
                && l.rect.right() > x0
        })
        .max_by_key(|(_, l)| l.rect.y)
        .map(|(i, _)| i)
        .filter(|&i| reads(i))
}

/// Cells under a header that labels them (`is_label`) and pass `value_ok`: all of `category`.
pub fn labelled_columns(
    lines: &[TextLine],
    columns: &[Column],
    is_label: fn(&str) -> bool,
    category: Category,
    value_ok: fn(&str) -> bool,
) -> Vec<(usize, Finding)> {
    let mut out = Vec::new();
    for col in columns {
        let Some(h) = header(lines, col, is_label) else {
            continue;
        };
        // a form's column of labels ("From", "To", "Cc", "Date" over a mail's body): the
        // header's next cell is a label too, and the column holds no values
        let below = col.cells.iter().find(|&&i| lines[i].rect.y > lines[h].rect.y);
        if below.is_some_and(|&i| is_label(&lines[i].text)) {
            continue;
        }
        for &i in col
            .cells
            .iter()
            .filter(|&&i| i != h && lines[i].rect.y > lines[h].rect.y)
        {
            // a form's column of labels under its first label: the next label is no value
            if is_label(&lines[i].text) {
                continue;
            }
            // the value as one run of boxes, or its cell alone: a wide cell may end a word
            // space before the next column's value ("767663…aaa7" "2.64.71.157")
            let run = word_run(lines, i);
            let text: Vec<&str> = run.iter().map(|&j| lines[j].text.as_str()).collect();
            let value = if value_ok(&text.join(" ")) {
                Some(run)
            } else {
                (run.len() > 1 && value_ok(&lines[i].text)).then(|| vec![i])
            };
            if let Some(run) = value {
                for &j in &run {
                    out.extend(whole_line(&lines[j], category, "column-label").map(|f| (j, f)));
                }
            }
        }
    }
    out
}

/// Line `i` and the lines that continue it on its row a word space away: OCR splits a value
/// at its spaces ("+65" "6101" "6805"), while the next cell of a table sits further off.
fn word_run(lines: &[TextLine], i: usize) -> Vec<usize> {
    let mut run = vec![i];
    let h = lines[i].rect.h.max(8);
    loop {
        let last = lines[*run.last().expect("not empty")].rect;
        let next = lines
            .iter()
            .enumerate()
            .filter(|(j, l)| {
                !run.contains(j)
                    && same_row(l.rect, last)
                    && l.rect.x >= last.right().saturating_sub(2)
                    && l.rect.x <= last.right() + h * 4 / 5
            })
            .min_by_key(|(_, l)| l.rect.x);
        match next {
            Some((j, _)) => run.push(j),
            None => return run,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fake::{covered, line};
    use super::super::secret_label;
    use super::*;
    use crate::classify::{Classifier, ClassifierConfig};

    fn classify(lines: &[TextLine]) -> Vec<Vec<Finding>> {
        let c = Classifier::new(ClassifierConfig::default());
        lines.iter().map(|l| c.classify(&l.text)).collect()
    }

    /// An audit log: time, user, session id, address; rows 30 px apart.
    fn audit(ids: &[&'static str]) -> Vec<TextLine> {
        let mut lines = vec![
            line(20, 100, 60, 20, "Time"),
            line(200, 100, 60, 20, "User"),
            line(400, 100, 100, 20, "Session"),
            line(700, 100, 80, 20, "Address"),
        ];
        for (k, id) in ids.iter().enumerate() {
            let y = 130 + 30 * k as u32;
            lines.push(line(20, y, 60, 20, "10:0{k}"));
            lines.push(line(200, y, 120, 20, "ops"));
            lines.push(line(400, y, 200, 20, id));
            lines.push(line(700, y, 120, 20, "10.44.2.17"));
        }
        lines
    }

    #[test]
    fn columns_are_aligned_cells_of_several_rows() {
        let lines = audit(&["a", "b", "c"]);
        let cols = columns(&lines);
        assert!(cols.iter().any(|c| c.cells == vec![2, 6, 10, 14]), "{cols:?}");
        assert!(cols.iter().all(|c| c.cells.len() >= 3));
    }

    #[test]
    fn a_random_id_with_repeating_digits_is_still_a_secret_among_its_column_mates() {
        // the third id has low entropy (digits repeat) and fails the classifier on its own
        let ids = [
            "5135a80455c2e5258173",
            "9f8e7d6c5b4a39281706",
            "1111aaaa2222bbbb3333",
            "0a1b2c3d4e5f60718293",
        ];
        let lines = audit(&ids);
        let findings = classify(&lines);
        let lone = lines.iter().position(|l| l.text == ids[2]).unwrap();
        assert!(findings[lone].is_empty(), "the classifier alone misses it");
        let cols = columns(&lines);
        let mut got = covered(&lines, &column_mates(&lines, &findings, &cols, &Category::ALL));
        got.dedup();
        assert_eq!(got, vec![(ids[2].to_string(), Category::Secret)]);
    }

    #[test]
    fn a_header_labels_its_column() {
        let lines = audit(&["1111aaaa2222bbbb3333", "4444cccc5555dddd6666", "7777eeee8888ffff9999"]);
        let cols = columns(&lines);
        let mut got = covered(
            &lines,
            &labelled_columns(&lines, &cols, secret_label, Category::Secret, token_like),
        );
        got.sort();
        got.dedup();
        assert_eq!(got.len(), 3, "{got:?}");
        // the header itself and the other columns stay readable
        assert!(got.iter().all(|(s, _)| s.len() == 20));
    }

    #[test]
    fn a_forms_column_of_labels_is_not_a_column_of_values() {
        use super::super::name_label;
        let lines = vec![
            line(140, 158, 50, 18, "Reporter"),
            line(207, 158, 106, 18, "Yekaterina Novikova"),
            line(137, 175, 53, 20, "Assignee"),
            line(206, 175, 88, 20, "Henrik Brückner"),
            line(137, 194, 45, 21, "Owner"),
            line(206, 194, 60, 20, "Lei Sun"),
        ];
        let cols = columns(&lines);
        let got = covered(
            &lines,
            &labelled_columns(&lines, &cols, name_label, Category::Name, |t| !t.is_empty()),
        );
        assert!(got.iter().all(|(s, _)| s != "Assignee" && s != "Owner"), "{got:?}");
    }

    #[test]
    fn a_button_over_the_table_and_headers_misread_by_a_letter() {
        use super::super::labels::{email_label, email_like, name_label, phone_label, phone_like};
        // "New contact" shares the Name column's left edge above its header; OCR read
        // "Email" and "Phone" of small type as "Emal" and "Phane", and dropped the '@' of
        // an address
        let mut lines = vec![
            line(113, 129, 51, 19, "New contact"),
            line(116, 157, 30, 19, "Name"),
            line(585, 156, 28, 21, "Emal"),
            line(968, 158, 29, 18, "Phane"),
        ];
        let rows = [
            ("Lalstm Banerjee", "laistm.epe@ocmaric de", "4.9850135"),
            ("Vkeam Gupts", "vram gutagdndede", "001872546"),
            ("Derye Yimnz", "ylma.d@astorpal", "01 496 0386"),
            ("Sales Hub", "Not provided", "n/a"),
        ];
        for (k, (n, e, p)) in rows.iter().enumerate() {
            let y = 178 + 21 * k as u32;
            lines.push(line(117, y, 60, 18, n));
            lines.push(line(585, y, 94, 19, e));
            lines.push(line(968, y, 59, 20, p));
        }
        let cols = columns(&lines);
        let mut got = covered(
            &lines,
            &labelled_columns(&lines, &cols, email_label, Category::Email, email_like),
        );
        got.extend(covered(
            &lines,
            &labelled_columns(&lines, &cols, phone_label, Category::Phone, phone_like),
        ));
        got.extend(covered(
            &lines,
            &labelled_columns(&lines, &cols, name_label, Category::Name, |t| t.split(' ').count() == 2),
        ));
        // a cell can sit in a left- and a right-aligned column
        let mut texts: Vec<&str> = got.iter().map(|(s, _)| s.as_str()).collect();
        texts.sort_unstable();
        texts.dedup();
        let mut want = vec![
            "laistm.epe@ocmaric de",
            "vram gutagdndede",
            "ylma.d@astorpal",
            "4.9850135",
            "001872546",
            "01 496 0386",
            "Lalstm Banerjee",
            "Vkeam Gupts",
            "Derye Yimnz",
            "Sales Hub",
        ];
        want.sort_unstable();
        assert_eq!(texts, want);
        assert_eq!(super::super::labels::misread_header("Emal"), Some("email"));
        assert_eq!(super::super::labels::misread_header("Phane"), Some("phone"));
        // two letters off, a name label's word, too short, or digits: no header
        for not in ["Phase", "Owned", "Nome", "Tel", "Mail2"] {
            assert_eq!(super::super::labels::misread_header(not), None, "{not}");
        }
    }

    #[test]
    fn a_phone_column_holds_numbers_no_numbering_plan_knows() {
        use super::super::labels::{phone_label, phone_like};
        let mut lines = vec![line(20, 100, 60, 20, "Name"), line(400, 100, 70, 20, "Phone")];
        for (k, n) in ["+65 6101 6805", "089 0793857", "(591) 555-0163", "n/a"]
            .iter()
            .enumerate()
        {
            let y = 130 + 30 * k as u32;
            lines.push(line(20, y, 150, 20, "Jun Ma"));
            lines.push(line(400, y, 160, 20, n));
        }
        // a number OCR read in pieces at its spaces, the next cell further off
        lines.push(line(400, 250, 40, 20, "(11)"));
        lines.push(line(448, 250, 110, 20, "96927-4851"));
        lines.push(line(640, 250, 60, 20, "Busan"));
        let cols = columns(&lines);
        let mut got = covered(
            &lines,
            &labelled_columns(&lines, &cols, phone_label, Category::Phone, phone_like),
        );
        got.sort();
        got.dedup();
        let texts: Vec<&str> = got.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            texts,
            vec!["(11)", "(591) 555-0163", "+65 6101 6805", "089 0793857", "96927-4851"]
        );
        for not in ["2025-12-18", "18.12.2025", "12/18/2025", "12 items", "v1.2.3"] {
            assert!(!phone_like(not), "{not}");
        }
    }

    /// A server inventory as OCR reads it under spell-check underlines: dots dropped or read
    /// as spaces.
    fn inventory() -> Vec<TextLine> {
        let mut lines = vec![
            line(20, 100, 100, 20, "Hostname"),
            line(400, 100, 80, 20, "Owner"),
            line(700, 100, 60, 20, "OS"),
        ];
        let rows = [
            (
                "crm8.massive.corp.example",
                "arash.mohammadi@interval.example",
                "Debian 12",
            ),
            ("stagingacmeio", "rsaleh@int proseware comau", "RHEL 9"),
            ("k8s-api.oceanic.intra", "santiago.salazar51@oscorp.ch", "Ubuntu 22.04"),
            ("notebooks us-east.cop", "weihuang@prosewaretest", "RHEL 9"),
            ("builds4.intra.wingtip.fr", "fang.xu75@wonka.com", "Debian 12"),
        ];
        for (k, (h, o, os)) in rows.iter().enumerate() {
            let y = 130 + 30 * k as u32;
            lines.push(line(20, y, 200, 20, h));
            lines.push(line(400, y, 250, 20, o));
            lines.push(line(700, y, 100, 20, os));
        }
        lines
    }

    #[test]
    fn garbled_hosts_and_addresses_in_their_columns() {
        let lines = inventory();
        let findings = classify(&lines);
        let got = covered(
            &lines,
            &crate::layout::context_findings(&lines, &findings, &Category::ALL, None),
        );
        for want in ["stagingacmeio", "notebooks us-east.cop", "rsaleh@int proseware comau"] {
            assert!(got.iter().any(|(s, _)| s == want), "{want} not covered: {got:?}");
        }
        // the header, and the other columns, stay readable
        for keep in ["Hostname", "Owner", "OS", "Debian 12", "RHEL 9", "Ubuntu 22.04"] {
            assert!(!got.iter().any(|(s, _)| s == keep), "{keep} covered");
        }
        assert!(host_like("db-prod-04") && host_like("localhost") && !host_like("Pending") && !host_like("n/a"));
    }

    #[test]
    fn a_cell_ocr_joined_to_the_address_after_it_stays_readable() {
        // a tight 720p table: OCR reads "Ticket 1011" and the address cell as one line
        let lines: Vec<TextLine> = (0..6)
            .map(|k| {
                let text = format!("Ticket {} user{k}.name@acme.example", 1011 + k);
                line(28, 85 + 36 * k as u32, 425, 26, &text)
            })
            .collect();
        let findings = classify(&lines);
        let got = covered(
            &lines,
            &crate::layout::context_findings(&lines, &findings, &Category::ALL, None),
        );
        assert!(got.iter().all(|(s, _)| !s.contains("Ticket")), "{got:?}");
        assert!(!whole_cells(&lines, &findings, &columns(&lines))
            .iter()
            .any(|(_, f)| f.rule == "whole-cell"));
    }

    #[test]
    fn a_host_column_whose_small_type_lost_many_endings() {
        // ".nl" read as ".n" or "nI" in nearly half the cells, a dot as a comma, the header a
        // plain "Host"
        let hosts = [
            "db-prod.tyrell.nl",
            "staging-27.tyell.n",
            "bastion.tyrell.nI",
            "argocd8.lan",
            "billing.tyell.n",
            "gitlab.tyrell.nl",
            "vault.tyrel.n",
            "erp-12.wingtip.intra",
            "deploy.tyrell.n",
            "print.tyelln",
            "nas-29olivander,priv",
            "wiki.tyrell.nl",
        ];
        let mut lines = vec![line(20, 100, 50, 20, "Host"), line(400, 100, 60, 20, "Status")];
        for (k, h) in hosts.iter().enumerate() {
            let y = 130 + 30 * k as u32;
            lines.push(line(20, y, 150, 20, h));
            lines.push(line(400, y, 80, 20, if k % 2 == 0 { "healthy" } else { "draining" }));
        }
        let findings = classify(&lines);
        let cols = columns(&lines);
        for found in [
            column_mates(&lines, &findings, &cols, &[Category::Hostname]),
            labelled_columns(
                &lines,
                &cols,
                super::super::labels::host_label,
                Category::Hostname,
                host_like,
            ),
        ] {
            let got: Vec<String> = covered(&lines, &found).into_iter().map(|(s, _)| s).collect();
            for want in [
                "staging-27.tyell.n",
                "billing.tyell.n",
                "vault.tyrel.n",
                "print.tyelln",
                "nas-29olivander,priv",
            ] {
                assert!(got.iter().any(|s| s == want), "{want} not covered: {got:?}");
            }
            assert!(!got.iter().any(|s| s == "Host" || s == "healthy"), "{got:?}");
        }
    }

    #[test]
    fn a_payroll_sheets_accounts_and_addresses_read_through_small_type() {
        // IBANs whose misread letters fail any checksum, an '@' read as a capital
        let rows = [
            ("Sofia Karagiannis", "NL45 CRMP 2154 8250 60", "sofia.k@libero.it"),
            (
                "Dimitris Nikolaidou",
                "CH53 7608 8MAP BXQ7 MDIQ X",
                "soiakargiannisQliberoit",
            ),
            ("Svetlana Zaitsev", "AT34 4859 2076 5089 5301", "s.zaitsev@example.org"),
            ("Joao Rebelo", "FR38 6858 8117 56WD QCAV BKM4 936", "jrebelo@initech.io"),
        ];
        let mut lines = vec![
            line(20, 100, 90, 20, "Employee"),
            line(300, 100, 50, 20, "IBAN"),
            line(600, 100, 60, 20, "Email"),
            line(900, 100, 70, 20, "Salary"),
        ];
        for (k, (name, iban, mail)) in rows.iter().enumerate() {
            let y = 130 + 30 * k as u32;
            lines.push(line(20, y, 150, 20, name));
            lines.push(line(300, y, 220, 20, iban));
            lines.push(line(600, y, 200, 20, mail));
            lines.push(line(900, y, 70, 20, "105,000"));
        }
        let findings = classify(&lines);
        let got = covered(
            &lines,
            &crate::layout::context_findings(&lines, &findings, &Category::ALL, None),
        );
        for want in [
            "CH53 7608 8MAP BXQ7 MDIQ X",
            "FR38 6858 8117 56WD QCAV BKM4 936",
            "soiakargiannisQliberoit",
        ] {
            assert!(got.iter().any(|(s, _)| s == want), "{want} not covered: {got:?}");
        }
        for keep in ["IBAN", "Email", "Salary", "105,000"] {
            assert!(!got.iter().any(|(s, _)| s == keep), "{keep} covered");
        }
        assert!(!super::super::labels::account_like("Pending") && !super::super::labels::account_like("Visa 4242"));
        assert!(token_like("correct.maple. battery55") && !token_like("rotated 2 days ago"));
        assert!(token_like("rocket walrus_river76") && !token_like("see db_creds"));
    }

    #[test]
    fn a_wide_cell_a_word_space_before_the_next_column_is_still_its_columns_value() {
        // a 40-digit session id of few distinct digits, ending a word space before the address
        let mut lines = audit(&["5135a80455c2e5258173", "9f8e7d6c5b4a39281706", "0a1b2c3d4e5f60718293"]);
        lines.push(line(400, 220, 292, 20, "767663a376a6aa36373a376aaa77776a336aaaa7"));
        lines.push(line(700, 220, 120, 20, "10.44.2.18"));
        let got = covered(
            &lines,
            &labelled_columns(
                &lines,
                &columns(&lines),
                super::super::labels::secret_label,
                Category::Secret,
                token_like,
            ),
        );
        assert!(got.iter().any(|(s, _)| s.starts_with("767663")), "{got:?}");
        assert!(!got.iter().any(|(s, _)| s.starts_with("10.44")), "{got:?}");
    }

    #[test]
    fn words_in_a_column_of_secrets_stay_readable() {
        let mut lines = audit(&["5135a80455c2e5258173", "9f8e7d6c5b4a39281706", "0a1b2c3d4e5f60718293"]);
        lines.push(line(400, 220, 200, 20, "expired"));
        let findings = classify(&lines);
        let cols = columns(&lines);
        let got = column_mates(&lines, &findings, &cols, &Category::ALL);
        assert!(got.is_empty(), "{:?}", covered(&lines, &got));
    }

    #[test]
    fn prose_in_a_terminal_column_of_prompts_is_no_prompt() {
        // every line of a terminal starts at its left edge; the prompts hold an address
        let lines = vec![
            line(0, 16, 240, 22, "imogen@ops8.local:~$ psql"),
            line(0, 52, 191, 22, "Type \"help\" for help."),
            line(0, 90, 79, 20, "app=>\\q"),
            line(0, 108, 240, 19, "imogen@ops8.local:~$ exit"),
            line(0, 145, 139, 16, "Login Succeeded"),
            line(0, 162, 240, 19, "imogen@ops8.local:~$ ls"),
        ];
        let findings = classify(&lines);
        let cols = columns(&lines);
        let got = column_mates(&lines, &findings, &cols, &Category::ALL);
        assert!(got.is_empty(), "{:?}", covered(&lines, &got));
    }
}

#[cfg(test)]
mod prompt_tests {
    use super::shell_prompt;

    #[test]
    fn a_prompts_command_is_not_part_of_its_address() {
        assert!(shell_prompt("ops@jump-01:~$ echo done", 0));
        assert!(shell_prompt("ops@jump-01:~S echo done", 0));
        assert!(shell_prompt("root@db:/var/log# tail -f x", 0));
        // a garbled address in a cell is still one value
        assert!(!shell_prompt("rsaleh@int proseware comau", 0));
        assert!(!shell_prompt("mail: ana@corp.example", 6));
    }
}
