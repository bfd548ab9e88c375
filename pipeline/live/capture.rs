//! Screen capture through xcap: a monitor, a region of one, or a window found by its title or
//! application name. X11 only for live use: on Wayland xcap goes through the screenshot portal,
//! far too slow for a frame stream (live Wayland capture would be the ScreenCast portal).
//!
//! Each frame is one X `GetImage` of the monitor or window, converted to RGBA by xcap. A frame
//! equal to the previous one is handed out as the same picture, so the gate skips it.

use std::sync::Arc;

use crate::error::{Error, ErrorKind, Result};
use crate::frame::Frame;

use super::source::Source;

/// What to capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A monitor by index in xcap's list (`None`: the primary one).
    Monitor(Option<usize>),
    /// `(x, y, w, h)` of the primary monitor.
    Region(u32, u32, u32, u32),
    /// The first window whose title contains this text, or whose application is called this
    /// (case-insensitive).
    Window(String),
}

pub struct XcapSource {
    target: Target,
    monitor: Option<xcap::Monitor>,
    window: Option<xcap::Window>,
    last: Option<Arc<Frame>>,
}

fn lost(what: String) -> Error {
    Error::new(ErrorKind::BadInput, what)
}

fn x11_display() -> Result<()> {
    match std::env::var("DISPLAY") {
        Ok(d) if !d.is_empty() => Ok(()),
        _ => Err(Error::new(
            ErrorKind::Usage,
            "screen and window capture need an X11 display ($DISPLAY is not set; on Wayland, run \
scrim under XWayland or share a recording through --source file:)",
        )),
    }
}

fn monitor(index: Option<usize>) -> Result<xcap::Monitor> {
    let all = xcap::Monitor::all().map_err(|e| lost(format!("cannot list monitors: {e}")))?;
    let n = all.len();
    let found = match index {
        Some(i) => all.into_iter().nth(i),
        None => {
            let primary = all.iter().position(|m| m.is_primary().unwrap_or(false)).unwrap_or(0);
            all.into_iter().nth(primary)
        }
    };
    found.ok_or_else(|| match index {
        Some(i) => Error::new(
            ErrorKind::Usage,
            format!("no monitor {i} ({n} found; they count from 0)"),
        ),
        None => lost("no monitor found".into()),
    })
}

/// The window `name` designates, if one is open now (not minimised).
fn find_window(name: &str) -> Result<Option<xcap::Window>> {
    let all = xcap::Window::all().map_err(|e| {
        lost(format!(
            "cannot list windows: {e} (window capture needs an EWMH window manager)"
        ))
    })?;
    let want = name.to_lowercase();
    Ok(all.into_iter().find(|w| {
        let title = w.title().unwrap_or_default().to_lowercase();
        let app = w.app_name().unwrap_or_default().to_lowercase();
        !w.is_minimized().unwrap_or(false) && (title.contains(&want) || app == want)
    }))
}

impl XcapSource {
    pub fn open(target: Target) -> Result<Self> {
        x11_display()?;
        let mut s = XcapSource {
            target,
            monitor: None,
            window: None,
            last: None,
        };
        match &s.target {
            Target::Monitor(i) => s.monitor = Some(monitor(*i)?),
            Target::Region(x, y, w, h) => {
                let m = monitor(None)?;
                let (mw, mh) = (m.width().unwrap_or(0), m.height().unwrap_or(0));
                if *w == 0 || *h == 0 || x.saturating_add(*w) > mw || y.saturating_add(*h) > mh {
                    return Err(Error::new(
                        ErrorKind::Usage,
                        format!("region {x},{y},{w},{h} is not inside the {mw}x{mh} screen"),
                    ));
                }
                s.monitor = Some(m);
            }
            Target::Window(name) => {
                s.window = Some(find_window(name)?.ok_or_else(|| {
                    Error::new(
                        ErrorKind::Usage,
                        format!("no open window has \"{name}\" in its title or as its application"),
                    )
                })?)
            }
        }
        Ok(s)
    }

    fn grab(&mut self) -> Result<Frame> {
        let image = match (&self.target, &self.monitor, &self.window) {
            (Target::Region(x, y, w, h), Some(m), _) => m.capture_region(*x, *y, *w, *h),
            (_, Some(m), _) => m.capture_image(),
            // X11 refuses to read a window that is partly off the screen: then its visible
            // part, as the screen shows it
            (Target::Window(_), _, Some(w)) => w.capture_image().or_else(|e| visible_part(w).ok_or(e)?),
            _ => return Err(lost("the captured window is gone".into())),
        };
        let image = image.map_err(|e| lost(format!("capture failed: {e}")))?;
        let (w, h) = (image.width(), image.height());
        Frame::new(w, h, image.into_raw())
    }
}

/// The on-screen part of a window, captured from its monitor.
fn visible_part(w: &xcap::Window) -> Option<xcap::XCapResult<image::RgbaImage>> {
    let m = w.current_monitor().ok()?;
    let (mx, my) = (m.x().ok()?, m.y().ok()?);
    let (mw, mh) = (m.width().ok()? as i64, m.height().ok()? as i64);
    let x0 = (w.x().ok()? - mx).max(0) as i64;
    let y0 = (w.y().ok()? - my).max(0) as i64;
    let x1 = ((w.x().ok()? - mx) as i64 + w.width().ok()? as i64).min(mw);
    let y1 = ((w.y().ok()? - my) as i64 + w.height().ok()? as i64).min(mh);
    (x1 > x0 && y1 > y0).then(|| m.capture_region(x0 as u32, y0 as u32, (x1 - x0) as u32, (y1 - y0) as u32))
}

impl Source for XcapSource {
    fn describe(&self) -> String {
        match &self.target {
            Target::Monitor(_) => {
                let m = self.monitor.as_ref();
                let name = m.and_then(|m| m.name().ok()).unwrap_or_default();
                let (w, h) = m.map_or((0, 0), |m| (m.width().unwrap_or(0), m.height().unwrap_or(0)));
                format!("monitor {name} {w}x{h} (xcap)")
            }
            Target::Region(x, y, w, h) => format!("screen region {w}x{h} at {x},{y} (xcap)"),
            Target::Window(name) => format!("window \"{name}\" (xcap)"),
        }
    }

    fn next_frame(&mut self) -> Result<Option<Arc<Frame>>> {
        let frame = match self.grab() {
            Ok(f) => f,
            Err(e) => {
                if let Some(gone) = super::session::x_server_gone() {
                    return Err(Error::new(ErrorKind::Closed, gone));
                }
                // a closed window may come back (an app restarted): look for it again, and
                // meanwhile report the loss, so the pipeline shows its placeholder
                if let Target::Window(name) = &self.target {
                    self.window = find_window(name).ok().flatten();
                    if self.window.is_none() {
                        return Err(lost(format!("the window \"{name}\" is gone (closed or minimised)")));
                    }
                }
                return Err(e);
            }
        };
        if let Some(last) = &self.last {
            if **last == frame {
                return Ok(Some(last.clone()));
            }
        }
        let frame = Arc::new(frame);
        self.last = Some(frame.clone());
        Ok(Some(frame))
    }
}
