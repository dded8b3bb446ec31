//! Emits the crate's frame: `Cargo.toml`, `lib.rs` and the spec-derived constants in `spec.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_lines;
use super::examples::{example_builder, example_calls, ExampleCall};
use super::{ident, type_tokens, TypePath};
use crate::ir::{Api, Auth, FeaturePlan};
use crate::markdown::code;
use crate::runtime::Features;

/// The version of every generated crate: the change report suggests the next one from it.
pub const CRATE_VERSION: &str = "0.1.0";

/// The manifest. Dependency versions are the ones the runtime modules are written against.
pub fn manifest(api: &Api) -> String {
    let description = format!("Rust client for the {}, generated from its OpenAPI description.", api.title);
    let features = Features::of(api);
    // Streams need a few more crates; a crate without them goes without.
    let streams = features.events || features.pages;
    let eventsource = if features.events { "eventsource-stream = \"0.2\"\n" } else { "" };
    let futures_core = if streams { "futures-core = \"0.3\"\n" } else { "" };
    // Forms stream files; events stream responses.
    let reqwest_features = match (features.forms, features.events) {
        (true, _) => ", \"multipart\", \"stream\"",
        (false, true) => ", \"stream\"",
        (false, false) => "",
    };
    let tokio_fs = if features.forms { ", \"fs\"" } else { "" };
    let tokio_util =
        if features.forms { "tokio-util = { version = \"0.7\", features = [\"io\"] }\n" } else { "" };
    let futures_util = if features.events { "futures-util = \"0.3\"\n" } else { "" };
    format!(
        r#"[package]
name = {name}
version = "{CRATE_VERSION}"
description = {description}
edition = "2024"
rust-version = "1.85"
license = "MIT OR Apache-2.0"
publish = false

[lib]
name = {lib}

[dependencies]
bytes = "1"
chrono = {{ version = "0.4.38", default-features = false, features = ["std", "clock", "serde"] }}
{eventsource}fastrand = "2"
{futures_core}httpdate = "1"
percent-encoding = "2"
reqwest = {{ version = "0.12", default-features = false, features = ["json", "rustls-tls"{reqwest_features}] }}
secrecy = {{ version = "0.10", features = ["serde"] }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = {{ version = "1", features = ["preserve_order"] }}
serde_path_to_error = "0.1"
serde_urlencoded = "0.7"
thiserror = "2"
tokio = {{ version = "1", features = ["time", "sync"{tokio_fs}] }}
{tokio_util}tracing = "0.1"
uuid = {{ version = "1", features = ["v4", "serde"] }}

[dev-dependencies]
{futures_util}tokio = {{ version = "1", features = ["macros", "rt-multi-thread"] }}

[features]
{default}# `Call::send_blocking()`: calls from code that is not async, on a runtime of the crate's own.
blocking = ["tokio/rt-multi-thread"]
{resources}"#,
        default = if api.features.features.is_empty() { "" } else { "default = [\"full\"]\n" },
        resources = resource_features(&api.features),
        name = toml_string(&api.crate_name),
        lib = toml_string(&api.crate_name.replace('-', "_")),
        description = toml_string(&description),
    )
}

/// `full` and a feature per resource (nothing when the crate has none).
fn resource_features(plan: &FeaturePlan) -> String {
    if plan.features.is_empty() {
        return String::new();
    }
    let mut text =
        String::from("# Every resource, and the types no operation uses (the default).\nfull = [\n");
    for feature in &plan.features {
        text.push_str(&format!("    {},\n", toml_string(&feature.name)));
    }
    text.push_str("]\n# A resource each: its operations and the types they use.\n");
    for feature in &plan.features {
        text.push_str(&format!("{} = []\n", feature.name));
    }
    text
}

/// A TOML basic string (JSON string escaping is valid TOML).
fn toml_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serializes")
}

