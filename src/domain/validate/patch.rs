//! One item of a PUT body → a `RulePatch`: what to change in a stored rule.
//!
//! PUT ignores `module`, `layout` and `active` entirely (Part A #8). Sub-items follow Zoho's
//! update conventions: `{"id": X, "_delete": null}` removes X (only the key's presence matters,
//! and every other key beside it is ignored), an entry without `id` is added, an entry with `id`
//! changes that sub-item. Lists set to `null` leave the rule's sub-items as they are.

use serde_json::{Map, Value};

use super::parse::{custom_field, each, field_label, field_rule, score, signal_ref, signal_rule};
use super::parse_criteria::criteria;
use super::shape::Shape;
use crate::domain::edition::{MAX_CUSTOM_FIELDS_PER_RULE, MAX_FIELD_RULES, MAX_SIGNAL_RULES};
use crate::domain::id::Id;
use crate::domain::rule::{Criteria, CustomField, FieldRule, SignalRef, SignalRule};
use crate::domain::violation::{RulePath, Violation};

/// What a PUT item asks to change. Sub-item changes keep input order: their position is the
/// index that findings about them report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RulePatch {
    /// Required by the bulk endpoint only; the sandbox decides.
    pub id: Option<Id>,
    pub name: Option<String>,
    /// `Some(None)`: the description is cleared (`"description": null`).
    pub description: Option<Option<String>>,
    pub field_rules: Vec<Change<FieldRule, FieldRuleEdit>>,
    pub signal_rules: Vec<Change<SignalRule, SignalRuleEdit>>,
    pub custom_fields: Vec<Change<CustomField, CustomFieldEdit>>,
}

/// One entry of a sub-item list in a PUT body.
#[derive(Clone, Debug, PartialEq)]
pub enum Change<New, Edit> {
    /// No `id`: a new sub-item (its `id` is `None`; the sandbox assigns one).
    Add(New),
    /// `id` and other keys: change that sub-item.
    Edit(Id, Edit),
    /// `id` and `_delete`: remove that sub-item.
    Delete(Id),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldRuleEdit {
    pub score: Option<i64>,
    pub criteria: Option<Criteria>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SignalRuleEdit {
    pub score: Option<i64>,
    pub signal: Option<SignalRef>,
}

/// Renaming is the only change Zoho allows to an existing custom field.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomFieldEdit {
    pub field_label: Option<String>,
}

/// Reads one item of a PUT body.
pub fn parse_update(item: &Value) -> Result<RulePatch, Vec<Violation>> {
    let mut sh = Shape::default();
    let root = RulePath::root();
    let Some(m) = sh.object(item, &root) else {
        return Err(sh.errs);
    };
    let id = m.get("id").and_then(|v| sh.id(v, &root.key("id")));
    let name = m.get("name").and_then(|v| sh.text(v, &root.key("name")));
    let description = match m.get("description") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(v) => sh.text(v, &root.key("description")).map(Some),
    };
    let field_rules = changes(&mut sh, m, "field_rules", MAX_FIELD_RULES, |sh, v, at| {
        entry(sh, v, at, field_rule, field_rule_edit)
    });
    let signal_rules = changes(&mut sh, m, "signal_rules", MAX_SIGNAL_RULES, |sh, v, at| {
        entry(sh, v, at, signal_rule, signal_rule_edit)
    });
    let custom_fields = changes(
        &mut sh,
        m,
        "custom_fields",
        MAX_CUSTOM_FIELDS_PER_RULE,
        |sh, v, at| entry(sh, v, at, custom_field, custom_field_edit),
    );
    let patch = (|| {
        Some(RulePatch {
            id,
            name,
            description,
            field_rules: field_rules?,
            signal_rules: signal_rules?,
            custom_fields: custom_fields?,
        })
    })();
    sh.into_result(patch)
}

fn changes<T>(
    sh: &mut Shape,
    m: &Map<String, Value>,
    key: &str,
    max: usize,
    read: impl Fn(&mut Shape, &Value, &RulePath) -> Option<T>,
) -> Option<Vec<T>> {
    let root = RulePath::root();
    let items = sh.opt_list(m, key, &root, max)?;
    each(sh, items, &root.key(key), read)
}

/// Sorts an entry into add / edit / delete by its `id` and `_delete` keys.
fn entry<N, E>(
    sh: &mut Shape,
    v: &Value,
    at: &RulePath,
    add: fn(&mut Shape, &Value, &RulePath) -> Option<N>,
    edit: fn(&mut Shape, &Map<String, Value>, &RulePath) -> Option<E>,
) -> Option<Change<N, E>> {
    let m = sh.object(v, at)?;
    let id = match m.get("id") {
        None | Some(Value::Null) => None,
        Some(v) => Some(sh.id(v, &at.key("id"))?),
    };
    match (id, m.contains_key("_delete")) {
        (Some(id), true) => Some(Change::Delete(id)),
        (None, true) => {
            sh.missing(at.key("id"));
            None
        }
        (Some(id), false) => edit(sh, m, at).map(|e| Change::Edit(id, e)),
        (None, false) => add(sh, v, at).map(Change::Add),
    }
}

fn field_rule_edit(sh: &mut Shape, m: &Map<String, Value>, at: &RulePath) -> Option<FieldRuleEdit> {
    let score = m.get("score").map(|_| score(sh, m, at));
    let criteria = m
        .get("criteria")
        .map(|c| criteria(sh, c, &at.key("criteria"), 1));
    Some(FieldRuleEdit {
        score: present(score)?,
        criteria: present(criteria)?,
    })
}

fn signal_rule_edit(
    sh: &mut Shape,
    m: &Map<String, Value>,
    at: &RulePath,
) -> Option<SignalRuleEdit> {
    let score = m.get("score").map(|_| score(sh, m, at));
    let signal = m.get("signal").map(|_| signal_ref(sh, m, at));
    Some(SignalRuleEdit {
        score: present(score)?,
        signal: present(signal)?,
    })
}

fn custom_field_edit(
    sh: &mut Shape,
    m: &Map<String, Value>,
    at: &RulePath,
) -> Option<CustomFieldEdit> {
    let label = m.get("field_label").map(|_| field_label(sh, m, at));
    Some(CustomFieldEdit {
        field_label: present(label)?,
    })
}

/// An optional key that, when given, must read: `None` → `Some(None)`, `Some(Some(x))` →
/// `Some(Some(x))`, and a key given but unreadable → `None` (its finding is already recorded).
fn present<T>(v: Option<Option<T>>) -> Option<Option<T>> {
    match v {
        None => Some(None),
        Some(Some(x)) => Some(Some(x)),
        Some(None) => None,
    }
}
