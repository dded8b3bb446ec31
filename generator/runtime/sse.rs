//! Server-sent events: an operation whose response is `text/event-stream` gives a stream of
//! typed events.
//!
//! The call is sent like any other (retries, timeout, request id, authentication), up to the
//! response's headers: an error before the stream starts is the usual [`Error`]. The body is
//! then read as it arrives by `eventsource-stream`, which follows the HTML standard's parsing
//! rules (comments and keep-alives skipped, `id:` kept across events, `retry:` read, events
//! split across chunks put together). Each event's `data:` is decoded; one that does not decode
//! is an error item and the stream goes on. A server that closes the connection inside an event
//! gives an error item instead of ending quietly. The call's timeout then limits how long the
//! stream may stay silent (keep-alives count), not how long it may last. Dropping the stream
//! closes the connection.
//!
//! The stream does not reconnect by itself (the request could be a `POST` that must not run
//! twice): resume with [`EventCall::last_event_id`] and [`EventStream::last_event_id`], after
//! [`EventStream::retry`] if the server asked for a wait.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use eventsource_stream::{EventStreamError, Eventsource};
use futures_core::Stream;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::call::{self, Started};
use crate::request::Request;
use crate::{Call, Client, Error, ToParam};

/// Reads an event's `data:`, given its `event:` name, into the stream's item type.
pub(crate) type EventDecoder<T> = fn(&str, &str) -> Result<T, serde_json::Error>;

/// Events whose data is JSON of one type.
#[allow(dead_code)] // in a crate whose events are all text or named
pub(crate) fn decode_json<T: DeserializeOwned>(_event: &str, data: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(data)
}

/// Events whose data is text.
#[allow(dead_code)]
pub(crate) fn decode_text(_event: &str, data: &str) -> Result<String, serde_json::Error> {
    Ok(data.to_owned())
}

/// One server-sent event.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The `event:` name; `message` when the server gave none.
    pub name: String,
    /// The last `id:` the server gave, with this event or before it: where to resume from.
    pub id: Option<String>,
    /// The decoded `data:`.
    pub data: T,
}

/// A call of an operation that answers with server-sent events, not sent yet. `.await` it to
/// start the stream; set per-call options first if you need them.
///
/// ```no_run
/// # async fn example(call: keycardai_api::EventCall<serde_json::Value>) -> Result<(), keycardai_api::Error> {
/// let mut events = call.timeout(std::time::Duration::from_secs(30)).await?;
/// while let Some(event) = events.next().await {
///     let event = event?;
///     println!("{}: {:?}", event.name, event.data);
/// }
/// # Ok(()) }
/// ```
#[must_use = "a call does nothing until it is awaited"]
pub struct EventCall<T> {
    call: Call<()>,
    decode: EventDecoder<T>,
    terminator: Option<&'static str>,
}

impl<T: Send + 'static> EventCall<T> {
    #[allow(dead_code)] // in a crate without events
    pub(crate) fn new(
        client: &Client,
        request: Request,
        decode: EventDecoder<T>,
        terminator: Option<&'static str>,
    ) -> Self {
        let call = Call::with_decoder(client, request, |_, _| Ok(())).header("accept", "text/event-stream");
        Self { call, decode, terminator }
    }

    /// Use this id for the call instead of a fresh UUID (sent on every retry).
    pub fn request_id(self, id: Uuid) -> Self {
        Self { call: self.call.request_id(id), ..self }
    }

    /// Time limit for each attempt to get the response's headers, and then for each silence
    /// of the stream, instead of the client's timeout.
    pub fn timeout(self, timeout: Duration) -> Self {
        Self { call: self.call.timeout(timeout), ..self }
    }

    /// How many times starting the stream is retried, instead of the client's setting.
    pub fn max_retries(self, retries: u32) -> Self {
        Self { call: self.call.max_retries(retries), ..self }
    }

    /// Adds a header to this call.
    pub fn header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        Self { call: self.call.header(name, value), ..self }
    }

    /// Adds a query parameter to this call.
    pub fn query(self, name: impl Into<String>, value: impl ToParam) -> Self {
        Self { call: self.call.query(name, value), ..self }
    }

    /// Asks the server to resume after the event with this id (`Last-Event-ID`).
    pub fn last_event_id(self, id: impl Into<String>) -> Self {
        self.header("last-event-id", id)
    }

    /// Sends the call and returns the stream of events once the response has started.
    pub async fn send(self) -> Result<EventStream<T>, Error> {
        let EventCall { call, decode, terminator } = self;
        let (client, request, options) = call.into_parts(true);
        let silence = options.timeout.unwrap_or(client.inner.timeout);
        let Started { response, status, headers, request_id, retries } =
            call::start(client, request, options).await?;
        let ended = Arc::new(AtomicBool::new(false));
        let body = Body {
            bytes: Box::pin(response.bytes_stream()),
            silence,
            timer: Box::pin(tokio::time::sleep(silence)),
            ended: ended.clone(),
            done: false,
        };
        Ok(EventStream {
            events: Some(Box::pin(body.eventsource())),
            ended,
            decode,
            terminator,
            status,
            headers,
            request_id,
            retries,
            last_event_id: None,
            retry: None,
        })
    }
}

