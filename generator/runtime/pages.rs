//! Paginated lists as a stream of their items, fetching each page when the items before it are
//! used up.
//!
//! Each page is a call of its own, sent like any other: retries, timeout, authentication, and a
//! request id of its own (the same on each retry of that page). Items are given only from a
//! page that arrived whole, so a retried page never repeats any. The list ends at an empty page,
//! at `has_more: false` where the page has it, where there is no next page to go to, and where
//! the server points back at the page it just gave. After an error the stream ends.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use reqwest::header::{HeaderMap, LINK};
use uuid::Uuid;

use crate::call::{self, CallOptions, Sent};
use crate::request::Request;
use crate::{Client, Error};

/// One page, as the generated code takes it apart.
pub(crate) struct Page<T> {
    pub(crate) items: Vec<T>,
    /// The cursor or URL of the next page, where the page gives one.
    pub(crate) next: Option<String>,
    /// The page's own word on whether another follows (`has_more`).
    pub(crate) more: Option<bool>,
}

/// Decodes a page's body and takes it apart.
pub(crate) type PageDecoder<T> = fn(&[u8]) -> Result<Page<T>, serde_json::Error>;

/// How the next page is asked for.
#[derive(Debug, Clone, Copy)]
#[allow(dead_code)] // a crate uses the rules of its API's lists
pub(crate) enum Rule {
    /// The `rel="next"` URL of the `Link` header.
    LinkHeader,
    /// The URL in [`Page::next`].
    NextUrl,
    /// [`Page::next`] sent as this query parameter.
    Cursor(&'static str),
    /// This query parameter moved past the page's items.
    Offset(&'static str),
    /// This query parameter counted up from 1.
    PageNumber(&'static str),
}

type InFlight = Pin<Box<dyn Future<Output = Result<Sent, Error>> + Send>>;

/// The items of a paginated list, as a [`Stream`]; [`Pages::next`] reads one without importing
/// a stream trait. Nothing is sent until the stream is read.
///
/// ```no_run
/// # async fn example(mut items: keycardai_api::Pages<serde_json::Value>) -> Result<(), keycardai_api::Error> {
/// while let Some(item) = items.next().await {
///     println!("{:?}", item?);
/// }
/// # Ok(()) }
/// ```
#[must_use = "a stream does nothing until it is read"]
pub struct Pages<T> {
    client: Client,
    decode: PageDecoder<T>,
    rule: Rule,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    /// The next page's request; `None` when there is none.
    next: Option<Request>,
    /// The request of the page in flight, to make the one after it from.
    current: Option<Request>,
    in_flight: Option<InFlight>,
    items: VecDeque<T>,
    /// An error to give once the items before it are taken.
    failed: Option<Error>,
}

// No field is pinned: the page in flight is boxed.
impl<T> Unpin for Pages<T> {}

impl<T> Pages<T> {
    #[allow(dead_code)] // in a crate without paginated lists
    pub(crate) fn new(client: &Client, first: Request, rule: Rule, decode: PageDecoder<T>) -> Self {
        Self {
            client: client.clone(),
            decode,
            rule,
            timeout: None,
            max_retries: None,
            next: Some(first),
            current: None,
            in_flight: None,
            items: VecDeque::new(),
            failed: None,
        }
    }

    /// Time limit for each attempt of each page, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How many times each page is retried, instead of the client's setting.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// Adds a header to every page's request.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        if let Some(request) = &mut self.next {
            request.headers.push((name.into(), value.into()));
        }
        self
    }

    /// The next item; `None` when the list has ended.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The items one by one from code that is not async (the `blocking` feature), fetching pages
    /// as they are needed.
    #[cfg(feature = "blocking")]
    pub fn blocking_iter(self) -> crate::blocking::BlockingIter<Self> {
        crate::blocking::BlockingIter::new(self)
    }

    /// The request after `current`, given the page it brought; `None` at the end of the list.
    fn after(&self, mut current: Request, headers: &HeaderMap, page: &Page<T>) -> Result<Option<Request>, Error> {
        if page.more == Some(false) {
            return Ok(None);
        }
        let next = page.next.as_deref().filter(|next| !next.is_empty());
        match self.rule {
            _ if page.items.is_empty() => Ok(None),
            Rule::Offset(param) => {
                let offset = current.query_value(param).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
                current.set_query(param, (offset + page.items.len() as u64).to_string());
                Ok(Some(current))
            }
            Rule::PageNumber(param) => {
                let number = current.query_value(param).and_then(|v| v.parse::<u64>().ok()).unwrap_or(1);
                current.set_query(param, (number + 1).to_string());
                Ok(Some(current))
            }
            Rule::Cursor(param) => match next {
                Some(cursor) if current.query_value(param) != Some(cursor) => {
                    current.set_query(param, cursor.to_owned());
                    Ok(Some(current))
                }
                _ => Ok(None),
            },
            Rule::NextUrl => next.map(|url| self.follow(current, url)).transpose(),
            Rule::LinkHeader => next_link(headers).map(|url| self.follow(current, &url)).transpose(),
        }
    }

    /// `current` sent to `url` instead, which must be under the client's base URL: the
    /// credentials go nowhere else.
    fn follow(&self, mut current: Request, url: &str) -> Result<Request, Error> {
        let base = self.client.base_url().trim_end_matches('/');
        let refused = || Error::invalid("next page", format!("`{url}` is not under the base URL `{base}`; not followed"));
        let target = reqwest::Url::parse(&format!("{base}/")).and_then(|b| b.join(url)).map_err(|_| refused())?;
        let mut without_query = target.clone();
        without_query.set_query(None);
        without_query.set_fragment(None);
        let path = without_query.as_str().strip_prefix(base).ok_or_else(refused)?;
        if !(path.is_empty() || path.starts_with('/')) {
            return Err(refused());
        }
        current.path = path.to_owned();
        current.query = target.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        Ok(current)
    }

    fn send(&mut self, request: Request) {
        self.current = request.try_clone();
        let options = CallOptions {
            request_id: Uuid::new_v4(),
            timeout: self.timeout,
            max_retries: self.max_retries,
            streaming: false,
        };
        self.in_flight = Some(Box::pin(call::send(self.client.clone(), request, options)));
    }
}

#[cfg(feature = "blocking")]
impl<T> crate::blocking::NextItem for Pages<T> {
    type Item = T;
    fn next_item(&mut self) -> impl std::future::Future<Output = Option<Result<T, Error>>> {
        self.next()
    }
}

impl<T> Stream for Pages<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.items.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(error) = this.failed.take() {
                return Poll::Ready(Some(Err(error)));
            }
            if let Some(in_flight) = this.in_flight.as_mut() {
                let sent = match in_flight.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(sent) => sent,
                };
                this.in_flight = None;
                let current = this.current.take();
                let sent = match sent {
                    Ok(sent) => sent,
                    Err(error) => return Poll::Ready(Some(Err(error))),
                };
                let page = match (this.decode)(&sent.body) {
                    Ok(page) => page,
                    Err(source) => {
                        let (status, request_id) = (sent.status, sent.request_id);
                        return Poll::Ready(Some(Err(Error::Decode { status, request_id, source })));
                    }
                };
                // The page's items come before an error about where to go next.
                match current.map(|current| this.after(current, &sent.headers, &page)) {
                    Some(Ok(next)) => this.next = next,
                    Some(Err(error)) => this.failed = Some(error),
                    None => {}
                }
                this.items.extend(page.items);
                continue;
            }
            match this.next.take() {
                Some(request) => this.send(request),
                None => return Poll::Ready(None),
            }
        }
    }
}

