//! A pass over the finished types: inline schemas of the same shape become one type. Large
//! documents write the same small schema out again and again (Stripe's fifty capability
//! statuses, each `[active, inactive, pending]`; the same inline object under many
//! operations), and every copy would be a type of its own, with its derives and impls to
//! compile. Here the first of each set of identical types stays, and every other becomes an
//! alias of it, `pub type AccountCapabilitiesAffirmPayments =
//! AccountCapabilitiesAcssDebitPayments;`, so every name the crate had still works: as a type,
//! in `Name::new(..)`, `Name::Variant` and patterns.
//!
//! **The same shape** is everything that decides the code or the behaviour of a type: its kind,
//! field and variant names, wire names, types, presence (required, nullable, clearable), the
//! constraints `Validate` checks, enum values, tags, boxing. Documentation is not part of it
//! (the type's docs, its fields' and variants' docs, where it is in the document). Named types
//! are compared by what they stand for now: once two enums are one, two objects that differ
//! only by holding one or the other are the same too, so the pass repeats until nothing more
//! merges. It merges only what is equal as finite data, never two types merely because each
//! holds itself: every cycle of types already has a `Box` (see `recursion.rs`), and merging
//! cannot make another.
//!
//! **Which types.** Structs, tagged and untagged enums and string enums made from inline
//! schemas (hoisted from a property, an item, a parameter or a body). Component schemas
//! (`#/components/schemas/..`) are the document's named concepts and are never made aliases;
//! but an inline schema that is a copy of one becomes an alias of that component (of the first
//! by name, if several components have its shape): the document wrote out in place what it
//! names elsewhere, and the component is the type a reader looks for. Status enums, event enums
//! and forms are made per operation from its responses and body, and are left alone, as are
//! aliases and newtypes (already names of other types).
//!
//! **Which name stays** is the first of the set by name, or the component among them: the same
//! input gives the same choice. An alias keeps its own docs, with a note of the type it shares.
//! Which names share a type follows the document: a copy edited later becomes a type of its own
//! again. That is why the change record describes the API by name (it is given the types as
//! they were before this pass): sharing a type is not a change of the API.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::ir::{
    AdditionalProperties, Constraints, EnumValue, Field, Struct, TaggedEnum, TaggedVariant, TypeDef,
    TypeKind, TypeRef, UntaggedVariant,
};
use crate::markdown::code;
use crate::names;

/// Makes every inline type that has the shape of another an alias of it. Returns the types made
/// aliases as they were, sorted by name.
pub fn alias_identical_types(types: &mut [TypeDef]) -> Vec<TypeDef> {
    let target = identical_groups(types);
    let mut originals = Vec::new();
    for i in 0..types.len() {
        let canonical = target[i];
        if canonical == i {
            continue;
        }
        let canonical_name = types[canonical].name.clone();
        let def = &mut types[i];
        let alias = TypeDef {
            name: def.name.clone(),
            docs: Some(alias_docs(def, &canonical_name)),
            origin: def.origin.clone(),
            kind: TypeKind::Alias(TypeRef::Named(canonical_name)),
        };
        originals.push(std::mem::replace(def, alias));
    }
    originals
}

/// Whether a type is a component schema, an inline one, or of a kind never merged.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    /// Stays a type of its own; inline copies of it become its aliases.
    Component,
    /// Becomes an alias of the type it is a copy of.
    Inline,
    Untouched,
}

fn role(def: &TypeDef) -> Role {
    let mergeable = matches!(
        def.kind,
        TypeKind::Struct(_) | TypeKind::TaggedEnum(_) | TypeKind::UntaggedEnum(_) | TypeKind::StringEnum(_)
    );
    let component = def
        .origin
        .strip_prefix("#/components/schemas/")
        .is_some_and(|key| !key.is_empty() && !key.contains('/'));
    match (mergeable, component) {
        (false, _) => Role::Untouched,
        (true, true) => Role::Component,
        (true, false) => Role::Inline,
    }
}

