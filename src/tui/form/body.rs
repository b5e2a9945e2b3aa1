//! The request the form sends: a POST item for a new rule, or for an edit a PUT item carrying
//! only what changed against the loaded rule (edited sub-items by id, new ones without, removed
//! ones as `{"id", "_delete": null}`), each with a map back to the form rows.

use serde_json::{Map, Value, json};

use super::model::{CondForm, CriteriaForm, FieldRuleForm, FormData};
use super::target::BodyMap;
use crate::domain::Id;
use crate::domain::metadata::ModuleSchema;
use crate::domain::pattern::Pattern;
use crate::domain::rule::ScoringRule;

/// A request item and where its entries came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    pub item: Value,
    pub map: BodyMap,
}

/// How typed text that cannot be what the API wants is sent. `Exact` sends it as typed, so the
/// parser reports it; `Lenient` puts a neutral stand-in there (score 0) so the rest of the rule
/// can still be judged while that one input is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Exact,
    Lenient,
}

/// A score as typed: a number when it reads as one. `None` leaves the key out, so an empty
/// input is reported as missing rather than as a wrong type.
fn score(text: &str, mode: Mode) -> Option<Value> {
    let t = text.trim();
    if let Ok(n) = t.parse::<i64>() {
        return Some(json!(n));
    }
    match mode {
        Mode::Lenient => Some(json!(0)),
        Mode::Exact if t.is_empty() => None,
        Mode::Exact => Some(match serde_json::from_str::<serde_json::Number>(t) {
            Ok(n) => Value::Number(n),
            Err(_) => Value::String(text.to_string()),
        }),
    }
}