impl<T: Send + 'static> IntoFuture for EventCall<T> {
    type Output = Result<EventStream<T>, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<T> std::fmt::Debug for EventCall<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventCall").field("call", &self.call).finish_non_exhaustive()
    }
}

type Frames = Pin<Box<dyn Stream<Item = Result<eventsource_stream::Event, EventStreamError<Interrupted>>> + Send>>;

/// The events of a response, as they arrive. A [`Stream`]; [`EventStream::next`] reads one
/// without importing a stream trait.
#[must_use = "a stream does nothing until it is read"]
pub struct EventStream<T> {
    /// `None` once the stream has ended: dropping it closes the connection.
    events: Option<Frames>,
    /// Set when the body has ended: an event completed after that was cut off.
    ended: Arc<AtomicBool>,
    decode: EventDecoder<T>,
    terminator: Option<&'static str>,
    status: StatusCode,
    headers: HeaderMap,
    request_id: Uuid,
    retries: u32,
    last_event_id: Option<String>,
    retry: Option<Duration>,
}

#[cfg(feature = "blocking")]
impl<T: Send + 'static> EventCall<T> {
    /// [`EventCall::send`] from code that is not async: the events come as an iterator.
    pub fn send_blocking(self) -> Result<crate::blocking::BlockingIter<EventStream<T>>, Error> {
        crate::blocking::block_on(self.send())?.map(crate::blocking::BlockingIter::new)
    }
}

#[cfg(feature = "blocking")]
impl<T> crate::blocking::NextItem for EventStream<T> {
    type Item = Event<T>;
    fn next_item(&mut self) -> impl Future<Output = Option<Result<Event<T>, Error>>> {
        self.next()
    }
}

impl<T> EventStream<T> {
    /// The next event; `None` when the stream has ended.
    pub async fn next(&mut self) -> Option<Result<Event<T>, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The id the call carried.
    pub fn request_id(&self) -> Uuid {
        self.request_id
    }

    /// How many times starting the stream was retried.
    pub fn retries(&self) -> u32 {
        self.retries
    }

