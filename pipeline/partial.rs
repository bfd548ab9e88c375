//! Unfinished output files. Every output scrim writes (images, recordings, reports, previews)
//! goes first to a hidden name beside it and is renamed into place only when complete, so a
//! result is never half written.
//!
//! That hidden name is in the output's directory, which may be shared (`/tmp`, a group
//! folder): someone else may have put a symlink or a file there first, hoping scrim writes
//! through it. So scrim creates the file itself, exclusively (`O_CREAT|O_EXCL`, which never
//! follows a symlink), and when the name is taken it picks another; it never opens an existing
//! file. While unfinished the file is private (mode 0600): a recording of a screen is readable
//! by nobody else until it is the result, which then gets the usual mode (0666 less the umask).
//! A helper that writes the file (ffmpeg) is handed the open file, never the name.

use std::fs::File;
use std::io::ErrorKind as IoKind;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::os::unix::io::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use crate::error::{Error, ErrorKind, Result};

/// Unfinished outputs of this process and the helpers writing them, so [`abandon`] can stop
/// those and remove these from a signal handler.
static PARTIALS: Mutex<Vec<(PathBuf, Option<u32>)>> = Mutex::new(Vec::new());

/// Other names tried when the usual one is taken, before giving up.
const ATTEMPTS: u32 = 16;

/// An unfinished output file, open for writing; removed when dropped unless
/// [`Partial::complete`] renamed it into place.
#[derive(Debug)]
pub struct Partial {
    path: PathBuf,
    file: File,
    done: bool,
}

impl Partial {
    /// Creates the unfinished file for `output`: `.NAME.scrim-partial` beside it (hidden, on
    /// the same file system so the final rename is atomic, not looking like a result), or
    /// `.NAME.XXXXXXXX.scrim-partial` when that name already exists.
    pub fn create(output: &Path) -> Result<Partial> {
        let name = output
            .file_name()
            .ok_or_else(|| Error::new(ErrorKind::Usage, "the output path has no file name").with_path(output))?
            .to_string_lossy()
            .into_owned();
        let mut last = None;
        for attempt in 0..ATTEMPTS {
            let file_name = match attempt {
                0 => format!(".{name}.scrim-partial"),
                n => format!(".{name}.{:08x}.scrim-partial", unguessable(n)),
            };
            let path = output.with_file_name(file_name);
            match File::options().write(true).create_new(true).mode(0o600).open(&path) {
                Ok(file) => {
                    // exactly 0600 whatever the umask: a helper reopens it for writing
                    file.set_permissions(std::fs::Permissions::from_mode(0o600))
                        .map_err(|e| cannot("set the mode of", &path, e))?;
                    lock().push((path.clone(), None));
                    return Ok(Partial {
                        path,
                        file,
                        done: false,
                    });
                }
                Err(e) if e.kind() == IoKind::AlreadyExists => last = Some(path),
                Err(e) => return Err(cannot("create", &path, e)),
            }
        }
        Err(Error::new(
            ErrorKind::Output,
            format!(
                "cannot create an unfinished output beside {}: {} and {} other names are taken",
                output.display(),
                last.map(|p| p.display().to_string()).unwrap_or_default(),
                ATTEMPTS - 1
            ),
        ))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The open file, for writing it in this process.
    pub fn file(&mut self) -> &mut File {
        &mut self.file
    }

    /// Lets the program `cmd` starts write this file: its child inherits the open file, and
    /// the returned path (`/proc/self/fd/N`) names that file in the child. The child opening
    /// it reaches this very file (seekable: an mp4 muxer rewrites its index), whatever now
    /// lies at the partial name.
    pub fn hand_to(&self, cmd: &mut Command) -> PathBuf {
        let fd = self.file.as_raw_fd();
        // SAFETY: fcntl is async-signal-safe, and between fork and exec it changes only the
        // child's copy of the descriptor table (the parent's copy stays close-on-exec, so no
        // other child inherits the file)
        unsafe {
            cmd.pre_exec(move || {
                if libc::fcntl(fd, libc::F_SETFD, 0) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        PathBuf::from(format!("/proc/self/fd/{fd}"))
    }

    /// The helper process writing the file: [`abandon`] kills it before removing the file.
    pub fn written_by(&self, pid: u32) {
        self.set_writer(Some(pid));
    }

    /// Its writer was reaped (call right after `wait`): its pid may now be reused.
    pub fn writer_reaped(&self) {
        self.set_writer(None);
    }

    fn set_writer(&self, pid: Option<u32>) {
        for (p, writer) in lock().iter_mut() {
            if *p == self.path {
                *writer = pid;
            }
        }
    }

    /// The file is finished: flushed to disk, given the usual mode for a new file, and renamed
    /// to `output` (replacing whatever was there, a symlink included, never writing through it).
    pub fn complete(&mut self, output: &Path) -> Result<()> {
        self.file
            .sync_all()
            .map_err(|e| cannot("flush to disk (disk full?)", &self.path, e))?;
        self.file
            .set_permissions(std::fs::Permissions::from_mode(0o666 & !umask()))
            .map_err(|e| cannot("set the mode of", &self.path, e))?;
        std::fs::rename(&self.path, output).map_err(|e| {
            Error::new(
                ErrorKind::Output,
                format!("cannot move the result to {}: {e}", output.display()),
            )
        })?;
        self.done = true;
        self.forget();
        Ok(())
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

fn cannot(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::new(ErrorKind::Output, format!("cannot {what} {}: {e}", path.display()))
}

/// A name part nobody can create in advance for every run: the pid, the clock and the attempt
/// mixed (FNV-1a). Guessing it only makes an attempt fail; the file is still created exclusively.
fn unguessable(attempt: u32) -> u32 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in std::process::id()
        .to_le_bytes()
        .into_iter()
        .chain(nanos.to_le_bytes())
        .chain(attempt.to_le_bytes())
    {
        h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
    }
    (h ^ (h >> 32)) as u32
}

/// The process's umask, read without changing it (`umask(2)` can only set it, which would race
/// with other threads creating files); 022 when /proc does not say.
pub fn umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let v = s.lines().find_map(|l| l.strip_prefix("Umask:"))?;
            u32::from_str_radix(v.trim(), 8).ok()
        })
        .unwrap_or(0o022)
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
    use std::io::Write;
    use std::os::unix::fs::MetadataExt;

    fn mode(p: &Path) -> u32 {
        std::fs::symlink_metadata(p).unwrap().mode() & 0o7777
    }

    #[test]
    fn partials_are_private_removed_unless_completed_and_abandon_removes_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a.mkv");
        let mut p = Partial::create(&out).unwrap();
        assert_eq!(p.path(), dir.path().join(".a.mkv.scrim-partial"));
        assert_eq!(mode(p.path()), 0o600, "unfinished output readable by others");
        p.file().write_all(b"x").unwrap();
        let path = p.path().to_path_buf();
        drop(p);
        assert!(!path.exists());

        let done = dir.path().join("b.mkv");
        let mut kept = Partial::create(&done).unwrap();
        kept.file().write_all(b"x").unwrap();
        kept.complete(&done).unwrap();
        assert_eq!(mode(&done), 0o666 & !umask(), "a result gets the usual mode");
        assert!(!kept.path().exists());
        let left = Partial::create(&dir.path().join("c.mkv")).unwrap();
        abandon();
        assert!(done.exists(), "a completed file is not abandoned");
        assert!(!left.path().exists());
    }

    #[test]
    fn a_symlink_or_file_at_the_partial_name_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"precious").unwrap();
        let out = dir.path().join("shot.png");
        let planted = dir.path().join(".shot.png.scrim-partial");
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        // a dangling one, which O_CREAT alone would create its target through
        let out2 = dir.path().join("two.png");
        let dangling_target = dir.path().join("created-through-link");
        std::os::unix::fs::symlink(&dangling_target, dir.path().join(".two.png.scrim-partial")).unwrap();
        // and a plain file someone else left there
        let out3 = dir.path().join("three.png");
        let theirs = dir.path().join(".three.png.scrim-partial");
        std::fs::write(&theirs, b"theirs").unwrap();

