//! Presenter controls: what the meeting sees right now (the live stream, a frozen frame, or a
//! neutral one), changed from the terminal, a global hotkey ([`super::hotkey`]) or a control
//! socket ([`ControlSocket`]), and read back as a status.
//!
//! The gate's promise holds in every state because the controls only choose *which released
//! frame* the sink gets: paused repeats the last frame the sink was given (already released by
//! the gate, so redacted; a blank one if the output was blanked), blanked gives a neutral frame,
//! and live gives the gate's newest release. Capture and analysis go on meanwhile, so the gate's
//! picture of the screen stays current and the first frame after `resume` is an analysed one
//! rather than a covered one; the cost is that a paused scrim uses as much CPU as a live one.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::LiveStatus;
use crate::error::{Error, ErrorKind, Result};

/// What the sink is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Output {
    /// Every frame the gate releases.
    #[default]
    Live,
    /// The last frame the sink was given, again and again.
    Paused,
    /// A neutral frame.
    Blanked,
}

impl Output {
    fn from_u8(v: u8) -> Output {
        match v {
            1 => Output::Paused,
            2 => Output::Blanked,
            _ => Output::Live,
        }
    }
}

/// One request, from any of the control inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Pause,
    Blank,
    Resume,
    /// Blank, or resume when blanked (the hotkey).
    ToggleBlank,
    /// Pause, or resume when paused.
    TogglePause,
    Quit,
    Status,
}

impl std::str::FromStr for Command {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Ok(match s.trim() {
            "pause" => Command::Pause,
            "blank" => Command::Blank,
            "resume" => Command::Resume,
            "toggle-blank" => Command::ToggleBlank,
            "toggle-pause" => Command::TogglePause,
            "quit" => Command::Quit,
            "status" => Command::Status,
            other => {
                return Err(format!(
                    "unknown command {other:?} (pause, blank, resume, toggle-blank, toggle-pause, status, quit)"
                ))
            }
        })
    }
}

/// The state every control input and the live loop share.
pub struct Controls {
    output: AtomicU8,
    stop: Arc<AtomicBool>,
    status: Mutex<LiveStatus>,
}

/// What `status` answers: the live loop's last status line, and the output state.
#[derive(Debug, Clone, Serialize)]
pub struct StatusReply {
    pub output: Output,
    pub paused: bool,
    pub blanked: bool,
    /// Frames taken from the source; released ones are `frames_out`, the rest are in the gate.
    pub captured: u64,
    pub frames_out: u64,
    pub fps: f64,
    pub latency_p50_ms: f64,
    pub latency_p95_ms: f64,
    pub clean: u64,
    pub covered: u64,
    pub analysis_errors: u64,
    /// Released frames the sink's consumer did not take (not reading, stalled).
    pub dropped: u64,
    pub analyser_failed: bool,
    pub source_lost: bool,
}

impl Controls {
    /// `stop`: set by `quit`, the same flag Ctrl-C sets.
    pub fn new(stop: Arc<AtomicBool>) -> Arc<Controls> {
        Arc::new(Controls {
            output: AtomicU8::new(0),
            stop,
            status: Mutex::new(LiveStatus::default()),
        })
    }

    pub fn output(&self) -> Output {
        Output::from_u8(self.output.load(Ordering::Relaxed))
    }

    fn set(&self, o: Output) {
        self.output.store(o as u8, Ordering::Relaxed);
    }

    /// Carries out `cmd`; the reply is one line (JSON for `status`).
    pub fn apply(&self, cmd: Command) -> String {
        let now = self.output();
        match cmd {
            Command::Pause => self.set(Output::Paused),
            Command::Blank => self.set(Output::Blanked),
            Command::Resume => self.set(Output::Live),
            Command::ToggleBlank if now == Output::Blanked => self.set(Output::Live),
            Command::ToggleBlank => self.set(Output::Blanked),
            Command::TogglePause if now == Output::Paused => self.set(Output::Live),
            Command::TogglePause => self.set(Output::Paused),
            Command::Quit => self.stop.store(true, Ordering::Relaxed),
            Command::Status => return serde_json::to_string(&self.status()).expect("status serialises"),
        }
        match cmd {
            Command::Quit => "ok quitting".into(),
            _ => format!(
                "ok {}",
                serde_json::to_string(&self.output())
                    .expect("serialises")
                    .trim_matches('"')
            ),
        }
    }

    /// The live loop's latest status (it publishes one every half second).
    pub fn publish(&self, st: &LiveStatus) {
        *self.status.lock().unwrap_or_else(|p| p.into_inner()) = st.clone();
    }

    pub fn status(&self) -> StatusReply {
        let st = self.status.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let output = self.output();
        StatusReply {
            output,
            paused: output == Output::Paused,
            blanked: output == Output::Blanked,
            captured: st.captured,
            frames_out: st.frames_out,
            fps: st.fps,
            latency_p50_ms: st.latency_p50_ms,
            latency_p95_ms: st.latency_p95_ms,
            clean: st.clean,
            covered: st.covered,
            analysis_errors: st.analysis_errors,
            dropped: st.dropped,
            analyser_failed: st.failed.is_some(),
            source_lost: st.source_lost.is_some(),
        }
    }
}

