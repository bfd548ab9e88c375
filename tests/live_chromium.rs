//! The live promise end to end, with real components: Xvfb + openbox + a real Chromium showing
//! an intranet-looking URL (every host name mapped to a loopback server), `scrim live` grabbing
//! the screen, and xdotool typing a new URL with a token into the omnibox, loading a page full of
//! secrets and scrolling it. Every distinct emitted frame is read by Tesseract; none may show a
//! sensitive string, and the harmless page text must be readable once settled.
//!
//! Needs: xvfb openbox chromium xdotool ffmpeg tesseract-ocr (`make deps` installs them).

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The test's directory, kept for inspection when SCRIM_KEEP is set.
fn scopeguard(d: tempfile::TempDir) -> Kept {
    Kept(Some(d))
}

struct Kept(Option<tempfile::TempDir>);

impl Kept {
    fn path(&self) -> &Path {
        self.0.as_ref().expect("present until drop").path()
    }
}

impl Drop for Kept {
    fn drop(&mut self) {
        if std::env::var_os("SCRIM_KEEP").is_some() {
            std::mem::forget(self.0.take());
        }
    }
}

fn tool(name: &str) -> Command {
    let mut c = Command::new(name);
    c.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    c
}

const TOKEN: &str = "tk9QvR7mZp2Lx4Wd8Ns6";
const EMAILS: [&str; 3] = [
    "hana.okoye@acme.example",
    "luis.marquez@acme.example",
    "priya.raman@acme.example",
];
const KEY: &str = "sk_live_9fKq2LmZx81VbTr4Ws0YhNcE";

fn pages(dir: &Path) {
    let start =
        "<!doctype html><html><head><title>Team wiki</title></head><body style=\"font:22px sans-serif;margin:30px\">\
<h1>Team wiki</h1><p>Welcome to the weekly planning notes.</p><p>Agenda items are listed below.</p></body></html>";
    std::fs::create_dir_all(dir.join("wiki")).unwrap();
    std::fs::write(dir.join("wiki/index.html"), start).unwrap();
    let mut rows = String::new();
    for i in 0..40 {
        let e = EMAILS[i % 3];
        rows += &format!(
            "<tr><td>Record {i}</td><td>{e}</td><td>10.44.{}.{}</td><td>{}</td></tr>",
            i + 10,
            200 - i,
            if i % 5 == 0 { KEY } else { "active" }
        );
    }
    let secret = format!(
        "<!doctype html><html><head><title>Directory</title></head><body style=\"font:20px sans-serif;margin:30px\">\
<h1>Employee directory</h1><p>Quarterly access review in progress.</p>\
<table cellpadding=6>{rows}</table></body></html>"
    );
    std::fs::create_dir_all(dir.join("employees")).unwrap();
    std::fs::write(dir.join("employees/index.html"), secret).unwrap();
}

fn xdotool(display: &str, args: &[&str]) {
    let ok = tool("xdotool")
        .env("DISPLAY", display)
        .args(args)
        .status()
        .expect("xdotool (make deps)");
    assert!(ok.success(), "xdotool {args:?}");
}

/// What a failure report needs to be diagnosed from CI output alone: the gate's record of the
/// failing frame and its neighbours (frame N of the file is stats line N-1).
fn frame_context(stats: &Path, frames: &[PathBuf], f: &Path) -> String {
    let n = frames.iter().position(|p| p == f).unwrap_or(0);
    let lines: Vec<String> = std::fs::read_to_string(stats)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect();
    let around = &lines[n.saturating_sub(3).min(lines.len())..(n + 2).min(lines.len())];
    format!("stats of frames {}..:\n{}", n.saturating_sub(3) + 1, around.join("\n"))
}

