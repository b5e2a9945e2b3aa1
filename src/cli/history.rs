//! `zscore history` and `zscore revert`: the change journal of the connected org, each write
//! with its outcome and what it changed (in the words of the TUI's save review, through
//! `journal::describe`), and putting an entry's "before" state back.

use clap::Args;
use serde_json::Value;

use super::connect::{Target, connect};
use crate::display::sanitize;
use crate::journal::writes::JournaledClient;
use crate::journal::{Entry, describe};

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only entries about this rule id.
    #[arg(long, value_name = "ID")]
    pub rule: Option<String>,
    /// JSON lines instead of text.
    #[arg(long)]
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
    let journal = conn.journal()?;
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
        eprintln!(
            "no changes recorded for {} ({})",
            conn.label,
            journal.path().display()
        );
    }
    // Field, layout and signal names for the changes; without them (the org cannot be read
    // now) the changes still show, with API names.
    let snapshot = if entries.is_empty() || args.json {
        None
    } else {
        let mut modules: Vec<String> = entries.iter().filter_map(describe::module).collect();
        modules.sort();
        modules.dedup();
        match conn.client.load_snapshot(conn.edition, &modules).await {
            Ok(s) => Some(s),
            Err(e) => {
                eprintln!(
                    "zscore: fields are shown by API name: the org's metadata cannot be read ({})",
                    sanitize(&e.to_string())
                );
                None
            }
        }
    };
    for e in &entries {
        if args.json {
            println!("{}", entry_json(e));
            continue;
        }
        for line in describe::text_lines(e, snapshot.as_ref()) {
            println!("{line}");
        }
    }
    Ok(true)
}

pub async fn revert(target: &Target, args: RevertArgs) -> Result<bool, String> {
    let conn = connect(target).await.map_err(|e| e.to_string())?;
    if !args.dry_run {
        conn.check_writable("revert")?;
    }
    let journal = conn.journal()?;
    let entries = journal.entries().map_err(|e| e.to_string())?;
    let entry = entries
        .iter()
        .find(|e| e.seq == args.entry)
        .ok_or_else(|| format!("no entry #{} in {}", args.entry, journal.path().display()))?;
    let writer = JournaledClient {
        client: &conn.client,
        journal: &journal,
    };
    if entry.op == crate::journal::group::GROUP_OP {
        return super::bulk_revert::revert_group(&conn, &writer, entry.seq, &args).await;
    }
    if args.dry_run {
        println!("#{} {}", entry.seq, describe::revert_text(entry));
        eprintln!("dry run: nothing was changed");
        return Ok(true);
    }
    let done = writer.revert(entry).await.map_err(|e| e.to_string())?;
    println!("{}", sanitize(&done));
    Ok(true)
}

fn entry_json(e: &Entry) -> Value {
    serde_json::json!({
        "seq": e.seq, "time": e.time, "profile": e.profile, "op": e.op, "rule_id": e.rule_id,
        "rule_name": e.rule_name, "before": e.before, "request": e.request,
        "outcome": e.outcome.as_ref().map(|o| serde_json::json!({
            "time": o.time, "ok": o.ok, "answer": o.answer, "rule_id": o.rule_id, "after": o.after})),
    })
}
