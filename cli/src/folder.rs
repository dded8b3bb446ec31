//! What the output folder holds, and whose it is. The generator owns a file only when it wrote
//! it: the file is listed in the folder's record (`.keycard-codegen/files`) and starts with the
//! generated header. Everything else belongs to the user and is never written, removed or
//! followed (symbolic links included).

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use keycard_codegen::render::GENERATED_MARKER;
use keycard_codegen::GeneratedFile;

use crate::paths::at;
use crate::Error;

/// The record of what the generator wrote, relative to the output folder.
pub const RECORD_PATH: &str = ".keycard-codegen/files";
/// Entries at the top of the folder that are neither the generator's nor the user's work:
/// Cargo's build output for the generated manifest, and version control.
const BUILD_AND_VCS: [&str; 3] = ["target", "Cargo.lock", ".git"];

/// The record's contents for a set of generated files: a header, then one path per line.
pub fn record(files: &[GeneratedFile], source_name: &str) -> GeneratedFile {
    let mut contents = keycard_codegen::render::header("#", source_name);
    contents.push_str("# The files the generator wrote here; it never touches any other file.\n");
    for file in files {
        contents.push_str(&file.path);
        contents.push('\n');
    }
    GeneratedFile { path: RECORD_PATH.to_owned(), contents, from_spec: false }
}

/// The output folder as found on disk.
#[derive(Debug, Default)]
pub struct Folder {
    /// Files the generator owns, with their current contents.
    pub owned: Vec<(PathBuf, String)>,
    /// Files, links and other entries that are the user's, in path order.
    pub others: Vec<PathBuf>,
    /// Folders, for telling which paths are taken and which may be created.
    pub dirs: BTreeSet<PathBuf>,
}

impl Folder {
    /// Reads `out` without following any symbolic link below it. A missing folder is empty.
    /// `to_write` are the paths about to be generated: in a folder written before the record
    /// existed, a file there with the generated header counts as the generator's.
    pub fn scan(out: &Path, to_write: &[GeneratedFile]) -> Result<Folder, Error> {
        let mut folder = Folder::default();
        match fs::metadata(out) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return Err(Error::NotAFolder { path: out.to_path_buf() }),
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(folder),
            Err(source) => return Err(Error::Io { path: out.to_path_buf(), source }),
        }
        let owned_paths = match read_record(out)? {
            Some(recorded) => recorded,
            None => to_write.iter().map(|file| PathBuf::from(&file.path)).collect(),
        };
        let mut pending = vec![PathBuf::new()];
        while let Some(relative) = pending.pop() {
            let dir = out.join(&relative);
            for entry in fs::read_dir(&dir).map_err(at(&dir))? {
                let entry = entry.map_err(at(&dir))?;
                let path = relative.join(entry.file_name());
                let kind = entry.file_type().map_err(at(&entry.path()))?;
                if relative.as_os_str().is_empty()
                    && BUILD_AND_VCS.iter().any(|name| entry.file_name() == *name)
                {
                    continue;
                }
                if kind.is_dir() {
                    folder.dirs.insert(path.clone());
                    pending.push(path);
                } else if kind.is_file() && owned_paths.contains(&path) && has_header(&out.join(&path))? {
                    let contents = fs::read_to_string(out.join(&path)).map_err(at(&out.join(&path)))?;
                    folder.owned.push((path, contents));
                } else {
                    folder.others.push(path);
                }
            }
        }
        folder.owned.sort();
        folder.others.sort();
        Ok(folder)
    }

    /// The current contents of an owned file.
    pub fn owned(&self, path: &Path) -> Option<&str> {
        self.owned.iter().find(|(p, _)| p == path).map(|(_, contents)| contents.as_str())
    }
}

/// The recorded paths; `None` for a folder without a record (new, or written before the
/// record existed).
fn read_record(out: &Path) -> Result<Option<BTreeSet<PathBuf>>, Error> {
    let path = out.join(RECORD_PATH);
    match fs::symlink_metadata(&path) {
        Ok(meta) if meta.is_file() => {}
        Ok(_) => return Err(Error::NotAFile { path }),
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(Error::Io { path, source }),
    }
    let text = fs::read_to_string(&path).map_err(at(&path))?;
    let mut paths: BTreeSet<PathBuf> =
        text.lines().filter(|line| !line.is_empty() && !line.starts_with('#')).map(PathBuf::from).collect();
    paths.insert(PathBuf::from(RECORD_PATH));
    Ok(Some(paths))
}

fn has_header(path: &Path) -> Result<bool, Error> {
    Ok(first_line(path)?.is_some_and(|line| line.contains(GENERATED_MARKER)))
}

/// The first line of a file, reading no more than a header's worth of it.
fn first_line(path: &Path) -> Result<Option<String>, Error> {
    use io::{BufRead, Read};
    const HEADER_LIMIT: u64 = 4096;
    let file = fs::File::open(path).map_err(at(path))?;
    let mut line = Vec::new();
    io::BufReader::new(file.take(HEADER_LIMIT)).read_until(b'\n', &mut line).map_err(at(path))?;
    Ok(String::from_utf8(line).ok())
}
