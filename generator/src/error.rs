//! Errors and warnings about the input document. Each one says where: a JSON pointer into the
//! document, and the line and column when the parser knows them.

use std::fmt;

/// Why a document could not be turned into a client.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The text is not valid YAML or JSON.
    #[error("{origin}{}: not valid {format}: {message}", position_suffix(*position))]
    Syntax { origin: String, format: &'static str, position: Option<(usize, usize)>, message: String },

    /// The text parses, but is not an OpenAPI 3.0 document.
    #[error("{origin}: {pointer}: {message}")]
    Structure { origin: String, pointer: Pointer, message: String },

    /// A `$ref` that points to nothing in the document.
    #[error("{origin}: {pointer}: `$ref: {reference}` does not resolve: {reason}")]
    DanglingRef { origin: String, pointer: Pointer, reference: String, reason: String },

    /// A construct the document uses in a way the generator cannot honour.
    #[error("{origin}: {pointer}: {message}")]
    Invalid { origin: String, pointer: Pointer, message: String },

    /// The options given with the document cannot be used.
    #[error("{message}")]
    Options { message: String },

    /// A bug in the generator, not in the document.
    #[error("internal error in the generator (please report it with the document): {message}")]
    Internal { message: String },
}

/// `:line:column`, or nothing when the parser did not say.
fn position_suffix(position: Option<(usize, usize)>) -> String {
    position.map(|(line, column)| format!(":{line}:{column}")).unwrap_or_default()
}

impl Error {
    /// Adds the line and column of the error's pointer to its origin (`spec.yaml:12:5`),
    /// where the text has it.
    pub fn locate(mut self, text: &str) -> Self {
        if let Error::Structure { origin, pointer, .. }
        | Error::DanglingRef { origin, pointer, .. }
        | Error::Invalid { origin, pointer, .. } = &mut self
        {
            if let Some((line, column)) = crate::locate::position(text, pointer) {
                origin.push_str(&format!(":{line}:{column}"));
            }
        }
        self
    }
}

/// A valid construct the generator does not support; it is skipped as narrowly as possible.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    pub pointer: Pointer,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// An RFC 6901 JSON pointer into the document, written as a URI fragment (`#/paths/...`).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pointer(String);

impl Pointer {
    pub fn root() -> Self {
        Pointer(String::new())
    }

    /// This pointer extended by one reference token, escaped as RFC 6901 requires.
    pub fn join(&self, token: impl fmt::Display) -> Self {
        let token = token.to_string().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{}", self.0, token))
    }

    /// Parses a local `$ref` (`#/components/schemas/X`).
    pub fn from_ref(reference: &str) -> Option<Self> {
        reference.strip_prefix('#').map(|p| Pointer(p.to_owned()))
    }

    /// The unescaped reference tokens.
    pub fn tokens(&self) -> impl Iterator<Item = String> + '_ {
        self.0.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~"))
    }
}

impl Pointer {
    /// This pointer with its leading `from` (whole tokens) replaced by `to`.
    fn rebased(&self, from: &Pointer, to: &Pointer) -> Option<Pointer> {
        let rest = self.0.strip_prefix(&from.0)?;
        (rest.is_empty() || rest.starts_with('/')).then(|| Pointer(format!("{}{rest}", to.0)))
    }
}

/// Where loading moved parts of the document (a schema hoisted into `components`, a `$ref`
/// wrapped in an `allOf`), so that messages about them point at the original document.
#[derive(Debug, Clone, Default)]
pub struct Relocations(Vec<(Pointer, Pointer)>);

impl Relocations {
    /// What now sits at `moved_to` stood at `original`.
    pub fn add(&mut self, moved_to: Pointer, original: Pointer) {
        self.0.push((moved_to, original));
    }

    /// Where `pointer` was in the original document. Later moves are undone first.
    pub fn original(&self, pointer: &Pointer) -> Pointer {
        self.0.iter().rev().fold(pointer.clone(), |pointer, (moved_to, original)| {
            pointer.rebased(moved_to, original).unwrap_or(pointer)
        })
    }
}

impl Error {
    /// The error with its pointer moved back to the original document.
    pub fn relocate(mut self, relocations: &Relocations) -> Self {
        if let Error::Structure { pointer, .. }
        | Error::DanglingRef { pointer, .. }
        | Error::Invalid { pointer, .. } = &mut self
        {
            *pointer = relocations.original(pointer);
        }
        self
    }
}

impl Warning {
    /// The warning with its pointer moved back to the original document.
    pub fn relocate(mut self, relocations: &Relocations) -> Self {
        self.pointer = relocations.original(&self.pointer);
        self
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relocations_undo_later_moves_first_and_respect_token_boundaries() {
        let mut relocations = Relocations::default();
        let schema = Pointer::root().join("paths").join("/a").join("schema");
        relocations.add(schema.join("allOf").join(0), schema.clone());
        let hoisted = Pointer::root().join("components").join("schemas").join("A");
        relocations.add(hoisted.clone(), schema.clone());
        assert_eq!(relocations.original(&hoisted.join("allOf").join(0).join("$ref")), schema.join("$ref"));
        let neighbour = Pointer::root().join("components").join("schemas").join("AB");
        assert_eq!(relocations.original(&neighbour), neighbour);
    }

    #[test]
    fn pointer_escapes_and_unescapes_tokens() {
        let pointer = Pointer::root().join("paths").join("/zones/{zone_id}").join("a~b");
        assert_eq!(pointer.to_string(), "#/paths/~1zones~1{zone_id}/a~0b");
        assert_eq!(pointer.tokens().collect::<Vec<_>>(), ["paths", "/zones/{zone_id}", "a~b"]);
    }
}
