//! End to end through the `scrim` binary: real models, real images, and an independent OCR
//! (Tesseract) as the judge of what is still readable.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn scrim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scrim"))
        .args(args)
        .output()
        .expect("run scrim")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Redacts `png` and checks with Tesseract that no sensitive string is readable and every
/// control still is; returns the report.
fn redact_and_judge(png: &str, truth: &str, dir: &Path) -> serde_json::Value {
    let input = common::asset(png);
    let out = dir.join("out.png");
    let report = dir.join("report.json");
    let o = scrim(&["redact", s(&input), "-o", s(&out), "--report", s(&report)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let t = common::truth(&common::asset(truth));
    let before = common::oracle_text(&input);
    let after = common::oracle_text(&out);
    for secret in &t.sensitive {
        // only what the oracle could read in the original can prove anything
        if before.contains(&common::squash(secret)) {
            assert!(
                !after.contains(&common::squash(secret)),
                "{png}: {secret:?} still readable"
            );
        }
    }
    let mut judged = 0;
    for c in &t.controls {
        // Tesseract misreads some strings even in the original; those prove nothing
        if before.contains(&common::squash(c)) {
            judged += 1;
            assert!(
                after.contains(&common::squash(c)),
                "{png}: control {c:?} no longer readable"
            );
        }
    }
    assert!(
        judged * 2 >= t.controls.len(),
        "{png}: the oracle reads too few controls ({judged}) to judge"
    );
    let json = std::fs::read_to_string(&report).unwrap();
    for secret in &t.sensitive {
        assert!(!json.contains(secret.as_str()), "report contains the secret {secret:?}");
    }
    serde_json::from_str(&json).unwrap()
}

fn categories(report: &serde_json::Value) -> Vec<String> {
    report["images"][0]["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["category"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn dashboard_secrets_are_gone_and_prose_stays() {
    let dir = tempfile::tempdir().unwrap();
    let rep = redact_and_judge(
        "examples/intranet-dashboard.png",
        "examples/intranet-dashboard.json",
        dir.path(),
    );
    let cats = categories(&rep);
    for c in [
        "address-bar",
        "url",
        "hostname",
        "email",
        "ip",
        "secret",
        "card",
        "phone",
    ] {
        assert!(cats.iter().any(|x| x == c), "no {c} region in {cats:?}");
    }
    assert_eq!(rep["images"][0]["backend"], "cpu");
    assert_eq!(rep["images"][0]["width"], 1920);
}

#[test]
fn terminal_secrets_are_gone() {
    let dir = tempfile::tempdir().unwrap();
    redact_and_judge("fixtures/terminal.png", "fixtures/terminal.json", dir.path());
}

#[test]
fn harmless_page_loses_only_its_address_bar() {
    let dir = tempfile::tempdir().unwrap();
    let rep = redact_and_judge("fixtures/release-notes.png", "fixtures/release-notes.json", dir.path());
    assert_eq!(categories(&rep), vec!["address-bar"]);
}

#[test]
fn directory_mode_with_previews_and_mosaic() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("redacted");
    let prev = dir.path().join("previews");
    let a = common::asset("fixtures/terminal.png");
    let b = common::asset("fixtures/release-notes.png");
    let o = scrim(&[
        "redact",
        s(&a),
        s(&b),
        "-o",
        s(&out),
        "--preview",
        s(&prev),
        "--style",
        "mosaic",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for name in ["terminal.png", "release-notes.png"] {
        let red = scrim::imageio::load(&out.join(name)).unwrap();
        let pre = scrim::imageio::load(&prev.join(name)).unwrap();
        assert_eq!((red.width(), red.height()), (1920, 1080));
        assert_ne!(red, pre, "preview should add outlines");
    }
    let orig = scrim::imageio::load(&a).unwrap();
    assert_ne!(orig, scrim::imageio::load(&out.join("terminal.png")).unwrap());
}

/// A still's output depends on that still only, not on which files were redacted with it.
#[test]
fn directory_mode_output_equals_each_file_redacted_alone() {
    let dir = tempfile::tempdir().unwrap();
    let a = common::asset("corpus-slice/0026_chromium_payments_1280x720.png");
    let b = common::asset("corpus-slice/0028_chromium_webmail-message_1280x720.png");
    let together = dir.path().join("together");
    let o = scrim(&["redact", s(&a), s(&b), "-o", s(&together)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let alone = dir.path().join("alone.png");
    let o = scrim(&["redact", s(&b), "-o", s(&alone)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let name = b.file_name().unwrap();
    assert_eq!(
        scrim::imageio::load(&together.join(name)).unwrap(),
        scrim::imageio::load(&alone).unwrap()
    );
}

#[test]
fn bad_images_fail_clearly_and_keep_existing_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.png");
    std::fs::write(&out, b"previous result").unwrap();
    let png = std::fs::read(common::asset("fixtures/release-notes.png")).unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.png", vec![]),
        ("truncated.png", png[..png.len() / 3].to_vec()),
        ("text.png", b"not an image".to_vec()),
    ];
    for (name, bytes) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let o = scrim(&["redact", s(&p), "-o", s(&out)]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(name),
            "{name}: error should name the file: {}",
            stderr(&o)
        );
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
        assert_eq!(
            std::fs::read(&out).unwrap(),
            b"previous result",
            "{name}: output was touched"
        );
    }
    let o = scrim(&["redact", s(&dir.path().join("missing.png")), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(1));
    // in directory mode, one bad file does not stop the others
    let good = common::asset("fixtures/release-notes.png");
    let bad = dir.path().join("text.png");
    let outdir = dir.path().join("many");
    let o = scrim(&["redact", s(&good), s(&bad), "-o", s(&outdir)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(outdir.join("release-notes.png").is_file());
    assert!(!outdir.join("text.png").exists());
}

#[test]
fn missing_models_name_the_fetch_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.png");
    let input = common::asset("fixtures/release-notes.png");
    let o = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .args(["redact", s(&input), "-o", s(&out)])
        .env("SCRIM_MODEL_DIR", dir.path())
        .env_remove("ORT_DYLIB_PATH")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("models/fetch.sh"), "{}", stderr(&o));
    assert!(!out.exists());
    // doctor says the same and fails
    let o = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .args(["doctor"])
        .env("SCRIM_MODEL_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    // ... and ends with the exact command for this directory
    let out = String::from_utf8_lossy(&o.stdout);
    let next = out.split("what to do next:").nth(1).unwrap_or_else(|| panic!("{out}"));
    let cmd = format!("SCRIM_MODEL_DIR={} models/fetch.sh", dir.path().display());
    assert!(next.lines().nth(1).is_some_and(|l| l.trim().starts_with(&cmd)), "{out}");
    // a tool scrim live needs, missing from the PATH, gets its install command
    let o = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .args(["doctor", "--json"])
        .env("PATH", dir.path())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let next: Vec<&str> = v["next"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(next.iter().any(|s| s.contains("apt-get install ffmpeg")), "{next:?}");
}

#[test]
fn a_bad_onnx_runtime_library_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("libonnxruntime.so");
    std::fs::write(&lib, b"definitely not a shared library").unwrap();
    let out = dir.path().join("out.png");
    let input = common::asset("fixtures/release-notes.png");
    let o = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .args(["redact", s(&input), "-o", s(&out)])
        .env("ORT_DYLIB_PATH", &lib)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
}

#[test]
fn bad_policy_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.toml");
    std::fs::write(
        &policy,
        "[hosts]\ninternal_domains = [\"acme.com\"]\npublic_domain = [\"x.com\"]\n",
    )
    .unwrap();
    let input = common::asset("fixtures/release-notes.png");
    let with_policy = |p: &Path| {
        scrim(&[
            "redact",
            s(&input),
            "-o",
            s(&dir.path().join("o.png")),
            "--policy",
            s(p),
        ])
    };
    let o = with_policy(&policy);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("line 3"), "{}", stderr(&o));
    // the shipped example policy is valid
    let o = with_policy(&common::asset("policy.example.toml"));
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A security team's gitleaks rules file, named by the policy, redacts what only it matches
/// (its allowlist keeps what it allows), and what scrim ignores in it is one `scrim:` line.
#[test]
fn a_policy_loads_a_gitleaks_rules_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("gitleaks.toml"),
        r#"
[[rules]]
id = "garden-words"
regex = '''(?i)\b(household|calendar)\b'''
keywords = ["household", "calendar"]
path = '''\.md$'''
[rules.allowlist]
stopwords = ["calendar"]
"#,
    )
    .unwrap();
    let policy = dir.path().join("policy.toml");
    std::fs::write(&policy, "[secrets]\ngitleaks = \"gitleaks.toml\"\n").unwrap();
    let input = common::asset("fixtures/release-notes.png");
    let out = dir.path().join("out.png");
    let report = dir.path().join("report.json");
    let o = scrim(&[
        "redact",
        s(&input),
        "-o",
        s(&out),
        "--report",
        s(&report),
        "--policy",
        s(&policy),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let warnings: Vec<String> = stderr(&o)
        .lines()
        .filter(|l| l.starts_with("scrim:"))
        .map(str::to_string)
        .collect();
    assert!(
        warnings.len() == 1
            && warnings[0].contains("gitleaks.toml")
            && warnings[0].contains("path (rules garden-words)"),
        "{warnings:?}"
    );
    let rep: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let rules: Vec<&str> = rep["images"][0]["regions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["category"] == "secret")
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["garden-words"], "{rep}");
    // the independent OCR: the rule's word is gone, its allowlisted word and the rest stay
    let before = common::oracle_text(&input);
    let after = common::oracle_text(&out);
    let word = common::squash("whole household");
    assert!(before.contains(&word), "the oracle cannot read the fixture");
    assert!(!after.contains(&word), "the gitleaks rule's match is still readable");
    for kept in [
        "Garden planner 2.4 released",
        "seasonal calendar",
        "Thanks to everyone who reported",
    ] {
        assert!(after.contains(&common::squash(kept)), "{kept:?} no longer readable");
    }
}

#[test]
fn help_explains_and_doctor_reports() {
    let o = scrim(&["--help"]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("redact") && text.contains("doctor") && text.contains("bench"));
    let o = scrim(&["redact", "--help"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("--preview"));
    let o = scrim(&["doctor", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["components"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["present"] == true && c["verified"] == true));
}

#[test]
fn output_cannot_overwrite_input() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("shot.png");
    std::fs::copy(common::asset("fixtures/release-notes.png"), &p).unwrap();
    let o = scrim(&["redact", s(&p), "-o", s(&p)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// A successful run says nothing alarming on stderr, wherever it runs: no library's `error:` line
/// (Mesa's Vulkan layer and libwayland printed two without XDG_RUNTIME_DIR: ssh, CI, containers),
/// and every line scrim prints itself is its own (`scrim` prefix) or a progress line.
#[test]
fn successful_runs_print_no_error_lines_with_or_without_xdg_runtime_dir() {
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    std::fs::create_dir(&run).unwrap();
    std::fs::set_permissions(&run, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let png = common::asset("examples/intranet-dashboard.png");
    let out = dir.path().join("out.png");
    let mkv = dir.path().join("out.mkv");
    let src = format!("file:{}", s(&png));
    let sink = format!("file:{}", s(&mkv));
    let runs: [&[&str]; 4] = [
        &["redact", s(&png), "-o", s(&out)],
        &["doctor"],
        // forces the adapter probe: lavapipe here, a real GPU elsewhere
        &["--backend", "gpu", "redact", s(&png), "-o", s(&out)],
        &["live", "--source", &src, "--sink", &sink, "--frames", "3"],
    ];
    for runtime_dir in [None, Some(run.as_path())] {
        for args in runs {
            let mut c = Command::new(env!("CARGO_BIN_EXE_scrim"));
            c.args(args).env_remove("NODEVICE_SELECT");
            match runtime_dir {
                Some(d) => c.env("XDG_RUNTIME_DIR", d),
                None => c.env_remove("XDG_RUNTIME_DIR"),
            };
            let o = c.output().unwrap();
            let err = stderr(&o);
            assert!(o.status.success(), "{args:?} (XDG_RUNTIME_DIR {runtime_dir:?}): {err}");
            for line in err.lines() {
                assert!(
                    line.starts_with("scrim") || line.starts_with("  "),
                    "{args:?} (XDG_RUNTIME_DIR {runtime_dir:?}): stderr line not scrim's own: {line:?}"
                );
                assert!(!line.contains("error"), "{args:?}: {line:?}");
            }
        }
    }
}
