//! Reads secret rules in gitleaks' TOML format (`[[rules]]` with `id`, `regex`, `keywords`,
//! `entropy`, `secretGroup`, `[rules.allowlist]` / `[[rules.allowlists]]`, and the global
//! `[allowlist]` / `[[allowlists]]`), so a security team reuses the rules it already maintains.
//! Keys are matched case-insensitively, as gitleaks (viper) does.
//!
//! Regexes are Go RE2 syntax. They compile with Rust's `regex` on bytes with ASCII classes, as
//! Go's `\w`, `\d`, `\s` and `\b` are; octal escapes are on, as in RE2; Go's `\<`/`\>` are the
//! literal characters (Rust would read word boundaries). What Rust rejects is an error naming
//! the rule and its line. What a screen cannot use (paths, commits, `[extend]`, required rules)
//! is collected for one warning.

use std::collections::BTreeSet;

use regex::bytes::{Regex, RegexBuilder};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::rules::{Allowlist, Rule, SecretRules, Target};

/// Which dialect: scrim's own data file also carries test examples, and any other unknown key
/// in it is a typo; a user's gitleaks file may hold keys gitleaks knows and scrim does not.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Dialect {
    Builtin,
    Gitleaks,
}

/// A parsed rules file: the rules, and what in it scrim ignores.
pub struct RuleFile {
    pub rules: SecretRules,
    /// Ignored fields, each once ("path (rules: a, b)", "[extend]").
    pub ignored: Vec<String>,
}

/// 1-based line of a byte offset.
fn line_of(src: &str, offset: usize) -> usize {
    src[..offset.min(src.len())].matches('\n').count() + 1
}

struct Ctx<'s> {
    src: &'s str,
    dialect: Dialect,
    ignored: BTreeSet<String>,
    /// Rule ids per ignored rule-level key.
    ignored_in_rules: std::collections::BTreeMap<String, Vec<String>>,
}

type Table<'i> = DeTable<'i>;
type Value<'i> = Spanned<DeValue<'i>>;
type Span = std::ops::Range<usize>;