pub fn lib_rs(api: &Api) -> TokenStream {
    let crate_docs = crate_docs(api);
    let features = Features::of(api);
    let runtime_modules = features.modules().into_iter().map(|m| ident(m.name));
    let pages = features.pages.then(|| {
        quote!(
            pub use pages::Pages;
        )
    });
    let forms = features.forms.then(|| {
        quote!(
            pub use multipart::FilePart;
        )
    });
    let sse = features.events.then(|| {
        quote!(
            pub use sse::{Event, EventCall, EventStream};
        )
    });
    // A build with only some resource features compiles all of the runtime for a part of the
    // operations. That needs no `allow` here: what of the runtime a document may leave unused
    // is already marked `#[allow(dead_code)]` where it is defined (`generator/runtime/`), and a
    // build with fewer features is a smaller document. The fixture tests check each feature.
    quote! {
        #(#![doc = #crate_docs])*
        #![warn(missing_docs)]
        // Descriptions come from the API document, written for any renderer, not for rustdoc.
        #![allow(rustdoc::bare_urls)]
        #![allow(rustdoc::broken_intra_doc_links)]
        #![allow(rustdoc::invalid_html_tags)]
        #![allow(clippy::doc_lazy_continuation)]
        #![allow(clippy::doc_overindented_list_items)]
        // Variant sizes follow the API's schemas; boxing them would change the types users see.
        #![allow(clippy::large_enum_variant)]
        // Constructors take every required field, and operations every path parameter, as the
        // document lists them: a long list there is the API's shape, not a design to refactor.
        #![allow(clippy::too_many_arguments)]

        #(#[rustfmt::skip] mod #runtime_modules;)*
        #[rustfmt::skip]
        pub mod resources;
        #[rustfmt::skip]
        mod spec;
        #[rustfmt::skip]
        pub mod types;

        // Sorted by path, as rustfmt sorts them: `cargo fmt` must leave this file alone.
        #[cfg(feature = "blocking")]
        pub use blocking::BlockingIter;
        // The crates whose types the API's types use, so that users need not pin them too.
        pub use bytes;
        pub use call::{Call, Response};
        pub use chrono;
        pub use client::{Client, ClientBuilder};
        pub use error::{ApiError, Error};
        #forms
        #pages
        pub use param::ToParam;
        pub use patch::Patch;
        pub use sensitive::SensitiveString;
        pub use serde_json;
        pub use spec::ErrorBody;
        #sse
        pub use unknown::UnknownKind;
        pub use uuid;
        pub use validate::Validate;
    }
}

/// How many operations the front page lists and calls; the rest are in `resources`.
const FRONT_PAGE_OPERATIONS: usize = 50;
const FRONT_PAGE_EXAMPLES: usize = 12;

/// The crate's front page: what it is, configuration, the operations, errors and retries,
/// with examples that compile as doctests.
fn crate_docs(api: &Api) -> Vec<String> {
    let lib = api.crate_name.replace('-', "_");
    let mut lines = plain(&format!("Rust client for the {} (version {}).", api.title, api.version));
    if let Some(description) = &api.description {
        lines.push(String::new());
        // Spec text: code blocks in it must not become doctests.
        lines.extend(doc_lines(description.trim()));
    }
    lines.push(String::new());
    lines.extend(plain(&format!(
        "Generated by `cargo xtask codegen` from `{}`: regenerate rather than edit.",
        api.spec_path
    )));
    lines.push(String::new());
    lines.extend(plain(&configuration_section(api, &lib)));
    if let Some(features) = features_section(api) {
        lines.push(String::new());
        lines.extend(plain(&features));
    }
    let calls = example_calls(api);
    // The examples use operations and types of several resources: in a crate with resource
    // features, they are compiled (as doctests) with `full` only, so that the crate's tests
    // pass with any features.
    let gated = !api.features.features.is_empty();
    if let Some(first) = calls.first() {
        lines.push(String::new());
        lines.extend(plain(&operations_section(&calls, &lib, gated)));
        lines.push(String::new());
        lines.extend(plain(&building_section(api, &lib, gated)));
        lines.push(String::new());
        lines.extend(plain(&errors_section(api, first, &lib, gated)));
        lines.push(String::new());
        // A call that gives one value shows best what blocking does.
        let example = calls.iter().find(|call| !call.streams_events).unwrap_or(first);
        lines.extend(plain(&runtime_section(example, &lib, gated)));
    }
    lines
}

/// What the resource features are for and how to choose them; `None` when there are none.
fn features_section(api: &Api) -> Option<String> {
    let plan = &api.features;
    let first = plan.features.first()?;
    let table: String = plan
        .features
        .iter()
        .map(|feature| {
            format!(
                "| `{}` | [`{}`](resources::{}): the operations under {} |\n",
                feature.name,
                feature.accessor_path,
                feature.resource,
                code(&feature.path_prefix)
            )
        })
        .collect();
    Some(format!(
        r#"# Features

Each resource of the API has a Cargo feature that compiles it: its operations and the types
they use. The default feature, `full`, compiles every resource, and also the types that no
operation uses. A program that needs only some resources can turn the default off and name
them, and its builds skip the rest of the crate:

```toml
[dependencies]
{name} = {{ version = "{CRATE_VERSION}", default-features = false, features = [{first:?}] }}
```

| feature | compiles |
|---|---|
{table}
`blocking` (below) goes with any of them."#,
        name = api.crate_name,
        first = first.name,
    ))
}

