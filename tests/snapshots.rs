//! Snapshots of what the generator writes: one for `spec/openapi.yaml`, one per mapping and
//! construct fixture, each named after its input. Review changes with `cargo insta review`.
//!
//! Every fixture has a test of its own (listed below; a test fails when a fixture is not
//! listed), so a changed snapshot fails the test that owns it. `insta::glob!` is not used here:
//! its failure count is one process-wide stack, so while a glob runs on one test thread, a
//! failing assertion on any other thread is counted into that glob and reported by the glob's
//! test instead of its own.

use keycard_codegen_tests::{generate_from, project_root, spec_derived_text};

#[test]
fn keycard_spec() {
    let output = generate_from("spec/openapi.yaml").expect("spec/openapi.yaml generates");
    insta::assert_snapshot!("keycard_openapi.yaml", spec_derived_text(&output));
}

/// Snapshots the crate generated from `dir/file` as `snapshots__{group}@{file}.snap`.
fn assert_fixture_snapshot(group: &str, dir: &str, file: &str) {
    let spec_path = format!("{dir}/{file}");
    let output = generate_from(&spec_path).expect("fixture generates");
    let mut settings = insta::Settings::clone_current();
    settings.set_input_file(project_root().join(&spec_path));
    settings.set_snapshot_suffix(file);
    settings.bind(|| insta::assert_snapshot!(group, spec_derived_text(&output)));
}

/// Fails when `dir` holds a document (`.yaml`/`.json`) that has no test in `listed`.
fn assert_every_fixture_listed(dir: &str, listed: &[&str]) {
    let mut unlisted = Vec::new();
    for entry in std::fs::read_dir(project_root().join(dir)).expect("fixture folder is readable") {
        let path = entry.expect("fixture folder is readable").path();
        let is_document = matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "json"));
        let name = path.file_name().and_then(|n| n.to_str()).expect("fixture names are UTF-8");
        if is_document && !listed.contains(&name) {
            unlisted.push(name.to_owned());
        }
    }
    unlisted.sort();
    assert!(
        unlisted.is_empty(),
        "fixtures in {dir} without a snapshot test in tests/snapshots.rs: {unlisted:?}"
    );
}

/// A module `$group` with one snapshot test per listed fixture of `$dir`, and a test that
/// every fixture of `$dir` is listed.
macro_rules! fixture_snapshots {
    ($group:ident in $dir:literal { $($test:ident: $file:literal,)* }) => {
        mod $group {
            $(
                #[test]
                fn $test() {
                    super::assert_fixture_snapshot(stringify!($group), $dir, $file);
                }
            )*

            #[test]
            fn every_fixture_has_a_test() {
                super::assert_every_fixture_listed($dir, &[$($file),*]);
            }
        }
    };
}

fixture_snapshots!(construct_fixtures in "tests/fixtures/constructs" {
    allof: "allof.yaml",
    big_numbers_and_long_alias_chains: "big_numbers_and_long_alias_chains.yaml",
    builders: "builders.yaml",
    enums: "enums.yaml",
    features: "features.yaml",
    formats: "formats.yaml",
    hostile: "hostile.yaml",
    identical_inline_schemas: "identical_inline_schemas.yaml",
    maps: "maps.yaml",
    names: "names.yaml",
    nullable: "nullable.yaml",
    oneof: "oneof.yaml",
    openapi31_boolean_schemas: "openapi31_boolean_schemas.yaml",
    openapi31_const: "openapi31_const.yaml",
    openapi31_content_encoding: "openapi31_content_encoding.yaml",
    openapi31_defs: "openapi31_defs.yaml",
    openapi31_dependent_required: "openapi31_dependent_required.yaml",
    openapi31_examples: "openapi31_examples.yaml",
    openapi31_exclusive_bounds: "openapi31_exclusive_bounds.yaml",
    openapi31_ids_and_dynamic_refs: "openapi31_ids_and_dynamic_refs.yaml",
    openapi31_if_then_else: "openapi31_if_then_else.yaml",
    openapi31_info: "openapi31_info.yaml",
    openapi31_json_document: "openapi31_json_document.json",
    openapi31_json_schema_dialect: "openapi31_json_schema_dialect.yaml",
    openapi31_mixed_30_idioms: "openapi31_mixed_30_idioms.yaml",
    openapi31_not: "openapi31_not.yaml",
    openapi31_path_items: "openapi31_path_items.yaml",
    openapi31_pattern_properties: "openapi31_pattern_properties.yaml",
    openapi31_prefix_items: "openapi31_prefix_items.yaml",
    openapi31_ref_siblings: "openapi31_ref_siblings.yaml",
    openapi31_refs_anywhere: "openapi31_refs_anywhere.yaml",
    openapi31_type_lists: "openapi31_type_lists.yaml",
    openapi31_unevaluated_properties: "openapi31_unevaluated_properties.yaml",
    openapi31_webhooks: "openapi31_webhooks.yaml",
    published_quirks: "published_quirks.yaml",
    operations: "operations.yaml",
    read_write_only: "read_write_only.yaml",
    recursion: "recursion.yaml",
    references_as_published: "references_as_published.yaml",
    refs: "refs.json",
    wire: "wire.yaml",
});

fixture_snapshots!(stream_fixtures in "tests/fixtures/streams" {
    events: "events.yaml",
    events_only: "events_only.yaml",
    pages: "pages.yaml",
    uploads: "uploads.yaml",
    uploads_untyped: "uploads_untyped.yaml",
});

fixture_snapshots!(mapping_fixtures in "tests/fixtures/mapping" {
    formats: "formats.yaml",
    names: "names.yaml",
    object: "object.yaml",
    oneof_discriminator: "oneof_discriminator.yaml",
    refs_arrays_maps: "refs_arrays_maps.yaml",
    string_enum: "string_enum.yaml",
});
