//! The serde code the API's types share. Their `Serialize` and `Deserialize` impls are written
//! out in `types.rs`, each as short as its fields or values allow, and call these functions for
//! the rest. Derived impls would repeat all of this in every type (and buffer every value of
//! an enum with an unknown variant), which was most of what a large API's crate cost to
//! compile.

// A crate uses the parts its kinds of types need: one without untagged enums never calls
// `first_variant`, one without additional properties never calls `read_additional` or
// `ObjectWriter::additional`.
#![allow(dead_code)]

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

/// Decodes a string enum: `from_wire` maps each string, known or not, to a value.
pub(crate) fn string_enum<'de, D, T>(
    deserializer: D,
    expecting: &'static str,
    from_wire: fn(&str) -> T,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct StringVisitor<T> {
        expecting: &'static str,
        from_wire: fn(&str) -> T,
    }

    impl<T> Visitor<'_> for StringVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.expecting)
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
            Ok((self.from_wire)(value))
        }
    }

    deserializer.deserialize_str(StringVisitor { expecting, from_wire })
}

/// One way to read a value of an untagged enum: a variant's type, wrapped in its variant.
pub(crate) type Variant<T> = fn(&serde_json::Value) -> Result<T, serde_json::Error>;

/// Decodes an untagged enum: the first variant the value decodes as wins, in the order the
/// document lists them.
pub(crate) fn first_variant<'de, D, T>(deserializer: D, name: &str, variants: &[Variant<T>]) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    variants
        .iter()
        .find_map(|variant| variant(&value).ok())
        .ok_or_else(|| de::Error::custom(format_args!("data did not match any variant of untagged enum {name}")))
}

/// A key of a JSON object, borrowed from the input where it can be.
pub(crate) struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }

            fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(value)))
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(value.to_owned())))
            }

            fn visit_string<E: de::Error>(self, value: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(value)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// An object type whose `Deserialize` impl reads it entry by entry, with an [`ObjectReader`].
pub(crate) trait ReadObject<'de>: Sized {
    /// What a value of another kind is told it should have been, as serde's derive words it:
    /// `struct Name`.
    const EXPECTING: &'static str;

    /// Reads the object's entries, then builds the value.
    fn read_object<M: MapAccess<'de>>(object: ObjectReader<'de, M>) -> Result<Self, M::Error>;
}

/// Decodes an object type.
pub(crate) fn read_object<'de, D: Deserializer<'de>, T: ReadObject<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: ReadObject<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<T, M::Error> {
        T::read_object(ObjectReader { map, input: PhantomData })
    }
}

/// Reads an object entry by entry: a type's `read_object` takes each key and says where its
/// value goes.
pub(crate) struct ObjectReader<'de, M: MapAccess<'de>> {
    map: M,
    input: PhantomData<&'de ()>,
}

impl<'de, M: MapAccess<'de>> ObjectReader<'de, M> {
    /// The next entry's key, or `None` at the end of the object.
    pub(crate) fn next_key(&mut self) -> Result<Option<Key<'de>>, M::Error> {
        self.map.next_key()
    }

    /// Reads the entry's value into a field that may be left out: an `Option` or a `Patch`.
    pub(crate) fn read<T: Deserialize<'de>>(&mut self, field: &mut T) -> Result<(), M::Error> {
        *field = self.map.next_value()?;
        Ok(())
    }

    /// Reads the entry's value into the `Option` that holds a required field until the object
    /// ends.
    pub(crate) fn read_required<T: Deserialize<'de>>(&mut self, field: &mut Option<T>) -> Result<(), M::Error> {
        *field = Some(self.map.next_value()?);
        Ok(())
    }

    /// Reads an entry the type does not name into its additional properties.
    pub(crate) fn read_additional<T: Deserialize<'de>>(
        &mut self,
        properties: &mut std::collections::BTreeMap<String, T>,
        key: Key<'de>,
    ) -> Result<(), M::Error> {
        properties.insert(key.into_string(), self.map.next_value()?);
        Ok(())
    }

    /// Skips an entry the type does not name.
    pub(crate) fn skip(&mut self) -> Result<(), M::Error> {
        self.map.next_value::<de::IgnoredAny>()?;
        Ok(())
    }

    /// A required field's value, or what serde makes of a missing one: `None` for an `Option`,
    /// else a "missing field" error.
    pub(crate) fn required<T: Deserialize<'de>>(&self, value: Option<T>, field: &'static str) -> Result<T, M::Error> {
        match value {
            Some(value) => Ok(value),
            None => T::deserialize(Missing(field, PhantomData)),
        }
    }
}

/// Stands in for a field that is not there: only an `Option` can be read from it.
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// Writes an object field by field. The first error is kept and ends the writing, so that
/// a type's `serialize` is a list of calls with one `?` rather than one per field.
pub(crate) struct ObjectWriter<M: SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

/// Starts writing an object.
pub(crate) fn write_object<S: Serializer>(serializer: S) -> Result<ObjectWriter<S::SerializeMap>, S::Error> {
    Ok(ObjectWriter { map: serializer.serialize_map(None)?, error: None })
}

impl<M: SerializeMap> ObjectWriter<M> {
    /// Adds a field that is sent as it is.
    pub(crate) fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        if self.error.is_none() {
            self.error = self.map.serialize_entry(name, value).err();
        }
    }

    /// Adds an optional field, if it is there.
    pub(crate) fn optional<T: Serialize>(&mut self, name: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.field(name, value);
        }
    }

    /// Adds a field that may be left out or sent as `null`, unless it is left out.
    pub(crate) fn patch<T: Serialize>(&mut self, name: &str, value: &crate::Patch<T>) {
        if !value.is_absent() {
            self.field(name, value);
        }
    }

    /// Adds the properties a type does not name.
    pub(crate) fn additional<T: Serialize>(&mut self, properties: &std::collections::BTreeMap<String, T>) {
        for (name, value) in properties {
            self.field(name, value);
        }
    }

    /// Ends the object, or returns the first error.
    pub(crate) fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(error) => Err(error),
            None => self.map.end(),
        }
    }
}
