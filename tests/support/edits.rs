//! The edit corpus (`tests/fixtures/edits/`): each file is a small change to a fixture document,
//! a JSON Patch (RFC 6902, applied by the `json-patch` crate to the document read as JSON), with
//! the entries its change report must have and both verdicts of each, written from first
//! principles in the file. Read by the corpus test (`tests/edits.rs`) and by
//! `cargo xtask semver-oracle`, which includes this file.

use std::path::Path;

use serde::Deserialize;

/// One edit, as its file gives it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    /// The document edited, relative to the workspace root.
    pub base: String,
    pub patch: json_patch::Patch,
    pub expect: Vec<Expected>,
    /// The file's name without `.yaml`, filled in when it is read.
    #[serde(skip)]
    pub name: String,
}

/// An entry the report must have.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// The change's id (`field-became-required`).
    pub change: String,
    /// What changed, by Rust name (`SecretUpdate.name`).
    pub subject: String,
    /// `breaking`, `compatible` or `none`.
    pub source: String,
    pub wire: String,
}

/// The documents before and after an edit.
pub struct Documents {
    pub before: String,
    pub after: String,
}

/// Every edit in `root/tests/fixtures/edits/`, by file name.
pub fn load_all(root: &Path) -> Result<Vec<Edit>, String> {
    let dir = root.join("tests/fixtures/edits");
    let entries = std::fs::read_dir(&dir).map_err(|err| format!("{}: {err}", dir.display()))?;
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))?;
            let mut edit: Edit =
                serde_yaml::from_str(&text).map_err(|err| format!("{}: {err}", path.display()))?;
            edit.name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            Ok(edit)
        })
        .collect()
}

impl Edit {
    /// The base document and the patched one, both written out as YAML by the same code (so
    /// they differ only by the patch; the lines of the report are the patched text's).
    pub fn documents(&self, root: &Path) -> Result<Documents, String> {
        let path = root.join(&self.base);
        let text = std::fs::read_to_string(&path).map_err(|err| format!("{}: {err}", path.display()))?;
        let yaml: serde_yaml::Value =
            serde_yaml::from_str(&text).map_err(|err| format!("{}: {err}", path.display()))?;
        let mut document =
            serde_json::to_value(&yaml).map_err(|err| format!("{}: not JSON-like: {err}", path.display()))?;
        let before = serde_yaml::to_string(&document).map_err(|err| err.to_string())?;
        json_patch::patch(&mut document, &self.patch).map_err(|err| format!("{}: {err}", self.name))?;
        let after = serde_yaml::to_string(&document).map_err(|err| err.to_string())?;
        Ok(Documents { before, after })
    }
}
