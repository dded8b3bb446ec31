//! A request as the generated operation methods describe it, before it is sent.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use crate::{Error, ToParam};

/// Everything but RFC 3986's unreserved characters is encoded in a path segment, so a value
/// can never add a segment (`/`), a query (`?`) or a fragment (`#`).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// One request: filled in by a generated method, sent by [`Call`](crate::Call).
///
/// A problem found while filling it in (an empty path parameter, a body that does not
/// serialize) is kept and returned when the call is awaited, before anything is sent.
/// Deliberately not `Debug`: the body may hold secret values.
pub(crate) struct Request {
    pub(crate) method: reqwest::Method,
    /// The path as the API document writes it, e.g. `/zones/{zone_id}/secrets`: for traces.
    pub(crate) path_template: &'static str,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) request_id_header: Option<&'static str>,
    pub(crate) error: Option<Error>,
}

// Which of these a crate uses depends on its API document (not every API has header
// parameters or request bodies).
#[allow(dead_code)]
impl Request {
    pub(crate) fn new(method: reqwest::Method, path_template: &'static str) -> Self {
        Self {
            method,
            path_template,
            path: String::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            request_id_header: None,
            error: None,
        }
    }

    pub(crate) fn path_literal(&mut self, text: &str) {
        self.path.push_str(text);
    }

    /// Appends a percent-encoded path parameter; empty values and `.`/`..` are refused,
    /// because they would change which resource the path names.
    pub(crate) fn path_param<V: ToParam + ?Sized>(&mut self, name: &str, value: &V) {
        let value = value.to_param();
        if value.is_empty() {
            self.fail(Error::invalid(name, "must not be empty"));
        } else if value == "." || value == ".." {
            self.fail(Error::invalid(name, format!("must not be `{value}`")));
        }
        self.path.extend(utf8_percent_encode(&value, PATH_SEGMENT));
    }

    pub(crate) fn query<V: ToParam + ?Sized>(&mut self, name: &str, value: &V) {
        self.query.push((name.to_owned(), value.to_param()));
    }

    pub(crate) fn header<V: ToParam + ?Sized>(&mut self, name: &str, value: &V) {
        self.headers.push((name.to_owned(), value.to_param()));
    }

    pub(crate) fn json_body<B: Serialize + ?Sized>(&mut self, body: &B) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(bytes),
            Err(err) => self.fail(Error::invalid("body", format!("cannot be serialized: {err}"))),
        }
    }

    /// Names the header that carries the per-call request id.
    pub(crate) fn request_id_header(&mut self, name: &'static str) {
        self.request_id_header = Some(name);
    }

    /// Records the outcome of a client-side check.
    pub(crate) fn check(&mut self, outcome: Result<(), Error>) {
        if let Err(error) = outcome {
            self.fail(error);
        }
    }

    /// Keeps the first problem found.
    pub(crate) fn fail(&mut self, error: Error) {
        self.error.get_or_insert(error);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_are_encoded_as_one_segment() {
        let mut request = Request::new(reqwest::Method::GET, "/zones/{id}");
        request.path_literal("/zones/");
        request.path_param("id", "../admin?x=1#f g/é");
        assert_eq!(request.path, "/zones/..%2Fadmin%3Fx%3D1%23f%20g%2F%C3%A9");
        assert!(request.error.is_none());
    }

    #[test]
    fn empty_and_dot_segments_are_refused() {
        for bad in ["", ".", ".."] {
            let mut request = Request::new(reqwest::Method::GET, "/zones/{id}");
            request.path_param("id", bad);
            let error = request.error.expect("refused");
            assert!(matches!(&error, Error::InvalidRequest { field, .. } if field == "id"), "{error}");
        }
    }
}
