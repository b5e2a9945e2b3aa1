//! `zscore execute`: schedule rules to run, with each request's state and, on the sandbox,
//! each job's progress drawn on stderr; one result line per request on stdout. `--verify`
//! then reads a sample's scores back until they are the predicted ones (`cli::verify`).

use clap::Args;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::sync::{mpsc, watch};

use super::connect::{Target, connect};
use super::output::{errln, outln};
use crate::api::{ExecTarget, RuleFilter};
use crate::display::sanitize;
use crate::domain::{Id, find_layout};
use crate::jobs::execute::{ChunkState, ExecEvent, ExecPlan, run};
use crate::jobs::verify::DEFAULT_SAMPLE;

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["layout", "rules", "all_active"])))]
pub struct ExecuteArgs {
    /// Module API name, e.g. Leads.
    #[arg(long)]
    pub module: String,
    /// Run every active rule of this layout (id, API name or label).
    #[arg(long, value_name = "LAYOUT")]
    pub layout: Option<String>,
    /// Run these rules (ids, comma-separated); sent five per request.
    #[arg(long, value_name = "ID[,ID...]", value_delimiter = ',')]
    pub rules: Vec<String>,
    /// Run every active rule of the module.
    #[arg(long)]
    pub all_active: bool,
    /// Then check that a sample of the module's records carries the scores the rules give
    /// them (Zoho reports no progress, so the scores are read back), for as long as the
    /// command's --timeout allows (default 10m); exit code 1 when records still differ then.
    #[arg(long)]
    pub verify: bool,
    /// Records --verify checks (those in the six-month window of the newest N).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_SAMPLE, requires = "verify")]
    pub verify_sample: usize,
}

pub async fn execute(target: &Target, args: ExecuteArgs) -> Result<bool, String> {
    let conn = connect(target).await.map_err(|e| e.to_string())?;
    // Executing changes every matching record's score: a write in all but name.
    conn.check_writable("execute rules")?;
    let client = conn.client.clone();
    let module = args.module.clone();
    let plan = if let Some(wanted) = &args.layout {
        let layouts = client.layouts(&module).await.map_err(|e| e.to_string())?;
        let layout =
            find_layout(&layouts, &module, wanted).map_err(|e| format!("--layout: {e}"))?;
        ExecPlan::layout(&module, layout.id.clone())
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
            b.set_prefix(sanitize(l));
            b
        })
        .collect();
    while let Some(ev) = rx.recv().await {
        match ev {
            ExecEvent::Chunk { index, state } => {
                if let Some(b) = lines.get(index) {
                    b.set_message(sanitize(&chunk_text(&state)));
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
                    // The bars draw on stderr themselves, outside `output`: the job's id and state
                    // come from the server, so they are made inert here.
                    b.set_message(sanitize(&format!("job {job_id} {state}")));
                }
            }
            ExecEvent::NoJobProgress => {
                let note =
                    "Zoho reports no job progress; the scheduled jobs run in the background.";
                // Bars draw only on a terminal; anywhere else the note still has to be said.
                if bars.is_hidden() {
                    errln!("zscore execute: {note}");
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
    for (label, state) in labels.iter().zip(&summary.chunks) {
        match state {
            ChunkState::Scheduled(job) => outln!("scheduled\t{job}\t{label}"),
            ChunkState::Failed(why) => {
                ok = false;
                outln!("failed\t-\t{label}\t{}", sanitize(why));
                errln!("zscore execute: {label} failed: {}", sanitize(why));
            }
            other => {
                ok = false;
                outln!("{}\t-\t{label}", chunk_text(other));
            }
        }
    }
    if let Some(pending) = pending {
        let verified = {
            let window = verify_window(&client);
            super::verify::finish(client, pending, &plan, &summary, window).await?
        };
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

/// How long `--verify` may poll: what is left of the command's time budget, less a margin for
/// the last poll's round trip, so the report is printed before the budget ends the command.
fn verify_window(client: &crate::api::Client) -> std::time::Duration {
    let left = client.time_left();
    left.saturating_sub((left / 10).min(std::time::Duration::from_secs(5)))
}
