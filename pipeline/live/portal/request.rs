//! The portals' Request pattern, shared by the ScreenCast and GlobalShortcuts interfaces: a
//! method call names a fresh handle token and returns at once; its answer comes later as the
//! `Response` signal of the Request object that token names.
//!
//! <https://flatpak.github.io/xdg-desktop-portal/docs/doc-org.freedesktop.portal.Request.html>

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use serde::de::DeserializeOwned;
use zbus::blocking::{proxy::Builder, Connection, Proxy};
use zbus::proxy::CacheProperties;
use zbus::zvariant::{ObjectPath, Type};

use crate::error::{Error, ErrorKind, Result};

pub const DESTINATION: &str = "org.freedesktop.portal.Desktop";
pub const PATH: &str = "/org/freedesktop/portal/desktop";

/// How a request ended (the Response signal's code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Granted,
    /// The user dismissed the dialog.
    Cancelled,
    /// The portal or its backend failed (for a start with a restore token: the token was refused).
    Failed,
}

/// What every portal's CreateSession answers with.
#[derive(Debug, Default, zbus::zvariant::DeserializeDict, Type)]
#[zvariant(signature = "dict")]
pub struct CreateSessionResults {
    pub session_handle: Option<String>,
}

/// Handle tokens must be unique per connection; a counter and the process id suffice.
pub fn handle_token() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!("scrim_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A proxy for `interface` at `path` on the portal, with no property cache (the values asked
/// for are read once, and a cache would subscribe to their changes).
pub fn proxy<'a, P>(conn: &Connection, path: P, interface: &'static str) -> zbus::Result<Proxy<'a>>
where
    P: TryInto<ObjectPath<'a>>,
    P::Error: Into<zbus::Error>,
{
    Builder::<Proxy>::new(conn)
        .destination(DESTINATION)?
        .path(path)?
        .interface(interface)?
        .cache_properties(CacheProperties::No)
        .build()
}

/// The error of a call to `portal` ("the screen-cast portal").
pub fn error(portal: &str, what: &str, e: zbus::Error) -> Error {
    Error::new(ErrorKind::Usage, format!("{portal}: {what}: {e}"))
}

/// Calls `method` on `proxy` with the body `make` builds around a fresh handle token and waits
/// (up to `timeout`) for the Request's Response. `portal` names the portal in errors.
pub fn call<R, B>(
    conn: &Connection,
    proxy: &Proxy,
    portal: &str,
    method: &str,
    timeout: Duration,
    make: impl FnOnce(&str) -> B,
) -> Result<(Answer, R)>
where
    R: DeserializeOwned + Type + Send + 'static,
    B: serde::Serialize + Type,
{
    let token = handle_token();
    let sender = conn
        .unique_name()
        .map(|n| n.trim_start_matches(':').replace('.', "_"))
        .unwrap_or_default();
    let request = self::proxy(
        conn,
        format!("{PATH}/request/{sender}/{token}"),
        "org.freedesktop.portal.Request",
    )
    .map_err(|e| error(portal, method, e))?;
    // subscribe before calling: the answer may come before the call returns
    let mut responses = request
        .receive_signal("Response")
        .map_err(|e| error(portal, method, e))?;
    proxy
        .call_method(method, &make(&token))
        .map_err(|e| error(portal, method, e))?;
    // the signal iterator blocks without a deadline: wait for it on a thread
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let answer = responses.next().map(|m| m.body().deserialize::<(u32, R)>());
        let _ = tx.send(answer);
    });
    let answer = match rx.recv_timeout(timeout) {
        Ok(Some(Ok(a))) => a,
        Ok(Some(Err(e))) => return Err(error(portal, &format!("{method} answered oddly"), e)),
        Ok(None) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            return Err(Error::new(
                ErrorKind::Usage,
                format!("{portal} went away during {method}"),
            ))
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            let _ = request.call_method("Close", &());
            return Err(Error::new(
                ErrorKind::Usage,
                format!("{portal} did not answer {method} within {} s", timeout.as_secs()),
            ));
        }
    };
    let code = match answer.0 {
        0 => Answer::Granted,
        1 => Answer::Cancelled,
        _ => Answer::Failed,
    };
    Ok((code, answer.1))
}