/// For each type (by index into `types`), the type it becomes an alias of; itself if none.
fn identical_groups(types: &[TypeDef]) -> Vec<usize> {
    let index: BTreeMap<&str, usize> = types.iter().enumerate().map(|(i, t)| (t.name.as_str(), i)).collect();
    let roles: Vec<Role> = types.iter().map(role).collect();
    // The types whose shape mentions each type: their shape changes when it merges.
    let mut referrers: Vec<Vec<usize>> = vec![Vec::new(); types.len()];
    for (i, def) in types.iter().enumerate().filter(|(i, _)| roles[*i] != Role::Untouched) {
        for name in def.kind.held_types().into_iter().flat_map(TypeRef::names) {
            if let Some(&j) = index.get(name) {
                referrers[j].push(i);
            }
        }
    }
    // `target[i]` is the type `i` stands for now (itself, or the type of its group that stays);
    // `members[t]` the types that stand for `t`.
    let mut target: Vec<usize> = (0..types.len()).collect();
    let mut members: Vec<Vec<usize>> = (0..types.len()).map(|i| vec![i]).collect();
    let mut shapes: Vec<Option<String>> = vec![None; types.len()];
    let mut outdated: Vec<usize> = (0..types.len()).filter(|&i| roles[i] != Role::Untouched).collect();
    loop {
        for &i in &outdated {
            if target[i] == i {
                let stands_for = |name: &str| index.get(name).map(|&j| types[target[j]].name.as_str());
                shapes[i] = Some(shape(&types[i].kind, &stands_for));
            }
        }
        let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, shape) in shapes.iter().enumerate() {
            if let Some(shape) = shape.as_deref().filter(|_| target[i] == i) {
                groups.entry(shape).or_default().push(i);
            }
        }
        let mut merges = Vec::new();
        for group in groups.values().filter(|group| group.len() > 1) {
            let first = |role: Role| {
                group.iter().copied().filter(|&i| roles[i] == role).min_by_key(|&i| &types[i].name)
            };
            let Some(stays) = first(Role::Component).or_else(|| first(Role::Inline)) else { continue };
            merges.extend(
                group.iter().filter(|&&i| i != stays && roles[i] == Role::Inline).map(|&i| (i, stays)),
            );
        }
        if merges.is_empty() {
            return target;
        }
        outdated.clear();
        for (i, stays) in merges {
            let moved = std::mem::take(&mut members[i]);
            for &m in &moved {
                target[m] = stays;
                outdated.extend(&referrers[m]);
            }
            members[stays].extend(moved);
            shapes[i] = None;
        }
        outdated.sort_unstable();
        outdated.dedup();
    }
}

/// What a type is without its documentation, as text: two types are the same when these are
/// equal. Each named type it holds is written as the type it stands for now (`stands_for`;
/// `None`: itself). Every part of the IR is taken apart with a pattern that names all its
/// fields, so a field added to the IR must be placed here, in the shape or explicitly not;
/// names and numbers are written with `Debug`, which quotes and escapes strings and prints a
/// number so that it reads back as the same number.
fn shape<'t>(kind: &TypeKind, stands_for: &dyn Fn(&str) -> Option<&'t str>) -> String {
    let mut out = String::new();
    match kind {
        TypeKind::Struct(Struct { fields: struct_fields, additional }) => {
            out.push_str("struct{");
            write_fields(&mut out, struct_fields, stands_for);
            if let Some(AdditionalProperties { rust_name, ty }) = additional {
                let _ = write!(out, "..{rust_name:?}:");
                write_type(&mut out, ty, stands_for);
            }
            out.push('}');
        }
        TypeKind::TaggedEnum(TaggedEnum { tag, variants, unknown_variant }) => {
            let _ = write!(out, "tagged {tag:?} {unknown_variant:?}{{");
            for TaggedVariant { rust_name, tag_value, docs: _, fields: variant_fields } in variants {
                let _ = write!(out, "{rust_name:?}={tag_value:?}{{");
                write_fields(&mut out, variant_fields, stands_for);
                out.push('}');
            }
            out.push('}');
        }
        TypeKind::UntaggedEnum(variants) => {
            out.push_str("untagged{");
            for UntaggedVariant { rust_name, docs: _, ty } in variants {
                let _ = write!(out, "{rust_name:?}:");
                write_type(&mut out, ty, stands_for);
                out.push(';');
            }
            out.push('}');
        }
        TypeKind::StringEnum(values) => {
            out.push_str("values{");
            for EnumValue { rust_name, wire_value } in values {
                let _ = write!(out, "{rust_name:?}={wire_value:?};");
            }
            out.push('}');
        }
        // Never compared (see `role`); the whole of it, docs and all, is never another's.
        other => {
            let _ = write!(out, "{other:?}");
        }
    }
    out
}

