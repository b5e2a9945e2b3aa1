//! `--latency-ms` and the concurrency cap: the slowness and the throttling of a real Zoho org,
//! so clients can be tested against both. Zoho answers 429 when an app has more calls in
//! flight for an org than its edition allows; the sandbox does the same by default
//! (`--max-concurrency` overrides the edition's limit).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::AppState;
use super::auth::TOKEN_PATH;
use super::respond::ApiError;
use crate::domain::codes;

/// Decrements the in-flight count however the request ends (even if the client goes away).
struct InFlight<'a>(&'a AtomicUsize);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

pub async fn latency_and_concurrency(
    State(state): State<Arc<AppState>>,
    req: Request,
    next: Next,
) -> Response {
    // The token endpoint stands for Zoho's accounts server, whose limits are its own.
    let counted = req.uri().path() != TOKEN_PATH;
    let _guard = if counted {
        let now_in_flight = state.in_flight.fetch_add(1, Ordering::AcqRel) + 1;
        let guard = InFlight(&state.in_flight);
        state
            .peak_in_flight
            .fetch_max(now_in_flight, Ordering::AcqRel);
        if let Some(max) = state.concurrency_cap
            && now_in_flight > max
        {
            state.throttled.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(
                in_flight = now_in_flight,
                cap = max,
                "concurrency cap: answered 429"
            );
            // Zoho publishes no 429 body; this is the shape third-party clients record
            // (zoho-api.md Part A #18), with the status-codes page's reason as the message.
            return ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                codes::TOO_MANY_REQUESTS,
                "The concurrency limit of the user for the app is exceeded",
                json!({}),
            )
            .into_response();
        }
        Some(guard)
    } else {
        None
    };
    if !state.options.latency.is_zero() {
        tokio::time::sleep(state.options.latency).await;
    }
    next.run(req).await
}
