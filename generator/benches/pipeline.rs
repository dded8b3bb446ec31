//! Generation time per stage (load, lower, emit, emit and render) and for the whole run, on the
//! Keycard spec, on synthetic documents of 10 to 10,000 operations, and on the largest real
//! document of `tests/real-world/` when it has been fetched. Run with
//! `cargo bench -p keycard-codegen --bench pipeline`.

mod synthetic;

// The allocator `cargo xtask` uses, so the figures are the ones users get.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use keycard_codegen::{emit, generate, load, lower, render, Options};

fn options() -> Options {
    Options { spec_path: "bench.yaml".into(), crate_name: "bench".into() }
}

fn stages(c: &mut Criterion, group_name: &str, text: &str, operations: u64) {
    let options = options();
    let mut group = c.benchmark_group(group_name);
    group.throughput(Throughput::Elements(operations));
    if operations >= 1000 {
        group.sample_size(10).measurement_time(Duration::from_secs(20));
    }
    let doc = load::load(text, "bench").expect("loads");
    let (api, _) = lower::lower(&doc, &options).expect("lowers");
    group.bench_function("load", |b| b.iter(|| load::load(text, "bench").unwrap()));
    group.bench_function("lower", |b| b.iter(|| lower::lower(&doc, &options).unwrap()));
    // Tokens are made chunk by chunk, as rendering asks for them: `emit` makes them all, on one
    // thread, and drops them; `emit_and_render` is the two as the pipeline runs them, on every
    // core.
    group.bench_function("emit", |b| {
        b.iter(|| {
            emit::emit(&api)
                .into_iter()
                .map(|file| match file {
                    emit::EmittedFile::Rust { chunks, .. } => {
                        chunks.iter().map(|make| make().tokens.into_iter().count()).sum()
                    }
                    emit::EmittedFile::Text { text, .. } => text.len(),
                })
                .sum::<usize>()
        })
    });
    group.bench_function("emit_and_render", |b| {
        b.iter(|| {
            emit::emit(&api).into_iter().map(|f| render::render(f, "bench").unwrap()).collect::<Vec<_>>()
        })
    });
    group.bench_function(BenchmarkId::new("whole", operations), |b| {
        b.iter(|| generate(text, &options).unwrap())
    });
    group.finish();
}

fn keycard(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let text = std::fs::read_to_string(root.join("spec/openapi.yaml")).unwrap();
    stages(c, "keycard", &text, 5);
}

fn synthetic_sizes(c: &mut Criterion) {
    for operations in [10, 100, 1_000, 10_000] {
        let text = synthetic::document(operations);
        stages(c, &format!("synthetic_{operations}"), &text, operations as u64);
    }
}

fn largest_real_document(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let list = root.join("tests/real-world/documents.txt");
    let largest = std::fs::read_to_string(&list).ok().and_then(|list| {
        list.lines()
            .filter_map(|line| line.split_whitespace().nth(1))
            .map(|path| root.join("tests/real-world").join(path))
            .filter_map(|path| std::fs::metadata(&path).ok().map(|m| (m.len(), path)))
            .max()
    });
    let Some((size, path)) = largest else {
        eprintln!("skipping the real-document benchmark: run `npm ci` in tests/real-world first");
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let operations = text.matches("\"operationId\"").count().max(1) as u64;
    eprintln!("real document: {} ({size} bytes, {operations} operations)", path.display());
    let mut group = c.benchmark_group("real_largest");
    group.sample_size(10).measurement_time(Duration::from_secs(30));
    group.throughput(Throughput::Elements(operations));
    group.bench_function("whole", |b| b.iter(|| generate(&text, &options()).unwrap()));
    group.finish();
}

criterion_group!(benches, keycard, synthetic_sizes, largest_real_document);
criterion_main!(benches);
