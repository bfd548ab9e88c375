//! Camera privacy with the real models, on pictures and clips the test composes itself from the
//! public-domain astronaut photo `models/fetch.sh` installs beside the models: the background
//! is blurred while the person stays sharp, faces are covered in every frame of a clip where one
//! face crosses the frame, and handwriting on a whiteboard behind the person becomes unreadable
//! to an independent OCR.

mod common;

use std::path::Path;
use std::process::Command;

use scrim::camera::{Background, CameraConfig, CameraFilter, FaceModel};
use scrim::models::{self, ModelDir};
use scrim::redact::{CpuRedactor, StyleName};
use scrim::{Frame, Rect};

fn astronaut(models: &ModelDir) -> Frame {
    let p = models.root().join(models::PERSON_IMAGE);
    assert!(p.is_file(), "{} missing: run models/fetch.sh", p.display());
    scrim::imageio::load(&p).unwrap()
}

/// The astronaut's head in the 512x512 photo (helmet ring excluded): eyes, nose, mouth.
const FACE: Rect = Rect::new(190, 80, 65, 85);
/// A crop around the head that reads as a face at any size (hair to chin).
const HEAD: Rect = Rect::new(140, 20, 170, 200);

/// Pastes `src`'s `crop` scaled to `w` x `h` at (x, y) (may be partly outside `dst`).
fn paste(dst: &mut Frame, src: &Frame, crop: Rect, x: i32, y: i32, w: u32, h: u32) {
    let mut r = fast_image_resize::Resizer::new();
    let data = scrim::resize::resize_rgba(&mut r, src, crop, w, h).unwrap();
    for yy in 0..h as i32 {
        for xx in 0..w as i32 {
            let (dx, dy) = (x + xx, y + yy);
            if dx < 0 || dy < 0 || dx >= dst.width() as i32 || dy >= dst.height() as i32 {
                continue;
            }
            let s = ((yy as u32 * w + xx as u32) * 4) as usize;
            let d = ((dy as u32 * dst.width() + dx as u32) * 4) as usize;
            let px: [u8; 4] = data[s..s + 4].try_into().unwrap();
            dst.data_mut()[d..d + 4].copy_from_slice(&px);
        }
    }
}

/// A room: a wall with a gradient and some furniture-like blocks (texture for the blur to remove).
fn room(w: u32, h: u32) -> Frame {
    let mut data = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            let stripe = ((x / 23 + y / 31) % 2) as u8 * 30;
            data.extend_from_slice(&[
                (110 + (x * 40 / w) as u8).saturating_sub(stripe),
                100 + (y * 30 / h) as u8,
                90 + stripe,
                255,
            ]);
        }
    }
    Frame::new(w, h, data).unwrap()
}

fn mean_abs_diff(a: &Frame, b: &Frame, r: Rect) -> f64 {
    let mut sum = 0u64;
    for y in r.y..r.bottom() {
        for (p, q) in a.row_span(y, r.x, r.right()).iter().zip(b.row_span(y, r.x, r.right())) {
            sum += (*p as i32 - *q as i32).unsigned_abs() as u64;
        }
    }
    sum as f64 / (r.area() * 4) as f64
}

/// Sum of absolute horizontal neighbour differences per pixel: how much detail an area keeps.
fn detail(f: &Frame, r: Rect) -> f64 {
    let mut sum = 0u64;
    for y in r.y..r.bottom() {
        let row = f.row_span(y, r.x, r.right());
        for i in 4..row.len() {
            sum += (row[i] as i32 - row[i - 4] as i32).unsigned_abs() as u64;
        }
    }
    sum as f64 / r.area() as f64
}

