//! When a file and an org rule mean the same: the normalization every comparison goes through.
//!
//! Both sides are first put in file form (`export::to_file`), which already drops ids,
//! timestamps, `$disrupted`, a condition's default `type: "value"` and an empty description.
//! On top of that, these do not count as differences, because Zoho scores them the same:
//! - the order of field rules, of signal rules and of custom fields in their lists;
//! - the order of members inside a group;
//! - the order of values in a list value, except for `between` / `not_between`, whose two
//!   values are a lower and an upper bound;
//! - `10` versus `10.0`.
//!
//! Everything else counts, including the case of names, labels and text values: Zoho compares
//! text ignoring case, but someone who fixed the capitals in a file wants them in the org.
//! Nested groups and one-member groups are compared as written, not flattened: restructuring a
//! criteria is an edit worth sending.

use serde_json::{Value, json};

use super::format::{FileCriteria, FileCustomField, FileFieldRule, FileSignalRule, RuleFile};
use crate::domain::rule::Comparator;

/// Whether applying `file` to the org rule `org` (both in file form) would change nothing.
pub fn same_rule(file: &RuleFile, org: &RuleFile) -> bool {
    file.name == org.name
        && file.description == org.description
        && file.module == org.module
        && file.layout == org.layout
        && file.active == org.active
        && same_field_rules(&file.field_rules, &org.field_rules)
        && same_signal_rules(&file.signal_rules, &org.signal_rules)
        && same_custom_fields(&file.custom_fields, &org.custom_fields)
}

pub fn same_field_rules(a: &[FileFieldRule], b: &[FileFieldRule]) -> bool {
    sorted(a.iter().map(field_rule_key)) == sorted(b.iter().map(field_rule_key))
}

pub fn same_signal_rules(a: &[FileSignalRule], b: &[FileSignalRule]) -> bool {
    sorted(a.iter().map(signal_rule_key)) == sorted(b.iter().map(signal_rule_key))
}

/// Custom fields pair up by label (`label_key`); a pair is the same when the labels are spelled
/// alike and the score fields agree, an unknown score field (`None`) agreeing with any.
pub fn same_custom_fields(file: &[FileCustomField], org: &[FileCustomField]) -> bool {
    let pairs = pair_custom_fields(file, org);
    pairs.unmatched_file.is_empty()
        && pairs.unmatched_org.is_empty()
        && pairs.matched.iter().all(|&(f, o)| {
            file[f].field_label == org[o].field_label
                && references_agree(&file[f].reference_field, &org[o].reference_field)
        })
}

pub fn references_agree(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => true,
    }
}

/// Labels name one field of a rule ignoring case and surrounding spaces, as Zoho's duplicate
/// label check does.
pub fn label_key(label: &str) -> String {
    label.trim().to_lowercase()
}

/// Custom fields of a file and of an org rule paired by label, by index.
pub struct CustomFieldPairs {
    pub matched: Vec<(usize, usize)>,
    pub unmatched_file: Vec<usize>,
    pub unmatched_org: Vec<usize>,
}

pub fn pair_custom_fields(file: &[FileCustomField], org: &[FileCustomField]) -> CustomFieldPairs {
    let mut org_free: Vec<bool> = vec![true; org.len()];
    let mut matched = Vec::new();
    let mut unmatched_file = Vec::new();
    for (f, cf) in file.iter().enumerate() {
        let key = label_key(&cf.field_label);
        let hit = (0..org.len()).find(|&o| org_free[o] && label_key(&org[o].field_label) == key);
        match hit {
            Some(o) => {
                org_free[o] = false;
                matched.push((f, o));
            }
            None => unmatched_file.push(f),
        }
    }
    let unmatched_org = (0..org.len()).filter(|&o| org_free[o]).collect();
    CustomFieldPairs {
        matched,
        unmatched_file,
        unmatched_org,
    }
}

/// A field rule's score and criteria, as one comparable string.
pub fn field_rule_key(fr: &FileFieldRule) -> String {
    json!([fr.score, criteria_value(&fr.criteria)]).to_string()
}

fn signal_rule_key(sr: &FileSignalRule) -> String {
    json!([sr.signal, sr.score]).to_string()
}

/// A criteria's canonical form as a string: equal for criteria that differ only as the module
/// documentation allows.
pub fn criteria_key(c: &FileCriteria) -> String {
    criteria_value(c).to_string()
}

fn criteria_value(c: &FileCriteria) -> Value {
    match c {
        FileCriteria::Condition(cond) => {
            let ordered = matches!(
                cond.comparator,
                Comparator::Between | Comparator::NotBetween
            );
            json!([
                "c",
                cond.field,
                cond.comparator.as_str(),
                cond.kind.as_deref().unwrap_or("value"),
                value(&cond.value, !ordered)
            ])
        }
        FileCriteria::Group(g) => {
            let members = sorted(g.group.iter().map(criteria_key));
            json!(["g", g.group_operator.as_str(), members])
        }
    }
}

/// Integral floats as integers, object keys in order, and (when `unordered`) the items of a
/// top-level list sorted.
fn value(v: &Value, unordered: bool) -> Value {
    match v {
        Value::Number(n) => match n.as_f64() {
            Some(f) if !n.is_i64() && !n.is_u64() && f.fract() == 0.0 && f.abs() < 9.0e15 => {
                // Exact: integral and well inside the range where f64 holds every integer.
                json!(f as i64)
            }
            _ => v.clone(),
        },
        Value::Array(items) => {
            let mut out: Vec<Value> = items.iter().map(|x| value(x, false)).collect();
            if unordered {
                out.sort_by_cached_key(|x| x.to_string());
            }
            Value::Array(out)
        }
        Value::Object(m) => {
            let mut pairs: Vec<(&String, Value)> =
                m.iter().map(|(k, x)| (k, value(x, false))).collect();
            pairs.sort_by(|a, b| a.0.cmp(b.0));
            json!(pairs)
        }
        Value::String(_) | Value::Bool(_) | Value::Null => v.clone(),
    }
}

fn sorted(keys: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = keys.collect();
    v.sort_unstable();
    v
}
