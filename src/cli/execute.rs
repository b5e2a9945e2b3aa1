//! `zscore execute`: schedule rules to run, with each request's state and, on the sandbox,
//! each job's progress drawn on stderr; one result line per request on stdout. `--verify`
//! then reads a sample's scores back until they are the predicted ones (`cli::verify`).

use std::time::Duration;

use clap::Args;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::sync::{mpsc, watch};

use super::connect::{Target, connect};
use crate::api::{ExecTarget, RuleFilter};
use crate::display::sanitize;
use crate::domain::Id;
use crate::jobs::execute::{ChunkState, ExecEvent, ExecPlan, run};
use crate::jobs::verify::DEFAULT_SAMPLE;

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["layout", "rules", "all_active"])))]
pub struct ExecuteArgs {
    /// Module API name, e.g. Leads.
    #[arg(long)]
    pub module: String,
    /// Run every active rule of this layout (layout id).
    #[arg(long, value_name = "ID")]
    pub layout: Option<String>,
    /// Run these rules (ids, comma-separated); sent five per request.
    #[arg(long, value_name = "ID[,ID...]", value_delimiter = ',')]
    pub rules: Vec<String>,
    /// Run every active rule of the module.
    #[arg(long)]
    pub all_active: bool,
    /// Then check that a sample of the module's records carries the scores the rules give
    /// them (Zoho reports no progress, so the scores are read back); exit code 1 when records
    /// still differ at the timeout.
    #[arg(long)]
    pub verify: bool,
    /// How long --verify waits for the scores to land: 90s, 10m, 1h.
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_duration, requires = "verify")]
    pub timeout: Duration,
    /// Records --verify checks (those in the six-month window of the newest N).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_SAMPLE, requires = "verify")]
    pub verify_sample: usize,
}

/// `90s`, `10m`, `1h`, or plain seconds.
fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (digits, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("{s:?} is not a duration like 90s, 10m or 1h"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        _ => return Err(format!("{s:?}: the unit is s, m or h")),
    };
    Ok(Duration::from_secs(secs))
}

pub async fn execute(target: &Target, args: ExecuteArgs) -> Result<bool, String> {
    let conn = connect(target).await.map_err(|e| e.to_string())?;
    // Executing changes every matching record's score: a write in all but name.
    conn.check_writable("execute rules")?;
    let client = conn.client.clone();
    let module = args.module.clone();
    let plan = if let Some(layout) = &args.layout {
        ExecPlan::layout(
            &module,
            Id::parse(layout).ok_or_else(|| format!("--layout {layout:?} is not an id"))?,
        )
    } else if !args.rules.is_empty() {
        let ids: Vec<Id> = args
            .rules
            .iter()
            .map(|r| Id::parse(r).ok_or_else(|| format!("--rules: {r:?} is not an id")))
            .collect::<Result<_, _>>()?;
        ExecPlan::rules(&module, &ids)
    } else {
        let active = client
            .list_rules(&RuleFilter {
                active: Some(true),
                ..RuleFilter::module(&module)
            })
            .await
            .map_err(|e| e.to_string())?;
        if active.is_empty() {
            return Err(format!("{module} has no active rules to execute"));
        }
        ExecPlan::module(&module)
    };
    // Predicted before the execution is sent: after it, the records may already carry it.
    let pending = match args.verify {
        true => Some(super::verify::prepare(&conn, &plan, args.verify_sample).await?),
        false => None,
    };
    let labels: Vec<String> = plan.chunks.iter().map(describe).collect();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (_stop_tx, stop_rx) = watch::channel(false);
    let worker = tokio::spawn(run(client.clone(), plan.clone(), tx, stop_rx));

    let bars = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{prefix:.bold} {wide_msg} {pos}/{len}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    let lines: Vec<ProgressBar> = labels
        .iter()
        .map(|l| {
            let b = bars.add(ProgressBar::new(0).with_style(style.clone()));
            b.set_prefix(l.clone());
            b
        })
        .collect();
    while let Some(ev) = rx.recv().await {
        match ev {
            ExecEvent::Chunk { index, state } => {
                if let Some(b) = lines.get(index) {
                    b.set_message(chunk_text(&state));
                }
            }
            ExecEvent::Job {
                index,
                job_id,
                state,
                processed,
                total,
            } => {
                if let Some(b) = lines.get(index) {
                    b.set_length(total);
                    b.set_position(processed);
                    b.set_message(format!("job {job_id} {state}"));
                }
            }
            ExecEvent::NoJobProgress => {
                let note =
                    "Zoho reports no job progress; the scheduled jobs run in the background.";
                // Bars draw only on a terminal; anywhere else the note still has to be said.
                if bars.is_hidden() {
                    eprintln!("zscore execute: {note}");
                } else {
                    let _ = bars.println(note);
                }
            }
        }
    }
    let summary = worker
        .await
        .map_err(|e| format!("the execution task failed: {e}"))?;
    for b in &lines {
        b.finish();
    }
    let mut ok = true;
    for (label, state) in labels.iter().zip(&summary) {
        match state {
            ChunkState::Scheduled(job) => println!("scheduled\t{job}\t{label}"),
            ChunkState::Failed(why) => {
                ok = false;
                println!("failed\t-\t{label}\t{}", sanitize(why));
                eprintln!("zscore execute: {label} failed: {}", sanitize(why));
            }
            other => {
                ok = false;
                println!("{}\t-\t{label}", chunk_text(other));
            }
        }
    }
    if let Some(pending) = pending {
        let verified =
            super::verify::finish(client, pending, &plan, &summary, args.timeout).await?;
        ok &= verified;
    }
    drop(conn);
    Ok(ok)
}

fn describe(t: &ExecTarget) -> String {
    match t {
        ExecTarget::Rules(ids) => format!(
            "rules {}",
            ids.iter().map(Id::as_str).collect::<Vec<_>>().join(",")
        ),
        ExecTarget::Layout(id) => format!("layout {id}"),
        ExecTarget::Module => "all active rules".into(),
    }
}

fn chunk_text(s: &ChunkState) -> String {
    match s {
        ChunkState::Queued => "queued".into(),
        ChunkState::Sending => "sending".into(),
        ChunkState::Retrying(n, why) => format!("retrying ({n}): {why}"),
        ChunkState::Scheduled(job) => format!("scheduled, job {job}"),
        ChunkState::Failed(why) => format!("failed: {}", sanitize(why)),
        ChunkState::Skipped => "not sent".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_read_like_people_write_them() {
        let secs = |s: &str| parse_duration(s).map(|d| d.as_secs());
        assert_eq!(secs("90"), Ok(90));
        assert_eq!(secs("90s"), Ok(90));
        assert_eq!(secs("10m"), Ok(600));
        assert_eq!(secs(" 1h "), Ok(3600));
        assert!(secs("10 minutes").is_err());
        assert!(secs("m").is_err());
        assert!(secs("-5s").is_err());
    }
}
