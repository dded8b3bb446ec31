//! Stage 1: text to a typed OpenAPI document, with errors that say where.

use openapiv3::{OpenAPI, PathItem, ReferenceOr};
use serde_path_to_error::Segment;

use crate::error::{Error, Pointer, Relocations, Warning};

mod lenient;
mod numbers;
mod openapi31;
mod references;
mod shape;
pub mod streams;
mod value;
mod walk;

/// The document's bytes as text: UTF-8, or an error that says where it is not.
pub fn decode(bytes: &[u8], origin: &str) -> Result<String, Error> {
    String::from_utf8(bytes.to_vec()).map_err(|err| {
        let at = err.utf8_error().valid_up_to();
        let before = &bytes[..at];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = at - before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
        Error::Syntax {
            origin: origin.to_owned(),
            format: "UTF-8",
            position: Some((line, column)),
            message: format!("byte {at} starts an invalid UTF-8 sequence; documents must be UTF-8 text"),
        }
    })
}

/// A document read and normalised, with what loading has to say about it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub doc: OpenAPI,
    /// Constructs read leniently or dropped on the way, each at its place.
    pub warnings: Vec<Warning>,
    /// Where loading moved parts of the document; later messages are moved back through it.
    pub relocations: Relocations,
    /// For each `$ref` to the wrong kind of thing (a schema `$ref` to a parameter), what to say
    /// if the lowering follows it: the lowering sees only that it does not resolve.
    wrong_kind_references: Vec<references::WrongKind>,
}

impl Loaded {
    /// `err`, or what loading knows better about the same `$ref`.
    pub fn explain(&self, err: Error) -> Error {
        let Error::DanglingRef { origin, pointer, .. } = &err else { return err };
        match self.wrong_kind_references.iter().find(|known| known.pointer == *pointer) {
            Some(known) => Error::DanglingRef {
                origin: origin.clone(),
                pointer: known.pointer.clone(),
                reference: known.reference.clone(),
                reason: known.reason.clone(),
            },
            None => err,
        }
    }
}

/// Parses a YAML or JSON OpenAPI 3.0 or 3.1 document. `origin` names it in error messages.
pub fn load(text: &str, origin: &str) -> Result<OpenAPI, Error> {
    load_document(text, origin).map(|loaded| loaded.doc)
}

/// [`load`], keeping the warnings and relocations of the normalising passes.
pub fn load_document(text: &str, origin: &str) -> Result<Loaded, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut value = if text.trim_start().starts_with('{') {
        parse_json(text, origin)?
    } else {
        parse_yaml(text, origin)?
    };
    let version = check_head(&Head::of(&value), origin)?;
    shape::check(&value, origin)?;
    let mut warnings = Vec::new();
    let mut relocations = Relocations::default();
    let wrong_kind_references = normalize(&mut value, version, origin, &mut warnings, &mut relocations)
        .map_err(|err| err.relocate(&relocations))?;
    let doc = into_document::<_, OpenAPI>(&value, origin, &Pointer::root())
        .map_err(|err| refine_paths_error(err, &value, origin).relocate(&relocations))?;
    Ok(Loaded { doc, warnings, relocations, wrong_kind_references })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V30,
    V31,
}

/// Brings the document to the 3.0 form the typed reading knows: 3.1's constructs, numbers
/// beyond 64 bits, references to places that are not components.
fn normalize(
    value: &mut serde_json::Value,
    version: Version,
    origin: &str,
    warnings: &mut Vec<Warning>,
    relocations: &mut Relocations,
) -> Result<Vec<references::WrongKind>, Error> {
    if let serde_json::Value::Object(doc) = value {
        lenient::document(doc, warnings);
        if version == Version::V31 {
            openapi31::normalize_document(doc, warnings, relocations);
        }
        streams::normalize(doc, relocations);
    }
    let mut non_texts = Vec::new();
    let mut bad_type = Ok(());
    walk::for_each_schema(value, &mut |schema, at, keyword| {
        if bad_type.is_ok() {
            bad_type = shape::check_type(schema, at, origin);
        }
        if version == Version::V31 {
            openapi31::normalize_schema(schema, at, keyword, warnings, relocations);
        }
        numbers::fit_schema(schema, at, warnings);
        lenient::find_non_texts(schema, at, &mut non_texts);
    });
    bad_type?;
    lenient::mend_texts(value, &non_texts, warnings);
    references::hoist(value, origin, relocations)
}

