//! `spec/openapi.yaml` is a valid OpenAPI 3.0 document by an independent validator
//! (`openapi-spec-validator`, pinned in `tests/requirements.txt`, installed by `cargo xtask test`).

use std::path::{Path, PathBuf};
use std::process::Command;

use keycard_codegen_tests::project_root;

#[test]
fn spec_passes_openapi_spec_validator() {
    // `cargo xtask test` says where it installed the validator; without it, look where it
    // installs it: `test-tools/` in the target directory (which holds `CARGO_TARGET_TMPDIR`).
    let validator = std::env::var_os("OPENAPI_SPEC_VALIDATOR").map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_TARGET_TMPDIR"))
            .parent()
            .expect("CARGO_TARGET_TMPDIR is in the target directory")
            .join("test-tools/venv/bin/openapi-spec-validator")
    });
    assert!(validator.exists(), "{} is missing: run the tests with `cargo xtask test`", validator.display());
    let output =
        Command::new(&validator).arg("spec/openapi.yaml").current_dir(project_root()).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("OK"),
        "validator rejected the spec:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
