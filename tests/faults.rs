//! The world misbehaving around a running scrim: an output nobody reads, the X server killed
//! under a screen capture, a full disk under a live recording and under `redact`, the PipeWire
//! daemon restarted under the virtual camera. Each must end in a clear message and a bounded
//! process, never a hang, and keep what scrim promised about the output.
//!
//! Needs (`make deps`): ffmpeg, Xvfb, util-linux's unshare (a private tmpfs stands in for a
//! full disk), and the PipeWire set of tests/pipewire.rs.

mod common;

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

/// scrim live in a process group of its own (as a shell starts a job), stderr to `err`.
fn scrim_live(args: &[&str], err: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_scrim"));
    c.arg("live")
        .args(args)
        .args(["--hotkey", "none"])
        .process_group(0)
        .stdin(Stdio::null())
        .stderr(std::fs::File::create(err).unwrap());
    c
}

fn interrupt_group(child: &Child) {
    // SAFETY: kill has no memory preconditions; the group is the child's, made for this test
    assert_eq!(unsafe { libc::kill(-(child.id() as i32), libc::SIGINT) }, 0);
}

/// `scrim live --control`'s status, once the socket answers.
fn status(sock: &Path) -> Option<serde_json::Value> {
    let reply = scrim::live::control::send(sock, "status").ok()?;
    serde_json::from_str(&reply).ok()
}

fn dashboard() -> String {
    format!("file:{}", common::asset("examples/intranet-dashboard.png").display())
}

/// A pipe whose reader never reads: after the first frame the pipe is full and every write
/// would block. scrim must go on (the status socket answers, frames are released), drop what
/// the reader does not take and count it, keep its memory flat, and still stop on Ctrl-C.
#[test]
fn a_stdout_nobody_reads_drops_and_counts_frames_and_ctrl_c_still_stops() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("scrim.sock");
    let err = dir.path().join("err");
    let stats = dir.path().join("stats.jsonl");
    let src = dashboard();
    let mut scrim = scrim_live(
        &[
            "--source",
            &src,
            "--sink",
            "stdout",
            "--fps",
            "10",
            "--stats",
            s(&stats),
        ],
        &err,
    )
    .args(["--control", s(&sock)])
    .stdout(Stdio::piped())
    .spawn()
    .unwrap();
    let _never_read = scrim.stdout.take().unwrap();
    let dropped = |min: u64| move |st: serde_json::Value| st["dropped"].as_u64().is_some_and(|d| d >= min);
    common::wait_for(120, "frames to be dropped", || status(&sock).is_some_and(dropped(10)));
    let rss_before = common::rss_kib(scrim.id());
    let first = status(&sock).unwrap();
    // ten seconds more at 10 fps: a queue would hold 100 more 1080p frames (800 MB)
    common::wait_for(60, "more frames to be dropped", || {
        status(&sock).is_some_and(dropped(first["dropped"].as_u64().unwrap() + 100))
    });
    let rss_after = common::rss_kib(scrim.id());
    let last = status(&sock).unwrap();
    assert!(
        rss_after < rss_before + 64 * 1024,
        "memory grew from {rss_before} KiB to {rss_after} KiB while frames were dropped"
    );
    // the gate went on releasing: every frame was released (clean or covered), at most two are
    // with the pipe, and the rest were dropped
    let released = last["clean"].as_u64().unwrap() + last["covered"].as_u64().unwrap();
    assert!(released >= last["dropped"].as_u64().unwrap(), "{last}");
    assert!(
        last["frames_out"].as_u64().unwrap() <= last["dropped"].as_u64().unwrap() + 2 + 10,
        "{last}"
    );

    let t = Instant::now();
    interrupt_group(&scrim);
    let st = common::exit_within(&mut scrim, 30);
    let stderr = read(&err);
    assert!(st.success(), "{st}: {stderr}");
    assert!(stderr.contains("dropped (output not read)"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    eprintln!(
        "stdout not read: RSS {rss_before} -> {rss_after} KiB while {} -> {} frames dropped; \
stopped {:.1} s after SIGINT",
        first["dropped"],
        last["dropped"],
        t.elapsed().as_secs_f64()
    );
    // the per-frame stats say which frames were dropped, and agree with the status
    let lines: Vec<serde_json::Value> = read(&stats).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let dropped_lines = lines.iter().filter(|l| l["dropped"] == true).count() as u64;
    assert!(
        dropped_lines >= last["dropped"].as_u64().unwrap(),
        "{dropped_lines} {last}"
    );
}

/// `live --source screen --sink file:` under Xvfb, and Xvfb killed: scrim ends within seconds
/// with an error naming the X server, and the recording so far is a playable file.
#[test]
fn the_x_server_lost_under_a_screen_capture_ends_it_and_keeps_the_recording() {
    let dir = tempfile::tempdir().unwrap();
    let mut procs = common::Procs(Vec::new());
    let display = common::xvfb(&mut procs, "1280x720x24");
    let out = dir.path().join("share.mkv");
    let stats = dir.path().join("stats.jsonl");
    let err = dir.path().join("err");
    let mut scrim = scrim_live(
        &[
            "--source",
            "screen",
            "--sink",
            &format!("file:{}", s(&out)),
            "--fps",
            "10",
        ],
        &err,
    )
    .args(["--stats", s(&stats)])
    .env("DISPLAY", &display)
    .env_remove("WAYLAND_DISPLAY")
    .stdout(Stdio::null())
    .spawn()
    .unwrap();
    common::wait_for(120, "frames to be released", || read(&stats).lines().count() >= 10);
    drop(procs); // kills Xvfb
    let t = Instant::now();
    let st = common::exit_within(&mut scrim, 30);
    let took = t.elapsed();
    let stderr = read(&err);
    assert_eq!(st.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("the X server {display} went away")),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(took < Duration::from_secs(5), "took {took:?} to notice: {stderr}");
    let frames = common::decoded_frames(&out);
    assert!(frames >= 10, "{frames} frames in the recording: {stderr}");
    eprintln!("X server lost: scrim ended after {took:?}, {frames} frames kept");
}

/// Runs `script` (sh) in a private mount namespace with a `size` tmpfs at `$FULL`, as the
/// user's own (`unshare -rm`: no privilege needed); the test's directory is `$T`. What the
/// script prints is returned with its exit status. Whatever is on the tmpfs vanishes with it,
/// so the script copies out what is to be looked at.
fn on_a_small_disk(dir: &Path, size: &str, script: &str) -> (bool, String) {
    let full = dir.join("full");
    std::fs::create_dir_all(&full).unwrap();
    let o = Command::new("unshare")
        .args(["-rm", "sh", "-c"])
        .arg(format!(
            "mount -t tmpfs -o size={size} tmpfs \"$FULL\" || exit 99\n{script}"
        ))
        .env("FULL", &full)
        .env("T", dir)
        .env("SCRIM", env!("CARGO_BIN_EXE_scrim"))
        .stdin(Stdio::null())
        .output()
        .expect("unshare (util-linux)");
    assert_ne!(
        o.status.code(),
        Some(99),
        "cannot mount a tmpfs in a private namespace here"
    );
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.success(), text)
}

