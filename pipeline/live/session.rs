//! Which desktop session scrim runs in, and how `--source screen` captures it there.
//!
//! How it decides:
//! - **A Wayland session** is one with `WAYLAND_DISPLAY` set, or `XDG_SESSION_TYPE=wayland`.
//! - Its `DISPLAY`, if any, is usually **XWayland**, which shows only X11 clients, never the
//!   whole desktop. An X server is XWayland when it has the `XWAYLAND` extension (Xwayland 23.1
//!   on) or RandR outputs named `XWAYLAND…` (every Xwayland, e.g. Debian 12's 22.1).
//! - `screen` on a Wayland session goes through the ScreenCast portal, unless `DISPLAY` is a
//!   real X server (an X session that also runs a nested compositor, a test's Xvfb): then that
//!   X server is the desktop, read with ffmpeg's x11grab (xcap would take the Wayland markers to
//!   mean Wayland and use the slow screenshot portal).
//! - Without Wayland markers, `screen` is xcap on `DISPLAY`, as on any X11 desktop.

use serde::Serialize;

/// What `DISPLAY` points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum XServer {
    /// A real X server: it shows the whole desktop.
    X11,
    /// XWayland: only the X11 clients of a Wayland desktop.
    XWayland,
    /// Set but cannot be reached (why).
    Unreachable(String),
}

#[derive(Debug, Clone, Serialize)]
pub struct SessionInfo {
    pub wayland_display: Option<String>,
    pub session_type: Option<String>,
    pub display: Option<String>,
    pub x_server: Option<XServer>,
}

/// How `--source screen` captures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScreenPath {
    /// xcap on an X11 display.
    Xcap,
    /// ffmpeg's x11grab on a real X server inside a Wayland session's environment.
    X11grab,
    /// The xdg-desktop-portal ScreenCast interface and PipeWire.
    Portal,
}

impl ScreenPath {
    pub fn describe(self) -> &'static str {
        match self {
            ScreenPath::Xcap => "xcap on the X11 display",
            ScreenPath::X11grab => {
                "ffmpeg x11grab on the X11 display (Wayland variables set, but the X server is a real one)"
            }
            ScreenPath::Portal => "the ScreenCast portal and PipeWire",
        }
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl SessionInfo {
    pub fn detect() -> SessionInfo {
        let display = var("DISPLAY");
        SessionInfo {
            wayland_display: var("WAYLAND_DISPLAY"),
            session_type: var("XDG_SESSION_TYPE"),
            x_server: display.as_deref().map(x_server),
            display,
        }
    }

    pub fn is_wayland(&self) -> bool {
        self.wayland_display.is_some() || self.session_type.as_deref() == Some("wayland")
    }

    /// "X11", "Wayland", "Wayland, XWayland on :0", "none".
    pub fn kind(&self) -> String {
        match (self.is_wayland(), &self.x_server, &self.display) {
            (true, Some(XServer::XWayland), Some(d)) => format!("Wayland, XWayland on {d}"),
            (true, Some(XServer::X11), Some(d)) => format!("Wayland variables set, and a real X server on {d}"),
            (true, _, _) => "Wayland".into(),
            (false, Some(XServer::XWayland), Some(d)) => format!("XWayland on {d} (no WAYLAND_DISPLAY)"),
            (false, Some(XServer::X11), _) => "X11".into(),
            (false, Some(XServer::Unreachable(why)), Some(d)) => format!("X11 display {d} unreachable: {why}"),
            _ => "none (neither DISPLAY nor WAYLAND_DISPLAY is set)".into(),
        }
    }

    pub fn screen_path(&self) -> ScreenPath {
        if !self.is_wayland() {
            return ScreenPath::Xcap;
        }
        match self.x_server {
            Some(XServer::X11) => ScreenPath::X11grab,
            _ => ScreenPath::Portal,
        }
    }
}

/// How `--source screen` captures here. Asks the X server what it is only on a Wayland
/// session: on a plain X11 desktop nothing is probed, as before Wayland support.
pub fn screen_path() -> ScreenPath {
    let wayland = SessionInfo {
        wayland_display: var("WAYLAND_DISPLAY"),
        session_type: var("XDG_SESSION_TYPE"),
        display: None,
        x_server: None,
    };
    if wayland.is_wayland() {
        SessionInfo::detect().screen_path()
    } else {
        ScreenPath::Xcap
    }
}

/// Whether the X server at `display` is XWayland (see the module doc for how).
fn x_server(display: &str) -> XServer {
    let (conn, screen) = match xcb::Connection::connect_with_extensions(Some(display), &[xcb::Extension::RandR], &[]) {
        Ok(c) => c,
        Err(e) => return XServer::Unreachable(e.to_string()),
    };
    let has_ext = conn
        .wait_for_reply(conn.send_request(&xcb::x::QueryExtension { name: b"XWAYLAND" }))
        .is_ok_and(|r| r.present());
    if has_ext {
        return XServer::XWayland;
    }
    let Some(root) = conn.get_setup().roots().nth(screen.max(0) as usize).map(|s| s.root()) else {
        return XServer::X11;
    };
    let Ok(res) = conn.wait_for_reply(conn.send_request(&xcb::randr::GetScreenResourcesCurrent { window: root }))
    else {
        return XServer::X11;
    };
    let xwayland_output = res.outputs().iter().any(|&output| {
        conn.wait_for_reply(conn.send_request(&xcb::randr::GetOutputInfo {
            output,
            config_timestamp: res.config_timestamp(),
        }))
        .is_ok_and(|o| o.name().starts_with(b"XWAYLAND"))
    });
    if xwayland_output {
        XServer::XWayland
    } else {
        XServer::X11
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(wayland: Option<&str>, session: Option<&str>, x: Option<XServer>) -> SessionInfo {
        SessionInfo {
            wayland_display: wayland.map(Into::into),
            session_type: session.map(Into::into),
            display: x.as_ref().map(|_| ":0".to_string()),
            x_server: x,
        }
    }

    #[test]
    fn screen_goes_through_the_portal_only_where_x_cannot_see_the_desktop() {
        assert_eq!(info(None, None, Some(XServer::X11)).screen_path(), ScreenPath::Xcap);
        assert_eq!(
            info(None, Some("x11"), Some(XServer::X11)).screen_path(),
            ScreenPath::Xcap
        );
        assert_eq!(info(Some("wayland-0"), None, None).screen_path(), ScreenPath::Portal);
        assert_eq!(info(None, Some("wayland"), None).screen_path(), ScreenPath::Portal);
        assert_eq!(
            info(Some("wayland-0"), None, Some(XServer::XWayland)).screen_path(),
            ScreenPath::Portal
        );
        let unreachable = Some(XServer::Unreachable("no".into()));
        assert_eq!(
            info(Some("wayland-0"), None, unreachable).screen_path(),
            ScreenPath::Portal
        );
        assert_eq!(
            info(Some("wayland-0"), None, Some(XServer::X11)).screen_path(),
            ScreenPath::X11grab
        );
        assert_eq!(
            info(Some("wayland-0"), None, Some(XServer::XWayland)).kind(),
            "Wayland, XWayland on :0"
        );
        assert_eq!(
            info(None, None, None).kind(),
            "none (neither DISPLAY nor WAYLAND_DISPLAY is set)"
        );
    }
}
