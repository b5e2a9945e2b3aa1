//! The request pipeline every endpoint goes through: an in-flight limit below Zoho's
//! concurrency cap, the access token, retries with exponential backoff and jitter for calls
//! that are safe to repeat, one re-try with a fresh token on `INVALID_TOKEN`, and Zoho's error
//! envelope turned into `ApiError::Zoho`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio::sync::Semaphore;

use super::auth::{Credentials, TokenSource, without_url};
use super::error::{ApiError, ZohoError};
use super::url::{check_url, trim_base};
use crate::domain::Edition;

#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// `https://www.zohoapis.eu`, or a sandbox's base URL. The token endpoint's `api_domain`
    /// replaces it once known.
    pub api_base: String,
    pub credentials: Credentials,
    /// Requests in flight at once until the org's edition is known: below every edition's
    /// concurrency limit (Zoho allows 10 to 25 per app).
    pub max_in_flight: usize,
    /// Once the edition is known (`Client::adopt_edition`), allow as many requests in flight
    /// as it does. Off when the user chose `max_in_flight`.
    pub follow_edition: bool,
    /// Retries of a failed idempotent call (and of a throttled one).
    pub max_retries: u32,
    /// First backoff; doubles each retry, with jitter.
    pub backoff: Duration,
    pub timeout: Duration,
}

impl ClientConfig {
    pub fn new(api_base: &str, credentials: Credentials) -> Self {
        ClientConfig {
            api_base: trim_base(api_base),
            credentials,
            max_in_flight: 8,
            follow_edition: true,
            max_retries: 6,
            backoff: Duration::from_millis(100),
            timeout: Duration::from_secs(30),
        }
    }

    /// A running sandbox: its base URL serves the API and the token endpoint, and any
    /// credentials work.
    pub fn sandbox(url: &str) -> Self {
        let base = trim_base(url);
        ClientConfig::new(
            &base,
            Credentials {
                token_url: format!("{base}/oauth/v2/token"),
                client_id: "zscore".into(),
                client_secret: "sandbox".into(),
                refresh_token: "sandbox".into(),
            },
        )
    }
}

/// Whether a call may be sent again after a failure that leaves its fate unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// GET, PUT, DELETE, activate: repeating them cannot do anything twice.
    Idempotent,
    /// POST create / clone / execute: only a 429 (refused before any work) is retried here;
    /// the caller decides what to do after an ambiguous failure.
    OnlyIfThrottled,
}

/// An answer: its status and JSON body (`None` for 204 or an empty body).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Option<Value>,
}

#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    cfg: ClientConfig,
    tokens: TokenSource,
    permits: Semaphore,
    /// How many permits `permits` has in all (it only ever grows).
    limit: AtomicUsize,
}

