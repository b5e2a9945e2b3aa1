//! `zscore execute --verify`: before the execution, predict a sample's scores; after it, poll
//! until the records carry them or the timeout passes (`jobs::verify`). Progress goes to
//! stderr; the summary and every record still different go to stdout, by name.

use std::time::Duration;

use tokio::sync::{mpsc, watch};

use super::connect::Connection;
use super::output::{errln, out};
use crate::api::{CallMeter, Client};
use crate::display::sanitize;
use crate::jobs::execute::{ExecPlan, ExecSummary};
use crate::jobs::verify::{
    Outcome, VerifyEvent, VerifyOptions, VerifyReport, keep_scheduled, predict_plan, verify,
};
use crate::lab::expected::Prediction;
use crate::lab::names::label;

/// A prediction made before the execution was sent.
pub struct Pending {
    prediction: Prediction,
    calls: CallMeter,
}

pub async fn prepare(conn: &Connection, plan: &ExecPlan, sample: usize) -> Result<Pending, String> {
    let client = &conn.client;
    let module = plan.module.clone();
    // The rules as the org has them now, counted with the prediction: verification's cost.
    let calls = CallMeter::new();
    let snapshot = client
        .counting(&calls)
        .load_snapshot(conn.edition, std::slice::from_ref(&module))
        .await
        .map_err(|e| e.to_string())?;
    errln!("zscore execute: predicting the scores of up to {sample} {module} records");
    let prediction = predict_plan(client, &snapshot, plan, sample, &calls).await?;
    errln!(
        "zscore execute: {} records to verify ({} expected to change; {} outside the six-month window left out), {} API calls",
        prediction.records.len(),
        prediction.expected_changes(),
        prediction.outside_window,
        calls.get().total()
    );
    if prediction.expected_changes() == 0 {
        errln!(
            "zscore execute: no sampled record is expected to change, so matching scores prove the execution ran only once its job is reported done, or after they stayed as predicted for {} s (or the timeout)",
            VerifyOptions::default().settle.as_secs()
        );
    }
    Ok(Pending { prediction, calls })
}

/// Polls after the execution; `Ok(true)` when every sampled record carries its prediction.
pub async fn finish(
    client: Client,
    pending: Pending,
    plan: &ExecPlan,
    summary: &ExecSummary,
    timeout: Duration,
) -> Result<bool, String> {
    let Pending {
        mut prediction,
        calls,
    } = pending;
    if !keep_scheduled(&mut prediction, plan, &summary.chunks) {
        errln!("zscore execute: nothing was scheduled, so there is nothing to verify");
        return Ok(false);
    }
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (stop_tx, stop_rx) = watch::channel(false);
    let options = VerifyOptions {
        timeout,
        execution_done: summary.all_jobs_done,
        ..VerifyOptions::default()
    };
    let mut worker = tokio::spawn(verify(client, prediction, options, calls, tx, stop_rx));
    let report = loop {
        tokio::select! {
            Some(ev) = rx.recv() => progress(&ev),
            done = &mut worker => break done.map_err(|e| format!("verification stopped: {e}"))?,
            Ok(()) = tokio::signal::ctrl_c() => {
                let _ = stop_tx.send(true);
            }
        }
    };
    while let Ok(ev) = rx.try_recv() {
        progress(&ev);
    }
    out(&render(&report));
    errln!("{}", cost(&report));
    if let Some(e) = &report.last_error {
        errln!("zscore execute: last poll error: {}", sanitize(e));
    }
    Ok(report.outcome == Outcome::Verified)
}

fn progress(ev: &VerifyEvent) {
    match ev {
        VerifyEvent::Polled {
            poll,
            verified,
            total,
            calls,
        } => errln!(
            "zscore execute: poll {poll}: verified {verified} / {total} records carry the expected scores ({calls} API calls so far)"
        ),
        VerifyEvent::PollFailed { poll, error } => errln!(
            "zscore execute: poll {poll} could not read the scores: {}",
            sanitize(error)
        ),
        VerifyEvent::Waiting { next } => {
            tracing::debug!(secs = next.as_secs_f64(), "next verification poll");
        }
    }
}

/// The report for stdout: the summary line, then one line per record still different.
pub fn render(r: &VerifyReport) -> String {
    let mut out = format!("{}\n", r.summary());
    if let Some(c) = &r.check {
        for d in &c.differing {
            let rules: Vec<String> = d
                .rules
                .iter()
                .map(|x| {
                    format!(
                        "{} ({}): expected {}, actual {}",
                        sanitize(&x.name),
                        x.id,
                        x.expected,
                        x.actual
                    )
                })
                .collect();
            out.push_str(&format!(
                "differs\t{}\texpected {}\tactual {}\t{}\n",
                label(d.name.as_deref(), &d.id),
                d.expected,
                d.actual,
                rules.join("; ")
            ));
        }
    }
    out
}

/// How verification ended and what it cost, for stderr.
pub fn cost(r: &VerifyReport) -> String {
    let how = match r.outcome {
        Outcome::Verified => "all verified",
        Outcome::TimedOut => "timed out; the execution may still be running",
        Outcome::Stopped => "stopped; the execution itself goes on in Zoho",
    };
    format!(
        "zscore execute: verification {how}: {} poll(s), {} API calls ({} for the prediction, {} polling), {:.1} s",
        r.polls,
        r.prediction_calls + r.poll_calls,
        r.prediction_calls,
        r.poll_calls,
        r.elapsed_ms as f64 / 1000.0
    )
}
