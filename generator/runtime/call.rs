//! Sending a request: per-call options, authentication, retries, decoding.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use tracing::Instrument;
use uuid::Uuid;

use crate::auth::TokenError;
use crate::request::{Body, Request};
use crate::{retry, ApiError, Client, Error, ToParam};

const USER_AGENT_VALUE: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"), " (Rust)");

/// One call of an operation, not sent yet. `.await` it to send it and get the decoded
/// result; set per-call options first if you need them. Operation methods return one.
///
/// ```no_run
/// # async fn example(call: keycardai_api::Call<serde_json::Value>) -> Result<(), keycardai_api::Error> {
/// use std::time::Duration;
/// let value = call.timeout(Duration::from_secs(10)).max_retries(5).header("x-trace", "1").await?;
/// # Ok(()) }
/// ```
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<T> {
    client: Client,
    request: Request,
    decode: Decoder<T>,
    request_id: Option<Uuid>,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    result: PhantomData<fn() -> T>,
}

/// A decoded result with the details of the response it came from.
#[derive(Debug)]
#[non_exhaustive]
pub struct Response<T> {
    /// The decoded body.
    pub value: T,
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The id the call carried (in the API's request-id header, where it has one).
    pub request_id: Uuid,
    /// How many times the request was retried before it succeeded.
    pub retries: u32,
    /// The body as it arrived, before decoding.
    pub body: bytes::Bytes,
}

impl<T> Response<T> {
    /// The decoded body, dropping the rest.
    pub fn into_value(self) -> T {
        self.value
    }
}

/// Turns a successful response (status and body) into the call's result.
pub(crate) type Decoder<T> = fn(u16, &[u8]) -> Result<T, serde_json::Error>;

/// JSON bodies; an empty body decodes as `null`, which is what `()` expects.
#[allow(dead_code)] // in a crate whose operations all return text or bytes
pub(crate) fn decode_json<T: DeserializeOwned>(_status: u16, body: &[u8]) -> Result<T, serde_json::Error> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"null" } else { body };
    serde_json::from_slice(body)
}

/// `text/*` bodies. Invalid UTF-8 is replaced rather than refused.
#[allow(dead_code)]
pub(crate) fn decode_text(_status: u16, body: &[u8]) -> Result<String, serde_json::Error> {
    Ok(String::from_utf8_lossy(body).into_owned())
}

/// Bodies of any other media type, as bytes.
#[allow(dead_code)]
pub(crate) fn decode_bytes(_status: u16, body: &[u8]) -> Result<Vec<u8>, serde_json::Error> {
    Ok(body.to_vec())
}

impl<T: DeserializeOwned + Send + 'static> Call<T> {
    /// A call whose result is decoded from JSON.
    #[allow(dead_code)] // in a crate whose operations all return text or bytes
    pub(crate) fn new(client: &Client, request: Request) -> Self {
        Self::with_decoder(client, request, decode_json::<T>)
    }
}

impl<T: Send + 'static> Call<T> {
    /// A call whose result `decode` makes from the successful response.
    pub(crate) fn with_decoder(client: &Client, request: Request, decode: Decoder<T>) -> Self {
        Self {
            client: client.clone(),
            request,
            decode,
            request_id: None,
            timeout: None,
            max_retries: None,
            result: PhantomData,
        }
    }

    /// Use this id for the call instead of a fresh UUID. Every retry of the call sends the
    /// same id, so the server can recognise a retried request.
    pub fn request_id(mut self, id: Uuid) -> Self {
        self.request_id = Some(id);
        self
    }

    /// Time limit for each attempt of this call, instead of the client's. Getting an access
    /// token, when the attempt needs one, counts against it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How many times this call is retried, instead of the client's setting.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// Adds a header to this call.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.request.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a query parameter to this call.
    pub fn query(mut self, name: impl Into<String>, value: impl ToParam) -> Self {
        self.request.query.push((name.into(), value.to_param()));
        self
    }

    /// Sends the call and returns the decoded body.
    pub async fn send(self) -> Result<T, Error> {
        // Not through `send_with_response`: a layer of async function less to start.
        let decode = self.decode;
        let (client, request, options) = self.into_parts(false);
        let Sent { status, body, request_id, .. } = send(client, request, options).await?;
        decode(status.as_u16(), &body).map_err(|source| Error::Decode { status, request_id, source })
    }

    /// Sends the call and returns the decoded body with the status, headers and the number
    /// of retries it took.
    pub async fn send_with_response(self) -> Result<Response<T>, Error> {
        let decode = self.decode;
        let (client, request, options) = self.into_parts(false);
        let Sent { status, headers, body, request_id, retries } = send(client, request, options).await?;
        let value = decode(status.as_u16(), &body).map_err(|source| Error::Decode { status, request_id, source })?;
        Ok(Response { value, status, headers, request_id, retries, body })
    }
}

