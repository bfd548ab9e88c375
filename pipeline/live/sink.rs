//! Where released frames go: Y4M on stdout (for ffmpeg and friends) or an encoded file.
//! A consumer that goes away (closed pipe) ends the run cleanly with a message; it never
//! blocks the gate's bookkeeping or makes scrim panic.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};
use crate::frame::Frame;
use crate::video::ffmpeg::{EncodeOptions, Encoder};
use crate::video::yuv::{Matrix, Yuv420};

pub trait Sink {
    fn describe(&self) -> String;
    /// `pts`: time since the first frame.
    fn write(&mut self, frame: &Frame, pts: Duration) -> Result<()>;
    /// Flushes and closes (a file is renamed into place only here).
    fn finish(self: Box<Self>) -> Result<()>;
}

/// YUV4MPEG2 4:2:0 to any writer (stdout).
pub struct Y4mSink<W: Write> {
    w: W,
    fps: u32,
    size: Option<(u32, u32)>,
}

impl<W: Write> Y4mSink<W> {
    pub fn new(w: W, fps: u32) -> Self {
        Y4mSink { w, fps, size: None }
    }
}

fn gone(e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Error::new(ErrorKind::Output, "the reader of the output went away (pipe closed)")
    } else {
        Error::new(ErrorKind::Output, format!("cannot write the output: {e}"))
    }
}

impl<W: Write> Sink for Y4mSink<W> {
    fn describe(&self) -> String {
        "Y4M on stdout".into()
    }

    fn write(&mut self, frame: &Frame, _pts: Duration) -> Result<()> {
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
        let yuv = Yuv420::from_rgba(frame, Matrix::for_height(h));
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
}

impl FileSink {
    pub fn new(path: PathBuf) -> Result<Self> {
        crate::video::ffmpeg::format_for(&path)?;
        Ok(FileSink { path, encoder: None })
    }
}

impl Sink for FileSink {
    fn describe(&self) -> String {
        format!("file {}", self.path.display())
    }

    fn write(&mut self, frame: &Frame, pts: Duration) -> Result<()> {
        if self.encoder.is_none() {
            let opts = EncodeOptions {
                preset: "ultrafast".into(),
                ..EncodeOptions::default()
            };
            self.encoder = Some(Encoder::create(None, &self.path, frame.width(), frame.height(), &opts)?);
        }
        let yuv = Yuv420::from_rgba(frame, Matrix::for_height(frame.height()));
        self.encoder
            .as_mut()
            .expect("created above")
            .write(&yuv, pts.as_millis() as i64)
    }

    fn finish(self: Box<Self>) -> Result<()> {
        match self.encoder {
            Some(e) => e.finish().map(|_| ()),
            None => Err(Error::new(ErrorKind::Output, "no frame was released; no file written")),
        }
    }
}

/// Builds the sink named on the command line.
pub fn open(spec: &str, fps: u32) -> Result<Box<dyn Sink>> {
    let usage = |m: String| Error::new(ErrorKind::Usage, m);
    if let Some(p) = spec.strip_prefix("file:") {
        return Ok(Box::new(FileSink::new(PathBuf::from(p))?));
    }
    match spec {
        "stdout" => Ok(Box::new(Y4mSink::new(std::io::stdout().lock(), fps))),
        s if s.starts_with("pipewire") || s.starts_with("v4l2") || s == "window" => Err(usage(format!(
            "--sink {s}: not in this build yet (see README, \"Not yet\"); use stdout or file:PATH, \
e.g. scrim live … --sink stdout | ffplay -"
        ))),
        s => Err(usage(format!(
            "--sink {s}: expected stdout, file:PATH, pipewire[:NAME], v4l2:/dev/videoN or window"
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
            let f = Frame::filled(6, 4, [0, 0, 0, 255]).unwrap();
            s.write(&f, Duration::ZERO).unwrap();
            s.write(&f, Duration::from_millis(33)).unwrap();
            assert!(s.write(&Frame::filled(2, 2, [0; 4]).unwrap(), Duration::ZERO).is_err());
        }
        use super::super::source::{Source, Y4mSource};
        let mut src = Y4mSource::new(&buf[..]).unwrap();
        assert_eq!(src.next_frame().unwrap().unwrap().pixel(5, 3), [0, 0, 0, 255]);
        assert!(src.next_frame().unwrap().is_some());
        assert!(src.next_frame().unwrap().is_none());
    }
}
