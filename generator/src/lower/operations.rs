//! Lowering operations: parameters, bodies and responses, grouped into a resource tree that
//! follows the literal segments of each path (`/zones/{zone_id}/secrets` -> `zones().secrets()`).

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{Operation as OpenApiOperation, PathItem, ReferenceOr};

use super::bodies;
use super::pagination::{self, PageHints};
use super::parameters::{merged_parameters, Location};
use super::schemas::TypeRegistry;
use super::Ctx;
use crate::error::{Error, Pointer, Warning};
use crate::ir::{Events, HttpMethod, Operation, Param, ParamsStruct, PathPart, Resource, TypeRef};
use crate::names::{self, Scope};

/// How many segments a path may have (real APIs stay far below).
const MAX_PATH_SEGMENTS: usize = 64;

/// Method names the client itself defines; operations on the root must not shadow them.
pub const CLIENT_METHODS: &[&str] = &["builder", "from_env", "new", "base_url", "clone", "fmt"];

/// Names the generated `resources` module uses for its own imports.
const RESOURCES_MODULE_NAMES: &[&str] = &["Client", "Call", "RequestBuilder", "types"];

/// Operations, lowered and grouped, plus the body type their error responses share.
pub struct LoweredOperations {
    pub root: Resource,
    pub error_body: Option<TypeRef>,
    /// What each operation's document says about pages, by operation id, for the pagination
    /// pass (which needs every type lowered first).
    pub page_hints: BTreeMap<String, PageHints>,
}

/// One operation before it finds its place (and its method name) in the resource tree.
struct Placed {
    segments: Vec<String>,
    /// For each literal segment, the path template up to and including it (for docs).
    prefixes: Vec<String>,
    ends_with_param: bool,
    operation_id: Option<String>,
    error_body: Option<TypeRef>,
    page_hints: PageHints,
    operation: Operation,
}

pub fn lower_operations<'d>(
    ctx: &Ctx<'d>,
    registry: &mut TypeRegistry<'d>,
    warnings: &mut Vec<Warning>,
) -> Result<LoweredOperations, Error> {
    check_paths(ctx, warnings)?;
    let mut placed = Vec::new();
    let mut paths: Vec<(&String, &ReferenceOr<PathItem>)> = ctx.doc.paths.paths.iter().collect();
    paths.sort_by(|a, b| a.0.cmp(b.0));
    for (template, item) in paths {
        let path_at = Pointer::root().join("paths").join(template);
        let ReferenceOr::Item(item) = item else {
            warnings.push(Warning {
                pointer: path_at,
                message: "this `$ref` leads to no path item of this document (it goes round in a circle, points at nothing, or to another file); skipped".into(),
            });
            continue;
        };
        for (method, operation) in methods(item) {
            let at = path_at.join(method.as_str().to_lowercase());
            let input = OperationInput { template, item, method, operation, path_at: &path_at, at: &at };
            if let Some(op) = lower_operation(ctx, registry, warnings, input)? {
                placed.push(op);
            }
        }
    }
    let error_body = shared_error_body(&placed);
    let page_hints = placed
        .iter_mut()
        .map(|p| (p.operation.operation_id.clone(), std::mem::take(&mut p.page_hints)))
        .collect();
    Ok(LoweredOperations { root: build_tree(placed), error_body, page_hints })
}

