//! Checks of the raw document that the typed reading cannot make, because it drops what it
//! does not know: a path that does not start with `/`, an unknown key in a path item, a
//! status code that is not one, a parameter with both `schema` and `content`, a schema `type`
//! that is not a name.

use crate::error::{Error, Pointer};

/// The little the checks need from a parsed document.
pub trait Raw {
    /// The entries, when the value is a mapping (keys that are not text are skipped).
    fn entries(&self) -> Vec<(String, &Self)>;
    fn get(&self, key: &str) -> Option<&Self>;
    fn items(&self) -> Vec<&Self>;
}

impl Raw for serde_json::Value {
    fn entries(&self) -> Vec<(String, &Self)> {
        self.as_object().map(|o| o.iter().map(|(k, v)| (k.clone(), v)).collect()).unwrap_or_default()
    }
    fn get(&self, key: &str) -> Option<&Self> {
        self.as_object().and_then(|o| o.get(key))
    }
    fn items(&self) -> Vec<&Self> {
        self.as_array().map(|a| a.iter().collect()).unwrap_or_default()
    }
}

pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const PATH_ITEM_FIELDS: [&str; 5] = ["$ref", "summary", "description", "servers", "parameters"];

pub fn check<V: Raw>(doc: &V, origin: &str) -> Result<(), Error> {
    let invalid =
        |pointer: Pointer, message: String| Error::Invalid { origin: origin.to_owned(), pointer, message };
    let Some(paths) = doc.get("paths") else { return Ok(()) };
    for (template, item) in paths.entries() {
        let item_at = Pointer::root().join("paths").join(&template);
        if template.starts_with("x-") {
            continue;
        }
        if !template.starts_with('/') {
            return Err(invalid(item_at, format!("path `{template}` must start with `/`")));
        }
        check_parameters(item.get("parameters"), &item_at.join("parameters"), origin)?;
        for (key, operation) in item.entries() {
            if key.starts_with("x-") || PATH_ITEM_FIELDS.contains(&key.as_str()) {
                continue;
            }
            if !METHODS.contains(&key.as_str()) {
                return Err(invalid(
                    item_at.join(&key),
                    format!("`{key}` is not an HTTP method; a path item takes {}", METHODS.join(", ")),
                ));
            }
            let operation_at = item_at.join(&key);
            check_parameters(operation.get("parameters"), &operation_at.join("parameters"), origin)?;
            for (status, _) in operation.get("responses").map(Raw::entries).unwrap_or_default() {
                if !is_status_key(&status) {
                    return Err(invalid(
                        operation_at.join("responses").join(&status),
                        format!("`{status}` is not an HTTP status: use a code from 100 to 599, `1XX` to `5XX`, or `default`"),
                    ));
                }
            }
        }
    }
    Ok(())
}

fn check_parameters<V: Raw>(parameters: Option<&V>, at: &Pointer, origin: &str) -> Result<(), Error> {
    for (i, parameter) in parameters.map(Raw::items).unwrap_or_default().into_iter().enumerate() {
        if parameter.get("schema").is_some() && parameter.get("content").is_some() {
            return Err(Error::Invalid {
                origin: origin.to_owned(),
                pointer: at.join(i),
                message: "a parameter has either `schema` or `content`, not both".to_owned(),
            });
        }
    }
    Ok(())
}

fn is_status_key(key: &str) -> bool {
    if key == "default" || key.starts_with("x-") {
        return true;
    }
    let bytes = key.as_bytes();
    bytes.len() == 3
        && matches!(bytes[0], b'1'..=b'5')
        && ((bytes[1].is_ascii_digit() && bytes[2].is_ascii_digit())
            || &key[1..] == "XX"
            || &key[1..] == "xx")
}

/// A schema's `type` is a name (3.1: or a list of names). The typed reading would say only
/// "expected a string", at the enclosing response or component.
pub fn check_type(schema: &serde_json::Value, at: &Pointer, origin: &str) -> Result<(), Error> {
    use serde_json::Value;
    let found = match schema.get("type") {
        None | Some(Value::String(_)) => return Ok(()),
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => return Ok(()),
        Some(Value::Array(_)) => "a list with something other than names in it",
        Some(Value::Object(_)) => "an object",
        Some(Value::Number(_)) => "a number",
        Some(Value::Bool(_)) => "a boolean",
        Some(Value::Null) => "null",
    };
    Err(Error::Invalid {
        origin: origin.to_owned(),
        pointer: at.join("type"),
        message: format!(
            "`type` is {found}; it must name a type (`string`, `integer`, `object`...) or, in OpenAPI 3.1, list names"
        ),
    })
}
