//! The presenter's global hotkey ("blank now", pressed again: resume), which works while the
//! meeting app has the focus.
//!
//! On X11 it is a passive key grab on the root window (x11rb): the server hands the key to scrim
//! whichever window is focused, and no other client sees it. The grab is made for the chosen
//! modifiers with and without Caps Lock and Num Lock, which X counts as modifiers too. On Wayland
//! an X11 grab only sees keys while an XWayland window is focused, so it is not offered there:
//! [`availability`] says so, and `scrim control PATH toggle-blank` bound to a desktop shortcut
//! does the same job.

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{ConnectionExt as _, GrabMode, ModMask};
use x11rb::protocol::Event;
use x11rb::rust_connection::RustConnection;

use crate::error::{Error, ErrorKind, Result};

/// The default: B for blank; Ctrl+Alt keeps it away from what people type.
pub const DEFAULT: &str = "Ctrl+Alt+B";

/// A key with modifiers, written like `Ctrl+Alt+B`, `Super+F9`, `Pause`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hotkey {
    modifiers: u16,
    keysym: u32,
    text: String,
}

/// Named keys: what the user writes, the keysym, and its xkb name (the portal's trigger format).
const NAMED: &[(&str, u32, &str)] = &[
    ("space", 0x20, "space"),
    ("escape", 0xff1b, "Escape"),
    ("esc", 0xff1b, "Escape"),
    ("pause", 0xff13, "Pause"),
    ("scroll_lock", 0xff14, "Scroll_Lock"),
    ("print", 0xff61, "Print"),
    ("insert", 0xff63, "Insert"),
    ("delete", 0xffff, "Delete"),
    ("home", 0xff50, "Home"),
    ("end", 0xff57, "End"),
    ("page_up", 0xff55, "Page_Up"),
    ("page_down", 0xff56, "Page_Down"),
];

impl std::str::FromStr for Hotkey {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let parts: Vec<&str> = s.split('+').map(str::trim).collect();
        let (key, mods) = parts.split_last().ok_or("empty")?;
        let mut modifiers = 0u16;
        for m in mods {
            modifiers |= u16::from(match m.to_ascii_lowercase().as_str() {
                "ctrl" | "control" => ModMask::CONTROL,
                "alt" | "mod1" => ModMask::M1,
                "shift" => ModMask::SHIFT,
                "super" | "win" | "mod4" => ModMask::M4,
                other => return Err(format!("unknown modifier {other:?} (Ctrl, Alt, Shift, Super)")),
            });
        }
        let lower = key.to_ascii_lowercase();
        let keysym = match lower.as_bytes() {
            [c] if c.is_ascii_alphanumeric() => u32::from(*c),
            [b'f', rest @ ..] if !rest.is_empty() && rest.iter().all(u8::is_ascii_digit) => {
                let n: u32 = lower[1..].parse().map_err(|_| format!("bad key {key:?}"))?;
                if !(1..=24).contains(&n) {
                    return Err(format!("no key {key:?} (F1 to F24)"));
                }
                0xffbe + n - 1
            }
            _ => NAMED
                .iter()
                .find(|(n, _, _)| *n == lower)
                .map(|(_, k, _)| *k)
                .ok_or_else(|| {
                    format!("unknown key {key:?} (a letter, a digit, F1-F24, Pause, Scroll_Lock, Print, ...)")
                })?,
        };
        Ok(Hotkey {
            modifiers,
            keysym,
            text: s.trim().to_string(),
        })
    }
}

