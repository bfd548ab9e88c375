//! The programs scrim starts (ffmpeg, ffprobe, gst-launch-1.0) and the unfinished files they
//! write.
//!
//! A terminal sends Ctrl-C to its whole foreground process group. Were scrim's helpers in that
//! group they would die with it, before scrim could finish the recording they encode; so each
//! starts in a process group of its own and only scrim decides when it stops (an encoder is
//! given the end of its input and finishes the file, a decoder is killed).
//!
//! They never outlive scrim for long, even when it is killed outright (SIGKILL): every helper
//! is driven through pipes whose scrim ends the kernel closes when scrim dies. An encoder then
//! reads the end of its input, completes the file under its unfinished name
//! (`.NAME.scrim-partial`: playable, but never under the name of a result) and exits; a decoder
//! or screen grabber is killed by SIGPIPE at its next write; gst-launch sees the end of the
//! stream and its PipeWire node goes away.

use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::sync::Mutex;

/// A command for a helper program, in a process group of its own (see the module docs).
pub fn command(program: &str) -> Command {
    let mut c = Command::new(program);
    c.process_group(0);
    c
}

/// How a helper ended, in words: "exit status 1", "killed by SIGKILL".
pub fn describe_exit(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(c), _) => format!("exit status {c}"),
        (None, Some(s)) => format!("killed by {}", signal_name(s)),
        _ => "ended".into(),
    }
}

fn signal_name(s: i32) -> String {
    match s {
        libc::SIGINT => "SIGINT".into(),
        libc::SIGTERM => "SIGTERM".into(),
        libc::SIGHUP => "SIGHUP".into(),
        libc::SIGKILL => "SIGKILL".into(),
        libc::SIGPIPE => "SIGPIPE".into(),
        libc::SIGSEGV => "SIGSEGV".into(),
        libc::SIGABRT => "SIGABRT".into(),
        libc::SIGXFSZ => "SIGXFSZ (file size limit)".into(),
        s => format!("signal {s}"),
    }
}

/// Unfinished outputs of this process and the helpers writing them, so [`abandon`] can stop
/// those and remove these from a signal handler.
static PARTIALS: Mutex<Vec<(PathBuf, Option<u32>)>> = Mutex::new(Vec::new());

/// An unfinished output file, removed when dropped unless [`Partial::completed`] was called
/// (after it was renamed into place).
#[derive(Debug)]
pub struct Partial {
    path: PathBuf,
    done: bool,
}

impl Partial {
    /// The unfinished name for `output`: hidden, beside it (so the final rename stays on one
    /// file system), and not looking like a result.
    pub fn for_output(output: &Path) -> Option<Partial> {
        let name = output.file_name()?;
        let path = output.with_file_name(format!(".{}.scrim-partial", name.to_string_lossy()));
        lock().push((path.clone(), None));
        Some(Partial { path, done: false })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The helper process writing the file: [`abandon`] kills it before removing the file, so
    /// it cannot create the file again.
    pub fn written_by(&self, pid: u32) {
        for (p, writer) in lock().iter_mut() {
            if *p == self.path {
                *writer = Some(pid);
            }
        }
    }

    /// Its writer was reaped (call right after `wait`): its pid may now be reused.
    pub fn writer_reaped(&self) {
        for (p, writer) in lock().iter_mut() {
            if *p == self.path {
                *writer = None;
            }
        }
    }

    /// The file is now the result: nothing to remove any more.
    pub fn completed(&mut self) {
        self.done = true;
        self.forget();
    }

    fn forget(&self) {
        lock().retain(|(p, _)| p != &self.path);
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.path);
            self.forget();
        }
    }
}

fn lock() -> std::sync::MutexGuard<'static, Vec<(PathBuf, Option<u32>)>> {
    // the list stays consistent even if a holder panicked: each change is one Vec operation
    PARTIALS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Kills the helpers writing unfinished outputs and removes those files, for a process about
/// to exit without unwinding (a second Ctrl-C).
pub fn abandon() {
    for (path, writer) in lock().drain(..) {
        if let Some(pid) = writer.and_then(|p| i32::try_from(p).ok()) {
            // SAFETY: plain syscalls on a pid this process started and has not reaped (its
            // owner clears it right after reaping); waitid with WNOWAIT leaves the reaping to it
            unsafe {
                if libc::kill(pid, libc::SIGKILL) == 0 {
                    let mut info: libc::siginfo_t = std::mem::zeroed();
                    libc::waitid(libc::P_PID, pid as libc::id_t, &mut info, libc::WEXITED | libc::WNOWAIT);
                }
            }
        }
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_run_in_their_own_process_group() {
        let out = command("sh").args(["-c", "ps -o pgid= -p $$"]).output().unwrap();
        let pgid: i32 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
        // SAFETY: getpgrp has no preconditions
        assert_ne!(
            pgid,
            unsafe { libc::getpgrp() },
            "the child shares scrim's process group"
        );
    }

    #[test]
    fn partials_are_removed_unless_completed_and_abandon_removes_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a.mkv");
        let p = Partial::for_output(&out).unwrap();
        assert_eq!(p.path(), dir.path().join(".a.mkv.scrim-partial"));
        std::fs::write(p.path(), b"x").unwrap();
        let path = p.path().to_path_buf();
        drop(p);
        assert!(!path.exists());

        let mut kept = Partial::for_output(&dir.path().join("b.mkv")).unwrap();
        std::fs::write(kept.path(), b"x").unwrap();
        kept.completed();
        let left = Partial::for_output(&dir.path().join("c.mkv")).unwrap();
        std::fs::write(left.path(), b"x").unwrap();
        abandon();
        assert!(kept.path().exists(), "a completed file is not abandoned");
        assert!(!left.path().exists());
        assert_eq!(describe_exit(ExitStatus::from_raw(9)), "killed by SIGKILL");
        assert_eq!(describe_exit(ExitStatus::from_raw(1 << 8)), "exit status 1");
    }
}
