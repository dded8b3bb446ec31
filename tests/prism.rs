//! The generated client against Prism, a mock server that checks every request against
//! `spec/openapi.yaml`. Prism answers a request that breaks the spec with 422 and an
//! `sl-violations` header; either fails these tests.

use std::time::Duration;

use keycard_codegen_tests::Prism;
use keycardai_api::types::{ListSecretsParams, SecretCreate, SecretData, SecretType, SecretUpdate};
use keycardai_api::{Client, Response};

fn client(prism: &Prism) -> Client {
    Client::builder()
        .base_url(&prism.base_url)
        .bearer_token("test-token")
        .timeout(Duration::from_secs(20))
        .max_retries(0)
        .build()
        .unwrap()
}

/// Fails the test with Prism's own words when it saw a violation.
fn assert_valid<T>(operation: &str, response: &Response<T>) {
    assert!(response.status.is_success(), "{operation}: status {}", response.status);
    let violations = response.headers.get("sl-violations");
    assert!(violations.is_none(), "{operation}: Prism reports violations: {violations:?}");
}

fn unwrap_call<T>(operation: &str, result: Result<Response<T>, keycardai_api::Error>) -> Response<T> {
    result.unwrap_or_else(|err| {
        let violations = err.api_error().and_then(|e| e.headers.get("sl-violations").cloned());
        panic!("{operation} failed: {err}\nPrism violations: {violations:?}")
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn all_five_operations_pass_prism_validation() {
    let prism = Prism::start();
    let client = client(&prism);
    let secrets = client.zones().secrets();

    let token = SecretCreate::new(SecretData::token("token"), "x", "name")
        .description("A token for the CI runner")
        .metadata(serde_json::json!({"team": "infra"}).as_object().unwrap().clone());
    let created = unwrap_call("create (token)", secrets.create("zone", &token).send_with_response().await);
    assert_valid("create (token)", &created);
    assert_eq!(created.status.as_u16(), 201);
    assert_eq!(created.value.id, "x");

    let password = SecretCreate::new(SecretData::password("alice", "hunter2"), "entity", "db login");
    let created =
        unwrap_call("create (password)", secrets.create("zone", &password).send_with_response().await);
    assert_valid("create (password)", &created);

    let retrieved = unwrap_call("retrieve", secrets.retrieve("zone", "x").send_with_response().await);
    assert_valid("retrieve", &retrieved);
    assert!(matches!(retrieved.value.data, SecretData::Token { .. }), "{:?}", retrieved.value.data);

    let change = SecretUpdate::new().data(SecretData::password("bob", "new")).name("renamed");
    let updated = unwrap_call("update", secrets.update("zone", "x", &change).send_with_response().await);
    assert_valid("update", &updated);
    // `{"description": null, "metadata": null}`: the document says the API takes `null` to clear.
    let clear = SecretUpdate::new().clear_description().clear_metadata();
    let cleared =
        unwrap_call("update (clear)", secrets.update("zone", "x", &clear).send_with_response().await);
    assert_valid("update (clear)", &cleared);

    let params = ListSecretsParams::new().entity_id("x").r#type(SecretType::Token);
    let listed = unwrap_call("list", secrets.list("zone", &params).send_with_response().await);
    assert_valid("list", &listed);
    let listed_all =
        unwrap_call("list (no filter)", secrets.list("zone", &Default::default()).send_with_response().await);
    assert_valid("list (no filter)", &listed_all);

    let deleted = unwrap_call("delete", secrets.delete("zone", "x").send_with_response().await);
    assert_valid("delete", &deleted);
    assert_eq!(deleted.status.as_u16(), 204);
}

/// The check above can fail: a request that breaks the spec is refused and reported.
#[tokio::test(flavor = "multi_thread")]
async fn prism_refuses_a_request_that_breaks_the_spec() {
    let prism = Prism::start();
    let too_long = SecretCreate::new(SecretData::token("t"), "x", "name").description("d".repeat(129));
    // Sent as raw JSON so client-side validation (where the client has it) cannot stop it first.
    let response = reqwest::Client::new()
        .post(format!("{}/zones/zone/secrets", prism.base_url))
        .bearer_auth("test-token")
        .json(&too_long)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    assert!(response.headers().contains_key("sl-violations"));
}

/// The same five operations from code that is not async (the `blocking` feature).
#[test]
fn all_five_operations_pass_prism_validation_from_blocking_code() {
    let prism = Prism::start();
    let client = client(&prism);
    let secrets = client.zones().secrets();

    let body = SecretCreate::new(SecretData::token("token"), "x", "name");
    let created = unwrap_call("create", secrets.create("zone", &body).send_with_response_blocking());
    assert_valid("create", &created);
    assert_eq!(created.status.as_u16(), 201);
    let retrieved = unwrap_call("retrieve", secrets.retrieve("zone", "x").send_with_response_blocking());
    assert_valid("retrieve", &retrieved);
    let change = SecretUpdate::new().name("renamed").clear_description();
    let updated = unwrap_call("update", secrets.update("zone", "x", &change).send_with_response_blocking());
    assert_valid("update", &updated);
    let listed = unwrap_call("list", secrets.list("zone", &Default::default()).send_with_response_blocking());
    assert_valid("list", &listed);
    let deleted = unwrap_call("delete", secrets.delete("zone", "x").send_with_response_blocking());
    assert_valid("delete", &deleted);
    assert_eq!(deleted.status.as_u16(), 204);
}
