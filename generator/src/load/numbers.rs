//! Numbers as published: constraints the typed document holds in 64-bit integers, written with
//! values that do not fit (`maximum: 18446744073709552000` on a `uint64`, `maxLength: 1e20`,
//! `minimum: 0.5` on an integer). Each is brought to the nearest value that means the same, or
//! dropped with a warning where no such value exists; none stops the document from loading.

use serde_json::Value;

use crate::error::{Pointer, Warning};

/// Keywords that must be non-negative integers (counts and lengths).
const COUNTS: [&str; 6] =
    ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"];

/// Fits the numeric keywords of one schema (found at `at`).
pub fn fit_schema(schema: &mut Value, at: &Pointer, warnings: &mut Vec<Warning>) {
    let Value::Object(object) = schema else { return };
    for keyword in COUNTS {
        if let Some(value) = object.get(keyword) {
            if !value.is_u64() {
                let fitted = value.as_f64().filter(|v| v.is_finite() && *v >= 0.0);
                match fitted {
                    // Lengths beyond what 64 bits count are no limit at all.
                    Some(v) if v >= u64::MAX as f64 => {
                        object.remove(keyword);
                    }
                    Some(v) => {
                        let rounded = if keyword.starts_with("min") { v.ceil() } else { v.floor() };
                        object.insert(keyword.to_owned(), Value::from(rounded as u64));
                    }
                    None => {
                        object.remove(keyword);
                        warnings.push(Warning {
                            pointer: at.join(keyword),
                            message: format!("`{keyword}` must be a non-negative whole number; ignored"),
                        });
                    }
                }
            }
        }
    }
    for keyword in ["minimum", "maximum", "multipleOf"] {
        if object.get(keyword).is_some_and(|value| !value.is_number()) {
            object.remove(keyword);
            warnings.push(Warning {
                pointer: at.join(keyword),
                message: format!("`{keyword}` is not a number; ignored"),
            });
        }
    }
    if object.get("type").and_then(Value::as_str) != Some("integer") {
        return;
    }
    for keyword in ["minimum", "maximum", "multipleOf"] {
        let Some(value) = object.get(keyword) else { continue };
        if value.is_i64() {
            continue;
        }
        let Some(v) = value.as_f64().filter(|v| v.is_finite()) else {
            object.remove(keyword);
            warnings.push(Warning {
                pointer: at.join(keyword),
                message: format!("`{keyword}` is not a number; ignored"),
            });
            continue;
        };
        let rounded = match keyword {
            "minimum" => v.ceil(),
            "maximum" => v.floor(),
            _ => v,
        };
        if rounded.fract() == 0.0 && rounded >= i64::MIN as f64 && rounded < i64::MAX as f64 {
            object.insert(keyword.to_owned(), Value::from(rounded as i64));
        } else {
            object.remove(keyword);
            warnings.push(Warning {
                pointer: at.join(keyword),
                message: format!("`{keyword}: {v}` is beyond what a 64-bit integer holds; not checked"),
            });
        }
    }
    // Values of another kind are the lowering's to report; here only numbers that do not fit.
    let fits = |item: &Value| !item.is_number() || item.is_i64();
    if object.get("enum").and_then(Value::as_array).is_some_and(|items| !items.iter().all(fits)) {
        object.remove("enum");
        warnings.push(Warning {
            pointer: at.join("enum"),
            message: "an integer `enum` with values that are not 64-bit integers; read as any integer"
                .to_owned(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_and_fractional_bounds_fit_or_go() {
        let mut schema = serde_json::json!({
            "type": "integer", "format": "uint64", "minimum": 0.5, "maximum": 18446744073709552000.0_f64,
            "maxLength": 1e30
        });
        let mut warnings = Vec::new();
        fit_schema(&mut schema, &Pointer::root(), &mut warnings);
        assert_eq!(schema, serde_json::json!({"type": "integer", "format": "uint64", "minimum": 1}));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].message.contains("beyond what a 64-bit integer holds"));
    }
}
