//! Table-driven tests of the whole classifier (each recogniser has its own next to it): each row
//! is a line, and what must (or must not) be found in it. The helpers are shared with them.

use super::*;

pub(super) fn classifier() -> Classifier {
    Classifier::new(ClassifierConfig {
        internal_domains: vec!["acme.com".into()],
        ..Default::default()
    })
}

/// The substrings of `text` that findings of `cat` cover.
pub(super) fn covered(text: &str, cat: Category) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    classifier()
        .classify(text)
        .into_iter()
        .filter(|f| f.category == cat)
        .map(|f| chars[f.start..f.end].iter().collect())
        .collect()
}

/// Every `secret` substring is inside some finding of `cat`.
pub(super) fn assert_covers(text: &str, cat: Category, secret: &str) {
    let got = covered(text, cat);
    assert!(
        got.iter().any(|g| g.contains(secret)),
        "{cat} {secret:?} not covered in {text:?}; got {got:?}"
    );
}

/// No finding of `cat` in `text`.
pub(super) fn assert_not_covered(text: &str, cat: Category) {
    let got = covered(text, cat);
    assert!(got.is_empty(), "false {cat} in {text:?}: {got:?}");
}

fn assert_none(text: &str) {
    let f = classifier().classify(text);
    assert!(f.is_empty(), "false positive in {text:?}: {f:?}");
}

