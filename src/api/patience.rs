//! How long the client waits and what it says while it does. A stalled server is given a few
//! seconds to connect and a bounded silence per read (`Timeouts`), a failure is retried with
//! backoff and announced (`RetryNotice`, through the client's hook: a line on stderr in the CLI,
//! the status bar in the TUI), a rate limit is waited out per `Retry-After` or with backoff up
//! to the rate window, and nothing waits past the `Budget`.

use std::sync::Arc;
use std::time::{Duration, Instant};

/// The network timeouts of every request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// Opening the connection (TCP and TLS handshake).
    pub connect: Duration,
    /// Silence while waiting for the answer or its next bytes: a server that stops sending
    /// fails the attempt after this, however long the answer has been coming.
    pub idle: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(5),
            idle: Duration::from_secs(30),
        }
    }
}

/// The most time a piece of work may take, retries and waits included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Budget {
    /// Everything one command sends, counted from when its client is made (the CLI).
    Command(Duration),
    /// Each call on its own (the TUI, which lives longer than any one piece of work).
    Call(Duration),
}

impl Budget {
    pub fn duration(&self) -> Duration {
        match self {
            Budget::Command(d) | Budget::Call(d) => *d,
        }
    }

    /// What ran out, for the message that says so.
    pub fn scope(&self) -> &'static str {
        match self {
            Budget::Command(_) => "the command's time budget ran out (--timeout sets it)",
            Budget::Call(_) => "the time allowed for one request ran out",
        }
    }
}

/// One retry about to happen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryNotice {
    /// 1 for the first retry.
    pub attempt: u32,
    /// Retries allowed for this failure; `None` for a rate limit, which is waited out until
    /// the budget runs out.
    pub of: Option<u32>,
    /// The pause before it.
    pub wait: Duration,
    /// What went wrong: `HTTP 503`, `timed out`, `rate limited`.
    pub why: String,
}

impl RetryNotice {
    /// `Zoho is not answering (HTTP 503), retry 2 of 6 in 0.4 s…` or, for a rate limit,
    /// `Zoho is rate limiting; waiting 12 s (retry 3)…`.
    pub fn text(&self) -> String {
        match self.of {
            Some(of) => format!(
                "Zoho is not answering ({}), retry {} of {of} in {}…",
                self.why,
                self.attempt,
                human(self.wait)
            ),
            None => format!(
                "Zoho is rate limiting; waiting {} (retry {})…",
                human(self.wait),
                self.attempt
            ),
        }
    }
}

/// Told about every retry; must return quickly (it runs inside the request pipeline).
pub type RetryHook = Arc<dyn Fn(&RetryNotice) + Send + Sync>;

/// `backoff × 2^(attempt-1)`, capped at `cap`, scaled by a random factor in [0.5, 1) so
/// clients that failed together do not come back together.
pub fn backoff(base: Duration, attempt: u32, cap: Duration) -> Duration {
    let ceiling = base
        .saturating_mul(1 << attempt.saturating_sub(1).min(20))
        .min(cap);
    ceiling.mul_f64(0.5 + random_unit() * 0.5)
}

/// A `Retry-After` header: seconds, or an HTTP date (what is left until it).
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let v = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let left = at.timestamp_millis() - chrono::Utc::now().timestamp_millis();
    Some(Duration::from_millis(u64::try_from(left).unwrap_or(0)))
}

/// `0.4 s`, `12 s`, `2 min 5 s`: how long, for people.
pub fn human(d: Duration) -> String {
    let secs = d.as_secs();
    if secs >= 60 {
        let (m, s) = (secs / 60, secs % 60);
        if s == 0 {
            format!("{m} min")
        } else {
            format!("{m} min {s} s")
        }
    } else if d < Duration::from_secs(10) {
        format!("{:.1} s", d.as_secs_f64())
    } else {
        format!("{secs} s")
    }
}

/// A cheap random number in [0, 1): jitter only needs to spread clients apart.
fn random_unit() -> f64 {
    use std::collections::hash_map::RandomState;
    use std::hash::BuildHasher;
    let n = RandomState::new().hash_one(Instant::now());
    (n >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_stops_at_the_cap() {
        let base = Duration::from_millis(100);
        let cap = Duration::from_secs(60);
        for attempt in 1..=30 {
            let d = backoff(base, attempt, cap);
            let ceiling = (base * 2u32.pow(attempt.min(20) - 1)).min(cap);
            assert!(d >= ceiling / 2 && d <= ceiling, "{attempt}: {d:?}");
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut h = reqwest::header::HeaderMap::new();
        assert_eq!(retry_after(&h), None);
        h.insert(reqwest::header::RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(
            reqwest::header::RETRY_AFTER,
            "Sun, 06 Nov 1994 08:49:37 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        h.insert(reqwest::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn notices_read_as_the_status_bar_shows_them() {
        let n = RetryNotice {
            attempt: 2,
            of: Some(5),
            wait: Duration::from_millis(400),
            why: "HTTP 503".into(),
        };
        assert_eq!(
            n.text(),
            "Zoho is not answering (HTTP 503), retry 2 of 5 in 0.4 s…"
        );
        let n = RetryNotice {
            attempt: 3,
            of: None,
            wait: Duration::from_secs(75),
            why: "rate limited".into(),
        };
        assert_eq!(
            n.text(),
            "Zoho is rate limiting; waiting 1 min 15 s (retry 3)…"
        );
    }
}
