//! Live capture on Wayland, end to end with real components: a private headless sway desktop
//! (pixman renderer, no GPU), xdg-desktop-portal with the wlroots backend, PipeWire and
//! WirePlumber, all inside `unshare --net` and a private D-Bus session (tests/wayland/session.sh).
//! Native Wayland `foot` terminals show secrets and harmless text; `scrim live --source portal`
//! shares the screen into a file through the ScreenCast portal and its PipeWire stream while the
//! text scrolls and a second window opens, and is stopped with SIGINT to its process group, as a
//! terminal's Ctrl-C does. Tesseract reads every distinct frame that came out: no secret may be
//! readable, the harmless text must be. A second test checks the restore token: the picker shows
//! once, the stored token restores the choice, and a corrupted token is replaced.
//!
//! Each test runs itself again inside the desktop (the outer run only starts session.sh). They
//! need sway, foot, wtype, xdg-desktop-portal, the rebuilt xdg-desktop-portal-wlr, pipewire,
//! wireplumber, ffmpeg and tesseract: `make deps xdpw` installs and builds them. A machine where
//! that desktop cannot start fails these tests with the reason; it never skips them.

mod common;
#[path = "wayland/desktop.rs"]
mod desktop;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use desktop::{
    inside_desktop, outcomes, read_frames, swaymsg_tree, test_dir, wait_for, wait_settled, Live, EMAILS, KEY, PHONE,
};

fn foot_windows() -> usize {
    swaymsg_tree().matches("\"app_id\": \"foot\"").count()
}

/// A `foot` terminal (black on white, a large font, no blinking cursor) running `less FILE`;
/// returns once sway shows one more foot window. It is stopped with `procs`.
fn foot_with(procs: &mut common::Procs, file: &Path) {
    let before = foot_windows();
    let child = Command::new("foot")
        .args([
            "-o",
            "font=DejaVu Sans Mono:size=13",
            "-o",
            "colors.background=ffffff",
            "-o",
            "colors.foreground=000000",
            "-o",
            "cursor.blink=no",
            "less",
        ])
        .arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("foot (make deps)");
    procs.0.push(child);
    wait_for(30, "the foot window", || foot_windows() > before);
}

fn chooser_shown() -> usize {
    let log = std::env::var("SCRIM_WL_CHOOSER_LOG").unwrap();
    std::fs::read_to_string(log).map_or(0, |s| s.lines().count())
}

fn token_file() -> PathBuf {
    PathBuf::from(std::env::var("XDG_STATE_HOME").unwrap()).join("scrim/portal.restore-token")
}

/// The first window: a harmless header, then records with secrets, long enough to scroll.
fn records(dir: &Path) -> PathBuf {
    let mut text = String::from("Weekly planning notes\nAgenda items are listed below.\n\n");
    for i in 0..60 {
        text += &format!(
            "Record {i:02}  {}  10.44.{}.{}  {}\n",
            EMAILS[i % 3],
            i + 10,
            200 - i,
            if i % 5 == 0 { KEY } else { "active" }
        );
    }
    let p = dir.join("records.txt");
    std::fs::write(&p, text).unwrap();
    p
}

/// The second window.
fn contacts(dir: &Path) -> PathBuf {
    let text = format!(
        "Release checklist\nThe build passed all stages.\n\nOn call: {}\nPhone: {PHONE}\nBackup key: {KEY}\n",
        EMAILS[1]
    );
    let p = dir.join("contacts.txt");
    std::fs::write(&p, text).unwrap();
    p
}

fn secrets() -> Vec<String> {
    let mut s: Vec<String> = vec![KEY.into(), PHONE.into()];
    s.extend(EMAILS.iter().map(|e| e.to_string()));
    s.extend((0..60).map(|i| format!("10.44.{}.{}", i + 10, 200 - i)));
    s
}

