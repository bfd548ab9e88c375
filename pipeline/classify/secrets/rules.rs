//! Secret formats as data, in gitleaks' shape: each rule is an id, a regex, keywords (a cheap
//! case-insensitive pre-filter: a rule's regex runs only on lines holding one of them), an
//! optional entropy minimum for the secret, an optional secret group, and allowlists. scrim's
//! built-in provider formats (`providers.toml`) and a policy's gitleaks rules file are both
//! [`SecretRules`]; `rulefile.rs` reads them.

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use regex::bytes::Regex;

use super::super::{entropy, Category, Findings, Line};

/// What an allowlist's regexes are tested against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// The secret (the secret group, or the whole match).
    Secret,
    /// The whole match of the rule's regex.
    Match,
    /// The whole OCR line.
    Line,
}

/// Matches a rule's finding that is not a secret after all (a placeholder, a test value).
#[derive(Debug, Clone)]
pub struct Allowlist {
    pub target: Target,
    pub regexes: Vec<Regex>,
    /// Lower case; a secret containing one is allowed.
    pub stopwords: Vec<String>,
    /// "AND": every kind of check present must match (gitleaks' `condition`).
    pub all: bool,
    /// An "AND" allowlist that also names paths or commits, which a screen never has: it can
    /// never match.
    pub never: bool,
}

impl Allowlist {
    fn allows(&self, secret: &[u8], whole: &[u8], line: &[u8]) -> bool {
        if self.never {
            return false;
        }
        let target = match self.target {
            Target::Secret => secret,
            Target::Match => whole,
            Target::Line => line,
        };
        let by_regex = self.regexes.iter().any(|r| r.is_match(target));
        let lower = String::from_utf8_lossy(secret).to_lowercase();
        let by_word = self.stopwords.iter().any(|w| lower.contains(w.as_str()));
        if self.all {
            (self.regexes.is_empty() || by_regex) && (self.stopwords.is_empty() || by_word)
        } else {
            by_regex || by_word
        }
    }
}

#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub regex: Regex,
    /// Lower case, as written.
    pub keywords: Vec<String>,
    /// The secret's Shannon entropy must exceed this (bits per character).
    pub entropy: Option<f32>,
    /// The capture group holding the secret; `None`: the first non-empty group, else the match.
    pub secret_group: Option<usize>,
    pub allowlists: Vec<Allowlist>,
}

impl Rule {
    pub(crate) fn find(&self, line: &Line<'_>, global: &[Allowlist], found: &mut Findings) {
        let bytes = line.text.as_bytes();
        for caps in self.regex.captures_iter(bytes) {
            let whole = caps.get(0).expect("group 0");
            let secret = match self.secret_group {
                Some(g) => match caps.get(g) {
                    Some(m) => m,
                    None => continue,
                },
                None => (1..caps.len())
                    .filter_map(|g| caps.get(g))
                    .find(|m| !m.is_empty())
                    .unwrap_or(whole),
            };
            if secret.is_empty() {
                continue;
            }
            if let Some(min) = self.entropy {
                if entropy(&String::from_utf8_lossy(secret.as_bytes())) <= min {
                    continue;
                }
            }
            let allowed = |a: &Allowlist| a.allows(secret.as_bytes(), whole.as_bytes(), bytes);
            if global.iter().any(allowed) || self.allowlists.iter().any(allowed) {
                continue;
            }
            found.push(
                line.char_at_byte(secret.start()),
                line.char_at_byte(secret.end()),
                Category::Secret,
                &self.id,
            );
        }
    }
}

/// The pre-filter's view of text: ASCII lower case with the OCR's look-alikes folded together
/// (o/0, i/l/|/1) and '-' and ' ' read as '_', one byte for one byte. Keywords fold the same
/// way, so a keyword found in the text is found in its folded view too.
pub fn fold(s: &str) -> Vec<u8> {
    s.bytes()
        .map(|b| match b.to_ascii_lowercase() {
            b'o' => b'0',
            b'i' | b'l' | b'|' => b'1',
            b'-' | b' ' => b'_',
            c => c,
        })
        .collect()
}

/// A set of secret rules with their keyword pre-filter and global allowlists.
pub struct SecretRules {
    rules: Vec<Rule>,
    global: Vec<Allowlist>,
    /// Folded keywords; pattern `k` triggers the rules `triggers[k]`.
    prefilter: Option<AhoCorasick>,
    triggers: Vec<Vec<usize>>,
    /// Rules without keywords run on every line.
    always: Vec<usize>,
}

impl std::fmt::Debug for SecretRules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretRules")
            .field("rules", &self.rules.iter().map(|r| r.id.as_str()).collect::<Vec<_>>())
            .field("global_allowlists", &self.global.len())
            .finish()
    }
}

impl SecretRules {
    pub fn new(rules: Vec<Rule>, global: Vec<Allowlist>) -> Self {
        let mut keywords: Vec<Vec<u8>> = Vec::new();
        let mut triggers: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            if r.keywords.is_empty() {
                always.push(i);
            }
            for k in &r.keywords {
                let k = fold(k);
                match keywords.iter().position(|x| *x == k) {
                    Some(p) => triggers[p].push(i),
                    None => {
                        keywords.push(k);
                        triggers.push(vec![i]);
                    }
                }
            }
        }
        let prefilter = if keywords.is_empty() {
            None
        } else {
            // a DFA: a few hundred kilobytes for a few hundred keywords, and the fastest search
            Some(
                AhoCorasick::builder()
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&keywords)
                    .expect("keyword automaton"),
            )
        };
        SecretRules {
            rules,
            global,
            prefilter,
            triggers,
            always,
        }
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Runs the rules whose keywords the line holds (and those without keywords).
    pub fn find(&self, line: &Line<'_>, found: &mut Findings) {
        let mut run = vec![false; self.rules.len()];
        for &i in &self.always {
            run[i] = true;
        }
        if let Some(ac) = &self.prefilter {
            let folded = fold(line.text);
            for m in ac.find_overlapping_iter(&folded) {
                for &i in &self.triggers[m.pattern().as_usize()] {
                    run[i] = true;
                }
            }
        }
        for (rule, _) in self.rules.iter().zip(&run).filter(|(_, &on)| on) {
            rule.find(line, &self.global, found);
        }
    }
}
