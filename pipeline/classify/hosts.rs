//! Host names: what is one, and which are internal.
//!
//! The safe default is that an unknown host is internal: only names under the public allowlist
//! are left readable. Telling a host from a file name or a code identifier uses the list of
//! top-level domains below plus the reserved and customary internal suffixes.

/// Suffixes that are never public: RFC 2606/6761 reserved names and customary intranet TLDs.
pub const INTERNAL_TLDS: &[&str] = &[
    "example",
    "test",
    "invalid",
    "localhost",
    "local",
    "internal",
    "intranet",
    "intra",
    "corp",
    "lan",
    "home",
    "private",
    "localdomain",
    "priv",
    "lab",
];

/// Generic TLDs common enough to matter on screens (country codes are all two letters).
const GENERIC_TLDS: &[&str] = &[
    "com",
    "org",
    "net",
    "edu",
    "gov",
    "mil",
    "io",
    "dev",
    "app",
    "ai",
    "co",
    "cloud",
    "info",
    "biz",
    "tech",
    "xyz",
    "online",
    "site",
    "page",
    "blog",
    "shop",
    "store",
    "news",
    "systems",
    "services",
    "software",
    "digital",
    "email",
    "team",
    "tools",
    "zone",
    "host",
    "link",
    "live",
    "media",
    "network",
    "solutions",
    "works",
    "company",
    "global",
    "group",
    "inc",
    "ltd",
    "llc",
    "aws",
    "google",
    "microsoft",
    "azure",
    "amazon",
    "arpa",
    "run",
    "sh",
];

/// File-name endings that would otherwise pass for a two-label host ("settings.py").
const FILE_EXTENSIONS: &[&str] = &[
    "py", "rs", "go", "js", "ts", "md", "sh", "rb", "pl", "cc", "cs", "kt", "hs", "ml", "ps", "so", "mk", "am", "in",
    "txt", "csv", "json", "yaml", "yml", "toml", "ini", "cfg", "conf", "log", "lock", "xml", "html", "htm", "css",
    "png", "jpg", "gif", "pdf", "doc", "zip", "gz", "tar", "c", "h", "java", "php", "sql", "env", "pem", "key", "crt",
    "exe", "dll", "bin", "tf", "jsx", "tsx", "vue", "swift", "mp4", "rst", "bak", "tmp", "db",
    // English words that are also country codes: "done.It" is a sentence with a lost space.
    "me", "at", "it", "is", "to", "do", "no", "as", "be", "by", "my", "us", "st", "id", "vs", "on", "or", "an",
];

/// The public allowlist shipped by default: hosts under these are readable. A policy adds to it.
pub const DEFAULT_PUBLIC_DOMAINS: &[&str] = &[
    "google.com",
    "github.com",
    "githubusercontent.com",
    "gitlab.com",
    "microsoft.com",
    "office.com",
    "live.com",
    "apple.com",
    "amazon.com",
    "wikipedia.org",
    "mozilla.org",
    "rust-lang.org",
    "crates.io",
    "docs.rs",
    "python.org",
    "pypi.org",
    "npmjs.com",
    "stackoverflow.com",
    "youtube.com",
    "zoom.us",
    "slack.com",
    "debian.org",
    "ubuntu.com",
    "kernel.org",
    "w3.org",
    "example.com",
    "example.org",
    "example.net",
];

/// Is `tld` (lower case) a top-level domain scrim recognises as part of a host name?
pub fn is_known_tld(tld: &str) -> bool {
    (tld.len() == 2 && tld.bytes().all(|b| b.is_ascii_lowercase()))
        || GENERIC_TLDS.contains(&tld)
        || INTERNAL_TLDS.contains(&tld)
}

/// Whether a dotted word reads as a host name rather than a file name, version or identifier.
/// `in_url` relaxes the file-name test (in "host/path" or "scheme://host" it is a host).
pub fn looks_like_host(name: &str, in_url: bool) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = name.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty() || l.len() > 63) {
        return false;
    }
    if labels
        .iter()
        .any(|l| l.starts_with('-') || l.ends_with('-') || !l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    {
        return false;
    }
    let tld = labels[labels.len() - 1];
    if !tld.bytes().all(|b| b.is_ascii_alphabetic()) || !is_known_tld(tld) {
        return false;
    }
    if !in_url && labels.len() == 2 && FILE_EXTENSIONS.contains(&tld) {
        return false;
    }
    // "e.g", "i.e": one-letter labels everywhere are abbreviations, not hosts.
    if labels.iter().all(|l| l.len() == 1) {
        return false;
    }
    true
}

