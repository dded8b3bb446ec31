//! Defects that published documents often have and that a client can do without: each is
//! mended as the author evidently meant, or the broken part dropped, with a warning at its place.

use serde_json::{Map, Value};

use crate::error::{Pointer, Warning};

/// What the document lacks at its top: an `info.version` (only the docs show it).
pub fn document(doc: &mut Map<String, Value>, warnings: &mut Vec<Warning>) {
    if let Some(Value::Object(info)) = doc.get_mut("info") {
        if !info.contains_key("version") {
            info.insert("version".to_owned(), Value::from("unknown"));
            warnings.push(Warning {
                pointer: Pointer::root().join("info"),
                message: "`info` has no `version`; the docs say \"unknown\"".to_owned(),
            });
        }
    }
}

/// Notes the texts of a schema (found at `at`) that are not text, for [`mend_texts`].
pub fn find_non_texts(schema: &Value, at: &Pointer, found: &mut Vec<Pointer>) {
    for key in ["description", "title"] {
        if schema.get(key).is_some_and(|value| !value.is_string()) {
            found.push(at.join(key));
        }
    }
}

/// Texts that are not text: a `$ref` to a text elsewhere in the document (seen in published
/// documents) is followed; anything else is dropped.
pub fn mend_texts(doc: &mut Value, found: &[Pointer], warnings: &mut Vec<Warning>) {
    for at in found {
        let place = at.to_string();
        let place = place.trim_start_matches('#');
        let followed = doc
            .pointer(place)
            .and_then(|value| value.get("$ref"))
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix('#'))
            .and_then(|target| doc.pointer(target))
            .filter(|target| target.is_string())
            .cloned();
        let Some(slot) = doc.pointer_mut(place) else { continue };
        match followed {
            Some(text) => *slot = text,
            None => {
                *slot = Value::String(String::new());
                warnings.push(Warning {
                    pointer: at.clone(),
                    message: "this text is not text; ignored".to_owned(),
                });
            }
        }
    }
}
