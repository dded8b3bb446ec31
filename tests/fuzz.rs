//! Fuzzing the whole pipeline (load, lower, emit, render) with proptest: every document under
//! test (the Keycard spec and all fixtures) is mutated at random places (values swapped for
//! others, keys dropped or renamed, `$ref`s pointed anywhere, subtrees copied into
//! themselves, deep nesting) and fed to the generator as YAML or JSON, and raw text too. No
//! input may panic, hit an internal error, overflow the stack or hang.
//!
//! A bounded run is part of the test suite (`PROPTEST_CASES` sets how many cases; 256 by
//! default). A longer run: `PROPTEST_CASES=20000 cargo test -p keycard-codegen-tests --test
//! fuzz --release`. Every failing input proptest finds is shrunk and saved; copy it into
//! `fixtures/fuzz-regressions/`, where `regressions_do_not_crash` keeps it checked.

use std::sync::mpsc;
use std::time::Duration;

use keycard_codegen::{generate, load, Error, Options};
use keycard_codegen_tests::project_root;
use proptest::prelude::*;
use serde_json::{json, Value};

/// Longer than any sound document of this size takes by orders of magnitude: past it, the
/// generator is stuck.
const HANG_LIMIT: Duration = Duration::from_secs(20);
/// A smaller stack than a program's main thread gets, so deep recursion shows up here first.
const STACK_SIZE: usize = 2 * 1024 * 1024;

fn seeds() -> Vec<Value> {
    let root = project_root();
    let mut paths = vec![root.join("spec/openapi.yaml")];
    for dir in ["tests/fixtures/mapping", "tests/fixtures/constructs"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            // Documents only: a fixture may come with its behaviour tests (`.behaviour.rs`).
            let path = entry.unwrap().path();
            if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "json")) {
                paths.push(path);
            }
        }
    }
    paths.sort();
    let seeds: Vec<Value> = paths
        .iter()
        .filter_map(|path| {
            let bytes = std::fs::read(path).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            // A seed with integers wider than 64 bits has no `serde_json::Value` to mutate; the
            // generator reads it (its own test says so), the mutations start from the others.
            serde_yaml::from_str(text.trim_start_matches('\u{feff}')).ok()
        })
        .collect();
    assert!(
        seeds.len() + 1 >= paths.len(),
        "at most one seed is left out: {} of {}",
        seeds.len(),
        paths.len()
    );
    seeds
}

/// Runs the generator on its own thread, with a small stack and a time limit. `Err` carries
/// what went wrong: a panic, an internal error, a hang.
fn run_generator(text: String) -> Result<(), String> {
    let (done, outcome) = mpsc::channel();
    let worker = std::thread::Builder::new().stack_size(STACK_SIZE).spawn(move || {
        let options = Options { spec_path: "fuzz.yaml".into(), crate_name: "fuzz".into() };
        let result = std::panic::catch_unwind(|| generate(&text, &options).map(|_| ()));
        let _ = done.send(result);
    });
    worker.map_err(|err| format!("cannot start a thread: {err}"))?;
    match outcome.recv_timeout(HANG_LIMIT) {
        Ok(Ok(Ok(()))) => Ok(()),
        Ok(Ok(Err(Error::Internal { message }))) => Err(format!("internal error: {message}")),
        Ok(Ok(Err(_))) => Ok(()),
        Ok(Err(_)) => Err("the generator panicked".to_owned()),
        Err(_) => Err(format!("no result within {HANG_LIMIT:?}")),
    }
}

/// One change to a document.
#[derive(Debug, Clone)]
enum Mutation {
    Replace { node: usize, with: Value },
    Remove { node: usize },
    RenameKey { node: usize, to: String },
    PointRef { node: usize, target: usize },
    CopySubtree { from: usize, into: usize },
    Nest { node: usize, depth: usize },
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e20f64..1e20).prop_map(|n| json!(n)),
        "[a-zA-Z0-9_{}/#~.$ -]{0,12}".prop_map(Value::String),
        Just(json!("#/components/schemas/")),
        Just(json!({})),
        Just(json!([])),
        Just(json!({"type": "object", "properties": {"a": {"type": "string"}}})),
        Just(json!({"oneOf": [{"type": "string"}, {"type": "null"}]})),
        Just(json!({"allOf": [{"$ref": "#/components/schemas/A"}]})),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let node = 0usize..10_000;
    prop_oneof![
        3 => (node.clone(), scalar()).prop_map(|(node, with)| Mutation::Replace { node, with }),
        2 => node.clone().prop_map(|node| Mutation::Remove { node }),
        1 => (node.clone(), "[a-zA-Z0-9_{}/$ -]{0,10}").prop_map(|(node, to)| Mutation::RenameKey { node, to }),
        2 => (node.clone(), node.clone()).prop_map(|(node, target)| Mutation::PointRef { node, target }),
        1 => (node.clone(), node.clone()).prop_map(|(from, into)| Mutation::CopySubtree { from, into }),
        1 => (node, 1usize..150).prop_map(|(node, depth)| Mutation::Nest { node, depth }),
    ]
}

