//! Server-sent events: what a `text/event-stream` response says about its events.
//!
//! Design. An operation with such a response gets a method that returns a stream of typed
//! events ([`crate::ir::Events`]); the runtime module `sse.rs` reads the wire format (with the
//! `eventsource-stream` crate) and decodes each event's `data:`. What documents use, and how it
//! is read:
//!
//! - `schema` of the media type (OpenAI, Azure OpenAI, most 3.0 documents): the type of each
//!   event's `data:`, as JSON; the `event:` name is kept beside it. A `oneOf` with a
//!   discriminator (OpenAI's events carry their name in `type`) is a tagged enum as anywhere
//!   else. No schema, or a string one: the data as text.
//! - `itemSchema` (OpenAPI 3.2, also written in 3.1 documents), moved to `schema` and marked by
//!   `load/streams.rs`: the schema of a whole frame. A `oneOf` of frames whose `event` has one
//!   value each becomes an enum with a variant per event name ([`TypeKind::EventEnum`]), decoded
//!   by that name; other names decode as its `Unknown` variant. A single frame: its `data`.
//! - `x-fern-streaming` with `format: sse` (Cohere), moved by `load/streams.rs`: read as
//!   `schema`, with its `terminator`.
//!
//! A `data:` of `[DONE]` (OpenAI's and Cohere's end of stream; never valid JSON) or the
//! document's `terminator` ends the stream.

use openapiv3::{MediaType, Schema, SchemaKind, Type};

use super::refs;
use super::schemas::{SchemaRef, TypeRegistry};
use super::Ctx;
use crate::error::{Error, Pointer, Warning};
use crate::ir::{EventData, EventVariant, TypeDef, TypeKind, TypeRef};
use crate::load::streams::{FRAME_MARK, TERMINATOR};
use crate::markdown::code;
use crate::names::{self, Scope};

/// The end-of-stream `data:` that OpenAI's and Cohere's APIs send.
const DONE: &str = "[DONE]";

/// What a `text/event-stream` response's media type says.
pub struct LoweredEvents {
    pub data: EventData,
    pub terminator: String,
    /// The media type's place.
    pub origin: Pointer,
}

pub fn is_event_stream(media: &str) -> bool {
    media.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case("text/event-stream")
}

/// The events of the media type `media`, found at `at`.
pub fn lower_events<'d>(
    ctx: &Ctx<'d>,
    registry: &mut TypeRegistry<'d>,
    warnings: &mut Vec<Warning>,
    media: &'d MediaType,
    at: &Pointer,
    raw_name: &str,
) -> Result<LoweredEvents, Error> {
    let terminator = media.extensions.get(TERMINATOR).and_then(|t| t.as_str()).unwrap_or(DONE).to_owned();
    let frames = media.extensions.get(FRAME_MARK).and_then(|f| f.as_bool()).unwrap_or(false);
    let schema_at = at.join("schema");
    let hint = format!("{raw_name} event");
    let data = match &media.schema {
        None => EventData::Text,
        Some(schema) if frames => frames_of(ctx, registry, warnings, schema.into(), &schema_at, &hint)?,
        Some(schema) => data_of(registry, schema.into(), &schema_at, &hint)?,
    };
    Ok(LoweredEvents { data, terminator, origin: at.clone() })
}

fn data_of<'d>(
    registry: &mut TypeRegistry<'d>,
    schema: SchemaRef<'d>,
    at: &Pointer,
    hint: &str,
) -> Result<EventData, Error> {
    Ok(match registry.lower(schema, at, hint)?.ty {
        TypeRef::String | TypeRef::SensitiveString => EventData::Text,
        ty => EventData::Json(ty),
    })
}

fn resolve<'d>(ctx: &Ctx<'d>, schema: SchemaRef<'d>, at: &Pointer) -> Result<(&'d Schema, Pointer), Error> {
    match schema {
        SchemaRef::Reference(reference) => refs::resolve_reference(ctx, reference, at),
        SchemaRef::Item(schema) => Ok((schema, at.clone())),
    }
}

/// One frame, or a `oneOf`/`anyOf` of frames told apart by their `event`.
fn frames_of<'d>(
    ctx: &Ctx<'d>,
    registry: &mut TypeRegistry<'d>,
    warnings: &mut Vec<Warning>,
    schema: SchemaRef<'d>,
    at: &Pointer,
    hint: &str,
) -> Result<EventData, Error> {
    let (schema, at) = resolve(ctx, schema, at)?;
    let members: Vec<(SchemaRef<'d>, Pointer)> = match &schema.schema_kind {
        SchemaKind::OneOf { one_of: list } | SchemaKind::AnyOf { any_of: list } => {
            let key = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) { "oneOf" } else { "anyOf" };
            list.iter().enumerate().map(|(i, member)| (member.into(), at.join(key).join(i))).collect()
        }
        _ => vec![(SchemaRef::Item(schema), at.clone())],
    };
    let mut named = Vec::new();
    for (member, member_at) in &members {
        let (frame, frame_at) = resolve(ctx, *member, member_at)?;
        let properties = match &frame.schema_kind {
            SchemaKind::Type(Type::Object(object)) => &object.properties,
            SchemaKind::Any(any) => &any.properties,
            _ => {
                warnings.push(Warning {
                    pointer: frame_at,
                    message: "an event frame that is not an object; the events' data is read as any JSON"
                        .into(),
                });
                return Ok(EventData::Json(TypeRef::Json));
            }
        };
        let event_name = match properties.get("event") {
            Some(event) => single_value(ctx, event.into(), &frame_at.join("properties").join("event"))?,
            None => None,
        };
        let data_at = frame_at.join("properties").join("data");
        let data = match properties.get("data") {
            Some(data) => data_of(
                registry,
                data.into(),
                &data_at,
                &format!("{hint} {}", event_name.as_deref().unwrap_or("data")),
            )?,
            None => EventData::Text,
        };
        if members.len() == 1 {
            return Ok(data);
        }
        let Some(event_name) = event_name else {
            warnings.push(Warning {
                pointer: frame_at.join("properties"),
                message: "this event frame has no `event` of one value to tell it from the others; the events' data is read as any JSON".into(),
            });
            return Ok(EventData::Json(TypeRef::Json));
        };
        let docs = frame.schema_data.description.clone().or_else(|| frame.schema_data.title.clone());
        named.push((event_name, data, docs));
    }
    let mut scope = Scope::with_reserved(["Unknown"]);
    let variants = named
        .into_iter()
        .map(|(event_name, data, docs)| EventVariant {
            rust_name: scope.claim(names::type_name(&event_name)),
            event_name,
            docs,
            data,
        })
        .collect();
    let name = registry.claim_name(hint);
    registry.insert(TypeDef {
        name: name.clone(),
        docs: Some(format!(
            "The events of {}, told apart by their `event:` name.",
            code(hint.trim_end_matches(" event"))
        )),
        origin: at.to_string(),
        kind: TypeKind::EventEnum(variants),
    });
    Ok(EventData::Named(name))
}

/// The one string value of an `enum` (or 3.1 `const`) schema.
fn single_value<'d>(ctx: &Ctx<'d>, schema: SchemaRef<'d>, at: &Pointer) -> Result<Option<String>, Error> {
    let (schema, _) = resolve(ctx, schema, at)?;
    Ok(match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => match string.enumeration.as_slice() {
            [Some(value)] => Some(value.clone()),
            _ => None,
        },
        _ => None,
    })
}
