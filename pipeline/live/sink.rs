//! Where released frames go: Y4M on stdout (for ffmpeg and friends), an encoded file, a PipeWire
//! or V4L2 virtual camera, or an X11 window a meeting app can share ([`super::window`]).
//! A consumer that goes away (closed pipe) ends the run cleanly with a message; it never
//! blocks the gate's bookkeeping or makes scrim panic.

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Weak};
use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};
use crate::frame::{Frame, Rect};
use crate::video::ffmpeg::{EncodeOptions, Encoder};
use crate::video::yuv::{Matrix, Yuv420};

/// Runs on a thread of its own ([`super::outlet`]).
pub trait Sink: Send {
    fn describe(&self) -> String;
    /// A live output, whose consumer wants the newest frame: when it falls behind, frames are
    /// dropped (and counted) rather than queued. A recording is not: it gets every frame.
    fn realtime(&self) -> bool {
        true
    }
    /// Frames this sink accepted but could not send (while it reconnects to its consumer).
    fn dropped(&self) -> u64 {
        0
    }
    /// `pts`: time since the first frame. The same `Arc` as in an earlier call is the same
    /// picture (a static screen, repeated at the frame rate): what the sink made of it then may
    /// be reused.
    fn write(&mut self, frame: &Arc<Frame>, pts: Duration) -> Result<()>;
    /// Flushes and closes (a file is renamed into place only here).
    fn finish(self: Box<Self>) -> Result<()>;
}

/// The I420 picture of the frame a sink was last given, converted again only when it is given
/// another one: a static screen comes out of the gate as the same `Arc` at every tick, and its
/// RGBA -> I420 conversion was nearly all of what a repeated 1080p frame cost.
#[derive(Default)]
pub struct I420Cache {
    /// Weak, so the cache never keeps a frame shared (the gate redacts an unshared frame in
    /// place); it still pins the allocation, so a pointer match is the very same picture.
    last: Option<(Weak<Frame>, Yuv420)>,
}

impl I420Cache {
    /// `frame` in I420. `even`: cropped to even sides first (4:2:0 devices need them; an odd
    /// last row or column is dropped).
    pub fn of(&mut self, frame: &Arc<Frame>, even: bool) -> Result<&Yuv420> {
        let same = self
            .last
            .as_ref()
            .is_some_and(|(seen, _)| std::ptr::eq(seen.as_ptr(), Arc::as_ptr(frame)));
        if !same {
            let (w, h) = match even {
                true => (frame.width() & !1, frame.height() & !1),
                false => (frame.width(), frame.height()),
            };
            let cropped;
            let src: &Frame = if (w, h) == (frame.width(), frame.height()) {
                frame
            } else {
                cropped = frame.crop(Rect::new(0, 0, w, h))?;
                &cropped
            };
            let m = Matrix::for_height(h);
            let yuv = match self.last.take() {
                // the same size: into the old buffer, no allocation
                Some((_, mut yuv)) if (yuv.width(), yuv.height()) == (w, h) => {
                    yuv.fill_from_rgba(src, m);
                    yuv
                }
                _ => Yuv420::from_rgba(src, m),
            };
            self.last = Some((Arc::downgrade(frame), yuv));
        }
        Ok(&self.last.as_ref().expect("set above").1)
    }
}

/// YUV4MPEG2 4:2:0 to any writer (stdout).
pub struct Y4mSink<W: Write> {
    w: W,
    fps: u32,
    size: Option<(u32, u32)>,
    yuv: I420Cache,
}

impl<W: Write> Y4mSink<W> {
    pub fn new(w: W, fps: u32) -> Self {
        Y4mSink {
            w,
            fps,
            size: None,
            yuv: I420Cache::default(),
        }
    }
}

fn gone(e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Error::new(ErrorKind::Closed, "the reader of the output went away (pipe closed)")
    } else {
        Error::new(ErrorKind::Output, format!("cannot write the output: {e}"))
    }
}

impl<W: Write + Send> Sink for Y4mSink<W> {
    fn describe(&self) -> String {
        "Y4M on stdout".into()
    }

    fn write(&mut self, frame: &Arc<Frame>, _pts: Duration) -> Result<()> {
        let (w, h) = (frame.width(), frame.height());
        match self.size {
            None => {
                writeln!(self.w, "YUV4MPEG2 W{w} H{h} F{}:1 Ip A1:1 C420jpeg", self.fps).map_err(gone)?;
                self.size = Some((w, h));
            }
            Some(s) if s != (w, h) => {
                return Err(Error::new(
                    ErrorKind::Output,
                    "the source changed size; a Y4M stream cannot (restart scrim)",
                ))
            }
            _ => {}
        }
        let yuv = self.yuv.of(frame, false)?;
        self.w.write_all(b"FRAME\n").map_err(gone)?;
        self.w.write_all(yuv.data()).map_err(gone)?;
        self.w.flush().map_err(gone)
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.w.flush().map_err(gone)
    }
}

