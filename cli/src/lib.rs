//! The `keycard-codegen` command (and `cargo xtask codegen`): read an OpenAPI document, run the
//! generator, and bring the output folder in line, or with `--check` only report how it
//! differs. All file I/O of generation lives here; the generator itself writes nothing.
//!
//! The order of a run: resolve the paths ([`paths`]), read and generate in memory, read the
//! output folder and decide who owns what ([`folder`]), plan every change and refuse the whole
//! run if it would touch a file of the user's ([`plan`]), say what changed in the API since the
//! previous generation ([`report`]), then write in place ([`write`]).

pub mod args;
mod folder;
mod paths;
mod plan;
mod report;
mod write;

use std::fmt::Write as _;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use keycard_codegen::{generate, GeneratedFile, Options};

pub use args::Args;
pub use folder::RECORD_PATH;
use paths::Source;
use plan::Change;

/// What `cargo xtask codegen` uses when `--spec` or `--out` is not given.
pub struct Defaults {
    pub spec: PathBuf,
    pub out: PathBuf,
    /// The crate name for the default output folder.
    pub crate_name: String,
}

/// Everything that stops a run. Each says where; none leaves the output folder half-written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("cannot read the document from standard input: {0}")]
    StandardInput(io::Error),
    #[error("{} is not a folder", path.display())]
    NotAFolder { path: PathBuf },
    #[error("{} is the generator's record of the files it wrote, but is not a regular file", path.display())]
    NotAFile { path: PathBuf },
    #[error("{}", crate_name_message(name, from_folder.as_deref()))]
    CrateName { name: String, from_folder: Option<PathBuf> },
    #[error(
        "--report {} is inside the output folder {}: the next run would find a file there that the generator did not write; write the report elsewhere",
        path.display(), out.display()
    )]
    ReportInOutput { path: PathBuf, out: PathBuf },
    #[error("both --spec and --out are needed")]
    MissingPaths,
    #[error(transparent)]
    Generate(#[from] keycard_codegen::Error),
    #[error("{0} warning(s), and --deny-warnings is set; nothing written")]
    DeniedWarnings(usize),
    #[error(
        "{} holds {} file(s) the generator did not write:\n{}\nNothing was changed. Generate into a new or empty folder, or pass --allow-other-files to generate beside them (they are left untouched).",
        out.display(), paths.len(), list(paths)
    )]
    OtherFiles { out: PathBuf, paths: Vec<PathBuf> },
    #[error(
        "generating into {} would replace {} file(s), folder(s) or link(s) the generator did not write:\n{}\nNothing was changed. Move them out of the way, or generate into another folder.",
        out.display(), paths.len(), list(paths)
    )]
    WouldOverwrite { out: PathBuf, paths: Vec<PathBuf> },
    #[error(
        "writing {} was interrupted at {}: {source}\n{}Run the same command again to complete the rest.",
        out.display(), failed.display(), changed_message(changed)
    )]
    Interrupted { out: PathBuf, changed: Vec<PathBuf>, failed: PathBuf, source: io::Error },
}

fn list(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| format!("  {}", p.display())).collect::<Vec<_>>().join("\n")
}

fn changed_message(changed: &[PathBuf]) -> String {
    if changed.is_empty() {
        return "No file was changed. ".to_owned();
    }
    format!("These {} file(s) were already changed:\n{}\n", changed.len(), list(changed))
}

fn crate_name_message(name: &str, from_folder: Option<&Path>) -> String {
    let rule = "a crate name starts with an ASCII letter and holds only ASCII letters, digits, `-` and `_`";
    match from_folder {
        Some(folder) => format!(
            "cannot name the crate after the output folder {} (`{name}`): {rule}; pass --crate-name NAME",
            folder.display()
        ),
        None => format!("--crate-name `{name}` is not usable: {rule}"),
    }
}

