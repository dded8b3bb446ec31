//! Lowering schemas: every schema becomes a [`TypeRef`], and every schema that needs a Rust
//! type of its own (objects, enums, `oneOf`s, ...) becomes a named [`TypeDef`].

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ObjectType, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::refs::{self, component_name};
use super::Ctx;
use crate::error::{Error, Pointer, Warning};
use crate::ir::{Constraints, EnumValue, TypeDef, TypeKind, TypeRef};
use crate::markdown::code;
use crate::names::{self, Scope};

mod forms;
mod objects;
mod unions;

/// Names reserved in the type namespace: the crate's own items that share `types`' users.
const RESERVED_TYPE_NAMES: &[&str] = &["Option", "Result", "Vec", "String", "Box", "Value", "Map"];

/// How deep `allOf` members may nest in one another, so that merging stays well within the
/// stack.
const MAX_ALLOF_DEPTH: usize = 64;

/// A schema or a `$ref` to one, whichever way the document boxes it.
#[derive(Debug, Clone, Copy)]
pub enum SchemaRef<'d> {
    Reference(&'d str),
    Item(&'d Schema),
}

impl<'d> From<&'d ReferenceOr<Schema>> for SchemaRef<'d> {
    fn from(value: &'d ReferenceOr<Schema>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SchemaRef::Reference(reference),
            ReferenceOr::Item(schema) => SchemaRef::Item(schema),
        }
    }
}

impl<'d> From<&'d ReferenceOr<Box<Schema>>> for SchemaRef<'d> {
    fn from(value: &'d ReferenceOr<Box<Schema>>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SchemaRef::Reference(reference),
            ReferenceOr::Item(schema) => SchemaRef::Item(schema),
        }
    }
}

impl<'d> SchemaRef<'d> {
    fn resolve(self, ctx: &Ctx<'d>, at: &Pointer) -> Result<(&'d Schema, Pointer), Error> {
        match self {
            SchemaRef::Reference(reference) => refs::resolve_reference(ctx, reference, at),
            SchemaRef::Item(schema) => Ok((schema, at.clone())),
        }
    }
}

/// A schema lowered to the type a value of it has, and whether `null` is allowed.
#[derive(Debug, Clone, PartialEq)]
pub struct Lowered {
    pub ty: TypeRef,
    pub nullable: bool,
    pub constraints: Constraints,
    pub docs: Option<String>,
    /// `readOnly`: only in responses.
    pub read_only: bool,
    /// `writeOnly`: only in requests.
    pub write_only: bool,
}

impl Lowered {
    /// A value of a built-in type with nothing else known about it.
    pub fn plain(ty: TypeRef) -> Self {
        Lowered {
            ty,
            nullable: false,
            constraints: Constraints::default(),
            docs: None,
            read_only: false,
            write_only: false,
        }
    }

    /// The type, in an `Option` when null is allowed: for array items and map values, where
    /// no field carries the `Option`.
    pub fn nullable_ty(self) -> TypeRef {
        if self.nullable {
            TypeRef::Nullable(Box::new(self.ty))
        } else {
            self.ty
        }
    }

    fn of(ty: TypeRef, schema: &Schema) -> Self {
        Lowered {
            ty,
            nullable: is_nullable(schema),
            constraints: Constraints::default(),
            docs: docs_of(schema),
            read_only: schema.schema_data.read_only,
            write_only: schema.schema_data.write_only,
        }
    }
}

/// Collects named types while schemas are lowered on demand.
pub struct TypeRegistry<'d> {
    ctx: Ctx<'d>,
    scope: Scope,
    /// Component schema name to Rust type name, claimed up front so components win names.
    component_names: BTreeMap<String, String>,
    /// Components whose lowering has started (guards recursion).
    started: BTreeSet<String>,
    /// Inline schemas already lowered, by where they sit in the document.
    inline_types: BTreeMap<String, String>,
    /// Components named by a reference and not lowered yet.
    pending: std::collections::VecDeque<String>,
    /// The `allOf` members being merged, innermost last (guards `allOf` cycles).
    expanding: Vec<Pointer>,
    types: BTreeMap<String, TypeDef>,
    warnings: Vec<Warning>,
}

