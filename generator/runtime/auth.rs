//! Credentials: a fixed bearer token, or OAuth2 client credentials exchanged for access
//! tokens that are cached and refreshed shortly before they expire.
//!
//! Getting a token is part of a call's attempt: the token request carries what is left of the
//! attempt's time, waiting for another call's refresh ends at the same deadline, and failures
//! say whether another attempt may help, so the call's retry loop can retry them.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;
use serde::Deserialize;
use uuid::Uuid;

use crate::{retry, Error, SensitiveString};

/// Refresh this long before the token expires, so a request never carries a token that
/// expires on the way.
const REFRESH_MARGIN: Duration = Duration::from_secs(30);
/// Lifetime assumed when the token endpoint does not say.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(300);

/// How requests are signed.
#[derive(Debug)]
pub(crate) enum Auth {
    None,
    Bearer(SensitiveString),
    ClientCredentials(TokenSource),
}

/// Why no token could be had.
#[derive(Debug)]
pub(crate) enum TokenError {
    /// Another attempt may succeed: the attempt ran out of time, the connection failed, or the
    /// token endpoint answered a status the retry rules retry (its headers may say how long
    /// to wait).
    Transient { error: Error, headers: Option<HeaderMap> },
    /// Another attempt would fail the same way: the credentials were refused, or the answer
    /// carries no usable token.
    Permanent(Error),
}

impl Auth {
    /// The bearer token for the attempt of call `request_id` that must end by `deadline`,
    /// fetching one if needed.
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
        deadline: tokio::time::Instant,
        request_id: Uuid,
    ) -> Result<Option<SensitiveString>, TokenError> {
        match self {
            Auth::None => Ok(None),
            Auth::Bearer(token) => Ok(Some(token.clone())),
            Auth::ClientCredentials(source) => match source.fresh() {
                Some(token) => Ok(Some(token)),
                // Fetching is a whole HTTP exchange of its own: boxed, so that the future of
                // every call does not carry room for one.
                None => Box::pin(source.token(http, deadline, request_id)).await.map(Some),
            },
        }
    }

    /// After a 401: forget `rejected` so the next [`Auth::token`] fetches a new one.
    /// Returns whether a retry can help (only fetched tokens can be renewed).
    pub(crate) fn invalidate(&self, rejected: &SensitiveString) -> bool {
        match self {
            Auth::ClientCredentials(source) => {
                let mut cached = source.cached();
                if cached.as_ref().is_some_and(|c| c.token == *rejected) {
                    *cached = None;
                }
                true
            }
            Auth::None | Auth::Bearer(_) => false,
        }
    }
}

/// OAuth2 client credentials and the token they were last exchanged for.
#[derive(Debug)]
pub(crate) struct TokenSource {
    pub(crate) token_url: String,
    pub(crate) client_id: String,
    pub(crate) client_secret: SensitiveString,
    /// The current token. Only ever locked briefly, never across an `.await`.
    cached: Mutex<Option<CachedToken>>,
    /// Held while fetching, so concurrent calls share one refresh instead of each fetching a
    /// token. Released when the fetching call finishes, fails, times out or is dropped; the
    /// next waiter then finds the new token, or fetches one itself.
    refresh: tokio::sync::Mutex<()>,
}

#[derive(Debug)]
struct CachedToken {
    token: SensitiveString,
    refresh_at: Instant,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: SensitiveString,
    expires_in: Option<u64>,
}

impl TokenSource {
    pub(crate) fn new(token_url: String, client_id: String, client_secret: SensitiveString) -> Self {
        Self { token_url, client_id, client_secret, cached: Mutex::new(None), refresh: tokio::sync::Mutex::new(()) }
    }

    fn cached(&self) -> std::sync::MutexGuard<'_, Option<CachedToken>> {
        // The guarded code cannot leave the cache half-written, so a poisoned lock is fine.
        self.cached.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The cached token, unless it is due for a refresh.
    fn fresh(&self) -> Option<SensitiveString> {
        self.cached().as_ref().filter(|c| Instant::now() < c.refresh_at).map(|c| c.token.clone())
    }

    async fn token(
        &self,
        http: &reqwest::Client,
        deadline: tokio::time::Instant,
        request_id: Uuid,
    ) -> Result<SensitiveString, TokenError> {
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        // Another call may be fetching: wait for it, but only as long as this attempt may take.
        let _refreshing = tokio::time::timeout_at(deadline, self.refresh.lock())
            .await
            .map_err(|_| TokenError::Transient { error: Error::Timeout { request_id, source: None }, headers: None })?;
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let fetched = self.fetch(http, deadline, request_id).await?;
        let token = fetched.access_token.clone();
        let lifetime = fetched.expires_in.map_or(DEFAULT_LIFETIME, Duration::from_secs);
        let refresh_at = Instant::now() + lifetime.saturating_sub(REFRESH_MARGIN.min(lifetime / 2));
        *self.cached() = Some(CachedToken { token: fetched.access_token, refresh_at });
        Ok(token)
    }

    async fn fetch(
        &self,
        http: &reqwest::Client,
        deadline: tokio::time::Instant,
        request_id: Uuid,
    ) -> Result<TokenResponse, TokenError> {
        let token_url = &self.token_url;
        // Timeouts and connection failures are the call's own variants, with its request id.
        let failed = |source: reqwest::Error| {
            if source.is_builder() {
                let message = format!("cannot send a request to the token URL `{token_url}`: {source}");
                return TokenError::Permanent(Error::Token { status: None, message });
            }
            let error = if source.is_timeout() {
                Error::Timeout { request_id, source: Some(source) }
            } else {
                Error::Connection { request_id, source }
            };
            TokenError::Transient { error, headers: None }
        };
        let response = http
            .post(token_url)
            .timeout(deadline.saturating_duration_since(tokio::time::Instant::now()))
            .basic_auth(&self.client_id, Some(self.client_secret.expose_secret()))
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials")
            .send()
            .await
            .map_err(failed)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(failed)?;
        if !status.is_success() {
            // The body of a refusal says why, and carries no token.
            let text = String::from_utf8_lossy(&body);
            let error = Error::Token { status: Some(status), message: format!("{token_url} answered {status}: {}", text.trim()) };
            return Err(if retry::should_retry(status, &headers) {
                TokenError::Transient { error, headers: Some(headers) }
            } else {
                TokenError::Permanent(error)
            });
        }
        serde_json::from_slice(&body).map_err(|err| {
            let message = format!("{token_url} answered with no usable `access_token`: {err}");
            TokenError::Permanent(Error::Token { status: Some(status), message })
        })
    }
}
