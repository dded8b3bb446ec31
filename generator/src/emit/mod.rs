//! Stage 3: the IR to token streams. Emitting cannot fail: every decision that could was
//! made while lowering.

mod builders;
mod crate_files;
mod docs;
mod examples;
mod forms;
mod resources;
mod streams;
mod types;
mod validate;
mod wire;

pub use crate_files::CRATE_VERSION;

use std::sync::Arc;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, Gate, TypeRef};

/// One file of the generated crate, before rendering.
pub enum EmittedFile<'a> {
    Rust {
        path: &'static str,
        /// Each makes one chunk (a type and its impls, say), to be parsed and printed as soon as
        /// it is made, so that the tokens of only a few are alive at once and large documents
        /// stay lean. They are independent: rendering runs them on every core.
        chunks: Vec<ChunkTask<'a>>,
    },
    /// Files that are not Rust (the manifest), already as text.
    Text { path: &'static str, text: String },
}

/// Makes one chunk of a file. Token streams cannot leave the thread that made them, so what
/// crosses threads is the making.
pub type ChunkTask<'a> = Box<dyn Fn() -> Chunk + Sync + 'a>;

/// A task that makes `tokens` (a chunk that is always compiled).
fn task<'a>(tokens: impl Fn() -> TokenStream + Sync + 'a) -> ChunkTask<'a> {
    Box::new(move || tokens().into())
}

/// A piece of a Rust file: items made, parsed and printed together.
pub struct Chunk {
    pub tokens: TokenStream,
    /// The `#[cfg(..)]` attribute every item of the chunk is compiled under: the Cargo
    /// features that need the items (rendering puts it on each item, after its docs).
    pub cfg: Option<TokenStream>,
}

impl Chunk {
    /// Items compiled under `gate` (always, if `None`).
    fn gated(tokens: TokenStream, gate: Option<&Gate>) -> Self {
        Chunk { tokens, cfg: gate.map(cfg_attribute) }
    }
}

impl From<TokenStream> for Chunk {
    fn from(tokens: TokenStream) -> Self {
        Chunk { tokens, cfg: None }
    }
}

/// The `#[cfg(..)]` attributes of the fields of a struct that some builds leave out, by field
/// name; empty for most structs.
type FieldCfgs = std::collections::BTreeMap<String, TokenStream>;

fn field_cfgs(features: &crate::ir::FeaturePlan, struct_name: &str) -> FieldCfgs {
    features
        .fields
        .get(struct_name)
        .map(|gates| gates.iter().map(|(field, gate)| (field.clone(), cfg_attribute(gate))).collect())
        .unwrap_or_default()
}

/// What the docs of a field or variant that some builds leave out say: which features bring it.
fn gate_note(gate: &Gate) -> String {
    match gate {
        Gate::AnyOf(features) if features.len() == 1 => format!("Only with the `{}` feature.", features[0]),
        Gate::AnyOf(features) => {
            let names: Vec<String> = features.iter().map(|feature| format!("`{feature}`")).collect();
            format!("Only with one of the features {}.", names.join(", "))
        }
        Gate::Full => "Only with the `full` feature.".to_owned(),
    }
}

/// `#[cfg(feature = "x")]`, or `#[cfg(any(feature = "x", feature = "y"))]`.
fn cfg_attribute(gate: &Gate) -> TokenStream {
    match gate {
        Gate::AnyOf(features) if features.len() == 1 => {
            let feature = &features[0];
            quote!(#[cfg(feature = #feature)])
        }
        Gate::AnyOf(features) => quote!(#[cfg(any(#(feature = #features),*))]),
        Gate::Full => quote!(#[cfg(feature = "full")]),
    }
}

pub fn emit(api: &Api) -> Vec<EmittedFile<'_>> {
    let checks = Arc::new(validate::Checks::new(&api.types, &api.root));
    vec![
        EmittedFile::Text { path: "Cargo.toml", text: crate_files::manifest(api) },
        EmittedFile::Rust { path: "src/lib.rs", chunks: vec![task(|| crate_files::lib_rs(api))] },
        EmittedFile::Rust { path: "src/spec.rs", chunks: vec![task(|| crate_files::spec_rs(api))] },
        EmittedFile::Rust {
            path: "src/types.rs",
            chunks: types::emit_types(
                &api.types,
                api.root.params_structs(),
                Arc::clone(&checks),
                &api.features,
            ),
        },
        EmittedFile::Rust {
            path: "src/resources.rs",
            chunks: resources::emit_resources(&api.root, checks, &api.features),
        },
    ]
}

/// An identifier the names module produced (raw identifiers keep their `r#`).
fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Where a type is named from: inside `types.rs`, or from another module of the crate.
#[derive(Clone, Copy)]
enum TypePath {
    InTypes,
    Outside,
}

fn type_tokens(ty: &TypeRef, path: TypePath) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::SensitiveString => quote!(crate::SensitiveString),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::I8 => quote!(i8),
        TypeRef::I16 => quote!(i16),
        TypeRef::U8 => quote!(u8),
        TypeRef::U16 => quote!(u16),
        TypeRef::U32 => quote!(u32),
        TypeRef::U64 => quote!(u64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Vec(inner) => {
            let inner = type_tokens(inner, path);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner, path);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Named(name) => {
            let name = ident(name);
            match path {
                TypePath::InTypes => quote!(#name),
                TypePath::Outside => quote!(crate::types::#name),
            }
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(inner, path);
            quote!(Option<#inner>)
        }
        TypeRef::Boxed(inner) => {
            let inner = type_tokens(inner, path);
            quote!(Box<#inner>)
        }
        TypeRef::Unit => quote!(()),
    }
}
