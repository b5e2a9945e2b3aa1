//! Raw criteria JSON → `Criteria`: a condition `{field:{api_name, id?}, comparator, value,
//! type?}` or a group `{group_operator, group:[…]}` (Part A #3), nested at most
//! `MAX_DEPTH` levels.

use serde_json::{Map, Value};

use super::shape::{SCHEMA_MESSAGE, Shape};
use crate::domain::edition::MAX_GROUP;
use crate::domain::rule::{Comparator, Condition, Criteria, FieldRef, Group, GroupOperator};
use crate::domain::violation::{RulePath, Violation, codes};

/// Deepest nesting of criteria (the top criteria is level 1). Zoho documents none; ten levels
/// is far beyond what the UI builds and keeps hostile input from recursing without bound.
pub const MAX_DEPTH: usize = 10;

/// Fewest members of a group. Zoho's schema says 2, but Zoho's official SDK, and the
/// conformance suite built on it, send one-condition groups (`{"group_operator":"and",
/// "group":[c]}`), and such a group means exactly its member, so it is accepted. Only an empty
/// group, which means nothing, is refused.
pub const MIN_GROUP_MEMBERS: usize = 1;

/// `type` values of a condition (OAS-new).
const KINDS: [&str; 4] = ["value", "merge_field", "pre_defined", "field"];

/// A group whose members would sit deeper than `MAX_DEPTH`.
pub fn too_deep(path: RulePath) -> Violation {
    Violation::new(codes::INVALID_DATA, SCHEMA_MESSAGE, path).hint(format!(
        "criteria may be nested at most {MAX_DEPTH} levels deep"
    ))
}

/// A group of `n` members at `at` (the `group` key), if that is too few or too many.
pub fn group_size(n: usize, at: &RulePath) -> Option<Violation> {
    if n < MIN_GROUP_MEMBERS {
        Some(
            Violation::new(codes::INVALID_DATA, SCHEMA_MESSAGE, at.clone())
                .detail("minimum_length", MIN_GROUP_MEMBERS)
                .hint("a group needs at least one condition"),
        )
    } else if n > MAX_GROUP {
        Some(
            Violation::new(codes::INVALID_DATA, SCHEMA_MESSAGE, at.clone())
                .detail("maximum_length", MAX_GROUP)
                .hint(format!("a group holds at most {MAX_GROUP} criteria ({n})")),
        )
    } else {
        None
    }
}

pub fn criteria(sh: &mut Shape, v: &Value, path: &RulePath, depth: usize) -> Option<Criteria> {
    let m = sh.object(v, path)?;
    if m.contains_key("group_operator") || m.contains_key("group") {
        // A group at the deepest level would put its members deeper still; one finding for
        // the group, and its members are not read.
        if depth >= MAX_DEPTH {
            sh.errs.push(too_deep(path.clone()));
            return None;
        }
        group(sh, m, path, depth).map(Criteria::Group)
    } else {
        condition(sh, m, path).map(Criteria::Condition)
    }
}

fn group(sh: &mut Shape, m: &Map<String, Value>, path: &RulePath, depth: usize) -> Option<Group> {
    let op = sh
        .required(m, "group_operator", path)
        .and_then(|v| sh.text(v, &path.key("group_operator")))
        .and_then(|s| {
            let op = GroupOperator::parse(&s);
            if op.is_none() {
                sh.unsupported(path.key("group_operator"), &["AND", "OR"], &s);
            }
            op
        });
    let at = path.key("group");
    let members = match sh.required(m, "group", path) {
        None => None,
        Some(Value::Array(items)) => match group_size(items.len(), &at) {
            Some(v) => {
                sh.errs.push(v);
                None
            }
            None => {
                let parsed: Vec<Option<Criteria>> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| criteria(sh, item, &at.index(i), depth + 1))
                    .collect();
                parsed.into_iter().collect::<Option<Vec<_>>>()
            }
        },
        Some(other) => {
            sh.wrong_type(at, "jsonarray", other);
            None
        }
    };
    Some(Group {
        group_operator: op?,
        group: members?,
    })
}

fn condition(sh: &mut Shape, m: &Map<String, Value>, path: &RulePath) -> Option<Condition> {
    let field = sh.required(m, "field", path).and_then(|v| {
        let at = path.key("field");
        let f = sh.object(v, &at)?;
        let api_name = sh
            .required(f, "api_name", &at)
            .and_then(|v| sh.text(v, &at.key("api_name")));
        let id = sh.opt_id(f, "id", &at);
        Some(FieldRef {
            api_name: api_name?,
            id,
        })
    });
    let comparator = sh
        .required(m, "comparator", path)
        .and_then(|v| sh.text(v, &path.key("comparator")))
        .and_then(|s| match Comparator::parse(&s) {
            Comparator::Unknown(_) => {
                let all: Vec<&str> = Comparator::ALL.iter().map(Comparator::as_str).collect();
                sh.unsupported(path.key("comparator"), &all, &s);
                None
            }
            known => Some(known),
        });
    let kind = match sh.opt_text(m, "type", path) {
        Some(k) if !KINDS.contains(&k.as_str()) => {
            sh.unsupported(path.key("type"), &KINDS, &k);
            None
        }
        k => k,
    };
    Some(Condition {
        field: field?,
        comparator: comparator?,
        value: m.get("value").cloned().unwrap_or(Value::Null),
        kind,
        disrupted: None,
    })
}