impl<T> Call<T> {
    /// What sending needs: the client, the request, and the options with a request id chosen.
    /// `streaming`: the response body is read as it arrives, not whole (see [`start`]).
    pub(crate) fn into_parts(self, streaming: bool) -> (Client, Request, CallOptions) {
        let Call { client, request, request_id, timeout, max_retries, .. } = self;
        let request_id = request_id.unwrap_or_else(Uuid::new_v4);
        (client, request, CallOptions { request_id, timeout, max_retries, streaming })
    }
}

/// What a call sets for itself; the client's settings fill in the rest.
pub(crate) struct CallOptions {
    pub(crate) request_id: Uuid,
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    /// The body is read as it arrives: the timeout covers each attempt up to the response's
    /// headers, not the whole body, which may take as long as the server keeps sending.
    pub(crate) streaming: bool,
}

/// A successful response, not decoded yet.
pub(crate) struct Sent {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: bytes::Bytes,
    pub(crate) request_id: Uuid,
    pub(crate) retries: u32,
}

/// A successful response whose body has not been read.
pub(crate) struct Started {
    pub(crate) response: reqwest::Response,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) request_id: Uuid,
    pub(crate) retries: u32,
}

impl Started {
    async fn read(self) -> Result<Sent, Error> {
        let Started { response, status, headers, request_id, retries } = self;
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(source) if source.is_timeout() => return Err(Error::Timeout { request_id, source: Some(source) }),
            Err(source) => return Err(Error::Connection { request_id, source }),
        };
        Ok(Sent { status, headers, body, request_id, retries })
    }
}

/// Sends a request with retries and reads the response, inside a tracing span. Deliberately not
/// generic over the result type: one copy of this code serves every operation of the crate.
pub(crate) async fn send(client: Client, request: Request, options: CallOptions) -> Result<Sent, Error> {
    let span = span(&request, &options);
    let outcome = async { send_with_retries(&client, request, &options).await?.read().await }
        .instrument(span.clone())
        .await;
    record(&span, outcome.as_ref().map(|sent| (sent.status, sent.retries)));
    outcome
}

/// Like [`send`], up to a successful response's headers: its body is left to the caller.
#[allow(dead_code)] // in a crate without streams
pub(crate) async fn start(client: Client, request: Request, options: CallOptions) -> Result<Started, Error> {
    let span = span(&request, &options);
    let outcome = send_with_retries(&client, request, &options).instrument(span.clone()).await;
    record(&span, outcome.as_ref().map(|started| (started.status, started.retries)));
    outcome
}

fn span(request: &Request, options: &CallOptions) -> tracing::Span {
    tracing::info_span!(
        "api_request",
        method = %request.method,
        path = request.path_template,
        request_id = %options.request_id,
        status = tracing::field::Empty,
        retries = tracing::field::Empty,
    )
}

fn record(span: &tracing::Span, outcome: Result<(StatusCode, u32), &Error>) {
    match outcome {
        Ok((status, retries)) => {
            span.record("status", status.as_u16());
            span.record("retries", retries);
        }
        Err(error) => {
            if let Some(status) = error.status() {
                span.record("status", status.as_u16());
            }
            if let Some(api) = error.api_error() {
                span.record("retries", api.retries);
            }
            span.in_scope(|| tracing::debug!(%error, "request failed"));
        }
    }
}