impl Hotkey {
    /// The key in the XDG shortcuts format the GlobalShortcuts portal takes as a preferred
    /// trigger: modifiers CTRL, ALT, SHIFT, LOGO, then the xkb key name (`CTRL+ALT+b`).
    pub fn xdg_trigger(&self) -> String {
        let mut parts: Vec<String> = [
            (ModMask::CONTROL, "CTRL"),
            (ModMask::M1, "ALT"),
            (ModMask::SHIFT, "SHIFT"),
            (ModMask::M4, "LOGO"),
        ]
        .iter()
        .filter(|(m, _)| self.modifiers & u16::from(*m) != 0)
        .map(|(_, n)| n.to_string())
        .collect();
        parts.push(match self.keysym {
            k @ 0xffbe..=0xffd5 => format!("F{}", k - 0xffbe + 1),
            k => NAMED
                .iter()
                .find(|(_, sym, _)| *sym == k)
                .map(|(_, _, name)| name.to_string())
                .unwrap_or_else(|| char::from_u32(k).map_or_else(String::new, |c| c.to_string())),
        });
        parts.join("+")
    }
}

impl std::fmt::Display for Hotkey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// Where the global hotkey comes from in this session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// A key grab on this X display.
    X11(String),
    /// The GlobalShortcuts portal of this version (Wayland).
    Portal(u32),
}

impl std::fmt::Display for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Route::X11(d) => write!(f, "X11 display {d}"),
            Route::Portal(v) => write!(f, "the desktop's GlobalShortcuts portal (version {v})"),
        }
    }
}

/// A Wayland session, where an X11 grab would see keys only while an XWayland window has the
/// focus.
pub fn is_wayland() -> bool {
    std::env::var_os("WAYLAND_DISPLAY").is_some_and(|d| !d.is_empty())
        || std::env::var("XDG_SESSION_TYPE").is_ok_and(|t| t == "wayland")
}

/// Where a global hotkey can come from in this session, or why none can (one line, saying
/// what to do instead).
pub fn availability() -> std::result::Result<Route, String> {
    if is_wayland() {
        return match super::portal::shortcuts::Shortcuts::connect() {
            Ok(p) => Ok(Route::Portal(p.version)),
            Err(why) => Err(format!(
                "{why}; use --control PATH and bind a desktop shortcut to `scrim control PATH toggle-blank`"
            )),
        };
    }
    match std::env::var("DISPLAY").ok().filter(|d| !d.is_empty()) {
        Some(d) => Ok(Route::X11(d)),
        None => Err("no X11 display ($DISPLAY unset)".into()),
    }
}

/// What the desktop lists the portal's shortcut as, in its keyboard settings.
pub const SHORTCUT_DESCRIPTION: &str = "Blank scrim's output (again: resume)";

/// How binding through the portal went: the keys as the desktop describes them (`None`: none
/// yet), or why it could not be bound.
pub type PortalOutcome = std::result::Result<Option<String>, String>;

/// Binds `key` through the GlobalShortcuts portal on a thread of its own (the desktop may ask
/// the user first) and then calls `pressed` on each activation. The receiver gets the outcome
/// once: the key as the desktop describes it (`None`: the desktop gave it no key yet), or why
/// there is none.
pub fn bind_portal(key: &Hotkey, pressed: impl Fn() + Send + 'static) -> std::sync::mpsc::Receiver<PortalOutcome> {
    let (tx, rx) = std::sync::mpsc::channel();
    let trigger = key.xdg_trigger();
    let bound = std::thread::Builder::new().name("scrim-hotkey".into()).spawn(move || {
        let outcome = super::portal::shortcuts::Shortcuts::connect().and_then(|p| {
            let b = p
                .bind("blank", SHORTCUT_DESCRIPTION, &trigger)
                .map_err(|e| e.to_string())?;
            let said = b.trigger.clone();
            p.on_activated(b, pressed).map_err(|e| e.to_string())?;
            Ok(said)
        });
        let _ = tx.send(outcome);
    });
    if let Err(e) = bound {
        let (tx, failed) = std::sync::mpsc::channel();
        let _ = tx.send(Err(format!("cannot start its thread: {e}")));
        return failed;
    }
    rx
}

