//! A Wayland-native Chromium (`--ozone-platform=wayland`) shared through the ScreenCast portal,
//! end to end on the private headless sway desktop of tests/wayland/session.sh: a loopback page
//! full of secrets, already on screen when `scrim live --source portal` starts, is scrolled,
//! and a second browser window with another page joins it (sway tiles the two). scrim is then
//! stopped with SIGINT to its process group, as a terminal's Ctrl-C does, and the file must hold
//! every released frame. Tesseract reads every frame of it (each distinct picture once): no
//! secret may be readable, the harmless text must be, and over-redaction of settled content is
//! measured against Tesseract's reading of the raw screen (grim) at the same moments.
//!
//! Needs what tests/wayland.rs needs, and chromium and grim (`make deps xdpw`).

mod common;
#[path = "wayland/desktop.rs"]
mod desktop;

use std::path::Path;
use std::process::{Command, Stdio};

use desktop::{
    inside_desktop, outcomes, read_frames, swaymsg_tree, test_dir, wait_for, wait_settled, Live, EMAILS, KEY, PHONE,
};

const ROWS: usize = 36;

fn ip(i: usize) -> String {
    format!("10.44.{}.{}", i + 10, 200 - i)
}

/// The two pages: a directory (a table of tickets with e-mail addresses, IP addresses and
/// keys, long enough to scroll) and an on-call page for the second window.
fn pages(www: &Path) {
    let mut rows = String::new();
    for i in 0..ROWS {
        rows += &format!(
            "<tr><td>Ticket {}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            1000 + i,
            EMAILS[i % 3],
            ip(i),
            if i % 5 == 0 { KEY } else { "active" }
        );
    }
    let style = "font:20px 'DejaVu Sans',sans-serif;margin:24px;background:#fff;color:#000";
    let directory = format!(
        "<!doctype html><html><head><title>Employee directory</title></head><body style=\"{style}\">\
<h1>Employee directory</h1><p>Quarterly access review in progress.</p>\
<table cellpadding=5>{rows}</table><p>End of the directory.</p></body></html>"
    );
    let oncall = format!(
        "<!doctype html><html><head><title>Release checklist</title></head><body style=\"{style}\">\
<h1>Release checklist</h1><p>The build passed all stages.</p><p>On call: {}</p><p>Phone: {PHONE}</p>\
<p>Backup key: {KEY}</p><p>Ship it on Thursday.</p></body></html>",
        EMAILS[1]
    );
    std::fs::create_dir_all(www).unwrap();
    std::fs::write(www.join("directory.html"), directory).unwrap();
    std::fs::write(www.join("oncall.html"), oncall).unwrap();
}

fn secrets() -> Vec<String> {
    let mut s: Vec<String> = vec![KEY.into(), PHONE.into()];
    s.extend(EMAILS.iter().map(|e| e.to_string()));
    s.extend((0..ROWS).map(ip));
    s
}

