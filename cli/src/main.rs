//! `keycard-codegen --spec openapi.yaml --out my-client`: see `--help`.

use std::process::ExitCode;

use clap::FromArgMatches;
use keycard_codegen_cli::{args, run, Args};

// Generation allocates many small objects; on large documents glibc's allocator spends a
// growing share of the time in its slow paths (measured: 26% at 10,000 operations), and
// mimalloc does not.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let matches = args::binary_command().get_matches();
    let args = Args::from_arg_matches(&matches).unwrap_or_else(|err| err.exit());
    match run(&args, None) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
