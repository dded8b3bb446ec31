//! Pagination: which list operations fetch their items a page at a time, and how to ask for the
//! next page. Every rule that recognises a pattern is in this file.
//!
//! Design. A recognised operation keeps its single-page method and gains `<name>_all`, which
//! returns a stream of the items (the runtime module `pages.rs`), fetching each page when the
//! items before it are used up; each page is a call of its own, with the client's retries,
//! timeout and a request id of its own, and only a page that arrived whole gives items, so a
//! retried page never repeats any. The IR records the rule ([`PageRule`]), where the items are,
//! and the page's `has_more` flag, if any.
//!
//! Only `GET` operations with a JSON response are considered. The items are the response, when
//! it is an array, or its one array field named `data`, `items`, `results`, `value`, `entries`
//! or `records`, or (for rules 1 to 5) its only array field whatever its name. Then, by the
//! names and types of the query parameters and response fields (wire names, compared exactly):
//!
//! 1. `x-ms-pageable` (Azure's documents): `nextLinkName` names the field with the next page's
//!    URL and `itemName` the items (default `value`); `nextLinkName: null` means one page.
//! 2. A `Link` header declared on the successful response: its `rel="next"` URL.
//! 3. A string field `next`, `next_url`, `nextUrl`, `next_link`, `nextLink`, `next_page_url`,
//!    `nextPageUrl` or `@odata.nextLink`: the next page's URL.
//! 4. A string field `next_cursor`, `nextCursor`, `next_page_token`, `nextPageToken`,
//!    `next_token`, `nextToken`, `next_page` or `nextPage`, and exactly one string query
//!    parameter `cursor`, `page_token`, `pageToken`, `next_token`, `nextToken`, `page`,
//!    `after`, `starting_after`, `continuation_token` or `token`: the field's value is sent
//!    back in that parameter; no value (or an empty one) ends the list.
//! 5. A boolean `has_more` (or `hasMore`) and a string query parameter `starting_after`,
//!    `after` or `after_id` (Stripe, OpenAI, Anthropic): the page's `last_id` (or `lastId`)
//!    field, else the `id` of its last item, is sent back; `has_more: false` ends the list.
//! 6. An integer query parameter `offset` or `skip`: the next page starts after this one's
//!    items.
//! 7. An integer query parameter `page`, `page_number` or `pageNumber`: the next page is the
//!    next number (from 1 when not given).
//!
//! Rule 1 decides alone. Rules 2 to 5 are the server's own word on what comes next, so one of
//! them wins over rules 6 and 7 (GitHub declares a `Link` header and a `page` parameter: the
//! link is followed). Two of 2 to 5, or both 6 and 7 with none of 2 to 5, or a rule with no
//! clear item list, is ambiguous: the operation gets no `_all` method and a warning at its
//! place. In every rule an empty page ends the list, and so does `has_more: false` where the
//! page has that field. `x-keycard-codegen-pagination: false` on an operation switches the
//! rules off for it.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::Operation as OpenApiOperation;
use serde_json::Value;

use super::refs;
use super::Ctx;
use crate::error::{Error, Pointer, Warning};
use crate::ir::{
    Access, CursorSource, FieldAccess, HttpMethod, Operation, PageRule, Pagination, Resource, ResponseBody,
    Struct, TypeDef, TypeKind, TypeRef,
};
use crate::markdown::code;
use crate::names::{self, Scope};

/// The extension that switches the rules off for one operation.
pub const SWITCH: &str = "x-keycard-codegen-pagination";

