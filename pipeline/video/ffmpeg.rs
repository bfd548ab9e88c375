//! ffmpeg and ffprobe as subprocesses: decoding to, and encoding from, timestamped I420 frames
//! (in Matroska) over pipes. Chosen over libav bindings: the Debian ffmpeg runs as is, a crash
//! in a codec cannot take scrim down, and decoding, redaction and encoding run on different
//! cores ([`DecodeAhead`] and [`EncodeBehind`] keep a few frames buffered so they overlap).

use std::io::{BufReader, BufWriter, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, ChildStdin, ChildStdout, Stdio};
use std::thread::JoinHandle;

use serde::Deserialize;

use super::mkv::{MkvReader, MkvWriter, PixelFormat, TimedFrame};
use super::yuv::Yuv420;
use crate::error::{Error, ErrorKind, Result};
use crate::partial::Partial;
use crate::process::{command, describe_exit};

pub const INSTALL_HINT: &str = "install ffmpeg (Debian: `apt-get install ffmpeg`)";

/// What ffprobe says about an input.
#[derive(Debug, Clone, Default)]
pub struct Probe {
    pub width: u32,
    pub height: u32,
    /// Nominal frame rate (frames per second), 0 when unknown.
    pub fps: f64,
    pub duration_s: f64,
    /// Frame count if the container states it, else an estimate from duration and rate.
    pub frames_estimate: u64,
    pub video_codec: String,
    pub audio_streams: usize,
    pub subtitle_streams: usize,
}

#[derive(Deserialize)]
struct ProbeJson {
    #[serde(default)]
    streams: Vec<StreamJson>,
    format: Option<FormatJson>,
}

#[derive(Deserialize)]
struct StreamJson {
    codec_type: Option<String>,
    codec_name: Option<String>,
    width: Option<u32>,
    height: Option<u32>,
    avg_frame_rate: Option<String>,
    nb_frames: Option<String>,
    duration: Option<String>,
}

#[derive(Deserialize)]
struct FormatJson {
    duration: Option<String>,
}

fn spawn_error(tool: &str, e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        Error::new(ErrorKind::Usage, format!("`{tool}` not found: {INSTALL_HINT}"))
    } else {
        Error::new(ErrorKind::Output, format!("cannot start {tool}: {e}"))
    }
}

fn rate(s: &str) -> f64 {
    match s.split_once('/') {
        Some((n, d)) => {
            let (n, d): (f64, f64) = (n.parse().unwrap_or(0.0), d.parse().unwrap_or(0.0));
            if d > 0.0 {
                n / d
            } else {
                0.0
            }
        }
        None => s.parse().unwrap_or(0.0),
    }
}

pub fn probe(input: &Path) -> Result<Probe> {
    if !input.is_file() {
        return Err(Error::new(
            ErrorKind::BadInput,
            format!("{}: no such file", input.display()),
        ));
    }
    let out = command("ffprobe")
        .args(["-v", "error", "-show_streams", "-show_format", "-of", "json"])
        .arg(input)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| spawn_error("ffprobe", e))?;
    let unreadable = |why: &str| {
        Error::new(
            ErrorKind::BadInput,
            format!("{}: not a readable video ({why})", input.display()),
        )
    };
    if !out.status.success() {
        return Err(unreadable(last_line(&String::from_utf8_lossy(&out.stderr)).trim()));
    }
    let j: ProbeJson = serde_json::from_slice(&out.stdout).map_err(|e| unreadable(&e.to_string()))?;
    let v = j
        .streams
        .iter()
        .find(|s| s.codec_type.as_deref() == Some("video"))
        .ok_or_else(|| unreadable("no video stream"))?;
    let count = |t: &str| j.streams.iter().filter(|s| s.codec_type.as_deref() == Some(t)).count();
    let fps = v.avg_frame_rate.as_deref().map(rate).unwrap_or(0.0);
    let duration_s = v
        .duration
        .as_deref()
        .or(j.format.as_ref().and_then(|f| f.duration.as_deref()))
        .and_then(|d| d.parse().ok())
        .unwrap_or(0.0);
    let frames_estimate = v
        .nb_frames
        .as_deref()
        .and_then(|n| n.parse().ok())
        .unwrap_or((duration_s * fps).round() as u64);
    Ok(Probe {
        width: v.width.unwrap_or(0),
        height: v.height.unwrap_or(0),
        fps,
        duration_s,
        frames_estimate,
        video_codec: v.codec_name.clone().unwrap_or_default(),
        audio_streams: count("audio"),
        subtitle_streams: count("subtitle"),
    })
}

