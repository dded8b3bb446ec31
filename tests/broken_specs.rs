//! Every document in `fixtures/broken/` has one problem the generator must refuse with a clear
//! error: not a panic, not a crate. The message of each is a snapshot named after the file.

use std::panic::{catch_unwind, AssertUnwindSafe};

use keycard_codegen::{generate, Options};
use keycard_codegen_tests::project_root;

#[test]
fn broken_documents_are_refused_with_a_clear_error() {
    let mut not_refused = Vec::new();
    insta::glob!("fixtures/broken/*", |path| {
        let relative = path.strip_prefix(project_root()).expect("fixture is in the project");
        let spec_path = relative.to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(path).expect("fixture is readable");
        // `cargo xtask codegen` reads with `read_to_string` and stops at invalid UTF-8 before
        // the generator sees the text; here the generator gets the lossy text instead.
        let text = String::from_utf8_lossy(&bytes);
        let options = Options { spec_path: spec_path.clone(), crate_name: "broken".to_owned() };
        let outcome = catch_unwind(AssertUnwindSafe(|| generate(&text, &options)));
        let message = match outcome {
            Ok(Err(err)) => err.to_string(),
            Ok(Ok(output)) => {
                not_refused.push(format!("{spec_path}: generated a crate instead of an error"));
                let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
                format!("UNEXPECTED SUCCESS; warnings:\n{}", warnings.join("\n"))
            }
            Err(panic) => {
                let cause = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_else(|| "(no message)".to_owned());
                not_refused.push(format!("{spec_path}: the generator panicked: {cause}"));
                format!("PANIC: {cause}")
            }
        };
        insta::assert_snapshot!(message);
    });
    assert!(
        not_refused.is_empty(),
        "documents that must be refused with an error were not:\n{}",
        not_refused.join("\n")
    );
}
