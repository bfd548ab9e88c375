//! The policy file (TOML): what to look for and how to redact it. See `assets/policy.example.toml`.
//!
//! Unknown keys and bad values are errors that name the line, so a typo never silently turns a
//! protection off.

use std::collections::BTreeMap;
use std::path::Path;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::classify::{hosts, Category, ClassifierConfig, CustomRule};
use crate::error::{Error, ErrorKind, Result};
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
}

/// Where people's names are looked for.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct NamesSection {
    scope: Option<crate::layout::NameScope>,
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

/// Redaction settings resolved from the policy.
#[derive(Debug, Clone)]
pub struct RedactionPolicy {
    pub default: StyleName,
    pub per_category: BTreeMap<Category, StyleName>,
    pub color: [u8; 3],
    pub mosaic_block: u32,
    pub blur_radius: u32,
}

impl Default for RedactionPolicy {
    fn default() -> Self {
        // Safe default for text: solid, irreversible.
        RedactionPolicy {
            default: StyleName::Solid,
            per_category: BTreeMap::new(),
            color: [0, 0, 0],
            mosaic_block: 16,
            blur_radius: 12,
        }
    }
}

impl RedactionPolicy {
    /// What to do to each region: its box and the style its category gets.
    pub fn redactions(&self, regions: &[crate::region::Region]) -> Vec<crate::redact::Redaction> {
        regions
            .iter()
            .map(|r| crate::redact::Redaction {
                rect: r.rect,
                style: self.style_for(r.category, r.rect.h),
            })
            .collect()
    }

    /// The style for a region of category `c` whose box is `height` px high. Mosaic blocks are
    /// never smaller than the text is high, so the mosaic stays irreversible.
    pub fn style_for(&self, c: Category, height: u32) -> Style {
        match self.per_category.get(&c).copied().unwrap_or(self.default) {
            StyleName::Solid => Style::Solid { color: self.color },
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

/// A whole policy: classification, redaction, OCR and camera settings.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub classifier: ClassifierConfig,
    pub redaction: RedactionPolicy,
    pub ocr: OcrPolicy,
    pub camera: crate::camera::CameraConfig,
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
        Policy::parse(&src, &path.display().to_string())
    }

    /// Parses policy text; `origin` names it in errors.
    pub fn parse(src: &str, origin: &str) -> Result<Policy> {
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
        let r = &file.redaction;
        if let Some(s) = r.style {
            p.redaction.default = s;
        }
        p.redaction.per_category = r.per_category.clone();
        if let Some(c) = &r.color {
            p.redaction.color = parse_color(c.get_ref()).ok_or_else(|| {
                policy_error(
                    origin,
                    format!(
                        "line {}: color must look like \"#1a2b3c\", got {:?}",
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
        Ok(p)
    }
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
    }

    #[test]
    fn empty_policy_is_the_safe_default() {
        let p = Policy::parse("", "empty").unwrap();
        assert_eq!(p.classifier.enabled.len(), Category::ALL.len());
        assert_eq!(
            p.redaction.style_for(Category::Secret, 20),
            Style::Solid { color: [0, 0, 0] }
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
        ] {
            let e = Policy::parse(src, "p.toml").unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Policy);
            assert!(e.to_string().contains(needle), "{src:?}: {e}");
        }
    }

    #[test]
    fn mosaic_blocks_grow_with_text() {
        let p = Policy::parse("[redaction]\nstyle = \"mosaic\"\nmosaic_block = 10\n", "p").unwrap();
        assert_eq!(p.redaction.style_for(Category::Email, 30), Style::Mosaic { block: 30 });
    }
}
