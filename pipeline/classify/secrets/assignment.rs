//! Values assigned to secret-named keys (`db_password=...`, `token: ...`, "the wifi password is
//! hunter2") and passed as password flags (`mysql -pSECRET`, `--token X`). The key stays readable.

use super::super::{checks, Category, Findings, Line, Recognizer};

re!(
    KEY_VALUE,
    r#"(?i)([A-Za-z0-9_.-]*(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|auth|session|sid|signature|sig)[A-Za-z0-9_.-]*)["']?(\s*[:=]\s*|\s+(?:is|was)\s+)(["']?)([^\s"',;]+)"#
);
// "the password for the shared account is X", "token to the staging API: X": a secret word,
// what it is for (a few words after for/to/of/on), then the value
re!(
    KEY_FOR_VALUE,
    r#"(?i)\b(?:pass(?:word|phrase|code)|pin|token|secret|api[ _-]?key|key)\s+(?:for|to|of|on)(?:\s+[\w.@/-]+){1,5}?(?:\s+(?:is|was)\s+|\s*[:=]\s*)(["']?)([^\s"',;]+)"#
);
re!(
    PASSWORD_FLAG,
    r"(?:^|\s)(?:-p|--password[= ]|--pass[= ]|--token[= ]|-P )([^\s'\x22]{4,})"
);

/// Values that configure rather than reveal.
const FALSE_VALUES: &[&str] = &[
    "true", "false", "null", "none", "yes", "no", "required", "optional", "n/a",
];

pub struct AssignmentRecognizer;

impl Recognizer for AssignmentRecognizer {
    fn name(&self) -> &'static str {
        "secret-assignment"
    }

    fn categories(&self) -> &'static [Category] {
        &[Category::Secret]
    }

    fn recognize(&self, line: &Line<'_>, found: &mut Findings) {
        for c in KEY_VALUE.captures_iter(line.text) {
            let v = c.get(4).expect("value group");
            if FALSE_VALUES.contains(&v.as_str().to_ascii_lowercase().as_str()) || v.as_str().chars().count() < 3 {
                continue;
            }
            // "session will time out" is prose; only `is/was` forms need the value to look secret
            let sep = c.get(2).map(|s| s.as_str()).unwrap_or("");
            let looks_secret = v
                .as_str()
                .chars()
                .any(|c| c.is_ascii_digit() || "!?#%&$*^~".contains(c));
            if !sep.contains([':', '=']) && !looks_secret {
                continue;
            }
            let (s, e) = line.span(&v);
            found.push(s, e, Category::Secret, "secret-assignment");
        }
        for c in KEY_FOR_VALUE.captures_iter(line.text) {
            let v = c.get(2).expect("value group");
            let t = v.as_str().trim_end_matches(['.', '!', '?']);
            // prose goes on in words ("the key to the door is under the mat"); a value has a
            // digit or a symbol
            let looks_secret =
                t.chars().count() >= 4 && t.chars().any(|c| c.is_ascii_digit() || "!#%&$*^~@".contains(c));
            if looks_secret {
                let (s, e) = line.span(&v);
                found.push(s, e, Category::Secret, "secret-assignment");
            }
        }
        for c in PASSWORD_FLAG.captures_iter(line.text) {
            let v = c.get(1).expect("value group");
            let k = checks::classes(v.as_str());
            let kinds = [k.upper > 0, k.lower > 0, k.digit > 0, k.symbol > 0];
            if kinds.iter().filter(|&&b| b).count() >= 2 {
                let (s, e) = line.span(&v);
                found.push(s, e, Category::Secret, "password-flag");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::tests::{assert_covers, assert_not_covered};
    use super::*;

    #[test]
    fn assignments_and_flags() {
        for (text, want) in [
            ("the wifi password is hunter2", "hunter2"),
            ("password for the shared account is Copper2011@", "Copper2011@"),
            ("the token for the staging API: 9f8e7d6c5b4a", "9f8e7d6c5b4a"),
            ("db_password=s3cret", "s3cret"),
            ("mysql -h db -u admin -pCMTzowt571?PIf", "CMTzowt571?PIf"),
            (
                "aws_secret_access_key = QhougGQUhxpnQzjssPlg61rw/ZEfmPqX9VJ2qMsH",
                "QhougGQUhxpnQzjssPlg61rw/ZEfmPqX9VJ2qMsH",
            ),
            ("cli login --token 8f2kQp1x", "8f2kQp1x"),
            ("Set-Cookie: sid=9c1f0e77ab; Path=/", "9c1f0e77ab"),
        ] {
            assert_covers(text, Category::Secret, want);
        }
        for text in [
            "Session will time out after twenty minutes of inactivity.",
            "token: true",
            "password: required",
            "grep -i -e pass -e token",
            "Revoked keys stop working immediately.",
            "The key to the door is under the mat.",
            "The password for the VPN is in the vault.",
        ] {
            assert_not_covered(text, Category::Secret);
        }
    }
}
