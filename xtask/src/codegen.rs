//! `cargo xtask codegen`: the `keycard-codegen` command, with this repository's document and
//! crate as the defaults.

use std::process::ExitCode;

use keycard_codegen_cli::args::PATH_HELP;
pub use keycard_codegen_cli::Args;
use keycard_codegen_cli::Defaults;

use crate::project_root;

/// `--help`'s text after the options.
pub fn after_help() -> String {
    format!(
        "{PATH_HELP}\n\nExamples:\n  cargo xtask codegen            # regenerate generated/ from spec/openapi.yaml\n  \
         cargo xtask codegen --check    # in CI: fail if generated/ is stale\n  \
         cargo xtask codegen --spec ../api.yaml --out ../my-client"
    )
}

pub const SPEC_HELP: &str =
    "The OpenAPI document, YAML or JSON; `-` reads standard input [default: spec/openapi.yaml of this repository]";
pub const OUT_HELP: &str = "The folder of the generated crate [default: generated/ of this repository]";

pub fn run(args: &Args) -> Result<ExitCode, String> {
    let root = project_root();
    let defaults = Defaults {
        spec: root.join("spec/openapi.yaml"),
        out: root.join("generated"),
        crate_name: "keycardai-api".to_owned(),
    };
    keycard_codegen_cli::run(args, Some(&defaults)).map_err(|err| err.to_string())
}
