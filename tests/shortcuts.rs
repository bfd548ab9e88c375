//! The global hotkey on Wayland: the GlobalShortcuts portal, with real components.
//!
//! - A desktop whose portal has a GlobalShortcuts backend: xdg-desktop-portal 1.16 with KDE
//!   Plasma's backend (xdg-desktop-portal-kde 5.27) and KDE's shortcut daemon (kglobalaccel5),
//!   on a private D-Bus session under Xvfb, where kglobalaccel takes the keys from the X server.
//!   scrim is told it runs on Wayland (`XDG_SESSION_TYPE=wayland`), so it binds its key through
//!   the portal instead of grabbing it itself; xdotool presses Ctrl+Alt+B, the portal's
//!   `Activated` signal blanks the output and again resumes it (seen on the control socket).
//! - A desktop whose portal has none (what the headless sway session of tests/wayland.rs has):
//!   one `scrim:` line saying so and pointing at `--control`, and the live run goes on.
//!
//! They need xvfb, xdotool, dbus, xdg-desktop-portal, xdg-desktop-portal-kde and
//! libkf5globalaccel-bin (`make deps`); a machine without them fails with the reason.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(120);

/// A private session bus (with PipeWire beside it, as `common` starts them), Xvfb, and
/// xdg-desktop-portal reading only the backends described in `portals` (file name, interfaces).
struct Desktop {
    procs: common::Procs,
    env: Vec<(String, String)>,
    dir: tempfile::TempDir,
}

impl Desktop {
    fn start(kde: bool) -> Desktop {
        let dir = tempfile::tempdir().unwrap();
        let mut procs = common::Procs(Vec::new());
        let display = common::xvfb(&mut procs, "1280x720x24");
        let mut env = common::pipewire_session(&mut procs, dir.path());
        env.extend([
            ("DISPLAY".to_string(), display),
            ("XDG_CURRENT_DESKTOP".to_string(), "KDE".to_string()),
            ("QT_QPA_PLATFORM".to_string(), "xcb".to_string()),
            // the backend opens KDE's settings on BindShortcuts; nothing to open here
            ("BROWSER".to_string(), "true".to_string()),
        ]);
        let portals = dir.path().join("portals");
        std::fs::create_dir_all(&portals).unwrap();
        let mut d = Desktop { procs, env, dir };
        if kde {
            let backend = Path::new("/usr/lib/x86_64-linux-gnu/libexec/xdg-desktop-portal-kde");
            assert!(
                backend.exists(),
                "{} is missing (make deps: xdg-desktop-portal-kde)",
                backend.display()
            );
            let accel = d.spawn("kglobalaccel5", "kglobalaccel.log");
            d.procs.0.push(accel);
            d.wait_name("org.kde.kglobalaccel");
            let b = d.spawn(backend.to_str().unwrap(), "portal-kde.log");
            d.procs.0.push(b);
            d.wait_name("org.freedesktop.impl.portal.desktop.kde");
            // only its GlobalShortcuts: nothing else of a KDE desktop is there to back the rest
            std::fs::write(
                portals.join("kde.portal"),
                "[portal]\nDBusName=org.freedesktop.impl.portal.desktop.kde\n\
                 Interfaces=org.freedesktop.impl.portal.GlobalShortcuts;\nUseIn=KDE\n",
            )
            .unwrap();
        }
        let mut portal = d.command("/usr/libexec/xdg-desktop-portal");
        portal.arg("-r").env("XDG_DESKTOP_PORTAL_DIR", &portals);
        let log = std::fs::File::create(d.dir.path().join("portal.log")).unwrap();
        let p = portal
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("xdg-desktop-portal (make deps)");
        d.procs.0.push(p);
        d.wait_name("org.freedesktop.portal.Desktop");
        d
    }

    fn command(&self, prog: &str) -> Command {
        let mut c = Command::new(prog);
        c.env_remove("WAYLAND_DISPLAY")
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        c
    }