const ITEM_FIELDS: [&str; 6] = ["data", "items", "results", "value", "entries", "records"];
const NEXT_URL_FIELDS: [&str; 8] = [
    "next",
    "next_url",
    "nextUrl",
    "next_link",
    "nextLink",
    "next_page_url",
    "nextPageUrl",
    "@odata.nextLink",
];
const NEXT_TOKEN_FIELDS: [&str; 8] = [
    "next_cursor",
    "nextCursor",
    "next_page_token",
    "nextPageToken",
    "next_token",
    "nextToken",
    "next_page",
    "nextPage",
];
const TOKEN_PARAMS: [&str; 10] = [
    "cursor",
    "page_token",
    "pageToken",
    "next_token",
    "nextToken",
    "page",
    "after",
    "starting_after",
    "continuation_token",
    "token",
];
const MORE_FIELDS: [&str; 2] = ["has_more", "hasMore"];
const AFTER_PARAMS: [&str; 3] = ["starting_after", "after", "after_id"];
const LAST_ID_FIELDS: [&str; 2] = ["last_id", "lastId"];
const OFFSET_PARAMS: [&str; 2] = ["offset", "skip"];
const PAGE_PARAMS: [&str; 3] = ["page", "page_number", "pageNumber"];

/// What the document says about an operation's pages beyond its types.
#[derive(Debug, Default)]
pub struct PageHints {
    at: Option<Pointer>,
    off: bool,
    link_header: bool,
    /// `x-ms-pageable`: the next-link field (none: one page only) and the items field.
    ms_pageable: Option<(Option<String>, String)>,
}

pub fn hints(ctx: &Ctx<'_>, operation: &OpenApiOperation, at: &Pointer) -> Result<PageHints, Error> {
    let off = operation.extensions.get(SWITCH) == Some(&Value::Bool(false));
    let ms_pageable = operation.extensions.get("x-ms-pageable").map(|pageable| {
        let next = pageable.get("nextLinkName").and_then(Value::as_str).map(str::to_owned);
        let items = pageable.get("itemName").and_then(Value::as_str).unwrap_or("value").to_owned();
        (next, items)
    });
    let mut link_header = false;
    let first_success =
        operation.responses.responses.iter().find(|(code, _)| code.to_string().starts_with('2'));
    if let Some((code, response)) = first_success {
        let (response, _) = refs::resolve(ctx, response, &at.join("responses").join(code))?;
        link_header = response.headers.keys().any(|name| name.eq_ignore_ascii_case("link"));
    }
    Ok(PageHints { at: Some(at.clone()), off, link_header, ms_pageable })
}

/// Finds the paginated operations of the tree and names their `_all` methods.
pub fn recognise(
    root: &mut Resource,
    types: &[TypeDef],
    mut hints: BTreeMap<String, PageHints>,
    reserved_on_root: &[&str],
    warnings: &mut Vec<Warning>,
) {
    let types: BTreeMap<&str, &TypeDef> = types.iter().map(|def| (def.name.as_str(), def)).collect();
    let mut pending = vec![(root, true)];
    while let Some((resource, is_root)) = pending.pop() {
        let Resource { operations, children, .. } = resource;
        let mut taken: BTreeSet<String> = children.iter().map(|c| c.accessor.clone()).collect();
        taken.extend(operations.iter().map(|op| op.method_name.clone()));
        taken.extend(operations.iter().filter_map(|op| op.events.as_ref().map(|e| e.method_name.clone())));
        if is_root {
            taken.extend(reserved_on_root.iter().map(|name| name.to_string()));
        }
        let mut members = Scope::with_reserved(taken.iter().map(String::as_str));
        for op in operations.iter_mut() {
            let Some(hint) = hints.remove(&op.operation_id) else { continue };
            match recognise_one(op, &types, &hint) {
                Outcome::None => {}
                Outcome::Ambiguous(why) => warnings.push(Warning {
                    pointer: hint.at.unwrap_or_else(Pointer::root),
                    message: format!(
                        "this list may be paginated, but {why}: no `_all` method (set `{SWITCH}: false` to say it is not)"
                    ),
                }),
                Outcome::Found(mut pagination) => {
                    let name = format!("{}_all", names::unraw(&op.method_name));
                    pagination.method_name = members.claim(names::method_name(&name));
                    op.pagination = Some(*pagination);
                }
            }
        }
        pending.extend(children.iter_mut().rev().map(|child| (child, false)));
    }
}

