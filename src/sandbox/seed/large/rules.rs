//! The large org's rules: per module 30–80 (every `FULL_EVERY`-th exactly 80, 40 active),
//! spread over its 7 layouts and the all-layouts bucket (at most 10 rules and 5 active each,
//! Ultimate's limits), with criteria on the fields of the rule's layout.
//!
//! Each rule's first field rule is a condition no other rule of its bucket uses (a picklist
//! value, or a number threshold compared with `greater_equal`), and its other field rules come
//! from a separate pool (`in` pairs, flags, `greater_than` / `less_than`, small groups). So no
//! two rules of a bucket have the same criteria set (Zoho's DUPLICATE_DATA), while rules still
//! share some field rules, as real orgs do (lint reports those).

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::super::SeedError;
use super::super::rng::SplitMix64;
use super::{FULL_EVERY, LAYOUTS};
use crate::domain::edition::MAX_NAME_CHARS;
use crate::domain::metadata::is_score_or_layout_field;

const ACTIVE_PER_BUCKET: usize = 5;
const MIN_RULES: u64 = 30;
const MAX_RULES: u64 = 80;

/// `rules.json` for the given module files.
pub(super) fn rules_file(
    modules: &[(String, Value)],
    users: &Value,
    signals: &Value,
    rng: &mut SplitMix64,
) -> Result<Value, SeedError> {
    let emails: Vec<String> = users["users"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["email"].as_str().map(str::to_string))
        .collect();
    let scoring_signals: Vec<String> = signals["signals"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["scoring"] == json!(true) && s["enabled"] == json!(true))
        .filter_map(|s| s["namespace"].as_str().map(str::to_string))
        .collect();
    if emails.is_empty() {
        return Err(SeedError::invalid("large org", "users", "no users"));
    }
    let mut rules = Vec::new();
    for (i, (file, m)) in modules.iter().enumerate() {
        let full = i % FULL_EVERY == 0;
        let total = if full {
            MAX_RULES as usize
        } else {
            (MIN_RULES + rng.below(MAX_RULES - MIN_RULES + 1)) as usize
        };
        let module = Module::read(file, m)?;
        let people = matches!(module.api_name.as_str(), "Leads" | "Contacts");
        let mut k = 0usize;
        for b in 0..=LAYOUTS {
            let layout = module.layouts.get(b);
            let count = total / (LAYOUTS + 1) + usize::from(b < total % (LAYOUTS + 1));
            let active = if full {
                ACTIVE_PER_BUCKET
            } else {
                rng.below(ACTIVE_PER_BUCKET as u64 + 1) as usize
            };
            let fields = module.fields_of(layout.map(|l| l.0.as_str()));
            let mut unique = unique_pool(&fields);
            shuffle(&mut unique, rng);
            if unique.len() < count {
                return Err(SeedError::invalid(
                    file,
                    "$.layouts",
                    format!(
                        "too few distinct conditions for {count} rules in one layout ({})",
                        unique.len()
                    ),
                ));
            }
            let extras = extra_pool(&fields);
            for (j, first) in unique.into_iter().take(count).enumerate() {
                k += 1;
                let mut field_rules = vec![json!({"score": score(rng), "criteria": first})];
                let mut taken = BTreeSet::new();
                for _ in 0..rng.below(4) {
                    let x = rng.below(extras.len() as u64) as usize;
                    if !extras.is_empty() && taken.insert(x) {
                        field_rules.push(json!({"score": score(rng), "criteria": extras[x]}));
                    }
                }
                let signal_rules: Vec<Value> =
                    if people && k.is_multiple_of(3) && !scoring_signals.is_empty() {
                        vec![json!({"score": score(rng), "signal": rng.pick(&scoring_signals)})]
                    } else {
                        Vec::new()
                    };
                let mut name = format!("{} R{k:02}", module.label);
                if name.chars().count() > MAX_NAME_CHARS {
                    name = format!("{} R{k:02}", module.api_name);
                }
                let modified = rng.chance(0.6).then(|| rng.between(0, 19) as u32);
                rules.push(json!({
                    "name": name,
                    "description": (!k.is_multiple_of(4)).then(|| format!("Rule {k} of {total} for {}.", module.label)),
                    "module": module.api_name,
                    "layout": layout.map(|l| l.0.clone()),
                    "active": j < active,
                    "created_by": rng.pick(&emails),
                    "created_days_ago": rng.between(20, 700),
                    "modified_by": modified.map(|_| rng.pick(&emails).clone()),
                    "modified_days_ago": modified,
                    "field_rules": field_rules,
                    "signal_rules": signal_rules,
                }));
            }
        }
    }
    Ok(json!({"about": "Generated for the large org.", "rules": rules}))
}

/// A non-zero score in steps of 5.
fn score(rng: &mut SplitMix64) -> i64 {
    let s = rng.between(-6, 10) * 5;
    if s == 0 { 15 } else { s }
}

fn shuffle<T>(items: &mut [T], rng: &mut SplitMix64) {
    for i in (1..items.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        items.swap(i, j);
    }
}

/// What criteria can be built on: picklists (their values), flags, generated numbers and
/// text.
enum Kind {
    Picklist(Vec<String>),
    Flag,
    Number { min: f64, max: f64 },
    Text,
}

struct FieldInfo {
    api_name: String,
    kind: Kind,
}

