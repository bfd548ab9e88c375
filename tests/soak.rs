//! Soak: `scrim live` (the real binary and models) running for a long while on a looped replay
//! of a real Chromium session (benches/record-browser.sh: typing a URL with a token, a page of
//! secrets, scrolling) and on a static screen (Xvfb showing a Chromium page), its output read by
//! the test. The process's RSS, threads, open file descriptors and child processes are sampled
//! at a fixed interval; after a warm-up none may grow past the bounds below. Stopped with
//! SIGINT to its process group, as a terminal's Ctrl-C, scrim must exit 0 with every captured
//! frame accounted for: released once, in order, clean or covered, and then either read by the
//! consumer or counted as dropped.
//!
//! Short by default (CI). `SCRIM_SOAK_SECS=1800 cargo test --test soak -- --nocapture` is the
//! 30-minute version, sampled each minute; `--nocapture` prints the samples.
//!
//! Needs (`make deps`): ffmpeg, Xvfb, openbox, Chromium, xdotool, python3.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long each scenario runs unless SCRIM_SOAK_SECS says otherwise.
const DEFAULT_SECS: u64 = 60;
/// After the warm-up (models loaded, every kind of content seen once, thread pools started),
/// RSS may grow by at most this much: a leak of one 1080p frame (8 MB) a minute shows within
/// a 30-minute run, allocator noise does not.
const RSS_GROWTH_MIB: u64 = 64;
/// Threads, fds and children may exceed their warm-up maximum by this much at a sample: the
/// transients of a control-socket client being served and of the replay's decoder being
/// replaced when the recording starts over. A leak grows past any constant.
const THREAD_SLACK: usize = 2;
const FD_SLACK: usize = 6;
const CHILD_SLACK: usize = 1;

