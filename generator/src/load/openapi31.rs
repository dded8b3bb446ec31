//! OpenAPI 3.1 read as the 3.0 document the rest of the pipeline knows. 3.1's schemas are JSON
//! Schema 2020-12; each construct is rewritten in place to the 3.0 form that means the same for a
//! client (`type: [string, "null"]` to `type: string, nullable: true`, `const` to a one-value
//! `enum`, ...). What has no 3.0 form and does not change the Rust types (conditional and
//! dependency validation) is dropped; what does and cannot be typed faithfully becomes any JSON
//! value. Both say so in a warning at the construct's place. Rewrites keep each schema where it
//! was, so pointers in later messages are the original document's.

use serde_json::{Map, Value};

use heck::ToUpperCamelCase;

use super::references;
use crate::error::{Pointer, Relocations, Warning};

/// The dialect a 3.1 document uses unless it says otherwise.
const DEFAULT_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";
/// Keywords that carry no meaning for a client and have no 3.0 form.
const IGNORED: [&str; 12] = [
    "$id",
    "$anchor",
    "$schema",
    "$comment",
    "$dynamicAnchor",
    "$vocabulary",
    "dependentRequired",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "unevaluatedItems",
];
/// Keywords that describe a schema rather than constrain it: siblings of a `$ref` worth keeping.
const ANNOTATIONS: [&str; 9] = [
    "description",
    "title",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "example",
    "examples",
    "nullable",
];

/// Rewrites the document-level parts of a 3.1 document.
pub fn normalize_document(
    doc: &mut Map<String, Value>,
    warnings: &mut Vec<Warning>,
    relocations: &mut Relocations,
) {
    doc.insert("openapi".to_owned(), Value::from("3.0.3"));
    if let Some(dialect) = doc.remove("jsonSchemaDialect") {
        if dialect.as_str() != Some(DEFAULT_DIALECT) {
            warnings.push(Warning {
                pointer: Pointer::root().join("jsonSchemaDialect"),
                message: format!("schemas are read as OpenAPI 3.1's default dialect, not {dialect}"),
            });
        }
    }
    // A 3.1 document may describe only webhooks or components.
    doc.entry("paths").or_insert_with(|| Value::Object(Map::new()));
    webhooks(doc, warnings, relocations);
    if let Some(Value::Object(schemes)) = doc.get_mut("components").and_then(|c| c.get_mut("securitySchemes"))
    {
        schemes.retain(|name, scheme| {
            let mutual_tls = scheme.get("type").and_then(Value::as_str) == Some("mutualTLS");
            if mutual_tls {
                warnings.push(Warning {
                    pointer: Pointer::root().join("components").join("securitySchemes").join(name),
                    message:
                        "mutual TLS is set up on the `reqwest::Client` you give the client, not per call"
                            .to_owned(),
                });
            }
            !mutual_tls
        });
    }
}

/// Webhooks are requests the API makes, not ones a client sends: they give no methods, but the
/// payloads they describe become types (`newPet` -> `NewPetWebhook`), for the code that receives
/// them. Payloads that are references are types already.
fn webhooks(doc: &mut Map<String, Value>, warnings: &mut Vec<Warning>, relocations: &mut Relocations) {
    let Some(Value::Object(webhooks)) = doc.remove("webhooks") else { return };
    let root = Pointer::root().join("webhooks");
    let mut payloads = Vec::new();
    for (name, item) in &webhooks {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let media_types =
                operation.get("requestBody").and_then(|b| b.get("content")).and_then(Value::as_object);
            for (media_type, content) in media_types.into_iter().flatten() {
                let Some(schema) = content.get("schema").filter(|s| s.get("$ref").is_none()) else {
                    continue;
                };
                let at = root
                    .join(name)
                    .join(method)
                    .join("requestBody")
                    .join("content")
                    .join(media_type)
                    .join("schema");
                payloads.push((format!("{}Webhook", name.to_upper_camel_case()), schema.clone(), at));
            }
        }
    }
    let mut whole = Value::Object(std::mem::take(doc));
    for (base, schema, at) in payloads {
        let name = references::add_schema(&mut whole, &base, schema);
        relocations.add(Pointer::root().join("components").join("schemas").join(name), at);
    }
    if let Value::Object(object) = whole {
        *doc = object;
    }
    warnings.push(Warning {
        pointer: root,
        message: format!(
            "{} webhook(s): the API sends these, so they give no client methods; their payloads are types",
            webhooks.len()
        ),
    });
}

