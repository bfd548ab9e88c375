//! Sensitive-text classification of one OCR line: which character spans are secret, and why.
//!
//! Table-driven: each [`Rule`] is a pattern plus a validator. Numeric rules (cards, phones, SSNs,
//! IPs) also run on an "OCR-confused" view of the line where look-alike letters are read as
//! digits (O->0, l->1, S->5 ...), because the recogniser's typical error is exactly that.

mod checks;
pub mod hosts;

pub use checks::{entropy, iban_valid, is_password_like, is_random_token, looks_like_person_name, luhn_valid};

use std::net::Ipv6Addr;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// What kind of sensitive thing a region holds. Reports name the category, never the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    AddressBar,
    Url,
    Hostname,
    Email,
    Ip,
    Secret,
    Phone,
    Ssn,
    Card,
    Iban,
    Name,
    Custom,
    /// A face in a camera frame (not a text category: the classifier never yields it).
    Face,
    /// A whiteboard, paper or screen in a camera frame (not a text category).
    Whiteboard,
}

impl Category {
    /// The text categories (what the classifier can find and a policy can switch off).
    pub const ALL: [Category; 12] = [
        Category::AddressBar,
        Category::Url,
        Category::Hostname,
        Category::Email,
        Category::Ip,
        Category::Secret,
        Category::Phone,
        Category::Ssn,
        Category::Card,
        Category::Iban,
        Category::Name,
        Category::Custom,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::AddressBar => "address-bar",
            Category::Url => "url",
            Category::Hostname => "hostname",
            Category::Email => "email",
            Category::Ip => "ip",
            Category::Secret => "secret",
            Category::Phone => "phone",
            Category::Ssn => "ssn",
            Category::Card => "card",
            Category::Iban => "iban",
            Category::Name => "name",
            Category::Custom => "custom",
            Category::Face => "face",
            Category::Whiteboard => "whiteboard",
        }
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A sensitive span of a line, in character (not byte) indices.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub start: usize,
    pub end: usize,
    pub category: Category,
    /// Which rule fired (a custom rule's name for `Custom`).
    pub rule: String,
}

/// A user rule from the policy file.
#[derive(Debug, Clone)]
pub struct CustomRule {
    pub name: String,
    pub pattern: Regex,
}

/// What the classifier looks for; built from the policy.
#[derive(Debug, Clone)]
pub struct ClassifierConfig {
    pub enabled: Vec<Category>,
    pub internal_domains: Vec<String>,
    pub public_domains: Vec<String>,
    /// Redact public (routable) IP addresses too; private ranges are always redacted.
    pub public_ips: bool,
    pub custom: Vec<CustomRule>,
}

impl Default for ClassifierConfig {
    fn default() -> Self {
        ClassifierConfig {
            enabled: Category::ALL.to_vec(),
            internal_domains: Vec::new(),
            public_domains: hosts::DEFAULT_PUBLIC_DOMAINS.iter().map(|s| s.to_string()).collect(),
            public_ips: true,
            custom: Vec::new(),
        }
    }
}

#[derive(Clone)]
pub struct Classifier {
    cfg: ClassifierConfig,
}

macro_rules! re {
    ($name:ident, $pat:expr) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| Regex::new($pat).expect("built-in pattern"));
    };
}

