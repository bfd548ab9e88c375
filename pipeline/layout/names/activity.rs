//! Names in activity feeds and the prose around them: the actor of an event ("Tumaini Wambui
//! commented", "Alessandro Galli wants to merge 2 commits into main", "Nasrin Rahimi changed
//! the status") and the person after a participle ("Last edited by Dana Whitfield", "Assigned
//! to Li Wei", "Shared with Sem Mulder"), as code review, issue trackers, wikis, documents and
//! chat write them. The verb is what tells a reader the words are a person; the gazetteer
//! ([`super::person`]) keeps "Release Notes updated" or "Nightly Build started" readable.

use super::super::gazetteer::{self, Known};
use super::{finding, labelled_person, person};
use crate::classify::Finding;

/// Verbs only a person is the subject of ("commented", "wants to merge", "approved"): before
/// one of them a phrase shaped like a name is a name, as after a label, because the gazetteer
/// lacks many romanised names.
const PERSON_VERBS: &[&str] = &[
    "commented",
    "comments",
    "wrote",
    "writes",
    "replied",
    "replies",
    "said",
    "says",
    "asked",
    "answered",
    "wants",
    "approved",
    "reviewed",
    "reacted",
    "joined",
    "invited",
    "mentioned",
    "pushed",
    "force-pushed",
    "committed",
    "authored",
    "requested",
    "suggested",
    "proposed",
    "signed",
    "liked",
];

/// Verbs of an event a person or a machine can be the subject of ("Nightly Build started"):
/// the phrase before them is a name only if the gazetteer knows one of its words.
const EVENT_VERBS: &[&str] = &[
    "merged",
    "opened",
    "closed",
    "reopened",
    "assigned",
    "unassigned",
    "added",
    "removed",
    "changed",
    "updated",
    "created",
    "edited",
    "deleted",
    "shared",
    "left",
    "uploaded",
    "moved",
    "resolved",
    "started",
    "completed",
    "finished",
    "submitted",
    "accepted",
    "declined",
    "rejected",
    "posted",
    "modified",
    "renamed",
    "labeled",
    "labelled",
    "linked",
    "forked",
    "starred",
    "logged",
    "viewed",
    "sent",
    "forwarded",
    "scheduled",
    "cancelled",
    "canceled",
    "marked",
    "published",
    "deployed",
    "released",
    "restored",
    "archived",
    "pinned",
    "attached",
    "tagged",
    "transferred",
    "dismissed",
    "reverted",
    "rebased",
    "is",
    "has",
    "was",
    "will",
];

/// Participles and nouns after which "by", "to" or "with" names a person ("edited by",
/// "assigned to", "shared with"); "by" names one after any of them.
const AGENT_WORDS: &[&str] = &[
    "edited",
    "created",
    "modified",
    "updated",
    "posted",
    "sent",
    "shared",
    "reported",
    "assigned",
    "reassigned",
    "delegated",
    "approved",
    "reviewed",
    "requested",
    "signed",
    "uploaded",
    "owned",
    "written",
    "authored",
    "added",
    "invited",
    "deleted",
    "closed",
    "merged",
    "opened",
    "submitted",
    "maintained",
    "managed",
    "hosted",
    "organized",
    "organised",
    "led",
    "prepared",
    "checked",
    "forwarded",
    "replied",
    "transferred",
    "escalated",
    "meeting",
    "call",
    "chat",
    "1:1",
    "mentioned",
];

/// Words of a line with their character spans.
fn words(text: &str) -> Vec<(usize, usize, String)> {
    let chars: Vec<char> = text.chars().collect();
    super::super::word_spans(text)
        .into_iter()
        .map(|(s, e)| (s, e, chars[s..e].iter().collect()))
        .collect()
}

/// A word as a list compares it: lower case, no punctuation around it.
fn bare(w: &str) -> String {
    w.trim_matches(|c: char| !c.is_alphanumeric() && c != ':')
        .to_lowercase()
}

/// Is the first word (or a part of a hyphenated one) a given name or surname?
fn starts_with_name(w: &str) -> bool {
    w.split(['-', '‐'])
        .any(|p| gazetteer::known(p.trim_matches(|c: char| !c.is_alphabetic())) != Known::No)
}

