//! What each picker offers, from the org snapshot: the layout's fields (score and layout
//! fields left out, as criteria cannot use them), the comparators the field's data type takes
//! (`operand::comparators_for`), the signals usable for scoring, the score fields a custom field
//! can map, and a picklist field's values.

use crate::domain::metadata::{ModuleSchema, SCORE_FIELDS};
use crate::domain::operand::{DATE_PRESETS, comparators_for};
use crate::domain::rule::Comparator;
use crate::domain::{Id, OrgSnapshot};

/// One choice: the value stored in the form and the text shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

fn choice(value: impl Into<String>, label: impl Into<String>) -> Choice {
    Choice {
        value: value.into(),
        label: label.into(),
    }
}

/// Fields criteria can use: the layout's fields when the rule has a layout, else the module's.
pub fn fields(schema: &ModuleSchema, layout: Option<&Id>) -> Vec<Choice> {
    let in_layout = |api: &str| {
        layout
            .and_then(|id| schema.layout(id))
            .is_none_or(|l| l.has_field(api))
    };
    let mut out: Vec<Choice> = schema
        .fields
        .iter()
        .filter(|f| !f.is_score_or_layout() && in_layout(&f.api_name))
        .map(|f| choice(f.api_name.clone(), f.label()))
        .collect();
    out.sort_by_key(|c| c.label.to_lowercase());
    out
}

pub fn comparators(schema: &ModuleSchema, field: &str) -> Vec<Choice> {
    let list: &[Comparator] = match schema.field(field) {
        Some(f) => comparators_for(&f.effective_type()),
        None => &Comparator::ALL,
    };
    list.iter()
        .map(|c| choice(c.as_str(), super::picks::comparator_label(c)))
        .collect()
}

/// What a value input offers on ←/→: a picklist field's values, the relative dates of a date
/// field, true / false for a boolean; nothing for free text and numbers.
pub fn values(schema: &ModuleSchema, field: &str) -> Vec<Choice> {
    let Some(f) = schema.field(field) else {
        return Vec::new();
    };
    let dt = f.effective_type();
    if !f.pick_list_values.is_empty() {
        f.pick_list_values
            .iter()
            .map(|p| choice(p.actual_value.clone(), p.display_value.clone()))
            .collect()
    } else if dt.is_temporal() {
        DATE_PRESETS.iter().map(|p| choice(*p, *p)).collect()
    } else if dt == crate::domain::DataType::Boolean {
        vec![choice("true", "true"), choice("false", "false")]
    } else {
        Vec::new()
    }
}

/// Signals usable for scoring; the value is the signal's id.
pub fn signals(snap: &OrgSnapshot) -> Vec<Choice> {
    snap.signals
        .iter()
        .filter(|s| s.usable_for_scoring())
        .map(|s| choice(s.id.to_string(), s.full_label()))
        .collect()
}

pub fn score_fields() -> Vec<Choice> {
    SCORE_FIELDS
        .iter()
        .map(|f| choice(*f, f.replace('_', " ")))
        .collect()
}

/// What a value input expects, shown beside it.
pub fn value_hint(schema: &ModuleSchema, field: &str, comparator: &str) -> &'static str {
    let many = matches!(comparator, "in" | "not_in");
    let two = matches!(comparator, "between" | "not_between");
    let Some(f) = schema.field(field) else {
        return "";
    };
    let dt = f.effective_type();
    let picks = !values(schema, field).is_empty();
    match () {
        _ if two && dt.is_temporal() => "from, to (Enter lists dates for the last)",
        _ if two => "two numbers: from, to",
        _ if many && picks => "Enter lists the values (Space marks several)",
        _ if many => "values, comma-separated",
        _ if dt.is_temporal() => "YYYY-MM-DD, or Enter lists ${TODAY} and others",
        _ if picks => "Enter lists the values, ←/→ steps",
        _ if dt.is_numeric() => "a number",
        _ => "",
    }
}

/// The next choice after `current` (`step` +1 / −1, wrapping); the first when none is chosen.
pub fn cycle<'a>(list: &'a [Choice], current: &str, step: isize) -> Option<&'a Choice> {
    if list.is_empty() {
        return None;
    }
    let n = list.len() as isize;
    let next = match list.iter().position(|c| c.value == current) {
        Some(i) => (i as isize + step).rem_euclid(n),
        None if step < 0 => n - 1,
        None => 0,
    };
    list.get(next as usize)
}

/// Type-to-find: the first choice whose label starts with `prefix`; when none does, the next
/// after `current` starting with the last letter typed (pressing a letter again steps through
/// the choices starting with it).
pub fn find<'a>(list: &'a [Choice], current: &str, prefix: &str) -> Option<&'a Choice> {
    let lower = |s: &str| s.to_lowercase();
    let prefix_l = lower(prefix);
    let again = prefix_l.chars().count() > 1 && prefix_l.chars().all(|c| prefix_l.starts_with(c));
    if !again && let Some(c) = list.iter().find(|c| lower(&c.label).starts_with(&prefix_l)) {
        return Some(c);
    }
    let last = prefix_l.chars().last()?.to_string();
    let start = list
        .iter()
        .position(|x| x.value == current)
        .map_or(0, |i| i + 1);
    (0..list.len())
        .map(|k| &list[(start + k) % list.len()])
        .find(|x| lower(&x.label).starts_with(&last))
}
