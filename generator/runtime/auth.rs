//! Credentials: a fixed bearer token, or OAuth2 client credentials exchanged for access
//! tokens that are cached and refreshed shortly before they expire.

use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::Mutex;

use crate::{Error, SensitiveString};

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

impl Auth {
    /// The bearer token for the next request, fetching one if needed.
    pub(crate) async fn token(&self, http: &reqwest::Client) -> Result<Option<SensitiveString>, Error> {
        match self {
            Auth::None => Ok(None),
            Auth::Bearer(token) => Ok(Some(token.clone())),
            Auth::ClientCredentials(source) => source.token(http).await.map(Some),
        }
    }

    /// After a 401: forget `rejected` so the next [`Auth::token`] fetches a new one.
    /// Returns whether a retry can help (only fetched tokens can be renewed).
    pub(crate) async fn invalidate(&self, rejected: &SensitiveString) -> bool {
        match self {
            Auth::ClientCredentials(source) => {
                let mut cached = source.cached.lock().await;
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
    /// One lock, so concurrent calls share one refresh instead of each fetching a token.
    cached: Mutex<Option<CachedToken>>,
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
        Self { token_url, client_id, client_secret, cached: Mutex::new(None) }
    }

    async fn token(&self, http: &reqwest::Client) -> Result<SensitiveString, Error> {
        let mut cached = self.cached.lock().await;
        if let Some(token) = cached.as_ref().filter(|c| Instant::now() < c.refresh_at) {
            return Ok(token.token.clone());
        }
        let fetched = self.fetch(http).await?;
        let token = fetched.access_token.clone();
        let lifetime = fetched.expires_in.map_or(DEFAULT_LIFETIME, Duration::from_secs);
        let refresh_at = Instant::now() + lifetime.saturating_sub(REFRESH_MARGIN.min(lifetime / 2));
        *cached = Some(CachedToken { token: fetched.access_token, refresh_at });
        Ok(token)
    }

    async fn fetch(&self, http: &reqwest::Client) -> Result<TokenResponse, Error> {
        let response = http
            .post(&self.token_url)
            .basic_auth(&self.client_id, Some(self.client_secret.expose_secret()))
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials")
            .send()
            .await
            .map_err(|err| Error::Token(format!("request to {} failed: {err}", self.token_url)))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|err| Error::Token(format!("reading the response of {} failed: {err}", self.token_url)))?;
        if !status.is_success() {
            // The body of a refusal says why, and carries no token.
            let text = String::from_utf8_lossy(&body);
            return Err(Error::Token(format!("{} answered {status}: {}", self.token_url, text.trim())));
        }
        serde_json::from_slice(&body)
            .map_err(|err| Error::Token(format!("{} answered with no usable `access_token`: {err}", self.token_url)))
    }
}
