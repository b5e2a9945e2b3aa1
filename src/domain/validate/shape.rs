//! Reading raw request JSON key by key, collecting every shape problem instead of stopping at
//! the first: a form wants all of them, the sandbox reports the first.
//!
//! Conventions, shared by create and update: a missing mandatory key and a mandatory key set to
//! `null` are both MANDATORY_NOT_FOUND; a value of the wrong JSON type is INVALID_DATA "Invalid
//! data type" with Zoho's `expected_data_type` name; a list longer than the request schema allows
//! is INVALID_DATA "Invalid data" with `maximum_length` (official examples 13–45 of
//! `postScoringRules`).

use serde_json::{Map, Value};

use super::text::kind_of;
use crate::domain::id::{Id, id_from_json};
use crate::domain::violation::{RulePath, Violation, codes};

pub const MANDATORY_MESSAGE: &str = "required field not found";
pub const TYPE_MESSAGE: &str = "Invalid data type";
/// Zoho's message for schema-level value problems (list lengths, enumerations).
pub const SCHEMA_MESSAGE: &str = "Invalid data";

/// Longest id Zoho issues: 19 digits.
const MAX_ID_DIGITS: usize = 19;

#[derive(Default)]
pub struct Shape {
    pub errs: Vec<Violation>,
}

impl Shape {
    pub fn into_result<T>(self, value: Option<T>) -> Result<T, Vec<Violation>> {
        match value {
            Some(v) if self.errs.is_empty() => Ok(v),
            _ if self.errs.is_empty() => Err(vec![internal_gap()]),
            _ => Err(self.errs),
        }
    }

    pub fn missing(&mut self, path: RulePath) {
        let hint = format!("{} is required", path.last_key().unwrap_or("a value"));
        self.errs
            .push(Violation::new(codes::MANDATORY_NOT_FOUND, MANDATORY_MESSAGE, path).hint(hint));
    }

    pub fn wrong_type(&mut self, path: RulePath, expected: &'static str, got: &Value) {
        let want = match expected {
            "text" => "text",
            "boolean" => "true or false",
            "integer" => "a whole number",
            "bigint" => "an id (a numeric string of 1 to 19 digits)",
            "jsonarray" => "a list",
            "jsonobject" => "an object",
            other => other,
        };
        let hint = format!("expected {want}, got {}", kind_of(got));
        self.errs.push(
            Violation::new(codes::INVALID_DATA, TYPE_MESSAGE, path)
                .detail("expected_data_type", expected)
                .hint(hint),
        );
    }

    pub fn too_many(&mut self, path: RulePath, max: usize, n: usize) {
        self.errs.push(
            Violation::new(codes::INVALID_DATA, SCHEMA_MESSAGE, path)
                .detail("maximum_length", max)
                .hint(format!("at most {max} entries ({n})")),
        );
    }

    pub fn unsupported(&mut self, path: RulePath, supported: &[&str], got: &str) {
        let list = supported.join(", ");
        self.errs.push(
            Violation::new(codes::INVALID_DATA, SCHEMA_MESSAGE, path)
                .detail("supported_values", supported)
                .hint(format!(
                    "{} is not one of {list}",
                    crate::display::quote(got)
                )),
        );
    }

    pub fn object<'v>(&mut self, v: &'v Value, path: &RulePath) -> Option<&'v Map<String, Value>> {
        match v {
            Value::Object(m) => Some(m),
            other => {
                self.wrong_type(path.clone(), "jsonobject", other);
                None
            }
        }
    }

    /// A mandatory key: absent or `null` is reported as missing.
    pub fn required<'v>(
        &mut self,
        m: &'v Map<String, Value>,
        key: &str,
        at: &RulePath,
    ) -> Option<&'v Value> {
        match m.get(key) {
            None | Some(Value::Null) => {
                self.missing(at.key(key));
                None
            }
            Some(v) => Some(v),
        }
    }

    pub fn text(&mut self, v: &Value, path: &RulePath) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            other => {
                self.wrong_type(path.clone(), "text", other);
                None
            }
        }
    }

    /// Optional text: absent or `null` is `None`, anything but a string is a type error.
    pub fn opt_text(&mut self, m: &Map<String, Value>, key: &str, at: &RulePath) -> Option<String> {
        match m.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => self.text(v, &at.key(key)),
        }
    }

    pub fn id(&mut self, v: &Value, path: &RulePath) -> Option<Id> {
        match id_from_json(v).filter(|id| id.as_str().len() <= MAX_ID_DIGITS) {
            Some(id) => Some(id),
            None => {
                self.wrong_type(path.clone(), "bigint", v);
                None
            }
        }
    }

    pub fn opt_id(&mut self, m: &Map<String, Value>, key: &str, at: &RulePath) -> Option<Id> {
        match m.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => self.id(v, &at.key(key)),
        }
    }

    /// Scores are JSON integers: `10.5`, `10.0` and `"10"` are type errors. Integers beyond
    /// `i64` saturate, so the range check still reports them as out of range.
    pub fn integer(&mut self, v: &Value, path: &RulePath) -> Option<i64> {
        match v {
            Value::Number(n) if n.is_i64() => n.as_i64(),
            Value::Number(n) if n.is_u64() => Some(i64::MAX),
            other => {
                self.wrong_type(path.clone(), "integer", other);
                None
            }
        }
    }

    pub fn boolean(&mut self, v: &Value, path: &RulePath) -> Option<bool> {
        match v {
            Value::Bool(b) => Some(*b),
            other => {
                self.wrong_type(path.clone(), "boolean", other);
                None
            }
        }
    }

    /// An optional list (`null` allowed). A list over `max` is reported and its items are not
    /// read: thousands of findings about items that would be refused anyway help no one.
    pub fn opt_list<'v>(
        &mut self,
        m: &'v Map<String, Value>,
        key: &str,
        at: &RulePath,
        max: usize,
    ) -> Option<&'v [Value]> {
        match m.get(key) {
            None | Some(Value::Null) => Some(&[]),
            Some(Value::Array(items)) if items.len() > max => {
                self.too_many(at.key(key), max, items.len());
                None
            }
            Some(Value::Array(items)) => Some(items),
            Some(other) => {
                self.wrong_type(at.key(key), "jsonarray", other);
                None
            }
        }
    }
}

/// A reader returned nothing without saying why. Every reader reports before returning `None`,
/// so this cannot happen; answering with a violation keeps that promise from turning into a
/// panic if a future edit breaks it.
fn internal_gap() -> Violation {
    Violation::new(codes::INVALID_DATA, SCHEMA_MESSAGE, RulePath::root())
        .hint("the rule could not be read")
}
