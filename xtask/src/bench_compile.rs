//! `cargo xtask bench-compile DOC...`: what the crates generated from some documents cost to
//! compile, with this tree's generator and with a baseline's (by default the previous commit),
//! measured in the same run.
//!
//! Both generators write their crates into one scratch workspace, whose dependencies are built
//! first (through a crate with the same dependencies and no code); then each crate is checked (`cargo check`) and built (`cargo build`) again and again
//! after touching its `lib.rs`, the two generators' crates taking turns (A B, B A, ...).
//! Incremental compilation is off, as it is for a dependency: a user's build compiles the
//! generated crate whole, and an incremental rebuild of an unchanged crate would measure the
//! query cache instead. The wall time of each cargo run, and the CPU time and peak memory of the
//! crate's `rustc` (read by a wrapper: this program, as `RUSTC_WRAPPER`), give medians and the
//! median of the per-turn ratios.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use crate::project_root;

/// Set while measuring: the file each `rustc` run appends its crate and peak memory to.
const PEAK_FILE_VAR: &str = "KEYCARD_BENCH_PEAK_FILE";

#[derive(clap::Args)]
pub struct Args {
    /// OpenAPI documents, YAML or JSON.
    #[arg(required = true)]
    docs: Vec<PathBuf>,
    /// The commit whose generator is the baseline.
    #[arg(long, default_value = "HEAD~1")]
    baseline: String,
    /// Measured runs per crate and command (after one that builds what it needs).
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Measure `cargo check` only, not a debug build.
    #[arg(long)]
    check_only: bool,
    /// Also measure this tree's crate with only these Cargo features (comma-separated), against
    /// the same crate with its default features.
    #[arg(long)]
    features: Option<String>,
}

/// One generated crate in the scratch workspace, built with its default features or with
/// only the ones named.
struct Crate {
    label: String,
    package: String,
    dir: PathBuf,
    only_features: Option<String>,
}

/// Medians over the measured runs of one crate and command.
#[derive(Default)]
struct Cost {
    seconds: Vec<f64>,
    cpu_seconds: Vec<f64>,
    peak_mb: Vec<f64>,
}

/// One cargo run: its wall time, and the CPU time and peak memory of the crate's `rustc`.
struct Measurement {
    seconds: f64,
    cpu_seconds: f64,
    peak_mb: f64,
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    let root = project_root();
    let scratch = root.join("target/bench-compile");
    let generators = [
        ("baseline", baseline_generator(&root, &scratch, &args.baseline)?),
        ("current", current_generator(&root)?),
    ];
    let workspace = scratch.join("workspace");
    let mut pairs = Vec::new();
    for doc in &args.docs {
        let doc = fs::canonicalize(doc).map_err(|err| format!("{}: {err}", doc.display()))?;
        let stem = crate_stem(&doc);
        let mut pair = Vec::new();
        for (side, generator) in &generators {
            let package = format!("bench-{side}-{stem}");
            let dir = workspace.join(side).join(&stem);
            let _ = fs::remove_dir_all(&dir);
            let start = Instant::now();
            let status = Command::new(generator)
                .args(["--spec".as_ref(), doc.as_os_str(), "--out".as_ref(), dir.as_os_str()])
                .args(["--crate-name", &package])
                .status()
                .map_err(|err| format!("{}: {err}", generator.display()))?;
            if !status.success() {
                return Err(format!("the {side} generator failed on {}", doc.display()));
            }
            println!("{side}: generated {} in {:.2} s", doc.display(), start.elapsed().as_secs_f64());
            pair.push(Crate { label: (*side).to_owned(), package, dir, only_features: None });
        }
        if let Some(features) = &args.features {
            let current = &pair[1];
            pair.push(Crate {
                label: format!("current, features `{features}` only"),
                package: current.package.clone(),
                dir: current.dir.clone(),
                only_features: Some(features.clone()),
            });
        }
        pairs.push((doc, pair));
    }
    write_workspace(&root, &workspace, &pairs)?;
    // A copy of this program is the `RUSTC_WRAPPER`: a rebuild of xtask during a long run
    // would take the original away.
    let wrapper = workspace.join("rustc-wrapper");
    let this = std::env::current_exe().map_err(|err| err.to_string())?;
    fs::copy(&this, &wrapper).map_err(|err| format!("{}: {err}", wrapper.display()))?;

