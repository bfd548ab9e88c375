//! The `org.freedesktop.portal.ScreenCast` D-Bus interface, through zbus's blocking API: its
//! properties (what `scrim doctor` shows), and a session's calls — CreateSession, SelectSources,
//! Start (each answered later by a `Response` signal on a Request object), OpenPipeWireRemote,
//! Close — and the session's `Closed` signal.
//!
//! <https://flatpak.github.io/xdg-desktop-portal/docs/doc-org.freedesktop.portal.ScreenCast.html>

use std::collections::HashMap;
use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use zbus::blocking::{Connection, Proxy};
use zbus::zvariant::{DeserializeDict, ObjectPath, OwnedObjectPath, Type, Value};

pub use super::request::Answer;
use super::request::{self, handle_token, CreateSessionResults, PATH};
use crate::error::{Error, ErrorKind, Result};

/// How this portal is named in errors.
const NAME: &str = "the screen-cast portal";
const INTERFACE: &str = "org.freedesktop.portal.ScreenCast";

/// `types` bits (AvailableSourceTypes, SelectSources).
pub const MONITOR: u32 = 1;
pub const WINDOW: u32 = 2;
pub const VIRTUAL: u32 = 4;
/// `cursor_mode` bits (AvailableCursorModes, SelectSources).
pub const CURSOR_HIDDEN: u32 = 1;
pub const CURSOR_EMBEDDED: u32 = 2;
pub const CURSOR_METADATA: u32 = 4;
/// `persist_mode` 2: the choice is remembered until the user revokes it.
const PERSIST_UNTIL_REVOKED: u32 = 2;

/// How long a method call (not the dialog behind it) may take.
const METHOD_TIMEOUT: Duration = Duration::from_secs(30);
/// How long the user may take to answer the screen picker.
pub const DIALOG_TIMEOUT: Duration = Duration::from_secs(300);

fn portal_error(what: &str, e: zbus::Error) -> Error {
    request::error(NAME, what, e)
}