fn write_fields<'t>(out: &mut String, fields: &[Field], stands_for: &dyn Fn(&str) -> Option<&'t str>) {
    for field in fields {
        let Field { rust_name, wire_name, docs: _, ty, required, nullable, clearable, constraints } = field;
        let Constraints { min_length, max_length, minimum, maximum } = constraints;
        let _ = write!(
            out,
            "{rust_name:?}={wire_name:?}:{required},{nullable},{clearable},{min_length:?},{max_length:?},{minimum:?},{maximum:?},"
        );
        write_type(out, ty, stands_for);
        out.push(';');
    }
}

/// A use of a type, its named types as they stand now.
fn write_type<'t>(out: &mut String, ty: &TypeRef, stands_for: &dyn Fn(&str) -> Option<&'t str>) {
    let wrapper = match ty {
        TypeRef::Named(name) => {
            let _ = write!(out, "{:?}", stands_for(name).unwrap_or(name));
            return;
        }
        TypeRef::Vec(inner) => ("Vec", inner),
        TypeRef::Map(inner) => ("Map", inner),
        TypeRef::Boxed(inner) => ("Box", inner),
        TypeRef::Nullable(inner) => ("Option", inner),
        // The built-in types hold no name.
        leaf => {
            let _ = write!(out, "{leaf:?}");
            return;
        }
    };
    out.push_str(wrapper.0);
    out.push('<');
    write_type(out, wrapper.1, stands_for);
    out.push('>');
}