impl<'d> TypeRegistry<'d> {
    pub fn new(ctx: Ctx<'d>) -> Self {
        let mut scope = Scope::with_reserved(RESERVED_TYPE_NAMES.iter().copied());
        let mut component_names = BTreeMap::new();
        if let Some(components) = &ctx.doc.components {
            let mut keys: Vec<&String> = components.schemas.keys().collect();
            keys.sort();
            for key in keys {
                component_names.insert(key.clone(), scope.claim(names::type_name(key)));
            }
        }
        Self {
            ctx,
            scope,
            component_names,
            started: BTreeSet::new(),
            expanding: Vec::new(),
            pending: Default::default(),
            inline_types: BTreeMap::new(),
            types: BTreeMap::new(),
            warnings: Vec::new(),
        }
    }

    /// Claims a type name for something that is not a component schema (e.g. a params struct).
    pub fn claim_name(&mut self, raw: &str) -> String {
        self.scope.claim(names::type_name(raw))
    }

    pub fn insert(&mut self, def: TypeDef) {
        self.types.insert(def.name.clone(), def);
    }

    /// Lowers the queued components and every other component schema, except those that only
    /// serve as a variant of a discriminated `oneOf` (their fields live in the enum's variant).
    /// Call it after the operations: a variant component that anything else references was
    /// queued by that reference, and is lowered here too.
    pub fn lower_remaining_components(&mut self) -> Result<(), Error> {
        let Some(components) = &self.ctx.doc.components else { return Ok(()) };
        let variant_only = self.discriminated_variants();
        let mut keys: Vec<&String> = components.schemas.keys().collect();
        keys.sort();
        for key in keys {
            if !variant_only.contains(key) {
                self.component(key);
            }
        }
        self.drain()
    }

    pub fn finish(self) -> (Vec<TypeDef>, Vec<Warning>) {
        (self.types.into_values().collect(), self.warnings)
    }

    /// Components listed as variants of a discriminated `oneOf` component.
    fn discriminated_variants(&self) -> BTreeSet<String> {
        let Some(components) = &self.ctx.doc.components else { return BTreeSet::new() };
        let mut variants = BTreeSet::new();
        for schema in components.schemas.values() {
            if let ReferenceOr::Item(Schema { schema_data, schema_kind: SchemaKind::OneOf { one_of } }) =
                schema
            {
                if schema_data.discriminator.is_some() {
                    for variant in one_of {
                        if let ReferenceOr::Reference { reference } = variant {
                            if let Some(name) = component_name::<Schema>(reference) {
                                variants.insert(refs::unescape(name));
                            }
                        }
                    }
                }
            }
        }
        variants
    }

    /// Lowers the component schema `key` if needed and returns its Rust name.
    /// The Rust name of the component schema `key`, queued to be lowered if it was not yet.
    /// A queue, not recursion: a chain of thousands of references must not grow the stack.
    fn component(&mut self, key: &str) -> String {
        if self.started.insert(key.to_owned()) {
            self.pending.push_back(key.to_owned());
        }
        self.component_names[key].clone()
    }

    /// Lowers queued components until none is left.
    fn drain(&mut self) -> Result<(), Error> {
        while let Some(key) = self.pending.pop_front() {
            self.define_component(&key)?;
        }
        Ok(())
    }

    fn define_component(&mut self, key: &str) -> Result<(), Error> {
        let name = self.component_names[key].clone();
        let at = Pointer::root().join("components").join("schemas").join(key);
        let entry =
            &self.ctx.doc.components.as_ref().expect("component names come from components").schemas[key];
        if let ReferenceOr::Reference { reference } = entry {
            // A component that is only a `$ref` is another name for its target.
            let target = self.lower(SchemaRef::Reference(reference), &at, &name)?;
            let kind = TypeKind::Alias(target.ty);
            self.check_not_self_alias(&name, key, &kind, &at)?;
            self.insert(TypeDef { name, docs: target.docs, origin: at.to_string(), kind });
            return Ok(());
        }
        let (schema, at) = refs::resolve(&self.ctx, entry, &at)?;
        let docs = docs_of(schema);
        let kind = match self.nominal_kind(&name, schema, &at)? {
            Some(kind) => kind,
            // Nullability is not part of the alias: each use of it says `Option` itself.
            None => TypeKind::Alias(self.lower_item(schema, &at, &name)?.ty),
        };
        self.check_not_self_alias(&name, key, &kind, &at)?;
        self.insert(TypeDef { name, docs, origin: at.to_string(), kind });
        Ok(())
    }

