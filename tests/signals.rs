//! Stopping scrim as a terminal does: SIGINT (or SIGTERM, SIGHUP) to its whole process group,
//! so any helper in that group would get it too. `live --sink file:` must still finish a
//! playable recording holding every frame it released; `redact` of a recording must remove its
//! partial output and exit 130; a SIGKILL must not leave helpers running or a file under the
//! result's name.

mod common;

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// scrim in a process group of its own, as a shell starts a foreground job.
fn spawn_in_group(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_scrim"))
        .args(args)
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run scrim")
}

fn signal_group(child: &Child, sig: i32) {
    // SAFETY: kill has no memory preconditions; the group is the child's, made for this test
    let r = unsafe { libc::kill(-(child.id() as i32), sig) };
    assert_eq!(r, 0, "kill: {}", std::io::Error::last_os_error());
}

fn stderr_of(child: Child) -> String {
    String::from_utf8_lossy(&child.wait_with_output().unwrap().stderr).into_owned()
}

fn partial_of(out: &Path) -> PathBuf {
    out.with_file_name(format!(".{}.scrim-partial", out.file_name().unwrap().to_string_lossy()))
}

/// A minute of the dashboard as a screen recording at 10 fps (half size: cheaper to analyse).
fn screen_clip(dir: &Path) -> PathBuf {
    let clip = dir.join("screen.mp4");
    let page = common::asset("examples/intranet-dashboard.png");
    common::ffmpeg(&[
        "-loop",
        "1",
        "-framerate",
        "10",
        "-t",
        "60",
        "-i",
        s(&page),
        "-vf",
        "scale=960:540",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        s(&clip),
    ]);
    clip
}

/// `live --source file:CLIP --sink file:OUT` stopped by `sig` to its group once it has
/// released frames: exit 0, a playable OUT with every released frame, no partial left.
fn live_to_file_survives(sig: i32, ext: &str) {
    let dir = tempfile::tempdir().unwrap();
    let clip = screen_clip(dir.path());
    let out = dir.path().join(format!("share.{ext}"));
    let stats = dir.path().join("stats.jsonl");
    let mut scrim = spawn_in_group(&[
        "live",
        "--source",
        &format!("file:{}", s(&clip)),
        "--sink",
        &format!("file:{}", s(&out)),
        "--fps",
        "10",
        "--stats",
        s(&stats),
    ]);
    // the stats file is buffered: something in it means tens of frames were released
    common::wait_for(120, "frames to be released", || {
        std::fs::metadata(&stats).is_ok_and(|m| m.len() > 0)
    });
    signal_group(&scrim, sig);
    let status = common::exit_within(&mut scrim, 60);
    let err = stderr_of(scrim);
    assert!(status.success(), "{status}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    let released = std::fs::read_to_string(&stats).unwrap().lines().count() as u64;
    assert!(released > 0);
    assert_eq!(
        common::decoded_frames(&out),
        released,
        "every released frame is in {}: {err}",
        out.display()
    );
    assert!(!partial_of(&out).exists(), "a partial file was left behind");
}

#[test]
fn sigint_to_the_group_keeps_the_live_recording_mkv() {
    live_to_file_survives(libc::SIGINT, "mkv");
}

#[test]
fn sigterm_to_the_group_keeps_the_live_recording_mp4() {
    live_to_file_survives(libc::SIGTERM, "mp4");
}

#[test]
fn sighup_to_the_group_keeps_the_live_recording_mkv() {
    live_to_file_survives(libc::SIGHUP, "mkv");
}

#[test]
fn sigint_to_the_group_aborts_redact_without_a_partial() {
    let dir = tempfile::tempdir().unwrap();
    let clip = dir.path().join("clip.mp4");
    // text that changes every frame, so every frame is analysed: slow enough to interrupt
    common::ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=640x360:rate=10",
        "-t",
        "60",
        "-pix_fmt",
        "yuv420p",
        s(&clip),
    ]);
    let out = dir.path().join("clip.redacted.mp4");
    let mut scrim = spawn_in_group(&["redact", s(&clip), "-o", s(&out)]);
    let partial = partial_of(&out);
    common::wait_for(120, "the partial output", || partial.exists());
    signal_group(&scrim, libc::SIGINT);
    let status = common::exit_within(&mut scrim, 30);
    let err = stderr_of(scrim);
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    assert!(!partial.exists() && !out.exists(), "output left behind: {err}");
}

/// Every process whose parent is `pid`.
fn children_of(pid: u32) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|p| {
            // "pid (comm) state ppid ...": comm may hold spaces, so split after its ')'
            std::fs::read_to_string(format!("/proc/{p}/stat")).is_ok_and(|st| {
                st.rsplit_once(')')
                    .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok())
                    == Some(pid)
            })
        })
        .collect()
}