/// Text that must stay readable: headings, sentences and every ticket number.
fn harmless() -> Vec<String> {
    let mut h: Vec<String> = [
        "Employee directory",
        "Quarterly access review in progress",
        "End of the directory",
        "Release checklist",
        "The build passed all stages",
        "Ship it on Thursday",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    h.extend((0..ROWS).map(|i| format!("Ticket {}", 1000 + i)));
    h
}

fn chromium_windows() -> usize {
    swaymsg_tree().to_lowercase().matches("\"app_id\": \"chromium").count()
}

/// A Chromium window on `url`, Wayland-native; returns once sway shows a window titled `title`.
fn chromium(procs: &mut common::Procs, profile: &Path, url: &str, title: &str) {
    let before = chromium_windows();
    let child = Command::new("chromium")
        .arg("--ozone-platform=wayland")
        .args(common::CHROMIUM_QUIET)
        .args(["--hide-scrollbars", "--new-window"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium (make deps)");
    procs.0.push(child);
    wait_for(90, &format!("the Chromium window {title:?}"), || {
        chromium_windows() > before && swaymsg_tree().contains(&format!("\"name\": \"{title}"))
    });
}

/// The raw screen now, as Tesseract reads it (grim: the compositor's own screenshot).
fn raw_screen(dir: &Path, n: usize) -> String {
    let png = dir.join(format!("raw{n}.png"));
    let ok = Command::new("grim").arg(&png).status().expect("grim (make deps)");
    assert!(ok.success(), "grim");
    common::oracle_text(&png)
}

/// Settled moments: the index of the frame released when the screen was read raw, and that
/// reading.
struct Settled {
    frame: usize,
    raw: String,
}

fn settle(stats: &Path, live: &Live, dir: &Path, what: &str, moments: &mut Vec<Settled>) {
    wait_settled(stats, live, what);
    let frame = outcomes(stats).len() - 1;
    moments.push(Settled {
        frame,
        raw: raw_screen(dir, moments.len()),
    });
}

#[test]
#[ignore = "not yet shown stable enough for CI: of its latest 3 runs, 2 passed (70-73 frames, no secret \
readable, over-redaction of settled text 4.5-4.8 %) and 1 found the second window's heading never readable; \
earlier the portal stream sometimes delivered nothing after its first picture; 2-6 min a run"]
fn portal_share_of_wayland_chromium_never_shows_a_secret() {
    if !inside_desktop(
        "portal_share_of_wayland_chromium_never_shows_a_secret",
        &["chromium", "grim", "python3"],
    ) {
        return;
    }
    let dir = test_dir();
    let www = dir.path().join("www");
    pages(&www);
    let mut procs = common::Procs(Vec::new());
    let port = common::serve_dir(&mut procs, &www);
    let profile = dir.path().join("profile");
    let url = |page: &str| format!("http://127.0.0.1:{port}/{page}");
    // the secrets are on screen before the share starts: the first frames must not show them
    chromium(&mut procs, &profile, &url("directory.html"), "Employee directory");

    let out = dir.path().join("share.mkv");
    let stats = dir.path().join("stats.jsonl");
    let mut live = Live::start(&out, &stats, &[]);
    let mut moments = Vec::new();
    settle(&stats, &live, dir.path(), "the directory to be analysed", &mut moments);
    // scroll the table (Page Down in the page), each position settling
    for page in 0..2 {
        let ok = Command::new("wtype").args(["-k", "Next"]).status().unwrap();
        assert!(ok.success(), "wtype");
        settle(
            &stats,
            &live,
            dir.path(),
            &format!("page {page} to be analysed"),
            &mut moments,
        );
    }
    // a second browser window: sway tiles it beside the first
    chromium(&mut procs, &profile, &url("oncall.html"), "Release checklist");
    settle(
        &stats,
        &live,
        dir.path(),
        "the second window to be analysed",
        &mut moments,
    );
    live.interrupt();
    let status = live.exit_within(60);
    let err = live.stderr();
    assert!(status.success(), "scrim live after SIGINT: {status:?}\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    for s in secrets() {
        assert!(!err.contains(&s), "stderr shows {s:?}:\n{err}");
    }
    drop(procs);

    let frames = read_frames(&out, dir.path());
    assert_eq!(
        frames.decoded,
        outcomes(&stats).len(),
        "every released frame is in the file, which plays after the SIGINT"
    );
    assert!(frames.decoded >= 50, "only {} frames", frames.decoded);
    let secrets: Vec<String> = secrets().iter().map(|s| common::squash(s)).collect();
    for (f, text) in &frames.distinct {
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "{}: {s:?} readable", f.display());
        }
    }
    let all: String = frames.distinct.iter().map(|(_, t)| t.as_str()).collect();
    for h in ["Employee directory", "Release checklist", "The build passed all stages"] {
        assert!(
            all.contains(&common::squash(h)),
            "{h:?} never readable (over-covered?) in {} distinct frames",
            frames.distinct.len()
        );
    }
    // over-redaction of settled content: harmless text Tesseract reads on the raw screen but
    // not in the frame scrim released at that moment
    let (mut readable, mut lost) = (0, 0);
    for m in &moments {
        for h in harmless().iter().map(|h| common::squash(h)) {
            if m.raw.contains(&h) {
                readable += 1;
                if !frames.text(m.frame).contains(&h) {
                    eprintln!("frame {}: {h:?} readable on the raw screen only", m.frame);
                    lost += 1;
                }
            }
        }
    }
    assert!(
        readable >= 20,
        "Tesseract read only {readable} harmless phrases on the raw screens"
    );
    let over = lost as f64 / readable as f64;
    println!(
        "{} frames, {} distinct, read by Tesseract: no secret readable; over-redaction of settled content {:.1} % ({lost} of {readable} harmless phrases readable on the raw screen)",
        frames.decoded,
        frames.distinct.len(),
        over * 100.0
    );
    assert!(
        over <= 0.2,
        "over-redaction {:.1} % of settled harmless text",
        over * 100.0
    );
}
