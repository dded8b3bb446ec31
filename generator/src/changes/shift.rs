//! How a changed type moves the set of values it stands for on the wire. A request type that
//! now takes more values (wider) still takes every value deployed clients send; a response type
//! that now gives fewer (narrower) gives only values deployed clients decode. The other way
//! round, some calls of deployed clients fail.
//!
//! Types are compared as the record spells them (`Vec<Option<i64>>`, `DateTime<Utc>`, a type
//! name), which is the IR's own rendering: the wrappers are peeled in step, and the base types
//! are compared by the JSON values they accept.

use crate::record::{ApiRecord, TypeRecord};

use super::TypeChange;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeShift {
    /// The same values, under another Rust type (a renamed type, a `Box`, `format: password`).
    Same,
    /// Every old value is still a value (`int32` -> `int64`, `date-time` -> `string`).
    Wider,
    /// Every new value was already a value (`int64` -> `int32`, `string` -> `uuid`).
    Narrower,
    /// Neither: values of one are not values of the other.
    Other,
}

/// The change from `old` (a type in `old_record`) to `new` (in `new_record`).
pub fn type_change(old: &str, new: &str, old_record: &ApiRecord, new_record: &ApiRecord) -> TypeChange {
    let records = Records { old: old_record, new: new_record };
    let old_holds_new = records.includes(old, new, Side::OldHoldsNew);
    let new_holds_old = records.includes(new, old, Side::NewHoldsOld);
    let shift = match (new_holds_old, old_holds_new) {
        (true, true) => TypeShift::Same,
        (true, false) => TypeShift::Wider,
        (false, true) => TypeShift::Narrower,
        (false, false) => TypeShift::Other,
    };
    let format_only = skeleton(old) == skeleton(new)
        && base(old) != base(new)
        && json_kind(base(old)) == json_kind(base(new));
    TypeChange { shift, format_only }
}

/// Which record each side of an inclusion test is read from.
#[derive(Clone, Copy)]
enum Side {
    /// `includes(old, new)`: the outer type is old.
    OldHoldsNew,
    /// `includes(new, old)`: the outer type is new.
    NewHoldsOld,
}

struct Records<'a> {
    old: &'a ApiRecord,
    new: &'a ApiRecord,
}

impl Records<'_> {
    /// Whether every value of `inner` is a value of `outer`.
    fn includes(&self, outer: &str, inner: &str, side: Side) -> bool {
        let outer = strip_box(outer);
        let inner = strip_box(inner);
        if outer == inner {
            return self.same_named(outer, inner, side);
        }
        for wrapper in ["Vec<", "BTreeMap<String, ", "Option<"] {
            match (unwrap(outer, wrapper), unwrap(inner, wrapper)) {
                (Some(o), Some(i)) => return self.includes(o, i, side),
                (Some(o), None) if wrapper == "Option<" => return self.includes(o, inner, side),
                _ => {}
            }
        }
        if outer == "Value" {
            return true;
        }
        if let (Some(o), Some(i)) = (self.record(outer, side, true), self.record(inner, side, false)) {
            return same_shape(o, i);
        }
        base_includes(outer, inner)
    }

    /// A named type is the same on both sides when its record has the same shape.
    fn same_named(&self, outer: &str, inner: &str, side: Side) -> bool {
        match (self.record(outer, side, true), self.record(inner, side, false)) {
            (Some(o), Some(i)) => same_shape(o, i),
            // Built-in types, or a name one of the records lacks: the name decides.
            _ => true,
        }
    }

    fn record(&self, name: &str, side: Side, outer: bool) -> Option<&TypeRecord> {
        let from_old = matches!((side, outer), (Side::OldHoldsNew, true) | (Side::NewHoldsOld, false));
        let record = if from_old { self.old } else { self.new };
        record.types.get(name)
    }
}

/// Two type records that describe the same values: everything but where they are and which
/// way they travel. Field types name other types, so a renamed inner type makes them differ:
/// a narrow notion of "the same", never a wrong one.
pub(super) fn same_shape(a: &TypeRecord, b: &TypeRecord) -> bool {
    let strip =
        |t: &TypeRecord| TypeRecord { pointer: String::new(), sent: false, received: false, ..t.clone() };
    strip(a) == strip(b)
}