/// Rules about paths as a whole, checked in document order so that messages name the
/// second of two clashing places.
fn check_paths(ctx: &Ctx<'_>, warnings: &mut Vec<Warning>) -> Result<(), Error> {
    let invalid = |pointer: Pointer, message: String| Error::Invalid {
        origin: ctx.origin.to_owned(),
        pointer,
        message,
    };
    let mut shapes: BTreeMap<String, &str> = BTreeMap::new();
    let mut ids: BTreeMap<&str, Pointer> = BTreeMap::new();
    for (template, item) in &ctx.doc.paths.paths {
        let path_at = Pointer::root().join("paths").join(template);

        // Resources nest one level per path segment; the tree is walked recursively.
        let segments = template.split('/').filter(|s| !s.is_empty()).count();
        if segments > MAX_PATH_SEGMENTS {
            return Err(invalid(
                path_at,
                format!("path has {segments} segments; more than {MAX_PATH_SEGMENTS} are not supported"),
            ));
        }
        // `/a/{x}` and `/a/{y}` are the same path to a server.
        let shape: String = template
            .split('{')
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part.to_owned()
                } else {
                    format!("{{}}{}", part.split_once('}').map_or("", |p| p.1))
                }
            })
            .collect();
        // The specification forbids this, but published documents do it (on different
        // methods); the client can still call both, so it is only worth a warning.
        if let Some(first) = shapes.insert(shape, template) {
            warnings.push(Warning {
                pointer: path_at.clone(),
                message: format!("`{template}` and `{first}` differ only in their parameter names, so they are the same path"),
            });
        }
        let ReferenceOr::Item(item) = item else { continue };
        for (method, operation) in methods(item) {
            let Some(id) = operation.operation_id.as_deref() else { continue };
            let at = path_at.join(method.as_str().to_lowercase()).join("operationId");
            if let Some(first) = ids.insert(id, at.clone()) {
                return Err(invalid(
                    at,
                    format!("operationId `{id}` is already used at {first}; operationIds must be unique"),
                ));
            }
        }
    }
    Ok(())
}

fn methods(item: &PathItem) -> impl Iterator<Item = (HttpMethod, &OpenApiOperation)> {
    [
        (HttpMethod::Get, &item.get),
        (HttpMethod::Put, &item.put),
        (HttpMethod::Post, &item.post),
        (HttpMethod::Delete, &item.delete),
        (HttpMethod::Options, &item.options),
        (HttpMethod::Head, &item.head),
        (HttpMethod::Patch, &item.patch),
        (HttpMethod::Trace, &item.trace),
    ]
    .into_iter()
    .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
}

struct OperationInput<'d, 'a> {
    template: &'d str,
    item: &'d PathItem,
    method: HttpMethod,
    operation: &'d OpenApiOperation,
    path_at: &'a Pointer,
    at: &'a Pointer,
}

