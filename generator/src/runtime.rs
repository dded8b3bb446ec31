//! The client's runtime: plain Rust modules that do not depend on the document, copied into
//! every generated crate. They live in `generator/runtime/` and are compiled, linted and tested
//! as part of the generated Keycard crate.

/// One runtime module of the generated crate (`src/<name>.rs`).
pub struct RuntimeModule {
    pub name: &'static str,
    pub source: &'static str,
}

macro_rules! runtime_modules {
    ($($name:literal),* $(,)?) => {
        &[$(RuntimeModule { name: $name, source: include_str!(concat!("../runtime/", $name, ".rs")) }),*]
    };
}

/// The crate name the runtime's doc examples are written with.
const EXAMPLE_CRATE: &str = "keycardai_api";

impl RuntimeModule {
    /// The module's source for the crate `lib_name`: its doc examples name that crate.
    pub fn source_for(&self, lib_name: &str) -> std::borrow::Cow<'static, str> {
        if lib_name == EXAMPLE_CRATE {
            self.source.into()
        } else {
            self.source.replace(&format!("{EXAMPLE_CRATE}::"), &format!("{lib_name}::")).into()
        }
    }
}

pub const RUNTIME_MODULES: &[RuntimeModule] = runtime_modules![
    "auth",
    "blocking",
    "call",
    "client",
    "error",
    "param",
    "patch",
    "request",
    "retry",
    "sensitive",
    "unknown",
    "validate",
];
