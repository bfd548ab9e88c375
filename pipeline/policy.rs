//! The policy file (TOML): what to look for and how to redact it. See `assets/policy.example.toml`.
//!
//! Unknown keys and bad values are errors that name the line, so a typo never silently turns a
//! protection off.

use std::collections::BTreeMap;
use std::path::Path;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::classify::{
    hosts, parse_phone_region, parse_secret_rules, Category, ClassifierConfig, CustomRule, SecretRules,
    SecretRulesDialect,
};
use crate::error::{Error, ErrorKind, Result};
use crate::frame::Frame;
use crate::redact::{Style, StyleName};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    #[serde(default)]
    categories: BTreeMap<Category, bool>,
    #[serde(default)]
    redaction: RedactionSection,
    #[serde(default)]
    hosts: HostsSection,
    #[serde(default)]
    ip: IpSection,
    #[serde(default)]
    rules: Vec<RuleSection>,
    #[serde(default)]
    ocr: OcrSection,
    #[serde(default)]
    camera: CameraSection,
    #[serde(default)]
    names: NamesSection,
    #[serde(default)]
    phones: PhonesSection,
    #[serde(default)]
    secrets: SecretsSection,
    #[serde(default)]
    controls: ControlsSection,
}

/// Secret rules beyond scrim's built-in provider formats.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SecretsSection {
    /// A gitleaks rules file (`[[rules]]`, `[allowlist]`); a relative path is relative to the
    /// policy file.
    gitleaks: Option<Spanned<String>>,
}

/// Where people's names are looked for.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct NamesSection {
    scope: Option<crate::layout::NameScope>,
}

/// Which countries' national phone layouts count.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PhonesSection {
    regions: Option<Spanned<Vec<String>>>,
}

/// `scrim live`'s presenter controls.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ControlsSection {
    hotkey: Option<Spanned<String>>,
}