/// Grabs `key` on the X display `display` (`$DISPLAY` when `None`) and calls `pressed` on a
/// thread of its own each time it is pressed (a key held down counts once). Returns once the
/// grab is in place; an error says why it could not be made (no display, a key another
/// program holds).
pub fn grab_x11(display: Option<&str>, key: &Hotkey, pressed: impl Fn() + Send + 'static) -> Result<()> {
    let err = |m: String| Error::new(ErrorKind::Usage, format!("hotkey {key}: {m}"));
    let (conn, screen) = RustConnection::connect(display).map_err(|e| err(format!("no X display: {e}")))?;
    let setup = conn.setup();
    let root = setup.roots[screen].root;
    let (min, max) = (setup.min_keycode, setup.max_keycode);
    let map = conn
        .get_keyboard_mapping(min, max - min + 1)
        .map_err(|e| err(e.to_string()))?
        .reply()
        .map_err(|e| err(e.to_string()))?;
    let per = usize::from(map.keysyms_per_keycode).max(1);
    let keycodes: Vec<u8> = map
        .keysyms
        .chunks(per)
        .enumerate()
        .filter(|(_, syms)| syms.contains(&key.keysym))
        .map(|(i, _)| min + i as u8)
        .collect();
    if keycodes.is_empty() {
        return Err(err("no key on this keyboard makes it".into()));
    }
    let base = ModMask::from(key.modifiers);
    for &code in &keycodes {
        for extra in [
            ModMask::from(0u16),
            ModMask::LOCK,
            ModMask::M2,
            ModMask::LOCK | ModMask::M2,
        ] {
            conn.grab_key(false, root, base | extra, code, GrabMode::ASYNC, GrabMode::ASYNC)
                .map_err(|e| err(e.to_string()))?
                .check()
                .map_err(|e| {
                    err(format!(
                        "another program holds it ({e:?}); choose another in the policy's [controls] hotkey"
                    ))
                })?;
        }
    }
    conn.flush().map_err(|e| err(e.to_string()))?;
    std::thread::Builder::new()
        .name("scrim-hotkey".into())
        .spawn(move || {
            // a key held down repeats as release + press pairs with the same timestamp (or as
            // presses alone): only a press after a real release counts
            let mut released_at: Option<u32> = Some(0);
            while let Ok(event) = conn.wait_for_event() {
                match event {
                    Event::KeyPress(e) if keycodes.contains(&e.detail) => {
                        if released_at.is_some_and(|t| t != e.time) {
                            pressed();
                        }
                        released_at = None;
                    }
                    Event::KeyRelease(e) if keycodes.contains(&e.detail) => released_at = Some(e.time),
                    _ => {}
                }
            }
        })
        .map_err(|e| err(format!("cannot start its thread: {e}")))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hotkeys_parse() {
        let k: Hotkey = "Ctrl+Alt+B".parse().unwrap();
        assert_eq!(k.keysym, u32::from(b'b'));
        assert_eq!(k.modifiers, u16::from(ModMask::CONTROL | ModMask::M1));
        assert_eq!("super + f9".parse::<Hotkey>().unwrap().keysym, 0xffc6);
        assert_eq!("Pause".parse::<Hotkey>().unwrap().modifiers, 0);
        assert!("Ctrl+Hyper+B".parse::<Hotkey>().is_err());
        assert!("Ctrl+F25".parse::<Hotkey>().is_err());
        assert!("Ctrl+".parse::<Hotkey>().is_err());
    }

    #[test]
    fn hotkeys_become_portal_triggers() {
        let t = |s: &str| s.parse::<Hotkey>().unwrap().xdg_trigger();
        assert_eq!(t("Ctrl+Alt+B"), "CTRL+ALT+b");
        assert_eq!(t("super+shift+F12"), "SHIFT+LOGO+F12");
        assert_eq!(t("Pause"), "Pause");
        assert_eq!(t("Ctrl+page_down"), "CTRL+Page_Down");
        assert_eq!(t("Alt+esc"), "ALT+Escape");
        assert_eq!(t("Ctrl+7"), "CTRL+7");
    }
}