    /// `A: {$ref: A}` or `A: {allOf: [$ref: A]}` defines nothing.
    fn check_not_self_alias(
        &self,
        name: &str,
        key: &str,
        kind: &TypeKind,
        at: &Pointer,
    ) -> Result<(), Error> {
        if *kind != TypeKind::Alias(TypeRef::Named(name.to_owned())) {
            return Ok(());
        }
        Err(Error::Invalid {
            origin: self.ctx.origin.to_owned(),
            pointer: at.clone(),
            message: format!("schema `{key}` is defined only as itself"),
        })
    }

    /// Lowers a schema found at `at`; `hint` names any inline type it needs.
    pub fn lower(
        &mut self,
        schema: impl Into<SchemaRef<'d>>,
        at: &Pointer,
        hint: &str,
    ) -> Result<Lowered, Error> {
        let schema = schema.into();
        match schema {
            SchemaRef::Reference(reference) => {
                if let Some(key) = component_name::<Schema>(reference).map(refs::unescape) {
                    if self.component_names.contains_key(&key) {
                        let (target, _) = schema.resolve(&self.ctx, at)?;
                        let name = self.component(&key);
                        return Ok(Lowered::of(TypeRef::Named(name), target));
                    }
                }
                let (target, target_at) = schema.resolve(&self.ctx, at)?;
                self.lower_item(target, &target_at, hint)
            }
            SchemaRef::Item(item) => self.lower_item(item, at, hint),
        }
    }

