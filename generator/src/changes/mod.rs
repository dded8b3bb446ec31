//! The change report: what changed between two generations of a crate, and what each change
//! breaks. Pure functions over two [`ApiRecord`]s (the CLI reads the old one from the output
//! folder); each job in a file of its own:
//!
//! - [`diff`]: the changes, by Rust name and spec location, and on which side of the wire
//!   (sent, received) each one matters;
//! - [`shift`]: how a type change moves the set of values on the wire (same, wider, narrower);
//! - [`verdict`]: the two verdicts of each change, for Rust code using the crate (source) and
//!   for clients already deployed (wire), with the reason;
//! - [`report`]: the report as terminal text and as Markdown, with the suggested version bump.

mod diff;
mod report;
mod shift;
mod verdict;

use crate::record::ApiRecord;

pub use report::Bump;
pub use shift::TypeShift;

/// One change between two records, before it is judged.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub kind: ChangeKind,
    /// What changed, by Rust name: `SecretUpdate.name`, `zones().secrets().delete`,
    /// `SecretData::Certificate`.
    pub subject: String,
    /// What it was and is, in a few words (`Patch<String> -> Option<String>`).
    pub detail: String,
    /// Where in the document: the new one, or for what was removed, the old one.
    pub pointer: String,
    /// Whether `pointer` is in the old document (the thing is gone from the new one).
    pub in_old_document: bool,
    /// Which way the values concerned travel; wire verdicts depend on it.
    pub sides: Sides,
}

/// Whether values of a type are sent in requests, received in responses, or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sides {
    pub sent: bool,
    pub received: bool,
}

impl Sides {
    pub const SENT: Sides = Sides { sent: true, received: false };
    pub const RECEIVED: Sides = Sides { sent: false, received: true };
    pub const NEITHER: Sides = Sides { sent: false, received: false };

    pub fn union(self, other: Sides) -> Sides {
        Sides { sent: self.sent || other.sent, received: self.received || other.received }
    }

    pub fn intersection(self, other: Sides) -> Sides {
        Sides { sent: self.sent && other.sent, received: self.received && other.received }
    }
}

/// How bounds (`minLength`, `maxLength`, `minimum`, `maximum`) moved; both can be true when
/// one bound tightens and another loosens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bounds {
    pub tightened: bool,
    pub loosened: bool,
}

/// A type that changed: how its values moved on the wire, and whether only the format did
/// (`integer` stayed `integer`, `int32` became `int64`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeChange {
    pub shift: TypeShift,
    pub format_only: bool,
}

/// The kinds of change the report knows. Each has a stable id ([`ChangeKind::id`]) that the
/// edit corpus under `tests/fixtures/edits/` names in its expectations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    OperationAdded,
    OperationRemoved,
    /// The Rust method (or its resource handle chain) has another name.
    OperationRenamed,
    /// Same Rust method, another HTTP method or path.
    OperationMoved,
    OperationDeprecated,
    OperationUndeprecated,
    PathParamTypeChanged(TypeChange),
    PathParamConstraintsChanged(Bounds),
    PathParamAdded,
    PathParamRemoved,
    /// The method gains a `params` argument: its first query, header or cookie parameter.
    ParamsArgumentAdded,
    ParamsArgumentRemoved,
    ParamAdded {
        required: bool,
    },
    ParamRemoved,
    ParamBecameRequired,
    ParamBecameOptional,
    ParamTypeChanged(TypeChange),
    ParamRenamed,
    ParamConstraintsChanged(Bounds),
    BodyAdded {
        required: bool,
    },
    BodyRemoved,
    BodyBecameRequired,
    BodyBecameOptional,
    BodyTypeChanged(TypeChange),
    /// JSON, form, multipart, text or bytes; whether the method's argument type changes too.
    BodyEncodingChanged {
        argument_changed: bool,
    },
    ResponseTypeChanged(TypeChange),
    ErrorTypeChanged(TypeChange),
    EventsAdded,
    EventsRemoved,
    EventsTypeChanged(TypeChange),
    PaginationAdded,
    PaginationRemoved,
    TypeAdded,
    TypeRemoved,
    TypeRenamed,
    TypeKindChanged,
    AliasTargetChanged(TypeChange),
    FieldAdded {
        required: bool,
    },
    FieldRemoved {
        was_required: bool,
    },
    FieldBecameRequired,
    FieldBecameOptional,
    FieldTypeChanged(TypeChange),
    FieldBecameNullable,
    FieldBecameNonNullable,
    /// An optional field of a type sent in requests became nullable: `Option<T>` -> `Patch<T>`.
    FieldBecameClearable,
    FieldNoLongerClearable,
    FieldRenamed,
    FieldConstraintsChanged(Bounds),
    RequiredFieldsReordered,
    AdditionalPropertiesAdded,
    AdditionalPropertiesRemoved,
    AdditionalPropertiesTypeChanged(TypeChange),
    EnumValueAdded,
    EnumValueRemoved,
    EnumValueRenamed,
    VariantAdded {
        untagged: bool,
    },
    VariantRemoved,
    VariantRenamed,
    VariantTypeChanged(TypeChange),
    TagChanged,
    AuthChanged {
        before_none: bool,
        now_none: bool,
    },
    TokenUrlChanged,
    BaseUrlChanged,
    EnvPrefixChanged,
    /// The package name: users depend on the crate by it.
    CrateRenamed,
    ErrorBodyChanged(TypeChange),
}

