//! The API record: what a generated crate offers, by Rust name and spec location, written into
//! the crate (`.keycard-codegen/api.yaml`) so that the next generation can say what changed
//! (see [`crate::changes`]) even where the previous document is not at hand: a fresh clone in
//! CI, a document fetched from a server.
//!
//! It is built from the IR, never from the rendered code, and holds only what the change
//! report judges: names, types, presence, nullability, constraints, enum values, variants,
//! operations, auth and the server. Descriptions are left out, so an edit that only changes
//! documentation leaves the record as it was. Everything is sorted or kept in declaration order
//! where the order means something to Rust (a constructor's parameters), and nothing depends on
//! the time or the machine.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::ir::{
    Api, Auth, BodyEncoding, Constraints, EventData, Field, FormPart, Operation, Param, PartKind, Resource,
    ResponseBody, StatusMatch, TypeDef, TypeKind, TypeRef,
};

/// Where the record sits in the generated crate.
pub const RECORD_PATH: &str = ".keycard-codegen/api.yaml";
/// The shape of the record; a record of another shape is not compared (the report says so).
pub const RECORD_FORMAT: u32 = 1;

/// A whole generated API, as the change report sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiRecord {
    pub record_format: u32,
    #[serde(rename = "crate")]
    pub crate_name: String,
    /// The version in the generated `Cargo.toml`, which the suggested bump starts from.
    pub crate_version: String,
    /// The document's `info.version`; shown in the report, never a change of its own.
    pub api_version: String,
    /// The prefix of the environment variables `Client::from_env` reads.
    pub env_prefix: String,
    /// The client's default base URL (the document's first server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    pub auth: AuthRecord,
    /// The crate-wide `ErrorBody` type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_body: Option<String>,
    /// By `METHOD /path/{template}`.
    #[serde(default)]
    pub operations: BTreeMap<String, OperationRecord>,
    /// By Rust type name.
    #[serde(default)]
    pub types: BTreeMap<String, TypeRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", deny_unknown_fields)]