/// Camera privacy defaults (`scrim redact`/`live` flags override them).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CameraSection {
    faces: Option<StyleName>,
    face_model: Option<crate::camera::FaceModel>,
    keep_presenter: Option<bool>,
    background: Option<Spanned<String>>,
    whiteboards: Option<bool>,
    whiteboard_every: Option<Spanned<u32>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OcrSection {
    detection_max_side: Option<Spanned<u32>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RedactionSection {
    style: Option<StyleName>,
    color: Option<Spanned<String>>,
    mosaic_block: Option<Spanned<u32>>,
    blur_radius: Option<u32>,
    #[serde(default)]
    per_category: BTreeMap<Category, StyleName>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct HostsSection {
    #[serde(default)]
    internal_domains: Vec<String>,
    #[serde(default)]
    public_domains: Vec<String>,
    #[serde(default)]
    replace_default_public_domains: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IpSection {
    #[serde(default = "yes")]
    redact_public: bool,
}

impl Default for IpSection {
    fn default() -> Self {
        IpSection { redact_public: true }
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSection {
    name: String,
    pattern: Spanned<String>,
}

/// The colour of solid boxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// A shade of each box's own background ([`crate::redact::shade`]): the default.
    Shade,
    /// One colour for every box.
    Colour([u8; 3]),
}

/// Redaction settings resolved from the policy.
#[derive(Debug, Clone)]
pub struct RedactionPolicy {
    pub default: StyleName,
    pub per_category: BTreeMap<Category, StyleName>,
    pub color: Fill,
    pub mosaic_block: u32,
    pub blur_radius: u32,
}

impl Default for RedactionPolicy {
    fn default() -> Self {
        // Safe default for text: solid, irreversible.
        RedactionPolicy {
            default: StyleName::Solid,
            per_category: BTreeMap::new(),
            color: Fill::Shade,
            mosaic_block: 16,
            blur_radius: 12,
        }
    }
}

impl RedactionPolicy {
    /// What to do to each region of `frame` (the picture as captured, before any redaction:
    /// a shaded box takes its colour from what it covers): its box and its category's style.
    pub fn redactions(&self, frame: &Frame, regions: &[crate::region::Region]) -> Vec<crate::redact::Redaction> {
        regions
            .iter()
            .map(|r| crate::redact::Redaction {
                rect: r.rect,
                style: match self.style_for(r.category, r.rect.h) {
                    Style::Solid { .. } if self.color == Fill::Shade => Style::Solid {
                        color: crate::redact::shade::fill_for(frame, r.rect),
                    },
                    s => s,
                },
            })
            .collect()
    }

    /// The style for a region of category `c` whose box is `height` px high. Mosaic blocks are
    /// never smaller than the text is high, so the mosaic stays irreversible. A shaded solid
    /// box's colour depends on the frame: [`RedactionPolicy::redactions`] sets it (white's
    /// shade here).
    pub fn style_for(&self, c: Category, height: u32) -> Style {
        match self.per_category.get(&c).copied().unwrap_or(self.default) {
            StyleName::Solid => Style::Solid {
                color: match self.color {
                    Fill::Colour(c) => c,
                    Fill::Shade => crate::redact::shade::shade([255, 255, 255]),
                },
            },
            StyleName::Mosaic => Style::Mosaic {
                block: self.mosaic_block.max(height),
            },
            StyleName::Blur => Style::Blur {
                radius: self.blur_radius,
            },
        }
    }
}

/// OCR settings a policy may tune.
#[derive(Debug, Clone, Copy)]
pub struct OcrPolicy {
    /// Longer side of the frame fed to text detection (scaled down above it).
    pub detection_max_side: u32,
}

impl Default for OcrPolicy {
    fn default() -> Self {
        OcrPolicy {
            detection_max_side: crate::ocr::DEFAULT_DET_MAX_SIDE,
        }
    }
}

/// Accepted range of `detection_max_side`: below 320 px nothing is legible, above 8K is waste.
pub const DETECTION_SIDE_RANGE: std::ops::RangeInclusive<u32> = 320..=7680;

/// `scrim live`'s presenter controls.
#[derive(Debug, Clone)]
pub struct ControlsPolicy {
    /// The global hotkey that blanks the output (again: resumes); `None`: no hotkey.
    pub hotkey: Option<crate::live::hotkey::Hotkey>,
}

impl Default for ControlsPolicy {
    fn default() -> Self {
        ControlsPolicy {
            hotkey: Some(crate::live::hotkey::DEFAULT.parse().expect("the default hotkey parses")),
        }
    }
}

/// A whole policy: classification, redaction, OCR, camera and presenter-control settings.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub classifier: ClassifierConfig,
    pub redaction: RedactionPolicy,
    pub ocr: OcrPolicy,
    pub camera: crate::camera::CameraConfig,
    /// What the policy asks for that scrim ignores, one sentence each, for the user to see.
    pub warnings: Vec<String>,
    pub controls: ControlsPolicy,
}

/// 1-based line of a byte offset.
fn line_of(src: &str, offset: usize) -> usize {
    src[..offset.min(src.len())].matches('\n').count() + 1
}

fn policy_error(origin: &str, msg: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Policy, format!("{origin}: {msg}"))
}

impl Policy {
    pub fn load(path: &Path) -> Result<Policy> {
        let src = std::fs::read_to_string(path)
            .map_err(|e| policy_error(&path.display().to_string(), format!("cannot read: {e}")))?;
        Policy::parse_in(&src, &path.display().to_string(), path.parent())
    }

    /// Parses policy text; `origin` names it in errors. Files it names are relative to the
    /// current directory.
    pub fn parse(src: &str, origin: &str) -> Result<Policy> {
        Policy::parse_in(src, origin, None)
    }

    /// Parses policy text whose relative file names are relative to `dir`.
    pub fn parse_in(src: &str, origin: &str, dir: Option<&Path>) -> Result<Policy> {
        let file: PolicyFile = toml::from_str(src).map_err(|e| {
            let line = e
                .span()
                .map(|s| format!("line {}: ", line_of(src, s.start)))
                .unwrap_or_default();
            policy_error(origin, format!("{line}{}", e.message()))
        })?;
        let mut p = Policy::default();
        for (cat, on) in &file.categories {
            if !on {
                p.classifier.enabled.retain(|c| c != cat);
            }
        }
        if file.hosts.replace_default_public_domains {
            p.classifier.public_domains.clear();
        } else {
            p.classifier.public_domains = hosts::DEFAULT_PUBLIC_DOMAINS.iter().map(|s| s.to_string()).collect();
        }
        p.classifier
            .public_domains
            .extend(file.hosts.public_domains.iter().map(|d| d.to_ascii_lowercase()));
        p.classifier.internal_domains = file
            .hosts
            .internal_domains
            .iter()
            .map(|d| d.to_ascii_lowercase())
            .collect();
        p.classifier.public_ips = file.ip.redact_public;
        if let Some(scope) = file.names.scope {
            p.classifier.names = scope;
        }
        if let Some(r) = &file.phones.regions {
            if let Some(bad) = r.get_ref().iter().find(|c| parse_phone_region(c).is_none()) {
                return Err(policy_error(
                    origin,
                    format!(
                        "line {}: phones.regions: {bad:?} is not a region code (two letters, ISO 3166: \"GB\", \"DE\")",
                        line_of(src, r.span().start)
                    ),
                ));
            }
            p.classifier.phone_regions = r.get_ref().iter().map(|c| c.trim().to_ascii_uppercase()).collect();
        }
        for rule in &file.rules {
            let pattern = Regex::new(rule.pattern.get_ref()).map_err(|e| {
                policy_error(
                    origin,
                    format!(
                        "line {}: rule {:?}: bad pattern: {e}",
                        line_of(src, rule.pattern.span().start),
                        rule.name
                    ),
                )
            })?;
            p.classifier.custom.push(CustomRule {
                name: rule.name.clone(),
                pattern,
            });
        }
        if let Some(g) = &file.secrets.gitleaks {
            let at = line_of(src, g.span().start);
            let (rules, warning) =
                load_gitleaks(g.get_ref(), dir).map_err(|e| policy_error(origin, format!("line {at}: {e}")))?;
            p.classifier.secret_rules = Some(std::sync::Arc::new(rules));
            p.warnings.extend(warning);
        }
        let r = &file.redaction;
        if let Some(s) = r.style {
            p.redaction.default = s;
        }
        p.redaction.per_category = r.per_category.clone();
        if let Some(c) = &r.color {
            p.redaction.color = parse_fill(c.get_ref()).ok_or_else(|| {
                policy_error(
                    origin,
                    format!(
                        "line {}: color must be \"auto\" or look like \"#1a2b3c\", got {:?}",
                        line_of(src, c.span().start),
                        c.get_ref()
                    ),
                )
            })?;
        }
        if let Some(b) = &r.mosaic_block {
            if *b.get_ref() < 8 {
                return Err(policy_error(
                    origin,
                    format!(
                        "line {}: mosaic_block must be at least 8 px (smaller blocks can leave text readable)",
                        line_of(src, b.span().start)
                    ),
                ));
            }
            p.redaction.mosaic_block = *b.get_ref();
        }
        if let Some(b) = r.blur_radius {
            p.redaction.blur_radius = b.max(1);
        }
        if let Some(side) = &file.ocr.detection_max_side {
            if !DETECTION_SIDE_RANGE.contains(side.get_ref()) {
                return Err(policy_error(
                    origin,
                    format!(
                        "line {}: detection_max_side must be within {DETECTION_SIDE_RANGE:?}",
                        line_of(src, side.span().start)
                    ),
                ));
            }
            p.ocr.detection_max_side = *side.get_ref();
        }
        let c = &file.camera;
        p.camera.faces = c.faces;
        if let Some(m) = c.face_model {
            p.camera.face_model = m;
        }
        p.camera.keep_presenter = c.keep_presenter.unwrap_or(false);
        p.camera.whiteboards = c.whiteboards.unwrap_or(false);
        if let Some(b) = &c.background {
            p.camera.background = Some(b.get_ref().parse().map_err(|e| {
                policy_error(
                    origin,
                    format!("line {}: background: {e}", line_of(src, b.span().start)),
                )
            })?);
        }
        if let Some(n) = &c.whiteboard_every {
            if *n.get_ref() == 0 {
                return Err(policy_error(
                    origin,
                    format!(
                        "line {}: whiteboard_every must be at least 1",
                        line_of(src, n.span().start)
                    ),
                ));
            }
            p.camera.whiteboard_every = *n.get_ref();
        }
        if let Some(k) = &file.controls.hotkey {
            p.controls.hotkey = match k.get_ref().trim() {
                "" | "none" => None,
                key => Some(key.parse().map_err(|e| {
                    policy_error(origin, format!("line {}: hotkey: {e}", line_of(src, k.span().start)))
                })?),
            };
        }
        Ok(p)
    }
}

/// Largest rules file read: gitleaks' own default file is under 200 KiB.
const MAX_RULES_FILE_BYTES: u64 = 16 << 20;

/// The text of a rules file: a regular file of bounded size (a policy naming `/dev/zero` or a
/// FIFO is an error, not a hang or an unbounded read).
fn read_rules_file(path: &Path) -> std::result::Result<String, String> {
    use std::io::Read;
    let f = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let meta = f.metadata().map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    let mut src = String::new();
    f.take(MAX_RULES_FILE_BYTES + 1)
        .read_to_string(&mut src)
        .map_err(|e| format!("cannot read: {e}"))?;
    if src.len() as u64 > MAX_RULES_FILE_BYTES {
        return Err(format!("larger than the {} MiB limit", MAX_RULES_FILE_BYTES >> 20));
    }
    Ok(src)
}

/// Reads a gitleaks rules file with the same reader as scrim's built-in provider rules: its
/// rules, and one sentence naming what in it a screen cannot use.
fn load_gitleaks(name: &str, dir: Option<&Path>) -> std::result::Result<(SecretRules, Option<String>), String> {
    let path = match dir {
        Some(d) if Path::new(name).is_relative() => d.join(name),
        _ => Path::new(name).to_path_buf(),
    };
    let shown = path.display();
    let src = read_rules_file(&path).map_err(|e| format!("gitleaks rules {shown}: {e}"))?;
    let file =
        parse_secret_rules(&src, SecretRulesDialect::Gitleaks).map_err(|e| format!("gitleaks rules {shown}: {e}"))?;
    let warning = (!file.ignored.is_empty()).then(|| {
        format!(
            "gitleaks rules {shown}: {} rule{}; ignored (scrim does not support them on screens): {}",
            file.rules.len(),
            if file.rules.len() == 1 { "" } else { "s" },
            file.ignored.join("; ")
        )
    });
    Ok((file.rules, warning))
}

fn parse_fill(s: &str) -> Option<Fill> {
    if s.eq_ignore_ascii_case("auto") {
        return Some(Fill::Shade);
    }
    parse_color(s).map(Fill::Colour)
}

fn parse_color(s: &str) -> Option<[u8; 3]> {
    let h = s.strip_prefix('#')?;
    if h.len() != 6 {
        return None;
    }
    let v = u32::from_str_radix(h, 16).ok()?;
    Some([(v >> 16) as u8, (v >> 8) as u8, v as u8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_policy_parses() {
        let p = Policy::parse(include_str!("../assets/policy.example.toml"), "example").unwrap();
        assert!(p.classifier.internal_domains.contains(&"acme.com".to_string()));
        assert!(!p.classifier.custom.is_empty());
        assert!(!p.camera.is_active(), "the example keeps camera privacy off");
        let c = Policy::parse("[camera]\nfaces = \"blur\"\nbackground = \"blur:30\"\n", "c").unwrap();
        assert_eq!(c.camera.faces, Some(StyleName::Blur));
        assert_eq!(
            c.camera.background,
            Some(crate::camera::Background::Blur { radius: 30 })
        );
        assert_eq!(p.controls.hotkey.unwrap().to_string(), "Ctrl+Alt+B");
        let off = Policy::parse("[controls]\nhotkey = \"none\"\n", "off").unwrap();
        assert!(off.controls.hotkey.is_none());
        let bad = Policy::parse("\n[controls]\nhotkey = \"Ctrl+Hyper+X\"\n", "bad").unwrap_err();
        assert!(bad.to_string().contains("line 3: hotkey"), "{bad}");
    }

    #[test]
    fn empty_policy_is_the_safe_default() {
        let p = Policy::parse("", "empty").unwrap();
        assert_eq!(p.classifier.enabled.len(), Category::ALL.len());
        assert_eq!(
            p.redaction.style_for(Category::Secret, 20),
            Style::Solid { color: [199, 199, 199] }
        );
        assert_eq!(p.redaction.color, Fill::Shade);
        let black = Policy::parse("[redaction]\ncolor = \"#000000\"\n", "black").unwrap();
        assert_eq!(black.redaction.color, Fill::Colour([0, 0, 0]));
        assert_eq!(
            Policy::parse("[redaction]\ncolor = \"auto\"\n", "auto")
                .unwrap()
                .redaction
                .color,
            Fill::Shade
        );
    }

    #[test]
    fn errors_name_the_line() {
        for (src, needle) in [
            ("[categories]\nurl = true\nurls = false\n", "line 3"),
            ("[redaction]\nstyle = \"smudge\"\n", "line 2"),
            ("[redaction]\n\ncolor = \"red\"\n", "line 3"),
            ("[redaction]\nmosaic_block = 2\n", "line 2"),
            ("[[rules]]\nname = \"x\"\npattern = \"(\"\n", "line 3"),
            ("bogus = 1\n", "line 1"),
            ("[camera]\nfaces = \"mosaic\"\nbackground = \"sepia\"\n", "line 3"),
            ("[camera]\nwhiteboard_every = 0\n", "line 2"),
            (
                "\n[phones]\nregions = [\"DE\", \"UK\"]\n",
                "line 3: phones.regions: \"UK\"",
            ),
        ] {
            let e = Policy::parse(src, "p.toml").unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Policy);
            assert!(e.to_string().contains(needle), "{src:?}: {e}");
        }
    }

    #[test]
    fn phone_regions_replace_the_default_list() {
        let p = Policy::parse("", "empty").unwrap();
        assert!(p.classifier.phone_regions.iter().any(|r| r == "FR"));
        let ch = Policy::parse("[phones]\nregions = [\"ch\"]\n", "p").unwrap();
        assert_eq!(ch.classifier.phone_regions, vec!["CH".to_string()]);
        let phones = |p: &Policy, t: &str| {
            crate::classify::Classifier::new(p.classifier.clone())
                .classify(t)
                .iter()
                .any(|f| f.category == Category::Phone)
        };
        // a French national number: only where France's layouts count
        assert!(phones(&p, "01 18 22 98 57"));
        assert!(!phones(&ch, "01 18 22 98 57"));
        assert!(phones(&ch, "079 912 05 70"));
    }

    /// A security team's gitleaks file: rules scrim runs, fields it names as ignored.
    const GITLEAKS: &str = r#"title = "acme secrets"

[extend]
useDefault = true

[[rules]]
id = "acme-deploy-key"
description = "Acme deploy keys"
regex = '''acme_dk_([a-z0-9]{24})'''
secretGroup = 1
keywords = ["acme_dk_"]
entropy = 3.0
tags = ["acme"]

[[rules]]
id = "acme-badge"
regex = '''\bBADGE-[0-9]{6}\b'''
keywords = ["badge-"]
path = '''\.env$'''
[rules.allowlist]
stopwords = ["000000"]

[[rules]]
id = "acme-env-file"
path = '''(^|/)\.acme\.env$'''

[allowlist]
description = "placeholders"
regexes = ['''(?i)^(?:example|dummy)''']
paths = ['''docs/''']
"#;

    /// A policy in a directory of its own naming `gitleaks` (relative to it), parsed.
    fn with_gitleaks(rules: &str) -> Result<Policy> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("gl.toml"), rules).unwrap();
        let src = "[categories]\nname = true\n\n[secrets]\ngitleaks = \"gl.toml\"\n";
        Policy::parse_in(src, "p.toml", Some(dir.path()))
    }

    fn secrets(p: &Policy, text: &str) -> Vec<(String, String)> {
        let c = crate::classify::Classifier::new(p.classifier.clone());
        c.classify(text)
            .into_iter()
            .filter(|f| f.category == Category::Secret)
            .map(|f| (text.chars().skip(f.start).take(f.end - f.start).collect(), f.rule))
            .collect()
    }

    #[test]
    fn a_gitleaks_file_adds_its_rules() {
        let p = with_gitleaks(GITLEAKS).unwrap();
        let rule = |t: &str, id: &str, want: &str| {
            let got = secrets(&p, t);
            assert!(got.iter().any(|(s, r)| s == want && r == id), "{t:?}: {got:?}");
        };
        rule(
            "deploy with acme_dk_k3v9q2m8x7c4b1n6z5l0p8r2 today",
            "acme-deploy-key",
            "acme_dk_k3v9q2m8x7c4b1n6z5l0p8r2",
        );
        rule("Door BADGE-482913 issued", "acme-badge", "BADGE-482913");
        for (t, why) in [
            ("acme_dk_aaaaaaaaaaaaaaaaaaaaaaaa", "entropy below the rule's minimum"),
            ("Door BADGE-000000 issued", "the rule's stopword"),
            ("Door BADGE-48291 issued", "no match"),
        ] {
            assert!(
                !secrets(&p, t).iter().any(|(_, r)| r.starts_with("acme-")),
                "{t:?}: {why}"
            );
        }
        // the global allowlist (regexes on the secret)
        let dummy =
            with_gitleaks(&GITLEAKS.replace("acme_dk_([a-z0-9]{24})", "acme_dk_((?:dummy)?[a-z0-9]{24})")).unwrap();
        assert!(!secrets(&dummy, "acme_dk_dummyk3v9q2m8x7c4b1n6z5l0p8r2")
            .iter()
            .any(|(_, r)| r == "acme-deploy-key"));
        // what a screen cannot use is named once
        assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
        let w = &p.warnings[0];
        for needle in [
            "gl.toml",
            "2 rules",
            "path (rules acme-badge, acme-env-file)",
            "allowlists.paths",
            "[extend]",
        ] {
            assert!(w.contains(needle), "{needle:?} not in {w:?}");
        }
        // without a gitleaks file, only the built-in rules run
        assert!(secrets(&Policy::default(), "Door BADGE-482913 issued").is_empty());
        let plain = with_gitleaks("[[rules]]\nid = \"x\"\nregex = 'x[0-9]{30}'\n").unwrap();
        assert!(plain.warnings.is_empty(), "{:?}", plain.warnings);
    }

    #[test]
    fn gitleaks_errors_name_the_rule_and_line() {
        for (rules, needles) in [
            (
                "[[rules]]\nid = \"ok\"\nregex = 'a+'\n\n[[rules]]\nid = \"broken\"\nregex = 'key-(['\n",
                &["p.toml: line 5", "gl.toml", "line 7", "rule \"broken\"", "regex"][..],
            ),
            // Go RE2 syntax Rust's regex lacks
            (
                "[[rules]]\nid = \"quoted\"\nregex = '\\Qa.b\\E'\n",
                &["line 3", "rule \"quoted\"", "\\Q"][..],
            ),
            (
                "[[rules]]\nid = \"g\"\nregex = 'k(x)'\nsecretGroup = 2\n",
                &["line 4", "secretGroup 2"][..],
            ),
            ("[[rules]]\nid = \"n\"\n", &["line 1", "rule \"n\" has no regex"][..]),
            ("[[rules]]\nregex = 'x'\n", &["line 1", "no id"][..]),
            ("[allowlist]\nregexes = ['(']\n", &["line 2", "global allowlist"][..]),
            ("[[rules]\n", &["gl.toml", "line 1"][..]),
        ] {
            let e = with_gitleaks(rules).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Policy);
            for n in needles {
                assert!(e.to_string().contains(n), "{rules:?}: {n:?} not in {e}");
            }
        }
        let e = Policy::parse("[secrets]\ngitleaks = \"/nonexistent/gl.toml\"\n", "p.toml").unwrap_err();
        assert!(
            e.to_string().contains("line 2") && e.to_string().contains("cannot read"),
            "{e}"
        );
    }

    #[test]
    fn a_rules_file_that_is_not_a_regular_file_is_an_error_not_a_hang() {
        for dev in ["/dev/zero", "/dev/null", "/"] {
            let src = format!("[secrets]\ngitleaks = \"{dev}\"\n");
            let e = Policy::parse(&src, "p.toml").unwrap_err().to_string();
            assert!(e.contains("line 2") && e.contains(dev), "{e}");
        }
    }

    #[test]
    fn mosaic_blocks_grow_with_text() {
        let p = Policy::parse("[redaction]\nstyle = \"mosaic\"\nmosaic_block = 10\n", "p").unwrap();
        assert_eq!(p.redaction.style_for(Category::Email, 30), Style::Mosaic { block: 30 });
    }
}
