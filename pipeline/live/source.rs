//! Frame sources for the live pipeline, behind one trait: a recording (decoded by ffmpeg), a
//! Y4M stream on stdin, and a still image looped (demos and tests).

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Error, ErrorKind, Result};
use crate::frame::Frame;
use crate::imageio;
use crate::video::ffmpeg::Decoder;
use crate::video::yuv::{i420_len, Matrix, Yuv420};

use super::capture::{Target, XcapSource};
use super::portal::{Kind, PortalSource};
use super::session::ScreenPath;
use super::webcam::WebcamSource;

pub trait Source: Send {
    fn describe(&self) -> String;
    /// The next frame. `Ok(None)`: the source ended normally (end of file or stream).
    /// `Err`: the source vanished or broke (the pipeline shows a placeholder, never an old frame).
    ///
    /// A source that sees no change may return the same `Arc` as last time: the gate then
    /// neither compares nor redacts the frame again.
    fn next_frame(&mut self) -> Result<Option<Arc<Frame>>>;
}

/// One image, returned for every frame.
pub struct StillSource {
    frame: Arc<Frame>,
    name: String,
    frames_left: Option<u64>,
}

impl StillSource {
    pub fn open(path: &Path, frames: Option<u64>) -> Result<Self> {
        Ok(StillSource {
            frame: Arc::new(imageio::load(path)?),
            name: path.display().to_string(),
            frames_left: frames,
        })
    }
}

impl Source for StillSource {
    fn describe(&self) -> String {
        format!("still image {}", self.name)
    }
    fn next_frame(&mut self) -> Result<Option<Arc<Frame>>> {
        if let Some(n) = self.frames_left.as_mut() {
            if *n == 0 {
                return Ok(None);
            }
            *n -= 1;
        }
        Ok(Some(self.frame.clone()))
    }
}

/// I420 -> RGBA for a capture stream. When a frame's bytes equal the previous one's (a static
/// screen) the previous picture is handed out again, shared: comparing 3 MB costs a fraction
/// of converting and copying 8 MB, and the gate skips a picture it has already seen.
#[derive(Default)]
struct Converter {
    last: Option<(Yuv420, Arc<Frame>)>,
}

impl Converter {
    fn convert(&mut self, yuv: Yuv420) -> Arc<Frame> {
        if let Some((prev, rgba)) = &self.last {
            if prev.width() == yuv.width() && prev.height() == yuv.height() && prev.data() == yuv.data() {
                return rgba.clone();
            }
        }
        let rgba = Arc::new(yuv.to_rgba(Matrix::for_height(yuv.height())));
        self.last = Some((yuv, rgba.clone()));
        rgba
    }
}

/// A recording, decoded by ffmpeg, one frame per tick; with `looped`, played again from its
/// start each time it ends (`--loop`: demos, and the soak test's endless browser session).
pub struct FileSource {
    decoder: Decoder,
    path: PathBuf,
    converter: Converter,
    looped: bool,
}

impl FileSource {
    pub fn open(path: &Path, looped: bool) -> Result<Self> {
        crate::video::ffmpeg::probe(path)?;
        Ok(FileSource {
            decoder: Decoder::open(path)?,
            path: path.to_path_buf(),
            converter: Converter::default(),
            looped,
        })
    }
}

impl Source for FileSource {
    fn describe(&self) -> String {
        let again = if self.looped { ", looped" } else { "" };
        format!("file {}{again}", self.path.display())
    }
    fn next_frame(&mut self) -> Result<Option<Arc<Frame>>> {
        if let Some((yuv, _)) = self.decoder.next_frame()? {
            return Ok(Some(self.converter.convert(yuv)));
        }
        if !self.looped {
            return Ok(None);
        }
        // from the start: a decoder of its own (the old one's ffmpeg has exited and is reaped
        // as it is dropped); a recording without a single frame ends here instead of spinning
        self.decoder = Decoder::open(&self.path)?;
        Ok(self.decoder.next_frame()?.map(|(yuv, _)| self.converter.convert(yuv)))
    }
}

/// The X11 screen (or a region of it), grabbed by ffmpeg's x11grab at the pipeline's rate
/// (`--source x11grab`): MIT-SHM, so cheaper than xcap's GetImage on large screens.
pub struct ScreenSource {
    decoder: Decoder,
    name: String,
    converter: Converter,
}

impl ScreenSource {
    /// `region`: `(x, y, w, h)`, or the whole screen.
    pub fn open(region: Option<(u32, u32, u32, u32)>, fps: u32) -> Result<Self> {
        let display = std::env::var("DISPLAY").map_err(|_| {
            Error::new(
                ErrorKind::Usage,
                "--source x11grab needs an X11 display ($DISPLAY is not set; on Wayland use --source screen or portal)",
            )
        })?;
        let mut args: Vec<String> = vec!["-f".into(), "x11grab".into(), "-draw_mouse".into(), "0".into()];
        args.extend(["-framerate".into(), fps.to_string()]);
        let input = match region {
            Some((x, y, w, h)) => {
                args.extend(["-video_size".into(), format!("{w}x{h}")]);
                format!("{display}+{x},{y}")
            }
            None => display.clone(),
        };
        args.extend(["-i".into(), input.clone()]);
        Ok(ScreenSource {
            decoder: Decoder::spawn(&args)?,
            name: format!("X11 screen {input}"),
            converter: Converter::default(),
        })
    }
}