#[test]
fn background_blur_keeps_the_person_sharp() {
    let models = common::models();
    let photo = astronaut(&models);
    let cfg = CameraConfig {
        background: Some(Background::Blur { radius: 24 }),
        ..CameraConfig::default()
    };
    let mut filter = CameraFilter::new(&models, cfg, 2).unwrap();
    let mut out = photo.clone();
    filter.process(&mut out, &mut CpuRedactor).unwrap();
    // the face is the person's: untouched
    let face_diff = mean_abs_diff(&photo, &out, FACE);
    assert!(face_diff < 2.0, "face changed by {face_diff:.1} levels");
    // the wall right of the head is background: its detail is gone
    let bg = Rect::new(330, 0, 180, 220);
    let (before, after) = (detail(&photo, bg), detail(&out, bg));
    assert!(after < before * 0.5, "background detail {before:.1} -> {after:.1}");
}

#[test]
fn background_replacement_fills_the_background_only() {
    let models = common::models();
    let photo = astronaut(&models);
    let dir = tempfile::tempdir().unwrap();
    let green = dir.path().join("green.png");
    scrim::imageio::save(&Frame::filled(64, 48, [0, 200, 0, 255]).unwrap(), &green).unwrap();
    let cfg = CameraConfig {
        background: Some(Background::Replace { image: green }),
        ..CameraConfig::default()
    };
    let mut out = photo.clone();
    CameraFilter::new(&models, cfg, 2)
        .unwrap()
        .process(&mut out, &mut CpuRedactor)
        .unwrap();
    for (x, y) in [(480, 40), (420, 150), (30, 30)] {
        let p = out.pixel(x, y);
        assert!(
            p[1] > 170 && p[0] < 40 && p[2] < 40,
            "wall at ({x},{y}) not replaced: {p:?}"
        );
    }
    assert!(
        mean_abs_diff(&photo, &out, FACE) < 2.0,
        "face kept: {}",
        mean_abs_diff(&photo, &out, FACE)
    );
}

fn write_png(f: &Frame, p: &Path) {
    scrim::imageio::save(f, p).unwrap();
}

/// Where the face features of a head pasted at (x, y) with size (w, h) land.
fn face_in(x: i32, y: i32, w: u32, h: u32) -> Option<Rect> {
    let sx = w as f32 / HEAD.w as f32;
    let sy = h as f32 / HEAD.h as f32;
    let fx = x + ((FACE.x - HEAD.x) as f32 * sx) as i32;
    let fy = y + ((FACE.y - HEAD.y) as f32 * sy) as i32;
    let (fw, fh) = ((FACE.w as f32 * sx) as i32, (FACE.h as f32 * sy) as i32);
    if fx < 0 || fy < 0 || fx + fw > 640 || fy + fh > 360 {
        return None; // partly outside: not checked
    }
    Some(Rect::new(fx as u32, fy as u32, fw as u32, fh as u32))
}

/// A 640x360 clip of 40 frames: a face on the right that stays, and a passer-by crossing left
/// to right. Returns the clip and, per frame, where the faces' features are (when fully inside).
fn two_face_clip(photo: &Frame, dir: &Path) -> (std::path::PathBuf, Vec<[Option<Rect>; 2]>) {
    let (hw, hh) = (150u32, 176u32);
    let mut expected = Vec::new();
    for i in 0..40 {
        let mut f = room(640, 360);
        paste(&mut f, photo, HEAD, 440, 120, hw, hh);
        let x = -100 + i * 16;
        paste(&mut f, photo, HEAD, x, 60, hw, hh);
        expected.push([face_in(440, 120, hw, hh), face_in(x, 60, hw, hh)]);
        write_png(&f, &dir.join(format!("in{i:03}.png")));
    }
    let clip = dir.join("two_faces.mp4");
    common::ffmpeg(&[
        "-framerate",
        "30",
        "-i",
        dir.join("in%03d.png").to_str().unwrap(),
        "-c:v",
        "libx264",
        "-crf",
        "16",
        "-pix_fmt",
        "yuv420p",
        clip.to_str().unwrap(),
    ]);
    (clip, expected)
}

