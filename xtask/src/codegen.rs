//! `cargo xtask codegen`: read the document, run the generator, bring the output folder in
//! line (or, with `--check`, only report how it differs).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use keycard_codegen::{generate, Options};

use crate::project_root;
use crate::sync::{self, Difference};

const DEFAULT_SPEC: &str = "spec/openapi.yaml";
const DEFAULT_OUT: &str = "generated";
const DEFAULT_CRATE: &str = "keycardai-api";

#[derive(clap::Args)]
pub struct Args {
    /// Write nothing; list every stale, missing or orphaned file and fail if there is one.
    #[arg(long)]
    check: bool,
    /// The OpenAPI 3.0 document (YAML or JSON).
    #[arg(long, default_value = DEFAULT_SPEC)]
    spec: PathBuf,
    /// The folder of the generated crate.
    #[arg(long, default_value = DEFAULT_OUT)]
    out: PathBuf,
    /// The generated crate's package name [default: `keycardai-api` for `generated/`,
    /// otherwise the name of the output folder].
    #[arg(long)]
    crate_name: Option<String>,
    /// Treat warnings (skipped constructs) as errors.
    #[arg(long)]
    deny_warnings: bool,
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    let root = project_root();
    let spec = root.join(&args.spec);
    let out = root.join(&args.out);
    let spec_path = display_path(&spec, &root);
    let bytes = std::fs::read(&spec).map_err(|err| format!("cannot read {spec_path}: {err}"))?;
    let text = keycard_codegen::load::decode(&bytes, &spec_path).map_err(|err| err.to_string())?;
    let options = Options { spec_path, crate_name: crate_name(args, &out) };
    let output = generate(&text, &options).map_err(|err| err.to_string())?;
    for warning in &output.warnings {
        eprintln!("warning: {}: {warning}", options.spec_path);
    }
    if args.deny_warnings && !output.warnings.is_empty() {
        return Err(format!(
            "{} warning(s), and --deny-warnings is set; nothing written",
            output.warnings.len()
        ));
    }

    let differences = sync::compare(&out, &output.files).map_err(|err| err.to_string())?;
    if args.check {
        return Ok(report_check(&out, &differences));
    }
    sync::apply(&out, &differences).map_err(|err| err.to_string())?;
    if differences.is_empty() {
        println!("{} is up to date ({} files)", out.display(), output.files.len());
    } else {
        for difference in &differences {
            println!("{:>8} {}", difference.verb(), difference.path().display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn report_check(out: &Path, differences: &[Difference]) -> ExitCode {
    if differences.is_empty() {
        println!("{} is up to date", out.display());
        return ExitCode::SUCCESS;
    }
    for difference in differences {
        eprintln!("{}: {}", difference.describe(), out.join(difference.path()).display());
        if let Some(diff) = difference.short_diff() {
            eprintln!("{diff}");
        }
    }
    eprintln!(
        "{} generated file(s) out of date: run `cargo xtask codegen` and commit the result",
        differences.len()
    );
    ExitCode::FAILURE
}

/// The document's path as headers and messages show it: relative to the project when it is
/// inside, so output is the same on every machine.
fn display_path(path: &Path, root: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

fn crate_name(args: &Args, out: &Path) -> String {
    if let Some(name) = &args.crate_name {
        return name.clone();
    }
    if args.out == Path::new(DEFAULT_OUT) {
        return DEFAULT_CRATE.to_owned();
    }
    out.file_name().map_or_else(|| DEFAULT_CRATE.to_owned(), |n| n.to_string_lossy().into_owned())
}