fn into_document<'de, D, T>(value: D, origin: &str, base: &Pointer) -> Result<T, Error>
where
    D: serde::Deserializer<'de>,
    D::Error: std::fmt::Display,
    T: serde::Deserialize<'de>,
{
    serde_path_to_error::deserialize(value).map_err(|err| Error::Structure {
        origin: origin.to_owned(),
        pointer: pointer_of(base, err.path()),
        message: humanize(&err.into_inner().to_string()),
    })
}

/// `paths` is a flattened map in the typed document, and path items and operations flatten
/// their extensions, so an error inside them is reported at `#/paths` (or at the path item).
/// Deserializing the parts one by one finds the exact place.
fn refine_paths_error(err: Error, doc: &serde_json::Value, origin: &str) -> Error {
    let Error::Structure { pointer, .. } = &err else { return err };
    if !pointer.to_string().starts_with("#/paths") {
        return err;
    }
    refine(doc, origin).unwrap_or(err)
}

/// The first part under `paths` that does not read as what it should be, deepest first.
fn refine<V>(doc: &V, origin: &str) -> Option<Error>
where
    V: shape::Raw + Clone + serde::Deserializer<'static>,
    <V as serde::Deserializer<'static>>::Error: std::fmt::Display,
{
    let read = |value: &V, at: &Pointer, kind: Part| -> Option<Error> {
        let value = value.clone();
        match kind {
            Part::PathItem => into_document::<_, ReferenceOr<PathItem>>(value, origin, at).err(),
            Part::Operation => into_document::<_, openapiv3::Operation>(value, origin, at).err(),
            Part::Parameter => into_document::<_, ReferenceOr<openapiv3::Parameter>>(value, origin, at).err(),
            Part::Response => into_document::<_, ReferenceOr<openapiv3::Response>>(value, origin, at).err(),
            Part::RequestBody => {
                into_document::<_, ReferenceOr<openapiv3::RequestBody>>(value, origin, at).err()
            }
        }
    };
    for (template, item) in doc.get("paths")?.entries() {
        let item_at = Pointer::root().join("paths").join(&template);
        let Some(item_error) = read(item, &item_at, Part::PathItem) else { continue };
        for (key, operation) in item.entries() {
            let operation_at = item_at.join(&key);
            let parts = if key == "parameters" {
                operation
                    .items()
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| (p, item_at.join("parameters").join(i), Part::Parameter))
                    .collect()
            } else if shape::METHODS.contains(&key.as_str()) {
                let mut parts: Vec<(&V, Pointer, Part)> = Vec::new();
                for (i, parameter) in operation
                    .get("parameters")
                    .map(shape::Raw::items)
                    .unwrap_or_default()
                    .into_iter()
                    .enumerate()
                {
                    parts.push((parameter, operation_at.join("parameters").join(i), Part::Parameter));
                }
                for (status, response) in
                    operation.get("responses").map(shape::Raw::entries).unwrap_or_default()
                {
                    parts.push((response, operation_at.join("responses").join(status), Part::Response));
                }
                if let Some(body) = operation.get("requestBody") {
                    parts.push((body, operation_at.join("requestBody"), Part::RequestBody));
                }
                parts.push((operation, operation_at.clone(), Part::Operation));
                parts
            } else {
                Vec::new()
            };
            if let Some(error) = parts.into_iter().find_map(|(value, at, kind)| read(value, &at, kind)) {
                return Some(error);
            }
        }
        return Some(item_error);
    }
    None
}

#[derive(Clone, Copy)]
enum Part {
    PathItem,
    Operation,
    Parameter,
    Response,
    RequestBody,
}

fn parse_json(text: &str, origin: &str) -> Result<serde_json::Value, Error> {
    serde_json::from_str(text).map_err(|err| Error::Syntax {
        origin: origin.to_owned(),
        format: "JSON",
        position: (err.line() > 0).then(|| (err.line(), err.column())),
        message: strip_position(&err.to_string()),
    })
}

fn parse_yaml(text: &str, origin: &str) -> Result<serde_json::Value, Error> {
    value::from_yaml_str(text).map_err(|err| {
        let position = err.location().map(|l| (l.line(), l.column())).filter(|(line, _)| *line > 0);
        let mut message = strip_position(&err.to_string());
        if let Some(hint) = yaml_hint(&message, text, position) {
            message.push_str(&format!(" ({hint})"));
        }
        Error::Syntax { origin: origin.to_owned(), format: "YAML", position, message }
    })
}

