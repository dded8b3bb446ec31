//! Behaviour of the generated client's runtime against a local mock server: OAuth2 client
//! credentials, retries and their waits, request ids, timeouts, errors, redaction, path
//! encoding, client-side validation, unknown values, extra headers and `from_env`.
//!
//! Every server is a `wiremock::MockServer` on 127.0.0.1. No test takes a real backoff wait:
//! the clients record their waits through `ClientBuilder::sleep_with` instead.

use std::error::Error as StdError;
use std::io;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use keycardai_api::types::{ListSecretsParams, SecretCreate, SecretData, SecretType, SecretUpdate};
use keycardai_api::{Client, ClientBuilder, Error, ErrorBody};
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;
use wiremock::matchers::{any, basic_auth, bearer_token, body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN_PATH: &str = "/service-account-token";
const SECRET_PATH: &str = "/zones/z/secrets/s";
const LIST_PATH: &str = "/zones/z/secrets";

// ---------------------------------------------------------------------------------------------
// Fixtures

/// The spec's example `Secret`.
fn secret_json() -> Value {
    keycard_codegen_tests::seed_secret_json()
}

/// The spec's example `SecretRetrieveResponse`.
fn retrieve_json() -> Value {
    let mut value = secret_json();
    value.as_object_mut().unwrap().remove("type");
    value["data"] = json!({"type": "token", "token": "token"});
    value
}

/// The spec's `Error` body.
fn error_json(status: u16) -> Value {
    json!({"message": "something is wrong", "code": "some_code", "status": status})
}

fn ok_retrieve() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(retrieve_json())
}

/// The waits a client was asked to take between retries.
#[derive(Clone, Default)]
struct Waits(Arc<Mutex<Vec<Duration>>>);

impl Waits {
    fn get(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

/// A builder for `base_url` with a bearer token, recording its waits instead of taking them.
fn builder_at(base_url: impl Into<String>) -> (ClientBuilder, Waits) {
    let waits = Waits::default();
    let recorder = waits.clone();
    let builder = Client::builder().base_url(base_url).bearer_token("test-token").sleep_with(move |wait| {
        recorder.0.lock().unwrap().push(wait);
        async {}
    });
    (builder, waits)
}

fn client_for(server: &MockServer) -> (Client, Waits) {
    let (builder, waits) = builder_at(server.uri());
    (builder.build().unwrap(), waits)
}

/// A client that signs in with client credentials at the mock server's token endpoint.
fn oauth_client(server: &MockServer) -> (Client, Waits) {
    let waits = Waits::default();
    let recorder = waits.clone();
    let client = Client::builder()
        .base_url(server.uri())
        .client_credentials("client-id", "client-secret")
        .token_url(format!("{}{TOKEN_PATH}", server.uri()))
        .sleep_with(move |wait| {
            recorder.0.lock().unwrap().push(wait);
            async {}
        })
        .build()
        .unwrap();
    (client, waits)
}

/// The token endpoint, answering only a well-formed client-credentials request.
fn token_mock(access_token: &str, expires_in: Option<u64>) -> Mock {
    let mut body = json!({"access_token": access_token, "token_type": "bearer"});
    if let Some(expires_in) = expires_in {
        body["expires_in"] = json!(expires_in);
    }
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(basic_auth("client-id", "client-secret"))
        .and(body_string("grant_type=client_credentials"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
}

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    port
}

async fn requests_to(server: &MockServer, to: &str) -> Vec<Request> {
    server.received_requests().await.unwrap().into_iter().filter(|r| r.url.path() == to).collect()
}

fn header_value(request: &Request, name: &str) -> String {
    request.headers.get(name).unwrap_or_else(|| panic!("no {name} header")).to_str().unwrap().to_owned()
}

fn request_ids(requests: &[Request]) -> Vec<Uuid> {
    requests.iter().map(|r| Uuid::parse_str(&header_value(r, "x-client-request-id")).unwrap()).collect()
}

fn secs(seconds: f64) -> Duration {
    Duration::from_secs_f64(seconds)
}

fn assert_between(wait: Duration, low: f64, high: f64, what: &str) {
    assert!(wait >= secs(low) && wait <= secs(high), "{what}: waited {wait:?}, expected {low}..={high} s");
}

// ---------------------------------------------------------------------------------------------
// 1. OAuth2 client credentials

#[tokio::test]
async fn client_credentials_are_exchanged_once_and_sent_as_bearer() {
    let server = MockServer::start().await;
    token_mock("tok-1", None).expect(1).mount(&server).await;
    Mock::given(method("GET"))
        .and(path(SECRET_PATH))
        .and(bearer_token("tok-1"))
        .respond_with(ok_retrieve())
        .expect(2)
        .mount(&server)
        .await;
    let (client, _) = oauth_client(&server);

    client.zones().secrets().retrieve("z", "s").await.unwrap();
    client.zones().secrets().retrieve("z", "s").await.unwrap();

    let token_requests = requests_to(&server, TOKEN_PATH).await;
    assert_eq!(token_requests.len(), 1, "the token is cached");
    let token_request = &token_requests[0];
    assert_eq!(token_request.method.as_str(), "POST");
    assert_eq!(header_value(token_request, "content-type"), "application/x-www-form-urlencoded");
    assert_eq!(token_request.body, b"grant_type=client_credentials");
    assert_eq!(header_value(token_request, "authorization"), "Basic Y2xpZW50LWlkOmNsaWVudC1zZWNyZXQ=");
    let api_requests = requests_to(&server, SECRET_PATH).await;
    assert_eq!(api_requests.len(), 2);
    for request in &api_requests {
        assert_eq!(header_value(request, "authorization"), "Bearer tok-1");
    }
}

#[tokio::test]
async fn a_token_is_refreshed_shortly_before_it_expires() {
    let server = MockServer::start().await;
    // 2 s of lifetime: refreshed min(30 s, 1 s) = 1 s before expiry, so after 1 s.
    token_mock("tok-1", Some(2)).up_to_n_times(1).mount(&server).await;
    token_mock("tok-2", Some(2)).mount(&server).await;
    Mock::given(method("GET")).and(path(SECRET_PATH)).respond_with(ok_retrieve()).mount(&server).await;
    let (client, _) = oauth_client(&server);

    client.zones().secrets().retrieve("z", "s").await.unwrap();
    client.zones().secrets().retrieve("z", "s").await.unwrap();
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1, "still fresh: cached");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    client.zones().secrets().retrieve("z", "s").await.unwrap();

    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2, "refreshed once past the refresh point");
    let sent: Vec<String> =
        requests_to(&server, SECRET_PATH).await.iter().map(|r| header_value(r, "authorization")).collect();
    assert_eq!(sent, ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]);
}

