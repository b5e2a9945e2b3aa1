//! Zoho's data centers (zoho-api.md B §6.1, Part A #20). An org lives in exactly one; its
//! tokens are only valid against that DC's accounts server and API domain.

use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataCenter {
    Us,
    Eu,
    In,
    Au,
    Jp,
    Ca,
    Cn,
    Sa,
}

impl DataCenter {
    pub const ALL: [DataCenter; 8] = [
        DataCenter::Us,
        DataCenter::Eu,
        DataCenter::In,
        DataCenter::Au,
        DataCenter::Jp,
        DataCenter::Ca,
        DataCenter::Cn,
        DataCenter::Sa,
    ];

    /// The name used in config.toml and on the command line; also Zoho's `location` value in
    /// the authorization redirect.
    pub fn slug(self) -> &'static str {
        match self {
            DataCenter::Us => "us",
            DataCenter::Eu => "eu",
            DataCenter::In => "in",
            DataCenter::Au => "au",
            DataCenter::Jp => "jp",
            DataCenter::Ca => "ca",
            DataCenter::Cn => "cn",
            DataCenter::Sa => "sa",
        }
    }

    /// The accounts server; the token endpoint is `{accounts_url}/oauth/v2/token`.
    pub fn accounts_url(self) -> &'static str {
        match self {
            DataCenter::Us => "https://accounts.zoho.com",
            DataCenter::Eu => "https://accounts.zoho.eu",
            DataCenter::In => "https://accounts.zoho.in",
            DataCenter::Au => "https://accounts.zoho.com.au",
            DataCenter::Jp => "https://accounts.zoho.jp",
            // Canada is the odd one out: its accounts server is not under zoho.*.
            DataCenter::Ca => "https://accounts.zohocloud.ca",
            DataCenter::Cn => "https://accounts.zoho.com.cn",
            DataCenter::Sa => "https://accounts.zoho.sa",
        }
    }

    /// The production API domain; requests go to `{api_domain}/crm/v8/…`. The token response's
    /// `api_domain` takes precedence when present (B §6.2).
    pub fn api_domain(self) -> &'static str {
        match self {
            DataCenter::Us => "https://www.zohoapis.com",
            DataCenter::Eu => "https://www.zohoapis.eu",
            DataCenter::In => "https://www.zohoapis.in",
            DataCenter::Au => "https://www.zohoapis.com.au",
            DataCenter::Jp => "https://www.zohoapis.jp",
            DataCenter::Ca => "https://www.zohoapis.ca",
            DataCenter::Cn => "https://www.zohoapis.com.cn",
            DataCenter::Sa => "https://www.zohoapis.sa",
        }
    }
}

impl fmt::Display for DataCenter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown data center {0:?} (expected one of: us, eu, in, au, jp, ca, cn, sa)")]
pub struct UnknownDataCenter(pub String);

impl FromStr for DataCenter {
    type Err = UnknownDataCenter;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        DataCenter::ALL
            .into_iter()
            .find(|dc| dc.slug().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| UnknownDataCenter(s.to_string()))
    }
}

impl serde::Serialize for DataCenter {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.slug())
    }
}

impl<'de> serde::Deserialize<'de> for DataCenter {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(DataCenter::Eu, "https://accounts.zoho.eu", "https://www.zohoapis.eu")]
    #[case(
        DataCenter::Ca,
        "https://accounts.zohocloud.ca",
        "https://www.zohoapis.ca"
    )]
    #[case(
        DataCenter::Cn,
        "https://accounts.zoho.com.cn",
        "https://www.zohoapis.com.cn"
    )]
    #[case(
        DataCenter::Us,
        "https://accounts.zoho.com",
        "https://www.zohoapis.com"
    )]
    #[case(
        DataCenter::Au,
        "https://accounts.zoho.com.au",
        "https://www.zohoapis.com.au"
    )]
    fn table_matches_zoho(#[case] dc: DataCenter, #[case] accounts: &str, #[case] api: &str) {
        assert_eq!(dc.accounts_url(), accounts);
        assert_eq!(dc.api_domain(), api);
    }

    #[test]
    fn every_endpoint_is_https_without_a_trailing_slash() {
        for dc in DataCenter::ALL {
            for url in [dc.accounts_url(), dc.api_domain()] {
                assert!(url.starts_with("https://") && !url.ends_with('/'), "{url}");
                crate::config::check_url(url).unwrap();
            }
        }
    }

    #[test]
    fn parses_case_insensitively_and_displays_lower_case() {
        for dc in DataCenter::ALL {
            assert_eq!(dc.to_string().parse::<DataCenter>().unwrap(), dc);
            assert_eq!(dc.slug().to_uppercase().parse::<DataCenter>().unwrap(), dc);
        }
        assert_eq!(" Eu ".parse::<DataCenter>().unwrap(), DataCenter::Eu);
        let err = "uk".parse::<DataCenter>().unwrap_err().to_string();
        assert!(err.contains("\"uk\"") && err.contains("us, eu"), "{err}");
    }
}
