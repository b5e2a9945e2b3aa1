//! Applying a `RulePatch` to a stored rule, and reporting findings about the merged rule at the
//! positions the request used.
//!
//! The merged rule lists the stored sub-items first (minus deleted ones, edited in place), then
//! the added ones in input order, so merged positions differ from input positions. Each merged
//! sub-item remembers the input index it came from; findings are moved back to those indices,
//! and findings about sub-items the request did not touch are dropped (the request cannot fix
//! them, and they have no position in it).

use serde_json::Value;

use super::canon::criteria_set_key;
use super::patch::{Change, CustomFieldEdit, FieldRuleEdit, RulePatch, SignalRuleEdit};
use super::{Fresh, Op, RuleContext, Section, collect};
use crate::domain::id::Id;
use crate::domain::rule::{CustomField, FieldRule, ScoringRule, SignalRule};
use crate::domain::violation::{RulePath, Seg, Violation, codes};

/// For each merged sub-item, the index of the request entry it came from (`None`: untouched).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Origins {
    pub field_rules: Vec<Option<usize>>,
    pub signal_rules: Vec<Option<usize>>,
    pub custom_fields: Vec<Option<usize>>,
}

impl Origins {
    pub fn of(&self, section: Section) -> &[Option<usize>] {
        match section {
            Section::FieldRules => &self.field_rules,
            Section::SignalRules => &self.signal_rules,
            Section::CustomFields => &self.custom_fields,
        }
    }
}

/// A stored rule with a patch applied, ready to be checked and stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Patched {
    pub rule: ScoringRule,
    origins: Origins,
    /// The field rules' criteria, as a set, differ from the stored rule's.
    criteria_changed: bool,
}

impl Patched {
    /// `check_rule(Op::Update)` on the merged rule, with paths moved back to the input item's
    /// indices; per-item findings about untouched stored sub-items are dropped.
    pub fn check(&self, ctx: &RuleContext) -> Vec<Violation> {
        collect(
            &self.rule,
            ctx,
            Op::Update,
            Fresh(Some(&self.origins)),
            self.criteria_changed,
        )
        .into_iter()
        .filter_map(|v| self.to_input(v))
        .collect()
    }

    fn to_input(&self, mut v: Violation) -> Option<Violation> {
        v.path = map_path(&v.path, &self.origins)?;
        // A detail naming a stored sub-item the request never mentioned (an `exists_in`) has no
        // position in the request, so it is left out.
        for (k, mut d) in std::mem::take(&mut v.details) {
            if remap_nested(&mut d, &self.origins) {
                v.details.insert(k, d);
            }
        }
        Some(v)
    }
}

/// Applies a patch to the stored rule. Unknown sub-item ids → INVALID_DATA "The id given seems
/// to be invalid" at e.g. `field_rules[i].id`.
pub fn apply_patch(existing: &ScoringRule, patch: &RulePatch) -> Result<Patched, Vec<Violation>> {
    let mut rule = existing.clone();
    let mut errs = Vec::new();
    if let Some(name) = &patch.name {
        rule.name = name.clone();
    }
    if let Some(description) = &patch.description {
        rule.description = description.clone();
    }
    let (field_rules, fo) = merge(
        &existing.field_rules,
        &patch.field_rules,
        Section::FieldRules,
        &mut errs,
        |t| t.id.as_ref(),
        |n: &FieldRule| FieldRule {
            id: None,
            ..n.clone()
        },
        |t, e: &FieldRuleEdit| {
            if let Some(s) = e.score {
                t.score = s;
            }
            if let Some(c) = &e.criteria {
                t.criteria = c.clone();
            }
        },
    );
    let (signal_rules, so) = merge(
        &existing.signal_rules,
        &patch.signal_rules,
        Section::SignalRules,
        &mut errs,
        |t| t.id.as_ref(),
        |n: &SignalRule| SignalRule {
            id: None,
            ..n.clone()
        },
        |t, e: &SignalRuleEdit| {
            if let Some(s) = e.score {
                t.score = s;
            }
            if let Some(sig) = &e.signal {
                t.signal = sig.clone();
            }
        },
    );
    let (custom_fields, co) = merge(
        &existing.custom_fields,
        &patch.custom_fields,
        Section::CustomFields,
        &mut errs,
        |t| t.id.as_ref(),
        |n: &CustomField| CustomField {
            id: None,
            ..n.clone()
        },
        |t, e: &CustomFieldEdit| {
            if let Some(l) = &e.field_label {
                t.field_label = Some(l.clone());
            }
        },
    );
    if !errs.is_empty() {
        return Err(errs);
    }
    rule.field_rules = field_rules;
    let criteria_changed =
        criteria_set_key(&rule.field_rules) != criteria_set_key(&existing.field_rules);
    rule.signal_rules = signal_rules;
    rule.custom_fields = custom_fields;
    Ok(Patched {
        rule,
        origins: Origins {
            field_rules: fo,
            signal_rules: so,
            custom_fields: co,
        },
        criteria_changed,
    })
}

