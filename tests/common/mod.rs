//! Shared helpers for the integration tests. These tests run the real models: install them with
//! `models/fetch.sh` (the README's test command does).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use scrim::models::{self, ModelDir};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn asset(rel: &str) -> PathBuf {
    root().join("assets").join(rel)
}

/// The installed models, or a failure that says how to install them.
pub fn models() -> ModelDir {
    let dir = ModelDir::new(models::default_model_dir());
    for f in [models::OCR_DET_MODEL, models::OCR_REC_MODEL, models::OCR_DICT] {
        assert!(
            dir.root().join(f).is_file(),
            "{f} missing in {}: run models/fetch.sh first",
            dir.root().display()
        );
    }
    dir
}

/// Ground truth beside a fixture: `sensitive` strings and `controls` that must stay readable.
pub struct Truth {
    pub sensitive: Vec<String>,
    pub controls: Vec<String>,
}

pub fn truth(json: &Path) -> Truth {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap();
    let list = |k: &str| {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    Truth {
        sensitive: list("sensitive"),
        controls: list("controls"),
    }
}

/// Lower-case alphanumerics only: how the oracle comparison ignores spacing and punctuation.
pub fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Text that Tesseract (an OCR independent of scrim's) reads in an image, at 1x, 2x and 2x
/// inverted (the passes of the shared evaluation's scorer), squashed. Tesseract is part of the test set-up (`make deps`); its absence fails the test.
pub fn oracle_text(png: &Path) -> String {
    let dir = tempfile::tempdir().unwrap();
    let up = dir.path().join("up2.png");
    let frame = scrim::imageio::load(png).unwrap();
    let (w, h) = (frame.width() * 2, frame.height() * 2);
    let mut r = fast_image_resize::Resizer::new();
    let data = scrim::resize::resize_rgba(&mut r, &frame, frame.bounds(), w, h).unwrap();
    // light-on-dark text needs an inverted pass
    let inverted: Vec<u8> = data
        .chunks_exact(4)
        .flat_map(|p| [255 - p[0], 255 - p[1], 255 - p[2], p[3]])
        .collect();
    let inv = dir.path().join("up2inv.png");
    scrim::imageio::save(&scrim::Frame::new(w, h, data).unwrap(), &up).unwrap();
    scrim::imageio::save(&scrim::Frame::new(w, h, inverted).unwrap(), &inv).unwrap();
    let mut all = String::new();
    for (img, psm) in [(png, "3"), (up.as_path(), "11"), (inv.as_path(), "11")] {
        let out = Command::new("tesseract")
            .args([img.to_str().unwrap(), "-", "--psm", psm, "-l", "eng"])
            .env("OMP_THREAD_LIMIT", "1")
            .output()
            .expect("tesseract not found: install tesseract-ocr (make deps)");
        assert!(
            out.status.success(),
            "tesseract failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        all.push_str(&String::from_utf8_lossy(&out.stdout));
        all.push('\n');
    }
    squash(&all)
}

/// Child processes (servers, X, PipeWire) killed when a test ends, however it ends.
pub struct Procs(pub Vec<std::process::Child>);

impl Drop for Procs {
    fn drop(&mut self) {
        for c in self.0.iter_mut().rev() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Runs ffmpeg quietly (overwriting outputs) and fails the test with its message if it fails.
/// ffmpeg is part of the test set-up (`make deps`).
pub fn ffmpeg(args: &[&str]) {
    let o = Command::new("ffmpeg")
        .args(["-v", "error", "-nostdin", "-y"])
        .args(args)
        .output()
        .expect("ffmpeg not found: install ffmpeg (make deps)");
    assert!(
        o.status.success(),
        "ffmpeg {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// An Xvfb on a free display number (it tells us which on a pipe), killed with `procs`; returns
/// the `DISPLAY`. `-noreset`: by default the server resets when its last client leaves, and
/// refuses the next one meanwhile.
pub fn xvfb(procs: &mut Procs, size: &str) -> String {
    use std::io::BufRead;
    let mut x = Command::new("Xvfb")
        .args(["-displayfd", "1", "-screen", "0", size, "-nolisten", "tcp", "-noreset"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("Xvfb (make deps)");
    let mut line = String::new();
    std::io::BufReader::new(x.stdout.take().expect("piped"))
        .read_line(&mut line)
        .expect("Xvfb says its display");
    procs.0.push(x);
    format!(":{}", line.trim())
}
