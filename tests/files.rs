//! Outputs in a shared directory: every result (redacted image, preview, report, redacted
//! recording, live recording) is written under a private unfinished name created exclusively,
//! so a symlink planted at that name is never followed; it is mode 0600 while being written
//! and gets the usual mode once complete. And what a reviewer looks at (previews, the HTML
//! report's thumbnails) holds only redacted pixels: Tesseract reads no secret in them that it
//! reads in the original.

mod common;

use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn mode(p: &Path) -> u32 {
    std::fs::symlink_metadata(p).unwrap().mode() & 0o7777
}

/// The mode a new file gets here (0666 less the umask scrim inherits from this test).
fn usual_mode() -> u32 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let umask = status.lines().find_map(|l| l.strip_prefix("Umask:")).unwrap();
    0o666 & !u32::from_str_radix(umask.trim(), 8).unwrap()
}

fn partial_of(out: &Path) -> PathBuf {
    out.with_file_name(format!(".{}.scrim-partial", out.file_name().unwrap().to_string_lossy()))
}

/// A symlink at `out`'s usual unfinished name, pointing at a file someone else owns.
fn plant(out: &Path, victim: &Path) {
    std::os::unix::fs::symlink(victim, partial_of(out)).unwrap();
}

/// Unfinished files scrim made in `dir` (not the planted symlinks).
fn own_partials(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".scrim-partial"))
        .filter(|p| !std::fs::symlink_metadata(p).unwrap().file_type().is_symlink())
        .collect()
}

/// Every planted symlink is still a symlink and the file it points at is untouched.
fn untouched(victim: &Path, planted: &[&Path]) {
    assert_eq!(std::fs::read(victim).unwrap(), b"precious", "written through a symlink");
    for out in planted {
        let p = partial_of(out);
        assert!(
            std::fs::symlink_metadata(&p).unwrap().file_type().is_symlink(),
            "{} replaced",
            p.display()
        );
    }
}

/// Secrets of `truth` Tesseract reads in `original` (at least `min`, or the check proves
/// nothing), none of which it reads in any of `shown`.
fn none_readable(original: &Path, shown: &[PathBuf], truth: &str, min: usize) {
    let before = common::oracle_text(original);
    let secrets: Vec<String> = common::truth(&common::asset(truth))
        .sensitive
        .iter()
        .map(|s| common::squash(s))
        .filter(|s| before.contains(s.as_str()))
        .collect();
    assert!(secrets.len() >= min, "the oracle read only {secrets:?} in the original");
    for p in shown {
        let after = common::oracle_text(p);
        for secret in &secrets {
            assert!(!after.contains(secret.as_str()), "{}: {secret} readable", p.display());
        }
    }
}