/// The longest name among the word ranges `spans`, as a character span.
fn longest(
    ws: &[(usize, usize, String)],
    spans: impl Iterator<Item = (usize, usize)>,
    is_name: fn(&str) -> bool,
) -> Option<(usize, usize)> {
    spans
        .filter(|&(a, b)| b <= ws.len() && a < b)
        .filter(|&(a, b)| {
            let phrase: Vec<&str> = ws[a..b].iter().map(|w| w.2.as_str()).collect();
            is_name(&phrase.join(" "))
        })
        // "Yesterday Dana Whitfield": a name starts with a name, so prefer those that do
        .max_by_key(|&(a, b)| (starts_with_name(&ws[a].2), b - a))
        .map(|(a, b)| (ws[a].0, ws[b - 1].1))
}

/// Names an event's verb or an agent's preposition points at, as spans of `text`.
pub fn activity_names(text: &str) -> Vec<Finding> {
    let ws = words(text);
    let mut out = Vec::new();
    for v in 0..ws.len() {
        let w = bare(&ws[v].2);
        // "Tumaini Wambui commented": the name ends right before the verb, its first word
        // starts with a capital and the verb does not
        let is_name: Option<fn(&str) -> bool> = if PERSON_VERBS.contains(&w.as_str()) {
            Some(labelled_person)
        } else if EVENT_VERBS.contains(&w.as_str()) {
            Some(person)
        } else {
            None
        };
        if let Some(is_name) = is_name.filter(|_| v >= 2 && ws[v].2.starts_with(char::is_lowercase)) {
            let ends_clean = !ws[v - 1].2.ends_with([',', '.', ';', ':']);
            let before = (2..=4).filter(|&n| n <= v).map(|n| (v - n, v));
            if let Some((s, e)) = longest(&ws, before, is_name).filter(|_| ends_clean) {
                out.push(finding(s, e, "activity-actor"));
            }
        }
        // "edited by Dana Whitfield", "assigned to Li Wei", "shared with Sem Mulder"
        let agent = match w.as_str() {
            "by" => true,
            "to" | "with" => v >= 1 && AGENT_WORDS.contains(&bare(&ws[v - 1].2).as_str()),
            _ => false,
        };
        if agent {
            let after = (2..=4).map(|n| (v + 1, v + 1 + n));
            if let Some((s, e)) = longest(&ws, after, person) {
                // a name ends at its last word: "by Dana Whitfield." keeps the stop readable
                let text_end = text.chars().take(e).collect::<String>();
                let trimmed = text_end.trim_end_matches([',', '.', ';', ':', ')']).chars().count();
                out.push(finding(s, trimmed.max(s + 1), "activity-agent"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        activity_names(text)
            .iter()
            .map(|f| text.chars().skip(f.start).take(f.end - f.start).collect())
            .collect()
    }

    #[test]
    fn actors_of_events() {
        for (text, want) in [
            ("Tumaini Wambui wants to merge 2 commits into main", "Tumaini Wambui"),
            ("Alessandro Ferraro commented", "Alessandro Ferraro"),
            ("Nasrin Rahimi commented on HR-6475", "Nasrin Rahimi"),
            ("Dana Whitfield changed the status to Done", "Dana Whitfield"),
            ("e766b54 Leonor Nogueira pushed 3 commits", "Leonor Nogueira"),
            ("Yesterday Dana Whitfield approved these changes", "Dana Whitfield"),
            ("Ji-woo Jung is typing…", "Ji-woo Jung"),
        ] {
            assert_eq!(found(text), vec![want], "{text}");
        }
    }

    #[test]
    fn agents_after_a_participle() {
        for (text, want) in [
            ("Last edited by Dana Whitfield 3 days ago", "Dana Whitfield"),
            ("Assigned to Lotte de Boer", "Lotte de Boer"),
            ("Shared with Sem Mulder.", "Sem Mulder"),
            ("Reported by Ikenna Adeyemi, 2 hours ago", "Ikenna Adeyemi"),
        ] {
            assert_eq!(found(text), vec![want], "{text}");
        }
    }

    #[test]
    fn interface_phrases_before_verbs_stay_readable() {
        for text in [
            "Release Notes updated 3 days ago",
            "Nightly Build started at 03:00",
            "Staging Cluster was restarted",
            "Pull Request merged",
            "Welcome to Corporate Mail",
            "Sort by Last Modified",
            "Login Succeeded was logged",
            "The build is green",
            "Payments Team, Dana approved",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
