//! Presenter controls of `scrim live`, end to end through the binary: keys on a real
//! pseudo-terminal, the control socket, and the global hotkey pressed with xdotool under Xvfb.
//! What the meeting would see is read back from the Y4M sink: the gate's frames when live, one
//! repeated frame when paused, a neutral frame when blanked.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use scrim::live::source::{Source, Y4mSource};
use scrim::Frame;

/// Generous: model loading and analysis on a loaded 2-core machine.
const DEADLINE: Duration = Duration::from_secs(90);

/// The frames the sink wrote, newest last (a bounded window), read on a thread.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<Arc<Frame>>>>);

impl Seen {
    fn read(stdout: ChildStdout) -> Seen {
        let seen = Seen::default();
        let s = seen.clone();
        std::thread::spawn(move || {
            let Ok(mut src) = Y4mSource::new(stdout) else { return };
            while let Ok(Some(f)) = src.next_frame() {
                let mut v = s.0.lock().unwrap();
                v.push(f);
                if v.len() > 400 {
                    v.drain(..200);
                }
            }
        });
        seen
    }

    fn count(&self) -> usize {
        self.0.lock().unwrap().len()
    }

    /// Waits for `n` frames written after this call; returns them.
    fn next(&self, n: usize) -> Vec<Arc<Frame>> {
        let end = Instant::now() + DEADLINE;
        let start = self.0.lock().unwrap().last().cloned();
        loop {
            {
                let v = self.0.lock().unwrap();
                let from = start
                    .as_ref()
                    .and_then(|s| v.iter().rposition(|f| Arc::ptr_eq(f, s)))
                    .map_or(0, |i| i + 1);
                if v.len() >= from + n {
                    return v[from..from + n].to_vec();
                }
            }
            assert!(Instant::now() < end, "the sink stopped writing frames");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Every pixel within a few levels of scrim's blank colour (YUV 4:2:0 round trip).
fn is_blank(f: &Frame) -> bool {
    f.data()
        .chunks_exact(4)
        .all(|p| (0..3).all(|c| (p[c] as i32 - scrim::live::BLANK[c] as i32).abs() <= 6))
}

fn scrim_live(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_scrim"));
    c.arg("live")
        .args(args)
        .stdout(Stdio::piped())
        .env_remove("WAYLAND_DISPLAY");
    c
}

fn dashboard() -> String {
    format!("file:{}", common::asset("examples/intranet-dashboard.png").display())
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn exit_code(c: &mut Child) -> Option<i32> {
    let end = Instant::now() + DEADLINE;
    while Instant::now() < end {
        if let Some(s) = c.try_wait().unwrap() {
            return s.code();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

/// The status line as the terminal shows it now: the text after the last line erase.
fn latest(t: &str) -> &str {
    t.rsplit("\x1b[2K").next().unwrap_or("")
}

#[test]
fn keys_on_the_terminal_pause_blank_resume_and_quit_and_the_terminal_is_restored() {
    let src = dashboard();
    let cmd = || {
        let mut c = scrim_live(&["--source", &src, "--sink", "stdout", "--fps", "10", "--hotkey", "none"]);
        c.env_remove("DISPLAY");
        c
    };
    let (pty, child) = common::Pty::spawn(&mut cmd());
    let cooked = pty.lflag();
    assert!(cooked & libc::ICANON != 0 && cooked & libc::ECHO != 0);
    let mut child = Killed(child);
    let seen = Seen::read(child.0.stdout.take().unwrap());
    assert!(
        pty.wait_for(0, DEADLINE, |t| latest(t).contains("[p]ause [b]lank")
            && !latest(t).contains(" 0 clean")),
        "no status line with a clean frame: {}",
        pty.text()
    );
    assert_eq!(
        pty.lflag() & (libc::ICANON | libc::ECHO),
        0,
        "keys arrive one by one, unechoed"
    );
    let live = seen.next(3);
    assert!(!is_blank(&live[2]));

    let at = pty.text().len();
    pty.send(b"b");
    assert!(
        pty.wait_for(at, DEADLINE, |t| latest(t).contains("BLANKED")),
        "{}",
        pty.text()
    );
    let f = seen.next(4);
    assert!(is_blank(&f[3]), "blanked, the sink gets the neutral frame");

    let at = pty.text().len();
    pty.send(b"r");
    assert!(pty.wait_for(at, DEADLINE, |t| latest(t).contains("clean")
        && !latest(t).contains("BLANKED")));
    let f = seen.next(4);
    assert_eq!(f[3].data(), live[2].data(), "resumed: the redacted page again");

    let at = pty.text().len();
    pty.send(b"p");
    assert!(pty.wait_for(at, DEADLINE, |t| latest(t).contains("PAUSED")));
    let f = seen.next(4);
    assert_eq!(f[3].data(), live[2].data(), "paused on the last released frame");

    pty.send(b"q");
    assert_eq!(exit_code(&mut child.0), Some(0), "{}", pty.text());
    assert!(pty.text().contains("scrim live: done"));
    let back = pty.lflag();
    assert_eq!(back & (libc::ICANON | libc::ECHO), cooked & (libc::ICANON | libc::ECHO));

    // SIGTERM (and SIGINT, SIGHUP) stop cleanly too, and give the terminal back
    let (pty, child) = common::Pty::spawn(&mut cmd());
    let mut child = Killed(child);
    let _seen = Seen::read(child.0.stdout.take().unwrap());
    assert!(pty.wait_for(0, DEADLINE, |t| t.contains("[p]ause")), "{}", pty.text());
    assert_eq!(pty.lflag() & libc::ICANON, 0);
    // SAFETY: signals our own child.
    unsafe { libc::kill(child.0.id() as i32, libc::SIGTERM) };
    assert_eq!(exit_code(&mut child.0), Some(0), "{}", pty.text());
    assert_eq!(
        pty.lflag() & (libc::ICANON | libc::ECHO),
        cooked & (libc::ICANON | libc::ECHO)
    );
}

/// Two solid colours, alternating, as YUV4MPEG2 frames: every frame differs from the one before.
fn feed_alternating(mut to: impl Write + Send + 'static, frames: usize) {
    std::thread::spawn(move || {
        let (w, h) = (320usize, 240usize);
        if writeln!(to, "YUV4MPEG2 W{w} H{h} F10:1 Ip A1:1 C420jpeg").is_err() {
            return;
        }
        for i in 0..frames {
            let y = if i % 2 == 0 { 200u8 } else { 60 };
            let mut frame = vec![y; w * h];
            frame.extend(std::iter::repeat_n(128u8, w * h / 2));
            if to.write_all(b"FRAME\n").and_then(|_| to.write_all(&frame)).is_err() {
                return;
            }
        }
    });
}

fn ask(path: &Path, cmd: &str) -> String {
    scrim::live::control::send(path, cmd).unwrap()
}

fn status(path: &Path) -> serde_json::Value {
    serde_json::from_str(&ask(path, "status")).unwrap()
}

fn wait_status(path: &Path, what: &str, ok: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
    let end = Instant::now() + DEADLINE;
    loop {
        if path.exists() {
            let s = status(path);
            if ok(&s) {
                return s;
            }
        }
        assert!(Instant::now() < end, "{what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_control_socket_drives_and_reports_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("scrim.sock");
    let mut cmd = scrim_live(&[
        "--source", "stdin", "--sink", "stdout", "--fps", "10", "--hotkey", "none",
    ]);
    cmd.args(["--control", sock.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = Killed(cmd.spawn().unwrap());
    feed_alternating(child.0.stdin.take().unwrap(), 100_000);
    let seen = Seen::read(child.0.stdout.take().unwrap());
    let s = wait_status(&sock, "no frames reported on the socket", |s| {
        s["frames_out"].as_u64() > Some(3)
    });
    assert_eq!(s["output"], "live");
    for k in [
        "fps",
        "latency_p50_ms",
        "latency_p95_ms",
        "clean",
        "covered",
        "paused",
        "blanked",
    ] {
        assert!(!s[k].is_null(), "status lacks {k}: {s}");
    }
    let mode = std::fs::metadata(&sock).unwrap().permissions();
    assert_eq!(std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777, 0o600);
    let distinct = |f: &[Arc<Frame>]| {
        let mut d: Vec<&[u8]> = f.iter().map(|f| f.data()).collect();
        d.sort();
        d.dedup();
        d.len()
    };
    assert!(distinct(&seen.next(10)) >= 2, "live: the alternating source shows");

    assert_eq!(ask(&sock, "pause"), "ok paused");
    let f = seen.next(12);
    assert_eq!(distinct(&f[2..]), 1, "paused: one frame, repeated");
    assert!(!is_blank(&f[11]));
    assert_eq!(status(&sock)["paused"], true);

    assert_eq!(ask(&sock, "resume"), "ok live");
    assert!(distinct(&seen.next(12)[2..]) >= 2, "resumed");

    // two clients at once, one line each way
    let mut a = std::os::unix::net::UnixStream::connect(&sock).unwrap();
    let b = std::os::unix::net::UnixStream::connect(&sock).unwrap();
    writeln!(&b, "blank").unwrap();
    writeln!(a, "status").unwrap();
    let mut line = String::new();
    BufReader::new(&b).read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "ok blanked");
    line.clear();
    BufReader::new(&mut a).read_line(&mut line).unwrap();
    assert!(line.starts_with('{'), "{line}");
    let f = seen.next(4);
    assert!(is_blank(&f[3]), "blanked: the neutral frame");
    assert_eq!(status(&sock)["blanked"], true);
    // pausing while blanked keeps what the meeting sees: blank, not the page before it
    assert_eq!(ask(&sock, "pause"), "ok paused");
    assert!(is_blank(&seen.next(4)[3]));
    assert!(ask(&sock, "fly").starts_with("error"));

    let n = seen.count();
    assert!(n > 0);
    assert_eq!(ask(&sock, "quit"), "ok quitting");
    assert_eq!(exit_code(&mut child.0), Some(0));
    assert!(!sock.exists(), "the socket is removed on exit");
}

#[test]
fn a_non_socket_file_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "mine").unwrap();
    let src = dashboard();
    let o = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .args([
            "live",
            "--source",
            &src,
            "--sink",
            "stdout",
            "--control",
            path.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a socket"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
}

/// Collects a child's stderr lines on a thread.
fn collect(stderr: std::process::ChildStderr) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let t = text.clone();
    std::thread::spawn(move || {
        for l in BufReader::new(stderr).lines().map_while(Result::ok) {
            t.lock().unwrap().push_str(&(l + "\n"));
        }
    });
    text
}

fn wait_text(text: &Mutex<String>, what: &str) {
    let end = Instant::now() + DEADLINE;
    while !text.lock().unwrap().contains(what) {
        assert!(Instant::now() < end, "{what:?} never said: {}", text.lock().unwrap());
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The window's pixels, captured by ffmpeg's x11grab (independent of scrim's X code).
fn capture(display: &str, window: &str, out: &Path) -> Frame {
    let o = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-f", "x11grab", "-draw_mouse", "0"])
        .args(["-window_id", window, "-i", display, "-frames:v", "1"])
        .arg(out)
        .stdin(Stdio::null())
        .output()
        .expect("ffmpeg (make deps)");
    assert!(o.status.success(), "x11grab: {}", String::from_utf8_lossy(&o.stderr));
    scrim::imageio::load(out).unwrap()
}

fn is_red([r, g, b, _]: [u8; 4]) -> bool {
    r > 170 && g < 80 && b < 80
}

#[test]
fn the_global_hotkey_blanks_while_another_window_has_the_focus() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("ctl");
    let mut procs = common::Procs(Vec::new());
    // room for both 1920x1080 windows side by side: x11grab reads only what is visible
    let display = common::xvfb(&mut procs, "3900x1100x24");
    let src = dashboard();
    // the presenter's scrim shows its own window with the state badge
    let mut cmd = scrim_live(&["--source", &src, "--sink", "window:Presenter", "--fps", "10", "--badge"]);
    cmd.args(["--control", sock.to_str().unwrap(), "--hotkey", "Ctrl+Alt+B"])
        .env("DISPLAY", &display)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = Killed(cmd.spawn().unwrap());
    let err = collect(child.0.stderr.take().unwrap());
    wait_text(&err, "hotkey Ctrl+Alt+B blanks");

    // another program with a window, focused: here a second scrim showing a window (it cannot
    // take the same key, and says so in one line)
    let mut other = scrim_live(&["--source", &src, "--sink", "window:Meeting", "--fps", "2"]);
    other
        .env("DISPLAY", &display)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut other = Killed(other.spawn().unwrap());
    let other_err = collect(other.0.stderr.take().unwrap());
    wait_text(&other_err, "scrim: no global hotkey");
    assert!(other_err.lock().unwrap().contains("another program holds it"));
    let xdotool = |args: &[&str]| {
        let o = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &display)
            .output()
            .expect("xdotool (make deps)");
        assert!(
            o.status.success(),
            "xdotool {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    // --sync: wait for the windows to be mapped (each appears with its first released frame)
    let first = |out: String| out.lines().next().unwrap().to_string();
    let presenter = first(xdotool(&["search", "--sync", "--onlyvisible", "--name", "^Presenter$"]));
    let window = first(xdotool(&["search", "--sync", "--onlyvisible", "--name", "^Meeting$"]));
    xdotool(&["windowmove", "--sync", &window, "1960", "0"]);
    xdotool(&["windowfocus", "--sync", &window]);
    assert_eq!(xdotool(&["getwindowfocus"]).trim(), window);

    wait_status(&sock, "scrim never reported", |s| s["frames_out"].as_u64() > Some(0));
    let green = |f: &Frame| {
        let [r, g, _, _] = f.pixel(f.width() - 4, 4);
        g > 140 && r < 80
    };
    let png = dir.path().join("window.png");
    assert!(
        common::wait_until(DEADLINE, || green(&capture(&display, &presenter, &png))),
        "live: no green corner in the presenter's window"
    );
    xdotool(&["key", "ctrl+alt+b"]);
    wait_status(&sock, "the hotkey did not blank", |s| s["blanked"] == true);
    // the window shows the blank frame in a red border once a frame after the key was written
    let blanked = |f: &Frame| {
        let (w, h) = (f.width(), f.height());
        is_red(f.pixel(w - 4, 4))
            && is_red(f.pixel(1, h / 2))
            && (0..3).all(|c| f.pixel(w / 2, h / 2)[c].abs_diff(scrim::live::BLANK[c]) <= 6)
    };
    assert!(
        common::wait_until(DEADLINE, || blanked(&capture(&display, &presenter, &png))),
        "the presenter's window does not show the blanked state"
    );
    xdotool(&["key", "ctrl+alt+b"]);
    wait_status(&sock, "the hotkey again did not resume", |s| s["output"] == "live");
    assert!(
        other.0.try_wait().unwrap().is_none(),
        "the other scrim runs on without the key"
    );
}

#[test]
fn the_badge_is_for_scrims_own_window_only() {
    let src = dashboard();
    // a shared output (camera, pipe, file) is refused the badge, before anything starts
    let o = scrim_live(&["--source", &src, "--sink", "stdout", "--badge"])
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--badge marks scrim's own window"));
    // and without it the frames are the gate's: no green corner
    let o = scrim_live(&[
        "--source", &src, "--sink", "stdout", "--frames", "3", "--hotkey", "none",
    ])
    .stderr(Stdio::null())
    .output()
    .unwrap();
    assert!(o.status.success());
    let f = Y4mSource::new(&o.stdout[..]).unwrap().next_frame().unwrap().unwrap();
    let [r, g, b, _] = f.pixel(f.width() - 4, 4);
    assert!(!(g > 140 && r < 80 && b < 110), "no badge unless asked: {r},{g},{b}");
}
