//! Runs the whole pipeline once on a synthetic document, for profilers:
//! `cargo run --release -p keycard-codegen --example profile_synthetic -- 10000`.

#[path = "../benches/synthetic.rs"]
mod synthetic;

// As in `cargo xtask`: glibc's allocator slows down superlinearly on large documents.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let operations = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let text = synthetic::document(operations);
    let options =
        keycard_codegen::Options { spec_path: "synthetic.json".into(), crate_name: "synthetic".into() };
    let started = std::time::Instant::now();
    let output = keycard_codegen::generate(&text, &options).expect("synthetic documents generate");
    let whole = started.elapsed();
    let lines: usize = output.files.iter().map(|f| f.contents.lines().count()).sum();
    // The same run again, stage by stage.
    let clock = std::time::Instant::now();
    let doc = keycard_codegen::load::load(&text, "synthetic.json").expect("loads");
    let load = clock.elapsed();
    let clock = std::time::Instant::now();
    let (api, _) = keycard_codegen::lower::lower(&doc, &options).expect("lowers");
    let lower = clock.elapsed();
    let clock = std::time::Instant::now();
    let files: Vec<_> = keycard_codegen::emit::emit(&api)
        .into_iter()
        .map(|file| keycard_codegen::render::render(file, "synthetic.json").expect("renders"))
        .collect();
    let emit_and_render = clock.elapsed();
    eprintln!(
        "{operations} operations, {} bytes: {lines} lines in {whole:?} (load {load:?}, lower {lower:?}, emit+render {emit_and_render:?}, {} files)",
        text.len(),
        files.len()
    );
}