impl Source for ScreenSource {
    fn describe(&self) -> String {
        self.name.clone()
    }
    fn next_frame(&mut self) -> Result<Option<Arc<Frame>>> {
        match self.decoder.next_frame() {
            // the grabber never ends on its own: an end is the display going away, for good
            Ok(None) => Err(Error::new(
                ErrorKind::Closed,
                super::session::x_server_gone().unwrap_or_else(|| "the screen capture (ffmpeg x11grab) ended".into()),
            )),
            Ok(Some((yuv, _))) => Ok(Some(self.converter.convert(yuv))),
            Err(e) => Err(e),
        }
    }
}

/// YUV4MPEG2 (4:2:0) frames from a reader, e.g. `ffmpeg … -f yuv4mpegpipe - | scrim live --source stdin`.
pub struct Y4mSource<R: Read + Send> {
    r: BufReader<R>,
    width: u32,
    height: u32,
}

impl<R: Read + Send> Y4mSource<R> {
    pub fn new(r: R) -> Result<Self> {
        let mut r = BufReader::with_capacity(1 << 20, r);
        let mut header = Vec::new();
        r.read_until(b'\n', &mut header)
            .map_err(|e| Error::new(ErrorKind::BadInput, format!("Y4M input: {e}")))?;
        let header = String::from_utf8_lossy(&header);
        let mut parts = header.split_whitespace();
        if parts.next() != Some("YUV4MPEG2") {
            return Err(Error::new(ErrorKind::BadInput, "stdin is not a YUV4MPEG2 stream"));
        }
        let (mut width, mut height) = (0, 0);
        for p in parts {
            // a parameter is one ASCII letter and its value; anything else is skipped
            let Some(kv) = p.split_at_checked(1) else {
                continue;
            };
            match kv {
                ("W", v) => width = v.parse().unwrap_or(0),
                ("H", v) => height = v.parse().unwrap_or(0),
                ("C", v) if !v.starts_with("420") => {
                    return Err(Error::new(
                        ErrorKind::BadInput,
                        format!("Y4M colour space C{v} is not supported; use -pix_fmt yuv420p"),
                    ))
                }
                _ => {}
            }
        }
        if width == 0 || height == 0 || width > crate::frame::MAX_SIDE || height > crate::frame::MAX_SIDE {
            return Err(Error::new(ErrorKind::BadInput, "Y4M header has no valid size"));
        }
        Ok(Y4mSource { r, width, height })
    }
}

impl<R: Read + Send> Source for Y4mSource<R> {
    fn describe(&self) -> String {
        format!("Y4M stream {}x{}", self.width, self.height)
    }
    fn next_frame(&mut self) -> Result<Option<Arc<Frame>>> {
        let mut line = Vec::new();
        let n = self
            .r
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::new(ErrorKind::BadInput, format!("Y4M input: {e}")))?;
        if n == 0 {
            return Ok(None);
        }
        if !line.starts_with(b"FRAME") {
            return Err(Error::new(
                ErrorKind::BadInput,
                "Y4M stream out of sync (no FRAME marker)",
            ));
        }
        let mut data = vec![0u8; i420_len(self.width, self.height)];
        self.r
            .read_exact(&mut data)
            .map_err(|_| Error::new(ErrorKind::BadInput, "Y4M stream ended inside a frame"))?;
        let yuv = Yuv420::new(self.width, self.height, data)?;
        Ok(Some(Arc::new(yuv.to_rgba(Matrix::for_height(self.height)))))
    }
}

fn parse_region(v: &str) -> Option<(u32, u32, u32, u32)> {
    let n: Vec<u32> = v.split(',').map(|p| p.trim().parse().ok()).collect::<Option<_>>()?;
    match n[..] {
        [x, y, w, h] if w >= 2 && h >= 2 => Some((x, y, w & !1, h & !1)),
        _ => None,
    }
}

