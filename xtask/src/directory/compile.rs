//! Compiling the sample's crates together in one scratch cargo workspace, so that their
//! dependencies build once: `cargo check`, `cargo clippy -- -D warnings` and
//! `cargo test --doc`, each over every crate at once with `--keep-going`/`--no-fail-fast`.
//! Cargo's JSON messages (and the doctests' own output) say which crate each failure belongs
//! to. Each step's full output is kept in `logs/<step>.log`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use keycard_codegen_cli::RECORD_PATH;

/// A step's result for one crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Passed,
    Failed(Failure),
    /// Not run for this crate, and why.
    NotRun(&'static str),
}

impl Step {
    pub fn passed(&self) -> bool {
        matches!(self, Step::Passed)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The first error, with its place in the crate (`src/types.rs:12:5: error[E0308]: ...`).
    pub first: String,
    /// The codes of all its errors: lint names under `-D warnings` (`clippy::too_many_arguments`,
    /// `missing_docs`), `E0308` for compile errors, `error` for errors without a code,
    /// `doctest` for a failing doctest.
    pub codes: BTreeSet<String>,
}

/// What the three steps found for one crate.
#[derive(Debug, Clone)]
pub struct CrateResult {
    pub check: Step,
    pub clippy: Step,
    pub doctests: Step,
}

/// The results of every crate (by crate name), and how long things took.
pub struct Compiled {
    pub crates: BTreeMap<String, CrateResult>,
    /// Each step's wall time.
    pub step_times: Vec<(&'static str, Duration)>,
    /// `cargo check`'s time for each crate it checked in this run (from `--timings`; crates
    /// unchanged since the last run are not checked again and are missing here).
    pub check_times: Vec<(String, f64)>,
}

/// The scratch workspace: `Cargo.toml`, `Cargo.lock`, `crates/<crate name>/`, `build/` (its
/// target folder) and `logs/`.
pub struct Workspace {
    pub dir: PathBuf,
    pub jobs: usize,
}

impl Workspace {
    pub fn crates_dir(&self) -> PathBuf {
        self.dir.join("crates")
    }

    /// Removes the crates of earlier runs that are not in `keep`: only folders the generator
    /// wrote (they hold its record of files); anything else is left alone.
    pub fn remove_other_crates(&self, keep: &BTreeSet<&str>) -> Result<(), String> {
        let crates = self.crates_dir();
        fs::create_dir_all(&crates).map_err(|err| format!("{}: {err}", crates.display()))?;
        let entries = fs::read_dir(&crates).map_err(|err| format!("{}: {err}", crates.display()))?;
        for entry in entries {
            let path = entry.map_err(|err| format!("{}: {err}", crates.display()))?.path();
            let name = path.file_name().and_then(|name| name.to_str()).unwrap_or_default();
            if !keep.contains(name) && path.join(RECORD_PATH).is_file() {
                fs::remove_dir_all(&path).map_err(|err| format!("{}: {err}", path.display()))?;
            }
        }
        Ok(())
    }

    /// Writes the workspace manifest for `members` (crate names) and the project's lockfile,
    /// which pins the dependency versions the generated crates are tested with.
    pub fn write_manifest(&self, members: &[String], lockfile: &Path) -> Result<(), String> {
        let members: String = members.iter().map(|name| format!("    \"crates/{name}\",\n")).collect();
        let manifest = format!(
            "# Written by `cargo xtask real-world --directory`: the sample's crates, compiled together so\n\
             # that their dependencies build once.\n\
             [workspace]\nresolver = \"2\"\nmembers = [\n{members}]\n\n\
             # Whether code compiles and passes its lints does not depend on these; without them the\n\
             # builds for the doctests are faster and smaller.\n\
             [profile.dev]\ndebug = false\nincremental = false\n"
        );
        let path = self.dir.join("Cargo.toml");
        fs::write(&path, manifest).map_err(|err| format!("{}: {err}", path.display()))?;
        let lock = self.dir.join("Cargo.lock");
        fs::copy(lockfile, &lock)
            .map_err(|err| format!("copying {} to {}: {err}", lockfile.display(), lock.display()))?;
        Ok(())
    }

