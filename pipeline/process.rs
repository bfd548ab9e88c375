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
//! (`.NAME.scrim-partial`, see [`crate::partial`]: playable, but never under the name of a result) and exits; a decoder
//! or screen grabber is killed by SIGPIPE at its next write; gst-launch sees the end of the
//! stream and its PipeWire node goes away.

use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, ExitStatus};

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
    fn exits_are_described() {
        assert_eq!(describe_exit(ExitStatus::from_raw(9)), "killed by SIGKILL");
        assert_eq!(describe_exit(ExitStatus::from_raw(1 << 8)), "exit status 1");
    }
}
