//! What can go wrong talking to Zoho, typed so callers can tell a refused rule from a dead
//! network from a failed sign-in, and never shown as a raw JSON dump.

use std::fmt;

use serde_json::Value;

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

impl fmt::Display for ZohoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.code, self.message)?;
        if let Some(at) = self.location() {
            write!(f, " at {at}")?;
        }
        if let Some(limit) = self.details.get("limit") {
            write!(f, ", limit {limit}")?;
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
    if why.is_empty() {
        error.to_string()
    } else {
        format!("{why} ({error})")
    }
}