impl Ctx<'_> {
    fn err(&self, span: std::ops::Range<usize>, msg: impl std::fmt::Display) -> String {
        format!("line {}: {msg}", line_of(self.src, span.start))
    }

    fn string(&self, v: &Value<'_>, what: &str) -> Result<String, String> {
        v.get_ref()
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| self.err(v.span(), format!("{what} must be a string")))
    }

    fn strings(&self, v: &Value<'_>, what: &str) -> Result<Vec<Spanned<String>>, String> {
        let arr = v
            .get_ref()
            .as_array()
            .ok_or_else(|| self.err(v.span(), format!("{what} must be an array of strings")))?;
        arr.iter()
            .map(|e| Ok(Spanned::new(e.span(), self.string(e, what)?)))
            .collect()
    }

    fn number(&self, v: &Value<'_>, what: &str) -> Result<f64, String> {
        let bad = || self.err(v.span(), format!("{what} must be a number"));
        match v.get_ref() {
            DeValue::Float(f) => f.as_str().replace('_', "").parse().map_err(|_| bad()),
            DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
                .map(|n| n as f64)
                .map_err(|_| bad()),
            _ => Err(bad()),
        }
    }

    fn table<'a, 'i>(&self, v: &'a Value<'i>, what: &str) -> Result<&'a Table<'i>, String> {
        v.get_ref()
            .as_table()
            .ok_or_else(|| self.err(v.span(), format!("{what} must be a table")))
    }

    /// A table, or an array of tables (`[[x]]`), each with where it is.
    fn tables<'a, 'i>(&self, v: &'a Value<'i>, what: &str) -> Result<Vec<(&'a Table<'i>, Span)>, String> {
        match v.get_ref() {
            DeValue::Table(t) => Ok(vec![(t, v.span())]),
            DeValue::Array(a) => a.iter().map(|e| Ok((self.table(e, what)?, e.span()))).collect(),
            _ => Err(self.err(v.span(), format!("{what} must be a table or an array of tables"))),
        }
    }

    /// An unknown key: an error in scrim's own file, else ignored and named.
    fn unknown(&mut self, key: &Spanned<std::borrow::Cow<'_, str>>, place: &str) -> Result<(), String> {
        match self.dialect {
            Dialect::Builtin => Err(self.err(key.span(), format!("unknown key {:?} in {place}", key.get_ref()))),
            Dialect::Gitleaks => {
                self.ignored.insert(format!("{place}.{}", key.get_ref()));
                Ok(())
            }
        }
    }

    fn ignore_in_rule(&mut self, key: &str, rule: &str) {
        self.ignored_in_rules
            .entry(key.to_string())
            .or_default()
            .push(rule.to_string());
    }

    /// Compiles a Go RE2 pattern written at `span` for `what` (e.g. `rule "aws"`).
    fn regex(&self, pattern: &str, span: std::ops::Range<usize>, what: &str) -> Result<Regex, String> {
        let translated = translate_go(pattern).map_err(|m| self.err(span.clone(), format!("{what}: regex: {m}")))?;
        let build = |unicode: bool| {
            RegexBuilder::new(&translated)
                .unicode(unicode)
                .octal(true)
                .size_limit(64 << 20)
                .build()
        };
        // Go's classes are ASCII; a pattern using Unicode classes (\pL) needs Unicode mode.
        build(false)
            .or_else(|_| build(true))
            .map_err(|e| self.err(span, format!("{what}: regex does not compile (Rust regex syntax): {e}")))
    }

    fn allowlist(
        &mut self,
        (t, span): (&Table<'_>, Span),
        place: &str,
        rule: Option<&str>,
    ) -> Result<(Allowlist, Vec<String>), String> {
        let mut a = Allowlist {
            target: Target::Secret,
            regexes: Vec::new(),
            stopwords: Vec::new(),
            all: false,
            never: false,
        };
        let mut screenless = false;
        let mut target_rules = Vec::new();
        let what = match rule {
            Some(id) => format!("rule {id:?} allowlist"),
            None => "global allowlist".to_string(),
        };
        for (k, v) in t.iter() {
            match k.get_ref().to_ascii_lowercase().as_str() {
                "description" => {}
                "condition" => {
                    a.all = match self.string(v, "condition")?.to_ascii_uppercase().as_str() {
                        "AND" | "&&" => true,
                        "" | "OR" | "||" => false,
                        other => {
                            return Err(self.err(v.span(), format!("{what}: condition {other:?} is not AND or OR")))
                        }
                    }
                }
                "regextarget" => {
                    a.target = match self.string(v, "regexTarget")?.as_str() {
                        "" | "secret" => Target::Secret,
                        "match" => Target::Match,
                        "line" => Target::Line,
                        other => {
                            return Err(
                                self.err(v.span(), format!("{what}: regexTarget {other:?} is not match or line"))
                            )
                        }
                    }
                }
                "regexes" => {
                    for p in self.strings(v, "regexes")? {
                        a.regexes.push(self.regex(p.get_ref(), p.span(), &what)?);
                    }
                }
                "stopwords" => {
                    a.stopwords = self
                        .strings(v, "stopwords")?
                        .into_iter()
                        .map(|s| s.into_inner().to_lowercase())
                        .collect()
                }
                "paths" | "commits" => {
                    screenless = true;
                    self.ignored.insert(format!("{place}.{}", k.get_ref()));
                }
                "targetrules" if rule.is_none() => {
                    target_rules = self
                        .strings(v, "targetRules")?
                        .into_iter()
                        .map(Spanned::into_inner)
                        .collect()
                }
                _ => self.unknown(k, place)?,
            }
        }
        // a screen has no path or commit: an AND over them never holds
        a.never = a.all && screenless;
        if a.regexes.is_empty() && a.stopwords.is_empty() && !screenless {
            return Err(self.err(span, format!("{what}: needs regexes or stopwords")));
        }
        Ok((a, target_rules))
    }

    fn rule(&mut self, (t, span): (&Table<'_>, Span)) -> Result<Option<Rule>, String> {
        let get = |name: &str| t.iter().find(|(k, _)| k.get_ref().eq_ignore_ascii_case(name));
        let id = match get("id") {
            Some((_, v)) => self.string(v, "id")?,
            None => return Err(self.err(span, "a [[rules]] entry has no id")),
        };
        let what = format!("rule {id:?}");
        let mut regex = None;
        let mut rule = Rule {
            id: id.clone(),
            regex: Regex::new("$^").expect("empty regex"),
            keywords: Vec::new(),
            entropy: None,
            secret_group: None,
            allowlists: Vec::new(),
        };
        let mut has_path = false;
        let mut group_span = 0..0;
        for (k, v) in t.iter() {
            let key = k.get_ref().to_ascii_lowercase();
            match key.as_str() {
                "id" | "description" | "tags" => {}
                "regex" => regex = Some((self.string(v, "regex")?, v.span())),
                "keywords" => {
                    rule.keywords = self
                        .strings(v, "keywords")?
                        .into_iter()
                        .map(|s| s.into_inner().to_lowercase())
                        .collect()
                }
                "entropy" => rule.entropy = Some(self.number(v, "entropy")? as f32),
                "secretgroup" => {
                    let g = self.number(v, "secretGroup")?;
                    if g < 0.0 || g.fract() != 0.0 {
                        return Err(self.err(v.span(), format!("{what}: secretGroup must be a whole number ≥ 0")));
                    }
                    group_span = v.span();
                    rule.secret_group = (g > 0.0).then_some(g as usize);
                }
                "allowlist" | "allowlists" => {
                    for a in self.tables(v, "allowlists")? {
                        let (a, _) = self.allowlist(a, "rules.allowlists", Some(&id))?;
                        rule.allowlists.push(a);
                    }
                }
                "path" => {
                    has_path = true;
                    self.ignore_in_rule("path", &id);
                }
                "required" | "skipreport" => self.ignore_in_rule(k.get_ref(), &id),
                "examples" | "negatives" | "strict" if self.dialect == Dialect::Builtin => {}
                _ => self.unknown(k, "rules")?,
            }
        }
        let Some((pattern, span)) = regex else {
            if has_path {
                // a file-name rule: nothing on a screen to match
                return Ok(None);
            }
            return Err(self.err(span, format!("{what} has no regex")));
        };
        rule.regex = self.regex(&pattern, span, &what)?;
        if let Some(g) = rule.secret_group {
            if g >= rule.regex.captures_len() {
                return Err(self.err(
                    group_span,
                    format!(
                        "{what}: secretGroup {g}, but the regex has {} groups",
                        rule.regex.captures_len() - 1
                    ),
                ));
            }
        }
        Ok(Some(rule))
    }
}

/// Go RE2 escapes Rust reads differently or rejects.
fn translate_go(p: &str) -> Result<String, String> {
    let mut out = String::with_capacity(p.len());
    let mut it = p.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            // Go: the literal character; Rust: a word boundary
            Some(c @ ('<' | '>')) => out.push(c),
            Some('Q') => {
                return Err("\\Q...\\E quoting is Go RE2 syntax Rust regex lacks; escape the characters instead".into())
            }
            Some('C') => return Err("\\C (any byte) is Go RE2 syntax Rust regex lacks; use . instead".into()),
            Some(n) => {
                out.push('\\');
                out.push(n);
            }
            None => out.push('\\'),
        }
    }
    Ok(out)
}

