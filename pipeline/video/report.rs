//! The report of a redacted recording: JSON for programs, and one self-contained HTML page for a
//! reviewer (a timeline of redaction tracks and redacted thumbnails where tracks start). Neither
//! contains any redacted text: categories, frames and boxes only.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use super::tracks::Track;
use crate::classify::Category;
use crate::error::Result;
use crate::imageio::write_atomic;
use crate::report::category_colour;

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Timings {
    #[serde(serialize_with = "secs")]
    pub decode: Duration,
    /// I420 to RGBA for analysis.
    #[serde(serialize_with = "secs")]
    pub convert: Duration,
    #[serde(serialize_with = "secs")]
    pub analyse: Duration,
    #[serde(serialize_with = "secs")]
    pub redact: Duration,
    #[serde(serialize_with = "secs")]
    pub encode: Duration,
}

fn secs<S: serde::Serializer>(d: &Duration, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1e3).round() / 1e3)
}

#[derive(Debug, Clone, Serialize)]
pub struct Thumbnail {
    pub frame: u64,
    pub time_s: f64,
    pub tracks: Vec<usize>,
    #[serde(skip)]
    pub png: Vec<u8>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VideoReport {
    pub scrim_version: &'static str,
    pub input: PathBuf,
    pub output: PathBuf,
    pub width: u32,
    pub height: u32,
    pub frames: u64,
    pub duration_s: f64,
    /// Frames in which something changed and was analysed (the rest reused earlier verdicts).
    pub analysed_frames: u64,
    /// Share of all decoded pixels that went through OCR.
    pub analysed_pixel_fraction: f64,
    pub exhaustive: bool,
    pub backend: String,
    pub wall_s: f64,
    pub fps: f64,
    /// Time per stage in seconds (decode/encode: time spent waiting on ffmpeg).
    pub timings_s: Timings,
    pub audio_streams: usize,
    pub subtitle_streams: usize,
    pub damaged_tail: Option<String>,
    pub tracks: Vec<Track>,
    pub thumbnails: Vec<Thumbnail>,
}

impl VideoReport {
    pub fn counts(&self) -> BTreeMap<Category, usize> {
        let mut c = BTreeMap::new();
        for t in &self.tracks {
            *c.entry(t.category).or_insert(0) += 1;
        }
        c
    }

    pub fn write_json(&self, path: &Path) -> Result<()> {
        let json = serde_json::to_vec_pretty(self).expect("report serialises");
        write_atomic(path, &json)
    }

    pub fn write_html(&self, path: &Path) -> Result<()> {
        write_atomic(path, self.html().as_bytes())
    }

    pub fn html(&self) -> String {
        let mut h = String::new();
        let esc = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
        };
        let _ = write!(
            h,
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>scrim report</title>\
<style>body{{font:14px system-ui,sans-serif;margin:2em;color:#222}}table{{border-collapse:collapse}}\
td,th{{padding:2px 8px;text-align:left}}.thumbs{{display:flex;flex-wrap:wrap;gap:12px}}\
figure{{margin:0}}figcaption{{font-size:12px;color:#555}}.sw{{display:inline-block;width:10px;height:10px;margin-right:4px}}</style>\
</head><body><h1>scrim: redacted recording</h1><p>{} &rarr; {}<br>{}x{}, {} frames, {:.1} s; \
{} frames analysed ({:.1}% of pixels through OCR{}); redaction on {}; {:.1} frames/s.</p>",
            esc(&self.input.display().to_string()),
            esc(&self.output.display().to_string()),
            self.width,
            self.height,
            self.frames,
            self.duration_s,
            self.analysed_frames,
            self.analysed_pixel_fraction * 100.0,
            if self.exhaustive { ", exhaustive" } else { "" },
            esc(&self.backend),
            self.fps
        );
        if let Some(d) = &self.damaged_tail {
            let _ = write!(h, "<p><b>Warning:</b> the input's end could not be decoded ({}); the output holds every frame before it.</p>", esc(d));
        }
        let _ = write!(h, "<h2>Counts</h2><table>");
        for (c, n) in self.counts() {
            let [r, g, b] = category_colour(c);
            let _ = write!(
                h,
                "<tr><td><span class=sw style=\"background:rgb({r},{g},{b})\"></span>{}</td><td>{n}</td></tr>",
                c.as_str()
            );
        }
        let _ = write!(h, "</table>");
        // timeline: one row per track, x = time
        let (tw, row) = (900.0f64, 8.0f64);
        let rows = self.tracks.len().min(400);
        let total = (self.frames.max(1)) as f64;
        let _ = write!(
            h,
            "<h2>Timeline</h2><svg width=\"{}\" height=\"{}\" style=\"border:1px solid #ccc\">",
            tw,
            rows as f64 * row + 20.0
        );
        for (i, t) in self.tracks.iter().take(rows).enumerate() {
            let [r, g, b] = category_colour(t.category);
            let x = t.first_frame as f64 / total * tw;
            let w = ((t.last_frame + 1 - t.first_frame) as f64 / total * tw).max(2.0);
            let _ = write!(
                h,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"rgb({r},{g},{b})\"><title>track {} {}: frames {}-{}</title></rect>",
                i as f64 * row + 2.0,
                row - 2.0,
                t.id,
                t.category.as_str(),
                t.first_frame,
                t.last_frame
            );
        }
        let _ = write!(
            h,
            "<text x=\"2\" y=\"{:.0}\" font-size=\"11\">0 s</text><text x=\"{:.0}\" y=\"{:.0}\" font-size=\"11\" text-anchor=\"end\">{:.1} s</text></svg>",
            rows as f64 * row + 16.0,
            tw - 2.0,
            rows as f64 * row + 16.0,
            self.duration_s
        );
        let _ = write!(h, "<h2>Where tracks start</h2><div class=thumbs>");
        for t in &self.thumbnails {
            let cats: Vec<&str> = t
                .tracks
                .iter()
                .filter_map(|id| self.tracks.iter().find(|k| k.id == *id))
                .map(|k| k.category.as_str())
                .collect();
            let _ = write!(
                h,
                "<figure><img src=\"data:image/png;base64,{}\"><figcaption>frame {} ({:.2} s): {}</figcaption></figure>",
                base64(&t.png),
                t.frame,
                t.time_s,
                cats.join(", ")
            );
        }
        let _ = write!(
            h,
            "</div><h2>Tracks</h2><table><tr><th>id</th><th>category</th><th>frames</th><th>first box</th></tr>"
        );
        for t in &self.tracks {
            let b = t.boxes[0].rect;
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}&ndash;{}</td><td>{},{} {}x{}</td></tr>",
                t.id,
                t.category.as_str(),
                t.first_frame,
                t.last_frame,
                b.x,
                b.y,
                b.w,
                b.h
            );
        }
        let _ = write!(h, "</table></body></html>");
        h
    }
}

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        out.push(T[(n >> 18) as usize & 63] as char);
        out.push(T[(n >> 12) as usize & 63] as char);
        out.push(if c.len() > 1 {
            T[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if c.len() > 2 { T[n as usize & 63] as char } else { '=' });
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_the_rfc_vectors() {
        assert_eq!(super::base64(b""), "");
        assert_eq!(super::base64(b"f"), "Zg==");
        assert_eq!(super::base64(b"fo"), "Zm8=");
        assert_eq!(super::base64(b"foobar"), "Zm9vYmFy");
    }
}
