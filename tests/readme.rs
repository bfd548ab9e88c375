//! The README's commands, run as written, so they cannot rot.
//!
//! The convention (whoever edits the README keeps it): every line of every ```sh fenced block in
//! the section "## Use" (its ### subsections included, up to the next "## " heading) is a
//! command a user types; text after " #" is a comment, and lines starting with `#` are skipped.
//! Commands use no shell quoting. Other sections' blocks (installing, building) are not run here.
//! Blocks in other languages (```toml, ```text) are not commands.
//!
//! Every such line runs through bash in a scratch directory, with the scrim under test first on
//! the PATH (what `make install` gives a user), an X display (Xvfb) and a PipeWire session. The files the commands read (`shot.png`,
//! `demo.mp4`, `policy.toml`, `shots/*.png`) are made from the bundled examples; the files
//! they write must exist afterwards.
//!
//! - A `scrim live` that runs until it is stopped runs on a pseudo-terminal, as in a terminal:
//!   once its status line shows released frames, the `scrim control` lines that follow it run,
//!   and it is stopped with its `q` key, which must end it cleanly.
//! - `ffplay` stands in for a person watching; here a stand-in of the same name decodes the
//!   stream to nowhere (it must be valid video) and ends with it.
//! - What cannot run on this machine (a camera) is listed with the reason; anything else that
//!   fails, fails the test.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(300);

/// The command lines of every ```sh block of the section "## Use" (up to the next "## "
/// heading, so its ### subsections count).
fn blocks(readme: &str) -> Vec<Vec<String>> {
    let start = readme.find("\n## Use\n").expect("the README has no \"## Use\" section");
    let section = &readme[start + 1..];
    let section = &section[..section[1..].find("\n## ").map_or(section.len(), |e| e + 1)];
    let mut out = Vec::new();
    let mut fences = section.split("\n```");
    fences.next(); // before the first fence
    while let (Some(code), _) = (fences.next(), fences.next()) {
        let Some(code) = code.strip_prefix("sh\n") else {
            continue;
        };
        let lines = code
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(String::from)
            .collect();
        out.push(lines);
    }
    out
}

/// A command line without its trailing comment, split into words (the README's commands use no
/// quoting).
fn words(line: &str) -> Vec<&str> {
    line.split(" #").next().unwrap_or("").split_whitespace().collect()
}

/// The only commands not run, each with why: (what the line contains, the reason). Every entry
/// must skip exactly one line of the section, so the list cannot grow stale or swallow more.
const NOT_HERE: &[(&str, &str)] = &[(
    "--source camera",
    "no camera on this machine (the camera source's decoding and errors: pipeline/live/webcam.rs unit tests; the camera filters: tests/camera.rs)",
)];

/// Why a command cannot run on this machine, if so.
fn not_here(line: &str) -> Option<&'static str> {
    NOT_HERE
        .iter()
        .find(|(what, _)| line.contains(what))
        .map(|(_, why)| *why)
}

/// Runs until stopped: a live capture of something that does not end (not stdin or a file).
fn runs_until_stopped(line: &str) -> bool {
    let w = words(line);
    w.first() == Some(&"scrim")
        && w.get(1) == Some(&"live")
        && !w
            .windows(2)
            .any(|p| p[0] == "--source" && (p[1] == "stdin" || p[1].starts_with("file:")))
}

/// The files a command writes.
fn outputs(line: &str) -> Vec<String> {
    let w = words(line);
    let mut out = Vec::new();
    for p in w.windows(2) {
        match p[0] {
            "-o" | "--preview" | "--report" => out.push(p[1].to_string()),
            "--sink" if p[1].starts_with("file:") => out.push(p[1][5..].to_string()),
            _ => {}
        }
    }
    out
}

/// Makes the files a command reads, from the bundled examples.
fn make_inputs(line: &str, dir: &Path) {
    let outs = outputs(line);
    let dashboard = common::asset("examples/intranet-dashboard.png");
    for w in words(line) {
        let w = w.trim_start_matches("file:");
        let Some(ext) = Path::new(w).extension().and_then(|e| e.to_str()) else {
            continue;
        };
        if outs.iter().any(|o| o == w) || w.starts_with('-') || w.contains(':') {
            continue;
        }
        let path = dir.join(w);
        if let Some(d) = w.strip_suffix("*.png") {
            let d = dir.join(d);
            std::fs::create_dir_all(&d).unwrap();
            std::fs::copy(&dashboard, d.join("dashboard.png")).unwrap();
            std::fs::copy(common::asset("fixtures/release-notes.png"), d.join("notes.png")).unwrap();
            continue;
        }
        if path.exists() {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        match ext {
            "png" | "jpg" | "webp" => {
                std::fs::copy(&dashboard, &path).unwrap();
            }
            "toml" => {
                std::fs::copy(common::asset("policy.example.toml"), &path).unwrap();
            }
            "mp4" | "mkv" | "mov" | "webm" => common::ffmpeg(&[
                "-loop",
                "1",
                "-framerate",
                "10",
                "-t",
                "2",
                "-i",
                dashboard.to_str().unwrap(),
                "-pix_fmt",
                "yuv420p",
                path.to_str().unwrap(),
            ]),
            _ => {}
        }
    }
}

struct Env {
    dir: PathBuf,
    vars: Vec<(String, String)>,
}

impl Env {
    fn bash(&self, line: &str) -> Command {
        let mut c = Command::new("bash");
        c.args(["-o", "pipefail", "-c", line])
            .current_dir(&self.dir)
            .env_remove("WAYLAND_DISPLAY")
            .envs(self.vars.iter().map(|(k, v)| (k, v)));
        c
    }
}

/// A successful command prints no line a user reads as a failure (`error: ...` from a library).
fn assert_no_error_lines(line: &str, stderr: &str) {
    let bad: Vec<&str> = stderr
        .lines()
        .map(|l| l.trim_start_matches('\r').trim())
        .filter(|l| l.to_ascii_lowercase().starts_with("error"))
        .collect();
    assert!(
        bad.is_empty(),
        "README command succeeded but printed {bad:?}: {line}\n{stderr}"
    );
}

fn run_to_end(env: &Env, line: &str) {
    let o = env.bash(line).stdin(Stdio::null()).output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success(),
        "README command failed: {line}\n{}{stderr}",
        String::from_utf8_lossy(&o.stdout),
    );
    assert_no_error_lines(line, &stderr);
}

