//! `cargo xtask semver-oracle`: checks the change report's source verdicts against an
//! independent oracle. For each edit of the corpus (`tests/fixtures/edits/`) it generates the
//! crate before and after, has rustdoc describe each as JSON, runs `cargo-semver-checks` (from
//! crates.io, at a pinned version) on the pair, and compares its verdict (does the change need a
//! major version?) with the report's (is any change breaking for Rust code?). Prints a table and
//! writes it to `semver-oracle/results.md` in the target directory. Slow (every crate is
//! documented once, and the first run builds cargo-semver-checks): not part of CI.
//!
//! Rustdoc's JSON output is unstable: on a stable toolchain it needs `RUSTC_BOOTSTRAP=1`, as
//! cargo-semver-checks itself sets when it builds the JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use keycard_codegen::changes::{self, Source};
use keycard_codegen::{generate, Options};

use crate::project_root;
use crate::test::{run_tool, target_dir};

// The corpus test's own reader; the expectations it also reads are the test's business.
#[allow(dead_code)]
#[path = "../../tests/support/edits.rs"]
mod edits;

/// The cargo-semver-checks release the comparison is made with.
const SEMVER_CHECKS_VERSION: &str = "0.51.0";
/// The package name both crates of a pair have: cargo-semver-checks compares items by path,
/// and the path starts with the crate's name.
const CRATE_NAME: &str = "edited-client";

#[derive(clap::Args)]
pub struct Args {
    /// Only these edits (file names without `.yaml`); all by default.
    #[arg(long = "edit", value_name = "NAME")]
    edits: Vec<String>,
}

/// What cargo-semver-checks said about one pair.
struct Oracle {
    major: bool,
    /// The lints that failed, by name.
    lints: Vec<String>,
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    let started = Instant::now();
    let root = project_root();
    let tool = install_semver_checks()?;
    let scratch = target_dir().join("semver-oracle");
    let mut edits = edits::load_all(&root)?;
    if !args.edits.is_empty() {
        edits.retain(|edit| args.edits.contains(&edit.name));
    }
    // The same document before many edits is documented once.
    let mut baselines: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut rows = Vec::new();
    for edit in &edits {
        let documents = edit.documents(&root)?;
        let options = Options { spec_path: edit.base.clone(), crate_name: CRATE_NAME.to_owned() };
        let before = generate(&documents.before, &options).map_err(|err| format!("{}: {err}", edit.name))?;
        let after = generate(&documents.after, &options).map_err(|err| format!("{}: {err}", edit.name))?;
        let report = changes::compare(&before.record, &after.record, None, &edit.base);

        let baseline = match baselines.get(&documents.before) {
            Some(json) => json.clone(),
            None => {
                let name = format!("base-{}", baselines.len());
                let json = rustdoc_json(&scratch, &name, &before.files)?;
                baselines.insert(documents.before.clone(), json.clone());
                json
            }
        };
        let current = rustdoc_json(&scratch, &edit.name, &after.files)?;
        let oracle = semver_checks(&tool, &baseline, &current)?;
        let breaking: Vec<String> = report
            .entries
            .iter()
            .filter(|entry| entry.source == Source::Breaking)
            .map(|entry| format!("{} {}", entry.change.kind.id(), entry.change.subject))
            .collect();
        let bump = report.bump().map_or("none", |bump| bump.as_str());
        eprintln!(
            "semver-oracle: {}: report {bump}, cargo-semver-checks {}",
            edit.name,
            if oracle.major { "major" } else { "not major" }
        );
        rows.push((edit.name.clone(), bump, breaking, oracle));
    }

    let mut table = String::from(
        "| edit | report: bump | report: breaking for Rust | cargo-semver-checks | its failed lints | agree |\n|---|---|---|---|---|---|\n",
    );
    let mut disagreements = 0;
    for (name, bump, breaking, oracle) in &rows {
        let report_major = !breaking.is_empty();
        let agree = report_major == oracle.major;
        disagreements += usize::from(!agree);
        let _ = writeln!(
            table,
            "| {name} | {bump} | {} | {} | {} | {} |",
            if breaking.is_empty() { "-".to_owned() } else { breaking.join("; ") },
            if oracle.major { "major" } else { "not major" },
            if oracle.lints.is_empty() { "-".to_owned() } else { oracle.lints.join(", ") },
            if agree { "yes" } else { "**no**" },
        );
    }
    let summary = format!(
        "{} edits, cargo-semver-checks {SEMVER_CHECKS_VERSION}: {} agree, {disagreements} disagree ({} s)",
        rows.len(),
        rows.len() - disagreements,
        started.elapsed().as_secs()
    );
    let results = scratch.join("results.md");
    fs::write(&results, format!("{summary}\n\n{table}"))
        .map_err(|err| format!("{}: {err}", results.display()))?;
    println!("{table}\n{summary}\n(written to {})", results.display());
    Ok(ExitCode::SUCCESS)
}

