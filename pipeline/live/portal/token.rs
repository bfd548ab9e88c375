//! Restore tokens: what lets the portal skip its screen picker on the next start.
//!
//! `Start` hands back a token when scrim asked for `persist_mode` 2 (until revoked); passing it
//! to the next `SelectSources` restores the same choice without a dialog. A token is good for one
//! use: each start stores the one it got (the portal may hand out the same again). One file per
//! kind of source (`portal`, `portal-monitor`, `portal-window`), mode 0600 in a 0700 directory,
//! `$XDG_STATE_HOME/scrim/` (default `~/.local/state/scrim/`): it stands for "this app may see
//! the screen", so other users must not read it.

use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};

/// Longer than any portal's (UUIDs, 36 characters): anything longer is not a token.
const MAX_LEN: usize = 256;

/// Where a kind of source keeps its token.
#[derive(Debug, Clone)]
pub struct TokenStore {
    path: PathBuf,
}

/// `$XDG_STATE_HOME/scrim`, or `~/.local/state/scrim`; `None` without either variable.
pub fn state_dir() -> Option<PathBuf> {
    let abs = |v: std::ffi::OsString| Some(PathBuf::from(v)).filter(|p| p.is_absolute());
    std::env::var_os("XDG_STATE_HOME")
        .and_then(abs)
        .or_else(|| std::env::var_os("HOME").and_then(abs).map(|h| h.join(".local/state")))
        .map(|d| d.join("scrim"))
}

/// What the portal would accept as a token: printable ASCII, not empty, not absurdly long.
fn plausible(t: &str) -> bool {
    !t.is_empty() && t.len() <= MAX_LEN && t.bytes().all(|b| b.is_ascii_graphic())
}

impl TokenStore {
    pub fn new(dir: &Path, kind: &str) -> TokenStore {
        TokenStore {
            path: dir.join(format!("{kind}.restore-token")),
        }
    }

    /// The store for `kind` in the default state directory.
    pub fn for_kind(kind: &str) -> Option<TokenStore> {
        state_dir().map(|d| TokenStore::new(&d, kind))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The stored token. A file that holds no plausible token (empty, garbled) is removed, so
    /// the picker shows and a good token replaces it.
    pub fn load(&self) -> Option<String> {
        let text = std::fs::read(&self.path).ok()?;
        match String::from_utf8(text).map(|t| t.trim().to_string()) {
            Ok(t) if plausible(&t) => Some(t),
            _ => {
                self.clear();
                None
            }
        }
    }

    /// Stores `token` (an implausible one clears the store instead): written to a temporary
    /// file created 0600, then renamed over the old one, so a crash never leaves half a token.
    pub fn save(&self, token: &str) -> Result<()> {
        if !plausible(token) {
            self.clear();
            return Ok(());
        }
        let fail = |e: std::io::Error| {
            Error::new(
                ErrorKind::Output,
                format!("cannot store the screen-cast restore token: {e}"),
            )
            .with_path(&self.path)
        };
        let dir = self.path.parent().expect("a token file has a directory");
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(fail)?;
        let tmp = self.path.with_extension("restore-token.tmp");
        let _ = std::fs::remove_file(&tmp);
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(fail)?;
        f.write_all(token.as_bytes()).and_then(|_| f.sync_all()).map_err(fail)?;
        std::fs::rename(&tmp, &self.path).map_err(fail)
    }

    pub fn clear(&self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn tokens_round_trip_private_and_garbage_is_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::new(&dir.path().join("state/scrim"), "portal-monitor");
        assert_eq!(store.load(), None);
        store.save("8b1d2c3e-0000-4000-8000-0123456789ab").unwrap();
        assert_eq!(store.load().as_deref(), Some("8b1d2c3e-0000-4000-8000-0123456789ab"));
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(store.path()), 0o600);
        assert_eq!(mode(store.path().parent().unwrap()), 0o700);
        // the next token replaces it
        store.save("second").unwrap();
        assert_eq!(store.load().as_deref(), Some("second"));
        // an empty or garbled file is removed, not sent
        for junk in [&b""[..], b"   \n", b"with space", b"\xff\xfe", &[b'a'; 300]] {
            std::fs::write(store.path(), junk).unwrap();
            assert_eq!(store.load(), None, "{junk:?}");
            assert!(!store.path().exists());
        }
        // storing nothing usable clears
        store.save("ok").unwrap();
        store.save("").unwrap();
        assert!(!store.path().exists());
    }

    #[test]
    fn kinds_do_not_share_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let a = TokenStore::new(dir.path(), "portal-monitor");
        let b = TokenStore::new(dir.path(), "portal-window");
        a.save("a").unwrap();
        assert_eq!(b.load(), None);
    }
}
