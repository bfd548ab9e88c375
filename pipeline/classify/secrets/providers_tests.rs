//! Runs every built-in provider rule's own examples and negatives (see the head of
//! `providers.toml`), with fresh random values in each format's shape and the OCR's misreadings
//! of them, and checks the whole set stays quiet on ordinary text.

use serde::Deserialize;

use super::super::{Category, Classifier, ClassifierConfig, Findings, Line};
use super::rules::Rule;
use super::PROVIDERS;

#[derive(Deserialize)]
struct File {
    rules: Vec<RuleTests>,
}

#[derive(Deserialize)]
struct RuleTests {
    id: String,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    negatives: Vec<String>,
    #[serde(default)]
    strict: bool,
}

/// splitmix64: a small seeded generator, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn seeded(id: &str, n: u64) -> Rng {
        let mut h = 0xcbf2_9ce4_8422_2325u64;
        for b in id.bytes() {
            h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
        }
        Rng(h ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn pick(&mut self, alphabet: &[u8]) -> char {
        alphabet[(self.next() % alphabet.len() as u64) as usize] as char
    }
}

fn alphabet(kind: &str) -> &'static [u8] {
    match kind {
        "x" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        "l" => b"abcdefghijklmnopqrstuvwxyz0123456789",
        "U" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        "a" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        "h" => b"0123456789abcdef",
        "H" => b"0123456789ABCDEF",
        "d" => b"0123456789",
        "z" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
        "b" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        "u" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
        "c" => b"QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L",
        other => panic!("unknown generator kind {other:?}"),
    }
}

/// One character of a rendered example: where it came from.
#[derive(Clone, Copy, PartialEq)]
enum Origin {
    Fixed,
    /// Generated, of this kind, in segment number `.1`.
    Random(char, usize),
}

/// A rendered example: its characters, where each came from, and the secret's span.
#[derive(Clone)]
struct Example {
    chars: Vec<(char, Origin)>,
    secret: (usize, usize),
}

impl Example {
    fn text(&self) -> String {
        self.chars.iter().map(|c| c.0).collect()
    }

    fn render(template: &str, rng: &mut Rng) -> Example {
        let gen = regex::Regex::new(r"\{([a-zA-Z]):(\d+)\}").unwrap();
        let mut chars = Vec::new();
        let mut secret = None;
        let mut start = None;
        let mut last = 0;
        let mut segment = 0;
        let mut fixed = |s: &str, chars: &mut Vec<(char, Origin)>, start: &mut Option<usize>| {
            for c in s.chars() {
                match c {
                    '«' => *start = Some(chars.len()),
                    '»' => secret = Some((start.expect("« before »"), chars.len())),
                    c => chars.push((c, Origin::Fixed)),
                }
            }
        };
        for m in gen.captures_iter(template) {
            let whole = m.get(0).unwrap();
            fixed(&template[last..whole.start()], &mut chars, &mut start);
            let kind = &m[1];
            let n: usize = m[2].parse().unwrap();
            for _ in 0..n {
                chars.push((
                    rng.pick(alphabet(kind)),
                    Origin::Random(kind.chars().next().unwrap(), segment),
                ));
            }
            segment += 1;
            last = whole.end();
        }
        fixed(&template[last..], &mut chars, &mut start);
        let secret = secret.unwrap_or((0, chars.len()));
        Example { chars, secret }
    }

    /// The OCR's misreadings of the secret: '_' as ' ' and '-', a look-alike swapped, a
    /// character dropped and one doubled.
    fn ocr_variants(&self) -> Vec<(&'static str, Example)> {
        let (s, e) = self.secret;
        let mut out = Vec::new();
        for (name, to) in [("'_' read as ' '", ' '), ("'_' read as '-'", '-')] {
            let mut v = self.clone();
            let mut changed = false;
            for c in &mut v.chars[s..e] {
                if c.0 == '_' && c.1 == Origin::Fixed {
                    c.0 = to;
                    changed = true;
                }
            }
            if changed {
                out.push((name, v));
            }
        }
        let swappable = |k: char| "xlUhHzub".contains(k);
        if let Some(i) =
            (s..e).find(|&i| matches!(self.chars[i], (c, Origin::Random(k, _)) if swappable(k) && "0O1lI".contains(c)))
        {
            let mut v = self.clone();
            v.chars[i].0 = match v.chars[i].0 {
                '0' => 'O',
                'O' => '0',
                '1' => 'l',
                _ => '1',
            };
            out.push(("a look-alike swapped", v));
        }
        // the longest generated segment inside the secret
        let mut best: Option<(usize, usize)> = None;
        let mut i = s;
        while i < e {
            if let (_, Origin::Random(_, seg)) = self.chars[i] {
                let j = (i..e)
                    .find(|&j| !matches!(self.chars[j].1, Origin::Random(_, g) if g == seg))
                    .unwrap_or(e);
                if best.is_none_or(|(a, b)| j - i > b - a) {
                    best = Some((i, j));
                }
                i = j;
            } else {
                i += 1;
            }
        }
        if let Some((a, b)) = best {
            let mut dropped = self.clone();
            dropped.chars.remove(b - 1);
            dropped.secret.1 -= 1;
            out.push(("a character dropped", dropped));
            let mut doubled = self.clone();
            doubled.chars.insert(a, self.chars[a]);
            doubled.secret.1 += 1;
            out.push(("a character doubled", doubled));
        }
        out
    }
}

