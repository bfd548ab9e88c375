//! Shared helpers for the integration tests. These tests run the real models: install them with
//! `models/fetch.sh` (the README's test command does).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use scrim::models::{self, ModelDir};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn asset(rel: &str) -> PathBuf {
    root().join("assets").join(rel)
}

/// The installed models, or a failure that says how to install them.
pub fn models() -> ModelDir {
    let dir = ModelDir::new(models::default_model_dir());
    for f in [models::OCR_DET_MODEL, models::OCR_REC_MODEL, models::OCR_DICT] {
        assert!(
            dir.root().join(f).is_file(),
            "{f} missing in {}: run models/fetch.sh first",
            dir.root().display()
        );
    }
    dir
}

/// Ground truth beside a fixture: `sensitive` strings and `controls` that must stay readable.
pub struct Truth {
    pub sensitive: Vec<String>,
    pub controls: Vec<String>,
}

pub fn truth(json: &Path) -> Truth {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap();
    let list = |k: &str| {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    Truth {
        sensitive: list("sensitive"),
        controls: list("controls"),
    }
}

/// Lower-case alphanumerics only: how the oracle comparison ignores spacing and punctuation.
pub fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Text that Tesseract (an OCR independent of scrim's) reads in an image, at 1x, 2x and 2x
/// inverted (the passes of the shared evaluation's scorer), squashed. Tesseract is part of the test set-up (`make deps`); its absence fails the test.
pub fn oracle_text(png: &Path) -> String {
    let dir = tempfile::tempdir().unwrap();
    let up = dir.path().join("up2.png");
    let frame = scrim::imageio::load(png).unwrap();
    let (w, h) = (frame.width() * 2, frame.height() * 2);
    let mut r = fast_image_resize::Resizer::new();
    let data = scrim::resize::resize_rgba(&mut r, &frame, frame.bounds(), w, h).unwrap();
    // light-on-dark text needs an inverted pass
    let inverted: Vec<u8> = data
        .chunks_exact(4)
        .flat_map(|p| [255 - p[0], 255 - p[1], 255 - p[2], p[3]])
        .collect();
    let inv = dir.path().join("up2inv.png");
    scrim::imageio::save(&scrim::Frame::new(w, h, data).unwrap(), &up).unwrap();
    scrim::imageio::save(&scrim::Frame::new(w, h, inverted).unwrap(), &inv).unwrap();
    let mut all = String::new();
    for (img, psm) in [(png, "3"), (up.as_path(), "11"), (inv.as_path(), "11")] {
        let out = Command::new("tesseract")
            .args([img.to_str().unwrap(), "-", "--psm", psm, "-l", "eng"])
            .env("OMP_THREAD_LIMIT", "1")
            .output()
            .expect("tesseract not found: install tesseract-ocr (make deps)");
        assert!(
            out.status.success(),
            "tesseract failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        all.push_str(&String::from_utf8_lossy(&out.stdout));
        all.push('\n');
    }
    squash(&all)
}

/// Child processes (servers, X, PipeWire) killed when a test ends, however it ends.
pub struct Procs(pub Vec<std::process::Child>);

impl Drop for Procs {
    fn drop(&mut self) {
        for c in self.0.iter_mut().rev() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// What ffprobe counts in the first video stream of a file, "frames" (decoded) or "packets";
/// `None` if it cannot read the file.
pub fn ffprobe_count(file: &Path, what: &str) -> Option<u64> {
    let o = Command::new("ffprobe")
        .args(["-v", "error", &format!("-count_{what}"), "-select_streams", "v:0"])
        .args(["-show_entries", &format!("stream=nb_read_{what}"), "-of", "csv=p=0"])
        .arg(file)
        .output()
        .expect("ffprobe (make deps)");
    String::from_utf8_lossy(&o.stdout)
        .trim()
        .trim_end_matches(',')
        .parse()
        .ok()
}

/// Frames ffprobe decodes in a file (0 if it cannot read it).
pub fn decoded_frames(file: &Path) -> u64 {
    ffprobe_count(file, "frames").unwrap_or(0)
}

/// Resident memory of a process, KiB (0 once it is gone).
pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:")?.trim().strip_suffix("kB")?.trim().parse().ok())
        .unwrap_or(0)
}

/// Runs ffmpeg quietly (overwriting outputs) and fails the test with its message if it fails.
/// ffmpeg is part of the test set-up (`make deps`).
pub fn ffmpeg(args: &[&str]) {
    let o = Command::new("ffmpeg")
        .args(["-v", "error", "-nostdin", "-y"])
        .args(args)
        .output()
        .expect("ffmpeg not found: install ffmpeg (make deps)");
    assert!(
        o.status.success(),
        "ffmpeg {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// An Xvfb on a free display number (it tells us which on a pipe), killed with `procs`; returns
/// the `DISPLAY`. `-noreset`: by default the server resets when its last client leaves, and
/// refuses the next one meanwhile.
pub fn xvfb(procs: &mut Procs, size: &str) -> String {
    use std::io::BufRead;
    let mut x = Command::new("Xvfb")
        .args(["-displayfd", "1", "-screen", "0", size, "-nolisten", "tcp", "-noreset"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("Xvfb (make deps)");
    let mut line = String::new();
    std::io::BufReader::new(x.stdout.take().expect("piped"))
        .read_line(&mut line)
        .expect("Xvfb says its display");
    procs.0.push(x);
    format!(":{}", line.trim())
}

/// A pseudo-terminal standing in for a presenter's terminal: a child gets it as stdin and stderr
/// (and as its controlling terminal, in a session of its own), and everything it prints there is
/// collected.
pub struct Pty {
    master: std::fs::File,
    out: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
}

impl Pty {
    /// Starts `cmd` on a new pty; its stdout is left to the caller's settings. A command is
    /// spawned on a pty once (the session set-up stays attached to it).
    pub fn spawn(cmd: &mut Command) -> (Pty, std::process::Child) {
        use std::os::fd::FromRawFd;
        use std::os::unix::process::CommandExt;
        let (mut m, mut s) = (0, 0);
        // SAFETY: openpty writes two fds; no name, default settings.
        let r = unsafe { libc::openpty(&mut m, &mut s, std::ptr::null_mut(), std::ptr::null(), std::ptr::null()) };
        assert_eq!(r, 0, "openpty: {}", std::io::Error::last_os_error());
        // SAFETY: both fds were just opened and are owned here.
        let (master, slave) = unsafe { (std::fs::File::from_raw_fd(m), std::fs::File::from_raw_fd(s)) };
        cmd.stdin(slave.try_clone().unwrap()).stderr(slave);
        // SAFETY: async-signal-safe calls between fork and exec: a new session whose
        // controlling terminal is the pty (already on fd 0).
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn on a pty");
        let out = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (mut reader, sink) = (master.try_clone().unwrap(), out.clone());
        std::thread::spawn(move || {
            use std::io::Read;
            let mut buf = [0u8; 4096];
            // EIO once the child and everything it started closed the terminal
            while let Ok(n @ 1..) = reader.read(&mut buf) {
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        (Pty { master, out }, child)
    }

    /// Everything printed on the terminal so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.out.lock().unwrap()).into_owned()
    }

    /// Waits until what was printed after byte `from` satisfies `seen`; false at the deadline.
    pub fn wait_for(&self, from: usize, deadline: std::time::Duration, seen: impl Fn(&str) -> bool) -> bool {
        let end = std::time::Instant::now() + deadline;
        while std::time::Instant::now() < end {
            let t = self.text();
            if seen(t.get(from..).unwrap_or("")) {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        false
    }

    /// Types `keys` on the terminal.
    pub fn send(&self, keys: &[u8]) {
        use std::io::Write;
        (&self.master).write_all(keys).unwrap();
    }

    /// The terminal's local modes (ICANON, ECHO, ...) as they are now.
    pub fn lflag(&self) -> libc::tcflag_t {
        use std::os::fd::AsRawFd;
        // SAFETY: a zeroed termios filled by tcgetattr on an fd owned here.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            assert_eq!(libc::tcgetattr(self.master.as_raw_fd(), &mut t), 0);
            t.c_lflag
        }
    }
}

/// Waits until `ready` holds, polling; false at the deadline.
/// Polls `cond` until it holds; fails with `what` after `secs`.
pub fn wait_for(secs: u64, what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while !cond() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out after {secs} s waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Waits for `child` to exit, failing after `secs`.
pub fn exit_within(child: &mut std::process::Child, secs: u64) -> std::process::ExitStatus {
    let mut status = None;
    wait_for(secs, "scrim to exit", || {
        status = child.try_wait().unwrap();
        status.is_some()
    });
    status.unwrap()
}

/// A free loopback TCP port.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Serves `dir` on a free loopback port (python's http.server), killed with `procs`; returns
/// the port once it accepts connections.
pub fn serve_dir(procs: &mut Procs, dir: &Path) -> u16 {
    let port = free_port();
    procs.0.push(
        Command::new("python3")
            .args([
                "-m",
                "http.server",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--directory",
            ])
            .arg(dir)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3"),
    );
    wait_for(30, "the loopback web server", || {
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    port
}

pub fn wait_until(deadline: std::time::Duration, mut ready: impl FnMut() -> bool) -> bool {
    let end = std::time::Instant::now() + deadline;
    while std::time::Instant::now() < end {
        if ready() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

/// A private desktop session's services in `dir`: a D-Bus session bus, PipeWire and WirePlumber,
/// all killed with `procs`. Returns the environment a client needs (XDG_RUNTIME_DIR,
/// DBUS_SESSION_BUS_ADDRESS, PIPEWIRE_RUNTIME_DIR, and private XDG_DATA/CONFIG/STATE_HOME),
/// once WirePlumber has joined PipeWire.
pub fn pipewire_session(procs: &mut Procs, dir: &Path) -> Vec<(String, String)> {
    use std::process::Stdio;
    let run = dir.join("run");
    std::fs::create_dir_all(&run).unwrap();
    std::fs::set_permissions(&run, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let bus = run.join("bus");
    let mut env: Vec<(String, String)> = vec![
        ("XDG_RUNTIME_DIR".into(), run.display().to_string()),
        (
            "DBUS_SESSION_BUS_ADDRESS".into(),
            format!("unix:path={}", bus.display()),
        ),
        ("PIPEWIRE_RUNTIME_DIR".into(), run.display().to_string()),
    ];
    // what the daemons (and those D-Bus starts) keep goes here, never to the user's home
    for (var, sub) in [
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
    ] {
        let d = dir.join(sub);
        std::fs::create_dir_all(&d).unwrap();
        env.push((var.into(), d.display().to_string()));
    }
    let start = |prog: &str, args: &[&str]| {
        Command::new(prog)
            .args(args)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{prog} (make deps): {e}"))
    };
    let deadline = std::time::Duration::from_secs(60);
    let addr = format!("--address=unix:path={}", bus.display());
    procs.0.push(start("dbus-daemon", &["--session", "--nofork", &addr]));
    assert!(wait_until(deadline, || bus.exists()), "dbus-daemon did not start");
    procs.0.push(start("pipewire", &[]));
    assert!(
        wait_until(deadline, || run.join("pipewire-0").exists()),
        "pipewire did not start"
    );
    procs.0.push(start("wireplumber", &[]));
    let joined = wait_until(deadline, || {
        Command::new("pw-dump")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("\"WirePlumber\""))
    });
    assert!(joined, "wireplumber did not connect to pipewire");
    env
}

/// Chromium for a test under Xvfb: no sandbox (root), no GPU, no first-run pages, no
/// background connections, at the top-left corner in 1280x720.
pub const CHROMIUM_QUIET: &[&str] = &[
    "--no-sandbox",
    "--test-type",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-features=Translate,MediaRouter",
    "--password-store=basic",
    "--window-position=0,0",
    "--window-size=1280,720",
];
