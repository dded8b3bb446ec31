//! Request and response bodies: which media type the client speaks, and the Rust type of
//! what it sends and receives.

use std::collections::BTreeSet;

use openapiv3::{Content, Operation as OpenApiOperation, ReferenceOr, Schema, SchemaKind, StatusCode, Type};

use super::events::{self, LoweredEvents};
use super::refs;
use super::schemas::{SchemaRef, TypeRegistry};
use super::Ctx;
use crate::error::{Error, Pointer, Warning};
use crate::ir::{
    BodyEncoding, RequestBody, ResponseBody, StatusMatch, StatusVariant, TypeDef, TypeKind, TypeRef,
};
use crate::markdown::code;

/// A lowered request body, and the names of its top-level properties (for name clashes).
pub struct LoweredBody {
    pub body: RequestBody,
    pub properties: BTreeSet<String>,
}

/// The kinds of media type, in the order the client prefers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MediaKind {
    Json,
    Form,
    Multipart,
    Text,
    Bytes,
}

fn media_kind(media: &str) -> MediaKind {
    let essence = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match essence.as_str() {
        "application/json" | "*/*" => MediaKind::Json,
        e if e.ends_with("+json") || e.ends_with("/json") => MediaKind::Json,
        "application/x-www-form-urlencoded" => MediaKind::Form,
        e if e.starts_with("multipart/") => MediaKind::Multipart,
        e if e.starts_with("text/") => MediaKind::Text,
        _ => MediaKind::Bytes,
    }
}

/// The media type the client uses among those offered, with its kind and schema. Server-sent
/// events are not a body to decode whole: they have a method of their own.
fn preferred(content: &Content) -> Option<(&String, MediaKind, Option<&ReferenceOr<Schema>>)> {
    content
        .iter()
        .filter(|(media, _)| !events::is_event_stream(media))
        .map(|(media, media_type)| (media, media_kind(media), media_type.schema.as_ref()))
        .min_by_key(|(_, kind, _)| *kind)
}

pub fn lower_request_body<'d>(
    ctx: &Ctx<'d>,
    registry: &mut TypeRegistry<'d>,
    body: &'d ReferenceOr<openapiv3::RequestBody>,
    raw_name: &str,
    at: &Pointer,
) -> Result<Option<LoweredBody>, Error> {
    let (body, body_at) = refs::resolve(ctx, body, at)?;
    let Some((media, kind, schema)) = preferred(&body.content) else { return Ok(None) };
    let schema_at = body_at.join("content").join(media).join("schema");
    let mut docs = body.description.clone();
    let (ty, properties, encoding) = match (kind, schema) {
        (MediaKind::Json | MediaKind::Form, Some(schema)) => {
            let lowered = registry.lower(schema, &schema_at, &format!("{raw_name} body"))?;
            (lowered.ty, top_level_properties(ctx, schema.into(), &schema_at)?, encoding_of(kind, media))
        }
        (MediaKind::Json | MediaKind::Form, None) => {
            (TypeRef::Json, BTreeSet::new(), encoding_of(kind, media))
        }
        (MediaKind::Multipart, schema) => {
            let encodings = &body.content[media].encoding;
            let form = match schema {
                Some(schema) => registry.lower_form(schema.into(), &schema_at, encodings, raw_name)?,
                None => None,
            };
            match form {
                Some(form) => (form, BTreeSet::new(), BodyEncoding::Multipart),
                None => {
                    let note = format!("A {} form, built with reqwest.", code(media));
                    docs = Some(docs.map_or(note.clone(), |d| format!("{d} {note}")));
                    (TypeRef::Unit, BTreeSet::new(), BodyEncoding::UntypedMultipart)
                }
            }
        }
        (MediaKind::Text, _) => (TypeRef::String, BTreeSet::new(), encoding_of(kind, media)),
        (MediaKind::Bytes, _) => (TypeRef::Unit, BTreeSet::new(), encoding_of(kind, media)),
    };
    Ok(Some(LoweredBody { body: RequestBody { ty, required: body.required, docs, encoding }, properties }))
}

/// How a body of a media type other than multipart goes on the wire.
fn encoding_of(kind: MediaKind, media: &str) -> BodyEncoding {
    match kind {
        MediaKind::Json => BodyEncoding::Json,
        MediaKind::Form => BodyEncoding::Form,
        MediaKind::Multipart => BodyEncoding::UntypedMultipart,
        MediaKind::Text => BodyEncoding::Text { media_type: media.to_owned() },
        MediaKind::Bytes => BodyEncoding::Bytes { media_type: concrete(media) },
    }
}

/// A media type range such as `image/*` cannot go in a `Content-Type` header.
fn concrete(media: &str) -> String {
    if media.contains('*') {
        "application/octet-stream".to_owned()
    } else {
        media.to_owned()
    }
}

/// Property names of an object schema (through `$ref`s and `allOf`).
pub fn top_level_properties(
    ctx: &Ctx<'_>,
    schema: SchemaRef<'_>,
    at: &Pointer,
) -> Result<BTreeSet<String>, Error> {
    top_level_properties_within(ctx, schema, at, 0)
}

fn top_level_properties_within(
    ctx: &Ctx<'_>,
    schema: SchemaRef<'_>,
    at: &Pointer,
    depth: usize,
) -> Result<BTreeSet<String>, Error> {
    let (schema, at) = match schema {
        SchemaRef::Reference(reference) => refs::resolve_reference::<Schema>(ctx, reference, at)?,
        SchemaRef::Item(schema) => (schema, at.clone()),
    };
    Ok(match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => o.properties.keys().cloned().collect(),
        SchemaKind::Any(any) => any.properties.keys().cloned().collect(),
        // `allOf` cycles are refused elsewhere; here they only stop the walk.
        SchemaKind::AllOf { all_of } if depth < 32 => {
            let mut names = BTreeSet::new();
            for (i, member) in all_of.iter().enumerate() {
                names.extend(top_level_properties_within(
                    ctx,
                    member.into(),
                    &at.join("allOf").join(i),
                    depth + 1,
                )?);
            }
            names
        }
        _ => BTreeSet::new(),
    })
}

