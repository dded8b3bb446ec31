//! Carrying out a plan in the output folder itself, so a shell or an editor that has the folder
//! open keeps seeing it. Every new version is first written in full beside its file; only then
//! are they renamed over the old ones, each rename atomic. A failure while writing changes
//! nothing; a failure while renaming (rare: the data is already on disk) says which files
//! changed, and running again completes the rest.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::paths::at;
use crate::plan::Change;
use crate::Error;

/// Applies `changes` to `out`, creating it if needed.
pub fn apply(out: &Path, changes: &[Change]) -> Result<(), Error> {
    apply_with(out, changes, &mut |path, contents| fs::write(path, contents))
}

/// [`apply`], writing each new version with `write` (tests inject failures through it).
pub fn apply_with(
    out: &Path,
    changes: &[Change],
    write: &mut dyn FnMut(&Path, &[u8]) -> io::Result<()>,
) -> Result<(), Error> {
    let mut created_dirs = Vec::new();
    let staged = match stage(out, changes, write, &mut created_dirs) {
        Ok(staged) => staged,
        Err(err) => {
            // The staged files delete themselves when dropped; the folders made for them go too.
            for dir in created_dirs.iter().rev() {
                let _ = fs::remove_dir(dir);
            }
            return Err(err);
        }
    };

    let mut done: Vec<PathBuf> = Vec::new();
    let interrupted = |done: &[PathBuf], path: &Path, source: io::Error| Error::Interrupted {
        out: out.to_path_buf(),
        changed: done.to_vec(),
        failed: path.to_path_buf(),
        source,
    };
    for (relative, temp) in staged {
        if let Err(err) = temp.persist(out.join(&relative)) {
            return Err(interrupted(&done, &relative, err.error));
        }
        done.push(relative);
    }
    for change in changes {
        if let Change::Orphaned { path } = change {
            if let Err(err) = fs::remove_file(out.join(path)) {
                return Err(interrupted(&done, path, err));
            }
            done.push(path.clone());
            remove_emptied_folders(out, path);
        }
    }
    Ok(())
}

/// Writes every new version to a temporary file in its target's folder, creating the folders
/// that are missing (and noting them in `created_dirs`).
fn stage(
    out: &Path,
    changes: &[Change],
    write: &mut dyn FnMut(&Path, &[u8]) -> io::Result<()>,
    created_dirs: &mut Vec<PathBuf>,
) -> Result<Vec<(PathBuf, NamedTempFile)>, Error> {
    let mut staged = Vec::new();
    for change in changes {
        let Some(contents) = change.contents() else { continue };
        let target = out.join(change.path());
        let parent = target.parent().unwrap_or(out);
        create_dirs(parent, created_dirs)?;
        let name = target.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".codegen-tmp");
        if let Some(permissions) = permissions_for(&target)? {
            builder.permissions(permissions);
        }
        let temp = builder.tempfile_in(parent).map_err(at(parent))?;
        write(temp.path(), contents.as_bytes()).map_err(at(&target))?;
        staged.push((change.path().to_path_buf(), temp));
    }
    Ok(staged)
}

/// Creates `dir` and whatever of its parents is missing, noting each folder it creates.
fn create_dirs(dir: &Path, created_dirs: &mut Vec<PathBuf>) -> Result<(), Error> {
    let missing: Vec<&Path> = dir.ancestors().take_while(|dir| fs::symlink_metadata(dir).is_err()).collect();
    for dir in missing.into_iter().rev() {
        create_dir(dir, created_dirs)?;
    }
    create_dir(dir, created_dirs)
}

fn create_dir(dir: &Path, created_dirs: &mut Vec<PathBuf>) -> Result<(), Error> {
    match fs::create_dir(dir) {
        Ok(()) => {
            created_dirs.push(dir.to_path_buf());
            Ok(())
        }
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => match fs::symlink_metadata(dir) {
            Ok(meta) if meta.is_dir() => Ok(()),
            Ok(_) => Err(Error::NotAFolder { path: dir.to_path_buf() }),
            Err(source) => Err(Error::Io { path: dir.to_path_buf(), source }),
        },
        Err(source) => Err(Error::Io { path: dir.to_path_buf(), source }),
    }
}