/// `{"score": …}` plus `rest`, the score left out when there is none.
fn with_score(score: Option<Value>, rest: Value) -> Value {
    let mut m = match rest {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    if let Some(s) = score {
        m.insert("score".into(), s);
    }
    Value::Object(m)
}

fn condition(c: &CondForm, schema: &ModuleSchema, mode: Mode) -> Value {
    let mut m = Map::new();
    // Nothing picked yet: exactly, the key is left out (reported as required); leniently, a
    // stand-in lets the parser read the rest of the rule.
    let lenient = mode == Mode::Lenient;
    if !c.field.is_empty() || lenient {
        let field = match &c.field_id {
            Some(id) => json!({ "api_name": c.field, "id": id }),
            None => json!({ "api_name": c.field }),
        };
        m.insert("field".into(), field);
    }
    match c.comparator.as_str() {
        "" if lenient => {
            m.insert("comparator".into(), json!("equal"));
        }
        "" => {}
        cmp => {
            m.insert("comparator".into(), json!(cmp));
        }
    }
    m.insert("value".into(), c.value_json(schema));
    if let Some(kind) = &c.kind {
        m.insert("type".into(), json!(kind));
    }
    Value::Object(m)
}

/// The criteria the rows and pattern make: conditions joined as the pattern nests them (the
/// rows joined by AND while the pattern cannot be read; its own error blocks the save).
pub fn criteria(c: &CriteriaForm, schema: &ModuleSchema, mode: Mode) -> Value {
    fn shape(p: &Pattern, rows: &[CondForm], schema: &ModuleSchema, mode: Mode) -> Value {
        match p {
            Pattern::Condition(n) => n
                .checked_sub(1)
                .and_then(|k| rows.get(k))
                .map_or(Value::Null, |r| condition(r, schema, mode)),
            Pattern::Group(op, items) => json!({
                "group_operator": op.as_str(),
                "group": items.iter().map(|x| shape(x, rows, schema, mode)).collect::<Vec<_>>(),
            }),
        }
    }
    shape(&c.structure_or_flat(), &c.rows, schema, mode)
}

fn field_rule(fr: &FieldRuleForm, schema: &ModuleSchema, mode: Mode) -> Value {
    with_score(
        score(&fr.score, mode),
        json!({ "criteria": criteria(&fr.criteria, schema, mode) }),
    )
}

/// A signal rule's `score` and `signal` (left out until one is picked).
fn signal_rule(s: &crate::tui::form::model::SignalRuleForm, mode: Mode) -> Value {
    let signal = match (s.signal.trim(), mode) {
        ("", Mode::Exact) => json!({}),
        ("", Mode::Lenient) => json!({ "signal": { "id": "0", "namespace": "" } }),
        (id, _) => json!({ "signal": { "id": id, "namespace": s.namespace } }),
    };
    with_score(score(&s.score, mode), signal)
}

/// A new custom field's label and `reference_field` (left out until one is picked).
fn new_custom_field(c: &crate::tui::form::model::CustomFieldForm) -> Value {
    if c.reference.is_empty() {
        json!({ "field_label": c.label })
    } else {
        json!({ "field_label": c.label, "reference_field": { "api_name": c.reference } })
    }
}

/// The POST item for a new rule in `schema`'s module and `layout` (`None`: every layout).
pub fn create(data: &FormData, schema: &ModuleSchema, layout: Option<&Id>, mode: Mode) -> Body {
    let mut m = Map::new();
    m.insert("name".into(), json!(data.name));
    if !data.description.is_empty() {
        m.insert("description".into(), json!(data.description));
    }
    m.insert(
        "module".into(),
        json!({ "api_name": schema.module.api_name }),
    );
    if let Some(id) = layout {
        m.insert("layout".into(), json!({ "id": id }));
    }
    m.insert("active".into(), json!(data.active));
    if !data.field_rules.is_empty() {
        let list: Vec<Value> = data
            .field_rules
            .iter()
            .map(|fr| field_rule(fr, schema, mode))
            .collect();
        m.insert("field_rules".into(), Value::Array(list));
    }
    if !data.signal_rules.is_empty() {
        let list: Vec<Value> = data
            .signal_rules
            .iter()
            .map(|s| signal_rule(s, mode))
            .collect();
        m.insert("signal_rules".into(), Value::Array(list));
    }
    if !data.custom_fields.is_empty() {
        let list: Vec<Value> = data.custom_fields.iter().map(new_custom_field).collect();
        m.insert("custom_fields".into(), Value::Array(list));
    }
    Body {
        item: Value::Object(m),
        map: BodyMap::identity(data),
    }
}

/// The PUT item that turns `base` into what the form holds: only what differs.
pub fn update(data: &FormData, base: &ScoringRule, schema: &ModuleSchema, mode: Mode) -> Body {
    let mut m = Map::new();
    let mut map = BodyMap::default();
    if let Some(id) = &base.id {
        m.insert("id".into(), json!(id));
    }
    if data.name != base.name {
        m.insert("name".into(), json!(data.name));
    }
    if data.description != base.description.clone().unwrap_or_default() {
        let d = if data.description.is_empty() {
            Value::Null
        } else {
            json!(data.description)
        };
        m.insert("description".into(), d);
    }

    let mut list = Vec::new();
    for (i, fr) in data.field_rules.iter().enumerate() {
        let stored = fr
            .id
            .as_ref()
            .and_then(|id| base.field_rules.iter().find(|b| b.id.as_ref() == Some(id)));
        let entry = match (&fr.id, stored) {
            (Some(id), Some(b)) => {
                let mut e = Map::new();
                let s = score(&fr.score, mode);
                if s != Some(json!(b.score)) {
                    // An emptied score is sent as such, for the parser to call it missing.
                    e.insert("score".into(), s.unwrap_or(Value::Null));
                }
                let c = criteria(&fr.criteria, schema, mode);
                if serde_json::to_value(&b.criteria).ok().as_ref() != Some(&c) {
                    e.insert("criteria".into(), c);
                }
                if e.is_empty() {
                    continue;
                }
                e.insert("id".into(), json!(id));
                Value::Object(e)
            }
            _ => field_rule(fr, schema, mode),
        };
        list.push(entry);
        map.field_rules.push(Some(i));
    }
    removals(
        base.field_rules.iter().filter_map(|b| b.id.as_ref()),
        data.field_rules.iter().filter_map(|f| f.id.as_ref()),
        &mut list,
        &mut map.field_rules,
    );
    if !list.is_empty() {
        m.insert("field_rules".into(), Value::Array(list));
    }

    let mut list = Vec::new();
    for (i, s) in data.signal_rules.iter().enumerate() {
        let stored =
            s.id.as_ref()
                .and_then(|id| base.signal_rules.iter().find(|b| b.id.as_ref() == Some(id)));
        let entry = match (&s.id, stored) {
            (Some(id), Some(b)) => {
                let mut e = Map::new();
                let sc = score(&s.score, mode);
                if sc != Some(json!(b.score)) {
                    e.insert("score".into(), sc.unwrap_or(Value::Null));
                }
                if b.signal.id.to_string() != s.signal || b.signal.namespace != s.namespace {
                    let picked = signal_rule(s, mode);
                    e.insert("signal".into(), picked["signal"].clone());
                }
                if e.is_empty() {
                    continue;
                }
                e.insert("id".into(), json!(id));
                Value::Object(e)
            }
            _ => signal_rule(s, mode),
        };
        list.push(entry);
        map.signal_rules.push(Some(i));
    }
    removals(
        base.signal_rules.iter().filter_map(|b| b.id.as_ref()),
        data.signal_rules.iter().filter_map(|s| s.id.as_ref()),
        &mut list,
        &mut map.signal_rules,
    );
    if !list.is_empty() {
        m.insert("signal_rules".into(), Value::Array(list));
    }

    let mut list = Vec::new();
    for (i, c) in data.custom_fields.iter().enumerate() {
        let stored = c.id.as_ref().and_then(|id| {
            base.custom_fields
                .iter()
                .find(|b| b.id.as_ref() == Some(id))
        });
        let entry = match (&c.id, stored) {
            (Some(id), Some(b)) => {
                if b.field_label.as_deref().unwrap_or("") == c.label {
                    continue;
                }
                json!({ "id": id, "field_label": c.label })
            }
            _ => new_custom_field(c),
        };
        list.push(entry);
        map.custom_fields.push(Some(i));
    }
    removals(
        base.custom_fields.iter().filter_map(|b| b.id.as_ref()),
        data.custom_fields.iter().filter_map(|c| c.id.as_ref()),
        &mut list,
        &mut map.custom_fields,
    );
    if !list.is_empty() {
        m.insert("custom_fields".into(), Value::Array(list));
    }
    Body {
        item: Value::Object(m),
        map,
    }
}

/// `{"id", "_delete": null}` for every stored id the form no longer has.
fn removals<'a>(
    stored: impl Iterator<Item = &'a Id>,
    kept: impl Iterator<Item = &'a Id> + Clone,
    list: &mut Vec<Value>,
    map: &mut Vec<Option<usize>>,
) {
    for id in stored {
        if !kept.clone().any(|k| k == id) {
            list.push(json!({ "id": id, "_delete": null }));
            map.push(None);
        }
    }
}