fn rule_spans(rule: &Rule, text: &str) -> Vec<(usize, usize)> {
    let line = Line::new(text);
    let mut found = Findings::default();
    rule.find(&line, &[], &mut found);
    found.iter().map(|f| (f.start, f.end)).collect()
}

fn tests_file() -> File {
    toml::from_str(include_str!("providers.toml")).expect("providers.toml")
}

#[test]
fn every_rule_finds_its_examples_and_not_its_negatives() {
    let file = tests_file();
    assert!(file.rules.len() >= 100, "{} formats", file.rules.len());
    assert_eq!(file.rules.len(), PROVIDERS.len());
    let classifier = Classifier::new(ClassifierConfig::default());
    let mut failures = Vec::new();
    for t in &file.rules {
        let rule = PROVIDERS.rules().iter().find(|r| r.id == t.id).expect("rule");
        assert!(!t.examples.is_empty(), "{}: no examples", t.id);
        assert!(!t.negatives.is_empty(), "{}: no negatives", t.id);
        for (k, template) in t.examples.iter().enumerate() {
            for round in 0..3 {
                let ex = Example::render(template, &mut Rng::seeded(&t.id, (k * 10 + round) as u64));
                let mut cases = vec![("as written", ex.clone())];
                if !t.strict {
                    cases.extend(ex.ocr_variants());
                }
                for (how, case) in cases {
                    let text = case.text();
                    let spans = rule_spans(rule, &text);
                    if !spans.contains(&case.secret) {
                        failures.push(format!(
                            "{}: {how}: {text:?}: want {:?}, got {spans:?}",
                            t.id, case.secret
                        ));
                    }
                }
                // and through the whole classifier
                let text = ex.text();
                let chars: Vec<char> = text.chars().collect();
                let covered = classifier
                    .classify(&text)
                    .iter()
                    .any(|f| f.category == Category::Secret && f.start <= ex.secret.0 && f.end >= ex.secret.1);
                if !covered {
                    let secret: String = chars[ex.secret.0..ex.secret.1].iter().collect();
                    failures.push(format!("{}: classify leaves {secret:?} of {text:?}", t.id));
                }
            }
        }
        for (k, template) in t.negatives.iter().enumerate() {
            let ex = Example::render(template, &mut Rng::seeded(&t.id, 1000 + k as u64));
            let text = ex.text();
            let spans = rule_spans(rule, &text);
            if !spans.is_empty() {
                failures.push(format!("{}: negative {text:?} found at {spans:?}", t.id));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Lines with no secret in them, several naming providers and their prefixes in prose.
const ORDINARY: &[&str] = &[
    "Escalate to the primary on-call before paging the database team.",
    "Rotate the Stripe key and the GitHub token after the incident review.",
    "GitHub classic tokens start with ghp_ and fine-grained ones with github_pat_.",
    "Store the AWS secret access key in the vault, never in the repository.",
    "Slack bot tokens begin with xoxb- and user tokens with xoxp-.",
    "Set OPENAI_API_KEY in your shell before running the notebook.",
    "Azure DevOps pipelines and the Azure key vault are in the west region.",
    "The Twilio auth token is shown once; copy it to the password manager.",
    "npm install --save-dev typescript eslint prettier",
    "pip install --upgrade pypi-server twine",
    "docker login registry.corp.example --username ci-bot",
    "kubectl get secrets -n payments -o wide",
    "postgresql://db-prod-10.ops.corp.example:5432/billing",
    "Authorization header missing: 401 Unauthorized",
    "SELECT id, email FROM customers WHERE created_at > now() - interval '7 days';",
    "const apiKey = process.env.STRIPE_SECRET_KEY;",
    "fn main() -> Result<(), Box<dyn Error>> {",
    "2024-03-09T02:47:45Z DEBUG POST /api/v1/orders/81404 201 413ms",
    "INV-2025-4972  Open  $37,971.22  2024-12-23",
    "drwxr-xr-x  2 root root 4096 Mar  4 10:11 etc",
    "commit message: fix(sk-learn): pin version to 1.4.2",
    "The ASIA PACIFIC region reported record sales in Q3.",
    "Meeting notes: Discord community call, Telegram channel, Teams standup",
    "See https://docs.github.com/en/authentication for token formats",
    "Pull Request #4411 merged by Dana Whitfield",
    "Sentry issue PROJ-123 resolved in release 2.4.0",
    "Grafana dashboard Service Overview updated 5 minutes ago",
    "Datadog monitor triggered: p99 latency above 800ms",
    "Vercel deployment succeeded; Netlify preview ready",
    "Quarterly budget review moved to Thursday - See the attached agenda",
    "File Edit View Selection Go Run Terminal Help",
    "Settings > Developer settings > Personal access tokens > Tokens (classic)",
    "U.S. Department of Energy, Office of Science",
    "en-us de-de fr-fr ja-jp",
    "Page 1/20   Show 25 entries   Export CSV",
    "-----BEGIN PUBLIC KEY-----",
    "-----BEGIN CERTIFICATE REQUEST-----",
    "key-value store migration plan",
    "secret santa gift exchange on Friday",
];

#[test]
fn quiet_on_ordinary_text() {
    for line in ORDINARY {
        let l = Line::new(line);
        let mut found = Findings::default();
        PROVIDERS.find(&l, &mut found);
        let ids: Vec<&str> = found.iter().map(|f| f.rule.as_str()).collect();
        assert!(ids.is_empty(), "{line:?}: {ids:?}");
    }
}
