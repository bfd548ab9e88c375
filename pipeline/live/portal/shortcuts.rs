//! The `org.freedesktop.portal.GlobalShortcuts` interface, the Wayland way to a global hotkey:
//! a session (CreateSession), the shortcuts bound to it (BindShortcuts, where the desktop may
//! ask the user to confirm or choose the keys), and the `Activated` signal each time one is
//! pressed, whichever window has the focus. The desktop owns the keys: scrim only proposes a
//! trigger, and says what the desktop made of it.
//!
//! <https://flatpak.github.io/xdg-desktop-portal/docs/doc-org.freedesktop.portal.GlobalShortcuts.html>

use std::collections::HashMap;
use std::time::Duration;

use zbus::blocking::{Connection, Proxy};
use zbus::zvariant::{DeserializeDict, ObjectPath, OwnedObjectPath, OwnedValue, Type, Value};

use super::request::{self, handle_token, Answer, CreateSessionResults, PATH};
use crate::error::{Error, ErrorKind, Result};

const NAME: &str = "the global-shortcuts portal";
const INTERFACE: &str = "org.freedesktop.portal.GlobalShortcuts";
const METHOD_TIMEOUT: Duration = Duration::from_secs(30);
/// How long the user may take to answer the desktop's shortcut dialog.
pub const DIALOG_TIMEOUT: Duration = Duration::from_secs(300);

/// The GlobalShortcuts portal on the session bus.
pub struct Shortcuts {
    conn: Connection,
    proxy: Proxy<'static>,
    pub version: u32,
}

/// One bound shortcut as the desktop describes it.
#[derive(Debug, Default, DeserializeDict, Type)]
#[zvariant(signature = "dict")]
struct Bound {
    trigger_description: Option<String>,
}

#[derive(Debug, Default, DeserializeDict, Type)]
#[zvariant(signature = "dict")]
struct BindResults {
    shortcuts: Option<Vec<(String, Bound)>>,
}

/// A session with one shortcut bound.
pub struct Binding {
    session: OwnedObjectPath,
    id: String,
    /// How to press it, in the desktop's words ("Ctrl+Alt+B"); `None`: no keys yet.
    pub trigger: Option<String>,
}

impl Shortcuts {
    /// The portal, or why this session has none (one phrase, for a `scrim:` line): no session
    /// bus, or an xdg-desktop-portal whose desktop backend does not implement it (it then
    /// exports no such interface).
    pub fn connect() -> std::result::Result<Shortcuts, String> {
        let conn = zbus::blocking::connection::Builder::session()
            .and_then(|b| b.method_timeout(METHOD_TIMEOUT).build())
            .map_err(|e| format!("the D-Bus session bus cannot be reached ({e})"))?;
        let proxy = request::proxy(&conn, PATH, INTERFACE).map_err(|e| e.to_string())?;
        let version: u32 = proxy.get_property("version").map_err(|e| match e {
            zbus::Error::FDO(e)
                if matches!(
                    *e,
                    zbus::fdo::Error::ServiceUnknown(_) | zbus::fdo::Error::NameHasNoOwner(_)
                ) =>
            {
                "no xdg-desktop-portal on the session bus".to_string()
            }
            _ => "this desktop's xdg-desktop-portal has no GlobalShortcuts backend".to_string(),
        })?;
        Ok(Shortcuts { conn, proxy, version })
    }

    /// Creates a session and binds one shortcut `id`, proposing `trigger` (the XDG shortcuts
    /// format, `CTRL+ALT+b`). The desktop may show a dialog first (up to [`DIALOG_TIMEOUT`]).
    /// A shortcut the desktop accepted but gave no keys yet is bound all the same (the user can
    /// give it keys in the desktop's settings, and it works from then on).
    pub fn bind(&self, id: &str, description: &str, trigger: &str) -> Result<Binding> {
        let shortcut = || {
            let mut props: HashMap<&str, Value> = HashMap::new();
            props.insert("description", Value::from(description.to_string()));
            props.insert("preferred_trigger", Value::from(trigger.to_string()));
            vec![(id.to_string(), props)]
        };
        let session_token = handle_token();
        let (answer, created): (_, CreateSessionResults) =
            request::call(&self.conn, &self.proxy, NAME, "CreateSession", METHOD_TIMEOUT, |t| {
                let mut o: HashMap<&str, Value> = HashMap::new();
                o.insert("handle_token", Value::from(t.to_string()));
                o.insert("session_handle_token", Value::from(session_token.clone()));
                // Plasma 5.27 (xdg-desktop-portal-kde, as in Debian 12) registers a session's
                // shortcuts from this option of the specification's first draft only, and its
                // BindShortcuts merely opens the settings; others ignore it
                o.insert("shortcuts", Value::from(shortcut()));
                (o,)
            })?;
        let session = match (answer, created.session_handle) {
            (Answer::Granted, Some(h)) => OwnedObjectPath::try_from(h)
                .map_err(|e| Error::new(ErrorKind::Usage, format!("{NAME} gave a bad session handle: {e}")))?,
            _ => {
                return Err(Error::new(
                    ErrorKind::Usage,
                    format!("{NAME} refused to create a session"),
                ))
            }
        };
        let (answer, bound): (_, BindResults) =
            request::call(&self.conn, &self.proxy, NAME, "BindShortcuts", DIALOG_TIMEOUT, |t| {
                let mut o: HashMap<&str, Value> = HashMap::new();
                o.insert("handle_token", Value::from(t.to_string()));
                let path: ObjectPath = session.as_ref();
                (path, shortcut(), "", o)
            })?;
        match answer {
            Answer::Granted => {}
            Answer::Cancelled => {
                return Err(Error::new(
                    ErrorKind::Usage,
                    "the desktop's shortcut dialog was dismissed",
                ))
            }
            Answer::Failed => return Err(Error::new(ErrorKind::Usage, "the desktop could not bind it")),
        }
        let trigger = bound
            .shortcuts
            .unwrap_or_default()
            .into_iter()
            .find(|(i, _)| i == id)
            .and_then(|(_, b)| b.trigger_description)
            .filter(|t| !t.trim().is_empty());
        Ok(Binding {
            session,
            id: id.to_string(),
            trigger,
        })
    }

    /// Calls `pressed` on a thread of its own each time `binding`'s shortcut is activated, for
    /// as long as the process runs (the connection, and with it the session, live on that
    /// thread). Subscribed before it returns, so no press after it is missed.
    pub fn on_activated(self, binding: Binding, pressed: impl Fn() + Send + 'static) -> Result<()> {
        let mut activations = self
            .proxy
            .receive_signal("Activated")
            .map_err(|e| request::error(NAME, "Activated", e))?;
        std::thread::Builder::new()
            .name("scrim-shortcuts".into())
            .spawn(move || {
                let _keep = self;
                for m in &mut activations {
                    type Activated = (OwnedObjectPath, String, u64, HashMap<String, OwnedValue>);
                    if let Ok((session, id, _, _)) = m.body().deserialize::<Activated>() {
                        if session == binding.session && id == binding.id {
                            pressed();
                        }
                    }
                }
            })
            .map_err(|e| Error::new(ErrorKind::Usage, format!("cannot start its thread: {e}")))?;
        Ok(())
    }
}