/// What an operation's responses say.
pub struct LoweredResponses {
    pub result: ResponseBody,
    /// The body type of its error responses.
    pub error: Option<TypeRef>,
    /// The first successful response's server-sent events.
    pub events: Option<LoweredEvents>,
    /// No successful response has anything but events.
    pub only_events: bool,
}

/// The result of an operation, the body type of its error responses and its events.
pub fn lower_responses<'d>(
    ctx: &Ctx<'d>,
    registry: &mut TypeRegistry<'d>,
    warnings: &mut Vec<Warning>,
    operation: &'d OpenApiOperation,
    raw_name: &str,
    at: &Pointer,
) -> Result<LoweredResponses, Error> {
    let responses_at = at.join("responses");
    let mut events = None;
    let mut other_bodies = false;
    let mut success: Vec<(StatusMatch, ResponseBody, Option<String>)> = Vec::new();
    let mut errors: Vec<TypeRef> = Vec::new();
    let declared = operation
        .responses
        .responses
        .iter()
        .map(|(code, response)| (Some(code), response))
        .chain(operation.responses.default.iter().map(|response| (None, response)));
    for (code, response) in declared {
        let key = code.map_or_else(|| "default".to_owned(), ToString::to_string);
        let status = match code {
            Some(StatusCode::Code(code @ 200..=299)) => Some(StatusMatch::Code(*code)),
            Some(StatusCode::Range(2)) => Some(StatusMatch::Range(2)),
            _ => None,
        };
        let (response, response_at) = refs::resolve(ctx, response, &responses_at.join(&key))?;
        // Response headers are not part of the client's types, but their references must hold.
        for (name, header) in &response.headers {
            refs::resolve(ctx, header, &response_at.join("headers").join(name))?;
        }
        if status.is_some() {
            let event_media = response.content.iter().find(|(media, _)| events::is_event_stream(media));
            match event_media {
                Some((media, media_type)) if events.is_none() => {
                    let media_at = response_at.join("content").join(media);
                    events =
                        Some(events::lower_events(ctx, registry, warnings, media_type, &media_at, raw_name)?);
                }
                _ => {}
            }
            other_bodies |= event_media.is_none() || response.content.len() > 1;
        }
        let hint =
            if status.is_some() { format!("{raw_name} response") } else { format!("{raw_name} error") };
        let body = match preferred(&response.content) {
            None => ResponseBody::Empty,
            Some((media, MediaKind::Json, schema)) => match schema {
                Some(schema) => {
                    let schema_at = response_at.join("content").join(media).join("schema");
                    ResponseBody::Json(registry.lower(schema, &schema_at, &hint)?.ty)
                }
                None => ResponseBody::Json(TypeRef::Json),
            },
            Some((_, MediaKind::Text, _)) => ResponseBody::Text,
            Some((media, MediaKind::Form | MediaKind::Multipart, _)) => {
                warnings.push(Warning {
                    pointer: response_at.join("content").join(media),
                    message: format!("responses of media type `{media}` are returned as bytes, not decoded"),
                });
                ResponseBody::Bytes
            }
            Some((_, MediaKind::Bytes, _)) => ResponseBody::Bytes,
        };
        match status {
            Some(status) => success.push((status, body, Some(response.description.clone()))),
            None => {
                if let ResponseBody::Json(ty) = body {
                    if !errors.contains(&ty) {
                        errors.push(ty);
                    }
                }
            }
        }
    }
    let error = match errors.as_slice() {
        [] => None,
        [only] => Some(only.clone()),
        _ => Some(TypeRef::Json),
    };
    let mut bodies: Vec<&ResponseBody> = Vec::new();
    for (_, body, _) in &success {
        if !bodies.contains(&body) {
            bodies.push(body);
        }
    }
    let only_events = events.is_some() && !other_bodies;
    let result = match bodies.as_slice() {
        _ if only_events => ResponseBody::Empty,
        [] => ResponseBody::Empty,
        [only] => (*only).clone(),
        _ => ResponseBody::ByStatus(status_enum(registry, raw_name, success, &responses_at)),
    };
    Ok(LoweredResponses { result, error, events, only_events })
}

/// A type for an operation whose successful responses carry different bodies.
fn status_enum(
    registry: &mut TypeRegistry<'_>,
    raw_name: &str,
    mut success: Vec<(StatusMatch, ResponseBody, Option<String>)>,
    at: &Pointer,
) -> String {
    success.sort_by_key(|(status, _, _)| *status);
    let mut scope = crate::names::Scope::with_reserved(["Other"]);
    let variants = success
        .into_iter()
        .map(|(status, body, docs)| {
            let name = match status {
                StatusMatch::Code(code) => {
                    reason(code).map_or_else(|| format!("Status{code}"), str::to_owned)
                }
                StatusMatch::Range(_) => "Success".to_owned(),
            };
            StatusVariant { rust_name: scope.claim(name), status, body, docs }
        })
        .collect();
    let name = registry.claim_name(&format!("{raw_name} response"));
    registry.insert(TypeDef {
        name: name.clone(),
        docs: Some(format!("The successful responses of {}, told apart by status.", code(raw_name))),
        origin: at.to_string(),
        kind: TypeKind::StatusEnum(variants),
    });
    name
}

fn reason(code: u16) -> Option<&'static str> {
    Some(match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        _ => return None,
    })
}
