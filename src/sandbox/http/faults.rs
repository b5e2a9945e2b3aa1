//! `--fail-rate`, `--rate-limit` and `--jitter-ms`: the failures a real network and a real Zoho
//! org throw at a client, on demand and reproducibly, so tests can prove a client loses nothing.
//!
//! A fault hits a request either BEFORE it reaches its handler (nothing changed) or AFTER the
//! handler ran to completion (its change is kept, only the answer is lost). Handlers apply a
//! change whole under the org lock, so no fault can leave a change half-applied.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::AppState;
use super::respond::{ApiError, JSON_CONTENT_TYPE};
use crate::domain::codes;

/// SplitMix64: tiny, seedable, and good enough to spread faults; the same seed replays the same
/// sequence, which is what makes a failing fault test reproducible.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn next_unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// The request is refused before its handler runs: nothing changed.
    Before,
    /// The handler ran and its change is kept; only the answer is lost.
    After,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// 500, 502 or 503 in Zoho's error envelope.
    Status(u16),
    /// Headers and part of the body, then the connection breaks.
    Drop,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fault {
    pub when: When,
    pub kind: FaultKind,
}

/// Decides, request by request, which ones fail. Every request draws the same number of values
/// whatever the outcome, so the n-th request's fate depends only on the seed and n.
#[derive(Clone, Debug)]
pub struct FaultDecider {
    rate: f64,
    rng: SplitMix64,
}

impl FaultDecider {
    pub fn new(rate: f64, seed: u64) -> Self {
        FaultDecider {
            rate: if rate.is_finite() {
                rate.clamp(0.0, 1.0)
            } else {
                0.0
            },
            rng: SplitMix64::new(seed),
        }
    }

    pub fn decide(&mut self) -> Option<Fault> {
        let roll = self.rng.next_unit();
        let pick = self.rng.next_u64();
        if roll >= self.rate {
            return None;
        }
        let when = if pick & 1 == 0 {
            When::Before
        } else {
            When::After
        };
        let kind = match (pick >> 1) % 4 {
            0 => FaultKind::Status(500),
            1 => FaultKind::Status(502),
            2 => FaultKind::Status(503),
            _ => FaultKind::Drop,
        };
        Some(Fault { when, kind })
    }
}

/// Requests per window (Zoho's: a minute) as a token bucket: a full window's worth may arrive
/// in a burst, then tokens come back at N per window, so a client that backs off gets through
/// without waiting for a whole window to pass.
struct Bucket {
    capacity: f64,
    tokens: f64,
    window: f64,
    refilled: Instant,
}

impl Bucket {
    fn new(per_window: u32, window: Duration) -> Self {
        let capacity = f64::from(per_window.max(1));
        Bucket {
            capacity,
            tokens: capacity,
            window: window.as_secs_f64().max(0.001),
            refilled: Instant::now(),
        }
    }

    fn take(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.refilled).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.capacity / self.window).min(self.capacity);
        self.refilled = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// What was injected, for logs, tests and reports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FaultCounts {
    pub requests: u64,
    pub before: u64,
    pub after: u64,
    pub dropped: u64,
    pub rate_limited: u64,
}

impl FaultCounts {
    pub fn injected(&self) -> u64 {
        self.before + self.after
    }
}

/// The recent injections, newest last, so a test can say what hit it.
const LOG_KEEP: usize = 256;

pub struct Faults {
    decider: Mutex<FaultDecider>,
    jitter_rng: Mutex<SplitMix64>,
    jitter: Duration,
    bucket: Option<Mutex<Bucket>>,
    seq: AtomicU64,
    before: AtomicU64,
    after: AtomicU64,
    dropped: AtomicU64,
    rate_limited: AtomicU64,
    recent: Mutex<VecDeque<(u64, String, Fault)>>,
    paused: AtomicBool,
}

