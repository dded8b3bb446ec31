//! Every fixture document generates a crate that compiles, passes clippy with warnings
//! denied, and round-trips the `example` of each of its component schemas through the
//! generated type. All fixture crates are checked in one cargo workspace, in one cargo run,
//! so dependencies are built once.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use keycard_codegen::{generate, load, lower, Options};
use keycard_codegen_tests::project_root;

/// The fixture documents whose crates are compiled, relative to the project root.
fn fixture_documents() -> Vec<PathBuf> {
    let root = project_root();
    let mut documents = Vec::new();
    for dir in ["tests/fixtures/mapping", "tests/fixtures/constructs"] {
        let Ok(entries) = fs::read_dir(root.join(dir)) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "json")) {
                documents.push(path.strip_prefix(&root).unwrap().to_path_buf());
            }
        }
    }
    documents.sort();
    documents
}

/// A test file that decodes each component schema's `example` into its generated type and
/// encodes it back to the same JSON.
fn example_tests(text: &str, spec_path: &str, crate_name: &str) -> String {
    let doc = load::load(text, spec_path).expect("fixture loads");
    let options = Options { spec_path: spec_path.to_owned(), crate_name: crate_name.to_owned() };
    let (api, _) = lower::lower(&doc, &options).expect("fixture lowers");
    let lib = crate_name.replace('-', "_");
    let mut tests = String::from(
        "//! Round trips of the fixture's schema examples.\n#![allow(clippy::needless_borrows_for_generic_args)]\n",
    );
    let schemas = doc.components.as_ref().map(|c| &c.schemas);
    for def in &api.types {
        let Some(key) = def.origin.strip_prefix("#/components/schemas/") else { continue };
        let key = key.replace("~1", "/").replace("~0", "~");
        let key = key.as_str();
        let Some(openapiv3::ReferenceOr::Item(schema)) = schemas.and_then(|s| s.get(key)) else { continue };
        let Some(example) = &schema.schema_data.example else { continue };
        let json = serde_json::to_string(example).unwrap();
        let test_name = format!("example_of_{}", def.name.to_lowercase().trim_start_matches("r#"));
        writeln!(
            tests,
            "\n#[test]\nfn {test_name}() {{\n    let example: serde_json::Value = serde_json::from_str({json:?}).unwrap();\n    \
             let decoded: {lib}::types::{name} = serde_json::from_value(example.clone()).unwrap();\n    \
             assert_eq!(serde_json::to_value(&decoded).unwrap(), example);\n}}",
            name = def.name,
        )
        .unwrap();
    }
    tests
}

fn write_crate(dir: &Path, spec_path: &Path, crate_name: &str) {
    let text = fs::read_to_string(project_root().join(spec_path)).unwrap();
    let spec = spec_path.to_string_lossy().into_owned();
    let output = generate(&text, &Options { spec_path: spec.clone(), crate_name: crate_name.to_owned() })
        .unwrap_or_else(|err| panic!("{spec} does not generate: {err}"));
    let _ = fs::remove_dir_all(dir);
    for file in &output.files {
        let path = dir.join(&file.path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, &file.contents).unwrap();
    }
    fs::create_dir_all(dir.join("tests")).unwrap();
    fs::write(dir.join("tests/examples.rs"), example_tests(&text, &spec, crate_name)).unwrap();
}

fn cargo(workspace: &Path, args: &[&str]) {
    cargo_with_env(workspace, args, ("CARGO_TERM_COLOR", "never"));
}

fn cargo_with_env(workspace: &Path, args: &[&str], (key, value): (&str, &str)) {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", project_root().join("target/fixture-crates"))
        .env(key, value)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "`cargo {}` failed for the fixture crates:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn fixture_crates_compile_pass_clippy_and_round_trip_examples() {
    let workspace = project_root().join("target/fixture-workspace");
    fs::create_dir_all(&workspace).unwrap();
    let mut members = Vec::new();
    for document in fixture_documents() {
        // `mapping/formats.yaml` and `constructs/formats.yaml` must not share a crate name.
        let group = document.parent().and_then(|p| p.file_name()).unwrap().to_string_lossy().into_owned();
        let stem = document.file_stem().unwrap().to_string_lossy().replace('_', "-");
        let crate_name = format!("fixture-{group}-{stem}");
        write_crate(&workspace.join(&crate_name), &document, &crate_name);
        members.push(crate_name);
    }
    assert!(members.len() >= 6, "fixtures found: {members:?}");
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.iter().map(|m| format!("{m:?}")).collect::<Vec<_>>().join(", ")
    );
    fs::write(workspace.join("Cargo.toml"), manifest).unwrap();
    // The project's lockfile pins the same dependency versions the generated crates use.
    fs::copy(project_root().join("Cargo.lock"), workspace.join("Cargo.lock")).unwrap();
    // Keep going past the first failing crate, so one run reports them all.
    cargo(
        &workspace,
        &["clippy", "--workspace", "--all-targets", "--keep-going", "--quiet", "--", "-D", "warnings"],
    );
    cargo(&workspace, &["test", "--workspace", "--no-fail-fast", "--quiet"]);
    // Spec text in docs must render without warnings, whatever it contains.
    cargo_with_env(
        &workspace,
        &["doc", "--workspace", "--no-deps", "--quiet"],
        ("RUSTDOCFLAGS", "-D warnings"),
    );
}
