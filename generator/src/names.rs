//! The one place that turns names from the document into Rust identifiers.
//!
//! Case conversion goes through `heck`; then one sanitising step makes any result a valid
//! identifier (raw identifiers for keywords, a `_` suffix for the few that cannot be raw, a
//! prefix for a leading digit). [`Scope`] keeps names distinct within one namespace.

use std::collections::BTreeSet;

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Longest identifier we emit; longer names are cut and keep a short hash for uniqueness.
const MAX_IDENT_LEN: usize = 64;

/// `UpperCamelCase` name for a type or an enum variant.
pub fn type_name(raw: &str) -> String {
    sanitize(&words(raw).to_upper_camel_case(), "T")
}

/// `snake_case` name for a field, a parameter or a method.
pub fn value_name(raw: &str) -> String {
    sanitize(&words(raw).to_snake_case(), "_")
}

/// `snake_case` name for a method: a [`value_name`] that does not look like the method of a
/// standard trait (`clone`, `next`, `default`, ...), which would shadow it and mislead readers,
/// nor like a constructor (`new`).
pub fn method_name(raw: &str) -> String {
    let mut name = value_name(raw);
    if name == "new" || STANDARD_TRAIT_METHODS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Methods of standard traits, as clippy's `should_implement_trait` lists them.
const STANDARD_TRAIT_METHODS: [&str; 30] = [
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "borrow",
    "borrow_mut",
    "clone",
    "cmp",
    "default",
    "deref",
    "deref_mut",
    "div",
    "drop",
    "eq",
    "from_iter",
    "from_str",
    "hash",
    "index",
    "index_mut",
    "into_iter",
    "mul",
    "neg",
    "next",
    "not",
    "rem",
    "shl",
    "shr",
    "sub",
];

/// `kebab-case` name for a Cargo feature of the generated crate (`payment_intents` ->
/// `payment-intents`): ASCII letters, digits and `-`, which Cargo and crates.io accept.
/// The features the crate always has are taken by [`FEATURES_OF_EVERY_CRATE`]; use
/// [`claim_feature`] to keep names distinct.
pub fn feature_name(raw: &str) -> String {
    let name = words(raw).to_kebab_case();
    if name.is_empty() {
        "resource".to_owned()
    } else {
        name
    }
}

/// The Cargo features every generated crate with resource features has besides them.
pub const FEATURES_OF_EVERY_CRATE: [&str; 3] = ["default", "full", "blocking"];

/// Claims the feature name for `raw` in `scope`, or the first of `name-2`, `name-3`, ... that
/// is free (so that `payment_intents` and `payment-intents` get two features).
pub fn claim_feature(scope: &mut Scope, raw: &str) -> String {
    let name = feature_name(raw);
    (1..)
        .map(|n| if n == 1 { name.clone() } else { format!("{name}-{n}") })
        .find(|candidate| scope.taken.insert(candidate.clone()))
        .expect("an unbounded range always yields a free name")
}

/// `SHOUTY_SNAKE_CASE`, used for environment variable prefixes.
pub fn shouty_name(raw: &str) -> String {
    let name = words(raw).to_shouty_snake_case();
    if name.is_empty() {
        "API".to_owned()
    } else {
        name
    }
}

/// Spells symbols that carry meaning, and turns any other non-alphanumeric character into a
/// word break, so that heck sees only words.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for (i, c) in raw.chars().enumerate() {
        match c {
            '+' if i == 0 => out.push_str(" plus "),
            '-' if i == 0 => out.push_str(" minus "),
            c if c.is_ascii_alphanumeric() => out.push(c),
            // Transliterated where a well-known table knows the character (`é` -> `e`,
            // `名` -> `Ming`); otherwise spelled as its code point.
            c if c.is_alphanumeric() => match deunicode::deunicode_char(c) {
                Some(ascii) if ascii.chars().any(|a| a.is_ascii_alphanumeric()) => {
                    // The table ends whole words with a space (`名` -> `Ming `).
                    out.extend(ascii.chars().map(|a| if a.is_ascii_alphanumeric() { a } else { ' ' }));
                }
                _ => out.push_str(&format!(" u{:x} ", c as u32)),
            },
            _ => out.push(' '),
        }
    }
    out
}

/// Makes a converted name a valid identifier. `fallback` is used for an empty name, and as
/// the prefix of a name that starts with a digit.
fn sanitize(converted: &str, fallback: &str) -> String {
    let mut name = if converted.is_empty() {
        fallback.to_owned()
    } else if converted.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{fallback}{converted}")
    } else {
        converted.to_owned()
    };
    if name == "_" {
        name = "value".to_owned();
    } else if name.starts_with('_') && name.chars().all(|c| c == '_' || c.is_ascii_digit()) {
        // `_529` reads as an unused binding (and clippy says so): `n529` is a name.
        name = format!("n{}", name.trim_start_matches('_'));
    }
    if name.len() > MAX_IDENT_LEN {
        name = shorten(&name);
    }
    if matches!(name.as_str(), "self" | "Self" | "super" | "crate") {
        name.push('_');
    } else if is_keyword(&name) {
        name.insert_str(0, "r#");
    }
    name
}