#[tokio::test]
async fn a_401_fetches_a_new_token_and_retries_once() {
    let server = MockServer::start().await;
    token_mock("tok-1", None).up_to_n_times(1).mount(&server).await;
    token_mock("tok-2", None).mount(&server).await;
    Mock::given(method("GET"))
        .and(path(SECRET_PATH))
        .and(bearer_token("tok-1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(error_json(401)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(SECRET_PATH))
        .and(bearer_token("tok-2"))
        .respond_with(ok_retrieve())
        .mount(&server)
        .await;
    let (client, waits) = oauth_client(&server);

    let response = client.zones().secrets().retrieve("z", "s").send_with_response().await.unwrap();

    assert_eq!(response.value.id, "x");
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    let api_requests = requests_to(&server, SECRET_PATH).await;
    assert_eq!(api_requests.len(), 2);
    assert_eq!(header_value(&api_requests[1], "authorization"), "Bearer tok-2");
    assert_eq!(
        request_ids(&api_requests)[0],
        request_ids(&api_requests)[1],
        "the renewed attempt is the same call"
    );
    assert!(waits.get().is_empty(), "renewing a token takes no backoff");
}

#[tokio::test]
async fn a_second_401_is_an_authentication_error() {
    let server = MockServer::start().await;
    token_mock("tok-1", None).up_to_n_times(1).mount(&server).await;
    token_mock("tok-2", None).mount(&server).await;
    Mock::given(method("GET"))
        .and(path(SECRET_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_json(error_json(401)))
        .mount(&server)
        .await;
    let (client, _) = oauth_client(&server);

    let error = client.zones().secrets().retrieve("z", "s").await.unwrap_err();

    assert!(matches!(error, Error::Authentication(_)), "{error:?}");
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2, "one renewal, not more");
    assert_eq!(requests_to(&server, SECRET_PATH).await.len(), 2, "one retry, not more");
}

#[tokio::test]
async fn concurrent_calls_share_one_token_fetch() {
    let server = MockServer::start().await;
    // A slow token endpoint, so that all five calls wait for the token at once.
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "tok-1", "expires_in": 3600}))
                .set_delay(Duration::from_millis(300)),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path(SECRET_PATH)).respond_with(ok_retrieve()).mount(&server).await;
    let (client, _) = oauth_client(&server);
    let secrets = client.zones().secrets();

    let (a, b, c, d, e) = tokio::join!(
        secrets.retrieve("z", "s").send(),
        secrets.retrieve("z", "s").send(),
        secrets.retrieve("z", "s").send(),
        secrets.retrieve("z", "s").send(),
        secrets.retrieve("z", "s").send(),
    );
    for result in [a, b, c, d, e] {
        result.unwrap();
    }

    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1);
    let api_requests = requests_to(&server, SECRET_PATH).await;
    assert_eq!(api_requests.len(), 5);
    assert!(api_requests.iter().all(|r| header_value(r, "authorization") == "Bearer tok-1"));
}

/// A token endpoint that accepts the request and never answers (in the time of a test).
fn hanging_token_mock() -> Mock {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(600)))
}

/// Asserts that a call with `timeout` gave up at it: not before, and not long after.
fn assert_gave_up_at(elapsed: Duration, timeout: Duration, what: &str) {
    assert!(
        elapsed >= timeout.mul_f64(0.9) && elapsed < timeout + Duration::from_millis(1500),
        "{what}: gave up after {elapsed:?}, its timeout is {timeout:?}"
    );
}

#[tokio::test]
async fn a_hanging_token_endpoint_times_out_at_the_calls_timeout() {
    let server = MockServer::start().await;
    hanging_token_mock().mount(&server).await;
    let (client, _) = oauth_client(&server);
    let timeout = Duration::from_millis(500);
    let chosen = Uuid::new_v4();

    let started = Instant::now();
    let error = client
        .zones()
        .secrets()
        .retrieve("z", "s")
        .timeout(timeout)
        .max_retries(0)
        .request_id(chosen)
        .await
        .unwrap_err();

    assert_gave_up_at(started.elapsed(), timeout, "the call");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(error.request_id(), Some(chosen));
    assert!(error.to_string().contains(&chosen.to_string()), "{error}");
    assert!(error.source().is_some(), "the token request itself timed out");
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1);
    assert!(requests_to(&server, SECRET_PATH).await.is_empty(), "no token, no call");
}

#[tokio::test]
async fn a_call_waiting_for_another_calls_token_fetch_gives_up_at_its_own_timeout() {
    let server = MockServer::start().await;
    hanging_token_mock().up_to_n_times(1).mount(&server).await;
    token_mock("tok-2", None).mount(&server).await;
    Mock::given(method("GET")).and(path(SECRET_PATH)).respond_with(ok_retrieve()).mount(&server).await;
    let (client, _) = oauth_client(&server);
    let call = |timeout: Duration| {
        let call = client.zones().secrets().retrieve("z", "s").timeout(timeout).max_retries(0);
        tokio::spawn(call.send_with_response())
    };

    // Call 1 fetches the token and hangs: its timeout is far away.
    let first = call(Duration::from_secs(60));
    while requests_to(&server, TOKEN_PATH).await.is_empty() {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Calls 2 and 3 wait for that fetch.
    let timeout = Duration::from_millis(300);
    let chosen = Uuid::new_v4();
    let started = Instant::now();
    let second =
        client.zones().secrets().retrieve("z", "s").timeout(timeout).max_retries(0).request_id(chosen);
    let second = tokio::spawn(second.send());
    let third = call(Duration::from_secs(30));

    let error = tokio::time::timeout(Duration::from_secs(10), second)
        .await
        .expect("call 2 still waiting for call 1's fetch after 10 s")
        .unwrap()
        .unwrap_err();
    assert_gave_up_at(started.elapsed(), timeout, "call 2");
    assert!(
        matches!(error, Error::Timeout { source: None, .. }),
        "timed out waiting, sent nothing: {error:?}"
    );
    assert_eq!(error.request_id(), Some(chosen));
    assert!(!first.is_finished(), "call 1 is still fetching");
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1, "call 2 did not fetch a token of its own");

    // Call 1 is dropped while fetching: call 3, still waiting, fetches the token itself.
    first.abort();
    let response = tokio::time::timeout(Duration::from_secs(10), third).await.unwrap().unwrap().unwrap();
    assert_eq!(response.value.id, "x");
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    let api_requests = requests_to(&server, SECRET_PATH).await;
    assert_eq!(api_requests.len(), 1);
    assert_eq!(header_value(&api_requests[0], "authorization"), "Bearer tok-2");
}

