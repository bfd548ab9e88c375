//! Secrets: tokens of known shape (JWTs, PEM headers, provider keys), values assigned to
//! secret-named keys or passed as password flags, and machine-random or password-like tokens
//! of unknown providers.

mod assignment;
#[cfg(test)]
mod providers_tests;
pub mod rulefile;
pub mod rules;

pub use assignment::AssignmentRecognizer;
pub use rules::SecretRules;

use std::sync::{Arc, LazyLock};

use super::{is_password_like, is_random_token, Category, Findings, Line, Recognizer};

/// scrim's built-in provider formats (`providers.toml`, in gitleaks' format).
pub static PROVIDERS: LazyLock<SecretRules> = LazyLock::new(|| {
    rulefile::parse(include_str!("providers.toml"), rulefile::Dialect::Builtin)
        .map(|f| f.rules)
        .unwrap_or_else(|e| panic!("built-in providers.toml: {e}"))
});

re!(JWT, r"eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*");
re!(PEM, r"-----BEGIN [A-Z ]*(?:PRIVATE KEY|CERTIFICATE)[A-Z ]*-----");
// `=` only as base64 padding: "NAME=value" is a label and a value, not one token.
re!(TOKEN, r"[A-Za-z0-9+/_-]{16,}={0,2}");
re!(PASSWORD_TOKEN, r"[A-Za-z0-9!?#%&$*^~+_.-]{8,64}");
// A padded base64 value, as `kubectl get secret`, `base64` and config dumps print one.
re!(BASE64_PADDED, r"[A-Za-z0-9+/]{10,}={1,2}");

/// Is this padded run base64 of some bytes: its length a multiple of four (or one short, OCR
/// dropping a `=`), upper and lower case letters, and a digit, `+`/`/` or case switching back
/// and forth as encoded bytes give and words (`MaxConnections=`) do not? A short password
/// encoded this way has too little entropy for [`is_random_token`], but nobody prints a padded
/// base64 run that is not data.
fn is_padded_base64(t: &str) -> bool {
    let n = t.chars().count();
    let pad = t.chars().rev().take_while(|&c| c == '=').count();
    let chars: Vec<char> = t.chars().collect();
    let switches = chars
        .windows(2)
        .filter(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
        .count();
    (n.is_multiple_of(4) || (n % 4 == 3 && pad == 1))
        && chars.iter().any(|c| c.is_ascii_uppercase())
        && chars.iter().any(|c| c.is_ascii_lowercase())
        && (chars.iter().any(|c| c.is_ascii_digit() || *c == '+' || *c == '/')
            || switches >= 3
            // "==" ends only encoded bytes; a word written in camel case ends in one '=' at most
            || (pad == 2 && switches >= 1))
}

/// Every match of `re` on the line is a secret under `rule`.
fn all_matches(re: &regex::Regex, rule: &str, line: &Line<'_>, found: &mut Findings) {
    for m in re.find_iter(line.text) {
        let (s, e) = line.span(&m);
        found.push(s, e, Category::Secret, rule);
    }
}

/// JSON Web Tokens: three base64url parts, the first two JSON objects (`eyJ` = `{"`).
pub struct JwtRecognizer;

impl Recognizer for JwtRecognizer {
    fn name(&self) -> &'static str {
        "jwt"
    }

    fn categories(&self) -> &'static [Category] {
        &[Category::Secret]
    }

    fn recognize(&self, line: &Line<'_>, found: &mut Findings) {
        all_matches(&JWT, "jwt", line, found);
    }
}

/// PEM armour of private keys and certificates: the header marks the block.
pub struct PemRecognizer;

impl Recognizer for PemRecognizer {
    fn name(&self) -> &'static str {
        "pem-header"
    }

    fn categories(&self) -> &'static [Category] {
        &[Category::Secret]
    }

    fn recognize(&self, line: &Line<'_>, found: &mut Findings) {
        all_matches(&PEM, "pem-header", line, found);
    }
}

/// Provider key formats as data: the built-in [`PROVIDERS`] (AWS, GitHub, Slack, Stripe, ...)
/// and the rules of a policy's gitleaks file. A finding's rule is the format's id.
pub struct ProviderRecognizer {
    extra: Option<Arc<SecretRules>>,
}

impl ProviderRecognizer {
    pub(in super::super) fn new(extra: Option<Arc<SecretRules>>) -> Self {
        ProviderRecognizer { extra }
    }
}

