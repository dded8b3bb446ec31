//! A pass over the lowered types: a type that contains itself, directly or through other
//! types, has infinite size in Rust. The fields that close such a cycle without an
//! indirection (`Vec`, map) get a `Box`.

use std::collections::BTreeMap;

use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::ir::{TypeDef, TypeKind, TypeRef};

// Strongly connected components by Kosaraju's algorithm, which petgraph runs with explicit
// stacks: its Tarjan is recursive, and overflowed the stack on a 5,000-schema cycle.
pub fn box_recursive_fields(types: &mut [TypeDef]) {
    newtype_recursive_aliases(types);
    let mut graph = DiGraph::<usize, ()>::new();
    let nodes: Vec<NodeIndex> = (0..types.len()).map(|i| graph.add_node(i)).collect();
    let index: BTreeMap<String, usize> = types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
    for (i, def) in types.iter().enumerate() {
        for ty in contained_types(&def.kind) {
            for name in inline_names(ty) {
                if let Some(&j) = index.get(name) {
                    graph.add_edge(nodes[i], nodes[j], ());
                }
            }
        }
    }
    let mut component = vec![usize::MAX; types.len()];
    for (c, scc) in kosaraju_scc(&graph).into_iter().enumerate() {
        for node in scc {
            component[graph[node]] = c;
        }
    }
    let in_cycle_with =
        |owner: usize, name: &str| index.get(name).is_some_and(|&j| component[j] == component[owner]);
    for (i, def) in types.iter_mut().enumerate() {
        for ty in contained_types_mut(&mut def.kind) {
            let closes_cycle = inline_names(ty).iter().any(|name| in_cycle_with(i, name));
            if closes_cycle {
                let inner = std::mem::replace(ty, TypeRef::Unit);
                *ty = TypeRef::Boxed(Box::new(inner));
            }
        }
    }
}

/// `type Tree = Vec<Tree>` does not compile: an alias that reaches itself through other
/// aliases becomes a newtype struct.
fn newtype_recursive_aliases(types: &mut [TypeDef]) {
    let mut graph = DiGraph::<usize, ()>::new();
    let nodes: Vec<NodeIndex> = (0..types.len()).map(|i| graph.add_node(i)).collect();
    let index: BTreeMap<String, usize> = types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
    for (i, def) in types.iter().enumerate() {
        if let TypeKind::Alias(target) = &def.kind {
            for name in target.names() {
                if let Some(&j) = index.get(name).filter(|&&j| matches!(types[j].kind, TypeKind::Alias(_))) {
                    graph.add_edge(nodes[i], nodes[j], ());
                }
            }
        }
    }
    for scc in kosaraju_scc(&graph) {
        let cyclic = scc.len() > 1 || graph.contains_edge(scc[0], scc[0]);
        if !cyclic {
            continue;
        }
        for node in scc {
            let def = &mut types[graph[node]];
            if let TypeKind::Alias(target) = &def.kind {
                def.kind = TypeKind::Newtype(target.clone());
            }
        }
    }
}

/// The types a definition holds by value (fields, variants, alias targets).
fn contained_types(kind: &TypeKind) -> Vec<&TypeRef> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
        TypeKind::TaggedEnum(e) => e.variants.iter().flat_map(|v| v.fields.iter().map(|f| &f.ty)).collect(),
        TypeKind::UntaggedEnum(variants) => variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
        // Nothing refers to an event enum or a form, so they are never part of a cycle.
        TypeKind::StringEnum(_) | TypeKind::StatusEnum(_) | TypeKind::EventEnum(_) | TypeKind::Form(_) => {
            Vec::new()
        }
    }
}

fn contained_types_mut(kind: &mut TypeKind) -> Vec<&mut TypeRef> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter_mut().map(|f| &mut f.ty).collect(),
        TypeKind::TaggedEnum(e) => {
            e.variants.iter_mut().flat_map(|v| v.fields.iter_mut().map(|f| &mut f.ty)).collect()
        }
        TypeKind::UntaggedEnum(variants) => variants.iter_mut().map(|v| &mut v.ty).collect(),
        TypeKind::Newtype(ty) => vec![ty],
        // An alias cannot be boxed; the fields that use it are.
        TypeKind::Alias(_) | // Nothing refers to an event enum or a form, so they are never part of a cycle.
        TypeKind::StringEnum(_) | TypeKind::StatusEnum(_) | TypeKind::EventEnum(_) | TypeKind::Form(_) => Vec::new(),
    }
}

/// Named types a value of `ty` holds without indirection.
fn inline_names(ty: &TypeRef) -> Vec<&str> {
    match ty {
        TypeRef::Named(name) => vec![name.as_str()],
        TypeRef::Nullable(inner) => inline_names(inner),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Constraints, Field, Struct};

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            rust_name: name.into(),
            wire_name: name.into(),
            docs: None,
            ty,
            required: false,
            nullable: false,
            clearable: false,
            constraints: Constraints::default(),
        }
    }

    fn strukt(name: &str, fields: Vec<Field>) -> TypeDef {
        TypeDef {
            name: name.into(),
            docs: None,
            origin: String::new(),
            kind: TypeKind::Struct(Struct { fields, additional: None }),
        }
    }

    fn field_types(def: &TypeDef) -> Vec<TypeRef> {
        match &def.kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| f.ty.clone()).collect(),
            _ => unreachable!(),
        }
    }

    #[test]
    fn boxes_self_and_mutual_recursion_but_not_through_vec_or_acyclic_fields() {
        let named = |n: &str| TypeRef::Named(n.into());
        let mut types = vec![
            strukt(
                "Node",
                vec![field("next", named("Node")), field("children", TypeRef::Vec(Box::new(named("Node"))))],
            ),
            strukt("A", vec![field("b", named("B")), field("leaf", named("Leaf"))]),
            strukt("B", vec![field("a", named("A"))]),
            strukt("Leaf", vec![field("x", TypeRef::String)]),
        ];
        box_recursive_fields(&mut types);
        let boxed = |n: &str| TypeRef::Boxed(Box::new(TypeRef::Named(n.into())));
        assert_eq!(field_types(&types[0]), [boxed("Node"), TypeRef::Vec(Box::new(named("Node")))]);
        assert_eq!(field_types(&types[1]), [boxed("B"), named("Leaf")]);
        assert_eq!(field_types(&types[2]), [boxed("A")]);
    }

    #[test]
    fn self_referring_aliases_become_newtypes() {
        let alias = |name: &str, ty: TypeRef| TypeDef {
            name: name.into(),
            docs: None,
            origin: String::new(),
            kind: TypeKind::Alias(ty),
        };
        let mut types = vec![
            alias("Tree", TypeRef::Vec(Box::new(TypeRef::Named("Tree".into())))),
            alias("Name", TypeRef::String),
        ];
        box_recursive_fields(&mut types);
        assert!(matches!(types[0].kind, TypeKind::Newtype(_)));
        assert!(matches!(types[1].kind, TypeKind::Alias(_)));
    }
}