/// Gone, or a zombie nobody reaped yet.
fn is_dead(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(st) => st
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.split_whitespace().next() == Some("Z")),
    }
}

#[test]
fn sigkill_leaves_no_helper_running_and_nothing_under_the_result_name() {
    let dir = tempfile::tempdir().unwrap();
    let clip = screen_clip(dir.path());
    let out = dir.path().join("share.mkv");
    let stats = dir.path().join("stats.jsonl");
    let mut scrim = spawn_in_group(&[
        "live",
        "--source",
        &format!("file:{}", s(&clip)),
        "--sink",
        &format!("file:{}", s(&out)),
        "--fps",
        "10",
        "--stats",
        s(&stats),
    ]);
    // the decoder of the clip and the encoder of the output both run, and frames went to the
    // encoder (scrim creates the file before the encoder starts, so its existence says nothing
    // yet; the stats file has a line per released frame: twenty lines mean the encoder has
    // had frames for two seconds, enough to have written some)
    let partial = partial_of(&out);
    common::wait_for(120, "frames to be released", || {
        partial.exists() && std::fs::read_to_string(&stats).is_ok_and(|t| t.lines().count() >= 20)
    });
    let helpers = children_of(scrim.id());
    assert!(
        helpers.len() >= 2,
        "expected a decoder and an encoder, found {helpers:?}"
    );
    scrim.kill().unwrap(); // SIGKILL to scrim alone
    scrim.wait().unwrap();
    common::wait_for(30, "every helper to end after scrim was killed", || {
        helpers.iter().all(|&p| is_dead(p))
    });
    assert!(!out.exists(), "a killed recording must not look complete");
    // the encoder read the end of its input and completed the file under its partial name
    assert!(
        common::decoded_frames(&partial) > 0,
        "the frames written so far are lost"
    );
}

#[test]
fn a_second_interrupt_stops_at_once_and_leaves_nothing_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let clip = screen_clip(dir.path());
    let out = dir.path().join("share.mp4");
    let mut scrim = spawn_in_group(&[
        "live",
        "--source",
        &format!("file:{}", s(&clip)),
        "--sink",
        &format!("file:{}", s(&out)),
        "--fps",
        "10",
    ]);
    let partial = partial_of(&out);
    common::wait_for(120, "the encoder's output", || partial.exists());
    let helpers = children_of(scrim.id());
    // two different signals, which the kernel cannot merge into one pending signal
    signal_group(&scrim, libc::SIGINT);
    signal_group(&scrim, libc::SIGTERM);
    let status = common::exit_within(&mut scrim, 10);
    let err = stderr_of(scrim);
    common::wait_for(30, "the helpers to end", || helpers.iter().all(|&p| is_dead(p)));
    match status.code() {
        // the second signal arrived while finishing: nothing is left at all
        Some(130) => assert!(!out.exists() && !partial.exists(), "{err}"),
        // the recording was complete before the second one was handled
        Some(0) => assert!(common::decoded_frames(&out) > 0 && !partial.exists(), "{err}"),
        _ => panic!("{status}: {err}"),
    }
}

/// `scrim live --sink stdout | reader` as a terminal runs it: both in one process group, so
/// the Ctrl-C reaches the reader too and the pipe closes under scrim while it stops. That is
/// the end that was asked for: exit 0, no error.
#[test]
fn sigint_to_a_pipeline_ends_the_stdout_sink_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let clip = screen_clip(dir.path());
    let stats = dir.path().join("stats.jsonl");
    let mut scrim = Command::new(env!("CARGO_BIN_EXE_scrim"))
        .args(["live", "--source", &format!("file:{}", s(&clip)), "--sink", "stdout"])
        .args(["--fps", "10", "--stats", s(&stats)])
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let y4m = dir.path().join("out.y4m");
    let mut reader = Command::new("cat")
        .process_group(scrim.id() as i32)
        .stdin(scrim.stdout.take().unwrap())
        .stdout(std::fs::File::create(&y4m).unwrap())
        .spawn()
        .unwrap();
    // a whole 960x540 frame reached the reader (the sink writes on a thread of its own, so a
    // released frame may still be on its way)
    common::wait_for(120, "a frame to reach the reader", || {
        std::fs::metadata(&y4m).is_ok_and(|m| m.len() > 960 * 540 * 3 / 2 + 100)
    });
    signal_group(&scrim, libc::SIGINT);
    let status = common::exit_within(&mut scrim, 60);
    let err = stderr_of(scrim);
    let _ = reader.wait();
    assert!(status.success(), "{status}: {err}");
    assert!(!err.contains("scrim: error"), "{err}");
    // what reached the reader is whole frames of a valid stream
    assert!(common::decoded_frames(&y4m) > 0, "{err}");
}