/// An encoded file (.mp4/.mkv/.mov/.webm) through ffmpeg, written atomically.
pub struct FileSink {
    path: PathBuf,
    encoder: Option<Encoder>,
    yuv: I420Cache,
}

impl FileSink {
    pub fn new(path: PathBuf) -> Result<Self> {
        crate::video::ffmpeg::format_for(&path)?;
        Ok(FileSink {
            path,
            encoder: None,
            yuv: I420Cache::default(),
        })
    }
}

impl Sink for FileSink {
    fn describe(&self) -> String {
        format!("file {}", self.path.display())
    }

    fn realtime(&self) -> bool {
        false
    }

    fn write(&mut self, frame: &Arc<Frame>, pts: Duration) -> Result<()> {
        if self.encoder.is_none() {
            let opts = EncodeOptions {
                preset: "ultrafast".into(),
                live: true,
                ..EncodeOptions::default()
            };
            self.encoder = Some(Encoder::create(None, &self.path, frame.width(), frame.height(), &opts)?);
        }
        let yuv = self.yuv.of(frame, false)?;
        self.encoder
            .as_mut()
            .expect("created above")
            .write(yuv, pts.as_millis() as i64)
    }

    fn finish(self: Box<Self>) -> Result<()> {
        match self.encoder {
            Some(e) => e.finish().map(|_| ()),
            None => Err(Error::new(ErrorKind::Output, "no frame was released; no file written")),
        }
    }
}

/// A PipeWire `Video/Source` node (the Linux virtual camera that OBS, browsers through the camera
/// portal, and GStreamer apps consume), published by GStreamer's `pipewiresink` in a
/// `gst-launch-1.0` child fed with I420 frames on a pipe.
///
/// The PipeWire daemon may restart under a running scrim (an update, a crash, the user's
/// `systemctl --user restart pipewire`): the node is gone with it, and scrim publishes it
/// again, trying every [`RECONNECT_EVERY`], with the same name, so a consumer that looks for it
/// finds it again. `pipewiresink` outlives its daemon without a word (it goes on taking
/// frames), so scrim watches the daemon's socket itself: a socket that vanished or was made
/// anew means a new daemon. Meanwhile frames are dropped and counted. A node that fails within
/// [`SETTLED`] of its first start is an error instead: PipeWire is not there at all.
pub struct PipewireSink {
    name: String,
    fps: u32,
    child: Option<std::process::Child>,
    stdin: Option<std::process::ChildStdin>,
    size: Option<(u32, u32)>,
    yuv: I420Cache,
    first_start: Option<std::time::Instant>,
    /// While the node is down: when it was last tried.
    down_since: Option<std::time::Instant>,
    last_try: Option<std::time::Instant>,
    dropped: u64,
    /// The daemon's socket the node was published through ([`daemon_identity`]), and when it
    /// was last looked at.
    daemon: Option<(u64, i64, i64)>,
    daemon_checked: std::time::Instant,
}

pub const RECONNECT_EVERY: Duration = Duration::from_millis(500);
pub const SETTLED: Duration = Duration::from_secs(3);
/// How often the daemon's socket is looked at.
const DAEMON_CHECK_EVERY: Duration = Duration::from_secs(1);

/// The PipeWire daemon's socket, as a client finds it: `$PIPEWIRE_REMOTE` (default
/// `pipewire-0`) in `$PIPEWIRE_RUNTIME_DIR`, else `$XDG_RUNTIME_DIR`.
fn daemon_socket() -> Option<PathBuf> {
    let remote = std::env::var_os("PIPEWIRE_REMOTE").unwrap_or_else(|| "pipewire-0".into());
    let remote = PathBuf::from(remote);
    if remote.is_absolute() {
        return Some(remote);
    }
    let dir = std::env::var_os("PIPEWIRE_RUNTIME_DIR").or_else(|| std::env::var_os("XDG_RUNTIME_DIR"))?;
    Some(PathBuf::from(dir).join(remote))
}

/// Which socket file the daemon listens on now (`None`: none there). Its creation time too:
/// a new daemon's socket may get the inode number of the one it replaced.
fn daemon_identity() -> Option<(u64, i64, i64)> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(daemon_socket()?).ok()?;
    Some((m.ino(), m.ctime(), m.ctime_nsec()))
}

