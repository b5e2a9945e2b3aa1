//! `zscore history` and `zscore revert`: the change journal of the connected org, with what
//! each write changed, and putting an entry's "before" state back.

use clap::Args;
use serde_json::Value;

use super::ask::confirm;
use super::connect::{Target, connect};
use super::preview::Format;
use crate::display::{sanitize, truncate_to_width};
use crate::domain::ScoringRule;
use crate::journal::Entry;
use crate::journal::writes::{JournaledClient, RevertPlan};

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
    let json = args.json || args.format == Format::Json;
    for e in &entries {
        if json {
            println!("{}", entry_json(e));
            continue;
        }
        let outcome = match &e.outcome {
            None => "outcome unknown (no answer recorded; check the rule)".to_string(),
            Some(o) if o.ok => "ok".to_string(),
            Some(o) => format!("failed: {}", short(&o.answer)),
        };
        println!(
            "#{} {} {} {} {} — {}",
            e.seq,
            e.time,
            e.op,
            e.rule_id
                .clone()
                .or_else(|| e.outcome.as_ref().and_then(|o| o.rule_id.clone()))
                .unwrap_or_else(|| "-".into()),
            sanitize(e.rule_name.as_deref().unwrap_or("")),
            outcome
        );
        for line in diff(
            e.before.as_ref(),
            e.outcome.as_ref().and_then(|o| o.after.as_ref()),
        ) {
            println!("    {line}");
        }
    }
    Ok(true)
}

/// Shows what reverting the entry does to the org as it is now, asks (unless `--yes`), then
/// sends it; `--dry-run` stops after the plan, as `import` does.
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
    let plan = writer.revert_plan(entry).await.map_err(|e| e.to_string())?;
    for line in describe_revert(entry, &plan) {
        println!("{line}");
    }
    if args.dry_run {
        eprintln!("dry run: nothing was changed");
        return Ok(true);
    }
    if !args.yes
        && !confirm(&format!(
            "Revert entry #{} in {}? [y/N] ",
            entry.seq, conn.label
        ))?
    {
        eprintln!("nothing was changed");
        return Ok(true);
    }
    let done = writer
        .apply_revert(entry, plan)
        .await
        .map_err(|e| e.to_string())?;
    println!("{}", sanitize(&done));
    Ok(true)
}

/// The plan as a person reads it: what happens to which rule, then what changes, field by field.
pub fn describe_revert(entry: &Entry, plan: &RevertPlan) -> Vec<String> {
    let as_value = |r: &ScoringRule| serde_json::to_value(r).ok();
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
            let changes = diff(as_value(now).as_ref(), as_value(before).as_ref());
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
        "rule_name": e.rule_name, "before": e.before, "request": e.request,
        "outcome": e.outcome.as_ref().map(|o| serde_json::json!({
            "time": o.time, "ok": o.ok, "answer": o.answer, "rule_id": o.rule_id, "after": o.after})),
    })
}

fn short(v: &Value) -> String {
    let text = v
        .get("code")
        .and_then(Value::as_str)
        .map(|c| {
            format!(
                "{c} {}",
                v.get("message").and_then(Value::as_str).unwrap_or("")
            )
        })
        .unwrap_or_else(|| v.to_string());
    truncate_to_width(&sanitize(&text), 100)
}

/// What changed between before and after, key by key (times and authors left out).
pub fn diff(before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
    const SKIP: [&str; 5] = [
        "modified_time",
        "modified_by",
        "created_time",
        "created_by",
        "has_signal_rules",
    ];
    match (before, after) {
        (None, Some(a)) => vec![format!("+ {}", short_rule(a))],
        (Some(b), None) => vec![format!("- {}", short_rule(b))],
        (Some(b), Some(a)) => {
            let keys: std::collections::BTreeSet<&String> = b
                .as_object()
                .into_iter()
                .chain(a.as_object())
                .flat_map(|m| m.keys())
                .collect();
            keys.into_iter()
                .filter(|k| !SKIP.contains(&k.as_str()))
                .filter(|k| b.get(k.as_str()) != a.get(k.as_str()))
                .map(|k| {
                    let show = |v: Option<&Value>| {
                        truncate_to_width(
                            &sanitize(&v.map(Value::to_string).unwrap_or_default()),
                            60,
                        )
                    };
                    format!(
                        "{k}: {} → {}",
                        show(b.get(k.as_str())),
                        show(a.get(k.as_str()))
                    )
                })
                .collect()
        }
        (None, None) => Vec::new(),
    }
}

fn short_rule(v: &Value) -> String {
    format!(
        "rule {} {:?}",
        v.get("id").and_then(Value::as_str).unwrap_or("-"),
        sanitize(v.get("name").and_then(Value::as_str).unwrap_or(""))
    )
}