fn soak_secs() -> u64 {
    std::env::var("SCRIM_SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SECS)
}

/// A sample every minute in a long run, a dozen in a short one.
fn sample_every(secs: u64) -> Duration {
    Duration::from_secs((secs / 12).clamp(5, 60))
}

fn warm_up(secs: u64) -> Duration {
    Duration::from_secs((secs / 3).clamp(30, 300))
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

/// One look at the process.
#[derive(Debug, Clone)]
struct Sample {
    at: Duration,
    rss_kib: u64,
    threads: usize,
    fds: usize,
    children: usize,
    status: serde_json::Value,
}

fn count_dir(p: &str) -> usize {
    std::fs::read_dir(p).map(|d| d.count()).unwrap_or(0)
}

/// Child processes of every thread of `pid` (a zombie counts: it is one until reaped).
fn children(pid: u32) -> usize {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    tasks
        .flatten()
        .map(|t| read(&t.path().join("children")).split_whitespace().count())
        .sum()
}

fn sample(pid: u32, sock: &Path, at: Duration) -> Sample {
    let rss_kib = common::rss_kib(pid);
    let taken = Sample {
        at,
        rss_kib,
        threads: count_dir(&format!("/proc/{pid}/task")),
        fds: count_dir(&format!("/proc/{pid}/fd")),
        children: children(pid),
        status: serde_json::Value::Null,
    };
    // asked after /proc was read: the socket's client thread is not counted
    let status = scrim::live::control::send(sock, "status")
        .ok()
        .and_then(|r| serde_json::from_str(&r).ok())
        .unwrap_or(serde_json::Value::Null);
    Sample { status, ..taken }
}

/// Frames in a Y4M stream, read to its end; Err if it is malformed.
fn count_y4m(r: impl Read) -> Result<u64, String> {
    let mut r = BufReader::with_capacity(1 << 20, r);
    let mut header = Vec::new();
    r.read_until(b'\n', &mut header).map_err(|e| e.to_string())?;
    if header.is_empty() {
        return Ok(0);
    }
    let header = String::from_utf8_lossy(&header).into_owned();
    let dim = |c: char| -> Option<u32> { header.split_whitespace().find_map(|p| p.strip_prefix(c)?.parse().ok()) };
    let (Some(w), Some(h)) = (dim('W'), dim('H')) else {
        return Err(format!("bad Y4M header {header:?}"));
    };
    let mut frame = vec![0u8; scrim::video::yuv::i420_len(w, h)];
    let mut n = 0;
    loop {
        let mut line = Vec::new();
        if r.read_until(b'\n', &mut line).map_err(|e| e.to_string())? == 0 {
            return Ok(n);
        }
        if !line.starts_with(b"FRAME") {
            return Err(format!("no FRAME marker after {n} frames"));
        }
        r.read_exact(&mut frame)
            .map_err(|e| format!("frame {n} cut short: {e}"))?;
        n += 1;
    }
}

/// What the run ended with, from scrim's own last line: `done: N frames captured; ...
/// C clean / V covered [D dropped ...]`.
struct Done {
    captured: u64,
    clean: u64,
    covered: u64,
    dropped: u64,
}

fn done_line(stderr: &str) -> Done {
    let line = stderr
        .lines()
        .find_map(|l| l.strip_prefix("scrim live: done: "))
        .unwrap_or_else(|| panic!("no done line: {stderr}"));
    let before = |word: &str| -> u64 {
        let words: Vec<&str> = line.split_whitespace().collect();
        words
            .windows(2)
            .find(|w| w[1] == word)
            .map(|w| w[0].parse().unwrap())
            .unwrap_or(0)
    };
    let covered = line
        .split(" clean / ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no covered count: {line}"));
    Done {
        captured: before("frames"),
        clean: before("clean"),
        covered,
        dropped: before("dropped"),
    }
}

struct Scenario<'a> {
    name: &'a str,
    source: String,
    extra: &'a [&'a str],
    env: Vec<(String, String)>,
    /// The warm-up lasts at least until this many frames were captured (the replay played
    /// twice: every kind of content seen, the allocator at its working size), and the run goes
    /// on for as many again after it.
    warm_frames: u64,
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn print_table(name: &str, samples: &[Sample]) {
    eprintln!("\nsoak {name}:");
    eprintln!("   t (s)   RSS (MB)  threads  fds  children  captured  released  dropped");
    for x in samples {
        let n = |k: &str| x.status[k].as_u64().map_or("-".into(), |v| v.to_string());
        eprintln!(
            "{:8.0} {:10.1} {:8} {:4} {:9} {:>9} {:>9} {:>8}",
            x.at.as_secs_f64(),
            mib(x.rss_kib),
            x.threads,
            x.fds,
            x.children,
            n("captured"),
            n("frames_out"),
            n("dropped")
        );
    }
}

/// Checks the bounds after the warm-up against the warm-up's own figures.
fn check_growth(name: &str, samples: &[Sample], warm: Duration) {
    let (before, after): (Vec<&Sample>, Vec<&Sample>) = samples.iter().partition(|x| x.at < warm);
    assert!(
        !before.is_empty() && after.len() >= 2,
        "{name}: too few samples to judge growth"
    );
    let base = after[0];
    let peak = |f: fn(&Sample) -> usize| before.iter().map(|x| f(x)).chain([f(base)]).max().unwrap();
    let rss_peak = after.iter().map(|x| x.rss_kib).max().unwrap();
    assert!(
        rss_peak <= base.rss_kib + RSS_GROWTH_MIB * 1024,
        "{name}: RSS grew from {:.1} MB after the warm-up to {:.1} MB (bound +{RSS_GROWTH_MIB} MB)",
        mib(base.rss_kib),
        mib(rss_peak)
    );
    let bounded = |what: &str, f: fn(&Sample) -> usize, slack: usize| {
        let limit = peak(f) + slack;
        for x in &after {
            assert!(
                f(x) <= limit,
                "{name}: {what} {} at {:.0} s, above the warm-up's {} + {slack}",
                f(x),
                x.at.as_secs_f64(),
                peak(f)
            );
        }
    };
    bounded("threads", |x| x.threads, THREAD_SLACK);
    bounded("open fds", |x| x.fds, FD_SLACK);
    bounded("child processes", |x| x.children, CHILD_SLACK);
}