impl Client {
    pub fn new(cfg: ClientConfig) -> Result<Client, ApiError> {
        check_url(&cfg.api_base)?;
        check_url(&cfg.credentials.token_url)?;
        let http = reqwest::Client::builder()
            .timeout(cfg.timeout)
            .user_agent(concat!("zscore/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::Network(without_url(&e)))?;
        let tokens = TokenSource::new(http.clone(), cfg.credentials.clone());
        let limit = cfg.max_in_flight.max(1);
        let permits = Semaphore::new(limit);
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                cfg,
                tokens,
                permits,
                limit: AtomicUsize::new(limit),
            }),
        })
    }

    /// Requests the client lets be in flight at once now.
    pub fn in_flight_limit(&self) -> usize {
        self.inner.limit.load(Ordering::Acquire)
    }

    /// The org's edition is known: allow as many requests in flight as Zoho does for it
    /// (`Edition::concurrency`), unless the user set the limit. Only ever raises it: the limit
    /// before the edition is known is below every edition's, and a lower one would only slow
    /// the client down.
    pub fn adopt_edition(&self, edition: Edition) {
        if !self.inner.cfg.follow_edition {
            return;
        }
        let target = edition.concurrency();
        let before = self.inner.limit.fetch_max(target, Ordering::AcqRel);
        if target > before {
            tracing::debug!(edition = %edition, from = before, to = target, "in-flight limit raised to the edition's");
            self.inner.permits.add_permits(target - before);
        }
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    pub fn tokens(&self) -> &TokenSource {
        &self.inner.tokens
    }

    /// Fetches a token now (sign-in check) rather than on the first call.
    pub async fn sign_in(&self) -> Result<(), ApiError> {
        self.inner.tokens.token().await.map(|_| ())
    }

    async fn base(&self) -> String {
        self.inner
            .tokens
            .api_domain()
            .await
            .unwrap_or_else(|| self.inner.cfg.api_base.clone())
    }

    /// Sends one call through the pipeline. Non-2xx answers in Zoho's envelope become
    /// `ApiError::Zoho`, except that `accept_items` lets a multi-item call read its 400
    /// `{"scoring_rules": [...]}` answer item by item.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
        retry: Retry,
        accept_items: bool,
    ) -> Result<Reply, ApiError> {
        let _permit = self
            .inner
            .permits
            .acquire()
            .await
            .map_err(|_| ApiError::Network("client closed".into()))?;
        let (mut token, mut generation) = self.inner.tokens.token().await?;
        let mut refreshed = false;
        let mut attempt = 0u32;
        loop {
            let url = format!("{}{path}", self.base().await);
            let started = Instant::now();
            let mut req = self
                .inner
                .http
                .request(method.clone(), &url)
                .query(query)
                .header("Authorization", format!("Zoho-oauthtoken {token}"));
            if let Some(b) = body {
                req = req
                    .header("Content-Type", "application/json")
                    .body(b.to_string());
            }
            let outcome = req.send().await;
            let resp = match outcome {
                Ok(r) => r,
                Err(e) => {
                    tracing::warn!(%method, path, attempt, error = %without_url(&e), "request failed");
                    if retry == Retry::Idempotent && attempt < self.inner.cfg.max_retries {
                        attempt += 1;
                        self.pause(attempt).await;
                        continue;
                    }
                    return Err(ApiError::Network(without_url(&e)));
                }
            };
            let status = resp.status();
            let text = match resp.text().await {
                Ok(t) => t,
                Err(e) if retry == Retry::Idempotent && attempt < self.inner.cfg.max_retries => {
                    tracing::warn!(%method, path, attempt, error = %without_url(&e), "answer cut off");
                    attempt += 1;
                    self.pause(attempt).await;
                    continue;
                }
                Err(e) => return Err(ApiError::Network(without_url(&e))),
            };
            tracing::debug!(%method, path, status = status.as_u16(), ms = started.elapsed().as_millis() as u64, "answer");
            let json: Option<Value> = if text.trim().is_empty() {
                None
            } else {
                serde_json::from_str(&text).ok()
            };
            if status == StatusCode::UNAUTHORIZED
                && !refreshed
                && json
                    .as_ref()
                    .and_then(|j| j.get("code"))
                    .and_then(Value::as_str)
                    == Some("INVALID_TOKEN")
            {
                (token, generation) = self.inner.tokens.rejected(generation).await?;
                refreshed = true;
                continue;
            }
            let throttled = status == StatusCode::TOO_MANY_REQUESTS;
            let server_fault = status.is_server_error();
            if (throttled || (server_fault && retry == Retry::Idempotent))
                && attempt < self.inner.cfg.max_retries
            {
                attempt += 1;
                tracing::info!(%method, path, status = status.as_u16(), attempt, "retrying");
                self.pause(attempt).await;
                continue;
            }
            if status.is_success() {
                if !text.trim().is_empty() && json.is_none() {
                    return Err(ApiError::Decode {
                        what: path.to_string(),
                        detail: "the body is not JSON".into(),
                    });
                }
                return Ok(Reply { status, body: json });
            }
            if accept_items
                && status == StatusCode::BAD_REQUEST
                && json
                    .as_ref()
                    .is_some_and(|j| j.get("scoring_rules").is_some_and(Value::is_array))
            {
                return Ok(Reply { status, body: json });
            }
            return Err(
                match json
                    .as_ref()
                    .and_then(|j| ZohoError::from_value(status.as_u16(), j))
                {
                    Some(z) => ApiError::Zoho(z),
                    None => ApiError::Decode {
                        what: path.to_string(),
                        detail: format!("HTTP {} without a Zoho error body", status.as_u16()),
                    },
                },
            );
        }
    }

    /// Exponential backoff with full jitter: `backoff × 2^(attempt-1)`, scaled by a random
    /// factor in [0.5, 1.0), capped at 10 s.
    async fn pause(&self, attempt: u32) {
        let base = self.inner.cfg.backoff.as_millis() as u64;
        let ceiling = base
            .saturating_mul(1 << attempt.saturating_sub(1).min(10))
            .min(10_000);
        let jitter = 0.5 + (random_unit() * 0.5);
        tokio::time::sleep(Duration::from_millis((ceiling as f64 * jitter) as u64)).await;
    }
}

/// A cheap random number in [0, 1): jitter only needs to spread clients apart.
fn random_unit() -> f64 {
    use std::collections::hash_map::RandomState;
    use std::hash::BuildHasher;
    let n = RandomState::new().hash_one(Instant::now());
    (n >> 11) as f64 / (1u64 << 53) as f64
}