enum Outcome {
    None,
    Ambiguous(String),
    Found(Box<Pagination>),
}

/// The type behind aliases.
fn resolved<'a>(types: &BTreeMap<&str, &'a TypeDef>, mut ty: &'a TypeRef) -> Option<&'a TypeRef> {
    for _ in 0..16 {
        match ty {
            TypeRef::Named(name) => match &types.get(name.as_str())?.kind {
                TypeKind::Alias(target) => ty = target,
                _ => return Some(ty),
            },
            _ => return Some(ty),
        }
    }
    None
}

fn struct_of<'a>(types: &BTreeMap<&str, &'a TypeDef>, ty: &'a TypeRef) -> Option<&'a Struct> {
    match resolved(types, ty)? {
        TypeRef::Named(name) => match &types.get(name.as_str())?.kind {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

fn access(field: &crate::ir::Field) -> FieldAccess {
    FieldAccess { rust_name: field.rust_name.clone(), optional: field.is_optional() }
}

fn recognise_one(op: &Operation, types: &BTreeMap<&str, &TypeDef>, hints: &PageHints) -> Outcome {
    if hints.off || op.http_method != HttpMethod::Get {
        return Outcome::None;
    }
    let ResponseBody::Json(page) = &op.response else { return Outcome::None };
    let page_struct = struct_of(types, page);
    let field_of = |wire: &str, want: &TypeRef| {
        page_struct?.fields.iter().find(|f| f.wire_name == wire && resolved(types, &f.ty) == Some(want))
    };
    let first_field = |names: &[&str], want: &TypeRef| names.iter().find_map(|name| field_of(name, want));
    let query = |names: &[&str], integer: bool| -> Vec<String> {
        let params = op.params_struct.iter().flat_map(|s| &s.query);
        params
            .filter(|p| names.contains(&p.wire_name.as_str()))
            .filter(|p| match resolved(types, &p.ty) {
                Some(ty) if integer => ty.is_number() && !matches!(ty, TypeRef::F32 | TypeRef::F64),
                Some(ty) => *ty == TypeRef::String,
                None => false,
            })
            .map(|p| p.wire_name.clone())
            .collect()
    };

    // The items: `loose` takes a page's only array whatever its name, `strict` only a
    // conventional name (for rules 6 and 7, whose parameters alone say little).
    let arrays: Vec<(&crate::ir::Field, &TypeRef)> = page_struct
        .iter()
        .flat_map(|s| &s.fields)
        .filter_map(|f| match resolved(types, &f.ty) {
            Some(TypeRef::Vec(item)) if !matches!(**item, TypeRef::Nullable(_)) => Some((f, &**item)),
            _ => None,
        })
        .collect();
    let pick = |strict: bool| -> Option<(Access, TypeRef)> {
        if let Some(TypeRef::Vec(item)) = resolved(types, page) {
            return Some((Access::Whole, (**item).clone()));
        }
        let named: Vec<_> = match &hints.ms_pageable {
            Some((_, name)) => arrays.iter().filter(|(f, _)| &f.wire_name == name).collect(),
            None => arrays.iter().filter(|(f, _)| ITEM_FIELDS.contains(&f.wire_name.as_str())).collect(),
        };
        let chosen = match (named.as_slice(), arrays.as_slice()) {
            ([one], _) => *one,
            ([], [only]) if !strict && hints.ms_pageable.is_none() => only,
            _ => return None,
        };
        Some((Access::Field(access(chosen.0)), chosen.1.clone()))
    };
    let items = pick(false);

    // The rules, in the module docs' order.
    let mut explicit: Vec<(PageRule, String)> = Vec::new();
    if let Some((next, _)) = &hints.ms_pageable {
        let Some(next) = next else { return Outcome::None };
        match field_of(next, &TypeRef::String) {
            Some(field) => explicit.push((
                PageRule::NextUrl(access(field)),
                format!("`x-ms-pageable`: the next page's URL in {}", code(next)),
            )),
            None => {
                return Outcome::Ambiguous(format!(
                    "its `x-ms-pageable` names {}, which is not a string field of the response",
                    code(next)
                ))
            }
        }
    } else {
        if hints.link_header {
            explicit.push((PageRule::LinkHeader, "the `rel=\"next\"` URL of the `Link` header".into()));
        }
        if let Some(field) = first_field(&NEXT_URL_FIELDS, &TypeRef::String) {
            explicit.push((
                PageRule::NextUrl(access(field)),
                format!("the next page's URL in {}", code(&field.wire_name)),
            ));
        }
        let token_params = query(&TOKEN_PARAMS, false);
        if let Some(field) = first_field(&NEXT_TOKEN_FIELDS, &TypeRef::String) {
            match token_params.as_slice() {
                [param] => explicit.push((
                    PageRule::Cursor { param: param.clone(), source: CursorSource::Field(access(field)) },
                    format!("{} sent back as the {} query parameter", code(&field.wire_name), code(param)),
                )),
                [] => {}
                _ => {
                    return Outcome::Ambiguous(format!(
                        "{} could go back as any of the query parameters {}",
                        code(&field.wire_name),
                        token_params.iter().map(|p| code(p)).collect::<Vec<_>>().join(", ")
                    ))
                }
            }
        }
        let more = first_field(&MORE_FIELDS, &TypeRef::Bool);
        let after = query(&AFTER_PARAMS, false);
        if let (Some(_), [param]) = (more, after.as_slice()) {
            let last_id = first_field(&LAST_ID_FIELDS, &TypeRef::String);
            let item_id = items.as_ref().and_then(|(_, item)| struct_of(types, item)).and_then(|s| {
                s.fields
                    .iter()
                    .find(|f| f.wire_name == "id" && resolved(types, &f.ty) == Some(&TypeRef::String))
            });
            let source = match (last_id, item_id) {
                (Some(field), _) => Some((CursorSource::Field(access(field)), code(&field.wire_name))),
                (None, Some(field)) => {
                    Some((CursorSource::LastItem(access(field)), "the last item's `id`".into()))
                }
                (None, None) => None,
            };
            if let Some((source, words)) = source {
                explicit.push((
                    PageRule::Cursor { param: param.clone(), source },
                    format!(
                        "{words} sent back as the {} query parameter while `has_more` is true",
                        code(param)
                    ),
                ));
            }
        }
    }
    let mut implicit: Vec<(PageRule, String)> = Vec::new();
    if let [param] = query(&OFFSET_PARAMS, true).as_slice() {
        implicit.push((
            PageRule::Offset { param: param.clone() },
            format!("the {} query parameter moved past each page's items", code(param)),
        ));
    }
    if let [param] = query(&PAGE_PARAMS, true).as_slice() {
        implicit.push((
            PageRule::PageNumber { param: param.clone() },
            format!("the {} query parameter counted up from 1", code(param)),
        ));
    }
    let strict = explicit.is_empty();
    let candidates = if strict { implicit } else { explicit };
    let (rule, description) = match candidates.len() {
        0 => return Outcome::None,
        1 => candidates.into_iter().next().expect("one candidate"),
        _ => {
            let ways = candidates.iter().map(|(_, words)| words.as_str()).collect::<Vec<_>>().join("; or ");
            return Outcome::Ambiguous(format!("it could go to its next page in more than one way ({ways})"));
        }
    };
    let Some((items, item)) = (if strict { pick(true) } else { items }) else {
        if strict {
            // An `offset` or `page` parameter beside no list of items: not a paginated list.
            return Outcome::None;
        }
        return Outcome::Ambiguous("it is not clear which array of the response holds the items".into());
    };
    Outcome::Found(Box::new(Pagination {
        method_name: String::new(),
        page: page.clone(),
        item,
        items,
        rule,
        more: first_field(&MORE_FIELDS, &TypeRef::Bool).map(access),
        description,
    }))
}