#[tokio::test]
async fn a_failing_token_endpoint_is_retried_a_refusing_one_is_not() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after-ms", "1234"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    token_mock("tok-1", None).mount(&server).await;
    Mock::given(method("GET")).and(path(SECRET_PATH)).respond_with(ok_retrieve()).mount(&server).await;
    let (client, waits) = oauth_client(&server);

    let response = client.zones().secrets().retrieve("z", "s").send_with_response().await.unwrap();
    assert_eq!(response.value.id, "x");
    assert_eq!(response.retries, 1, "the token fetch's retry is one of the call's");
    assert_eq!(waits.get(), [Duration::from_millis(1234)], "retry-after-ms of the token endpoint");
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    assert_eq!(requests_to(&server, SECRET_PATH).await.len(), 1);

    // A refusal, or an answer without a token, is not retried.
    let refusal = ResponseTemplate::new(400).set_body_json(json!({"error": "invalid_client"}));
    let no_token = ResponseTemplate::new(200).set_body_json(json!({"token_type": "bearer"}));
    for (status, reply) in [(400, refusal), (200, no_token)] {
        server.reset().await;
        Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(reply).mount(&server).await;
        // A new client: the first one has a token cached.
        let (client, waits) = oauth_client(&server);

        let error = client.zones().secrets().retrieve("z", "s").await.unwrap_err();

        let Error::Token { status: Some(got), message } = &error else { panic!("{status}: {error:?}") };
        assert_eq!(got.as_u16(), status);
        assert!(message.contains(TOKEN_PATH), "{message}");
        assert!(!error.to_string().contains("client-secret"), "{error}");
        assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1, "{status}: not retried");
        assert!(waits.get().is_empty(), "{status}");
        assert!(requests_to(&server, SECRET_PATH).await.is_empty());
    }
}

#[tokio::test]
async fn a_hanging_token_endpoint_is_retried_like_a_call() {
    let server = MockServer::start().await;
    hanging_token_mock().mount(&server).await;
    let (client, waits) = oauth_client(&server);
    let timeout = Duration::from_millis(300);

    let started = Instant::now();
    let error = client.zones().secrets().retrieve("z", "s").timeout(timeout).await.unwrap_err();

    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 3, "1 attempt + 2 retries by default");
    assert_eq!(waits.get().len(), 2, "a backoff before each retry");
    assert!(started.elapsed() >= timeout * 3, "each attempt had its whole timeout: {:?}", started.elapsed());
    assert!(requests_to(&server, SECRET_PATH).await.is_empty());
}

// ---------------------------------------------------------------------------------------------
// 2. Retries

/// Whether an error is of the expected variant.
type IsVariant = fn(&Error) -> bool;

fn status_reply(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(error_json(status))
}

#[tokio::test]
async fn retryable_statuses_are_retried_twice_by_default() {
    let server = MockServer::start().await;
    let (client, waits) = client_for(&server);
    let cases: [(u16, IsVariant); 6] = [
        (408, |e| matches!(e, Error::Status(_))),
        (409, |e| matches!(e, Error::Conflict(_))),
        (429, |e| matches!(e, Error::RateLimit(_))),
        (500, |e| matches!(e, Error::InternalServer(_))),
        (502, |e| matches!(e, Error::InternalServer(_))),
        (503, |e| matches!(e, Error::InternalServer(_))),
    ];
    for (status, is_variant) in cases {
        server.reset().await;
        waits.0.lock().unwrap().clear();
        Mock::given(any()).respond_with(status_reply(status)).mount(&server).await;

        let error = client.zones().secrets().retrieve("z", "s").await.unwrap_err();

        assert_eq!(server.received_requests().await.unwrap().len(), 3, "{status}: 1 request + 2 retries");
        assert_eq!(waits.get().len(), 2, "{status}: a wait before each retry");
        assert!(is_variant(&error), "{status}: {error:?}");
        assert_eq!(error.status(), Some(StatusCode::from_u16(status).unwrap()));
        assert_eq!(error.api_error().unwrap().retries, 2, "{status}");
    }
}

#[tokio::test]
async fn other_statuses_are_not_retried() {
    let server = MockServer::start().await;
    let (client, waits) = client_for(&server);
    for status in [400, 404, 422] {
        server.reset().await;
        Mock::given(any()).respond_with(status_reply(status)).mount(&server).await;

        let error = client.zones().secrets().retrieve("z", "s").await.unwrap_err();

        assert_eq!(server.received_requests().await.unwrap().len(), 1, "{status}");
        assert_eq!(error.status(), Some(StatusCode::from_u16(status).unwrap()));
        assert_eq!(error.api_error().unwrap().retries, 0);
    }
    assert!(waits.get().is_empty());
}

