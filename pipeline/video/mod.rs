//! Redacting recordings: ffmpeg decodes, the [`StreamAnalyzer`] analyses what changed in each
//! frame (every changed part, before the frame is written: offline there is no deadline, so
//! nothing is ever shown unanalysed and nothing needs covering), the redactor covers the
//! findings, and ffmpeg encodes, copying audio and subtitles untouched.

pub mod ffmpeg;
pub mod mkv;
pub mod report;
pub mod tracks;
pub mod yuv;

use std::io::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::camera::CameraFilter;
use crate::error::{Error, ErrorKind, Result};
use crate::frame::{Frame, Rect};
use crate::policy::Policy;
use crate::redact::Redactor;
use crate::report::preview;
use crate::resize::resize_rgba;
use crate::stream::StreamAnalyzer;

pub use ffmpeg::{is_video_path, EncodeOptions, Probe};
use report::{Thumbnail, VideoReport};
use tracks::Tracker;

/// Per-channel difference that decoded video may show on a static screen without counting as
/// a change (compression noise). Text on a screen differs from its background by far more.
pub const VIDEO_NOISE_TOLERANCE: u8 = 12;

/// Thumbnails in the HTML report: width, and how many track starts get one.
const THUMB_WIDTH: u32 = 480;
const MAX_THUMBS: usize = 48;

/// Where the job is, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub frame: u64,
    pub frames_estimate: u64,
}

/// What a recording is analysed for: a screen (text, with temporal reuse) or a camera (faces,
/// background, whiteboards; every frame, since a camera's pixels all change).
pub enum Analysis<'a> {
    Screen(&'a mut StreamAnalyzer),
    Camera(&'a mut CameraFilter),
}

pub struct VideoJob<'a> {
    pub input: &'a Path,
    pub output: &'a Path,
    pub policy: &'a Policy,
    pub encode: EncodeOptions,
    pub exhaustive: bool,
    /// Set from a Ctrl-C handler: the job stops and leaves no output.
    pub stop: &'a AtomicBool,
    /// Per-frame statistics as JSON lines (stage times, bands analysed; never text).
    pub stats: Option<&'a mut dyn std::io::Write>,
}

