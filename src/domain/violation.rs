//! Validation findings, shaped so that one value serves both the wire and the forms.
//!
//! A `Violation` carries Zoho's error `code`, its wire `message` and `details`, a `path` relative
//! to the rule object (what a form attaches the error to), and a `hint` a person can act on
//! (Zoho's own messages are often just "invalid data"). `to_wire` renders the error item exactly
//! as Zoho does, with `json_path` rooted at `$.scoring_rules[i]`.

use std::fmt;

use serde_json::{Map, Value};

/// Error codes used by the scoring-rules API (and a few shared ones).
pub mod codes {
    pub const INVALID_DATA: &str = "INVALID_DATA";
    pub const MANDATORY_NOT_FOUND: &str = "MANDATORY_NOT_FOUND";
    pub const EXPECTED_FIELD_MISSING: &str = "EXPECTED_FIELD_MISSING";
    pub const DUPLICATE_DATA: &str = "DUPLICATE_DATA";
    pub const ALREADY_USED: &str = "ALREADY_USED";
    pub const NOT_SUPPORTED: &str = "NOT_SUPPORTED";
    pub const NOT_ALLOWED: &str = "NOT_ALLOWED";
    pub const AMBIGUITY_DURING_PROCESSING: &str = "AMBIGUITY_DURING_PROCESSING";
    pub const LIMIT_EXCEEDED: &str = "LIMIT_EXCEEDED";
    pub const ACTIVE_STATE_LIMIT_EXCEEDED: &str = "ACTIVE_STATE_LIMIT_EXCEEDED";
    pub const FIELD_LIMIT_EXCEEDED: &str = "FIELD_LIMIT_EXCEEDED";
    pub const FEATURE_NOT_SUPPORTED: &str = "FEATURE_NOT_SUPPORTED";
    pub const REQUIRED_PARAM_MISSING: &str = "REQUIRED_PARAM_MISSING";
    pub const INVALID_URL_PATTERN: &str = "INVALID_URL_PATTERN";
    pub const INVALID_REQUEST_METHOD: &str = "INVALID_REQUEST_METHOD";
    pub const INVALID_MODULE: &str = "INVALID_MODULE";
    pub const INVALID_TOKEN: &str = "INVALID_TOKEN";
    pub const AUTHENTICATION_FAILURE: &str = "AUTHENTICATION_FAILURE";
    pub const TOO_MANY_REQUESTS: &str = "TOO_MANY_REQUESTS";
    pub const ALREADY_SCHEDULED: &str = "ALREADY_SCHEDULED";
    pub const CANNOT_PERFORM_ACTION: &str = "CANNOT_PERFORM_ACTION";
    pub const DISCRETE_PAGINATION_LIMIT_EXCEEDED: &str = "DISCRETE_PAGINATION_LIMIT_EXCEEDED";
    pub const PAGINATION_LIMIT_EXCEEDED: &str = "PAGINATION_LIMIT_EXCEEDED";
    pub const TOKEN_BOUND_DATA_MISMATCH: &str = "TOKEN_BOUND_DATA_MISMATCH";
    pub const EXPIRED_VALUE: &str = "EXPIRED_VALUE";
    pub const SCHEDULED: &str = "SCHEDULED";
    pub const SUCCESS: &str = "SUCCESS";
}

/// One step of a path inside a rule object: a key or an array index.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path relative to one rule object, e.g. `field_rules[0].criteria.group[1].value`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct RulePath(pub Vec<Seg>);

impl RulePath {
    pub fn root() -> Self {
        RulePath(Vec::new())
    }

    pub fn key(&self, k: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.to_string()));
        p
    }

    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }

    /// The last key on the path: what Zoho reports as `details.api_name`.
    pub fn last_key(&self) -> Option<&str> {
        self.0.iter().rev().find_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Index(_) => None,
        })
    }

    pub fn starts_with(&self, prefix: &RulePath) -> bool {
        self.0.starts_with(&prefix.0)
    }

    /// `$.<path>` relative to the rule object; `to_wire` re-roots it under `$.scoring_rules[i]`.
    pub fn rel_json_path(&self) -> String {
        if self.0.is_empty() {
            "$".to_string()
        } else {
            format!("$.{self}")
        }
    }

    /// The JSON path as Zoho reports it for the rule at `rule_index` of the request body.
    pub fn json_path(&self, rule_index: usize) -> String {
        let root = format!("$.scoring_rules[{rule_index}]");
        if self.0.is_empty() {
            root
        } else {
            format!("{root}.{self}")
        }
    }
}

