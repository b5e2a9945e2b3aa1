//! Rules changed in the org since the export: importing over them would silently undo someone
//! else's work, so `zscore import` refuses (unless `--force`) and names them.
//!
//! The sidecar records each exported rule's `modified_time` (`null`: never modified). A plan
//! step that would update, recreate or delete an org rule whose sidecar entry carries a
//! different `modified_time` than the org's rule now has (another moment: `domain::stamp`) is stale. Steps matched by name in another org have no sidecar entry
//! for the target's rule ids, so moving rules between orgs never trips this.

use super::read::ExportSet;
use super::steps::{Plan, Step};
use crate::display::quote;
use crate::domain::stamp::{instant, stamps_differ};
use crate::domain::{Id, OrgSnapshot};

/// One org rule the import would overwrite or delete though it changed since the export.
#[derive(Clone, Debug, PartialEq)]
pub struct StaleRule {
    /// The file, or `Module rule "name"` for a delete.
    pub place: String,
    pub rule_id: Id,
    pub name: String,
    /// `None`: the rule had never been modified when it was exported.
    pub exported_modified_time: Option<String>,
    pub modified_time: Option<String>,
    pub modified_by: Option<String>,
    /// What the import would do to it: the changed paths, or that it deletes the rule.
    pub would: String,
}

/// Every stale step of `plan`, in plan order.
pub fn stale_rules(set: &ExportSet, plan: &Plan, target: &OrgSnapshot) -> Vec<StaleRule> {
    plan.steps
        .iter()
        .filter_map(|step| {
            let (place, id, would) = match step {
                Step::Update {
                    file,
                    rule_id,
                    changes,
                    ..
                }
                | Step::Recreate {
                    file,
                    old_rule_id: rule_id,
                    changes,
                    ..
                } => (file.clone(), rule_id, changed_paths(step, changes)),
                Step::Delete {
                    rule_id,
                    name,
                    module,
                } => (
                    format!("{module} rule {}", quote(name)),
                    rule_id,
                    "delete it".to_string(),
                ),
                Step::Create { .. } | Step::Unchanged { .. } => return None,
            };
            let rule = target.rules.iter().find(|r| r.id.as_ref() == Some(id))?;
            let exported = set
                .ids
                .values()
                .find(|e| &e.rule_id == id)?
                .modified_time
                .clone();
            if created_after(rule, exported.as_deref()) {
                return None;
            }
            let changed = match (rule.modified_time.as_deref(), exported.as_deref()) {
                (Some(now), Some(then)) => stamps_differ(now, then),
                (now, then) => now != then,
            };
            changed.then(|| StaleRule {
                place,
                rule_id: id.clone(),
                name: rule.name.clone(),
                exported_modified_time: exported,
                modified_time: rule.modified_time.clone(),
                modified_by: rule.modified_by.as_ref().map(|u| u.name.clone()),
                would,
            })
        })
        .collect()
}

/// Whether the org's rule was created after the exported rule's last change, so it cannot be
/// the rule that was exported: another org reusing the id (two sandboxes mint the same ids).
/// Unknown or unreadable times say nothing.
fn created_after(rule: &crate::domain::ScoringRule, exported: Option<&str>) -> bool {
    match (
        rule.created_time.as_deref().and_then(instant),
        exported.and_then(instant),
    ) {
        (Some(created), Some(exported)) => created > exported,
        _ => false,
    }
}

fn changed_paths(step: &Step, changes: &[super::steps::Change]) -> String {
    let mut paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
    paths.dedup();
    let verb = match step {
        Step::Recreate { .. } => "recreate it in another layout, changing",
        _ => "change",
    };
    if paths.is_empty() {
        format!("{verb} its active state")
    } else {
        format!("{verb} {}", paths.join(", "))
    }
}

/// The refusal, one rule per line, ending with what to do.
pub fn refusal(stale: &[StaleRule], org: &str) -> String {
    let mut s = format!(
        "refusing to import: {} rule(s) changed in {} since the export, and importing would overwrite those changes:\n",
        stale.len(),
        crate::display::sanitize(org)
    );
    for r in stale {
        s.push_str(&format!(
            "  {}: rule {} {} was modified by {} at {} (exported at {}); the import would {}\n",
            crate::display::sanitize(&r.place),
            r.rule_id,
            quote(&r.name),
            r.modified_by
                .as_deref()
                .map(quote)
                .unwrap_or_else(|| "someone".into()),
            r.modified_time
                .as_deref()
                .map(quote)
                .unwrap_or_else(|| "an unknown time".into()),
            r.exported_modified_time
                .as_deref()
                .map(quote)
                .unwrap_or_else(|| "never modified".into()),
            r.would
        ));
    }
    s.push_str("Export again to start from the org's current rules, or pass --force to overwrite their changes.");
    s
}

/// After an import, the org rules it updated carry new `modified_time`s; recording them in the
/// sidecar makes the directory the base of the next import, so the import's own writes are
/// not mistaken for someone else's. Returns how many entries changed; no sidecar, no change.
pub fn rebase_sidecar(
    dir: &std::path::Path,
    now: &[(Id, Option<String>)],
) -> Result<usize, super::TransferError> {
    use super::format::{SIDECAR, Sidecar, to_pretty};
    let path = dir.join(SIDECAR);
    let io = |source| super::TransferError::Io {
        place: path.display().to_string(),
        source,
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(io(e)),
    };
    let mut ids: Sidecar = super::read::parse_json(SIDECAR, &text)?;
    let mut changed = 0;
    for entry in ids.values_mut() {
        if let Some((_, t)) = now.iter().find(|(id, _)| *id == entry.rule_id)
            && entry.modified_time != *t
        {
            entry.modified_time = t.clone();
            changed += 1;
        }
    }
    if changed > 0 {
        let out = to_pretty(&ids)
            .map_err(|e| super::TransferError::invalid(SIDECAR, "", e.to_string()))?;
        std::fs::write(&path, out).map_err(io)?;
    }
    Ok(changed)
}
