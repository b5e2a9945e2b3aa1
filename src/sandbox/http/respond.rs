//! Zoho's response envelopes: bare errors for URL and parameter problems, `{"scoring_rules":[…]}`
//! item lists for body problems (201/200 all OK, 207 mixed, 400 all failed), and JSON with the
//! `application/json` content type the official SDK insists on.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::domain::{Id, Violation, codes};

pub const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";

pub fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut resp = (status, body.to_string()).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    resp
}

pub fn ok(body: Value) -> Response {
    json_response(StatusCode::OK, &body)
}

/// 200 with `body` serialized straight to text, without building a `Value` first: for the
/// large answers (a module's layouts and fields) a large org's load asks for by the hundred.
pub fn ok_typed<T: serde::Serialize>(body: &T) -> Response {
    match serde_json::to_string(body) {
        Ok(text) => {
            let mut resp = (StatusCode::OK, text).into_response();
            resp.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(JSON_CONTENT_TYPE),
            );
            resp
        }
        Err(e) => {
            tracing::error!("cannot serialize an answer: {e}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// An error answered as one bare object.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: Value,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: &str, details: Value) -> Self {
        ApiError {
            status,
            body: json!({"code": code, "details": details, "message": message, "status": "error"}),
        }
    }

    pub fn bad_request(code: &str, message: &str, details: Value) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message, details)
    }

    /// The id in the URL names nothing (`resource_path_index` counts segments after `/crm/v8/`).
    pub fn invalid_path_id(index: usize) -> Self {
        Self::bad_request(
            codes::INVALID_DATA,
            "The id given seems to be invalid",
            json!({"resource_path_index": index}),
        )
    }

    /// A record id in an entity-scores path that names no record.
    pub fn invalid_related_id() -> Self {
        Self::bad_request(
            codes::INVALID_DATA,
            "The related id given seems to be invalid",
            json!({"resource_path_index": 1}),
        )
    }

    pub fn invalid_param(name: &str) -> Self {
        Self::bad_request(
            codes::INVALID_DATA,
            "Please check whether the input values are correct",
            json!({"param_name": name}),
        )
    }

    pub fn missing_param(name: &str) -> Self {
        Self::bad_request(
            codes::REQUIRED_PARAM_MISSING,
            "required param is missing",
            json!({"param_name": name}),
        )
    }

    pub fn invalid_module() -> Self {
        Self::bad_request(
            codes::INVALID_MODULE,
            "the module name given seems to be invalid",
            json!({"resource_path_index": 0}),
        )
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            codes::INVALID_URL_PATTERN,
            "Please check if the URL trying to access is a correct one",
            json!({}),
        )
    }

    /// A body-level error on a call without per-item results (e.g. a malformed envelope).
    pub fn body(violation: &Violation) -> Self {
        let mut wire = violation.to_wire(0);
        if let Some(Value::Object(d)) = wire.get_mut("details")
            && let Some(Value::String(p)) = d.get_mut("json_path")
        {
            // Envelope paths are rooted at `$`, not at an item.
            *p = p.replacen("$.scoring_rules[0]", "$", 1);
        }
        ApiError {
            status: StatusCode::BAD_REQUEST,
            body: wire,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(self.status, &self.body)
    }
}

pub fn success_item(message: &str, details: Value) -> Value {
    json!({"code": codes::SUCCESS, "details": details, "message": message, "status": "success"})
}

pub fn id_details(id: &Id) -> Value {
    json!({"id": id})
}

/// Per-item results in input order, with the status Zoho gives the mix.
pub fn items_response(items: Vec<Result<Value, Value>>, all_ok: StatusCode) -> Response {
    let oks = items.iter().filter(|i| i.is_ok()).count();
    let status = if oks == items.len() {
        all_ok
    } else if oks == 0 {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::MULTI_STATUS
    };
    let list: Vec<Value> = items.into_iter().map(|i| i.unwrap_or_else(|e| e)).collect();
    json_response(status, &json!({ "scoring_rules": list }))
}
