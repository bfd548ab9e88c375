//! The meeting apps people use, for real: Chromium and Firefox ESR pick scrim's PipeWire camera
//! through the xdg-desktop-portal Camera portal (`getUserMedia`), and Chromium shares scrim's
//! window (`getDisplayMedia`). A loopback page draws what the browser receives onto a canvas and
//! posts it back; Tesseract reads it: the example's secrets must be unreadable and its harmless
//! text readable.
//!
//! The session is private: its own D-Bus bus, PipeWire, WirePlumber, an Xvfb display with
//! openbox, and `xdg-desktop-portal`, whose Camera portal appears only once some backend
//! declares the Access interface (a stub `.portal` file in a private XDG_DESKTOP_PORTAL_DIR,
//! named by XDG_CURRENT_DESKTOP; nobody needs to own its bus name). A browser running outside
//! a sandbox asks for the empty app id, whose `devices/camera` permission is preset to "yes" in
//! the permission store, as the user's "Allow" would; the store lives in the private
//! XDG_DATA_HOME. Needs: chromium firefox-esr xdg-desktop-portal pipewire wireplumber dbus xvfb
//! openbox xdotool tesseract-ocr (`make deps`).

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Generous: browsers and the models starting on a loaded 2-core machine.
const DEADLINE: Duration = Duration::from_secs(240);

/// The page: gets the camera (or the shared window), draws three frames a second apart onto a
/// canvas and posts each as PNG. Every browser call has a timeout (without the portal's answer
/// Chromium's calls never settle); getUserMedia is retried while the browser is still
/// discovering PipeWire's devices (Chromium answers NotFoundError until then).
const PAGE: &str = r#"<!doctype html><html><body><video id=v autoplay muted playsinline></video><canvas id=c></canvas>
<script>
const post = (path, body) => fetch(path, {method: 'POST', body});
const timeout = (p, ms, what) => Promise.race([p, new Promise((_, no) => setTimeout(() => no(new Error(what + ' timed out')), ms))]);
const sleep = ms => new Promise(r => setTimeout(r, ms));
const display = location.pathname === '/display';
(async () => {
  try {
    let s, last;
    for (let i = 0; i < 30 && !s; i++) {
      try {
        s = await timeout(display ? navigator.mediaDevices.getDisplayMedia({video: true})
                                  : navigator.mediaDevices.getUserMedia({video: true}), 20000, 'getting the video');
      } catch (e) { last = e; await sleep(1000); }
    }
    if (!s) throw last;
    const track = s.getVideoTracks()[0];
    await post('/track', JSON.stringify({label: track.label, settings: track.getSettings()}));
    const v = document.getElementById('v');
    v.srcObject = s;
    await timeout(new Promise(r => { if (v.readyState >= 2) r(); else v.onloadeddata = r; }), 30000, 'the first frame');
    const c = document.getElementById('c');
    for (let i = 0; i < 3; i++) {
      await sleep(1000);
      c.width = v.videoWidth; c.height = v.videoHeight;
      c.getContext('2d').drawImage(v, 0, 0);
      await post('/frame' + i, await new Promise(r => c.toBlob(r, 'image/png')));
    }
    await post('/done', 'ok');
  } catch (e) {
    await post('/error', String(e));
  }
})();
</script></body></html>"#;

type Posts = Arc<Mutex<HashMap<String, Vec<u8>>>>;