    /// The last `id:` the server gave: pass it to [`EventCall::last_event_id`] to resume.
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_event_id.as_deref()
    }

    /// The wait before reconnecting that the server last asked for (`retry:`).
    pub fn retry(&self) -> Option<Duration> {
        self.retry
    }

    fn problem(&self, message: String) -> Error {
        let source = <serde_json::Error as serde::de::Error>::custom(message);
        Error::Decode { status: self.status, request_id: self.request_id, source }
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<Event<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let Some(events) = this.events.as_mut() else { return Poll::Ready(None) };
        let next = match events.as_mut().poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(next) => next,
        };
        let event = match next {
            Some(Ok(event)) => event,
            None => {
                this.events = None;
                return Poll::Ready(None);
            }
            Some(Err(error)) => {
                this.events = None;
                let request_id = this.request_id;
                return Poll::Ready(Some(Err(match error {
                    EventStreamError::Transport(Interrupted::Connection(source)) if source.is_timeout() => {
                        Error::Timeout { request_id, source: Some(source) }
                    }
                    EventStreamError::Transport(Interrupted::Connection(source)) => {
                        Error::Connection { request_id, source }
                    }
                    EventStreamError::Transport(Interrupted::Silence) => Error::Timeout { request_id, source: None },
                    EventStreamError::Utf8(error) => this.problem(format!("the event stream is not UTF-8: {error}")),
                    EventStreamError::Parser(error) => this.problem(format!("the event stream is malformed: {error}")),
                })));
            }
        };
        if let Some(retry) = event.retry {
            this.retry = Some(retry);
        }
        this.last_event_id = (!event.id.is_empty()).then(|| event.id.clone());
        let place = match &this.last_event_id {
            Some(id) => format!("event `{}` (after id `{id}`)", event.event),
            None => format!("event `{}`", event.event),
        };
        if this.ended.load(Ordering::Acquire) {
            this.events = None;
            return Poll::Ready(Some(Err(
                this.problem(format!("the server closed the stream in the middle of {place}"))
            )));
        }
        if this.terminator == Some(event.data.as_str()) {
            this.events = None;
            return Poll::Ready(None);
        }
        // The data may hold secrets: the message names the event, never its data.
        Poll::Ready(Some(match (this.decode)(&event.event, &event.data) {
            Ok(data) => Ok(Event { name: event.event, id: this.last_event_id.clone(), data }),
            Err(error) => Err(this.problem(format!("the data of {place} does not decode: {error}"))),
        }))
    }
}

impl<T> std::fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("last_event_id", &self.last_event_id)
            .finish_non_exhaustive()
    }
}

/// Why the body stopped before its end.
#[derive(Debug)]
enum Interrupted {
    Connection(reqwest::Error),
    /// Nothing arrived for longer than the call's timeout.
    Silence,
}

/// The response body for the parser, ending with a blank line (so that an event cut off by
/// the end of the body is parsed, and recognised as cut off through `ended`), or an error when
/// the server stays silent too long.
struct Body {
    bytes: Pin<Box<dyn Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    silence: Duration,
    timer: Pin<Box<tokio::time::Sleep>>,
    ended: Arc<AtomicBool>,
    done: bool,
}

impl Stream for Body {
    type Item = Result<bytes::Bytes, Interrupted>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        match this.bytes.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                let deadline = tokio::time::Instant::now() + this.silence;
                this.timer.as_mut().reset(deadline);
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(error))) => {
                this.done = true;
                Poll::Ready(Some(Err(Interrupted::Connection(error))))
            }
            Poll::Ready(None) => {
                this.done = true;
                this.ended.store(true, Ordering::Release);
                Poll::Ready(Some(Ok(bytes::Bytes::from_static(b"\n\n"))))
            }
            Poll::Pending => match this.timer.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    this.done = true;
                    Poll::Ready(Some(Err(Interrupted::Silence)))
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Interrupted::Connection(error) => write!(f, "{error}"),
            Interrupted::Silence => f.write_str("the stream stayed silent too long"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every event of `text`, with the body cut into chunks at each pair of places.
    async fn parse_split_everywhere(text: &str) -> Vec<Vec<(String, String, String)>> {
        let bytes = text.as_bytes();
        let mut outcomes = Vec::new();
        for first in 0..=bytes.len() {
            for second in first..=bytes.len() {
                let chunks = [&bytes[..first], &bytes[first..second], &bytes[second..]]
                    .map(|chunk| Ok::<_, std::convert::Infallible>(bytes::Bytes::copy_from_slice(chunk)));
                let mut stream = Box::pin(futures_util::stream::iter(chunks).eventsource());
                let mut events = Vec::new();
                while let Some(event) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
                    let event = event.expect("parses");
                    events.push((event.event, event.id, event.data));
                }
                outcomes.push(events);
            }
        }
        outcomes
    }

    #[tokio::test]
    async fn events_split_at_any_place_parse_the_same() {
        let text = ": keep-alive\n\nevent: delta\nid: 7\ndata: {\"text\":\"h\u{e9}\"}\n\ndata: a\r\ndata: b\r\n\r\n";
        let expected = vec![
            ("delta".to_owned(), "7".to_owned(), "{\"text\":\"h\u{e9}\"}".to_owned()),
            ("message".to_owned(), "7".to_owned(), "a\nb".to_owned()),
        ];
        for events in parse_split_everywhere(text).await {
            assert_eq!(events, expected);
        }
    }
}
