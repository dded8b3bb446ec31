//! References anywhere in the document. The lowering follows `$ref`s of the form
//! `#/components/<kind>/<name>`; bundlers and 3.1's `$defs` point anywhere else too
//! (`#/paths/~1things/get/responses/200/content/application~1json/schema`,
//! `#/components/schemas/A/$defs/B`). Each such target becomes a component of its own, and where
//! the target sat in a place of its kind it is replaced by a `$ref` to that component, so it is
//! one type, not two. Path items and callbacks that are `$ref`s are replaced by what they point
//! at. A reference to the wrong kind of thing (a schema `$ref` to a parameter) is left alone and
//! explained: if the lowering follows it, the refusal says what is there instead. Remote and
//! file references are left for the lowering to refuse with a located error.

use std::collections::{BTreeMap, HashMap};

use heck::ToUpperCamelCase;
use serde_json::{Map, Value};

use super::walk;
use crate::error::{Error, Pointer, Relocations};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Kind {
    Schema,
    Parameter,
    RequestBody,
    Response,
    Header,
    PathItem,
    Callback,
}

impl Kind {
    fn section(self) -> &'static str {
        match self {
            Kind::Schema => "schemas",
            Kind::Parameter => "parameters",
            Kind::RequestBody => "requestBodies",
            Kind::Response => "responses",
            Kind::Header => "headers",
            Kind::PathItem => "pathItems",
            Kind::Callback => "callbacks",
        }
    }

    /// The kind in a sentence.
    fn noun(self) -> &'static str {
        match self {
            Kind::Schema => "a schema",
            Kind::Parameter => "a parameter",
            Kind::RequestBody => "a request body",
            Kind::Response => "a response",
            Kind::Header => "a header",
            Kind::PathItem => "a path item",
            Kind::Callback => "a callback",
        }
    }

    /// Kinds whose references the typed document cannot hold (callbacks) or the lowering does not
    /// follow (path items): these are replaced by their targets.
    fn is_inlined(self) -> bool {
        matches!(self, Kind::PathItem | Kind::Callback)
    }
}

/// A `$ref` in the document: where it is written, and the kind of thing it must name.
struct Reference {
    at: Pointer,
    kind: Kind,
    target: String,
}

/// What the structural walk finds: every reference, and the kind of every place that holds one
/// thing of a kind (to tell whether a target can be replaced by a reference to its component).
#[derive(Default)]
struct Found {
    references: Vec<Reference>,
    places: HashMap<String, Kind>,
}

/// Rewrites `doc` so that every local `$ref` names a component, and path items and callbacks are
/// inline. Returns, for each `$ref` to the wrong kind of thing, the error to give if it is
/// followed.
pub fn hoist(doc: &mut Value, origin: &str, relocations: &mut Relocations) -> Result<Vec<WrongKind>, Error> {
    let mut found = Found::default();
    walk::for_each_schema(doc, &mut |schema, at, _| {
        found.places.insert(at.to_string(), Kind::Schema);
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            found.references.push(Reference {
                at: at.clone(),
                kind: Kind::Schema,
                target: target.to_owned(),
            });
        }
    });
    structure(doc, &mut found);
    inline(doc, &found, origin, relocations)?;

    // Each target once, the deepest first, so that a target inside another is a reference by the
    // time the outer one is copied.
    let mut targets: BTreeMap<(usize, String), Kind> = BTreeMap::new();
    let mut wrong_kinds = Vec::new();
    for reference in &found.references {
        if reference.kind.is_inlined() {
            continue;
        }
        let Some(pointer) = decoded_pointer(&reference.target) else { continue };
        match found.places.get(&pointer_from_tokens(&pointer).to_string()) {
            Some(&place) if place != reference.kind => wrong_kinds.push(WrongKind::new(reference, place)),
            _ if is_component_ref(&reference.target, reference.kind) => {}
            _ if lookup(doc, &pointer).is_some() => {
                targets.insert((usize::MAX - pointer.len(), pointer_text(&pointer)), reference.kind);
            }
            _ => {}
        }
    }
    let mut renamed: HashMap<String, String> = HashMap::new();
    for ((_, target), kind) in targets {
        let tokens = decoded_pointer(&format!("#{target}")).unwrap_or_default();
        let Some(value) = lookup(doc, &tokens).cloned() else { continue };
        let name = free_name(doc, kind.section(), &base_name(doc, &tokens));
        let reference = format!("#/components/{}/{}", kind.section(), escape(&name));
        if found.places.get(&format!("#{target}")) == Some(&kind) {
            if let Some(slot) = lookup_mut(doc, &tokens) {
                *slot = single_ref(&reference);
            }
        }
        insert_component(doc, kind, &name, value);
        let component = Pointer::root().join("components").join(kind.section()).join(&name);
        relocations.add(component, pointer_from_tokens(&tokens));
        renamed.insert(target, reference);
    }
    if !renamed.is_empty() {
        rewrite_references(doc, &renamed, 0);
    }
    Ok(wrong_kinds)
}