    /// Runs the three steps over `crates` (crate names; all are members).
    pub fn compile(&self, crates: &[String], doctests: bool) -> Result<Compiled, String> {
        let libs: BTreeMap<String, String> =
            crates.iter().map(|name| (name.replace('-', "_"), name.clone())).collect();
        let mut step_times = Vec::new();

        let timings = self.dir.join("build/cargo-timings/cargo-timing.html");
        if timings.exists() {
            fs::remove_file(&timings).map_err(|err| format!("{}: {err}", timings.display()))?;
        }
        let start = Instant::now();
        let log = self.cargo(
            "check",
            "check",
            &["--workspace", "--keep-going", "--message-format=json", "--timings"],
        )?;
        step_times.push(("cargo check", start.elapsed()));
        let check = results(&read_messages(&log.text, &libs), &libs, &log.path);
        let check_times = read_check_times(&timings, crates);

        let start = Instant::now();
        let log = self.cargo(
            "clippy",
            "clippy",
            &["--workspace", "--keep-going", "--message-format=json", "--", "-D", "warnings"],
        )?;
        step_times.push(("cargo clippy -- -D warnings", start.elapsed()));
        let clippy = results(&read_messages(&log.text, &libs), &libs, &log.path);

        let mut doc = BTreeMap::new();
        let compiles = |name: &String| check.get(name).is_some_and(Step::passed);
        if !doctests {
            doc = crates.iter().map(|name| (name.clone(), Step::NotRun("--no-doctests"))).collect();
        } else if crates.iter().any(compiles) {
            let mut args = vec!["--doc", "--workspace", "--no-fail-fast", "--message-format=json"];
            for name in crates.iter().filter(|name| !compiles(name)) {
                args.extend(["--exclude", name]);
            }
            let start = Instant::now();
            let log = self.cargo("doctests", "test", &args)?;
            step_times.push(("cargo test --doc", start.elapsed()));
            let built = read_messages(&log.text, &libs);
            let ran = read_doctests(&log.text, &libs);
            for name in crates.iter().filter(|name| compiles(name)) {
                let step = match (built.get(name), ran.get(name)) {
                    (Some(seen), _) if !seen.errors.is_empty() => Step::Failed(seen.failure()),
                    (_, Some(step)) => step.clone(),
                    _ => no_result(&log.path),
                };
                doc.insert(name.clone(), step);
            }
        }

        let crates = crates
            .iter()
            .map(|name| {
                let step = |steps: &BTreeMap<String, Step>| {
                    steps.get(name).cloned().unwrap_or(Step::NotRun("the crate does not compile"))
                };
                (
                    name.clone(),
                    CrateResult { check: step(&check), clippy: step(&clippy), doctests: step(&doc) },
                )
            })
            .collect();
        Ok(Compiled { crates, step_times, check_times })
    }

