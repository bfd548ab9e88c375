//! Internal host names, and schemeless URLs that start with one ("host/path?query"). Also runs
//! on the line without OCR's stray spaces around '-', '.' and '@' ("db -prod -06.corp.example").
//! What counts as a host and which are internal is [`super::hosts`].

use super::line::{is_token_char, CharIndex};
use super::{hosts, Category, Findings, HostPolicy, Line, Recognizer};

// Host label: letters, digits, inner hyphens. Its length (at most 63) is checked after the
// match: a counted repetition here makes the regex's DFA too large to stay fast.
const LABEL: &str = r"[A-Za-z0-9]+(?:-+[A-Za-z0-9]+)*";
re!(HOST, &format!(r"{LABEL}(?:\.{LABEL})+\.?"));

pub struct HostnameRecognizer {
    hosts: HostPolicy,
}

impl HostnameRecognizer {
    pub(super) fn new(hosts: HostPolicy) -> Self {
        HostnameRecognizer { hosts }
    }

    /// Host spans of one view, in the view's character indices.
    fn find(&self, text: &str, chars: &[char], ix: &CharIndex, out: &mut Vec<(usize, usize, Category, &'static str)>) {
        for m in HOST.find_iter(text) {
            let (s, e) = (ix.at(m.start()), ix.at(m.end()));
            let before = if s > 0 { chars[s - 1] } else { ' ' };
            let after = chars.get(e).copied().unwrap_or(' ');
            // part of a longer word or an e-mail's local part: not a host on its own
            if before.is_alphanumeric() || "_-@".contains(before) || after.is_alphanumeric() || "_-@".contains(after) {
                continue;
            }
            let host = m.as_str().trim_end_matches('.');
            // cut short by an ellipsis ("Waiting for vault.ops.acme.inte…"; OCR reads the
            // ellipsis as dots): what is shown of a host is still the host
            let rest = &text[m.start() + host.len()..];
            if rest.starts_with("..") || rest.starts_with('…') {
                if hosts::looks_like_elided_host(host) && self.hosts.internal_elided(host) {
                    out.push((s, s + host.chars().count(), Category::Hostname, "internal-host-elided"));
                }
                continue;
            }
            let in_url = after == '/' || after == ':' || text[..m.start()].ends_with("://");
            // judged as read; only a name that is not a host as read is tried repaired
            let repaired;
            let judged = if hosts::looks_like_host(host, in_url) {
                host
            } else {
                match glued_internal_suffix(host) {
                    Some(h) if hosts::looks_like_host(&h, in_url) => {
                        repaired = h;
                        &repaired
                    }
                    _ => continue,
                }
            };
            if !self.hosts.internal(judged) {
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
    }
}

/// OCR drops the dot before a short last label in small text ("gitlab.tyrellintra" for
/// "gitlab.tyrell.intra") and misreads the letters of a long one ("intemal", "intermal" for
/// "internal": 'rn' and 'm' look alike): for a name that is not a host as read, its last label
/// ending with a customary intranet suffix, after at least two characters or as the whole
/// label, is read with that suffix (and its dot) put back. The long suffixes are recognised
/// one slip away, "intra" only as written; the short, ambiguous suffixes of
/// [`hosts::INTERNAL_TLDS`] not at all: "lan" or "local" end ordinary words ("plan", "vocal").
fn glued_internal_suffix(host: &str) -> Option<String> {
    let (head, last) = host.rsplit_once('.')?;
    if !last.is_ascii() {
        return None;
    }
    let lower = last.to_ascii_lowercase();
    let label_ok = |stem: &str| {
        stem.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') && !stem.ends_with('-') && stem.len() != 1
    };
    let put_back = |stem_len: usize, suffix: &str| {
        let stem = &last[..stem_len];
        Some(if stem.is_empty() {
            format!("{head}.{suffix}")
        } else {
            format!("{head}.{stem}.{suffix}")
        })
    };
    if let Some(stem) = lower.strip_suffix("intra").filter(|s| s.len() >= 2 && label_ok(s)) {
        return put_back(stem.len(), "intra");
    }
    for suffix in ["internal", "intranet"] {
        for len in [8, 7, 9] {
            let Some(cut) = lower.len().checked_sub(len) else {
                continue;
            };
            let (stem, tail) = lower.split_at(cut);
            if label_ok(stem) && one_slip_from(tail, suffix) {
                return put_back(stem.len(), suffix);
            }
        }
    }
    None
}

/// `word` is `target` or one OCR slip from it: one letter added, dropped or changed, after
/// reading an 'm' as the 'rn' it may have been.
fn one_slip_from(word: &str, target: &str) -> bool {
    let near = |w: &str| w == target || crate::layout::labels::one_edit(w, target);
    near(word) || near(&word.replace('m', "rn"))
}

/// The view with an 'l' that OCR read as ']' or '|' after a letter ("mysq]-03.us-east.corp")
/// put back, char for char (so its indices are the line's); `None` when there is none.
fn ell_view(text: &str) -> Option<String> {
    // most lines have none: no copy for them (both characters are ASCII, so bytes tell)
    if !text
        .as_bytes()
        .windows(2)
        .any(|w| w[0].is_ascii_alphabetic() && matches!(w[1], b']' | b'|'))
    {
        return None;
    }
    let mut prev = ' ';
    let out = text
        .chars()
        .map(|c| {
            let r = if "]|".contains(c) && prev.is_ascii_alphabetic() {
                'l'
            } else {
                c
            };
            prev = c;
            r
        })
        .collect();
    Some(out)
}

impl Recognizer for HostnameRecognizer {
    fn name(&self) -> &'static str {
        "hostname"
    }

    fn categories(&self) -> &'static [Category] {
        &[Category::Hostname, Category::Url]
    }

    fn recognize(&self, line: &Line<'_>, found: &mut Findings) {
        let mut spans = Vec::new();
        for view in line.text_views() {
            // a host has a dot between two labels
            if !view
                .text
                .as_bytes()
                .windows(2)
                .any(|w| w[0] == b'.' && w[1].is_ascii_alphanumeric())
            {
                continue;
            }
            spans.clear();
            if view.is_line() {
                self.find(view.text, &line.chars, line.char_index(), &mut spans);
            } else {
                let chars: Vec<char> = view.text.chars().collect();
                self.find(view.text, &chars, &CharIndex::new(view.text), &mut spans);
            }
            if let Some(ells) = ell_view(view.text) {
                let chars: Vec<char> = ells.chars().collect();
                self.find(&ells, &chars, &CharIndex::new(&ells), &mut spans);
            }
            for &(s, e, cat, rule) in &spans {
                let (s, e) = view.to_line(s, e);
                found.push(s, e, cat, rule);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_covers, assert_not_covered};
    use super::*;

    #[test]
    fn internal_hosts() {
        for (text, cat, want) in [
            (
                "status.internal.example/d/overview?org=3&session=a39a3dda885ad961617fb61d3098f1aa",
                Category::Url,
                "status.internal.example/d/overview?org=3&session=a39a3dda885ad961617fb61d3098f1aa",
            ),
            (
                "Not secure payroll.intra.example/employees/5875?token=PVMK",
                Category::Url,
                "payroll.intra.example/employees/5875?token=PVMK",
            ),
            ("db-prod-14.corp.example", Category::Hostname, "db-prod-14.corp.example"),
            (
                "mysql -h db-prod-33.corp.example -u admin",
                Category::Hostname,
                "db-prod-33.corp.example",
            ),
            (
                "grafana.acme-internal.io is down",
                Category::Hostname,
                "grafana.acme-internal.io",
            ),
            ("see wiki.acme.com", Category::Hostname, "wiki.acme.com"),
            // OCR's stray spaces around '-' and '.'
            (
                "The standby lives on db -prod -06.ops.corp.example with",
                Category::Hostname,
                "db -prod -06.ops.corp.example",
            ),
            (
                "ping vault . intra.example",
                Category::Hostname,
                "vault . intra.example",
            ),
            // a trailing dot ends the sentence, not the name
            ("Failover to cache-02.lan.", Category::Hostname, "cache-02.lan"),
            // cut short in a status bubble, the ellipsis read as dots
            (
                "Waiting for vault.ops.acme.interna..",
                Category::Hostname,
                "vault.ops.acme.interna",
            ),
            (
                "Connecting to db-prod-14.corp.exa…",
                Category::Hostname,
                "db-prod-14.corp.exa",
            ),
            // small text: OCR dropped the dot before the intranet suffix, or read 'l' as ']'
            ("metabase-35.tyrellintra", Category::Hostname, "metabase-35.tyrellintra"),
            (
                "servicedesk.us-east.tyrllinternal",
                Category::Hostname,
                "servicedesk.us-east.tyrllinternal",
            ),
            // ... and misread the letters of "internal" ('rn' read as 'm', 'n' as 'm')
            (
                "sap-25.gringotts.intemal",
                Category::Hostname,
                "sap-25.gringotts.intemal",
            ),
            (
                "jenkins.fra.gringottsintermal",
                Category::Hostname,
                "jenkins.fra.gringottsintermal",
            ),
            (
                "hr.ams.gringotts.intemal",
                Category::Hostname,
                "hr.ams.gringotts.intemal",
            ),
            (
                "mysq]-03.us-east.tyrell.intra",
                Category::Hostname,
                "mysq]-03.us-east.tyrell.intra",
            ),
            (
                "ping bui|d-07.corp.example",
                Category::Hostname,
                "bui|d-07.corp.example",
            ),
        ] {
            assert_covers(text, cat, want);
        }
        for text in [
            "requirements.txt",
            "settings.py",
            "e.g. the standby replica",
            "Visit github.com/rust-lang/rust for the source",
            "Version 1.2.3 released",
            "os.environ.get",
            "Cloning into deploy... done.",
            "olga.whitfield@corp.example",
            "Waiting for docs.github.c…",
            "Saving report.pdf...",
            "Loading... e.g... done",
            // a last label ending like a suffix but not with it
            "config.contra",
            "see main.intern",
            // a word two slips from the suffix is not it
            "game.eternal",
            "the.internet",
            "fig. 3|4 of the report.pdf",
        ] {
            assert_not_covered(text, Category::Hostname);
        }
    }
}
