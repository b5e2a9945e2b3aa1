//! Applying an import plan, batched as Zoho takes writes: deletes by id lists, creates 20 per
//! request, updates 25 (`journal::batch`), so an import of N rules costs ⌈N ÷ batch⌉ writes
//! plus a rule list per module per batch (guard and journal), not a few requests per rule.
//! Only activation changes go one rule at a time (Zoho has no bulk activate).
//!
//! The order is the plan's meaning: deletes first (they free room under the limits), then the
//! rules recreated in another layout, updates, and creates. Each rule's outcome is reported
//! through `report` as it is known: `Ok(what was done)` or `Err(why not)`. Once the client's
//! time budget is spent every further write would fail the same way: the rest is not sent, and
//! `Applied::not_applied` names it.

use serde_json::Value;

use super::steps::{Plan, Step};
use crate::display::sanitize;
use crate::domain::{Id, OrgSnapshot, ScoringRule};
use crate::journal::batch::Target;
use crate::journal::writes::JournaledClient;

/// How an import went: whether every step succeeded, the rules updated in place with their
/// new modification times (which the export's sidecar records), and the steps never sent
/// because the time budget ran out (`delete Leads/X`, `create Leads/Standard/x.json`).
pub struct Applied {
    pub ok: bool,
    pub updated: Vec<(Id, Option<String>)>,
    pub not_applied: Vec<String>,
}

/// `force`: overwrite rules changed in the org since they were loaded (else they are left
/// alone and reported).
pub async fn apply(
    client: &JournaledClient<'_>,
    plan: &Plan,
    snapshot: &OrgSnapshot,
    force: bool,
    report: impl Fn(Result<String, String>),
) -> Applied {
    let mut ok = true;
    let mut say = |r: Result<String, String>| {
        ok &= r.is_ok();
        report(r);
    };
    // Deletes, and the old rules of those moving to another layout.
    let mut deletes: Vec<(&Step, Target)> = Vec::new();
    for step in &plan.steps {
        let id = match step {
            Step::Delete { rule_id, .. } => rule_id,
            Step::Recreate { old_rule_id, .. } => old_rule_id,
            _ => continue,
        };
        match org_target(snapshot, id, None, force) {
            Some(t) => deletes.push((step, t)),
            None => say(Err(format!("rule {id} is not in the org as loaded"))),
        }
    }
    let targets: Vec<Target> = deletes.iter().map(|(_, t)| t.clone()).collect();
    let outcomes = client.delete_batch(&targets).await;
    let mut moving: Vec<&Step> = Vec::new();
    for ((step, _), outcome) in deletes.iter().zip(outcomes) {
        match (step, outcome) {
            (Step::Delete { name, module, .. }, Ok(_)) => {
                say(Ok(format!("deleted {module}/{}", sanitize(name))));
            }
            (
                Step::Delete {
                    rule_id,
                    name,
                    module,
                },
                Err(why),
            ) => say(Err(format!("delete {module}/{name} ({rule_id}): {why}"))),
            (Step::Recreate { .. }, Ok(_)) => moving.push(step),
            (Step::Recreate { file, .. }, Err(why)) => say(Err(format!(
                "{file}: moving to another layout failed, nothing changed: {why}"
            ))),
            _ => {}
        }
    }

    let spent = || client.client.budget_spent();
    if spent() {
        for step in &moving {
            if let Step::Recreate {
                file, old_rule_id, ..
            } = step
            {
                say(Err(format!(
                    "{file}: the old rule {old_rule_id} was deleted but the time budget ran out before creating it in its new layout; re-run the import to create it"
                )));
            }
        }
        return Applied {
            ok: false,
            updated: Vec::new(),
            not_applied: later(plan, Phase::Updates).filter_map(what).collect(),
        };
    }

    // The moved rules' new selves.
    let bodies: Vec<&Value> = moving
        .iter()
        .filter_map(|s| match s {
            Step::Recreate { body, .. } => Some(body),
            _ => None,
        })
        .collect();
    let outcomes = client.create_batch(&bodies).await;
    for (step, outcome) in moving.iter().zip(outcomes) {
        if let Step::Recreate {
            file, old_rule_id, ..
        } = step
        {
            say(match outcome {
                Ok(w) => Ok(format!("recreated {file} in its new layout as {}", w.id)),
                Err(e) => Err(format!(
                    "{file}: the old rule {old_rule_id} was deleted but creating it in its new layout failed ({e}); re-run the import to create it"
                )),
            });
        }
    }

    if spent() {
        return Applied {
            ok: false,
            updated: Vec::new(),
            not_applied: later(plan, Phase::Updates).filter_map(what).collect(),
        };
    }

    // Updates: bodies batched, then each changed active state.
    let mut updates: Vec<(&Step, Option<Target>)> = Vec::new();
    for step in &plan.steps {
        let Step::Update { rule_id, body, .. } = step else {
            continue;
        };
        let sends = body
            .as_object()
            .is_some_and(|o| o.keys().any(|k| k != "id"));
        if !sends {
            updates.push((step, None));
            continue;
        }
        match org_target(snapshot, rule_id, Some(body), force) {
            Some(t) => updates.push((step, Some(t))),
            None => say(Err(format!("rule {rule_id} is not in the org as loaded"))),
        }
    }
    let targets: Vec<Target> = updates.iter().filter_map(|(_, t)| t.clone()).collect();
    let mut outcomes = client.update_batch(&targets).await.into_iter();
    let mut updated = Vec::new();
    let mut not_applied = Vec::new();
    for (step, t) in &updates {
        let Step::Update {
            file,
            rule_id,
            activate,
            ..
        } = step
        else {
            continue;
        };
        let mut modified_time = None;
        if t.is_some() {
            match outcomes.next() {
                Some(Ok(w)) => modified_time = w.modified_time,
                Some(Err(why)) => {
                    say(Err(format!("{file}: {why}")));
                    continue;
                }
                None => continue,
            }
        }
        if let Some(active) = activate {
            // Activations go one by one: past the budget, the rest are not sent.
            if spent() {
                if t.is_some() {
                    say(Err(format!(
                        "{file}: updated, but the time budget ran out before changing its active state"
                    )));
                } else {
                    not_applied.extend(what(step));
                }
                continue;
            }
            if let Err(e) = client.set_active(rule_id, *active).await {
                say(Err(format!(
                    "{file}: updated, but changing its active state failed: {e}"
                )));
                continue;
            }
            // A change of state is a change: the rule's time moved on.
            modified_time = client
                .client
                .get_rule(rule_id)
                .await
                .ok()
                .flatten()
                .and_then(|r| r.modified_time);
        }
        updated.push((rule_id.clone(), modified_time));
        say(Ok(format!("updated {file}")));
    }

    if spent() {
        not_applied.extend(later(plan, Phase::Creates).filter_map(what));
        return Applied {
            ok: false,
            updated,
            not_applied,
        };
    }

    // Creates.
    let creates: Vec<(&String, &Value)> = plan
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Create { file, body } => Some((file, body)),
            _ => None,
        })
        .collect();
    let bodies: Vec<&Value> = creates.iter().map(|(_, b)| *b).collect();
    let outcomes = client.create_batch(&bodies).await;
    for ((file, _), outcome) in creates.iter().zip(outcomes) {
        say(match outcome {
            Ok(w) => Ok(format!("created {file} as {}", w.id)),
            Err(e) => Err(format!("{file}: {e}")),
        });
    }
    Applied {
        ok,
        updated,
        not_applied: Vec::new(),
    }
}

