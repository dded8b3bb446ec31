//! Example calls for the crate's front page, made up from the IR: each argument gets a
//! placeholder value of its type, so the examples compile as doctests for any document.

use std::collections::BTreeMap;

use crate::ir::{
    AdditionalProperties, Api, BodyEncoding, Field, FormPart, Operation, ParamsStruct, PartKind, Resource,
    TypeDef, TypeKind, TypeRef,
};
use crate::names;

/// How deep a made-up value may nest before we give up on an example.
const MAX_DEPTH: usize = 6;

/// One operation as a user calls it.
pub struct ExampleCall {
    /// `client.zones().secrets()`
    pub receiver: String,
    pub method: String,
    /// The argument list, e.g. `"zone_id", &types::SecretCreate::new(...)`.
    pub arguments: String,
    pub summary: Option<String>,
    /// Path of the method for an intra-doc link, e.g. `resources::ZonesSecrets::create`.
    pub link: String,
    /// The method answers with a stream of events, not a value.
    pub streams_events: bool,
}

/// Example calls for every operation whose arguments we can make up, in tree order.
pub fn example_calls(api: &Api) -> Vec<ExampleCall> {
    let values = Values::of(api);
    let mut calls = Vec::new();
    collect(&api.root, "client", &values, &mut calls);
    calls
}

fn collect(resource: &Resource, receiver: &str, values: &Values<'_>, calls: &mut Vec<ExampleCall>) {
    for op in &resource.operations {
        if let Some(arguments) = values.arguments(op) {
            let owner = if resource.type_name.is_empty() {
                "Client".to_owned()
            } else {
                format!("resources::{}", resource.type_name)
            };
            calls.push(ExampleCall {
                receiver: receiver.to_owned(),
                method: op.method_name.clone(),
                arguments,
                summary: op.summary.clone(),
                link: format!("{owner}::{}", names::unraw(&op.method_name)),
                streams_events: op.events.as_ref().is_some_and(|events| events.only),
            });
        }
    }
    for child in &resource.children {
        collect(child, &format!("{receiver}.{}()", child.accessor), values, calls);
    }
}

/// A request value built with `new` and one setter, for the front page: the first body, or
/// else the first parameters, whose type has an optional field we can make up a value for.
/// `None` when no operation has one.
pub fn example_builder(api: &Api) -> Option<String> {
    let values = Values::of(api);
    let operations = || api.root.descendants().into_iter().flat_map(|resource| &resource.operations);
    let body = |op: &Operation| {
        let body = op.body.as_ref()?;
        let (BodyEncoding::Json | BodyEncoding::Form, TypeRef::Named(name)) = (&body.encoding, &body.ty)
        else {
            return None;
        };
        let TypeKind::Struct(s) = values.kind_of(name)? else { return None };
        let setter = values.setter(&s.fields, s.additional.as_ref())?;
        Some(format!("{}{setter}", values.named(name, "body", 0)?))
    };
    let params = |op: &Operation| {
        let params = op.params_struct.as_ref()?;
        let setter = values.setter(&params.fields(), None)?;
        Some(format!("{}{setter}", values.params(params)?))
    };
    operations().find_map(body).or_else(|| operations().find_map(params))
}

struct Values<'a> {
    types: BTreeMap<&'a str, &'a TypeDef>,
    /// The crate's name in paths, for what lives outside `types`.
    lib: String,
}

/// Where a value goes: a constructor argument takes `impl Into<String>` for text.
#[derive(Clone, Copy, PartialEq)]
enum Slot {
    Argument,
    Field,
}

impl<'a> Values<'a> {
    fn arguments(&self, op: &Operation) -> Option<String> {
        let mut arguments = Vec::new();
        for param in &op.path_params {
            // As `resources::argument_type` takes them: text as `&str`, lists as slices, small
            // values by value, anything else by reference.
            arguments.push(match &param.ty {
                TypeRef::String | TypeRef::SensitiveString => format!("{:?}", param.wire_name),
                TypeRef::Vec(_) => "&[]".to_owned(),
                ty if super::resources::is_by_value(ty) => {
                    self.value(ty, &param.wire_name, Slot::Field, 0)?
                }
                ty => format!("&{}", self.value(ty, &param.wire_name, Slot::Field, 0)?),
            });
        }
        if let Some(params) = &op.params_struct {
            arguments.push(format!("&{}", self.params(params)?));
        }
        if let Some(body) = &op.body {
            let value = match &body.encoding {
                BodyEncoding::Json | BodyEncoding::Form => {
                    format!("&{}", self.value(&body.ty, "body", Slot::Field, 0)?)
                }
                BodyEncoding::Multipart => self.value(&body.ty, "form", Slot::Field, 0)?,
                BodyEncoding::UntypedMultipart => "reqwest::multipart::Form::new()".to_owned(),
                BodyEncoding::Text { .. } => "\"text\"".to_owned(),
                BodyEncoding::Bytes { .. } => "Vec::new()".to_owned(),
            };
            arguments.push(if body.required { value } else { format!("Some({value})") });
        }
        Some(arguments.join(", "))
    }

    /// `.setter(value)` for the first optional field we can make a value for.
    fn setter(&self, fields: &[Field], additional: Option<&AdditionalProperties>) -> Option<String> {
        super::builders::optional_setters(fields, additional).into_iter().find_map(|(i, setter)| {
            let field = &fields[i];
            Some(format!(".{setter}({})", self.value(&field.ty, &field.wire_name, Slot::Argument, 1)?))
        })
    }