fn last_line(s: &str) -> &str {
    s.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no message")
}

/// Collects a child's stderr on a thread, so a chatty ffmpeg never blocks on a full pipe.
fn drain(stderr: ChildStderr) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut s = String::new();
        let _ = BufReader::new(stderr).read_to_string(&mut s);
        s
    })
}

/// What a drained stderr said (empty if it was never drained).
fn collect_log(h: Option<JoinHandle<String>>) -> String {
    h.map(|h| h.join().unwrap_or_default()).unwrap_or_default()
}

/// Decoded frames of the first video stream, in presentation order, with their timestamps.
pub struct Decoder {
    child: Child,
    reader: MkvReader<BufReader<ChildStdout>>,
    stderr: Option<JoinHandle<String>>,
}

impl Decoder {
    pub fn open(input: &Path) -> Result<Decoder> {
        Decoder::spawn(&[std::ffi::OsStr::new("-i"), input.as_os_str()])
    }

    /// Any ffmpeg input (e.g. `-f x11grab -i :1`), decoded to timestamped I420.
    pub fn spawn<S: AsRef<std::ffi::OsStr>>(input_args: &[S]) -> Result<Decoder> {
        let mut child = command("ffmpeg")
            .args(["-v", "error", "-nostdin"])
            .args(input_args)
            .args([
                "-map",
                "0:v:0",
                "-fps_mode",
                "passthrough",
                "-c:v",
                "rawvideo",
                "-pix_fmt",
                "yuv420p",
                "-f",
                "matroska",
                // Matroska's CRC-32 elements over every 3 MB raw frame cost ffmpeg ~3.5 ms a
                // 1080p frame (a tenth of a core at 30 fps); a pipe needs no checksum
                "-write_crc32",
                "0",
                "pipe:1",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| spawn_error("ffmpeg", e))?;
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = drain(child.stderr.take().expect("piped stderr"));
        Ok(Decoder {
            child,
            reader: MkvReader::new(BufReader::with_capacity(1 << 20, stdout)),
            stderr: Some(stderr),
        })
    }

    /// The next frame (I420) and its time in ms; `Ok(None)` at a clean end. A decoder failure
    /// is an error carrying ffmpeg's own message.
    pub fn next_frame(&mut self) -> Result<Option<(Yuv420, i64)>> {
        match self.reader.next_frame() {
            Ok(Some(TimedFrame { data, pts_ms })) => {
                if self.reader.format() != Some(PixelFormat::I420) {
                    return Err(Error::new(ErrorKind::BadInput, "decoder did not produce I420"));
                }
                let (w, h) = self.reader.size();
                Ok(Some((Yuv420::new(w, h, data)?, pts_ms)))
            }
            Ok(None) => {
                let status = self
                    .child
                    .wait()
                    .map_err(|e| Error::new(ErrorKind::BadInput, e.to_string()))?;
                let log = collect_log(self.stderr.take());
                if status.success() {
                    Ok(None)
                } else {
                    Err(Error::new(
                        ErrorKind::BadInput,
                        format!("decoding failed: {}", last_line(&log).trim()),
                    ))
                }
            }
            Err(e) => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                let log = collect_log(self.stderr.take());
                let why = if log.trim().is_empty() {
                    e.to_string()
                } else {
                    last_line(&log).trim().to_string()
                };
                Err(Error::new(ErrorKind::BadInput, format!("decoding failed: {why}")))
            }
        }
    }
}