impl VideoJob<'_> {
    pub fn run(
        &mut self,
        mut analysis: Analysis<'_>,
        redactor: &mut dyn Redactor,
        mut progress: impl FnMut(Progress),
    ) -> Result<VideoReport> {
        let started = Instant::now();
        if self.input.canonicalize().ok() == self.output.canonicalize().ok() && self.output.exists() {
            return Err(Error::new(ErrorKind::Usage, "output would overwrite the input"));
        }
        let probe = ffmpeg::probe(self.input)?;
        let mut decoder = ffmpeg::DecodeAhead::new(ffmpeg::Decoder::open(self.input)?);
        let mut encoder: Option<ffmpeg::EncodeBehind> = None;
        let mut tracker = Tracker::default();
        let mut thumbs: Vec<Thumbnail> = Vec::new();
        let (mut frames, mut analysed_frames, mut analysed_px, mut total_px) = (0u64, 0u64, 0u64, 0u64);
        let mut damaged_tail = None;
        let mut size = (0, 0);
        let mut last_ms = 0i64;
        let mut times = report::Timings::default();
        let mut spare: Option<Frame> = None;
        let mut mirror: Option<ScreenFrames> = None;
        loop {
            if self.stop.load(Ordering::Relaxed) {
                return Err(Error::new(ErrorKind::Interrupted, "interrupted: no output written"));
            }
            let t = Instant::now();
            let next = match decoder.next_frame() {
                Ok(n) => n,
                // a damaged tail: keep what decoded, say so (documented in the README)
                Err(e) if frames > 0 && e.kind() == ErrorKind::BadInput => {
                    damaged_tail = Some(e.to_string());
                    None
                }
                Err(e) => return Err(e.with_path(self.input)),
            };
            times.decode += t.elapsed();
            let Some((mut yuv, pts_ms)) = next else { break };
            let matrix = yuv::Matrix::for_height(yuv.height());
            let t = Instant::now();
            let mut frame = match (&analysis, spare.take()) {
                // a screen changes little from frame to frame: convert only what changed
                (Analysis::Screen(_), _) => Decoded::Screen(match mirror.take() {
                    Some(mut m) if m.fits(&yuv) => {
                        m.update(&yuv, matrix);
                        m
                    }
                    _ => ScreenFrames::new(&yuv, matrix),
                }),
                (Analysis::Camera(_), Some(mut f)) if (f.width(), f.height()) == (yuv.width(), yuv.height()) => {
                    yuv.to_rgba_into(matrix, &mut f);
                    Decoded::Camera(f)
                }
                (Analysis::Camera(_), _) => Decoded::Camera(yuv.to_rgba(matrix)),
            };
            let convert = t.elapsed();
            times.convert += convert;
            let convert_ms = ms(convert);
            let (w, h) = frame.size();
            if encoder.is_none() {
                size = (w, h);
                let e = ffmpeg::Encoder::create(Some(self.input), self.output, w, h, &self.encode)?;
                encoder = Some(ffmpeg::EncodeBehind::new(e));
            }
            if (w, h) != size {
                return Err(Error::new(
                    ErrorKind::BadInput,
                    "the video changes size mid-stream; scrim does not support that yet",
                )
                .with_path(self.input));
            }
            let t = Instant::now();
            let (regions, line) = match (&mut analysis, &mut frame) {
                (Analysis::Screen(analyzer), Decoded::Screen(screen)) => {
                    let (regions, work) = analyzer.analyse(&screen.clean)?;
                    times.analyse += t.elapsed();
                    if !work.bands.is_empty() {
                        analysed_frames += 1;
                    }
                    analysed_px += work.analysed_pixels;
                    let regions = regions.to_vec();
                    let redactions = self.policy.redaction.redactions(&screen.clean, &regions);
                    let t = Instant::now();
                    redactor.apply(&mut screen.redacted, &redactions)?;
                    // only the redacted regions go back: everything else stays exactly as decoded
                    screen.stale = redactions.iter().map(|r| r.rect).collect();
                    yuv.patch_from_rgba(&screen.redacted, &screen.stale, matrix);
                    times.redact += t.elapsed();
                    let line = serde_json::json!({
                        "frame": frames, "pts_ms": pts_ms, "convert_ms": convert_ms, "bands": work.bands.len(),
                        "analysed_px": work.analysed_pixels, "scroll_dy": work.scroll.map(|s| s.dy),
                        "compare_ms": ms(work.compare), "detect_ms": ms(work.times.detect),
                        "recognize_ms": ms(work.times.recognize), "classify_ms": ms(work.times.classify),
                        "regions": regions.len(),
                    });
                    (regions, line)
                }
                (Analysis::Camera(camera), Decoded::Camera(frame)) => {
                    let regions = camera.process(frame, redactor)?;
                    let c = camera.times;
                    times.analyse += c.faces + c.segment + c.whiteboards;
                    times.redact += c.composite + c.redact;
                    analysed_frames += 1;
                    analysed_px += frame.bounds().area();
                    let t = Instant::now();
                    if camera.config().background.is_some() {
                        yuv.fill_from_rgba(frame, matrix);
                    } else {
                        let rects: Vec<_> = regions.iter().map(|r| r.rect).collect();
                        yuv.patch_from_rgba(frame, &rects, matrix);
                    }
                    // the write-back counts as redaction, as on the screen path
                    times.redact += t.elapsed();
                    let line = serde_json::json!({
                        "frame": frames, "pts_ms": pts_ms, "faces_ms": ms(c.faces),
                        "segment_ms": ms(c.segment), "whiteboards_ms": ms(c.whiteboards),
                        "composite_ms": ms(c.composite), "redact_ms": ms(c.redact),
                        "regions": regions.len(),
                    });
                    (regions, line)
                }
                _ => unreachable!("frames are decoded for the job's analysis"),
            };
            let redacted = frame.redacted();
            total_px += redacted.bounds().area();
            let started_tracks = tracker.update(frames, pts_ms, &regions);
            if !started_tracks.is_empty() && thumbs.len() < MAX_THUMBS {
                thumbs.push(thumbnail(redacted, &regions, frames, pts_ms, started_tracks)?);
            }
            let t = Instant::now();
            encoder
                .as_mut()
                .expect("created with the first frame")
                .write(yuv, pts_ms)?;
            times.encode += t.elapsed();
            if let Some(out) = self.stats.as_mut() {
                writeln!(out, "{line}")
                    .map_err(|e| Error::new(ErrorKind::Output, format!("cannot write stats: {e}")))?;
            }
            last_ms = pts_ms;
            frames += 1;
            match frame {
                Decoded::Screen(s) => mirror = Some(s),
                Decoded::Camera(f) => spare = Some(f),
            }
            progress(Progress {
                frame: frames,
                frames_estimate: probe.frames_estimate.max(frames),
            });
        }
        let Some(encoder) = encoder else {
            return Err(Error::new(ErrorKind::BadInput, "the video has no decodable frames").with_path(self.input));
        };
        let output = encoder.finish()?;
        let wall = started.elapsed();
        let tracks = tracker.finish();
        let analysed_pixel_fraction = analysed_px as f64 / total_px.max(1) as f64;
        Ok(VideoReport {
            scrim_version: env!("CARGO_PKG_VERSION"),
            input: self.input.to_path_buf(),
            output,
            width: size.0,
            height: size.1,
            frames,
            duration_s: last_ms as f64 / 1e3,
            analysed_frames,
            analysed_pixel_fraction,
            exhaustive: self.exhaustive,
            backend: redactor.backend(),
            wall_s: wall.as_secs_f64(),
            fps: frames as f64 / wall.as_secs_f64().max(1e-9),
            timings_s: times,
            audio_streams: probe.audio_streams,
            subtitle_streams: probe.subtitle_streams,
            damaged_tail,
            tracks,
            thumbnails: thumbs,
        })
    }
}

