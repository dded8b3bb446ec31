//! Lowering object schemas: their properties (`allOf` members merged in order, cycles refused)
//! and the fields they become.

use std::collections::BTreeSet;

use openapiv3::{Schema, SchemaKind, Type};

use super::{add_note, SchemaRef, TypeRegistry, MAX_ALLOF_DEPTH};
use crate::error::{Error, Pointer};
use crate::ir::Field;
use crate::lower::refs;
use crate::names::{self, Scope};

/// One property of an object schema: its wire name, its schema, and where that sits.
#[derive(Debug, Clone)]
pub(super) struct Property<'d> {
    pub(super) name: String,
    pub(super) schema: SchemaRef<'d>,
    pub(super) at: Pointer,
}

/// The properties of an object schema, `allOf` members merged, and which are required.
#[derive(Debug, Default)]
pub(super) struct Properties<'d> {
    pub(super) list: Vec<Property<'d>>,
    pub(super) required: BTreeSet<String>,
}

impl<'d> Properties<'d> {
    /// Adds a property; a later one of the same name replaces the earlier (as in `allOf`).
    pub(super) fn add(&mut self, property: Property<'d>) {
        match self.list.iter_mut().find(|p| p.name == property.name) {
            Some(slot) => *slot = property,
            None => self.list.push(property),
        }
    }
}

impl<'d> TypeRegistry<'d> {
    /// Properties of an object schema, with `allOf` members merged in order.
    pub(super) fn collect_properties(
        &mut self,
        schema: &'d Schema,
        at: &Pointer,
    ) -> Result<Properties<'d>, Error> {
        let mut properties = Properties::default();
        let own = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => Some((&o.properties, &o.required)),
            SchemaKind::Any(any) => Some((&any.properties, &any.required)),
            _ => None,
        };
        if let Some((props, required)) = own {
            for (name, value) in props {
                let at = at.join("properties").join(name);
                properties.add(Property { name: name.clone(), schema: SchemaRef::from(value), at });
            }
            properties.required.extend(required.iter().cloned());
        }
        if let SchemaKind::AllOf { all_of } = &schema.schema_kind {
            for (i, member) in all_of.iter().enumerate() {
                let (member, member_at) = refs::resolve(&self.ctx, member, &at.join("allOf").join(i))?;
                if self.expanding.contains(&member_at) {
                    let mut circle: Vec<String> = self.expanding.iter().map(ToString::to_string).collect();
                    circle.push(member_at.to_string());
                    return Err(Error::Invalid {
                        origin: self.ctx.origin.to_owned(),
                        pointer: at.join("allOf").join(i),
                        message: format!("`allOf` goes round in a circle: {}", circle.join(" -> ")),
                    });
                }
                if self.expanding.len() >= MAX_ALLOF_DEPTH {
                    return Err(Error::Invalid {
                        origin: self.ctx.origin.to_owned(),
                        pointer: at.join("allOf").join(i),
                        message: format!("`allOf` members nest more than {MAX_ALLOF_DEPTH} deep"),
                    });
                }
                self.expanding.push(member_at.clone());
                let merged = self.collect_properties(member, &member_at);
                self.expanding.pop();
                let merged = merged?;
                merged.list.into_iter().for_each(|p| properties.add(p));
                properties.required.extend(merged.required);
            }
        }
        Ok(properties)
    }

    pub(super) fn fields(
        &mut self,
        owner: &str,
        properties: &Properties<'d>,
        skip: Option<&str>,
    ) -> Result<Vec<Field>, Error> {
        let mut scope = Scope::new();
        let mut fields = Vec::new();
        for Property { name: wire_name, schema, at } in &properties.list {
            if Some(wire_name.as_str()) == skip {
                continue;
            }
            let lowered = self.lower(*schema, at, &format!("{owner} {wire_name}"))?;
            // A read-only property is missing from requests and a write-only one from
            // responses, so neither can be required in the one type that serves both.
            let is_required =
                properties.required.contains(wire_name) && !lowered.read_only && !lowered.write_only;
            let access = match (lowered.read_only, lowered.write_only) {
                (true, false) => Some("Read-only: set by the server, ignored in requests."),
                (false, true) => Some("Write-only: sent in requests, never returned."),
                _ => None,
            };
            let docs = match access {
                Some(note) => add_note(lowered.docs.as_deref(), note),
                None => lowered.docs,
            };
            fields.push(Field {
                rust_name: scope.claim(names::value_name(wire_name)),
                wire_name: wire_name.clone(),
                docs,
                ty: lowered.ty,
                required: is_required,
                nullable: is_required && lowered.nullable,
                // Whether the type is sent in requests is known once every operation is lowered.
                clearable: !is_required && !lowered.read_only && lowered.nullable,
                constraints: lowered.constraints,
            });
        }
        Ok(fields)
    }
}
