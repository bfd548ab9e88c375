//! `make install` / `make uninstall`: the binary lands in PREFIX/bin, its models in
//! PREFIX/share/scrim/models, and the installed scrim finds them on its own (no SCRIM_MODEL_DIR,
//! no model cache in the user's home). The build step of `make install` (cargo build --release)
//! is left out: `install-files` installs the binary under test.

mod common;

use std::path::Path;
use std::process::Command;

fn make(args: &[&str], prefix: &Path) -> String {
    let o = Command::new("make")
        .current_dir(common::root())
        .args(["--no-print-directory", "-s"])
        .args(args)
        .arg(format!("PREFIX={}", prefix.display()))
        .arg(format!("SCRIM_BIN={}", env!("CARGO_BIN_EXE_scrim")))
        .env_remove("SCRIM_MODEL_DIR")
        .env_remove("MAKEFLAGS")
        .output()
        .expect("make");
    let out = String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "make {args:?}: {out}");
    out
}

#[test]
fn make_install_puts_scrim_and_its_models_where_it_finds_them() {
    let _ = common::models(); // the models a user fetched (make example / make test) are copied
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("prefix");
    let said = make(&["install-files"], &prefix);
    assert!(said.contains("scrim installed"), "{said}");
    let scrim = prefix.join("bin/scrim");
    let models = prefix.join("share/scrim/models");
    assert!(scrim.is_file() && models.join(scrim::models::OCR_DET_MODEL).is_file());

    // another user: no SCRIM_MODEL_DIR, an empty home and cache
    let home = dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let o = Command::new(&scrim)
        .arg("doctor")
        .env_remove("SCRIM_MODEL_DIR")
        .env_remove("ORT_DYLIB_PATH")
        .env("HOME", &home)
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains(&format!("model directory: {}", models.display())), "{out}");

    make(&["uninstall"], &prefix);
    assert!(!scrim.exists() && !prefix.join("share/scrim").exists());
    assert!(
        common::models().root().is_dir(),
        "uninstall left the user's model cache alone"
    );
}