pub enum AuthRecord {
    None,
    Bearer,
    ClientCredentials { token_url: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationRecord {
    /// How it is called: `zones().secrets().create`, on a `Client`.
    pub rust: String,
    pub operation_id: String,
    pub method: String,
    pub path: String,
    pub pointer: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// The path parameters, in the order the method takes them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub path_params: Vec<FieldRecord>,
    /// The struct of query, header and cookie parameters the method takes, if any (its fields
    /// are in `types`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<BodyRecord>,
    /// What a successful call gives: a Rust type, `()`, `String (text)` or `Vec<u8> (bytes)`.
    pub response: String,
    /// The type the operation's error responses declare.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<StreamRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<StreamRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyRecord {
    /// The Rust type the method takes (`reqwest::multipart::Form`, `&str` and `Vec<u8>` for
    /// multipart, text and other media types).
    #[serde(rename = "type")]
    pub ty: String,
    pub required: bool,
    /// `json`, `form`, `multipart`, or the media type of text and bytes.
    pub encoding: String,
}

/// A method that streams: server-sent events, or the items of a paginated list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamRecord {
    pub method: String,
    /// The type of each event's data, or of each item.
    pub item: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeRecord {
    pub pointer: String,
    pub kind: Kind,
    /// Reachable from a request (a body, a parameter): the client sends values of it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sent: bool,
    /// Reachable from a response (a body, an event, an error): the client decodes values of it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub received: bool,
    /// Struct fields (or parameters), in declaration order: the order of `new`'s parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldRecord>,
    /// The value type of the map of other properties.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional: Option<String>,
    /// The discriminator property of a tagged enum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The values of a string enum, by wire value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<ValueRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<VariantRecord>,
    /// What an alias or a newtype stands for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Struct,
    /// The query, header and cookie parameters of an operation.
    Params,
    TaggedEnum,
    UntaggedEnum,
    StringEnum,
    Alias,
    Newtype,
    StatusEnum,
    EventEnum,
    /// A `multipart/form-data` body: a field per part.
    Form,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Struct => "struct",
            Kind::Params => "parameters struct",
            Kind::TaggedEnum => "tagged enum",
            Kind::UntaggedEnum => "untagged enum",
            Kind::StringEnum => "string enum",
            Kind::Alias => "type alias",
            Kind::Newtype => "newtype",
            Kind::StatusEnum => "enum of responses by status",
            Kind::EventEnum => "enum of events",
            Kind::Form => "multipart form",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldRecord {
    pub rust: String,
    pub wire: String,
    /// The value's Rust type, without the `Option`/`Patch` that presence adds.
    #[serde(rename = "type")]
    pub ty: String,
    pub required: bool,
    /// Required, and `null` is allowed: `Option<T>`, always sent.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nullable: bool,
    /// Optional and nullable in a type sent in requests: a `Patch<T>`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub clearable: bool,
    /// For parameters: `path`, `query`, `header` or `cookie`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueRecord {
    pub rust: String,
    pub wire: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantRecord {
    pub rust: String,
    /// What tells it apart on the wire: the tag value, the `event:` name, or the status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wire: Option<String>,
    /// The type it carries (untagged, status and event variants).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// The fields of a tagged variant, in declaration order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldRecord>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// Why a record found in an output folder could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("it is not a record the generator wrote: {0}")]
    Malformed(String),
    #[error("it is of record format {found}, and this generator reads format {RECORD_FORMAT}")]
    OtherFormat { found: u32 },
}

impl ApiRecord {
    /// The record of a lowered API; `crate_version` is the generated manifest's.
    pub fn of(api: &Api, crate_version: &str) -> ApiRecord {
        let operations: Vec<(String, &Operation)> = operations_with_paths(&api.root);
        let by_name = types_by_name(api);
        let directions = Directions::of(api, &by_name, &operations);
        let mut types: BTreeMap<String, TypeRecord> =
            by_name.iter().map(|def| (def.name.clone(), type_record(def, &directions))).collect();
        for (_, op) in &operations {
            if let Some(params) = &op.params_struct {
                let located =
                    [("query", &params.query), ("header", &params.headers), ("cookie", &params.cookies)];
                let fields = located
                    .into_iter()
                    .flat_map(|(location, list)| list.iter().map(move |p| param_record(p, location)))
                    .collect();
                let pointer = operation_pointer(op);
                types.insert(
                    params.type_name.clone(),
                    TypeRecord { fields, sent: true, ..empty_type(pointer, Kind::Params) },
                );
            }
        }
        ApiRecord {
            record_format: RECORD_FORMAT,
            crate_name: api.crate_name.clone(),
            crate_version: crate_version.to_owned(),
            api_version: api.version.clone(),
            env_prefix: api.env_prefix.clone(),
            base_url: api.default_base_url.clone(),
            auth: match &api.auth {
                Auth::None => AuthRecord::None,
                Auth::Bearer => AuthRecord::Bearer,
                Auth::ClientCredentials { token_url } => {
                    AuthRecord::ClientCredentials { token_url: token_url.clone() }
                }
            },
            error_body: api.error_body.as_ref().map(rust_type),
            operations: operations
                .iter()
                .map(|(rust, op)| {
                    (format!("{} {}", op.http_method.as_str(), op.path_template), operation_record(rust, op))
                })
                .collect(),
            types,
        }
    }

    /// The record as the text of its file, under the generated-file header.
    pub fn to_text(&self, spec_path: &str) -> String {
        let mut text = crate::render::header("#", spec_path);
        text.push_str(
            "# The API of this crate as generated, for the change report of the next generation.\n",
        );
        // Serializing plain structs, vectors and B-tree maps cannot fail.
        text.push_str(&serde_yaml::to_string(self).unwrap_or_default());
        text
    }

    /// Reads a record from the text of its file.
    pub fn parse(text: &str) -> Result<ApiRecord, RecordError> {
        #[derive(Deserialize)]
        struct FormatOnly {
            record_format: u32,
        }
        let format: FormatOnly =
            serde_yaml::from_str(text).map_err(|err| RecordError::Malformed(err.to_string()))?;
        if format.record_format != RECORD_FORMAT {
            return Err(RecordError::OtherFormat { found: format.record_format });
        }
        serde_yaml::from_str(text).map_err(|err| RecordError::Malformed(err.to_string()))
    }
}

/// The API's types by name: a type generated as an alias of another of the same shape
/// (`lower/dedup.rs`) as the type of its own it was lowered as. Which names share one type
/// follows the document, and is no change of the API: each name keeps its shape.
fn types_by_name(api: &Api) -> Vec<&TypeDef> {
    let merged: BTreeMap<&str, &TypeDef> = api.merged.iter().map(|def| (def.name.as_str(), def)).collect();
    api.types.iter().map(|def| merged.get(def.name.as_str()).copied().unwrap_or(def)).collect()
}

/// Every operation with the Rust path it is called by, in tree order.
fn operations_with_paths(root: &Resource) -> Vec<(String, &Operation)> {
    let mut found = Vec::new();
    let mut pending: Vec<(String, &Resource)> = vec![(String::new(), root)];
    while let Some((prefix, resource)) = pending.pop() {
        for op in &resource.operations {
            found.push((format!("{prefix}{}", op.method_name), op));
        }
        for child in resource.children.iter().rev() {
            pending.push((format!("{prefix}{}().", child.accessor), child));
        }
    }
    found
}

fn operation_pointer(op: &Operation) -> String {
    crate::Pointer::root()
        .join("paths")
        .join(&op.path_template)
        .join(op.http_method.as_str().to_lowercase())
        .to_string()
}

fn operation_record(rust: &str, op: &Operation) -> OperationRecord {
    OperationRecord {
        rust: rust.to_owned(),
        operation_id: op.operation_id.clone(),
        method: op.http_method.as_str().to_owned(),
        path: op.path_template.clone(),
        pointer: operation_pointer(op),
        deprecated: op.deprecated,
        path_params: op.path_params.iter().map(|p| param_record(p, "path")).collect(),
        params: op.params_struct.as_ref().map(|p| p.type_name.clone()),
        body: op.body.as_ref().map(|body| {
            let (ty, encoding) = match &body.encoding {
                BodyEncoding::Json => (rust_type(&body.ty), "json".to_owned()),
                BodyEncoding::Form => (rust_type(&body.ty), "form".to_owned()),
                // A typed form is taken whole (its type is a `Kind::Form`); an untyped one as
                // reqwest's own.
                BodyEncoding::Multipart => (rust_type(&body.ty), "multipart".to_owned()),
                BodyEncoding::UntypedMultipart => {
                    ("reqwest::multipart::Form".to_owned(), "multipart (untyped)".to_owned())
                }
                BodyEncoding::Text { media_type } => ("&str".to_owned(), media_type.clone()),
                BodyEncoding::Bytes { media_type } => ("Vec<u8>".to_owned(), media_type.clone()),
            };
            BodyRecord { ty, required: body.required, encoding }
        }),
        response: response_type(&op.response),
        error: op.error_body.as_ref().map(rust_type),
        events: op.events.as_ref().map(|events| StreamRecord {
            method: events.method_name.clone(),
            item: event_data_type(&events.data),
        }),
        pagination: op
            .pagination
            .as_ref()
            .map(|pages| StreamRecord { method: pages.method_name.clone(), item: rust_type(&pages.item) }),
    }
}

fn response_type(body: &ResponseBody) -> String {
    match body {
        ResponseBody::Json(ty) => rust_type(ty),
        ResponseBody::Text => "String (text)".to_owned(),
        ResponseBody::Bytes => "Vec<u8> (bytes)".to_owned(),
        ResponseBody::Empty => "()".to_owned(),
        ResponseBody::ByStatus(name) => name.clone(),
    }
}

fn event_data_type(data: &EventData) -> String {
    match data {
        EventData::Json(ty) => rust_type(ty),
        EventData::Text => "String (text)".to_owned(),
        EventData::Named(name) => name.clone(),
    }
}

fn empty_type(pointer: String, kind: Kind) -> TypeRecord {
    TypeRecord {
        pointer,
        kind,
        sent: false,
        received: false,
        fields: Vec::new(),
        additional: None,
        tag: None,
        values: Vec::new(),
        variants: Vec::new(),
        target: None,
    }
}

fn type_record(def: &TypeDef, directions: &Directions) -> TypeRecord {
    let base = TypeRecord {
        sent: directions.sent.contains(&def.name),
        received: directions.received.contains(&def.name),
        ..empty_type(def.origin.clone(), Kind::Struct)
    };
    match &def.kind {
        TypeKind::Struct(s) => TypeRecord {
            fields: s.fields.iter().map(field_record).collect(),
            additional: s.additional.as_ref().map(|a| rust_type(&a.ty)),
            ..base
        },
        TypeKind::TaggedEnum(e) => TypeRecord {
            kind: Kind::TaggedEnum,
            tag: Some(e.tag.clone()),
            variants: e
                .variants
                .iter()
                .map(|v| VariantRecord {
                    rust: v.rust_name.clone(),
                    wire: Some(v.tag_value.clone()),
                    ty: None,
                    fields: v.fields.iter().map(field_record).collect(),
                })
                .collect(),
            ..base
        },
        TypeKind::UntaggedEnum(variants) => TypeRecord {
            kind: Kind::UntaggedEnum,
            variants: variants
                .iter()
                .map(|v| VariantRecord {
                    rust: v.rust_name.clone(),
                    wire: None,
                    ty: Some(rust_type(&v.ty)),
                    fields: Vec::new(),
                })
                .collect(),
            ..base
        },
        TypeKind::StringEnum(values) => TypeRecord {
            kind: Kind::StringEnum,
            values: values
                .iter()
                .map(|v| ValueRecord { rust: v.rust_name.clone(), wire: v.wire_value.clone() })
                .collect(),
            ..base
        },
        TypeKind::Alias(ty) => TypeRecord { kind: Kind::Alias, target: Some(rust_type(ty)), ..base },
        TypeKind::Newtype(ty) => TypeRecord { kind: Kind::Newtype, target: Some(rust_type(ty)), ..base },
        TypeKind::StatusEnum(variants) => TypeRecord {
            kind: Kind::StatusEnum,
            variants: variants
                .iter()
                .map(|v| VariantRecord {
                    rust: v.rust_name.clone(),
                    wire: Some(match v.status {
                        StatusMatch::Code(code) => code.to_string(),
                        StatusMatch::Range(hundreds) => format!("{hundreds}XX"),
                    }),
                    ty: Some(response_type(&v.body)),
                    fields: Vec::new(),
                })
                .collect(),
            ..base
        },
        TypeKind::Form(parts) => {
            TypeRecord { kind: Kind::Form, fields: parts.iter().map(part_record).collect(), ..base }
        }
        TypeKind::EventEnum(variants) => TypeRecord {
            kind: Kind::EventEnum,
            variants: variants
                .iter()
                .map(|v| VariantRecord {
                    rust: v.rust_name.clone(),
                    wire: Some(v.event_name.clone()),
                    ty: Some(event_data_type(&v.data)),
                    fields: Vec::new(),
                })
                .collect(),
            ..base
        },
    }
}

fn field_record(field: &Field) -> FieldRecord {
    let Constraints { min_length, max_length, minimum, maximum } = field.constraints.clone();
    FieldRecord {
        rust: field.rust_name.clone(),
        wire: field.wire_name.clone(),
        ty: rust_type(&field.ty),
        required: field.required,
        nullable: field.nullable,
        clearable: field.clearable,
        location: None,
        min_length,
        max_length,
        minimum,
        maximum,
    }
}

fn part_record(part: &FormPart) -> FieldRecord {
    let ty = match &part.kind {
        PartKind::Value { ty, .. } => rust_type(ty),
        PartKind::File { .. } => "FilePart".to_owned(),
        PartKind::Files { .. } => "Vec<FilePart>".to_owned(),
    };
    FieldRecord {
        rust: part.rust_name.clone(),
        wire: part.wire_name.clone(),
        ty,
        required: part.required,
        nullable: false,
        clearable: false,
        location: None,
        min_length: None,
        max_length: None,
        minimum: None,
        maximum: None,
    }
}

fn param_record(param: &Param, location: &str) -> FieldRecord {
    let Constraints { min_length, max_length, minimum, maximum } = param.constraints.clone();
    FieldRecord {
        rust: param.rust_name.clone(),
        wire: param.wire_name.clone(),
        ty: rust_type(&param.ty),
        required: param.required,
        nullable: false,
        clearable: false,
        location: Some(location.to_owned()),
        min_length,
        max_length,
        minimum,
        maximum,
    }
}

/// A type as the generated crate spells it, shortened where the path says nothing
/// (`DateTime<Utc>`, `Value`: the crate's own types can never take these names).
pub fn rust_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::SensitiveString => "SensitiveString".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::I8 => "i8".to_owned(),
        TypeRef::I16 => "i16".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::U8 => "u8".to_owned(),
        TypeRef::U16 => "u16".to_owned(),
        TypeRef::U32 => "u32".to_owned(),
        TypeRef::U64 => "u64".to_owned(),
        TypeRef::F32 => "f32".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::DateTime => "DateTime<Utc>".to_owned(),
        TypeRef::Date => "NaiveDate".to_owned(),
        TypeRef::Uuid => "Uuid".to_owned(),
        TypeRef::Json => "Value".to_owned(),
        TypeRef::JsonObject => "Map<String, Value>".to_owned(),
        TypeRef::Vec(inner) => format!("Vec<{}>", rust_type(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", rust_type(inner)),
        TypeRef::Named(name) => name.clone(),
        TypeRef::Boxed(inner) => format!("Box<{}>", rust_type(inner)),
        TypeRef::Nullable(inner) => format!("Option<{}>", rust_type(inner)),
        TypeRef::Unit => "()".to_owned(),
    }
}

/// Which named types the client sends and which it receives, at any depth.
struct Directions {
    sent: BTreeSet<String>,
    received: BTreeSet<String>,
}

impl Directions {
    fn of(api: &Api, types: &[&TypeDef], operations: &[(String, &Operation)]) -> Directions {
        let mut received_roots: Vec<&TypeRef> = api.error_body.iter().collect();
        let mut received_names: Vec<&str> = Vec::new();
        for (_, op) in operations {
            match &op.response {
                ResponseBody::Json(ty) => received_roots.push(ty),
                ResponseBody::ByStatus(name) => received_names.push(name),
                _ => {}
            }
            received_roots.extend(op.error_body.iter());
            if let Some(events) = &op.events {
                match &events.data {
                    EventData::Json(ty) => received_roots.push(ty),
                    EventData::Named(name) => received_names.push(name),
                    EventData::Text => {}
                }
            }
        }
        let names = |roots: Vec<&TypeRef>, extra: Vec<&str>| -> Vec<String> {
            roots.into_iter().flat_map(TypeRef::names).chain(extra).map(str::to_owned).collect()
        };
        let kinds: BTreeMap<&str, &TypeKind> =
            types.iter().map(|def| (def.name.as_str(), &def.kind)).collect();
        Directions {
            sent: api.root.sent_types(&kinds, |_| true).into_iter().map(str::to_owned).collect(),
            received: reachable(types, names(received_roots, received_names)),
        }
    }
}

/// The names of `roots` and of every type they hold, at any depth.
fn reachable(types: &[&TypeDef], roots: Vec<String>) -> BTreeSet<String> {
    let by_name: BTreeMap<&str, &TypeDef> = types.iter().map(|def| (def.name.as_str(), *def)).collect();
    let mut seen = BTreeSet::new();
    let mut pending = roots;
    while let Some(name) = pending.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(def) = by_name.get(name.as_str()) else { continue };
        let mut held: Vec<String> =
            def.kind.held_types().into_iter().flat_map(TypeRef::names).map(str::to_owned).collect();
        // Status and event enums hold their bodies' types too (`held_types` leaves them out).
        match &def.kind {
            TypeKind::StatusEnum(variants) => {
                for variant in variants {
                    match &variant.body {
                        ResponseBody::Json(ty) => held.extend(ty.names().into_iter().map(str::to_owned)),
                        ResponseBody::ByStatus(name) => held.push(name.clone()),
                        _ => {}
                    }
                }
            }
            TypeKind::EventEnum(variants) => {
                for variant in variants {
                    match &variant.data {
                        EventData::Json(ty) => held.extend(ty.names().into_iter().map(str::to_owned)),
                        EventData::Named(name) => held.push(name.clone()),
                        EventData::Text => {}
                    }
                }
            }
            _ => {}
        }
        pending.extend(held);
    }
    seen
}
