//! Emits the form types of `multipart/form-data` bodies: a struct with a field per part,
//! built with `new` and setters, that turns itself into the runtime's form.

use proc_macro2::TokenStream;
use quote::quote;

use super::builders::field_parameter;
use super::docs::{doc_attrs, docs_or};
use super::validate::Checks;
use super::{ident, type_tokens, TypePath};
use crate::ir::{FormPart, PartKind, TypeRef};
use crate::markdown::code;
use crate::names;

/// How one part goes on the wire, as OpenAPI's defaults for `multipart/form-data` have it.
enum Wire<'a> {
    /// One piece of text, as a parameter would be sent.
    Text(&'a TypeRef),
    /// A list of pieces of text: a part each, all with the same name.
    Texts(&'a TypeRef),
    Json {
        ty: &'a TypeRef,
        content_type: &'a str,
    },
    File {
        content_type: &'a str,
    },
    Files {
        content_type: &'a str,
    },
}

impl<'a> Wire<'a> {
    fn of(kind: &'a PartKind, checks: &Checks<'_>) -> Self {
        match kind {
            PartKind::File { content_type } => Wire::File { content_type },
            PartKind::Files { content_type } => Wire::Files { content_type },
            // Any JSON value would be text only by accident of its `Display`.
            PartKind::Value { ty: ty @ TypeRef::Json, content_type } => Wire::Json { ty, content_type },
            PartKind::Value { ty: TypeRef::Vec(item), .. } if checks.is_scalar(item) => Wire::Texts(item),
            PartKind::Value { ty, .. } if checks.is_scalar(ty) => Wire::Text(ty),
            PartKind::Value { ty, content_type } => Wire::Json { ty, content_type },
        }
    }

    /// Lists are empty when not given (an empty list sends no part), so they need no `Option`.
    fn is_list(&self) -> bool {
        matches!(self, Wire::Texts(_) | Wire::Files { .. })
    }

    /// The field's type when the part is required.
    fn field_type(&self) -> TokenStream {
        match self {
            Wire::Text(ty) | Wire::Json { ty, .. } => type_tokens(ty, TypePath::InTypes),
            Wire::Texts(item) => {
                let item = type_tokens(item, TypePath::InTypes);
                quote!(Vec<#item>)
            }
            Wire::File { .. } => quote!(crate::FilePart),
            Wire::Files { .. } => quote!(Vec<crate::FilePart>),
        }
    }

    /// What a setter or constructor argument takes, and how it becomes the field.
    fn parameter(&self) -> (TokenStream, TokenStream) {
        match self {
            Wire::Text(ty) | Wire::Json { ty, .. } => field_parameter(ty),
            _ => (self.field_type(), TokenStream::new()),
        }
    }

    /// The statement that adds the part(s) holding `value` to `form`.
    fn add(&self, wire_name: &str, value: TokenStream) -> TokenStream {
        match self {
            Wire::Text(_) => quote!(form.text(#wire_name, &#value);),
            Wire::Texts(_) => quote!(form.texts(#wire_name, &#value);),
            Wire::Json { content_type, .. } => quote!(form.json(#wire_name, &#value, #content_type);),
            Wire::File { content_type } => quote!(form.file(#wire_name, #value, #content_type);),
            Wire::Files { content_type } => quote!(form.files(#wire_name, #value, #content_type);),
        }
    }
}

pub fn emit_form(
    name: &syn::Ident,
    docs: TokenStream,
    parts: &[FormPart],
    checks: &Checks<'_>,
) -> TokenStream {
    let wires: Vec<Wire<'_>> = parts.iter().map(|part| Wire::of(&part.kind, checks)).collect();
    let fields = parts.iter().zip(&wires).map(|(part, wire)| {
        let field = ident(&part.rust_name);
        let fallback = format!("The {} part.", code(&part.wire_name));
        let docs = doc_attrs(Some(docs_or(part.docs.as_deref(), &fallback)));
        let ty = wire.field_type();
        let ty = if part.required || wire.is_list() { ty } else { quote!(Option<#ty>) };
        quote! { #docs pub #field: #ty, }
    });
    let constructor = constructor(name, parts, &wires);
    let setters =
        parts.iter().zip(&wires).filter(|(part, _)| !part.required).map(|(part, wire)| setter(part, wire));
    let statements = parts.iter().zip(&wires).map(|(part, wire)| {
        let field = ident(&part.rust_name);
        if part.required || wire.is_list() {
            wire.add(&part.wire_name, quote!(#field))
        } else {
            let add = wire.add(&part.wire_name, quote!(value));
            quote! { if let Some(value) = #field { #add } }
        }
    });
    let field_names = parts.iter().map(|part| ident(&part.rust_name));
    let default = parts.iter().all(|part| !part.required).then(|| quote!(, Default));
    quote! {
        #docs
        #[derive(Debug #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #constructor
            #(#setters)*

            pub(crate) fn into_form(self) -> crate::multipart::Form {
                let Self { #(#field_names),* } = self;
                let mut form = crate::multipart::Form::new();
                #(#statements)*
                form
            }
        }
    }
}

fn constructor(name: &syn::Ident, parts: &[FormPart], wires: &[Wire<'_>]) -> TokenStream {
    let mut params = Vec::new();
    let mut inits = Vec::new();
    for (part, wire) in parts.iter().zip(wires) {
        let field = ident(&part.rust_name);
        if part.required {
            let (ty, conversion) = wire.parameter();
            params.push(quote!(#field: #ty));
            inits.push(if conversion.is_empty() {
                quote!(#field)
            } else {
                quote!(#field: #field #conversion)
            });
        } else if wire.is_list() {
            inits.push(quote!(#field: Vec::new()));
        } else {
            inits.push(quote!(#field: None));
        }
    }
    let doc = format!(" A new `{name}` with the required parts set and the optional ones left out.");
    quote! {
        #[doc = #doc]
        pub fn new(#(#params),*) -> Self {
            Self { #(#inits),* }
        }
    }
}

fn setter(part: &FormPart, wire: &Wire<'_>) -> TokenStream {
    let field = ident(&part.rust_name);
    let method = ident(&names::method_name(names::unraw(&part.rust_name)));
    let (ty, conversion) = wire.parameter();
    let doc = format!(" Sets the {} part.", code(&part.wire_name));
    let value = if wire.is_list() { quote!(value #conversion) } else { quote!(Some(value #conversion)) };
    quote! {
        #[doc = #doc]
        pub fn #method(mut self, value: #ty) -> Self {
            self.#field = #value;
            self
        }
    }
}
