//! The changes between two records, not yet judged. Operations are matched by HTTP method and
//! path (parameter names aside), then by Rust method; types by Rust name, then by spec location
//! (a renamed component keeps its place); fields by wire name; enum values, tagged variants,
//! statuses and events by what tells them apart on the wire.

use std::collections::{BTreeMap, BTreeSet};

use crate::record::{ApiRecord, AuthRecord, FieldRecord, Kind, OperationRecord, TypeRecord, VariantRecord};
use crate::Pointer;

use super::shift::{same_shape, type_change};
use super::{Bounds, Change, ChangeKind, Sides, TypeChange};

pub(super) fn diff(old: &ApiRecord, new: &ApiRecord) -> Vec<Change> {
    let mut differ = Differ { old, new, renamed: renamed_types(old, new), changes: Vec::new() };
    differ.api();
    differ.operations();
    differ.types();
    differ.changes
}

struct Differ<'a> {
    old: &'a ApiRecord,
    new: &'a ApiRecord,
    /// Types renamed, old name to new: a use of one under its new name is no change of its own
    /// (the rename is reported once).
    renamed: BTreeMap<String, String>,
    changes: Vec<Change>,
}

/// The types each record has of its own (parameters structs are the operations' business).
fn own_types(record: &ApiRecord) -> BTreeSet<String> {
    record.types.iter().filter(|(_, t)| t.kind != Kind::Params).map(|(n, _)| n.clone()).collect()
}

/// Types gone under one name and present under another: renamed. Either at the same place in
/// the document, of the same kind (an inline schema whose name clash resolved differently), or
/// a component renamed: the one type gone and the one type come that are of the same shape.
fn renamed_types(old: &ApiRecord, new: &ApiRecord) -> BTreeMap<String, String> {
    let (old_names, new_names) = (own_types(old), own_types(new));
    let mut added: Vec<&String> = new_names.difference(&old_names).collect();
    let mut gone: Vec<&String> = old_names.difference(&new_names).collect();
    let mut renamed = BTreeMap::new();
    gone.retain(|name| {
        let before = &old.types[*name];
        let found = added.iter().position(|candidate| {
            let after = &new.types[*candidate];
            after.pointer == before.pointer && after.kind == before.kind
        });
        match found {
            Some(at) => {
                renamed.insert((*name).clone(), added.remove(at).clone());
                false
            }
            None => true,
        }
    });
    for name in gone {
        let before = &old.types[name];
        let alike: Vec<usize> =
            (0..added.len()).filter(|&i| same_shape(before, &new.types[added[i]])).collect();
        let unique_back = |candidate: &TypeRecord| {
            own_types(old).difference(&new_names).filter(|n| same_shape(&old.types[*n], candidate)).count()
                == 1
        };
        if let [at] = alike[..] {
            if unique_back(&new.types[added[at]]) {
                renamed.insert(name.clone(), added.remove(at).clone());
            }
        }
    }
    renamed
}

