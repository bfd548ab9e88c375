//! The virtual camera for real: a PipeWire daemon (session bus + pipewire + wireplumber) in a
//! private runtime directory, `scrim live --sink pipewire:NAME`, and GStreamer's `pipewiresrc`
//! reading the node like any camera consumer. The frames it gets must be redacted.
//!
//! Needs: dbus pipewire pipewire-bin wireplumber gstreamer1.0-pipewire gstreamer1.0-tools
//! gstreamer1.0-plugins-base gstreamer1.0-plugins-good (`make deps` installs them).

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn with_env(mut c: Command, run: &Path) -> Command {
    c.env("XDG_RUNTIME_DIR", run)
        .env("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}/bus", run.display()))
        .env("PIPEWIRE_RUNTIME_DIR", run)
        .stdin(Stdio::null());
    c
}

#[test]
fn pipewire_consumers_see_only_redacted_frames() {
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    std::fs::create_dir_all(&run).unwrap();
    std::fs::set_permissions(&run, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let mut procs = common::Procs(Vec::new());
    let quiet = |mut c: Command| {
        c.stdout(Stdio::null()).stderr(Stdio::null());
        c
    };
    let mut dbus = with_env(Command::new("dbus-daemon"), &run);
    dbus.args([
        "--session",
        "--nofork",
        &format!("--address=unix:path={}/bus", run.display()),
    ]);
    procs.0.push(quiet(dbus).spawn().expect("dbus-daemon (make deps)"));
    std::thread::sleep(Duration::from_millis(500));
    procs.0.push(
        quiet(with_env(Command::new("pipewire"), &run))
            .spawn()
            .expect("pipewire (make deps)"),
    );
    std::thread::sleep(Duration::from_secs(1));
    procs.0.push(
        quiet(with_env(Command::new("wireplumber"), &run))
            .spawn()
            .expect("wireplumber (make deps)"),
    );
    std::thread::sleep(Duration::from_secs(2));

    let src = format!("file:{}", common::asset("examples/intranet-dashboard.png").display());
    let mut scrim = with_env(Command::new(env!("CARGO_BIN_EXE_scrim")), &run);
    scrim
        .args([
            "live",
            "--source",
            &src,
            "--sink",
            "pipewire:scrim-test",
            "--fps",
            "10",
            "--frames",
            "150",
        ])
        .args(["--mode", "hold", "--max-latency", "3000"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let scrim = scrim.spawn().unwrap();
    procs.0.push(scrim);
    // give the analysis time to settle, then read frames as a camera consumer would
    std::thread::sleep(Duration::from_secs(5));
    let shots = dir.path().join("got%02d.png");
    let mut gst = with_env(Command::new("gst-launch-1.0"), &run);
    gst.args([
        "-q",
        "pipewiresrc",
        "target-object=scrim-test",
        "num-buffers=5",
        "!",
        "videoconvert",
    ])
    .args(["!", "pngenc", "!", "multifilesink"])
    .arg(format!("location={}", shots.display()));
    let o = gst.output().expect("gst-launch-1.0 (make deps)");
    assert!(
        o.status.success(),
        "pipewiresrc: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let last = dir.path().join("got04.png");
    assert!(last.is_file(), "no frames read from the PipeWire node");
    let frame = scrim::imageio::load(&last).unwrap();
    assert_eq!((frame.width(), frame.height()), (1920, 1080));
    let text = common::oracle_text(&last);
    let truth = common::truth(&common::asset("examples/intranet-dashboard.json"));
    for s in &truth.sensitive {
        assert!(!text.contains(&common::squash(s)), "{s:?} readable through PipeWire");
    }
    assert!(
        text.contains(&common::squash("On-call handbook")),
        "the page itself is not shown"
    );
}
