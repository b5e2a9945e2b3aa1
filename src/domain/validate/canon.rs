//! Canonical forms of criteria, so that two criteria meaning the same thing compare equal when
//! looking for duplicates within a rule.
//!
//! Normalised: group operator case (already by type), order of members within a group, nested
//! groups with the same operator (`a AND (b AND c)` is `a AND b AND c`), one-member groups
//! (a group of one is its member), repeated members; within a value, text case and surrounding
//! spaces, list order, a one-element list versus its element, `10` versus `10.0`. Field
//! api_names and comparators compare exactly.

use serde_json::{Value, json};

use super::parse_criteria::MAX_DEPTH;
use crate::domain::rule::{Criteria, FieldRule, GroupOperator};

/// Deepest JSON value looked into; deeper parts compare as equal. Values come from parsed
/// requests, whose depth serde_json already bounds, so this only guards hand-built input.
const MAX_VALUE_DEPTH: usize = 32;

/// A string equal for two criteria exactly when they mean the same condition set.
pub fn criteria_key(c: &Criteria) -> String {
    key(c, 0).to_string()
}

/// A string equal for two rules exactly when their field rules' criteria, taken as a set
/// (scores, order and repeats ignored), are the same; `None` for a rule without field rules,
/// which repeats nothing.
pub fn criteria_set_key(field_rules: &[FieldRule]) -> Option<String> {
    if field_rules.is_empty() {
        return None;
    }
    let mut keys: Vec<String> = field_rules
        .iter()
        .map(|fr| criteria_key(&fr.criteria))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    // Keys are compact JSON, which never holds a raw newline.
    Some(keys.join("\n"))
}

fn key(c: &Criteria, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    match c {
        Criteria::Condition(cond) => json!([
            "c",
            cond.field.api_name,
            cond.comparator.as_str(),
            value(&cond.value, 0)
        ]),
        Criteria::Group(g) => {
            let mut members: Vec<(String, Value)> = Vec::new();
            for m in &g.group {
                collect_members(m, g.group_operator, depth + 1, &mut members);
            }
            members.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            members.dedup_by(|a, b| a.0 == b.0);
            if members.len() == 1 {
                return members.swap_remove(0).1;
            }
            let keys: Vec<String> = members.into_iter().map(|(k, _)| k).collect();
            json!(["g", g.group_operator.as_str(), keys])
        }
    }
}

/// Members of a group with their printed keys, lifting the members of nested groups with the
/// same operator.
fn collect_members(c: &Criteria, op: GroupOperator, depth: usize, out: &mut Vec<(String, Value)>) {
    match c {
        Criteria::Group(g) if g.group_operator == op && depth <= MAX_DEPTH => {
            for m in &g.group {
                collect_members(m, op, depth + 1, out);
            }
        }
        other => {
            let k = key(other, depth);
            out.push((k.to_string(), k));
        }
    }
}

fn value(v: &Value, depth: usize) -> Value {
    if depth > MAX_VALUE_DEPTH {
        return Value::Null;
    }
    match v {
        Value::String(s) => Value::String(s.trim().to_lowercase()),
        Value::Number(n) => n.as_f64().map_or_else(|| v.clone(), Value::from),
        Value::Array(items) if items.len() == 1 => value(&items[0], depth + 1),
        Value::Array(items) => {
            let mut keys: Vec<String> = items
                .iter()
                .map(|x| value(x, depth + 1).to_string())
                .collect();
            keys.sort_unstable();
            keys.dedup();
            json!(keys)
        }
        // Pairs in key order, whatever order the map keeps its keys in.
        Value::Object(m) => {
            let mut pairs: Vec<(String, Value)> = m
                .iter()
                .map(|(k, x)| (k.clone(), value(x, depth + 1)))
                .collect();
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            json!(pairs)
        }
        Value::Bool(_) | Value::Null => v.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crit(v: Value) -> Criteria {
        serde_json::from_value(v).unwrap()
    }

    fn cond(field: &str, cmp: &str, value: Value) -> Value {
        json!({"field": {"api_name": field}, "comparator": cmp, "value": value})
    }

    #[test]
    fn reordered_and_regrouped_members_are_the_same() {
        let a = crit(json!({"group_operator": "AND", "group": [
            cond("A", "equal", json!("X")),
            {"group_operator": "and", "group": [cond("B", "in", json!(["p", "q"])), cond("C", "equal", json!(1))]}
        ]}));
        let b = crit(json!({"group_operator": "and", "group": [
            cond("C", "equal", json!(1.0)), cond("B", "in", json!(["Q", " p"])), cond("A", "equal", json!(["x"]))
        ]}));
        assert_eq!(criteria_key(&a), criteria_key(&b));
    }

    #[test]
    fn operators_fields_and_comparators_distinguish() {
        let and = crit(
            json!({"group_operator": "AND", "group": [cond("A", "equal", json!("x")), cond("B", "equal", json!("y"))]}),
        );
        let or = crit(
            json!({"group_operator": "OR", "group": [cond("A", "equal", json!("x")), cond("B", "equal", json!("y"))]}),
        );
        assert_ne!(criteria_key(&and), criteria_key(&or));
        let a = crit(cond("A", "equal", json!("x")));
        assert_ne!(
            criteria_key(&a),
            criteria_key(&crit(cond("A", "not_equal", json!("x"))))
        );
        assert_ne!(
            criteria_key(&a),
            criteria_key(&crit(cond("a", "equal", json!("x"))))
        );
        let single =
            crit(json!({"group_operator": "or", "group": [cond("A", "equal", json!("X"))]}));
        assert_eq!(criteria_key(&a), criteria_key(&single));
    }
}
