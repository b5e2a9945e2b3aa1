//! `zscore export` and `zscore import`: rules as files that move between orgs. Export writes
//! exactly the org's rules (stale files of exported modules are removed); import shows a plan,
//! asks, and applies it step by step, reporting each step.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clap::Args;

use super::ask::confirm;
use super::connect::{Target, connect};
use super::output::{errln, outln};
use crate::display::sanitize;
use crate::domain::{Id, OrgSnapshot};
use crate::journal::writes::JournaledClient;
use crate::journal::writes::WriteError;
use crate::transfer::{
    Links, Plan, PlanOptions, Step, export as export_files, plan_with, read_dir_with,
    rebase_sidecar, stale_refusal, stale_rules,
};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Directory to write (created if needed).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Only this module (API name); repeat for several.
    #[arg(long = "module", value_name = "API_NAME")]
    pub modules: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A directory written by `zscore export`.
    pub dir: PathBuf,
    /// Show the plan and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Apply without asking.
    #[arg(long)]
    pub yes: bool,
    /// Overwrite or delete org rules that someone changed since the export (refused otherwise).
    #[arg(long)]
    pub force: bool,
    /// Read symbolic links that lead out of DIR (refused otherwise, naming their target).
    #[arg(long)]
    pub follow_links: bool,
    /// Also delete the org rules that have no file, in the layouts the directory holds
    /// (DIR/<module>/<layout>/); without it import only creates and updates.
    #[arg(long)]
    pub prune: bool,
}

pub async fn export(target: &Target, args: ExportArgs) -> Result<bool, String> {
    let conn = connect(target).await.map_err(|e| e.to_string())?;
    let snapshot = conn
        .client
        .load_snapshot(conn.edition, &args.modules)
        .await
        .map_err(|e| e.to_string())?;
    let files = export_files(&snapshot, &args.modules).map_err(|e| e.to_string())?;
    let written: BTreeSet<PathBuf> = files.iter().map(|f| args.out.join(&f.rel_path)).collect();
    for f in &files {
        let path = args.out.join(&f.rel_path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(&path, &f.contents)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    // A rule deleted from the org must not come back on the next import: drop its old file.
    let modules: BTreeSet<&str> = snapshot
        .modules
        .iter()
        .map(|m| m.module.api_name.as_str())
        .collect();
    let mut removed = 0;
    for module in modules {
        for stale in json_files(&args.out.join(module))
            .into_iter()
            .filter(|p| !written.contains(p))
        {
            std::fs::remove_file(&stale)
                .map_err(|e| format!("cannot remove stale {}: {e}", stale.display()))?;
            removed += 1;
        }
    }
    for f in files
        .iter()
        .filter(|f| f.rel_path.ends_with(".json") && !f.rel_path.starts_with('.'))
    {
        outln!("{}", f.rel_path);
    }
    errln!(
        "exported {} rule(s) of {} to {}{}",
        snapshot.rules.len(),
        sanitize(&snapshot.org_name),
        args.out.display(),
        if removed > 0 {
            format!(" ({removed} stale file(s) removed)")
        } else {
            String::new()
        }
    );
    Ok(true)
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(json_files(&p));
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
    out
}

pub async fn import(target: &Target, args: ImportArgs) -> Result<bool, String> {
    let links = if args.follow_links {
        Links::Follow
    } else {
        Links::StayInside
    };
    let set = read_dir_with(&args.dir, links).map_err(|e| e.to_string())?;
    let conn = connect(target).await.map_err(|e| e.to_string())?;
    let snapshot = conn
        .client
        .load_snapshot(conn.edition, &[])
        .await
        .map_err(|e| e.to_string())?;
    let options = PlanOptions { prune: args.prune };
    let plan = plan_with(&set, &snapshot, options).map_err(|e| e.to_string())?;
    super::output::out(&plan.render());
    if plan.is_noop() {
        errln!("nothing to change in {}", conn.label);
        return Ok(true);
    }
    let stale = stale_rules(&set, &plan, &snapshot);
    if !stale.is_empty() {
        if !args.force {
            return Err(stale_refusal(&stale, &conn.label));
        }
        errln!(
            "--force: overwriting {} rule(s) changed in {} since the export",
            stale.len(),
            sanitize(&conn.label)
        );
    }
    if args.dry_run {
        errln!("dry run: nothing was changed");
        return Ok(true);
    }
    conn.check_writable("import")?;
    if !args.yes && !confirm(&format!("Apply these changes to {}? [y/N] ", conn.label))? {
        errln!("nothing was changed");
        return Ok(true);
    }
    let journal = conn.journal()?;
    let writer = JournaledClient {
        client: &conn.client,
        journal: &journal,
    };
    let guard = Guard {
        snapshot: &snapshot,
        force: args.force,
    };
    let (ok, updated) = apply(&writer, &plan, &guard).await;
    let mut now = Vec::with_capacity(updated.len());
    for id in updated {
        if let Ok(Some(rule)) = conn.client.get_rule(&id).await {
            now.push((id, rule.modified_time));
        }
    }
    if let Err(e) = rebase_sidecar(&args.dir, &now) {
        errln!("zscore import: could not record the new modification times: {e}");
    }
    Ok(ok)
}

/// The org as the plan saw it: each write is sent only if its rule is still as planned
/// (someone may change it while the import runs), unless `--force`.
pub(super) struct Guard<'a> {
    pub(super) snapshot: &'a OrgSnapshot,
    pub(super) force: bool,
}

impl Guard<'_> {
    async fn update(
        &self,
        client: &JournaledClient<'_>,
        id: &Id,
        body: &serde_json::Value,
    ) -> Result<(), WriteError> {
        match self.base(id) {
            Some(base) if !self.force => client.update_guarded(id, body, base).await,
            _ => client.update(id, body).await,
        }
        .map(|_| ())
    }

    async fn delete(&self, client: &JournaledClient<'_>, id: &Id) -> Result<(), WriteError> {
        match self.base(id) {
            Some(base) if !self.force => client.delete_guarded(id, base).await,
            _ => client.delete(id).await,
        }
        .map(|_| ())
    }

    fn base(&self, id: &Id) -> Option<&crate::domain::ScoringRule> {
        self.snapshot
            .rules
            .iter()
            .find(|r| r.id.as_ref() == Some(id))
    }
}

