//! Snapshots of what the generator writes: one for `spec/openapi.yaml`, one per mapping
//! fixture, each named after its input. Review changes with `cargo insta review`.

use keycard_codegen_tests::{generate_from, project_root, spec_derived_text};

#[test]
fn keycard_spec() {
    let output = generate_from("spec/openapi.yaml").expect("spec/openapi.yaml generates");
    insta::assert_snapshot!("keycard_openapi.yaml", spec_derived_text(&output));
}

#[test]
fn construct_fixtures() {
    insta::glob!("fixtures/constructs/*.{yaml,json}", |path| {
        let relative = path.strip_prefix(project_root()).expect("fixture is in the project");
        let output = generate_from(&relative.to_string_lossy()).expect("fixture generates");
        insta::assert_snapshot!(spec_derived_text(&output));
    });
}

#[test]
fn mapping_fixtures() {
    insta::glob!("fixtures/mapping/*.yaml", |path| {
        let relative = path.strip_prefix(project_root()).expect("fixture is in the project");
        let output = generate_from(&relative.to_string_lossy()).expect("fixture generates");
        insta::assert_snapshot!(spec_derived_text(&output));
    });
}
