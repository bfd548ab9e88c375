//! One OCR line as the recognisers see it: its characters, and the views of it that undo the
//! recogniser's typical errors (look-alike digits, stray spaces around joiners), built once per
//! line and only when a recogniser asks.

use std::cell::OnceCell;

use super::{Category, Finding};

/// Byte offset -> character index for one string.
pub struct CharIndex(Vec<usize>);

impl CharIndex {
    pub fn new(s: &str) -> Self {
        let mut v = vec![0; s.len() + 1];
        let mut n = 0;
        for (b, c) in s.char_indices() {
            for k in 0..c.len_utf8() {
                v[b + k] = n;
            }
            n += 1;
        }
        v[s.len()] = n;
        CharIndex(v)
    }

    pub fn at(&self, byte: usize) -> usize {
        self.0[byte.min(self.0.len() - 1)]
    }
}

/// The line with OCR look-alikes read as digits, one char for one char.
pub fn digit_view(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'O' | 'o' | 'Q' | 'D' => '0',
            'l' | 'I' | '|' | 'i' | '!' => '1',
            'Z' | 'z' => '2',
            'S' | 's' => '5',
            'B' => '8',
            'G' | 'b' => '6',
            _ => c,
        })
        .collect()
}

/// The line with a zero the recogniser read as Greek theta put back: monospace fonts draw a
/// dotted or slashed zero, which PP-OCR's Latin model often reads as 'θ' ("(1θ.117.247.240)",
/// "eyJhbGci0iJIUzI1NiIsInR5cCI6IkpXVCJ9...iaθ"). Only outside Greek words, one char for one
/// char, so every finding's span stays valid for the line as read.
pub fn unslashed_zeros(s: &str) -> std::borrow::Cow<'_, str> {
    let theta = |c: char| matches!(c, 'θ' | 'Θ');
    if !s.chars().any(theta) {
        return std::borrow::Cow::Borrowed(s);
    }
    let greek = |c: Option<&char>| c.is_some_and(|&c| ('\u{370}'..='\u{3ff}').contains(&c) && !theta(c));
    let chars: Vec<char> = s.chars().collect();
    let out = (0..chars.len())
        .map(|i| {
            let c = chars[i];
            let near_greek = greek(i.checked_sub(1).and_then(|j| chars.get(j))) || greek(chars.get(i + 1));
            if theta(c) && !near_greek {
                '0'
            } else {
                c
            }
        })
        .collect();
    std::borrow::Cow::Owned(out)
}

/// Characters a token (key, URL, address) is made of: anything but spaces, quotes and brackets.
pub fn is_token_char(c: char) -> bool {
    !(c.is_whitespace() || "\"'`()<>[]{},;|".contains(c))
}

/// `s` without whitespace next to '-', '.' or '@', and without a bracket hugging an '@' inside
/// a word (small serif text: "iker.garcia(@gringotts.co.jp"), and for each kept character its
/// index in `s`.
pub fn despace(s: &str) -> (String, Vec<usize>) {
    let chars: Vec<char> = s.chars().collect();
    let joiner = |c: Option<&char>| matches!(c, Some('-' | '.' | '@'));
    let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
    let mut out = String::new();
    let mut map = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() && (joiner(chars.get(i + 1)) || (i > 0 && joiner(chars.get(i - 1)))) {
            continue;
        }
        let before = i.checked_sub(1).and_then(|k| chars.get(k));
        let stray_open = "([{".contains(c) && chars.get(i + 1) == Some(&'@') && word(before);
        let stray_close = ")]}".contains(c) && before == Some(&'@') && word(chars.get(i + 1));
        if stray_open || stray_close {
            continue;
        }
        out.push(c);
        map.push(i);
    }
    (out, map)
}

/// A view of the line with its own text: either the line itself or the line with stray spaces
/// removed, and the way back to the line's character indices.
pub struct TextView<'l> {
    pub text: &'l str,
    to_line: Option<&'l [usize]>,
}

impl TextView<'_> {
    /// Is this the line itself (not a despaced copy)?
    pub fn is_line(&self) -> bool {
        self.to_line.is_none()
    }

    /// Character span `[s, e)` of the view as a span of the line.
    pub fn to_line(&self, s: usize, e: usize) -> (usize, usize) {
        match self.to_line {
            None => (s, e),
            Some(map) => (map[s], map[e - 1] + 1),
        }
    }
}

/// The line, or its look-alike-digit view, for the numeric recognisers. Views have the same
/// number of characters as the line, so a character index of a view is one of the line.
pub struct NumericView<'l> {
    pub text: &'l str,
    ix: &'l CharIndex,
    line: &'l Line<'l>,
    lookalike: bool,
}

