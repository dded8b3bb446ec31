//! YAML read straight into the JSON data model, so that every later step of loading sees one
//! kind of value whatever the document's syntax. Read this way rather than through
//! `serde_yaml::Value`, which refuses integers wider than 64 bits (`maximum:
//! 18446744073709552000`, as published): those become floating point, as JSON parsers read them.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parses one YAML document. Mapping keys that are not text (unquoted status codes such as
/// `200:`) become their text; a key given twice is an error; merge keys (`<<: *base`) are
/// applied.
pub fn from_yaml_str(text: &str) -> Result<Value, serde_yaml::Error> {
    serde_yaml::from_str::<Yaml>(text).map(|yaml| yaml.0)
}

struct Yaml(Value);

impl<'de> Deserialize<'de> for Yaml {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(YamlVisitor).map(Yaml)
    }
}

/// A mapping key as text, whatever scalar it was written as.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match deserializer.deserialize_any(YamlVisitor)? {
            Value::String(text) => Ok(Key(text)),
            Value::Null => Ok(Key("null".to_owned())),
            scalar @ (Value::Bool(_) | Value::Number(_)) => Ok(Key(scalar.to_string())),
            Value::Array(_) | Value::Object(_) => {
                Err(de::Error::custom("a mapping key must be a single value"))
            }
        }
    }
}

struct YamlVisitor;

impl<'de> Visitor<'de> for YamlVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Yaml(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        let mut merged = Vec::new();
        while let Some(Key(key)) = map.next_key()? {
            let Yaml(value) = map.next_value()?;
            if key == "<<" {
                merged.push(value);
            } else if object.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate entry with key {key:?}")));
            } else {
                object.insert(key, value);
            }
        }
        for base in merged {
            merge(&mut object, base).map_err(de::Error::custom)?;
        }
        Ok(Value::Object(object))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged value (`!tag value`): the tag means nothing to OpenAPI; keep the value.
        let (_, variant): (de::IgnoredAny, _) = data.variant()?;
        de::VariantAccess::newtype_variant::<Yaml>(variant).map(|yaml| yaml.0)
    }
}

/// `.inf` and `.nan` have no JSON form.
fn float(v: f64) -> Value {
    Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// A merge key's mapping (or list of mappings) gives the keys the mapping does not have itself.
fn merge(object: &mut Map<String, Value>, base: Value) -> Result<(), &'static str> {
    match base {
        Value::Object(base) => {
            for (key, value) in base {
                object.entry(key).or_insert(value);
            }
            Ok(())
        }
        Value::Array(bases) => bases.into_iter().try_for_each(|base| match base {
            Value::Object(_) => merge(object, base),
            _ => Err("bad merge key (`<<`): expected a mapping or a list of mappings"),
        }),
        _ => Err("bad merge key (`<<`): expected a mapping or a list of mappings"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_becomes_json_with_text_keys_and_wide_numbers() {
        let json =
            from_yaml_str("200: {max: 18446744073709552000, min: -3, big: 18446744073709551615}").unwrap();
        assert_eq!(json["200"]["min"], -3);
        assert_eq!(json["200"]["big"].as_u64(), Some(u64::MAX));
        assert_eq!(json["200"]["max"].as_f64(), Some(18446744073709552000.0));
    }

    #[test]
    fn merge_keys_apply_and_duplicates_are_refused() {
        let json = from_yaml_str("base: &b {a: 1, b: 2}\nthing: {<<: *b, b: 3}").unwrap();
        assert_eq!(json["thing"], serde_json::json!({"b": 3, "a": 1}));
        let error = from_yaml_str("a: 1\na: 2").unwrap_err().to_string();
        assert!(error.contains("duplicate entry with key \"a\""), "{error}");
    }
}