/// Rewrites one 3.1 schema (found at `at`, the value of `keyword`) into its 3.0 form.
pub fn normalize_schema(
    schema: &mut Value,
    at: &Pointer,
    keyword: Option<&str>,
    warnings: &mut Vec<Warning>,
    relocations: &mut Relocations,
) {
    let warn = |warnings: &mut Vec<Warning>, pointer: Pointer, message: &str| {
        warnings.push(Warning { pointer, message: message.to_owned() })
    };
    match schema {
        // `additionalProperties: true|false` means the same in 3.0.
        Value::Bool(_) if keyword == Some("additionalProperties") => return,
        Value::Bool(true) => {
            *schema = Value::Object(Map::new());
            return;
        }
        Value::Bool(false) => {
            warn(warnings, at.clone(), "the schema `false` allows no value; read as any JSON value");
            *schema = Value::Object(Map::new());
            return;
        }
        _ => {}
    }
    let Value::Object(object) = schema else { return };

    for key in IGNORED {
        object.remove(key);
    }
    if object.contains_key("$dynamicRef") || object.contains_key("$recursiveRef") {
        object.retain(|key, _| ANNOTATIONS.contains(&key.as_str()));
        warn(warnings, at.clone(), "dynamic references (`$dynamicRef`) are read as any JSON value");
    }
    if object.get("nullable").is_some() {
        warn(
            warnings,
            at.join("nullable"),
            "`nullable` is OpenAPI 3.0; in 3.1 write `type: [..., \"null\"]` (read as meant)",
        );
    }
    types(object);
    if let Some(value) = object.remove("const") {
        // `const` alone says the type too: a tag property written `type: {const: message}`.
        let implied = match &value {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
            Value::Number(_) => Some("number"),
            _ => None,
        };
        if let (Some(implied), false) = (implied, object.contains_key("type") || object.contains_key("$ref"))
        {
            object.insert("type".to_owned(), Value::from(implied));
        }
        object.entry("enum").or_insert_with(|| Value::Array(vec![value]));
    }
    if let Some(examples) = object.remove("examples") {
        if let Some(first) = examples.as_array().and_then(|list| list.first()) {
            object.entry("example").or_insert_with(|| first.clone());
        }
    }
    for (exclusive, inclusive, stricter) in [
        ("exclusiveMinimum", "minimum", f64::ge as fn(&f64, &f64) -> bool),
        ("exclusiveMaximum", "maximum", f64::le),
    ] {
        match object.get(exclusive) {
            Some(Value::Bool(_)) => warn(
                warnings,
                at.join(exclusive),
                &format!("a boolean `{exclusive}` is OpenAPI 3.0; in 3.1 it holds the bound itself (read as meant)"),
            ),
            Some(Value::Number(bound)) => {
                let bound = Value::Number(bound.clone());
                let current = object.get(inclusive).and_then(Value::as_f64);
                if current.is_none_or(|current| stricter(&bound.as_f64().unwrap_or(f64::NAN), &current)) {
                    object.insert(inclusive.to_owned(), bound);
                    object.insert(exclusive.to_owned(), Value::Bool(true));
                } else {
                    object.remove(exclusive);
                }
            }
            _ => {}
        }
    }
    content(object);
    tuples(object, at, warnings);
    pattern_properties(object, at, warnings);
    if let Some(unevaluated) = object.remove("unevaluatedProperties") {
        if !object.contains_key("additionalProperties") && unevaluated.is_object() {
            object.insert("additionalProperties".to_owned(), unevaluated);
        }
    }
    for conditional in ["if", "then", "else", "dependentSchemas"] {
        if object.remove(conditional).is_some() {
            warn(
                warnings,
                at.join(conditional),
                &format!("`{conditional}` applies a schema on a condition; not checked, and its fields are not typed"),
            );
        }
    }
    if object.contains_key("not") && (object.contains_key("type") || object.contains_key("properties")) {
        object.remove("not");
        warn(warnings, at.join("not"), "`not` beside other keywords only restricts values; not checked");
    }
    // In a union or an intersection the annotations beside a `$ref` add nothing to the type,
    // and the plain reference is what names the variant.
    if matches!(keyword, Some("oneOf" | "anyOf" | "allOf")) {
        if object.contains_key("$ref") {
            object.retain(|key, _| key == "$ref" || key.starts_with("x-"));
        }
    } else {
        ref_siblings(object, at, relocations);
    }
}

