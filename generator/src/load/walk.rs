//! Visiting every schema of a document, wherever it sits, in the JSON data model: the
//! normalising passes of loading rewrite schemas through this one walk.

use serde_json::Value;

use crate::error::Pointer;

/// Keywords whose value is one schema.
const SINGLE: [&str; 12] = [
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
    "contentSchema",
];
/// Keywords whose value is a list of schemas.
const LISTS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords whose value maps names to schemas.
const MAPS: [&str; 5] = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];

/// Keys of the document (not of schemas) whose value maps names to things: a response named
/// `default` or a property named `example` is a part of the document, not data.
const DOCUMENT_MAPS: [&str; 12] = [
    "paths",
    "webhooks",
    "responses",
    "headers",
    "content",
    "encoding",
    "links",
    "parameters",
    "requestBodies",
    "securitySchemes",
    "pathItems",
    "schemas",
];

/// How many levels below `key` are names chosen by the document's author rather than keywords:
/// 2 for `callbacks` (callback names, then expressions), 1 for the other maps, else 0.
pub fn name_levels(key: &str) -> u8 {
    if key == "callbacks" {
        2
    } else if DOCUMENT_MAPS.contains(&key) || MAPS.contains(&key) {
        1
    } else {
        0
    }
}

/// Which keyword a schema is the value of (`None` for a top-level schema: a component, or the
/// `schema` of a parameter, header or media type).
pub type Keyword<'a> = Option<&'a str>;

/// Calls `visit` on every schema of `doc`, outermost first; what `visit` leaves in place is
/// then walked in turn. Example values, defaults and extensions are data, never walked.
pub fn for_each_schema(doc: &mut Value, visit: &mut dyn FnMut(&mut Value, &Pointer, Keyword)) {
    walk_document(doc, &Pointer::root(), 0, visit);
}

/// `names` is how many levels below `value` keys are names (see [`name_levels`]).
fn walk_document(
    value: &mut Value,
    at: &Pointer,
    names: u8,
    visit: &mut dyn FnMut(&mut Value, &Pointer, Keyword),
) {
    match value {
        Value::Object(object) => {
            let in_component_schemas = at.to_string() == "#/components/schemas";
            for (key, child) in object.iter_mut() {
                let child_at = at.join(key);
                if in_component_schemas || (names == 0 && key == "schema") {
                    walk_schema(child, &child_at, None, visit);
                } else if names > 0 {
                    walk_document(child, &child_at, names - 1, visit);
                } else if !is_data(key) {
                    walk_document(child, &child_at, name_levels(key), visit);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk_document(item, &at.join(i), 0, visit);
            }
        }
        _ => {}
    }
}

/// Keys whose values are the API's data, not parts of the document (where keys are keywords).
pub fn is_data(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-")
}

fn walk_schema(
    value: &mut Value,
    at: &Pointer,
    keyword: Keyword,
    visit: &mut dyn FnMut(&mut Value, &Pointer, Keyword),
) {
    visit(value, at, keyword);
    let Value::Object(object) = value else { return };
    for (key, child) in object.iter_mut() {
        let key = key.as_str();
        let child_at = at.join(key);
        if SINGLE.contains(&key) {
            walk_schema(child, &child_at, Some(key), visit);
        } else if LISTS.contains(&key) {
            if let Value::Array(items) = child {
                for (i, item) in items.iter_mut().enumerate() {
                    walk_schema(item, &child_at.join(i), Some(key), visit);
                }
            }
        } else if MAPS.contains(&key) {
            if let Value::Object(entries) = child {
                for (name, item) in entries.iter_mut() {
                    walk_schema(item, &child_at.join(name), Some(key), visit);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_is_visited_and_data_is_not() {
        let mut doc = serde_json::json!({
            "paths": {"/a": {"get": {
                "parameters": [{"name": "p", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"content": {"application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/A"}},
                    "example": {"schema": {"type": "not a schema"}}
                }}}, "default": {"content": {"application/json": {"schema": {"type": "object"}}}}}
            }}},
            "components": {"schemas": {"A": {"properties": {
                "b": {"anyOf": [{"type": "string"}]},
                "default": {"default": {"schema": {"type": "data"}}}
            }}}}
        });
        let mut seen = Vec::new();
        for_each_schema(&mut doc, &mut |_, at, keyword| seen.push(format!("{at} {keyword:?}")));
        assert_eq!(
            seen,
            [
                "#/paths/~1a/get/parameters/0/schema None",
                "#/paths/~1a/get/responses/200/content/application~1json/schema None",
                "#/paths/~1a/get/responses/200/content/application~1json/schema/items Some(\"items\")",
                "#/paths/~1a/get/responses/default/content/application~1json/schema None",
                "#/components/schemas/A None",
                "#/components/schemas/A/properties/b Some(\"properties\")",
                "#/components/schemas/A/properties/b/anyOf/0 Some(\"anyOf\")",
                "#/components/schemas/A/properties/default Some(\"properties\")",
            ]
        );
    }
}
