//! Server-sent events described where the typed reading cannot see them, moved to the one place
//! lowering reads them from: the `schema` of a `text/event-stream` response.
//!
//! - OpenAPI 3.2's `itemSchema` (also written in 3.1 documents): the schema of one event frame,
//!   with `event`, `data`, `id` and `retry` properties. It becomes the `schema`, marked with
//!   [`FRAME_MARK`] so that lowering reads it as frames, not as the data of each event. A frame's
//!   `data` given as `contentMediaType` and `contentSchema` is read as its `contentSchema`.
//! - Fern's `x-fern-streaming` with `format: sse` (Cohere's document): its `response-stream`
//!   schema is the data of each event, and its `terminator` the `data:` that ends the stream.
//!   The events are added as a `text/event-stream` response beside the operation's first
//!   successful one. (Without `format: sse` Fern streams newline-delimited JSON, which is not
//!   read.)
//!
//! Each move is recorded, so messages about the schema still point where the document has it.

use serde_json::{Map, Value};

use crate::error::{Pointer, Relocations};

/// The media type of server-sent events.
pub const EVENT_STREAM: &str = "text/event-stream";
/// Set on a `text/event-stream` media type whose `schema` describes whole event frames.
pub const FRAME_MARK: &str = "x-keycard-codegen-event-frames";
/// Set on a `text/event-stream` media type: the `data:` value that ends the stream.
pub const TERMINATOR: &str = "x-keycard-codegen-terminator";

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

pub fn normalize(doc: &mut Map<String, Value>, relocations: &mut Relocations) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else { return };
    for (template, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        for method in METHODS {
            let Some(Value::Object(operation)) = item.get_mut(method) else { continue };
            let at = Pointer::root().join("paths").join(template).join(method);
            fern_streaming(operation, &at, relocations);
            let Some(Value::Object(responses)) = operation.get_mut("responses") else { continue };
            for (code, response) in responses.iter_mut() {
                let Some(Value::Object(content)) = response.get_mut("content") else { continue };
                let Some(Value::Object(media)) = content.get_mut(EVENT_STREAM) else { continue };
                let media_at = at.join("responses").join(code).join("content").join(EVENT_STREAM);
                item_schema(media, &media_at, relocations);
            }
        }
    }
}

fn item_schema(media: &mut Map<String, Value>, at: &Pointer, relocations: &mut Relocations) {
    if media.contains_key("schema") {
        return;
    }
    let Some(mut frame) = media.remove("itemSchema") else { return };
    let frame_at = at.join("schema");
    relocations.add(frame_at.clone(), at.join("itemSchema"));
    content_schemas(&mut frame, &frame_at, relocations);
    media.insert("schema".to_owned(), frame);
    media.insert(FRAME_MARK.to_owned(), Value::Bool(true));
}

/// A frame's `data: {contentMediaType: application/json, contentSchema: S}` becomes `data: S`,
/// in the frame and in each inline `oneOf`/`anyOf` member of it.
fn content_schemas(frame: &mut Value, at: &Pointer, relocations: &mut Relocations) {
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = frame.get_mut(key) {
            for (i, member) in members.iter_mut().enumerate() {
                content_schemas(member, &at.join(key).join(i), relocations);
            }
        }
    }
    let Some(data) = frame.get_mut("properties").and_then(|p| p.get_mut("data")) else { return };
    let Some(inner) = data.get_mut("contentSchema").map(Value::take) else { return };
    *data = inner;
    let data_at = at.join("properties").join("data");
    relocations.add(data_at.clone(), data_at.join("contentSchema"));
}

fn fern_streaming(operation: &mut Map<String, Value>, at: &Pointer, relocations: &mut Relocations) {
    let Some(Value::Object(streaming)) = operation.get("x-fern-streaming") else { return };
    if streaming.get("format").and_then(Value::as_str) != Some("sse") {
        return;
    }
    let Some(schema) = streaming.get("response-stream").cloned() else { return };
    let terminator = streaming.get("terminator").and_then(Value::as_str).map(str::to_owned);
    let Some(Value::Object(responses)) = operation.get_mut("responses") else { return };
    let Some((code, Value::Object(response))) = responses.iter_mut().find(|(code, _)| code.starts_with('2'))
    else {
        return;
    };
    let content = response.entry("content").or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(content) = content else { return };
    if content.contains_key(EVENT_STREAM) {
        return;
    }
    let mut media = Map::new();
    media.insert("schema".to_owned(), schema);
    if let Some(terminator) = terminator {
        media.insert(TERMINATOR.to_owned(), Value::String(terminator));
    }
    content.insert(EVENT_STREAM.to_owned(), Value::Object(media));
    let schema_at = at.join("responses").join(code).join("content").join(EVENT_STREAM).join("schema");
    relocations.add(schema_at, at.join("x-fern-streaming").join("response-stream"));
}