impl<T> std::fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").field("rule", &self.rule).field("buffered", &self.items.len()).finish_non_exhaustive()
    }
}

/// The `rel="next"` target of the `Link` headers (RFC 8288).
fn next_link(headers: &HeaderMap) -> Option<String> {
    for value in headers.get_all(LINK) {
        let Ok(text) = value.to_str() else { continue };
        let mut rest = text;
        while let Some(open) = rest.find('<') {
            let Some(close) = rest[open..].find('>').map(|c| open + c) else { break };
            let target = &rest[open + 1..close];
            let params_end = rest[close..].find('<').map_or(rest.len(), |next| close + next);
            // The parameters, without the `,` before the next link.
            let params = rest[close + 1..params_end].trim_end().trim_end_matches(',');
            let is_next = params.split(';').filter_map(|p| p.split_once('=')).any(|(key, value)| {
                key.trim().eq_ignore_ascii_case("rel")
                    && value.trim().trim_matches('"').split_ascii_whitespace().any(|rel| rel.eq_ignore_ascii_case("next"))
            });
            if is_next {
                return Some(target.to_owned());
            }
            rest = &rest[params_end..];
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(LINK, value.parse().unwrap());
        headers
    }

    #[test]
    fn the_next_link_is_found_among_others() {
        let github = r#"<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=3>; rel="next", <https://api.github.com/x?page=9>; rel="last""#;
        assert_eq!(next_link(&link(github)).as_deref(), Some("https://api.github.com/x?page=3"));
        assert_eq!(next_link(&link("</a,b?c=1>; title=\"x, y\"; rel=\"prefetch next\"")).as_deref(), Some("/a,b?c=1"));
        assert_eq!(next_link(&link("<https://x/1>; rel=\"prev\"")), None);
        assert_eq!(next_link(&HeaderMap::new()), None);
    }
}
