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

/// The modules every crate has.
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
    "wire",
];

/// Server-sent events: only in crates with an operation that answers with them.
pub const SSE_MODULE: &RuntimeModule = &runtime_modules!["sse"][0];
/// `multipart/form-data` bodies: only in crates with an operation that sends one.
pub const MULTIPART_MODULE: &RuntimeModule = &runtime_modules!["multipart"][0];
/// Paginated lists: only in crates with a paginated operation.
pub const PAGES_MODULE: &RuntimeModule = &runtime_modules!["pages"][0];

use crate::ir::BodyEncoding;

/// What a crate uses of the optional runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Features {
    pub events: bool,
    pub pages: bool,
    pub forms: bool,
}

impl Features {
    pub fn of(api: &crate::ir::Api) -> Self {
        let operations = || api.root.descendants().into_iter().flat_map(|r| &r.operations);
        Features {
            events: operations().any(|op| op.events.is_some()),
            pages: operations().any(|op| op.pagination.is_some()),
            forms: operations().filter_map(|op| op.body.as_ref()).any(|body| {
                matches!(body.encoding, BodyEncoding::Multipart | BodyEncoding::UntypedMultipart)
            }),
        }
    }

    /// Every runtime module of a crate with these features, sorted by name.
    pub fn modules(self) -> Vec<&'static RuntimeModule> {
        let mut modules: Vec<&RuntimeModule> = RUNTIME_MODULES.iter().collect();
        modules.extend(self.forms.then_some(MULTIPART_MODULE));
        modules.extend(self.pages.then_some(PAGES_MODULE));
        modules.extend(self.events.then_some(SSE_MODULE));
        modules.sort_by_key(|module| module.name);
        modules
    }
}
