//! Emits `resources.rs`: a handle per resource (`client.zones().secrets()`) and a method per
//! operation, each building a request for the runtime to send.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, paragraphs};
use super::validate::{Checks, FieldName};
use super::{ident, type_tokens, TypePath};
use crate::ir::{Operation, Param, PathPart, Resource, TypeRef};

pub fn emit_resources(root: &Resource, checks: &Checks<'_>) -> TokenStream {
    let accessors = root.children.iter().map(|child| accessor(child, quote!(self), quote!('_)));
    let operations = root.operations.iter().map(|op| operation(op, quote!(self), checks));
    let handles = root.children.iter().map(|child| handle(child, checks));
    let root_impl = (!root.children.is_empty() || !root.operations.is_empty()).then(|| {
        quote! {
            impl crate::Client {
                #(#accessors)*
                #(#operations)*
            }
        }
    });
    quote! {
        //! Resource handles and their operations, reached from [`Client`](crate::Client).
        #root_impl
        #(#handles)*
    }
}

/// `client` is how the enclosing impl reaches the client: `self` on the client itself,
/// `self.client` in a handle.
fn accessor(child: &Resource, client: TokenStream, lifetime: TokenStream) -> TokenStream {
    let name = ident(&child.accessor);
    let ty = ident(&child.type_name);
    let doc = format!(" Operations under `{}`.", child.path_prefix);
    quote! {
        #[doc = #doc]
        pub fn #name(&self) -> #ty<#lifetime> {
            #ty { client: #client }
        }
    }
}

/// A handle for one resource and, recursively, its children.
fn handle(resource: &Resource, checks: &Checks<'_>) -> TokenStream {
    let ty = ident(&resource.type_name);
    let doc = format!(" Operations under `{}`.", resource.path_prefix);
    let accessors = resource.children.iter().map(|child| accessor(child, quote!(self.client), quote!('a)));
    let operations = resource.operations.iter().map(|op| operation(op, quote!(self.client), checks));
    let children = resource.children.iter().map(|child| handle(child, checks));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #ty<'a> {
            client: &'a crate::Client,
        }

        impl<'a> #ty<'a> {
            #(#accessors)*
            #(#operations)*
        }

        #(#children)*
    }
}

fn operation(op: &Operation, client: TokenStream, checks: &Checks<'_>) -> TokenStream {
    let Operation {
        method_name,
        http_method,
        path_template,
        path,
        path_params,
        params_struct,
        request_id_header,
        body,
        response,
        ..
    } = op;
    let name = ident(method_name);
    let docs = doc_attrs(operation_docs(op).as_deref());
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let method = format_ident!("{}", http_method.as_str());

    let path_args = path_params.iter().map(|p| {
        let name = ident(&p.rust_name);
        let ty = argument_type(&p.ty);
        quote!(#name: #ty)
    });
    let params_arg = params_struct.as_ref().map(|s| {
        let ty = ident(&s.type_name);
        quote!(params: &crate::types::#ty,)
    });
    let body_arg = body.as_ref().map(|b| {
        let ty = type_tokens(&b.ty, TypePath::Outside);
        if b.required {
            quote!(body: &#ty,)
        } else {
            quote!(body: Option<&#ty>,)
        }
    });

    let path_stmts = path.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(request.path_literal(#text);),
        PathPart::Param(index) => {
            let param = &path_params[*index];
            let wire = &param.wire_name;
            let value = ident(&param.rust_name);
            let value = if is_by_value(&param.ty) { quote!(&#value) } else { quote!(#value) };
            quote!(request.path_param(#wire, #value);)
        }
    });
    let param_stmts = params_struct.iter().flat_map(|s| {
        let query = s.query.iter().map(|p| param_statement(p, quote!(query)));
        let headers = s.headers.iter().map(|p| param_statement(p, quote!(header)));
        query.chain(headers).collect::<Vec<_>>()
    });
    let body_stmt = body.as_ref().map(|b| {
        let validate = checks
            .is_validatable(&b.ty)
            .then(|| quote!(request.check(crate::Validate::validate(body, "body"));));
        if b.required {
            quote!(#validate request.json_body(body);)
        } else {
            quote!(if let Some(body) = body { #validate request.json_body(body); })
        }
    });
    let path_checks = path_params.iter().map(|p| {
        let value = ident(&p.rust_name);
        let value = if is_by_value(&p.ty) { quote!(&#value) } else { quote!(#value) };
        let name = crate::names::unraw(&p.rust_name).to_owned();
        let checks = checks.value_checks(&value, &p.ty, &p.constraints, &FieldName::Literal(name));
        quote! { #(request.check(#checks);)* }
    });
    let params_checks = params_struct.iter().flat_map(|s| {
        s.query
            .iter()
            .chain(&s.headers)
            .map(|p| {
                let field = ident(&p.rust_name);
                let name = format!("params.{}", crate::names::unraw(&p.rust_name));
                let value = if p.required { quote!(&params.#field) } else { quote!(value) };
                let checks = checks.value_checks(&value, &p.ty, &p.constraints, &FieldName::Literal(name));
                if checks.is_empty() || p.required {
                    quote! { #(request.check(#checks);)* }
                } else {
                    quote! { if let Some(value) = &params.#field { #(request.check(#checks);)* } }
                }
            })
            .collect::<Vec<_>>()
    });
    let request_id_stmt = request_id_header.as_ref().map(|h| quote!(request.request_id_header(#h);));
    let response = type_tokens(response, TypePath::Outside);
    let mutable = (path.len()
        + params_struct.is_some() as usize
        + body.is_some() as usize
        + request_id_header.is_some() as usize
        > 0)
    .then(|| quote!(mut));
    quote! {
        #docs
        #deprecated
        pub fn #name(&self, #(#path_args,)* #params_arg #body_arg) -> crate::Call<#response> {
            let #mutable request = crate::Request::new(reqwest::Method::#method, #path_template);
            #(#path_checks)*
            #(#params_checks)*
            #(#path_stmts)*
            #(#param_stmts)*
            #body_stmt
            #request_id_stmt
            crate::Call::new(#client, request)
        }
    }
}

fn param_statement(param: &Param, target: TokenStream) -> TokenStream {
    let wire = &param.wire_name;
    let field = ident(&param.rust_name);
    let add = |value: TokenStream| match &param.ty {
        TypeRef::Vec(_) => quote!(for item in #value { request.#target(#wire, item); }),
        _ => quote!(request.#target(#wire, #value);),
    };
    if param.required {
        add(quote!(&params.#field))
    } else {
        let add = add(quote!(value));
        quote!(if let Some(value) = &params.#field { #add })
    }
}

fn operation_docs(op: &Operation) -> Option<String> {
    let endpoint = format!("`{} {}`", op.http_method.as_str(), op.path_template);
    let args: Vec<String> = op
        .path_params
        .iter()
        .map(|p| match &p.docs {
            Some(docs) => {
                format!("- `{}`: {}", crate::names::unraw(&p.rust_name), docs.trim().replace('\n', " "))
            }
            None => {
                format!("- `{}`: the `{}` path parameter", crate::names::unraw(&p.rust_name), p.wire_name)
            }
        })
        .chain(op.body.as_ref().map(|b| match &b.docs {
            Some(docs) => format!("- `body`: {}", docs.trim().replace('\n', " ")),
            None => "- `body`: the request body".to_owned(),
        }))
        .chain(op.params_struct.as_ref().map(|_| "- `params`: query and header parameters".to_owned()))
        .collect();
    let args = (!args.is_empty()).then(|| args.join("\n"));
    paragraphs([op.summary.as_deref(), op.description.as_deref(), Some(&endpoint), args.as_deref()])
}

/// Strings are borrowed; small `Copy` values are passed by value; anything else by reference.
fn argument_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String | TypeRef::SensitiveString => quote!(&str),
        ty if is_by_value(ty) => type_tokens(ty, TypePath::Outside),
        ty => {
            let ty = type_tokens(ty, TypePath::Outside);
            quote!(&#ty)
        }
    }
}

fn is_by_value(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::Uuid
            | TypeRef::Date
            | TypeRef::DateTime
    )
}
