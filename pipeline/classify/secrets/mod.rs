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
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_covers, assert_not_covered};
    use super::*;

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
