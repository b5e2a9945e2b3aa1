//! Criteria as a person reads them: `Designation = Regional Manager OR Designation = Decision
//! Maker`.
//!
//! Rendered from the criteria as written, not from the compiled form, so an unresolvable
//! condition still reads the way the admin wrote it (with its api name when the field is gone).
//! Nested groups are parenthesised; the outermost group is not, as a line in a list it is
//! already delimited.

use serde_json::Value;

use crate::domain::metadata::ModuleSchema;
use crate::domain::operand::{EMPTY, NOT_EMPTY};
use crate::domain::rule::{Comparator, Condition, Criteria};

/// Human text of a criteria, e.g. `Designation = Regional Manager OR Designation = Decision
/// Maker`, using field labels from the schema, nested groups in parentheses, `${EMPTY}` as
/// "is empty", etc.
pub fn criteria_text(criteria: &Criteria, schema: &ModuleSchema) -> String {
    let mut out = String::new();
    write_criteria(criteria, schema, false, &mut out);
    out
}

/// One condition as a person reads it: `Industry in (Software, Healthcare)`.
pub fn condition_text(c: &Condition, schema: &ModuleSchema) -> String {
    let mut out = String::new();
    write_condition(c, schema, &mut out);
    out
}

fn write_criteria(criteria: &Criteria, schema: &ModuleSchema, nested: bool, out: &mut String) {
    match criteria {
        Criteria::Condition(c) => write_condition(c, schema, out),
        Criteria::Group(g) => {
            if g.group.is_empty() {
                out.push_str("(no conditions)");
                return;
            }
            if nested {
                out.push('(');
            }
            for (i, member) in g.group.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                    out.push_str(g.group_operator.as_str());
                    out.push(' ');
                }
                write_criteria(member, schema, true, out);
            }
            if nested {
                out.push(')');
            }
        }
    }
}

fn write_condition(c: &Condition, schema: &ModuleSchema, out: &mut String) {
    out.push_str(field_label(c, schema));
    out.push(' ');
    write_test(c, out);
}

/// The field's label, or its api name when the schema no longer has it.
pub(super) fn field_label<'a>(c: &'a Condition, schema: &'a ModuleSchema) -> &'a str {
    schema
        .field(&c.field.api_name)
        .map_or(c.field.api_name.as_str(), |f| f.label())
}

/// What a condition asks of its field, without the field: `in (Banking, Retail)`, `is empty`.
pub(super) fn test_text(c: &Condition) -> String {
    let mut out = String::new();
    write_test(c, &mut out);
    out
}

fn write_test(c: &Condition, out: &mut String) {
    if let Some(phrase) = emptiness(c) {
        out.push_str(phrase);
        return;
    }
    out.push_str(c.comparator.symbol());
    out.push(' ');
    match (&c.comparator, &c.value) {
        (Comparator::Between | Comparator::NotBetween, Value::Array(bounds))
            if bounds.len() == 2 =>
        {
            write_value(&bounds[0], out);
            out.push_str(" and ");
            write_value(&bounds[1], out);
        }
        (_, value) => write_value(value, out),
    }
}

/// "is empty" / "is not empty" for the `${EMPTY}` / `${NOTEMPTY}` placeholders.
fn emptiness(c: &Condition) -> Option<&'static str> {
    let placeholder = c.value.as_str()?.trim();
    let empty = match placeholder {
        EMPTY => true,
        NOT_EMPTY => false,
        _ => return None,
    };
    match (&c.comparator, empty) {
        (Comparator::Equal, true) | (Comparator::NotEqual, false) => Some("is empty"),
        (Comparator::Equal, false) | (Comparator::NotEqual, true) => Some("is not empty"),
        _ => None,
    }
}

/// One value, or several in parentheses: `Industry in (Banking, Retail)`.
fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Array(items) if items.len() == 1 => write_value(&items[0], out),
        Value::Array(items) => {
            out.push('(');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(item, out);
            }
            out.push(')');
        }
        Value::String(s) => out.push_str(placeholder_text(s)),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Null => out.push_str("(no value)"),
        // Lookups: `{"id": …, "name": …}`; the name reads better than the id.
        Value::Object(m) => {
            let text = ["name", "id"]
                .iter()
                .find_map(|k| match m.get(*k) {
                    Some(Value::String(s)) => Some(placeholder_text(s).to_string()),
                    Some(Value::Number(n)) => Some(n.to_string()),
                    _ => None,
                })
                .unwrap_or_else(|| value.to_string());
            out.push_str(&text);
        }
    }
}

fn placeholder_text(s: &str) -> &str {
    match s.trim() {
        "${CURRENTUSER}" => "current user",
        "${CURRENTUSERROLE}" => "current user's role",
        _ => s,
    }
}
