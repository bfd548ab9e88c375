//! `scrim live` end to end with real models: a looped screenshot and a Y4M stream through the
//! gate into a file and stdout; every distinct emitted frame judged by Tesseract, and the
//! per-frame stats checked for the gate's behaviour.

mod common;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn frames_of(video: &Path, dir: &Path) -> Vec<PathBuf> {
    let out = dir.join("frames");
    std::fs::create_dir_all(&out).unwrap();
    let o = Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-y",
            "-i",
            s(video),
            "-fps_mode",
            "passthrough",
            s(&out.join("f%04d.png")),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut v: Vec<PathBuf> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

/// No secret of the dashboard is readable in any emitted frame (identical frames read once).
fn judge(frames: &[PathBuf]) {
    let truth = common::truth(&common::asset("examples/intranet-dashboard.json"));
    let mut seen: HashMap<Vec<u8>, ()> = HashMap::new();
    for f in frames {
        if seen.insert(scrim::imageio::load(f).unwrap().into_data(), ()).is_some() {
            continue;
        }
        let text = common::oracle_text(f);
        for secret in &truth.sensitive {
            assert!(
                !text.contains(&common::squash(secret)),
                "{}: {secret:?} readable",
                f.display()
            );
        }
    }
}

fn stats(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn cover_mode_covers_until_analysed_then_releases_clean_frames() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("live.mkv");
    let st = dir.path().join("stats.jsonl");
    let src = format!("file:{}", common::asset("examples/intranet-dashboard.png").display());
    let o = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .args(["live", "--source", &src, "--sink", &format!("file:{}", s(&out))])
        .args(["--fps", "10", "--frames", "40", "--mode", "cover", "--stats", s(&st)])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows = stats(&st);
    assert_eq!(rows.len(), 40, "every captured frame is released");
    // the first frame cannot have been analysed yet: covered (cover mode does not wait)
    assert_eq!(rows[0]["outcome"], "covered");
    // once the analysis lands, frames come out clean
    assert_eq!(rows.last().unwrap()["outcome"], "clean");
    let frames = frames_of(&out, dir.path());
    assert_eq!(frames.len(), 40);
    judge(&frames);
    // settled frames show the page: harmless text is readable in the last one
    let last = common::oracle_text(frames.last().unwrap());
    assert!(last.contains(&common::squash("On-call handbook")));
}

#[test]
fn stdin_y4m_in_hold_mode_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let y4m = dir.path().join("in.y4m");
    let o = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-loop", "1", "-framerate", "5", "-t", "2", "-i"])
        .arg(common::asset("examples/intranet-dashboard.png"))
        .args(["-pix_fmt", "yuv420p", "-f", "yuv4mpegpipe", s(&y4m)])
        .output()
        .unwrap();
    assert!(o.status.success());
    let out = dir.path().join("out.y4m");
    let st = dir.path().join("stats.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .args([
            "live", "--source", "stdin", "--sink", "stdout", "--fps", "5", "--mode", "hold",
        ])
        .args(["--max-latency", "5000", "--stats", s(&st)])
        .stdin(Stdio::piped())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&std::fs::read(&y4m).unwrap())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows = stats(&st);
    assert_eq!(rows.len(), 10);
    // with a generous budget, hold mode waits for the analysis instead of covering
    assert!(rows.iter().all(|r| r["outcome"] == "clean"), "{rows:?}");
    judge(&frames_of(&out, dir.path()));
}

#[test]
fn bad_sources_and_sinks_are_clear_errors() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_scrim"))
            .arg("live")
            .args(args)
            .output()
            .unwrap()
    };
    let o = run(&["--source", "file:/nonexistent.png", "--sink", "file:/tmp/x.mkv"]);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["--source", "bogus", "--sink", "file:/tmp/x.mkv"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["--source", "stdin", "--sink", "nowhere"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("expected stdout"));
}

