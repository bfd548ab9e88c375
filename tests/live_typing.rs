//! Typing into the address bar, live: a real browser under Xvfb + openbox, `scrim live` sharing
//! the screen, and xdotool typing intranet host names into the omnibox (Chromium) or URL bar
//! (Firefox) slowly, with the suggestion popup open, then loading one. Every distinct frame
//! scrim emits is read by Tesseract: no host may be readable, not even the part typed so far,
//! from the first keystroke to the page; and the page's harmless text must show once settled.
//!
//! Needs: xvfb openbox chromium firefox-esr xdotool ffmpeg tesseract-ocr (`make deps`).

mod common;

use std::collections::HashSet;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Typed one after the other; the last one is loaded.
const HOSTS: [&str; 3] = [
    "payroll.intra.example",
    "grafana-prod.corp.example",
    "vault.ops.acme.internal",
];

fn quiet(name: &str) -> Command {
    let mut c = Command::new(name);
    c.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    c
}

fn xdotool(display: &str, args: &[&str]) {
    let ok = quiet("xdotool")
        .env("DISPLAY", display)
        .args(args)
        .status()
        .expect("xdotool (make deps)");
    assert!(ok.success(), "xdotool {args:?}");
}

/// A page every host answers with: harmless text only.
fn site(dir: &Path) {
    let page = "<!doctype html><html><head><title>Team wiki</title></head>\
<body style=\"font:24px sans-serif;margin:40px\"><h1>Team wiki</h1>\
<p>Welcome to the weekly planning notes.</p><p>Agenda items are listed below.</p></body></html>";
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("index.html"), page).unwrap();
}

enum Browser {
    Chromium,
    Firefox,
}

fn browser(which: &Browser, display: &str, dir: &Path, port: u16) -> std::process::Child {
    match which {
        Browser::Chromium => quiet("chromium")
            .env("DISPLAY", display)
            .args(common::CHROMIUM_QUIET)
            .arg(format!("--user-data-dir={}", dir.join("chromium").display()))
            .arg(format!("--host-resolver-rules=MAP * 127.0.0.1:{port}"))
            .arg("http://start.corp.example/")
            .spawn()
            .expect("chromium (make deps)"),
        Browser::Firefox => {
            let profile = dir.join("firefox");
            std::fs::create_dir_all(&profile).unwrap();
            // every host through the loopback server, as a proxy; no first-run pages or
            // background connections
            let prefs = format!(
                "user_pref(\"network.proxy.type\", 1);\n\
user_pref(\"network.proxy.http\", \"127.0.0.1\");\n\
user_pref(\"network.proxy.http_port\", {port});\n\
user_pref(\"network.proxy.allow_hijacking_localhost\", true);\n\
user_pref(\"browser.aboutwelcome.enabled\", false);\n\
user_pref(\"browser.startup.homepage_override.mstone\", \"ignore\");\n\
user_pref(\"datareporting.policy.dataSubmissionEnabled\", false);\n\
user_pref(\"toolkit.telemetry.reportingpolicy.firstRun\", false);\n\
user_pref(\"browser.shell.checkDefaultBrowser\", false);\n\
user_pref(\"app.update.enabled\", false);\n\
user_pref(\"browser.search.update\", false);\n\
user_pref(\"network.captive-portal-service.enabled\", false);\n\
user_pref(\"network.connectivity-service.enabled\", false);\n"
            );
            std::fs::write(profile.join("user.js"), prefs).unwrap();
            quiet("firefox-esr")
                .env("DISPLAY", display)
                .args(["--no-remote", "--width", "1280", "--height", "720", "--profile"])
                .arg(&profile)
                .arg("http://start.corp.example/")
                .spawn()
                .expect("firefox-esr (make deps)")
        }
    }
}

/// A proxy-style loopback server: any path, any host, the same page (python's http.server
/// answers proxy requests for absolute URLs with 404, so the page is served for those too).
fn server(www: &Path, port: u16) -> std::process::Child {
    // a raw string: a `\` line continuation would eat Python's indentation
    let script = r#"
import http.server, functools
class H(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path):
        return super().translate_path('/index.html')
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer(('127.0.0.1', PORT), functools.partial(H, directory=DIR)).serve_forever()
"#
    .replace("PORT", &port.to_string())
    .replace("DIR", &format!("{:?}", www.display().to_string()));
    quiet("python3").args(["-c", &script]).spawn().unwrap()
}

fn distinct_frames(video: &Path, dir: &Path) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    common::ffmpeg(&[
        "-i",
        video.to_str().unwrap(),
        "-fps_mode",
        "passthrough",
        dir.join("f%04d.png").to_str().unwrap(),
    ]);
    let mut frames: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    frames.sort();
    let mut seen = HashSet::new();
    frames
        .into_iter()
        .filter(|f| {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            scrim::imageio::load(f).unwrap().into_data().hash(&mut h);
            seen.insert(h.finish())
        })
        .collect()
}