/// A `$ref` whose target is a thing of another kind (a parameter where a schema is due).
#[derive(Debug, Clone)]
pub struct WrongKind {
    /// Where the lowering will report it, before relocation: the `$ref` keyword.
    pub pointer: Pointer,
    pub reference: String,
    pub reason: String,
}

impl WrongKind {
    fn new(reference: &Reference, place: Kind) -> Self {
        WrongKind {
            pointer: reference.at.join("$ref"),
            reference: reference.target.clone(),
            reason: format!("this points at {}, but {} is due here", place.noun(), reference.kind.noun()),
        }
    }
}

/// Visits the parts of the document that are not schemas, noting references and places.
fn structure(doc: &Value, found: &mut Found) {
    let root = Pointer::root();
    for (template, item) in entries(doc.get("paths")) {
        path_item(item, &root.join("paths").join(template), found);
    }
    for (name, item) in entries(doc.get("webhooks")) {
        path_item(item, &root.join("webhooks").join(name), found);
    }
    let components = root.join("components");
    let section = |name: &str| entries(doc.get("components").and_then(|c| c.get(name)));
    for (name, value) in section("parameters") {
        place(value, components.join("parameters").join(name), Kind::Parameter, found);
    }
    for (name, value) in section("requestBodies") {
        place(value, components.join("requestBodies").join(name), Kind::RequestBody, found);
    }
    for (name, value) in section("responses") {
        place(value, components.join("responses").join(name), Kind::Response, found);
    }
    for (name, value) in section("headers") {
        place(value, components.join("headers").join(name), Kind::Header, found);
    }
    for (name, value) in section("pathItems") {
        path_item(value, &components.join("pathItems").join(name), found);
    }
    for (name, value) in section("callbacks") {
        callback(value, &components.join("callbacks").join(name), found);
    }
}

fn path_item(item: &Value, at: &Pointer, found: &mut Found) {
    place(item, at.clone(), Kind::PathItem, found);
    for (key, value) in entries(Some(item)) {
        if key == "parameters" {
            for (i, parameter) in items(value) {
                place(parameter, at.join("parameters").join(i), Kind::Parameter, found);
            }
        } else if super::shape::METHODS.contains(&key.as_str()) {
            operation(value, &at.join(&key), found);
        }
    }
}

fn operation(operation: &Value, at: &Pointer, found: &mut Found) {
    for (i, parameter) in operation.get("parameters").map(items).unwrap_or_default() {
        place(parameter, at.join("parameters").join(i), Kind::Parameter, found);
    }
    if let Some(body) = operation.get("requestBody") {
        place(body, at.join("requestBody"), Kind::RequestBody, found);
    }
    for (status, response) in entries(operation.get("responses")) {
        place(response, at.join("responses").join(status), Kind::Response, found);
    }
    for (name, value) in entries(operation.get("callbacks")) {
        callback(value, &at.join("callbacks").join(name), found);
    }
}

fn callback(value: &Value, at: &Pointer, found: &mut Found) {
    place(value, at.clone(), Kind::Callback, found);
    for (expression, item) in entries(Some(value)).into_iter().filter(|(key, _)| key != "$ref") {
        path_item(item, &at.join(expression), found);
    }
}

/// A place that holds one thing of `kind`, or a reference to one.
fn place(value: &Value, at: Pointer, kind: Kind, found: &mut Found) {
    if let Some(target) = value.get("$ref").and_then(Value::as_str) {
        found.references.push(Reference { at: at.clone(), kind, target: target.to_owned() });
    }
    if kind == Kind::Response {
        for (name, header) in entries(value.get("headers")) {
            place(header, at.join("headers").join(name), Kind::Header, found);
        }
    }
    found.places.insert(at.to_string(), kind);
}