    fn lower_item(&mut self, schema: &'d Schema, at: &Pointer, hint: &str) -> Result<Lowered, Error> {
        let mut lowered = Lowered::of(TypeRef::Json, schema);
        self.check_default(schema, at);
        lowered.docs = with_default(lowered.docs, schema);
        let wrapped = match self.allof_wrapper(schema) {
            Some(single) => Some((SchemaRef::from(single), at.join("allOf").join(0))),
            None => self.nullable_union(schema, at),
        };
        if let Some((single, single_at)) = wrapped {
            let inner = self.lower(single, &single_at, hint)?;
            lowered.ty = inner.ty;
            lowered.nullable |= inner.nullable || self.has_null_member(schema);
            lowered.constraints = inner.constraints;
            lowered.docs = lowered.docs.or(inner.docs);
            lowered.read_only |= inner.read_only;
            lowered.write_only |= inner.write_only;
            return Ok(lowered);
        }
        if self.has_null_member(schema) {
            lowered.nullable = true;
        }
        if self.is_nominal(schema) {
            // An inline schema inside a shared component (a parameter, a response) is met once
            // per operation that uses it, but is one type.
            if let Some(name) = self.inline_types.get(&at.to_string()) {
                lowered.ty = TypeRef::Named(name.clone());
                return Ok(lowered);
            }
            let hint = component_hint(at).unwrap_or_else(|| hint.to_owned());
            let name = self.scope.claim(names::type_name(&hint));
            self.inline_types.insert(at.to_string(), name.clone());
            let kind = self.nominal_kind(&name, schema, at)?.expect("is_nominal agrees with nominal_kind");
            self.insert(TypeDef { name: name.clone(), docs: docs_of(schema), origin: at.to_string(), kind });
            lowered.ty = TypeRef::Named(name);
            return Ok(lowered);
        }
        lowered.ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                lowered.constraints.min_length = s.min_length;
                lowered.constraints.max_length = s.max_length;
                match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Password) => TypeRef::SensitiveString,
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => TypeRef::Uuid,
                    _ => TypeRef::String,
                }
            }
            SchemaKind::Type(Type::Integer(i)) => {
                lowered.docs = allowed_values(lowered.docs, i.enumeration.iter().flatten());
                // An exclusive bound of an integer is the next integer in.
                lowered.constraints.minimum =
                    i.minimum.map(|m| m as f64 + f64::from(u8::from(i.exclusive_minimum)));
                lowered.constraints.maximum =
                    i.maximum.map(|m| m as f64 - f64::from(u8::from(i.exclusive_maximum)));
                match &i.format {
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                    VariantOrUnknownOrEmpty::Unknown(format) => match format.as_str() {
                        "int8" => TypeRef::I8,
                        "int16" => TypeRef::I16,
                        "uint8" => TypeRef::U8,
                        "uint16" => TypeRef::U16,
                        "uint32" => TypeRef::U32,
                        "uint64" => TypeRef::U64,
                        _ => TypeRef::I64,
                    },
                    _ => TypeRef::I64,
                }
            }
            SchemaKind::Type(Type::Number(n)) => {
                lowered.docs = allowed_values(lowered.docs, n.enumeration.iter().flatten());
                // `.inf` and `.nan` in YAML bound nothing.
                lowered.constraints.minimum = n.minimum.filter(|m| m.is_finite());
                lowered.constraints.maximum = n.maximum.filter(|m| m.is_finite());
                match &n.format {
                    VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                    _ => TypeRef::F64,
                }
            }
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(a)) => match &a.items {
                Some(items) => {
                    let inner = self.lower(items, &at.join("items"), &format!("{hint} item"))?;
                    TypeRef::Vec(Box::new(inner.nullable_ty()))
                }
                None => {
                    self.warnings.push(Warning {
                        pointer: at.clone(),
                        message: "array schema without `items`: its items are untyped JSON".into(),
                    });
                    TypeRef::Vec(Box::new(TypeRef::Json))
                }
            },
            SchemaKind::Type(Type::Object(o)) => match &o.additional_properties {
                Some(AdditionalProperties::Schema(values)) => {
                    let inner =
                        self.lower(&**values, &at.join("additionalProperties"), &format!("{hint} value"))?;
                    TypeRef::Map(Box::new(inner.nullable_ty()))
                }
                _ => TypeRef::JsonObject,
            },
            SchemaKind::Any(any) if any.typ.as_deref() == Some("object") => TypeRef::JsonObject,
            SchemaKind::Any(any) if any.typ.as_deref() == Some("null") => {
                // `type: 'null'` is not OpenAPI 3.0, but documents use it: the value is always null.
                lowered.nullable = true;
                TypeRef::Json
            }
            SchemaKind::Any(any) if any.typ.is_some() => {
                // A known type whose keywords do not fit is read as JSON, with a warning; an
                // unknown type is an error.
                let (known, message) = self.unusable_type(any);
                if !known {
                    return Err(Error::Invalid {
                        origin: self.ctx.origin.to_owned(),
                        pointer: at.join("type"),
                        message,
                    });
                }
                if let Some(ty) = self.lower_mixed(any, at, hint, &mut lowered)? {
                    ty
                } else {
                    self.warnings.push(Warning {
                        pointer: at.clone(),
                        message: format!("{message}; read as untyped JSON"),
                    });
                    TypeRef::Json
                }
            }
            _ => TypeRef::Json,
        };
        Ok(lowered)
    }

    /// A schema with a known `type` and keywords that belong to another type (`type: string`
    /// with `allOf`, `type: number` with `maxLength`): published documents are full of them.
    /// The keywords that apply to the type are honoured and the others ignored. `None` when
    /// even that gives nothing usable.
    fn lower_mixed(
        &mut self,
        any: &'d openapiv3::AnySchema,
        at: &Pointer,
        hint: &str,
        lowered: &mut Lowered,
    ) -> Result<Option<TypeRef>, Error> {
        let typ = any.typ.as_deref().unwrap_or_default();
        let fits = |v: &serde_json::Value| match typ {
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            _ => true,
        };
        if any.enumeration.iter().any(|v| !v.is_null() && !fits(v)) {
            let values: Vec<String> = any.enumeration.iter().map(ToString::to_string).collect();
            self.warnings.push(Warning {
                pointer: at.join("enum"),
                message: format!(
                    "the `enum` values [{}] do not fit `type: {typ}`; they are ignored",
                    values.join(", ")
                ),
            });
        }
        // `type: string, allOf: [$ref]` says "a string, and one of these".
        if let [single] = any.all_of.as_slice() {
            if typ != "object" {
                let inner = self.lower(single, &at.join("allOf").join(0), hint)?;
                lowered.constraints = inner.constraints;
                return Ok(Some(inner.ty));
            }
        }
        let ty = match typ {
            "string" => {
                lowered.constraints.min_length = any.min_length;
                lowered.constraints.max_length = any.max_length;
                let values: Option<Vec<String>> = any
                    .enumeration
                    .iter()
                    .filter(|v| !v.is_null())
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect();
                match (values, any.format.as_deref()) {
                    (Some(values), _) if !values.is_empty() => {
                        let name = self.scope.claim(names::type_name(hint));
                        let kind = TypeKind::StringEnum(enum_values(&values));
                        self.insert(TypeDef {
                            name: name.clone(),
                            docs: lowered.docs.clone(),
                            origin: at.to_string(),
                            kind,
                        });
                        TypeRef::Named(name)
                    }
                    (_, Some("date-time")) => TypeRef::DateTime,
                    (_, Some("date")) => TypeRef::Date,
                    (_, Some("uuid")) => TypeRef::Uuid,
                    (_, Some("password")) => TypeRef::SensitiveString,
                    _ => TypeRef::String,
                }
            }
            "integer" => {
                lowered.constraints.minimum = any.minimum;
                lowered.constraints.maximum = any.maximum;
                if any.format.as_deref() == Some("int32") {
                    TypeRef::I32
                } else {
                    TypeRef::I64
                }
            }
            "number" => {
                lowered.constraints.minimum = any.minimum.filter(|m| m.is_finite());
                lowered.constraints.maximum = any.maximum.filter(|m| m.is_finite());
                if any.format.as_deref() == Some("float") {
                    TypeRef::F32
                } else {
                    TypeRef::F64
                }
            }
            "boolean" => TypeRef::Bool,
            "array" => match &any.items {
                Some(items) => {
                    let inner = self.lower(items, &at.join("items"), &format!("{hint} item"))?;
                    TypeRef::Vec(Box::new(inner.nullable_ty()))
                }
                None => TypeRef::Vec(Box::new(TypeRef::Json)),
            },
            "object" => match &any.additional_properties {
                Some(AdditionalProperties::Schema(values)) => {
                    let inner =
                        self.lower(&**values, &at.join("additionalProperties"), &format!("{hint} value"))?;
                    TypeRef::Map(Box::new(inner.nullable_ty()))
                }
                _ => TypeRef::JsonObject,
            },
            _ => return Ok(None),
        };
        Ok(Some(ty))
    }

    /// A schema whose `type` is unknown, or whose other keywords do not fit its `type` (the typed
    /// reading failed and it fell back to an untyped one).
    fn unusable_type(&self, any: &openapiv3::AnySchema) -> (bool, String) {
        let typ = any.typ.as_deref().unwrap_or_default();
        let message = match typ {
            "string" | "number" | "integer" | "boolean" | "array" | "object" => {
                if any.enumeration.is_empty() {
                    format!("the keywords of this `type: {typ}` schema do not fit it (check their names and value types)")
                } else {
                    let values: Vec<String> = any.enumeration.iter().map(ToString::to_string).collect();
                    format!("the `enum` values [{}] do not fit `type: {typ}`", values.join(", "))
                }
            }
            _ => {
                return (
                    false,
                    format!("unknown `type: {typ}`; it must be one of string, number, integer, boolean, array or object"),
                )
            }
        };
        (true, message)
    }

    /// `allOf: [$ref]` with nothing else is a wrapper that only adds a description or default.
    fn allof_wrapper(&self, schema: &'d Schema) -> Option<&'d ReferenceOr<Schema>> {
        match &schema.schema_kind {
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => Some(&all_of[0]),
            _ => None,
        }
    }

    /// `oneOf`/`anyOf` of one schema (and maybe `type: 'null'`, a way to say "nullable") is
    /// that schema.
    fn nullable_union(&self, schema: &'d Schema, at: &Pointer) -> Option<(SchemaRef<'d>, Pointer)> {
        let (members, key) = match &schema.schema_kind {
            SchemaKind::OneOf { one_of } if schema.schema_data.discriminator.is_none() => (one_of, "oneOf"),
            SchemaKind::AnyOf { any_of } => (any_of, "anyOf"),
            _ => return None,
        };
        let mut non_null = members.iter().enumerate().filter(|(_, m)| !is_null_schema(m));
        let (index, member) = non_null.next()?;
        non_null.next().is_none().then(|| (SchemaRef::from(member), at.join(key).join(index)))
    }

    fn has_null_member(&self, schema: &Schema) -> bool {
        match &schema.schema_kind {
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                members.iter().any(is_null_schema)
            }
            _ => false,
        }
    }

    /// A `default` that does not fit its schema is reported and otherwise ignored.
    fn check_default(&mut self, schema: &Schema, at: &Pointer) {
        let Some(default) = &schema.schema_data.default else { return };
        let fits = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => default
                .as_str()
                .is_some_and(|v| s.enumeration.is_empty() || s.enumeration.iter().flatten().any(|e| e == v)),
            SchemaKind::Type(Type::Integer(_)) => default.is_i64() || default.is_u64(),
            SchemaKind::Type(Type::Number(_)) => default.is_number(),
            SchemaKind::Type(Type::Boolean(_)) => default.is_boolean(),
            SchemaKind::Type(Type::Array(_)) => default.is_array(),
            SchemaKind::Type(Type::Object(_)) => default.is_object(),
            _ => true,
        };
        let fits = fits || (default.is_null() && schema.schema_data.nullable);
        if !fits {
            self.warnings.push(Warning {
                pointer: at.join("default"),
                message: format!("default `{default}` does not fit the schema; it is ignored"),
            });
        }
    }

    /// Schemas that need a Rust type of their own.
    fn is_nominal(&self, schema: &Schema) -> bool {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => !string_enum_values(s).is_empty(),
            SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
            // One member (and maybe `null`) is that member; a discriminator makes even one member
            // a tagged enum, which keeps values of kinds added later.
            SchemaKind::OneOf { .. } if schema.schema_data.discriminator.is_some() => true,
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                members.iter().filter(|m| !is_null_schema(m)).count() > 1
            }
            SchemaKind::AllOf { .. } => true,
            SchemaKind::Any(any) => !any.properties.is_empty(),
            _ => false,
        }
    }

    /// The Rust type definition for a nominal schema; `None` for schemas that map to a
    /// built-in type.
    fn nominal_kind(
        &mut self,
        name: &str,
        schema: &'d Schema,
        at: &Pointer,
    ) -> Result<Option<TypeKind>, Error> {
        if let Some(single) = self.allof_wrapper(schema) {
            // A named wrapper around another type: an alias keeps both names usable.
            let inner = self.lower(single, &at.join("allOf").join(0), name)?;
            return Ok(Some(TypeKind::Alias(inner.ty)));
        }
        if !self.is_nominal(schema) || self.nullable_union(schema, at).is_some() {
            return Ok(None);
        }
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => TypeKind::StringEnum(enum_values(&string_enum_values(s))),
            SchemaKind::OneOf { one_of } => match &schema.schema_data.discriminator {
                Some(discriminator) => match self.untaggable_variant(one_of, discriminator, at)? {
                    None => TypeKind::TaggedEnum(self.tagged_enum(name, one_of, discriminator, at)?),
                    Some((variant_at, why)) => {
                        self.warnings.push(Warning {
                            pointer: variant_at,
                            message: format!(
                                "{why}; the discriminator is ignored and the first variant that decodes is taken"
                            ),
                        });
                        TypeKind::UntaggedEnum(self.untagged_variants(name, one_of, &at.join("oneOf"))?)
                    }
                },
                None => TypeKind::UntaggedEnum(self.untagged_variants(name, one_of, &at.join("oneOf"))?),
            },
            SchemaKind::AnyOf { any_of } => {
                TypeKind::UntaggedEnum(self.untagged_variants(name, any_of, &at.join("anyOf"))?)
            }
            _ => {
                let properties = self.collect_properties(schema, at)?;
                let fields = self.fields(name, &properties, None)?;
                let additional = match &schema.schema_kind {
                    SchemaKind::Type(Type::Object(ObjectType {
                        additional_properties: Some(AdditionalProperties::Schema(values)),
                        ..
                    })) => {
                        let values_at = at.join("additionalProperties");
                        let ty = self.lower(&**values, &values_at, &format!("{name} value"))?.ty;
                        let mut scope = Scope::with_reserved(fields.iter().map(|f| f.rust_name.as_str()));
                        Some(crate::ir::AdditionalProperties {
                            rust_name: scope.claim("additional_properties".to_owned()),
                            ty,
                        })
                    }
                    _ => None,
                };
                TypeKind::Struct(crate::ir::Struct { fields, additional })
            }
        };
        Ok(Some(kind))
    }
}

