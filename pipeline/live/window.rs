//! `--sink window[:TITLE]`: an X11 window showing the redacted stream, for meeting apps that
//! "share a window" rather than the screen (on Wayland it runs through XWayland).
//!
//! A plain core-protocol client over x11rb's pure-Rust connection: every released frame is
//! converted to the server's 24-bit TrueColor layout (BGRX on the usual little-endian server),
//! sent with `PutImage` in row strips that each fit the maximum request length (BIG-REQUESTS
//! raises it when the server has it) into an off-screen pixmap, then copied to the window in one
//! step, so a capturer never sees half of one frame over another. The window is as big as the
//! frame (size hints pin it there) and follows size changes.
//!
//! The window is found by its title (`WM_NAME` and `_NET_WM_NAME`, default "scrim — redacted")
//! and has `WM_CLASS` "scrim". Closing it (`WM_DELETE_WINDOW`, or the window being destroyed)
//! ends the stream: the `write` that sees it fails with [`ErrorKind::Closed`] and the live loop
//! finishes the sink. Every wait on the server is bounded: a server that goes away or stops
//! answering for [`TIMEOUT`] is an error, never a hang.

use std::io::IoSlice;
use std::os::unix::io::AsRawFd;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use x11rb::connection::{Connection, RequestConnection};
use x11rb::errors::ConnectionError;
use x11rb::protocol::xproto::{
    self, AtomEnum, ConfigureWindowAux, ConnectionExt as _, CreateGCAux, CreateWindowAux, EventMask, ImageFormat,
    ImageOrder, PropMode, VisualClass, WindowClass,
};
use x11rb::protocol::Event;
use x11rb::reexports::x11rb_protocol::parse_display::{parse_display, ConnectAddress};
use x11rb::reexports::x11rb_protocol::xauth;
use x11rb::rust_connection::{DefaultStream, PollMode, RustConnection, Stream};
use x11rb::utils::RawFdContainer;
use x11rb::wrapper::ConnectionExt as _;

use super::sink::Sink;
use crate::error::{Error, ErrorKind, Result};
use crate::frame::Frame;

/// The title of `--sink window` without `:TITLE`.
pub const DEFAULT_TITLE: &str = "scrim — redacted";

/// Longest wait for the X server (connecting, a reply, room to write) before giving up on it.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// Bytes of a `PutImage` request besides its pixels: the 24-byte header and the 4 bytes
/// BIG-REQUESTS adds to it, rounded up.
const PUT_IMAGE_OVERHEAD: usize = 32;

/// x11rb's default stream with every wait bounded by [`TIMEOUT`].
struct TimedStream(DefaultStream);

impl Stream for TimedStream {
    fn poll(&self, mode: PollMode) -> std::io::Result<()> {
        let mut events = 0;
        if mode.readable() {
            events |= libc::POLLIN;
        }
        if mode.writable() {
            events |= libc::POLLOUT;
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let mut fd = libc::pollfd {
                fd: self.0.as_raw_fd(),
                events,
                revents: 0,
            };
            // SAFETY: one valid pollfd, borrowed for the call only.
            let n = unsafe { libc::poll(&mut fd, 1, left.as_millis().clamp(1, i32::MAX as u128) as i32) };
            match n {
                // errors (POLLERR, POLLHUP) show when reading or writing
                1.. => return Ok(()),
                0 => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        format!("the X server did not answer for {} s", TIMEOUT.as_secs()),
                    ))
                }
                _ => {
                    let e = std::io::Error::last_os_error();
                    if e.kind() != std::io::ErrorKind::Interrupted {
                        return Err(e);
                    }
                }
            }
        }
    }

    fn read(&self, buf: &mut [u8], fd_storage: &mut Vec<RawFdContainer>) -> std::io::Result<usize> {
        self.0.read(buf, fd_storage)
    }

    fn write(&self, buf: &[u8], fds: &mut Vec<RawFdContainer>) -> std::io::Result<usize> {
        self.0.write(buf, fds)
    }

    fn write_vectored(&self, bufs: &[IoSlice<'_>], fds: &mut Vec<RawFdContainer>) -> std::io::Result<usize> {
        self.0.write_vectored(bufs, fds)
    }
}

/// Where each 8-bit channel goes in a 32-bit pixel of the server's visual, and its byte order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Layout {
    shifts: [u32; 3],
    /// Bits no channel uses (the X of BGRX): set, so a capturer reading BGRA sees it opaque.
    pad: u32,
    big_endian: bool,
}

