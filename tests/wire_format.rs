//! The generated Keycard types against the wire format of the API's reference pages.

use keycardai_api::types::{
    ListSecretsParams, Secret, SecretCreate, SecretData, SecretRetrieveResponse, SecretType, SecretUpdate,
};
use serde_json::json;

use keycard_codegen_tests::seed_secret_json as seed_secret;

#[test]
fn create_request_with_token_data_omits_absent_fields() {
    let body = SecretCreate::new(SecretData::token("..."), "x", "name");
    let sent = serde_json::to_value(&body).unwrap();
    assert_eq!(sent, json!({"data": {"token": "...", "type": "token"}, "entity_id": "x", "name": "name"}));
}

#[test]
fn create_request_with_password_data() {
    let body = SecretCreate::new(SecretData::password("u", "p"), "e", "n").description("d");
    let sent = serde_json::to_value(&body).unwrap();
    assert_eq!(
        sent,
        json!({"data": {"type": "password", "username": "u", "password": "p"}, "entity_id": "e", "name": "n", "description": "d"})
    );
}

/// The requests as they are built outside the crate (its types are `#[non_exhaustive]`):
/// `new`, constructors and setters. Each setter is given a value of its own, so a setter that
/// set another field would show.
#[test]
fn every_setter_of_a_create_request_sets_its_own_field() {
    let metadata = json!({"team": "infra"}).as_object().unwrap().clone();
    let body =
        SecretCreate::new(SecretData::token("t"), "e", "n").description("d").metadata(metadata).zone_id("z");
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        r#"{"data":{"type":"token","token":"t"},"entity_id":"e","name":"n","description":"d","metadata":{"team":"infra"},"zone_id":"z"}"#
    );
    assert_eq!((body.entity_id.as_str(), body.name.as_str()), ("e", "n"));
}

#[test]
fn an_update_sends_exactly_the_fields_its_setters_set_or_cleared() {
    let sent = |update: &SecretUpdate| serde_json::to_string(update).unwrap();
    assert_eq!(sent(&SecretUpdate::new()), "{}");
    assert_eq!(SecretUpdate::new(), SecretUpdate::default());
    assert_eq!(sent(&SecretUpdate::new().name("n").description("d")), r#"{"name":"n","description":"d"}"#);
    let metadata = json!({"k": 1}).as_object().unwrap().clone();
    let update =
        SecretUpdate::new().data(SecretData::password("u", "p")).metadata(metadata).clear_description();
    assert_eq!(
        sent(&update),
        r#"{"data":{"type":"password","username":"u","password":"p"},"description":null,"metadata":{"k":1}}"#
    );
    let cleared = SecretUpdate::new().clear_data().clear_name().clear_metadata();
    assert_eq!(sent(&cleared), r#"{"data":null,"name":null,"metadata":null}"#);
}

#[test]
fn list_params_and_secret_data_are_built_by_their_constructors() {
    let params = ListSecretsParams::new().entity_id("e").r#type(SecretType::Password);
    assert_eq!(params.entity_id.as_deref(), Some("e"));
    assert_eq!(params.r#type, Some(SecretType::Password));
    assert_eq!(ListSecretsParams::new(), ListSecretsParams::default());

    let SecretData::Password { username, password, .. } = SecretData::password("u", "p") else { panic!() };
    assert_eq!((username.as_str(), password.expose_secret()), ("u", "p"));
    let SecretData::Token { token, .. } = SecretData::token("t") else { panic!() };
    assert_eq!(token.expose_secret(), "t");
}

#[test]
fn seed_response_round_trips_through_secret() {
    let secret: Secret = serde_json::from_value(seed_secret()).unwrap();
    assert_eq!(secret.r#type, SecretType::Token);
    assert_eq!(secret.version, 1);
    assert_eq!(secret.created_at.to_rfc3339(), "2019-12-27T18:11:19.117+00:00");
    // Back to JSON: equal as values; the timestamp keeps its instant and precision.
    let mut back = serde_json::to_value(&secret).unwrap();
    let mut expected = seed_secret();
    for value in [&mut back, &mut expected] {
        for key in ["created_at", "updated_at"] {
            let at: chrono::DateTime<chrono::Utc> = serde_json::from_value(value[key].take()).unwrap();
            value[key] = json!(at.timestamp_millis());
        }
    }
    assert_eq!(back, expected);
}

#[test]
fn discriminated_data_round_trips_both_kinds() {
    for data in [
        json!({"type": "token", "token": "t"}),
        json!({"type": "password", "username": "u", "password": "p"}),
    ] {
        let decoded: SecretData = serde_json::from_value(data.clone()).unwrap();
        assert_eq!(serde_json::to_value(&decoded).unwrap(), data);
    }
}

#[test]
fn unknown_data_type_decodes_into_the_catch_all() {
    let mut response = seed_secret();
    response.as_object_mut().unwrap().remove("type");
    response["data"] = json!({"type": "certificate", "pem": "..."});
    let decoded: SecretRetrieveResponse = serde_json::from_value(response).unwrap();
    let SecretData::Unknown(unknown) = &decoded.data else { panic!("{:?}", decoded.data) };
    assert_eq!(unknown.tag(), Some("certificate"));
    assert_eq!(unknown.value(), &json!({"type": "certificate", "pem": "..."}));
    assert_eq!(
        serde_json::to_value(&decoded.data).unwrap(),
        json!({"type": "certificate", "pem": "..."}),
        "an unknown kind is sent back as it arrived"
    );
}

#[test]
fn unknown_enum_value_and_unknown_fields_are_accepted() {
    let mut response = seed_secret();
    response["type"] = json!("certificate");
    response["added_later"] = json!(true);
    let secret: Secret = serde_json::from_value(response).unwrap();
    assert_eq!(secret.r#type, SecretType::Unknown("certificate".into()));
    assert_eq!(secret.r#type.to_string(), "certificate");
}

#[test]
fn secret_values_are_redacted_in_debug_output() {
    let printed = format!("{:?}", SecretCreate::new(SecretData::password("alice", "hunter2"), "e", "n"));
    assert!(!printed.contains("hunter2"), "{printed}");
    assert!(printed.contains("alice") && printed.contains("[REDACTED]"), "{printed}");
}

#[test]
fn the_crates_of_the_public_types_are_re_exported() {
    // Through the client crate alone: a user need not add and pin these crates themselves.
    use keycardai_api::{chrono, serde_json, uuid};
    let metadata = serde_json::json!({"team": "payments"});
    let created: chrono::DateTime<chrono::Utc> = "2019-12-27T18:11:19.117Z".parse().unwrap();
    let id = uuid::Uuid::nil();
    assert_eq!(metadata["team"], "payments");
    assert_eq!(created.timestamp(), 1_577_470_279);
    assert!(id.is_nil());
}