async fn send_with_retries(client: &Client, mut request: Request, options: &CallOptions) -> Result<Started, Error> {
    if let Some(error) = request.error.take() {
        return Err(error);
    }
    let request_id = options.request_id;
    let inner = &client.inner;
    // Joined by hand: `format!` goes through `Display` and costs more than the copy.
    let url = [inner.base_url.as_str(), request.path.as_str()].concat();
    let max_retries = options.max_retries.unwrap_or(inner.max_retries);
    let timeout = options.timeout.unwrap_or(inner.timeout);
    let mut retries = 0;
    let mut renewed_token = false;
    loop {
        // The attempt, getting a token included, must end by then.
        let deadline = tokio::time::Instant::now() + timeout;
        let token = match inner.auth.token(&inner.http, deadline, request_id).await {
            Ok(token) => token,
            Err(TokenError::Transient { headers, .. }) if retries < max_retries => {
                let wait = retry::delay(retries, headers.as_ref(), SystemTime::now());
                trace_retry(retries, wait, "the token endpoint failed", None);
                inner.sleep.sleep(wait).await;
                retries += 1;
                continue;
            }
            Err(TokenError::Transient { error, .. } | TokenError::Permanent(error)) => return Err(error),
        };
        let mut builder = inner.http.request(request.method.clone(), &url).header(USER_AGENT, USER_AGENT_VALUE);
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        if !options.streaming {
            builder = builder.timeout(deadline.saturating_duration_since(tokio::time::Instant::now()));
        }
        if let Some(name) = request.request_id_header {
            builder = builder.header(name, request_id.to_string());
        }
        if let Some(token) = &token {
            let mut value = HeaderValue::from_str(&["Bearer ", token.expose_secret()].concat())
                .map_err(|_| Error::Config("the bearer token has characters a header cannot carry".into()))?;
            value.set_sensitive(true);
            builder = builder.header(AUTHORIZATION, value);
        }
        for (name, value) in &request.headers {
            let name = HeaderName::try_from(name.as_str())
                .map_err(|_| Error::invalid(name.as_str(), "is not a valid header name"))?;
            let value = HeaderValue::try_from(value.as_str())
                .map_err(|_| Error::invalid(name.as_str(), "has characters a header cannot carry"))?;
            builder = builder.header(name, value);
        }
        match &mut request.body {
            Some(Body::Bytes { data, content_type }) => {
                builder = builder.header(CONTENT_TYPE, content_type.as_str()).body(data.clone());
            }
            Some(Body::Multipart(form)) => builder = form.attach(builder)?,
            None => {}
        }
        // A streamed part is gone once sent: nothing can be retried after it.
        let can_resend = match &request.body {
            Some(Body::Multipart(form)) => form.rebuildable(),
            _ => true,
        };

        let sent = if options.streaming {
            match tokio::time::timeout_at(deadline, builder.send()).await {
                Ok(sent) => sent,
                Err(_) if can_resend && retries < max_retries => {
                    inner.sleep.sleep(retry::delay(retries, None, SystemTime::now())).await;
                    retries += 1;
                    continue;
                }
                Err(_) => return Err(Error::Timeout { request_id, source: None }),
            }
        } else {
            builder.send().await
        };
        let mut response = match sent {
            Ok(response) => response,
            Err(source) => {
                if can_resend && retries < max_retries && (source.is_timeout() || source.is_connect() || source.is_request())
                {
                    let wait = retry::delay(retries, None, SystemTime::now());
                    let reason = if source.is_timeout() { "timed out" } else { "could not connect or send" };
                    trace_retry(retries, wait, reason, None);
                    inner.sleep.sleep(wait).await;
                    retries += 1;
                    continue;
                }
                return Err(if source.is_timeout() {
                    Error::Timeout { request_id, source: Some(source) }
                } else {
                    Error::Connection { request_id, source }
                });
            }
        };
        let status = response.status();
        // Taken, not cloned: the body is read without them.
        let headers = std::mem::take(response.headers_mut());

        if status == StatusCode::UNAUTHORIZED && !renewed_token && can_resend {
            if let Some(token) = &token {
                if inner.auth.invalidate(token) {
                    tracing::debug!("401: fetching a new token and sending again");
                    renewed_token = true;
                    continue;
                }
            }
        }
        if !status.is_success() && can_resend && retries < max_retries && retry::should_retry(status, &headers) {
            let wait = retry::delay(retries, Some(&headers), SystemTime::now());
            trace_retry(retries, wait, "the status is one to retry", Some(status));
            inner.sleep.sleep(wait).await;
            retries += 1;
            continue;
        }

        if status.is_success() {
            return Ok(Started { response, status, headers, request_id, retries });
        }
        let read = if options.streaming {
            // Without a timeout of its own, the error body must still arrive in time.
            match tokio::time::timeout_at(deadline, response.bytes()).await {
                Ok(read) => read,
                Err(_) => return Err(Error::Timeout { request_id, source: None }),
            }
        } else {
            response.bytes().await
        };
        let body = match read {
            Ok(body) => body,
            Err(source) if source.is_timeout() => return Err(Error::Timeout { request_id, source: Some(source) }),
            Err(source) => return Err(Error::Connection { request_id, source }),
        };
        let text = String::from_utf8_lossy(&body).into_owned();
        let decoded = serde_json::from_slice(&body).ok();
        return Err(Error::from_status(ApiError { status, headers, request_id, body: decoded, text, retries }));
    }
}

/// One DEBUG event per retry, in the call's span: why, and how long it waits. Never a header or
/// a body: they may hold secrets.
fn trace_retry(retries: u32, wait: Duration, reason: &str, status: Option<StatusCode>) {
    let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
    let retry = retries + 1;
    match status {
        Some(status) => tracing::debug!(retry, status = status.as_u16(), wait_ms, reason, "retrying"),
        None => tracing::debug!(retry, wait_ms, reason, "retrying"),
    }
}

impl<T: Send + 'static> IntoFuture for Call<T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<T> std::fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("method", &self.request.method)
            .field("path", &self.request.path)
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}
