//! URLs with a scheme: credentials in them make the whole URL a secret, an internal host makes it
//! a URL finding. (A schemeless "host/path" is the host-name recogniser's.)

use super::{Category, Findings, HostPolicy, Line, Recognizer};

re!(SCHEME_URL, r"(?i)\b[a-z][a-z0-9+.-]{1,15}://[^\s<>\x22'`]+");
re!(USERINFO, r"://[^/\s:@]+:[^/\s@]+@");

pub struct UrlRecognizer {
    hosts: HostPolicy,
}

impl UrlRecognizer {
    pub(super) fn new(hosts: HostPolicy) -> Self {
        UrlRecognizer { hosts }
    }
}

impl Recognizer for UrlRecognizer {
    fn name(&self) -> &'static str {
        "url"
    }

    fn categories(&self) -> &'static [Category] {
        &[Category::Url, Category::Secret]
    }

    fn recognize(&self, line: &Line<'_>, found: &mut Findings) {
        if !line.text.contains("://") {
            return;
        }
        for m in SCHEME_URL.find_iter(line.text) {
            let (s, e) = line.span(&m);
            let url = m.as_str();
            if USERINFO.is_match(url) {
                found.push(s, e, Category::Secret, "url-credentials");
            }
            let after = &url[url.find("://").map(|i| i + 3).unwrap_or(0)..];
            let host = after.rsplit_once('@').map(|(_, h)| h).unwrap_or(after);
            let host = host.split(['/', ':', '?', '#']).next().unwrap_or("");
            if !host.is_empty() && self.hosts.internal(host) {
                found.push(s, e, Category::Url, "url-internal-host");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_covers, assert_not_covered};
    use super::*;

    #[test]
    fn urls() {
        for (text, cat, want) in [
            (
                "https://jenkins.acme.com/job/1",
                Category::Url,
                "https://jenkins.acme.com/job/1",
            ),
            ("http://wiki:8080/start", Category::Url, "http://wiki:8080/start"),
            (
                "open https://wiki.acme.com/x now",
                Category::Url,
                "https://wiki.acme.com/x",
            ),
            // OCR reads the scheme's letters in any case
            (
                "HTTPS://grafana.ops.corp.example/d/1",
                Category::Url,
                "grafana.ops.corp.example/d/1",
            ),
            (
                "amqp://app:YZKoxob066!zUy@kafka-24.corp.example:5672/prod",
                Category::Secret,
                "amqp://app:YZKoxob066!zUy@kafka-24.corp.example:5672/prod",
            ),
            (
                "redis://default:Xk2p9LmQ4vRt@cache.internal:6379/0",
                Category::Secret,
                "Xk2p9LmQ4vRt",
            ),
        ] {
            assert_covers(text, cat, want);
        }
        for (text, cat) in [
            ("https://docs.github.com/en", Category::Url),
            ("see https://en.wikipedia.org/wiki/URL", Category::Url),
            ("https://github.com/rust-lang/rust", Category::Secret),
        ] {
            assert_not_covered(text, cat);
        }
    }
}
