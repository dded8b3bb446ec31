//! Which types are sent in requests. Only there does an optional `nullable` property need three
//! states (left out, `null`, a value: in a PATCH body, "keep", "clear" and "set"); in a type
//! that is only ever received, `None` for both missing and `null` is what a reader wants.

use std::collections::BTreeSet;

use crate::ir::{Resource, TypeDef, TypeKind, TypeRef};

/// Keeps `clearable` on the fields of types that a request body holds, at any depth, and clears
/// it everywhere else.
pub fn keep_clearable_fields_in_requests(types: &mut [TypeDef], root: &Resource) {
    let mut bodies = Vec::new();
    request_bodies(root, &mut bodies);
    let sent = reachable(types, bodies);
    for def in types.iter_mut() {
        let in_requests = sent.contains(def.name.as_str());
        for field in fields_mut(&mut def.kind) {
            field.clearable &= in_requests;
        }
    }
}

fn request_bodies<'a>(resource: &'a Resource, bodies: &mut Vec<&'a TypeRef>) {
    bodies.extend(resource.operations.iter().filter_map(|op| op.body.as_ref()).map(|body| &body.ty));
    for child in &resource.children {
        request_bodies(child, bodies);
    }
}

/// The names of the types `roots` hold, and the types those hold, and so on.
fn reachable(types: &[TypeDef], roots: Vec<&TypeRef>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut pending: Vec<String> = roots.iter().flat_map(|ty| ty.names()).map(str::to_owned).collect();
    while let Some(name) = pending.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(def) = types.iter().find(|def| def.name == name) else { continue };
        pending.extend(def.kind.held_types().into_iter().flat_map(TypeRef::names).map(str::to_owned));
    }
    seen
}

fn fields_mut(kind: &mut TypeKind) -> Vec<&mut crate::ir::Field> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter_mut().collect(),
        TypeKind::TaggedEnum(e) => e.variants.iter_mut().flat_map(|v| v.fields.iter_mut()).collect(),
        _ => Vec::new(),
    }
}