/// Decodes `video` and checks that every face placement is covered (solid: dark) in its frame.
fn assert_faces_covered(video: &Path, dir: &Path, expected: &[[Option<Rect>; 2]]) {
    let frames = dir.join("frames");
    std::fs::create_dir_all(&frames).unwrap();
    // every decoded frame once, whatever its timestamp (live output carries capture times)
    let pattern = frames.join("out%03d.png");
    common::ffmpeg(&[
        "-i",
        video.to_str().unwrap(),
        "-vsync",
        "passthrough",
        pattern.to_str().unwrap(),
    ]);
    let n = std::fs::read_dir(&frames).unwrap().count();
    assert_eq!(n, expected.len(), "every frame comes out");
    let mut checked = 0;
    for (i, faces) in expected.iter().enumerate() {
        let f = scrim::imageio::load(&frames.join(format!("out{:03}.png", i + 1))).unwrap();
        for face in faces.iter().flatten() {
            let mut dark = 0u64;
            for y in face.y..face.bottom() {
                dark += f
                    .row_span(y, face.x, face.right())
                    .chunks_exact(4)
                    .filter(|p| p[0].max(p[1]).max(p[2]) < 40)
                    .count() as u64;
            }
            let covered = dark as f64 / face.area() as f64;
            assert!(
                covered > 0.97,
                "frame {i}: face at {face:?} only {:.0}% covered",
                covered * 100.0
            );
            checked += 1;
        }
    }
    assert!(checked >= 60, "only {checked} face placements checked");
}