/// Deletes first (they free room under the limits), then recreations, updates, creates.
/// Returns whether every step succeeded and the ids of the rules updated in place.
pub(super) async fn apply(
    client: &JournaledClient<'_>,
    plan: &Plan,
    guard: &Guard<'_>,
) -> (bool, Vec<Id>) {
    let rank = |s: &Step| match s {
        Step::Delete { .. } => 0,
        Step::Recreate { .. } => 1,
        Step::Update { .. } => 2,
        Step::Create { .. } => 3,
        Step::Unchanged { .. } => 4,
    };
    let mut steps: Vec<&Step> = plan.steps.iter().collect();
    steps.sort_by_key(|s| rank(s));
    let mut ok = true;
    let mut updated = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let outcome = apply_step(client, step, guard).await;
        match outcome {
            Ok(Some(done)) => {
                if let Step::Update { rule_id, .. } = step {
                    updated.push(rule_id.clone());
                }
                errln!("{done}")
            }
            Ok(None) => {}
            Err(why) => {
                ok = false;
                errln!("zscore import: {}", sanitize(&why));
                // Past the budget every step would fail the same way: say what was not applied.
                if client.client.budget_spent() {
                    let rest: Vec<String> = steps[i + 1..].iter().filter_map(|s| what(s)).collect();
                    if !rest.is_empty() {
                        errln!(
                            "zscore import: the time budget ran out; not applied ({}):",
                            rest.len()
                        );
                        for r in rest {
                            errln!("  {}", sanitize(&r));
                        }
                    }
                    break;
                }
            }
        }
    }
    (ok, updated)
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

async fn apply_step(
    client: &JournaledClient<'_>,
    step: &Step,
    guard: &Guard<'_>,
) -> Result<Option<String>, String> {
    match step {
        Step::Unchanged { .. } => Ok(None),
        Step::Delete {
            rule_id,
            name,
            module,
        } => {
            guard
                .delete(client, rule_id)
                .await
                .map_err(|e| format!("delete {module}/{name} ({rule_id}): {e}"))?;
            Ok(Some(format!("deleted {module}/{}", sanitize(name))))
        }
        Step::Create { file, body } => {
            let id = create_one(client, body)
                .await
                .map_err(|e| format!("{file}: {e}"))?;
            Ok(Some(format!("created {file} as {id}")))
        }
        Step::Update {
            file,
            rule_id,
            body,
            activate,
            ..
        } => {
            if body
                .as_object()
                .is_some_and(|o| o.keys().any(|k| k != "id"))
            {
                guard
                    .update(client, rule_id, body)
                    .await
                    .map_err(|e| format!("{file}: {e}"))?;
            }
            match activate {
                Some(active) => client.set_active(rule_id, *active).await.map(|_| ()),
                None => Ok(()),
            }
            .map_err(|e| format!("{file}: updated, but changing its active state failed: {e}"))?;
            Ok(Some(format!("updated {file}")))
        }
        Step::Recreate {
            file,
            old_rule_id,
            body,
            ..
        } => {
            guard.delete(client, old_rule_id).await.map_err(|e| {
                format!("{file}: moving to another layout failed, nothing changed: {e}")
            })?;
            let id = create_one(client, body).await.map_err(|e| {
                format!("{file}: the old rule {old_rule_id} was deleted but creating it in its new layout failed ({e}); re-run the import to create it")
            })?;
            Ok(Some(format!("recreated {file} in its new layout as {id}")))
        }
    }
}

async fn create_one(
    client: &JournaledClient<'_>,
    body: &serde_json::Value,
) -> Result<String, String> {
    match client.create(body).await.map_err(|e| e.to_string())? {
        Ok(s) => Ok(s.id().map(|i| i.to_string()).unwrap_or_default()),
        Err(z) => Err(z.to_string()),
    }
}