        for (out, planted) in [
            (&out, &planted),
            (&out2, &dir.path().join(".two.png.scrim-partial")),
            (&out3, &theirs),
        ] {
            let mut p = Partial::create(out).unwrap();
            assert_ne!(p.path(), planted.as_path(), "wrote at a taken name");
            assert!(p.path().to_string_lossy().ends_with(".scrim-partial"));
            assert_eq!(mode(p.path()), 0o600);
            p.file().write_all(b"result").unwrap();
            p.complete(out).unwrap();
            assert_eq!(std::fs::read(out).unwrap(), b"result");
        }
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
        assert!(std::fs::symlink_metadata(&planted).unwrap().file_type().is_symlink());
        assert!(
            !dangling_target.exists(),
            "a file was created through a dangling symlink"
        );
        assert_eq!(std::fs::read(&theirs).unwrap(), b"theirs");
    }

    #[test]
    fn a_helper_writes_the_handed_file_not_the_name() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("o.txt");
        let p = Partial::create(&out).unwrap();
        let mut cmd = Command::new("sh");
        let target = p.hand_to(&mut cmd);
        // the name now points elsewhere: the helper must still reach the file scrim created
        let moved = dir.path().join("moved");
        std::fs::rename(p.path(), &moved).unwrap();
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), p.path()).unwrap();
        let st = cmd
            .arg("-c")
            .arg(format!("printf hi > {}", target.display()))
            .status()
            .unwrap();
        assert!(st.success());
        assert_eq!(std::fs::read(&moved).unwrap(), b"hi");
        assert!(!dir.path().join("elsewhere").exists());
        // no other child inherits it
        let fd = target.file_name().unwrap().to_string_lossy().into_owned();
        let st = Command::new("sh")
            .arg("-c")
            .arg(format!("[ ! -e /proc/self/fd/{fd} ]"))
            .status()
            .unwrap();
        assert!(st.success(), "the file leaked into an unrelated child");
        std::fs::remove_file(p.path()).unwrap();
    }
}
