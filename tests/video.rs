//! Recordings end to end: clips the test makes itself with ffmpeg from the fixtures (a page, a
//! terminal, a scrolling page, with a sine-wave audio track), redacted by the `scrim` binary,
//! then every output frame judged by Tesseract; audio packets, frame count and timestamps
//! compared with the input.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn scrim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scrim"))
        .args(args)
        .output()
        .expect("run scrim")
}

fn probe(args: &[&str], file: &Path) -> String {
    let o = Command::new("ffprobe")
        .args(["-v", "error"])
        .args(args)
        .arg(file)
        .output()
        .expect("ffprobe");
    assert!(o.status.success());
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Presentation times (ms) of every video frame.
fn frame_times(file: &Path) -> Vec<i64> {
    probe(
        &[
            "-select_streams",
            "v:0",
            "-show_entries",
            "frame=pts_time",
            "-of",
            "csv=p=0",
        ],
        file,
    )
    .lines()
    .filter_map(|l| l.trim().trim_end_matches(',').parse::<f64>().ok())
    .map(|t| (t * 1000.0).round() as i64)
    .collect()
}

/// Checksums of every audio packet (data and timing), as ffmpeg's framemd5 muxer writes them.
fn audio_packets(file: &Path) -> Vec<String> {
    let o = Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-i",
            s(file),
            "-map",
            "0:a",
            "-c",
            "copy",
            "-f",
            "framemd5",
            "-",
        ])
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// A 1920x900 clip: the dashboard (4 frames), the terminal (4), the dashboard scrolling (6), at
/// 4 fps, with audio.
fn make_clip(dir: &Path) -> PathBuf {
    let out = dir.join("clip.mp4");
    let dash = common::asset("examples/intranet-dashboard.png");
    let term = common::asset("fixtures/terminal.png");
    common::ffmpeg(&[
        "-loop",
        "1",
        "-framerate",
        "4",
        "-t",
        "1",
        "-i",
        s(&dash),
        "-loop",
        "1",
        "-framerate",
        "4",
        "-t",
        "1",
        "-i",
        s(&term),
        "-loop",
        "1",
        "-framerate",
        "4",
        "-t",
        "1.5",
        "-i",
        s(&dash),
        "-f",
        "lavfi",
        "-t",
        "3.5",
        "-i",
        "sine=frequency=440:sample_rate=48000",
        "-filter_complex",
        "[0]crop=1920:900:0:0,setsar=1[a];[1]crop=1920:900:0:0,setsar=1[b];\
         [2]crop=1920:900:0:'min(n*36\\,180)',setsar=1[c];[a][b][c]concat=n=3:v=1:a=0[v]",
        "-map",
        "[v]",
        "-map",
        "3:a",
        "-c:v",
        "libx264",
        "-crf",
        "16",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-shortest",
        s(&out),
    ]);
    out
}

/// Tesseract's reading of every frame (identical frames are read once).
fn read_frames(video: &Path, dir: &Path) -> Vec<String> {
    let frames = dir.join(format!("{}-frames", video.file_stem().unwrap().to_string_lossy()));
    std::fs::create_dir_all(&frames).unwrap();
    common::ffmpeg(&["-i", s(video), "-fps_mode", "passthrough", s(&frames.join("f%04d.png"))]);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&frames).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    let mut cache: HashMap<Vec<u8>, String> = HashMap::new();
    paths
        .iter()
        .map(|p| {
            let key = scrim::imageio::load(p).unwrap().into_data();
            cache.entry(key).or_insert_with(|| common::oracle_text(p)).clone()
        })
        .collect()
}

