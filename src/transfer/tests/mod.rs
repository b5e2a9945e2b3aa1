//! Export → files → plan, against the seeded demo org and the sandbox's own store, which
//! validates and applies bodies exactly as the sandbox server does: a plan that runs through
//! there and then plans as a no-op is a plan whose bodies mean what the files say.

mod changes;
mod edit;
mod hostile;
mod other_org;
mod read_errors;
mod roundtrip;
mod single;
mod stale;
mod sub_items;

use std::path::Path;
use std::sync::OnceLock;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;

use super::{Change, ExportFile, ExportSet, Plan, PlanOptions, Step, export, plan, plan_with};
use crate::domain::{Edition, Id, OrgSnapshot};
use crate::sandbox::seed::{SeedOrg, load_embedded};
use crate::sandbox::store::Org;

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 14, 9, 26, 53).unwrap()
}

fn seed() -> SeedOrg {
    static SEED: OnceLock<SeedOrg> = OnceLock::new();
    SEED.get_or_init(|| load_embedded(now()).unwrap()).clone()
}

/// The demo org, as a client would load it.
pub fn snapshot() -> OrgSnapshot {
    seed().snapshot(Edition::Enterprise)
}

/// The demo org as the sandbox holds it, to apply plans to.
pub fn sandbox() -> Org {
    Org::from_seed(seed(), Edition::Enterprise, now())
}

pub fn snapshot_of(org: &Org) -> OrgSnapshot {
    OrgSnapshot {
        org_name: "sandbox".into(),
        edition: org.edition,
        modules: org.modules.iter().map(|m| m.schema.clone()).collect(),
        signals: org.signals.clone(),
        rules: org.rules.values().cloned().collect(),
    }
}

pub fn files_of(snap: &OrgSnapshot) -> Vec<ExportFile> {
    export(snap, &[]).unwrap()
}

/// The demo rule holding a picklist value the field no longer has (removed after the rule was
/// saved): Zoho refuses to create it anywhere, so an import of the whole demo export refuses it.
pub const REMOVED_VALUE_RULE: &str = "Partners/Reseller/Regional Focus.json";

/// `files` without the rule that cannot be imported ([`REMOVED_VALUE_RULE`]).
pub fn importable(mut files: Vec<ExportFile>) -> Vec<ExportFile> {
    let before = files.len();
    files.retain(|f| f.rel_path != REMOVED_VALUE_RULE);
    assert_eq!(files.len(), before - 1, "{REMOVED_VALUE_RULE} not exported");
    files
}

pub fn set_of(files: &[ExportFile]) -> ExportSet {
    ExportSet::from_files(files).unwrap()
}

pub fn write(dir: &Path, files: &[ExportFile]) {
    for f in files {
        let path = dir.join(&f.rel_path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &f.contents).unwrap();
    }
}

/// The rel path of the file holding the rule called `name`.
pub fn path_of(files: &[ExportFile], name: &str) -> String {
    let set = set_of(files);
    set.rules
        .iter()
        .find(|r| r.rule.name == name)
        .map(|r| r.rel_path.clone())
        .unwrap_or_else(|| panic!("no file for {name}"))
}

/// The text of the file at `rel`.
pub fn text_at<'a>(files: &'a [ExportFile], rel: &str) -> &'a str {
    &files.iter().find(|f| f.rel_path == rel).unwrap().contents
}

/// Edits a file's JSON in place.
pub fn edit(files: &mut [ExportFile], rel: &str, change: impl FnOnce(&mut Value)) {
    let f = files.iter_mut().find(|f| f.rel_path == rel).unwrap();
    let mut v: Value = serde_json::from_str(&f.contents).unwrap();
    change(&mut v);
    f.contents = serde_json::to_string_pretty(&v).unwrap();
}

/// Moves a file to another path (the sidecar keeps the old key).
pub fn rename(files: &mut [ExportFile], from: &str, to: &str) {
    files
        .iter_mut()
        .find(|f| f.rel_path == from)
        .unwrap()
        .rel_path = to.to_string();
}

/// Runs a plan's steps in order against the sandbox store, as the HTTP client will against
/// Zoho. Panics on the first refusal, with the sandbox's findings.
pub fn execute(org: &mut Org, plan: &Plan) {
    for step in &plan.steps {
        match step {
            Step::Create { file, body } => {
                org.create_rule(body, now())
                    .unwrap_or_else(|e| panic!("{file}: create refused: {e:?}"));
            }
            Step::Update {
                file,
                rule_id,
                body,
                activate,
                ..
            } => {
                org.update_rule(rule_id, body, now())
                    .unwrap_or_else(|e| panic!("{file}: update refused: {e:?}"));
                if let Some(on) = activate {
                    org.set_active(rule_id, *on, now())
                        .unwrap_or_else(|e| panic!("{file}: activate refused: {e:?}"));
                }
            }
            Step::Recreate {
                file,
                old_rule_id,
                body,
                ..
            } => {
                org.delete_rule(old_rule_id).unwrap();
                org.create_rule(body, now())
                    .unwrap_or_else(|e| panic!("{file}: recreate refused: {e:?}"));
            }
            Step::Delete { rule_id, .. } => org.delete_rule(rule_id).unwrap(),
            Step::Unchanged { .. } => {}
        }
    }
}

/// Plans `files` against the sandbox org with pruning, runs the plan, and checks the org now
/// matches the files exactly (planning again finds nothing to do, nothing kept without a
/// file). Returns the plan that ran.
pub fn apply_and_recheck(org: &mut Org, files: &[ExportFile]) -> Plan {
    let set = set_of(files);
    let prune = PlanOptions { prune: true };
    let p = plan_with(&set, &snapshot_of(org), prune).unwrap_or_else(|e| panic!("{e}"));
    execute(org, &p);
    let again = plan(&set, &snapshot_of(org)).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        again.is_noop() && again.kept.is_empty(),
        "not converged:\n{}",
        again.render()
    );
    p
}

/// Steps other than Unchanged.
pub fn active_steps(p: &Plan) -> Vec<&Step> {
    p.steps
        .iter()
        .filter(|s| !matches!(s, Step::Unchanged { .. }))
        .collect()
}

pub fn id_of(org: &Org, name: &str) -> Id {
    org.rules
        .values()
        .find(|r| r.name == name)
        .unwrap()
        .id
        .clone()
        .unwrap()
}

pub fn change(path: &str, before: &str, after: &str) -> Change {
    Change {
        path: path.into(),
        before: before.into(),
        after: after.into(),
    }
}

/// The one step that does something; panics unless there is exactly one.
pub fn only_step(p: &Plan) -> &Step {
    let steps = active_steps(p);
    assert_eq!(steps.len(), 1, "{}", p.render());
    steps[0]
}
