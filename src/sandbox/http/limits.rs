//! `--latency-ms` and `--max-concurrency`: the slowness and the throttling of a real Zoho org,
//! on demand, so clients can be tested against both.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::AppState;
use super::respond::ApiError;
use crate::domain::codes;

/// Decrements the in-flight count however the request ends (even if the client goes away).
struct InFlight<'a>(&'a std::sync::atomic::AtomicUsize);

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
    let now_in_flight = state.in_flight.fetch_add(1, Ordering::AcqRel) + 1;
    let _guard = InFlight(&state.in_flight);
    if let Some(max) = state.options.max_concurrency
        && now_in_flight > max
    {
        return ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            codes::TOO_MANY_REQUESTS,
            "The concurrency limit of the user for the app is exceeded",
            json!({"limit": max}),
        )
        .into_response();
    }
    if !state.options.latency.is_zero() {
        tokio::time::sleep(state.options.latency).await;
    }
    next.run(req).await
}
