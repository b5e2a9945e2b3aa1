//! Part A #20: tokens and secrets travel to the accounts server and the API domain, so those
//! must be HTTPS. The one exception is loopback, where `zscore sandbox` listens.

use std::net::IpAddr;

use super::ConfigError;

/// Refuses plain `http://` unless the host is loopback (127.0.0.0/8, `::1`, `localhost`), and
/// anything that is not an absolute http(s) URL with a host.
///
/// Parsed with the same parser the HTTP client uses (`reqwest::Url`), so the host checked here
/// is the host connected to: `http://127.0.0.1@evil.example` or `http://127.0.0.1.evil.example`
/// cannot slip through a hand-rolled reading of the string.
pub fn check_url(url: &str) -> Result<(), ConfigError> {
    let invalid = |reason: String| ConfigError::InvalidUrl {
        url: url.to_string(),
        reason,
    };
    let parsed = reqwest::Url::parse(url).map_err(|e| invalid(e.to_string()))?;
    let host = match parsed.host_str() {
        Some(h) if !h.is_empty() => h,
        _ => return Err(invalid("it has no host".to_string())),
    };
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(host) => Ok(()),
        "http" => Err(ConfigError::InsecureUrl {
            host: host.to_string(),
        }),
        other => Err(invalid(format!(
            "the scheme is {other:?}; use https:// (or http:// on loopback)"
        ))),
    }
}

fn is_loopback(host: &str) -> bool {
    // `host_str` keeps IPv6 literals in brackets and has already normalised IPv4 forms such as
    // `127.1` or `0x7f000001` to dotted decimal, and lower-cased domain names.
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => bare == "localhost",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("http://127.0.0.1:7878")]
    #[case("http://127.0.0.1:7878/")]
    #[case("http://127.5.6.7")]
    #[case("http://localhost")]
    #[case("http://LOCALHOST:8080/x")]
    #[case("http://[::1]:1")]
    #[case("https://www.zohoapis.eu")]
    #[case("https://accounts.zohocloud.ca")]
    #[case("https://10.0.0.1")]
    fn accepted(#[case] url: &str) {
        check_url(url).unwrap();
    }

    #[rstest]
    #[case("http://10.0.0.1")]
    #[case("http://example.com")]
    #[case("http://www.zohoapis.eu")]
    #[case("http://127.0.0.1.evil.example")]
    #[case("http://127.0.0.1@evil.example")]
    #[case("http://localhost.evil.example")]
    #[case("http://[::2]")]
    #[case("http://0.0.0.0:7878")]
    fn refused_as_insecure(#[case] url: &str) {
        let err = check_url(url).unwrap_err();
        assert!(
            matches!(err, ConfigError::InsecureUrl { .. }),
            "{url}: {err}"
        );
        assert!(err.to_string().contains("use https://"), "{err}");
    }

    #[rstest]
    #[case("garbage")]
    #[case("")]
    #[case("www.zohoapis.eu")]
    #[case("ftp://127.0.0.1")]
    #[case("file:///etc/passwd")]
    #[case("https://")]
    #[case("http://[::1")]
    fn refused_as_invalid(#[case] url: &str) {
        let err = check_url(url).unwrap_err();
        assert!(
            matches!(err, ConfigError::InvalidUrl { .. }),
            "{url}: {err}"
        );
    }
}
