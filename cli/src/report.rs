//! The change report of a run: the API record the previous generation left in the output folder,
//! compared with the one about to be written. The comparison itself is the generator's
//! (`keycard_codegen::changes`); here is what is read, printed and written.
//!
//! A record that is missing (a first generation, or a folder generated before records existed)
//! or unreadable never stops a run: there is simply no report this time.

use std::path::{Path, PathBuf};

use keycard_codegen::changes::{self, Report};
use keycard_codegen::record::{ApiRecord, RECORD_PATH};

use crate::folder::Folder;
use crate::paths::at;
use crate::Error;

/// What the output folder says about the previous generation's API.
pub enum Previous {
    /// No record: nothing generated here yet, or generated before records existed.
    Missing {
        generated_before: bool,
    },
    /// A record that cannot be read; why.
    Unreadable(String),
    Found(Box<ApiRecord>),
}

impl Previous {
    pub fn read(folder: &Folder) -> Previous {
        match folder.owned(Path::new(RECORD_PATH)) {
            Some(text) => match ApiRecord::parse(text) {
                Ok(record) => Previous::Found(Box::new(record)),
                Err(err) => Previous::Unreadable(err.to_string()),
            },
            None => Previous::Missing { generated_before: !folder.owned.is_empty() },
        }
    }
}

/// The report of one run, and how to say it.
pub struct ApiChanges {
    report: Option<Report>,
    previous: Previous,
    /// Whether any generated file changes (documentation only, say).
    files_change: bool,
    record_path: PathBuf,
}

impl ApiChanges {
    pub fn new(
        previous: Previous,
        new: &ApiRecord,
        new_text: &str,
        source_name: &str,
        files_change: bool,
        out: &Path,
    ) -> ApiChanges {
        let report = match &previous {
            Previous::Found(old) => Some(changes::compare(old, new, Some(new_text), source_name)),
            _ => None,
        };
        ApiChanges { report, previous, files_change, record_path: out.join(RECORD_PATH) }
    }

    /// A warning for standard error, when the previous record could not be read.
    pub fn warning(&self) -> Option<String> {
        match &self.previous {
            Previous::Unreadable(why) => Some(format!(
                "warning: {}: cannot read the previous generation's API record ({why}); no change report this time",
                self.record_path.display()
            )),
            _ => None,
        }
    }

    /// What to print: the report, a line when only documentation changed or when there is
    /// nothing to compare with, and nothing at all when nothing changed.
    pub fn text(&self) -> Option<String> {
        match (&self.report, &self.previous) {
            (Some(report), _) if !report.is_empty() => Some(report.to_text()),
            (Some(_), _) if self.files_change => Some(
                "API unchanged (only documentation or generated code changed): nothing breaks.\n".to_owned(),
            ),
            (Some(_), _) => None,
            (None, Previous::Missing { generated_before: true }) => Some(
                "No API record from the previous generation to compare with: no change report this time.\n"
                    .to_owned(),
            ),
            (None, _) => None,
        }
    }

    /// The Markdown for `--report`.
    pub fn markdown(&self, crate_name: &str) -> String {
        match &self.report {
            Some(report) => report.to_markdown(),
            None => format!(
                "## API changes in `{crate_name}`\n\nNo record of a previous generation to compare with: no change report this time.\n"
            ),
        }
    }

    /// Writes the Markdown to `path` (outside the output folder: `run` checks that first).
    pub fn write_markdown(&self, path: &Path, crate_name: &str) -> Result<(), Error> {
        std::fs::write(path, self.markdown(crate_name)).map_err(at(path))
    }
}