/// One browser session at a time: two browsers, two OCR pipelines and Tesseract at once would
/// starve a two-core machine.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn typing_session(which: Browser) {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let www = dir.path().join("www");
    site(&www);
    let mut procs = common::Procs(Vec::new());
    let port = common::free_port();
    procs.0.push(server(&www, port));
    let display = common::xvfb(&mut procs, "1280x720x24");
    procs.0.push(
        quiet("openbox")
            .env("DISPLAY", &display)
            .spawn()
            .expect("openbox (make deps)"),
    );
    std::thread::sleep(Duration::from_secs(1));
    procs.0.push(browser(&which, &display, dir.path(), port));
    // the start page is up once the window is mapped and has had time to paint
    let deadline = Instant::now() + Duration::from_secs(60);
    while !quiet("xdotool")
        .env("DISPLAY", &display)
        .args(["search", "--onlyvisible", "--name", "Team wiki"])
        .status()
        .unwrap()
        .success()
    {
        assert!(Instant::now() < deadline, "the browser never showed the start page");
        std::thread::sleep(Duration::from_millis(300));
    }
    std::thread::sleep(Duration::from_secs(2));

    let out = dir.path().join("share.mkv");
    let mut scrim = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .env("DISPLAY", &display)
        .args([
            "live",
            "--source",
            "screen",
            "--fps",
            "4",
            "--mode",
            "hold",
            "--max-latency",
            "250",
        ])
        .arg("--sink")
        .arg(format!("file:{}", out.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap();
    // with SCRIM_TEST_KEEP, the raw screen too, to see what scrim was shown
    if std::env::var_os("SCRIM_TEST_KEEP").is_some() {
        procs.0.push(
            quiet("ffmpeg")
                .env("DISPLAY", &display)
                .args(["-f", "x11grab", "-framerate", "4", "-i", &display, "-c:v", "ffv1"])
                .arg(dir.path().join("raw.mkv"))
                .process_group(0)
                .spawn()
                .unwrap(),
        );
    }
    // the idle bar, with the start page's intranet URL, is analysed first
    std::thread::sleep(Duration::from_secs(4));
    for (k, host) in HOSTS.iter().enumerate() {
        xdotool(&display, &["key", "ctrl+l"]);
        std::thread::sleep(Duration::from_millis(400));
        // slowly: one keystroke every 200 ms, the popup following each
        xdotool(&display, &["type", "--delay", "200", host]);
        std::thread::sleep(Duration::from_millis(800));
        if k + 1 < HOSTS.len() {
            xdotool(&display, &["key", "Escape"]);
            xdotool(&display, &["key", "Escape"]);
        } else {
            xdotool(&display, &["key", "Return"]);
        }
        std::thread::sleep(Duration::from_millis(600));
    }
    std::thread::sleep(Duration::from_secs(4));
    // stop it as a terminal's Ctrl-C does: SIGINT to its process group
    unsafe { libc::kill(-(scrim.id() as i32), libc::SIGINT) };
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(s) = scrim.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "scrim live did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(200));
    };
    let mut err = String::new();
    let _ = std::io::Read::read_to_string(&mut scrim.stderr.take().unwrap(), &mut err);
    assert!(out.is_file(), "no recording after SIGINT (exit {status:?}): {err}");
    drop(procs);

    let frames = distinct_frames(&out, &dir.path().join("frames"));
    assert!(frames.len() >= 20, "only {} distinct frames", frames.len());
    // a host, or the first ten characters of one (what a viewer reads while it is typed)
    let needles: Vec<String> = HOSTS
        .iter()
        .flat_map(|h| {
            let s = common::squash(h);
            [s.clone(), s.chars().take(10).collect()]
        })
        .collect();
    let mut all = String::new();
    let mut leaks = Vec::new();
    for f in &frames {
        let text = common::oracle_text(f);
        for n in &needles {
            if text.contains(n.as_str()) {
                leaks.push(format!("{}: {n:?}", f.file_name().unwrap().to_string_lossy()));
            }
        }
        all.push_str(&text);
    }
    // the session's frames and recordings, to look at (SCRIM_TEST_KEEP=1)
    let kept = std::env::var_os("SCRIM_TEST_KEEP").map(|_| dir.keep());
    assert!(
        leaks.is_empty(),
        "{} of {} frames show a host: {leaks:?} (kept: {kept:?})",
        leaks.len(),
        frames.len()
    );
    assert!(
        all.contains(&common::squash("weekly planning notes")),
        "the page never appeared readable (over-covered?)"
    );
}

#[test]
fn typing_hosts_into_chromiums_omnibox_shows_none_of_them() {
    typing_session(Browser::Chromium);
}

#[test]
fn typing_hosts_into_firefoxs_url_bar_shows_none_of_them() {
    typing_session(Browser::Firefox);
}