struct Module {
    api_name: String,
    label: String,
    /// Layout api_name and the fields placed in it.
    layouts: Vec<(String, BTreeSet<String>)>,
    fields: Vec<FieldInfo>,
}

impl Module {
    fn read(file: &str, m: &Value) -> Result<Module, SeedError> {
        let api_name = m["module"]["api_name"]
            .as_str()
            .ok_or_else(|| SeedError::invalid(file, "$.module.api_name", "missing"))?
            .to_string();
        let label = m["module"]["plural_label"]
            .as_str()
            .unwrap_or(&api_name)
            .to_string();
        let layouts = m["layouts"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| {
                let placed = l["sections"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .flat_map(|s| s["fields"].as_array().into_iter().flatten())
                    .filter_map(|f| f.as_str().map(str::to_string))
                    .collect();
                (l["api_name"].as_str().unwrap_or("").to_string(), placed)
            })
            .collect();
        let fields = m["fields"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(field_info)
            .collect();
        Ok(Module {
            api_name,
            label,
            layouts,
            fields,
        })
    }

    /// The usable fields of a layout; for the all-layouts bucket (`None`), those on every
    /// layout (the seed loader's rule for layout-less rules).
    fn fields_of(&self, layout: Option<&str>) -> Vec<&FieldInfo> {
        self.fields
            .iter()
            .filter(|f| {
                self.layouts
                    .iter()
                    .filter(|(n, _)| layout.is_none_or(|l| l == n))
                    .all(|(_, placed)| placed.contains(&f.api_name))
            })
            .collect()
    }
}

fn field_info(f: &Value) -> Option<FieldInfo> {
    let api_name = f["api_name"].as_str()?;
    if is_score_or_layout_field(api_name) || f["read_only"] == json!(true) {
        return None;
    }
    let kind = match f["data_type"].as_str()? {
        "picklist" => {
            let values: Vec<String> = f["pick_list_values"]
                .as_array()?
                .iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s.clone()),
                    other => other["actual_value"]
                        .as_str()
                        .or(other["display_value"].as_str())
                        .map(str::to_string),
                })
                .collect();
            (values.len() >= 2).then_some(Kind::Picklist(values))?
        }
        "boolean" => Kind::Flag,
        "text" => Kind::Text,
        "integer" | "currency" | "double" if f["gen"]["kind"] == json!("number") => Kind::Number {
            min: f["gen"]["min"].as_f64()?,
            max: f["gen"]["max"].as_f64()?,
        },
        _ => return None,
    };
    Some(FieldInfo {
        api_name: api_name.to_string(),
        kind,
    })
}

fn cond(field: &str, comparator: &str, value: Value) -> Value {
    json!({"field": {"api_name": field}, "comparator": comparator, "value": value})
}

/// A number at `q` of the way from `min` to `max`, whole.
fn at(min: f64, max: f64, q: f64) -> Value {
    json!((min + (max - min) * q).round() as i64)
}

/// Conditions only first field rules use: one picklist value (or all but one), a threshold
/// with `greater_equal`, or a text's first letter.
fn unique_pool(fields: &[&FieldInfo]) -> Vec<Value> {
    let mut out = Vec::new();
    for f in fields {
        match &f.kind {
            Kind::Picklist(values) => {
                out.extend(values.iter().map(|v| cond(&f.api_name, "equal", json!(v))));
                out.extend(
                    values
                        .iter()
                        .map(|v| cond(&f.api_name, "not_equal", json!(v))),
                );
            }
            Kind::Text => {
                out.extend(
                    ('A'..='L').map(|c| cond(&f.api_name, "starts_with", json!(c.to_string()))),
                );
            }
            Kind::Number { min, max } => {
                out.extend((1..12).map(|k| {
                    cond(
                        &f.api_name,
                        "greater_equal",
                        at(*min, *max, k as f64 / 12.0),
                    )
                }));
            }
            Kind::Flag => {}
        }
    }
    out
}

/// Conditions the other field rules draw from (never a first field rule's).
fn extra_pool(fields: &[&FieldInfo]) -> Vec<Value> {
    let mut out = Vec::new();
    let mut flag = None;
    for f in fields {
        match &f.kind {
            Kind::Picklist(values) => {
                out.extend(
                    values
                        .windows(2)
                        .map(|w| cond(&f.api_name, "in", json!([w[0], w[1]]))),
                );
            }
            Kind::Flag => {
                out.push(cond(&f.api_name, "equal", json!(true)));
                out.push(cond(&f.api_name, "equal", json!(false)));
                flag.get_or_insert(&f.api_name);
            }
            Kind::Number { min, max } => {
                out.push(cond(&f.api_name, "greater_than", at(*min, *max, 0.75)));
                out.push(cond(&f.api_name, "less_than", at(*min, *max, 0.25)));
            }
            Kind::Text => {}
        }
    }
    // A few groups: a picklist pair and a flag, both required.
    if let Some(flag) = flag {
        let pairs: Vec<Value> = out
            .iter()
            .filter(|c| c["comparator"] == json!("in"))
            .take(3)
            .cloned()
            .collect();
        for p in pairs {
            out.push(
                json!({"group_operator": "AND", "group": [p, cond(flag, "equal", json!(true))]}),
            );
        }
    }
    out
}
