//! Documents the generator cannot honour get an error that says what and where.

use keycard_codegen::{generate, Options};

fn error_of(text: &str) -> String {
    let options = Options { spec_path: "bad.yaml".into(), crate_name: "bad".into() };
    match generate(text, &options) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn invalid_yaml_names_line_and_column() {
    let message = error_of("openapi: 3.0.3\ninfo:\n  title: [unclosed\n  version: 1\n");
    insta::assert_snapshot!("invalid_yaml", message);
}

#[test]
fn invalid_json_names_line_and_column() {
    let message = error_of("{\"openapi\": \"3.0.3\",\n \"info\": }");
    insta::assert_snapshot!("invalid_json", message);
}

#[test]
fn dangling_ref_names_the_pointer() {
    let message = error_of(
        r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Missing'}
"##,
    );
    insta::assert_snapshot!("dangling_ref", message);
}

#[test]
fn wrong_type_names_the_pointer() {
    let message = error_of(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses: 5\n",
    );
    insta::assert_snapshot!("wrong_type", message);
}

#[test]
fn swagger_2_is_refused_with_advice() {
    let message = error_of("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n");
    insta::assert_snapshot!("swagger_2", message);
}

#[test]
fn path_template_without_its_parameter() {
    let message = error_of(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /things/{id}:\n    get:\n      responses:\n        '204': {description: ok}\n",
    );
    insta::assert_snapshot!("path_parameter_missing", message);
}
