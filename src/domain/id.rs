//! Zoho record and metadata ids.
//!
//! Zoho answers ids as numeric strings of up to 19 digits, but its official SDK sends many of
//! them (module, layout, field, signal ids) as JSON numbers. `Id` reads both and always writes a
//! string, so whatever we send back parses in every client.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Id(String);

impl Id {
    /// An id from text the caller already trusts (seed data, ids we minted).
    pub fn new(s: impl Into<String>) -> Self {
        Id(s.into())
    }

    /// A Zoho-shaped id: 1 to 19 ASCII digits. Anything else is not an id Zoho would accept.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        (!s.is_empty() && s.len() <= 19 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| Id(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Numeric value, for id generators that count upwards.
    pub fn as_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<u64> for Id {
    fn from(v: u64) -> Self {
        Id(v.to_string())
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl Visitor<'_> for IdVisitor {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an id as a numeric string or a JSON number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
                Ok(Id(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Id, E> {
                Ok(Id(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Id, E> {
                Ok(Id(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Id, E> {
                if v < 0 {
                    return Err(E::custom("an id cannot be negative"));
                }
                Ok(Id(v.to_string()))
            }
        }
        d.deserialize_any(IdVisitor)
    }
}

/// Reads an id from a raw JSON value the way the sandbox accepts it: a numeric string or a
/// non-negative integer number.
pub fn id_from_json(v: &serde_json::Value) -> Option<Id> {
    match v {
        serde_json::Value::String(s) => Id::parse(s),
        serde_json::Value::Number(n) => n.as_u64().map(Id::from),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_strings_and_numbers_writes_strings() {
        let a: Id = serde_json::from_str("\"4876876000000002175\"").unwrap();
        let b: Id = serde_json::from_str("4876876000000002175").unwrap();
        assert_eq!(a, b);
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            "\"4876876000000002175\""
        );
    }

    #[test]
    fn parse_accepts_only_zoho_shaped_ids() {
        assert!(Id::parse("1234567890123456789").is_some());
        assert!(Id::parse("12345678901234567890").is_none());
        assert!(Id::parse("12a").is_none());
        assert!(Id::parse("").is_none());
    }
}