/// scrim's process group, killed if the test fails before scrim was stopped and exited.
struct KillOnDrop(Option<u32>);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(pid) = self.0 {
            // SAFETY: as for the SIGINT below
            unsafe { libc::kill(-(pid as i32), libc::SIGKILL) };
        }
    }
}

/// Runs one scenario for `secs` (and past its warm-up, see [`Scenario::warm_frames`]), sampling, then stops it as a
/// terminal does and checks that every frame is accounted for.
fn soak(sc: Scenario) {
    let secs = soak_secs();
    let (every, warm) = (sample_every(secs), warm_up(secs));
    let dir = tempfile::tempdir().unwrap();
    let (sock, stats, err) = (
        dir.path().join("scrim.sock"),
        dir.path().join("stats.jsonl"),
        dir.path().join("err"),
    );
    let mut scrim = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .args(["live", "--source", &sc.source, "--sink", "stdout"])
        .args(sc.extra)
        .args(["--stats", s(&stats), "--control", s(&sock), "--hotkey", "none"])
        .envs(sc.env.iter().map(|(k, v)| (k, v)))
        .env_remove("WAYLAND_DISPLAY")
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let mut guard = KillOnDrop(Some(scrim.id()));
    let out = scrim.stdout.take().unwrap();
    let consumer = std::thread::spawn(move || count_y4m(out));
    let pid = scrim.id();
    let captured = |x: &Sample| x.status["captured"].as_u64().unwrap_or(0);
    // the models load first (seconds on a busy machine)
    let started = common::wait_until(Duration::from_secs(300), || {
        assert!(scrim.try_wait().unwrap().is_none(), "scrim ended early: {}", read(&err));
        captured(&sample(pid, &sock, Duration::ZERO)) > 0
    });
    assert!(started, "{}: no frame captured in 300 s: {}", sc.name, read(&err));
    let start = Instant::now();
    let mut samples: Vec<Sample> = Vec::new();
    // the warm-up's end: a time, and for the replay some loops, however slow the machine
    let mut warm_end: Option<(Duration, u64)> = None;
    let deadline = Duration::from_secs(secs + 900);
    loop {
        let x = sample(pid, &sock, start.elapsed());
        assert!(
            scrim.try_wait().unwrap().is_none(),
            "{}: scrim ended: {}",
            sc.name,
            read(&err)
        );
        assert!(
            x.at < deadline,
            "{}: {} frames captured in {deadline:?}",
            sc.name,
            captured(&x)
        );
        if warm_end.is_none() && x.at >= warm && captured(&x) >= sc.warm_frames {
            warm_end = Some((x.at, captured(&x)));
        }
        let enough = warm_end.is_some_and(|(at, n)| {
            let after = samples.iter().filter(|s| s.at >= at).count() + 1;
            x.at >= Duration::from_secs(secs) && captured(&x) >= n + sc.warm_frames && after >= 3
        });
        samples.push(x);
        if enough {
            break;
        }
        // a fixed interval between samples is what is measured, not waited for
        std::thread::sleep((start + every * samples.len() as u32).saturating_duration_since(Instant::now()));
    }
    // SAFETY: kill has no memory preconditions; the group is scrim's, made for this test
    assert_eq!(unsafe { libc::kill(-(pid as i32), libc::SIGINT) }, 0);
    let status = common::exit_within(&mut scrim, 60);
    guard.0 = None;
    let stderr = read(&err);
    let received = consumer
        .join()
        .unwrap()
        .unwrap_or_else(|e| panic!("{}: output: {e}", sc.name));
    print_table(sc.name, &samples);
    assert!(status.success(), "{}: {status}: {stderr}", sc.name);
    assert!(!stderr.contains("panicked"), "{stderr}");
    account(sc.name, &stats, &stderr, received);
    let (warm, _) = warm_end.expect("the run ended after its warm-up");
    eprintln!("{}: warm-up {:.0} s", sc.name, warm.as_secs_f64());
    check_growth(sc.name, &samples, warm);
}

