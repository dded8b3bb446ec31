//! `cargo xtask test`: installs the tools the tests use, from committed pins, then runs
//! every test of the workspace.

use std::path::Path;
use std::process::{Command, ExitCode};

use crate::project_root;

#[derive(clap::Args)]
pub struct Args {
    /// Extra arguments for `cargo test` (after `--`).
    #[arg(last = true)]
    cargo_args: Vec<String>,
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    let root = project_root();
    install_node_tools(&root.join("tests"))?;
    let validator = install_python_tools(&root)?;
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(&root)
        .args(["test", "--workspace", "--all-targets"])
        .args(&args.cargo_args)
        .env("OPENAPI_SPEC_VALIDATOR", &validator)
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
        .map_err(|err| format!("cannot run cargo test: {err}"))?;
    if !status.success() {
        return Ok(ExitCode::FAILURE);
    }
    // Doctests are not part of `--all-targets`.
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(&root)
        .args(["test", "--workspace", "--doc"])
        .status()
        .map_err(|err| format!("cannot run cargo test --doc: {err}"))?;
    Ok(if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
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
    println!("installing from {} (npm ci)", lock.display());
    run_tool(Command::new("npm").args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"]).current_dir(dir))
}

/// The OpenAPI validator, from `tests/requirements.txt`, in a virtualenv under `target/`.
fn install_python_tools(root: &Path) -> Result<std::path::PathBuf, String> {
    let requirements = root.join("tests/requirements.txt");
    let venv = root.join("target/test-tools/venv");
    let validator = venv.join("bin/openapi-spec-validator");
    let stamp = venv.join("installed-requirements.txt");
    let wanted =
        std::fs::read_to_string(&requirements).map_err(|err| format!("{}: {err}", requirements.display()))?;
    if validator.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(validator);
    }
    println!("installing test tools from {} (pip)", requirements.display());
    run_tool(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    run_tool(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(&requirements),
    )?;
    std::fs::write(&stamp, wanted).map_err(|err| format!("{}: {err}", stamp.display()))?;
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
