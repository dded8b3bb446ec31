//! Emits `types.rs`: one Rust item per named type of the IR.

use std::sync::Arc;

use proc_macro2::TokenStream;
use quote::quote;

use super::builders;
use super::docs::{doc_attrs, docs_or};
use super::validate::Checks;
use super::wire;
use super::{field_cfgs, ident, task, type_tokens, Chunk, ChunkTask, FieldCfgs, TypePath};
use crate::ir::{
    Constraints, EnumValue, FeaturePlan, Field, Gate, ParamsStruct, ResponseBody, StatusMatch, StatusVariant,
    Struct, TaggedEnum, TypeDef, TypeKind, TypeRef, UntaggedVariant,
};
use crate::markdown::code;
use crate::names;

/// The chunks of `types.rs`: the module docs, then one per type with its impls.
/// Each type's chunk is compiled under the features that use the type.
pub fn emit_types<'a>(
    types: &'a [TypeDef],
    params: Vec<&'a ParamsStruct>,
    checks: Arc<Checks<'a>>,
    features: &'a FeaturePlan,
) -> Vec<ChunkTask<'a>> {
    let header = task(|| {
        quote! {
            //! The request and response types of the API.
        }
    });
    let items = types.iter().map(|def| -> ChunkTask<'a> {
        let checks = Arc::clone(&checks);
        Box::new(move || {
            let mut tokens = emit_type(def, &checks, features);
            tokens.extend(checks.impl_validate(def));
            tokens.extend(untagged_to_param(def, &checks));
            Chunk::gated(tokens, features.type_gate(&def.name))
        })
    });
    let params = params.into_iter().map(|params| -> ChunkTask<'a> {
        Box::new(move || Chunk::gated(emit_params_struct(params), features.type_gate(&params.type_name)))
    });
    std::iter::once(header).chain(items).chain(params).collect()
}

/// The query and header parameters of one operation. They are not serialized with serde:
/// the operation method puts each one where it belongs.
fn emit_params_struct(params: &ParamsStruct) -> TokenStream {
    let name = ident(&params.type_name);
    let fields = params.fields();
    let all_optional = fields.iter().all(Field::is_optional);
    let default = all_optional.then(|| quote!(Default,));
    let doc = format!(" Query and header parameters of the {} operation.", code(&params.operation_id));
    let field_items = fields.iter().map(|field| {
        let Field { rust_name, wire_name, docs, ty, .. } = field;
        let field_name = ident(rust_name);
        let fallback = format!("The {} parameter.", code(wire_name));
        let docs =
            doc_attrs(field_docs(Some(docs_or(docs.as_deref(), &fallback)), &field.constraints).as_deref());
        let ty = type_tokens(ty, TypePath::InTypes);
        let ty = if field.is_optional() { quote!(Option<#ty>) } else { ty };
        quote! { #docs pub #field_name: #ty, }
    });
    let builders = builders::struct_builders(&name, &fields, None, all_optional, &FieldCfgs::new());
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#field_items)*
        }
        #builders
    }
}

fn emit_type<'a>(def: &'a TypeDef, checks: &Checks<'a>, features: &FeaturePlan) -> TokenStream {
    let TypeDef { name, docs, origin, kind } = def;
    let name = ident(name);
    // Every public item is documented; where the document says nothing, say where it is from.
    let fallback = format!("The schema at {} of the API document.", code(origin));
    let docs = doc_attrs(Some(docs_or(docs.as_deref(), &fallback)));
    match kind {
        TypeKind::Struct(s) => emit_struct(&name, &def.name, docs, s, features),
        TypeKind::TaggedEnum(e) => emit_tagged_enum(&name, docs, e, checks.holds_secrets(kind)),
        TypeKind::UntaggedEnum(variants) => {
            let gates: Vec<_> =
                variants.iter().map(|v| features.variant_gate(&def.name, &v.rust_name)).collect();
            emit_untagged_enum(&name, docs, variants, &gates)
        }
        TypeKind::StringEnum(values) => emit_string_enum(&name, docs, values),
        TypeKind::Alias(ty) => {
            let ty = type_tokens(ty, TypePath::InTypes);
            quote! { #docs pub type #name = #ty; }
        }
        TypeKind::StatusEnum(variants) => emit_status_enum(&name, docs, variants),
        TypeKind::EventEnum(variants) => super::streams::event_enum(&name, docs, variants),
        TypeKind::Form(parts) => super::forms::emit_form(&name, docs, parts, checks),
        TypeKind::Newtype(ty) => {
            let ty = type_tokens(ty, TypePath::InTypes);
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
    }
}

/// `features`: which fields some builds leave out.
fn emit_struct(
    name: &syn::Ident,
    struct_name: &str,
    docs: TokenStream,
    s: &Struct,
    features: &FeaturePlan,
) -> TokenStream {
    let field_cfgs = &field_cfgs(features, struct_name);
    let all_optional = s.fields.iter().all(Field::is_optional);
    let default = all_optional.then(|| quote!(Default,));
    let fields = s.fields.iter().map(|field| {
        let gate = features.field_gate(struct_name, &field.rust_name);
        emit_field(field, quote!(pub), SerdeAttrs::No, gate)
    });
    let additional = s.additional.as_ref().map(|extra| {
        let field = ident(&extra.rust_name);
        let ty = type_tokens(&extra.ty, TypePath::InTypes);
        quote! {
            /// The properties not named above.
            pub #field: std::collections::BTreeMap<String, #ty>,
        }
    });
    let builders =
        builders::struct_builders(name, &s.fields, s.additional.as_ref(), all_optional, field_cfgs);
    let serde_impls = wire::struct_impls(name, s, field_cfgs);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }
        #builders
        #serde_impls
    }
}

