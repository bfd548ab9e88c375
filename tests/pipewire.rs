//! The virtual camera for real: a PipeWire daemon (session bus + pipewire + wireplumber) in a
//! private runtime directory, `scrim live --sink pipewire:NAME`, and GStreamer's `pipewiresrc`
//! reading the node like any camera consumer. The frames it gets must be redacted.
//!
//! Needs: dbus pipewire pipewire-bin wireplumber gstreamer1.0-pipewire gstreamer1.0-tools
//! gstreamer1.0-plugins-base gstreamer1.0-plugins-good (`make deps` installs them).

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

fn with_env(mut c: Command, run: &Path) -> Command {
    c.env("XDG_RUNTIME_DIR", run)
        .env("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}/bus", run.display()))
        .env("PIPEWIRE_RUNTIME_DIR", run)
        .stdin(Stdio::null());
    c
}

/// What `pw-cli ls OBJECT_TYPE` lists on the daemon in `run` (empty if it cannot connect).
fn pw_list(run: &Path, kind: &str) -> String {
    let o = with_env(Command::new("pw-cli"), run)
        .args(["ls", kind])
        .stderr(Stdio::null())
        .output()
        .expect("pw-cli (make deps)");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn has_node(run: &Path, name: &str) -> bool {
    pw_list(run, "Node").contains(&format!("node.name = \"{name}\""))
}

/// A session bus, PipeWire and WirePlumber in the private runtime directory `run`, each waited
/// for (its socket, its client) rather than given a fixed time.
fn daemons(procs: &mut common::Procs, run: &Path) {
    std::fs::create_dir_all(run).unwrap();
    std::fs::set_permissions(run, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let quiet = |mut c: Command| {
        c.stdout(Stdio::null()).stderr(Stdio::null());
        c
    };
    let mut dbus = with_env(Command::new("dbus-daemon"), run);
    dbus.args([
        "--session",
        "--nofork",
        &format!("--address=unix:path={}/bus", run.display()),
    ]);
    procs.0.push(quiet(dbus).spawn().expect("dbus-daemon (make deps)"));
    common::wait_for(30, "the session bus", || run.join("bus").exists());
    procs.0.push(pipewire(run));
    procs.0.push(
        quiet(with_env(Command::new("wireplumber"), run))
            .spawn()
            .expect("wireplumber (make deps)"),
    );
    common::wait_for(60, "WirePlumber to connect", || {
        pw_list(run, "Client").contains("WirePlumber")
    });
}

/// The PipeWire daemon alone, once it answers.
fn pipewire(run: &Path) -> std::process::Child {
    let child = with_env(Command::new("pipewire"), run)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("pipewire (make deps)");
    common::wait_for(30, "the PipeWire daemon", || pw_list(run, "Core").contains("id 0"));
    child
}

#[test]
fn pipewire_consumers_see_only_redacted_frames() {
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    let mut procs = common::Procs(Vec::new());
    daemons(&mut procs, &run);

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
    common::wait_for(120, "scrim's PipeWire node", || has_node(&run, "scrim-test"));
    // read frames as a camera consumer would (hold mode releases only analysed frames)
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

#[test]
fn ctrl_c_to_the_process_group_removes_the_node_and_exits_0() {
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    let mut procs = common::Procs(Vec::new());
    daemons(&mut procs, &run);
    let src = format!("file:{}", common::asset("examples/intranet-dashboard.png").display());
    let mut scrim = with_env(Command::new(env!("CARGO_BIN_EXE_scrim")), &run);
    let mut scrim = scrim
        .args(["live", "--source", &src, "--sink", "pipewire:scrim-int", "--fps", "10"])
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    common::wait_for(120, "scrim's PipeWire node", || has_node(&run, "scrim-int"));
    // SAFETY: kill has no memory preconditions; the group is the child's
    assert_eq!(unsafe { libc::kill(-(scrim.id() as i32), libc::SIGINT) }, 0);
    let mut status = None;
    common::wait_for(30, "scrim to exit", || {
        status = scrim.try_wait().unwrap();
        status.is_some()
    });
    let err = String::from_utf8_lossy(&scrim.wait_with_output().unwrap().stderr).into_owned();
    assert!(status.unwrap().success(), "{err}");
    common::wait_for(30, "the node to go away", || !has_node(&run, "scrim-int"));
}
