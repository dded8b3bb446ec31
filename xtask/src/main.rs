//! `cargo xtask <task>`: the project's tasks.
//!
//! - `codegen`: regenerate `generated/` from `spec/openapi.yaml` (or `--spec`/`--out`).
//! - `test`: install what the tests need, then run every test of the workspace.
//! - `real-world`: generate and check crates for the public documents in `tests/real-world/`;
//!   with `--directory`, for every document of the public API directory.
//! - `bench-compile`: what the crates generated from some documents cost to compile, against a
//!   baseline commit's generator.
//! - `semver-oracle`: compare the change report's source verdicts on the edit corpus with
//!   cargo-semver-checks'.

mod bench_compile;
mod codegen;
mod directory;
mod real_world;
mod semver_oracle;
mod test;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// Generation allocates many small objects; on large documents glibc's allocator spends a
// growing share of the time in its slow paths (measured: 26% at 10,000 operations), and
// mimalloc does not.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", about = "Project tasks for keycard-codegen")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Generate a client crate from an OpenAPI 3.0 or 3.1 document (by default this repository's).
    #[command(
        after_help = codegen::after_help(),
        mut_arg("spec", |arg| arg.help(codegen::SPEC_HELP)),
        mut_arg("out", |arg| arg.help(codegen::OUT_HELP))
    )]
    Codegen(codegen::Args),
    /// Install the test tools (Prism, the spec validator) and run every test.
    Test(test::Args),
    /// Fetch the pinned public OpenAPI documents and check the crates generated from them.
    RealWorld(real_world::Args),
    /// Measure the compile time and memory of the crates generated from some documents, against
    /// the crates a baseline commit's generator writes, in the same run.
    BenchCompile(bench_compile::Args),
    /// Compare the change report's source verdicts on the edit corpus (tests/fixtures/edits/)
    /// with cargo-semver-checks' (installed at a pinned version; slow, not part of CI).
    SemverOracle(semver_oracle::Args),
    /// Generate one document and report the outcome on standard output (used by
    /// `real-world --directory`, which runs it as a child process per document).
    #[command(hide = true)]
    GenerateOne(directory::one::Args),
}

fn main() -> ExitCode {
    if let Some(code) = bench_compile::run_as_rustc_wrapper() {
        return code;
    }
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Codegen(args) => codegen::run(&args),
        Task::Test(args) => test::run(&args),
        Task::RealWorld(args) => real_world::run(&args),
        Task::BenchCompile(args) => bench_compile::run(&args),
        Task::SemverOracle(args) => semver_oracle::run(&args),
        Task::GenerateOne(args) => directory::one::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: everything the tasks read and write is relative to it.
fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace root").to_path_buf()
}
