//! The crate's Cargo features: one per top-level resource, so that a user who needs one
//! resource of a large API compiles only that resource and the types it uses.
//!
//! The rule:
//! - From the root of the resource tree, walk down through resources that have one child and
//!   no operations (Stripe's `/v1`). The children of the first resource that branches are the
//!   features (`/v1/customers` -> `customers`, `/v1/payment_intents` -> `payment-intents`), if
//!   there are at least two; otherwise the crate has none and nothing is gated.
//! - A feature compiles its resource, every resource below it, and the params structs of their
//!   operations.
//! - A named type is compiled under the features whose operations use it, through any chain of
//!   types (fields, variants, aliases, forms, results by status, events, pages). A type used by
//!   an operation above the features' level, by the error body every operation shares, or by
//!   every feature is always compiled; a type no operation uses only with `full`.

use std::collections::BTreeMap;

use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::ir::{
    EventData, Feature, FeaturePlan, Gate, Operation, Resource, ResponseBody, TypeDef, TypeKind, TypeRef,
};
use crate::names::{self, Scope};

/// The plan for a lowered API; empty when it has fewer than two top-level resources.
pub fn plan(root: &Resource, types: &[TypeDef], error_body: Option<&TypeRef>) -> FeaturePlan {
    let (above, level, receiver) = feature_level(root);
    if level.children.len() < 2 {
        return FeaturePlan::default();
    }
    let mut scope = Scope::with_reserved(names::FEATURES_OF_EVERY_CRATE);
    let features: Vec<Feature> = level
        .children
        .iter()
        .map(|child| Feature {
            name: names::claim_feature(&mut scope, &child.segment),
            resource: child.type_name.clone(),
            accessor_path: format!("{receiver}.{}()", child.accessor),
            path_prefix: child.path_prefix.clone(),
        })
        .collect();

    let mut reach = Reach::new(types, features.len());
    // Bit `features.len()`: used where no feature is needed.
    let always = features.len();
    for resource in above.iter().copied().chain([level]) {
        for op in &resource.operations {
            reach.seed(always, operation_types(op));
        }
    }
    reach.seed(always, error_body.into_iter().flat_map(TypeRef::names));
    let mut resources = BTreeMap::new();
    let mut params = BTreeMap::new();
    for (bit, (feature, child)) in features.iter().zip(&level.children).enumerate() {
        let gate = Gate::AnyOf(vec![feature.name.clone()]);
        for resource in child.descendants() {
            resources.insert(resource.type_name.clone(), gate.clone());
            for op in &resource.operations {
                reach.seed(bit, operation_types(op));
                if let Some(params_struct) = &op.params_struct {
                    params.insert(params_struct.type_name.clone(), gate.clone());
                }
            }
        }
    }
    reach.propagate();

    let mut gates = reach.gates(types, &features);
    gates.extend(params);
    FeaturePlan { features, resources, types: gates }
}

/// The resources above the features' level (each with one child and no operations), the
/// resource at that level, and how a user reaches it (`client.v1()`).
fn feature_level(root: &Resource) -> (Vec<&Resource>, &Resource, String) {
    let mut above = Vec::new();
    let mut level = root;
    let mut receiver = String::from("client");
    while let [only] = level.children.as_slice() {
        if !level.operations.is_empty() {
            break;
        }
        above.push(level);
        receiver = format!("{receiver}.{}()", only.accessor);
        level = only;
    }
    (above, level, receiver)
}

/// The named types an operation mentions itself: parameters, body, result, error body, events
/// and pages.
fn operation_types(op: &Operation) -> impl Iterator<Item = &str> {
    let params = op.path_params.iter().chain(op.params_struct.iter().flat_map(|s| s.all()));
    let response = match &op.response {
        ResponseBody::Json(ty) => ty.names(),
        ResponseBody::ByStatus(name) => vec![name.as_str()],
        ResponseBody::Text | ResponseBody::Bytes | ResponseBody::Empty => Vec::new(),
    };
    let events = op.events.iter().flat_map(|events| event_data_types(&events.data));
    let pages = op.pagination.iter().flat_map(|p| p.page.names().into_iter().chain(p.item.names()));
    params
        .flat_map(|p| p.ty.names())
        .chain(op.body.iter().flat_map(|body| body.ty.names()))
        .chain(response)
        .chain(op.error_body.iter().flat_map(TypeRef::names))
        .chain(events)
        .chain(pages)
}