fn merge<T: Clone, N, E>(
    existing: &[T],
    changes: &[Change<N, E>],
    section: Section,
    errs: &mut Vec<Violation>,
    id_of: impl Fn(&T) -> Option<&Id>,
    make: impl Fn(&N) -> T,
    edit: impl Fn(&mut T, &E),
) -> (Vec<T>, Vec<Option<usize>>) {
    let mut kept: Vec<(T, Option<usize>)> = existing.iter().map(|t| (t.clone(), None)).collect();
    let mut added = Vec::new();
    for (i, change) in changes.iter().enumerate() {
        match change {
            Change::Add(n) => added.push((make(n), Some(i))),
            Change::Edit(id, e) => match kept.iter_mut().find(|(t, _)| id_of(t) == Some(id)) {
                Some((t, origin)) => {
                    edit(t, e);
                    *origin = Some(i);
                }
                None => errs.push(unknown_id(section, i, id)),
            },
            Change::Delete(id) => match kept.iter().position(|(t, _)| id_of(t) == Some(id)) {
                Some(p) => {
                    kept.remove(p);
                }
                None => errs.push(unknown_id(section, i, id)),
            },
        }
    }
    kept.extend(added);
    kept.into_iter().unzip()
}

fn unknown_id(section: Section, i: usize, id: &Id) -> Violation {
    let path = RulePath::root().key(section.key()).index(i).key("id");
    Violation::new(
        codes::INVALID_DATA,
        "The id given seems to be invalid",
        path,
    )
    .hint(format!(
        "this rule has no {} with id {id}",
        section.singular()
    ))
}

/// The input path of a merged-rule path; `None` when it points into an untouched sub-item.
fn map_path(path: &RulePath, origins: &Origins) -> Option<RulePath> {
    let (Some(Seg::Key(k)), Some(Seg::Index(merged))) = (path.0.first(), path.0.get(1)) else {
        return Some(path.clone());
    };
    let Some(section) = Section::from_key(k) else {
        return Some(path.clone());
    };
    let input = origins.of(section).get(*merged).copied().flatten()?;
    let mut segs = path.0.clone();
    segs[1] = Seg::Index(input);
    Some(RulePath(segs))
}

/// Rewrites every nested relative `json_path` (`$.field_rules[3]…`) to input indices. Returns
/// false when one of them points into an untouched sub-item.
fn remap_nested(v: &mut Value, origins: &Origins) -> bool {
    match v {
        Value::Object(m) => m.iter_mut().all(|(k, val)| match val {
            Value::String(s) if k == "json_path" => match remap_json_path(s, origins) {
                Some(new) => {
                    *s = new;
                    true
                }
                None => false,
            },
            other => remap_nested(other, origins),
        }),
        Value::Array(a) => a.iter_mut().all(|x| remap_nested(x, origins)),
        _ => true,
    }
}

fn remap_json_path(s: &str, origins: &Origins) -> Option<String> {
    let Some(rest) = s.strip_prefix("$.") else {
        return Some(s.to_string());
    };
    for section in Section::ALL {
        let Some(after) = rest
            .strip_prefix(section.key())
            .and_then(|r| r.strip_prefix('['))
        else {
            continue;
        };
        let digits = after.find(']')?;
        let merged: usize = after[..digits].parse().ok()?;
        let input = origins.of(section).get(merged).copied().flatten()?;
        return Some(format!(
            "$.{}[{input}]{}",
            section.key(),
            &after[digits + 1..]
        ));
    }
    Some(s.to_string())
}
