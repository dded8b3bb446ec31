//! The intermediate representation between the OpenAPI document and Rust tokens.
//!
//! Everything here is plain data: `$ref`s are resolved, every name is a final Rust
//! identifier, and every list is in a deterministic order. Emitting code from it cannot fail.

use std::collections::{BTreeMap, BTreeSet};

/// A whole API, ready to be emitted as a client crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub crate_name: String,
    pub title: String,
    pub description: Option<String>,
    pub version: String,
    pub spec_path: String,
    /// First entry of `servers`, if any.
    pub default_base_url: Option<String>,
    /// Prefix of the environment variables the client reads, e.g. `KEYCARD_API`.
    pub env_prefix: String,
    pub auth: Auth,
    /// The type of the body of error responses, when the operations agree on one.
    pub error_body: Option<TypeRef>,
    /// Named types, sorted by name.
    pub types: Vec<TypeDef>,
    /// The types that `types` has as aliases of another type of the same shape (see
    /// `lower/dedup.rs`), each as it was lowered, sorted by name: by name, the API has them as
    /// types of their own, and that is what its record describes.
    pub merged: Vec<TypeDef>,
    /// Resource tree; the root holds operations whose path has no literal segment.
    pub root: Resource,
    /// Which Cargo feature compiles which resources and types (none for most small APIs).
    pub features: FeaturePlan,
}

/// The crate's Cargo features, one per top-level resource, and what each one compiles: a user
/// who needs one resource compiles only it and the types its operations use.
///
/// Every gated item is compiled when any feature that needs it is on. What is not listed here
/// is always compiled.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeaturePlan {
    /// The resource features, in the order of the resource tree; empty when the crate has
    /// none (fewer than two top-level resources).
    pub features: Vec<Feature>,
    /// The gate of each gated resource handle, by its type name (a feature's resource and
    /// every resource below it).
    pub resources: BTreeMap<String, Gate>,
    /// The gate of each gated named type and params struct, by its name.
    pub types: BTreeMap<String, Gate>,
    /// The gate of each gated variant, by its enum's name and its own: an object variant of a
    /// received union of an id and objects comes with its object's features.
    pub variants: BTreeMap<String, BTreeMap<String, Gate>>,
    /// The gate of each gated field, by its struct's name and its own: a field of the error
    /// body that holds an object an operation returns comes with that object's features.
    pub fields: BTreeMap<String, BTreeMap<String, Gate>>,
}

impl FeaturePlan {
    /// The gate of a named type or params struct; `None`: always compiled.
    pub fn type_gate(&self, name: &str) -> Option<&Gate> {
        self.types.get(name)
    }

    /// The gate of a variant of an enum; `None`: compiled with its enum.
    pub fn variant_gate(&self, enum_name: &str, variant: &str) -> Option<&Gate> {
        self.variants.get(enum_name)?.get(variant)
    }

    /// The gate of a field of a struct; `None`: compiled with its struct.
    pub fn field_gate(&self, struct_name: &str, field: &str) -> Option<&Gate> {
        self.fields.get(struct_name)?.get(field)
    }

    /// The gate of a resource handle; `None`: always compiled.
    pub fn resource_gate(&self, type_name: &str) -> Option<&Gate> {
        self.resources.get(type_name)
    }
}

/// One Cargo feature of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The feature's name in `Cargo.toml`, e.g. `payment-intents`.
    pub name: String,
    /// The type name of the resource handle it compiles, e.g. `V1PaymentIntents`.
    pub resource: String,
    /// How a user reaches the resource, e.g. `client.v1().payment_intents()`, for the docs.
    pub accessor_path: String,
    /// The literal path prefix of the resource, e.g. `/v1/payment_intents`, for the docs.
    pub path_prefix: String,
}

/// Under which features an item is compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// When any of these features is on (in the plan's order; never all of them).
    AnyOf(Vec<String>),
    /// Only with `full`: a type no operation uses (a component, a webhook's payload).
    Full,
}