/// Parses a rules file. `origin` is not used in messages; callers prefix it.
pub fn parse(src: &str, dialect: Dialect) -> Result<RuleFile, String> {
    let doc = DeTable::parse(src).map_err(|e| {
        let line = e
            .span()
            .map(|s| format!("line {}: ", line_of(src, s.start)))
            .unwrap_or_default();
        format!("{line}{}", e.message())
    })?;
    let mut cx = Ctx {
        src,
        dialect,
        ignored: BTreeSet::new(),
        ignored_in_rules: Default::default(),
    };
    let mut rules = Vec::new();
    let mut global = Vec::new();
    let mut targeted: Vec<(Vec<String>, Allowlist)> = Vec::new();
    for (k, v) in doc.get_ref().iter() {
        match k.get_ref().to_ascii_lowercase().as_str() {
            "title" | "description" | "minversion" => {}
            "rules" => {
                for t in cx.tables(v, "rules")? {
                    if let Some(r) = cx.rule(t)? {
                        rules.push(r);
                    }
                }
            }
            "allowlist" | "allowlists" => {
                for t in cx.tables(v, "allowlists")? {
                    let (a, targets) = cx.allowlist(t, "allowlists", None)?;
                    if targets.is_empty() {
                        global.push(a);
                    } else {
                        targeted.push((targets, a));
                    }
                }
            }
            "extend" => {
                cx.ignored
                    .insert("[extend] (scrim's built-in provider rules run anyway)".into());
            }
            _ => cx.unknown(k, "top level")?,
        }
    }
    for (targets, a) in targeted {
        for id in &targets {
            let Some(r) = rules.iter_mut().find(|r| &r.id == id) else {
                return Err(format!(
                    "an allowlist targets rule {id:?}, which the file does not define"
                ));
            };
            r.allowlists.push(a.clone());
        }
    }
    let mut ignored: Vec<String> = cx
        .ignored_in_rules
        .into_iter()
        .map(|(k, ids)| format!("{k} (rules {})", ids.join(", ")))
        .collect();
    ignored.extend(cx.ignored);
    Ok(RuleFile {
        rules: SecretRules::new(rules, global),
        ignored,
    })
}
