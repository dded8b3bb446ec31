//! Generates a documented Rust client crate from an OpenAPI 3.0 or 3.1 document.
//!
//! The pipeline, one module per stage: [`load`] (text to a typed document) -> [`lower`]
//! (document to the plain-data [`ir`]) -> [`emit`] (IR to token streams) -> [`render`]
//! (tokens to formatted files). [`generate`] runs all four; it writes nothing to disk.
//!
//! Beside the crate, [`record`] keeps a record of its API in it, and [`changes`] compares two
//! records into a report of what changed and what that breaks.

pub mod changes;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
mod locate;
pub mod lower;
mod markdown;
pub mod names;
pub mod record;
pub mod render;
mod runtime;

pub use error::{Error, Pointer, Warning};
pub use render::GeneratedFile;

/// What to generate, besides the document itself.
#[derive(Debug, Clone)]
pub struct Options {
    /// The document's path as it should appear in messages and file headers.
    pub spec_path: String,
    /// The package name of the generated crate, e.g. `keycardai-api`.
    pub crate_name: String,
}

/// The files of a generated crate, sorted by path, and what was skipped on the way.
#[derive(Debug, Clone)]
pub struct Output {
    pub files: Vec<GeneratedFile>,
    pub warnings: Vec<Warning>,
    /// The record of the crate's API, also among `files` (at [`record::RECORD_PATH`]).
    pub record: record::ApiRecord,
}

/// A package name Cargo accepts, and that is safe to write into code and manifests.
fn check_crate_name(name: &str) -> Result<(), Error> {
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.len() <= 64;
    if valid {
        Ok(())
    } else {
        Err(Error::Options {
            message: format!(
                "`{name}` is not a usable crate name: use ASCII letters, digits, `-` and `_`, starting with a letter"
            ),
        })
    }
}

/// Runs the whole pipeline on the text of a document.
pub fn generate(text: &str, options: &Options) -> Result<Output, Error> {
    check_crate_name(&options.crate_name)?;
    let loaded = load::load_document(text, &options.spec_path).map_err(|err| err.locate(text))?;
    let relocations = &loaded.relocations;
    let (api, lowering_warnings) = lower::lower(&loaded.doc, options)
        .map_err(|err| loaded.explain(err).relocate(relocations).locate(text))?;
    let mut warnings = loaded.warnings;
    warnings.extend(lowering_warnings.into_iter().map(|warning| warning.relocate(relocations)));
    warnings.sort();
    let mut files = emit::emit(&api)
        .into_iter()
        .map(|file| render::render(file, &options.spec_path))
        .collect::<Result<Vec<_>, _>>()?;
    let lib_name = options.crate_name.replace('-', "_");
    files.extend(runtime::Features::of(&api).modules().into_iter().map(|module| GeneratedFile {
        path: format!("src/{}.rs", module.name),
        contents: format!("{}\n{}", render::header("//", &options.spec_path), module.source_for(&lib_name)),
        from_spec: false,
    }));
    let record = record::ApiRecord::of(&api, emit::CRATE_VERSION);
    files.push(GeneratedFile {
        path: record::RECORD_PATH.to_owned(),
        contents: record.to_text(&options.spec_path),
        from_spec: true,
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Output { files, warnings, record })
}
