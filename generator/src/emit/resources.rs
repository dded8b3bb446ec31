//! Emits `resources.rs`: a handle per resource (`client.zones().secrets()`) and a method per
//! operation, each building a request for the runtime to send.

use std::sync::Arc;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, paragraphs};
use super::streams;
use super::validate::{Checks, FieldName};
use super::{cfg_attribute, ident, task, type_tokens, Chunk, ChunkTask, TypePath};
use crate::ir::{
    BodyEncoding, FeaturePlan, Gate, Operation, Param, ParamStyle, PathPart, RequestBody, Resource,
    ResponseBody, TypeRef,
};
use crate::markdown::code;

/// The chunks of `resources.rs`: the module docs, the client's accessors, then one per
/// resource handle, compiled under its resource's feature.
pub fn emit_resources<'a>(
    root: &'a Resource,
    checks: Arc<Checks<'a>>,
    features: &'a FeaturePlan,
) -> Vec<ChunkTask<'a>> {
    let mut chunks = vec![task(|| {
        quote! {
            //! Resource handles and their operations, reached from [`Client`](crate::Client).
        }
    })];
    if !root.children.is_empty() || !root.operations.is_empty() {
        let checks = Arc::clone(&checks);
        chunks.push(task(move || {
            let accessors =
                root.children.iter().map(|child| accessor(child, None, features, quote!(self), quote!('_)));
            let operations = root.operations.iter().map(|op| operation(op, quote!(self), &checks));
            quote! {
                impl crate::Client {
                    #(#accessors)*
                    #(#operations)*
                }
            }
        }));
    }
    chunks.extend(root.descendants().into_iter().skip(1).map(|resource| -> ChunkTask<'a> {
        let checks = Arc::clone(&checks);
        Box::new(move || {
            Chunk::gated(handle(resource, &checks, features), features.resource_gate(&resource.type_name))
        })
    }));
    chunks
}

/// `client` is how the enclosing impl reaches the client: `self` on the client itself,
/// `self.client` in a handle. The accessor is compiled under the child's feature, where that
/// is not already the parent's (`parent_gate`).
fn accessor(
    child: &Resource,
    parent_gate: Option<&Gate>,
    features: &FeaturePlan,
    client: TokenStream,
    lifetime: TokenStream,
) -> TokenStream {
    let name = ident(&child.accessor);
    let ty = ident(&child.type_name);
    let doc = format!(" Operations under {}.", code(&child.path_prefix));
    let gate = features.resource_gate(&child.type_name);
    let cfg = (gate != parent_gate).then(|| gate.map(cfg_attribute)).flatten();
    quote! {
        #[doc = #doc]
        #cfg
        pub fn #name(&self) -> #ty<#lifetime> {
            #ty { client: #client }
        }
    }
}

