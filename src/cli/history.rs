//! `zscore history` and `zscore revert`: the change journal of the connected org, each write
//! with its outcome and what it changed (in the words of the TUI's save review, through
//! `journal::describe`), and putting an entry's "before" state back.

use clap::Args;
use serde_json::Value;

use super::ask::confirm;
use super::connect::{Target, connect};
use super::output::{errln, outln};
use super::preview::Format;
use crate::display::sanitize;
use crate::domain::ScoringRule;
use crate::journal::group::GROUP_OP;
use crate::journal::writes::{JournaledClient, RevertPlan};
use crate::journal::{Entry, describe};

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only entries about this rule id.
    #[arg(long, value_name = "ID")]
    pub rule: Option<String>,
    /// `json`: one JSON object per line.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// The same as --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RevertArgs {
    /// The entry number `zscore history` shows.
    pub entry: u64,
    /// Show what the revert would do and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Revert without asking.
    #[arg(long)]
    pub yes: bool,
}

pub async fn history(target: &Target, args: HistoryArgs) -> Result<bool, String> {
    let conn = connect(target).await.map_err(|e| e.to_string())?;
    let journal = conn.journal().await?;
    let entries: Vec<Entry> = journal
        .entries()
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|e| {
            args.rule.as_deref().is_none_or(|r| {
                e.rule_id.as_deref() == Some(r)
                    || e.outcome.as_ref().and_then(|o| o.rule_id.as_deref()) == Some(r)
            })
        })
        .collect();
    if entries.is_empty() {
        errln!(
            "no changes recorded for {} ({})",
            conn.label,
            journal.path().display()
        );
    }
    // Field, layout and signal names for the changes; without them (the org cannot be read
    // now) the changes still show, with API names.
    let json = args.json || args.format == Format::Json;
    let snapshot = if entries.is_empty() || json {
        None
    } else {
        names_of(&conn, entries.iter().filter_map(describe::module).collect()).await
    };
    for e in &entries {
        if json {
            outln!("{}", super::output::json_line(&entry_json(e)));
            continue;
        }
        for line in describe::text_lines(e, snapshot.as_ref()) {
            outln!("{line}");
        }
    }
    Ok(true)
}

/// The org's field, layout and signal names for `modules`, so changes read in words; without
/// them (the org cannot be read now) changes still show, with API names.
pub(super) async fn names_of(
    conn: &super::connect::Connection,
    mut modules: Vec<String>,
) -> Option<crate::domain::OrgSnapshot> {
    modules.sort();
    modules.dedup();
    match conn.client.load_snapshot(conn.edition, &modules).await {
        Ok(s) => Some(s),
        Err(e) => {
            errln!(
                "zscore: fields are shown by API name: the org's metadata cannot be read ({})",
                sanitize(&e.to_string())
            );
            None
        }
    }
}

/// Shows what reverting the entry does to the org as it is now, asks (unless `--yes`), then
/// sends it; `--dry-run` stops after the plan, as `import` does.
pub async fn revert(target: &Target, args: RevertArgs) -> Result<bool, String> {
    let conn = connect(target).await.map_err(|e| e.to_string())?;
    if !args.dry_run {
        conn.check_writable("revert")?;
    }
    let journal = conn.journal().await?;
    let entries = journal.entries().map_err(|e| e.to_string())?;
    let entry = entries
        .iter()
        .find(|e| e.seq == args.entry)
        .ok_or_else(|| format!("no entry #{} in {}", args.entry, journal.path().display()))?;
    let writer = JournaledClient {
        client: &conn.client,
        journal: &journal,
    };
    if entry.op == GROUP_OP {
        return super::bulk_revert::revert_group(&conn, &writer, entry.seq, &args).await;
    }
    let plan = writer.revert_plan(entry).await.map_err(|e| e.to_string())?;
    let snapshot = names_of(&conn, describe::module(entry).into_iter().collect()).await;
    for line in describe_revert(entry, &plan, snapshot.as_ref()) {
        outln!("{line}");
    }
    if args.dry_run {
        errln!("dry run: nothing was changed");
        return Ok(true);
    }
    if !args.yes
        && !confirm(&format!(
            "Revert entry #{} in {}? [y/N] ",
            entry.seq, conn.label
        ))?
    {
        errln!("nothing was changed");
        return Ok(true);
    }
    let done = writer
        .apply_revert(entry, plan)
        .await
        .map_err(|e| e.to_string())?;
    outln!("{}", sanitize(&done));
    Ok(true)
}

/// The plan as a person reads it: what happens to which rule, then what changes, field by field.
pub fn describe_revert(
    entry: &Entry,
    plan: &RevertPlan,
    snapshot: Option<&crate::domain::OrgSnapshot>,
) -> Vec<String> {
    let name = |r: &ScoringRule| sanitize(&r.name);
    match plan {
        RevertPlan::Delete { id, now } => vec![format!(
            "- delete rule {id} {}, which entry #{} {}",
            now.as_ref().map_or_else(
                || "(no longer found)".to_string(),
                |r| format!("{:?}", name(r))
            ),
            entry.seq,
            if entry.op == "clone" {
                "cloned"
            } else {
                "created"
            }
        )],
        RevertPlan::Recreate { before } => vec![format!(
            "+ re-create {:?}, which entry #{} deleted, under a new id (the data its custom fields held is gone)",
            name(before),
            entry.seq
        )],
        RevertPlan::Restore {
            id, now, before, ..
        } => {
            let mut lines = vec![format!(
                "~ restore rule {id} {:?} to its state before entry #{}",
                name(now),
                entry.seq
            )];
            let names = crate::rule_diff::Names::of(snapshot, &now.module.api_name);
            let changes: Vec<String> = crate::rule_diff::diff(Some(now), Some(before), names)
                .iter()
                .map(|l| l.signed())
                .collect();
            if changes.is_empty() {
                lines.push("    (it is already in that state: nothing changes)".into());
            }
            lines.extend(changes.into_iter().map(|l| format!("    {l}")));
            lines
        }
    }
}

fn entry_json(e: &Entry) -> Value {
    serde_json::json!({
        "seq": e.seq, "time": e.time, "profile": e.profile, "op": e.op, "rule_id": e.rule_id,
        "rule_name": e.rule_name, "before": e.before, "request": e.request, "group": e.group,
        "outcome": e.outcome.as_ref().map(|o| serde_json::json!({
            "time": o.time, "ok": o.ok, "answer": o.answer, "rule_id": o.rule_id, "after": o.after})),
    })
}