/// `ty` with the renamed types under their new names.
fn with_renames(ty: &str, renamed: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(ty.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(renamed.get(word.as_str()).map_or(word.as_str(), String::as_str));
        word.clear();
    };
    for c in ty.chars() {
        if c.is_alphanumeric() || c == '_' || c == '#' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Where a change is, and which way its values travel.
#[derive(Clone)]
struct Place {
    pointer: String,
    in_old_document: bool,
    sides: Sides,
}

impl Place {
    fn new(pointer: impl Into<String>, sides: Sides) -> Place {
        Place { pointer: pointer.into(), in_old_document: false, sides }
    }

    fn old(pointer: impl Into<String>, sides: Sides) -> Place {
        Place { pointer: pointer.into(), in_old_document: true, sides }
    }
}

/// Whether fields are an object's properties or an operation's parameters (which have other
/// kinds of change, and are told apart by location as well as name).
#[derive(Clone, Copy, PartialEq)]
enum Fields {
    /// Located at `<pointer>/<name>`.
    Properties,
    /// Located at the variant's union: the variant schema's own place is not recorded.
    OfVariant,
    Parameters,
}

fn join(pointer: &str, tokens: &[&str]) -> String {
    match Pointer::from_ref(pointer) {
        Some(mut joined) => {
            for token in tokens {
                joined = joined.join(token);
            }
            joined.to_string()
        }
        None => pointer.to_owned(),
    }
}

fn sides_of(ty: &TypeRecord) -> Sides {
    Sides { sent: ty.sent, received: ty.received }
}

/// The Rust type of a field: presence decides the wrapper.
fn field_type(field: &FieldRecord) -> String {
    match (field.required, field.nullable, field.clearable) {
        (true, false, _) => field.ty.clone(),
        (true, true, _) => format!("Option<{}>", field.ty),
        (false, _, true) => format!("Patch<{}>", field.ty),
        (false, _, false) => format!("Option<{}>", field.ty),
    }
}

/// `/zones/{zone_id}` and `/zones/{id}` are one path to a server.
fn path_shape(path: &str) -> String {
    let mut shape = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                shape.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => shape.push(c),
        }
    }
    shape
}

fn bounds(old: &FieldRecord, new: &FieldRecord) -> Option<Bounds> {
    let mut moved = Bounds::default();
    // A lower bound that rises, or appears, tightens; one that falls, or goes, loosens.
    let mut lower = |old: Option<f64>, new: Option<f64>| match (old, new) {
        (None, Some(_)) => moved.tightened = true,
        (Some(_), None) => moved.loosened = true,
        (Some(o), Some(n)) if n > o => moved.tightened = true,
        (Some(o), Some(n)) if n < o => moved.loosened = true,
        _ => {}
    };
    let length = |value: Option<usize>| value.map(|v| v as f64);
    lower(length(old.min_length), length(new.min_length));
    lower(old.minimum, new.minimum);
    // An upper bound is a lower bound of the negated value.
    let negated = |value: Option<f64>| value.map(|v| -v);
    lower(negated(length(old.max_length)), negated(length(new.max_length)));
    lower(negated(old.maximum), negated(new.maximum));
    (moved.tightened || moved.loosened).then_some(moved)
}

fn constraints_text(field: &FieldRecord) -> String {
    let mut parts = Vec::new();
    if let Some(v) = field.min_length {
        parts.push(format!("minLength {v}"));
    }
    if let Some(v) = field.max_length {
        parts.push(format!("maxLength {v}"));
    }
    if let Some(v) = field.minimum {
        parts.push(format!("minimum {v}"));
    }
    if let Some(v) = field.maximum {
        parts.push(format!("maximum {v}"));
    }
    if parts.is_empty() {
        "no bounds".to_owned()
    } else {
        parts.join(", ")
    }
}