fn lower_operation<'d>(
    ctx: &Ctx<'d>,
    registry: &mut TypeRegistry<'d>,
    warnings: &mut Vec<Warning>,
    input: OperationInput<'d, '_>,
) -> Result<Option<Placed>, Error> {
    let OperationInput { template, item, method, operation, path_at, at } = input;
    let raw_name =
        operation.operation_id.clone().unwrap_or_else(|| format!("{} {template}", method.as_str()));
    let parameters = merged_parameters(ctx, item, operation, path_at, at)?;

    let body = match &operation.request_body {
        None => None,
        Some(body) => {
            let body_at = at.join("requestBody");
            let lowered = bodies::lower_request_body(ctx, registry, body, &raw_name, &body_at)?;
            if lowered.is_none() {
                warnings.push(Warning {
                    pointer: body_at.join("content"),
                    message: format!(
                        "the request body declares no media type; operation `{raw_name}` sends none"
                    ),
                });
            }
            lowered
        }
    };
    let body_fields: BTreeSet<String> = body
        .as_ref()
        .map(|b| b.properties.iter().map(|p| names::value_name(p)).collect())
        .unwrap_or_default();

    let mut arguments = Scope::with_reserved(["self", "body", "params", "form"]);
    let mut path_params = Vec::new();
    let mut fields = Scope::new();
    let (mut query, mut headers, mut cookies) = (Vec::new(), Vec::new(), Vec::new());
    let mut request_id_header = None;
    for declared in &parameters {
        let data = declared.data;
        let (schema, schema_at) = declared.schema();
        let lowered = match schema {
            Some(schema) => registry.lower(schema, &schema_at, &format!("{raw_name} {}", data.name))?,
            None => super::schemas::Lowered::plain(TypeRef::String),
        };
        if declared.is_request_id_header(&lowered.ty) {
            request_id_header = Some(data.name.clone());
            continue;
        }
        let rust_name = match declared.location {
            // Where the body has a field of the same name, say which one the argument is.
            Location::Path if body_fields.contains(&names::value_name(&data.name)) => {
                arguments.claim(names::value_name(&format!("path {}", data.name)))
            }
            Location::Path => arguments.claim(names::value_name(&data.name)),
            _ => fields.claim(names::value_name(&data.name)),
        };
        let param = Param {
            rust_name,
            wire_name: data.name.clone(),
            docs: data.description.clone().or(lowered.docs),
            ty: lowered.ty,
            required: data.required || declared.location == Location::Path,
            constraints: lowered.constraints,
            style: declared.style,
            explode: declared.explode(),
            json_content: declared.is_content(),
        };
        match declared.location {
            Location::Path => path_params.push(param),
            Location::Query => query.push(param),
            Location::Header => headers.push(param),
            Location::Cookie => cookies.push(param),
        }
    }

    let path = parse_template(ctx, template, &path_params, path_at)?;
    let params_struct =
        (!query.is_empty() || !headers.is_empty() || !cookies.is_empty()).then(|| ParamsStruct {
            type_name: registry.claim_name(&format!("{raw_name} params")),
            operation_id: raw_name.clone(),
            query,
            headers,
            cookies,
        });
    let responses = bodies::lower_responses(ctx, registry, warnings, operation, &raw_name, at)?;
    let (response, error_body) = (responses.result, responses.error);
    let events = responses.events.map(|found| Events {
        method_name: String::new(),
        only: responses.only_events,
        data: found.data,
        terminator: Some(found.terminator),
        origin: found.origin.to_string(),
    });
    let page_hints = pagination::hints(ctx, operation, at)?;

    let mut segments = Vec::new();
    let mut prefixes = Vec::new();
    let mut prefix = String::new();
    for segment in template.split('/').filter(|s| !s.is_empty()) {
        prefix.push('/');
        prefix.push_str(segment);
        if !segment.contains('{') {
            segments.push(segment.to_owned());
            prefixes.push(prefix.clone());
        }
    }
    Ok(Some(Placed {
        segments,
        prefixes,
        ends_with_param: template.trim_end_matches('/').ends_with('}'),
        operation_id: operation.operation_id.clone(),
        error_body: error_body.clone(),
        page_hints,
        operation: Operation {
            method_name: String::new(),
            operation_id: raw_name,
            http_method: method,
            path_template: template.to_owned(),
            path,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            path_params,
            params_struct,
            request_id_header,
            body: body.map(|b| b.body),
            response,
            error_body,
            deprecated: operation.deprecated,
            events,
            pagination: None,
        },
    }))
}

fn parse_template(
    ctx: &Ctx<'_>,
    template: &str,
    path_params: &[Param],
    path_at: &Pointer,
) -> Result<Vec<PathPart>, Error> {
    let invalid =
        |message: String| Error::Invalid { origin: ctx.origin.to_owned(), pointer: path_at.clone(), message };
    let mut parts = Vec::new();
    let mut used = BTreeSet::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map(|c| open + c).ok_or_else(|| {
            invalid(format!("path template `{template}` has a `{{` without a matching `}}`"))
        })?;
        if open > 0 {
            parts.push(PathPart::Literal(rest[..open].to_owned()));
        }
        let name = &rest[open + 1..close];
        if name.is_empty() {
            return Err(invalid(format!(
                "path template `{template}` has an empty `{{}}`: name the parameter"
            )));
        }
        let index = path_params.iter().position(|p| p.wire_name == name).ok_or_else(|| {
            invalid(format!(
                "path template `{template}` names `{{{name}}}`, but no path parameter `{name}` is declared"
            ))
        })?;
        used.insert(index);
        parts.push(PathPart::Param(index));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_owned()));
    }
    if let Some(unused) = path_params.iter().enumerate().find(|(i, _)| !used.contains(i)) {
        return Err(invalid(format!(
            "path parameter `{}` is declared, but path template `{template}` has no `{{{}}}`",
            unused.1.wire_name, unused.1.wire_name
        )));
    }
    Ok(parts)
}

