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
//! - A union of an id and objects that no request sends (`anyOf: [string, $ref Customer]`,
//!   Stripe's expandable fields) does not pull its objects in: each object variant is compiled
//!   with the features of its own type, and the union gains an `Other` variant that keeps, as
//!   JSON, an object whose variant this build leaves out. Otherwise every resource would
//!   compile every object another one names by id: most of Stripe's API.
//! - Likewise, an optional field of the error body (at any depth) that holds an object some
//!   operation returns (Stripe's error names the payment intent it concerns) is compiled with
//!   that object's features: the error body is compiled for every feature, and would otherwise
//!   bring the object, and all it holds, into each of them. Without the feature, the field's
//!   entry is skipped like any property the type does not name. A struct keeps at least one
//!   field.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::ir::{
    EventData, Feature, FeaturePlan, Gate, Operation, Resource, ResponseBody, TypeDef, TypeKind, TypeRef,
    UntaggedVariant,
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

    let kinds: BTreeMap<&str, &TypeKind> = types.iter().map(|def| (def.name.as_str(), &def.kind)).collect();
    let sent = root.sent_types(&kinds, |_| true);
    let deferred: BTreeMap<&str, Vec<(&str, &str)>> = types
        .iter()
        .filter(|def| !sent.contains(def.name.as_str()))
        .filter_map(|def| {
            let variants = object_variants_of_id_union(&def.kind, &kinds);
            (!variants.is_empty()).then_some((def.name.as_str(), variants))
        })
        .collect();

    let deferred_fields = error_body_objects(&kinds, &sent, root, error_body);

    let mut reach = Reach::new(types, &deferred, &deferred_fields, features.len());
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
    let variants = member_gates(&deferred, &gates);
    let fields = member_gates(&deferred_fields, &gates);
    gates.extend(params);
    FeaturePlan { features, resources, types: gates, variants, fields }
}

/// The gates of the variants or fields whose objects their holders do not pull in: each one's
/// is its object's, by holder and member name (none where the object is always compiled).
fn member_gates(
    deferred: &BTreeMap<&str, Vec<(&str, &str)>>,
    gates: &BTreeMap<String, Gate>,
) -> BTreeMap<String, BTreeMap<String, Gate>> {
    let mut members: BTreeMap<String, BTreeMap<String, Gate>> = BTreeMap::new();
    for (holder, held) in deferred {
        for (member, object) in held {
            if let Some(gate) = gates.get(*object) {
                members.entry(holder.to_string()).or_default().insert(member.to_string(), gate.clone());
            }
        }
    }
    members
}

/// The optional fields of the error body, at any depth, that hold an object an operation
/// returns, by the name of the struct that has them, with the objects' type names. Only
/// structs no request sends, and never every field of a struct.
fn error_body_objects<'a>(
    kinds: &BTreeMap<&'a str, &'a TypeKind>,
    sent: &BTreeSet<&str>,
    root: &'a Resource,
    error_body: Option<&'a TypeRef>,
) -> BTreeMap<&'a str, Vec<(&'a str, &'a str)>> {
    let returned: BTreeSet<&str> = root
        .descendants()
        .into_iter()
        .flat_map(|resource| &resource.operations)
        .filter_map(|op| match &op.response {
            ResponseBody::Json(TypeRef::Named(name)) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let mut found = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let mut pending: Vec<&str> = error_body.into_iter().flat_map(TypeRef::names).collect();
    while let Some(name) = pending.pop() {
        let Some(&kind) = kinds.get(name).filter(|_| seen.insert(name)) else { continue };
        let TypeKind::Struct(s) = kind else {
            pending.extend(referenced_types(kind));
            continue;
        };
        let objects: Vec<(&str, &str)> = if sent.contains(name) {
            Vec::new()
        } else {
            s.fields
                .iter()
                .filter(|field| field.is_optional())
                .filter_map(|field| {
                    let object = named_object(&field.ty, kinds)?;
                    returned.contains(object).then_some((field.rust_name.as_str(), object))
                })
                .collect()
        };
        let keeps_a_field = objects.len() < s.fields.len() || s.additional.is_some();
        for field in &s.fields {
            let deferred =
                keeps_a_field && objects.iter().any(|(rust_name, _)| *rust_name == field.rust_name);
            if !deferred {
                pending.extend(field.ty.names());
            }
        }
        if let Some(extra) = &s.additional {
            pending.extend(extra.ty.names());
        }
        if keeps_a_field && !objects.is_empty() {
            found.insert(name, objects);
        }
    }
    found
}

/// The struct or enum a type names, through a `Box` or an `Option`.
fn named_object<'a>(ty: &'a TypeRef, kinds: &BTreeMap<&str, &TypeKind>) -> Option<&'a str> {
    let name = match ty {
        TypeRef::Named(name) => name,
        TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => return named_object(inner, kinds),
        _ => return None,
    };
    matches!(
        kinds.get(name.as_str()),
        Some(TypeKind::Struct(_) | TypeKind::TaggedEnum(_) | TypeKind::UntaggedEnum(_))
    )
    .then_some(name.as_str())
}

