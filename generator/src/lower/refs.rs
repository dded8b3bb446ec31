//! Resolving local `$ref`s (`#/components/...`), following chains and refusing cycles.

use std::collections::HashSet;

use openapiv3::{Header, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema};

use super::Ctx;
use crate::error::{Error, Pointer};

/// The component kinds a `$ref` may name, and how to find one in the document.
pub trait Component: Sized + 'static {
    const SECTION: &'static str;
    fn lookup<'d>(doc: &'d OpenAPI, name: &str) -> Option<&'d ReferenceOr<Self>>;
}

macro_rules! component {
    ($ty:ty, $section:literal, $field:ident) => {
        impl Component for $ty {
            const SECTION: &'static str = $section;
            fn lookup<'d>(doc: &'d OpenAPI, name: &str) -> Option<&'d ReferenceOr<Self>> {
                doc.components.as_ref()?.$field.get(name)
            }
        }
    };
}

component!(Schema, "schemas", schemas);
component!(Parameter, "parameters", parameters);
component!(RequestBody, "requestBodies", request_bodies);
component!(Response, "responses", responses);
component!(Header, "headers", headers);

/// The component name a `$ref` of kind `T` points at, if it has the `#/components/<kind>/<name>` form.
pub fn component_name<T: Component>(reference: &str) -> Option<&str> {
    let rest = reference.strip_prefix("#/components/")?.strip_prefix(T::SECTION)?.strip_prefix('/')?;
    (!rest.contains('/')).then_some(rest)
}

/// Follows `$ref`s from `item` (found at `at`) to the item itself and where it lives.
pub fn resolve<'d, T: Component>(
    ctx: &Ctx<'d>,
    item: &'d ReferenceOr<T>,
    at: &Pointer,
) -> Result<(&'d T, Pointer), Error> {
    match item {
        ReferenceOr::Item(item) => Ok((item, at.clone())),
        ReferenceOr::Reference { reference } => resolve_reference(ctx, reference, at),
    }
}

/// Follows the `$ref: reference` found at `at`, through any chain of references.
pub fn resolve_reference<'d, T: Component>(
    ctx: &Ctx<'d>,
    reference: &'d str,
    at: &Pointer,
) -> Result<(&'d T, Pointer), Error> {
    let mut reference = reference;
    let mut from = at.clone();
    // The names passed so far, in order (for the message) and as a set (chains can be long).
    let mut chain: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    loop {
        let dangling = |reason: String| Error::DanglingRef {
            origin: ctx.origin.to_owned(),
            pointer: from.join("$ref"),
            reference: reference.to_owned(),
            reason,
        };
        let name =
            component_name::<T>(reference).ok_or_else(|| dangling(unsupported_reference::<T>(reference)))?;
        let name = unescape(name);
        if !seen.insert(name.clone()) {
            chain.push(name);
            return Err(dangling(format!("the references go round in a circle: {}", chain.join(" -> "))));
        }
        let target = T::lookup(ctx.doc, &name)
            .ok_or_else(|| dangling(format!("there is no `{name}` in `components/{}`", T::SECTION)))?;
        from = Pointer::root().join("components").join(T::SECTION).join(&name);
        chain.push(name);
        match target {
            ReferenceOr::Item(item) => return Ok((item, from)),
            ReferenceOr::Reference { reference: next } => reference = next,
        }
    }
}

/// Why a reference is not one we can follow, and what is expected instead.
fn unsupported_reference<T: Component>(reference: &str) -> String {
    let expected = format!("`#/components/{}/<name>`", T::SECTION);
    if let Some(section) = reference.strip_prefix("#/components/").and_then(|rest| rest.split('/').next()) {
        if section != T::SECTION {
            return format!(
                "this points into `components/{section}`, but a reference here must be {expected}"
            );
        }
    }
    if !reference.starts_with('#') {
        return format!(
            "references to other files or URLs are not supported; inline the target or use {expected}"
        );
    }
    format!("nothing in the document is at `{reference}`")
}

/// Reference tokens in a `$ref` are escaped (RFC 6901) and may be percent-encoded (URI fragment).
pub fn unescape(token: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(token).decode_utf8_lossy();
    decoded.replace("~1", "/").replace("~0", "~")
}