/// Replaces each path item or callback that is a local `$ref` by a copy of its target (its own
/// `summary` and `description` win), following chains. Path items whose chain is a cycle or
/// dangles are left for the lowering to refuse; callbacks are refused here, as the typed document
/// has no place for their references.
fn inline(doc: &mut Value, found: &Found, origin: &str, relocations: &mut Relocations) -> Result<(), Error> {
    for reference in found.references.iter().filter(|r| r.kind.is_inlined()) {
        let (mut item, tokens) = match follow(doc, &reference.target, found.references.len()) {
            Ok((Value::Object(item), tokens)) => (item, tokens),
            _ if reference.kind == Kind::PathItem => continue,
            outcome => {
                let reason = match outcome {
                    Ok(_) => "the target is not a callback object".to_owned(),
                    Err(Unresolved::Remote) => {
                        "references to other files or URLs are not supported; inline the callback".to_owned()
                    }
                    Err(Unresolved::Nothing(target)) => format!("nothing in the document is at `{target}`"),
                    Err(Unresolved::Cycle) => "the references go round in a circle".to_owned(),
                };
                return Err(Error::DanglingRef {
                    origin: origin.to_owned(),
                    pointer: reference.at.join("$ref"),
                    reference: reference.target.clone(),
                    reason,
                });
            }
        };
        let at_tokens: Vec<String> = reference.at.tokens().collect();
        let Some(Value::Object(slot)) = lookup_mut(doc, &at_tokens) else { continue };
        for key in ["summary", "description"] {
            if let Some(own) = slot.get(key) {
                item.insert(key.to_owned(), own.clone());
            }
        }
        *slot = item;
        relocations.add(reference.at.clone(), pointer_from_tokens(&tokens));
    }
    Ok(())
}

/// Why a chain of references ends nowhere.
enum Unresolved {
    Remote,
    Nothing(String),
    Cycle,
}

/// Follows `$ref`s from `reference` to a value that is not one (a chain of more than `limit`
/// steps, with no more references than that in the document, is a cycle); returns a copy of it
/// and its place.
fn follow(doc: &Value, reference: &str, limit: usize) -> Result<(Value, Vec<String>), Unresolved> {
    let mut target = reference.to_owned();
    for _ in 0..=limit {
        let tokens = decoded_pointer(&target).ok_or(Unresolved::Remote)?;
        let value = lookup(doc, &tokens).ok_or_else(|| Unresolved::Nothing(target.clone()))?;
        match value.get("$ref").and_then(Value::as_str) {
            Some(next) => target = next.to_owned(),
            None => return Ok((value.clone(), tokens)),
        }
    }
    Err(Unresolved::Cycle)
}

fn is_component_ref(reference: &str, kind: Kind) -> bool {
    reference
        .strip_prefix("#/components/")
        .and_then(|rest| rest.strip_prefix(kind.section()))
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|name| !name.is_empty() && !name.contains('/'))
}

/// The reference tokens of a local `$ref` (`#/a/b~1c` -> `["a", "b/c"]`), percent-decoded.
fn decoded_pointer(reference: &str) -> Option<Vec<String>> {
    let fragment = reference.strip_prefix('#')?;
    let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8().ok()?;
    if fragment.is_empty() {
        return Some(Vec::new());
    }
    let rest = fragment.strip_prefix('/')?;
    Some(rest.split('/').map(|t| t.replace("~1", "/").replace("~0", "~")).collect())
}

fn pointer_from_tokens(tokens: &[String]) -> Pointer {
    tokens.iter().fold(Pointer::root(), |pointer, token| pointer.join(token))
}

fn pointer_text(tokens: &[String]) -> String {
    pointer_from_tokens(tokens).to_string().trim_start_matches('#').to_owned()
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn lookup<'v>(value: &'v Value, tokens: &[String]) -> Option<&'v Value> {
    tokens.iter().try_fold(value, |value, token| match value {
        Value::Object(object) => object.get(token),
        Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

fn lookup_mut<'v>(value: &'v mut Value, tokens: &[String]) -> Option<&'v mut Value> {
    tokens.iter().try_fold(value, |value, token| match value {
        Value::Object(object) => object.get_mut(token),
        Value::Array(items) => token.parse::<usize>().ok().and_then(move |i| items.get_mut(i)),
        _ => None,
    })
}

fn single_ref(reference: &str) -> Value {
    let mut object = Map::new();
    object.insert("$ref".to_owned(), Value::from(reference));
    Value::Object(object)
}

/// A component name for the target at `tokens`: the name it was given in `$defs` or
/// `definitions`, or else its place's words (`/things`, `get`, `200` -> `ThingsGet200`), where a
/// parameter is named by its `name` (`/things`, `get`, `limit` -> `ThingsGetLimit`).
fn base_name(doc: &Value, tokens: &[String]) -> String {
    const STRUCTURE: [&str; 8] =
        ["paths", "components", "content", "schema", "schemas", "properties", "responses", "parameters"];
    let base = match tokens {
        [.., container, name] if container == "$defs" || container == "definitions" => name.clone(),
        _ => tokens
            .iter()
            .enumerate()
            .map(|(i, token)| match &tokens[..i] {
                [.., list] if list == "parameters" && token.parse::<usize>().is_ok() => {
                    let parameter = lookup(doc, &tokens[..=i]);
                    parameter.and_then(|p| p.get("name")).and_then(Value::as_str).unwrap_or(token)
                }
                _ => token,
            })
            // Media types (`application/json`) are structure too; path templates (`/things`) are not.
            .filter(|t| !STRUCTURE.contains(t) && (t.starts_with('/') || !t.contains('/')))
            .map(|t| t.to_upper_camel_case())
            .collect::<String>(),
    };
    if base.is_empty() {
        "Inline".to_owned()
    } else {
        base
    }
}

