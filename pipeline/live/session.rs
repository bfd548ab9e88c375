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

/// Why the X server of `DISPLAY` cannot be reached any more (it was stopped or crashed), or
/// `None` while it answers. A capture that failed asks this to tell a lost server, which ends
/// the run, from a passing failure, which only shows the placeholder.
pub fn x_server_gone() -> Option<String> {
    let display = var("DISPLAY")?;
    match xcb::Connection::connect(Some(&display)) {
        Ok(_) => None,
        Err(e) => Some(format!("the X server {display} went away ({e})")),
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

/// The ScreenCast portal as `scrim doctor` reports it.
#[derive(Debug, Clone, Serialize)]
pub struct PortalInfo {
    pub version: u32,
    pub source_types: String,
    pub cursor_modes: String,
}

/// What `scrim doctor` says about screen capture: the session, the ScreenCast portal, and the
/// path `--source screen` takes here.
#[derive(Debug, Clone, Serialize)]
pub struct CaptureReport {
    pub session: String,
    pub detected: SessionInfo,
    pub portal: Option<PortalInfo>,
    /// Why there is no portal.
    pub portal_error: Option<String>,
    pub screen_path: ScreenPath,
}

impl CaptureReport {
    /// Looks at the environment, the X server and the session bus (the portal's properties only:
    /// no session is started, nothing is shown to the user).
    pub fn probe() -> CaptureReport {
        use super::portal::screencast::{cursor_mode_names, source_type_names, Portal};
        let detected = SessionInfo::detect();
        let (portal, portal_error) = match Portal::connect() {
            Ok(p) => (
                Some(PortalInfo {
                    version: p.version,
                    source_types: source_type_names(p.source_types),
                    cursor_modes: cursor_mode_names(p.cursor_modes),
                }),
                None,
            ),
            Err(e) => (None, Some(e.to_string())),
        };
        CaptureReport {
            session: detected.kind(),
            screen_path: detected.screen_path(),
            detected,
            portal,
            portal_error,
        }
    }

    /// What to install when `--source screen` needs the portal and there is none: the portal
    /// and the backend of the desktop `XDG_CURRENT_DESKTOP` names.
    pub fn missing_packages(&self) -> Option<String> {
        if self.screen_path != ScreenPath::Portal || self.portal.is_some() {
            return None;
        }
        let desktop = var("XDG_CURRENT_DESKTOP").unwrap_or_default().to_ascii_lowercase();
        let backend = if desktop.contains("gnome") {
            "xdg-desktop-portal-gnome"
        } else if desktop.contains("kde") {
            "xdg-desktop-portal-kde"
        } else {
            "xdg-desktop-portal-wlr"
        };
        Some(format!("xdg-desktop-portal {backend}"))
    }

    /// The text report, one line each: session, portal, what `--source screen` does.
    pub fn lines(&self) -> Vec<String> {
        let portal = match (&self.portal, &self.portal_error) {
            (Some(p), _) => format!(
                "ScreenCast portal: version {} (sources: {}; cursor: {})",
                p.version, p.source_types, p.cursor_modes
            ),
            (None, Some(e)) => format!("ScreenCast portal: not available: {e}"),
            (None, None) => "ScreenCast portal: not available".into(),
        };
        let mut screen = format!("--source screen: {}", self.screen_path.describe());
        if self.detected.display.is_none() && !self.detected.is_wayland() {
            screen = "--source screen: no desktop to capture here (neither DISPLAY nor WAYLAND_DISPLAY is set)".into();
        } else if self.screen_path == ScreenPath::Portal && self.portal.is_none() {
            screen += " (not available here: install the portal, see above)";
        }
        vec![
            format!("screen capture: session {}", self.session),
            format!("  {portal}"),
            format!("  {screen}"),
        ]
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

    #[test]
    fn doctor_says_when_screen_needs_a_missing_portal() {
        let detected = info(Some("wayland-0"), None, Some(XServer::XWayland));
        let mut report = CaptureReport {
            session: detected.kind(),
            screen_path: detected.screen_path(),
            detected,
            portal: None,
            portal_error: Some("no xdg-desktop-portal".into()),
        };
        let text = report.lines().join("\n");
        assert!(text.contains("session Wayland, XWayland on :0"), "{text}");
        assert!(text.contains("not available: no xdg-desktop-portal"), "{text}");
        assert!(text.contains("not available here"), "{text}");
        report.portal = Some(PortalInfo {
            version: 4,
            source_types: "monitor, window".into(),
            cursor_modes: "hidden, embedded".into(),
        });
        let text = report.lines().join("\n");
        assert!(
            text.contains("version 4 (sources: monitor, window; cursor: hidden, embedded)"),
            "{text}"
        );
        assert!(!text.contains("not available"), "{text}");
        assert!(
            text.contains("--source screen: the ScreenCast portal and PipeWire"),
            "{text}"
        );
        report.detected = info(None, None, None);
        assert!(report.lines()[2].contains("no desktop to capture here"));
    }
}