/// Serde's messages name Rust types (`expected struct Responses`); say what the document
/// should have instead.
fn humanize(message: &str) -> String {
    if message.contains("ParameterSchemaOrContent") {
        return "a parameter needs a `schema` or a `content`".to_owned();
    }
    match message.split_once("expected struct ") {
        Some((before, name)) => format!("{before}expected a mapping (an OpenAPI {} object)", name.trim()),
        None => message.to_owned(),
    }
}

/// What to do about the YAML errors people meet most.
fn yaml_hint(message: &str, text: &str, position: Option<(usize, usize)>) -> Option<&'static str> {
    let line = position.and_then(|(line, _)| text.lines().nth(line - 1)).unwrap_or_default();
    if message.contains("cannot start any token") && line.trim_start_matches(' ').starts_with('\t') {
        return Some("YAML cannot be indented with tabs; use spaces");
    }
    if message.contains("repetition limit exceeded") {
        return Some("aliases (`*name`) expand to more than the parser allows; is this an alias bomb?");
    }
    if message.contains("recursion limit exceeded") {
        return Some("the document nests deeper than 128 levels");
    }
    if message.contains("more than one document") {
        return Some("keep one document per file: remove the extra `---`");
    }
    None
}

/// Both parsers append the position to their message; we report it separately.
fn strip_position(message: &str) -> String {
    match message.find(" at line ").or_else(|| message.find(" at position ")) {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// What the top of the document says, whatever its syntax.
struct Head {
    /// `None` when the top level is a mapping; otherwise what it is instead.
    not_a_mapping: Option<&'static str>,
    openapi: Field,
    has_swagger: bool,
}

enum Field {
    Missing,
    Text(String),
    Other(String),
}

impl Head {
    fn of(value: &serde_json::Value) -> Head {
        let openapi = match value.get("openapi") {
            None => Field::Missing,
            Some(serde_json::Value::String(text)) => Field::Text(text.clone()),
            Some(other) => Field::Other(other.to_string()),
        };
        let not_a_mapping = match value {
            serde_json::Value::Object(_) => None,
            serde_json::Value::Null => Some("empty"),
            serde_json::Value::Array(_) => Some("a list"),
            _ => Some("a single value"),
        };
        Head { not_a_mapping, openapi, has_swagger: value.get("swagger").is_some() }
    }
}

fn check_head(head: &Head, origin: &str) -> Result<Version, Error> {
    let structure =
        |pointer: Pointer, message: String| Error::Structure { origin: origin.to_owned(), pointer, message };
    if let Some(what) = head.not_a_mapping {
        return Err(structure(
            Pointer::root(),
            format!(
                "the document is {what}; an OpenAPI document is a mapping with `openapi`, `info` and `paths`"
            ),
        ));
    }
    let version = Pointer::root().join("openapi");
    match &head.openapi {
        Field::Text(v) if v == "3.0" || v.starts_with("3.0.") => Ok(Version::V30),
        Field::Text(v) if v == "3.1" || v.starts_with("3.1.") => Ok(Version::V31),
        Field::Text(v) => Err(structure(
            version,
            format!("OpenAPI {v} is not supported; this generator reads OpenAPI 3.0.x and 3.1.x documents"),
        )),
        Field::Other(v) => Err(structure(
            version,
            format!("the version must be text, not {v}: write it in quotes, as `openapi: \"3.0.3\"`"),
        )),
        Field::Missing if head.has_swagger => Err(structure(
            Pointer::root().join("swagger"),
            "this is a Swagger 2.0 document; convert it to OpenAPI 3.0 first".to_owned(),
        )),
        Field::Missing => {
            Err(structure(Pointer::root(), "missing the `openapi: 3.0.x` version field".to_owned()))
        }
    }
}

fn pointer_of(base: &Pointer, path: &serde_path_to_error::Path) -> Pointer {
    path.iter().fold(base.clone(), |pointer, segment| match segment {
        Segment::Seq { index } => pointer.join(index),
        Segment::Map { key } => pointer.join(key),
        Segment::Enum { variant } => pointer.join(variant),
        Segment::Unknown => pointer,
    })
}
