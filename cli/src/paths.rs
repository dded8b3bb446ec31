//! Where things are: paths as the user typed them, resolved against the current directory; the
//! name the generated files give the document; the crate name.

use std::io;
use std::path::{Component, Path, PathBuf};

use heck::ToKebabCase;

use crate::Error;

/// Where the document comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    StandardInput,
}

impl Source {
    /// `-` is standard input; anything else a path, resolved against the current directory.
    pub fn from_arg(path: &Path) -> Result<Source, Error> {
        if path == Path::new("-") {
            return Ok(Source::StandardInput);
        }
        Ok(Source::File(absolute(path)?))
    }

    /// How the generated files and messages name the document: its path within the git work tree
    /// that holds `out` when it lies there too, or else its file name. Never an absolute path,
    /// so two checkouts, or two copies anywhere, give the same bytes.
    pub fn name_for(&self, out: &Path) -> String {
        let Source::File(path) = self else { return "standard input".to_owned() };
        let within_work_tree = work_tree_of(out).and_then(|root| path.strip_prefix(root).ok());
        match within_work_tree {
            Some(relative) => slash_separated(relative),
            None => {
                path.file_name().map_or_else(|| slash_separated(path), |n| n.to_string_lossy().into_owned())
            }
        }
    }
}

/// `path` made absolute against the current directory, through the real location of its
/// longest existing part (so `..` means what the file system means by it), with the part that
/// does not exist yet appended as written.
pub fn absolute(path: &Path) -> Result<PathBuf, Error> {
    let joined = std::path::absolute(path).map_err(at(path))?;
    let existing = joined.ancestors().find(|p| p.exists()).unwrap_or(Path::new("/"));
    let mut resolved = existing.canonicalize().map_err(at(existing))?;
    let rest = joined.strip_prefix(existing).unwrap_or(Path::new(""));
    for component in rest.components() {
        match component {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => resolved.push(name),
            _ => {}
        }
    }
    Ok(resolved)
}

/// The closest folder at or above `dir` that holds a `.git` (a repository or a worktree link).
fn work_tree_of(dir: &Path) -> Option<&Path> {
    dir.ancestors().find(|candidate| candidate.join(".git").symlink_metadata().is_ok())
}

fn slash_separated(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// `--crate-name`, or else the output folder's name in kebab-case.
pub fn crate_name(explicit: Option<&str>, out: &Path) -> Result<String, Error> {
    if let Some(name) = explicit {
        return if is_crate_name(name) {
            Ok(name.to_owned())
        } else {
            Err(Error::CrateName { name: name.to_owned(), from_folder: None })
        };
    }
    let folder = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let name = folder.to_kebab_case();
    if is_crate_name(&name) {
        Ok(name)
    } else {
        Err(Error::CrateName { name, from_folder: Some(out.to_path_buf()) })
    }
}

/// What Cargo accepts as a package name and is safe to write into code and manifests.
fn is_crate_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.len() <= 64
}

/// An I/O error that says which path it happened on.
pub fn at(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::Io { path: path.to_path_buf(), source }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_come_from_the_folder_in_kebab_case() {
        assert_eq!(crate_name(None, Path::new("/x/my client")).unwrap(), "my-client");
        assert_eq!(crate_name(None, Path::new("/x/MyClient")).unwrap(), "my-client");
        assert_eq!(crate_name(Some("acme_api"), Path::new("/x/y")).unwrap(), "acme_api");
        let error = crate_name(None, Path::new("/x/2fa")).unwrap_err().to_string();
        assert!(error.contains("--crate-name") && error.contains("/x/2fa"), "{error}");
        let error = crate_name(Some("no way"), Path::new("/x/y")).unwrap_err().to_string();
        assert!(error.contains("--crate-name") && error.contains("`no way`"), "{error}");
    }

    #[test]
    fn the_document_is_named_within_the_work_tree_or_by_file_name() {
        let root = tempfile::tempdir().unwrap();
        let repo = root.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        let inside = Source::File(repo.join("spec/api.yaml"));
        assert_eq!(inside.name_for(&repo.join("crates/client")), "spec/api.yaml");
        let outside = Source::File(root.path().join("elsewhere/api.yaml"));
        assert_eq!(outside.name_for(&repo.join("crates/client")), "api.yaml");
        assert_eq!(Source::StandardInput.name_for(&repo), "standard input");
    }

    #[test]
    fn paths_resolve_through_what_exists() {
        let root = tempfile::tempdir().unwrap();
        let real = root.path().canonicalize().unwrap();
        std::fs::create_dir(real.join("a")).unwrap();
        let typed = real.join("a/../b/./new/../c");
        assert_eq!(absolute(&typed).unwrap(), real.join("b/c"));
    }
}