/// The error body type when every operation that declares one declares the same.
fn shared_error_body(placed: &[Placed]) -> Option<TypeRef> {
    let mut bodies = placed.iter().filter_map(|p| p.error_body.as_ref());
    let first = bodies.next()?;
    Some(if bodies.all(|b| b == first) { first.clone() } else { TypeRef::Json })
}

#[derive(Default)]
struct Node {
    /// The path template up to this node's segment, from the first operation that reached it.
    prefix: String,
    operations: Vec<Placed>,
    children: BTreeMap<String, Node>,
}

fn build_tree(placed: Vec<Placed>) -> Resource {
    let mut root = Node::default();
    for op in placed {
        let mut node = &mut root;
        for (segment, prefix) in op.segments.iter().zip(&op.prefixes) {
            node = node.children.entry(segment.clone()).or_default();
            if node.prefix.is_empty() {
                node.prefix = prefix.clone();
            }
        }
        node.operations.push(op);
    }
    let mut type_names = Scope::with_reserved(RESOURCES_MODULE_NAMES.iter().copied());
    finish_node(root, &[], &mut Scope::with_reserved(CLIENT_METHODS.iter().copied()), &mut type_names)
}

fn finish_node(node: Node, segments: &[String], members: &mut Scope, type_names: &mut Scope) -> Resource {
    let resource_words: BTreeSet<String> = segments
        .iter()
        .flat_map(|s| {
            names::value_name(s).trim_start_matches("r#").split('_').map(str::to_owned).collect::<Vec<_>>()
        })
        .flat_map(|w| [w.trim_end_matches('s').to_owned(), w])
        .collect();
    let mut operations = Vec::new();
    let mut ops = node.operations;
    ops.sort_by(|a, b| {
        (&a.operation.path_template, a.operation.http_method)
            .cmp(&(&b.operation.path_template, b.operation.http_method))
    });
    for mut placed in ops {
        let full = match &placed.operation_id {
            Some(id) => names::method_name(id),
            None => default_method_name(placed.operation.http_method, placed.ends_with_param).to_owned(),
        };
        let short: Vec<&str> =
            names::unraw(&full).split('_').filter(|w| !resource_words.contains(*w)).collect();
        let short = names::method_name(&short.join("_"));
        placed.operation.method_name = if !short.is_empty() && short != "value" && !members.is_taken(&short) {
            members.claim(short)
        } else if members.is_taken(&full) && placed.operation_id.is_none() {
            members.claim(names::method_name(&placed.operation.operation_id))
        } else {
            members.claim(full)
        };
        if let Some(events) = &mut placed.operation.events {
            events.method_name = if events.only {
                placed.operation.method_name.clone()
            } else {
                let stream = format!("{}_stream", names::unraw(&placed.operation.method_name));
                members.claim(names::method_name(&stream))
            };
        }
        operations.push(placed.operation);
    }
    let mut children = Vec::new();
    for (segment, child) in node.children {
        let path_prefix = child.prefix.clone();
        let accessor = members.claim(names::method_name(&segment));
        let child_segments: Vec<String> = segments.iter().cloned().chain([segment.clone()]).collect();
        let mut child_members = Scope::new();
        let mut resource = finish_node(child, &child_segments, &mut child_members, type_names);
        resource.segment = segment;
        resource.accessor = accessor;
        resource.type_name = type_names.claim(names::type_name(&child_segments.join(" ")));
        resource.path_prefix = path_prefix;
        children.push(resource);
    }
    Resource {
        segment: String::new(),
        accessor: String::new(),
        type_name: String::new(),
        path_prefix: String::new(),
        operations,
        children,
    }
}

fn default_method_name(method: HttpMethod, ends_with_param: bool) -> &'static str {
    match method {
        HttpMethod::Get if ends_with_param => "retrieve",
        HttpMethod::Get => "list",
        HttpMethod::Post => "create",
        HttpMethod::Put => "replace",
        HttpMethod::Patch => "update",
        HttpMethod::Delete => "delete",
        HttpMethod::Head => "head",
        HttpMethod::Options => "options",
        HttpMethod::Trace => "trace",
    }
}