/// `types` bits as words, for messages and `scrim doctor`.
pub fn source_type_names(bits: u32) -> String {
    let names: Vec<&str> = [(MONITOR, "monitor"), (WINDOW, "window"), (VIRTUAL, "virtual")]
        .iter()
        .filter(|(b, _)| bits & b != 0)
        .map(|(_, n)| *n)
        .collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// `cursor_mode` bits as words.
pub fn cursor_mode_names(bits: u32) -> String {
    let names: Vec<&str> = [
        (CURSOR_HIDDEN, "hidden"),
        (CURSOR_EMBEDDED, "embedded"),
        (CURSOR_METADATA, "metadata"),
    ]
    .iter()
    .filter(|(b, _)| bits & b != 0)
    .map(|(_, n)| *n)
    .collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// The cursor mode scrim asks for: the pointer must not be painted into the picture (a cursor
/// over text breaks OCR, and the gate would see every pointer move as a change), so hidden when
/// offered, else metadata (drawn by nobody, since scrim ignores the metadata); embedded only if
/// the portal offers nothing else.
pub fn cursor_mode(available: u32) -> u32 {
    [CURSOR_HIDDEN, CURSOR_METADATA, CURSOR_EMBEDDED]
        .into_iter()
        .find(|m| available & m != 0)
        .unwrap_or(CURSOR_EMBEDDED)
}

/// The ScreenCast portal on the session bus.
pub struct Portal {
    conn: Connection,
    proxy: Proxy<'static>,
    pub version: u32,
    pub source_types: u32,
    pub cursor_modes: u32,
}

/// One stream of a started cast.
#[derive(Debug, Clone, DeserializeDict, Type)]
#[zvariant(signature = "dict")]
pub struct StreamProps {
    pub id: Option<String>,
    pub position: Option<(i32, i32)>,
    /// The logical size (on a scaled output smaller than the pictures, which come at the
    /// physical size: scrim sizes frames by the buffers, never by this).
    pub size: Option<(i32, i32)>,
    pub source_type: Option<u32>,
}

#[derive(Debug, Default, DeserializeDict, Type)]
#[zvariant(signature = "dict")]
struct NoResults {}

#[derive(Debug, Default, DeserializeDict, Type)]
#[zvariant(signature = "dict")]
pub struct StartResults {
    pub streams: Option<Vec<(u32, StreamProps)>>,
    pub restore_token: Option<String>,
}

impl Portal {
    pub fn connect() -> Result<Portal> {
        let conn = zbus::blocking::connection::Builder::session()
            .and_then(|b| b.method_timeout(METHOD_TIMEOUT).build())
            .map_err(|e| {
                Error::new(
                    ErrorKind::Usage,
                    format!("screen capture on Wayland goes through xdg-desktop-portal on the D-Bus session bus, which cannot be reached: {e}"),
                )
            })?;
        let proxy = request::proxy(&conn, PATH, INTERFACE).map_err(|e| portal_error("cannot address it", e))?;
        let version: u32 = proxy.get_property("version").map_err(|e| {
            Error::new(
                ErrorKind::Usage,
                format!(
                    "no xdg-desktop-portal ScreenCast interface on the session bus ({e}); install xdg-desktop-portal \
and your desktop's backend (GNOME: xdg-desktop-portal-gnome, KDE: xdg-desktop-portal-kde, sway and other wlroots \
compositors: xdg-desktop-portal-wlr)"
                ),
            )
        })?;
        let source_types = proxy.get_property("AvailableSourceTypes").unwrap_or(MONITOR);
        let cursor_modes = proxy.get_property("AvailableCursorModes").unwrap_or(0);
        Ok(Portal {
            conn,
            proxy,
            version,
            source_types,
            cursor_modes,
        })
    }

    /// Calls `method` with the body `make` builds around a fresh handle token and waits (up to
    /// `timeout`) for the Request's Response.
    fn request<R, B>(&self, method: &str, timeout: Duration, make: impl FnOnce(&str) -> B) -> Result<(Answer, R)>
    where
        R: DeserializeOwned + Type + Send + 'static,
        B: serde::Serialize + Type,
    {
        request::call(&self.conn, &self.proxy, NAME, method, timeout, make)
    }

    pub fn create_session(&self) -> Result<Session> {
        let session_token = handle_token();
        let (answer, results): (_, CreateSessionResults) = self.request("CreateSession", METHOD_TIMEOUT, |t| {
            let mut o: HashMap<&str, Value> = HashMap::new();
            o.insert("handle_token", Value::from(t.to_string()));
            o.insert("session_handle_token", Value::from(session_token.clone()));
            (o,)
        })?;
        let handle = match (answer, results.session_handle) {
            (Answer::Granted, Some(h)) => h,
            _ => {
                return Err(Error::new(
                    ErrorKind::Usage,
                    "the screen-cast portal refused to create a session",
                ))
            }
        };
        let handle = OwnedObjectPath::try_from(handle).map_err(|e| {
            Error::new(
                ErrorKind::Usage,
                format!("the screen-cast portal gave a bad session handle: {e}"),
            )
        })?;
        Ok(Session {
            handle,
            closed: Arc::new(AtomicBool::new(false)),
            open: true,
        })
    }
}

/// A screen-cast session. Closed when dropped (the desktop's "sharing" indicator goes away).
pub struct Session {
    handle: OwnedObjectPath,
    closed: Arc<AtomicBool>,
    open: bool,
}

impl Session {
    /// What to let the user pick. `restore_token` (portal version 4 on): a previous choice,
    /// restored without the picker if the portal still knows it.
    pub fn select_sources(&self, portal: &Portal, types: u32, restore_token: Option<&str>) -> Result<Answer> {
        let path: ObjectPath = self.handle.as_ref();
        let (answer, _): (_, NoResults) = portal.request("SelectSources", DIALOG_TIMEOUT, |t| {
            let mut o: HashMap<&str, Value> = HashMap::new();
            o.insert("handle_token", Value::from(t.to_string()));
            o.insert("types", Value::from(types));
            o.insert("multiple", Value::from(false));
            if portal.version >= 2 && portal.cursor_modes != 0 {
                o.insert("cursor_mode", Value::from(cursor_mode(portal.cursor_modes)));
            }
            if portal.version >= 4 {
                o.insert("persist_mode", Value::from(PERSIST_UNTIL_REVOKED));
                if let Some(token) = restore_token {
                    o.insert("restore_token", Value::from(token.to_string()));
                }
            }
            (path.clone(), o)
        })?;
        Ok(answer)
    }

    /// Starts the cast (the picker shows here, or in SelectSources, depending on the desktop).
    pub fn start(&self, portal: &Portal) -> Result<(Answer, StartResults)> {
        let path: ObjectPath = self.handle.as_ref();
        portal.request("Start", DIALOG_TIMEOUT, |t| {
            let mut o: HashMap<&str, Value> = HashMap::new();
            o.insert("handle_token", Value::from(t.to_string()));
            (path.clone(), "", o)
        })
    }

    /// A connection to the PipeWire daemon that can see only this cast's streams.
    pub fn open_pipewire_remote(&self, portal: &Portal) -> Result<OwnedFd> {
        let path: ObjectPath = self.handle.as_ref();
        let options: HashMap<&str, Value> = HashMap::new();
        let fd: zbus::zvariant::OwnedFd = portal
            .proxy
            .call("OpenPipeWireRemote", &(path, options))
            .map_err(|e| portal_error("OpenPipeWireRemote", e))?;
        Ok(fd.into())
    }

    /// Set once the desktop closes the session (the user pressed "stop sharing"). Watched on
    /// a thread for as long as the connection lives.
    pub fn watch_closed(&self, portal: &Portal) -> Result<Arc<AtomicBool>> {
        let proxy = request::proxy(&portal.conn, self.handle.clone(), "org.freedesktop.portal.Session")
            .map_err(|e| portal_error("Session", e))?;
        let mut closed = proxy.receive_signal("Closed").map_err(|e| portal_error("Session", e))?;
        let flag = self.closed.clone();
        std::thread::Builder::new()
            .name("scrim-portal-session".into())
            .spawn(move || {
                if closed.next().is_some() {
                    flag.store(true, Ordering::SeqCst);
                }
            })
            .map_err(|e| Error::new(ErrorKind::Usage, format!("cannot watch the screen-cast session: {e}")))?;
        Ok(self.closed.clone())
    }

    pub fn close(&mut self, portal: &Portal) {
        if !std::mem::take(&mut self.open) || self.closed.load(Ordering::SeqCst) {
            return;
        }
        let proxy = request::proxy(&portal.conn, self.handle.clone(), "org.freedesktop.portal.Session");
        if let Ok(p) = proxy {
            let _ = p.call_method("Close", &());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_stays_out_of_the_picture_when_the_portal_allows() {
        assert_eq!(cursor_mode(CURSOR_HIDDEN | CURSOR_EMBEDDED), CURSOR_HIDDEN);
        assert_eq!(cursor_mode(CURSOR_EMBEDDED | CURSOR_METADATA), CURSOR_METADATA);
        assert_eq!(cursor_mode(CURSOR_EMBEDDED), CURSOR_EMBEDDED);
        assert_eq!(cursor_mode(0), CURSOR_EMBEDDED);
        assert_eq!(source_type_names(MONITOR | WINDOW), "monitor, window");
        assert_eq!(cursor_mode_names(3), "hidden, embedded");
        assert_eq!(source_type_names(0), "none");
    }
}
