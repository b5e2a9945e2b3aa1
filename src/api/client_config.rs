//! How a `Client` is set up: where it sends, with which credentials, how many calls at once,
//! how patiently; and the HTTP client its requests go through.

use std::time::Duration;

use super::auth::{Credentials, without_url};
use super::body::DEFAULT_MAX_BODY;
use super::error::ApiError;
use super::meter::CallMeter;
use super::patience::{Budget, Timeouts};
use super::url::trim_base;

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
    /// Retries of a failed idempotent call (a rate limit is waited out until the budget).
    pub max_retries: u32,
    /// First backoff; doubles each retry, with jitter.
    pub backoff: Duration,
    pub timeouts: Timeouts,
    pub budget: Budget,
    /// Zoho's rate limits count per minute: a throttled call without `Retry-After` backs off
    /// up to this, never longer.
    pub rate_window: Duration,
    /// Largest answer read; a longer one fails its call, unretried.
    pub max_body_bytes: u64,
    /// Counts every call sent (retries too); share one to add up several clients.
    pub meter: CallMeter,
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
            timeouts: Timeouts::default(),
            budget: Budget::Call(Duration::from_secs(300)),
            rate_window: Duration::from_secs(60),
            max_body_bytes: DEFAULT_MAX_BODY,
            meter: CallMeter::default(),
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

/// The HTTP client every request goes through, the token endpoint's included: a few seconds to
/// connect, a bounded silence per read, and no total deadline per attempt (the budget is one).
pub fn http_client(timeouts: Timeouts) -> Result<reqwest::Client, ApiError> {
    reqwest::Client::builder()
        .connect_timeout(timeouts.connect)
        .read_timeout(timeouts.idle)
        .user_agent(concat!("zscore/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| ApiError::Network(without_url(&e)))
}