/// The variants of a union of an id and objects, with the objects' type names: the variants
/// that hold a named struct or enum (not a string enum), when another variant is a string.
fn object_variants_of_id_union<'a>(
    kind: &'a TypeKind,
    kinds: &BTreeMap<&str, &TypeKind>,
) -> Vec<(&'a str, &'a str)> {
    let TypeKind::UntaggedEnum(variants) = kind else { return Vec::new() };
    if !variants.iter().any(|v| v.ty == TypeRef::String) {
        return Vec::new();
    }
    variants.iter().filter_map(|v| Some((v.rust_name.as_str(), named_object(&v.ty, kinds)?))).collect()
}

/// Gives each union whose variants the plan gates the variant that keeps what they would have
/// held, as the JSON it arrived as. It must be there in every build, so that turning a feature
/// on never takes a variant away from code that matches on it. It comes last, since every value
/// decodes as JSON.
pub fn keep_left_out_variants(types: &mut [TypeDef], plan: &FeaturePlan) {
    for def in types {
        let TypeKind::UntaggedEnum(variants) = &mut def.kind else { continue };
        let Some(gated) = plan.variants.get(&def.name) else { continue };
        let mut scope = Scope::with_reserved(variants.iter().map(|v| v.rust_name.as_str()));
        let left_out: Vec<String> = gated
            .iter()
            .map(|(variant, gate)| {
                let features: Vec<String> = match gate {
                    Gate::AnyOf(features) => features.iter().map(|feature| format!("`{feature}`")).collect(),
                    Gate::Full => vec!["`full`".to_owned()],
                };
                let verb = if features.len() == 1 { "feature is" } else { "features are" };
                format!("what the `{variant}` variant holds while the {} {verb} off", features.join(" and "))
            })
            .collect();
        variants.push(UntaggedVariant {
            rust_name: scope.claim("Other".to_owned()),
            docs: Some(format!(
                "A value no other variant holds, kept as the JSON it arrived as: {}, or a value of a shape the API document does not describe.",
                left_out.join("; ")
            )),
            ty: TypeRef::Json,
        });
    }
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
    /// `deferred`: the object variants of id unions, and `deferred_fields` the object fields of
    /// the error body, whose types their holders do not pull in.
    fn new(
        types: &'a [TypeDef],
        deferred: &BTreeMap<&str, Vec<(&str, &str)>>,
        deferred_fields: &BTreeMap<&str, Vec<(&str, &str)>>,
        features: usize,
    ) -> Self {
        let index: BTreeMap<&str, usize> =
            types.iter().enumerate().map(|(i, def)| (def.name.as_str(), i)).collect();
        let references = types
            .iter()
            .map(|def| {
                let name = def.name.as_str();
                let left_out =
                    |held: &[(&str, &str)], member: &str| held.iter().any(|(held_as, _)| *held_as == member);
                let names = match (&def.kind, deferred.get(name), deferred_fields.get(name)) {
                    (TypeKind::UntaggedEnum(variants), Some(held), _) => variants
                        .iter()
                        .filter(|v| !left_out(held, &v.rust_name))
                        .flat_map(|v| v.ty.names())
                        .collect(),
                    (TypeKind::Struct(s), _, Some(held)) => s
                        .fields
                        .iter()
                        .filter(|field| !left_out(held, &field.rust_name))
                        .flat_map(|field| field.ty.names())
                        .chain(s.additional.iter().flat_map(|extra| extra.ty.names()))
                        .collect(),
                    _ => referenced_types(&def.kind),
                };
                names.into_iter().filter_map(|name| index.get(name).copied()).collect()
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
    use crate::ir::{FeaturePlan, Gate, TypeKind, TypeRef};
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
    fn an_id_or_object_union_does_not_pull_its_objects_in() {
        let schemas = "    Invoice: {type: object, properties: {customer: {$ref: '#/components/schemas/InvoiceCustomer'}}}
    InvoiceCustomer: {anyOf: [{type: string}, {$ref: '#/components/schemas/Customer'}]}
    Customer: {type: object, properties: {name: {type: string}, address: {$ref: '#/components/schemas/D'}}}
    D: {type: object, properties: {c: {$ref: '#/components/schemas/C'}}}
    C: {type: string, enum: [x]}
    Sent: {anyOf: [{type: string}, {$ref: '#/components/schemas/D'}]}
";
        let mut paths = vec![
            get("/v1/invoices/{id}", "getInvoice", "{$ref: '#/components/schemas/Invoice'}"),
            get("/v1/customers/{id}", "getCustomer", "{$ref: '#/components/schemas/Customer'}"),
        ];
        paths.push(
            "  /v1/things:\n    post:\n      operationId: makeThing\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Sent'}\n      responses:\n        '204': {description: done}\n".to_owned(),
        );
        let doc = document(&paths, schemas);
        let plan = plan(&doc);
        // `invoices` compiles the union, not the customer it may hold.
        assert_eq!(plan.type_gate("InvoiceCustomer").cloned(), any_of(&["invoices"]));
        assert_eq!(plan.type_gate("Customer").cloned(), any_of(&["customers"]));
        assert_eq!(plan.variant_gate("InvoiceCustomer", "Customer").cloned(), any_of(&["customers"]));
        assert_eq!(plan.variant_gate("InvoiceCustomer", "String"), None);
        // A union a request sends keeps every variant: the user must be able to make each one.
        assert_eq!(plan.variants.get("Sent"), None);
        assert_eq!(plan.type_gate("D").cloned(), any_of(&["customers", "things"]));
    }

    #[test]
    fn an_object_the_error_body_names_comes_with_its_own_features() {
        let doc = format!(
            "{}  responses:\n    Problem:\n      description: any error\n      content:\n        application/json:\n          schema: {{$ref: '#/components/schemas/Problem'}}\n",
            document(
                &[
                    get("/v1/intents/{id}", "getIntent", "{$ref: '#/components/schemas/Intent'}"),
                    get("/v1/prices/{id}", "getPrice", "{$ref: '#/components/schemas/D'}"),
                ]
                .map(|op| op + "        default: {$ref: '#/components/responses/Problem'}\n"),
                "    Problem: {type: object, properties: {message: {type: string}, detail: {$ref: '#/components/schemas/Detail'}}}
    Detail: {type: object, properties: {code: {type: string}, intent: {$ref: '#/components/schemas/Intent'}, trace: {$ref: '#/components/schemas/Trace'}}}
    Trace: {type: object, properties: {id: {type: string}}}
    Intent: {type: object, properties: {amount: {type: integer}, c: {$ref: '#/components/schemas/C'}}}
    D: {type: object, properties: {c: {$ref: '#/components/schemas/C'}}}
    C: {type: string, enum: [x]}
",
            )
        );
        let plan = plan(&doc);
        // The error body and what it holds for every feature: always compiled.
        assert_eq!(plan.type_gate("Problem"), None);
        assert_eq!(plan.type_gate("Detail"), None);
        assert_eq!(plan.type_gate("Trace"), None, "no operation returns a trace on its own");
        // `intent`, at a depth, holds what `intents` returns: it comes with `intents`.
        assert_eq!(plan.field_gate("Detail", "intent").cloned(), any_of(&["intents"]));
        assert_eq!(plan.field_gate("Detail", "trace"), None);
        assert_eq!(plan.type_gate("Intent").cloned(), any_of(&["intents"]));
        assert_eq!(plan.type_gate("C"), None, "both features use it");
    }

    #[test]
    fn a_union_whose_object_is_left_out_keeps_it_as_json_last() {
        let doc = document(
            &[
                get("/v1/invoices/{id}", "getInvoice", "{$ref: '#/components/schemas/InvoiceCustomer'}"),
                get("/v1/customers/{id}", "getCustomer", "{$ref: '#/components/schemas/Customer'}"),
            ],
            "    InvoiceCustomer: {anyOf: [{type: string}, {$ref: '#/components/schemas/Customer'}]}
    Customer: {type: object, properties: {name: {type: string}}}
",
        );
        let options = Options { spec_path: "test.yaml".into(), crate_name: "test".into() };
        let (api, _) = crate::lower::lower(&crate::load::load(&doc, "test.yaml").unwrap(), &options).unwrap();
        let union = api.types.iter().find(|def| def.name == "InvoiceCustomer").unwrap();
        let TypeKind::UntaggedEnum(variants) = &union.kind else { panic!("{union:?}") };
        let names: Vec<&str> = variants.iter().map(|v| v.rust_name.as_str()).collect();
        assert_eq!(names, ["String", "Customer", "Other"]);
        assert_eq!(variants[2].ty, TypeRef::Json);
        let docs = variants[2].docs.as_deref().unwrap();
        assert!(docs.contains("the `Customer` variant holds while the `customers` feature is off"), "{docs}");
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