/// A replaced file keeps its permissions; a new one gets the usual `rw-r--r--` (temporary
/// files start out private, which would be wrong for a source file).
fn permissions_for(target: &Path) -> Result<Option<fs::Permissions>, Error> {
    match fs::symlink_metadata(target) {
        Ok(meta) => Ok(Some(meta.permissions())),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(new_file_permissions()),
        Err(source) => Err(Error::Io { path: target.to_path_buf(), source }),
    }
}

#[cfg(unix)]
fn new_file_permissions() -> Option<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<fs::Permissions> {
    None
}

/// Removes the folders below `out` that held `removed` and are now empty.
fn remove_emptied_folders(out: &Path, removed: &Path) {
    for dir in removed.ancestors().skip(1).filter(|dir| !dir.as_os_str().is_empty()) {
        if fs::remove_dir(out.join(dir)).is_err() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use keycard_codegen::GeneratedFile;

    use super::*;
    use crate::folder::Folder;
    use crate::plan::plan;

    /// Every file below `dir` with its bytes.
    fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut found = Vec::new();
        let mut pending = vec![dir.to_path_buf()];
        while let Some(dir) = pending.pop() {
            for entry in fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    pending.push(path);
                } else {
                    found.push((path.clone(), fs::read(&path).unwrap()));
                }
            }
        }
        found.sort();
        found
    }

    fn generated(path: &str, body: &str) -> GeneratedFile {
        let header = keycard_codegen::render::header("//", "x.yaml");
        GeneratedFile { path: path.into(), contents: format!("{header}{body}\n"), from_spec: true }
    }

    /// The plan for `files` and their record, allowing other files.
    fn changes(out: &Path, files: &[GeneratedFile]) -> Vec<Change> {
        let files = crate::with_record(files.to_vec(), "x.yaml");
        plan(out, &Folder::scan(out, &files).unwrap(), &files, true).unwrap()
    }

    #[test]
    fn a_failure_while_writing_leaves_the_folder_as_it_was() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("client");
        let old = [generated("a.rs", "old a"), generated("src/b.rs", "old b"), generated("src/gone.rs", "x")];
        apply(&out, &changes(&out, &old)).unwrap();
        fs::write(out.join("notes.txt"), "mine").unwrap();
        let before = files(&out);

        let new = [
            generated("a.rs", "new a"),
            generated("src/b.rs", "new b"),
            generated("src/new/c.rs", "new c"),
            generated("src/new/d.rs", "new d"),
        ];
        let planned = changes(&out, &new);
        assert_eq!(planned.len(), 6, "a, b, c, d and the record written, gone.rs removed");
        let mut writes = 0;
        let result = apply_with(&out, &planned, &mut |path, contents| {
            writes += 1;
            if writes == 5 {
                return Err(io::Error::other("injected failure"));
            }
            fs::write(path, contents)
        });
        let error = result.unwrap_err().to_string();
        assert!(error.contains("src/new/d.rs") && error.contains("injected failure"), "{error}");
        assert_eq!(files(&out), before, "the folder changed, or a staged file was left behind");
        assert!(!out.join("src/new").exists(), "the folder made for the new files was left behind");

        apply(&out, &planned).unwrap();
        assert!(changes(&out, &new).is_empty());
        assert!(!out.join("src/gone.rs").exists());
        assert_eq!(
            fs::read_to_string(out.join("notes.txt")).unwrap(),
            "mine",
            "files that are not ours are kept"
        );
    }

    #[cfg(unix)]
    #[test]
    fn replaced_files_keep_their_permissions_and_new_ones_are_readable() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("client");
        apply(&out, &changes(&out, &[generated("run.sh", "old")])).unwrap();
        fs::set_permissions(out.join("run.sh"), fs::Permissions::from_mode(0o755)).unwrap();
        let new = [generated("run.sh", "new"), generated("lib.rs", "new")];
        apply(&out, &changes(&out, &new)).unwrap();
        let mode = |name: &str| fs::metadata(out.join(name)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode("run.sh"), 0o755);
        assert_eq!(mode("lib.rs"), 0o644);
    }
}
