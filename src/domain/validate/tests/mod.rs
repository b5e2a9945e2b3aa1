//! Validation tests, one file per concern; fixtures in `../fixtures.rs`.

mod capacity;
mod custom_fields;
mod field_rules;
mod fuzz;
mod names;
mod parse;
mod patch;
mod repeats;
mod signals;
mod wire;

use serde_json::Value;

use super::fixtures::enterprise;
use super::{Op, RuleContext, check_rule, parse_create};
use crate::domain::violation::Violation;

/// `(code, path)` of each finding: what most tests assert on.
fn found(vs: &[Violation]) -> Vec<(&'static str, String)> {
    vs.iter().map(|v| (v.code, v.path.to_string())).collect()
}

/// Parses a create item that must be well-shaped, then checks it.
fn check(item: &Value, ctx: &RuleContext, op: Op) -> Vec<Violation> {
    let rule = parse_create(item).unwrap_or_else(|e| panic!("shape errors: {e:?}"));
    check_rule(&rule, ctx, op)
}

/// Checks a Leads create item in an Enterprise org.
fn check_leads(item: &Value) -> Vec<Violation> {
    let org = enterprise();
    check(item, &org.leads(), Op::Create)
}

fn check_deals(item: &Value) -> Vec<Violation> {
    let org = enterprise();
    check(item, &org.deals(), Op::Create)
}

/// The only finding; fails the test when there are none or several.
fn only(vs: Vec<Violation>) -> Violation {
    assert_eq!(
        vs.len(),
        1,
        "expected exactly one finding, got {:#?}",
        found(&vs)
    );
    vs.into_iter().next().unwrap()
}

/// Sets (`Some`) or removes (`None`) the value at a JSON pointer whose parent exists.
fn edit(item: &Value, pointer: &str, value: Option<Value>) -> Value {
    let mut item = item.clone();
    let (parent, last) = pointer.rsplit_once('/').unwrap();
    let slot = if parent.is_empty() {
        Some(&mut item)
    } else {
        item.pointer_mut(parent)
    };
    match (slot.unwrap(), value) {
        (Value::Object(m), Some(v)) => {
            m.insert(last.to_string(), v);
        }
        (Value::Object(m), None) => {
            m.remove(last);
        }
        (Value::Array(a), Some(v)) => a[last.parse::<usize>().unwrap()] = v,
        (Value::Array(a), None) => {
            a.remove(last.parse::<usize>().unwrap());
        }
        (other, _) => panic!("{pointer}: parent is {other}"),
    }
    item
}
