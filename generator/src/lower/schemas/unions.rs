//! Lowering `oneOf` and `anyOf`: a discriminated `oneOf` becomes an internally tagged enum when
//! every variant can carry its tag, and otherwise (as every `anyOf` does) an untagged enum.

use std::collections::BTreeSet;

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::objects::Properties;
use super::{docs_of, is_null_schema, string_enum_values, TypeRegistry};
use crate::error::{Error, Pointer, Warning};
use crate::ir::{TaggedEnum, TaggedVariant, TypeRef, UntaggedVariant};
use crate::lower::refs::{self, component_name};
use crate::names::{self, Scope};

impl<'d> TypeRegistry<'d> {
    /// The first variant of a discriminated `oneOf` that a tagged enum cannot carry, and why: one
    /// that is not an object, whose tag value cannot be told, or whose tag value an earlier
    /// variant has already.
    pub(super) fn untaggable_variant(
        &mut self,
        one_of: &'d [ReferenceOr<Schema>],
        discriminator: &openapiv3::Discriminator,
        at: &Pointer,
    ) -> Result<Option<(Pointer, String)>, Error> {
        let tag = &discriminator.property_name;
        if let Some(variant_at) = self.non_object_variant(one_of, at)? {
            return Ok(Some((
                variant_at,
                format!(
                    "a variant of a `oneOf` with a discriminator must be an object with a `{tag}` property"
                ),
            )));
        }
        let mut seen = BTreeSet::new();
        for (i, variant) in one_of.iter().enumerate() {
            let variant_at = at.join("oneOf").join(i);
            let (schema, schema_at) = refs::resolve(&self.ctx, variant, &variant_at)?;
            let properties = self.collect_properties(schema, &schema_at)?;
            match self.tag_value(variant, discriminator, &properties, tag, &variant_at) {
                Ok(value) if !seen.insert(value.clone()) => {
                    let why = format!("another variant before this one has the `{tag}` value `{value}`");
                    return Ok(Some((variant_at, why)));
                }
                Ok(_) => {}
                Err(Error::Invalid { message, .. }) => return Ok(Some((variant_at, message))),
                Err(other) => return Err(other),
            }
        }
        Ok(None)
    }

    /// The first variant of a discriminated `oneOf` that is not an object, if any.
    fn non_object_variant(
        &self,
        one_of: &'d [ReferenceOr<Schema>],
        at: &Pointer,
    ) -> Result<Option<Pointer>, Error> {
        for (i, variant) in one_of.iter().enumerate() {
            let variant_at = at.join("oneOf").join(i);
            let (schema, _) = refs::resolve(&self.ctx, variant, &variant_at)?;
            let is_object = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => true,
                SchemaKind::Any(any) => any.typ.as_deref().is_none_or(|t| t == "object"),
                _ => false,
            };
            if !is_object {
                return Ok(Some(variant_at));
            }
        }
        Ok(None)
    }

    pub(super) fn tagged_enum(
        &mut self,
        name: &str,
        one_of: &'d [ReferenceOr<Schema>],
        discriminator: &openapiv3::Discriminator,
        at: &Pointer,
    ) -> Result<TaggedEnum, Error> {
        let tag = discriminator.property_name.clone();
        for (key, target) in &discriminator.mapping {
            let mapping_at = at.join("discriminator").join("mapping").join(key);
            // A mapping value is a bare reference, not a `$ref` object: report the value itself.
            // An entry that leads nowhere types no variant (that tag decodes as unknown), so
            // the rest of the union still stands.
            if let Err(Error::DanglingRef { reference, reason, .. }) =
                refs::resolve_reference::<Schema>(&self.ctx, target, &mapping_at)
            {
                self.warnings.push(Warning {
                    pointer: mapping_at,
                    message: format!("`{reference}` does not resolve: {reason}; this tag decodes as unknown"),
                });
            }
        }
        let mut scope = Scope::new();
        let mut variants = Vec::new();
        for (i, variant) in one_of.iter().enumerate() {
            let variant_at = at.join("oneOf").join(i);
            let (schema, schema_at) = refs::resolve(&self.ctx, variant, &variant_at)?;

            let properties = self.collect_properties(schema, &schema_at)?;
            let tag_value = self.tag_value(variant, discriminator, &properties, &tag, &variant_at)?;
            let rust_name = scope.claim(names::type_name(&tag_value));
            let fields = self.fields(&format!("{name} {rust_name}"), &properties, Some(&tag))?;
            variants.push(TaggedVariant { rust_name, tag_value, docs: docs_of(schema), fields });
        }
        let unknown_variant = scope.claim("Unknown".to_owned());
        Ok(TaggedEnum { tag, variants, unknown_variant })
    }

    /// The discriminator value of one variant: from `mapping`, else the single `enum` value of
    /// the tag property, else (as the specification says) the component name.
    fn tag_value(
        &mut self,
        variant: &ReferenceOr<Schema>,
        discriminator: &openapiv3::Discriminator,
        properties: &Properties<'d>,
        tag: &str,
        at: &Pointer,
    ) -> Result<String, Error> {
        if let ReferenceOr::Reference { reference } = variant {
            if let Some((value, _)) = discriminator.mapping.iter().find(|(_, target)| *target == reference) {
                return Ok(value.clone());
            }
        }
        if let Some(property) = properties.list.iter().find(|p| p.name == tag) {
            let (schema, _) = property.schema.resolve(&self.ctx, &property.at)?;
            if let SchemaKind::Type(Type::String(s)) = &schema.schema_kind {
                if let [value] = string_enum_values(s).as_slice() {
                    return Ok(value.clone());
                }
            }
        }
        if let ReferenceOr::Reference { reference } = variant {
            if let Some(name) = component_name::<Schema>(reference) {
                return Ok(refs::unescape(name));
            }
        }
        Err(Error::Invalid {
            origin: self.ctx.origin.to_owned(),
            pointer: at.clone(),
            message: format!(
                "cannot tell this variant's `{tag}` value: give it a `$ref`, a `discriminator.mapping` entry, \
                 or a `{tag}` property with a single `enum` value"
            ),
        })
    }

    pub(super) fn untagged_variants(
        &mut self,
        name: &str,
        members: &'d [ReferenceOr<Schema>],
        at: &Pointer,
    ) -> Result<Vec<UntaggedVariant>, Error> {
        let mut scope = Scope::new();
        let mut variants = Vec::new();
        for (i, member) in members.iter().enumerate() {
            if is_null_schema(member) {
                // Null is the `Option` around the enum, not a variant of it.
                continue;
            }
            let variant_hint = match member {
                ReferenceOr::Reference { reference } => {
                    reference.rsplit('/').next().unwrap_or("variant").to_owned()
                }
                ReferenceOr::Item(_) => format!("variant {i}"),
            };
            let lowered = self.lower(member, &at.join(i), &format!("{name} {variant_hint}"))?;
            let rust_name = scope.claim(names::type_name(&variant_name_for(&lowered.ty, &variant_hint)));
            variants.push(UntaggedVariant { rust_name, docs: lowered.docs, ty: lowered.ty });
        }
        Ok(variants)
    }
}

fn variant_name_for(ty: &TypeRef, hint: &str) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String | TypeRef::SensitiveString => "String".to_owned(),
        TypeRef::Bool => "Bool".to_owned(),
        TypeRef::F32 | TypeRef::F64 => "Number".to_owned(),
        ty if ty.is_number() => "Integer".to_owned(),
        TypeRef::Vec(_) => "List".to_owned(),
        TypeRef::Map(_) | TypeRef::JsonObject => "Object".to_owned(),
        _ => hint.to_owned(),
    }
}
