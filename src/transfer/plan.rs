//! Files against a target org → the steps that make the org match them.
//!
//! A file matches an org rule by the sidecar's rule id when the target has that id in the same
//! module (the same org: renames are then updates), else by name ignoring case in the same
//! module (another org). As `kubectl apply`, a plan creates and updates; an org rule that no
//! file matched is deleted only with `prune`, and only in a layout directory the export holds
//! (`Leads/Standard/`): a directory holding one rule file must not delete the rest of the org.
//! Without `prune` such rules are listed in the plan as kept.
//!
//! Steps come in the order they are to be executed, chosen so each finds room made by the ones
//! before: deletes, then updates that deactivate, recreates, other updates, creates, and the
//! unchanged last. Every step that sends something is validated against the org as the earlier
//! steps leave it (names, per-layout limits), so a plan either runs through or is refused with
//! every problem listed before anything is sent.

use serde_json::Value;

use super::bodies::{OrgSide, create_body, update_body};
use super::diff::diff;
use super::error::TransferError;
use super::export::{rule_place, to_file};
use super::format::RuleFile;
use super::names::ALL_LAYOUTS;
use super::normal::{label_key, same_rule};
use super::read::ExportSet;
use super::resolve::{resolve, unknown_reference, violations_error};
use super::sim::Sim;
use super::steps::{Change, Item, Plan, Step, Unfiled};
use crate::display::quote;
use crate::domain::validate;
use crate::domain::{OrgSnapshot, ScoringRule};

/// What a plan may do beyond creating and updating.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// Delete the org rules of the layouts the export holds that no file matched.
    pub prune: bool,
}

/// Creates and updates only (no pruning): see `plan_with`.
pub fn plan(set: &ExportSet, target: &OrgSnapshot) -> Result<Plan, TransferError> {
    plan_with(set, target, PlanOptions::default())
}

pub fn plan_with(
    set: &ExportSet,
    target: &OrgSnapshot,
    options: PlanOptions,
) -> Result<Plan, TransferError> {
    let mut errs = Vec::new();
    for m in &set.modules {
        match target.module(m) {
            None if !set.rules.iter().any(|r| &r.module_dir == m) => {
                errs.push(unknown_module(&format!("{m}/"), m, target));
            }
            Some(s) if s.module.scoring_supported == Some(false) => {
                errs.push(TransferError::invalid(
                    format!("{m}/"),
                    "",
                    format!("{m} does not support scoring rules"),
                ));
            }
            _ => {}
        }
    }
    let mut items = Vec::with_capacity(set.rules.len());
    for file in &set.rules {
        let schema = match target.module(&file.module_dir) {
            None => {
                errs.push(unknown_module(&file.rel_path, &file.module_dir, target));
                continue;
            }
            // Already reported once, for the directory.
            Some(s) if s.module.scoring_supported == Some(false) => continue,
            Some(s) => s,
        };
        match resolve(file, schema, target) {
            Ok(resolved) => items.push(Item {
                file,
                resolved,
                matched: None,
            }),
            Err(e) => errs.extend(e),
        }
    }
    let mut org = Vec::new();
    for rule in &target.rules {
        if set.modules.contains(&rule.module.api_name) {
            match to_file(rule, target) {
                Ok(f) => org.push((rule, Some(f))),
                Err(e) => errs.push(e),
            }
        }
    }
    TransferError::collect(errs)?;
    match_rules(set, &mut items, &mut org);
    let mut unfiled = Vec::new();
    for (rule, file) in org {
        let Some(file) = file else { continue };
        let layout_dir = file.layout.unwrap_or_else(|| ALL_LAYOUTS.to_string());
        let held = set
            .layouts
            .iter()
            .any(|(m, l)| *m == file.module && *l == layout_dir);
        if held {
            unfiled.push((rule, layout_dir));
        }
    }
    let (deletes, kept) = if options.prune {
        (unfiled.into_iter().map(|(r, _)| r).collect(), Vec::new())
    } else {
        let kept = unfiled
            .into_iter()
            .map(|(rule, layout_dir)| {
                Ok(Unfiled {
                    rule_id: rule.id.clone().ok_or_else(|| no_id(rule))?,
                    name: rule.name.clone(),
                    module: rule.module.api_name.clone(),
                    layout_dir,
                })
            })
            .collect::<Result<Vec<_>, TransferError>>()?;
        (Vec::new(), kept)
    };
    let mut plan = build(&items, deletes, target)?;
    plan.kept = kept;
    Ok(plan)
}

fn unknown_module(place: &str, m: &str, target: &OrgSnapshot) -> TransferError {
    let known: Vec<&str> = target
        .modules
        .iter()
        .map(|s| s.module.api_name.as_str())
        .collect();
    let path = if place.ends_with('/') { "" } else { "module" };
    TransferError::invalid(
        place,
        path,
        format!(
            "no module {} in this org (modules: {})",
            quote(m),
            known.join(", ")
        ),
    )
}