impl PipewireSink {
    pub fn new(name: &str, fps: u32) -> Result<Self> {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
            return Err(Error::new(
                ErrorKind::Usage,
                format!("--sink pipewire:{name}: a node name is letters, digits, - _ ."),
            ));
        }
        Ok(PipewireSink {
            name: name.into(),
            fps,
            child: None,
            stdin: None,
            size: None,
            yuv: I420Cache::default(),
            first_start: None,
            down_since: None,
            last_try: None,
            dropped: 0,
            daemon: None,
            daemon_checked: std::time::Instant::now(),
        })
    }

    /// The daemon the node was published on is gone (its socket vanished or is another).
    fn daemon_replaced(&mut self) -> bool {
        if self.daemon_checked.elapsed() < DAEMON_CHECK_EVERY {
            return false;
        }
        self.daemon_checked = std::time::Instant::now();
        self.daemon.is_some() && daemon_identity() != self.daemon
    }

    /// Says once per outage that the node is down and will be published again.
    fn down(&mut self, why: &str) {
        if self.down_since.is_none() {
            eprintln!(
                "scrim: {why}; publishing node {:?} again as soon as PipeWire answers",
                self.name
            );
            self.down_since = Some(std::time::Instant::now());
        }
    }

    /// Sends `yuv` to the node, publishing it again first if it is down; frames that arrive
    /// while it cannot be published are dropped. An error only when PipeWire never worked.
    fn send(&mut self, yuv: &Yuv420) -> Result<()> {
        let (w, h) = self.size.expect("sized before sending");
        if self.stdin.is_some() && self.daemon_replaced() {
            let _ = self.failure();
            self.down("the PipeWire daemon went away");
        }
        if self.stdin.is_none() {
            let now = std::time::Instant::now();
            if self.last_try.is_some_and(|t| now.duration_since(t) < RECONNECT_EVERY) {
                self.dropped += 1;
                return Ok(());
            }
            self.last_try = Some(now);
            self.start(w, h)?;
        }
        if self.stdin.as_mut().is_some_and(|i| i.write_all(yuv.data()).is_ok()) {
            if self.down_since.take().is_some() {
                eprintln!("scrim: PipeWire node {:?} published again", self.name);
            }
            return Ok(());
        }
        let e = self.failure();
        let settled = self.first_start.is_some_and(|t| t.elapsed() >= SETTLED);
        if !settled {
            return Err(e);
        }
        self.down(&e.to_string());
        self.dropped += 1;
        Ok(())
    }

    fn start(&mut self, w: u32, h: u32) -> Result<()> {
        let props = format!(
            "props,media.class=Video/Source,node.name={},node.description=scrim-redacted,media.role=Camera",
            self.name
        );
        let mut child = crate::process::command("gst-launch-1.0")
            .args(["-q", "fdsrc", "fd=0", "!", "rawvideoparse"])
            .arg(format!("width={w}"))
            .arg(format!("height={h}"))
            .args(["format=i420"])
            .arg(format!("framerate={}/1", self.fps))
            .args(["!", "videoconvert", "!", "pipewiresink", "mode=provide"])
            .arg(format!("stream-properties={props}"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| {
                Error::new(
                    ErrorKind::Usage,
                    format!(
                        "--sink pipewire needs gst-launch-1.0 with the PipeWire plugin \
(Debian: apt-get install gstreamer1.0-tools gstreamer1.0-pipewire gstreamer1.0-plugins-base): {e}"
                    ),
                )
            })?;
        self.stdin = child.stdin.take();
        self.child = Some(child);
        self.size = Some((w, h));
        self.first_start.get_or_insert_with(std::time::Instant::now);
        self.daemon = daemon_identity();
        Ok(())
    }

    fn failure(&mut self) -> Error {
        self.stdin = None;
        let mut why = String::new();
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            if let Some(mut e) = c.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut e, &mut why);
            }
            let _ = c.wait();
        }
        let why = why.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("it exited");
        Error::new(
            ErrorKind::Output,
            format!("the PipeWire node stopped (is PipeWire running for this user?): {why}"),
        )
    }
}

impl Sink for PipewireSink {
    fn describe(&self) -> String {
        format!("PipeWire node {:?} (Video/Source)", self.name)
    }

    fn dropped(&self) -> u64 {
        self.dropped
    }