impl Drop for Decoder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Output encoding choices.
#[derive(Debug, Clone)]
pub struct EncodeOptions {
    /// x264/VP9 constant-quality value: lower is better and bigger.
    pub crf: u32,
    /// x264 preset.
    pub preset: String,
    /// A live recording: an MP4 is fragmented (a file cut short, by a full disk or a crash,
    /// plays up to where it was cut; Matroska always does), and when encoding fails what was
    /// written is kept as the result rather than removed. A recording of a file is all or
    /// nothing instead: it can be made again.
    pub live: bool,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        EncodeOptions {
            crf: 20,
            preset: "veryfast".into(),
            live: false,
        }
    }
}

/// Container format for an output path, from its extension.
pub fn format_for(path: &Path) -> Result<&'static str> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    Ok(match ext.as_str() {
        "mp4" | "m4v" => "mp4",
        "mov" => "mov",
        "mkv" => "matroska",
        "webm" => "webm",
        _ => {
            return Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "{}: unsupported video output type (use .mp4, .mov, .mkv or .webm)",
                    path.display()
                ),
            ))
        }
    })
}

/// Is this path a video scrim should redact through ffmpeg (by extension)?
pub fn is_video_path(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        ext.as_str(),
        "mp4"
            | "m4v"
            | "mov"
            | "mkv"
            | "webm"
            | "avi"
            | "ts"
            | "mts"
            | "flv"
            | "wmv"
            | "mpg"
            | "mpeg"
            | "ogv"
            | "3gp"
            | "y4m"
            | "gif"
    )
}

/// Encodes redacted frames into `output`, copying the audio and subtitle streams of `source`
/// untouched. Writes to a temporary name beside `output` and renames only in [`Encoder::finish`].
pub struct Encoder {
    child: Child,
    writer: Option<MkvWriter<BufWriter<ChildStdin>>>,
    stderr: Option<JoinHandle<String>>,
    /// Removed when the encoder is dropped unfinished.
    partial: Partial,
    output: PathBuf,
    /// Why ffmpeg stopped, once it did: every later call fails with it again.
    failed: Option<String>,
    /// Keep what was written when encoding fails ([`EncodeOptions::live`]).
    keep_on_failure: bool,
}