#[test]
fn portal_share_of_wayland_windows_never_shows_a_secret() {
    if !inside_desktop("portal_share_of_wayland_windows_never_shows_a_secret", &["foot"]) {
        return;
    }
    let dir = test_dir();
    let records = records(dir.path());
    let contacts = contacts(dir.path());
    let mut procs = common::Procs(Vec::new());
    foot_with(&mut procs, &records);
    let out = dir.path().join("share.mkv");
    let stats = dir.path().join("stats.jsonl");
    let mut live = Live::start(&out, &stats, &[]);
    wait_settled(&stats, &live, "the first screen to be analysed");
    assert_eq!(chooser_shown(), 1, "the portal's picker shows on the first start");
    // scroll the records two pages down (less: Page Down), each settling
    for page in 0..2 {
        let ok = Command::new("wtype").args(["-k", "Next"]).status().unwrap();
        assert!(ok.success(), "wtype");
        wait_settled(&stats, &live, &format!("page {page} to be analysed"));
    }
    // a second window: sway tiles it beside the first
    foot_with(&mut procs, &contacts);
    wait_settled(&stats, &live, "the second window to be analysed");
    live.interrupt();
    let status = live.exit_within(60);
    let err = live.stderr();
    assert!(status.success(), "scrim live after SIGINT: {status:?}\n{err}");
    assert!(err.contains("through the screen-cast portal"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // what scrim reports must never hold the text it redacted
    for s in secrets() {
        assert!(!err.contains(&s), "stderr shows {s:?}:\n{err}");
    }
    let mode = std::fs::metadata(token_file())
        .expect("a restore token was stored")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "the restore token is private");

    let frames = read_frames(&out, dir.path());
    let (decoded, read) = (frames.decoded, &frames.distinct);
    assert_eq!(decoded, outcomes(&stats).len(), "every released frame is in the file");
    let secrets: Vec<String> = secrets().iter().map(|s| common::squash(s)).collect();
    for (f, text) in read {
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "{}: {s:?} readable", f.display());
        }
    }
    let all: String = read.iter().map(|(_, t)| t.as_str()).collect();
    for harmless in [
        "Weekly planning notes",
        "Release checklist",
        "The build passed all stages",
    ] {
        assert!(
            all.contains(&common::squash(harmless)),
            "{harmless:?} never readable (over-covered?) in {} distinct frames",
            read.len()
        );
    }
    println!(
        "{decoded} frames, {} distinct, read by Tesseract: no secret readable",
        read.len()
    );
}

/// A short run (`--frames`) that must start and stop cleanly; returns its stderr.
fn short_run(dir: &Path, n: usize) -> String {
    let out = dir.join(format!("run{n}.mkv"));
    let stats = dir.join(format!("run{n}.jsonl"));
    let mut live = Live::start(&out, &stats, &["--frames", "3"]);
    let status = live.exit_within(90);
    let err = live.stderr();
    assert!(status.success(), "run {n}: {status:?}\n{err}");
    assert_eq!(outcomes(&stats).len(), 3, "run {n}: three frames out\n{err}");
    err
}

#[test]
fn portal_restore_token_skips_the_picker_and_a_bad_one_is_replaced() {
    if !inside_desktop(
        "portal_restore_token_skips_the_picker_and_a_bad_one_is_replaced",
        &["foot"],
    ) {
        return;
    }
    let dir = test_dir();
    let mut procs = common::Procs(Vec::new());
    foot_with(&mut procs, &contacts(dir.path()));
    let token = || std::fs::read_to_string(token_file()).ok();
    assert_eq!(token(), None);

    // scrim doctor sees the Wayland session, the portal, and which way screen goes
    let o = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .args(["doctor", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["capture"]["session"], "Wayland", "{v}");
    assert_eq!(v["capture"]["portal"]["version"], 4, "{v}");
    assert_eq!(v["capture"]["screen_path"], "portal", "{v}");
    let o = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .arg("doctor")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("screen capture: session Wayland"), "{text}");
    assert!(
        text.contains("ScreenCast portal: version 4 (sources: monitor"),
        "{text}"
    );
    assert_eq!(chooser_shown(), 0, "doctor starts no cast");

    // first start: the picker, then a private token; this portal has no GlobalShortcuts
    // backend, which one line says (the run goes on: short_run checks its frames)
    let err = short_run(dir.path(), 1);
    let hotkey: Vec<&str> = err.lines().filter(|l| l.contains("hotkey")).collect();
    assert_eq!(hotkey.len(), 1, "{err}");
    assert!(
        hotkey[0]
            .starts_with("scrim: no global hotkey: this desktop's xdg-desktop-portal has no GlobalShortcuts backend")
            && hotkey[0].contains("--control PATH"),
        "{err}"
    );
    assert_eq!(chooser_shown(), 1);
    let first = token().expect("a restore token after the first start");
    let file = token_file();
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(
        std::fs::metadata(file.parent().unwrap()).unwrap().permissions().mode() & 0o777,
        0o700
    );

    // second start: the token restores the choice, no picker; the token handed back is stored
    let err = short_run(dir.path(), 2);
    assert_eq!(chooser_shown(), 1, "the stored token restores the choice:\n{err}");
    assert!(err.contains("previous choice restored"), "{err}");
    assert!(token().is_some(), "the new token is stored");
    assert!(!err.contains(&first), "the token is never printed:\n{err}");

    // a token the portal does not know: the picker again, and a fresh token replaces it
    let bogus = "scrim-test-0000-not-a-token";
    std::fs::write(&file, bogus).unwrap();
    let err = short_run(dir.path(), 3);
    assert_eq!(chooser_shown(), 2, "an unknown token brings the picker back:\n{err}");
    let third = token().expect("a token after the picker");
    assert_ne!(third.trim(), bogus);

    // a garbled file (not text): cleared, the picker, a good token again
    std::fs::write(&file, b"\xff\xfe\x00garbage\n").unwrap();
    let err = short_run(dir.path(), 4);
    assert_eq!(chooser_shown(), 3, "a garbled token brings the picker back:\n{err}");
    let fourth = token().expect("a token after the picker");
    assert!(fourth.bytes().all(|b| b.is_ascii_graphic()), "{fourth:?}");
}
