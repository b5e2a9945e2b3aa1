//! Request bodies: one item of `POST {"scoring_rules":[…]}` for a create, one item of
//! `PUT {"scoring_rules":[…]}` for an update.
//!
//! An update changes only what differs. Field rules and signal rules that differ are replaced
//! whole (every old one `_delete`d, the new ones added), which needs no guess about which old
//! item became which new one. Custom fields are never replaced that way: deleting one deletes
//! the values it holds, so they pair up by label, are kept (renamed if only the label's case
//! or spacing changed), and only those the file drops are deleted.

use serde_json::{Map, Value, json};

use super::format::{FileCustomField, RuleFile};
use super::normal::{pair_custom_fields, references_agree, same_field_rules, same_signal_rules};
use super::resolve::{new_custom_field, unknown_reference_message};
use crate::display::quote;
use crate::domain::edition::{MAX_FIELD_RULES, MAX_SIGNAL_RULES};
use crate::domain::rule::CustomField;
use crate::domain::{Criteria, FieldRule, Id, ScoringRule, SignalRule};

/// The POST item for a resolved rule. Empty lists, a missing description and a missing layout
/// are left out rather than sent as `[]` / `null`, the form every Zoho example uses.
pub fn create_body(rule: &ScoringRule) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(rule.name));
    if let Some(d) = &rule.description {
        m.insert("description".into(), json!(d));
    }
    m.insert(
        "module".into(),
        json!({"api_name": rule.module.api_name, "id": rule.module.id}),
    );
    if let Some(l) = &rule.layout {
        m.insert("layout".into(), json!({"api_name": l.api_name, "id": l.id}));
    }
    m.insert("active".into(), json!(rule.active));
    let field_rules: Vec<Value> = rule.field_rules.iter().map(field_rule).collect();
    let signal_rules: Vec<Value> = rule.signal_rules.iter().map(signal_rule).collect();
    let custom_fields: Vec<Value> = rule.custom_fields.iter().map(custom_field).collect();
    for (k, list) in [
        ("field_rules", field_rules),
        ("signal_rules", signal_rules),
        ("custom_fields", custom_fields),
    ] {
        if !list.is_empty() {
            m.insert(k.into(), Value::Array(list));
        }
    }
    Value::Object(m)
}

/// What an update needs from the org's side: the stored rule and its file form, whose lists
/// line up index for index (`export::to_file` keeps them in order).
pub struct OrgSide<'a> {
    pub rule: &'a ScoringRule,
    pub file: &'a RuleFile,
}

/// The PUT item turning the org rule into `desired` (the file resolved against the org).
/// `module`, `layout` and `active` are not sent: PUT ignores them (Part A #8).
/// Err: (path in the file, problem) when the change cannot be expressed.
pub fn update_body(
    rule_id: &Id,
    org: &OrgSide,
    file: &RuleFile,
    desired: &ScoringRule,
) -> Result<Value, (String, String)> {
    let mut m = Map::new();
    m.insert("id".into(), json!(rule_id));
    if file.name != org.file.name {
        m.insert("name".into(), json!(file.name));
    }
    if file.description != org.file.description {
        m.insert("description".into(), json!(file.description));
    }
    if !same_field_rules(&file.field_rules, &org.file.field_rules) {
        let old = ids(
            org.rule.field_rules.iter().map(|f| f.id.as_ref()),
            "field_rules",
        )?;
        let new = desired.field_rules.iter().map(field_rule).collect();
        m.insert("field_rules".into(), replace(old, new, MAX_FIELD_RULES));
    }
    if !same_signal_rules(&file.signal_rules, &org.file.signal_rules) {
        let old = ids(
            org.rule.signal_rules.iter().map(|s| s.id.as_ref()),
            "signal_rules",
        )?;
        let new = desired.signal_rules.iter().map(signal_rule).collect();
        m.insert("signal_rules".into(), replace(old, new, MAX_SIGNAL_RULES));
    }
    let custom = custom_field_edits(org, &file.custom_fields)?;
    if !custom.is_empty() {
        m.insert("custom_fields".into(), Value::Array(custom));
    }
    Ok(Value::Object(m))
}

/// The org's custom fields as the update leaves them, in the file's order (so that findings
/// about them carry the file's indices): kept fields keep their id (and get the new label if
/// renamed), new ones come from the file.
pub fn updated_custom_fields(org: &OrgSide, file: &[FileCustomField]) -> Vec<CustomField> {
    let pairs = pair_custom_fields(file, &org.file.custom_fields);
    let partner = |f: usize| pairs.matched.iter().find(|(x, _)| *x == f).map(|(_, o)| *o);
    let mut out = Vec::with_capacity(file.len());
    for (f, cf) in file.iter().enumerate() {
        let Some(o) = partner(f) else {
            out.push(new_custom_field(cf));
            continue;
        };
        let stored = org.rule.custom_fields.get(o);
        out.push(CustomField {
            id: stored.and_then(|c| c.id.clone()),
            api_name: stored.and_then(|c| c.api_name.clone()),
            // A kept field is judged only on what changes: its label, when renamed.
            field_label: (cf.field_label != org.file.custom_fields[o].field_label)
                .then(|| cf.field_label.clone()),
            reference_field: None,
        });
    }
    out
}

