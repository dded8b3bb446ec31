//! Emits the client-side checks of the document's constraints: an `impl Validate` per type,
//! and the checks of an operation's parameters.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::ident;
use crate::ir::{BodyEncoding, Constraints, Field, Resource, TypeDef, TypeKind, TypeRef};

/// How a checked value is named in an error.
pub enum FieldName {
    /// A fixed name, such as `params.type`.
    Literal(String),
    /// A field of the value being validated: `<at>.<wire name>`.
    Nested(String),
}

/// Knows which types implement `Validate`: those a request sends (as its body or a
/// parameter) that hold a constraint to check, at any depth. A type with nothing to check, or
/// only ever received, has no impl, and no field's check calls into it: in a large API most
/// types are one or the other, and each empty impl still costs compile time.
pub struct Checks<'a> {
    kinds: BTreeMap<&'a str, &'a TypeKind>,
    validated: BTreeSet<&'a str>,
}

impl<'a> Checks<'a> {
    pub fn new(types: &'a [TypeDef], root: &'a Resource) -> Self {
        let kinds: BTreeMap<&str, &TypeKind> = types.iter().map(|t| (t.name.as_str(), &t.kind)).collect();
        let sent =
            root.sent_types(&kinds, |encoding| matches!(encoding, BodyEncoding::Json | BodyEncoding::Form));
        // Grows until it holds every sent type that checks a constraint itself or holds one
        // that does.
        let mut validated = BTreeSet::new();
        loop {
            let before = validated.len();
            for &name in &sent {
                if !validated.contains(name)
                    && kinds.get(name).is_some_and(|kind| checks_something(kind, &validated))
                {
                    validated.insert(name);
                }
            }
            if validated.len() == before {
                break;
            }
        }
        Self { kinds, validated }
    }

    /// Whether a value of `ty` is sent as one piece of text in a parameter (`ToParam`).
    pub fn is_scalar(&self, ty: &TypeRef) -> bool {
        self.is_scalar_within(ty, 0)
    }

    fn is_scalar_within(&self, ty: &TypeRef, depth: usize) -> bool {
        match ty {
            TypeRef::Named(name) => match self.kinds.get(name.as_str()) {
                Some(TypeKind::StringEnum(_)) => true,
                // Each variant one piece of text (or a list of them, sent joined).
                Some(TypeKind::UntaggedEnum(variants)) => {
                    depth < 16
                        && !variants.is_empty()
                        && variants.iter().all(|v| match &v.ty {
                            TypeRef::Vec(inner) => self.is_scalar_within(inner, depth + 1),
                            ty => self.is_scalar_within(ty, depth + 1),
                        })
                }
                Some(TypeKind::Alias(target)) => depth < 16 && self.is_scalar_within(target, depth + 1),
                _ => false,
            },
            TypeRef::Vec(_)
            | TypeRef::Map(_)
            | TypeRef::Boxed(_)
            | TypeRef::Nullable(_)
            | TypeRef::JsonObject
            | TypeRef::Unit => false,
            _ => true,
        }
    }

    /// Whether a value of this kind holds a secret (`format: password`) anywhere inside: its
    /// unknown variants are then redacted too.
    pub fn holds_secrets(&self, kind: &'a TypeKind) -> bool {
        self.kind_holds_secrets(kind, &mut BTreeSet::new())
    }

    fn kind_holds_secrets(&self, kind: &'a TypeKind, seen: &mut BTreeSet<&'a str>) -> bool {
        kind.held_types().into_iter().any(|ty| self.ref_holds_secrets(ty, seen))
    }

    fn ref_holds_secrets(&self, ty: &'a TypeRef, seen: &mut BTreeSet<&'a str>) -> bool {
        match ty {
            TypeRef::SensitiveString => true,
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => {
                self.ref_holds_secrets(inner, seen)
            }
            TypeRef::Named(name) => {
                seen.insert(name)
                    && self.kinds.get(name.as_str()).is_some_and(|kind| self.kind_holds_secrets(kind, seen))
            }
            _ => false,
        }
    }

    /// Whether a value of `ty` can be asked to `validate()` itself.
    pub fn is_validatable(&self, ty: &TypeRef) -> bool {
        self.is_validatable_within(ty, 0)
    }

