//! Every document in `fixtures/broken/` has one problem the generator must refuse with a clear
//! error (or, for what a lenient reading can get past, a warning, which `--deny-warnings`
//! turns into a refusal): not a panic, not a stack overflow, not a silent crate. The message
//! of each is a snapshot named after the file.
//!
//! Each document is generated in a child process (this test binary, run again with
//! `BROKEN_SPEC` set), so that a stack overflow, which aborts the process and cannot be
//! caught, fails one document with a clear message instead of the whole test.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::Command;

use keycard_codegen::{generate, load, Options};
use keycard_codegen_tests::project_root;

const TEST_NAME: &str = "broken_documents_are_refused_with_a_clear_error";
/// Set in the child process: the document to generate from, relative to the project root.
const CHILD_ENV: &str = "BROKEN_SPEC";
const BEGIN: &str = "----- outcome -----";
const END: &str = "----- end of outcome -----";

/// What generating from one document gave, in the child process.
enum Outcome {
    Refused(String),
    Generated(Vec<String>),
    Panicked(String),
}

fn generate_in_this_process(spec_path: &str) -> Outcome {
    let bytes = std::fs::read(project_root().join(spec_path)).expect("fixture is readable");
    let options = Options { spec_path: spec_path.to_owned(), crate_name: "broken".to_owned() };
    // As `cargo xtask codegen` does: decode, then generate.
    let run = || load::decode(&bytes, spec_path).and_then(|text| generate(&text, &options));
    match catch_unwind(AssertUnwindSafe(run)) {
        Ok(Err(err)) => Outcome::Refused(err.to_string()),
        Ok(Ok(output)) => Outcome::Generated(output.warnings.iter().map(ToString::to_string).collect()),
        Err(panic) => Outcome::Panicked(
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "(no message)".to_owned()),
        ),
    }
}

/// Runs this test binary again for one document and reads back the outcome. Returns the text
/// to snapshot, and a complaint when the document was not refused with an error.
fn generate_in_child(spec_path: &str) -> (String, Option<String>) {
    let output = Command::new(std::env::current_exe().expect("test binary path"))
        .args([TEST_NAME, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, spec_path)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("test binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let outcome = stdout.split_once(BEGIN).and_then(|(_, rest)| rest.split_once(END)).map(|(o, _)| o.trim());
    match outcome {
        Some(text) if text.starts_with("PANIC") => {
            (text.to_owned(), Some(format!("{spec_path}: the generator panicked: {text}")))
        }
        Some(text) if text.starts_with("UNEXPECTED SUCCESS") => {
            (text.to_owned(), Some(format!("{spec_path}: generated a crate instead of an error")))
        }
        Some(text) => (text.to_owned(), None),
        None => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let last = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
            let text = format!("CRASH ({}): {last}", output.status);
            (text.clone(), Some(format!("{spec_path}: the generator crashed: {text}")))
        }
    }
}

#[test]
fn broken_documents_are_refused_with_a_clear_error() {
    if let Ok(spec_path) = std::env::var(CHILD_ENV) {
        let text = match generate_in_this_process(&spec_path) {
            Outcome::Refused(message) => message,
            Outcome::Generated(warnings) if warnings.is_empty() => "UNEXPECTED SUCCESS".to_owned(),
            Outcome::Generated(warnings) => {
                format!("refused with --deny-warnings:\nwarning: {}", warnings.join("\nwarning: "))
            }
            Outcome::Panicked(cause) => format!("PANIC: {cause}"),
        };
        println!("{BEGIN}\n{text}\n{END}");
        return;
    }
    let mut not_refused = Vec::new();
    // `glob!` counts failures on one process-wide stack and would take the failures of any
    // snapshot test running beside it: keep this the only test of this binary (see snapshots.rs).
    insta::glob!("fixtures/broken/*", |path| {
        let relative = path.strip_prefix(project_root()).expect("fixture is in the project");
        let spec_path = relative.to_string_lossy().replace('\\', "/");
        let (text, complaint) = generate_in_child(&spec_path);
        not_refused.extend(complaint);
        insta::assert_snapshot!(text);
    });
    assert!(
        not_refused.is_empty(),
        "documents that must be refused with an error were not:\n{}",
        not_refused.join("\n")
    );
}