impl Faults {
    pub fn new(
        fail_rate: f64,
        seed: u64,
        rate_limit: Option<(u32, Duration)>,
        jitter: Duration,
    ) -> Self {
        Faults {
            decider: Mutex::new(FaultDecider::new(fail_rate, seed)),
            // A separate stream, so turning jitter on does not change which requests fail.
            jitter_rng: Mutex::new(SplitMix64::new(seed ^ 0x5DEE_CE66_D1CE_F00D)),
            jitter,
            bucket: rate_limit.map(|(n, window)| Mutex::new(Bucket::new(n, window))),
            seq: AtomicU64::new(0),
            before: AtomicU64::new(0),
            after: AtomicU64::new(0),
            dropped: AtomicU64::new(0),
            rate_limited: AtomicU64::new(0),
            recent: Mutex::new(VecDeque::new()),
            paused: AtomicBool::new(false),
        }
    }

    /// Lets requests through untouched (no faults, no jitter, no rate limit, nothing drawn
    /// from the seeded sequence) while a test sets an org up or inspects it.
    pub fn pause(&self, paused: bool) {
        self.paused.store(paused, Ordering::Relaxed);
    }

    pub fn counts(&self) -> FaultCounts {
        FaultCounts {
            requests: self.seq.load(Ordering::Relaxed),
            before: self.before.load(Ordering::Relaxed),
            after: self.after.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
            rate_limited: self.rate_limited.load(Ordering::Relaxed),
        }
    }

    /// The latest injections as (request number, "METHOD path", fault).
    pub fn recent(&self) -> Vec<(u64, String, Fault)> {
        lock(&self.recent).iter().cloned().collect()
    }

    fn decide(&self) -> Option<Fault> {
        lock(&self.decider).decide()
    }

    fn jitter(&self) -> Duration {
        if self.jitter.is_zero() {
            return Duration::ZERO;
        }
        let max = self.jitter.as_millis() as u64;
        Duration::from_millis(lock(&self.jitter_rng).next_u64() % (max + 1))
    }

    fn admit(&self) -> bool {
        match &self.bucket {
            Some(b) => lock(b).take(Instant::now()),
            None => true,
        }
    }

    fn record(&self, seq: u64, what: &str, fault: Fault) {
        match fault.when {
            When::Before => self.before.fetch_add(1, Ordering::Relaxed),
            When::After => self.after.fetch_add(1, Ordering::Relaxed),
        };
        if fault.kind == FaultKind::Drop {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
        let mut recent = lock(&self.recent);
        if recent.len() >= LOG_KEEP {
            recent.pop_front();
        }
        recent.push_back((seq, what.to_string(), fault));
    }
}

/// A panic elsewhere cannot leave these small values inconsistent, so poison is ignored.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Zoho's code for its own failures (not one the scoring-rules API documents, hence local).
const INTERNAL_ERROR: &str = "INTERNAL_ERROR";

const TOKEN_PATH: &str = "/oauth/v2/token";

pub async fn inject(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let faults = &state.faults;
    if faults.paused.load(Ordering::Relaxed) {
        return next.run(req).await;
    }
    let seq = faults.seq.fetch_add(1, Ordering::Relaxed) + 1;
    let what = format!("{} {}", req.method(), req.uri().path());

    let pause = faults.jitter();
    if !pause.is_zero() {
        tokio::time::sleep(pause).await;
    }

    // Zoho's accounts server has its own limits, far from the API's per-minute budget.
    if req.uri().path() != TOKEN_PATH && !faults.admit() {
        faults.rate_limited.fetch_add(1, Ordering::Relaxed);
        tracing::warn!(request = seq, %what, "rate limit: answered 429");
        return ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            codes::TOO_MANY_REQUESTS,
            "The API request limit for the org is exceeded",
            json!({}),
        )
        .into_response();
    }

