//! The one error type of the client.

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use uuid::Uuid;

/// Everything that can go wrong with a call. Match on it to handle a case; every variant
/// carries what there is to know (status, headers, request id, the decoded error body).
/// Response details are boxed to keep `Result<T, Error>` small.
///
/// No variant ever contains a secret value: credentials and `format: password` fields are
/// redacted wherever they could appear.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 400: the server rejected the request as malformed.
    #[error("bad request: {0}")]
    BadRequest(Box<ApiError>),
    /// 401: missing or invalid credentials.
    #[error("authentication failed: {0}")]
    Authentication(Box<ApiError>),
    /// 403: the credentials do not allow this.
    #[error("permission denied: {0}")]
    PermissionDenied(Box<ApiError>),
    /// 404: no such resource.
    #[error("not found: {0}")]
    NotFound(Box<ApiError>),
    /// 409: the request conflicts with the resource's current state.
    #[error("conflict: {0}")]
    Conflict(Box<ApiError>),
    /// 422: the request was well-formed but its content was refused.
    #[error("unprocessable entity: {0}")]
    UnprocessableEntity(Box<ApiError>),
    /// 429: too many requests; retried automatically before this is returned.
    #[error("rate limited: {0}")]
    RateLimit(Box<ApiError>),
    /// 5xx: the server failed; retried automatically before this is returned.
    #[error("server error: {0}")]
    InternalServer(Box<ApiError>),
    /// Any other status that is not a success.
    #[error("unexpected status: {0}")]
    Status(Box<ApiError>),

    /// The server, or the OAuth2 token endpoint the call needed a token from, could not be
    /// reached, or the connection broke; retried automatically before this is returned.
    #[error("connection failed (request id {request_id}): {source}")]
    Connection {
        /// The `X-Client-Request-ID`-style id this call carried.
        request_id: Uuid,
        /// What the HTTP stack reported.
        #[source]
        source: reqwest::Error,
    },
    /// An attempt took longer than the call's timeout; retried automatically before this is
    /// returned. Getting an access token is part of an attempt: the token request, and waiting
    /// for another call's token refresh, count against the same timeout.
    #[error("timed out (request id {request_id})")]
    Timeout {
        /// The id this call carried.
        request_id: Uuid,
        /// What the HTTP stack reported when a request (the call's, or the token request it
        /// needed) ran out of time; `None` when the time ran out waiting for another call's
        /// token refresh, which sent nothing for this call.
        #[source]
        source: Option<reqwest::Error>,
    },
    /// The request was not sent: an argument breaks the API document's rules.
    #[error("invalid request: `{field}` {reason}")]
    InvalidRequest {
        /// The argument or field, e.g. `body.description`.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The response arrived but its body is not what the API document says.
    #[error("could not decode the {status} response (request id {request_id}): {source}")]
    Decode {
        /// The HTTP status of the response.
        status: StatusCode,
        /// The id this call carried.
        request_id: Uuid,
        /// What did not match.
        #[source]
        source: serde_json::Error,
    },
    /// The client is not set up right (missing credentials, a bad base URL, ...).
    #[error("client configuration: {0}")]
    Config(String),
    /// The OAuth2 token endpoint did not give an access token: it refused the credentials
    /// (400, 401, ...; not retried), kept failing with a status a call would retry (408, 429,
    /// 5xx, ...; retried like a call before this is returned), or answered without a usable
    /// token. Timeouts and connection failures
    /// while getting a token are [`Error::Timeout`] and [`Error::Connection`].
    #[error("could not get an access token: {message}")]
    Token {
        /// The token endpoint's HTTP status, when it answered.
        status: Option<StatusCode>,
        /// What went wrong: the token URL, and the endpoint's answer. Never the client secret
        /// or a token.
        message: String,
    },
}

impl Error {
    /// The response's error details, for errors that come with an HTTP status.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::BadRequest(e)
            | Error::Authentication(e)
            | Error::PermissionDenied(e)
            | Error::NotFound(e)
            | Error::Conflict(e)
            | Error::UnprocessableEntity(e)
            | Error::RateLimit(e)
            | Error::InternalServer(e)
            | Error::Status(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, when the server answered. A status of the token endpoint is in
    /// [`Error::Token`], not here.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Decode { status, .. } => Some(*status),
            other => other.api_error().map(|e| e.status),
        }
    }

    /// The request id the call carried, when it got as far as being sent.
    pub fn request_id(&self) -> Option<Uuid> {
        match self {
            Error::Connection { request_id, .. } | Error::Timeout { request_id, .. } | Error::Decode { request_id, .. } => {
                Some(*request_id)
            }
            other => other.api_error().map(|e| e.request_id),
        }
    }

    /// Sorts an unsuccessful response into its variant.
    pub(crate) fn from_status(error: ApiError) -> Self {
        let error = Box::new(error);
        match error.status.as_u16() {
            400 => Error::BadRequest(error),
            401 => Error::Authentication(error),
            403 => Error::PermissionDenied(error),
            404 => Error::NotFound(error),
            409 => Error::Conflict(error),
            422 => Error::UnprocessableEntity(error),
            429 => Error::RateLimit(error),
            500..=599 => Error::InternalServer(error),
            _ => Error::Status(error),
        }
    }

    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidRequest { field: field.into(), reason: reason.into() }
    }
}

/// An unsuccessful response: status, headers, the request id, and the body.
#[derive(Debug)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The id this call carried, also sent to the server.
    pub request_id: Uuid,
    /// The body, decoded as the API document's error schema, when it decodes.
    pub body: Option<crate::ErrorBody>,
    /// The body as text, whether or not it decoded.
    pub text: String,
    /// How many times the call was retried before giving up.
    pub retries: u32,
}

/// How much of an error body goes into a `Display` message.
const MESSAGE_BODY_LIMIT: usize = 200;

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {} (request id {})", self.status, self.request_id)?;
        let text = self.text.trim();
        if !text.is_empty() {
            let cut = text.char_indices().nth(MESSAGE_BODY_LIMIT).map_or(text.len(), |(i, _)| i);
            let ellipsis = if cut < text.len() { "..." } else { "" };
            write!(f, ": {}{ellipsis}", &text[..cut])?;
        }
        Ok(())
    }
}
