//! The client and its configuration.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
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
    pub(crate) sleep: Sleep,
}

/// How the client waits between retries.
#[derive(Clone, Default)]
pub(crate) struct Sleep(Option<Arc<SleepFn>>);

type SleepFn = dyn Fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync;

impl Sleep {
    pub(crate) async fn sleep(&self, duration: Duration) {
        match &self.0 {
            Some(sleep) => sleep(duration).await,
            None => tokio::time::sleep(duration).await,
        }
    }
}

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() { "Sleep(custom)" } else { "Sleep(tokio)" })
    }
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
    sleep: Sleep,
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

    /// The OAuth2 token endpoint, if not the one the API document names (which, when it lies
    /// under the document's server, moves with [`ClientBuilder::base_url`]).
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

    /// Time limit for each attempt of a request, getting an access token included; every
    /// retry has the whole limit again (default 60 s).
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

    /// Replaces how the client waits between retries (by default `tokio::time::sleep`):
    /// for tests that check the waits without taking them, or for another timer.
    pub fn sleep_with<F, Fut>(mut self, sleep: F) -> Self
    where
        F: Fn(Duration) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.sleep = Sleep(Some(Arc::new(move |duration| Box::pin(sleep(duration)))));
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
                let token_url = self.token_url.or_else(|| default_token_url(&base_url)).ok_or_else(|| {
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
                sleep: self.sleep,
            }),
        })
    }
}

/// The document's token URL. When it lies under the document's server and the client talks to
/// another base URL (a test server, another deployment), the same path under that base URL:
/// otherwise the credentials would be sent to a server the client was told not to use.
fn default_token_url(base_url: &str) -> Option<String> {
    let token_url = TOKEN_URL?;
    let rebased = DEFAULT_BASE_URL
        .and_then(|server| token_url.strip_prefix(server.trim_end_matches('/')))
        .filter(|path| path.starts_with('/'))
        .map(|path| format!("{}{path}", base_url.trim_end_matches('/')));
    Some(rebased.unwrap_or_else(|| token_url.to_owned()))
}