    let Some(fault) = faults.decide() else {
        return next.run(req).await;
    };
    faults.record(seq, &what, fault);
    match fault.when {
        When::Before => {
            tracing::warn!(request = seq, %what, fault = ?fault.kind, "fault injected BEFORE the handler: nothing changed");
            match fault.kind {
                FaultKind::Status(code) => server_error(code),
                FaultKind::Drop => {
                    let partial = br#"{"scoring_rules":[{"code":"SUCC"#;
                    broken(StatusCode::OK, Bytes::from_static(partial))
                }
            }
        }
        When::After => {
            let answer = next.run(req).await;
            tracing::warn!(request = seq, %what, status = answer.status().as_u16(), fault = ?fault.kind, "fault injected AFTER the handler: its change is kept, its answer lost");
            match fault.kind {
                FaultKind::Status(code) => server_error(code),
                FaultKind::Drop => cut_off(answer).await,
            }
        }
    }
}

fn server_error(code: u16) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    ApiError::new(status, INTERNAL_ERROR, "Internal Server Error", json!({})).into_response()
}

/// The real answer's status and headers, then half its body, then a broken connection.
async fn cut_off(answer: Response) -> Response {
    let (parts, body) = answer.into_parts();
    // Bodies here are small JSON documents; a cap keeps a broken stream from buffering much.
    let bytes = axum::body::to_bytes(body, 1 << 24)
        .await
        .unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    let mut resp = broken(parts.status, half);
    for (name, value) in parts.headers.iter() {
        // The length would promise bytes that never come; the stream breaks instead.
        if name != header::CONTENT_LENGTH {
            resp.headers_mut().insert(name.clone(), value.clone());
        }
    }
    resp
}

/// A streamed body (so no Content-Length) that yields `partial` and then an error, which makes
/// hyper abort the connection mid-body.
fn broken(status: StatusCode, partial: Bytes) -> Response {
    let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(partial),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "fault injected: connection dropped mid-response",
        )),
    ];
    let mut resp = Response::new(Body::from_stream(futures::stream::iter(chunks)));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(rate: f64, seed: u64, n: usize) -> Vec<Option<Fault>> {
        let mut d = FaultDecider::new(rate, seed);
        (0..n).map(|_| d.decide()).collect()
    }

    #[test]
    fn the_same_seed_replays_the_same_faults() {
        assert_eq!(run(0.3, 42, 1000), run(0.3, 42, 1000));
        assert_ne!(run(0.3, 42, 1000), run(0.3, 43, 1000));
    }

    #[test]
    fn the_rate_is_roughly_honoured_and_every_kind_occurs() {
        let faults: Vec<Fault> = run(0.2, 7, 10_000).into_iter().flatten().collect();
        let share = faults.len() as f64 / 10_000.0;
        assert!((0.18..0.22).contains(&share), "{share}");
        for kind in [
            FaultKind::Status(500),
            FaultKind::Status(502),
            FaultKind::Status(503),
            FaultKind::Drop,
        ] {
            assert!(faults.iter().any(|f| f.kind == kind), "{kind:?}");
        }
        assert!(faults.iter().any(|f| f.when == When::Before));
        assert!(faults.iter().any(|f| f.when == When::After));
    }

    #[test]
    fn no_rate_means_no_faults_and_nonsense_rates_are_tamed() {
        assert!(run(0.0, 1, 1000).iter().all(Option::is_none));
        assert!(run(f64::NAN, 1, 100).iter().all(Option::is_none));
        assert!(run(5.0, 1, 100).iter().all(Option::is_some));
    }

    #[test]
    fn a_bucket_admits_its_burst_then_refills_per_minute() {
        let mut b = Bucket::new(60, Duration::from_secs(60));
        let t0 = Instant::now();
        assert!((0..60).all(|_| b.take(t0)));
        assert!(!b.take(t0));
        assert!(b.take(t0 + Duration::from_millis(1100)));
        assert!(!b.take(t0 + Duration::from_millis(1100)));
    }
}