/// A loopback HTTP server for the page; what the page posts is kept by path.
fn serve() -> (u16, Posts) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let posts: Posts = Arc::default();
    let p = posts.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let p = p.clone();
            std::thread::spawn(move || {
                let mut r = BufReader::new(conn);
                let mut line = String::new();
                if r.read_line(&mut line).is_err() {
                    return;
                }
                let mut parts = line.split_whitespace();
                let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or("").to_string());
                let mut length = 0usize;
                loop {
                    let mut h = String::new();
                    if r.read_line(&mut h).is_err() || h.trim().is_empty() {
                        break;
                    }
                    if let Some((k, v)) = h.split_once(':') {
                        if k.eq_ignore_ascii_case("content-length") {
                            length = v.trim().parse().unwrap_or(0);
                        }
                    }
                }
                let body = if method == "POST" {
                    let mut b = vec![0; length];
                    if r.read_exact(&mut b).is_err() {
                        return;
                    }
                    p.lock().unwrap().insert(path.clone(), b);
                    String::new()
                } else {
                    PAGE.to_string()
                };
                let mut out = r.into_inner();
                let _ = write!(
                    out,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    (port, posts)
}

/// A browser in a process group of its own: it starts many processes, all killed with it.
struct Browser(std::process::Child);

impl Drop for Browser {
    fn drop(&mut self) {
        // SAFETY: signals the group of our own child.
        unsafe { libc::kill(-(self.0.id() as i32), libc::SIGKILL) };
        let _ = self.0.wait();
    }
}

struct Session {
    procs: common::Procs,
    dir: PathBuf,
    env: Vec<(String, String)>,
}

impl Session {
    fn command(&self, prog: &str) -> Command {
        let mut c = Command::new(prog);
        c.envs(self.env.iter().map(|(k, v)| (k, v)))
            .env_remove("WAYLAND_DISPLAY");
        c
    }

    fn dbus_send(&self, args: &[&str]) -> String {
        let o = self
            .command("dbus-send")
            .args(["--session", "--print-reply"])
            .args(args)
            .output()
            .expect("dbus-send (make deps)");
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
    }

    /// Waits until `name` has an owner on the session bus.
    fn wait_for_name(&self, name: &str) -> bool {
        common::wait_until(DEADLINE, || {
            self.dbus_send(&[
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                &format!("string:{name}"),
            ])
            .contains("boolean true")
        })
    }

    fn browser(&self, mut c: Command, log: &str) -> Browser {
        use std::os::unix::process::CommandExt;
        let log = std::fs::File::create(self.dir.join(log)).unwrap();
        c.process_group(0)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        Browser(c.spawn().expect("the browser (make deps)"))
    }

    fn chromium(&self, url: &str, extra: &[&str]) -> Browser {
        let profile = tempfile::tempdir_in(&self.dir).unwrap().keep();
        let mut c = self.command("chromium");
        c.args([
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--window-position=0,0",
            "--window-size=1200,900",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url);
        self.browser(c, "chromium.log")
    }

    fn firefox(&self, url: &str) -> Browser {
        let profile = tempfile::tempdir_in(&self.dir).unwrap().keep();
        let prefs = [
            ("media.webrtc.camera.allow-pipewire", "true"),
            ("media.navigator.permission.disabled", "true"),
            ("browser.shell.checkDefaultBrowser", "false"),
            ("browser.aboutwelcome.enabled", "false"),
            ("browser.startup.homepage_override.mstone", "\"ignore\""),
            ("datareporting.policy.dataSubmissionEnabled", "false"),
            ("toolkit.telemetry.reportingpolicy.firstRun", "false"),
            ("app.update.enabled", "false"),
            ("extensions.update.enabled", "false"),
            ("network.captive-portal-service.enabled", "false"),
            ("network.connectivity-service.enabled", "false"),
            ("browser.safebrowsing.malware.enabled", "false"),
            ("browser.safebrowsing.phishing.enabled", "false"),
        ];
        let user_js: String = prefs
            .iter()
            .map(|(k, v)| format!("user_pref(\"{k}\", {v});\n"))
            .collect();
        std::fs::write(profile.join("user.js"), user_js).unwrap();
        let mut c = self.command("firefox-esr");
        c.args(["--no-remote", "--profile"]).arg(&profile).arg(url);
        self.browser(c, "firefox.log")
    }
}

/// dbus, PipeWire, WirePlumber, Xvfb (wide enough to show a browser and scrim's 1080p window
/// side by side: an X11 window capture of a covered window is black) with openbox, and the
/// portal with its Camera interface and the camera permission granted.
fn session(tmp: &Path) -> Session {
    let mut procs = common::Procs(Vec::new());
    let display = common::xvfb(&mut procs, "3200x1200x24");
    let mut env = common::pipewire_session(&mut procs, tmp);
    let portals = tmp.join("portals");
    std::fs::create_dir_all(&portals).unwrap();
    std::fs::write(
        portals.join("scrimtest.portal"),
        "[portal]\nDBusName=org.freedesktop.impl.portal.desktop.scrimtest\n\
Interfaces=org.freedesktop.impl.portal.Access;\nUseIn=scrimtest\n",
    )
    .unwrap();
    env.extend([
        ("DISPLAY".to_string(), display),
        ("XDG_DESKTOP_PORTAL_DIR".to_string(), portals.display().to_string()),
        ("XDG_CURRENT_DESKTOP".to_string(), "scrimtest".to_string()),
        (
            "SCRIM_MODEL_DIR".to_string(),
            common::models().root().display().to_string(),
        ),
    ]);
    let mut s = Session {
        procs,
        dir: tmp.to_path_buf(),
        env,
    };
    let openbox = s
        .command("openbox")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("openbox (make deps)");
    s.procs.0.push(openbox);
    // what the user's "Allow" stores: the camera for non-sandboxed apps (app id "")
    let set = s.dbus_send(&[
        "--dest=org.freedesktop.impl.portal.PermissionStore",
        "/org/freedesktop/impl/portal/PermissionStore",
        "org.freedesktop.impl.portal.PermissionStore.SetPermission",
        "string:devices",
        "boolean:true",
        "string:camera",
        "string:",
        "array:string:yes",
    ]);
    assert!(set.contains("method return"), "permission store: {set}");
    let log = std::fs::File::create(tmp.join("portal.log")).unwrap();
    let mut portal = s.command("/usr/libexec/xdg-desktop-portal");
    portal
        .arg("-v")
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log);
    let portal = portal.spawn().expect("xdg-desktop-portal (make deps)");
    s.procs.0.push(portal);
    // before anyone calls it, or D-Bus starts a second one without our environment
    assert!(
        s.wait_for_name("org.freedesktop.portal.Desktop"),
        "the portal did not start"
    );
    let version = s.dbus_send(&[
        "--dest=org.freedesktop.portal.Desktop",
        "/org/freedesktop/portal/desktop",
        "org.freedesktop.DBus.Properties.Get",
        "string:org.freedesktop.portal.Camera",
        "string:version",
    ]);
    assert!(version.contains("uint32"), "no Camera portal: {version}");
    s
}

fn scrim_live(s: &Session, sink: &str) -> common::Procs {
    let src = format!("file:{}", common::asset("examples/intranet-dashboard.png").display());
    let log = std::fs::File::create(s.dir.join("scrim.log")).unwrap();
    let child = s
        .command(env!("CARGO_BIN_EXE_scrim"))
        .args([
            "live", "--source", &src, "--sink", sink, "--fps", "10", "--hotkey", "none",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    common::Procs(vec![child])
}

/// Waits for the page's frames, then judges each with Tesseract.
fn judge(s: &Session, posts: &Posts, who: &str) -> serde_json::Value {
    let done = common::wait_until(DEADLINE, || {
        let p = posts.lock().unwrap();
        p.contains_key("/done") || p.contains_key("/error")
    });
    let p = posts.lock().unwrap().clone();
    let logs = || {
        ["scrim.log", "chromium.log", "firefox.log", "portal.log"]
            .iter()
            .map(|f| {
                let t = std::fs::read_to_string(s.dir.join(f)).unwrap_or_default();
                let tail: Vec<&str> = t.lines().rev().take(15).collect();
                format!("--- {f}\n{}", tail.into_iter().rev().collect::<Vec<_>>().join("\n"))
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(done, "{who}: the page did not finish\n{}", logs());
    if let Some(e) = p.get("/error") {
        panic!("{who}: {}\n{}", String::from_utf8_lossy(e), logs());
    }
    let track: serde_json::Value = serde_json::from_slice(&p["/track"]).unwrap();
    let truth = common::truth(&common::asset("examples/intranet-dashboard.json"));
    for i in 0..3 {
        let png = s.dir.join(format!("{who}-frame{i}.png"));
        std::fs::write(&png, &p[&format!("/frame{i}")]).unwrap();
        let frame = scrim::imageio::load(&png).unwrap();
        assert!(
            frame.width() >= 1280,
            "{who}: a {}x{} frame",
            frame.width(),
            frame.height()
        );
        let text = common::oracle_text(&png);
        for secret in &truth.sensitive {
            assert!(
                !text.contains(&common::squash(secret)),
                "{who}: {secret:?} readable in frame {i}"
            );
        }
        let readable = truth
            .controls
            .iter()
            .filter(|c| text.contains(&common::squash(c)))
            .count();
        assert!(
            readable * 2 >= truth.controls.len(),
            "{who}: frame {i} shows too little of the page ({readable} of {} harmless lines)",
            truth.controls.len()
        );
    }
    track
}

#[test]
fn chromium_and_firefox_list_scrims_camera_and_see_only_redacted_frames() {
    let tmp = tempfile::tempdir().unwrap();
    let s = session(tmp.path());
    let _scrim = scrim_live(&s, "pipewire:scrim-camera");
    let listed = common::wait_until(DEADLINE, || {
        let o = s.command("pw-dump").output().unwrap();
        String::from_utf8_lossy(&o.stdout).contains("\"node.name\": \"scrim-camera\"")
    });
    assert!(listed, "scrim's node never appeared");

    let (port, posts) = serve();
    let url = format!("http://127.0.0.1:{port}/camera");
    {
        let _chromium = s.chromium(
            &url,
            &[
                "--enable-features=WebRtcPipeWireCamera",
                "--use-fake-ui-for-media-stream",
            ],
        );
        let track = judge(&s, &posts, "chromium");
        assert!(track["label"].as_str().unwrap().contains("scrim"), "{track}");
    }
    posts.lock().unwrap().clear();
    {
        let _firefox = s.firefox(&url);
        let track = judge(&s, &posts, "firefox");
        assert!(track["label"].as_str().unwrap().contains("scrim"), "{track}");
    }
}

#[test]
fn chromium_shares_scrims_window_and_sees_only_redacted_frames() {
    let tmp = tempfile::tempdir().unwrap();
    let s = session(tmp.path());
    let title = "scrim-shared-window";
    let _scrim = scrim_live(&s, &format!("window:{title}"));
    let xdotool = |args: &[&str]| {
        let o = s.command("xdotool").args(args).output().expect("xdotool (make deps)");
        assert!(
            o.status.success(),
            "xdotool {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    // --sync: until the window is there (it appears with the first released frame)
    let found = xdotool(&["search", "--sync", "--name", title]);
    let window = found.lines().next().unwrap().to_string();
    // beside the browser, not under it
    xdotool(&["windowmove", "--sync", &window, "1250", "0"]);

    let (port, posts) = serve();
    let pick = format!("--auto-select-desktop-capture-source={title}");
    let _chromium = s.chromium(&format!("http://127.0.0.1:{port}/display"), &[&pick]);
    let track = judge(&s, &posts, "chromium-window");
    assert_eq!(track["settings"]["displaySurface"], "window", "{track}");
}