fn string_enum_values(s: &openapiv3::StringType) -> Vec<String> {
    s.enumeration.iter().flatten().cloned().collect()
}

fn enum_values(values: &[String]) -> Vec<EnumValue> {
    let mut scope = Scope::new();
    let mut seen = BTreeSet::new();
    values
        .iter()
        .filter(|value| seen.insert(value.as_str()))
        .map(|value| {
            let name = if value.is_empty() {
                "Empty".to_owned()
            } else if !value.chars().any(char::is_alphanumeric) {
                // Punctuation only (`*/`, `::`): nothing to make a name of.
                "Value".to_owned()
            } else {
                names::type_name(value)
            };
            EnumValue { rust_name: scope.claim(name), wire_value: value.clone() }
        })
        .collect()
}

/// Whether a value of the schema may be null: `nullable`, a `null` member of `oneOf`/`anyOf`,
/// `null` among its `enum` values, or `type: 'null'`.
fn is_nullable(schema: &Schema) -> bool {
    schema.schema_data.nullable
        || match &schema.schema_kind {
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                members.iter().any(is_null_schema)
            }
            SchemaKind::Type(Type::String(s)) => s.enumeration.iter().any(Option::is_none),
            SchemaKind::Any(any) => any.typ.as_deref() == Some("null"),
            _ => false,
        }
}