#[tokio::test]
async fn x_should_retry_overrides_the_status_rule() {
    let server = MockServer::start().await;
    let (client, _) = client_for(&server);

    Mock::given(any())
        .respond_with(status_reply(400).insert_header("x-should-retry", "true"))
        .mount(&server)
        .await;
    let error = client.zones().secrets().retrieve("z", "s").await.unwrap_err();
    assert!(matches!(error, Error::BadRequest(_)), "{error:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3, "a 400 retried on request");

    server.reset().await;
    Mock::given(any())
        .respond_with(status_reply(503).insert_header("x-should-retry", "false"))
        .mount(&server)
        .await;
    let error = client.zones().secrets().retrieve("z", "s").await.unwrap_err();
    assert!(matches!(error, Error::InternalServer(_)), "{error:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "a 503 not retried on request");
}

#[tokio::test]
async fn max_retries_of_the_builder_and_of_a_call_are_obeyed() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(status_reply(503)).mount(&server).await;
    let (builder, waits) = builder_at(server.uri());
    let client = builder.max_retries(4).build().unwrap();
    let count = || async { server.received_requests().await.unwrap().len() };

    client.zones().secrets().retrieve("z", "s").await.unwrap_err();
    assert_eq!(count().await, 5, "builder: 4 retries");
    assert_eq!(waits.get().len(), 4);

    client.zones().secrets().retrieve("z", "s").max_retries(0).await.unwrap_err();
    assert_eq!(count().await, 6, "per call: no retry");

    client.zones().secrets().retrieve("z", "s").max_retries(1).await.unwrap_err();
    assert_eq!(count().await, 8, "per call: 1 retry");

    let (builder, _) = builder_at(server.uri());
    let no_retries = builder.max_retries(0).build().unwrap();
    no_retries.zones().secrets().retrieve("z", "s").await.unwrap_err();
    assert_eq!(count().await, 9, "builder: no retry");
    no_retries.zones().secrets().retrieve("z", "s").max_retries(3).await.unwrap_err();
    assert_eq!(count().await, 13, "the call's setting wins over the builder's");
}

#[tokio::test]
async fn connection_errors_are_retried() {
    let (builder, waits) = builder_at(format!("http://127.0.0.1:{}", closed_port()));
    let client = builder.build().unwrap();

    let error = client.zones().secrets().retrieve("z", "s").await.unwrap_err();
    assert!(matches!(error, Error::Connection { .. }), "{error:?}");
    let recorded = waits.get();
    assert_eq!(recorded.len(), 2, "2 retries, each after a wait");
    assert_between(recorded[0], 0.375, 0.5, "first retry");
    assert_between(recorded[1], 0.75, 1.0, "second retry");

    let error = client.zones().secrets().retrieve("z", "s").max_retries(0).await.unwrap_err();
    assert!(matches!(error, Error::Connection { .. }), "{error:?}");
    assert_eq!(waits.get().len(), 2, "no retry asked for, no wait taken");
}

// ---------------------------------------------------------------------------------------------
// 3. Retry waits

/// The wait before the first retry of a 503 that carries these headers.
async fn first_wait(headers: &[(&str, String)]) -> Duration {
    let server = MockServer::start().await;
    let mut reply = status_reply(503);
    for (name, value) in headers {
        reply = reply.insert_header(*name, value.as_str());
    }
    Mock::given(any()).respond_with(reply).mount(&server).await;
    let (client, waits) = client_for(&server);
    client.zones().secrets().retrieve("z", "s").max_retries(1).await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    let recorded = waits.get();
    assert_eq!(recorded.len(), 1, "{headers:?}");
    recorded[0]
}

#[tokio::test]
async fn retry_after_seconds_is_obeyed_within_a_minute() {
    assert_eq!(first_wait(&[("retry-after", "20".into())]).await, Duration::from_secs(20));
}

#[tokio::test]
async fn out_of_range_retry_after_falls_back_to_backoff() {
    for value in ["61", "-10"] {
        let wait = first_wait(&[("retry-after", value.into())]).await;
        assert_between(wait, 0.375, 0.5, &format!("retry-after: {value}"));
    }
}

#[tokio::test]
async fn retry_after_ms_is_obeyed() {
    assert_eq!(first_wait(&[("retry-after-ms", "1500".into())]).await, Duration::from_millis(1500));
}

#[tokio::test]
async fn retry_after_http_date_is_counted_from_now() {
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(10));
    let wait = first_wait(&[("retry-after", date.clone())]).await;
    // The date has whole seconds: 10 s ahead is 9 to 10 s ahead, less the time the call took.
    assert_between(wait, 8.0, 10.5, &format!("retry-after: {date}"));
}

#[tokio::test]
async fn without_headers_the_backoff_doubles() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(status_reply(500)).mount(&server).await;
    let (client, waits) = client_for(&server);
    client.zones().secrets().retrieve("z", "s").await.unwrap_err();
    let recorded = waits.get();
    assert_eq!(recorded.len(), 2);
    assert_between(recorded[0], 0.375, 0.5, "first retry");
    assert_between(recorded[1], 0.75, 1.0, "second retry");
}

#[tokio::test]
async fn each_retry_leaves_a_debug_event_with_its_reason_and_wait() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(status_reply(503).insert_header("retry-after", "2"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(retrieve_json()))
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let (capture, subscriber) = Capture::subscriber(tracing::Level::DEBUG);
    let response = {
        let _guard = tracing::subscriber::set_default(subscriber);
        client.zones().secrets().retrieve("z", "s").send_with_response().await.unwrap()
    };
    assert_eq!(response.retries, 1);
    let traces = capture.text();
    let retry = traces.lines().find(|line| line.contains("retrying")).unwrap_or_else(|| panic!("{traces}"));
    for field in ["DEBUG", "api_request", "retry=1", "status=503", "wait_ms=2000", "reason="] {
        assert!(retry.contains(field), "{field} in {retry}");
    }
    assert_redacted("the DEBUG output", &traces);
}

#[tokio::test]
async fn a_success_keeps_its_body_as_it_arrived() {
    let server = MockServer::start().await;
    let raw = serde_json::to_string_pretty(&retrieve_json()).unwrap();
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(raw.clone(), "application/json"))
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let response = client.zones().secrets().retrieve("z", "s").send_with_response().await.unwrap();
    assert_eq!(&response.body[..], raw.as_bytes());
    assert_eq!(response.value.id, "x");
}

// ---------------------------------------------------------------------------------------------
// 4. Request ids

#[tokio::test]
async fn every_attempt_of_a_call_carries_the_same_request_id() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(status_reply(500)).mount(&server).await;
    let (client, _) = client_for(&server);

    let error = client.zones().secrets().retrieve("z", "s").await.unwrap_err();
    let first_call = request_ids(&server.received_requests().await.unwrap());
    assert_eq!(first_call.len(), 3);
    assert!(first_call.iter().all(|id| *id == first_call[0]), "{first_call:?}");
    assert_eq!(error.request_id(), Some(first_call[0]));
    assert_eq!(error.api_error().unwrap().request_id, first_call[0]);
    assert!(error.to_string().contains(&first_call[0].to_string()), "{error}");

    server.reset().await;
    Mock::given(any()).respond_with(status_reply(500)).mount(&server).await;
    client.zones().secrets().retrieve("z", "s").max_retries(0).await.unwrap_err();
    let second_call = request_ids(&server.received_requests().await.unwrap());
    assert_eq!(second_call.len(), 1);
    assert_ne!(second_call[0], first_call[0], "each call has its own id");
}