    fn spawn(&self, prog: &str, log: &str) -> Child {
        let log = std::fs::File::create(self.dir.path().join(log)).unwrap();
        self.command(prog)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("{prog} (make deps): {e}"))
    }

    /// Waits until `name` is owned on the session bus (asking earlier would let D-Bus start a
    /// second instance of a service).
    fn wait_name(&self, name: &str) {
        let owned = common::wait_until(DEADLINE, || {
            self.command("dbus-send")
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    &format!("string:{name}"),
                ])
                .output()
                .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"))
        });
        assert!(owned, "{name} never appeared on the session bus:\n{}", self.logs());
    }

    fn logs(&self) -> String {
        let mut out = String::new();
        for f in ["kglobalaccel.log", "portal-kde.log", "portal.log"] {
            if let Ok(t) = std::fs::read_to_string(self.dir.path().join(f)) {
                out += &format!("--- {f}\n{t}");
            }
        }
        out
    }

    /// `scrim live` of the bundled screenshot on a session that says it is Wayland, with a
    /// control socket; its stderr collected.
    fn scrim_live(&self) -> (Live, PathBuf) {
        let sock = self.dir.path().join("ctl");
        let src = format!("file:{}", common::asset("examples/intranet-dashboard.png").display());
        let mut c = self.command(env!("CARGO_BIN_EXE_scrim"));
        c.args(["live", "--source", &src, "--sink", "stdout", "--fps", "5"])
            .arg("--control")
            .arg(&sock)
            .env("XDG_SESSION_TYPE", "wayland")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        let text = Arc::new(Mutex::new(String::new()));
        let (pipe, t) = (child.stderr.take().unwrap(), text.clone());
        std::thread::spawn(move || {
            for l in BufReader::new(pipe).lines().map_while(Result::ok) {
                t.lock().unwrap().push_str(&(l + "\n"));
            }
        });
        (Live { child, text }, sock)
    }
}

struct Live {
    child: Child,
    text: Arc<Mutex<String>>,
}

impl Live {
    fn stderr(&self) -> String {
        self.text.lock().unwrap().clone()
    }

    fn wait_said(&self, what: &str, d: &Desktop) {
        let said = common::wait_until(DEADLINE, || self.stderr().contains(what));
        assert!(said, "{what:?} never said:\n{}\n{}", self.stderr(), d.logs());
    }

    /// `quit` on the socket must end the run cleanly.
    fn quit(mut self, sock: &Path) -> String {
        scrim::live::control::send(sock, "quit").unwrap();
        let end = Instant::now() + DEADLINE;
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            assert!(Instant::now() < end, "quit did not end scrim:\n{}", self.stderr());
            std::thread::sleep(Duration::from_millis(50));
        };
        // the reader has the last lines once the pipe closed
        common::wait_until(Duration::from_secs(5), || self.stderr().contains("scrim live: done"));
        assert!(status.success(), "{status:?}\n{}", self.stderr());
        self.stderr()
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_status(sock: &Path, what: &str, ok: impl Fn(&serde_json::Value) -> bool) {
    let seen = common::wait_until(DEADLINE, || {
        sock.exists()
            && scrim::live::control::send(sock, "status")
                .ok()
                .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
                .is_some_and(|s| ok(&s))
    });
    assert!(seen, "{what}");
}

#[test]
fn the_portal_hotkey_blanks_and_resumes_on_a_desktop_that_has_one() {
    let d = Desktop::start(true);
    let (live, sock) = d.scrim_live();
    live.wait_said("(GlobalShortcuts portal)", &d);
    let err = live.stderr();
    // the desktop took scrim's proposal and says how it reads
    assert!(
        err.contains("scrim live: hotkey Ctrl+Alt+B blanks the output, again resumes (GlobalShortcuts portal)"),
        "{err}"
    );
    wait_status(&sock, "no frames released", |s| s["frames_out"].as_u64() > Some(0));
    let press = || {
        let o = d
            .command("xdotool")
            .args(["key", "ctrl+alt+b"])
            .output()
            .expect("xdotool (make deps)");
        assert!(o.status.success(), "xdotool: {}", String::from_utf8_lossy(&o.stderr));
    };
    press();
    wait_status(&sock, "the portal's hotkey did not blank", |s| s["blanked"] == true);
    press();
    wait_status(&sock, "the portal's hotkey again did not resume", |s| {
        s["output"] == "live" && s["blanked"] == false
    });
    let err = live.quit(&sock);
    assert!(!err.lines().any(|l| l.starts_with("error")), "{err}");
}

#[test]
fn without_a_global_shortcuts_backend_one_line_says_so_and_live_goes_on() {
    let d = Desktop::start(false);
    let (live, sock) = d.scrim_live();
    live.wait_said("no global hotkey", &d);
    wait_status(&sock, "no frames released", |s| s["frames_out"].as_u64() > Some(2));
    let err = live.quit(&sock);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("hotkey")).collect();
    assert_eq!(
        lines,
        [
            "scrim: no global hotkey: this desktop's xdg-desktop-portal has no GlobalShortcuts backend; \
use --control PATH and bind a desktop shortcut to `scrim control PATH toggle-blank`"
        ],
        "{err}"
    );
    // doctor says the same
    let o = d
        .command(env!("CARGO_BIN_EXE_scrim"))
        .args(["doctor", "--json"])
        .env("XDG_SESSION_TYPE", "wayland")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("no GlobalShortcuts backend"), "{text}");
}