/// `type` as a list: `"null"` among them is nullability; several others become an `anyOf`.
fn types(object: &mut Map<String, Value>) {
    let Some(Value::Array(listed)) = object.get("type") else { return };
    let mut names: Vec<String> = listed.iter().filter_map(Value::as_str).map(str::to_owned).collect();
    names.dedup();
    let nullable = names.iter().any(|name| name == "null");
    names.retain(|name| name != "null");
    if nullable {
        object.insert("nullable".to_owned(), Value::Bool(true));
    }
    match names.as_slice() {
        [] => {
            object.insert("type".to_owned(), Value::from("null"));
        }
        [one] => {
            object.insert("type".to_owned(), Value::from(one.as_str()));
        }
        several => {
            // Keywords of each type go with that type's branch; the rest stay on the whole.
            let shared = [
                "description",
                "title",
                "default",
                "example",
                "deprecated",
                "readOnly",
                "writeOnly",
                "nullable",
            ];
            let mut whole = Map::new();
            let mut branch_keywords = Map::new();
            for (key, value) in std::mem::take(object) {
                if key == "type" {
                    continue;
                }
                if shared.contains(&key.as_str()) || key.starts_with("x-") {
                    whole.insert(key, value);
                } else {
                    branch_keywords.insert(key, value);
                }
            }
            let branches = several
                .iter()
                .map(|name| {
                    let mut branch = branch_keywords.clone();
                    if let Some(Value::Array(values)) = branch.get_mut("enum") {
                        values.retain(|value| json_type_is(value, name));
                        if values.is_empty() {
                            branch.remove("enum");
                        }
                    }
                    branch.insert("type".to_owned(), Value::from(name.as_str()));
                    Value::Object(branch)
                })
                .collect();
            whole.insert("anyOf".to_owned(), Value::Array(branches));
            *object = whole;
        }
    }
}

fn json_type_is(value: &Value, name: &str) -> bool {
    match name {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// `contentEncoding: base64` is 3.0's `format: byte`; other non-JSON content, `format: binary`.
fn content(object: &mut Map<String, Value>) {
    let encoding = object.remove("contentEncoding");
    let media_type = object.remove("contentMediaType");
    object.remove("contentSchema");
    if object.contains_key("format") {
        return;
    }
    let format =
        match (encoding.as_ref().and_then(Value::as_str), media_type.as_ref().and_then(Value::as_str)) {
            (Some("base64" | "base64url"), _) => "byte",
            (None, Some(media_type)) if !media_type.contains("json") && !media_type.starts_with("text/") => {
                "binary"
            }
            _ => return,
        };
    object.insert("format".to_owned(), Value::from(format));
}

/// `prefixItems` (a tuple) has no 3.0 form: its items are read as any JSON values.
fn tuples(object: &mut Map<String, Value>, at: &Pointer, warnings: &mut Vec<Warning>) {
    if object.remove("prefixItems").is_none() {
        return;
    }
    if !matches!(object.get("items"), Some(Value::Object(_))) {
        object.insert("items".to_owned(), Value::Object(Map::new()));
    }
    warnings.push(Warning {
        pointer: at.join("prefixItems"),
        message: "a tuple (`prefixItems`) is read as a list of any JSON values".to_owned(),
    });
}

/// `patternProperties` is a map whose keys follow a pattern: one pattern's schema types the
/// values; several are read as any JSON values.
fn pattern_properties(object: &mut Map<String, Value>, at: &Pointer, warnings: &mut Vec<Warning>) {
    let Some(Value::Object(patterns)) = object.remove("patternProperties") else { return };
    if object.contains_key("additionalProperties") {
        return;
    }
    let values = if patterns.len() == 1 {
        patterns.into_iter().next().map(|(_, schema)| schema).unwrap_or_default()
    } else {
        warnings.push(Warning {
            pointer: at.join("patternProperties"),
            message: "keys of several patterns: their values are read as any JSON values".to_owned(),
        });
        Value::Object(Map::new())
    };
    object.insert("additionalProperties".to_owned(), values);
}

/// A `$ref` with annotations beside it (allowed in 3.1, ignored in 3.0) keeps them: the reference
/// moves into a one-member `allOf`, which the lowering reads as the referenced type.
fn ref_siblings(object: &mut Map<String, Value>, at: &Pointer, relocations: &mut Relocations) {
    let Some(reference) = object.get("$ref").cloned() else { return };
    if !object.keys().any(|key| ANNOTATIONS.contains(&key.as_str())) {
        return;
    }
    object.retain(|key, _| ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-"));
    let mut target = Map::new();
    target.insert("$ref".to_owned(), reference);
    object.insert("allOf".to_owned(), Value::Array(vec![Value::Object(target)]));
    relocations.add(at.join("allOf").join(0), at.clone());
}