/// A status line with at least one released frame.
fn released_frames(text: &str) -> bool {
    let re = regex::Regex::new(r"(\d+) clean / (\d+) covered").unwrap();
    let released = re
        .captures_iter(text)
        .any(|c| c[1].parse::<u64>().unwrap() + c[2].parse::<u64>().unwrap() > 0);
    released
}

/// Runs an until-stopped command on a terminal, the `scrim control` lines meanwhile, then `q`.
fn run_interactive(env: &Env, line: &str, meanwhile: &[String]) {
    let (pty, mut child) = common::Pty::spawn(env.bash(line).stdout(Stdio::null()));
    let started = pty.wait_for(0, DEADLINE, released_frames);
    if !started {
        let _ = child.kill();
        panic!("README command never released a frame: {line}\n{}", pty.text());
    }
    if let Some(sink) = words(line).windows(2).find(|p| p[0] == "--sink").map(|p| p[1]) {
        if let Some(name) = sink.strip_prefix("pipewire:") {
            let listed = common::wait_until(DEADLINE, || {
                let o = env.bash("pw-dump").output().unwrap();
                String::from_utf8_lossy(&o.stdout).contains(&format!("\"node.name\": \"{name}\""))
            });
            assert!(listed, "{line}: no PipeWire node {name}");
        }
    }
    for m in meanwhile {
        let o = env.bash(m).stdin(Stdio::null()).output().unwrap();
        let said = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success() && said.starts_with("ok"),
            "{m}: {said}{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    pty.send(b"q");
    let ended = common::wait_until(DEADLINE, || child.try_wait().unwrap().is_some());
    if !ended {
        let _ = child.kill();
        panic!("`q` did not end: {line}\n{}", pty.text());
    }
    let status = child.wait().unwrap();
    assert!(status.success(), "README command failed: {line}\n{}", pty.text());
    assert!(pty.text().contains("scrim live: done"), "{line}\n{}", pty.text());
    assert_no_error_lines(line, &pty.text());
}

#[test]
fn every_readme_command_runs_as_written() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let blocks = blocks(&readme);
    assert!(
        blocks.len() >= 2 && blocks[0].len() >= 10,
        "the \"## Use\" section lost its ```sh blocks: {blocks:?}"
    );

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("work");
    let home = tmp.path().join("home");
    let shims = tmp.path().join("shims");
    for d in [&dir, &home, &shims] {
        std::fs::create_dir_all(d).unwrap();
    }
    let ffplay = shims.join("ffplay");
    std::fs::write(
        &ffplay,
        "#!/bin/sh\n# a stand-in viewer: decode the stream to nowhere\nexec ffmpeg -v error -nostdin -i - -f null -\n",
    )
    .unwrap();
    std::fs::set_permissions(&ffplay, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();

    let mut procs = common::Procs(Vec::new());
    let display = common::xvfb(&mut procs, "1920x1080x24");
    let mut vars = common::pipewire_session(&mut procs, tmp.path());
    let bin = Path::new(env!("CARGO_BIN_EXE_scrim")).parent().unwrap().to_path_buf();
    let path = format!(
        "{}:{}:{}",
        bin.display(),
        shims.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    vars.extend([
        ("PATH".to_string(), path),
        ("HOME".to_string(), home.display().to_string()),
        ("DISPLAY".to_string(), display),
        // the models where this machine's fetch put them (the home is a scratch one)
        (
            "SCRIM_MODEL_DIR".to_string(),
            common::models().root().display().to_string(),
        ),
    ]);
    let env = Env { dir: dir.clone(), vars };

    let mut ran = 0;
    let mut skipped = Vec::new();
    for block in &blocks {
        let mut i = 0;
        while i < block.len() {
            let line = &block[i];
            i += 1;
            if let Some(why) = not_here(line) {
                skipped.push(format!("{line}: {why}"));
                continue;
            }
            make_inputs(line, &dir);
            if runs_until_stopped(line) {
                let start = i;
                while i < block.len() && block[i].starts_with("scrim control") {
                    i += 1;
                }
                run_interactive(&env, line, &block[start..i]);
                ran += 1 + i - start;
            } else {
                run_to_end(&env, line);
                ran += 1;
            }
            for o in outputs(line) {
                assert!(dir.join(&o).exists(), "{line}: wrote no {o}");
            }
        }
    }
    eprintln!("{ran} README commands ran; not runnable here: {skipped:#?}");
    for (what, _) in NOT_HERE {
        let n = skipped.iter().filter(|s| s.contains(what)).count();
        assert_eq!(
            n, 1,
            "{n} README commands skipped for {what:?} (one expected): {skipped:#?}"
        );
    }
}