/// `type: 'null'` (not OpenAPI 3.0, but seen in documents), or an enum of only `null`.
fn is_null_schema(schema: &ReferenceOr<Schema>) -> bool {
    match schema {
        ReferenceOr::Item(Schema { schema_kind: SchemaKind::Any(any), .. }) => {
            any.typ.as_deref() == Some("null")
                || (!any.enumeration.is_empty() && any.enumeration.iter().all(|v| v.is_null()))
        }
        ReferenceOr::Item(Schema { schema_kind: SchemaKind::Type(Type::String(s)), .. }) => {
            !s.enumeration.is_empty() && s.enumeration.iter().all(Option::is_none)
        }
        _ => false,
    }
}

/// A name for an inline schema inside a shared parameter, response, request body or header
/// component: the component's name, not that of the first operation that uses it.
fn component_hint(at: &Pointer) -> Option<String> {
    let tokens: Vec<String> = at.tokens().collect();
    let (section, name) = match tokens.as_slice() {
        [components, section, name, ..] if components == "components" => (section.as_str(), name),
        _ => return None,
    };
    let suffix = match section {
        "parameters" | "headers" => "",
        "responses" => " response",
        "requestBodies" => " body",
        _ => return None,
    };
    // The properties below the component's schema, e.g. `.../schema/properties/plan`.
    let properties: Vec<&str> =
        tokens.windows(2).filter(|w| w[0] == "properties").map(|w| w[1].as_str()).collect();
    Some(format!("{name}{suffix} {}", properties.join(" ")))
}

