//! Per-call overhead of the generated client, against a hand-written `reqwest` + `serde_json`
//! call that sends the same request (bearer token, request id, user agent, timeout) and
//! decodes the same response, both against one loopback server, in the same run. Run with
//! `cargo bench -p keycard-codegen-tests --bench client_overhead`.
//!
//! The two sides take turns (A B, B A, A B, ...), a batch of calls each, and every pair of
//! turns gives a ratio: a machine that speeds up or slows down during the run moves both
//! sides of a pair alike, so the median of the per-pair ratios stays put where the ratio of
//! two medians timed one after the other would not.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use keycardai_api::types::SecretRetrieveResponse;
use keycardai_api::Client;
use tokio::net::TcpListener;
use tokio::runtime::Runtime;

const BODY: &str = r#"{"id":"x","created_at":"2019-12-27T18:11:19.117Z","data":{"type":"token","token":"token"},
"entity_id":"x","name":"name","updated_at":"2019-12-27T18:11:19.117Z","version":1,"zone_id":"x",
"description":"description","metadata":{}}"#;

/// Calls per turn: long enough that the clock's resolution does not matter.
const CALLS_PER_TURN: u32 = 100;
/// Pairs of turns; each gives one ratio.
const PAIRS: usize = 60;
const WARM_UP_CALLS: u32 = 300;

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

/// The mean time of one call over a turn of `calls` calls.
fn turn<F: Future<Output = SecretRetrieveResponse>>(
    runtime: &Runtime,
    calls: u32,
    call: impl Fn() -> F,
) -> Duration {
    runtime.block_on(async {
        let start = Instant::now();
        for _ in 0..calls {
            std::hint::black_box(call().await);
        }
        start.elapsed() / calls
    })
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len() % 2 == 0 {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    }
}

fn main() {
    // `cargo test --benches` runs this with `--test`-like flags: a bench is not a test.
    if std::env::args().any(|arg| arg == "--test" || arg == "--list") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let address = runtime.block_on(serve());
    let base_url = format!("http://{address}");

    let generated = Client::builder().base_url(&base_url).bearer_token("token").build().unwrap();
    let http = reqwest::Client::new();
    let url = format!("{base_url}/zones/zone/secrets/x");

    let hand_written = || async {
        let response = http
            .get(&url)
            .bearer_auth("token")
            .header("user-agent", "keycardai-api/0.1.0 (Rust)")
            .header("x-client-request-id", uuid::Uuid::new_v4().to_string())
            .timeout(Duration::from_secs(60))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
        let bytes = response.bytes().await.unwrap();
        serde_json::from_slice::<SecretRetrieveResponse>(&bytes).unwrap()
    };
    let generated_call = || async { generated.zones().secrets().retrieve("zone", "x").await.unwrap() };

    turn(&runtime, WARM_UP_CALLS, hand_written);
    turn(&runtime, WARM_UP_CALLS, generated_call);
    let (mut hand_times, mut generated_times, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for pair in 0..PAIRS {
        let (hand, generated) = if pair % 2 == 0 {
            let hand = turn(&runtime, CALLS_PER_TURN, hand_written);
            (hand, turn(&runtime, CALLS_PER_TURN, generated_call))
        } else {
            let generated = turn(&runtime, CALLS_PER_TURN, generated_call);
            (turn(&runtime, CALLS_PER_TURN, hand_written), generated)
        };
        hand_times.push(hand.as_secs_f64() * 1e6);
        generated_times.push(generated.as_secs_f64() * 1e6);
        ratios.push(generated.as_secs_f64() / hand.as_secs_f64());
    }
    let ratio = median(&mut ratios);
    let quartiles = (ratios[PAIRS / 4], ratios[PAIRS * 3 / 4]);
    println!(
        "retrieve, {PAIRS} interleaved pairs of {CALLS_PER_TURN} calls: hand-written reqwest {:.1} µs, \
         generated client {:.1} µs (medians); median per-pair ratio {ratio:.3} (quartiles {:.3}..{:.3})",
        median(&mut hand_times),
        median(&mut generated_times),
        quartiles.0,
        quartiles.1,
    );
}
