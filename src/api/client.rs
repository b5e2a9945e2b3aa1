//! The request pipeline every endpoint goes through: an in-flight limit below Zoho's
//! concurrency cap, the access token, retries with exponential backoff and jitter for calls
//! that are safe to repeat, one re-try with a fresh token on `INVALID_TOKEN`, and Zoho's error
//! envelope turned into `ApiError::Zoho`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio::sync::Semaphore;

use super::auth::{TokenSource, without_url};
use super::body::{BodyError, read_capped};
pub use super::client_config::{ClientConfig, http_client};
use super::error::{ApiError, ZohoError};
use super::meter::CallMeter;
use super::patience::{Budget, RetryHook, RetryNotice, backoff, retry_after};
use super::url::check_url;
use crate::domain::Edition;

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
    /// Also counts the requests sent through this handle (`counting`), on top of the
    /// config's meter, which every handle of this client shares.
    own_meter: Option<CallMeter>,
}

struct Inner {
    http: reqwest::Client,
    cfg: ClientConfig,
    tokens: TokenSource,
    permits: Semaphore,
    /// How many permits `permits` has in all (it only ever grows).
    limit: AtomicUsize,
    /// When a `Budget::Command` ends.
    command_deadline: Option<Instant>,
    on_retry: RwLock<Option<RetryHook>>,
}

