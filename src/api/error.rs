//! What can go wrong talking to Zoho, typed so callers can tell a refused rule from a dead
//! network from a failed sign-in, and never shown as a raw JSON dump.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

use super::body::describe_cap;
use super::patience::human;
use crate::display::sanitize;

/// An error answer in Zoho's envelope: `{code, details, message, status: "error"}`. `code` is
/// an open string: codes this build has never seen still parse.
#[derive(Clone, Debug, PartialEq)]
pub struct ZohoError {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub details: Value,
}

impl ZohoError {
    /// Reads an error object; `None` when the value is not one.
    pub fn from_value(status: u16, v: &Value) -> Option<ZohoError> {
        let obj = v.as_object()?;
        let code = obj.get("code")?.as_str()?.to_string();
        if obj.get("status").and_then(Value::as_str) == Some("success") {
            return None;
        }
        Some(ZohoError {
            status,
            code,
            message: obj
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            details: obj.get("details").cloned().unwrap_or(Value::Null),
        })
    }

    /// `details.json_path`, `param_name` or `api_name`: where the problem is, if Zoho said.
    pub fn location(&self) -> Option<&str> {
        ["json_path", "param_name", "api_name"]
            .iter()
            .find_map(|k| self.details.get(*k).and_then(Value::as_str))
    }
}

/// Every part comes from the server, so each is made inert here, where the error becomes text:
/// a hostile code or message cannot reach a terminal raw through any caller.
impl fmt::Display for ZohoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", sanitize(&self.code), sanitize(&self.message))?;
        if let Some(at) = self.location() {
            write!(f, " at {}", sanitize(at))?;
        }
        if let Some(limit) = self.details.get("limit") {
            write!(f, ", limit {}", sanitize(&limit.to_string()))?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Zoho answered with an error.
    #[error("Zoho refused the request: {0}")]
    Zoho(ZohoError),
    /// The token endpoint refused the credentials.
    #[error("sign-in failed: {0}")]
    SignIn(String),
    /// No answer (connection refused, reset, timed out) after the retries allowed.
    #[error("network error: {0}")]
    Network(String),
    /// An answer that is not what Zoho sends.
    #[error("unexpected answer from {what}: {detail}")]
    Decode { what: String, detail: String },
    /// An answer past the size cap: read no further, and not asked for again.
    #[error(
        "the answer to {what} is larger than {}; it was not read further and not retried",
        describe_cap(*cap)
    )]
    TooLarge { what: String, cap: u64 },
    /// The budget ran out (retries and waits included); `last` is the last problem seen.
    #[error("gave up after {}: {scope}{}", human(*budget), last.as_deref().map(|l| format!(" (last: {l})")).unwrap_or_default())]
    OutOfTime {
        budget: Duration,
        scope: &'static str,
        last: Option<String>,
    },
    #[error("refusing insecure URL {0}: plain http:// is allowed only for loopback addresses")]
    InsecureUrl(String),
    #[error("invalid URL {0:?}")]
    BadUrl(String),
}

impl ApiError {
    pub fn zoho(&self) -> Option<&ZohoError> {
        match self {
            ApiError::Zoho(z) => Some(z),
            _ => None,
        }
    }

    pub fn code(&self) -> Option<&str> {
        self.zoho().map(|z| z.code.as_str())
    }
}

/// Human text for the token endpoint's `error` values.
pub fn sign_in_reason(error: &str) -> String {
    let why = match error {
        "invalid_code" => "the grant code or refresh token is invalid, expired or already used",
        "invalid_client" => "the client id is not known to this data center",
        "invalid_client_secret" => "the client secret does not match the client id",
        "invalid_redirect_uri" => "the redirect URI does not match the client's",
        "unsupported_grant_type" => "the token endpoint does not accept this grant type",
        "access_denied" => "access was denied",
        "Access Denied" => "too many token requests in ten minutes; wait and try again",
        _ => "",
    };
    // The value is the server's: inert before it becomes part of any message.
    let error = sanitize(error);
    if why.is_empty() {
        error
    } else {
        format!("{why} ({error})")
    }
}
