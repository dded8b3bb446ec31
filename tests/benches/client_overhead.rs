//! Per-call overhead of the generated client, against a hand-written `reqwest` + `serde_json`
//! call that sends the same request (bearer token, request id, user agent) and
//! decodes the same response, both against one loopback server, in the same run. Run with
//! `cargo bench -p keycard-codegen-tests --bench client_overhead`.
//!
//! The sides take turns (A B C, B C A, ..., C B A, ...), a batch of calls each, and every
//! round of turns gives a ratio: a machine that speeds up or slows down during the run moves
//! every side of a round alike, so the median of the per-round ratios stays put where the
//! ratio of two medians timed one after the other would not.

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
const CALLS_PER_TURN: u32 = 200;
/// Rounds of one turn a side; each gives one ratio.
const ROUNDS: usize = 60;
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

    // The same call by hand, with the per-request timeout the generated client always sets
    // (60 s, as the official SDKs) and without one, which spares reqwest a timer.
    let by_hand = |timeout: Option<Duration>| {
        let (http, url) = (&http, &url);
        move || async move {
            let mut request = http
                .get(url)
                .bearer_auth("token")
                .header("user-agent", "keycardai-api/0.1.0 (Rust)")
                .header("x-client-request-id", uuid::Uuid::new_v4().to_string());
            if let Some(timeout) = timeout {
                request = request.timeout(timeout);
            }
            let response = request.send().await.unwrap();
            assert!(response.status().is_success());
            let bytes = response.bytes().await.unwrap();
            serde_json::from_slice::<SecretRetrieveResponse>(&bytes).unwrap()
        }
    };
    let generated_call = || async { generated.zones().secrets().retrieve("zone", "x").await.unwrap() };
    let sides: [&dyn Fn(u32) -> Duration; 3] = [
        &|calls| turn(&runtime, calls, by_hand(None)),
        &|calls| turn(&runtime, calls, by_hand(Some(Duration::from_secs(60)))),
        &|calls| turn(&runtime, calls, generated_call),
    ];

    // One side alone, for a profiler: `CLIENT_OVERHEAD_ONLY=generated valgrind --tool=callgrind ..`.
    match std::env::var("CLIENT_OVERHEAD_ONLY").as_deref() {
        Ok("hand_written") => {
            sides[1](WARM_UP_CALLS);
            return;
        }
        Ok("generated") => {
            sides[2](WARM_UP_CALLS);
            return;
        }
        _ => {}
    }
    for side in &sides {
        side(WARM_UP_CALLS);
    }
    let mut times: [Vec<f64>; 3] = Default::default();
    let (mut over_plain, mut over_timed) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        // Every order of the three sides comes up as often as the others.
        let mut order = [0, 1, 2];
        order.rotate_left(round % 3);
        if (round / 3) % 2 == 1 {
            order.reverse();
        }
        let mut took = [0.0; 3];
        for side in order {
            took[side] = sides[side](CALLS_PER_TURN).as_secs_f64() * 1e6;
            times[side].push(took[side]);
        }
        over_plain.push(took[2] / took[0]);
        over_timed.push(took[2] / took[1]);
    }
    let [plain, timed, generated] = times.map(|mut side| median(&mut side));
    println!(
        "retrieve, {ROUNDS} interleaved rounds of {CALLS_PER_TURN} calls a side (medians per call):\n  \
         hand-written reqwest, no timeout   {plain:6.1} µs\n  \
         hand-written reqwest, 60 s timeout {timed:6.1} µs\n  \
         generated client                   {generated:6.1} µs\n\
         median per-round ratio, generated over hand-written: {} without a timeout, {} with one",
        summary(&mut over_plain),
        summary(&mut over_timed),
    );
}

/// The median of per-round ratios, with the quartiles that say how far they spread.
fn summary(ratios: &mut [f64]) -> String {
    let ratio = median(ratios);
    format!("{ratio:.3} (quartiles {:.3}..{:.3})", ratios[ratios.len() / 4], ratios[ratios.len() * 3 / 4])
}
