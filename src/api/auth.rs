//! Access tokens: fetched from the token endpoint with the refresh token, refreshed shortly
//! before they expire and once when Zoho answers `INVALID_TOKEN`, one refresh at a time: the
//! refresh runs under the lock, so requests that need a token meanwhile wait for it instead of
//! each asking for their own (Zoho allows ten token requests per ten minutes).

use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::Mutex;

use super::body::{BodyError, read_capped};
use super::error::{ApiError, sign_in_reason};
use super::patience::{RetryHook, RetryNotice};
use super::url::{check_url, trim_base};

/// Refresh this long before the announced expiry (or a quarter of a shorter lifetime), so no
/// request leaves with a token that dies on the way.
const EARLY_REFRESH: Duration = Duration::from_secs(60);

fn refresh_margin(lifetime: Duration) -> Duration {
    EARLY_REFRESH.min(lifetime / 4)
}

/// Zoho's access tokens live an hour; a longer claimed lifetime (a broken or hostile token
/// endpoint can announce `u64::MAX` seconds, which would overflow the clock) is cut to a day.
const MAX_LIFETIME: Duration = Duration::from_secs(86_400);

/// When to refresh a token announced to live `lifetime` from `now`.
pub(crate) fn refresh_at(now: Instant, lifetime: Duration) -> Instant {
    let lifetime = lifetime.min(MAX_LIFETIME);
    now + lifetime - refresh_margin(lifetime)
}

#[derive(Clone)]
pub struct Credentials {
    pub token_url: String,
    pub client_id: String,
    pub client_secret: String,
    pub refresh_token: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("refresh_token", &"<redacted>")
            .finish()
    }
}

/// What the token endpoint granted.
#[derive(Clone)]
pub struct Grant {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub api_domain: Option<String>,
    pub expires_in: Duration,
}

impl std::fmt::Debug for Grant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Grant")
            .field("api_domain", &self.api_domain)
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

struct State {
    token: Option<String>,
    /// When to stop using the token: its expiry less the refresh margin.
    expires_at: Instant,
    /// Counts refreshes, so a request that saw a 401 knows whether someone already replaced
    /// the token it used.
    generation: u64,
    api_domain: Option<String>,
}

pub struct TokenSource {
    http: reqwest::Client,
    creds: Credentials,
    state: Mutex<State>,
    refreshes: std::sync::atomic::AtomicU64,
    /// Told about every retry of a token request, as the client's calls tell theirs.
    on_retry: std::sync::RwLock<Option<RetryHook>>,
}

impl TokenSource {
    pub fn new(http: reqwest::Client, creds: Credentials) -> Self {
        TokenSource {
            http,
            creds,
            state: Mutex::new(State {
                token: None,
                expires_at: Instant::now(),
                generation: 0,
                api_domain: None,
            }),
            refreshes: Default::default(),
            on_retry: std::sync::RwLock::new(None),
        }
    }

    /// Who hears about retries of a token request (set with the client's hook).
    pub fn on_retry(&self, hook: RetryHook) {
        *self.on_retry.write().unwrap_or_else(|e| e.into_inner()) = Some(hook);
    }

    /// How many times the token endpoint was asked (tests check single flight with it).
    pub fn refresh_count(&self) -> u64 {
        self.refreshes.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A live token and its generation.
    pub async fn token(&self) -> Result<(String, u64), ApiError> {
        let mut st = self.state.lock().await;
        if let Some(t) = &st.token
            && Instant::now() < st.expires_at
        {
            return Ok((t.clone(), st.generation));
        }
        self.refresh_locked(&mut st).await
    }

    /// Zoho said the token of `generation` is invalid: refresh unless that already happened.
    pub async fn rejected(&self, generation: u64) -> Result<(String, u64), ApiError> {
        let mut st = self.state.lock().await;
        if st.generation != generation
            && let Some(t) = &st.token
        {
            return Ok((t.clone(), st.generation));
        }
        self.refresh_locked(&mut st).await
    }

    /// The API domain the token endpoint announced, once one was fetched.
    pub async fn api_domain(&self) -> Option<String> {
        self.state.lock().await.api_domain.clone()
    }

    async fn refresh_locked(&self, st: &mut State) -> Result<(String, u64), ApiError> {
        self.refreshes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let form = [
            ("grant_type", "refresh_token"),
            ("client_id", self.creds.client_id.as_str()),
            ("client_secret", self.creds.client_secret.as_str()),
            ("refresh_token", self.creds.refresh_token.as_str()),
        ];
        // A refresh can be repeated safely (a lost grant only leaves an unused token behind),
        // so a flaky accounts server is ridden out here rather than failing every call.
        let mut attempt = 0u32;
        let grant = loop {
            match try_request_token(&self.http, &self.creds.token_url, &form).await {
                Ok(g) => break g,
                Err(Attempt::Transient(e)) if attempt < TOKEN_RETRIES => {
                    attempt += 1;
                    tracing::warn!(attempt, error = %e, "token request failed; retrying");
                    let wait = TOKEN_BACKOFF * (1 << (attempt - 1));
                    let hook = self
                        .on_retry
                        .read()
                        .unwrap_or_else(|e| e.into_inner())
                        .clone();
                    if let Some(hook) = hook {
                        hook(&RetryNotice {
                            attempt,
                            of: Some(TOKEN_RETRIES),
                            wait,
                            why: e.to_string(),
                        });
                    }
                    tokio::time::sleep(wait).await;
                }
                Err(Attempt::Transient(e) | Attempt::Final(e)) => return Err(e),
            }
        };
        st.token = Some(grant.access_token.clone());
        st.expires_at = refresh_at(Instant::now(), grant.expires_in);
        st.generation += 1;
        if grant.api_domain.is_some() {
            st.api_domain = grant.api_domain;
        }
        tracing::info!(generation = st.generation, "access token refreshed");
        Ok((grant.access_token, st.generation))
    }
}

/// Exchanges a self-client grant code for tokens (`zscore login`).
pub async fn exchange_grant_code(
    http: &reqwest::Client,
    token_url: &str,
    client_id: &str,
    client_secret: &str,
    code: &str,
) -> Result<Grant, ApiError> {
    request_token(
        http,
        token_url,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", client_id),
            ("client_secret", client_secret),
            ("code", code),
        ],
    )
    .await
}

