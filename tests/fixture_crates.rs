//! Every fixture document generates a crate that compiles, passes clippy with warnings
//! denied, and round-trips the `example` of each of its component schemas through the
//! generated type. All fixture crates are checked in one cargo workspace, in one cargo run,
//! so dependencies are built once. The crate of the features fixture is also checked with
//! each of its resource features alone.

use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use keycard_codegen::{generate, load, lower, Options};
use keycard_codegen_tests::project_root;

/// The fixture documents whose crates are compiled, relative to the project root.
fn fixture_documents() -> Vec<PathBuf> {
    let root = project_root();
    let mut documents = Vec::new();
    for dir in ["tests/fixtures/mapping", "tests/fixtures/constructs", "tests/fixtures/streams"] {
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

/// Writes the crate generated from `spec_path` into `dir`, plus the example round trips. Files
/// that already hold the right bytes are left alone, so that a re-run finds them unchanged and
/// cargo rebuilds only the crates whose code changed; files no longer generated are removed.
fn write_crate(dir: &Path, spec_path: &Path, crate_name: &str) {
    let text = fs::read_to_string(project_root().join(spec_path)).unwrap();
    let spec = spec_path.to_string_lossy().into_owned();
    let output = generate(&text, &Options { spec_path: spec.clone(), crate_name: crate_name.to_owned() })
        .unwrap_or_else(|err| panic!("{spec} does not generate: {err}"));
    let mut files: Vec<(PathBuf, String)> =
        output.files.into_iter().map(|file| (dir.join(file.path), file.contents)).collect();
    files.push((dir.join("tests/examples.rs"), example_tests(&text, &spec, crate_name)));
    // A fixture may come with behaviour tests (`<name>.behaviour.rs`), which share the scripted
    // loopback server of their folder (`loopback.rs`), where it has one.
    let behaviour = project_root().join(spec_path.with_extension("behaviour.rs"));
    if let Ok(tests) = fs::read_to_string(&behaviour) {
        files.push((dir.join("tests/behaviour.rs"), tests));
        if let Ok(loopback) = fs::read_to_string(behaviour.with_file_name("loopback.rs")) {
            files.push((dir.join("tests/loopback/mod.rs"), loopback));
        }
    }
    for existing in files_below(dir) {
        if !files.iter().any(|(path, _)| *path == existing) {
            fs::remove_file(&existing).unwrap();
        }
    }
    for (path, contents) in &files {
        write_if_changed(path, contents);
    }
}

fn write_if_changed(path: &Path, contents: &str) {
    if fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return;
    }
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

/// Every file below `dir` (none when it does not exist).
fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// Where the fixture crates are built: a target directory of their own, inside this one's.
fn build_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates")
}

/// Writes a progress line. libtest captures `println!` and `eprintln!` until a test ends, not
/// what is written to the process's stderr.
fn progress(line: std::fmt::Arguments) {
    let _ = writeln!(std::io::stderr(), "fixture crates: {line}");
}

/// Cargo's status lines (`   Compiling serde v1.0.210`): counted for progress, left out of
/// failure messages.
fn is_status_line(line: &str) -> bool {
    let word = line.trim_start().split(' ').next().unwrap_or("");
    matches!(
        word,
        "Compiling"
            | "Checking"
            | "Documenting"
            | "Running"
            | "Doc-tests"
            | "Fresh"
            | "Finished"
            | "Generated"
            | "Blocking"
            | "Locking"
            | "Adding"
            | "Updating"
            | "Downloading"
            | "Downloaded"
    ) && line.starts_with(' ')
}

/// Runs `cargo <args>` in the fixture workspace. Prints a line when it starts, one every
/// 20 s or so with cargo's latest status line, and one with the time it took; fails the test
/// with cargo's diagnostics and the test output when cargo fails.
fn cargo(workspace: &Path, args: &[&str], env: &[(&str, &str)]) {
    let started = Instant::now();
    let command_line = format!("cargo {}", args.join(" "));
    progress(format_args!("{command_line}"));
    let mut child = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", build_dir())
        .env("CARGO_TERM_COLOR", "never")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cargo runs");
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let stdout = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let mut diagnostics = String::new();
    let mut last_report = Instant::now();
    let mut steps = 0;
    for line in BufReader::new(child.stderr.take().expect("stderr is piped")).lines().map_while(Result::ok) {
        if !is_status_line(&line) {
            diagnostics.push_str(&line);
            diagnostics.push('\n');
            continue;
        }
        steps += 1;
        if last_report.elapsed() >= Duration::from_secs(20) {
            last_report = Instant::now();
            let secs = started.elapsed().as_secs();
            progress(format_args!("  {secs} s, {steps} steps: {}", line.trim()));
        }
    }
    let status = child.wait().expect("cargo runs");
    let stdout = stdout.join().expect("stdout reader does not panic");
    let outcome = if status.success() { "done" } else { "FAILED" };
    progress(format_args!("{command_line}: {outcome} in {} s", started.elapsed().as_secs()));
    assert!(status.success(), "`{command_line}` failed for the fixture crates:\n{diagnostics}\n{stdout}");
}

/// The fixture whose crate is checked with each resource feature alone.
const FEATURES_FIXTURE: &str = "tests/fixtures/constructs/features.yaml";
const FEATURES_CRATE: &str = "fixture-constructs-features";

/// The crate of the features fixture passes clippy with no resource feature and with each one
/// alone (`--no-default-features`); with `pets` alone, a user of `Store` (of `stores`) does not
/// compile, and does with `stores` too. Run after the workspace's clippy, whose dependencies
/// these reuse: each run checks one small crate.
fn each_resource_feature_alone(workspace: &Path) {
    let text = fs::read_to_string(project_root().join(FEATURES_FIXTURE)).unwrap();
    let options = Options { spec_path: FEATURES_FIXTURE.to_owned(), crate_name: FEATURES_CRATE.to_owned() };
    let (api, _) = lower::lower(&load::load(&text, FEATURES_FIXTURE).unwrap(), &options).unwrap();
    let features: Vec<&str> = api.features.features.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(features, ["pet-owners", "pets", "stores"], "the features of {FEATURES_FIXTURE}");
    for feature in [None].into_iter().chain(features.into_iter().map(Some)) {
        let mut args = vec!["clippy", "-p", FEATURES_CRATE, "--no-default-features"];
        args.extend(feature.map(|feature| ["--features", feature]).into_iter().flatten());
        cargo(workspace, &[&args[..], &["--", "-D", "warnings"]].concat(), &[]);
    }

    // A crate of its own (outside the workspace, whose features would be unified), using the
    // fixture's crate with `pets` alone, and `stores` too when its own feature asks for it.
    let user = workspace.with_file_name("fixture-features-user");
    let manifest = format!(
        "[package]\nname = \"features-user\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n{FEATURES_CRATE} = {{ path = {:?}, default-features = false, features = [\"pets\"] }}\n\
         serde_json = \"1\"\n\n\
         [features]\nstores = [\"{FEATURES_CRATE}/stores\"]\npet-owners = [\"{FEATURES_CRATE}/pet-owners\"]\n\n\
         [workspace]\n\n[profile.dev]\ndebug = false\nincremental = false\n",
        workspace.join(FEATURES_CRATE).to_string_lossy(),
    );
    write_if_changed(&user.join("Cargo.toml"), &manifest);
    write_if_changed(
        &user.join("Cargo.lock"),
        &fs::read_to_string(project_root().join("Cargo.lock")).unwrap(),
    );
    write_if_changed(
        &user.join("src/lib.rs"),
        "//! Uses what `pets` compiles, and what only `stores` does.\n\
         use fixture_constructs_features::{types, Client};\n\n\
         /// `pets`: its resource, its types and those every feature uses.\n\
         pub fn pets(client: &Client) -> (types::Pet, types::Money) {\n    \
             let _ = client.v1().pets();\n    \
             (types::Pet::new(\"Rex\"), types::Money::new(100, \"EUR\"))\n}\n\n\
         /// `stores` only.\n\
         pub fn stores(client: &Client, store: &types::Store) -> String {\n    \
             let _ = client.v1().stores();\n    \
             store.id.clone()\n}\n\n\
         /// A store's owner, expanded: an `Owner` with `pet-owners`, kept as JSON without it.\n\
         #[cfg(all(test, feature = \"stores\"))]\n\
         #[test]\n\
         fn an_expanded_owner_is_an_owner_only_with_its_feature() {\n    \
             let store: types::Store = serde_json::from_str(\n        \
                 r#\"{\"id\": \"s1\", \"address\": {\"city\": \"Oslo\"}, \"owner\": {\"name\": \"Ann\"}}\"#,\n    \
             )\n    \
             .unwrap();\n    \
             let owner = store.owner.expect(\"the owner is there\");\n    \
             #[cfg(feature = \"pet-owners\")]\n    \
             assert!(matches!(&owner, types::StoreOwner::Owner(o) if o.name == \"Ann\"), \"{owner:?}\");\n    \
             #[cfg(not(feature = \"pet-owners\"))]\n    \
             assert!(matches!(&owner, types::StoreOwner::Other(json) if json[\"name\"] == \"Ann\"), \"{owner:?}\");\n\
             let by_id: types::Store =\n        \
                 serde_json::from_str(r#\"{\"id\": \"s2\", \"address\": {\"city\": \"Oslo\"}, \"owner\": \"own_1\"}\"#).unwrap();\n    \
             assert!(matches!(by_id.owner, Some(types::StoreOwner::String(id)) if id == \"own_1\"));\n\
             // The error body's owner: there with `pet-owners`, skipped without it.\n    \
             let problem: types::Problem =\n        \
                 serde_json::from_str(r#\"{\"message\": \"no\", \"owner\": {\"name\": \"Ann\"}}\"#).unwrap();\n    \
             assert_eq!(problem.message, \"no\");\n    \
             #[cfg(feature = \"pet-owners\")]\n    \
             assert_eq!(problem.owner.expect(\"the owner is there\").name, \"Ann\");\n\
         }\n",
    );
    let check = |features: &[&str]| {
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["clippy", "--quiet"])
            .args(features)
            .current_dir(&user)
            .env("CARGO_TARGET_DIR", build_dir())
            .env("CARGO_TERM_COLOR", "never")
            .output()
            .expect("cargo runs")
    };
    let without = check(&[]);
    let errors = String::from_utf8_lossy(&without.stderr);
    assert!(!without.status.success(), "with `pets` alone, `Store` and `stores()` should be absent");
    assert!(
        errors.contains("cannot find type `Store` in module `types`")
            && errors.contains("no method named `stores` found"),
        "with `pets` alone, only what `stores` compiles should be missing:\n{errors}"
    );
    assert_eq!(errors.matches("error[").count(), 2, "one error each for `Store` and `stores()`:\n{errors}");
    let with = check(&["--features", "stores"]);
    assert!(
        with.status.success(),
        "with `stores` too, the user compiles:\n{}",
        String::from_utf8_lossy(&with.stderr)
    );
    // The union of an owner's id and the owner: its `Owner` variant comes with `pet-owners`.
    for features in ["stores", "stores,pet-owners"] {
        let test = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["test", "--quiet", "--features", features])
            .current_dir(&user)
            .env("CARGO_TARGET_DIR", build_dir())
            .env("CARGO_TERM_COLOR", "never")
            .output()
            .expect("cargo runs");
        assert!(
            test.status.success(),
            "the user's test with `{features}`:\n{}{}",
            String::from_utf8_lossy(&test.stdout),
            String::from_utf8_lossy(&test.stderr)
        );
    }
    progress(format_args!(
        "features fixture: each feature alone passes clippy; `pets` alone has no `Store`; an expanded owner is an `Owner` only with `pet-owners`"
    ));
}

