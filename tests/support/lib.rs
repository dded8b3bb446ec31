//! Helpers shared by the test files: where things are, generating from a document, and
//! running Prism on a loopback port. The README is included below so that its Rust examples
//! compile as doctests.
#![doc = ""]
#![doc = include_str!("../../README.md")]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use keycard_codegen::{generate, Options, Output};

pub mod edits;

/// The example response of Keycard's create and update reference pages (`shared/seeds/`), as
/// `spec/openapi.yaml` gives it for `Secret`.
pub fn seed_secret_json() -> serde_json::Value {
    serde_json::json!({
        "id": "x",
        "created_at": "2019-12-27T18:11:19.117Z",
        "entity_id": "x",
        "name": "name",
        "type": "token",
        "updated_at": "2019-12-27T18:11:19.117Z",
        "version": 1,
        "zone_id": "x",
        "description": "description",
        "metadata": {}
    })
}

/// The workspace root.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is in the workspace root").to_path_buf()
}

/// Generates a crate from the document at `path` (relative to the workspace root).
pub fn generate_from(path: &str) -> Result<Output, keycard_codegen::Error> {
    let text = std::fs::read_to_string(project_root().join(path)).expect("fixture is readable");
    generate(&text, &Options { spec_path: path.to_owned(), crate_name: "fixture-client".to_owned() })
}

/// The files whose content depends on the document, one after the other under a heading
/// each: what a snapshot of a generated crate holds. (The runtime modules are the same for
/// every document; `generated/` and `cargo xtask codegen --check` cover them.)
pub fn spec_derived_text(output: &Output) -> String {
    let mut text = String::new();
    for file in output.files.iter().filter(|f| f.from_spec) {
        text.push_str(&format!("==== {} ====\n{}\n", file.path, file.contents));
    }
    for warning in &output.warnings {
        text.push_str(&format!("==== warning ====\n{warning}\n"));
    }
    text
}

/// A Prism mock server for `spec/openapi.yaml` on a free loopback port, stopped on drop.
pub struct Prism {
    child: Child,
    pub base_url: String,
}

impl Prism {
    /// Starts Prism and waits until it listens. Panics with what to do when it is missing.
    pub fn start() -> Prism {
        let bin = std::env::var_os("PRISM_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| project_root().join("tests/node_modules/.bin/prism"));
        assert!(
            bin.exists(),
            "Prism is not installed at {}: run the tests with `cargo xtask test`",
            bin.display()
        );
        let port = free_loopback_port();
        let mut child = Command::new(&bin)
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string(), "--errors"])
            .arg(project_root().join("spec/openapi.yaml"))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {}: {err}", bin.display()));
        let stdout = child.stdout.take().expect("stdout is piped");
        let (ready_tx, ready_rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("Prism is listening") {
                    let _ = ready_tx.send(());
                }
                // Keep draining so Prism never blocks on a full pipe; echo for failing tests.
                eprintln!("prism: {line}");
            }
        });
        let mut prism = Prism { child, base_url: format!("http://127.0.0.1:{port}") };
        if ready_rx.recv_timeout(Duration::from_secs(60)).is_err() {
            let _ = prism.child.kill();
            panic!("Prism did not report that it listens within 60 s");
        }
        prism
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_loopback_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("can bind a loopback port");
    listener.local_addr().expect("bound socket has an address").port()
}
