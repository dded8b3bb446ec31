//! Runs the whole pipeline once on a synthetic document, for profilers:
//! `cargo run --release -p keycard-codegen --example profile_synthetic -- 10000`.

#[path = "../benches/synthetic.rs"]
mod synthetic;

fn main() {
    let operations = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let text = synthetic::document(operations);
    let options =
        keycard_codegen::Options { spec_path: "synthetic.json".into(), crate_name: "synthetic".into() };
    let started = std::time::Instant::now();
    let output = keycard_codegen::generate(&text, &options).expect("synthetic documents generate");
    let lines: usize = output.files.iter().map(|f| f.contents.lines().count()).sum();
    eprintln!("{operations} operations, {} bytes: {lines} lines in {:?}", text.len(), started.elapsed());
}