/// Whether the visible part of a host name cut short by an ellipsis ("Waiting for
/// vault.ops.acme.inte…", a status bubble or a narrow column) reads as a host: dotted labels,
/// the last one partial, so its top-level domain cannot be checked. Still not a file name
/// ("Saving report.pdf…"), a version or an abbreviation.
pub fn looks_like_elided_host(visible: &str) -> bool {
    let name = visible.to_ascii_lowercase();
    let labels: Vec<&str> = name.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty() || l.len() > 63) {
        return false;
    }
    if labels
        .iter()
        .any(|l| l.starts_with('-') || !l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    {
        return false;
    }
    let last = labels[labels.len() - 1];
    let letters = labels
        .iter()
        .filter(|l| l.bytes().filter(u8::is_ascii_alphabetic).count() >= 2)
        .count();
    letters >= 2 && !(labels.len() == 2 && FILE_EXTENSIONS.contains(&last))
}

/// [`is_internal_host`] for the visible part of an elided name: public only if it can be the
/// start of a name under a public domain ("docs.github.c…" of github.com), since its end
/// is not shown.
pub fn is_internal_elided_host(visible: &str, internal_domains: &[String], public_domains: &[String]) -> bool {
    let name = visible.to_ascii_lowercase();
    let mut tails = vec![name.as_str()];
    tails.extend(name.match_indices('.').map(|(i, _)| &name[i + 1..]));
    let could_be = |d: &String| {
        let d = d.trim_start_matches('.').to_ascii_lowercase();
        tails.iter().any(|t| t.contains('.') && d.starts_with(t))
    };
    if internal_domains.iter().any(could_be) {
        return true;
    }
    !public_domains.iter().any(could_be)
}

/// Internal unless under a public domain; names under a configured internal domain are always
/// internal, even if an allowlist entry would also match.
pub fn is_internal_host(name: &str, internal_domains: &[String], public_domains: &[String]) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let under = |d: &str| {
        let d = d.trim_start_matches('.').to_ascii_lowercase();
        name == d || name.ends_with(&format!(".{d}"))
    };
    if internal_domains.iter().any(|d| under(d)) {
        return true;
    }
    if let Some(tld) = name.rsplit('.').next() {
        if INTERNAL_TLDS.contains(&tld) {
            return true;
        }
    }
    !public_domains.iter().any(|d| under(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_versus_files_and_identifiers() {
        for h in [
            "db-prod-14.corp.example",
            "vault.intra.example",
            "git.corp.example",
            "mail.google.com",
            "wiki.lan",
        ] {
            assert!(looks_like_host(h, false), "{h}");
        }
        for not in [
            "maria.kowalski@corp.example",
            "settings.py",
            "requirements.txt",
            "os.environ.get",
            "e.g",
            "1.2.3",
            "export.csv",
            "a.b",
            "x.-y.com",
        ] {
            assert!(!looks_like_host(not, false), "{not}");
        }
        assert!(looks_like_host("settings.py", true));
    }

    #[test]
    fn elided_hosts() {
        for h in [
            "vault.ops.acme.interna",
            "payroll.intra.ex",
            "db-prod-14.corp",
            "grafana.acme",
        ] {
            assert!(looks_like_elided_host(h), "{h}");
        }
        for not in ["report.pdf", "e.g", "1.2.3", "v1.2", "settings.py", "a.b.c"] {
            assert!(!looks_like_elided_host(not), "{not}");
        }
        let public: Vec<String> = DEFAULT_PUBLIC_DOMAINS.iter().map(|s| s.to_string()).collect();
        assert!(is_internal_elided_host("vault.ops.acme.interna", &[], &public));
        assert!(!is_internal_elided_host("docs.github.c", &[], &public));
        assert!(!is_internal_elided_host("en.wikipedia.or", &[], &public));
        assert!(is_internal_elided_host("wiki.acme.c", &["acme.com".into()], &public));
    }

    #[test]
    fn unknown_hosts_are_internal() {
        let public: Vec<String> = DEFAULT_PUBLIC_DOMAINS.iter().map(|s| s.to_string()).collect();
        let internal = vec!["acme.com".to_string()];
        assert!(is_internal_host("db-prod-14.corp.example", &internal, &public));
        assert!(is_internal_host("jenkins.acme-tools.io", &internal, &public));
        assert!(is_internal_host("wiki.acme.com", &internal, &public));
        assert!(!is_internal_host("github.com", &internal, &public));
        assert!(!is_internal_host("docs.github.com", &internal, &public));
        assert!(!is_internal_host("en.wikipedia.org", &internal, &public));
        // an allowlisted name under an internal suffix is still internal
        assert!(is_internal_host("example.com.internal", &internal, &public));
    }
}
