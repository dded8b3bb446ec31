//! Fields of a request that may be left out, sent as `null`, or sent with a value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An optional field that may also be `null`, in a type sent in requests: in a PATCH body,
/// `Absent` keeps what the server has, `Null` clears it and `Value` sets it.
///
/// ```
/// # use keycardai_api::Patch;
/// let keep: Patch<String> = Patch::Absent;
/// let clear: Patch<String> = Patch::Null;
/// let set = Patch::from("renamed".to_owned());
/// assert!(keep.is_absent());
/// assert_eq!(serde_json::to_string(&clear).unwrap(), "null");
/// assert_eq!(set.value().map(String::as_str), Some("renamed"));
/// ```
///
/// Each such field of a request type has a setter named after it and a `clear_` method that
/// makes it `Null`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Patch<T> {
    /// Left out of the request.
    #[default]
    Absent,
    /// Sent as `null`.
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Patch<T> {
    /// Whether the field is left out (serde skips it then).
    pub fn is_absent(&self) -> bool {
        matches!(self, Patch::Absent)
    }

    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Patch::Value(value) => Some(value),
            Patch::Absent | Patch::Null => None,
        }
    }
}

impl<T> From<T> for Patch<T> {
    fn from(value: T) -> Self {
        Patch::Value(value)
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Value(value) => value.serialize(serializer),
            Patch::Absent | Patch::Null => serializer.serialize_none(),
        }
    }
}

/// A field that is missing never reaches this (`#[serde(default)]` makes it `Absent`).
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.map_or(Patch::Null, Patch::Value))
    }
}