impl Layout {
    /// The layout of a TrueColor visual with three 8-bit masks in 32-bit pixels, or `None`.
    fn of(masks: [u32; 3], bits_per_pixel: u8, order: ImageOrder) -> Option<Layout> {
        if bits_per_pixel != 32 {
            return None;
        }
        let mut shifts = [0; 3];
        for (s, m) in shifts.iter_mut().zip(masks) {
            if m == 0 || m >> m.trailing_zeros() != 0xff {
                return None;
            }
            *s = m.trailing_zeros();
        }
        let used = masks[0] | masks[1] | masks[2];
        if used.count_ones() != 24 {
            return None; // overlapping masks
        }
        Some(Layout {
            shifts,
            pad: !used,
            big_endian: order == ImageOrder::MSB_FIRST,
        })
    }

    /// The usual little-endian BGRX (red in bits 16-23).
    #[cfg(test)]
    fn bgrx() -> Layout {
        Layout::of([0xff_0000, 0xff00, 0xff], 32, ImageOrder::LSB_FIRST).expect("valid")
    }
}

/// RGBA8 pixels in the server's layout, into `out` (cleared first).
fn convert(rgba: &[u8], layout: Layout, out: &mut Vec<u8>) {
    out.clear();
    out.resize(rgba.len(), 0);
    let [rs, gs, bs] = layout.shifts;
    for (o, p) in out.chunks_exact_mut(4).zip(rgba.chunks_exact(4)) {
        let v = (p[0] as u32) << rs | (p[1] as u32) << gs | (p[2] as u32) << bs | layout.pad;
        o.copy_from_slice(&if layout.big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        });
    }
}

/// Row strips `(first row, rows)` covering `height` rows of `row_bytes` each, each strip's
/// `PutImage` at most `max_request` bytes long (at least one row a strip).
fn strips(height: u32, row_bytes: usize, max_request: usize) -> impl Iterator<Item = (u32, u32)> {
    let per = (max_request.saturating_sub(PUT_IMAGE_OVERHEAD) / row_bytes.max(1)).clamp(1, u16::MAX as usize) as u32;
    (0..height).step_by(per as usize).map(move |y| (y, per.min(height - y)))
}

/// `WM_NORMAL_HINTS` pinning the window to `w` x `h` (ICCCM WM_SIZE_HINTS: 18 CARD32).
fn size_hints(w: u32, h: u32) -> [u32; 18] {
    const P_SIZE: u32 = 1 << 3;
    const P_MIN_SIZE: u32 = 1 << 4;
    const P_MAX_SIZE: u32 = 1 << 5;
    let mut hints = [0u32; 18];
    hints[0] = P_SIZE | P_MIN_SIZE | P_MAX_SIZE;
    hints[3] = w;
    hints[4] = h;
    hints[5] = w;
    hints[6] = h;
    hints[7] = w;
    hints[8] = h;
    hints
}

/// The title as `WM_NAME` wants it: Latin-1 `STRING` when it can be, else UTF-8.
fn latin1(title: &str) -> Option<Vec<u8>> {
    title.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect()
}

struct Atoms {
    wm_protocols: u32,
    wm_delete_window: u32,
    net_wm_name: u32,
    utf8_string: u32,
}

/// The window, its back buffer and the GC that copies one to the other.
struct Shown {
    window: u32,
    pixmap: u32,
    gc: u32,
    width: u32,
    height: u32,
    /// The frame the pixmap and the window hold: a repeat of it (a static screen) is neither
    /// converted nor sent again. Weak, as in [`super::sink::I420Cache`].
    picture: Option<Weak<Frame>>,
}

/// `--sink window[:TITLE]`. See the module documentation.
pub struct WindowSink {
    conn: RustConnection<TimedStream>,
    display: String,
    title: String,
    root: u32,
    depth: u8,
    visual: u32,
    /// Our own colormap when the visual is not the root's.
    colormap: Option<u32>,
    layout: Layout,
    max_request: usize,
    atoms: Atoms,
    shown: Option<Shown>,
    pixels: Vec<u8>,
    /// Why the stream is over (window closed, server lost): every later write fails with it.
    ended: Option<String>,
    /// The server failed or stopped answering: nothing more is sent to it, not even goodbyes.
    lost: bool,
}

fn usage(m: String) -> Error {
    Error::new(ErrorKind::Usage, m)
}

