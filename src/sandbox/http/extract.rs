//! Request extractors that answer in Zoho's error format: a JSON body read regardless of its
//! Content-Type (the SDK sometimes sends none), capped at 1 MiB, and query parameters.

use std::collections::HashMap;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde_json::{Value, json};

use super::respond::ApiError;
use crate::domain::codes;

pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The request body as JSON; `None` when there is no body at all.
pub struct JsonBody(pub Option<Value>);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, ApiError> {
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
            return Err(too_large());
        }
        let bytes = axum::body::to_bytes(req.into_body(), MAX_BODY_BYTES)
            .await
            .map_err(|_| too_large())?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(JsonBody(None));
        }
        serde_json::from_slice(&bytes)
            .map(|v| JsonBody(Some(v)))
            .map_err(|e| {
                ApiError::bad_request(
                    codes::INVALID_DATA,
                    "body is not a valid JSON",
                    json!({"line": e.line(), "column": e.column(), "reason": e.to_string()}),
                )
            })
    }
}

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        codes::LIMIT_EXCEEDED,
        "the request body is larger than 1 MiB",
        json!({"limit": MAX_BODY_BYTES}),
    )
}

/// Query parameters. Repeated names keep the last value; `layout_ID` (the docs' spelling) is
/// read as `layout_id`.
pub struct Params(pub HashMap<String, String>);

impl Params {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// A positive integer parameter with a default and an upper bound; bad values are
    /// `INVALID_DATA` naming the parameter.
    pub fn int(&self, name: &str, default: u64, max: u64) -> Result<u64, ApiError> {
        match self.get(name) {
            None => Ok(default),
            Some(s) => s
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|n| *n >= 1 && *n <= max)
                .ok_or_else(|| ApiError::invalid_param(name)),
        }
    }

    /// `true`/`false` in any case (the SDK sends `True`/`False`).
    pub fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(s) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(s) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(_) => Err(ApiError::invalid_param(name)),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let raw = parts.uri.query().unwrap_or("");
        let pairs: Vec<(String, String)> = serde_urlencoded_pairs(raw)?;
        let mut map = HashMap::new();
        for (k, v) in pairs {
            let k = if k == "layout_ID" {
                "layout_id".to_string()
            } else {
                k
            };
            map.insert(k, v);
        }
        Ok(Params(map))
    }
}

fn serde_urlencoded_pairs(raw: &str) -> Result<Vec<(String, String)>, ApiError> {
    let uri: axum::http::Uri = format!("/?{raw}")
        .parse()
        .map_err(|_| ApiError::invalid_param("query"))?;
    axum::extract::Query::<Vec<(String, String)>>::try_from_uri(&uri)
        .map(|q| q.0)
        .map_err(|_| ApiError::invalid_param("query"))
}