/// A decoded frame as RGBA, in the form its analysis wants.
enum Decoded {
    Screen(ScreenFrames),
    /// Redacted in place (a camera's pixels all change every frame, so nothing is kept).
    Camera(Frame),
}

impl Decoded {
    fn size(&self) -> (u32, u32) {
        let f = self.redacted();
        (f.width(), f.height())
    }

    fn redacted(&self) -> &Frame {
        match self {
            Decoded::Screen(s) => &s.redacted,
            Decoded::Camera(f) => f,
        }
    }
}

/// A screen recording's frames as RGBA, kept in step with the decoder by converting only the
/// rows whose YUV bytes changed: `clean` as decoded (what is analysed), `redacted` the same
/// plus this frame's redactions, `stale` where the two differ.
struct ScreenFrames {
    prev: Vec<u8>,
    clean: Frame,
    redacted: Frame,
    stale: Vec<Rect>,
}

impl ScreenFrames {
    fn new(yuv: &yuv::Yuv420, m: yuv::Matrix) -> Self {
        let clean = yuv.to_rgba(m);
        ScreenFrames {
            prev: yuv.data().to_vec(),
            redacted: clean.clone(),
            clean,
            stale: Vec::new(),
        }
    }

    fn fits(&self, yuv: &yuv::Yuv420) -> bool {
        (self.clean.width(), self.clean.height()) == (yuv.width(), yuv.height())
    }

    fn update(&mut self, yuv: &yuv::Yuv420, m: yuv::Matrix) {
        let w = self.clean.width();
        for (r0, r1) in yuv.update_rgba(m, &mut self.prev, &mut self.clean) {
            self.redacted.copy_rect_from(&self.clean, Rect::new(0, r0, w, r1 - r0));
        }
        // undo the last frame's redactions: redactors write inside their rects only
        for r in self.stale.drain(..) {
            self.redacted.copy_rect_from(&self.clean, r);
        }
    }
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// A small redacted picture of the frame where tracks start, their boxes outlined.
fn thumbnail(
    frame: &Frame,
    regions: &[crate::region::Region],
    index: u64,
    pts_ms: i64,
    tracks: Vec<usize>,
) -> Result<Thumbnail> {
    let outlined = preview(frame, regions);
    let w = THUMB_WIDTH.min(frame.width());
    let h = ((frame.height() as u64 * w as u64) / frame.width() as u64).max(1) as u32;
    let mut resizer = fast_image_resize::Resizer::new();
    let small = Frame::new(w, h, resize_rgba(&mut resizer, &outlined, outlined.bounds(), w, h)?)?;
    Ok(Thumbnail {
        frame: index,
        time_s: pts_ms as f64 / 1e3,
        tracks,
        png: crate::imageio::encode(&small, image::ImageFormat::Png)?,
    })
}
