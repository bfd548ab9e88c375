//! What the Wayland tests share: running a test inside a private headless sway desktop
//! (session.sh), `scrim live --source portal` in a process group of its own, waiting for the
//! scene to settle, and Tesseract over every distinct frame of the result.

// each test binary uses a part of it
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::common;

/// The output size: 720p keeps Tesseract's passes over every distinct frame short.
pub const SIZE: &str = "1280x720";

/// Runs `test` (this very test) again inside a fresh headless Wayland desktop and fails with
/// the inner run's output if it fails there. Returns true when already inside: go on. `tools`:
/// what the test needs besides the desktop's own programs.
pub fn inside_desktop(test: &str, tools: &[&str]) -> bool {
    if std::env::var_os("SCRIM_WL_INSIDE").is_some() && std::env::var_os("WAYLAND_DISPLAY").is_some() {
        return true;
    }
    let desktop = ["sway", "wtype", "pipewire", "wireplumber", "tesseract", "ffmpeg"];
    for tool in desktop.iter().chain(tools) {
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
        // the outer run chose this test (an ignored one only with --ignored): run it inside too
        .args([test, "--exact", "--nocapture", "--test-threads=1", "--include-ignored"])
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
pub fn test_dir() -> tempfile::TempDir {
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

pub use super::common::wait_for;

/// The fake secrets both Wayland tests put on screen.
pub const EMAILS: [&str; 3] = [
    "hana.okoye@acme.example",
    "luis.marquez@acme.example",
    "priya.raman@acme.example",
];
pub const KEY: &str = "sk_live_9fKq2LmZx81VbTr4Ws0YhNcE";
pub const PHONE: &str = "+1 415 555 0142";

pub fn swaymsg_tree() -> String {
    let o = Command::new("swaymsg").args(["-t", "get_tree"]).output().unwrap();
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `scrim live --source portal` into `out`, in a process group of its own (as a shell starts a
/// foreground job), its stderr collected line by line.
pub struct Live {
    child: Child,
    stderr: Arc<Mutex<String>>,
}

impl Live {
    pub fn start(out: &Path, stats: &Path, extra: &[&str]) -> Live {
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

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn exit_within(&mut self, secs: u64) -> ExitStatus {
        let mut status = None;
        wait_for(secs, "scrim to exit", || {
            status = self.child.try_wait().unwrap();
            status.is_some()
        });
        // the reader thread has the last lines once the pipe closed
        std::thread::sleep(Duration::from_millis(100));
        status.unwrap()
    }

    pub fn interrupt(&self) {
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
pub fn outcomes(stats: &Path) -> Vec<String> {
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
pub fn wait_settled(stats: &Path, live: &Live, what: &str) {
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

/// Every frame of `video`, read by Tesseract (each distinct picture once).
pub struct Read {
    /// Frames decoded.
    pub decoded: usize,
    /// The distinct pictures, in order of first appearance, and their text (squashed).
    pub distinct: Vec<(PathBuf, String)>,
    /// For each decoded frame, its picture in `distinct`.
    pub picture: Vec<usize>,
}

impl Read {
    /// The text of decoded frame `i` (from 0, the order of the stats lines).
    pub fn text(&self, i: usize) -> &str {
        &self.distinct[self.picture[i]].1
    }
}

pub fn read_frames(video: &Path, dir: &Path) -> Read {
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
    let mut seen = std::collections::HashMap::new();
    let mut read = Read {
        decoded: frames.len(),
        distinct: Vec::new(),
        picture: Vec::new(),
    };
    for f in &frames {
        let px = scrim::imageio::load(f).unwrap().into_data();
        let n = read.distinct.len();
        let i = *seen.entry(px).or_insert(n);
        if i == n {
            read.distinct.push((f.clone(), common::oracle_text(f)));
        }
        read.picture.push(i);
    }
    read
}