#[test]
fn fixture_crates_compile_pass_clippy_and_round_trip_examples() {
    let workspace = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-workspace");
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
    // No debug info and no incremental state: nobody debugs these crates, and forty-odd of them
    // are built from scratch whenever the generator changes.
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = false\nincremental = false\n",
        members.iter().map(|m| format!("{m:?}")).collect::<Vec<_>>().join(", ")
    );
    write_if_changed(&workspace.join("Cargo.toml"), &manifest);
    // The project's lockfile pins the same dependency versions the generated crates use.
    write_if_changed(
        &workspace.join("Cargo.lock"),
        &fs::read_to_string(project_root().join("Cargo.lock")).unwrap(),
    );
    // Keep going past the first failing crate, so one run reports them all.
    cargo(
        &workspace,
        &["clippy", "--workspace", "--all-targets", "--all-features", "--keep-going", "--", "-D", "warnings"],
        &[],
    );
    each_resource_feature_alone(&workspace);
    // With every feature: the `blocking` calls and iterators are tested too.
    cargo(&workspace, &["test", "--workspace", "--all-features", "--no-fail-fast"], &[]);
    // Spec text in docs must render without warnings, whatever it contains.
    cargo(&workspace, &["doc", "--workspace", "--no-deps"], &[("RUSTDOCFLAGS", "-D warnings")]);
}