/// `--control PATH`: a Unix socket taking one command per line (`pause`, `blank`, `resume`,
/// `toggle-blank`, `toggle-pause`, `status`, `quit`) and answering one line each, for any
/// number of clients at once. Only its owner can connect (mode 0600). Removed when dropped.
pub struct ControlSocket {
    path: PathBuf,
}

impl ControlSocket {
    /// Binds `path`. An existing socket nobody answers on (a scrim that crashed) is replaced; a
    /// live one, or anything that is not a socket, is an error: nothing else is ever removed.
    pub fn bind(path: &Path, controls: Arc<Controls>) -> Result<ControlSocket> {
        let err = |m: String| Error::new(ErrorKind::Usage, format!("--control {}: {m}", path.display()));
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_socket() => {
                if UnixStream::connect(path).is_ok() {
                    return Err(err("another scrim is listening on it".into()));
                }
                std::fs::remove_file(path).map_err(|e| err(format!("cannot replace the stale socket: {e}")))?;
            }
            Ok(_) => return Err(err("exists and is not a socket; not replacing it".into())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(err(e.to_string())),
        }
        // created owner-only: the umask covers the moment between bind and chmod
        // SAFETY: umask only swaps the process's file-creation mask.
        let old = unsafe { libc::umask(0o177) };
        let bound = UnixListener::bind(path);
        // SAFETY: as above, restoring the previous mask.
        unsafe { libc::umask(old) };
        let listener = bound.map_err(|e| err(e.to_string()))?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(|e| err(e.to_string()))?;
        std::thread::Builder::new()
            .name("scrim-control".into())
            .spawn(move || {
                for conn in listener.incoming().flatten() {
                    let c = controls.clone();
                    let _ = std::thread::Builder::new()
                        .name("scrim-control-client".into())
                        .spawn(move || serve(conn, &c));
                }
            })
            .map_err(|e| err(format!("cannot start its thread: {e}")))?;
        Ok(ControlSocket {
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for ControlSocket {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn serve(conn: UnixStream, controls: &Controls) {
    let Ok(mut out) = conn.try_clone() else { return };
    for line in BufReader::new(conn).lines() {
        let Ok(line) = line else { return };
        if line.trim().is_empty() {
            continue;
        }
        let reply = match line.parse::<Command>() {
            Ok(cmd) => controls.apply(cmd),
            Err(e) => format!("error {e}"),
        };
        if writeln!(out, "{reply}").is_err() {
            return;
        }
    }
}

/// Sends one command to the socket at `path` and returns the reply line (`scrim control`).
pub fn send(path: &Path, command: &str) -> Result<String> {
    let err = |m: String| Error::new(ErrorKind::Usage, format!("{}: {m}", path.display()));
    let mut s = UnixStream::connect(path).map_err(|e| err(format!("no scrim listening ({e})")))?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .map_err(|e| err(e.to_string()))?;
    writeln!(s, "{}", command.trim()).map_err(|e| err(e.to_string()))?;
    let mut reply = String::new();
    BufReader::new(s)
        .read_line(&mut reply)
        .map_err(|e| err(e.to_string()))?;
    Ok(reply.trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggles_and_replies() {
        let stop = Arc::new(AtomicBool::new(false));
        let c = Controls::new(stop.clone());
        assert_eq!(c.apply(Command::ToggleBlank), "ok blanked");
        assert_eq!(c.apply(Command::ToggleBlank), "ok live");
        assert_eq!(c.apply(Command::TogglePause), "ok paused");
        assert_eq!(c.apply(Command::Blank), "ok blanked");
        let st: serde_json::Value = serde_json::from_str(&c.apply(Command::Status)).unwrap();
        assert_eq!(
            (st["blanked"].as_bool(), st["paused"].as_bool()),
            (Some(true), Some(false))
        );
        assert!(!stop.load(Ordering::Relaxed));
        c.apply(Command::Quit);
        assert!(stop.load(Ordering::Relaxed));
        assert!("dance".parse::<Command>().is_err());
        assert_eq!(" resume\n".parse::<Command>(), Ok(Command::Resume));
    }

    #[test]
    fn the_socket_is_private_and_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let c = Controls::new(Arc::new(AtomicBool::new(false)));
        let file = dir.path().join("file");
        std::fs::write(&file, "keep").unwrap();
        assert!(ControlSocket::bind(&file, c.clone()).is_err());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");

        let path = dir.path().join("ctl");
        let sock = ControlSocket::bind(&path, c.clone()).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(
            ControlSocket::bind(&path, c.clone()).is_err(),
            "a live socket is not taken over"
        );
        assert_eq!(send(&path, "blank").unwrap(), "ok blanked");
        assert!(send(&path, "jump").unwrap().starts_with("error"));
        drop(sock);
        assert!(!path.exists());
        // a stale socket (its scrim gone) is replaced
        drop(UnixListener::bind(&path).unwrap());
        let _again = ControlSocket::bind(&path, c).unwrap();
        assert_eq!(send(&path, "resume").unwrap(), "ok live");
    }
}