impl ChangeKind {
    /// A stable, readable id: `field-became-required`, `enum-value-added`.
    pub fn id(&self) -> &'static str {
        use ChangeKind::*;
        let format_or_type = |change: &TypeChange, format: &'static str, ty: &'static str| {
            if change.format_only {
                format
            } else {
                ty
            }
        };
        match self {
            OperationAdded => "operation-added",
            OperationRemoved => "operation-removed",
            OperationRenamed => "operation-renamed",
            OperationMoved => "operation-moved",
            OperationDeprecated => "operation-deprecated",
            OperationUndeprecated => "operation-undeprecated",
            PathParamTypeChanged(c) => {
                format_or_type(c, "path-param-format-changed", "path-param-type-changed")
            }
            PathParamConstraintsChanged(_) => "path-param-constraints-changed",
            PathParamAdded => "path-param-added",
            PathParamRemoved => "path-param-removed",
            ParamsArgumentAdded => "params-argument-added",
            ParamsArgumentRemoved => "params-argument-removed",
            ParamAdded { required: true } => "required-param-added",
            ParamAdded { required: false } => "optional-param-added",
            ParamRemoved => "param-removed",
            ParamBecameRequired => "param-became-required",
            ParamBecameOptional => "param-became-optional",
            ParamTypeChanged(c) => format_or_type(c, "param-format-changed", "param-type-changed"),
            ParamRenamed => "param-renamed",
            ParamConstraintsChanged(_) => "param-constraints-changed",
            BodyAdded { required: true } => "required-body-added",
            BodyAdded { required: false } => "optional-body-added",
            BodyRemoved => "body-removed",
            BodyBecameRequired => "body-became-required",
            BodyBecameOptional => "body-became-optional",
            BodyTypeChanged(_) => "body-type-changed",
            BodyEncodingChanged { .. } => "body-encoding-changed",
            ResponseTypeChanged(_) => "response-type-changed",
            ErrorTypeChanged(_) => "error-type-changed",
            EventsAdded => "events-added",
            EventsRemoved => "events-removed",
            EventsTypeChanged(_) => "events-type-changed",
            PaginationAdded => "pagination-added",
            PaginationRemoved => "pagination-removed",
            TypeAdded => "type-added",
            TypeRemoved => "type-removed",
            TypeRenamed => "type-renamed",
            TypeKindChanged => "type-kind-changed",
            AliasTargetChanged(_) => "alias-target-changed",
            FieldAdded { required: true } => "required-field-added",
            FieldAdded { required: false } => "optional-field-added",
            FieldRemoved { .. } => "field-removed",
            FieldBecameRequired => "field-became-required",
            FieldBecameOptional => "field-became-optional",
            FieldTypeChanged(c) => format_or_type(c, "field-format-changed", "field-type-changed"),
            FieldBecameNullable => "field-became-nullable",
            FieldBecameNonNullable => "field-became-non-nullable",
            FieldBecameClearable => "field-became-clearable",
            FieldNoLongerClearable => "field-no-longer-clearable",
            FieldRenamed => "field-renamed",
            FieldConstraintsChanged(_) => "field-constraints-changed",
            RequiredFieldsReordered => "required-fields-reordered",
            AdditionalPropertiesAdded => "additional-properties-added",
            AdditionalPropertiesRemoved => "additional-properties-removed",
            AdditionalPropertiesTypeChanged(_) => "additional-properties-type-changed",
            EnumValueAdded => "enum-value-added",
            EnumValueRemoved => "enum-value-removed",
            EnumValueRenamed => "enum-value-renamed",
            VariantAdded { .. } => "variant-added",
            VariantRemoved => "variant-removed",
            VariantRenamed => "variant-renamed",
            VariantTypeChanged(_) => "variant-type-changed",
            TagChanged => "tag-changed",
            AuthChanged { .. } => "auth-changed",
            TokenUrlChanged => "token-url-changed",
            BaseUrlChanged => "base-url-changed",
            EnvPrefixChanged => "env-prefix-changed",
            CrateRenamed => "crate-renamed",
            ErrorBodyChanged(_) => "error-body-changed",
        }
    }

    /// The kind in words, for the report: "field became required".
    pub fn words(&self) -> String {
        self.id().replace('-', " ")
    }
}

