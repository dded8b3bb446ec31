//! Generating documents in child processes (`xtask generate-one`), a few at a time, each with
//! a time limit: a panic, a crash or a hang is recorded for its document and the run goes on.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use super::corpus::Document;

/// What happened to one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Generated {
        files: usize,
        lines: usize,
        warnings: usize,
    },
    /// The generator returned an error; its first line.
    Refused {
        message: String,
    },
    /// The generator panicked: where, and the message.
    Panicked {
        message: String,
    },
    /// The child died otherwise: a signal (stack overflow, out of memory) or an odd exit.
    Crashed {
        message: String,
    },
    /// Still running at the time limit; killed.
    Hung,
}

/// One document's generation.
#[derive(Debug, Clone)]
pub struct Generation {
    /// The document's `openapi` field, as the child read it (`unknown` if it could not).
    pub openapi: String,
    pub outcome: Outcome,
    pub time: Duration,
}

/// How to run the children.
pub struct Runner {
    /// The xtask binary that has the `generate-one` subcommand.
    pub exe: PathBuf,
    pub timeout: Duration,
    pub jobs: usize,
}

impl Runner {
    /// Generates each document (the largest first, so that the slowest do not come last),
    /// writing the crates into `crates_dir/<crate name>` if given. The results are in the
    /// order of `documents`.
    pub fn generate_all(&self, documents: &[Document], crates_dir: Option<&Path>) -> Vec<Generation> {
        let mut order: Vec<usize> = (0..documents.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(documents[i].size));
        let next = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        let results = Mutex::new(vec![None; documents.len()]);
        thread::scope(|scope| {
            for _ in 0..self.jobs.max(1) {
                scope.spawn(|| {
                    while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let document = &documents[i];
                        let out = crates_dir.map(|dir| dir.join(&document.crate_name));
                        let generation = self.generate(document, out.as_deref());
                        let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                        progress(document, &generation, finished, documents.len());
                        results.lock().unwrap_or_else(|poisoned| poisoned.into_inner())[i] = Some(generation);
                    }
                });
            }
        });
        results
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .into_iter()
            .map(|generation| generation.expect("every document is generated once"))
            .collect()
    }

    fn generate(&self, document: &Document, out: Option<&Path>) -> Generation {
        let mut command = Command::new(&self.exe);
        command
            .arg("generate-one")
            .arg("--spec")
            .arg(&document.file)
            .args(["--name", &document.name, "--crate-name", &document.crate_name])
            .env("RUST_BACKTRACE", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(out) = out {
            command.arg("--out").arg(out);
        }
        let start = Instant::now();
        let child = match command.spawn() {
            Ok(child) => child,
            Err(err) => {
                let message = format!("cannot run {}: {err}", self.exe.display());
                return Generation {
                    openapi: "unknown".into(),
                    outcome: Outcome::Crashed { message },
                    time: start.elapsed(),
                };
            }
        };
        let (status, stdout, stderr) = wait_with_timeout(child, self.timeout);
        let time = start.elapsed();
        let report = Report::parse(&stdout);
        let openapi = report.openapi.unwrap_or_else(|| "unknown".to_owned());
        let outcome = match (status, report.outcome) {
            (None, _) => Outcome::Hung,
            (Some(status), Some(outcome)) if status.success() => outcome,
            (Some(status), _) => failure(status, &stderr),
        };
        Generation { openapi, outcome, time }
    }
}

