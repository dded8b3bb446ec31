//! The options of `keycard-codegen` (and of `cargo xtask codegen`, which shares them).

use std::path::PathBuf;

use clap::{Arg, Command};

/// What the user asked for.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// The OpenAPI document, YAML or JSON; `-` reads it from standard input.
    #[arg(long, value_name = "PATH")]
    pub spec: Option<PathBuf>,
    /// The folder of the generated crate; created if missing.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The generated crate's package name [default: the output folder's name in kebab-case].
    #[arg(long, value_name = "NAME")]
    pub crate_name: Option<String>,
    /// Write nothing; list every stale, missing or orphaned file and fail if there is one.
    #[arg(long)]
    pub check: bool,
    /// Also write the report of API changes (what changed since the previous generation, what
    /// it breaks, the suggested version bump) to this file, as Markdown.
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
    /// Treat warnings (constructs read leniently or skipped) as errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Generate even though the output folder holds files the generator did not write. They are
    /// left exactly as they are; a generated file that would replace one is still refused.
    #[arg(long)]
    pub allow_other_files: bool,
}

/// How relative paths are read, and the rules users most often need: shown by `--help`.
pub const PATH_HELP: &str = "\
Paths:
  Relative --spec and --out are resolved against the current directory.
  File headers name the document by its path within the git work tree that holds the output
  folder, or else by its file name, so the output is byte-identical on every machine.

Crate name:
  --crate-name, or else the output folder's name in kebab-case (`my client` -> `my-client`).
  It must start with an ASCII letter and hold only ASCII letters, digits, `-` and `_`.

The output folder:
  The generator only writes files it owns: files it wrote before, listed in the folder's
  `.keycard-codegen/files` and carrying the `@generated` header. A folder with other files
  (say a crate made by `cargo new`) is refused before anything changes, unless
  --allow-other-files is given; even then those files are never overwritten or deleted.
  Cargo's `target/` and `Cargo.lock` and a `.git` folder are not counted. Symbolic links are
  never followed or replaced. Files are replaced one by one, atomically, in place; a failed
  generation changes nothing.

The change report:
  The generated crate keeps a record of its API (`.keycard-codegen/api.yaml`). Each run, and
  --check, compares it with the API about to be generated and prints what changed, each change
  with two verdicts: source (does Rust code using the crate still compile?) and wire (do
  clients already deployed still work against the changed server?), and the version bump the
  crate needs. Nothing changed: nothing printed. --report PATH writes it as Markdown.";

/// Examples for the `keycard-codegen` binary.
pub const BINARY_EXAMPLES: &str = "\
Examples:
  keycard-codegen --spec openapi.yaml --out my-client
  keycard-codegen --spec api.json --out crates/api --crate-name acme-api --deny-warnings
  curl -s https://example.com/openapi.yaml | keycard-codegen --spec - --out my-client
  keycard-codegen --spec openapi.yaml --out my-client --check   # in CI: fail if stale
  keycard-codegen --spec openapi.yaml --out my-client --report api-changes.md";

/// The `keycard-codegen` command line: `--spec` and `--out` are required.
pub fn binary_command() -> Command {
    <Args as clap::Args>::augment_args(Command::new("keycard-codegen"))
        .version(env!("CARGO_PKG_VERSION"))
        .about("Generate a documented Rust client crate from an OpenAPI 3.0 or 3.1 document.")
        .after_help(format!("{PATH_HELP}\n\n{BINARY_EXAMPLES}"))
        .mut_arg("spec", |arg: Arg| arg.required(true))
        .mut_arg("out", |arg: Arg| arg.required(true))
}