#[test]
fn live_screen_share_of_real_chromium_never_shows_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    if std::env::var_os("SCRIM_KEEP").is_some() {
        eprintln!("keeping {}", dir.path().display());
    }
    let dir = scopeguard(dir);
    let www = dir.path().join("www");
    pages(&www);
    let mut procs = common::Procs(Vec::new());
    let port = common::serve_dir(&mut procs, &www);
    // Xvfb picks a free display and tells us on a pipe
    let mut xvfb = Command::new("Xvfb")
        .args(["-displayfd", "1", "-screen", "0", "1280x720x24", "-nolisten", "tcp"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb (make deps)");
    let mut line = String::new();
    BufReader::new(xvfb.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    procs.0.push(xvfb);
    let display = format!(":{}", line.trim());
    procs.0.push(
        tool("openbox")
            .env("DISPLAY", &display)
            .spawn()
            .expect("openbox (make deps)"),
    );
    std::thread::sleep(Duration::from_secs(1));
    let profile = dir.path().join("profile");
    procs.0.push(
        tool("chromium")
            .env("DISPLAY", &display)
            .args(common::CHROMIUM_QUIET)
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--host-resolver-rules=MAP * 127.0.0.1:{port}"))
            .arg("http://wiki.corp.example/wiki/")
            .spawn()
            .expect("chromium (make deps)"),
    );
    std::thread::sleep(Duration::from_secs(8));

    let out = dir.path().join("share.mkv");
    let stats = dir.path().join("stats.jsonl");
    let fps = 5;
    let mut scrim = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .env("DISPLAY", &display)
        .args([
            "live",
            "--source",
            "screen",
            "--fps",
            &fps.to_string(),
            "--frames",
            "90",
        ])
        .args(["--mode", "hold", "--max-latency", "300"])
        .arg("--sink")
        .arg(format!("file:{}", out.display()))
        .arg("--stats")
        .arg(&stats)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // let the first analysis settle, then type an intranet URL with a token, load, scroll
    std::thread::sleep(Duration::from_secs(3));
    xdotool(&display, &["key", "ctrl+l"]);
    let url = format!("payroll.intra.example/employees/?token={TOKEN}");
    xdotool(&display, &["type", "--delay", "90", &url]);
    xdotool(&display, &["key", "Return"]);
    std::thread::sleep(Duration::from_secs(3));
    for _ in 0..3 {
        xdotool(&display, &["key", "Page_Down"]);
        std::thread::sleep(Duration::from_millis(1200));
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(s) = scrim.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "scrim live did not finish");
        std::thread::sleep(Duration::from_millis(200));
    };
    let mut err = String::new();
    let _ = std::io::Read::read_to_string(&mut scrim.stderr.take().unwrap(), &mut err);
    assert!(status.success(), "{err}");
    drop(procs);

    // every frame out, read by the independent OCR (identical frames once)
    let frames_dir = dir.path().join("frames");
    std::fs::create_dir_all(&frames_dir).unwrap();
    let o = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(&out)
        .args(["-fps_mode", "passthrough"])
        .arg(frames_dir.join("f%04d.png"))
        .output()
        .unwrap();
    assert!(o.status.success());
    let mut frames: Vec<PathBuf> = std::fs::read_dir(&frames_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    frames.sort();
    assert_eq!(frames.len(), 90, "every captured frame is emitted");
    let mut secrets: Vec<String> = vec![TOKEN.into(), KEY.into(), "intra.example".into()];
    secrets.extend(EMAILS.iter().map(|s| s.to_string()));
    secrets.extend((0..40).map(|i| format!("10.44.{}.{}", i + 10, 200 - i)));
    let mut seen = HashSet::new();
    let mut texts = Vec::new();
    for f in &frames {
        let px = scrim::imageio::load(f).unwrap().into_data();
        let key = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            px.hash(&mut h);
            h.finish()
        };
        if !seen.insert(key) {
            texts.push(None);
            continue;
        }
        let text = common::oracle_text(f);
        for s in &secrets {
            assert!(
                !text.contains(&common::squash(s)),
                "{}: {s:?} readable; {}",
                f.display(),
                frame_context(&stats, &frames, f)
            );
        }
        texts.push(Some(text));
    }
    // the page loaded and was shown, not just covered: its harmless text is readable
    let all: String = texts.iter().flatten().cloned().collect();
    assert!(
        all.contains(&common::squash("Employee directory")) || all.contains(&common::squash("Quarterly access review")),
        "the secret page never appeared readable (over-covered?)"
    );
    assert!(
        all.contains(&common::squash("weekly planning notes")),
        "the start page never appeared"
    );
}