/// Waits for the child, killing it at the time limit (then the status is `None`), and
/// returns what it wrote.
fn wait_with_timeout(mut child: Child, timeout: Duration) -> (Option<ExitStatus>, String, String) {
    let read = |pipe: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut text = Vec::new();
            if let Some(mut pipe) = pipe {
                // A read error leaves what was read so far, which is all a report needs.
                let _ = pipe.read_to_end(&mut text);
            }
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let stdout = read(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let stderr = read(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let start = Instant::now();
    let mut pause = Duration::from_millis(1);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => {
                thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            // The child cannot be waited for: stop it and report it as a crash below.
            Err(_) => {
                let _ = child.kill();
                break child.wait().ok();
            }
        }
    };
    let text = |reader: thread::JoinHandle<String>| reader.join().unwrap_or_default();
    (status, text(stdout), text(stderr))
}

/// The lines the child wrote on standard output.
#[derive(Default)]
struct Report {
    openapi: Option<String>,
    outcome: Option<Outcome>,
}

impl Report {
    fn parse(stdout: &str) -> Report {
        let mut report = Report::default();
        for line in stdout.lines() {
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                ["openapi", version] => report.openapi = Some((*version).to_owned()),
                ["refused", message] => {
                    report.outcome = Some(Outcome::Refused { message: (*message).to_owned() })
                }
                ["generated", files, lines, warnings] => {
                    if let (Ok(files), Ok(lines), Ok(warnings)) =
                        (files.parse(), lines.parse(), warnings.parse())
                    {
                        report.outcome = Some(Outcome::Generated { files, lines, warnings });
                    }
                }
                _ => {}
            }
        }
        report
    }
}

/// A child that ended without a report: a panic (Rust exits with 101 and says where), a
/// signal, or an error of its own.
fn failure(status: ExitStatus, stderr: &str) -> Outcome {
    // `thread 'main' panicked at src/x.rs:1:2:` then the message on the next line.
    let mut lines = stderr.lines();
    if let Some(at) = lines.by_ref().find_map(|line| line.split_once(" panicked at ").map(|(_, at)| at)) {
        let message = lines.next().unwrap_or_default();
        return Outcome::Panicked { message: format!("{} {message}", at.trim_end()) };
    }
    let last = stderr.lines().rev().find(|line| !line.trim().is_empty()).unwrap_or("no message");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return Outcome::Crashed { message: format!("killed by signal {signal}: {last}") };
        }
    }
    Outcome::Crashed { message: format!("exited with {status}: {last}") }
}

/// One line for each document that did not generate, and a count now and then.
fn progress(document: &Document, generation: &Generation, finished: usize, total: usize) {
    let detail = match &generation.outcome {
        Outcome::Generated { .. } => None,
        Outcome::Refused { message } => Some(format!("refused: {message}")),
        Outcome::Panicked { message } => Some(format!("PANICKED: {message}")),
        Outcome::Crashed { message } => Some(format!("CRASHED: {message}")),
        Outcome::Hung => Some(format!("HUNG: still running after {:.0} s", generation.time.as_secs_f64())),
    };
    if let Some(detail) = detail {
        let detail: String = detail.chars().take(300).collect();
        println!("  {}: {detail}", document.name);
    }
    if finished % 250 == 0 || finished == total {
        println!("[{finished}/{total}] generated");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_are_read() {
        let report = Report::parse("openapi\t3.0.0\ngenerated\t14\t2000\t3\n");
        assert_eq!(report.openapi.as_deref(), Some("3.0.0"));
        assert_eq!(report.outcome, Some(Outcome::Generated { files: 14, lines: 2000, warnings: 3 }));
        let report = Report::parse("openapi\t3.1.0\nrefused\tx.json: #/openapi: not supported\n");
        assert_eq!(
            report.outcome,
            Some(Outcome::Refused { message: "x.json: #/openapi: not supported".into() })
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_panic_is_told_from_other_failures() {
        use std::os::unix::process::ExitStatusExt;
        let stderr = "\nthread 'main' (4242) panicked at generator/src/lower/mod.rs:12:5:\nindex out of bounds\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(
            failure(ExitStatus::from_raw(101 << 8), stderr),
            Outcome::Panicked { message: "generator/src/lower/mod.rs:12:5: index out of bounds".into() }
        );
        let stderr = "\nthread 'main' has overflowed its stack\nfatal runtime error: stack overflow\n";
        assert_eq!(
            failure(ExitStatus::from_raw(6), stderr),
            Outcome::Crashed { message: "killed by signal 6: fatal runtime error: stack overflow".into() }
        );
    }
}