#[test]
fn redacting_an_image_never_follows_a_planted_symlink_and_the_preview_is_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, b"precious").unwrap();
    let input = common::asset("examples/intranet-dashboard.png");
    let (out, preview, report) = (
        dir.path().join("out.png"),
        dir.path().join("preview.png"),
        dir.path().join("report.json"),
    );
    for p in [&out, &preview, &report] {
        plant(p, &victim);
    }
    let o = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .args([
            "redact",
            s(&input),
            "-o",
            s(&out),
            "--preview",
            s(&preview),
            "--report",
            s(&report),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    untouched(&victim, &[&out, &preview, &report]);
    assert!(own_partials(dir.path()).is_empty(), "unfinished files left behind");
    for p in [&out, &preview, &report] {
        assert_eq!(mode(p), usual_mode(), "{}: not the usual mode", p.display());
    }
    none_readable(&input, &[out, preview], "examples/intranet-dashboard.json", 8);
    let json = std::fs::read_to_string(&report).unwrap();
    for secret in common::truth(&common::asset("examples/intranet-dashboard.json")).sensitive {
        assert!(!json.contains(&secret), "the report names {secret:?}");
    }
}

/// The dashboard's table and key block cropped to 480x180 (the thumbnail width, so thumbnails
/// are 1:1 and Tesseract can judge them), `frames` still frames at 20 fps.
fn small_clip(dir: &Path, frames: u32) -> (PathBuf, PathBuf) {
    let still = dir.join("crop.png");
    let dash = common::asset("examples/intranet-dashboard.png");
    common::ffmpeg(&["-i", s(&dash), "-vf", "crop=480:180:140:270", s(&still)]);
    let clip = dir.join("clip.mp4");
    let t = format!("{}", frames as f64 / 20.0);
    common::ffmpeg(&[
        "-loop",
        "1",
        "-framerate",
        "20",
        "-t",
        &t,
        "-i",
        s(&still),
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-crf",
        "12",
        "-pix_fmt",
        "yuv420p",
        s(&clip),
    ]);
    (still, clip)
}

/// The PNG thumbnails embedded in an HTML report.
fn thumbnails(html: &str, dir: &Path) -> Vec<PathBuf> {
    html.split("data:image/png;base64,")
        .skip(1)
        .enumerate()
        .map(|(i, rest)| {
            let b64 = &rest[..rest.find('"').unwrap()];
            let p = dir.join(format!("thumb{i}.png"));
            std::fs::write(&p, base64_decode(b64)).unwrap();
            p
        })
        .collect()
}

fn base64_decode(s: &str) -> Vec<u8> {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|&c| c != b'=') {
        acc = acc << 6 | A.iter().position(|&a| a == c).expect("base64") as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

#[test]
fn redacting_a_recording_writes_a_private_exclusive_partial_and_a_redacted_report() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, b"precious").unwrap();
    // enough frames that the stats lines overfill a pipe: scrim is then held mid-recording
    // until this test reads them, so the unfinished file is looked at while it is written
    let (still, clip) = small_clip(dir.path(), 600);
    let (out, json, html) = (
        dir.path().join("out.mp4"),
        dir.path().join("report.json"),
        dir.path().join("report.html"),
    );
    for p in [&out, &json, &html] {
        plant(p, &victim);
    }
    let fifo = dir.path().join("stats");
    let c = std::ffi::CString::new(s(&fifo)).unwrap();
    // SAFETY: a plain syscall on a NUL-terminated path
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let mut scrim = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .args([
            "redact",
            s(&clip),
            "-o",
            s(&out),
            "--report",
            s(&json),
            "--report",
            s(&html),
        ])
        .args(["--stats", s(&fifo)])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stats = std::fs::File::open(&fifo).unwrap();
    let mut first = [0u8; 1];
    if let Err(e) = stats.read_exact(&mut first) {
        let o = scrim.wait_with_output().unwrap();
        panic!(
            "no stats ({e}): scrim {}: {}",
            o.status,
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // a stats line is written after its frame went to the encoder: the unfinished file exists
    let partials = own_partials(dir.path());
    assert_eq!(partials.len(), 1, "{partials:?}");
    assert_eq!(
        mode(&partials[0]),
        0o600,
        "the unfinished recording is readable by others"
    );
    assert_ne!(partials[0], partial_of(&out));
    let mut rest = Vec::new();
    stats.read_to_end(&mut rest).unwrap();
    let status = scrim.wait().unwrap();
    let mut err = String::new();
    scrim.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(status.success(), "{err}");

    untouched(&victim, &[&out, &json, &html]);
    assert!(own_partials(dir.path()).is_empty());
    for p in [&out, &json, &html] {
        assert_eq!(mode(p), usual_mode(), "{}: not the usual mode", p.display());
    }
    let page = std::fs::read_to_string(&html).unwrap();
    let thumbs = thumbnails(&page, dir.path());
    assert!(!thumbs.is_empty(), "the report shows no thumbnails");
    none_readable(&still, &thumbs, "examples/intranet-dashboard.json", 3);
    let report = std::fs::read_to_string(&json).unwrap();
    for secret in common::truth(&common::asset("examples/intranet-dashboard.json")).sensitive {
        assert!(
            !report.contains(&secret) && !page.contains(&secret),
            "a report names {secret:?}"
        );
    }
}

#[test]
fn the_live_file_sink_writes_a_private_exclusive_partial() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, b"precious").unwrap();
    let (_, clip) = small_clip(dir.path(), 60);
    let out = dir.path().join("share.mkv");
    plant(&out, &victim);
    let mut scrim = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .args(["live", "--source", &format!("file:{}", s(&clip))])
        .args(["--sink", &format!("file:{}", s(&out)), "--fps", "20"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // live runs in real time (3 s of frames): the unfinished file is there meanwhile
    let mut seen = Vec::new();
    common::wait_for(60, "the unfinished recording", || {
        seen = own_partials(dir.path());
        !seen.is_empty() || scrim.try_wait().unwrap().is_some()
    });
    if seen.is_empty() {
        let o = scrim.wait_with_output().unwrap();
        panic!(
            "scrim ended ({}) before its recording was seen: {}",
            o.status,
            String::from_utf8_lossy(&o.stderr)
        );
    }
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(mode(&seen[0]), 0o600, "the unfinished recording is readable by others");
    let status = scrim.wait().unwrap();
    let mut err = String::new();
    scrim.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(status.success(), "{err}");
    untouched(&victim, &[&out]);
    assert!(own_partials(dir.path()).is_empty());
    assert_eq!(mode(&out), usual_mode());
    assert!(std::fs::symlink_metadata(&out).unwrap().file_type().is_file());
    let o = Command::new("ffprobe")
        .args(["-v", "error", "-count_frames", "-select_streams", "v:0"])
        .args(["-show_entries", "stream=nb_read_frames", "-of", "csv=p=0"])
        .arg(&out)
        .output()
        .unwrap();
    let n: u64 = String::from_utf8_lossy(&o.stdout)
        .trim()
        .trim_end_matches(',')
        .parse()
        .unwrap_or(0);
    assert!(n > 0, "the recording is not playable");
}
