//! Per-item results of multi-rule calls (create, update, delete, execute): each item either
//! succeeded (with its id or job id) or failed with its own Zoho error, in request order.

use serde_json::Value;

use super::error::{ApiError, ZohoError};
use crate::domain::Id;

#[derive(Clone, Debug, PartialEq)]
pub struct Success {
    pub code: String,
    pub message: String,
    pub details: Value,
}

impl Success {
    pub fn id(&self) -> Option<Id> {
        self.details
            .get("id")
            .and_then(crate::domain::id::id_from_json)
    }

    pub fn job_id(&self) -> Option<Id> {
        self.details
            .get("job_id")
            .and_then(crate::domain::id::id_from_json)
    }
}

pub type ItemResult = Result<Success, ZohoError>;

/// Reads `{"scoring_rules": [...]}` or a bare item (execute by layout answers one object).
pub fn parse_items(
    status: u16,
    body: Option<&Value>,
    what: &str,
) -> Result<Vec<ItemResult>, ApiError> {
    let Some(body) = body else {
        return Ok(Vec::new());
    };
    let list: Vec<&Value> = match body.get("scoring_rules") {
        Some(Value::Array(items)) => items.iter().collect(),
        _ => vec![body],
    };
    list.into_iter()
        .map(|item| parse_item(status, item, what))
        .collect()
}

fn parse_item(status: u16, item: &Value, what: &str) -> Result<ItemResult, ApiError> {
    let st = item.get("status").and_then(Value::as_str);
    let code = item.get("code").and_then(Value::as_str);
    match (st, code) {
        (Some("success"), Some(code)) => Ok(Ok(Success {
            code: code.to_string(),
            message: item
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            details: item.get("details").cloned().unwrap_or(Value::Null),
        })),
        _ => match ZohoError::from_value(status, item) {
            Some(z) => Ok(Err(z)),
            None => Err(ApiError::Decode {
                what: what.to_string(),
                detail: "an item is neither a success nor an error".into(),
            }),
        },
    }
}

/// The one item of a single-rule call, or the error it carries.
pub fn single(items: Vec<ItemResult>, what: &str) -> Result<Success, ApiError> {
    match items.into_iter().next() {
        Some(Ok(s)) => Ok(s),
        Some(Err(z)) => Err(ApiError::Zoho(z)),
        None => Err(ApiError::Decode {
            what: what.to_string(),
            detail: "no result item".into(),
        }),
    }
}