/// JSON pointers of every node, in document order.
fn pointers(value: &Value) -> Vec<String> {
    fn walk(value: &Value, at: String, out: &mut Vec<String>) {
        out.push(at.clone());
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    walk(child, format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")), out);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), &mut out);
    out
}

fn apply(doc: &mut Value, mutation: &Mutation) {
    let all = pointers(doc);
    let pick = |i: usize| all[i % all.len()].clone();
    match mutation {
        Mutation::Replace { node, with } => {
            if let Some(slot) = doc.pointer_mut(&pick(*node)) {
                *slot = with.clone();
            }
        }
        Mutation::Remove { node } => {
            let at = pick(*node);
            if let Some((parent, key)) = at.rsplit_once('/') {
                match doc.pointer_mut(parent) {
                    Some(Value::Object(map)) => {
                        map.remove(&key.replace("~1", "/").replace("~0", "~"));
                    }
                    Some(Value::Array(items)) => {
                        if let Ok(i) = key.parse::<usize>() {
                            if i < items.len() {
                                items.remove(i);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        Mutation::RenameKey { node, to } => {
            if let Some(Value::Object(map)) = doc.pointer_mut(&pick(*node)) {
                if let Some(key) = map.keys().next().cloned() {
                    let value = map.remove(&key).unwrap();
                    map.insert(to.clone(), value);
                }
            }
        }
        Mutation::PointRef { node, target } => {
            let target = format!("#{}", pick(*target));
            if let Some(slot) = doc.pointer_mut(&pick(*node)) {
                *slot = json!({ "$ref": target });
            }
        }
        Mutation::CopySubtree { from, into } => {
            let copy = doc.pointer(&pick(*from)).cloned();
            if let (Some(copy), Some(slot)) = (copy, doc.pointer_mut(&pick(*into))) {
                *slot = copy;
            }
        }
        Mutation::Nest { node, depth } => {
            if let Some(slot) = doc.pointer_mut(&pick(*node)) {
                let mut nested = slot.take();
                for level in 0..*depth {
                    nested = if level % 2 == 0 {
                        json!({"type": "array", "items": nested})
                    } else {
                        json!([nested])
                    };
                }
                *slot = nested;
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_documents_never_crash(
        seed in 0usize..1000,
        mutations in prop::collection::vec(mutation(), 1..6),
        as_json in any::<bool>(),
    ) {
        let seeds = seeds();
        let mut doc = seeds[seed % seeds.len()].clone();
        for mutation in &mutations {
            apply(&mut doc, mutation);
        }
        let text = if as_json { serde_json::to_string_pretty(&doc).unwrap() } else { serde_yaml::to_string(&doc).unwrap() };
        if let Err(problem) = run_generator(text.clone()) {
            let saved = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failure.yaml");
            let _ = std::fs::write(&saved, &text);
            prop_assert!(false, "{problem} (input saved to {})", saved.display());
        }
    }

    #[test]
    fn arbitrary_text_never_crashes(text in any::<String>(), bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        prop_assert_eq!(run_generator(text), Ok(()));
        let decoded = std::panic::catch_unwind(|| load::decode(&bytes, "fuzz.yaml").map(drop));
        prop_assert!(decoded.is_ok(), "decode panicked");
    }
}

/// Inputs that once crashed the generator, kept so they never do again.
#[test]
fn regressions_do_not_crash() {
    let dir = project_root().join("tests/fixtures/fuzz-regressions");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        assert_eq!(run_generator(text), Ok(()), "{}", path.display());
        checked += 1;
    }
    assert!(checked > 0, "no regression inputs in {}", dir.display());
}

/// The stack overflow the 10,000-operation benchmark once hit: a chain of schemas, each with
/// a property referring to the next, lowered by recursion. Lowering now uses a queue.
#[test]
fn long_reference_chains_do_not_overflow_the_stack() {
    const LENGTH: usize = 5_000;
    let mut schemas = serde_json::Map::new();
    for i in 0..LENGTH {
        let next = format!("#/components/schemas/S{}", (i + 1) % LENGTH);
        schemas.insert(
            format!("S{i}"),
            json!({"type": "object", "properties": {"next": {"$ref": next}, "name": {"type": "string"}}}),
        );
    }
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "Chain", "version": "1"},
        "paths": {"/s": {"get": {"responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}}}}}},
        "components": {"schemas": schemas}
    });
    assert_eq!(run_generator(serde_json::to_string(&doc).unwrap()), Ok(()));
}