impl Encoder {
    /// `source`: the recording whose audio and subtitles are copied (none for live output).
    pub fn create(
        source: Option<&Path>,
        output: &Path,
        width: u32,
        height: u32,
        opts: &EncodeOptions,
    ) -> Result<Encoder> {
        let format = format_for(output)?;
        let partial = Partial::create(output)?;
        let mut cmd = command("ffmpeg");
        cmd.args(["-v", "error", "-nostdin", "-y", "-f", "matroska", "-i", "pipe:0"]);
        if let Some(source) = source {
            cmd.arg("-i")
                .arg(source)
                .args([
                    "-map", "0:v:0", "-map", "1:a?", "-map", "1:s?", "-c:a", "copy", "-c:s", "copy",
                ])
                // global metadata is kept, but not what names or describes the content
                .args(["-map_metadata", "1", "-map_chapters", "-1"]);
        }
        cmd.args([
            "-metadata",
            "title=",
            "-metadata",
            "comment=",
            "-metadata",
            "description=",
        ])
        .args([
            "-metadata",
            "synopsis=",
            "-metadata",
            "location=",
            "-metadata",
            "com.apple.quicktime.location.ISO6709=",
        ])
        .args(["-fps_mode", "passthrough"]);
        if format == "webm" {
            cmd.args([
                "-c:v",
                "libvpx-vp9",
                "-b:v",
                "0",
                "-row-mt",
                "1",
                "-deadline",
                "realtime",
                "-cpu-used",
                "8",
            ])
            .args(["-crf", &(opts.crf + 12).min(63).to_string()]);
        } else {
            cmd.args([
                "-c:v",
                "libx264",
                "-preset",
                &opts.preset,
                "-crf",
                &opts.crf.to_string(),
            ]);
            if format != "matroska" && opts.live {
                // a fragment a second, each complete on its own
                cmd.args([
                    "-movflags",
                    "+empty_moov+default_base_moof",
                    "-frag_duration",
                    "1000000",
                ]);
            } else if format != "matroska" {
                cmd.args(["-movflags", "+faststart"]);
            }
        }
        // 4:2:0 needs even sizes: pad odd ones by a row/column rather than lose pixels
        if width % 2 == 1 || height % 2 == 1 {
            cmd.args(["-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2"]);
        }
        // ffmpeg writes the file scrim created, through its open descriptor (`-y`: it exists)
        let target = partial.hand_to(&mut cmd);
        cmd.args(["-pix_fmt", "yuv420p", "-f", format]).arg(target);
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| spawn_error("ffmpeg", e))?;
        partial.written_by(child.id());
        let stdin = child.stdin.take().expect("piped stdin");
        let stderr = drain(child.stderr.take().expect("piped stderr"));
        let mut enc = Encoder {
            child,
            writer: None,
            stderr: Some(stderr),
            partial,
            output: output.to_path_buf(),
            failed: None,
            keep_on_failure: opts.live,
        };
        match MkvWriter::new(
            BufWriter::with_capacity(1 << 20, stdin),
            width,
            height,
            PixelFormat::I420,
        ) {
            Ok(w) => enc.writer = Some(w),
            Err(_) => return Err(enc.failure("the encoder did not start")),
        }
        Ok(enc)
    }

    pub fn write(&mut self, frame: &Yuv420, pts_ms: i64) -> Result<()> {
        let ok = match self.writer.as_mut() {
            Some(w) => w.write(frame.data(), pts_ms).is_ok(),
            None => false,
        };
        if !ok {
            return Err(self.failure("the encoder (ffmpeg) stopped accepting frames"));
        }
        Ok(())
    }

    /// Closes the stream, waits for ffmpeg and renames the finished file into place.
    pub fn finish(mut self) -> Result<PathBuf> {
        let closed = match self.writer.take() {
            Some(w) => w.finish().is_ok(),
            None => false,
        };
        if !closed {
            return Err(self.failure("the encoder (ffmpeg) stopped accepting frames"));
        }
        let status = self.child.wait();
        self.partial.writer_reaped();
        let status = status.map_err(|e| Error::new(ErrorKind::Output, e.to_string()))?;
        if !status.success() {
            return Err(self.failure("encoding (ffmpeg) failed"));
        }
        self.partial.complete(&self.output)?;
        Ok(self.output.clone())
    }

    /// Stops ffmpeg and builds an error from its last words (disk full, bad stream copy, …) or
    /// how it ended (a signal); the first failure is kept and returned by every later call.
    fn failure(&mut self, what: &str) -> Error {
        if self.failed.is_none() {
            self.writer = None;
            let status = self.child.wait();
            self.partial.writer_reaped();
            let log = collect_log(self.stderr.take());
            let why = match status {
                Ok(s) if log.trim().is_empty() => describe_exit(s),
                _ => last_line(&log).trim().to_string(),
            };
            let mut msg = format!("{what} writing {}: {why}", self.output.display());
            if self.keep_on_failure {
                msg += &self.keep_written();
            }
            self.failed = Some(msg);
        }
        Error::new(ErrorKind::Output, self.failed.clone().unwrap_or_default())
    }
}

impl Encoder {
    /// After a failure, ffmpeg stopped: what it wrote becomes the result, if anything. Says so
    /// (to be appended to the error).
    fn keep_written(&mut self) -> String {
        let written = self.partial.file().metadata().map_or(0, |m| m.len());
        if written == 0 {
            return String::new();
        }
        match self.partial.complete(&self.output) {
            Ok(()) => format!("; the recording up to then is kept in {}", self.output.display()),
            Err(e) => format!("; the recording up to then could not be kept either: {e}"),
        }
    }
}

impl Drop for Encoder {
    fn drop(&mut self) {
        if self.failed.is_none() {
            // unfinished (or finished, and then this changes nothing): stop ffmpeg before the
            // partial output is removed, so it cannot write it again
            self.writer = None;
            let _ = self.child.kill();
            let _ = self.child.wait();
            self.partial.writer_reaped();
        }
    }
}

