//! Emits what streams: an operation's server-sent events method and enum of named events (the
//! runtime's `sse.rs` reads them), and a paginated operation's `_all` method (`pages.rs` walks
//! the pages). See `lower/events.rs` and `lower/pagination.rs` for what is recognised.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{doc_attrs, paragraphs};
use super::resources::{operation_docs, Method};
use super::{ident, type_tokens, TypePath};
use crate::ir::{Access, CursorSource, EventData, EventVariant, Events, FieldAccess, PageRule, Pagination};
use crate::markdown::code;

/// The method that starts the stream of events.
pub(super) fn events_method(method: &Method<'_>, events: &Events) -> TokenStream {
    let Method { op, args, build, client, deprecated } = method;
    let name = ident(&events.method_name);
    let (item, decoder) = match &events.data {
        EventData::Json(ty) => (type_tokens(ty, TypePath::Outside), quote!(crate::sse::decode_json)),
        EventData::Text => (quote!(String), quote!(crate::sse::decode_text)),
        EventData::Named(type_name) => {
            let type_name = ident(type_name);
            (quote!(crate::types::#type_name), quote!(crate::types::#type_name::decode))
        }
    };
    let terminator = match &events.terminator {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    };
    let single = (!events.only).then(|| {
        format!(
            "The server-sent events of [`{}`](Self::{}): the server sends them instead of one body when the request asks for them (the API's documentation says how, e.g. a `stream` field of the body).",
            crate::names::unraw(&op.method_name),
            op.method_name
        )
    });
    let about = format!(
        "Returns the events as they arrive (described at {}): `.await` the call for an [`EventStream`](crate::EventStream), then read it. An error before the stream starts is returned by the `.await`; an event whose data does not decode is an error item, and the stream goes on.",
        code(&events.origin)
    );
    let docs =
        doc_attrs(paragraphs([operation_docs(op).as_deref(), single.as_deref(), Some(&about)]).as_deref());
    quote! {
        #docs
        #deprecated
        pub fn #name(&self, #args) -> crate::EventCall<#item> {
            #build
            crate::EventCall::new(#client, request, #decoder, #terminator)
        }
    }
}

/// The method that streams every item of a paginated list.
pub(super) fn pages_method(method: &Method<'_>, pagination: &Pagination) -> TokenStream {
    let Method { op, args, build, client, deprecated } = method;
    let Pagination { method_name, page, item, items, rule, more, description } = pagination;
    let name = ident(method_name);
    let page_ty = type_tokens(page, TypePath::Outside);
    let item_ty = type_tokens(item, TypePath::Outside);
    let items_expr = match items {
        Access::Whole => quote!(page),
        Access::Field(field) => read(field),
    };
    let (rule, next) = match rule {
        PageRule::LinkHeader => (quote!(LinkHeader), quote!(None)),
        PageRule::NextUrl(field) => (quote!(NextUrl), read_string(field)),
        PageRule::Cursor { param, source } => {
            let next = match source {
                CursorSource::Field(field) => read_string(field),
                CursorSource::LastItem(field) => {
                    let id = ident(&field.rust_name);
                    if field.optional {
                        quote!(items.last().and_then(|item| item.#id.clone()))
                    } else {
                        quote!(items.last().map(|item| item.#id.clone()))
                    }
                }
            };
            (quote!(Cursor(#param)), next)
        }
        PageRule::Offset { param } => (quote!(Offset(#param)), quote!(None)),
        PageRule::PageNumber { param } => (quote!(PageNumber(#param)), quote!(None)),
    };
    let more = match more {
        Some(field) => {
            let field_name = ident(&field.rust_name);
            if field.optional {
                quote!(page.#field_name)
            } else {
                quote!(Some(page.#field_name))
            }
        }
        None => quote!(None),
    };
    let about = format!(
        "Every item of [`{}`](Self::{}), page after page, as a stream that fetches each page when it is needed. The next page: {description}.",
        crate::names::unraw(&op.method_name),
        op.method_name
    );
    let docs = doc_attrs(paragraphs([op.summary.as_deref(), Some(&about)]).as_deref());
    quote! {
        #docs
        #deprecated
        pub fn #name(&self, #args) -> crate::Pages<#item_ty> {
            #build
            crate::Pages::new(#client, request, crate::pages::Rule::#rule, |body| {
                let page: #page_ty = serde_json::from_slice(body)?;
                let items: Vec<#item_ty> = #items_expr;
                let next: Option<String> = #next;
                let more: Option<bool> = #more;
                Ok(crate::pages::Page { items, next, more })
            })
        }
    }
}

/// A field moved out of `page`, empty when absent.
fn read(field: &FieldAccess) -> TokenStream {
    let name = ident(&field.rust_name);
    if field.optional {
        quote!(page.#name.unwrap_or_default())
    } else {
        quote!(page.#name)
    }
}

/// A string field moved out of `page`, as an `Option<String>`.
fn read_string(field: &FieldAccess) -> TokenStream {
    let name = ident(&field.rust_name);
    if field.optional {
        quote!(page.#name)
    } else {
        quote!(Some(page.#name))
    }
}

/// An enum of the named events of a stream, decoded by the `event:` name.
pub(super) fn event_enum(name: &Ident, docs: TokenStream, variants: &[EventVariant]) -> TokenStream {
    let items = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let fallback = format!(" The {} event.", code(&v.event_name));
        let doc = match &v.docs {
            Some(docs) if !docs.trim().is_empty() => format!(
                " {} ({}).",
                docs.trim().replace('\n', " ").trim_end_matches('.'),
                code(&v.event_name)
            ),
            _ => fallback,
        };
        let payload = match &v.data {
            EventData::Json(ty) => type_tokens(ty, TypePath::InTypes),
            EventData::Text | EventData::Named(_) => quote!(String),
        };
        quote! { #[doc = #doc] #variant(#payload), }
    });
    let arms = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let event = &v.event_name;
        match &v.data {
            EventData::Json(_) => quote!(#event => serde_json::from_str(data).map(Self::#variant),),
            EventData::Text | EventData::Named(_) => quote!(#event => Ok(Self::#variant(data.to_owned())),),
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#items)*
            /// An event the API document does not name, as it came.
            Unknown {
                /// The `event:` name.
                event: String,
                /// The `data:`, not decoded.
                data: String,
            },
        }

        impl #name {
            /// Decodes an event's data by its name.
            pub(crate) fn decode(event: &str, data: &str) -> Result<Self, serde_json::Error> {
                match event {
                    #(#arms)*
                    _ => Ok(Self::Unknown { event: event.to_owned(), data: data.to_owned() }),
                }
            }
        }
    }
}