#[test]
fn positives() {
    let rows: &[(&str, Category, &str)] = &[
        // URLs and hosts
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
        (
            "https://jenkins.acme.com/job/1",
            Category::Url,
            "https://jenkins.acme.com/job/1",
        ),
        ("http://wiki:8080/start", Category::Url, "http://wiki:8080/start"),
        ("db-prod-14.corp.example", Category::Hostname, "db-prod-14.corp.example"),
        (
            "ssh deploy@10.80.145.42 'systemctl restart api'",
            Category::Ip,
            "10.80.145.42",
        ),
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
        (
            "The standby lives on db -prod -06.ops.corp.example with",
            Category::Hostname,
            "db -prod -06.ops.corp.example",
        ),
        (
            "mail: olga . whitfield@corp.example",
            Category::Email,
            "olga . whitfield@corp.example",
        ),
        // e-mail
        (
            "olga.whitfield@corp.example",
            Category::Email,
            "olga.whitfield@corp.example",
        ),
        (
            "Work e-mail: olga.whitfield@corp.example",
            Category::Email,
            "olga.whitfield@corp.example",
        ),
        (
            "Email:kenji.vasquez@corp.example",
            Category::Email,
            "kenji.vasquez@corp.example",
        ),
        // IPs, including OCR look-alikes
        ("10.207.226.161", Category::Ip, "10.207.226.161"),
        ("address 10.2O7.226.l61 is up", Category::Ip, "10.2O7.226.l61"),
        // OCR sometimes reads a space after a dot in monospace digits
        ("session lf6le6add96ec404ea01", Category::Secret, "lf6le6add96ec404ea01"),
        ("5135a804c2e525817312", Category::Secret, "5135a804c2e525817312"),
        ("e10.44.33.177 active", Category::Ip, "10.44.33.177"),
        ("10.44.33.177 active", Category::Ip, "10.44.33.177"),
        ("with address 10.93. 189.95.", Category::Ip, "10.93. 189.95"),
        ("fe80::1ff:fe23:4567:890a", Category::Ip, "fe80::1ff:fe23:4567:890a"),
        ("8.8.8.8", Category::Ip, "8.8.8.8"),
        // secrets
        (
            "export AWS_ACCESS_KEY_ID=AKIAQFVKJYMOJCLDLXMZ",
            Category::Secret,
            "AKIAQFVKJYMOJCLDLXMZ",
        ),
        (
            "export AWS_SECRET_ACCESS_KEY=SZF38W37cuIM80DJ5tfN0Uf5KWzZpVeUqk4gEkVj",
            Category::Secret,
            "SZF38W37cuIM80DJ5tfN0Uf5KWzZpVeUqk4gEkVj",
        ),
        (
            "git clone https://oauth2:ghp_x2QwCh3hmTC9oDJb0d7nw5BTPf9uj2kStebn@git.corp.example/infra/deploy.git",
            Category::Secret,
            "ghp_x2QwCh3hmTC9oDJb0d7nw5BTPf9uj2kStebn",
        ),
        (
            "STRIPE_API_KEY = \"sk_live_kuxH4VrbasbPuMFjS399fYxz\"",
            Category::Secret,
            "sk_live_kuxH4VrbasbPuMFjS399fYxz",
        ),
        (
            "SLACK_BOT_TOKEN = \"xoxb-84368304193-770143590394-HVTh8wmZO9thuuv2RyXKSVhF\"",
            Category::Secret,
            "xoxb-84368304193-770143590394-HVTh8wmZO9thuuv2RyXKSVhF",
        ),
        (
            "pk_2ar8b653p3f07q8zxww6jchupxs8",
            Category::Secret,
            "pk_2ar8b653p3f07q8zxww6jchupxs8",
        ),
        (
            "TEST_JWT = \"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI3NDAxNiJ9.w3rgLlM0XYXRxY35gqbgySx43rfjH7fPMNPHoQCv9l3\"",
            Category::Secret,
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI3NDAxNiJ9.w3rgLlM0XYXRxY35gqbgySx43rfjH7fPMNPHoQCv9l3",
        ),
        (
            "DATABASE_URL = \"postgresql://svc_billing:UAHpowv220&4fj@db-prod-10.ops.corp.example:5432/billing\"",
            Category::Secret,
            "postgresql://svc_billing:UAHpowv220&4fj@db-prod-10.ops.corp.example:5432/billing",
        ),
        (
            "amqp://app:YZKoxob066!zUy@kafka-24.corp.example:5672/prod",
            Category::Secret,
            "YZKoxob066!zUy",
        ),
        (
            "mysql -h db -u admin -pCMTzowt571?PIf",
            Category::Secret,
            "CMTzowt571?PIf",
        ),
        (
            "Use this one-time password: DPNhqsm778?v3A",
            Category::Secret,
            "DPNhqsm778?v3A",
        ),
        ("the wifi password is hunter2", Category::Secret, "hunter2"),
        ("db_password=s3cret", Category::Secret, "s3cret"),
        (
            "-----BEGIN RSA PRIVATE KEY-----",
            Category::Secret,
            "BEGIN RSA PRIVATE KEY",
        ),
        (
            "aws_secret_access_key = QhougGQUhxpnQzjssPlg61rw/ZEfmPqX9VJ2qMsH",
            Category::Secret,
            "QhougGQUhxpnQzjssPlg61rw/ZEfmPqX9VJ2qMsH",
        ),
        ("new one: YYEqjnq755?uYP thanks", Category::Secret, "YYEqjnq755?uYP"),
        // PII
        ("(849) 555-0121", Category::Phone, "(849) 555-0121"),
        ("+44 20 7946 0958", Category::Phone, "+44 20 7946 0958"),
        (
            "Reach me on my cell at (515) 555-0170",
            Category::Phone,
            "(515) 555-0170",
        ),
        ("747-37-5331", Category::Ssn, "747-37-5331"),
        ("SSN 747-37-533l", Category::Ssn, "747-37-533l"),
        ("4539 1488 0343 6467", Category::Card, "4539 1488 0343 6467"),
        ("378282246310005", Category::Card, "378282246310005"),
        ("card 4539-1488-O343-6467 exp", Category::Card, "4539-1488-O343-6467"),
        (
            "IBAN GB82 WEST 1234 5698 7654 32",
            Category::Iban,
            "GB82 WEST 1234 5698 7654 32",
        ),
        ("Cardholder: Priya Brennan", Category::Name, "Priya Brennan"),
        (
            "Chen Ferreira,chen.ferreira@corp.example,(946) 555-0188,875-31-4384",
            Category::Name,
            "Chen Ferreira",
        ),
    ];
    for (text, cat, secret) in rows {
        assert_covers(text, *cat, secret);
    }
}