/// Frames buffered between ffmpeg and scrim in each direction. A 1080p I420 frame is 3 MB and a
/// pipe holds 64 KB, so without these the decoder could not decode the next frame, nor the
/// encoder take the last one, while scrim analyses: the three would run in turn, not side by side.
const AHEAD: usize = 3;

/// A [`Decoder`] on its own thread, decoding up to [`AHEAD`] frames ahead of the reader.
pub struct DecodeAhead {
    frames: std::sync::mpsc::Receiver<Result<Option<(Yuv420, i64)>>>,
    ended: bool,
}

impl DecodeAhead {
    pub fn new(mut decoder: Decoder) -> Self {
        let (tx, frames) = std::sync::mpsc::sync_channel(AHEAD);
        // not joined: when the reader goes away the next send fails and the thread ends,
        // dropping the decoder (which stops ffmpeg)
        std::thread::spawn(move || loop {
            let next = decoder.next_frame();
            let last = !matches!(next, Ok(Some(_)));
            if tx.send(next).is_err() || last {
                break;
            }
        });
        DecodeAhead { frames, ended: false }
    }

    /// As [`Decoder::next_frame`].
    pub fn next_frame(&mut self) -> Result<Option<(Yuv420, i64)>> {
        if self.ended {
            return Ok(None);
        }
        let next = self.frames.recv().unwrap_or_else(|_| {
            Err(Error::new(
                ErrorKind::BadInput,
                "decoding failed: the decoder thread stopped",
            ))
        });
        self.ended = !matches!(next, Ok(Some(_)));
        next
    }
}

/// An [`Encoder`] on its own thread, taking up to [`AHEAD`] frames before the writer waits.
/// Dropped without [`EncodeBehind::finish`], it stops ffmpeg and removes the partial output
/// before the drop returns (so a process that exits right after leaves nothing behind).
pub struct EncodeBehind {
    frames: Option<std::sync::mpsc::SyncSender<ToEncoder>>,
    thread: Option<JoinHandle<Result<PathBuf>>>,
}

enum ToEncoder {
    Frame(Yuv420, i64),
    Finish,
}

impl EncodeBehind {
    pub fn new(mut encoder: Encoder) -> Self {
        let (tx, rx) = std::sync::mpsc::sync_channel(AHEAD);
        let thread = std::thread::spawn(move || {
            for msg in rx {
                match msg {
                    ToEncoder::Frame(frame, pts_ms) => encoder.write(&frame, pts_ms)?,
                    ToEncoder::Finish => return encoder.finish(),
                }
            }
            // the writer went away without finishing: dropping the encoder removes the output
            Err(Error::new(ErrorKind::Interrupted, "the recording was not finished"))
        });
        EncodeBehind {
            frames: Some(tx),
            thread: Some(thread),
        }
    }

    /// Queues a frame; an error is the encoder's, from this frame or an earlier one.
    pub fn write(&mut self, frame: Yuv420, pts_ms: i64) -> Result<()> {
        let tx = self.frames.as_ref().expect("open until finish");
        if tx.send(ToEncoder::Frame(frame, pts_ms)).is_err() {
            return Err(self.join());
        }
        Ok(())
    }

    /// Waits for every queued frame to be encoded, then as [`Encoder::finish`].
    pub fn finish(mut self) -> Result<PathBuf> {
        let tx = self.frames.take().expect("open until finish");
        if tx.send(ToEncoder::Finish).is_err() {
            return Err(self.join());
        }
        drop(tx);
        let thread = self.thread.take().expect("joined once");
        thread
            .join()
            .unwrap_or_else(|_| Err(Error::new(ErrorKind::Output, "the encoder thread panicked")))
    }

    /// The thread's error, once it has stopped.
    fn join(&mut self) -> Error {
        self.frames = None;
        match self.thread.take().map(|t| t.join()) {
            Some(Ok(Err(e))) => e,
            _ => Error::new(ErrorKind::Output, "the encoder stopped"),
        }
    }
}

impl Drop for EncodeBehind {
    fn drop(&mut self) {
        self.frames = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
