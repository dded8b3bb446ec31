//! Values of a kind this version of the client does not know: a `oneOf` member whose tag was
//! added to the API after the client was generated.

use std::fmt;

use serde::{Serialize, Serializer};

/// A value whose tag this version of the client does not know, kept as the JSON it arrived as
/// and sent back unchanged (key order included).
///
/// In a type that holds secrets anywhere, its `Debug` shows the tag and `[REDACTED]`, never
/// the value: an unknown kind may well carry a secret of its own. [`UnknownKind::value`] reads
/// it.
#[derive(Clone, PartialEq)]
pub struct UnknownKind {
    /// The name of the tag property (`type`).
    tag: &'static str,
    value: serde_json::Value,
    redacted: bool,
}

impl UnknownKind {
    #[allow(dead_code)]
    pub(crate) fn new(tag: &'static str, value: serde_json::Value, redacted: bool) -> Self {
        Self { tag, value, redacted }
    }

    /// The tag it arrived with, if it had one that is text.
    pub fn tag(&self) -> Option<&str> {
        self.value.get(self.tag).and_then(serde_json::Value::as_str)
    }

    /// The whole value, tag included, as it arrived.
    pub fn value(&self) -> &serde_json::Value {
        &self.value
    }

    /// The whole value, tag included, as it arrived.
    pub fn into_value(self) -> serde_json::Value {
        self.value
    }
}

impl fmt::Debug for UnknownKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.redacted {
            return fmt::Debug::fmt(&self.value, f);
        }
        let mut debug = f.debug_struct("UnknownKind");
        match self.tag() {
            Some(tag) => debug.field(self.tag, &tag),
            None => debug.field(self.tag, &None::<&str>),
        };
        debug.field("value", &format_args!("[REDACTED]")).finish()
    }
}

impl Serialize for UnknownKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

/// Decodes the fields of a value whose tag is known, and `build`s the variant from them. The
/// error names the field that does not fit; in a type that holds secrets it says what is wrong
/// but not the value found, which serde's messages quote.
#[allow(dead_code)]
pub(crate) fn decode_known<F, T, E>(value: serde_json::Value, redacted: bool, build: impl FnOnce(F) -> T) -> Result<T, E>
where
    F: serde::de::DeserializeOwned,
    E: serde::de::Error,
{
    serde_path_to_error::deserialize(value).map(build).map_err(|err| {
        let path = err.path().to_string();
        let message = err.into_inner().to_string();
        let quotes_nothing = ["missing field", "unknown field", "duplicate field"];
        let message = if redacted && !quotes_nothing.iter().any(|start| message.starts_with(start)) {
            "a value of the wrong type".to_owned()
        } else {
            message
        };
        match path.as_str() {
            "." => E::custom(message),
            path => E::custom(format!("{path}: {message}")),
        }
    })
}
