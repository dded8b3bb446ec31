//! What bringing the output folder in line with the generated files takes: which files are
//! written, created and removed, decided before anything is touched, and refused as a whole
//! when it would touch something of the user's.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use keycard_codegen::GeneratedFile;

use crate::folder::Folder;
use crate::Error;

/// How many changed lines `--check` shows per file.
const DIFF_LINE_LIMIT: usize = 40;

pub enum Change {
    Stale { path: PathBuf, old: String, new: String },
    Missing { path: PathBuf, new: String },
    Orphaned { path: PathBuf },
}

impl Change {
    pub fn path(&self) -> &Path {
        match self {
            Change::Stale { path, .. } | Change::Missing { path, .. } | Change::Orphaned { path } => path,
        }
    }

    /// What writing it does, in the past tense, for the summary.
    pub fn verb(&self) -> &'static str {
        match self {
            Change::Stale { .. } => "updated",
            Change::Missing { .. } => "created",
            Change::Orphaned { .. } => "removed",
        }
    }

    /// What is wrong with the folder, for `--check`.
    pub fn describe(&self) -> &'static str {
        match self {
            Change::Stale { .. } => "stale",
            Change::Missing { .. } => "missing",
            Change::Orphaned { .. } => "orphaned (no longer generated)",
        }
    }

    /// The new contents, for a file that is written.
    pub fn contents(&self) -> Option<&str> {
        match self {
            Change::Stale { new, .. } | Change::Missing { new, .. } => Some(new),
            Change::Orphaned { .. } => None,
        }
    }

    /// A unified diff of a stale file, cut to a readable length.
    pub fn short_diff(&self) -> Option<String> {
        let Change::Stale { path, old, new } = self else { return None };
        let name = path.display().to_string();
        let diff = similar::TextDiff::from_lines(old, new)
            .unified_diff()
            .context_radius(2)
            .header(&format!("a/{name}"), &format!("b/{name}"))
            .to_string();
        let lines: Vec<&str> = diff.lines().collect();
        let mut shown = lines.iter().take(DIFF_LINE_LIMIT).copied().collect::<Vec<_>>().join("\n");
        if lines.len() > DIFF_LINE_LIMIT {
            shown.push_str(&format!("\n... {} more diff lines", lines.len() - DIFF_LINE_LIMIT));
        }
        Some(shown)
    }
}

/// The changes that make `folder` (found at `out`) hold exactly `files` among the generator's
/// own, in path order. Refused, naming every offending path, when a generated file would land
/// on or under something of the user's, or when the user has files there and did not say that
/// is fine (`allow_other_files`).
pub fn plan(
    out: &Path,
    folder: &Folder,
    files: &[GeneratedFile],
    allow_other_files: bool,
) -> Result<Vec<Change>, Error> {
    let clashes: BTreeSet<PathBuf> = files
        .iter()
        .filter(|file| folder.owned(Path::new(&file.path)).is_none())
        .filter_map(|file| taken_by_user(folder, Path::new(&file.path)))
        .collect();
    if !clashes.is_empty() {
        return Err(Error::WouldOverwrite { out: out.to_path_buf(), paths: clashes.into_iter().collect() });
    }
    if !folder.others.is_empty() && !allow_other_files {
        return Err(Error::OtherFiles { out: out.to_path_buf(), paths: folder.others.clone() });
    }

    let mut changes = Vec::new();
    for file in files {
        let path = PathBuf::from(&file.path);
        match folder.owned(&path) {
            Some(old) if old == file.contents => {}
            Some(old) => {
                changes.push(Change::Stale { path, old: old.to_owned(), new: file.contents.clone() })
            }
            None => changes.push(Change::Missing { path, new: file.contents.clone() }),
        }
    }
    for (path, _) in &folder.owned {
        if !files.iter().any(|file| Path::new(&file.path) == path) {
            changes.push(Change::Orphaned { path: path.clone() });
        }
    }
    changes.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(changes)
}

/// The user's entry at `path` or at one of its parent folders (a file or a link where the path
/// needs a folder), if there is one.
fn taken_by_user(folder: &Folder, path: &Path) -> Option<PathBuf> {
    let mut prefix = PathBuf::new();
    for component in path.components() {
        prefix.push(component);
        let is_last = prefix.as_path() == path;
        if folder.others.contains(&prefix) || (is_last && folder.dirs.contains(&prefix)) {
            return Some(prefix);
        }
    }
    None
}
