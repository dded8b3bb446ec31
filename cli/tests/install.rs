//! `cargo install --path cli` gives a working `keycard-codegen`, with no checkout around it.

use std::fs;
use std::path::Path;
use std::process::Command;

#[test]
fn cargo_install_gives_a_working_binary() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = tempfile::tempdir().unwrap();
    // Its own build folder, kept between runs: the one of this test run is locked by cargo.
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-install");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["install", "--locked", "--debug", "--quiet", "--path"])
        .arg(crate_dir)
        .arg("--root")
        .arg(root.path())
        .arg("--target-dir")
        .arg(&target_dir)
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "cargo install failed:\n{}", String::from_utf8_lossy(&output.stderr));
    let binary = root.path().join("bin").join(format!("keycard-codegen{}", std::env::consts::EXE_SUFFIX));

    // Run from a folder that has nothing of this repository in it.
    let work = tempfile::tempdir().unwrap();
    let spec = fs::read_to_string(crate_dir.join("../spec/openapi.yaml")).unwrap();
    fs::write(work.path().join("openapi.yaml"), spec).unwrap();
    let output = Command::new(&binary)
        .args(["--spec", "openapi.yaml", "--out", "keycard-client"])
        .current_dir(work.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let manifest = fs::read_to_string(work.path().join("keycard-client/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"keycard-client\""), "{manifest}");
    assert!(work.path().join("keycard-client/src/resources.rs").is_file());

    let version = Command::new(&binary).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("keycard-codegen {}", env!("CARGO_PKG_VERSION"))
    );
}