/// Whether a field carries the attributes of serde's derive: a struct's impls are written out
/// (`wire.rs`), a tagged variant's are derived.
#[derive(Clone, Copy, PartialEq)]
enum SerdeAttrs {
    Yes,
    No,
}

/// A struct field (`visibility` is `pub`) or an enum variant field (no visibility).
/// `gate`: the features without which the field is left out.
fn emit_field(
    field: &Field,
    visibility: TokenStream,
    serde_attrs: SerdeAttrs,
    gate: Option<&Gate>,
) -> TokenStream {
    let Field { rust_name, wire_name, docs, required, .. } = field;
    let name = ident(rust_name);
    let fallback = format!("The {} property.", code(wire_name));
    let note = gate.map(super::gate_note);
    let docs = field_docs(Some(docs_or(docs.as_deref(), &fallback)), &field.constraints);
    let docs = doc_attrs(super::docs::paragraphs([docs.as_deref(), note.as_deref()]).as_deref());
    let cfg = gate.map(super::cfg_attribute);
    let rename = (names::unraw(rust_name) != wire_name).then(|| quote!(#[serde(rename = #wire_name)]));
    let skip = if field.clearable {
        quote!(#[serde(default, skip_serializing_if = "crate::Patch::is_absent")])
    } else if !*required {
        quote!(#[serde(default, skip_serializing_if = "Option::is_none")])
    } else {
        TokenStream::new()
    };
    let ty = field_type(field);
    let (rename, skip) = match serde_attrs {
        SerdeAttrs::Yes => (rename, skip),
        SerdeAttrs::No => (None, TokenStream::new()),
    };
    quote! {
        #docs
        #cfg
        #rename
        #skip
        #visibility #name: #ty,
    }
}

/// The Rust type of a struct's or a variant's field.
pub(super) fn field_type(field: &Field) -> TokenStream {
    let ty = type_tokens(&field.ty, TypePath::InTypes);
    if field.clearable {
        quote!(crate::Patch<#ty>)
    } else if !field.required || field.nullable {
        quote!(Option<#ty>)
    } else {
        ty
    }
}

/// The description, followed by the constraints the client checks.
fn field_docs(docs: Option<&str>, constraints: &Constraints) -> Option<String> {
    let mut rules = Vec::new();
    if let Some(min) = constraints.min_length {
        rules.push(format!("at least {min} character{}", if min == 1 { "" } else { "s" }));
    }
    if let Some(max) = constraints.max_length {
        rules.push(format!("at most {max} characters"));
    }
    if let Some(min) = constraints.minimum {
        rules.push(format!("at least {min}"));
    }
    if let Some(max) = constraints.maximum {
        rules.push(format!("at most {max}"));
    }
    let rules = (!rules.is_empty()).then(|| format!("Must be {}.", rules.join(" and ")));
    super::docs::paragraphs([docs, rules.as_deref()])
}

/// An internally tagged enum. A value with a known tag decodes as that variant, through a
/// struct of the variant's fields so that an error names the field; any other value is kept
/// in the unknown variant. (serde's derive would buffer the value, lose the field's name, and,
/// with an untagged catch-all, turn a known tag with broken fields into an unknown value.)
/// Serializing is derived, as inherent functions (`remote = "Self"`) that the `Serialize` impl
/// calls for the known variants.
fn emit_tagged_enum(name: &syn::Ident, docs: TokenStream, e: &TaggedEnum, redacted: bool) -> TokenStream {
    let TaggedEnum { tag, variants, unknown_variant } = e;
    let items = variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let tag_value = &variant.tag_value;
        let fallback = format!("{}.", code(&format!("{tag}: {tag_value}")));
        let docs = doc_attrs(Some(docs_or(variant.docs.as_deref(), &fallback)));
        let fields =
            variant.fields.iter().map(|field| emit_field(field, TokenStream::new(), SerdeAttrs::Yes, None));
        let body = (!variant.fields.is_empty()).then(|| quote!({ #(#fields)* }));
        // A variant may gain fields: other crates build it with its constructor.
        quote! {
            #docs
            #[serde(rename = #tag_value)]
            #[non_exhaustive]
            #variant_name #body,
        }
    });
    let decode_arms = variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let tag_value = &variant.tag_value;
        let fields = variant.fields.iter().map(wire_field);
        let names: Vec<_> = variant.fields.iter().map(|field| ident(&field.rust_name)).collect();
        let build = if names.is_empty() {
            quote!(|_: Fields| Self::#variant_name)
        } else {
            quote!(|fields: Fields| Self::#variant_name { #(#names: fields.#names),* })
        };
        quote! {
            Some(#tag_value) => {
                #[derive(serde::Deserialize)]
                struct Fields { #(#fields)* }
                crate::unknown::decode_known(value, #redacted, #build)
            }
        }
    });
    let unknown = ident(unknown_variant);
    let unknown_doc = format!(
        " A `{tag}` this version of the client does not know, kept as the JSON it arrived as (and sent back as it is)."
    );
    if e.variants.is_empty() {
        // Published so (`oneOf: []`): every value is one the client does not know.
        return quote! {
            #docs
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum #name {
                #[doc = #unknown_doc]
                #unknown(crate::UnknownKind),
            }

            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                    Ok(Self::#unknown(crate::UnknownKind::new(#tag, value, #redacted)))
                }
            }

            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    let Self::#unknown(value) = self;
                    serde::Serialize::serialize(value, serializer)
                }
            }
        };
    }
    let builders = builders::variant_builders(name, e);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(remote = "Self", tag = #tag)]
        #[non_exhaustive]
        pub enum #name {
            #(#items)*
            #[doc = #unknown_doc]
            #[serde(skip)]
            #unknown(crate::UnknownKind),
        }

        #builders

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                match value.get(#tag).and_then(serde_json::Value::as_str) {
                    #(#decode_arms)*
                    _ => Ok(Self::#unknown(crate::UnknownKind::new(#tag, value, #redacted))),
                }
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    Self::#unknown(value) => serde::Serialize::serialize(value, serializer),
                    known => Self::serialize(known, serializer),
                }
            }
        }
    }
}

/// A field of a tagged variant as it is decoded: its wire name and type, nothing else. Types
/// are named by their path, as the struct is declared inside a function.
fn wire_field(field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let wire_name = &field.wire_name;
    let rename = (names::unraw(&field.rust_name) != wire_name).then(|| quote!(#[serde(rename = #wire_name)]));
    let ty = type_tokens(&field.ty, TypePath::Outside);
    let ty = if field.clearable {
        quote!(crate::Patch<#ty>)
    } else if field.is_optional() {
        quote!(Option<#ty>)
    } else {
        ty
    };
    let default = (!field.required).then(|| quote!(#[serde(default)]));
    quote! { #rename #default #name: #ty, }
}

/// The result of an operation whose successful responses differ by status, and the decoder
/// that picks the variant.
fn emit_status_enum(name: &syn::Ident, docs: TokenStream, variants: &[StatusVariant]) -> TokenStream {
    let items = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let status = match v.status {
            StatusMatch::Code(code) => format!("`{code}`"),
            StatusMatch::Range(digit) => format!("`{digit}XX`"),
        };
        let doc = match &v.docs {
            Some(docs) if !docs.trim().is_empty() => format!(" {status}: {}", docs.trim().replace('\n', " ")),
            _ => format!(" {status}"),
        };
        let payload = match &v.body {
            ResponseBody::Json(ty) => {
                let ty = type_tokens(ty, TypePath::InTypes);
                quote!((#ty))
            }
            ResponseBody::Text => quote!((String)),
            ResponseBody::Bytes => quote!((Vec<u8>)),
            ResponseBody::Empty | ResponseBody::ByStatus(_) => TokenStream::new(),
        };
        quote! { #[doc = #doc] #variant #payload, }
    });
    let arms = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let pattern = match v.status {
            StatusMatch::Code(code) => quote!(#code),
            StatusMatch::Range(digit) => {
                let (low, high) = (digit * 100, digit * 100 + 99);
                quote!(#low..=#high)
            }
        };
        let decode = match &v.body {
            ResponseBody::Json(_) => quote!(crate::call::decode_json(status, body).map(Self::#variant)),
            ResponseBody::Text => quote!(crate::call::decode_text(status, body).map(Self::#variant)),
            ResponseBody::Bytes => quote!(crate::call::decode_bytes(status, body).map(Self::#variant)),
            ResponseBody::Empty | ResponseBody::ByStatus(_) => quote!(Ok(Self::#variant)),
        };
        quote! { #pattern => #decode, }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#items)*
            /// A successful status the API document does not list, with the body as it came.
            Other {
                /// The HTTP status.
                status: u16,
                /// The body.
                body: Vec<u8>,
            },
        }

        impl #name {
            /// Decodes a successful response by its status.
            pub(crate) fn decode(status: u16, body: &[u8]) -> Result<Self, serde_json::Error> {
                match status {
                    #(#arms)*
                    _ => Ok(Self::Other { status, body: body.to_vec() }),
                }
            }
        }
    }
}

/// An untagged enum of values that are each one piece of text (`oneOf: [integer, string]`)
/// can be a path, query or header parameter: it is sent as the value it holds.
fn untagged_to_param(def: &TypeDef, checks: &Checks<'_>) -> Option<TokenStream> {
    let TypeKind::UntaggedEnum(variants) = &def.kind else { return None };
    if !checks.is_scalar(&TypeRef::Named(def.name.clone())) {
        return None;
    }
    let name = ident(&def.name);
    let arms = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        match &v.ty {
            TypeRef::Vec(_) => quote!(Self::#variant(values) => crate::param::join(values, ',')),
            _ => quote!(Self::#variant(value) => crate::ToParam::to_param(value)),
        }
    });
    Some(quote! {
        impl crate::ToParam for #name {
            fn to_param(&self) -> String {
                match self {
                    #(#arms,)*
                }
            }
        }
    })
}

/// `gates`: the features without which each variant is left out (`None`: always there).
fn emit_untagged_enum(
    name: &syn::Ident,
    docs: TokenStream,
    variants: &[UntaggedVariant],
    gates: &[Option<&Gate>],
) -> TokenStream {
    let cfgs: Vec<_> = gates.iter().map(|gate| gate.map(super::cfg_attribute)).collect();
    let items = variants.iter().zip(gates).zip(&cfgs).map(|((v, gate), cfg)| {
        let variant_name = ident(&v.rust_name);
        let fallback = format!("A value of the `{}` variant.", v.rust_name);
        let note = gate.map(super::gate_note);
        let docs = super::docs::paragraphs([Some(docs_or(v.docs.as_deref(), &fallback)), note.as_deref()]);
        let docs = doc_attrs(docs.as_deref());
        let ty = type_tokens(&v.ty, TypePath::InTypes);
        quote! { #docs #cfg #variant_name(#ty), }
    });
    let serde_impls = wire::untagged_impls(name, variants, &cfgs);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#items)*
        }

        #serde_impls
    }
}

fn emit_string_enum(name: &syn::Ident, docs: TokenStream, values: &[EnumValue]) -> TokenStream {
    let mut scope = names::Scope::with_reserved(values.iter().map(|v| v.rust_name.as_str()));
    let unknown = ident(&scope.claim("Unknown".to_owned()));
    let variants = values.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_value;
        let doc = format!(" {}", code(wire));
        quote! { #[doc = #doc] #variant, }
    });
    let arms = values.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_value;
        quote! { Self::#variant => #wire, }
    });
    let unknown_doc = " A value this version of the client does not know.";
    let serde_impls = wire::string_enum_impls(name, values, &unknown);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = #unknown_doc]
            #unknown(String),
        }

        #serde_impls

        impl #name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#arms)*
                    Self::#unknown(value) => value,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl crate::ToParam for #name {
            fn to_param(&self) -> String {
                self.as_str().to_owned()
            }
        }
    }
}