fn shorten(name: &str) -> String {
    // FNV-1a: stable across runs and platforms, unlike the std hasher.
    let hash =
        name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    let keep: String = name.chars().take(MAX_IDENT_LEN - 9).collect();
    // `snake_case` names take `_hash`; `UpperCamelCase` ones take the hash as is, so they
    // stay camel case.
    let is_camel = name.starts_with(|c: char| c.is_ascii_uppercase()) && !name.contains('_');
    let sep = if is_camel || keep.ends_with('_') { "" } else { "_" };
    format!("{keep}{sep}{:08x}", hash as u32)
}

fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "as" | "break"
            | "const"
            | "continue"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "await"
            | "dyn"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
            | "gen"
    )
}

/// The identifier as written in code, without a raw prefix: what serde derives the wire
/// name from, and what a user reads in docs.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// One namespace of Rust names (the types of a crate, the fields of a struct, ...).
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope in which `reserved` are already taken.
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        Self { taken: reserved.into_iter().map(str::to_owned).collect() }
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Claims `name`, or the first of `name2`, `name3`, ... that is free.
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let base = unraw(&name).trim_end_matches('_').to_owned();
        // `Pet2` for types, `zone_id_2` for snake-case names.
        let sep = if base.starts_with(char::is_uppercase) { "" } else { "_" };
        (2..)
            .map(|n| format!("{base}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_become_raw_identifiers() {
        assert_eq!(value_name("type"), "r#type");
        assert_eq!(value_name("self"), "self_");
        assert_eq!(type_name("self"), "Self_");
    }

    #[test]
    fn leading_digits_and_punctuation_give_valid_identifiers() {
        assert_eq!(type_name("200 response"), "T200Response");
        assert_eq!(value_name("2fa-enabled"), "_2fa_enabled");
        assert_eq!(value_name("529"), "n529");
        assert_eq!(method_name("clone"), "clone_");
        assert_eq!(method_name("new"), "new_");
        assert_eq!(value_name("clone"), "clone", "fields may share a trait method's name");
        assert_eq!(value_name("$ref"), "r#ref");
        assert_eq!(value_name("..."), "value");
        assert_eq!(type_name(""), "T");
    }

    #[test]
    fn non_ascii_is_transliterated() {
        assert_eq!(type_name("Ünïcödé"), "Unicode");
        assert_eq!(value_name("名前"), "ming_qian");
        assert_eq!(type_name("a.b-c/d"), "ABCD");
    }

    #[test]
    fn long_type_names_stay_camel_case() {
        let name = type_name(&"segment ".repeat(30));
        assert!(!name.contains('_') && name.len() <= MAX_IDENT_LEN, "{name}");
    }

    #[test]
    fn signs_are_spelled_out() {
        assert_eq!(type_name("+1"), "Plus1");
        assert_eq!(type_name("-1"), "Minus1");
    }

    #[test]
    fn long_names_are_cut_with_a_stable_hash() {
        let long = "a".repeat(200);
        let name = value_name(&long);
        assert!(name.len() <= MAX_IDENT_LEN, "{name}");
        assert_eq!(name, value_name(&long));
        assert_ne!(name, value_name(&"a".repeat(201)));
    }

    #[test]
    fn feature_names_are_kebab_case_and_distinct() {
        assert_eq!(feature_name("payment_intents"), "payment-intents");
        assert_eq!(feature_name("secret-scanning"), "secret-scanning");
        assert_eq!(feature_name("2fa"), "2fa");
        assert_eq!(feature_name("$metadata"), "metadata");
        assert_eq!(feature_name("名前"), "ming-qian");
        assert_eq!(feature_name("{}"), "resource");
        let mut scope = Scope::with_reserved(FEATURES_OF_EVERY_CRATE);
        assert_eq!(claim_feature(&mut scope, "payment_intents"), "payment-intents");
        assert_eq!(claim_feature(&mut scope, "payment-intents"), "payment-intents-2");
        assert_eq!(claim_feature(&mut scope, "full"), "full-2");
    }

    #[test]
    fn scope_keeps_names_distinct() {
        let mut scope = Scope::new();
        assert_eq!(scope.claim("Pet".into()), "Pet");
        assert_eq!(scope.claim("Pet".into()), "Pet2");
        assert_eq!(scope.claim("zone_id".into()), "zone_id");
        assert_eq!(scope.claim("zone_id".into()), "zone_id_2");
    }
}