#[tokio::test]
async fn a_chosen_request_id_is_sent_and_returned() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok_retrieve()).mount(&server).await;
    let (client, _) = client_for(&server);
    let chosen = Uuid::new_v4();

    let response =
        client.zones().secrets().retrieve("z", "s").request_id(chosen).send_with_response().await.unwrap();
    assert_eq!(response.request_id, chosen);
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.retries, 0);
    assert_eq!(request_ids(&server.received_requests().await.unwrap()), [chosen]);

    // Without one, the response still tells the fresh id that was sent.
    let response = client.zones().secrets().retrieve("z", "s").send_with_response().await.unwrap();
    let sent = request_ids(&server.received_requests().await.unwrap());
    assert_eq!(sent.len(), 2);
    assert_eq!(response.request_id, sent[1]);
    assert_ne!(sent[1], chosen);
}

// ---------------------------------------------------------------------------------------------
// 5. Timeouts

#[tokio::test]
async fn a_slow_response_times_out() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok_retrieve().set_delay(Duration::from_secs(2))).mount(&server).await;
    let (client, _) = client_for(&server);

    let started = std::time::Instant::now();
    let error = client
        .zones()
        .secrets()
        .retrieve("z", "s")
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_millis(1500), "gave up at the timeout, not the reply");
    let request_id = request_ids(&server.received_requests().await.unwrap())[0];
    assert_eq!(error.request_id(), Some(request_id));
    assert!(error.to_string().contains(&request_id.to_string()), "{error}");
    assert!(error.source().is_some());

    let (builder, _) = builder_at(server.uri());
    let client = builder.timeout(Duration::from_millis(200)).max_retries(0).build().unwrap();
    let error = client.zones().secrets().retrieve("z", "s").await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "builder timeout: {error:?}");
}

// ---------------------------------------------------------------------------------------------
// 6. Errors

#[tokio::test]
async fn each_status_has_its_variant_with_the_response_details() {
    let server = MockServer::start().await;
    let (builder, _) = builder_at(server.uri());
    let client = builder.max_retries(0).build().unwrap();
    let cases: [(u16, IsVariant); 9] = [
        (400, |e| matches!(e, Error::BadRequest(_))),
        (401, |e| matches!(e, Error::Authentication(_))),
        (403, |e| matches!(e, Error::PermissionDenied(_))),
        (404, |e| matches!(e, Error::NotFound(_))),
        (409, |e| matches!(e, Error::Conflict(_))),
        (422, |e| matches!(e, Error::UnprocessableEntity(_))),
        (429, |e| matches!(e, Error::RateLimit(_))),
        (500, |e| matches!(e, Error::InternalServer(_))),
        (418, |e| matches!(e, Error::Status(_))),
    ];
    for (status, is_variant) in cases {
        server.reset().await;
        Mock::given(any())
            .respond_with(status_reply(status).insert_header("x-trace", "trace-1"))
            .mount(&server)
            .await;

        let error = client.zones().secrets().retrieve("z", "s").await.unwrap_err();

        let sent = request_ids(&server.received_requests().await.unwrap());
        assert_eq!(sent.len(), 1, "{status}: sent once (a fixed bearer token cannot be renewed)");
        assert!(is_variant(&error), "{status}: {error:?}");
        assert_eq!(error.status(), Some(StatusCode::from_u16(status).unwrap()));
        assert_eq!(error.request_id(), Some(sent[0]));
        let api = error.api_error().unwrap();
        assert_eq!(api.status.as_u16(), status);
        assert_eq!(api.request_id, sent[0]);
        assert_eq!(api.headers.get("x-trace").unwrap(), "trace-1");
        assert_eq!(api.body, Some(ErrorBody::new("something is wrong", "some_code", f64::from(status))));
        assert!(api.text.contains("something is wrong"), "{status}: {}", api.text);
        let message = error.to_string();
        assert!(message.contains(&status.to_string()), "{message}");
        assert!(message.contains(&sent[0].to_string()), "{message}");
    }
}

#[tokio::test]
async fn a_body_that_is_not_the_error_schema_is_kept_as_text() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>"))
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);

    let error = client.zones().secrets().retrieve("z", "s").max_retries(0).await.unwrap_err();

    let Error::InternalServer(api) = &error else { panic!("{error:?}") };
    assert_eq!(api.status, StatusCode::BAD_GATEWAY);
    assert_eq!(api.body, None);
    assert_eq!(api.text, "<html>bad gateway</html>");
    assert!(error.to_string().contains("502"), "{error}");
    assert!(error.to_string().contains("bad gateway"), "{error}");
}

#[tokio::test]
async fn a_success_body_that_does_not_match_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 7})))
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);

    let error = client.zones().secrets().retrieve("z", "s").await.unwrap_err();

    let sent = request_ids(&server.received_requests().await.unwrap());
    assert_eq!(sent.len(), 1, "a decode error is not retried");
    let Error::Decode { status, request_id, .. } = &error else { panic!("{error:?}") };
    assert_eq!(*status, StatusCode::OK);
    assert_eq!(*request_id, sent[0]);
    assert_eq!(error.request_id(), Some(sent[0]));
    assert!(error.source().is_some());
    let message = error.to_string();
    assert!(message.contains("200") && message.contains(&sent[0].to_string()), "{message}");
}

#[tokio::test]
async fn a_closed_port_is_a_connection_error() {
    let (builder, _) = builder_at(format!("http://127.0.0.1:{}", closed_port()));
    let client = builder.max_retries(0).build().unwrap();
    let chosen = Uuid::new_v4();

    let error = client.zones().secrets().retrieve("z", "s").request_id(chosen).await.unwrap_err();

    assert!(matches!(error, Error::Connection { .. }), "{error:?}");
    assert_eq!(error.request_id(), Some(chosen));
    assert_eq!(error.status(), None);
    assert!(error.source().is_some());
    assert!(error.to_string().contains(&chosen.to_string()), "{error}");
}

