//! The client and its configuration.

use std::sync::Arc;
use std::time::Duration;

use crate::auth::{Auth, TokenSource};
use crate::spec::{DEFAULT_BASE_URL, ENV_PREFIX, TOKEN_URL};
use crate::{Error, SensitiveString};

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const DEFAULT_MAX_RETRIES: u32 = 2;

/// The API client. Cheap to clone: clones share one connection pool and one token cache.
///
/// ```no_run
/// # async fn example() -> Result<(), keycardai_api::Error> {
/// // From `<PREFIX>_CLIENT_ID`, `<PREFIX>_CLIENT_SECRET` and `<PREFIX>_BASE_URL`:
/// let client = keycardai_api::Client::from_env()?;
/// // Or spelled out:
/// let client = keycardai_api::Client::builder()
///     .base_url("http://127.0.0.1:4010")
///     .bearer_token("a-token")
///     .max_retries(3)
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) auth: Auth,
    pub(crate) timeout: Duration,
    pub(crate) max_retries: u32,
}

impl Client {
    /// A builder with the defaults: the document's first server, 60 s per request,
    /// 5 s to connect, 2 retries.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment: `<PREFIX>_CLIENT_ID` and
    /// `<PREFIX>_CLIENT_SECRET` (OAuth2 client credentials), and optionally
    /// `<PREFIX>_BASE_URL`, where `<PREFIX>` is the API's name in capitals (see
    /// [`Client::env_var`]).
    pub fn from_env() -> Result<Self, Error> {
        Self::builder().from_env().build()
    }

    /// The name of one of the environment variables [`Client::from_env`] reads, e.g.
    /// `env_var("CLIENT_ID")`.
    pub fn env_var(suffix: &str) -> String {
        format!("{ENV_PREFIX}_{suffix}")
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

/// Configures a [`Client`].
#[derive(Debug, Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    bearer_token: Option<SensitiveString>,
    client_id: Option<String>,
    client_secret: Option<SensitiveString>,
    token_url: Option<String>,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    max_retries: Option<u32>,
}

impl ClientBuilder {
    /// Where requests go, e.g. `https://api.example.com`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sign requests with this bearer token as it is, instead of fetching tokens.
    pub fn bearer_token(mut self, token: impl Into<SensitiveString>) -> Self {
        self.bearer_token = Some(token.into());
        self
    }

    /// OAuth2 client credentials, exchanged for access tokens at the token URL.
    pub fn client_credentials(mut self, client_id: impl Into<String>, client_secret: impl Into<SensitiveString>) -> Self {
        self.client_id = Some(client_id.into());
        self.client_secret = Some(client_secret.into());
        self
    }

    /// The OAuth2 token endpoint, if not the one the API document names.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Send requests through this `reqwest` client (proxies, TLS settings, ...). Its own
    /// connect timeout applies; the per-request timeout still comes from this builder.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Time limit for a whole request, retries not included (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time limit to connect (default 5 s). Ignored with [`ClientBuilder::http_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How many times a failed request is retried (default 2).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// Fills what is not set yet from the environment (see [`Client::from_env`]).
    pub fn from_env(mut self) -> Self {
        let var = |suffix: &str| std::env::var(Client::env_var(suffix)).ok().filter(|v| !v.is_empty());
        if self.base_url.is_none() {
            self.base_url = var("BASE_URL");
        }
        if self.client_id.is_none() && self.client_secret.is_none() {
            self.client_id = var("CLIENT_ID");
            self.client_secret = var("CLIENT_SECRET").map(SensitiveString::from);
        }
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self
            .base_url
            .or_else(|| DEFAULT_BASE_URL.map(str::to_owned))
            .ok_or_else(|| Error::Config("no base URL: the API document names no server; call `base_url`".into()))?;
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|err| Error::Config(format!("base URL `{base_url}` is not a URL: {err}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::Config(format!("base URL `{base_url}` must be http or https")));
        }
        let auth = match (self.bearer_token, self.client_id, self.client_secret) {
            (Some(token), _, _) => Auth::Bearer(token),
            (None, Some(id), Some(secret)) => {
                let token_url = self.token_url.or_else(|| TOKEN_URL.map(str::to_owned)).ok_or_else(|| {
                    Error::Config("client credentials need a token URL; call `token_url`".into())
                })?;
                Auth::ClientCredentials(TokenSource::new(token_url, id, secret))
            }
            (None, Some(_), None) | (None, None, Some(_)) => {
                return Err(Error::Config(format!(
                    "incomplete client credentials: set both {} and {}",
                    Client::env_var("CLIENT_ID"),
                    Client::env_var("CLIENT_SECRET")
                )))
            }
            (None, None, None) if TOKEN_URL.is_some() => {
                return Err(Error::Config(format!(
                    "no credentials: set {} and {}, or call `client_credentials` or `bearer_token`",
                    Client::env_var("CLIENT_ID"),
                    Client::env_var("CLIENT_SECRET")
                )))
            }
            (None, None, None) => Auth::None,
        };
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .build()
                .map_err(|err| Error::Config(format!("cannot build the HTTP client: {err}")))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: base_url.trim_end_matches('/').to_owned(),
                auth,
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
            }),
        })
    }
}