#[test]
fn faces_stay_covered_in_every_frame_of_a_clip_where_one_crosses() {
    let models = common::models();
    let photo = astronaut(&models);
    let dir = tempfile::tempdir().unwrap();
    let (clip, expected) = two_face_clip(&photo, dir.path());
    let out = dir.path().join("out.mp4");
    let report = dir.path().join("report.json");
    let o = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .args([
            "redact",
            clip.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--faces",
            "solid",
        ])
        .args(["--report", report.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_faces_covered(&out, dir.path(), &expected);
    let rep: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let face_tracks = rep["tracks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["category"] == "face")
        .count();
    assert!(face_tracks >= 2, "report names the faces: {}", rep["tracks"]);
}

#[test]
fn live_camera_pipeline_releases_only_frames_with_faces_covered() {
    let models = common::models();
    let photo = astronaut(&models);
    let dir = tempfile::tempdir().unwrap();
    let (clip, expected) = two_face_clip(&photo, dir.path());
    let out = dir.path().join("live.mkv");
    let stats = dir.path().join("stats.jsonl");
    let o = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .args(["live", "--source", &format!("file:{}", clip.display())])
        .args(["--sink", &format!("file:{}", out.display())])
        .args([
            "--faces",
            "solid",
            "--background",
            "blur",
            "--stats",
            stats.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_faces_covered(&out, dir.path(), &expected);
    let lines = std::fs::read_to_string(&stats).unwrap();
    assert_eq!(lines.lines().count(), expected.len());
    assert!(lines.lines().all(|l| l.contains("\"outcome\":\"clean\"")), "{lines}");
}

/// Handwriting-like strokes: the bitmap font, thick, slanted and wobbling along the line.
fn scrawl(f: &mut Frame, text: &str, x: u32, y: u32, scale: u32, ink: [u8; 3]) {
    let w = f.width();
    let mut put = |px: u32, py: u32| {
        let row = (py - y) / scale;
        let slant = (7u32.saturating_sub(row)) * scale / 3;
        let wobble = (((px - x) as f32 / 40.0).sin() * scale as f32) as i32;
        let (qx, qy) = (px + slant, (py as i32 + wobble) as u32);
        for dy in 0..scale {
            for dx in 0..scale {
                let i = (((qy + dy) * w + qx + dx) * 4) as usize;
                if i + 4 <= f.data().len() {
                    f.data_mut()[i..i + 4].copy_from_slice(&[ink[0], ink[1], ink[2], 255]);
                }
            }
        }
    };
    scrim::font::draw_text(text, x, y, 1, |gx, gy| put(x + (gx - x) * scale, y + (gy - y) * scale));
}

#[test]
fn whiteboard_handwriting_behind_the_person_is_unreadable() {
    let models = common::models();
    let photo = astronaut(&models);
    let dir = tempfile::tempdir().unwrap();
    let mut scene = room(960, 540);
    let board = Rect::new(470, 50, 460, 300);
    for y in board.y..board.bottom() {
        for x in board.x..board.right() {
            let i = ((y * 960 + x) * 4) as usize;
            scene.data_mut()[i..i + 4].copy_from_slice(&[236, 238, 234, 255]);
        }
    }
    scrawl(&mut scene, "ACQUIRE ORCA", 500, 90, 5, [20, 40, 150]);
    scrawl(&mut scene, "CUT 40 JOBS", 500, 190, 5, [20, 40, 150]);
    paste(&mut scene, &photo, Rect::new(0, 0, 512, 512), 20, 28, 512, 512);
    let before = dir.path().join("before.png");
    write_png(&scene, &before);
    let read = common::oracle_text(&before);
    assert!(
        read.contains("orca") || read.contains("jobs"),
        "the test's board must be readable to begin with: {read}"
    );
    let cfg = CameraConfig {
        whiteboards: true,
        ..CameraConfig::default()
    };
    let mut out = scene.clone();
    let regions = CameraFilter::new(&models, cfg, 2)
        .unwrap()
        .process(&mut out, &mut CpuRedactor)
        .unwrap();
    assert!(!regions.is_empty());
    let after = dir.path().join("after.png");
    write_png(&out, &after);
    let read = common::oracle_text(&after);
    for word in ["acquire", "orca", "jobs"] {
        assert!(!read.contains(word), "'{word}' still readable: {read}");
    }
    // the person in front of it is not a whiteboard
    let face = Rect::new(FACE.x + 20, FACE.y + 28, FACE.w, FACE.h);
    assert!(mean_abs_diff(&scene, &out, face) < 2.0, "face changed");
}

#[test]
fn a_missing_camera_model_is_a_clear_error_naming_the_fetch_command() {
    let empty = tempfile::tempdir().unwrap();
    // ONNX Runtime is loaded once per process: from the real model dir, before asking an empty
    // one for the models
    models::runtime(&common::models()).unwrap();
    let cfg = CameraConfig {
        faces: Some(StyleName::Mosaic),
        ..CameraConfig::default()
    };
    let err = match CameraFilter::new(&ModelDir::new(empty.path()), cfg, 1) {
        Ok(_) => panic!("loaded a model from an empty directory"),
        Err(e) => e,
    };
    assert_eq!(err.kind(), scrim::ErrorKind::ModelMissing);
    assert!(err.to_string().contains("fetch"), "{err}");
}

#[test]
fn every_face_model_finds_the_face_in_a_still() {
    let models = common::models();
    let photo = astronaut(&models);
    for model in [FaceModel::Back, FaceModel::Front, FaceModel::Centerface] {
        let cfg = CameraConfig {
            faces: Some(StyleName::Mosaic),
            face_model: model,
            ..CameraConfig::default()
        };
        let mut out = photo.clone();
        let regions = CameraFilter::new(&models, cfg, 2)
            .unwrap()
            .process(&mut out, &mut CpuRedactor)
            .unwrap();
        assert_eq!(regions.len(), 1, "{model:?}: {regions:?}");
        assert!(
            regions[0].rect.contains(FACE),
            "{model:?}: {:?} misses the face",
            regions[0].rect
        );
        assert!(mean_abs_diff(&photo, &out, FACE) > 10.0, "{model:?}: face not covered");
    }
}