// Host label: letters, digits, inner hyphens.
const LABEL: &str = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
re!(HOST, &format!(r"{LABEL}(?:\.{LABEL})+\.?"));
re!(SCHEME_URL, r"(?i)\b[a-z][a-z0-9+.-]{1,15}://[^\s<>\x22'`]+");
re!(USERINFO, r"://[^/\s:@]+:[^/\s@]+@");
re!(EMAIL, r"[A-Za-z0-9._%+-]+ ?@ ?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+");
re!(IPV4, r"\d{1,3}(?:\. ?|,)\d{1,3}(?:\. ?|,)\d{1,3}(?:\. ?|,)\d{1,3}");
re!(IPV6, r"(?i)[0-9a-f:]*:[0-9a-f:]*:[0-9a-f:.]*");
re!(
    PHONE,
    r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}|\+\d{1,3}(?:[\s.-]?\d{2,4}){3,5}"
);
re!(SSN, r"\d{3}[-\s]\d{2}[-\s]\d{4}");
re!(CARD, r"\d(?:[\s-]?\d){12,18}");
re!(IBAN, r"[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30}");
re!(JWT, r"eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*");
re!(PEM, r"-----BEGIN [A-Z ]*(?:PRIVATE KEY|CERTIFICATE)[A-Z ]*-----");
re!(
    PROVIDER,
    r"(?:A[KS]IA[0-9A-Z]{12,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abposre]-[A-Za-z0-9-]{8,}|[sr]k_(?:live|test)_[A-Za-z0-9]{8,}|pk_(?:live_|test_)?[A-Za-z0-9]{16,}|AIza[0-9A-Za-z_-]{30,}|glpat-[A-Za-z0-9_-]{16,}|npm_[A-Za-z0-9]{30,}|sk-[A-Za-z0-9_-]{20,}|SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,})"
);
re!(
    KEY_VALUE,
    r#"(?i)([A-Za-z0-9_.-]*(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|auth|session|sid|signature|sig)[A-Za-z0-9_.-]*)["']?(\s*[:=]\s*|\s+(?:is|was)\s+)(["']?)([^\s"',;]+)"#
);
re!(
    PASSWORD_FLAG,
    r"(?:^|\s)(?:-p|--password[= ]|--pass[= ]|--token[= ]|-P )([^\s'\x22]{4,})"
);
// `=` only as base64 padding: "NAME=value" is a label and a value, not one token.
re!(TOKEN, r"[A-Za-z0-9+/_-]{16,}={0,2}");
re!(PASSWORD_TOKEN, r"[A-Za-z0-9!?#%&$*^~+_.-]{8,64}");
re!(
    NAME_LABEL,
    r"(?i)\b(?:full\s*name|name|employee|cardholder|card\s*holder|customer|patient|account\s*holder|holder|contact)\s*[:=]\s*"
);

const FALSE_VALUES: &[&str] = &[
    "true", "false", "null", "none", "yes", "no", "required", "optional", "n/a",
];

/// Byte offset -> character index for one string.
struct CharIndex(Vec<usize>);

impl CharIndex {
    fn new(s: &str) -> Self {
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
    fn at(&self, byte: usize) -> usize {
        self.0[byte.min(self.0.len() - 1)]
    }
}

/// The line with OCR look-alikes read as digits, one char for one char.
fn digit_view(s: &str) -> String {
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

fn is_token_char(c: char) -> bool {
    !(c.is_whitespace() || "\"'`()<>[]{},;|".contains(c))
}

/// `s` without whitespace next to '-', '.' or '@', and for each kept character its index in `s`.
fn despace(s: &str) -> (String, Vec<usize>) {
    let chars: Vec<char> = s.chars().collect();
    let joiner = |c: Option<&char>| matches!(c, Some('-' | '.' | '@'));
    let mut out = String::new();
    let mut map = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() && (joiner(chars.get(i + 1)) || (i > 0 && joiner(chars.get(i - 1)))) {
            continue;
        }
        out.push(c);
        map.push(i);
    }
    (out, map)
}

impl Classifier {
    /// Internal host names (and URLs starting with one) and e-mail addresses in `text`, as
    /// character spans of `text`.
    fn hosts_and_emails(&self, text: &str) -> Vec<(usize, usize, Category, &'static str)> {
        let chars: Vec<char> = text.chars().collect();
        let ix = CharIndex::new(text);
        let mut out = Vec::new();
        for m in HOST.find_iter(text) {
            let (s, e) = (ix.at(m.start()), ix.at(m.end()));
            let before = if s > 0 { chars[s - 1] } else { ' ' };
            let after = chars.get(e).copied().unwrap_or(' ');
            // part of a longer word or an e-mail's local part: not a host on its own
            if before.is_alphanumeric() || "_-@".contains(before) || after.is_alphanumeric() || "_-@".contains(after) {
                continue;
            }
            let host = m.as_str().trim_end_matches('.');
            let in_url = after == '/' || after == ':' || text[..m.start()].ends_with("://");
            if !hosts::looks_like_host(host, in_url) || !self.internal(host) {
                continue;
            }
            if after == '/' {
                // "host/path?query": the whole URL, up to the next space
                let mut end = e;
                while end < chars.len() && is_token_char(chars[end]) {
                    end += 1;
                }
                out.push((s, end, Category::Url, "url-internal-host"));
            }
            out.push((s, s + host.chars().count(), Category::Hostname, "internal-host"));
        }
        for m in EMAIL.find_iter(text) {
            out.push((ix.at(m.start()), ix.at(m.end()), Category::Email, "email"));
        }
        out
    }