fn custom_field_edits(
    org: &OrgSide,
    file: &[FileCustomField],
) -> Result<Vec<Value>, (String, String)> {
    let org_cfs = &org.file.custom_fields;
    let pairs = pair_custom_fields(file, org_cfs);
    let id_of = |o: usize, at: String| {
        org.rule
            .custom_fields
            .get(o)
            .and_then(|c| c.id.clone())
            .ok_or((
                at,
                "the org listed this custom field without its id".to_string(),
            ))
    };
    let mut out = Vec::new();
    for &(f, o) in &pairs.matched {
        let at = format!("custom_fields[{f}]");
        if !references_agree(&file[f].reference_field, &org_cfs[o].reference_field) {
            return Err((
                format!("{at}.reference_field"),
                format!(
                    "the org's field {} holds {}; Zoho cannot change what an existing custom \
                     field holds. To replace it, give the new field another label (the old one \
                     is then deleted with its values)",
                    quote(&org_cfs[o].field_label),
                    org_cfs[o]
                        .reference_field
                        .as_deref()
                        .map_or("a score".into(), quote)
                ),
            ));
        }
        if file[f].field_label != org_cfs[o].field_label {
            out.push(json!({"id": id_of(o, at)?, "field_label": file[f].field_label}));
        }
    }
    for &o in &pairs.unmatched_org {
        out.push(json!({"id": id_of(o, "custom_fields".into())?, "_delete": null}));
    }
    for &f in &pairs.unmatched_file {
        if file[f].reference_field.is_none() {
            return Err((
                format!("custom_fields[{f}].reference_field"),
                unknown_reference_message(),
            ));
        }
        out.push(custom_field(&new_custom_field(&file[f])));
    }
    Ok(out)
}

fn ids<'a>(
    items: impl Iterator<Item = Option<&'a Id>>,
    list: &str,
) -> Result<Vec<Id>, (String, String)> {
    items
        .map(|id| {
            id.cloned().ok_or_else(|| {
                (
                    list.to_string(),
                    format!("the org listed one of this rule's {list} without its id"),
                )
            })
        })
        .collect()
}

/// Old items out, new items in. When the two together would pass the list's length limit,
/// old ids are reused for new content (`{id, …}` edits) instead, so the body stays within it.
fn replace(old: Vec<Id>, new: Vec<Value>, max: usize) -> Value {
    let mut out = Vec::new();
    if old.len() + new.len() <= max {
        out.extend(old.iter().map(|id| json!({"id": id, "_delete": null})));
        out.extend(new);
    } else {
        let mut new = new.into_iter();
        for id in old {
            match new.next() {
                Some(Value::Object(mut item)) => {
                    item.insert("id".into(), json!(id));
                    out.push(Value::Object(item));
                }
                _ => out.push(json!({"id": id, "_delete": null})),
            }
        }
        out.extend(new);
    }
    Value::Array(out)
}

fn field_rule(fr: &FieldRule) -> Value {
    json!({"score": fr.score, "criteria": criteria(&fr.criteria)})
}

fn signal_rule(sr: &SignalRule) -> Value {
    json!({"score": sr.score, "signal": {"namespace": sr.signal.namespace, "id": sr.signal.id}})
}

fn custom_field(cf: &CustomField) -> Value {
    let mut m = Map::new();
    m.insert("field_label".into(), json!(cf.field_label));
    if let Some(r) = &cf.reference_field {
        m.insert("reference_field".into(), json!({"api_name": r.api_name}));
    }
    Value::Object(m)
}

fn criteria(c: &Criteria) -> Value {
    match c {
        Criteria::Condition(cond) => {
            let mut m = Map::new();
            m.insert(
                "field".into(),
                json!({"api_name": cond.field.api_name, "id": cond.field.id}),
            );
            m.insert("comparator".into(), json!(cond.comparator.as_str()));
            m.insert("value".into(), cond.value.clone());
            if let Some(k) = &cond.kind {
                m.insert("type".into(), json!(k));
            }
            Value::Object(m)
        }
        Criteria::Group(g) => json!({
            "group_operator": g.group_operator.as_str(),
            "group": g.group.iter().map(criteria).collect::<Vec<_>>(),
        }),
    }
}
