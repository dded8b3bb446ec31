//! Per-call overhead of the generated client, against a hand-written `reqwest` + `serde_json`
//! call that sends the same request (bearer token, request id, user agent) and decodes the
//! same response, both against one loopback server, in the same run. Run with
//! `cargo bench -p keycard-codegen-tests --bench client_overhead`; the ratio of the two
//! medians is the overhead.

use std::convert::Infallible;
use std::net::SocketAddr;

use criterion::{criterion_group, criterion_main, Criterion};
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use keycardai_api::types::SecretRetrieveResponse;
use keycardai_api::Client;
use tokio::net::TcpListener;

const BODY: &str = r#"{"id":"x","created_at":"2019-12-27T18:11:19.117Z","data":{"type":"token","token":"token"},
"entity_id":"x","name":"name","updated_at":"2019-12-27T18:11:19.117Z","version":1,"zone_id":"x",
"description":"description","metadata":{}}"#;

/// A server on a loopback port that answers every request with the retrieve response.
async fn serve() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("loopback port");
    let address = listener.local_addr().expect("bound");
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            tokio::spawn(async move {
                let service = service_fn(|_: Request<hyper::body::Incoming>| async {
                    Ok::<_, Infallible>(
                        Response::builder()
                            .header("content-type", "application/json")
                            .body(Full::new(Bytes::from_static(BODY.as_bytes())))
                            .expect("static response"),
                    )
                });
                let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            });
        }
    });
    address
}

fn client_overhead(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let address = runtime.block_on(serve());
    let base_url = format!("http://{address}");

    let generated = Client::builder().base_url(&base_url).bearer_token("token").build().unwrap();
    let http = reqwest::Client::new();
    let url = format!("{base_url}/zones/zone/secrets/x");

    let mut group = c.benchmark_group("retrieve");
    group.bench_function("hand_written_reqwest", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = http
                .get(&url)
                .bearer_auth("token")
                .header("user-agent", "keycardai-api/0.1.0 (Rust)")
                .header("x-client-request-id", uuid::Uuid::new_v4().to_string())
                .send()
                .await
                .unwrap();
            assert!(response.status().is_success());
            let bytes = response.bytes().await.unwrap();
            serde_json::from_slice::<SecretRetrieveResponse>(&bytes).unwrap()
        })
    });
    group.bench_function("generated_client", |b| {
        b.to_async(&runtime)
            .iter(|| async { generated.zones().secrets().retrieve("zone", "x").await.unwrap() })
    });
    group.finish();
}

criterion_group!(benches, client_overhead);
criterion_main!(benches);
