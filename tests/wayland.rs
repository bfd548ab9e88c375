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

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The output size: 720p keeps Tesseract's passes over every distinct frame short.
const SIZE: &str = "1280x720";

/// Runs `test` (this very test) again inside a fresh headless Wayland desktop and fails with
/// the inner run's output if it fails there. Returns true when already inside: go on.
fn inside_desktop(test: &str) -> bool {
    if std::env::var_os("SCRIM_WL_INSIDE").is_some() && std::env::var_os("WAYLAND_DISPLAY").is_some() {
        return true;
    }
    for tool in [
        "sway",
        "foot",
        "wtype",
        "pipewire",
        "wireplumber",
        "tesseract",
        "ffmpeg",
    ] {
        assert!(
            Command::new("sh")
                .args(["-c", &format!("command -v {tool}")])
                .stdout(Stdio::null())
                .status()
                .unwrap()
                .success(),
            "{tool} is not installed: this test needs a headless Wayland desktop (run `make deps xdpw`)"
        );
    }
    assert!(
        Path::new("/usr/libexec/xdg-desktop-portal").exists(),
        "xdg-desktop-portal is not installed (run `make deps xdpw`)"
    );
    let started = Instant::now();
    let out = Command::new(common::root().join("tests/wayland/session.sh"))
        .args(["--size", SIZE, "--"])
        .arg(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .stdin(Stdio::null())
        .output()
        .expect("tests/wayland/session.sh");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "inside the headless Wayland desktop ({:?}):\n{text}",
        out.status
    );
    // the inner run passed only if it ran the test (not "0 passed" from a wrong filter)
    assert!(
        text.contains("1 passed"),
        "the test did not run inside the desktop:\n{text}"
    );
    // a desktop without a private network is allowed, but said out loud
    for line in text.lines().filter(|l| l.contains("WARNING")) {
        eprintln!("{line}");
    }
    for line in text.lines().filter(|l| l.contains("read by Tesseract")) {
        println!("{line}");
    }
    println!("{test}: {:.1} s inside the desktop", started.elapsed().as_secs_f64());
    false
}

/// The test's directory, left in place (and named on stderr) when SCRIM_KEEP is set.
fn test_dir() -> tempfile::TempDir {
    let keep = std::env::var_os("SCRIM_KEEP").is_some();
    let dir = tempfile::Builder::new()
        .prefix("scrim-wayland-test.")
        .disable_cleanup(keep)
        .tempdir()
        .unwrap();
    if keep {
        eprintln!("keeping {}", dir.path().display());
    }
    dir
}

/// Polls `cond` until it holds; fails with `what` after `secs`.
fn wait_for(secs: u64, what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out after {secs} s waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn swaymsg_tree() -> String {
    let o = Command::new("swaymsg").args(["-t", "get_tree"]).output().unwrap();
    String::from_utf8_lossy(&o.stdout).into_owned()
}

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

/// `scrim live --source portal` into `out`, in a process group of its own (as a shell starts a
/// foreground job), its stderr collected line by line.
struct Live {
    child: Child,
    stderr: Arc<Mutex<String>>,
}

impl Live {
    fn start(out: &Path, stats: &Path, extra: &[&str]) -> Live {
        let mut child = Command::new(env!("CARGO_BIN_EXE_scrim"))
            .args([
                "live",
                "--source",
                "portal",
                "--fps",
                "5",
                "--mode",
                "hold",
                "--max-latency",
                "300",
            ])
            .args(extra)
            .arg("--sink")
            .arg(format!("file:{}", out.display()))
            .arg("--stats")
            .arg(stats)
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let (pipe, sink) = (child.stderr.take().unwrap(), stderr.clone());
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(|l| l.ok()) {
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        Live { child, stderr }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn exit_within(&mut self, secs: u64) -> ExitStatus {
        let mut status = None;
        wait_for(secs, "scrim to exit", || {
            status = self.child.try_wait().unwrap();
            status.is_some()
        });
        // the reader thread has the last lines once the pipe closed
        std::thread::sleep(Duration::from_millis(100));
        status.unwrap()
    }

    fn interrupt(&self) {
        // SAFETY: kill has no memory preconditions; the group is the child's, made for this test
        let r = unsafe { libc::kill(-(self.child.id() as i32), libc::SIGINT) };
        assert_eq!(r, 0, "kill: {}", std::io::Error::last_os_error());
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `outcome` of each frame in the stats file so far.
fn outcomes(stats: &Path) -> Vec<String> {
    std::fs::read_to_string(stats)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| v["outcome"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Waits until a frame captured after now went out analysed ("clean"): the scene on screen
/// now was analysed and shown. Frames released in the next second may have been captured
/// before (hold mode keeps them up to 300 ms), so only those after that count.
fn wait_settled(stats: &Path, live: &Live, what: &str) {
    let after = outcomes(stats).len() + 5;
    wait_for(90, what, || {
        assert!(
            live.stderr.lock().unwrap().find("panicked").is_none(),
            "{}",
            live.stderr()
        );
        outcomes(stats).iter().skip(after).any(|o| o == "clean")
    });
}

const EMAILS: [&str; 3] = [
    "hana.okoye@acme.example",
    "luis.marquez@acme.example",
    "priya.raman@acme.example",
];
const KEY: &str = "sk_live_9fKq2LmZx81VbTr4Ws0YhNcE";
const PHONE: &str = "+1 415 555 0142";

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

/// Every distinct frame of `video`, read by Tesseract: (frames decoded, distinct frames' text).
fn read_frames(video: &Path, dir: &Path) -> (usize, Vec<(PathBuf, String)>) {
    let frames_dir = dir.join("frames");
    std::fs::create_dir_all(&frames_dir).unwrap();
    let pattern = frames_dir.join("f%04d.png");
    common::ffmpeg(&[
        "-i",
        video.to_str().unwrap(),
        "-fps_mode",
        "passthrough",
        pattern.to_str().unwrap(),
    ]);
    let mut frames: Vec<PathBuf> = std::fs::read_dir(&frames_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    frames.sort();
    let mut seen = std::collections::HashSet::new();
    let mut read = Vec::new();
    for f in &frames {
        let px = scrim::imageio::load(f).unwrap().into_data();
        if seen.insert(px) {
            read.push((f.clone(), common::oracle_text(f)));
        }
    }
    (frames.len(), read)
}

#[test]
fn portal_share_of_wayland_windows_never_shows_a_secret() {
    if !inside_desktop("portal_share_of_wayland_windows_never_shows_a_secret") {
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

    let (decoded, read) = read_frames(&out, dir.path());
    assert_eq!(decoded, outcomes(&stats).len(), "every released frame is in the file");
    let secrets: Vec<String> = secrets().iter().map(|s| common::squash(s)).collect();
    for (f, text) in &read {
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
    if !inside_desktop("portal_restore_token_skips_the_picker_and_a_bad_one_is_replaced") {
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

    // first start: the picker, then a private token
    short_run(dir.path(), 1);
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