/// How the client authenticates, from the document's security schemes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    None,
    /// Some bearer token the user supplies (HTTP bearer, or OAuth2 without a flow we run).
    Bearer,
    /// OAuth2 client credentials: the client fetches and refreshes tokens itself.
    ClientCredentials {
        token_url: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub docs: Option<String>,
    /// Where the schema sits in the document (a JSON pointer), for docs and messages.
    pub origin: String,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    /// `oneOf` with a discriminator: an internally tagged enum.
    TaggedEnum(TaggedEnum),
    /// `oneOf`/`anyOf` without a discriminator: the first variant that decodes wins.
    UntaggedEnum(Vec<UntaggedVariant>),
    StringEnum(Vec<EnumValue>),
    Alias(TypeRef),
    /// Like an alias, but a type of its own: Rust type aliases cannot refer to themselves.
    Newtype(TypeRef),
    /// The result of an operation whose successful responses differ by status.
    StatusEnum(Vec<StatusVariant>),
    /// The events of a `text/event-stream` whose document names them: a variant per `event:`
    /// name, told apart by that name, not by the data.
    EventEnum(Vec<EventVariant>),
    /// A `multipart/form-data` body: a part per property of its schema.
    Form(Vec<FormPart>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FormPart {
    pub rust_name: String,
    /// The part's name on the wire.
    pub wire_name: String,
    pub docs: Option<String>,
    pub required: bool,
    pub kind: PartKind,
}

/// How a property goes into a form, from its schema.
#[derive(Debug, Clone, PartialEq)]
pub enum PartKind {
    /// A value as OpenAPI's defaults send it: one piece of text (as a parameter would be), a
    /// list of such pieces as a part each, or else JSON in a part of its own with
    /// `content_type`. Which of these depends on the kinds of the named types, so emitting
    /// decides.
    Value { ty: TypeRef, content_type: String },
    /// Binary content (`format: binary`, 3.1's `contentMediaType`): a file.
    File { content_type: String },
    /// A list of files: a part each, all with the same name.
    Files { content_type: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventVariant {
    pub rust_name: String,
    /// The `event:` name on the wire.
    pub event_name: String,
    pub docs: Option<String>,
    pub data: EventData,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    pub rust_name: String,
    pub status: StatusMatch,
    pub body: ResponseBody,
    pub docs: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Code(u16),
    /// `2XX`: the hundreds digit.
    Range(u16),
}

/// What a successful response carries, and so how it is decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    Json(TypeRef),
    Text,
    Bytes,
    Empty,
    /// Several bodies told apart by status: the named [`TypeKind::StatusEnum`].
    ByStatus(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties: {schema}` beside `properties`: the other keys, in a map.
    pub additional: Option<AdditionalProperties>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AdditionalProperties {
    pub rust_name: String,
    /// The type of each value.
    pub ty: TypeRef,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub rust_name: String,
    pub wire_name: String,
    pub docs: Option<String>,
    pub ty: TypeRef,
    pub required: bool,
    /// Required but `nullable`: always sent, `null` allowed.
    pub nullable: bool,
    /// Optional and `nullable` in a type sent in requests: left out, `null` (which clears it, in
    /// a PATCH) and a value are three different requests, so the field is a `Patch`.
    pub clearable: bool,
    pub constraints: Constraints,
}

impl Field {
    /// Whether the field may be missing or null: an `Option`, or a `Patch` if it is clearable.
    pub fn is_optional(&self) -> bool {
        !self.required || self.nullable
    }
}

impl TypeKind {
    /// Every type a value of this kind holds: fields, the values of additional properties,
    /// variants, an alias's target. (Event and status enums hold none that other types share.)
    pub fn held_types(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(s) => {
                s.fields.iter().map(|f| &f.ty).chain(s.additional.iter().map(|a| &a.ty)).collect()
            }
            TypeKind::TaggedEnum(e) => {
                e.variants.iter().flat_map(|v| v.fields.iter().map(|f| &f.ty)).collect()
            }
            TypeKind::UntaggedEnum(variants) => variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
            TypeKind::Form(parts) => parts.iter().filter_map(|part| part.kind.value_type()).collect(),
            TypeKind::StringEnum(_) | TypeKind::StatusEnum(_) | TypeKind::EventEnum(_) => Vec::new(),
        }
    }
}

impl PartKind {
    /// The type of the value the part holds, unless it is a file.
    pub fn value_type(&self) -> Option<&TypeRef> {
        match self {
            PartKind::Value { ty, .. } => Some(ty),
            PartKind::File { .. } | PartKind::Files { .. } => None,
        }
    }
}

impl TypeRef {
    /// Every named type this one mentions, at any depth.
    pub fn names(&self) -> Vec<&str> {
        match self {
            TypeRef::Named(name) => vec![name.as_str()],
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => {
                inner.names()
            }
            _ => Vec::new(),
        }
    }
}

/// Value constraints from the schema, checked by the client before sending.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaggedEnum {
    /// Wire name of the discriminator property.
    pub tag: String,
    pub variants: Vec<TaggedVariant>,
    /// Name of the catch-all variant that keeps values with an unknown tag.
    pub unknown_variant: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaggedVariant {
    pub rust_name: String,
    /// The discriminator value.
    pub tag_value: String,
    pub docs: Option<String>,
    /// The variant schema's properties, without the discriminator.
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedVariant {
    pub rust_name: String,
    pub docs: Option<String>,
    pub ty: TypeRef,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    pub rust_name: String,
    pub wire_value: String,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    String,
    /// `format: password`: redacted in `Debug`, zeroized on drop.
    SensitiveString,
    Bool,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F32,
    F64,
    DateTime,
    Date,
    Uuid,
    /// Any JSON value.
    Json,
    /// A free-form JSON object.
    JsonObject,
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
    Named(String),
    /// A value kept behind a pointer because the type contains itself.
    Boxed(Box<TypeRef>),
    /// `Option<T>`: an array item or map value that may be null.
    Nullable(Box<TypeRef>),
    /// No content (responses without a body).
    Unit,
}

impl TypeRef {
    /// Integers and floating-point numbers.
    pub fn is_number(&self) -> bool {
        matches!(
            self,
            TypeRef::I8
                | TypeRef::I16
                | TypeRef::I32
                | TypeRef::I64
                | TypeRef::U8
                | TypeRef::U16
                | TypeRef::U32
                | TypeRef::U64
                | TypeRef::F32
                | TypeRef::F64
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The literal path segment the resource stands for, as the document writes it
    /// (`payment_intents`); empty for the root.
    pub segment: String,
    /// Accessor method name on the parent; empty for the root.
    pub accessor: String,
    /// Struct name of the handle; empty for the root (operations go on the client).
    pub type_name: String,
    /// The literal path prefix, e.g. `/zones/{zone_id}/secrets`, for docs.
    pub path_prefix: String,
    pub operations: Vec<Operation>,
    pub children: Vec<Resource>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub method_name: String,
    pub operation_id: String,
    pub http_method: HttpMethod,
    pub path_template: String,
    pub path: Vec<PathPart>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub path_params: Vec<Param>,
    /// Query and header parameters, gathered into one `<Operation>Params` struct.
    pub params_struct: Option<ParamsStruct>,
    /// The header the client fills with a per-call UUID, reused across retries.
    pub request_id_header: Option<String>,
    pub body: Option<RequestBody>,
    pub response: ResponseBody,
    /// The body its error responses declare (the crate's `ErrorBody` is shared by all).
    pub error_body: Option<TypeRef>,
    pub deprecated: bool,
    /// The operation answers with server-sent events: a method returning a stream of them.
    pub events: Option<Events>,
    /// The operation lists items a page at a time: a method returning a stream of the items.
    pub pagination: Option<Pagination>,
}

/// A `text/event-stream` response (see `lower/events.rs` for what documents are read).
#[derive(Debug, Clone, PartialEq)]
pub struct Events {
    /// The streaming method: the operation's own name when events are its only successful
    /// response (then there is no other method), else `<name>_stream`.
    pub method_name: String,
    /// Whether the operation has no other successful response than the events.
    pub only: bool,
    pub data: EventData,
    /// A `data:` value that ends the stream instead of being an event (`[DONE]`).
    pub terminator: Option<String>,
    /// Where the event schema is described, for the docs.
    pub origin: String,
}

/// How the `data:` of an event is read.
#[derive(Debug, Clone, PartialEq)]
pub enum EventData {
    /// JSON of this type.
    Json(TypeRef),
    /// As it is, a string: the document gives no schema, or a string one.
    Text,
    /// The [`TypeKind::EventEnum`] of this name: decoded by the `event:` name.
    Named(String),
}

/// How to go from one page of a list to the next (see `lower/pagination.rs` for the rules).
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// `<name>_all`: the stream of items, beside the single-page method.
    pub method_name: String,
    /// The page body's type (the operation's JSON response).
    pub page: TypeRef,
    pub item: TypeRef,
    /// Where the items are in the page.
    pub items: Access,
    pub rule: PageRule,
    /// A boolean field of the page that says whether another page follows (`has_more`).
    pub more: Option<FieldAccess>,
    /// What was recognised, in words, for the docs (`a cursor: `next_cursor` sent back as the
    /// `cursor` query parameter`).
    pub description: String,
}

/// Where a value is in a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Access {
    /// The page body is the list itself.
    Whole,
    Field(FieldAccess),
}

/// A field of a struct, with what its Rust type needs to be read.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldAccess {
    pub rust_name: String,
    /// The field is an `Option`.
    pub optional: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PageRule {
    /// The `Link` response header's `rel="next"` URL.
    LinkHeader,
    /// A URL of the next page, in this string field of the page.
    NextUrl(FieldAccess),
    /// A cursor sent back as the query parameter `param`, read from `source`.
    Cursor { param: String, source: CursorSource },
    /// The query parameter `param` counts items: the next page starts after this one's.
    Offset { param: String },
    /// The query parameter `param` numbers pages, from 1.
    PageNumber { param: String },
}

#[derive(Debug, Clone, PartialEq)]
pub enum CursorSource {
    /// A string field of the page (`next_cursor`, `last_id`).
    Field(FieldAccess),
    /// The string field of the page's last item (`id`).
    LastItem(FieldAccess),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Resource {
    /// This resource and every resource below it, parents before children, in tree order.
    /// A loop, not recursion: the depth of the tree is the document's to choose.
    pub fn descendants(&self) -> Vec<&Resource> {
        let mut found = Vec::new();
        let mut pending = vec![self];
        while let Some(resource) = pending.pop() {
            found.push(resource);
            pending.extend(resource.children.iter().rev());
        }
        found
    }

    /// The named types the operations of this resource and those below it send, at any
    /// depth: parameters, and the bodies whose encoding `sends` accepts.
    pub fn sent_types<'a>(
        &'a self,
        kinds: &BTreeMap<&'a str, &'a TypeKind>,
        sends: impl Fn(&BodyEncoding) -> bool,
    ) -> BTreeSet<&'a str> {
        let mut pending: Vec<&TypeRef> = Vec::new();
        for operation in self.descendants().into_iter().flat_map(|resource| &resource.operations) {
            pending.extend(operation.path_params.iter().map(|param| &param.ty));
            pending.extend(
                operation.params_struct.iter().flat_map(|params| params.all()).map(|param| &param.ty),
            );
            pending.extend(operation.body.iter().filter(|body| sends(&body.encoding)).map(|body| &body.ty));
        }
        let mut sent = BTreeSet::new();
        while let Some(ty) = pending.pop() {
            for name in ty.names() {
                if let Some((&name, kind)) = kinds.get_key_value(name) {
                    if sent.insert(name) {
                        pending.extend(kind.held_types());
                    }
                }
            }
        }
        sent
    }

    /// Every params struct of this resource and the resources below it, in tree order.
    pub fn params_structs(&self) -> Vec<&ParamsStruct> {
        self.descendants()
            .into_iter()
            .flat_map(|resource| resource.operations.iter().filter_map(|op| op.params_struct.as_ref()))
            .collect()
    }
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    /// Index into `Operation::path_params`.
    Param(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub rust_name: String,
    pub wire_name: String,
    pub docs: Option<String>,
    pub ty: TypeRef,
    pub required: bool,
    pub constraints: Constraints,
    pub style: ParamStyle,
    pub explode: bool,
    /// Declared with `content: application/json`: sent as JSON text.
    pub json_content: bool,
}

/// How a parameter is serialized (OpenAPI's `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    Form,
    Simple,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    Matrix,
    Label,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParamsStruct {
    pub type_name: String,
    /// The operation's id (or method and path), for docs.
    pub operation_id: String,
    pub query: Vec<Param>,
    pub headers: Vec<Param>,
    pub cookies: Vec<Param>,
}

impl ParamsStruct {
    /// All parameters, in the order of the struct's fields.
    pub fn all(&self) -> impl Iterator<Item = &Param> {
        self.query.iter().chain(&self.headers).chain(&self.cookies)
    }

    /// The parameters as the fields of the struct: never nullable, so never a `Patch`.
    pub fn fields(&self) -> Vec<Field> {
        self.all()
            .map(|p| Field {
                rust_name: p.rust_name.clone(),
                wire_name: p.wire_name.clone(),
                docs: p.docs.clone(),
                ty: p.ty.clone(),
                required: p.required,
                nullable: false,
                clearable: false,
                constraints: p.constraints.clone(),
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Option<String>,
    pub encoding: BodyEncoding,
}

/// How a request body goes on the wire, from its media type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyEncoding {
    Json,
    /// `application/x-www-form-urlencoded`
    Form,
    /// `multipart/form-data` with the parts known: the body type is a [`TypeKind::Form`].
    Multipart,
    /// `multipart/form-data` whose schema names no parts: the caller builds the form.
    UntypedMultipart,
    /// `text/*`, sent as the given string.
    Text {
        media_type: String,
    },
    /// Any other media type, sent as the given bytes.
    Bytes {
        media_type: String,
    },
}