fn event_data_types(data: &EventData) -> Vec<&str> {
    match data {
        EventData::Json(ty) => ty.names(),
        EventData::Named(name) => vec![name.as_str()],
        EventData::Text => Vec::new(),
    }
}

/// Every named type a type's definition mentions: what it holds, and for results by status and
/// event enums, the bodies of their variants.
fn referenced_types(kind: &TypeKind) -> Vec<&str> {
    match kind {
        TypeKind::StatusEnum(variants) => variants
            .iter()
            .flat_map(|v| match &v.body {
                ResponseBody::Json(ty) => ty.names(),
                ResponseBody::ByStatus(name) => vec![name.as_str()],
                ResponseBody::Text | ResponseBody::Bytes | ResponseBody::Empty => Vec::new(),
            })
            .collect(),
        TypeKind::EventEnum(variants) => variants.iter().flat_map(|v| event_data_types(&v.data)).collect(),
        _ => kind.held_types().into_iter().flat_map(TypeRef::names).collect(),
    }
}

/// Which features reach each type: a set of bits per type (one per feature, and one for "no
/// feature needed"), seeded from the operations and spread from each type to the types it
/// refers to. Sets of bits keep this fast when a hundred features reach thousands of shared
/// types.
struct Reach<'a> {
    index: BTreeMap<&'a str, usize>,
    references: Vec<Vec<usize>>,
    bits: Vec<Vec<u64>>,
}

impl<'a> Reach<'a> {
    fn new(types: &'a [TypeDef], features: usize) -> Self {
        let index: BTreeMap<&str, usize> =
            types.iter().enumerate().map(|(i, def)| (def.name.as_str(), i)).collect();
        let references = types
            .iter()
            .map(|def| {
                referenced_types(&def.kind).into_iter().filter_map(|name| index.get(name).copied()).collect()
            })
            .collect();
        let words = (features + 1).div_ceil(64);
        Reach { index, references, bits: vec![vec![0; words]; types.len()] }
    }

    fn seed<'n>(&mut self, bit: usize, names: impl IntoIterator<Item = &'n str>) {
        for name in names {
            if let Some(&at) = self.index.get(name) {
                self.bits[at][bit / 64] |= 1 << (bit % 64);
            }
        }
    }

    /// Gives each type the bits of every type that refers to it, directly or not: once per
    /// strongly connected component of the references (the types of a cycle share their
    /// bits), referrers before the types they refer to. A worklist that spread bits type by
    /// type would go round a cycle of `n` types up to `n` times.
    fn propagate(&mut self) {
        let mut graph = DiGraph::<usize, ()>::new();
        let nodes: Vec<NodeIndex> = (0..self.bits.len()).map(|i| graph.add_node(i)).collect();
        for (from, references) in self.references.iter().enumerate() {
            for &to in references {
                graph.add_edge(nodes[from], nodes[to], ());
            }
        }
        // Kosaraju's algorithm (explicit stacks, as in `recursion.rs`) gives the components in
        // reverse topological order: those that refer to others come last.
        let components: Vec<Vec<usize>> = kosaraju_scc(&graph)
            .into_iter()
            .map(|scc| scc.into_iter().map(|node| graph[node]).collect())
            .collect();
        let mut component_of = vec![0; self.bits.len()];
        for (c, members) in components.iter().enumerate().rev() {
            for &member in members {
                component_of[member] = c;
            }
        }
        for (c, members) in components.iter().enumerate().rev() {
            let mut bits = vec![0; self.bits[members[0]].len()];
            for &member in members {
                or_into(&mut bits, &self.bits[member]);
            }
            for &member in members {
                self.bits[member].clone_from(&bits);
                for &to in &self.references[member] {
                    if component_of[to] != c {
                        or_into(&mut self.bits[to], &bits);
                    }
                }
            }
        }
    }

    /// The gate of every type that is not always compiled.
    fn gates(&self, types: &[TypeDef], features: &[Feature]) -> BTreeMap<String, Gate> {
        let has = |bits: &[u64], bit: usize| bits[bit / 64] & (1 << (bit % 64)) != 0;
        let mut gates = BTreeMap::new();
        for (def, bits) in types.iter().zip(&self.bits) {
            // The "no feature needed" bit is the last one, so this counts the features.
            let reached = bits.iter().map(|word| word.count_ones() as usize).sum::<usize>();
            let gate = if has(bits, features.len()) || reached == features.len() {
                continue;
            } else if reached == 0 {
                Gate::Full
            } else {
                let names = features.iter().enumerate().filter(|(bit, _)| has(bits, *bit));
                Gate::AnyOf(names.map(|(_, feature)| feature.name.clone()).collect())
            };
            gates.insert(def.name.clone(), gate);
        }
        gates
    }
}

