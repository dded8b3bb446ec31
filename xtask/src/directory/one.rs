//! `cargo xtask generate-one` (hidden): generates one document and reports the outcome on
//! standard output, one fact a line. `real-world --directory` runs it as a child process for
//! each document, so that a panic or a hang in the generator is caught and counted per
//! document instead of ending the run.
//!
//! The report (fields separated by tabs):
//! - `openapi <version>`: first, before generating, so that it is known even when
//!   generation then panics or hangs;
//! - then `generated <files> <lines> <warnings>` or `refused <first line of the error>`.

use std::fs;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use keycard_codegen::{generate, load, Options};

#[derive(clap::Args)]
pub struct Args {
    /// The document.
    #[arg(long)]
    spec: PathBuf,
    /// What to call the document in messages and file headers.
    #[arg(long)]
    name: String,
    #[arg(long)]
    crate_name: String,
    /// Write the crate into this folder; without it nothing is written.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    let bytes = fs::read(&args.spec).map_err(|err| format!("{}: {err}", args.spec.display()))?;
    let mut stdout = io::stdout().lock();
    let report = |stdout: &mut io::StdoutLock, line: String| {
        writeln!(stdout, "{line}")
            .and_then(|()| stdout.flush())
            .map_err(|err| format!("standard output: {err}"))
    };
    report(&mut stdout, format!("openapi\t{}", version(&bytes)))?;

    let options = Options { spec_path: args.name.clone(), crate_name: args.crate_name.clone() };
    match load::decode(&bytes, &args.name).and_then(|text| generate(&text, &options)) {
        Ok(output) => {
            let files = output.files.len();
            let lines: usize = output.files.iter().map(|file| file.contents.lines().count()).sum();
            let warnings = output.warnings.len();
            if let Some(out) = &args.out {
                keycard_codegen_cli::write_crate(out, output.files, &args.name)
                    .map_err(|err| err.to_string())?;
            }
            report(&mut stdout, format!("generated\t{files}\t{lines}\t{warnings}"))?;
        }
        Err(err) => {
            let message = err.to_string();
            let first_line = message.lines().next().unwrap_or_default().replace('\t', " ");
            report(&mut stdout, format!("refused\t{first_line}"))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The document's `openapi` version (`swagger 2.0` for Swagger), or `unknown` when the text
/// does not say.
fn version(bytes: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct Head {
        openapi: Option<serde_json::Value>,
        swagger: Option<serde_json::Value>,
    }
    let is_json = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    let head: Option<Head> =
        if is_json { serde_json::from_slice(bytes).ok() } else { serde_yaml::from_slice(bytes).ok() };
    let text = |value: serde_json::Value| match value {
        serde_json::Value::String(text) => text.replace(char::is_whitespace, " "),
        other => other.to_string(),
    };
    match head {
        Some(Head { openapi: Some(version), .. }) => text(version),
        Some(Head { swagger: Some(version), .. }) => format!("swagger {}", text(version)),
        _ => "unknown".to_owned(),
    }
}