impl Differ<'_> {
    fn push(
        &mut self,
        kind: ChangeKind,
        subject: impl Into<String>,
        detail: impl Into<String>,
        place: Place,
    ) {
        self.changes.push(Change {
            kind,
            subject: subject.into(),
            detail: detail.into(),
            pointer: place.pointer,
            in_old_document: place.in_old_document,
            sides: place.sides,
        });
    }

    fn type_change(&self, old: &str, new: &str) -> TypeChange {
        type_change(old, new, self.old, self.new)
    }

    /// Whether `old` is `new` but for renamed types (which the rename reports).
    fn same_but_renamed(&self, old: &str, new: &str) -> bool {
        with_renames(old, &self.renamed) == new
    }

    fn api(&mut self) {
        let (old, new) = (self.old, self.new);
        if old.crate_name != new.crate_name {
            let detail = format!("{} -> {}", old.crate_name, new.crate_name);
            self.push(ChangeKind::CrateRenamed, &new.crate_name, detail, Place::new("", Sides::NEITHER));
        }
        if old.env_prefix != new.env_prefix {
            let detail = format!("`{}_*` -> `{}_*`", old.env_prefix, new.env_prefix);
            self.push(
                ChangeKind::EnvPrefixChanged,
                "Client::from_env",
                detail,
                Place::new("#/info/title", Sides::NEITHER),
            );
        }
        if old.base_url != new.base_url {
            let show = |url: &Option<String>| url.clone().unwrap_or_else(|| "none".to_owned());
            let detail = format!("{} -> {}", show(&old.base_url), show(&new.base_url));
            self.push(
                ChangeKind::BaseUrlChanged,
                "Client (default base URL)",
                detail,
                Place::new("#/servers", Sides::NEITHER),
            );
        }
        let place = Place::new("#/components/securitySchemes", Sides::SENT);
        match (&old.auth, &new.auth) {
            (a, b) if a == b => {}
            (
                AuthRecord::ClientCredentials { token_url: a },
                AuthRecord::ClientCredentials { token_url: b },
            ) => {
                self.push(
                    ChangeKind::TokenUrlChanged,
                    "Client (OAuth2 token URL)",
                    format!("{a} -> {b}"),
                    place,
                );
            }
            (a, b) => {
                let kind = ChangeKind::AuthChanged {
                    before_none: *a == AuthRecord::None,
                    now_none: *b == AuthRecord::None,
                };
                let detail = format!("{} -> {}", auth_text(a), auth_text(b));
                self.push(kind, "Client (authentication)", detail, place);
            }
        }
        let show = |ty: &Option<String>| ty.clone().unwrap_or_else(|| "Value".to_owned());
        let (a, b) = (show(&old.error_body), show(&new.error_body));
        if !self.same_but_renamed(&a, &b) {
            let change = self.type_change(&a, &b);
            let pointer = new.types.get(&b).map_or_else(String::new, |t| t.pointer.clone());
            self.push(
                ChangeKind::ErrorBodyChanged(change),
                "ErrorBody",
                format!("{a} -> {b}"),
                Place::new(pointer, Sides::RECEIVED),
            );
        }
    }

    fn operations(&mut self) {
        let index = |record: &'_ ApiRecord| -> BTreeMap<String, String> {
            record
                .operations
                .iter()
                .map(|(key, op)| (format!("{} {}", op.method, path_shape(&op.path)), key.clone()))
                .collect()
        };
        let (old_index, new_index) = (index(self.old), index(self.new));
        let mut unmatched_old: Vec<&OperationRecord> = Vec::new();
        for (shape, key) in &old_index {
            let old = &self.old.operations[key];
            match new_index.get(shape) {
                Some(new_key) => self.operation(old, &self.new.operations[new_key], false),
                None => unmatched_old.push(old),
            }
        }
        let mut unmatched_new: Vec<&OperationRecord> = new_index
            .iter()
            .filter(|(shape, _)| !old_index.contains_key(*shape))
            .map(|(_, key)| &self.new.operations[key])
            .collect();
        // The same Rust method under another HTTP method or path.
        for old in unmatched_old {
            match unmatched_new.iter().position(|new| new.rust == old.rust) {
                Some(at) => {
                    let new = unmatched_new.remove(at);
                    self.operation(old, new, true);
                }
                None => {
                    let detail = format!("{} {}", old.method, old.path);
                    self.push(
                        ChangeKind::OperationRemoved,
                        &old.rust,
                        detail,
                        Place::old(&old.pointer, Sides::SENT),
                    );
                }
            }
        }
        for new in unmatched_new {
            let detail = format!("{} {}", new.method, new.path);
            self.push(ChangeKind::OperationAdded, &new.rust, detail, Place::new(&new.pointer, Sides::SENT));
        }
    }

    fn operation(&mut self, old: &OperationRecord, new: &OperationRecord, moved: bool) {
        let rust = new.rust.as_str();
        let at = |suffix: &[&str]| Place::new(join(&new.pointer, suffix), Sides::SENT);
        if moved {
            let detail = format!("{} {} -> {} {}", old.method, old.path, new.method, new.path);
            self.push(ChangeKind::OperationMoved, rust, detail, at(&[]));
        } else if old.rust != new.rust {
            self.push(ChangeKind::OperationRenamed, rust, format!("{} -> {}", old.rust, new.rust), at(&[]));
        }
        if old.deprecated != new.deprecated {
            let kind = if new.deprecated {
                ChangeKind::OperationDeprecated
            } else {
                ChangeKind::OperationUndeprecated
            };
            self.push(kind, rust, format!("{} {}", new.method, new.path), at(&["deprecated"]));
        }
        self.path_params(old, new);
        self.params(old, new);
        self.body(old, new);

        let received = |suffix: &str| Place::new(join(&new.pointer, &[suffix]), Sides::RECEIVED);
        if !self.same_but_renamed(&old.response, &new.response) {
            let change = self.type_change(&old.response, &new.response);
            let detail = format!("{} -> {}", old.response, new.response);
            self.push(ChangeKind::ResponseTypeChanged(change), rust, detail, received("responses"));
        }
        let show = |ty: &Option<String>| ty.clone().unwrap_or_else(|| "()".to_owned());
        let (a, b) = (show(&old.error), show(&new.error));
        if !self.same_but_renamed(&a, &b) {
            let change = self.type_change(&a, &b);
            self.push(
                ChangeKind::ErrorTypeChanged(change),
                rust,
                format!("{a} -> {b}"),
                received("responses"),
            );
        }
        match (&old.events, &new.events) {
            (None, Some(events)) => {
                let detail = format!("{}(): events of {}", events.method, events.item);
                self.push(ChangeKind::EventsAdded, rust, detail, received("responses"));
            }
            (Some(events), None) => {
                let detail = format!("{}(): events of {}", events.method, events.item);
                self.push(
                    ChangeKind::EventsRemoved,
                    rust,
                    detail,
                    Place::old(join(&old.pointer, &["responses"]), Sides::RECEIVED),
                );
            }
            (Some(a), Some(b)) => {
                if a.method != b.method {
                    let detail = format!("events method {}() -> {}()", a.method, b.method);
                    self.push(ChangeKind::OperationRenamed, rust, detail, received("responses"));
                }
                if !self.same_but_renamed(&a.item, &b.item) {
                    let change = self.type_change(&a.item, &b.item);
                    self.push(
                        ChangeKind::EventsTypeChanged(change),
                        rust,
                        format!("{} -> {}", a.item, b.item),
                        received("responses"),
                    );
                }
            }
            (None, None) => {}
        }
        match (&old.pagination, &new.pagination) {
            (None, Some(pages)) => {
                let detail = format!("{}(): a stream of {}", pages.method, pages.item);
                self.push(ChangeKind::PaginationAdded, rust, detail, received("responses"));
            }
            (Some(pages), None) => {
                let detail = format!("{}(): a stream of {}", pages.method, pages.item);
                self.push(
                    ChangeKind::PaginationRemoved,
                    rust,
                    detail,
                    Place::old(join(&old.pointer, &["responses"]), Sides::RECEIVED),
                );
            }
            (Some(a), Some(b)) if a.method != b.method => {
                let detail = format!("pages method {}() -> {}()", a.method, b.method);
                self.push(ChangeKind::OperationRenamed, rust, detail, received("responses"));
            }
            _ => {}
        }
    }

    /// Path parameters are positional arguments: compared in order, their names aside.
    fn path_params(&mut self, old: &OperationRecord, new: &OperationRecord) {
        let rust = &new.rust;
        let place = || Place::new(join(&new.pointer, &["parameters"]), Sides::SENT);
        for (index, new_param) in new.path_params.iter().enumerate() {
            let subject = format!("{rust}: path parameter {}", new_param.wire);
            let Some(old_param) = old.path_params.get(index) else {
                self.push(ChangeKind::PathParamAdded, subject, new_param.ty.clone(), place());
                continue;
            };
            if !self.same_but_renamed(&old_param.ty, &new_param.ty) {
                let change = self.type_change(&old_param.ty, &new_param.ty);
                let detail = format!("{} -> {}", old_param.ty, new_param.ty);
                self.push(ChangeKind::PathParamTypeChanged(change), subject.clone(), detail, place());
            }
            if let Some(moved) = bounds(old_param, new_param) {
                let detail = format!("{} -> {}", constraints_text(old_param), constraints_text(new_param));
                self.push(ChangeKind::PathParamConstraintsChanged(moved), subject, detail, place());
            }
        }
        for old_param in old.path_params.iter().skip(new.path_params.len()) {
            let subject = format!("{rust}: path parameter {}", old_param.wire);
            let place = Place::old(join(&old.pointer, &["parameters"]), Sides::SENT);
            self.push(ChangeKind::PathParamRemoved, subject, old_param.ty.clone(), place);
        }
    }

    fn params(&mut self, old: &OperationRecord, new: &OperationRecord) {
        let fields = |record: &ApiRecord, name: &Option<String>| -> Vec<FieldRecord> {
            name.as_ref().and_then(|n| record.types.get(n)).map(|t| t.fields.clone()).unwrap_or_default()
        };
        let (old_fields, new_fields) = (fields(self.old, &old.params), fields(self.new, &new.params));
        let place = Place::new(join(&new.pointer, &["parameters"]), Sides::SENT);
        match (&old.params, &new.params) {
            (None, Some(name)) => {
                let detail = format!("params: &{name}");
                self.push(ChangeKind::ParamsArgumentAdded, &new.rust, detail, place);
            }
            (Some(name), None) => {
                let detail = format!("params: &{name}");
                let place = Place::old(join(&old.pointer, &["parameters"]), Sides::SENT);
                self.push(ChangeKind::ParamsArgumentRemoved, &new.rust, detail, place);
            }
            (Some(a), Some(b)) if a != b => {
                self.push(ChangeKind::TypeRenamed, b, format!("{a} -> {b}"), place);
            }
            _ => {}
        }
        let owner = new.params.clone().or_else(|| old.params.clone()).unwrap_or_default();
        let pointers = (join(&old.pointer, &["parameters"]), join(&new.pointer, &["parameters"]));
        self.fields(&owner, &old_fields, &new_fields, Sides::SENT, &pointers, Fields::Parameters);
    }

    fn body(&mut self, old: &OperationRecord, new: &OperationRecord) {
        let rust = &new.rust;
        let place = Place::new(join(&new.pointer, &["requestBody"]), Sides::SENT);
        match (&old.body, &new.body) {
            (None, Some(body)) => {
                let kind = ChangeKind::BodyAdded { required: body.required };
                self.push(kind, rust, format!("{} ({})", body.ty, body.encoding), place);
            }
            (Some(body), None) => {
                let place = Place::old(join(&old.pointer, &["requestBody"]), Sides::SENT);
                self.push(ChangeKind::BodyRemoved, rust, format!("{} ({})", body.ty, body.encoding), place);
            }
            (Some(a), Some(b)) => {
                if a.required != b.required {
                    let kind = if b.required {
                        ChangeKind::BodyBecameRequired
                    } else {
                        ChangeKind::BodyBecameOptional
                    };
                    self.push(kind, rust, b.ty.clone(), place.clone());
                }
                if a.encoding != b.encoding {
                    let kind = ChangeKind::BodyEncodingChanged { argument_changed: a.ty != b.ty };
                    let detail = format!("{} ({}) -> {} ({})", a.ty, a.encoding, b.ty, b.encoding);
                    self.push(kind, rust, detail, place);
                } else if !self.same_but_renamed(&a.ty, &b.ty) {
                    let change = self.type_change(&a.ty, &b.ty);
                    self.push(
                        ChangeKind::BodyTypeChanged(change),
                        rust,
                        format!("{} -> {}", a.ty, b.ty),
                        place,
                    );
                }
            }
            (None, None) => {}
        }
    }

    fn types(&mut self) {
        let (old, new) = (self.old, self.new);
        let (old_names, new_names) = (own_types(old), own_types(new));
        for name in old_names.intersection(&new_names) {
            self.compare_type(name, &old.types[name], &new.types[name]);
        }
        for (old_name, new_name) in self.renamed.clone() {
            let (before, after) = (&old.types[&old_name], &new.types[&new_name]);
            let place = Place::new(&after.pointer, sides_of(before).union(sides_of(after)));
            self.push(ChangeKind::TypeRenamed, &new_name, format!("{old_name} -> {new_name}"), place);
            self.compare_type(&new_name, before, after);
        }
        let gone: Vec<&String> =
            old_names.difference(&new_names).filter(|name| !self.renamed.contains_key(*name)).collect();
        for name in gone {
            let before = &old.types[name];
            let place = Place::old(&before.pointer, sides_of(before));
            self.push(ChangeKind::TypeRemoved, name, before.kind.as_str(), place);
        }
        let renamed_to: BTreeSet<String> = self.renamed.values().cloned().collect();
        for name in new_names.difference(&old_names).filter(|name| !renamed_to.contains(*name)) {
            let after = &new.types[name];
            self.push(
                ChangeKind::TypeAdded,
                name,
                after.kind.as_str(),
                Place::new(&after.pointer, sides_of(after)),
            );
        }
    }

    fn compare_type(&mut self, name: &str, old: &TypeRecord, new: &TypeRecord) {
        // Deployed clients meet a change inside a type only where they used the type before
        // and the server still uses it: a type that starts or stops being sent is an
        // operation's change, reported there.
        let sides = sides_of(old).intersection(sides_of(new));
        let place = Place::new(&new.pointer, sides);
        if old.kind != new.kind {
            let detail = format!("{} -> {}", old.kind.as_str(), new.kind.as_str());
            self.push(ChangeKind::TypeKindChanged, name, detail, place);
            return;
        }
        let pointers = (join(&old.pointer, &["properties"]), join(&new.pointer, &["properties"]));
        self.fields(name, &old.fields, &new.fields, sides, &pointers, Fields::Properties);
        match (&old.additional, &new.additional) {
            (None, Some(ty)) => {
                self.push(ChangeKind::AdditionalPropertiesAdded, name, ty.clone(), place.clone())
            }
            (Some(ty), None) => {
                self.push(ChangeKind::AdditionalPropertiesRemoved, name, ty.clone(), place.clone())
            }
            (Some(a), Some(b)) if !self.same_but_renamed(a, b) => {
                let change = self.type_change(a, b);
                let kind = ChangeKind::AdditionalPropertiesTypeChanged(change);
                self.push(kind, name, format!("{a} -> {b}"), place.clone());
            }
            _ => {}
        }
        if old.tag != new.tag {
            let show = |tag: &Option<String>| tag.clone().unwrap_or_default();
            self.push(
                ChangeKind::TagChanged,
                name,
                format!("`{}` -> `{}`", show(&old.tag), show(&new.tag)),
                place.clone(),
            );
        }
        let (a, b) = (old.target.clone().unwrap_or_default(), new.target.clone().unwrap_or_default());
        if !self.same_but_renamed(&a, &b) {
            let change = self.type_change(&a, &b);
            self.push(ChangeKind::AliasTargetChanged(change), name, format!("{a} -> {b}"), place.clone());
        }
        self.values(name, old, new, &place);
        self.variants(name, old, new, &place);
    }

    fn values(&mut self, name: &str, old: &TypeRecord, new: &TypeRecord, place: &Place) {
        let by_wire = |t: &TypeRecord| -> BTreeMap<String, String> {
            t.values.iter().map(|v| (v.wire.clone(), v.rust.clone())).collect()
        };
        let (before, after) = (by_wire(old), by_wire(new));
        for (wire, rust) in &after {
            match before.get(wire) {
                None => self.push(
                    ChangeKind::EnumValueAdded,
                    format!("{name}::{rust}"),
                    format!("`{wire}`"),
                    place.clone(),
                ),
                Some(old_rust) if old_rust != rust => {
                    let detail = format!("`{wire}`: {name}::{old_rust} -> {name}::{rust}");
                    self.push(ChangeKind::EnumValueRenamed, format!("{name}::{rust}"), detail, place.clone());
                }
                Some(_) => {}
            }
        }
        for (wire, rust) in before.iter().filter(|(wire, _)| !after.contains_key(*wire)) {
            let place = Place { in_old_document: true, pointer: old.pointer.clone(), ..place.clone() };
            self.push(ChangeKind::EnumValueRemoved, format!("{name}::{rust}"), format!("`{wire}`"), place);
        }
    }

    fn variants(&mut self, name: &str, old: &TypeRecord, new: &TypeRecord, place: &Place) {
        // Tagged, status and event variants are told apart on the wire; untagged ones by name.
        let key = |v: &VariantRecord| v.wire.clone().unwrap_or_else(|| v.rust.clone());
        let by_key = |t: &'_ TypeRecord| -> BTreeMap<String, VariantRecord> {
            t.variants.iter().map(|v| (key(v), v.clone())).collect()
        };
        let (before, after) = (by_key(old), by_key(new));
        let untagged = new.kind == Kind::UntaggedEnum;
        let describe = |v: &VariantRecord| match (&v.wire, &v.ty) {
            (Some(wire), Some(ty)) => format!("`{wire}`: {ty}"),
            (Some(wire), None) => format!("`{wire}`"),
            (None, Some(ty)) => ty.clone(),
            (None, None) => String::new(),
        };
        for (key, variant) in &after {
            let subject = format!("{name}::{}", variant.rust);
            let Some(previous) = before.get(key) else {
                self.push(ChangeKind::VariantAdded { untagged }, subject, describe(variant), place.clone());
                continue;
            };
            if previous.rust != variant.rust {
                let detail = format!("{name}::{} -> {subject}", previous.rust);
                self.push(ChangeKind::VariantRenamed, subject.clone(), detail, place.clone());
            }
            let (a, b) = (previous.ty.clone().unwrap_or_default(), variant.ty.clone().unwrap_or_default());
            if !self.same_but_renamed(&a, &b) {
                let change = self.type_change(&a, &b);
                self.push(
                    ChangeKind::VariantTypeChanged(change),
                    subject.clone(),
                    format!("{a} -> {b}"),
                    place.clone(),
                );
            }
            let pointers = (old.pointer.clone(), new.pointer.clone());
            self.fields(
                &subject,
                &previous.fields,
                &variant.fields,
                place.sides,
                &pointers,
                Fields::OfVariant,
            );
        }
        for (key, variant) in &before {
            if !after.contains_key(key) {
                let place = Place { in_old_document: true, pointer: old.pointer.clone(), ..place.clone() };
                self.push(
                    ChangeKind::VariantRemoved,
                    format!("{name}::{}", variant.rust),
                    describe(variant),
                    place,
                );
            }
        }
    }

    /// Fields of `owner`, matched by wire name (and location, for parameters). `pointers` are
    /// the old and new places the fields' names are joined to.
    fn fields(
        &mut self,
        owner: &str,
        old: &[FieldRecord],
        new: &[FieldRecord],
        sides: Sides,
        pointers: &(String, String),
        what: Fields,
    ) {
        use ChangeKind::*;
        let key = |f: &FieldRecord| (f.location.clone().unwrap_or_default(), f.wire.clone());
        let before: BTreeMap<_, &FieldRecord> = old.iter().map(|f| (key(f), f)).collect();
        let params = what == Fields::Parameters;
        let at = |base: &str, field: &FieldRecord| match what {
            Fields::Properties => join(base, &[&field.wire]),
            Fields::OfVariant | Fields::Parameters => base.to_owned(),
        };
        let place_of = |field: &FieldRecord| Place::new(at(&pointers.1, field), sides);
        let label = |field: &FieldRecord| match &field.location {
            Some(location) => format!("{location} parameter `{}`: {}", field.wire, field_type(field)),
            None => field_type(field),
        };
        for field in new {
            let subject = format!("{owner}.{}", field.rust);
            let place = place_of(field);
            let Some(&previous) = before.get(&key(field)) else {
                let required = field.required;
                let kind = if params { ParamAdded { required } } else { FieldAdded { required } };
                self.push(kind, subject, label(field), place);
                continue;
            };
            if previous.rust != field.rust {
                let kind = if params { ParamRenamed } else { FieldRenamed };
                self.push(
                    kind,
                    subject.clone(),
                    format!("{owner}.{} -> {subject}", previous.rust),
                    place.clone(),
                );
            }
            let presence = format!("{} -> {}", field_type(previous), field_type(field));
            if previous.required != field.required {
                let kind = match (params, field.required) {
                    (true, true) => ParamBecameRequired,
                    (true, false) => ParamBecameOptional,
                    (false, true) => FieldBecameRequired,
                    (false, false) => FieldBecameOptional,
                };
                self.push(kind, subject.clone(), presence, place.clone());
            } else if previous.required && previous.nullable != field.nullable {
                let kind = if field.nullable { FieldBecameNullable } else { FieldBecameNonNullable };
                self.push(kind, subject.clone(), presence, place.clone());
            } else if !previous.required && previous.clearable != field.clearable {
                let kind = if field.clearable { FieldBecameClearable } else { FieldNoLongerClearable };
                self.push(kind, subject.clone(), presence, place.clone());
            }
            if !self.same_but_renamed(&previous.ty, &field.ty) {
                let change = self.type_change(&previous.ty, &field.ty);
                let kind = if params { ParamTypeChanged(change) } else { FieldTypeChanged(change) };
                self.push(kind, subject.clone(), format!("{} -> {}", previous.ty, field.ty), place.clone());
            }
            if let Some(moved) = bounds(previous, field) {
                let kind =
                    if params { ParamConstraintsChanged(moved) } else { FieldConstraintsChanged(moved) };
                let detail = format!("{} -> {}", constraints_text(previous), constraints_text(field));
                self.push(kind, subject, detail, place);
            }
        }
        let after: BTreeSet<_> = new.iter().map(key).collect();
        for field in old.iter().filter(|f| !after.contains(&key(f))) {
            let pointer = at(&pointers.0, field);
            let kind = if params { ParamRemoved } else { FieldRemoved { was_required: field.required } };
            self.push(kind, format!("{owner}.{}", field.rust), label(field), Place::old(pointer, sides));
        }
        // `new` takes the required fields in order: the same ones in another order is a
        // silent swap where two have the same type.
        let required = |fields: &[FieldRecord]| -> Vec<(String, String)> {
            fields.iter().filter(|f| f.required).map(key).collect()
        };
        let (old_required, new_required) = (required(old), required(new));
        let old_order: Vec<_> = old_required.iter().filter(|k| new_required.contains(k)).cloned().collect();
        let new_order: Vec<_> = new_required.iter().filter(|k| old_required.contains(k)).cloned().collect();
        if old_order != new_order {
            let names =
                |keys: &[(String, String)]| keys.iter().map(|k| k.1.clone()).collect::<Vec<_>>().join(", ");
            let detail = format!("{} -> {}", names(&old_order), names(&new_order));
            self.push(
                RequiredFieldsReordered,
                format!("{owner}::new"),
                detail,
                Place::new(pointers.1.clone(), sides),
            );
        }
    }
}

fn auth_text(auth: &AuthRecord) -> String {
    match auth {
        AuthRecord::None => "none".to_owned(),
        AuthRecord::Bearer => "bearer token".to_owned(),
        AuthRecord::ClientCredentials { token_url } => format!("OAuth2 client credentials ({token_url})"),
    }
}
