//! Which base URLs the client will talk to: https anywhere, plain http only on loopback, so a
//! token never crosses a network in clear text (Part A #20).

use super::error::ApiError;
use crate::config::ConfigError;

/// The one rule (`config::check_url`), as the client's error.
pub fn check_url(url: &str) -> Result<(), ApiError> {
    crate::config::check_url(url).map_err(|e| match e {
        ConfigError::InsecureUrl { .. } => ApiError::InsecureUrl(url.to_string()),
        _ => ApiError::BadUrl(url.to_string()),
    })
}

/// `https://host/` → `https://host`: paths are appended to it.
pub fn trim_base(url: &str) -> String {
    url.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_on_loopback() {
        for ok in [
            "https://www.zohoapis.eu",
            "http://127.0.0.1:7878",
            "http://localhost",
            "http://[::1]:9",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.1",
            "http://example.com",
            "ftp://x",
            "garbage",
            "http://127.0.0.1.evil.com",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }
}
