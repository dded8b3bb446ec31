//! Emits the form types of `multipart/form-data` bodies: a struct with a field per part,
//! built with `new` and setters, that turns itself into the runtime's form.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, docs_or};
use super::types::field_parameter;
use super::{ident, type_tokens, TypePath};
use crate::ir::{FormPart, PartKind, TypeRef};
use crate::markdown::code;
use crate::names;

pub fn emit_form(name: &syn::Ident, docs: TokenStream, parts: &[FormPart]) -> TokenStream {
    let fields = parts.iter().map(|part| {
        let field = ident(&part.rust_name);
        let fallback = format!("The {} part.", code(&part.wire_name));
        let docs = doc_attrs(Some(docs_or(part.docs.as_deref(), &fallback)));
        let ty = field_type(part);
        quote! { #docs pub #field: #ty, }
    });
    let constructor = constructor(name, parts);
    let setters = parts.iter().filter(|part| !part.required).map(setter);
    let statements = parts.iter().map(part_statement);
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

/// Lists are empty when not given (an empty list sends no part), anything else optional is
/// an `Option`.
fn field_type(part: &FormPart) -> TokenStream {
    let ty = match &part.kind {
        PartKind::Text(ty) | PartKind::Json { ty, .. } => type_tokens(ty, TypePath::InTypes),
        PartKind::Texts(ty) => {
            let ty = type_tokens(ty, TypePath::InTypes);
            quote!(Vec<#ty>)
        }
        PartKind::File { .. } => quote!(crate::FilePart),
        PartKind::Files { .. } => quote!(Vec<crate::FilePart>),
    };
    if part.required || is_list(&part.kind) {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

fn is_list(kind: &PartKind) -> bool {
    matches!(kind, PartKind::Texts(_) | PartKind::Files { .. })
}

/// What a setter or constructor argument takes for a part, and how it becomes the field.
fn parameter(part: &FormPart) -> (TokenStream, TokenStream) {
    match &part.kind {
        PartKind::Text(ty) | PartKind::Json { ty, .. } => field_parameter(ty),
        PartKind::Texts(ty) => field_parameter(&TypeRef::Vec(Box::new(ty.clone()))),
        PartKind::File { .. } => (quote!(crate::FilePart), TokenStream::new()),
        PartKind::Files { .. } => (quote!(Vec<crate::FilePart>), TokenStream::new()),
    }
}

fn constructor(name: &syn::Ident, parts: &[FormPart]) -> TokenStream {
    let mut params = Vec::new();
    let mut inits = Vec::new();
    for part in parts {
        let field = ident(&part.rust_name);
        if part.required {
            let (ty, conversion) = parameter(part);
            params.push(quote!(#field: #ty));
            inits.push(if conversion.is_empty() {
                quote!(#field)
            } else {
                quote!(#field: #field #conversion)
            });
        } else if is_list(&part.kind) {
            inits.push(quote!(#field: Vec::new()));
        } else {
            inits.push(quote!(#field: None));
        }
    }
    let too_many = (params.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let doc = format!(" A new `{name}` with the required parts set and the optional ones left out.");
    quote! {
        #[doc = #doc]
        #too_many
        pub fn new(#(#params),*) -> Self {
            Self { #(#inits),* }
        }
    }
}

fn setter(part: &FormPart) -> TokenStream {
    let field = ident(&part.rust_name);
    let method = ident(&names::method_name(names::unraw(&part.rust_name)));
    let (ty, conversion) = parameter(part);
    let doc = format!(" Sets the {} part.", code(&part.wire_name));
    let value = if is_list(&part.kind) { quote!(value #conversion) } else { quote!(Some(value #conversion)) };
    quote! {
        #[doc = #doc]
        pub fn #method(mut self, value: #ty) -> Self {
            self.#field = #value;
            self
        }
    }
}

/// Adds one part (or none, or several) to `form`.
fn part_statement(part: &FormPart) -> TokenStream {
    let field = ident(&part.rust_name);
    let wire = &part.wire_name;
    let add = |value: TokenStream| match &part.kind {
        PartKind::Text(_) => quote!(form.text(#wire, &#value);),
        PartKind::Texts(_) => quote!(form.texts(#wire, &#value);),
        PartKind::Json { content_type, .. } => quote!(form.json(#wire, &#value, #content_type);),
        PartKind::File { content_type } => quote!(form.file(#wire, #value, #content_type);),
        PartKind::Files { content_type } => quote!(form.files(#wire, #value, #content_type);),
    };
    if part.required || is_list(&part.kind) {
        add(quote!(#field))
    } else {
        let add = add(quote!(value));
        quote! { if let Some(value) = #field { #add } }
    }
}