/// Numbers and booleans keep their Rust type when the schema lists allowed values; the docs
/// list them instead.
fn allowed_values<T: std::fmt::Display>(
    docs: Option<String>,
    values: impl Iterator<Item = T>,
) -> Option<String> {
    let values: Vec<String> = values.map(|v| format!("`{v}`")).collect();
    if values.is_empty() {
        return docs;
    }
    add_note(docs.as_deref(), &format!("One of {}.", values.join(", ")))
}

/// Joins a doc text and a note into paragraphs.
fn add_note(docs: Option<&str>, note: &str) -> Option<String> {
    match docs.map(str::trim).filter(|d| !d.is_empty()) {
        Some(docs) => Some(format!("{docs}\n\n{note}")),
        None => Some(note.to_owned()),
    }
}

/// The docs with a note of the schema's default value, when it has one.
fn with_default(docs: Option<String>, schema: &Schema) -> Option<String> {
    let Some(default) = &schema.schema_data.default else { return docs };
    let note = format!("Defaults to {}.", code(&default.to_string()));
    add_note(docs.as_deref(), &note)
}

/// The doc text of a schema: its description, else its title.
pub fn docs_of(schema: &Schema) -> Option<String> {
    schema
        .schema_data
        .description
        .clone()
        .or_else(|| schema.schema_data.title.clone())
        .filter(|d| !d.trim().is_empty())
}
