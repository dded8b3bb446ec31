//! The two verdicts of a change, with the reason.
//!
//! **Source** follows the evolution contract of the generated crate (README, "How the generated
//! crate evolves"): structs and enums are `#[non_exhaustive]`, structs are built with
//! `new(<required fields>)` and setters, union variants with constructors. So an optional
//! field, an enum value or a variant is an addition; anything that changes a name, a type, a
//! signature or `new`'s parameters breaks code. Changes the Rust API does not show (bounds,
//! URLs, auth) are `none`: the crate follows the document.
//!
//! **Wire** asks whether a client generated before the change, already deployed, still works
//! against the changed server. It depends on the direction: a request must still be accepted,
//! so what deployed clients send must stay within what the server takes; a response must still
//! decode, so what the server sends must stay within what deployed clients read. Deployed
//! clients ignore fields they do not know, decode unknown enum values and union kinds into
//! `Unknown`, and do not check bounds on what they receive. Where an old client sends something
//! the server no longer reads (a removed field or parameter), the server is taken to ignore it,
//! as servers commonly do with what they do not know.

use super::{Bounds, Change, ChangeKind, Sides, Source, TypeChange, TypeShift, Wire};

pub(super) struct Judged {
    pub source: Source,
    pub wire: Wire,
    pub why: String,
}