    let commands: &[&str] = if args.check_only { &["check"] } else { &["check", "build"] };
    println!(
        "\n| document | generator | lines | types |{}",
        commands.iter().map(|c| format!(" `cargo {c}` s | rustc CPU s | peak MB |")).collect::<String>()
    );
    println!("|---|---|---|---|{}", "---|---|---|".repeat(commands.len()));
    for (doc, pair) in &pairs {
        // Each ratio compares a crate with the one before it: current with baseline, and
        // current with only some features with current.
        let mut costs: Vec<Vec<Cost>> = Vec::new();
        let mut ratios: Vec<Vec<[Vec<f64>; 3]>> = Vec::new();
        for command in commands {
            let mut cost: Vec<Cost> = pair.iter().map(|_| Cost::default()).collect();
            let mut turn_ratios: Vec<[Vec<f64>; 3]> =
                pair.iter().skip(1).map(|_| Default::default()).collect();
            for krate in pair {
                build_dependencies(&workspace, command, krate)?;
            }
            for run in 0..args.runs {
                let mut order: Vec<usize> = (0..pair.len()).collect();
                order.rotate_left(run % pair.len());
                for side in order {
                    let measured = measure(&workspace, command, &pair[side])?;
                    cost[side].seconds.push(measured.seconds);
                    cost[side].cpu_seconds.push(measured.cpu_seconds);
                    cost[side].peak_mb.push(measured.peak_mb);
                }
                for (side, ratio) in turn_ratios.iter_mut().enumerate() {
                    let (before, after) = (&cost[side], &cost[side + 1]);
                    ratio[0].push(after.seconds[run] / before.seconds[run]);
                    ratio[1].push(after.cpu_seconds[run] / before.cpu_seconds[run]);
                    ratio[2].push(after.peak_mb[run] / before.peak_mb[run]);
                }
            }
            costs.push(cost);
            ratios.push(turn_ratios);
        }
        let name = doc.file_name().unwrap_or_default().to_string_lossy();
        for (side, krate) in pair.iter().enumerate() {
            let (lines, types) = size(&krate.dir)?;
            let cells: String = costs
                .iter_mut()
                .map(|cost| {
                    let cost = &mut cost[side];
                    format!(
                        " {:.1} | {:.1} | {:.0} |",
                        median(&mut cost.seconds),
                        median(&mut cost.cpu_seconds),
                        median(&mut cost.peak_mb)
                    )
                })
                .collect();
            println!("| {name} | {} | {lines} | {types} |{cells}", krate.label);
        }
        for side in 1..pair.len() {
            let cells: String = ratios
                .iter_mut()
                .map(|per_side| {
                    let [time, cpu, peak] = &mut per_side[side - 1];
                    format!(" {:.2}x | {:.2}x | {:.2}x |", median(time), median(cpu), median(peak))
                })
                .collect();
            let (after, before) = (&pair[side].label, &pair[side - 1].label);
            println!("| {name} | {after} / {before} (median per-turn ratio) | | |{cells}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The baseline's command-line generator, built from a worktree of `rev`.
fn baseline_generator(root: &Path, scratch: &Path, rev: &str) -> Result<PathBuf, String> {
    let source = scratch.join("baseline-source");
    if source.exists() {
        run_command(
            Command::new("git").args(["worktree", "remove", "--force"]).arg(&source).current_dir(root),
        )?;
    }
    run_command(
        Command::new("git").args(["worktree", "add", "--detach"]).arg(&source).arg(rev).current_dir(root),
    )?;
    let target = scratch.join("baseline-target");
    let built = run_command(
        Command::new("cargo")
            .args(["build", "--release", "--quiet", "-p", "keycard-codegen-cli"])
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(&source),
    );
    // The binary is all that is needed: the worktree would linger in `git worktree list`.
    run_command(Command::new("git").args(["worktree", "remove", "--force"]).arg(&source).current_dir(root))?;
    built?;
    Ok(target.join("release/keycard-codegen"))
}

fn current_generator(root: &Path) -> Result<PathBuf, String> {
    run_command(
        Command::new("cargo")
            .args(["build", "--release", "--quiet", "-p", "keycard-codegen-cli"])
            .current_dir(root),
    )?;
    Ok(root.join("target/release/keycard-codegen"))
}

fn run_command(command: &mut Command) -> Result<(), String> {
    let status = command.status().map_err(|err| format!("{command:?}: {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed: {status}"))
    }
}

/// A package-name-safe stem of the document's file name.
fn crate_stem(doc: &Path) -> String {
    let stem = doc.file_stem().unwrap_or_default().to_string_lossy().to_ascii_lowercase();
    let stem: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    stem.trim_matches('-').to_owned()
}

/// Writes the workspace of the generated crates, and beside each crate a crate with its
/// dependencies and no code (`<package>-deps`), which builds them before any measurement.
fn write_workspace(root: &Path, workspace: &Path, pairs: &[(PathBuf, Vec<Crate>)]) -> Result<(), String> {
    let mut members = std::collections::BTreeSet::new();
    for krate in pairs.iter().flat_map(|(_, pair)| pair) {
        let relative = krate.dir.strip_prefix(workspace).unwrap_or(&krate.dir).to_path_buf();
        if !members.insert(relative.clone()) {
            continue;
        }
        let deps = workspace.join("deps").join(&krate.package);
        let manifest = krate.dir.join("Cargo.toml");
        let manifest =
            fs::read_to_string(&manifest).map_err(|err| format!("{}: {err}", manifest.display()))?;
        let lib_name = krate.package.replace('-', "_");
        let manifest = manifest
            .replace(&format!("name = \"{}\"", krate.package), &format!("name = \"{}-deps\"", krate.package))
            .replace(&format!("name = \"{lib_name}\""), &format!("name = \"{lib_name}_deps\""));
        fs::create_dir_all(deps.join("src")).map_err(|err| format!("{}: {err}", deps.display()))?;
        fs::write(deps.join("Cargo.toml"), manifest).map_err(|err| format!("{}: {err}", deps.display()))?;
        fs::write(deps.join("src/lib.rs"), "").map_err(|err| format!("{}: {err}", deps.display()))?;
        members.insert(Path::new("deps").join(&krate.package));
    }
    let members: String = members.iter().map(|member| format!("    {member:?},\n")).collect();
    let manifest = format!(
        "# Written by `cargo xtask bench-compile`.\n[workspace]\nresolver = \"2\"\nmembers = [\n{members}]\n"
    );
    let path = workspace.join("Cargo.toml");
    fs::write(&path, manifest).map_err(|err| format!("{}: {err}", path.display()))?;
    // The versions the generated crates are tested with.
    let lock = workspace.join("Cargo.lock");
    fs::copy(root.join("Cargo.lock"), &lock).map_err(|err| format!("{}: {err}", lock.display()))?;
    Ok(())
}

/// Builds what a crate depends on, for `command`, without the crate itself.
fn build_dependencies(workspace: &Path, command: &str, krate: &Crate) -> Result<(), String> {
    run_command(
        Command::new("cargo")
            .args([command, "--quiet", "-p", &format!("{}-deps", krate.package)])
            .env("CARGO_INCREMENTAL", "0")
            .current_dir(workspace),
    )
}

/// One `cargo <command>` of a crate whose `lib.rs` was just touched.
fn measure(workspace: &Path, command: &str, krate: &Crate) -> Result<Measurement, String> {
    let lib = krate.dir.join("src/lib.rs");
    let file =
        fs::File::options().append(true).open(&lib).map_err(|err| format!("{}: {err}", lib.display()))?;
    file.set_modified(std::time::SystemTime::now()).map_err(|err| format!("{}: {err}", lib.display()))?;
    let peaks = workspace.join("peaks.txt");
    let _ = fs::remove_file(&peaks);
    let wrapper = workspace.join("rustc-wrapper");
    let start = Instant::now();
    run_command(
        Command::new("cargo")
            .args([command, "--quiet", "-p", &krate.package])
            .args(
                krate
                    .only_features
                    .iter()
                    .flat_map(|features| ["--no-default-features", "--features", features]),
            )
            .env("CARGO_INCREMENTAL", "0")
            .env("RUSTC_WRAPPER", &wrapper)
            .env(PEAK_FILE_VAR, &peaks)
            .current_dir(workspace),
    )?;
    let seconds = start.elapsed().as_secs_f64();
    let lib_name = krate.package.replace('-', "_");
    let peaks = fs::read_to_string(&peaks).unwrap_or_default();
    let (mut peak_kb, mut cpu_seconds) = (0.0, 0.0);
    for line in peaks.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        if let [name, kb, cpu] = fields[..] {
            if name == lib_name {
                peak_kb = f64::max(peak_kb, kb.parse().unwrap_or(0.0));
                cpu_seconds += cpu.parse::<f64>().unwrap_or(0.0);
            }
        }
    }
    Ok(Measurement { seconds, cpu_seconds, peak_mb: peak_kb / 1024.0 })
}

/// Lines of Rust in the crate, and the items of its `types.rs`.
fn size(dir: &Path) -> Result<(usize, usize), String> {
    let src = dir.join("src");
    let mut lines = 0;
    for entry in fs::read_dir(&src).map_err(|err| format!("{}: {err}", src.display()))? {
        let path = entry.map_err(|err| err.to_string())?.path();
        lines +=
            fs::read_to_string(&path).map_err(|err| format!("{}: {err}", path.display()))?.lines().count();
    }
    let types = fs::read_to_string(src.join("types.rs")).unwrap_or_default();
    let items = types
        .lines()
        .filter(|line| ["pub struct ", "pub enum ", "pub type "].iter().any(|item| line.starts_with(item)))
        .count();
    Ok((lines, items))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 0 => (values[n / 2 - 1] + values[n / 2]) / 2.0,
        n => values[n / 2],
    }
}

/// When cargo runs this program as `RUSTC_WRAPPER` during a measurement: runs the real
/// `rustc` and appends the crate's name, the peak memory (KB) and the CPU seconds (user and
/// system: unlike wall time, hardly changed by other work on the machine) of that run to the
/// file.
/// `None` when this process is not such a wrapper.
pub fn run_as_rustc_wrapper() -> Option<ExitCode> {
    let peaks = std::env::var_os(PEAK_FILE_VAR)?;
    let mut args = std::env::args_os().skip(1);
    let rustc = args.next()?;
    let args: Vec<_> = args.collect();
    let status = Command::new(&rustc).args(&args).status();
    let Ok(status) = status else { return Some(ExitCode::FAILURE) };
    let crate_name = args
        .iter()
        .position(|arg| arg == "--crate-name")
        .and_then(|at| args.get(at + 1))
        .map(|name| name.to_string_lossy().into_owned());
    if let Some(name) = crate_name {
        // SAFETY: `getrusage` only writes the struct it is given.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } == 0 {
            use std::io::Write;
            if let Ok(mut file) = fs::File::options().create(true).append(true).open(&peaks) {
                let seconds = |time: libc::timeval| time.tv_sec as f64 + time.tv_usec as f64 / 1e6;
                let cpu = seconds(usage.ru_utime) + seconds(usage.ru_stime);
                let _ = writeln!(file, "{name} {} {cpu:.2}", usage.ru_maxrss);
            }
        }
    }
    Some(match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    })
}