fn strip_box(ty: &str) -> &str {
    unwrap(ty, "Box<").map_or(ty, strip_box)
}

fn unwrap<'a>(ty: &'a str, wrapper: &str) -> Option<&'a str> {
    ty.strip_prefix(wrapper)?.strip_suffix('>')
}

/// The wrappers around the base type, outermost first (`Vec<Option<`).
fn skeleton(ty: &str) -> String {
    let ty = strip_box(ty);
    match ["Vec<", "BTreeMap<String, ", "Option<"].iter().find_map(|w| unwrap(ty, w).map(|inner| (w, inner)))
    {
        Some((wrapper, inner)) => format!("{wrapper}{}", skeleton(inner)),
        None => String::new(),
    }
}

/// The innermost type, wrappers peeled.
fn base(ty: &str) -> &str {
    let ty = strip_box(ty);
    ["Vec<", "BTreeMap<String, ", "Option<"].iter().find_map(|w| unwrap(ty, w)).map_or(ty, base)
}

/// The JSON type a base type is: `string`, `integer`, `number`, ... (named types are their own).
fn json_kind(ty: &str) -> &str {
    match ty {
        "String" | "SensitiveString" | "DateTime<Utc>" | "NaiveDate" | "Uuid" => "string",
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" => "integer",
        "f32" | "f64" => "number",
        "bool" => "boolean",
        "Map<String, Value>" => "object",
        other => other,
    }
}

/// The range of an integer type.
fn integer_range(ty: &str) -> Option<(i128, i128)> {
    Some(match ty {
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" => (i64::MIN.into(), i64::MAX.into()),
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" => (0, u64::MAX.into()),
        _ => return None,
    })
}

/// Whether every JSON value of base type `inner` decodes as `outer`.
fn base_includes(outer: &str, inner: &str) -> bool {
    if let (Some(o), Some(i)) = (integer_range(outer), integer_range(inner)) {
        return o.0 <= i.0 && i.1 <= o.1;
    }
    match outer {
        // A `format: password` string is a string; a date, a time or a UUID is one too.
        "String" | "SensitiveString" => {
            matches!(inner, "String" | "SensitiveString" | "DateTime<Utc>" | "NaiveDate" | "Uuid")
        }
        // Any JSON number decodes as a double; a float takes what fits in 24 bits exactly.
        "f64" => json_kind(inner) == "integer" || inner == "f32",
        "f32" => matches!(inner, "i8" | "i16" | "u8" | "u16"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty() -> ApiRecord {
        ApiRecord::parse(
            "record_format: 1\ncrate: x\ncrate_version: 0.1.0\napi_version: '1'\nenv_prefix: X\nauth:\n  kind: none\n",
        )
        .unwrap()
    }

    fn shift(old: &str, new: &str) -> (TypeShift, bool) {
        let change = type_change(old, new, &empty(), &empty());
        (change.shift, change.format_only)
    }

    #[test]
    fn integers_widen_and_narrow_by_range() {
        assert_eq!(shift("i32", "i64"), (TypeShift::Wider, true));
        assert_eq!(shift("i64", "i32"), (TypeShift::Narrower, true));
        assert_eq!(shift("u32", "i64"), (TypeShift::Wider, true));
        assert_eq!(shift("u64", "i64"), (TypeShift::Other, true));
        assert_eq!(shift("i64", "f64"), (TypeShift::Wider, false));
    }

    #[test]
    fn strings_with_formats_are_strings() {
        assert_eq!(shift("String", "DateTime<Utc>"), (TypeShift::Narrower, true));
        assert_eq!(shift("Uuid", "String"), (TypeShift::Wider, true));
        assert_eq!(shift("String", "SensitiveString"), (TypeShift::Same, true));
        assert_eq!(shift("String", "i64"), (TypeShift::Other, false));
    }

    #[test]
    fn wrappers_are_peeled_in_step() {
        assert_eq!(shift("Vec<i32>", "Vec<i64>"), (TypeShift::Wider, true));
        assert_eq!(shift("Box<Pet>", "Pet"), (TypeShift::Same, false));
        assert_eq!(shift("Vec<i32>", "i32"), (TypeShift::Other, false));
        assert_eq!(shift("Vec<i32>", "Value"), (TypeShift::Wider, false));
    }
}
