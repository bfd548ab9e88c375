//! The policy's own rules: a name and a regular expression.

use super::{Category, CustomRule, Findings, Line, Recognizer};

pub struct CustomRecognizer {
    rules: Vec<CustomRule>,
}

impl CustomRecognizer {
    pub(super) fn new(rules: Vec<CustomRule>) -> Self {
        CustomRecognizer { rules }
    }
}

impl Recognizer for CustomRecognizer {
    fn name(&self) -> &'static str {
        "custom"
    }

    fn categories(&self) -> &'static [Category] {
        &[Category::Custom]
    }

    fn recognize(&self, line: &Line<'_>, found: &mut Findings) {
        for rule in &self.rules {
            for m in rule.pattern.find_iter(line.text) {
                let (s, e) = line.span(&m);
                found.push(s, e, Category::Custom, &rule.name);
            }
        }
    }
}