/// Connects like x11rb's `RustConnection::connect`, with bounded waits.
fn connect(display: &str) -> std::result::Result<(RustConnection<TimedStream>, usize), String> {
    let parsed = parse_display(Some(display)).map_err(|e| e.to_string())?;
    let mut last = String::from("no address to try");
    for addr in parsed.connect_instruction() {
        let stream = match &addr {
            ConnectAddress::Hostname(host, port) => std::net::ToSocketAddrs::to_socket_addrs(&(*host, *port))
                .and_then(|mut a| {
                    a.next()
                        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no address"))
                })
                .and_then(|a| std::net::TcpStream::connect_timeout(&a, TIMEOUT))
                .and_then(DefaultStream::from_tcp_stream),
            ConnectAddress::Socket(path) => {
                std::os::unix::net::UnixStream::connect(path).and_then(DefaultStream::from_unix_stream)
            }
            other => Err(std::io::Error::other(format!("unsupported address {other:?}"))),
        };
        match stream {
            Ok((stream, (family, address))) => {
                let (name, data) = xauth::get_auth(family, &address, parsed.display)
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                let screen = usize::from(parsed.screen);
                return RustConnection::connect_to_stream_with_auth_info(TimedStream(stream), screen, name, data)
                    .map(|c| (c, screen))
                    .map_err(|e| e.to_string());
            }
            Err(e) => last = e.to_string(),
        }
    }
    Err(last)
}

/// The display named by `$DISPLAY`, or why there is none.
fn display(var: Option<std::ffi::OsString>) -> Result<String> {
    match var.map(|v| v.into_string()) {
        Some(Ok(d)) if !d.is_empty() => Ok(d),
        Some(Err(v)) => Err(usage(format!("--sink window: $DISPLAY {v:?} is not valid UTF-8"))),
        _ => Err(usage(
            "--sink window needs an X display, and $DISPLAY is not set (run scrim in the X11 or \
XWayland session whose apps should share the window)"
                .into(),
        )),
    }
}

impl WindowSink {
    /// Connects to `$DISPLAY` and checks it can show frames; the window appears with the first.
    pub fn open(title: &str) -> Result<WindowSink> {
        WindowSink::open_on(&display(std::env::var_os("DISPLAY"))?, title)
    }

    /// Like [`WindowSink::open`], on the named display (`:1`) instead of `$DISPLAY`'s.
    pub fn open_on(display: &str, title: &str) -> Result<WindowSink> {
        if title.is_empty() {
            return Err(usage("--sink window:TITLE: the title is empty".into()));
        }
        let display = display.to_string();
        let (conn, screen) =
            connect(&display).map_err(|e| usage(format!("--sink window: cannot open X display {display}: {e}")))?;
        let setup = conn.setup();
        let root = &setup.roots[screen];
        let bpp = setup
            .pixmap_formats
            .iter()
            .find(|f| f.depth == 24)
            .map_or(0, |f| f.bits_per_pixel);
        let order = setup.image_byte_order;
        // a 24-bit TrueColor visual: the root's if it is one
        let mut found = None;
        for d in root.allowed_depths.iter().filter(|d| d.depth == 24) {
            for v in d.visuals.iter().filter(|v| v.class == VisualClass::TRUE_COLOR) {
                if let Some(l) = Layout::of([v.red_mask, v.green_mask, v.blue_mask], bpp, order) {
                    if found.is_none() || v.visual_id == root.root_visual {
                        found = Some((v.visual_id, l));
                    }
                }
            }
        }
        let Some((visual, layout)) = found else {
            return Err(usage(format!(
                "--sink window: X display {display} has no 24-bit TrueColor visual with 32-bit pixels"
            )));
        };
        let (root_id, own_colormap) = (root.root, !(visual == root.root_visual && root.root_depth == 24));
        let fail = |e: &dyn std::fmt::Display| usage(format!("--sink window: X display {display}: {e}"));
        let colormap = if own_colormap {
            let id = conn.generate_id().map_err(|e| fail(&e))?;
            conn.create_colormap(xproto::ColormapAlloc::NONE, id, root_id, visual)
                .map_err(|e| fail(&e))?;
            Some(id)
        } else {
            None
        };
        let atoms = {
            let names = ["WM_PROTOCOLS", "WM_DELETE_WINDOW", "_NET_WM_NAME", "UTF8_STRING"];
            let mut cookies = Vec::new();
            for n in names {
                cookies.push(conn.intern_atom(false, n.as_bytes()).map_err(|e| fail(&e))?);
            }
            let mut ids = Vec::new();
            for c in cookies {
                ids.push(c.reply().map_err(|e| fail(&e))?.atom);
            }
            Atoms {
                wm_protocols: ids[0],
                wm_delete_window: ids[1],
                net_wm_name: ids[2],
                utf8_string: ids[3],
            }
        };
        let max_request = conn.maximum_request_bytes();
        Ok(WindowSink {
            conn,
            display,
            title: title.into(),
            root: root_id,
            depth: 24,
            visual,
            colormap,
            layout,
            max_request,
            atoms,
            shown: None,
            pixels: Vec::new(),
            ended: None,
            lost: false,
        })
    }

