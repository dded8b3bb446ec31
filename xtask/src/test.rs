//! `cargo xtask test`: installs the tools the tests use, from committed pins, then runs
//! every test of the workspace, saying what it does and how long each step took.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use crate::project_root;

#[derive(clap::Args)]
pub struct Args {
    /// Extra arguments for `cargo test` (after `--`).
    #[arg(last = true)]
    cargo_args: Vec<String>,
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    let started = Instant::now();
    let root = project_root();
    install_node_tools(&root.join("tests"))?;
    let validator = install_python_tools(&root)?;
    // The benches are left out (`--all-targets` would run each once, in a debug build: about
    // 35 s); `cargo clippy --all-targets` in CI still compiles them.
    let mut tests: Vec<String> =
        ["test", "--workspace", "--lib", "--bins", "--tests", "--examples"].map(String::from).into();
    tests.extend(args.cargo_args.iter().cloned());
    // Doctests (the crates' and the README's) are not part of the targets above.
    let doctests = ["test", "--workspace", "--doc"].map(String::from);
    for cargo_args in [&tests[..], &doctests] {
        if !cargo_test(&root, &validator, cargo_args)? {
            return Ok(ExitCode::FAILURE);
        }
    }
    eprintln!("xtask test: every test passed in {}", elapsed(started));
    Ok(ExitCode::SUCCESS)
}

/// Runs `cargo <args>` in the workspace with what the tests need in the environment; `false`
/// when a test failed.
fn cargo_test(root: &Path, validator: &Path, args: &[String]) -> Result<bool, String> {
    let started = Instant::now();
    let command_line = format!("cargo {}", args.join(" "));
    eprintln!("xtask test: {command_line}");
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    if std::env::var_os("CARGO_TARGET_DIR").is_some() {
        // Made absolute: a relative one was meant from where `cargo xtask` ran, not from `root`.
        command.env("CARGO_TARGET_DIR", target_dir());
    }
    let status = command
        .current_dir(root)
        .args(args)
        .env("OPENAPI_SPEC_VALIDATOR", validator)
        // Tests talk to loopback only: no proxy may take their requests elsewhere.
        .env("NO_PROXY", "127.0.0.1,localhost,::1")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env("PRISM_BIN", root.join("tests/node_modules/.bin/prism"))
        .status()
        .map_err(|err| format!("cannot run {command_line}: {err}"))?;
    let outcome = if status.success() { "passed" } else { "FAILED" };
    eprintln!("xtask test: {command_line}: {outcome} in {}", elapsed(started));
    Ok(status.success())
}

/// Cargo's target directory: `CARGO_TARGET_DIR` when set (relative to where cargo was run),
/// else `target/` in the workspace.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR").filter(|dir| !dir.is_empty()) {
        Some(dir) => std::path::absolute(&dir).unwrap_or_else(|_| dir.into()),
        None => project_root().join("target"),
    }
}

/// The npm packages pinned in `dir/package-lock.json` (Prism for the tests, the real-world
/// documents); reinstalled only when the lockfile changed. Install scripts are not run: none
/// of these packages needs one.
pub fn install_node_tools(dir: &Path) -> Result<(), String> {
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules/.package-lock.json");
    if is_newer_or_same(&installed, &lock) {
        return Ok(());
    }
    let started = Instant::now();
    eprintln!("xtask: installing from {} (npm ci)", lock.display());
    run_tool(
        Command::new("npm").args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"]).current_dir(dir),
    )?;
    eprintln!("xtask: npm ci done in {}", elapsed(started));
    Ok(())
}

/// The OpenAPI validator, from `tests/requirements.txt`, in a virtualenv in the target
/// directory.
fn install_python_tools(root: &Path) -> Result<PathBuf, String> {
    let requirements = root.join("tests/requirements.txt");
    let venv = target_dir().join("test-tools/venv");
    let validator = venv.join("bin/openapi-spec-validator");
    let stamp = venv.join("installed-requirements.txt");
    let wanted =
        std::fs::read_to_string(&requirements).map_err(|err| format!("{}: {err}", requirements.display()))?;
    if validator.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(validator);
    }
    let started = Instant::now();
    eprintln!("xtask: installing from {} into {} (pip)", requirements.display(), venv.display());
    run_tool(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    run_tool(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(&requirements),
    )?;
    std::fs::write(&stamp, wanted).map_err(|err| format!("{}: {err}", stamp.display()))?;
    eprintln!("xtask: pip install done in {}", elapsed(started));
    Ok(validator)
}

fn is_newer_or_same(path: &Path, than: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((modified(path), modified(than)), (Some(a), Some(b)) if a >= b)
}

pub fn run_tool(command: &mut Command) -> Result<(), String> {
    let status = command.status().map_err(|err| format!("cannot run {command:?}: {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed with {status}"))
    }
}

/// `42 s` or `3 min 05 s`.
fn elapsed(since: Instant) -> String {
    let secs = since.elapsed().as_secs();
    if secs < 60 {
        format!("{secs} s")
    } else {
        format!("{} min {:02} s", secs / 60, secs % 60)
    }
}