/// A wire verdict and its reason.
type W = (Wire, &'static str);

const UNUSED: &str = "no operation sends or receives it both before and after the change";

pub(super) fn judge(change: &Change) -> Judged {
    use ChangeKind::*;
    use Source::{Breaking as SB, Compatible as SC, None as SN};
    let sides = change.sides;
    let both = |sent: W, received: W| by_sides(sides, sent, received);
    let one = |wire: W| (wire.0, wire.1.to_owned());
    let (source, source_why, (wire, wire_why)) = match change.kind {
        OperationAdded => (SC, "a new method", one((Wire::Compatible, "deployed clients do not call it"))),
        OperationRemoved => (
            SB,
            "the method is gone",
            one((Wire::Breaking, "deployed clients call an operation the server no longer has")),
        ),
        OperationRenamed => (SB, "the method, or its chain of resource handles, has another name", one(same_wire())),
        OperationMoved => (
            SN,
            "the method keeps its name and arguments, and calls the new method or path",
            one((Wire::Breaking, "deployed clients call the old method or path")),
        ),
        OperationDeprecated => (SC, "`#[deprecated]`: callers get a warning", one(same_wire())),
        OperationUndeprecated => (SN, "the deprecation warning goes", one(same_wire())),
        PathParamAdded | PathParamRemoved => (
            SB,
            "the method takes another number of arguments",
            one((Wire::Breaking, "deployed clients call a path the server no longer has")),
        ),
        PathParamTypeChanged(change) => (SB, "the argument's type changes", one(sent_shift(change))),
        PathParamConstraintsChanged(bounds) | ParamConstraintsChanged(bounds) => {
            (SN, "`Validate` checks the new bounds before sending; no type changes", one(sent_bounds(bounds)))
        }
        ParamsArgumentAdded => (SB, "the method gains a `params` argument", one(see_parameters())),
        ParamsArgumentRemoved => (SB, "the method loses its `params` argument", one(see_parameters())),
        ParamAdded { required: false } => (
            SC,
            "a field and a setter on the `#[non_exhaustive]` parameters struct",
            one((Wire::Compatible, "deployed clients leave it out, which is allowed")),
        ),
        ParamAdded { required: true } => {
            (SB, "the parameters struct's `new` takes it", one((Wire::Breaking, "deployed clients leave it out")))
        }
        ParamRemoved => (SB, "its field and setter are gone", one(no_longer_read())),
        ParamBecameRequired => (
            SB,
            "`Option<T>` becomes `T`, and `new` takes it",
            one((Wire::Breaking, "deployed clients may leave it out")),
        ),
        ParamBecameOptional => (
            SB,
            "`T` becomes `Option<T>`, and `new` no longer takes it",
            one((Wire::Compatible, "deployed clients always send it, which is still allowed")),
        ),
        ParamTypeChanged(change) => (SB, "the field's type changes", one(sent_shift(change))),
        ParamRenamed | FieldRenamed => (SB, "the field has another Rust name", one(same_wire())),
        BodyAdded { required } => (
            SB,
            "the method gains a `body` argument",
            one(if required {
                (Wire::Breaking, "deployed clients send no body")
            } else {
                (Wire::Compatible, "deployed clients send no body, which is allowed")
            }),
        ),
        BodyRemoved => (SB, "the method loses its `body` argument", one(no_longer_read())),
        BodyBecameRequired => {
            (SB, "`Option<&T>` becomes `&T`", one((Wire::Breaking, "deployed clients may send no body")))
        }
        BodyBecameOptional => (
            SB,
            "`&T` becomes `Option<&T>`",
            one((Wire::Compatible, "deployed clients always send one, which is still allowed")),
        ),
        BodyTypeChanged(change) => (SB, "the `body` argument's type changes", one(sent_shift(change))),
        BodyEncodingChanged { argument_changed } => (
            if argument_changed { SB } else { SN },
            if argument_changed {
                "the `body` argument's type changes"
            } else {
                "the `body` argument keeps its type"
            },
            one((Wire::Breaking, "deployed clients send the old media type")),
        ),
        ResponseTypeChanged(change) => (SB, "the method returns another type", one(received_shift(change))),
        ErrorTypeChanged(change) => (
            SN,
            "errors are `Error` variants by status; the crate's shared `ErrorBody` is judged on its own",
            one(error_body_wire(change)),
        ),
        ErrorBodyChanged(change) => {
            (SB, "`ErrorBody`, the type of `ApiError::body`, changes", one(error_body_wire(change)))
        }
        EventsAdded => (SC, "a method that streams the events", one((Wire::Compatible, "deployed clients do not ask for them"))),
        EventsRemoved => (
            SB,
            "the streaming method is gone",
            one((Wire::Breaking, "deployed clients wait for events the server no longer sends")),
        ),
        EventsTypeChanged(change) => (SB, "the events' type changes", one(received_shift(change))),
        PaginationAdded => (SC, "a method that streams every page's items", one(same_wire())),
        PaginationRemoved => (SB, "the method that streamed every page's items is gone", one(same_wire())),
        TypeAdded => (SC, "a new type", one((Wire::None, "its uses are listed on their own"))),
        TypeRemoved => (SB, "the type is gone", one((Wire::None, "its uses are listed on their own"))),
        TypeRenamed => (SB, "the type has another name", one(same_wire())),
        TypeKindChanged => (
            SB,
            "the type has another shape",
            both(
                (Wire::Breaking, "the server reads its values another way"),
                (Wire::Breaking, "deployed clients decode its values the old way"),
            ),
        ),
        AliasTargetChanged(change)
        | FieldTypeChanged(change)
        | AdditionalPropertiesTypeChanged(change)
        | VariantTypeChanged(change) => {
            let what = match change.format_only {
                true => "the Rust type changes with the format",
                false => "the Rust type changes",
            };
            (SB, what, both(sent_shift(change), received_shift(change)))
        }
        FieldAdded { required: false } => (
            SC,
            "a field and a setter on a `#[non_exhaustive]` struct",
            both(
                (Wire::Compatible, "deployed clients leave it out, which is allowed"),
                (Wire::Compatible, "deployed clients ignore fields they do not know"),
            ),
        ),
        FieldAdded { required: true } => (
            SB,
            "`new` takes one more argument",
            both(
                (Wire::Breaking, "deployed clients leave it out"),
                (Wire::Compatible, "deployed clients ignore fields they do not know"),
            ),
        ),
        FieldRemoved { was_required } => (
            SB,
            "the field and its setter are gone",
            both(
                no_longer_read(),
                if was_required {
                    (Wire::Breaking, "deployed clients require it and fail to decode answers without it")
                } else {
                    (Wire::Compatible, "deployed clients read it as absent")
                },
            ),
        ),
        FieldBecameRequired => (
            SB,
            "`new` takes it, and the field's type changes",
            both(
                (Wire::Breaking, "deployed clients may leave it out"),
                (Wire::Compatible, "deployed clients read it as before"),
            ),
        ),
        FieldBecameOptional => (
            SB,
            "`new` no longer takes it, and the field's type changes",
            both(
                (Wire::Compatible, "deployed clients always send it, which is still allowed"),
                (Wire::Breaking, "deployed clients require it and fail to decode answers without it"),
            ),
        ),
        FieldBecameNullable => (
            SB,
            "`T` becomes `Option<T>`",
            both(
                (Wire::Compatible, "deployed clients never send `null`"),
                (Wire::Breaking, "deployed clients fail to decode `null`"),
            ),
        ),
        FieldBecameNonNullable => (
            SB,
            "`Option<T>` becomes `T`",
            both(
                (Wire::Breaking, "deployed clients may send `null`"),
                (Wire::Compatible, "the server no longer sends `null`"),
            ),
        ),
        FieldBecameClearable => (
            SB,
            "`Option<T>` becomes `Patch<T>` (the setter stays; `clear_` appears)",
            both(
                (Wire::Compatible, "`null` is now allowed; deployed clients never send it"),
                (Wire::Compatible, "deployed clients read `null` as absent"),
            ),
        ),
        FieldNoLongerClearable => (
            SB,
            "`Patch<T>` becomes `Option<T>`",
            both(
                (Wire::Breaking, "deployed clients may send `null` to clear it"),
                (Wire::Compatible, "the server no longer sends `null`"),
            ),
        ),
        FieldConstraintsChanged(bounds) => (
            SN,
            "`Validate` checks the new bounds before sending; no type changes",
            both(sent_bounds(bounds), (Wire::Compatible, "deployed clients do not check what they receive")),
        ),
        RequiredFieldsReordered => (SB, "`new` takes its arguments in another order", one(same_wire())),
        AdditionalPropertiesAdded => (
            SC,
            "a map field and its setter on a `#[non_exhaustive]` struct",
            both(
                (Wire::Compatible, "deployed clients send no other properties, which is allowed"),
                (Wire::Compatible, "deployed clients ignore properties they do not know"),
            ),
        ),
        AdditionalPropertiesRemoved => (
            SB,
            "the map field is gone",
            both(no_longer_read(), (Wire::Compatible, "deployed clients read an empty map")),
        ),
        EnumValueAdded => (
            SC,
            "a variant of a `#[non_exhaustive]` enum",
            both(
                (Wire::Compatible, "deployed clients never send it"),
                (Wire::Compatible, "deployed clients decode it as `Unknown`"),
            ),
        ),
        EnumValueRemoved => (
            SB,
            "the variant is gone",
            both(
                (Wire::Breaking, "deployed clients may send it"),
                (Wire::Compatible, "the server no longer sends it"),
            ),
        ),
        EnumValueRenamed | VariantRenamed => (SB, "the variant has another name", one(same_wire())),
        VariantAdded { untagged } => (
            SC,
            "a variant of a `#[non_exhaustive]` enum",
            both(
                (Wire::Compatible, "deployed clients never send it"),
                if untagged {
                    (Wire::Breaking, "deployed clients have no variant to decode it into")
                } else {
                    (Wire::Compatible, "deployed clients decode it as `Unknown`")
                },
            ),
        ),
        VariantRemoved => (
            SB,
            "the variant is gone",
            both(
                (Wire::Breaking, "deployed clients may send it"),
                (Wire::Compatible, "the server no longer sends it"),
            ),
        ),
        TagChanged => (
            SN,
            "the variants keep their names",
            both(
                (Wire::Breaking, "deployed clients send the tag under the old name"),
                (Wire::Breaking, "deployed clients look for the tag under the old name"),
            ),
        ),
        AuthChanged { now_none: true, .. } => (
            SN,
            "the client builder has the same methods in every crate",
            one((Wire::Compatible, "deployed clients send credentials the server no longer needs")),
        ),
        AuthChanged { .. } => (
            SN,
            "the client builder has the same methods in every crate",
            one((Wire::Breaking, "deployed clients do not sign in the way the server now requires")),
        ),
        TokenUrlChanged => (
            SN,
            "the client fetches tokens from the new URL",
            one((Wire::Breaking, "deployed clients fetch tokens from the old URL")),
        ),
        BaseUrlChanged => (
            SN,
            "the client's default base URL is the new one",
            one((Wire::Breaking, "deployed clients on the default base URL still call the old one")),
        ),
        CrateRenamed => (
            SB,
            "users depend on the crate, and name it in code, by its package name",
            one(same_wire()),
        ),
        EnvPrefixChanged => (
            SB,
            "code compiles, but `Client::from_env` reads other environment variables, so deployments set up for the old names no longer configure the client",
            one(same_wire()),
        ),
    };
    Judged { source, wire, why: format!("Rust: {source_why}. Wire: {wire_why}.") }
}

/// The wire verdict of a change to a type, from the sides it travels on: for a type that goes
/// both ways, the worse of the two, with both reasons.
fn by_sides(sides: Sides, sent: W, received: W) -> (Wire, String) {
    match (sides.sent, sides.received) {
        (false, false) => (Wire::None, UNUSED.to_owned()),
        (true, false) => (sent.0, format!("in requests, {}", sent.1)),
        (false, true) => (received.0, format!("in answers, {}", received.1)),
        (true, true) => {
            (sent.0.max(received.0), format!("in requests, {}; in answers, {}", sent.1, received.1))
        }
    }
}

fn same_wire() -> W {
    (Wire::None, "the requests and answers are the same")
}

fn see_parameters() -> W {
    (Wire::None, "each parameter is listed on its own")
}

fn no_longer_read() -> W {
    (Wire::Compatible, "deployed clients still send it, and the server ignores what it no longer reads")
}

/// What deployed clients send must still be accepted.
fn sent_shift(change: TypeChange) -> W {
    match change.shift {
        TypeShift::Same => (Wire::None, "the same values on the wire"),
        TypeShift::Wider => (Wire::Compatible, "every value deployed clients send is still accepted"),
        TypeShift::Narrower | TypeShift::Other => {
            (Wire::Breaking, "deployed clients may send values the server no longer accepts")
        }
    }
}

/// What the server sends must still decode in deployed clients.
fn received_shift(change: TypeChange) -> W {
    match change.shift {
        TypeShift::Same => (Wire::None, "the same values on the wire"),
        TypeShift::Narrower => {
            (Wire::Compatible, "every value the server now sends decodes in deployed clients")
        }
        TypeShift::Wider | TypeShift::Other => {
            (Wire::Breaking, "the server may send values deployed clients cannot decode")
        }
    }
}

fn sent_bounds(bounds: Bounds) -> W {
    if bounds.tightened {
        (Wire::Breaking, "deployed clients may send values outside the new bounds")
    } else {
        (Wire::Compatible, "every value deployed clients send is still within bounds")
    }
}

/// An error answer is an error either way: deployed clients keep its status and text.
fn error_body_wire(change: TypeChange) -> W {
    match change.shift {
        TypeShift::Same | TypeShift::Narrower => (Wire::None, "error bodies still decode"),
        TypeShift::Wider | TypeShift::Other => {
            (Wire::Compatible, "errors keep their status and text; the body may no longer decode")
        }
    }
}
