//! Sensitive-text classification of one OCR line: which character spans are secret, and why.
//!
//! A registry of [`Recognizer`]s, one per category (the shape of Presidio's recognisers and
//! gitleaks' rules): each has its patterns, the context it needs and its validation step (Luhn,
//! IBAN mod 97, entropy, checksums), and its own table tests. Numeric recognisers (cards, phones,
//! SSNs, IPs) also run on an "OCR-confused" view of the line where look-alike letters are read as
//! digits (O->0, l->1, S->5 ...), because the OCR's typical error is exactly that. The
//! [`Classifier`] runs the recognisers a policy enables and does the shared post-processing:
//! token-shaped findings cover their whole token, duplicates go.

/// A built-in pattern, compiled on first use.
macro_rules! re {
    ($name:ident, $pat:expr) => {
        static $name: std::sync::LazyLock<regex::Regex> =
            std::sync::LazyLock::new(|| regex::Regex::new($pat).expect("built-in pattern"));
    };
}

mod card;
mod checks;
mod custom;
mod email;
mod hostname;
pub mod hosts;
mod iban;
mod ip;
mod line;
mod name;
mod phone;
mod secrets;
mod ssn;
mod url;

pub use checks::{entropy, iban_valid, is_password_like, is_random_token, looks_like_person_name, luhn_valid};
pub use line::{Findings, Line};
pub use phone::{parse_region as parse_phone_region, DEFAULT_REGIONS as DEFAULT_PHONE_REGIONS};
pub use secrets::rulefile::{parse as parse_secret_rules, Dialect as SecretRulesDialect, RuleFile as SecretRuleFile};
pub use secrets::SecretRules;

use std::sync::Arc;

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
    /// Regions (ISO 3166 codes) whose national phone layouts count; `+CC` numbers of every
    /// country are always found.
    pub phone_regions: Vec<String>,
    /// Where the layout stage looks for people's names.
    pub names: crate::layout::NameScope,
    /// Secret rules a policy loaded from a gitleaks rules file (the built-in ones always run).
    pub secret_rules: Option<Arc<SecretRules>>,
}

impl Default for ClassifierConfig {
    fn default() -> Self {
        ClassifierConfig {
            enabled: Category::ALL.to_vec(),
            internal_domains: Vec::new(),
            public_domains: hosts::DEFAULT_PUBLIC_DOMAINS.iter().map(|s| s.to_string()).collect(),
            public_ips: true,
            custom: Vec::new(),
            phone_regions: phone::DEFAULT_REGIONS.iter().map(|s| s.to_string()).collect(),
            names: crate::layout::NameScope::default(),
            secret_rules: None,
        }
    }
}

/// One kind of sensitive text: its patterns, context and validation. A recogniser appends the
/// spans it finds to `found`; it may read what earlier recognisers found on the line.
pub trait Recognizer: Send + Sync {
    /// A short name for diagnostics and tests.
    fn name(&self) -> &'static str;
    /// The categories its findings have.
    fn categories(&self) -> &'static [Category];
    fn recognize(&self, line: &Line<'_>, found: &mut Findings);
}

/// Where a host name counts as internal; shared by the URL and host-name recognisers.
#[derive(Debug, Clone)]
pub(crate) struct HostPolicy {
    internal_domains: Vec<String>,
    public_domains: Vec<String>,
}

impl HostPolicy {
    fn internal(&self, host: &str) -> bool {
        hosts::is_internal_host(host, &self.internal_domains, &self.public_domains)
    }

    fn internal_elided(&self, visible: &str) -> bool {
        hosts::is_internal_elided_host(visible, &self.internal_domains, &self.public_domains)
    }
}

/// Categories whose presence on a line marks it as a record, so a name-shaped field beside them
/// is a person (the record-name rule reads them even when the policy leaves them readable).
const RECORD_PII: [Category; 4] = [Category::Email, Category::Phone, Category::Ssn, Category::Card];

/// The recognisers in the order they run (the record-name rule last: it reads the others).
fn registry(cfg: &ClassifierConfig) -> Vec<Box<dyn Recognizer>> {
    let hosts = HostPolicy {
        internal_domains: cfg.internal_domains.clone(),
        public_domains: cfg.public_domains.clone(),
    };
    vec![
        Box::new(url::UrlRecognizer::new(hosts.clone())),
        Box::new(hostname::HostnameRecognizer::new(hosts)),
        Box::new(email::EmailRecognizer),
        Box::new(secrets::JwtRecognizer),
        Box::new(secrets::PemRecognizer),
        Box::new(secrets::ProviderRecognizer::new(cfg.secret_rules.clone())),
        Box::new(secrets::AssignmentRecognizer),
        Box::new(secrets::RandomTokenRecognizer),
        Box::new(ip::IpRecognizer::new(cfg.public_ips)),
        Box::new(ssn::SsnRecognizer),
        Box::new(phone::PhoneRecognizer::new(&cfg.phone_regions)),
        Box::new(card::CardRecognizer),
        Box::new(iban::IbanRecognizer),
        Box::new(name::LabelledNameRecognizer),
        Box::new(custom::CustomRecognizer::new(cfg.custom.clone())),
        Box::new(name::RecordNameRecognizer),
    ]
}

#[derive(Clone)]
pub struct Classifier {
    cfg: ClassifierConfig,
    /// The recognisers this policy needs, in registry order.
    recognizers: Arc<[Box<dyn Recognizer>]>,
}

impl Classifier {
    pub fn new(cfg: ClassifierConfig) -> Self {
        // compile the built-in provider rules now (~0.1 s), not on the first frame
        std::sync::LazyLock::force(&secrets::PROVIDERS);
        let on = |c: &Category| cfg.enabled.contains(c);
        let record_names = on(&Category::Name);
        // A recogniser whose categories are all off is skipped, unless the record-name rule
        // needs its findings.
        let recognizers = registry(&cfg)
            .into_iter()
            .filter(|r| {
                r.categories().iter().any(on) || (record_names && r.categories().iter().any(|c| RECORD_PII.contains(c)))
            })
            .collect();
        Classifier { cfg, recognizers }
    }

    pub fn config(&self) -> &ClassifierConfig {
        &self.cfg
    }

    fn enabled(&self, c: Category) -> bool {
        self.cfg.enabled.contains(&c)
    }

    /// All sensitive spans of `text`, sorted, possibly overlapping.
    pub fn classify(&self, text: &str) -> Vec<Finding> {
        let text = line::unslashed_zeros(text);
        let line = Line::new(&text);
        let mut found = Findings::default();
        for r in self.recognizers.iter() {
            r.recognize(&line, &mut found);
        }
        let mut out = found.0;
        let chars = &line.chars;
        // Token-shaped findings cover the whole token: an OCR slip inside a key must not leave
        // its tail readable.
        for f in &mut out {
            if matches!(
                f.category,
                Category::Url | Category::Hostname | Category::Email | Category::Secret
            ) {
                while f.start > 0 && line::is_token_char(chars[f.start - 1]) && !matches!(chars[f.start - 1], ':' | '=')
                {
                    f.start -= 1;
                }
                while f.end < chars.len() && line::is_token_char(chars[f.end]) {
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