/// Builds the source named on the command line. `looped` (`--loop`) plays a recording again
/// whenever it ends; only a file source takes it (an image loops anyway).
pub fn open(spec: &str, still_frames: Option<u64>, fps: u32, looped: bool) -> Result<Box<dyn Source>> {
    let usage = |m: String| Error::new(ErrorKind::Usage, m);
    if looped && !spec.starts_with("file:") {
        return Err(usage(format!(
            "--loop replays a recording (--source file:PATH); --source {spec} is not one"
        )));
    }
    if let Some(path) = spec.strip_prefix("file:") {
        let p = Path::new(path);
        return if crate::video::is_video_path(p) {
            Ok(Box::new(FileSource::open(p, looped)?))
        } else {
            Ok(Box::new(StillSource::open(p, still_frames)?))
        };
    }
    // screen, region and window read the X server, or the portal where X cannot see the desktop
    let screen = super::session::screen_path;
    if let Some(r) = spec.strip_prefix("region:") {
        let (x, y, w, h) = parse_region(r).ok_or_else(|| usage(format!("--source {spec}: expected region:X,Y,W,H")))?;
        if screen() == ScreenPath::Portal {
            let region = crate::frame::Rect::new(x, y, w, h);
            return Ok(Box::new(PortalSource::open(Kind::Monitor, Some(region), fps)?));
        }
        return Ok(Box::new(XcapSource::open(Target::Region(x, y, w, h))?));
    }
    if let Some(name) = spec.strip_prefix("window:") {
        if name.trim().is_empty() {
            return Err(usage(format!(
                "--source {spec}: expected window:TITLE (part of its title, or its application)"
            )));
        }
        if screen() == ScreenPath::Portal {
            return Err(usage(format!(
                "--source {spec}: on Wayland scrim cannot look windows up by title; use --source portal:window \
and pick the window in the desktop's dialog"
            )));
        }
        return Ok(Box::new(XcapSource::open(Target::Window(name.to_string()))?));
    }
    if let Some(r) = spec.strip_prefix("x11grab:") {
        let region = parse_region(r).ok_or_else(|| usage(format!("--source {spec}: expected x11grab:X,Y,W,H")))?;
        return Ok(Box::new(ScreenSource::open(Some(region), fps)?));
    }
    let index = |s: &str, what: &str| {
        s.parse::<u32>()
            .map_err(|_| usage(format!("--source {spec}: expected {what}")))
    };
    match spec {
        "stdin" => Ok(Box::new(Y4mSource::new(std::io::stdin())?)),
        "screen" => match screen() {
            ScreenPath::Xcap => Ok(Box::new(XcapSource::open(Target::Monitor(None))?)),
            ScreenPath::X11grab => Ok(Box::new(ScreenSource::open(None, fps)?)),
            ScreenPath::Portal => Ok(Box::new(PortalSource::open(Kind::Monitor, None, fps)?)),
        },
        "portal" => Ok(Box::new(PortalSource::open(Kind::Any, None, fps)?)),
        "portal:monitor" => Ok(Box::new(PortalSource::open(Kind::Monitor, None, fps)?)),
        "portal:window" => Ok(Box::new(PortalSource::open(Kind::Window, None, fps)?)),
        "x11grab" => Ok(Box::new(ScreenSource::open(None, fps)?)),
        "camera" => Ok(Box::new(WebcamSource::open(0, fps)?)),
        s if s.starts_with("screen:") => {
            let n = index(&s["screen:".len()..], "screen or screen:N (N counts monitors from 0)")?;
            if screen() == ScreenPath::Portal {
                return Err(usage(format!(
                    "--source {s}: on Wayland the desktop's dialog picks the monitor; use --source screen"
                )));
            }
            Ok(Box::new(XcapSource::open(Target::Monitor(Some(n as usize)))?))
        }
        s if s.starts_with("camera:") => {
            let n = index(&s["camera:".len()..], "camera or camera:N (N as in /dev/videoN)")?;
            Ok(Box::new(WebcamSource::open(n, fps)?))
        }
        s => Err(usage(format!(
            "--source {s}: expected file:PATH, stdin, screen[:N], window:TITLE, region:X,Y,W,H, \
portal[:monitor|window], x11grab[:X,Y,W,H] or camera[:N]"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn y4m_frames_and_errors() {
        let mut s = b"YUV4MPEG2 W4 H2 F30:1 C420jpeg\n".to_vec();
        for v in [16u8, 235] {
            s.extend_from_slice(b"FRAME\n");
            s.extend(std::iter::repeat_n(v, 8));
            s.extend(std::iter::repeat_n(128, 4));
        }
        let mut src = Y4mSource::new(&s[..]).unwrap();
        assert_eq!(src.next_frame().unwrap().unwrap().pixel(0, 0), [0, 0, 0, 255]);
        assert_eq!(src.next_frame().unwrap().unwrap().pixel(3, 1), [255, 255, 255, 255]);
        assert!(src.next_frame().unwrap().is_none());
        // cut inside a frame
        let cut = &s[..s.len() - 3];
        let mut src = Y4mSource::new(cut).unwrap();
        src.next_frame().unwrap();
        assert!(src.next_frame().is_err());
        assert!(Y4mSource::new(&b"P6\n"[..]).is_err());
        assert!(Y4mSource::new(&b"YUV4MPEG2 W4 H2 C444\n"[..]).is_err());
    }
}
