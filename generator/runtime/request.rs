//! A request as the generated operation methods describe it, before it is sent.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use crate::{Error, ToParam};

/// Everything but RFC 3986's unreserved characters is encoded in a path segment, so a value
/// can never add a segment (`/`), a query (`?`) or a fragment (`#`).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A request body, ready to send.
pub(crate) enum Body {
    /// Encoded already: can be sent again on a retry.
    Bytes { data: Vec<u8>, content_type: String },
    /// A multipart form, built anew for each attempt.
    Multipart(Box<dyn FormSource>),
}

/// A `multipart/form-data` body: this module does not name the form types, so that crates
/// without forms build reqwest without its multipart support.
pub(crate) trait FormSource: Send {
    /// Puts the form on one attempt's request.
    fn attach(&mut self, builder: reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder, Error>;
    /// Whether the form can be attached again: not once a part read from a stream was sent.
    fn rebuildable(&self) -> bool;
}

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
    pub(crate) body: Option<Body>,
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
            // Room for the template's parameters to be filled in without growing twice.
            path: String::with_capacity(path_template.len() + 32),
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
            Ok(data) => self.body = Some(Body::Bytes { data, content_type: "application/json".into() }),
            Err(err) => self.fail(Error::invalid("body", format!("cannot be serialized as JSON: {err}"))),
        }
    }

    /// `application/x-www-form-urlencoded`: the body's fields as `key=value` pairs.
    pub(crate) fn form_body<B: Serialize + ?Sized>(&mut self, body: &B) {
        match serde_urlencoded::to_string(body) {
            Ok(text) => {
                let content_type = "application/x-www-form-urlencoded".into();
                self.body = Some(Body::Bytes { data: text.into_bytes(), content_type });
            }
            Err(err) => self.fail(Error::invalid("body", format!("cannot be serialized as a form: {err}"))),
        }
    }

    /// A body sent as it is (text or bytes) with its media type.
    pub(crate) fn raw_body(&mut self, data: impl Into<Vec<u8>>, content_type: &str) {
        self.body = Some(Body::Bytes { data: data.into(), content_type: content_type.to_owned() });
    }

    pub(crate) fn multipart_body(&mut self, form: impl FormSource + 'static) {
        self.body = Some(Body::Multipart(Box::new(form)));
    }

    /// Adds a cookie to the `Cookie` header.
    pub(crate) fn cookie<V: ToParam + ?Sized>(&mut self, name: &str, value: &V) {
        let pair = format!("{name}={}", value.to_param());
        match self.headers.iter_mut().find(|(header, _)| header.eq_ignore_ascii_case("cookie")) {
            Some((_, cookies)) => {
                cookies.push_str("; ");
                cookies.push_str(&pair);
            }
            None => self.headers.push(("cookie".to_owned(), pair)),
        }
    }

    /// An array query parameter in one of OpenAPI's styles: repeated (`form`, exploded) or
    /// joined by `,`, ` ` or `|`.
    pub(crate) fn query_list<V: ToParam>(&mut self, name: &str, values: &[V], separator: Option<char>) {
        match separator {
            None => values.iter().for_each(|value| self.query(name, value)),
            Some(separator) => {
                let joined = values.iter().map(ToParam::to_param).collect::<Vec<_>>().join(&separator.to_string());
                self.query.push((name.to_owned(), joined));
            }
        }
    }

    /// An object query parameter: `deepObject` (`name[key]=value`) or exploded `form`
    /// (`key=value`).
    pub(crate) fn query_object<V: Serialize + ?Sized>(&mut self, name: &str, value: &V, deep: bool) {
        let fields = match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(fields)) => fields,
            Ok(other) => return self.query.push((name.to_owned(), other.to_param())),
            Err(err) => return self.fail(Error::invalid(name, format!("cannot be serialized: {err}"))),
        };
        for (key, field) in fields {
            let key = if deep { format!("{name}[{key}]") } else { key };
            let text = match field {
                serde_json::Value::String(text) => text,
                serde_json::Value::Null => continue,
                other => other.to_string(),
            };
            self.query.push((key, text));
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

    /// A copy to send again (the next page of a list); `None` for a request that can be sent
    /// only once (a multipart body) or not at all (a problem was found).
    pub(crate) fn try_clone(&self) -> Option<Request> {
        let body = match &self.body {
            None => None,
            Some(Body::Bytes { data, content_type }) => {
                Some(Body::Bytes { data: data.clone(), content_type: content_type.clone() })
            }
            Some(Body::Multipart(_)) => return None,
        };
        if self.error.is_some() {
            return None;
        }
        Some(Request {
            method: self.method.clone(),
            path_template: self.path_template,
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body,
            request_id_header: self.request_id_header,
            error: None,
        })
    }

    /// The value of the query parameter `name`, if it has one.
    pub(crate) fn query_value(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// Sets the query parameter `name` to `value` alone.
    pub(crate) fn set_query(&mut self, name: &str, value: String) {
        self.query.retain(|(key, _)| key != name);
        self.query.push((name.to_owned(), value));
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
