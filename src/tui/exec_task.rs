//! The task behind the execution view: predict the sample's scores, send the execution and
//! follow its jobs (`jobs::execute::run`), then poll until the sample carries the prediction
//! (`jobs::verify`), the same steps `zscore execute --verify` takes. Everything it learns goes
//! back as `Msg`s for the run's request id.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, watch};

use super::event::Msg;
use super::exec_verify::VerifyStep;
use super::supervise::{self, Failed};
use crate::api::{CallMeter, Client};
use crate::domain::ScoringRule;
use crate::domain::metadata::ModuleSchema;
use crate::jobs::execute::{self, ExecPlan};
use crate::jobs::verify::{self, DEFAULT_SAMPLE, VerifyOptions};

/// What the prediction needs, as the app holds it when the execution is confirmed: the
/// module's schema and the rules the plan runs.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifyInput {
    pub schema: ModuleSchema,
    pub rules: Vec<ScoringRule>,
}

/// What the app can do to a running execution.
pub struct ExecSwitches {
    /// Send no further chunks.
    pub stop: watch::Sender<bool>,
    /// Nobody watches any more: stop forwarding its events, which ends the following, and
    /// stop verifying.
    pub close: watch::Sender<bool>,
}

pub type Switches = Arc<Mutex<HashMap<u64, ExecSwitches>>>;

/// Sends no further chunks of the run; `close` also stops following its jobs and verifying.
pub fn stop(switches: &Switches, request: u64, close: bool) {
    if let Ok(stops) = switches.lock()
        && let Some(s) = stops.get(&request)
    {
        let _ = s.stop.send(true);
        if close {
            let _ = s.close.send(true);
        }
    }
}

pub fn spawn(
    client: Client,
    tx: mpsc::UnboundedSender<Msg>,
    switches: Switches,
    request: u64,
    plan: ExecPlan,
    verify_input: Option<Box<VerifyInput>>,
    failed: Option<Failed>,
) {
    let (stop, stop_rx) = watch::channel(false);
    let (close, close_rx) = watch::channel(false);
    if let Ok(mut stops) = switches.lock() {
        stops.insert(request, ExecSwitches { stop, close });
    }
    supervise::spawn(tx.clone(), failed, async move {
        let step = |step: VerifyStep| {
            let _ = tx.send(Msg::Verify { request, step });
        };
        let calls = CallMeter::new();
        let prediction = match verify_input {
            None => None,
            Some(input) => {
                step(VerifyStep::Predicting {
                    sample: DEFAULT_SAMPLE,
                });
                match verify::predict(&client, &input.schema, &input.rules, DEFAULT_SAMPLE, &calls)
                    .await
                {
                    Ok(p) => {
                        step(VerifyStep::Predicted {
                            records: p.records.len(),
                            expected_changes: p.expected_changes(),
                            outside_window: p.outside_window,
                        });
                        Some(p)
                    }
                    Err(e) => {
                        step(VerifyStep::PredictFailed(e.to_string()));
                        None
                    }
                }
            }
        };
        let summary = run_and_forward(
            &client,
            &tx,
            request,
            plan.clone(),
            stop_rx,
            close_rx.clone(),
        )
        .await;
        if let Some(mut prediction) = prediction
            && !*close_rx.borrow()
        {
            if verify::keep_scheduled(&mut prediction, &plan, &summary.chunks) {
                let (events_tx, mut events_rx) = mpsc::unbounded_channel();
                let worker = verify::verify(
                    client,
                    prediction,
                    VerifyOptions {
                        execution_done: summary.all_jobs_done,
                        ..VerifyOptions::default()
                    },
                    calls,
                    events_tx,
                    close_rx,
                );
                let forward = async {
                    while let Some(e) = events_rx.recv().await {
                        step(VerifyStep::Progress(e));
                    }
                };
                let (report, ()) = tokio::join!(worker, forward);
                step(VerifyStep::Done(Box::new(report)));
            } else {
                step(VerifyStep::NothingScheduled);
            }
        }
        if let Ok(mut stops) = switches.lock() {
            stops.remove(&request);
        }
        let _ = tx.send(Msg::ExecDone { request });
    });
}

/// Runs the plan, forwarding its events until the view closes (dropping them then is what
/// ends the job following).
async fn run_and_forward(
    client: &Client,
    tx: &mpsc::UnboundedSender<Msg>,
    request: u64,
    plan: ExecPlan,
    stop: watch::Receiver<bool>,
    mut close: watch::Receiver<bool>,
) -> execute::ExecSummary {
    let (events_tx, mut events_rx) = mpsc::unbounded_channel();
    let forward_tx = tx.clone();
    let forward = tokio::spawn(async move {
        loop {
            tokio::select! {
                event = events_rx.recv() => match event {
                    Some(event) => {
                        let _ = forward_tx.send(Msg::Exec { request, event });
                    }
                    None => break,
                },
                _ = close.changed() => break,
            }
        }
    });
    let summary = execute::run(Client::clone(client), plan, events_tx, stop).await;
    // Every event is delivered before the run goes on to verify or is reported done.
    let _ = forward.await;
    summary
}