/// cargo-semver-checks, installed from crates.io into the target directory at the pinned
/// version (once).
fn install_semver_checks() -> Result<PathBuf, String> {
    let root = target_dir().join("test-tools");
    let binary = root.join("bin/cargo-semver-checks");
    let installed = Command::new(&binary)
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains(SEMVER_CHECKS_VERSION));
    if !installed {
        eprintln!(
            "semver-oracle: installing cargo-semver-checks {SEMVER_CHECKS_VERSION} (a few minutes, once)"
        );
        run_tool(
            Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                .args(["install", "--locked", "--version", SEMVER_CHECKS_VERSION, "--root"])
                .arg(&root)
                .arg("cargo-semver-checks"),
        )?;
    }
    Ok(binary)
}

/// Writes the crate into `scratch/crates/<name>`, has rustdoc describe it as JSON (sharing one
/// target directory, so the dependencies are built once), and returns the JSON's path.
fn rustdoc_json(
    scratch: &Path,
    name: &str,
    files: &[keycard_codegen::GeneratedFile],
) -> Result<PathBuf, String> {
    let dir = scratch.join("crates").join(name);
    let _ = fs::remove_dir_all(&dir);
    for file in files {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|err| format!("{}: {err}", parent.display()))?;
        }
        // A workspace of its own, so that no folder above claims the crate.
        let contents = match file.path.as_str() {
            "Cargo.toml" => format!("{}\n[workspace]\n", file.contents),
            _ => file.contents.clone(),
        };
        fs::write(&path, contents).map_err(|err| format!("{}: {err}", path.display()))?;
    }
    // The workspace's lock file pins the dependencies the fixture crates build with.
    let lock = project_root().join("Cargo.lock");
    fs::copy(&lock, dir.join("Cargo.lock")).map_err(|err| format!("{}: {err}", lock.display()))?;
    let target = scratch.join("target");
    run_tool(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["rustdoc", "--quiet", "--lib", "--manifest-path"])
            .arg(dir.join("Cargo.toml"))
            .args(["--", "-Z", "unstable-options", "--output-format", "json"])
            .env("RUSTC_BOOTSTRAP", "1")
            .env("CARGO_TARGET_DIR", &target),
    )?;
    let json = target.join("doc").join(format!("{}.json", CRATE_NAME.replace('-', "_")));
    let kept = scratch.join("json").join(format!("{name}.json"));
    fs::create_dir_all(scratch.join("json")).map_err(|err| err.to_string())?;
    fs::copy(&json, &kept).map_err(|err| format!("{}: {err}", json.display()))?;
    Ok(kept)
}

/// Whether cargo-semver-checks finds that going from `baseline` to `current` needs a major
/// version: asked as a minor release, it fails exactly on the changes that need a major one.
fn semver_checks(tool: &Path, baseline: &Path, current: &Path) -> Result<Oracle, String> {
    let output = Command::new(tool)
        .args(["semver-checks", "check-release", "--release-type", "minor", "--color", "never"])
        .arg("--baseline-rustdoc")
        .arg(baseline)
        .arg("--current-rustdoc")
        .arg(current)
        .output()
        .map_err(|err| format!("cannot run {}: {err}", tool.display()))?;
    let text =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let lints: Vec<String> = text
        .lines()
        .filter_map(|line| line.trim().strip_prefix("--- failure "))
        .filter_map(|rest| rest.split(':').next())
        .map(str::to_owned)
        .collect();
    match (output.status.success(), lints.is_empty()) {
        (true, _) => Ok(Oracle { major: false, lints }),
        (false, false) => Ok(Oracle { major: true, lints }),
        (false, true) => Err(format!("cargo-semver-checks failed without a lint:\n{text}")),
    }
}