/// Pairs files with org rules: sidecar ids first, then names. A matched org rule's slot in
/// `org` is emptied, so what remains there is to be deleted.
fn match_rules<'a>(
    set: &ExportSet,
    items: &mut [Item<'a>],
    org: &mut [(&'a ScoringRule, Option<RuleFile>)],
) {
    let module = |i: &Item| i.resolved.schema.module.api_name.clone();
    for item in items.iter_mut() {
        let Some(entry) = set.ids.get(&item.file.rel_path) else {
            continue;
        };
        let m = module(item);
        if let Some((rule, slot)) = org.iter_mut().find(|(r, f)| {
            f.is_some() && r.id.as_ref() == Some(&entry.rule_id) && r.module.api_name == m
        }) {
            item.matched = slot.take().map(|f| (*rule, f));
        }
    }
    for item in items.iter_mut().filter(|i| i.matched.is_none()) {
        let m = module(item);
        let key = label_key(&item.file.rule.name);
        if let Some((rule, slot)) = org
            .iter_mut()
            .find(|(r, f)| f.is_some() && r.module.api_name == m && label_key(&r.name) == key)
        {
            item.matched = slot.take().map(|f| (*rule, f));
        }
    }
}

/// Execution order; see the module documentation.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    Delete,
    Deactivate,
    Recreate,
    Update,
    Create,
    Unchanged,
}

fn build(
    items: &[Item],
    deletes: Vec<&ScoringRule>,
    target: &OrgSnapshot,
) -> Result<Plan, TransferError> {
    let mut steps: Vec<(Phase, String, Step, Option<&Item>)> = Vec::new();
    let mut errs = Vec::new();
    for rule in deletes {
        let Some(rule_id) = rule.id.clone() else {
            errs.push(no_id(rule));
            continue;
        };
        let module = rule.module.api_name.clone();
        let key = format!("{module}/{}", rule.name);
        let step = Step::Delete {
            rule_id,
            name: rule.name.clone(),
            module,
        };
        steps.push((Phase::Delete, key, step, None));
    }
    for item in items {
        match step_for(item) {
            Ok((phase, step)) => steps.push((phase, item.file.rel_path.clone(), step, Some(item))),
            Err(e) => errs.push(e),
        }
    }
    TransferError::collect(errs)?;
    steps.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let mut sim = Sim::new(target);
    let mut errs = Vec::new();
    for (_, _, step, item) in &steps {
        errs.extend(sim.apply(step, *item));
    }
    TransferError::collect(errs)?;
    Ok(Plan {
        steps: steps.into_iter().map(|(_, _, s, _)| s).collect(),
        kept: Vec::new(),
    })
}

fn step_for(item: &Item) -> Result<(Phase, Step), TransferError> {
    let file = item.file.rel_path.clone();
    let wanted = &item.file.rule;
    let Some((org_rule, org_file)) = &item.matched else {
        let body = checked_create(item)?;
        return Ok((Phase::Create, Step::Create { file, body }));
    };
    let rule_id = org_rule.id.clone().ok_or_else(|| no_id(org_rule))?;
    if org_file.layout != wanted.layout {
        let mut changes = diff(org_file, wanted);
        if !org_rule.custom_fields.is_empty() {
            changes.push(Change {
                path: "custom_fields".into(),
                before: format!("{} field(s) holding scores", org_rule.custom_fields.len()),
                after: "deleted with the old rule; their values are lost".into(),
            });
        }
        let body = checked_create(item)?;
        return Ok((
            Phase::Recreate,
            Step::Recreate {
                file,
                old_rule_id: rule_id,
                body,
                changes,
            },
        ));
    }
    if same_rule(wanted, org_file) {
        return Ok((Phase::Unchanged, Step::Unchanged { file, rule_id }));
    }
    let side = OrgSide {
        rule: org_rule,
        file: org_file,
    };
    let body = update_body(&rule_id, &side, wanted, &item.resolved.rule)
        .map_err(|(path, m)| TransferError::invalid(&file, path, m))?;
    if let Err(v) = validate::parse_update(&body) {
        return Err(violations_error(&file, &wanted.name, &v));
    }
    let activate = (org_file.active != wanted.active).then_some(wanted.active);
    let phase = if activate == Some(false) {
        Phase::Deactivate
    } else {
        Phase::Update
    };
    Ok((
        phase,
        Step::Update {
            file,
            rule_id,
            body,
            changes: diff(org_file, wanted),
            activate,
        },
    ))
}

fn no_id(rule: &ScoringRule) -> TransferError {
    TransferError::invalid(
        rule_place(rule),
        "",
        "the org listed this rule without its id",
    )
}

/// The create body, read back as the API will read it: whatever the request schema refuses
/// (a list over its length limit, say) is refused here, at the file's path.
fn checked_create(item: &Item) -> Result<Value, TransferError> {
    let file = &item.file.rel_path;
    let unknown: Vec<TransferError> = (item.file.rule.custom_fields.iter().enumerate())
        .filter(|(_, cf)| cf.reference_field.is_none())
        .map(|(i, _)| unknown_reference(file, i))
        .collect();
    TransferError::collect(unknown)?;
    let body = create_body(&item.resolved.rule);
    match validate::parse_create(&body) {
        Ok(_) => Ok(body),
        Err(v) => Err(violations_error(file, &item.file.rule.name, &v)),
    }
}