/// Where `apply` is: the steps of this phase and those after it are still to be sent.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    Updates,
    Creates,
}

/// The plan's steps sent in `from` or after it.
fn later(plan: &Plan, from: Phase) -> impl Iterator<Item = &Step> {
    plan.steps.iter().filter(move |s| match s {
        Step::Update { .. } => from <= Phase::Updates,
        Step::Create { .. } => from <= Phase::Creates,
        _ => false,
    })
}

/// A step as the not-applied list names it; `None` for a file with nothing to do.
fn what(step: &Step) -> Option<String> {
    match step {
        Step::Unchanged { .. } => None,
        Step::Delete { name, module, .. } => Some(format!("delete {module}/{name}")),
        Step::Create { file, .. } => Some(format!("create {file}")),
        Step::Update { file, .. } => Some(format!("update {file}")),
        Step::Recreate { file, .. } => Some(format!("recreate {file}")),
    }
}

/// The org rule `id` as a batch target: its module, and as the guard's base unless `force`.
fn org_target<'a>(
    snapshot: &'a OrgSnapshot,
    id: &Id,
    body: Option<&'a Value>,
    force: bool,
) -> Option<Target<'a>> {
    let r: &ScoringRule = snapshot.rules.iter().find(|r| r.id.as_ref() == Some(id))?;
    Some(Target {
        id: r.id.as_ref()?,
        module: &r.module.api_name,
        body,
        base: (!force).then_some(r),
    })
}