/// The alias's own docs (or where it is from, as types without docs say), and the type it is.
fn alias_docs(def: &TypeDef, canonical: &str) -> String {
    let own = match def.docs.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(docs) => docs.to_owned(),
        None => format!("The schema at {} of the API document.", code(&def.origin)),
    };
    let canonical = names::unraw(canonical);
    format!(
        "{own}\n\nA type alias: [`{canonical}`] has the same shape, and the crate defines it once. \
         Use this name for this schema's values: a later version of the document may make it a \
         type of its own."
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{
        Api, Auth, Constraints, EnumValue, Field, HttpMethod, Operation, Resource, ResponseBody, StatusMatch,
        StatusVariant, Struct,
    };
    use crate::record::ApiRecord;

    fn inline(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.into(),
            docs: Some(format!("The docs of {name}.")),
            origin: format!("#/paths/~1{name}/get/responses/200/content/application~1json/schema"),
            kind,
        }
    }

    fn component(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef { origin: format!("#/components/schemas/{name}"), ..inline(name, kind) }
    }

    fn values(values: &[&str]) -> TypeKind {
        TypeKind::StringEnum(
            values
                .iter()
                .map(|v| EnumValue { rust_name: names::type_name(v), wire_value: (*v).into() })
                .collect(),
        )
    }

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            rust_name: name.into(),
            wire_name: name.into(),
            docs: Some(format!("The {name} field.")),
            ty,
            required: true,
            nullable: false,
            clearable: false,
            constraints: Constraints::default(),
        }
    }

    fn object(fields: Vec<Field>) -> TypeKind {
        TypeKind::Struct(Struct { fields, additional: None })
    }

    fn named(name: &str) -> TypeRef {
        TypeRef::Named(name.into())
    }

    /// Sorts like the lowering does, runs the pass, and gives each type's alias target (or
    /// `-`), by name.
    fn targets(mut types: Vec<TypeDef>) -> Vec<(String, String)> {
        types.sort_by(|a, b| a.name.cmp(&b.name));
        alias_identical_types(&mut types);
        types
            .into_iter()
            .map(|def| match def.kind {
                TypeKind::Alias(TypeRef::Named(target)) => (def.name, target),
                _ => (def.name, "-".into()),
            })
            .collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected.iter().map(|(a, b)| ((*a).into(), (*b).into())).collect()
    }

    #[test]
    fn identical_inline_enums_are_one_type_whatever_their_docs_say() {
        let statuses = ["active", "inactive", "pending"];
        let mut types = vec![
            inline("CardPayments", values(&statuses)),
            inline("Transfers", values(&statuses)),
            inline("Legacy", values(&["active", "inactive"])),
        ];
        types.sort_by(|a, b| a.name.cmp(&b.name));
        let originals = alias_identical_types(&mut types);
        assert_eq!(types[2].name, "Transfers");
        assert_eq!(types[2].kind, TypeKind::Alias(named("CardPayments")));
        let docs = types[2].docs.as_deref().unwrap();
        assert!(
            docs.starts_with("The docs of Transfers.\n\nA type alias: [`CardPayments`] has the same shape"),
            "{docs}"
        );
        assert_eq!(originals.len(), 1);
        assert_eq!((originals[0].name.as_str(), &originals[0].kind), ("Transfers", &values(&statuses)));
        assert_eq!(originals[0].docs.as_deref(), Some("The docs of Transfers."));
        assert!(matches!(types[0].kind, TypeKind::StringEnum(_)), "the first by name stays");
        assert!(matches!(types[1].kind, TypeKind::StringEnum(_)), "other values, another type");
    }

    #[test]
    fn objects_alike_once_the_types_they_hold_are_one_are_one_too() {
        let statuses = values(&["active", "inactive", "pending"]);
        let types = vec![
            inline("BankStatus", statuses.clone()),
            inline("CardStatus", statuses),
            inline("Bank", object(vec![field("status", named("BankStatus"))])),
            inline("Card", object(vec![field("status", named("CardStatus"))])),
            // A level further: the pass repeats until nothing more merges.
            inline("Wallet", object(vec![field("card", TypeRef::Vec(Box::new(named("Card"))))])),
            inline("Purse", object(vec![field("card", TypeRef::Vec(Box::new(named("Bank"))))])),
        ];
        assert_eq!(
            targets(types),
            pairs(&[
                ("Bank", "-"),
                ("BankStatus", "-"),
                ("Card", "Bank"),
                ("CardStatus", "BankStatus"),
                ("Purse", "-"),
                ("Wallet", "Purse"),
            ])
        );
    }

    #[test]
    fn types_alike_but_for_what_the_code_does_stay_apart() {
        let base = field("name", TypeRef::String);
        let bounded =
            Field { constraints: Constraints { max_length: Some(10), ..Default::default() }, ..base.clone() };
        let optional = Field { required: false, ..base.clone() };
        let nullable = Field { nullable: true, ..base.clone() };
        let clearable = Field { required: false, clearable: true, ..base.clone() };
        let renamed = Field { wire_name: "Name".into(), ..base.clone() };
        let boxed = field("name", TypeRef::Boxed(Box::new(TypeRef::String)));
        let types = vec![
            inline("A", object(vec![base])),
            inline("B", object(vec![bounded])),
            inline("C", object(vec![optional.clone()])),
            inline("D", object(vec![nullable])),
            inline("E", object(vec![clearable])),
            inline("F", object(vec![renamed])),
            inline("G", object(vec![boxed])),
            inline("H", values(&["a", "b"])),
            inline("I", values(&["b", "a"])),
            // Alike but for a field's docs: one type.
            inline("J", object(vec![Field { docs: None, ..optional }])),
        ];
        let merged: Vec<(String, String)> = targets(types).into_iter().filter(|(_, t)| t != "-").collect();
        assert_eq!(merged, pairs(&[("J", "C")]));
    }

    #[test]
    fn an_inline_copy_of_a_component_is_that_component_and_components_stay_types() {
        let money = || object(vec![field("amount", TypeRef::I64), field("currency", TypeRef::String)]);
        let types = vec![
            // First by name, but inline: the component stays.
            inline("AFee", money()),
            component("Money", money()),
            component("Price", money()),
            inline("ZFee", money()),
        ];
        assert_eq!(
            targets(types),
            pairs(&[("AFee", "Money"), ("Money", "-"), ("Price", "-"), ("ZFee", "Money")])
        );
    }

    #[test]
    fn per_operation_kinds_and_types_that_only_hold_themselves_are_left_alone() {
        let status = || {
            TypeKind::StatusEnum(vec![StatusVariant {
                rust_name: "Ok".into(),
                status: StatusMatch::Code(200),
                body: ResponseBody::Empty,
                docs: None,
            }])
        };
        let types = vec![
            inline("GetAResponse", status()),
            inline("GetBResponse", status()),
            inline("NameA", TypeKind::Alias(TypeRef::String)),
            inline("NameB", TypeKind::Alias(TypeRef::String)),
            // Each holds the other: alike as infinite trees, but never equal as finite data.
            inline("Ping", object(vec![field("next", TypeRef::Boxed(Box::new(named("Pong"))))])),
            inline("Pong", object(vec![field("next", TypeRef::Boxed(Box::new(named("Ping"))))])),
        ];
        assert!(targets(types).iter().all(|(_, target)| target == "-"));
    }

    #[test]
    fn the_record_describes_each_name_with_its_own_shape() {
        let statuses = values(&["active", "pending"]);
        let types = vec![
            component(
                "Account",
                object(vec![field("bank", named("AccountBank")), field("card", named("AccountCard"))]),
            ),
            inline("AccountBank", object(vec![field("status", named("AccountBankStatus"))])),
            inline("AccountBankStatus", statuses.clone()),
            inline("AccountCard", object(vec![field("status", named("AccountCardStatus"))])),
            inline("AccountCardStatus", statuses),
        ];
        let operation = Operation {
            method_name: "get".into(),
            operation_id: "getAccount".into(),
            http_method: HttpMethod::Get,
            path_template: "/account".into(),
            path: Vec::new(),
            summary: None,
            description: None,
            path_params: Vec::new(),
            params_struct: None,
            request_id_header: None,
            body: None,
            response: ResponseBody::Json(named("Account")),
            error_body: None,
            deprecated: false,
            events: None,
            pagination: None,
        };
        let mut api = Api {
            crate_name: "accounts".into(),
            title: "Accounts".into(),
            description: None,
            version: "1".into(),
            spec_path: "accounts.yaml".into(),
            default_base_url: None,
            env_prefix: "ACCOUNTS".into(),
            auth: Auth::None,
            error_body: None,
            types,
            merged: Vec::new(),
            features: Default::default(),
            root: Resource {
                segment: String::new(),
                accessor: String::new(),
                type_name: String::new(),
                path_prefix: String::new(),
                operations: vec![operation],
                children: Vec::new(),
            },
        };
        let before = ApiRecord::of(&api, "0.1.0");
        api.merged = alias_identical_types(&mut api.types);
        assert_eq!(api.merged.len(), 2, "AccountCard and its status are aliases: {:?}", api.types);
        let after = ApiRecord::of(&api, "0.1.0");
        assert_eq!(after, before);
        assert!(after.types["AccountCardStatus"].received, "reached through the card, by name");
    }
}