/// Runs one generation as `args` say; `defaults` fill in a missing `--spec` or `--out`.
pub fn run(args: &Args, defaults: Option<&Defaults>) -> Result<ExitCode, Error> {
    let (spec_arg, out_arg, default_crate) = match (&args.spec, &args.out, defaults) {
        (Some(spec), Some(out), _) => (spec.clone(), out.clone(), None),
        (spec, out, Some(defaults)) => (
            spec.clone().unwrap_or_else(|| defaults.spec.clone()),
            out.clone().unwrap_or_else(|| defaults.out.clone()),
            out.is_none().then(|| defaults.crate_name.clone()),
        ),
        _ => return Err(Error::MissingPaths),
    };
    let source = Source::from_arg(&spec_arg)?;
    let out = paths::absolute(&out_arg)?;
    let report_path = args.report.as_deref().map(paths::absolute).transpose()?;
    if let Some(path) = report_path.as_ref().filter(|path| path.starts_with(&out)) {
        return Err(Error::ReportInOutput { path: path.clone(), out });
    }
    let crate_name = match (&args.crate_name, default_crate) {
        (None, Some(default)) => default,
        (explicit, _) => paths::crate_name(explicit.as_deref(), &out)?,
    };
    let source_name = source.name_for(&out);

    let bytes = read_source(&source)?;
    let text = keycard_codegen::load::decode(&bytes, &source_name)?;
    let options = Options { spec_path: source_name.clone(), crate_name };
    let keycard_codegen::Output { files, warnings, record } = generate(&text, &options)?;
    for warning in &warnings {
        eprintln!("warning: {source_name}: {warning}");
    }
    if args.deny_warnings && !warnings.is_empty() {
        return Err(Error::DeniedWarnings(warnings.len()));
    }
    let files = with_record(files, &source_name);
    let found = folder::Folder::scan(&out, &files)?;
    let changes = plan::plan(&out, &found, &files, args.allow_other_files)?;
    let previous = report::Previous::read(&found);
    let api_changes =
        report::ApiChanges::new(previous, &record, &text, &source_name, !changes.is_empty(), &out);
    if let Some(warning) = api_changes.warning() {
        eprintln!("{warning}");
    }
    if let Some(text) = api_changes.text() {
        print!("{text}");
    }
    let write_report = || match &report_path {
        Some(path) => api_changes.write_markdown(path, &options.crate_name),
        None => Ok(()),
    };
    if args.check {
        write_report()?;
        let fix = match defaults {
            Some(_) => "run `cargo xtask codegen`",
            None => "run the same command without --check",
        };
        return Ok(report_check(&out, &changes, fix));
    }
    write::apply(&out, &changes)?;
    write_report()?;
    println!("{}", summary(&out, &changes, files.len(), found.others.len()));
    Ok(ExitCode::SUCCESS)
}

/// Writes a generated crate into `out` as [`run`] does (never touching files the generator did
/// not write, refusing a folder that has any), for tools that generate in memory themselves.
pub fn write_crate(out: &Path, files: Vec<GeneratedFile>, source_name: &str) -> Result<(), Error> {
    let files = with_record(files, source_name);
    let changes = plan::plan(out, &folder::Folder::scan(out, &files)?, &files, false)?;
    write::apply(out, &changes)
}

/// The generated files and the record of them.
fn with_record(mut files: Vec<GeneratedFile>, source_name: &str) -> Vec<GeneratedFile> {
    let record = folder::record(&files, source_name);
    files.push(record);
    files
}

fn read_source(source: &Source) -> Result<Vec<u8>, Error> {
    match source {
        Source::File(path) => std::fs::read(path).map_err(paths::at(path)),
        Source::StandardInput => {
            let mut bytes = Vec::new();
            io::stdin().read_to_end(&mut bytes).map_err(Error::StandardInput)?;
            Ok(bytes)
        }
    }
}

fn summary(out: &Path, changes: &[Change], file_count: usize, others: usize) -> String {
    let mut text = if changes.is_empty() {
        format!("{} is up to date ({file_count} generated files)", out.display())
    } else {
        let mut text = format!("{}: {} change(s)", out.display(), changes.len());
        for change in changes {
            let _ = write!(text, "\n{:>8} {}", change.verb(), change.path().display());
        }
        text
    };
    if others > 0 {
        let _ = write!(text, "\n{others} file(s) of yours in the folder were left untouched");
    }
    text
}

fn report_check(out: &Path, changes: &[Change], fix: &str) -> ExitCode {
    if changes.is_empty() {
        println!("{} is up to date", out.display());
        return ExitCode::SUCCESS;
    }
    for change in changes {
        eprintln!("{}: {}", change.describe(), out.join(change.path()).display());
        if let Some(diff) = change.short_diff() {
            eprintln!("{diff}");
        }
    }
    eprintln!("{} generated file(s) out of date: {fix} and commit the result", changes.len());
    ExitCode::FAILURE
}