    fn is_validatable_within(&self, ty: &TypeRef, depth: usize) -> bool {
        match ty {
            TypeRef::Named(name) => match self.kinds.get(name.as_str()) {
                Some(TypeKind::Alias(target)) => depth < 16 && self.is_validatable_within(target, depth + 1),
                Some(_) => self.validated.contains(name.as_str()),
                None => false,
            },
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => {
                self.is_validatable_within(inner, depth + 1)
            }
            _ => false,
        }
    }

    /// Expressions of type `Result<(), Error>` that check `value` (an expression of type
    /// `&ty`); `field` names it in errors.
    pub fn value_checks(
        &self,
        value: &TokenStream,
        ty: &TypeRef,
        constraints: &Constraints,
        field: &FieldName,
    ) -> Vec<TokenStream> {
        let (owned, borrowed) = match field {
            FieldName::Literal(name) => (quote!(#name.to_owned()), quote!(#name)),
            FieldName::Nested(wire) => {
                // `{at}` is captured from the `validate` argument; braces in the name are escaped.
                let template = format!("{{at}}.{}", wire.replace('{', "{{").replace('}', "}}"));
                (quote!(format!(#template)), quote!(&format!(#template)))
            }
        };
        let mut checks = Vec::new();
        let Constraints { min_length, max_length, minimum, maximum } = constraints;
        let some_usize = |v: &Option<usize>| {
            v.map_or(quote!(None), |v| {
                let v = Literal::usize_unsuffixed(v);
                quote!(Some(#v))
            })
        };
        let some_f64 = |v: &Option<f64>| {
            v.map_or(quote!(None), |v| {
                let v = Literal::f64_unsuffixed(v);
                quote!(Some(#v))
            })
        };
        if min_length.is_some() || max_length.is_some() {
            let text = match ty {
                TypeRef::String => Some(quote!(#value)),
                // Called as a function: `#value` is already a reference (`&self.x`, or a binding).
                TypeRef::SensitiveString => Some(quote!(crate::SensitiveString::expose_secret(#value))),
                _ => None,
            };
            if let Some(text) = text {
                let (min, max) = (some_usize(min_length), some_usize(max_length));
                checks.push(quote! { crate::validate::check_length(#text, #min, #max, || #owned) });
            }
        }
        if (minimum.is_some() || maximum.is_some()) && ty.is_number() {
            let (min, max) = (some_f64(minimum), some_f64(maximum));
            checks.push(quote! { crate::validate::check_range(#value, #min, #max, || #owned) });
        }
        if self.is_validatable(ty) {
            checks.push(quote! { crate::Validate::validate(#value, #borrowed) });
        }
        checks
    }

    /// Statements checking one field, bound as `binding` (a reference to the field's value),
    /// inside a `validate(&self, at)` body.
    fn field_checks(&self, field: &Field, binding: &TokenStream) -> TokenStream {
        let name = FieldName::Nested(field.wire_name.clone());
        let value = if field.is_optional() { quote!(value) } else { binding.clone() };
        let checks = self.value_checks(&value, &field.ty, &field.constraints, &name);
        if checks.is_empty() {
            TokenStream::new()
        } else if field.clearable {
            quote! { if let crate::Patch::Value(value) = #binding { #(#checks?;)* } }
        } else if field.is_optional() {
            quote! { if let Some(value) = #binding { #(#checks?;)* } }
        } else {
            quote! { #(#checks?;)* }
        }
    }

    /// `impl Validate` for a named type; `None` for aliases.
    pub fn impl_validate(&self, def: &TypeDef) -> Option<TokenStream> {
        if !self.validated.contains(def.name.as_str()) {
            return None;
        }
        let name = ident(&def.name);
        // Whether any check names the value (through `at`); a type with nothing to check
        // takes `_at`.
        let mut uses_at = false;
        let body = match &def.kind {
            TypeKind::Alias(_)
            | TypeKind::StatusEnum(_)
            | TypeKind::StringEnum(_)
            | TypeKind::EventEnum(_)
            | TypeKind::Form(_) => return None,
            TypeKind::Struct(s) => {
                let checks: Vec<TokenStream> = s
                    .fields
                    .iter()
                    .map(|f| {
                        let field = ident(&f.rust_name);
                        self.field_checks(f, &quote!(&self.#field))
                    })
                    .collect();
                let extra =
                    s.additional.as_ref().filter(|extra| self.is_validatable(&extra.ty)).map(|extra| {
                        let field = ident(&extra.rust_name);
                        quote! { crate::Validate::validate(&self.#field, at)?; }
                    });
                uses_at = checks.iter().any(|c| !c.is_empty()) || extra.is_some();
                quote! { #(#checks)* #extra Ok(()) }
            }
            TypeKind::TaggedEnum(e) => {
                let unknown = ident(&e.unknown_variant);
                let arms = e.variants.iter().map(|v| {
                    let variant = ident(&v.rust_name);
                    // Bind only the fields that are checked; `..` covers the rest.
                    let (bindings, checks): (Vec<_>, Vec<_>) = v
                        .fields
                        .iter()
                        .filter_map(|f| {
                            let binding = ident(&f.rust_name);
                            let checks = self.field_checks(f, &quote!(#binding));
                            (!checks.is_empty()).then_some((binding, checks))
                        })
                        .unzip();
                    uses_at |= !checks.is_empty();
                    let pattern = if v.fields.is_empty() {
                        quote!(Self::#variant)
                    } else if bindings.len() == v.fields.len() {
                        quote!(Self::#variant { #(#bindings),* })
                    } else {
                        quote!(Self::#variant { #(#bindings,)* .. })
                    };
                    quote! { #pattern => { #(#checks)* } }
                });
                quote! {
                    match self {
                        #(#arms)*
                        Self::#unknown(_) => {}
                    }
                    Ok(())
                }
            }
            TypeKind::UntaggedEnum(variants) => {
                let arms = variants.iter().map(|v| {
                    let variant = ident(&v.rust_name);
                    if self.is_validatable(&v.ty) {
                        uses_at = true;
                        quote! { Self::#variant(value) => crate::Validate::validate(value, at), }
                    } else {
                        quote! { Self::#variant(_) => Ok(()), }
                    }
                });
                quote! { match self { #(#arms)* } }
            }

            TypeKind::Newtype(ty) => {
                uses_at = self.is_validatable(ty);
                if uses_at {
                    quote! { crate::Validate::validate(&self.0, at) }
                } else {
                    quote! { Ok(()) }
                }
            }
        };
        let at = if uses_at { quote!(at) } else { quote!(_at) };
        Some(quote! {
            impl crate::Validate for #name {
                fn validate(&self, #at: &str) -> Result<(), crate::Error> {
                    #body
                }
            }
        })
    }
}

/// Whether a value of this kind checks a constraint of its own fields, or holds a value of a
/// type in `validated`. String enums, response enums and forms check nothing (a form's parts
/// are left to the server).
fn checks_something(kind: &TypeKind, validated: &BTreeSet<&str>) -> bool {
    let holds_validated = |ty: &TypeRef| ty.names().into_iter().any(|name| validated.contains(name));
    match kind {
        TypeKind::StatusEnum(_) | TypeKind::StringEnum(_) | TypeKind::EventEnum(_) | TypeKind::Form(_) => {
            false
        }
        TypeKind::Struct(s) => {
            s.fields.iter().any(|field| field_checks_something(field, validated))
                || s.additional.as_ref().is_some_and(|extra| holds_validated(&extra.ty))
        }
        TypeKind::TaggedEnum(e) => {
            e.variants.iter().flat_map(|v| &v.fields).any(|field| field_checks_something(field, validated))
        }
        TypeKind::UntaggedEnum(variants) => variants.iter().any(|v| holds_validated(&v.ty)),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => holds_validated(ty),
    }
}

fn field_checks_something(field: &Field, validated: &BTreeSet<&str>) -> bool {
    let Constraints { min_length, max_length, minimum, maximum } = &field.constraints;
    let length = (min_length.is_some() || max_length.is_some())
        && matches!(field.ty, TypeRef::String | TypeRef::SensitiveString);
    let range = (minimum.is_some() || maximum.is_some()) && field.ty.is_number();
    length || range || field.ty.names().into_iter().any(|name| validated.contains(name))
}