/// A token answer is a few hundred bytes.
const TOKEN_BODY_CAP: u64 = 64 << 10;

/// Retries of a token refresh after a network failure, 429 or 5xx (0.1 s doubling: ~6 s).
const TOKEN_RETRIES: u32 = 6;
const TOKEN_BACKOFF: Duration = Duration::from_millis(100);

/// A failed token request, and whether asking again may help.
enum Attempt {
    Transient(ApiError),
    Final(ApiError),
}

async fn request_token(
    http: &reqwest::Client,
    token_url: &str,
    form: &[(&str, &str)],
) -> Result<Grant, ApiError> {
    try_request_token(http, token_url, form)
        .await
        .map_err(|(Attempt::Transient(e) | Attempt::Final(e))| e)
}

async fn try_request_token(
    http: &reqwest::Client,
    token_url: &str,
    form: &[(&str, &str)],
) -> Result<Grant, Attempt> {
    check_url(token_url).map_err(Attempt::Final)?;
    let resp = http.post(token_url).form(form).send().await.map_err(|e| {
        Attempt::Transient(ApiError::SignIn(format!(
            "cannot reach the token endpoint ({})",
            without_url(&e)
        )))
    })?;
    let status = resp.status();
    if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        return Err(Attempt::Transient(ApiError::SignIn(format!(
            "the token endpoint answered HTTP {}",
            status.as_u16()
        ))));
    }
    let bytes = read_capped(resp, TOKEN_BODY_CAP)
        .await
        .map_err(|e| match e {
            BodyError::TooLarge { cap } => Attempt::Final(ApiError::SignIn(format!(
                "the token endpoint's answer is larger than {cap} bytes; not read"
            ))),
            BodyError::Cut(why) => Attempt::Transient(ApiError::SignIn(format!(
                "the token endpoint's answer was cut off ({why})"
            ))),
        })?;
    grant_from(status, &String::from_utf8_lossy(&bytes)).map_err(Attempt::Final)
}

pub(crate) fn grant_from(status: reqwest::StatusCode, text: &str) -> Result<Grant, ApiError> {
    let body: Value = serde_json::from_str(text).map_err(|_| {
        ApiError::SignIn(format!(
            "the token endpoint answered HTTP {} with something that is not JSON",
            status.as_u16()
        ))
    })?;
    // Zoho's accounts server reports errors as {"error": "..."}, often with HTTP 200.
    if let Some(err) = body.get("error").and_then(Value::as_str) {
        return Err(ApiError::SignIn(sign_in_reason(err)));
    }
    let access = body
        .get("access_token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::SignIn(format!(
                "the token endpoint answered HTTP {} without an access token",
                status.as_u16()
            ))
        })?;
    // Legacy answers carry `expires_in_sec` with `expires_in` in milliseconds.
    let expires_in = match body.get("expires_in_sec").and_then(Value::as_u64) {
        Some(secs) => secs,
        None => body
            .get("expires_in")
            .and_then(Value::as_u64)
            .unwrap_or(3600),
    };
    let api_domain = match body.get("api_domain").and_then(Value::as_str) {
        Some(d) => {
            check_url(d)?;
            Some(trim_base(d))
        }
        None => None,
    };
    Ok(Grant {
        access_token: access.to_string(),
        refresh_token: body
            .get("refresh_token")
            .and_then(Value::as_str)
            .map(str::to_string),
        api_domain,
        expires_in: Duration::from_secs(expires_in.max(1)),
    })
}

/// reqwest errors name the URL; ours never carry query strings with secrets, but keep the
/// message short and free of them anyway.
pub fn without_url(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_request() {
        "request failed"
    } else {
        "transfer failed"
    };
    match std::error::Error::source(e) {
        Some(src) => format!("{kind}: {src}"),
        None => kind.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absurd_token_lifetime_is_cut_to_a_day() {
        let g = grant_from(
            reqwest::StatusCode::OK,
            r#"{"access_token":"a","expires_in":18446744073709551615}"#,
        )
        .unwrap();
        let now = Instant::now();
        let at = refresh_at(now, g.expires_in);
        assert!(at > now && at <= now + MAX_LIFETIME);
        assert_eq!(
            refresh_at(now, Duration::from_secs(3600)),
            now + Duration::from_secs(3540)
        );
    }
}
