//! The part of `scrim doctor` about what `scrim live` and recordings use besides the models
//! (ffmpeg, the PipeWire sink, an X display for capture, the window sink and the hotkey,
//! v4l2loopback), and the closing "what to do next": the exact command for each missing piece.

use std::path::{Path, PathBuf};

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    /// Only some users need it (a missing one is not an error).
    pub optional: bool,
    pub detail: String,
    /// What it is for.
    pub used_by: &'static str,
    /// The command that fixes it, when it is missing.
    pub fix: Option<String>,
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn sudo() -> &'static str {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        ""
    } else {
        "sudo "
    }
}

pub fn apt(packages: &str) -> String {
    format!("{}apt-get install {packages}", sudo())
}

fn pipewire_socket() -> Option<PathBuf> {
    let dir = std::env::var_os("PIPEWIRE_RUNTIME_DIR").or_else(|| std::env::var_os("XDG_RUNTIME_DIR"))?;
    let name = std::env::var_os("PIPEWIRE_REMOTE").unwrap_or_else(|| "pipewire-0".into());
    Some(Path::new(&dir).join(name)).filter(|p| p.exists())
}

/// Video devices v4l2loopback made (`/sys/class/video4linux/videoN`, its module loaded).
fn loopback_devices() -> Option<Vec<String>> {
    if !Path::new("/sys/module/v4l2loopback").exists() {
        return None;
    }
    let mut devs: Vec<String> = std::fs::read_dir("/sys/class/video4linux")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| {
            let name = std::fs::read_to_string(e.path().join("name")).unwrap_or_default();
            format!("/dev/{} ({})", e.file_name().to_string_lossy(), name.trim())
        })
        .collect();
    devs.sort();
    Some(devs)
}

pub fn checks() -> Vec<Check> {
    let mut out = Vec::new();
    let ffmpeg = on_path("ffmpeg");
    out.push(Check {
        name: "ffmpeg",
        ok: ffmpeg.is_some(),
        optional: false,
        detail: ffmpeg.map_or("not found on the PATH".into(), |p| p.display().to_string()),
        used_by: "recordings; live --sink file:, --source file:/x11grab/stdin",
        fix: Some(apt("ffmpeg")),
    });
    let gst = on_path("gst-launch-1.0");
    let plugin = gst.is_some()
        && std::process::Command::new("gst-inspect-1.0")
            .arg("pipewiresink")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    out.push(Check {
        name: "PipeWire sink",
        ok: plugin,
        optional: true,
        detail: match (&gst, plugin) {
            (None, _) => "gst-launch-1.0 not found".into(),
            (Some(_), false) => "GStreamer's pipewiresink plugin not found".into(),
            (Some(p), true) => format!("{} with pipewiresink", p.display()),
        },
        used_by: "live --sink pipewire (the virtual camera for browsers and OBS)",
        fix: Some(apt(
            "gstreamer1.0-tools gstreamer1.0-pipewire gstreamer1.0-plugins-base",
        )),
    });
    let socket = pipewire_socket();
    out.push(Check {
        name: "PipeWire daemon",
        ok: socket.is_some(),
        optional: true,
        detail: socket.map_or("no PipeWire socket in $XDG_RUNTIME_DIR".into(), |p| {
            format!("running ({})", p.display())
        }),
        used_by: "live --sink pipewire",
        fix: Some("systemctl --user start pipewire wireplumber".into()),
    });
    let display = std::env::var("DISPLAY").ok().filter(|d| !d.is_empty());
    let x11 = display
        .as_deref()
        .map(|d| x11rb::rust_connection::RustConnection::connect(Some(d)).map(|_| ()));
    out.push(Check {
        name: "X11 display",
        ok: matches!(x11, Some(Ok(()))),
        optional: true,
        detail: match (&display, &x11) {
            (Some(d), Some(Ok(()))) => format!("{d} answers"),
            (Some(d), Some(Err(e))) => format!("{d} does not answer: {e}"),
            _ => "$DISPLAY is not set (run scrim in your desktop session, X11 or XWayland)".into(),
        },
        used_by: "live --source screen/region/window/x11grab, --sink window, the global hotkey",
        // not a command: scrim has to run inside the desktop session
        fix: None,
    });
    let hotkey = scrim::live::hotkey::availability();
    out.push(Check {
        name: "global hotkey",
        ok: hotkey.is_ok(),
        optional: true,
        detail: match &hotkey {
            Ok(on) => format!(
                "{} through {on} (policy [controls] hotkey, --hotkey)",
                scrim::live::hotkey::DEFAULT
            ),
            Err(why) => why.clone(),
        },
        used_by: "blanking the output while the meeting app has the focus",
        fix: None,
    });
    let loopback = loopback_devices();
    out.push(Check {
        name: "v4l2loopback",
        ok: loopback.as_ref().is_some_and(|d| !d.is_empty()),
        optional: true,
        detail: match &loopback {
            None => "module not loaded".into(),
            Some(d) if d.is_empty() => "loaded, no device".into(),
            Some(d) => d.join(", "),
        },
        used_by: "live --sink v4l2:/dev/videoN (Zoom, Teams and other desktop apps)",
        fix: Some(format!(
            "{} && {}modprobe v4l2loopback devices=1 video_nr=10 card_label=scrim exclusive_caps=1",
            apt("v4l2loopback-dkms"),
            sudo()
        )),
    });
    out
}

/// The human-readable part: each check, then what to do next (the last lines, so a user who
/// reads only the end of the output sees the commands).
pub fn print(checks: &[Check], next: &[String]) {
    println!("live capture and outputs:");
    for c in checks {
        let mark = match (c.ok, c.optional) {
            (true, _) => "ok",
            (false, true) => "--",
            (false, false) => "!!",
        };
        println!("  [{mark}] {:<16} {}: {}", c.name, c.detail, c.used_by);
    }
    if next.is_empty() {
        println!("nothing is missing");
    } else {
        println!("what to do next:");
        for step in next {
            println!("  {step}");
        }
    }
}

/// The closing list: each missing piece's command, the models first.
pub fn next_steps(models_missing: Option<String>, checks: &[Check]) -> Vec<String> {
    let mut steps: Vec<String> = models_missing.into_iter().collect();
    for c in checks.iter().filter(|c| !c.ok) {
        if let Some(fix) = &c.fix {
            let step = format!("{fix}   # {}", c.used_by);
            if !steps.iter().any(|s| s.starts_with(fix.as_str())) {
                steps.push(step);
            }
        }
    }
    steps
}

/// The command that installs the models into `dir`.
pub fn fetch_command(dir: &Path) -> String {
    let default = scrim::models::installed_model_dir().filter(|d| d == dir);
    if default.is_some() {
        return "make install   # from scrim's source tree: puts the models beside this scrim".into();
    }
    // where models/fetch.sh installs without SCRIM_MODEL_DIR
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .map(|c| c.join("scrim").join("models"));
    if cache.as_deref() == Some(dir) {
        format!("{}   # from scrim's source tree", scrim::error::FETCH_COMMAND)
    } else {
        format!(
            "SCRIM_MODEL_DIR={} {}   # from scrim's source tree",
            dir.display(),
            scrim::error::FETCH_COMMAND
        )
    }
}