#[test]
fn negatives() {
    for text in [
        "Operations Portal",
        "All systems operational except one degraded service.",
        "Cloning into deploy... done.",
        "Build finished successfully in 42 seconds",
        "Session will time out after twenty minutes of inactivity.",
        "Keep your secret keys private and never share them in screenshots.",
        "requirements.txt",
        "settings.py",
        "DEBUG = os.environ.get(\"DEBUG\", \"false\") == \"true\"",
        "The council voted seven to two on Tuesday evening to fund the project.",
        "Totals are recalculated when the sheet is opened.",
        "Requests / min 48,213",
        "99.7%",
        "$8,510.00",
        "sizes 10, 20, 30, 40",
        "Start date 2019-03-04",
        "09:41",
        "e.g. the standby replica",
        "Visit github.com/rust-lang/rust for the source",
        "56(84) bytes of data.",
        "grep -i -e pass -e token",
        "Revoked keys stop working immediately.",
        "Quarterly budget review moved to Thursday - See the attached agenda",
        "Build finished. It took 42 seconds.",
        "PostgreSQL primary",
        "Version 1.2.3 released",
        "WEBHOOK_RETRIES = 3",
        "token: true",
        "lo UNKNOWN 127.0.0.1/8",
    ] {
        assert_none(text);
    }
}

#[test]
fn label_stays_readable_when_value_is_redacted() {
    let text = "Work e-mail: olga.whitfield@corp.example";
    let f = classifier().classify(text);
    assert!(!f.is_empty());
    let label_end = "Work e-mail:".chars().count();
    assert!(f.iter().all(|f| f.start >= label_end), "{f:?}");
}

#[test]
fn variable_names_stay_readable() {
    for (text, name) in [
        (
            "STRIPE_SECRET_KEY=sk_live_9fKq2LmZx81VbTr4Ws0YhNcE",
            "STRIPE_SECRET_KEY=",
        ),
        ("DB_PASSWORD=Vq7!mPz42rKt", "DB_PASSWORD="),
        ("GITHUB_TOKEN=ghp_R8vNq2XbT5mKc9LwZ3yHd7Fs1Gj4Pa6Ue0Qi", "GITHUB_TOKEN="),
        (
            "export AWS_SECRET_ACCESS_KEY=SZF38W37cuIM80DJ5tfN0Uf5KWzZpVeUqk4gEkVj",
            "export AWS_SECRET_ACCESS_KEY=",
        ),
    ] {
        let f = classifier().classify(text);
        assert!(!f.is_empty(), "{text}");
        let n = name.chars().count();
        assert!(f.iter().all(|f| f.start >= n), "{text}: {f:?}");
    }
}

#[test]
fn public_hosts_stay_and_policy_domains_are_internal() {
    assert!(covered("https://docs.github.com/en", Category::Url).is_empty());
    assert_covers("https://wiki.acme.com/x", Category::Url, "wiki.acme.com");
    let cfg = ClassifierConfig {
        public_ips: false,
        ..Default::default()
    };
    let f = Classifier::new(cfg).classify("dns 8.8.8.8 and 192.168.1.4");
    assert_eq!(f.len(), 1, "{f:?}");
}

#[test]
fn disabled_categories_and_custom_rules() {
    let cfg = ClassifierConfig {
        enabled: vec![Category::Custom],
        custom: vec![CustomRule {
            name: "ticket".into(),
            pattern: Regex::new(r"OPS-\d+").unwrap(),
        }],
        ..Default::default()
    };
    let f = Classifier::new(cfg).classify("OPS-8285 from olga@corp.example");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].rule, "ticket");
    assert_eq!((f[0].start, f[0].end), (0, 8));
}

#[test]
fn unicode_text_keeps_char_indices() {
    let text = "Überweisung an olga@corp.example";
    let f = classifier().classify(text);
    let chars: Vec<char> = text.chars().collect();
    let got: String = chars[f[0].start..f[0].end].iter().collect();
    assert_eq!(got, "olga@corp.example");
}

#[test]
fn a_zero_read_as_theta_is_a_zero_outside_greek_words() {
    assert_covers(
        "Connecting to build-7 (1θ.117.247.240) port 22",
        Category::Ip,
        "1θ.117.247.240",
    );
    assert_eq!(line::unslashed_zeros("θέμα 1θ"), "θέμα 10");
    assert_eq!(line::unslashed_zeros("no theta here"), "no theta here");
}