/// How values are built, and why that way: the crate's types may grow.
fn building_section(api: &Api, lib: &str, gated: bool) -> String {
    let example = example_builder(api).map(|value| {
        let (open, close) =
            if gated { ("# #[cfg(feature = \"full\")]\n# fn example() {\n", "\n# }") } else { ("", "") };
        format!("\n\n```\nuse {lib}::types;\n\n{open}let value = {value};{close}\n```")
    });
    format!(
        r#"# Building values

The structs and enums of [`types`] are `#[non_exhaustive]`, so that a field, a parameter, an
enum value or a union variant the API adds later does not break code written against this
version. Build a struct with `new`, which takes its required fields, and a chained setter per
optional field; build a variant of a tagged union with the constructor named after it. Read
and change their `pub` fields as usual; a `match` on their enums needs a `_` arm, and a
pattern on their structs and variants a `..`.{}"#,
        example.unwrap_or_default()
    )
}

fn runtime_section(call: &ExampleCall, lib: &str, gated: bool) -> String {
    format!(
        r#"# Async and blocking

Calls are futures to `.await` on a Tokio runtime (reqwest, which sends them, needs one; another
executor fails with "there is no reactor running"). With the `blocking` feature,
`send_blocking()` and `send_with_response_blocking()` make the same call, with the same retries,
time limits and token refresh, from code that is not async:

```no_run
# #[cfg({cfg})]
# fn example(client: {lib}::Client) -> Result<(), {lib}::Error> {{
# use {lib}::types;
{binding} = {receiver}.{method}({arguments}).send_blocking()?;{use_events}
# Ok(())
# }}
```"#,
        receiver = call.receiver,
        method = call.method,
        arguments = call.arguments,
        cfg =
            if gated { r#"all(feature = "blocking", feature = "full")"# } else { r#"feature = "blocking""# },
        binding = if call.streams_events { "let events" } else { "let value" },
        use_events =
            if call.streams_events { "\nfor event in events {\n    let event = event?;\n}" } else { "" },
    )
}

/// Doc lines of text we wrote ourselves (its code blocks are meant as doctests).
fn plain(text: &str) -> Vec<String> {
    // Spec text can reach here (operation summaries): a bare carriage return ends no line for
    // `lines()`, and rustc refuses it in a doc comment.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    text.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") }).collect()
}

fn configuration_section(api: &Api, lib: &str) -> String {
    let var = |suffix: &str| format!("`{}_{suffix}`", api.env_prefix);
    let base_url = match &api.default_base_url {
        Some(url) => format!("(default {})", code(url)),
        None => "(required: the document names no server)".to_owned(),
    };
    let credentials = match &api.auth {
        Auth::ClientCredentials { token_url } => format!(
            "reads {} and {}, OAuth2 client credentials that it exchanges for access tokens at `{token_url}` (cached, and refreshed shortly before they expire), and ",
            var("CLIENT_ID"),
            var("CLIENT_SECRET")
        ),
        Auth::Bearer | Auth::None => "reads ".to_owned(),
    };
    let sign_in = match &api.auth {
        Auth::ClientCredentials { .. } => "    .client_credentials(\"client-id\", \"client-secret\")\n",
        Auth::Bearer => "    .bearer_token(\"a-token\")\n",
        Auth::None => "",
    };
    let base = api.default_base_url.as_deref().unwrap_or("https://api.example.com");
    format!(
        r#"# Configuration

[`Client::from_env`] {credentials}{base_url_var} {base_url}. [`Client::builder`] sets
the same by hand, and more: a ready bearer token, your own `reqwest::Client`, the time limit
per request (60 s by default, 5 s to connect) and the number of retries (2 by default).

```no_run
# fn main() -> Result<(), {lib}::Error> {{
let client = {lib}::Client::from_env()?;

let client = {lib}::Client::builder()
    .base_url({base:?})
{sign_in}    .timeout(std::time::Duration::from_secs(30))
    .max_retries(3)
    .build()?;
# Ok(())
# }}
```"#,
        base_url_var = var("BASE_URL"),
    )
}

fn operations_section(calls: &[ExampleCall], lib: &str, gated: bool) -> String {
    let mut text = String::from(
        "# Operations\n\nOperations hang off resource handles that follow the paths of the API; their request\nand response types are in [`types`].\n\n",
    );
    for call in calls.iter().take(FRONT_PAGE_OPERATIONS) {
        let receiver = call.receiver.strip_prefix("client").unwrap_or(&call.receiver).trim_start_matches('.');
        let path =
            if receiver.is_empty() { call.method.clone() } else { format!("{receiver}.{}", call.method) };
        let summary = call
            .summary
            .as_deref()
            .map(|s| format!(": {}", s.trim().replace(['\r', '\n'], " ")))
            .unwrap_or_default();
        text.push_str(&format!("- [`{path}`]({}){summary}\n", call.link));
    }
    if calls.len() > FRONT_PAGE_OPERATIONS {
        text.push_str(&format!("- ... and {} more in [`resources`].\n", calls.len() - FRONT_PAGE_OPERATIONS));
    }
    text.push_str(&format!(
        "\n```no_run\nuse {lib}::types;\n\n{}# async fn example(client: {lib}::Client) -> Result<(), {lib}::Error> {{\n",
        full_only(gated)
    ));
    for call in calls.iter().take(FRONT_PAGE_EXAMPLES) {
        if let Some(summary) = &call.summary {
            // One line of it: the rest would be code. (`lines()` does not break at a bare `\r`.)
            let first_line = summary.trim().split(['\r', '\n']).next().unwrap_or_default();
            text.push_str(&format!("// {}\n", first_line.trim()));
        }
        text.push_str(&format!("let _ = {}.{}({}).await?;\n", call.receiver, call.method, call.arguments));
    }
    text.push_str("# Ok(())\n# }\n```");
    text
}

/// The hidden line that compiles a front-page example with `full` only, if `gated`.
fn full_only(gated: bool) -> &'static str {
    if gated {
        "# #[cfg(feature = \"full\")]\n"
    } else {
        ""
    }
}