impl NumericView<'_> {
    pub fn span(&self, m: &regex::Match) -> (usize, usize) {
        (self.ix.at(m.start()), self.ix.at(m.end()))
    }

    /// A look-alike match must be mostly real digits, or words would turn into numbers.
    pub fn plausible(&self, m: &regex::Match) -> bool {
        let (s, e) = self.span(m);
        self.plausible_span(s, e)
    }

    /// [`Self::plausible`] for a character span of the line.
    pub fn plausible_span(&self, s: usize, e: usize) -> bool {
        if !self.lookalike {
            return true;
        }
        let orig = &self.line.chars[s..e];
        let digits = orig.iter().filter(|c| c.is_ascii_digit()).count();
        let total = orig.iter().filter(|c| c.is_alphanumeric()).count().max(1);
        digits * 10 >= total * 7
    }

    /// Not glued to a word on either side.
    pub fn bounded(&self, m: &regex::Match) -> bool {
        let (s, e) = self.span(m);
        !self.line.before(s).is_alphanumeric() && !self.line.at(e).is_alphanumeric()
    }
}

/// One OCR line and its lazily built views.
pub struct Line<'a> {
    pub text: &'a str,
    pub chars: Vec<char>,
    /// ASCII digits in the line: a numeric recogniser whose shortest plausible match needs more
    /// real digits than this has nothing to find (look-alike matches must be mostly digits).
    pub digits: usize,
    ix: CharIndex,
    despaced: OnceCell<(String, Vec<usize>)>,
    lookalikes: OnceCell<(String, CharIndex)>,
}

impl<'a> Line<'a> {
    pub fn new(text: &'a str) -> Self {
        Line {
            text,
            chars: text.chars().collect(),
            digits: text.bytes().filter(u8::is_ascii_digit).count(),
            ix: CharIndex::new(text),
            despaced: OnceCell::new(),
            lookalikes: OnceCell::new(),
        }
    }

    pub fn char_index(&self) -> &CharIndex {
        &self.ix
    }

    /// Character index of a byte offset of `text`.
    pub fn char_at_byte(&self, byte: usize) -> usize {
        self.ix.at(byte)
    }

    /// Character span of a match on `text`.
    pub fn span(&self, m: &regex::Match) -> (usize, usize) {
        (self.ix.at(m.start()), self.ix.at(m.end()))
    }

    /// The character before index `i`, a space at the start of the line.
    pub fn before(&self, i: usize) -> char {
        if i > 0 {
            self.chars.get(i - 1).copied().unwrap_or(' ')
        } else {
            ' '
        }
    }

    /// The character at index `i`, a space past the end of the line.
    pub fn at(&self, i: usize) -> char {
        self.chars.get(i).copied().unwrap_or(' ')
    }

    /// The line, and the line without OCR's stray spaces around '-', '.' and '@'
    /// ("db -prod -06.corp.example") when that differs.
    pub fn text_views(&self) -> Vec<TextView<'_>> {
        let (t, map) = self.despaced.get_or_init(|| despace(self.text));
        let mut v = vec![TextView {
            text: self.text,
            to_line: None,
        }];
        // most lines have no stray spaces: then the second view would repeat the first
        if t != self.text {
            v.push(TextView {
                text: t,
                to_line: Some(map),
            });
        }
        v
    }

    /// The line and its look-alike-digit view (O->0, l->1, S->5 ...); none when the line has
    /// fewer than `min_digits` ASCII digits (the fewest a recogniser's plausible match has).
    pub fn numeric_views(&self, min_digits: usize) -> Vec<NumericView<'_>> {
        if self.digits < min_digits {
            return Vec::new();
        }
        let (dv, dix) = self.lookalikes.get_or_init(|| {
            let dv = digit_view(self.text);
            let ix = CharIndex::new(&dv);
            (dv, ix)
        });
        vec![
            NumericView {
                text: self.text,
                ix: &self.ix,
                line: self,
                lookalike: false,
            },
            NumericView {
                text: dv,
                ix: dix,
                line: self,
                lookalike: true,
            },
        ]
    }
}

/// The findings of one line so far; later recognisers may read earlier ones.
#[derive(Default)]
pub struct Findings(pub Vec<Finding>);

impl Findings {
    /// Adds a finding; empty spans are dropped.
    pub fn push(&mut self, start: usize, end: usize, category: Category, rule: &str) {
        if end > start {
            self.0.push(Finding {
                start,
                end,
                category,
                rule: rule.to_string(),
            });
        }
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Finding> {
        self.0.iter()
    }
}