#[test]
fn a_recording_is_redacted_in_every_frame_with_audio_and_timing_kept() {
    let dir = tempfile::tempdir().unwrap();
    let clip = make_clip(dir.path());
    let out = dir.path().join("clip.redacted.mp4");
    let json = dir.path().join("report.json");
    let html = dir.path().join("report.html");
    let o = scrim(&[
        "redact",
        s(&clip),
        "-o",
        s(&out),
        "--report",
        s(&json),
        "--report",
        s(&html),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // timing and audio
    let (tin, tout) = (frame_times(&clip), frame_times(&out));
    assert_eq!(tin.len(), 14, "the clip has 14 frames");
    assert_eq!(tin, tout, "frame count and timestamps kept");
    let (ain, aout) = (audio_packets(&clip), audio_packets(&out));
    assert!(!ain.is_empty());
    assert_eq!(ain, aout, "audio packets identical");

    // every frame: no secret readable; the harmless text of the page still is
    let mut secrets = common::truth(&common::asset("examples/intranet-dashboard.json")).sensitive;
    secrets.extend(common::truth(&common::asset("fixtures/terminal.json")).sensitive);
    let before = read_frames(&clip, dir.path());
    let after = read_frames(&out, dir.path());
    assert_eq!(after.len(), 14);
    let mut judged = 0;
    for (i, (b, a)) in before.iter().zip(&after).enumerate() {
        for secret in &secrets {
            let sq = common::squash(secret);
            if b.contains(&sq) {
                judged += 1;
                assert!(!a.contains(&sq), "frame {i}: {secret:?} readable");
            }
        }
    }
    assert!(
        judged >= 20,
        "the oracle read too few secrets in the original ({judged})"
    );
    // offline every frame is settled: harmless text the oracle read before must stay readable
    let mut controls = common::truth(&common::asset("examples/intranet-dashboard.json")).controls;
    controls.extend(common::truth(&common::asset("fixtures/terminal.json")).controls);
    // (the output is a second lossy encoding, so Tesseract may lose a word here and there
    // through compression alone: allow one in five)
    let (mut judged, mut lost) = (0, Vec::new());
    for (i, (b, a)) in before.iter().zip(&after).enumerate() {
        for c in &controls {
            let sq = common::squash(c);
            if b.contains(&sq) {
                judged += 1;
                if !a.contains(&sq) {
                    lost.push((i, c.clone()));
                }
            }
        }
    }
    assert!(judged >= 10, "the oracle read too few controls to judge ({judged})");
    assert!(lost.len() * 5 <= judged, "controls lost: {lost:?} of {judged}");

    // the report names tracks and categories, never the text
    let report = std::fs::read_to_string(&json).unwrap();
    let v: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(v["frames"], 14);
    assert!(!v["tracks"].as_array().unwrap().is_empty());
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<svg") && page.contains("data:image/png;base64,"));
    for secret in &secrets {
        assert!(!report.contains(secret.as_str()) && !page.contains(secret.as_str()));
    }
}

#[test]
fn variable_frame_rate_timing_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("list.txt");
    let term = common::asset("fixtures/terminal.png");
    let dash = common::asset("examples/intranet-dashboard.png");
    let mut concat = String::from("ffconcat version 1.0\n");
    for (img, d) in [(&term, 0.1), (&dash, 0.35), (&term, 0.05), (&dash, 0.5), (&term, 0.2)] {
        concat += &format!("file '{}'\nduration {d}\n", img.display());
    }
    concat += &format!("file '{}'\n", term.display());
    std::fs::write(&list, concat).unwrap();
    let vfr = dir.path().join("vfr.mkv");
    common::ffmpeg(&[
        "-f",
        "concat",
        "-safe",
        "0",
        "-i",
        s(&list),
        "-fps_mode",
        "vfr",
        "-vf",
        "scale=960:540",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        s(&vfr),
    ]);
    let out = dir.path().join("vfr.redacted.mkv");
    let o = scrim(&["redact", s(&vfr), "-o", s(&out)]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (a, b) = (frame_times(&vfr), frame_times(&out));
    assert!(a.len() >= 5, "{a:?}");
    let gaps: Vec<i64> = a.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(
        gaps.iter().any(|&g| g <= 100) && gaps.iter().any(|&g| g >= 300),
        "input is VFR: {gaps:?}"
    );
    assert_eq!(a, b, "VFR timestamps kept");
}

#[test]
fn broken_inputs_are_clear_errors_and_leave_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let clip = make_clip(dir.path());
    let bytes = std::fs::read(&clip).unwrap();

    // not a video at all
    let junk = dir.path().join("junk.mp4");
    std::fs::write(&junk, b"this is not a video").unwrap();
    let out = dir.path().join("junk.out.mp4");
    let o = scrim(&["redact", s(&junk), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a readable video"));
    assert!(!out.exists());

    // index at the end (ffmpeg's default mp4): a cut file cannot be read at all
    let cut = dir.path().join("cut.mp4");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let out = dir.path().join("cut.out.mp4");
    let o = scrim(&["redact", s(&cut), "-o", s(&out)]);
    assert_ne!(o.status.code(), Some(0));
    assert!(!out.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("scrim-partial"))
        .collect();
    assert!(leftovers.is_empty(), "partial output left behind");

    // a stream format with a damaged tail: what decodes is redacted and kept, with a warning
    let ts = dir.path().join("clip.ts");
    common::ffmpeg(&["-i", s(&clip), "-c", "copy", s(&ts)]);
    let tsb = std::fs::read(&ts).unwrap();
    let damaged = dir.path().join("damaged.ts");
    let keep = tsb.len() * 2 / 3 / 188 * 188 + 100; // cut inside a packet
    std::fs::write(&damaged, &tsb[..keep]).unwrap();
    let out = dir.path().join("damaged.out.mkv");
    let o = scrim(&["redact", s(&damaged), "-o", s(&out)]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.exists());
    assert!(!frame_times(&out).is_empty());

    // an unsupported output type is a usage error before any work
    let o = scrim(&["redact", s(&clip), "-o", s(&dir.path().join("x.gifv"))]);
    assert_eq!(o.status.code(), Some(2));
}
