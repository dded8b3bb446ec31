//! Lowering the schema of a `multipart/form-data` body to a form type: a part per property,
//! files told apart from text by their schema.

use indexmap::IndexMap;
use openapiv3::{Encoding, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

use super::{docs_of, SchemaRef, TypeRegistry};
use crate::error::{Error, Pointer};
use crate::ir::{FormPart, PartKind, TypeDef, TypeKind, TypeRef};
use crate::markdown::code;
use crate::names::{self, Scope};

/// What a part's schema says it is, before its value type is lowered.
enum Shape {
    File,
    Files,
    Value,
}

impl<'d> TypeRegistry<'d> {
    /// The form type of a multipart body whose schema is at `at`, or `None` when the schema
    /// names no parts (the caller then builds the form).
    pub fn lower_form(
        &mut self,
        schema: SchemaRef<'d>,
        at: &Pointer,
        encodings: &IndexMap<String, Encoding>,
        raw_name: &str,
    ) -> Result<Option<TypeRef>, Error> {
        let (schema, schema_at) = schema.resolve(&self.ctx, at)?;
        let properties = self.collect_properties(schema, &schema_at)?;
        // The constructor is `new`; a part must not take its name as a setter.
        let mut scope = Scope::with_reserved(["new"]);
        let mut parts = Vec::new();
        for property in &properties.list {
            let (resolved, _) = property.schema.resolve(&self.ctx, &property.at)?;
            if resolved.schema_data.read_only {
                continue;
            }
            let declared =
                encodings.get(&property.name).and_then(|e| e.content_type.as_deref()).and_then(concrete);
            let hint = format!("{raw_name} form {}", property.name);
            let (kind, docs) = match self.shape(resolved, &property.at)? {
                Shape::File => (PartKind::File { content_type: or_octets(declared) }, docs_of(resolved)),
                Shape::Files => (PartKind::Files { content_type: or_octets(declared) }, docs_of(resolved)),
                Shape::Value => {
                    let lowered = self.lower(property.schema, &property.at, &hint)?;
                    let content_type = declared.unwrap_or("application/json").to_owned();
                    (PartKind::Value { ty: lowered.ty, content_type }, lowered.docs)
                }
            };
            parts.push(FormPart {
                rust_name: scope.claim(names::value_name(&property.name)),
                wire_name: property.name.clone(),
                docs,
                required: properties.required.contains(&property.name),
                kind,
            });
        }
        if parts.is_empty() {
            return Ok(None);
        }
        let name = self.claim_name(&format!("{raw_name} form"));
        self.insert(TypeDef {
            name: name.clone(),
            docs: Some(format!("The `multipart/form-data` body of {}: a part per field.", code(raw_name))),
            origin: schema_at.to_string(),
            kind: TypeKind::Form(parts),
        });
        Ok(Some(TypeRef::Named(name)))
    }

    fn shape(&self, schema: &'d Schema, at: &Pointer) -> Result<Shape, Error> {
        let (schema, at) = self.unwrapped(schema, at)?;
        let at = &at;
        if is_binary(schema) {
            return Ok(Shape::File);
        }
        let SchemaKind::Type(Type::Array(array)) = &schema.schema_kind else { return Ok(Shape::Value) };
        let Some(items) = &array.items else { return Ok(Shape::Value) };
        let (item, item_at) = SchemaRef::from(items).resolve(&self.ctx, &at.join("items"))?;
        let (item, _) = self.unwrapped(item, &item_at)?;
        Ok(if is_binary(item) { Shape::Files } else { Shape::Value })
    }
}

impl<'d> TypeRegistry<'d> {
    /// The schema a wrapper stands for: an `allOf` of one, or a `oneOf`/`anyOf` of one schema
    /// and `null` (3.1's way to say nullable), as the value's type is lowered.
    fn unwrapped(&self, mut schema: &'d Schema, at: &Pointer) -> Result<(&'d Schema, Pointer), Error> {
        let mut at = at.clone();
        // Wrappers of wrappers are rare; a cycle of them must not hang.
        for _ in 0..8 {
            let inner = match self.allof_wrapper(schema) {
                Some(single) => (SchemaRef::from(single), at.join("allOf").join(0)),
                None => match self.nullable_union(schema, &at) {
                    Some(inner) => inner,
                    None => break,
                },
            };
            (schema, at) = inner.0.resolve(&self.ctx, &inner.1)?;
        }
        Ok((schema, at))
    }
}

/// `format: binary`, which 3.1's `contentMediaType` becomes on loading.
fn is_binary(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
        }
        SchemaKind::Any(any) => any.format.as_deref() == Some("binary"),
        _ => false,
    }
}

/// The first media type of an `encoding`'s `contentType` list, unless it is a range.
fn concrete(content_type: &str) -> Option<&str> {
    let first = content_type.split(',').next()?.trim();
    (!first.is_empty() && !first.contains('*')).then_some(first)
}

fn or_octets(declared: Option<&str>) -> String {
    declared.unwrap_or("application/octet-stream").to_owned()
}