/// Noise, 320x240 at 4 fps (slow enough for every frame to be analysed and released clean, not
/// covered), as a Y4M stream on stdout: it hardly compresses, so half a megabyte fills in
/// seconds.
const NOISE: &str = "ffmpeg -v error -nostdin -f lavfi -i 'nullsrc=s=320x240:r=4,geq=random(1)*255:128:128' \
-t 60 -pix_fmt yuv420p -f yuv4mpegpipe -";

#[test]
fn a_full_disk_under_a_live_recording_keeps_what_was_written_playable() {
    for ext in ["mkv", "mp4"] {
        let dir = tempfile::tempdir().unwrap();
        let script = format!(
            "{NOISE} 2>/dev/null | \"$SCRIM\" live --source stdin --sink file:\"$FULL/share.{ext}\" \
--fps 4 --max-latency 5000 --hotkey none 2>\"$T/err\"\n\
echo \"exit=$?\"\n\
ls -A \"$FULL\"\n\
cp \"$FULL/share.{ext}\" \"$T/kept.{ext}\" 2>/dev/null\n\
exit 0"
        );
        let (_, out) = on_a_small_disk(dir.path(), "512k", &script);
        let stderr = read(&dir.path().join("err"));
        assert!(out.contains("exit=1"), "{out}{stderr}");
        assert!(stderr.contains("No space left on device"), "{stderr}");
        assert!(stderr.contains("is kept in"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        // the result under its own name, nothing unfinished beside it
        assert_eq!(
            out.lines().filter(|l| !l.starts_with("exit=")).collect::<Vec<_>>(),
            [format!("share.{ext}")],
            "{out}"
        );
        let frames = common::decoded_frames(&dir.path().join(format!("kept.{ext}")));
        assert!(frames >= 5, "{ext}: {frames} frames playable: {stderr}");
        eprintln!("disk full under live {ext}: {frames} frames kept playable");
    }
}

#[test]
fn a_full_disk_under_redact_leaves_no_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let clip = dir.path().join("noise.mkv");
    let make = format!(
        "{NOISE} | ffmpeg -v error -nostdin -y -i - -t 20 -c:v ffv1 {}",
        s(&clip)
    );
    let o = Command::new("sh").args(["-c", &make]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let script = format!(
        "\"$SCRIM\" redact \"{}\" -o \"$FULL/noise.redacted.mkv\" 2>\"$T/err\"\n\
echo \"exit=$?\"\n\
ls -A \"$FULL\"\n\
exit 0",
        s(&clip)
    );
    let (_, out) = on_a_small_disk(dir.path(), "512k", &script);
    let stderr = read(&dir.path().join("err"));
    assert!(out.contains("exit=1"), "{out}{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.trim(), "exit=1", "something was left on the full disk: {out}");
}

// --- the PipeWire daemon restarted ---------------------------------------------------------

fn pw_env(c: &mut Command, env: &[(String, String)]) {
    c.envs(env.iter().map(|(k, v)| (k, v)));
}

fn has_node(env: &[(String, String)], name: &str) -> bool {
    let mut c = Command::new("pw-cli");
    pw_env(&mut c, env);
    c.args(["ls", "Node"])
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(&format!("node.name = \"{name}\"")))
}

fn pw_answers(env: &[(String, String)]) -> bool {
    let mut c = Command::new("pw-cli");
    pw_env(&mut c, env);
    c.args(["ls", "Core"])
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("id 0"))
}

fn spawn_quiet(prog: &str, env: &[(String, String)]) -> Child {
    let mut c = Command::new(prog);
    pw_env(&mut c, env);
    c.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{prog} (make deps): {e}"))
}

/// One frame read from the node as a camera consumer reads it.
fn consumer_reads_a_frame(env: &[(String, String)], name: &str, png: &Path) -> bool {
    let mut c = Command::new("gst-launch-1.0");
    pw_env(&mut c, env);
    c.args(["-q", "pipewiresrc", &format!("target-object={name}"), "num-buffers=1"])
        .args(["!", "videoconvert", "!", "pngenc", "!", "filesink"])
        .arg(format!("location={}", png.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c.status().is_ok_and(|s| s.success()) && png.is_file()
}

#[test]
fn the_pipewire_node_comes_back_after_the_daemon_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let mut procs = common::Procs(Vec::new());
    let env = common::pipewire_session(&mut procs, dir.path());
    // pipewire_session starts dbus, pipewire, wireplumber in that order
    let mut wireplumber = procs.0.pop().unwrap();
    let mut pipewire = procs.0.pop().unwrap();
    let err = dir.path().join("err");
    let sock = dir.path().join("scrim.sock");
    let src = dashboard();
    let mut cmd = scrim_live(
        &["--source", &src, "--sink", "pipewire:scrim-restart", "--fps", "10"],
        &err,
    );
    pw_env(&mut cmd, &env);
    let scrim = cmd.args(["--control", s(&sock)]).stdout(Stdio::null()).spawn().unwrap();
    procs.0.push(scrim);
    common::wait_for(120, "scrim's PipeWire node", || has_node(&env, "scrim-restart"));
    // a while after it settled (a node failing at once means no PipeWire, an error)
    std::thread::sleep(scrim::live::sink::SETTLED);

    for p in [&mut wireplumber, &mut pipewire] {
        p.kill().unwrap(); // SIGKILL: a crash, which leaves its socket behind
        p.wait().unwrap();
    }
    common::wait_for(30, "the node to go with its daemon", || {
        !has_node(&env, "scrim-restart")
    });
    let mut pipewire = spawn_quiet("pipewire", &env);
    common::wait_for(30, "pipewire to answer again", || pw_answers(&env));
    let mut wireplumber = spawn_quiet("wireplumber", &env);
    let t = Instant::now();
    common::wait_for(60, "the node to reappear", || has_node(&env, "scrim-restart"));
    let back = t.elapsed();
    let png = dir.path().join("after.png");
    common::wait_for(60, "a consumer to read a frame again", || {
        consumer_reads_a_frame(&env, "scrim-restart", &png)
    });
    let st = status(&sock).expect("scrim still answers");
    let stderr = read(&err);
    assert!(stderr.contains("the PipeWire daemon went away"), "{stderr}");
    assert!(stderr.contains("published again"), "{stderr}");
    let frame = scrim::imageio::load(&png).unwrap();
    assert_eq!((frame.width(), frame.height()), (1920, 1080));
    eprintln!("PipeWire restarted: node back {back:?} after the daemon; status {st}");

    let mut scrim = procs.0.pop().unwrap();
    interrupt_group(&scrim);
    let st = common::exit_within(&mut scrim, 30);
    assert!(st.success(), "{st}: {}", read(&err));
    for p in [&mut wireplumber, &mut pipewire] {
        let _ = p.kill();
        let _ = p.wait();
    }
}