    pub fn new(cfg: ClassifierConfig) -> Self {
        Classifier { cfg }
    }

    pub fn config(&self) -> &ClassifierConfig {
        &self.cfg
    }

    fn enabled(&self, c: Category) -> bool {
        self.cfg.enabled.contains(&c)
    }

    fn internal(&self, host: &str) -> bool {
        hosts::is_internal_host(host, &self.cfg.internal_domains, &self.cfg.public_domains)
    }

    /// All sensitive spans of `text`, sorted, possibly overlapping.
    pub fn classify(&self, text: &str) -> Vec<Finding> {
        let chars: Vec<char> = text.chars().collect();
        let ix = CharIndex::new(text);
        let mut out = Vec::new();
        let mut push = |start: usize, end: usize, category: Category, rule: &str| {
            if end > start {
                out.push(Finding {
                    start,
                    end,
                    category,
                    rule: rule.to_string(),
                });
            }
        };
        let span = |m: &regex::Match| (ix.at(m.start()), ix.at(m.end()));

        // URLs with a scheme: credentials make the whole URL a secret; an internal host makes it a URL finding.
        for m in SCHEME_URL.find_iter(text) {
            let (s, e) = span(&m);
            let url = m.as_str();
            if USERINFO.is_match(url) {
                push(s, e, Category::Secret, "url-credentials");
            }
            let after = &url[url.find("://").map(|i| i + 3).unwrap_or(0)..];
            let host = after.rsplit_once('@').map(|(_, h)| h).unwrap_or(after);
            let host = host.split(['/', ':', '?', '#']).next().unwrap_or("");
            if !host.is_empty() && self.internal(host) {
                push(s, e, Category::Url, "url-internal-host");
            }
        }
        // Host names and e-mail addresses, also on a view with OCR's stray spaces around
        // '-', '.' and '@' removed ("db -prod -06.corp.example").
        let despaced = despace(text);
        // most lines have no stray spaces: then the second view would repeat the first
        let views = if despaced.0 == text {
            vec![None]
        } else {
            vec![None, Some(&despaced)]
        };
        for view in views {
            let (vtext, to_orig) = match view {
                None => (text, None),
                Some((t, map)) => (t.as_str(), Some(map)),
            };
            for (s, e, cat, rule) in self.hosts_and_emails(vtext) {
                let (s, e) = match to_orig {
                    None => (s, e),
                    Some(map) => (map[s], map[e - 1] + 1),
                };
                push(s, e, cat, rule);
            }
        }
        for m in JWT.find_iter(text) {
            let (s, e) = span(&m);
            push(s, e, Category::Secret, "jwt");
        }
        for m in PEM.find_iter(text) {
            let (s, e) = span(&m);
            push(s, e, Category::Secret, "pem-header");
        }
        for m in PROVIDER.find_iter(text) {
            let (s, e) = span(&m);
            push(s, e, Category::Secret, "provider-key");
        }
        for c in KEY_VALUE.captures_iter(text) {
            let v = c.get(4).expect("value group");
            if FALSE_VALUES.contains(&v.as_str().to_ascii_lowercase().as_str()) || v.as_str().chars().count() < 3 {
                continue;
            }
            // "session will time out" is prose; only `is/was` forms need the value to look secret
            let sep = c.get(2).map(|s| s.as_str()).unwrap_or("");
            let looks_secret = v
                .as_str()
                .chars()
                .any(|c| c.is_ascii_digit() || "!?#%&$*^~".contains(c));
            if !sep.contains([':', '=']) && !looks_secret {
                continue;
            }
            let (s, e) = span(&v);
            push(s, e, Category::Secret, "secret-assignment");
        }
        for c in PASSWORD_FLAG.captures_iter(text) {
            let v = c.get(1).expect("value group");
            let k = checks::classes(v.as_str());
            if [k.upper > 0, k.lower > 0, k.digit > 0, k.symbol > 0]
                .iter()
                .filter(|&&b| b)
                .count()
                >= 2
            {
                let (s, e) = span(&v);
                push(s, e, Category::Secret, "password-flag");
            }
        }
        for m in TOKEN.find_iter(text) {
            if is_random_token(m.as_str()) {
                let (s, e) = span(&m);
                push(s, e, Category::Secret, "high-entropy-token");
            }
        }
        for m in PASSWORD_TOKEN.find_iter(text) {
            if is_password_like(m.as_str()) {
                let (s, e) = span(&m);
                push(s, e, Category::Secret, "password-like");
            }
        }

        // Numeric categories, on the look-alike view as well.
        let dv = digit_view(text);
        let dix = CharIndex::new(&dv);
        let numeric_views: [(&str, &CharIndex); 2] = [(text, &ix), (&dv, &dix)];
        for (k, (view, vix)) in numeric_views.iter().enumerate() {
            // a look-alike match must be mostly real digits, or words would turn into numbers
            let plausible = |m: &regex::Match| {
                if k == 0 {
                    return true;
                }
                let orig: String = chars[vix.at(m.start())..vix.at(m.end())].iter().collect();
                let digits = orig.chars().filter(|c| c.is_ascii_digit()).count();
                let total = orig.chars().filter(|c| c.is_alphanumeric()).count().max(1);
                digits * 10 >= total * 7
            };
            let bounded = |m: &regex::Match| {
                let s = vix.at(m.start());
                let e = vix.at(m.end());
                let before = if s > 0 { chars[s - 1] } else { ' ' };
                let after = chars.get(e).copied().unwrap_or(' ');
                !before.is_alphanumeric() && !after.is_alphanumeric()
            };
            // An address is bounded by anything but digits and dots: OCR splits lines between
            // columns and sometimes repeats the neighbour's last letter ("e10.44.33.177"), and a
            // letter beside an address is far likelier that than part of a version string.
            let ip_bounded = |m: &regex::Match| {
                let s = vix.at(m.start());
                let e = vix.at(m.end());
                let before = if s > 0 { chars[s - 1] } else { ' ' };
                let after = chars.get(e).copied().unwrap_or(' ');
                !before.is_ascii_digit() && before != '.' && !after.is_ascii_digit()
            };
            for m in IPV4.find_iter(view) {
                if !plausible(&m) || !ip_bounded(&m) {
                    continue;
                }
                let octets: Vec<u32> = m
                    .as_str()
                    .split(['.', ','])
                    .filter_map(|o| o.trim().parse().ok())
                    .collect();
                if octets.len() != 4 || octets.iter().any(|&o| o > 255) {
                    continue;
                }
                // loopback and "any" say nothing about a network
                if octets[0] == 127 || octets == [0, 0, 0, 0] {
                    continue;
                }
                let private = octets[0] == 10
                    || (octets[0] == 172 && (16..32).contains(&octets[1]))
                    || (octets[0] == 192 && octets[1] == 168)
                    || (octets[0] == 169 && octets[1] == 254)
                    || (octets[0] == 100 && (64..128).contains(&octets[1]));
                if private || self.cfg.public_ips {
                    push(
                        vix.at(m.start()),
                        vix.at(m.end()),
                        Category::Ip,
                        if private { "ipv4-private" } else { "ipv4" },
                    );
                }
            }
            for m in SSN.find_iter(view) {
                if plausible(&m) && bounded(&m) {
                    push(vix.at(m.start()), vix.at(m.end()), Category::Ssn, "ssn");
                }
            }
            for m in PHONE.find_iter(view) {
                // a leading '(' is part of the number; check bounds outside it
                if plausible(&m) && bounded(&m) {
                    push(vix.at(m.start()), vix.at(m.end()), Category::Phone, "phone");
                }
            }
            for m in CARD.find_iter(view) {
                if plausible(&m) && bounded(&m) && luhn_valid(m.as_str()) {
                    push(vix.at(m.start()), vix.at(m.end()), Category::Card, "card-luhn");
                }
            }
        }
        for m in IPV6.find_iter(text) {
            let t = m.as_str().trim_end_matches([':', '.']);
            if t.len() >= 6
                && t.matches(':').count() >= 2
                && t.chars().any(|c| c.is_ascii_hexdigit())
                && t.parse::<Ipv6Addr>().is_ok()
            {
                let (s, _) = span(&m);
                push(s, s + t.chars().count(), Category::Ip, "ipv6");
            }
        }
        for m in IBAN.find_iter(text) {
            if iban_valid(m.as_str()) {
                let (s, e) = span(&m);
                push(s, e, Category::Iban, "iban");
            }
        }
        // Names marked by a label on the same line: "Name: Olga Whitfield".
        for m in NAME_LABEL.find_iter(text) {
            let rest = &text[m.end()..];
            let words: Vec<&str> = rest.split_whitespace().take(4).collect();
            for n in (2..=words.len()).rev() {
                let cand = words[..n].join(" ");
                let cand = cand.trim_end_matches([',', ';', '.']);
                if looks_like_person_name(cand) {
                    let s = ix.at(m.end()) + rest.chars().take_while(|c| c.is_whitespace()).count();
                    push(s, s + cand.chars().count(), Category::Name, "labelled-name");
                    break;
                }
            }
        }
        for rule in &self.cfg.custom {
            for m in rule.pattern.find_iter(text) {
                let (s, e) = span(&m);
                push(s, e, Category::Custom, &rule.name);
            }
        }

        // Records: a name-shaped field beside PII in a delimited line ("Chen Ferreira,chen@x,...").
        let has_pii = out.iter().any(|f| {
            matches!(
                f.category,
                Category::Email | Category::Phone | Category::Ssn | Category::Card
            )
        });
        if has_pii {
            let mut start = 0;
            for field in text.split([',', ';', '|', '\t']) {
                let trimmed = field.trim();
                if looks_like_person_name(trimmed) {
                    let s = ix.at(start + field.find(trimmed).unwrap_or(0));
                    out.push(Finding {
                        start: s,
                        end: s + trimmed.chars().count(),
                        category: Category::Name,
                        rule: "record-name".into(),
                    });
                }
                start += field.len() + 1;
            }
        }

        // Token-shaped findings cover the whole token: an OCR slip inside a key must not leave
        // its tail readable.
        for f in &mut out {
            if matches!(
                f.category,
                Category::Url | Category::Hostname | Category::Email | Category::Secret
            ) {
                while f.start > 0 && is_token_char(chars[f.start - 1]) && !matches!(chars[f.start - 1], ':' | '=') {
                    f.start -= 1;
                }
                while f.end < chars.len() && is_token_char(chars[f.end]) {
                    f.end += 1;
                }
            }
        }
        out.retain(|f| self.enabled(f.category));
        out.sort_by_key(|f| (f.start, f.end, f.category));
        out.dedup_by(|a, b| a.start == b.start && a.end == b.end && a.category == b.category);
        out
    }
}

#[cfg(test)]
mod tests;