    /// Runs cargo in the workspace with standard output and error into one log file, in the
    /// order they were written (the doctests' results follow cargo's `Doc-tests <crate>`).
    fn cargo(&self, step: &str, subcommand: &str, args: &[&str]) -> Result<Log, String> {
        let logs = self.dir.join("logs");
        fs::create_dir_all(&logs).map_err(|err| format!("{}: {err}", logs.display()))?;
        let path = logs.join(format!("{step}.log"));
        let file = fs::File::create(&path).map_err(|err| format!("{}: {err}", path.display()))?;
        let file2 = file.try_clone().map_err(|err| format!("{}: {err}", path.display()))?;
        let command = format!("cargo {subcommand} {}", args.join(" "));
        println!("{command} (log: {})", path.display());
        // Failing crates make cargo fail: its status says nothing the messages do not. A
        // failure no crate accounts for shows as crates without a result (see `results`).
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .arg(subcommand)
            // Before any `--`, which would pass it to the compiler instead.
            .arg(format!("--jobs={}", self.jobs))
            .args(args)
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", self.dir.join("build"))
            .env("CARGO_TERM_COLOR", "never")
            .stdout(file)
            .stderr(file2)
            .status()
            .map_err(|err| format!("cannot run {command}: {err}"))?;
        let text = fs::read_to_string(&path).map_err(|err| format!("{}: {err}", path.display()))?;
        Ok(Log { path, text })
    }
}

struct Log {
    path: PathBuf,
    text: String,
}

/// What cargo's JSON messages said about one crate.
#[derive(Default)]
struct Seen {
    /// Cargo finished the crate (checked or built it, or found it up to date).
    artifact: bool,
    /// Each error: its first line, and its code.
    errors: Vec<(String, String)>,
}

impl Seen {
    fn failure(&self) -> Failure {
        Failure {
            first: self.errors.first().map(|(line, _)| line.clone()).unwrap_or_default(),
            codes: self.errors.iter().map(|(_, code)| code.clone()).collect(),
        }
    }
}

#[derive(serde::Deserialize)]
struct Message {
    reason: String,
    target: Option<Target>,
    message: Option<Diagnostic>,
}

#[derive(serde::Deserialize)]
struct Target {
    name: String,
}

#[derive(serde::Deserialize)]
struct Diagnostic {
    level: String,
    message: String,
    code: Option<Code>,
    #[serde(default)]
    spans: Vec<Span>,
}

#[derive(serde::Deserialize)]
struct Code {
    code: String,
}

#[derive(serde::Deserialize)]
struct Span {
    file_name: String,
    line_start: usize,
    column_start: usize,
    is_primary: bool,
}

/// Cargo's JSON messages in `log`, by crate name; other packages' messages are skipped.
fn read_messages(log: &str, libs: &BTreeMap<String, String>) -> BTreeMap<String, Seen> {
    let mut seen = BTreeMap::<String, Seen>::new();
    for line in log.lines().filter(|line| line.starts_with('{')) {
        let Ok(message) = serde_json::from_str::<Message>(line) else { continue };
        let Some(name) = message.target.as_ref().and_then(|target| libs.get(&target.name)) else { continue };
        let entry = seen.entry(name.clone()).or_default();
        match (message.reason.as_str(), message.message) {
            ("compiler-artifact", _) => entry.artifact = true,
            ("compiler-message", Some(diagnostic))
                if diagnostic.level.starts_with("error")
                    && !diagnostic.message.starts_with("aborting due to") =>
            {
                let code =
                    diagnostic.code.as_ref().map_or_else(|| "error".to_owned(), |code| code.code.clone());
                entry.errors.push((first_line(&diagnostic, name), code));
            }
            _ => {}
        }
    }
    seen
}

/// `src/types.rs:12:5: error[E0308]: mismatched types`, the path within the crate.
fn first_line(diagnostic: &Diagnostic, crate_name: &str) -> String {
    let prefix = format!("crates/{crate_name}/");
    let at = diagnostic
        .spans
        .iter()
        .find(|span| span.is_primary)
        .map(|span| {
            let file = span.file_name.strip_prefix(&prefix).unwrap_or(&span.file_name);
            format!("{file}:{}:{}: ", span.line_start, span.column_start)
        })
        .unwrap_or_default();
    let code = diagnostic.code.as_ref().map(|code| format!("[{}]", code.code)).unwrap_or_default();
    let message = diagnostic.message.lines().next().unwrap_or_default();
    format!("{at}{}{code}: {message}", diagnostic.level)
}

/// Each crate's step result from what cargo said about it.
fn results(
    seen: &BTreeMap<String, Seen>,
    libs: &BTreeMap<String, String>,
    log: &Path,
) -> BTreeMap<String, Step> {
    libs.values()
        .map(|name| {
            let step = match seen.get(name) {
                Some(seen) if !seen.errors.is_empty() => Step::Failed(seen.failure()),
                Some(seen) if seen.artifact => Step::Passed,
                _ => no_result(log),
            };
            (name.clone(), step)
        })
        .collect()
}

/// A crate cargo said nothing about: cargo itself failed (the log says why).
fn no_result(log: &Path) -> Step {
    Step::Failed(Failure {
        first: format!("no result from cargo for this crate; see {}", log.display()),
        codes: BTreeSet::from(["no result".to_owned()]),
    })
}

/// The doctests' results, from the text between cargo's `Doc-tests <lib>` and libtest's
/// `test result:` line; a failing crate's first failure is kept.
fn read_doctests(log: &str, libs: &BTreeMap<String, String>) -> BTreeMap<String, Step> {
    let mut results = BTreeMap::new();
    let mut current: Option<&String> = None;
    let mut test: Option<String> = None;
    let mut first_failure: Option<String> = None;
    for line in log.lines() {
        if let Some(lib) = line.trim_start().strip_prefix("Doc-tests ") {
            current = libs.get(lib.trim());
            test = None;
            first_failure = None;
        } else if let Some(name) =
            line.strip_prefix("---- ").and_then(|rest| rest.strip_suffix(" stdout ----"))
        {
            let name = current.and_then(|c| name.strip_prefix(&format!("crates/{c}/"))).unwrap_or(name);
            test = Some(name.to_owned());
        } else if let (Some(name), None) = (&test, &first_failure) {
            if line.starts_with("error") || line.contains(" panicked at ") {
                first_failure = Some(format!("{name}: {}", line.trim()));
            }
        }
        let Some(crate_name) = current else { continue };
        if line.starts_with("test result: ok.") {
            results.insert(crate_name.clone(), Step::Passed);
        } else if line.starts_with("test result: FAILED.") {
            let first = first_failure.take().unwrap_or_else(|| "a doctest failed".to_owned());
            results.insert(
                crate_name.clone(),
                Step::Failed(Failure { first, codes: BTreeSet::from(["doctest".to_owned()]) }),
            );
        }
    }
    results
}

/// Each crate's time in `cargo check --timings`, from the report cargo writes
/// (`const UNIT_DATA = [...]` in `cargo-timing.html`); empty if the report is missing or
/// its format changed.
fn read_check_times(report: &Path, crates: &[String]) -> Vec<(String, f64)> {
    #[derive(serde::Deserialize)]
    struct Unit {
        name: String,
        duration: f64,
    }
    let Ok(html) = fs::read_to_string(report) else { return Vec::new() };
    let Some((_, data)) = html.split_once("const UNIT_DATA = ") else { return Vec::new() };
    let mut units = serde_json::Deserializer::from_str(data).into_iter::<Vec<Unit>>();
    let Some(Ok(units)) = units.next() else { return Vec::new() };
    let crates: BTreeSet<&str> = crates.iter().map(String::as_str).collect();
    // Crates that were up to date are listed with no time.
    units
        .into_iter()
        .filter(|unit| crates.contains(unit.name.as_str()) && unit.duration > 0.0)
        .map(|unit| (unit.name, unit.duration))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn libs() -> BTreeMap<String, String> {
        BTreeMap::from([("dir_a".to_owned(), "dir-a".to_owned()), ("dir_b".to_owned(), "dir-b".to_owned())])
    }

    #[test]
    fn errors_are_counted_against_their_crate() {
        let log = r#"
{"reason":"compiler-artifact","target":{"name":"serde"}}
{"reason":"compiler-message","target":{"name":"dir_a"},"message":{"level":"error","message":"this function has too many arguments (8/7)","code":{"code":"clippy::too_many_arguments"},"spans":[{"file_name":"crates/dir-a/src/resources.rs","line_start":10,"column_start":5,"is_primary":true}]}}
{"reason":"compiler-message","target":{"name":"dir_a"},"message":{"level":"error","message":"aborting due to 1 previous error","code":null,"spans":[]}}
{"reason":"compiler-artifact","target":{"name":"dir_b"}}
error: could not compile `dir-a` (lib)
"#;
        let steps = results(&read_messages(log, &libs()), &libs(), Path::new("check.log"));
        assert_eq!(steps["dir-b"], Step::Passed);
        let Step::Failed(failure) = &steps["dir-a"] else { panic!("{:?}", steps["dir-a"]) };
        assert_eq!(
            failure.first,
            "src/resources.rs:10:5: error[clippy::too_many_arguments]: this function has too many arguments (8/7)"
        );
        assert_eq!(failure.codes, BTreeSet::from(["clippy::too_many_arguments".to_owned()]));
    }

    #[test]
    fn a_crate_cargo_says_nothing_about_has_no_result() {
        let steps = results(&read_messages("", &libs()), &libs(), Path::new("check.log"));
        assert!(matches!(&steps["dir-a"], Step::Failed(failure) if failure.first.starts_with("no result")));
    }

    #[test]
    fn doctest_results_follow_their_crate() {
        let log = "   Doc-tests dir_a
running 2 tests
test crates/dir-a/src/lib.rs - (line 15) - compile ... ok
test crates/dir-a/src/resources.rs - resources::X::update (line 1042) ... FAILED
failures:
---- crates/dir-a/src/resources.rs - resources::X::update (line 1042) stdout ----
error: character literal may only contain one codepoint
error: expected item
test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.68s
   Doc-tests dir_b
running 1 test
test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.1s
";
        let results = read_doctests(log, &libs());
        assert_eq!(results["dir-b"], Step::Passed);
        let Step::Failed(failure) = &results["dir-a"] else { panic!() };
        assert_eq!(
            failure.first,
            "src/resources.rs - resources::X::update (line 1042): error: character literal may only contain one codepoint"
        );
    }
}