    fn create(&mut self, w: u32, h: u32) -> std::result::Result<(), Failure> {
        let c = &self.conn;
        let window = c.generate_id()?;
        let mut aux = CreateWindowAux::new()
            .background_pixel(0)
            .border_pixel(0)
            .event_mask(EventMask::EXPOSURE | EventMask::STRUCTURE_NOTIFY);
        if let Some(cm) = self.colormap {
            aux = aux.colormap(cm);
        }
        let visual = if self.colormap.is_some() { self.visual } else { 0 };
        let depth = if self.colormap.is_some() { self.depth } else { 0 };
        c.create_window(
            depth,
            window,
            self.root,
            0,
            0,
            w as u16,
            h as u16,
            0,
            WindowClass::INPUT_OUTPUT,
            visual,
            &aux,
        )?;
        let a = &self.atoms;
        match latin1(&self.title) {
            Some(l) => c.change_property8(PropMode::REPLACE, window, AtomEnum::WM_NAME, AtomEnum::STRING, &l)?,
            None => c.change_property8(
                PropMode::REPLACE,
                window,
                AtomEnum::WM_NAME,
                a.utf8_string,
                self.title.as_bytes(),
            )?,
        };
        c.change_property8(
            PropMode::REPLACE,
            window,
            a.net_wm_name,
            a.utf8_string,
            self.title.as_bytes(),
        )?;
        c.change_property8(
            PropMode::REPLACE,
            window,
            AtomEnum::WM_CLASS,
            AtomEnum::STRING,
            b"scrim\0scrim\0",
        )?;
        c.change_property32(
            PropMode::REPLACE,
            window,
            a.wm_protocols,
            AtomEnum::ATOM,
            &[a.wm_delete_window],
        )?;
        c.change_property32(
            PropMode::REPLACE,
            window,
            AtomEnum::WM_NORMAL_HINTS,
            AtomEnum::WM_SIZE_HINTS,
            &size_hints(w, h),
        )?;
        let gc = c.generate_id()?;
        c.create_gc(gc, window, &CreateGCAux::new().graphics_exposures(0))?;
        let pixmap = c.generate_id()?;
        c.create_pixmap(self.depth, pixmap, window, w as u16, h as u16)?;
        c.map_window(window)?;
        self.shown = Some(Shown {
            window,
            pixmap,
            gc,
            width: w,
            height: h,
            picture: None,
        });
        Ok(())
    }

    /// Follows a change of frame size: new hints, new size, new back buffer.
    fn resize(&mut self, w: u32, h: u32) -> std::result::Result<(), Failure> {
        let c = &self.conn;
        let s = self.shown.as_mut().expect("resize only a shown window");
        c.change_property32(
            PropMode::REPLACE,
            s.window,
            AtomEnum::WM_NORMAL_HINTS,
            AtomEnum::WM_SIZE_HINTS,
            &size_hints(w, h),
        )?;
        c.configure_window(s.window, &ConfigureWindowAux::new().width(w).height(h))?;
        c.free_pixmap(s.pixmap)?;
        let pixmap = c.generate_id()?;
        c.create_pixmap(self.depth, pixmap, s.window, w as u16, h as u16)?;
        s.pixmap = pixmap;
        s.width = w;
        s.height = h;
        s.picture = None;
        Ok(())
    }