impl Recognizer for ProviderRecognizer {
    fn name(&self) -> &'static str {
        "provider-key"
    }

    fn categories(&self) -> &'static [Category] {
        &[Category::Secret]
    }

    fn recognize(&self, line: &Line<'_>, found: &mut Findings) {
        PROVIDERS.find(line, found);
        if let Some(rules) = &self.extra {
            rules.find(line, found);
        }
    }
}

/// Tokens of unknown providers: long, mixed-class, high-entropy strings, and human-chosen
/// passwords (upper, lower, digit and symbol).
pub struct RandomTokenRecognizer;

impl Recognizer for RandomTokenRecognizer {
    fn name(&self) -> &'static str {
        "random-token"
    }

    fn categories(&self) -> &'static [Category] {
        &[Category::Secret]
    }

    fn recognize(&self, line: &Line<'_>, found: &mut Findings) {
        for m in TOKEN.find_iter(line.text) {
            if is_random_token(m.as_str()) {
                let (s, e) = line.span(&m);
                found.push(s, e, Category::Secret, "high-entropy-token");
            }
        }
        for m in PASSWORD_TOKEN.find_iter(line.text) {
            if is_password_like(m.as_str()) {
                let (s, e) = line.span(&m);
                found.push(s, e, Category::Secret, "password-like");
            }
        }
        for m in BASE64_PADDED.find_iter(line.text) {
            let (s, e) = line.span(&m);
            // a whole token: not the tail of a longer one, nor `KEY=` of an assignment
            let bounded = !super::line::is_token_char(line.before(s)) || matches!(line.before(s), ':' | '=');
            if bounded && !super::line::is_token_char(line.at(e)) && is_padded_base64(m.as_str()) {
                found.push(s, e, Category::Secret, "base64-padded");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_covers, assert_not_covered};
    use super::*;

    #[test]
    fn padded_base64_values() {
        for (text, want) in [
            ("R2FyZGVuMjAxOSE=", "R2FyZGVuMjAxOSE="),
            ("  password: V2ludGVyMjAyMiM=", "V2ludGVyMjAyMiM="),
            ("data.token=Y2hhbmdlbWUxMjM=", "Y2hhbmdlbWUxMjM="),
            ("VGhyMXZlIUAjMjAyNA==", "VGhyMXZlIUAjMjAyNA=="),
            // letters only, few case changes
            ("QGJFazhPIUpQag==", "QGJFazhPIUpQag=="),
            // OCR dropped one '=' of two
            ("cGFzc3dvcmQxMjM0NTY3=", "cGFzc3dvcmQxMjM0NTY3="),
            ("secret \"Zm9vYmFyOnNlY3JldA==\" applied", "Zm9vYmFyOnNlY3JldA=="),
        ] {
            assert_covers(text, Category::Secret, want);
        }
        for text in [
            // words and assignments, not encoded bytes
            "MaxConnections=",
            "DefaultConnectionString=",
            "retries=3 timeout=30",
            "ENABLE_FEATURE_FLAG=true",
            "total=1200 items",
            "see section=Overview",
        ] {
            assert_not_covered(text, Category::Secret);
        }
    }

    #[test]
    fn shaped_and_random_tokens() {
        for (text, want) in [
            (
                "TEST_JWT = \"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI3NDAxNiJ9.w3rgLlM0XYXRxY35gqbgySx43rfjH7fPMNPHoQCv9l3\"",
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI3NDAxNiJ9.w3rgLlM0XYXRxY35gqbgySx43rfjH7fPMNPHoQCv9l3",
            ),
            ("-----BEGIN RSA PRIVATE KEY-----", "BEGIN RSA PRIVATE KEY"),
            ("-----BEGIN OPENSSH PRIVATE KEY-----", "BEGIN OPENSSH PRIVATE KEY"),
            ("session lf6le6add96ec404ea01", "lf6le6add96ec404ea01"),
            ("5135a804c2e525817312", "5135a804c2e525817312"),
            (
                "rYgBAdUACtB2myvixUx+9rblSzZNVjg4mI8U3/pl",
                "rYgBAdUACtB2myvixUx+9rblSzZNVjg4mI8U3/pl",
            ),
            ("Use this one-time password: DPNhqsm778?v3A", "DPNhqsm778?v3A"),
            ("new one: YYEqjnq755?uYP thanks", "YYEqjnq755?uYP"),
        ] {
            assert_covers(text, Category::Secret, want);
        }
        for text in [
            "customers_export_final",
            "/platform/billing-api/blob/main",
            "getElementByIdentifier",
            "2019-03-04T10:11:12",
            "Thursday",
            "-----BEGIN PUBLIC KEY-----",
            "See the README for the eyJ prefix",
        ] {
            assert_not_covered(text, Category::Secret);
        }
    }
}