fn errors_section(api: &Api, call: &ExampleCall, lib: &str, gated: bool) -> String {
    let request_id = api_request_id_header(&api.root)
        .map(|h| {
            format!(
                " Every attempt of a call sends the same {}, so the server can recognise a retried request.",
                code(h)
            )
        })
        .unwrap_or_default();
    format!(
        r#"# Errors and retries

A call that fails on a connection error, a timeout, or a 408, 409, 429 or 5xx response is
retried with exponential backoff, honouring `retry-after`.{request_id} Each call can set its
own time limit, number of retries and request id before it is awaited, and
`send_with_response()` returns the status, headers and retries taken next to the value. One
[`Error`] type covers everything; match on it:

```no_run
use {lib}::Error;
use {lib}::types;

{gate}# async fn example(client: {lib}::Client) -> Result<(), Error> {{
let call = {receiver}.{method}({arguments});
match call.max_retries(5).timeout(std::time::Duration::from_secs(10)).await {{
    Ok(value) => println!("{{value:?}}"),
    Err(Error::NotFound(details)) => println!("not found (request id {{}})", details.request_id),
    Err(Error::RateLimit(details)) => println!("still rate limited after retries: {{details}}"),
    Err(other) => return Err(other),
}}
# Ok(())
# }}
```"#,
        receiver = call.receiver,
        method = call.method,
        arguments = call.arguments,
        gate = full_only(gated),
    )
}

fn api_request_id_header(resource: &crate::ir::Resource) -> Option<&str> {
    resource
        .operations
        .iter()
        .find_map(|op| op.request_id_header.as_deref())
        .or_else(|| resource.children.iter().find_map(api_request_id_header))
}

pub fn spec_rs(api: &Api) -> TokenStream {
    let base_url = option_str(api.default_base_url.as_deref());
    let env_prefix = &api.env_prefix;
    let token_url = option_str(match &api.auth {
        Auth::ClientCredentials { token_url } => Some(token_url.as_str()),
        Auth::None | Auth::Bearer => None,
    });
    let error_body =
        api.error_body.as_ref().map_or(quote!(serde_json::Value), |ty| type_tokens(ty, TypePath::Outside));
    quote! {
        //! Facts from the API document that the runtime modules read.

        /// The first of the document's `servers`.
        pub(crate) const DEFAULT_BASE_URL: Option<&str> = #base_url;
        /// Prefix of the environment variables `Client::from_env` reads.
        pub(crate) const ENV_PREFIX: &str = #env_prefix;
        /// The OAuth2 client-credentials token endpoint, when the API signs in that way.
        pub(crate) const TOKEN_URL: Option<&str> = #token_url;
        /// The body of the API's error responses, as declared by the operations.
        pub type ErrorBody = #error_body;
    }
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}