fn or_into(bits: &mut [u64], other: &[u64]) {
    for (word, other) in bits.iter_mut().zip(other) {
        *word |= other;
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{FeaturePlan, Gate};
    use crate::Options;

    fn plan(yaml: &str) -> FeaturePlan {
        let doc = crate::load::load(yaml, "test.yaml").expect("the test document loads");
        let options = Options { spec_path: "test.yaml".into(), crate_name: "test".into() };
        crate::lower::lower(&doc, &options).expect("the test document lowers").0.features
    }

    fn any_of(features: &[&str]) -> Option<Gate> {
        Some(Gate::AnyOf(features.iter().map(|f| f.to_string()).collect()))
    }

    /// An operation `GET path` answering with `schema` (`{id}` is the one path parameter).
    fn get(path: &str, id: &str, schema: &str) -> String {
        let parameters = if path.contains("{id}") {
            "      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n"
        } else {
            ""
        };
        format!(
            "  {path}:\n    get:\n      operationId: {id}\n{parameters}      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {schema}\n"
        )
    }

    fn document(paths: &[String], schemas: &str) -> String {
        format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n{}components:\n  schemas:\n{schemas}",
            paths.concat()
        )
    }

    const SCHEMAS: &str = "    A: {type: object, properties: {b: {$ref: '#/components/schemas/B'}, e: {$ref: '#/components/schemas/E'}}}
    B: {type: object, properties: {a: {$ref: '#/components/schemas/A'}, c: {$ref: '#/components/schemas/C'}}}
    C: {type: string, enum: [x]}
    D: {type: object, properties: {c: {$ref: '#/components/schemas/C'}}}
    E: {type: object, properties: {f: {$ref: '#/components/schemas/F'}}}
    F: {type: object, properties: {g: {$ref: '#/components/schemas/G'}}}
    G: {type: string, enum: [y]}
    Lonely: {type: string}
";

    #[test]
    fn one_chain_of_resources_has_no_features() {
        let doc =
            document(&[get("/zones/{id}/secrets", "list", "{$ref: '#/components/schemas/A'}")], SCHEMAS);
        assert_eq!(plan(&doc), FeaturePlan::default());
    }

    #[test]
    fn features_are_the_children_of_the_first_resource_that_branches() {
        let doc = document(
            &[
                get("/v1/alpha_things/{id}", "getAlpha", "{$ref: '#/components/schemas/A'}"),
                get("/v1/beta/{id}/more", "getBeta", "{$ref: '#/components/schemas/D'}"),
                get("/v1/gamma", "getGamma", "{$ref: '#/components/schemas/C'}"),
            ],
            SCHEMAS,
        );
        let plan = plan(&doc);
        let names: Vec<&str> = plan.features.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["alpha-things", "beta", "gamma"]);
        assert_eq!(plan.features[0].accessor_path, "client.v1().alpha_things()");
        // Through the cycle A -> B -> A, and from B to C.
        assert_eq!(plan.type_gate("A").cloned(), any_of(&["alpha-things"]));
        assert_eq!(plan.type_gate("B").cloned(), any_of(&["alpha-things"]));
        assert_eq!(plan.type_gate("D").cloned(), any_of(&["beta"]));
        // Along a chain: A -> E -> F -> G.
        assert_eq!(plan.type_gate("G").cloned(), any_of(&["alpha-things"]));
        // Every feature uses C: always compiled.
        assert_eq!(plan.type_gate("C"), None);
        assert_eq!(plan.type_gate("Lonely"), Some(&Gate::Full));
        // A resource below a feature's is compiled with it; the one above is always there.
        assert_eq!(plan.resource_gate("V1BetaMore").cloned(), any_of(&["beta"]));
        assert_eq!(plan.resource_gate("V1"), None);
    }

    #[test]
    fn operations_above_the_features_need_none() {
        let doc = document(
            &[
                get("/", "root", "{$ref: '#/components/schemas/D'}"),
                get("/alpha", "getAlpha", "{$ref: '#/components/schemas/A'}"),
                get("/beta", "getBeta", "{$ref: '#/components/schemas/D'}"),
            ],
            SCHEMAS,
        );
        let plan = plan(&doc);
        assert_eq!(plan.type_gate("D"), None);
        assert_eq!(plan.type_gate("C"), None, "D holds C");
        assert_eq!(plan.type_gate("A").cloned(), any_of(&["alpha"]));
    }
}