impl Client {
    pub fn new(cfg: ClientConfig) -> Result<Client, ApiError> {
        check_url(&cfg.api_base)?;
        check_url(&cfg.credentials.token_url)?;
        let http = http_client(cfg.timeouts)?;
        let tokens = TokenSource::new(http.clone(), cfg.credentials.clone());
        let limit = cfg.max_in_flight.max(1);
        let permits = Semaphore::new(limit);
        let command_deadline = match cfg.budget {
            Budget::Command(d) => Some(Instant::now() + d),
            Budget::Call(_) => None,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                cfg,
                tokens,
                permits,
                limit: AtomicUsize::new(limit),
                command_deadline,
                on_retry: RwLock::new(None),
            }),
            own_meter: None,
        })
    }

    /// The same client (its in-flight limit, token, retries and meter shared) also counting
    /// every request sent through the returned handle into `meter`: how a piece of work learns
    /// what it alone cost while the command-wide meter keeps adding up.
    pub fn counting(&self, meter: &CallMeter) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            own_meter: Some(meter.clone()),
        }
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

    /// The calls this client (and any sharing its meter) sent so far.
    pub fn meter(&self) -> &CallMeter {
        &self.inner.cfg.meter
    }

    pub fn tokens(&self) -> &TokenSource {
        &self.inner.tokens
    }

    /// Who hears about retries (the CLI prints them, the TUI shows them in its status bar).
    pub fn on_retry(&self, hook: RetryHook) {
        self.inner.tokens.on_retry(hook.clone());
        let mut slot = self
            .inner
            .on_retry
            .write()
            .unwrap_or_else(|e| e.into_inner());
        *slot = Some(hook);
    }

    /// The command's time budget has run out: every further call would give up at once.
    pub fn budget_spent(&self) -> bool {
        self.inner
            .command_deadline
            .is_some_and(|d| Instant::now() >= d)
    }

    /// Fetches a token now (sign-in check) rather than on the first call.
    pub async fn sign_in(&self) -> Result<(), ApiError> {
        let last = Mutex::new(None);
        self.within_budget(&last, async { self.inner.tokens.token().await.map(|_| ()) })
            .await
    }

    async fn base(&self) -> String {
        self.inner
            .tokens
            .api_domain()
            .await
            .unwrap_or_else(|| self.inner.cfg.api_base.clone())
    }

    /// How long work started now may take before the time budget runs out.
    pub fn time_left(&self) -> Duration {
        self.deadline().saturating_duration_since(Instant::now())
    }

    /// When the work started now must end: the command's deadline or the call's, the earlier.
    fn deadline(&self) -> Instant {
        self.inner
            .command_deadline
            .unwrap_or_else(|| Instant::now() + self.inner.cfg.budget.duration())
    }

    /// Runs `work` until the deadline; past it, `OutOfTime` naming the last problem seen.
    async fn within_budget<T>(
        &self,
        last: &Mutex<Option<String>>,
        work: impl std::future::Future<Output = Result<T, ApiError>>,
    ) -> Result<T, ApiError> {
        let deadline = tokio::time::Instant::from_std(self.deadline());
        match tokio::time::timeout_at(deadline, work).await {
            Ok(r) => r,
            Err(_) => Err(self.out_of_time(last)),
        }
    }

    fn out_of_time(&self, last: &Mutex<Option<String>>) -> ApiError {
        ApiError::OutOfTime {
            budget: self.inner.cfg.budget.duration(),
            scope: self.inner.cfg.budget.scope(),
            last: last.lock().unwrap_or_else(|e| e.into_inner()).clone(),
        }
    }

    /// Sends one call through the pipeline. Non-2xx answers in Zoho's envelope become
    /// `ApiError::Zoho`, except that `accept_items` lets a multi-item call read its 400
    /// `{"scoring_rules": [...]}` answer item by item. Gives up when the budget runs out.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
        retry: Retry,
        accept_items: bool,
    ) -> Result<Reply, ApiError> {
        let last = Mutex::new(None);
        let call = Call {
            method,
            path,
            query,
            body,
            retry,
            accept_items,
        };
        self.within_budget(&last, self.attempts(&call, &last)).await
    }

    async fn attempts(
        &self,
        call: &Call<'_>,
        last: &Mutex<Option<String>>,
    ) -> Result<Reply, ApiError> {
        let cfg = &self.inner.cfg;
        let _permit = self
            .inner
            .permits
            .acquire()
            .await
            .map_err(|_| ApiError::Network("client closed".into()))?;
        let (mut token, mut generation) = self.inner.tokens.token().await?;
        let mut refreshed = false;
        let mut attempt = 0u32;
        let mut throttled_times = 0u32;
        let (method, path) = (&call.method, call.path);
        let may_repeat = call.retry == Retry::Idempotent;
        loop {
            let url = format!("{}{path}", self.base().await);
            let started = Instant::now();
            let mut req = self
                .inner
                .http
                .request(method.clone(), &url)
                .query(call.query)
                .header("Authorization", format!("Zoho-oauthtoken {token}"));
            if let Some(b) = call.body {
                req = req
                    .header("Content-Type", "application/json")
                    .body(b.to_string());
            }
            self.inner.cfg.meter.count(method);
            if let Some(own) = &self.own_meter {
                own.count(method);
            }
            let outcome = req.send().await;
            let resp = match outcome {
                Ok(r) => r,
                Err(e) => {
                    let why = without_url(&e);
                    tracing::warn!(%method, path, attempt, error = %why, "request failed");
                    self.again_after_loss(last, may_repeat, &mut attempt, why)
                        .await?;
                    continue;
                }
            };
            let status = resp.status();
            let asked_wait = retry_after(resp.headers());
            let bytes = match read_capped(resp, cfg.max_body_bytes).await {
                Ok(b) => b,
                Err(BodyError::TooLarge { cap }) => {
                    tracing::warn!(%method, path, cap, "answer larger than the cap");
                    return Err(ApiError::TooLarge {
                        what: format!("{method} {path}"),
                        cap,
                    });
                }
                Err(BodyError::Cut(why)) => {
                    tracing::warn!(%method, path, attempt, error = %why, "answer cut off");
                    let why = format!("answer cut off: {why}");
                    self.again_after_loss(last, may_repeat, &mut attempt, why)
                        .await?;
                    continue;
                }
            };
            let text = String::from_utf8_lossy(&bytes);
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
            if status == StatusCode::TOO_MANY_REQUESTS {
                // Refused before any work, so any call may repeat; waited out until the budget.
                throttled_times += 1;
                note(last, "rate limited (HTTP 429)");
                self.wait_out_throttle(throttled_times, asked_wait, last)
                    .await?;
                continue;
            }
            if status.is_server_error() && may_repeat && attempt < cfg.max_retries {
                attempt += 1;
                let why = format!("HTTP {}", status.as_u16());
                note(last, &why);
                self.pause_for(attempt, why).await;
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
            if call.accept_items
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

    /// After an answer lost to the network (`why`): a call that may repeat is tried again, after
    /// a pause, while retries remain (`Ok`); otherwise the loss is the call's error.
    async fn again_after_loss(
        &self,
        last: &Mutex<Option<String>>,
        may_repeat: bool,
        attempt: &mut u32,
        why: String,
    ) -> Result<(), ApiError> {
        note(last, &why);
        if may_repeat && *attempt < self.inner.cfg.max_retries {
            *attempt += 1;
            self.pause_for(*attempt, why).await;
            return Ok(());
        }
        Err(ApiError::Network(why))
    }

    /// Announces retry `attempt` of a failed call, then backs off.
    async fn pause_for(&self, attempt: u32, why: String) {
        let cfg = &self.inner.cfg;
        let wait = backoff(cfg.backoff, attempt, Duration::from_secs(10));
        self.announce(RetryNotice {
            attempt,
            of: Some(cfg.max_retries),
            wait,
            why,
        });
        tokio::time::sleep(wait).await;
    }

    /// A 429: waits as long as Zoho asked (`Retry-After`), else backs off up to the rate
    /// window. A wait that would end past the deadline is not started: the call gives up now.
    async fn wait_out_throttle(
        &self,
        times: u32,
        asked: Option<Duration>,
        last: &Mutex<Option<String>>,
    ) -> Result<(), ApiError> {
        let cfg = &self.inner.cfg;
        let wait = asked.unwrap_or_else(|| backoff(cfg.backoff, times, cfg.rate_window));
        if Instant::now() + wait > self.deadline() {
            note(
                last,
                &format!(
                    "rate limited; Zoho asked to wait {}",
                    super::patience::human(wait)
                ),
            );
            return Err(self.out_of_time(last));
        }
        self.announce(RetryNotice {
            attempt: times,
            of: None,
            wait,
            why: "rate limited".into(),
        });
        tokio::time::sleep(wait).await;
        Ok(())
    }

    fn announce(&self, notice: RetryNotice) {
        tracing::info!(attempt = notice.attempt, wait_ms = notice.wait.as_millis() as u64, why = %notice.why, "retrying");
        let hook = self
            .inner
            .on_retry
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let Some(hook) = hook {
            hook(&notice);
        }
    }
}

/// One call's parts, as `send` received them.
struct Call<'a> {
    method: Method,
    path: &'a str,
    query: &'a [(&'a str, String)],
    body: Option<&'a Value>,
    retry: Retry,
    accept_items: bool,
}

/// Remembers the latest problem, for the message if the budget runs out.
fn note(last: &Mutex<Option<String>>, why: &str) {
    *last.lock().unwrap_or_else(|e| e.into_inner()) = Some(why.to_string());
}
