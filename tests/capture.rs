//! `scrim live --source window:TITLE | screen | region:…` (xcap) under Xvfb + openbox. The window
//! captured is another scrim's window sink showing the looped dashboard, so what it shows is
//! known: the capture must read its harmless text, show no secret, and, when that window
//! closes, carry on with placeholders instead of stopping or repeating a stale frame.
//!
//! Needs: xvfb openbox xdotool ffmpeg tesseract-ocr (`make deps` installs them).

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const TITLE: &str = "scrim-capture-source";

fn desktop(procs: &mut common::Procs) -> String {
    let display = common::xvfb(procs, "2048x1200x24");
    // xcap lists windows through EWMH (_NET_CLIENT_LIST_STACKING): a window manager is needed
    procs.0.push(
        Command::new("openbox")
            .env("DISPLAY", &display)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("openbox (make deps)"),
    );
    std::thread::sleep(Duration::from_secs(1));
    display
}

fn live<S: AsRef<std::ffi::OsStr>>(display: &str, args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scrim"))
        .env("DISPLAY", display)
        .arg("live")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// `scrim live` arguments recording `frames` frames of `source` at 5 fps into `out`.
fn record(source: &str, frames: u32, out: &Path) -> Vec<String> {
    ["--source", source, "--fps", "5", "--frames", &frames.to_string()]
        .map(String::from)
        .into_iter()
        .chain(["--sink".to_string(), format!("file:{}", out.display())])
        .collect()
}

fn frames_of(video: &Path, dir: &Path) -> Vec<std::path::PathBuf> {
    let o = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(video)
        .args(["-fps_mode", "passthrough"])
        .arg(dir.join("f%03d.png"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut v: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

#[test]
fn a_window_is_captured_by_title_and_its_closing_shows_a_placeholder() {
    let dir = tempfile::tempdir().unwrap();
    let mut procs = common::Procs(Vec::new());
    let display = desktop(&mut procs);
    let src = format!("file:{}", common::asset("examples/intranet-dashboard.png").display());
    procs.0.push(
        Command::new(env!("CARGO_BIN_EXE_scrim"))
            .env("DISPLAY", &display)
            .args(["live", "--source", &src, "--fps", "5", "--frames", "100000"])
            .args(["--sink", &format!("window:{TITLE}")])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(90);
    while !Command::new("xdotool")
        .env("DISPLAY", &display)
        .args(["search", "--onlyvisible", "--name", &format!("^{TITLE}$")])
        .output()
        .unwrap()
        .status
        .success()
    {
        assert!(Instant::now() < deadline, "the source window never appeared");
        std::thread::sleep(Duration::from_millis(300));
    }
    // let the first scrim settle (its page analysed), then capture its window by title
    std::thread::sleep(Duration::from_secs(8));
    let out = dir.path().join("window.mkv");
    let o = live(&display, &record(&format!("window:{TITLE}"), 40, &out));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(stderr.contains("(xcap)"), "{stderr}");
    let frames_dir = dir.path().join("frames");
    std::fs::create_dir_all(&frames_dir).unwrap();
    let frames = frames_of(&out, &frames_dir);
    assert_eq!(frames.len(), 40, "every captured frame is emitted");
    let last = frames.last().unwrap();
    let img = scrim::imageio::load(last).unwrap();
    assert_eq!(
        (img.width(), img.height()),
        (1920, 1080),
        "the window's size, not the screen's"
    );
    let text = common::oracle_text(last);
    assert!(
        text.contains(&common::squash("On-call handbook")),
        "harmless text readable: {text}"
    );
    let truth = common::truth(&common::asset("examples/intranet-dashboard.json"));
    for secret in &truth.sensitive {
        assert!(!text.contains(&common::squash(secret)), "{secret:?} readable");
    }

    // the window closes while it is captured: placeholders, not a stale frame, not a stop
    let out = dir.path().join("gone.mkv");
    let mut capture = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .env("DISPLAY", &display)
        .arg("live")
        .args(record(&format!("window:{TITLE}"), 30, &out))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // close the window once the capture has started (its start line), not after a guess
    let (tx, lines) = std::sync::mpsc::channel::<String>();
    let stderr = capture.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        use std::io::BufRead;
        let mut all = String::new();
        for line in std::io::BufReader::new(stderr).lines().map_while(|l| l.ok()) {
            all += &line;
            all.push('\n');
            let _ = tx.send(line);
        }
        all
    });
    let started = Instant::now();
    while !lines
        .recv_timeout(Duration::from_secs(90))
        .expect("the capture never said it started")
        .contains("(xcap) ->")
    {
        assert!(started.elapsed() < Duration::from_secs(90), "the capture never started");
    }
    std::thread::sleep(Duration::from_secs(1));
    let mut shown = procs.0.remove(2);
    shown.kill().unwrap();
    shown.wait().unwrap();
    let status = capture.wait().unwrap();
    let o = Output {
        status,
        stdout: Vec::new(),
        stderr: reader.join().unwrap().into_bytes(),
    };
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(stderr.contains("SOURCE LOST"), "the loss is reported: {stderr}");
    let frames_dir = dir.path().join("gone");
    std::fs::create_dir_all(&frames_dir).unwrap();
    let frames = frames_of(&out, &frames_dir);
    assert_eq!(frames.len(), 30, "frames keep coming");
    // the last one is the placeholder (a flat dark frame with a message), not the old window
    let last = scrim::imageio::load(frames.last().unwrap()).unwrap();
    let p = last.pixel(last.width() / 2, last.height() / 2);
    assert!(
        p[..3].iter().zip([40u8, 40, 48]).all(|(a, b)| a.abs_diff(b) <= 6),
        "{p:?}"
    );
    // gone before a run: nothing to capture is a usage error naming the title
    let o = live(
        &display,
        &record(&format!("window:{TITLE}"), 2, &dir.path().join("unused.mkv")),
    );
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains(TITLE));
}

#[test]
fn screens_and_regions_are_captured_and_bad_ones_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut procs = common::Procs(Vec::new());
    let display = desktop(&mut procs);
    for (source, size) in [
        ("screen", (2048, 1200)),
        ("screen:0", (2048, 1200)),
        ("region:100,50,640,360", (640, 360)),
    ] {
        let out = dir.path().join(format!("{}.mkv", source.replace([':', ','], "_")));
        let o = live(&display, &record(source, 3, &out));
        assert!(o.status.success(), "{source}: {}", String::from_utf8_lossy(&o.stderr));
        let frames_dir = dir.path().join(source.replace([':', ','], "_"));
        std::fs::create_dir_all(&frames_dir).unwrap();
        let frames = frames_of(&out, &frames_dir);
        assert_eq!(frames.len(), 3, "{source}");
        let f = scrim::imageio::load(&frames[0]).unwrap();
        assert_eq!((f.width(), f.height()), size, "{source}");
    }
    for (source, says) in [
        ("window:no-such-window-anywhere", "no open window"),
        ("screen:9", "no monitor 9"),
        ("region:0,0,4000,10", "not inside"),
        ("window:", "expected window:TITLE"),
    ] {
        let o = live(&display, &record(source, 2, &dir.path().join("unused.mkv")));
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{source}: {stderr}");
        assert!(stderr.contains(says), "{source}: {stderr}");
    }
    // no display at all
    let o = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .env_remove("DISPLAY")
        .arg("live")
        .args(record("screen", 1, &dir.path().join("unused.mkv")))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("X11 display"));
}