    /// Handles what the server sent: a close ends the stream, an expose is repainted.
    fn events(&mut self) -> std::result::Result<(), Failure> {
        while let Some(ev) = self.conn.poll_for_event()? {
            let Some(s) = &self.shown else { continue };
            match ev {
                Event::ClientMessage(m)
                    if m.window == s.window
                        && m.type_ == self.atoms.wm_protocols
                        && m.format == 32
                        && m.data.as_data32()[0] == self.atoms.wm_delete_window =>
                {
                    return Err(Failure::Closed);
                }
                Event::DestroyNotify(d) if d.window == s.window => {
                    self.shown = None; // already gone
                    return Err(Failure::Closed);
                }
                Event::Expose(e) if e.window == s.window => {
                    let (x, y) = (e.x as i16, e.y as i16);
                    self.conn
                        .copy_area(s.pixmap, s.window, s.gc, x, y, x, y, e.width, e.height)?;
                }
                Event::Error(e) => {
                    let ours = [s.window, s.pixmap].contains(&e.bad_value);
                    if ours
                        && matches!(
                            e.error_kind,
                            x11rb::protocol::ErrorKind::Window | x11rb::protocol::ErrorKind::Drawable
                        )
                    {
                        self.shown = None; // destroyed by someone else
                        return Err(Failure::Closed);
                    }
                    return Err(Failure::Server(format!(
                        "X error {:?} (request {}, value {:#x})",
                        e.error_kind, e.major_opcode, e.bad_value
                    )));
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn show(&mut self, frame: &Arc<Frame>) -> std::result::Result<(), Failure> {
        self.events()?;
        let (w, h) = (frame.width(), frame.height());
        if w > i16::MAX as u32 || h > i16::MAX as u32 {
            return Err(Failure::Server(format!("a {w}x{h} frame is too large for an X window")));
        }
        match &self.shown {
            None => self.create(w, h)?,
            Some(s) if (s.width, s.height) != (w, h) => self.resize(w, h)?,
            _ => {}
        }
        let s = self.shown.as_mut().expect("created above");
        let repeat = s
            .picture
            .as_ref()
            .is_some_and(|p| std::ptr::eq(p.as_ptr(), Arc::as_ptr(frame)));
        if repeat {
            // on screen already: only the round trip, which surfaces a close or a lost server
            self.conn.get_input_focus()?.reply()?;
            return self.events();
        }
        convert(frame.data(), self.layout, &mut self.pixels);
        let s = self.shown.as_ref().expect("created above");
        let row = w as usize * 4;
        for (y, rows) in strips(h, row, self.max_request) {
            let part = &self.pixels[y as usize * row..(y + rows) as usize * row];
            self.conn.put_image(
                ImageFormat::Z_PIXMAP,
                s.pixmap,
                s.gc,
                w as u16,
                rows as u16,
                0,
                y as i16,
                0,
                self.depth,
                part,
            )?;
        }
        self.conn
            .copy_area(s.pixmap, s.window, s.gc, 0, 0, 0, 0, w as u16, h as u16)?;
        if let Some(s) = self.shown.as_mut() {
            s.picture = Some(Arc::downgrade(frame));
        }
        // one round trip a frame: the server has drawn it before the next is sent (no backlog),
        // and errors and a close surface now
        self.conn.get_input_focus()?.reply()?;
        self.events()
    }
}

/// Why showing a frame failed.
enum Failure {
    Closed,
    Server(String),
}

impl From<ConnectionError> for Failure {
    fn from(e: ConnectionError) -> Self {
        Failure::Server(e.to_string())
    }
}

impl From<x11rb::errors::ReplyError> for Failure {
    fn from(e: x11rb::errors::ReplyError) -> Self {
        Failure::Server(e.to_string())
    }
}

impl From<x11rb::errors::ReplyOrIdError> for Failure {
    fn from(e: x11rb::errors::ReplyOrIdError) -> Self {
        Failure::Server(e.to_string())
    }
}

impl Sink for WindowSink {
    fn describe(&self) -> String {
        format!("window {:?} on X display {}", self.title, self.display)
    }

    fn write(&mut self, frame: &Arc<Frame>, _pts: Duration) -> Result<()> {
        if self.ended.is_none() {
            match self.show(frame) {
                Ok(()) => return Ok(()),
                Err(Failure::Closed) => {
                    self.ended = Some(format!("the window {:?} was closed; the stream ended", self.title));
                }
                Err(Failure::Server(e)) => {
                    self.lost = true;
                    self.ended = Some(format!("lost the X display {} ({e}); the stream ended", self.display));
                }
            }
        }
        // a closed window is the viewer going away; a lost server is a failure
        let kind = if self.lost {
            ErrorKind::Output
        } else {
            ErrorKind::Closed
        };
        Err(Error::new(kind, self.ended.clone().expect("set above")))
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        // the server frees everything of ours when we disconnect; this only makes a closed
        // window vanish at once (errors here change nothing: the stream is over either way)
        if self.lost {
            return Ok(()); // each request could wait out the timeout again
        }
        if let Some(s) = self.shown.take() {
            let _ = self.conn.destroy_window(s.window);
            let _ = self.conn.free_pixmap(s.pixmap);
            let _ = self.conn.free_gc(s.gc);
        }
        if let Some(cm) = self.colormap {
            let _ = self.conn.free_colormap(cm);
        }
        let _ = self.conn.flush();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rgba_becomes_bgrx_on_a_little_endian_server() {
        let mut out = Vec::new();
        convert(&[1, 2, 3, 4, 250, 251, 252, 0], Layout::bgrx(), &mut out);
        assert_eq!(out, [3, 2, 1, 255, 252, 251, 250, 255]);
    }

    #[test]
    fn other_layouts_follow_the_masks_and_byte_order() {
        let mut out = Vec::new();
        // red in the low byte (an RGBX visual), little-endian
        let rgbx = Layout::of([0xff, 0xff00, 0xff_0000], 32, ImageOrder::LSB_FIRST).unwrap();
        convert(&[1, 2, 3, 4], rgbx, &mut out);
        assert_eq!(out, [1, 2, 3, 255]);
        // the usual masks on a big-endian server: XRGB in memory
        let be = Layout::of([0xff_0000, 0xff00, 0xff], 32, ImageOrder::MSB_FIRST).unwrap();
        convert(&[1, 2, 3, 4], be, &mut out);
        assert_eq!(out, [255, 1, 2, 3]);
    }

    #[test]
    fn unusable_visuals_are_refused() {
        let usual = [0xff_0000, 0xff00, 0xff];
        assert!(
            Layout::of(usual, 24, ImageOrder::LSB_FIRST).is_none(),
            "packed 24-bit pixels"
        );
        assert!(
            Layout::of([0xf800, 0x7e0, 0x1f], 32, ImageOrder::LSB_FIRST).is_none(),
            "RGB565"
        );
        assert!(
            Layout::of([0x3ff0_0000, 0xffc00, 0x3ff], 32, ImageOrder::LSB_FIRST).is_none(),
            "10-bit"
        );
        assert!(
            Layout::of([0xff, 0xff, 0xff00], 32, ImageOrder::LSB_FIRST).is_none(),
            "overlapping"
        );
    }

    #[test]
    fn strips_cover_every_row_once_and_fit_the_request_limit() {
        // the core protocol's limit (no BIG-REQUESTS) and Xorg's usual BIG-REQUESTS one
        for max in [262_140usize, 16_777_212] {
            for (w, h) in [(1920u32, 1080u32), (1, 1), (16_384, 3), (333, 71)] {
                let row = w as usize * 4;
                let mut next = 0;
                for (y, rows) in strips(h, row, max) {
                    assert_eq!(y, next, "contiguous");
                    assert!(rows >= 1);
                    assert!(rows as usize * row + PUT_IMAGE_OVERHEAD <= max, "{w}x{h}: {rows} rows");
                    next = y + rows;
                }
                assert_eq!(next, h, "{w}x{h} covered");
            }
        }
        // 1080p without BIG-REQUESTS: 34 rows a strip
        assert_eq!(strips(1080, 7680, 262_140).next(), Some((0, 34)));
        // with it, one request
        assert_eq!(strips(1080, 7680, 16_777_212).count(), 1);
    }

    #[test]
    fn titles_are_latin1_when_they_can_be() {
        assert_eq!(latin1("scrim-test").as_deref(), Some(&b"scrim-test"[..]));
        assert_eq!(latin1("café").as_deref(), Some(&[b'c', b'a', b'f', 0xe9][..]));
        assert_eq!(latin1(DEFAULT_TITLE), None, "the em dash is not Latin-1");
    }

    #[test]
    fn hints_pin_the_size() {
        let h = size_hints(640, 480);
        assert_eq!(h[0], 0b111000);
        assert_eq!(&h[5..9], &[640, 480, 640, 480]);
    }

    #[test]
    fn without_display_it_is_a_usage_error() {
        for var in [None, Some("".into())] {
            let e = display(var).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Usage);
            assert!(e.to_string().contains("$DISPLAY is not set"), "{e}");
        }
        assert_eq!(display(Some(":7".into())).unwrap(), ":7");
    }
}
