//! Stage 1: text to a typed OpenAPI document, with errors that say where.

use openapiv3::OpenAPI;
use serde_path_to_error::Segment;

use crate::error::{Error, Pointer};

/// Parses a YAML or JSON OpenAPI 3.0 document. `origin` names it in error messages.
pub fn load(text: &str, origin: &str) -> Result<OpenAPI, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        let value = parse_json(text, origin)?;
        check_version(value.get("openapi").and_then(|v| v.as_str()), value.get("swagger").is_some(), origin)?;
        into_document(value, origin)
    } else {
        let value = parse_yaml(text, origin)?;
        check_version(value.get("openapi").and_then(|v| v.as_str()), value.get("swagger").is_some(), origin)?;
        into_document(value, origin)
    }
}

fn into_document<'de, D: serde::Deserializer<'de>>(value: D, origin: &str) -> Result<OpenAPI, Error>
where
    D::Error: std::fmt::Display,
{
    serde_path_to_error::deserialize(value).map_err(|err| Error::Structure {
        origin: origin.to_owned(),
        pointer: pointer_of(err.path()),
        message: err.into_inner().to_string(),
    })
}

fn parse_json(text: &str, origin: &str) -> Result<serde_json::Value, Error> {
    serde_json::from_str(text).map_err(|err| Error::Syntax {
        origin: origin.to_owned(),
        format: "JSON",
        line: err.line(),
        column: err.column(),
        message: strip_position(&err.to_string()),
    })
}

fn parse_yaml(text: &str, origin: &str) -> Result<serde_yaml::Value, Error> {
    let mut value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|err| {
        let location = err.location();
        Error::Syntax {
            origin: origin.to_owned(),
            format: "YAML",
            line: location.as_ref().map_or(0, |l| l.line()),
            column: location.as_ref().map_or(0, |l| l.column()),
            message: strip_position(&err.to_string()),
        }
    })?;
    value.apply_merge().map_err(|err| Error::Syntax {
        origin: origin.to_owned(),
        format: "YAML",
        line: 0,
        column: 0,
        message: format!("bad merge key (`<<`): {err}"),
    })?;
    Ok(value)
}

/// Both parsers append the position to their message; we report it separately.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

fn check_version(version: Option<&str>, is_swagger: bool, origin: &str) -> Result<(), Error> {
    let structure = |message: String| Error::Structure {
        origin: origin.to_owned(),
        pointer: Pointer::root().join("openapi"),
        message,
    };
    match version {
        Some(version) if version.starts_with("3.0") => Ok(()),
        Some(version) => Err(structure(format!(
            "OpenAPI {version} is not supported; this generator reads OpenAPI 3.0.x documents"
        ))),
        None if is_swagger => {
            Err(structure("this is a Swagger 2.0 document; convert it to OpenAPI 3.0 first".to_owned()))
        }
        None => Err(structure("missing the `openapi: 3.0.x` version field".to_owned())),
    }
}

fn pointer_of(path: &serde_path_to_error::Path) -> Pointer {
    path.iter().fold(Pointer::root(), |pointer, segment| match segment {
        Segment::Seq { index } => pointer.join(index),
        Segment::Map { key } => pointer.join(key),
        Segment::Enum { variant } => pointer.join(variant),
        Segment::Unknown => pointer,
    })
}