    fn write(&mut self, frame: &Arc<Frame>, _pts: Duration) -> Result<()> {
        let (w, h) = (frame.width() & !1, frame.height() & !1);
        match self.size {
            None => self.size = Some((w, h)),
            Some(s) if s != (w, h) => {
                return Err(Error::new(ErrorKind::Output, "the source changed size (restart scrim)"));
            }
            _ => {}
        }
        // the conversion is kept for a repeated picture; taken out while sending, which may
        // restart the node
        let mut cache = std::mem::take(&mut self.yuv);
        let sent = match cache.of(frame, true) {
            Ok(yuv) => self.send(yuv),
            Err(e) => Err(e),
        };
        self.yuv = cache;
        sent
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.stdin = None; // end of stream: the node goes away
        if let Some(mut c) = self.child.take() {
            let _ = c.wait();
        }
        Ok(())
    }
}

/// Builds the sink named on the command line.
pub fn open(spec: &str, fps: u32) -> Result<Box<dyn Sink>> {
    let usage = |m: String| Error::new(ErrorKind::Usage, m);
    if let Some(p) = spec.strip_prefix("file:") {
        return Ok(Box::new(FileSink::new(PathBuf::from(p))?));
    }
    if spec == "pipewire" || spec.starts_with("pipewire:") {
        let name = spec.strip_prefix("pipewire:").unwrap_or("scrim");
        return Ok(Box::new(PipewireSink::new(name, fps)?));
    }
    match spec {
        "stdout" => Ok(Box::new(Y4mSink::new(std::io::stdout(), fps))),
        s if s.starts_with("v4l2:") => Ok(Box::new(super::v4l2::V4l2Sink::open(std::path::Path::new(&s[5..]))?)),
        "window" => Ok(Box::new(super::window::WindowSink::open(super::window::DEFAULT_TITLE)?)),
        s if s.starts_with("window:") => Ok(Box::new(super::window::WindowSink::open(&s[7..])?)),
        s => Err(usage(format!(
            "--sink {s}: expected stdout, file:PATH, pipewire[:NAME], v4l2:/dev/videoN or window[:TITLE]"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn y4m_sink_writes_a_stream_the_source_reads_back() {
        let mut buf = Vec::new();
        {
            let mut s = Y4mSink::new(&mut buf, 30);
            let f = Arc::new(Frame::filled(6, 4, [0, 0, 0, 255]).unwrap());
            s.write(&f, Duration::ZERO).unwrap();
            s.write(&f, Duration::from_millis(33)).unwrap();
            // another picture at once, after the first is gone (its address cannot come back)
            drop(f);
            s.write(&Arc::new(Frame::filled(6, 4, [255; 4]).unwrap()), Duration::ZERO)
                .unwrap();
            assert!(s
                .write(&Arc::new(Frame::filled(2, 2, [0; 4]).unwrap()), Duration::ZERO)
                .is_err());
        }
        use super::super::source::{Source, Y4mSource};
        let mut src = Y4mSource::new(&buf[..]).unwrap();
        assert_eq!(src.next_frame().unwrap().unwrap().pixel(5, 3), [0, 0, 0, 255]);
        assert_eq!(src.next_frame().unwrap().unwrap().pixel(5, 3), [0, 0, 0, 255]);
        assert_eq!(src.next_frame().unwrap().unwrap().pixel(5, 3), [255, 255, 255, 255]);
        assert!(src.next_frame().unwrap().is_none());
    }

    #[test]
    fn the_i420_cache_converts_a_picture_once_and_every_other_one_again() {
        let luma =
            |f: &Frame| Yuv420::from_rgba(&f.crop(Rect::new(0, 0, 4, 2)).unwrap(), Matrix::for_height(2)).data()[0];
        let mut cache = I420Cache::default();
        let black = Arc::new(Frame::filled(5, 3, [0, 0, 0, 255]).unwrap());
        let first = cache.of(&black, true).unwrap().data().as_ptr();
        let yuv = cache.of(&black, true).unwrap();
        assert_eq!((yuv.width(), yuv.height()), (4, 2));
        assert_eq!(yuv.data().as_ptr(), first, "a repeat is not converted again");
        // equal pixels in another Arc, and a changed picture: both converted from their pixels
        let white = Arc::new(Frame::filled(5, 3, [255; 4]).unwrap());
        assert_ne!(luma(&white), luma(&black));
        assert_eq!(cache.of(&white, true).unwrap().data()[0], luma(&white));
        assert_eq!(cache.of(&black.clone(), true).unwrap().data()[0], luma(&black));
        let mut changed = (*black).clone();
        changed.data_mut()[..4].copy_from_slice(&[255; 4]);
        drop(black);
        assert_eq!(cache.of(&Arc::new(changed), true).unwrap().data()[0], luma(&white));
    }
}