/// What a change does to Rust code that uses the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// Nothing in the Rust API changes (the crate follows the document: bounds, URLs).
    None,
    /// Something is added or deprecated; code that compiled still compiles.
    Compatible,
    /// Code that compiled may no longer compile, or `from_env` reads other variables.
    Breaking,
}

/// What a change does to clients already deployed, calling the changed server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Wire {
    /// Nothing on the wire changes.
    None,
    /// The wire contract changes, and deployed clients keep working.
    Compatible,
    /// Some calls of deployed clients now fail (or fail to decode the answer).
    Breaking,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::None => "none",
            Source::Compatible => "compatible",
            Source::Breaking => "breaking",
        }
    }
}

impl Wire {
    pub fn as_str(self) -> &'static str {
        match self {
            Wire::None => "none",
            Wire::Compatible => "compatible",
            Wire::Breaking => "breaking",
        }
    }
}

/// A judged change: one line of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub change: Change,
    pub source: Source,
    pub wire: Wire,
    /// Why, in a sentence: what happens to Rust code, and what to deployed clients.
    pub why: String,
    /// The line of `pointer` (or of the nearest place above it) in the new document, when
    /// the place is in the new document and its text was given.
    pub line: Option<usize>,
}

/// The changes from one record to the next, judged, in a fixed order (most breaking first).
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub crate_name: String,
    /// The crate version the suggested bump starts from.
    pub crate_version: String,
    /// `info.version` before and after.
    pub api_versions: (String, String),
    /// The document's name, as file headers give it.
    pub spec_path: String,
    pub entries: Vec<Entry>,
}

/// Compares two records. `new_text` is the new document, for the line numbers of what is in it.
pub fn compare(old: &ApiRecord, new: &ApiRecord, new_text: Option<&str>, spec_path: &str) -> Report {
    let mut entries: Vec<Entry> = diff::diff(old, new)
        .into_iter()
        .map(|change| {
            let judged = verdict::judge(&change);
            let line = match new_text {
                Some(text) if !change.in_old_document => report::line_of(text, &change.pointer),
                _ => None,
            };
            Entry { change, source: judged.source, wire: judged.wire, why: judged.why, line }
        })
        .collect();
    entries.sort_by(|a, b| {
        (b.source, b.wire, &a.change.subject, a.change.kind.id(), &a.change.detail).cmp(&(
            a.source,
            a.wire,
            &b.change.subject,
            b.change.kind.id(),
            &b.change.detail,
        ))
    });
    Report {
        crate_name: new.crate_name.clone(),
        crate_version: old.crate_version.clone(),
        api_versions: (old.api_version.clone(), new.api_version.clone()),
        spec_path: spec_path.to_owned(),
        entries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(crate_name: &str, values: &[&str]) -> ApiRecord {
        let mut text = format!(
            "record_format: 1\ncrate: {crate_name}\ncrate_version: 1.2.3\napi_version: '1'\nenv_prefix: X\nauth:\n  kind: none\ntypes:\n  Mode:\n    pointer: '#/components/schemas/Mode'\n    kind: string_enum\n    received: true\n    values:\n"
        );
        for (i, value) in values.iter().enumerate() {
            text.push_str(&format!(
                "    - rust: V{i}\n      wire: {}\n",
                serde_json::to_string(value).unwrap()
            ));
        }
        ApiRecord::parse(&text).unwrap()
    }

    #[test]
    fn a_renamed_crate_breaks_its_users() {
        let report = compare(&record("a", &[]), &record("b", &[]), None, "api.yaml");
        let ids: Vec<&str> = report.entries.iter().map(|e| e.change.kind.id()).collect();
        assert_eq!(ids, ["crate-renamed"]);
        assert_eq!(report.bump(), Some(Bump::Major));
        assert_eq!(report.next_version().as_deref(), Some("2.0.0"), "1.x crates bump the first number");
    }

    #[test]
    fn text_from_the_document_stays_on_its_line() {
        let report = compare(
            &record("a", &["x"]),
            &record("a", &["x", "evil\n- source none|`\u{202e}"]),
            None,
            "api.yaml",
        );
        let text = report.to_text();
        assert_eq!(text.lines().count(), 4, "a heading, the entry, its place and its reason:\n{text}");
        assert!(text.contains("evil\\u{a}- source none"), "{text}");
        assert!(!text.contains('\u{202e}'), "{text}");
        assert_eq!(report.next_version().as_deref(), Some("1.3.0"));
        let markdown = report.to_markdown();
        assert!(markdown.contains("none\\|"), "a `|` cannot end the cell: {markdown}");
    }
}
