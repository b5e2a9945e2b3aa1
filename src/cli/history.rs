//! `zscore history` and `zscore revert`: the change journal of the connected org, with what
//! each write changed, and putting an entry's "before" state back.

use clap::Args;
use serde_json::Value;

use super::connect::{Target, connect};
use super::output::{errln, outln};
use crate::display::{sanitize, truncate_to_width};
use crate::journal::Entry;
use crate::journal::writes::JournaledClient;

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
        errln!(
            "no changes recorded for {} ({})",
            conn.label,
            journal.path().display()
        );
    }
    for e in &entries {
        if args.json {
            outln!("{}", super::output::json_line(&entry_json(e)));
            continue;
        }
        let outcome = truncate_to_width(&e.outcome_text(), 110);
        outln!(
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
            outln!("    {line}");
        }
    }
    Ok(true)
}

pub async fn revert(target: &Target, args: RevertArgs) -> Result<bool, String> {
    let conn = connect(target).await.map_err(|e| e.to_string())?;
    conn.check_writable("revert")?;
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
    let done = writer.revert(entry).await.map_err(|e| e.to_string())?;
    outln!("{}", sanitize(&done));
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