/// Every captured frame released once, in capture order, clean or covered; every released frame
/// read by the consumer or counted as dropped; the models at work (regions found).
fn account(name: &str, stats: &Path, stderr: &str, received: u64) {
    let done = done_line(stderr);
    let lines: Vec<serde_json::Value> = read(stats).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(
            l["seq"].as_u64(),
            Some(i as u64),
            "{name}: release {i} out of order: {l}"
        );
    }
    let count = |f: &dyn Fn(&serde_json::Value) -> bool| lines.iter().filter(|l| f(l)).count() as u64;
    let clean = count(&|l| l["outcome"] == "clean");
    let covered = count(&|l| l["outcome"] == "covered");
    let dropped = count(&|l| l["dropped"] == true);
    let released = lines.len() as u64;
    eprintln!(
        "{name}: {} captured, {released} released ({clean} clean, {covered} covered), {received} read by the consumer, \
{dropped} dropped",
        done.captured
    );
    assert_eq!(
        done.captured, released,
        "{name}: captured frames not released: {stderr}"
    );
    assert_eq!(clean + covered, released, "{name}: a release neither clean nor covered");
    assert_eq!((done.clean, done.covered), (clean, covered), "{name}: {stderr}");
    assert_eq!(done.dropped, dropped, "{name}: {stderr}");
    assert_eq!(
        received + dropped,
        released,
        "{name}: frames lost between the gate and the consumer"
    );
    assert!(
        lines.iter().any(|l| l["regions"].as_u64().is_some_and(|r| r > 0)),
        "{name}: no region was ever found"
    );
}

/// The replay: a fresh recording of a real Chromium session, played over and over at 30 fps.
#[test]
fn a_looped_browser_session_replay_holds_its_memory_threads_fds_and_every_frame() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("browser.mkv");
    let o = Command::new("bash")
        .arg(common::root().join("benches/record-browser.sh"))
        .arg(&rec)
        .stdin(Stdio::null())
        .output()
        .expect("bash");
    assert!(
        o.status.success(),
        "recording failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let frames = common::ffprobe_count(&rec, "packets").expect("ffprobe reads the recording");
    assert!(frames > 30, "{frames} frames recorded");
    soak(Scenario {
        name: "browser replay (--loop)",
        source: format!("file:{}", s(&rec)),
        extra: &["--loop", "--fps", "30"],
        env: Vec::new(),
        warm_frames: 2 * frames,
    });
}

const STATIC_PAGE: &str = "<!doctype html><html><head><title>Soak dashboard</title></head>\
<body style=\"font:20px sans-serif;margin:30px\"><h1>Operations dashboard</h1>\
<p>Weekly status of the payroll migration.</p><table cellpadding=6>\
<tr><td>Owner</td><td>hana.okoye@acme.example</td></tr>\
<tr><td>Deploy key</td><td>sk_live_9fKq2LmZx81VbTr4Ws0YhNcE</td></tr>\
<tr><td>Database</td><td>10.44.12.198</td></tr>\
<tr><td>On call</td><td>+1 415 555 0123</td></tr></table></body></html>";

/// The static screen: Xvfb showing a Chromium page nobody touches, captured at 30 fps.
#[test]
fn a_static_screen_holds_its_memory_threads_fds_and_every_frame() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("dashboard.html");
    std::fs::write(&page, STATIC_PAGE).unwrap();
    let mut procs = common::Procs(Vec::new());
    let display = common::xvfb(&mut procs, "1280x720x24");
    let quiet = |c: &mut Command| {
        c.env("DISPLAY", &display)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
    };
    let mut chromium = Command::new("chromium");
    quiet(&mut chromium);
    chromium
        .args(common::CHROMIUM_QUIET)
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("file://{}", s(&page)));
    procs.0.push(chromium.spawn().expect("chromium (make deps)"));
    let shown = common::wait_until(Duration::from_secs(120), || {
        let mut x = Command::new("xdotool");
        quiet(&mut x);
        x.args(["search", "--name", "Soak dashboard"])
            .status()
            .is_ok_and(|st| st.success())
    });
    assert!(shown, "Chromium showed no window in 120 s");
    soak(Scenario {
        name: "static screen",
        source: "screen".into(),
        extra: &["--fps", "30"],
        env: vec![("DISPLAY".into(), display.clone())],
        warm_frames: 0,
    });
}