impl fmt::Display for RulePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for s in &self.0 {
            match s {
                Seg::Key(k) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    pub code: &'static str,
    /// Zoho's message, verbatim as in the official examples.
    pub message: String,
    /// Where in the rule the problem is; forms attach the error to this path.
    pub path: RulePath,
    /// Zoho's `details` minus the top-level `json_path` (added by `to_wire`). Nested
    /// `json_path` strings (in `exists_in`, `expected_fields`, …) are relative (`$.…`).
    pub details: Map<String, Value>,
    /// Whether the wire item carries `details.json_path` (EXPECTED_FIELD_MISSING does not).
    pub locate: bool,
    /// What a person should read: "at most 25 characters (26)".
    pub hint: String,
}

impl Violation {
    /// A violation at `path`, with `details.api_name` set to the path's last key.
    pub fn new(code: &'static str, message: impl Into<String>, path: RulePath) -> Self {
        let mut details = Map::new();
        if let Some(k) = path.last_key() {
            details.insert("api_name".into(), Value::String(k.to_string()));
        }
        let message = message.into();
        Violation {
            code,
            hint: message.clone(),
            message,
            path,
            details,
            locate: true,
        }
    }

    pub fn detail(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.details.insert(key.to_string(), value.into());
        self
    }

    pub fn without_detail(mut self, key: &str) -> Self {
        self.details.remove(key);
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }

    pub fn unlocated(mut self) -> Self {
        self.locate = false;
        self
    }

    /// The error item as Zoho sends it, for the rule at `rule_index` in the request body.
    pub fn to_wire(&self, rule_index: usize) -> Value {
        let root = format!("$.scoring_rules[{rule_index}]");
        let mut details = Value::Object(self.details.clone());
        reroot_json_paths(&mut details, &root);
        if let Value::Object(m) = &mut details
            && self.locate
        {
            m.insert(
                "json_path".into(),
                Value::String(self.path.json_path(rule_index)),
            );
        }
        serde_json::json!({
            "code": self.code,
            "details": details,
            "message": self.message,
            "status": "error",
        })
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.0.is_empty() {
            f.write_str(&self.hint)
        } else {
            write!(f, "{}: {}", self.path, self.hint)
        }
    }
}

fn reroot_json_paths(v: &mut Value, root: &str) {
    match v {
        Value::Object(m) => {
            for (k, val) in m.iter_mut() {
                match val {
                    Value::String(s) if k == "json_path" && (s == "$" || s.starts_with("$.")) => {
                        *s = format!("{root}{}", &s[1..]);
                    }
                    _ => reroot_json_paths(val, root),
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| reroot_json_paths(x, root)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_the_official_already_used_example() {
        let first = RulePath::root().key("field_rules").index(0).key("criteria");
        let second = RulePath::root().key("field_rules").index(1).key("criteria");
        let v = Violation::new(
            codes::ALREADY_USED,
            "The criteria is already given in the same rule under different index",
            second,
        )
        .detail(
            "exists_in",
            serde_json::json!({"api_name": "criteria", "json_path": first.rel_json_path()}),
        );
        let wire = v.to_wire(0);
        assert_eq!(
            wire,
            serde_json::json!({"code":"ALREADY_USED","details":{"api_name":"criteria",
                "exists_in":{"api_name":"criteria","json_path":"$.scoring_rules[0].field_rules[0].criteria"},
                "json_path":"$.scoring_rules[0].field_rules[1].criteria"},
                "message":"The criteria is already given in the same rule under different index","status":"error"})
        );
    }

    #[test]
    fn paths_print_like_json_paths() {
        let p = RulePath::root()
            .key("field_rules")
            .index(2)
            .key("criteria")
            .key("group")
            .index(0);
        assert_eq!(p.to_string(), "field_rules[2].criteria.group[0]");
        assert_eq!(
            p.json_path(3),
            "$.scoring_rules[3].field_rules[2].criteria.group[0]"
        );
    }
}
