//! `zscore export` and `zscore import`: rules as files that move between orgs. Export writes
//! exactly the org's rules (stale files of exported modules are removed); import shows a plan,
//! asks, and applies it in batches (`transfer::apply`), reporting each rule.

use std::path::PathBuf;

use clap::Args;

use super::ask::confirm;
use super::connect::{Connection, Target, connect};
use super::output::{errln, outln};
use crate::display::sanitize;
use crate::domain::OrgSnapshot;
use crate::journal::writes::JournaledClient;
use crate::transfer::Plan;
use crate::transfer::apply::Applied;
use crate::transfer::write::write_export;
use crate::transfer::{
    Links, PlanOptions, plan_with, read_dir_with, rebase_sidecar, stale_refusal, stale_rules,
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
    let snapshot = super::connect::load(&conn, &args.modules).await?;
    let written = write_export(&snapshot, &args.modules, &args.out)?;
    for f in &written.rule_files {
        outln!("{f}");
    }
    errln!(
        "exported {} rule(s) of {} to {}{}",
        written.rules,
        sanitize(&snapshot.org_name),
        args.out.display(),
        if written.removed > 0 {
            format!(" ({} stale file(s) removed)", written.removed)
        } else {
            String::new()
        }
    );
    Ok(true)
}

pub async fn import(target: &Target, args: ImportArgs) -> Result<bool, String> {
    let links = if args.follow_links {
        Links::Follow
    } else {
        Links::StayInside
    };
    let set = read_dir_with(&args.dir, links).map_err(|e| e.to_string())?;
    let conn = connect(target).await.map_err(|e| e.to_string())?;
    let snapshot = super::connect::load(&conn, &[]).await?;
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
    let applied = apply_journaled(&conn, &plan, &snapshot, args.force, "import").await?;
    if !applied.not_applied.is_empty() {
        errln!(
            "zscore import: the time budget ran out; not applied ({}):",
            applied.not_applied.len()
        );
        for what in &applied.not_applied {
            errln!("  {}", sanitize(what));
        }
    }
    let now: Vec<_> = applied
        .updated
        .into_iter()
        .filter_map(|(id, time)| time.map(|t| (id, Some(t))))
        .collect();
    if let Err(e) = rebase_sidecar(&args.dir, &now) {
        errln!("zscore import: could not record the new modification times: {e}");
    }
    Ok(applied.ok)
}

/// Applies `plan` through the connection's change journal with `transfer::apply` (guarded,
/// batched), saying on stderr how each rule went; a refusal is named after `command`. Import
/// and edit both send their changes this way.
pub(super) async fn apply_journaled(
    conn: &Connection,
    plan: &Plan,
    snapshot: &OrgSnapshot,
    force: bool,
    command: &str,
) -> Result<Applied, String> {
    let journal = conn.journal().await?;
    let writer = JournaledClient {
        client: &conn.client,
        journal: &journal,
    };
    Ok(
        crate::transfer::apply::apply(&writer, plan, snapshot, force, |r| match r {
            Ok(done) => errln!("{done}"),
            Err(why) => errln!("zscore {command}: {}", sanitize(&why)),
        })
        .await,
    )
}
