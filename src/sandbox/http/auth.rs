//! OAuth as Zoho's accounts server does it, minus the accounts: any non-empty credentials get
//! a token, tokens expire after the `expires_in` we announce, and every API call needs
//! `Authorization: Zoho-oauthtoken <token>`.
//!
//! With `--require-token TOKEN` (needed to serve beyond loopback) the sandbox stops trusting
//! anyone: the token endpoint issues tokens only to callers whose `client_secret` is TOKEN, and
//! every other request, whatever its path, must carry `Zoho-oauthtoken` with an issued token or
//! TOKEN itself; anything else is answered 401 as Zoho answers a bad token.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::json;

use super::AppState;
use super::respond::json_response;
use crate::domain::codes;

/// Issued access tokens and when they stop working.
pub struct TokenStore {
    tokens: std::sync::Mutex<HashMap<String, Instant>>,
    ttl: Duration,
    hasher: RandomState,
    counter: AtomicU64,
}

pub enum TokenCheck {
    Valid,
    Missing,
    Invalid,
}

impl TokenStore {
    pub fn new(ttl: Duration) -> Self {
        TokenStore {
            tokens: std::sync::Mutex::new(HashMap::new()),
            ttl,
            hasher: RandomState::new(),
            counter: AtomicU64::new(1),
        }
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// A fresh token shaped like Zoho's (`1000.<hex>.<hex>`), unguessable across runs.
    pub fn random_token(&self) -> String {
        let mut parts = [0u64; 4];
        for p in &mut parts {
            let mut h = self.hasher.build_hasher();
            h.write_u64(self.counter.fetch_add(1, Ordering::Relaxed));
            h.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or(0),
            );
            *p = h.finish();
        }
        format!(
            "1000.{:016x}{:016x}.{:016x}{:016x}",
            parts[0], parts[1], parts[2], parts[3]
        )
    }

    pub fn issue(&self) -> String {
        let token = self.random_token();
        let mut map = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        map.retain(|_, exp| *exp > now);
        map.insert(token.clone(), now + self.ttl);
        token
    }

    /// Forgets every issued token, as if Zoho had revoked them (tests of client recovery).
    pub fn revoke_all(&self) {
        self.tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    pub fn check(&self, headers: &HeaderMap) -> TokenCheck {
        let Some(token) = presented_token(headers) else {
            return TokenCheck::Missing;
        };
        let map = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        match map.get(token) {
            Some(exp) if *exp > Instant::now() => TokenCheck::Valid,
            _ => TokenCheck::Invalid,
        }
    }
}

/// The token of an `Authorization: Zoho-oauthtoken <token>` header.
fn presented_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())?
        .strip_prefix("Zoho-oauthtoken ")
        .map(str::trim)
}

/// Compares without stopping at the first difference, so timing does not leak the token.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// An issued token, or the `--require-token` one.
fn check(state: &AppState, headers: &HeaderMap) -> TokenCheck {
    if let (Some(required), Some(given)) = (&state.options.require_token, presented_token(headers))
        && same_secret(required, given)
    {
        return TokenCheck::Valid;
    }
    state.tokens.check(headers)
}

fn refusal(check: TokenCheck) -> Option<Response> {
    match check {
        TokenCheck::Valid => None,
        TokenCheck::Missing => Some(json_response(
            StatusCode::UNAUTHORIZED,
            &json!({"code": codes::AUTHENTICATION_FAILURE, "details": {}, "message": "Authentication failed", "status": "error"}),
        )),
        TokenCheck::Invalid => Some(json_response(
            StatusCode::UNAUTHORIZED,
            &json!({"code": codes::INVALID_TOKEN, "details": {}, "message": "invalid oauth token", "status": "error"}),
        )),
    }
}

/// Rejects API calls without a live token (Part A #17).
pub async fn require_token(
    State(state): State<Arc<AppState>>,
    req: Request,
    next: Next,
) -> Response {
    match refusal(check(&state, req.headers())) {
        None => next.run(req).await,
        Some(answer) => answer,
    }
}

/// With `--require-token`, every path but the token endpoint needs a token, the sandbox's own
/// pages and unknown paths included (nothing is served to an unauthenticated caller).
pub async fn require_configured_token(
    State(state): State<Arc<AppState>>,
    req: Request,
    next: Next,
) -> Response {
    if state.options.require_token.is_none() || req.uri().path() == TOKEN_PATH {
        return next.run(req).await;
    }
    match refusal(check(&state, req.headers())) {
        None => next.run(req).await,
        Some(answer) => answer,
    }
}

pub const TOKEN_PATH: &str = "/oauth/v2/token";

/// `POST /oauth/v2/token`: form body (or query string), `refresh_token` and
/// `authorization_code` grants. Errors are `{"error": "…"}` as Zoho's accounts server sends them.
/// `api_domain` is the sandbox's public URL (see `SandboxOptions::public_url`), never the
/// request's `Host`, which the client chooses.
pub async fn token_endpoint(State(state): State<Arc<AppState>>, req: Request) -> Response {
    let query = req.uri().query().unwrap_or("").to_string();
    let body = match axum::body::to_bytes(req.into_body(), 64 * 1024).await {
        Ok(b) => b,
        Err(_) => return token_error("invalid_request"),
    };
    let mut form: HashMap<String, String> = parse_form(&query);
    form.extend(parse_form(&String::from_utf8_lossy(&body)));
    let field = |k: &str| form.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
    if field("client_id").is_none() {
        return token_error("invalid_client");
    }
    let Some(secret) = field("client_secret") else {
        return token_error("invalid_client_secret");
    };
    if let Some(required) = &state.options.require_token
        && !same_secret(required, secret)
    {
        return token_error("invalid_client_secret");
    }
    let expires_in = state.tokens.ttl().as_secs();
    let with_domain = |mut answer: serde_json::Value| {
        if let Some(url) = &state.options.public_url {
            answer["api_domain"] = json!(url);
        }
        answer
    };
    match field("grant_type") {
        Some("refresh_token") => {
            if field("refresh_token").is_none() {
                return token_error("invalid_code");
            }
            let token = state.tokens.issue();
            json_response(
                StatusCode::OK,
                &with_domain(
                    json!({"access_token": token, "token_type": "Bearer", "expires_in": expires_in}),
                ),
            )
        }
        Some("authorization_code") => match field("code") {
            // A grant code is single-use and short-lived at Zoho; the sandbox lets tests ask
            // for the failure by name.
            None => token_error("invalid_code"),
            Some(code) if code.starts_with("invalid") || code.starts_with("expired") => {
                token_error("invalid_code")
            }
            Some(_) => {
                let token = state.tokens.issue();
                let refresh = state.tokens.random_token();
                json_response(
                    StatusCode::OK,
                    &with_domain(json!({"access_token": token, "refresh_token": refresh,
                            "token_type": "Bearer", "expires_in": expires_in})),
                )
            }
        },
        _ => token_error("unsupported_grant_type"),
    }
}

fn token_error(error: &str) -> Response {
    json_response(StatusCode::BAD_REQUEST, &json!({ "error": error }))
}

fn parse_form(s: &str) -> HashMap<String, String> {
    let uri = format!("/?{s}").parse::<axum::http::Uri>();
    uri.ok()
        .and_then(|u| axum::extract::Query::<Vec<(String, String)>>::try_from_uri(&u).ok())
        .map(|q| q.0.into_iter().collect())
        .unwrap_or_default()
}