/// `base`, or `base` with the first number that makes it distinct from every component already
/// in `components/<section>`.
fn free_name(doc: &Value, section: &str, base: &str) -> String {
    let existing = doc.get("components").and_then(|c| c.get(section));
    let taken = |name: &str| existing.is_some_and(|section| section.get(name).is_some());
    if !taken(base) {
        return base.to_owned();
    }
    (2..).map(|n| format!("{base}{n}")).find(|name| !taken(name)).expect("some number is free")
}

/// Adds `value` to `components/schemas` under `base` (or a distinct variant of it); returns
/// the name it got.
pub fn add_schema(doc: &mut Value, base: &str, value: Value) -> String {
    let name = free_name(doc, Kind::Schema.section(), base);
    insert_component(doc, Kind::Schema, &name, value);
    name
}

fn insert_component(doc: &mut Value, kind: Kind, name: &str, value: Value) {
    let Value::Object(root) = doc else { return };
    let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(components) = components else { return };
    let section = components.entry(kind.section()).or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(section) = section {
        section.insert(name.to_owned(), value);
    }
}

/// Points every `$ref` whose target was made a component at that component. `names` is how many
/// levels below `value` keys are names rather than keywords (see [`walk::name_levels`]).
fn rewrite_references(value: &mut Value, renamed: &HashMap<String, String>, names: u8) {
    match value {
        Value::Object(object) => {
            if names == 0 {
                if let Some(Value::String(reference)) = object.get_mut("$ref") {
                    let target = decoded_pointer(reference).map(|tokens| pointer_text(&tokens));
                    if let Some(new) = target.and_then(|target| renamed.get(&target)) {
                        *reference = new.clone();
                    }
                }
            }
            for (key, child) in object.iter_mut() {
                if names > 0 {
                    rewrite_references(child, renamed, names - 1);
                } else if key != "$ref" && !walk::is_data(key) {
                    rewrite_references(child, renamed, walk::name_levels(key));
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rewrite_references(item, renamed, 0)),
        _ => {}
    }
}

fn entries(value: Option<&Value>) -> Vec<(String, &Value)> {
    value
        .and_then(Value::as_object)
        .map(|o| o.iter().filter(|(k, _)| !k.starts_with("x-")).map(|(k, v)| (k.clone(), v)).collect())
        .unwrap_or_default()
}

fn items(value: &Value) -> Vec<(usize, &Value)> {
    value.as_array().map(|a| a.iter().enumerate().collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_into_an_operation_makes_the_target_one_component() {
        let mut doc = serde_json::json!({
            "paths": {
                "/things": {"get": {"responses": {"200": {"content": {"application/json": {
                    "schema": {"type": "object", "properties": {"id": {"type": "string"}}}
                }}}}}},
                "/others": {"get": {"responses": {"200": {"content": {"application/json": {
                    "schema": {"$ref": "#/paths/~1things/get/responses/200/content/application~1json/schema"}
                }}}}}}
            },
            "components": {"schemas": {"A": {"$defs": {"B": {"type": "integer"}}, "properties": {
                "b": {"$ref": "#/components/schemas/A/$defs/B"}
            }}}}
        });
        let mut relocations = Relocations::default();
        assert!(hoist(&mut doc, "test", &mut relocations).unwrap().is_empty());
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["ThingsGet200"]["properties"]["id"]["type"], "string");
        assert_eq!(schemas["B"], serde_json::json!({"type": "integer"}));
        assert_eq!(schemas["A"]["properties"]["b"]["$ref"], "#/components/schemas/B");
        let at = |path: &str| {
            &doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        };
        assert_eq!(at("/things")["$ref"], "#/components/schemas/ThingsGet200");
        assert_eq!(at("/others")["$ref"], "#/components/schemas/ThingsGet200");
        let moved =
            Pointer::root().join("components").join("schemas").join("ThingsGet200").join("properties");
        assert_eq!(
            relocations.original(&moved).to_string(),
            "#/paths/~1things/get/responses/200/content/application~1json/schema/properties"
        );
    }
}