#[test]
fn the_client_configuration_is_checked() {
    // The API requires OAuth2, so a client without credentials is refused.
    let error = Client::builder().base_url("http://127.0.0.1:1").build().unwrap_err();
    assert!(matches!(&error, Error::Config(message) if message.contains("no credentials")), "{error:?}");
    let error = Client::builder().build().unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    let error = Client::builder().base_url("ftp://127.0.0.1").bearer_token("t").build().unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    // The incomplete client-credentials pair is checked in `from_env_configures_the_client`.
}

// ---------------------------------------------------------------------------------------------
// 7. Redaction

const SECRETS: [&str; 4] = ["hunter2", "tok-SECRET", "bearer-SECRET", "client-SECRET"];

fn assert_redacted(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} shows `{secret}`: {text}");
    }
}

fn password_body() -> SecretCreate {
    SecretCreate::new(SecretData::password("alice", "hunter2"), "e", "n")
}

fn token_body() -> SecretCreate {
    SecretCreate::new(SecretData::token("tok-SECRET"), "e", "n")
}

#[test]
fn debug_output_never_shows_secrets() {
    let password = password_body();
    let token = token_body();
    let debug = format!("{password:?}");
    assert!(debug.contains("alice"), "the Debug output is real: {debug}");
    assert_redacted("SecretCreate (password)", &debug);
    assert_redacted("SecretCreate (token)", &format!("{token:?}"));
    assert_redacted("SecretData", &format!("{:?} {:?}", password.data, token.data));
    let update = SecretUpdate::new().data(token.data.clone());
    assert_redacted("SecretUpdate", &format!("{update:?}"));

    let bearer =
        Client::builder().base_url("http://127.0.0.1:1").bearer_token("bearer-SECRET").build().unwrap();
    let debug = format!("{bearer:?}");
    assert!(debug.contains("127.0.0.1:1"), "{debug}");
    assert_redacted("Client (bearer)", &debug);
    let oauth = Client::builder()
        .base_url("http://127.0.0.1:1")
        .client_credentials("client-id", "client-SECRET")
        .build()
        .unwrap();
    let debug = format!("{oauth:?}");
    assert!(debug.contains("client-id"), "{debug}");
    assert_redacted("Client (client credentials)", &debug);
    let builder =
        Client::builder().bearer_token("bearer-SECRET").client_credentials("client-id", "client-SECRET");
    assert_redacted("ClientBuilder", &format!("{builder:?}"));

    let call = bearer.zones().secrets().create("z", &password);
    assert_redacted("Call (password)", &format!("{call:?}"));
    let call = oauth.zones().secrets().update("z", "s", &update);
    let debug = format!("{call:?}");
    assert!(debug.contains("/zones/z/secrets/s"), "{debug}");
    assert_redacted("Call (token)", &debug);
}

#[tokio::test]
async fn errors_and_traces_never_show_secrets() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(basic_auth("client-id", "client-SECRET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "tok-SECRET"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(LIST_PATH))
        .respond_with(status_reply(400).insert_header("x-trace", "trace-1"))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(SECRET_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(secret_json()))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .client_credentials("client-id", "client-SECRET")
        .token_url(format!("{}{TOKEN_PATH}", server.uri()))
        .max_retries(0)
        .build()
        .unwrap();
    let (capture, subscriber) = Capture::subscriber(tracing::Level::TRACE);

    let (error, updated) = {
        let _guard = tracing::subscriber::set_default(subscriber);
        let error = client.zones().secrets().create("z", &password_body()).await.unwrap_err();
        let update = SecretUpdate::new().data(token_body().data);
        let updated = client.zones().secrets().update("z", "s", &update).send_with_response().await.unwrap();
        (error, updated)
    };

    // The secrets did go out, so their absence below means something.
    let sent = server.received_requests().await.unwrap();
    let create = sent.iter().find(|r| r.method.as_str() == "POST" && r.url.path() == LIST_PATH).unwrap();
    assert!(String::from_utf8_lossy(&create.body).contains("hunter2"));
    assert_eq!(header_value(create, "authorization"), "Bearer tok-SECRET");

    assert!(matches!(error, Error::BadRequest(_)), "{error:?}");
    let debug = format!("{error:?}");
    assert!(debug.contains("trace-1"), "{debug}");
    assert_redacted("Error (Debug)", &debug);
    assert_redacted("Error (Display)", &error.to_string());

    let traces = capture.text();
    assert!(traces.contains("api_request"), "{traces}");
    assert!(traces.contains(&error.request_id().unwrap().to_string()), "{traces}");
    assert!(traces.contains(&updated.request_id.to_string()), "{traces}");
    assert!(traces.contains("request failed") && traces.contains("status=400"), "{traces}");
    assert_redacted("the TRACE output", &traces);
}

/// A `tracing_subscriber` writer that keeps what is written.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Capture {
    /// A subscriber that writes every event and span (opened and closed) up to `level` here.
    fn subscriber(level: tracing::Level) -> (Capture, impl tracing::Subscriber) {
        let capture = Capture::default();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(level)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
            .with_ansi(false)
            .with_writer(capture.clone())
            .finish();
        (capture, subscriber)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl io::Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

// ---------------------------------------------------------------------------------------------
// 8. Path encoding

#[tokio::test]
async fn path_parameters_cannot_change_the_path() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok_retrieve()).mount(&server).await;
    let (client, _) = client_for(&server);

    client.zones().secrets().retrieve("zone", "../admin").await.unwrap();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].url.path(), "/zones/zone/secrets/..%2Fadmin");

    for bad in ["..", ".", ""] {
        let error = client.zones().secrets().retrieve("zone", bad).await.unwrap_err();
        assert!(matches!(&error, Error::InvalidRequest { field, .. } if field == "id"), "`{bad}`: {error:?}");
        assert_eq!(error.request_id(), None, "never sent");
    }
    let error = client.zones().secrets().delete("", "s").await.unwrap_err();
    assert!(matches!(&error, Error::InvalidRequest { field, .. } if field == "zone_id"), "{error:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "nothing more reached the server");
}

// ---------------------------------------------------------------------------------------------
// 9. Client-side validation