/// `--loop`: a recording of 8 frames plays again from its start until --frames is reached; only
/// a file source takes it.
#[test]
fn a_looped_recording_plays_again_from_its_start() {
    let dir = tempfile::tempdir().unwrap();
    let clip = dir.path().join("clip.mkv");
    common::ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=s=160x120:r=30",
        "-frames:v",
        "8",
        "-c:v",
        "ffv1",
        s(&clip),
    ]);
    let src = format!("file:{}", s(&clip));
    let frames = |looped: bool| {
        let out = dir.path().join(format!("out-{looped}.mkv"));
        let mut c = Command::new(env!("CARGO_BIN_EXE_scrim"));
        c.args(["live", "--source", &src, "--sink", &format!("file:{}", s(&out))])
            .args(["--frames", "20", "--hotkey", "none"]);
        if looped {
            c.arg("--loop");
        }
        let o = c.stdin(Stdio::null()).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{err}");
        let captured = if looped {
            "20 frames captured"
        } else {
            "8 frames captured"
        };
        assert!(err.contains(captured), "{err}");
        let p = Command::new("ffprobe")
            .args(["-v", "error", "-count_frames", "-select_streams", "v:0"])
            .args(["-show_entries", "stream=nb_read_frames", "-of", "csv=p=0"])
            .arg(&out)
            .output()
            .unwrap();
        String::from_utf8_lossy(&p.stdout).trim().to_string()
    };
    assert_eq!(frames(false), "8");
    assert_eq!(frames(true), "20");
    let never = format!("file:{}", s(&dir.path().join("never.mkv")));
    let o = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .args(["live", "--source", "stdin", "--loop", "--sink", &never])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--loop replays a recording"));
}

/// `scrim bench live`: a lossless recording (a blank screen, then the dashboard appears)
/// replayed through the gate; the report times the change to its first clean frame, and the
/// chart draws it.
#[test]
fn bench_live_times_a_new_page_and_draws_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let page = common::asset("examples/intranet-dashboard.png");
    let (w, h) = {
        let f = scrim::imageio::load(&page).unwrap();
        (f.width(), f.height())
    };
    let rec = dir.path().join("rec.mkv");
    let o = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg(format!("color=c=white:s={w}x{h}:r=10:d=1"))
        .args(["-loop", "1", "-framerate", "10", "-t", "4", "-i", s(&page)])
        .args([
            "-filter_complex",
            "[0:v]format=rgb24[a];[1:v]format=rgb24[b];[a][b]concat=n=2:v=1",
        ])
        .args(["-c:v", "ffv1", s(&rec)])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let events = dir.path().join("events.json");
    std::fs::write(&events, r#"[{"label": "page", "from_ms": 900, "to_ms": 5000}]"#).unwrap();
    let (json, chart) = (dir.path().join("bench.json"), dir.path().join("bench.png"));
    let o = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .args([
            "bench",
            "live",
            s(&rec),
            "--events",
            s(&events),
            "--json",
            s(&json),
            "--chart",
            s(&chart),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(report["frames"], 50, "{report}");
    // the page had to wait (held, then covered past the budget) and then came out analysed
    let page = &report["time_to_safe_ms"]["page"];
    assert!(page["n"].as_u64().unwrap() >= 1, "{report}");
    assert!(page["max"].as_f64().unwrap() > 0.0);
    // (the very first frame is an episode too: nothing was analysed before it)
    let episodes = report["episodes"].as_array().unwrap();
    assert!(episodes
        .iter()
        .any(|e| e["event"] == "page" && e["start_ms"].as_f64().unwrap() >= 900.0));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("time to safe, page:"), "{stdout}");
    // the chart: 1200x520, with clean frames (green dots) and the episode (a red bar)
    let png = scrim::imageio::load(&chart).unwrap();
    assert_eq!((png.width(), png.height()), (1200, 520));
    let has = |c: [u8; 3]| png.data().chunks_exact(4).any(|p| p[..3] == c);
    assert!(has([44, 160, 44]) && has([214, 39, 40]));
}
