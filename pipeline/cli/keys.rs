//! Presenter keys on the terminal running `scrim live`: p pause, b blank, r resume, q quit.
//!
//! Only when stdin is a terminal scrim is in the foreground of (a background job touching the
//! terminal would be stopped by SIGTTIN/SIGTTOU). The terminal goes to cbreak mode: keys arrive one
//! by one without echo, while Ctrl-C still sends SIGINT. [`Keys`] restores the saved settings when
//! dropped, which happens on every way out of `scrim live`: the end of the source, an error, `q`,
//! and SIGINT/SIGTERM/SIGHUP (they set the stop flag, and the live loop returns normally).

use std::sync::Arc;

use scrim::live::control::{Command, Controls};

/// What the status line lists.
pub const HINT: &str = "[p]ause [b]lank [r]esume [q]uit";

/// The terminal in cbreak mode, and the thread reading its keys. Dropping it restores the terminal.
pub struct Keys {
    saved: libc::termios,
}

impl Keys {
    /// `None` when stdin is not a terminal scrim owns (a pipe, a file, a background job).
    pub fn start(controls: Arc<Controls>) -> Option<Keys> {
        // SAFETY: plain calls on fd 0 with a termios owned here.
        let saved = unsafe {
            if libc::isatty(0) != 1 || libc::tcgetpgrp(0) != libc::getpgrp() {
                return None;
            }
            let mut t: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(0, &mut t) != 0 {
                return None;
            }
            t
        };
        let mut raw = saved;
        raw.c_lflag &= !(libc::ICANON | libc::ECHO);
        raw.c_cc[libc::VMIN] = 1;
        raw.c_cc[libc::VTIME] = 0;
        // SAFETY: as above.
        if unsafe { libc::tcsetattr(0, libc::TCSANOW, &raw) } != 0 {
            return None;
        }
        let keys = Keys { saved };
        let spawned = std::thread::Builder::new()
            .name("scrim-keys".into())
            .spawn(move || read_keys(&controls));
        // without the reader the terminal goes back as it was (Drop)
        spawned.ok().map(|_| keys)
    }
}

impl Drop for Keys {
    fn drop(&mut self) {
        // SAFETY: restores the settings saved in `start` on the same fd.
        unsafe {
            libc::tcsetattr(0, libc::TCSANOW, &self.saved);
        }
    }
}

fn read_keys(controls: &Controls) {
    let mut buf = [0u8; 16];
    loop {
        // SAFETY: reads into a buffer owned here.
        let n = unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) };
        if n <= 0 {
            if n < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return; // the terminal went away
        }
        for &b in &buf[..n as usize] {
            let cmd = match b.to_ascii_lowercase() {
                b'p' => Command::TogglePause,
                b'b' => Command::ToggleBlank,
                b'r' => Command::Resume,
                b'q' => Command::Quit,
                _ => continue,
            };
            controls.apply(cmd);
        }
    }
}