#[tokio::test]
async fn a_too_long_description_is_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/zones/z/secrets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(secret_json()))
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);
    let with_description = |length: usize| token_body().description("d".repeat(length));

    let error = client.zones().secrets().create("z", &with_description(129)).await.unwrap_err();
    let Error::InvalidRequest { field, reason } = &error else { panic!("{error:?}") };
    assert_eq!(field, "body.description");
    assert!(reason.contains("128"), "{reason}");
    assert!(error.to_string().contains("body.description"), "{error}");
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing sent");

    // Counted in characters: 128 multi-byte characters are allowed.
    let description = "é".repeat(128);
    let body = token_body().description(description.clone());
    client.zones().secrets().create("z", &body).await.unwrap();
    client.zones().secrets().create("z", &with_description(128)).await.unwrap();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].body_json::<Value>().unwrap()["description"], json!(description));
    assert_eq!(sent[1].body_json::<Value>().unwrap()["description"], json!("d".repeat(128)));
}

#[tokio::test]
async fn an_update_sends_null_to_clear_a_field_and_leaves_out_the_fields_it_keeps() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(SECRET_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(secret_json()))
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);

    let update = SecretUpdate::new().name("renamed").clear_description();
    client.zones().secrets().update("z", "s", &update).await.unwrap();
    let sent = server.received_requests().await.unwrap();
    let body = String::from_utf8(sent[0].body.clone()).unwrap();
    assert_eq!(body, r#"{"name":"renamed","description":null}"#);

    // Set, then cleared, then set again: the last word counts; a cleared field is not checked.
    let update = SecretUpdate::new().description("x".repeat(129)).clear_description();
    client.zones().secrets().update("z", "s", &update).await.unwrap();
    let update = SecretUpdate::new().description("x".repeat(129));
    let err = client.zones().secrets().update("z", "s", &update).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

// ---------------------------------------------------------------------------------------------
// 10. Unknown values

#[tokio::test]
async fn unknown_kinds_values_and_fields_are_tolerated() {
    let server = MockServer::start().await;
    let mut retrieved = retrieve_json();
    retrieved["data"] = json!({"type": "certificate", "pem": "-----BEGIN CERTIFICATE-----"});
    retrieved["added_later"] = json!({"nested": true});
    Mock::given(method("GET"))
        .and(path(SECRET_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(retrieved))
        .mount(&server)
        .await;
    let mut listed = secret_json();
    listed["type"] = json!("ssh_key");
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([secret_json(), listed])))
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);

    let secret = client.zones().secrets().retrieve("z", "s").await.unwrap();
    let SecretData::Unknown(unknown) = &secret.data else { panic!("{:?}", secret.data) };
    assert_eq!(unknown.tag(), Some("certificate"));
    assert_eq!(unknown.value(), &json!({"type": "certificate", "pem": "-----BEGIN CERTIFICATE-----"}));
    assert_eq!(secret.id, "x");

    let secrets = client.zones().secrets().list("z", &ListSecretsParams::default()).await.unwrap();
    assert_eq!(secrets.len(), 2);
    assert_eq!(secrets[0].r#type, SecretType::Token);
    assert_eq!(secrets[1].r#type, SecretType::Unknown("ssh_key".into()));
}

/// The `data` of a retrieved secret of a kind this client does not know, as the server writes
/// it: key order and number forms that a sorted or re-formatted copy would change.
const UNKNOWN_DATA: &str =
    r#"{"type":"certificate","pem":"-----BEGIN PRIVATE KEY-----","chain":[2,1.5,"b"],"Algorithm":"rsa"}"#;

#[tokio::test]
async fn an_unknown_kind_is_never_printed_and_goes_back_byte_for_byte() {
    let server = MockServer::start().await;
    let body = serde_json::to_string(&retrieve_json()).unwrap();
    let body = body.replace(r#"{"type":"token","token":"token"}"#, UNKNOWN_DATA);
    assert!(body.contains(UNKNOWN_DATA));
    Mock::given(method("GET"))
        .and(path(SECRET_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(SECRET_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(secret_json()))
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);

    let secret = client.zones().secrets().retrieve("z", "s").await.unwrap();
    let printed = format!("{secret:?}");
    assert!(!printed.contains("PRIVATE KEY") && !printed.contains("rsa"), "{printed}");
    assert!(printed.contains(r#"type: "certificate""#) && printed.contains("[REDACTED]"), "{printed}");

    let update = SecretUpdate::new().data(secret.data);
    client.zones().secrets().update("z", "s", &update).await.unwrap();
    let sent = server.received_requests().await.unwrap();
    let sent = String::from_utf8(sent.last().unwrap().body.clone()).unwrap();
    assert!(sent.contains(&format!(r#""data":{UNKNOWN_DATA}"#)), "{sent}");
}

#[tokio::test]
async fn a_known_kind_with_broken_fields_is_a_decode_error_that_names_the_field_not_the_secret() {
    let server = MockServer::start().await;
    let mut broken = retrieve_json();
    broken["data"] = json!({"type": "password", "username": null, "password": "hunter2"});
    Mock::given(method("GET"))
        .and(path(SECRET_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(broken))
        .mount(&server)
        .await;
    let mut no_token = retrieve_json();
    no_token["data"] = json!({"type": "token"});
    Mock::given(method("GET"))
        .and(path("/zones/z/secrets/t"))
        .respond_with(ResponseTemplate::new(200).set_body_json(no_token))
        .mount(&server)
        .await;
    let mut wrong_type = retrieve_json();
    wrong_type["data"] = json!({"type": "token", "token": 8_675_309});
    Mock::given(method("GET"))
        .and(path("/zones/z/secrets/w"))
        .respond_with(ResponseTemplate::new(200).set_body_json(wrong_type))
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);

    let err = client.zones().secrets().retrieve("z", "s").await.unwrap_err();
    let (message, debug) = (err.to_string(), format!("{err:?}"));
    assert!(matches!(err, keycardai_api::Error::Decode { .. }), "{debug}");
    assert!(message.contains("username"), "{message}");
    assert!(!message.contains("hunter2") && !debug.contains("hunter2"), "{message}\n{debug}");

    let err = client.zones().secrets().retrieve("z", "t").await.unwrap_err();
    assert!(err.to_string().contains("missing field `token`"), "{err}");

    let err = client.zones().secrets().retrieve("z", "w").await.unwrap_err();
    let (message, debug) = (err.to_string(), format!("{err:?}"));
    assert!(message.contains("token"), "{message}");
    assert!(!message.contains("8675309") && !debug.contains("8675309"), "{message}\n{debug}");
}

// ---------------------------------------------------------------------------------------------
// 11. Headers and query parameters

#[tokio::test]
async fn user_agent_extra_headers_and_query_parameters_arrive() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(SECRET_PATH))
        .and(query_param("extra", "v"))
        .and(header("x-extra", "1"))
        .respond_with(ok_retrieve())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .and(query_param("entity_id", "ent 1"))
        .and(query_param("type", "password"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_for(&server);

    client.zones().secrets().retrieve("z", "s").header("x-extra", "1").query("extra", "v").await.unwrap();
    let params = ListSecretsParams::new().entity_id("ent 1").r#type(SecretType::Password);
    let listed = client.zones().secrets().list("z", &params).await.unwrap();
    assert!(listed.is_empty());

    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 2);
    for request in &sent {
        assert_eq!(header_value(request, "user-agent"), "keycardai-api/0.1.0 (Rust)");
        assert_eq!(header_value(request, "authorization"), "Bearer test-token");
    }
    assert_eq!(header_value(&sent[0], "x-extra"), "1");
    let query: Vec<(String, String)> = sent[1].url.query_pairs().into_owned().collect();
    assert_eq!(
        query,
        [("entity_id".to_owned(), "ent 1".to_owned()), ("type".to_owned(), "password".to_owned())]
    );
}

// ---------------------------------------------------------------------------------------------
// 12. Client::from_env

/// Every environment-dependent check is in this one test: variables are process-global.
#[tokio::test]
async fn from_env_configures_the_client() {
    const ID: &str = "KEYCARD_API_CLIENT_ID";
    const SECRET: &str = "KEYCARD_API_CLIENT_SECRET";
    const BASE_URL: &str = "KEYCARD_API_BASE_URL";
    assert_eq!(Client::env_var("CLIENT_ID"), ID);
    assert_eq!(Client::env_var("CLIENT_SECRET"), SECRET);
    assert_eq!(Client::env_var("BASE_URL"), BASE_URL);

    let server = MockServer::start().await;
    token_mock("tok-env", None).expect(1).mount(&server).await;
    Mock::given(method("GET"))
        .and(path(SECRET_PATH))
        .and(bearer_token("tok-env"))
        .respond_with(ok_retrieve())
        .expect(1)
        .mount(&server)
        .await;

    std::env::set_var(ID, "client-id");
    std::env::set_var(SECRET, "client-secret");
    std::env::set_var(BASE_URL, server.uri());
    let client = Client::from_env();
    // Incomplete pairs, and none at all.
    std::env::remove_var(SECRET);
    let without_secret = Client::from_env();
    std::env::set_var(SECRET, "client-secret");
    std::env::remove_var(ID);
    let without_id = Client::from_env();
    std::env::remove_var(SECRET);
    let without_both = Client::from_env();
    std::env::remove_var(BASE_URL);

    let client = client.unwrap();
    assert_eq!(client.base_url(), server.uri());
    // Checked before any call, so that a regression fails here instead of reaching out to the
    // document's server: the token endpoint follows the base URL.
    let debug = format!("{client:?}");
    assert!(debug.contains(&format!("\"{}{TOKEN_PATH}\"", server.uri())), "{debug}");
    let secret = client.zones().secrets().retrieve("z", "s").await.unwrap();
    assert_eq!(secret.id, "x");
    // The token came from the base URL's token endpoint, never from the document's server.
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1);

    for (what, result) in [("without the secret", without_secret), ("without the id", without_id)] {
        let error = result.unwrap_err();
        assert!(
            matches!(&error, Error::Config(message) if message.contains("incomplete client credentials")),
            "{what}: {error:?}"
        );
        assert!(error.to_string().contains(ID) && error.to_string().contains(SECRET), "{what}: {error}");
    }
    let error = without_both.unwrap_err();
    assert!(matches!(&error, Error::Config(message) if message.contains("no credentials")), "{error:?}");
}

// ---------------------------------------------------------------------------------------------
// 13. Blocking calls (the `blocking` feature)

#[test]
fn a_blocking_call_fetches_a_token_retries_and_refreshes_like_an_async_one() {
    // The mock server runs on a runtime of its own; the calls below are made from plain code.
    let mock_runtime = tokio::runtime::Runtime::new().unwrap();
    let server = mock_runtime.block_on(async {
        let server = MockServer::start().await;
        token_mock("tok-1", Some(3600)).up_to_n_times(1).mount(&server).await;
        token_mock("tok-2", Some(3600)).mount(&server).await;
        Mock::given(method("GET"))
            .and(header("authorization", "Bearer tok-1"))
            .respond_with(status_reply(401))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(header("authorization", "Bearer tok-2"))
            .respond_with(status_reply(503))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(header("authorization", "Bearer tok-2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(retrieve_json()))
            .mount(&server)
            .await;
        server
    });
    let (client, waits) = oauth_client(&server);

    let response = client.zones().secrets().retrieve("z", "s").send_with_response_blocking().unwrap();
    assert_eq!(response.value.id, "x");
    assert_eq!(response.retries, 1, "the 503 was retried");
    assert_eq!(waits.get().len(), 1);
    let sent = mock_runtime.block_on(server.received_requests()).unwrap();
    let calls: Vec<_> = sent.iter().filter(|r| r.url.path() == SECRET_PATH).collect();
    let tokens = sent.iter().filter(|r| r.url.path() == TOKEN_PATH).count();
    assert_eq!((calls.len(), tokens), (3, 2), "401 with tok-1, then 503 and 200 with tok-2");
    let ids: Vec<Uuid> =
        calls.iter().map(|r| header_value(r, "x-client-request-id").parse().unwrap()).collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");

    // And a second blocking call reuses the cached token.
    client.zones().secrets().retrieve("z", "s").send_blocking().unwrap();
    let sent = mock_runtime.block_on(server.received_requests()).unwrap();
    assert_eq!(sent.iter().filter(|r| r.url.path() == TOKEN_PATH).count(), 2);
}

#[tokio::test]
async fn a_blocking_call_inside_an_async_runtime_is_refused_not_a_panic() {
    let server = MockServer::start().await;
    let (client, _) = client_for(&server);
    let err = client.zones().secrets().retrieve("z", "s").send_blocking().unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}