/// A handle for one resource.
fn handle(resource: &Resource, checks: &Checks<'_>, features: &FeaturePlan) -> TokenStream {
    let ty = ident(&resource.type_name);
    let doc = format!(" Operations under {}.", code(&resource.path_prefix));
    let gate = features.resource_gate(&resource.type_name);
    let accessors = resource
        .children
        .iter()
        .map(|child| accessor(child, gate, features, quote!(self.client), quote!('a)));
    let operations = resource.operations.iter().map(|op| operation(op, quote!(self.client), checks));
    // A handle that only leads to resource features (Stripe's `v1()`) reads its client only in
    // their accessors: with none of them on, it is unread.
    let only_features = gate.is_none()
        && resource.operations.is_empty()
        && resource.children.iter().all(|child| features.resource_gate(&child.type_name).is_some());
    let unread = only_features.then(|| quote!(#[cfg_attr(not(feature = "full"), allow(dead_code))]));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #ty<'a> {
            #unread
            client: &'a crate::Client,
        }

        impl<'a> #ty<'a> {
            #(#accessors)*
            #(#operations)*
        }
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
    let body_arg = body.as_ref().map(body_argument);

    let path_checks = path_params.iter().map(|p| {
        let value = ident(&p.rust_name);
        let value = if is_by_value(&p.ty) { quote!(&#value) } else { quote!(#value) };
        let name = crate::names::unraw(&p.rust_name).to_owned();
        let checks = checks.value_checks(&value, &p.ty, &p.constraints, &FieldName::Literal(name));
        quote! { #(request.check(#checks);)* }
    });
    let params_checks = params_struct.iter().flat_map(|s| {
        s.all()
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
    let path_stmts = path.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(request.path_literal(#text);),
        PathPart::Param(index) => {
            let param = &path_params[*index];
            let value = ident(&param.rust_name);
            let value = if is_by_value(&param.ty) { quote!(&#value) } else { quote!(#value) };
            param_statement(param, &value, Target::Path, checks)
        }
    });
    let param_stmts = params_struct.iter().flat_map(|s| {
        let query = s.query.iter().map(|p| struct_param_statement(p, Target::Query, checks));
        let headers = s.headers.iter().map(|p| struct_param_statement(p, Target::Header, checks));
        let cookies = s.cookies.iter().map(|p| struct_param_statement(p, Target::Cookie, checks));
        query.chain(headers).chain(cookies).collect::<Vec<_>>()
    });
    let body_stmt = body.as_ref().map(|b| body_statement(b, checks));
    let request_id_stmt = request_id_header.as_ref().map(|h| quote!(request.request_id_header(#h);));
    let (result, call) = response_call(response, &client);
    let mutable = (path.len()
        + params_struct.is_some() as usize
        + body.is_some() as usize
        + request_id_header.is_some() as usize
        > 0)
    .then(|| quote!(mut));
    let args = quote!(#(#path_args,)* #params_arg #body_arg);
    let build = quote! {
        let #mutable request = crate::request::Request::new(reqwest::Method::#method, #path_template);
        #(#path_checks)*
        #(#params_checks)*
        #(#path_stmts)*
        #(#param_stmts)*
        #body_stmt
        #request_id_stmt
    };
    let single = (!op.events.as_ref().is_some_and(|events| events.only)).then(|| {
        quote! {
            #docs
            #deprecated
            pub fn #name(&self, #args) -> crate::Call<#result> {
                #build
                #call
            }
        }
    });
    let method = Method { op, args: &args, build: &build, client: &client, deprecated: &deprecated };
    let events = op.events.as_ref().map(|events| streams::events_method(&method, events));
    let pages = op.pagination.as_ref().map(|pagination| streams::pages_method(&method, pagination));
    quote! { #single #events #pages }
}

/// What every method of an operation shares: its arguments and the statements that build its
/// request (`request`).
pub(super) struct Method<'a> {
    pub op: &'a Operation,
    pub args: &'a TokenStream,
    pub build: &'a TokenStream,
    pub client: &'a TokenStream,
    pub deprecated: &'a Option<TokenStream>,
}

/// The result type of a call, and the expression that makes the call.
fn response_call(response: &ResponseBody, client: &TokenStream) -> (TokenStream, TokenStream) {
    let with = |decoder: TokenStream| quote!(crate::Call::with_decoder(#client, request, #decoder));
    match response {
        ResponseBody::Json(ty) => {
            (type_tokens(ty, TypePath::Outside), quote!(crate::Call::new(#client, request)))
        }
        ResponseBody::Empty => (quote!(()), quote!(crate::Call::new(#client, request))),
        ResponseBody::Text => (quote!(String), with(quote!(crate::call::decode_text))),
        ResponseBody::Bytes => (quote!(Vec<u8>), with(quote!(crate::call::decode_bytes))),
        ResponseBody::ByStatus(name) => {
            let name = ident(name);
            (quote!(crate::types::#name), with(quote!(crate::types::#name::decode)))
        }
    }
}

fn body_argument(body: &RequestBody) -> TokenStream {
    let ty = match &body.encoding {
        BodyEncoding::Json | BodyEncoding::Form => {
            let ty = type_tokens(&body.ty, TypePath::Outside);
            quote!(&#ty)
        }
        // A form is taken whole: its files may be streams, read as it is sent.
        BodyEncoding::Multipart => type_tokens(&body.ty, TypePath::Outside),
        BodyEncoding::UntypedMultipart => quote!(reqwest::multipart::Form),
        BodyEncoding::Text { .. } => quote!(&str),
        BodyEncoding::Bytes { .. } => quote!(Vec<u8>),
    };
    let name = ident(body_argument_name(body));
    if body.required {
        quote!(#name: #ty,)
    } else {
        quote!(#name: Option<#ty>,)
    }
}

/// `form` for a multipart body, `body` for any other.
fn body_argument_name(body: &RequestBody) -> &'static str {
    match body.encoding {
        BodyEncoding::Multipart | BodyEncoding::UntypedMultipart => "form",
        _ => "body",
    }
}

fn body_statement(body: &RequestBody, checks: &Checks<'_>) -> TokenStream {
    let validate = || {
        checks
            .is_validatable(&body.ty)
            .then(|| quote!(request.check(crate::Validate::validate(body, "body"));))
    };
    let (name, send) = match &body.encoding {
        BodyEncoding::Json => {
            let validate = validate();
            (quote!(body), quote!(#validate request.json_body(body);))
        }
        BodyEncoding::Form => {
            let validate = validate();
            (quote!(body), quote!(#validate request.form_body(body);))
        }
        BodyEncoding::Multipart => (quote!(form), quote!(request.multipart_form(form.into_form());)),
        BodyEncoding::UntypedMultipart => (quote!(form), quote!(request.multipart_body(Some(form));)),
        BodyEncoding::Text { media_type } | BodyEncoding::Bytes { media_type } => {
            (quote!(body), quote!(request.raw_body(body, #media_type);))
        }
    };
    if body.required {
        send
    } else {
        quote!(if let Some(#name) = #name { #send })
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Target {
    Path,
    Query,
    Header,
    Cookie,
}

/// A query, header or cookie parameter from the params struct.
fn struct_param_statement(param: &Param, target: Target, checks: &Checks<'_>) -> TokenStream {
    let field = ident(&param.rust_name);
    if param.required {
        param_statement(param, &quote!(&params.#field), target, checks)
    } else {
        let statement = param_statement(param, &quote!(value), target, checks);
        quote!(if let Some(value) = &params.#field { #statement })
    }
}

/// Puts one parameter (`value` is a reference to it) where it goes, in its declared style.
fn param_statement(param: &Param, value: &TokenStream, target: Target, checks: &Checks<'_>) -> TokenStream {
    let wire = &param.wire_name;
    let method = match target {
        Target::Path => quote!(path_param),
        Target::Query => quote!(query),
        Target::Header => quote!(header),
        Target::Cookie => quote!(cookie),
    };
    let as_json = quote!(request.#method(#wire, &crate::param::to_json(#value)););
    if param.json_content {
        return as_json;
    }
    match &param.ty {
        TypeRef::Vec(inner) if checks.is_scalar(inner) => {
            let separator = match param.style {
                ParamStyle::Form if param.explode && target == Target::Query => None,
                ParamStyle::SpaceDelimited => Some(' '),
                ParamStyle::PipeDelimited => Some('|'),
                _ => Some(','),
            };
            match (target, separator) {
                (Target::Query, None) => quote!(request.query_list(#wire, #value, None);),
                (Target::Query, Some(separator)) => {
                    quote!(request.query_list(#wire, #value, Some(#separator));)
                }
                (_, separator) => {
                    let separator = separator.unwrap_or(',');
                    quote!(request.#method(#wire, &crate::param::join(#value, #separator));)
                }
            }
        }
        ty if checks.is_scalar(ty) => quote!(request.#method(#wire, #value);),
        TypeRef::Vec(_) => as_json,
        _ if target == Target::Query && param.style == ParamStyle::DeepObject => {
            quote!(request.query_object(#wire, #value, true);)
        }
        _ if target == Target::Query && param.explode => quote!(request.query_object(#wire, #value, false);),
        _ => as_json,
    }
}

pub(super) fn operation_docs(op: &Operation) -> Option<String> {
    let endpoint = code(&format!("{} {}", op.http_method.as_str(), op.path_template));
    let args: Vec<String> = op
        .path_params
        .iter()
        .map(|p| match &p.docs {
            Some(docs) => {
                format!("- `{}`: {}", crate::names::unraw(&p.rust_name), docs.trim().replace('\n', " "))
            }
            None => {
                format!(
                    "- `{}`: the {} path parameter",
                    crate::names::unraw(&p.rust_name),
                    code(&p.wire_name)
                )
            }
        })
        .chain(op.body.as_ref().map(|b| {
            let name = body_argument_name(b);
            match &b.docs {
                Some(docs) => format!("- `{name}`: {}", docs.trim().replace('\n', " ")),
                None if name == "form" => "- `form`: the form to send".to_owned(),
                None => format!("- `{name}`: the request body"),
            }
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
        TypeRef::Vec(item) => {
            let item = type_tokens(item, TypePath::Outside);
            quote!(&[#item])
        }
        ty if is_by_value(ty) => type_tokens(ty, TypePath::Outside),
        ty => {
            let ty = type_tokens(ty, TypePath::Outside);
            quote!(&#ty)
        }
    }
}

pub(super) fn is_by_value(ty: &TypeRef) -> bool {
    ty.is_number() || matches!(ty, TypeRef::Bool | TypeRef::Uuid | TypeRef::Date | TypeRef::DateTime)
}