    /// `types::ListThingsParams::new(..)` with the required parameters.
    fn params(&self, params: &ParamsStruct) -> Option<String> {
        let args = params
            .all()
            .filter(|p| p.required)
            .map(|p| self.value(&p.ty, &p.wire_name, Slot::Argument, 1))
            .collect::<Option<Vec<_>>>()?;
        Some(format!("types::{}::new({})", params.type_name, args.join(", ")))
    }

    fn value(&self, ty: &TypeRef, name: &str, slot: Slot, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        if ty.is_number() {
            return Some(if matches!(ty, TypeRef::F32 | TypeRef::F64) { "1.0" } else { "1" }.to_owned());
        }
        Some(match ty {
            TypeRef::String if slot == Slot::Argument => format!("{name:?}"),
            TypeRef::String => format!("{name:?}.to_owned()"),
            TypeRef::SensitiveString if slot == Slot::Argument => format!("{name:?}"),
            TypeRef::SensitiveString => format!("{name:?}.into()"),
            TypeRef::Bool => "false".to_owned(),

            TypeRef::DateTime => "chrono::Utc::now()".to_owned(),
            TypeRef::Date => "chrono::NaiveDate::default()".to_owned(),
            TypeRef::Uuid => "uuid::Uuid::nil()".to_owned(),
            TypeRef::Json => "serde_json::Value::Null".to_owned(),
            TypeRef::JsonObject => "serde_json::Map::new()".to_owned(),
            TypeRef::Vec(_) => "Vec::new()".to_owned(),
            TypeRef::Map(_) => "Default::default()".to_owned(),
            TypeRef::Unit => "()".to_owned(),
            TypeRef::Nullable(_) => "None".to_owned(),
            TypeRef::Boxed(inner) => {
                format!("Box::new({})", self.value(inner, name, Slot::Field, depth + 1)?)
            }
            TypeRef::Named(type_name) => self.named(type_name, name, depth)?,
            // Numbers were handled above.
            _ => return None,
        })
    }

    /// The type `type_name` names, through aliases of other named types: an alias such as
    /// `pub type CreateRefundBody = CreatePayoutBody;` is built as its target is.
    fn resolve(&self, type_name: &str) -> Option<&'a TypeDef> {
        let mut def = self.types.get(type_name)?;
        // Aliases never form a cycle (those are newtypes); the bound is for safety alone.
        for _ in 0..16 {
            match &def.kind {
                TypeKind::Alias(TypeRef::Named(target)) => def = self.types.get(target.as_str())?,
                _ => return Some(def),
            }
        }
        None
    }

    fn kind_of(&self, type_name: &str) -> Option<&'a TypeKind> {
        self.resolve(type_name).map(|def| &def.kind)
    }

    fn named(&self, type_name: &str, name: &str, depth: usize) -> Option<String> {
        let def = self.resolve(type_name)?;
        // Under the alias's own name (`Name::new`, `Name::Variant` work through a type alias),
        // but a tuple struct is built by its own name: an alias cannot call it.
        let path = match def.kind {
            TypeKind::Newtype(_) => format!("types::{}", def.name),
            _ => format!("types::{type_name}"),
        };
        Some(match &def.kind {
            TypeKind::Alias(target) => self.value(target, name, Slot::Field, depth + 1)?,
            TypeKind::Struct(s) => {
                let args = s
                    .fields
                    .iter()
                    .filter(|f| !f.is_optional())
                    .map(|f| self.value(&f.ty, &f.wire_name, Slot::Argument, depth + 1))
                    .collect::<Option<Vec<_>>>()?;
                if args.len() > 7 {
                    return None;
                }
                format!("{path}::new({})", args.join(", "))
            }
            TypeKind::TaggedEnum(e) => {
                let variant = e.variants.first()?;
                let constructor = super::builders::variant_constructors(e).into_iter().next()?;
                let args = variant
                    .fields
                    .iter()
                    .filter(|f| !f.is_optional())
                    .map(|f| self.value(&f.ty, &f.wire_name, Slot::Argument, depth + 1))
                    .collect::<Option<Vec<_>>>()?;
                format!("{path}::{constructor}({})", args.join(", "))
            }
            TypeKind::UntaggedEnum(variants) => {
                let variant = variants.first()?;
                format!(
                    "{path}::{}({})",
                    variant.rust_name,
                    self.value(&variant.ty, name, Slot::Field, depth + 1)?
                )
            }
            TypeKind::StringEnum(values) => format!("{path}::{}", values.first()?.rust_name),
            TypeKind::Form(parts) => {
                let args = parts
                    .iter()
                    .filter(|part| part.required)
                    .map(|part| self.part(part, depth))
                    .collect::<Option<Vec<_>>>()?;
                if args.len() > 7 {
                    return None;
                }
                format!("{path}::new({})", args.join(", "))
            }
            TypeKind::StatusEnum(_) | TypeKind::EventEnum(_) => return None,
            TypeKind::Newtype(target) => {
                format!("{path}({})", self.value(target, name, Slot::Field, depth + 1)?)
            }
        })
    }
}

impl<'a> Values<'a> {
    fn of(api: &'a Api) -> Self {
        Values {
            types: api.types.iter().map(|t| (t.name.as_str(), t)).collect(),
            lib: api.crate_name.replace('-', "_"),
        }
    }

    /// A placeholder for one required part of a form.
    fn part(&self, part: &FormPart, depth: usize) -> Option<String> {
        let file = format!("{}::FilePart::bytes(\"contents\").file_name(\"file.txt\")", self.lib);
        Some(match &part.kind {
            PartKind::File { .. } => file,
            PartKind::Files { .. } => format!("vec![{file}]"),
            PartKind::Value { ty: TypeRef::Vec(_), .. } => "Vec::new()".to_owned(),
            PartKind::Value { ty, .. } => self.value(ty, &part.wire_name, Slot::Argument, depth + 1)?,
        })
    }
}
