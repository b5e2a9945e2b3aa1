//! Running a preview off the UI task: fetch the sample (unless the session's covers it), then
//! score it in `spawn_blocking` so a large sample never stalls drawing or keys. Each phase is
//! reported as a `LabMsg`; Esc aborts the task (a scoring pass already on a blocking thread
//! finishes, but its result is dropped with the task).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

use super::{CachedSample, LabEffect, LabMsg, Phase, PreviewJob, Ready};
use crate::api::Client;
use crate::domain::evaluate::EvalContext;
use crate::lab::preview::SampleRecord;
use crate::lab::preview::preview;
use crate::lab::sample::{SamplePhase, fetch_sample_with, in_window};
use crate::tui::event::Msg;

/// Running previews by request id, so Esc can stop one.
#[derive(Clone, Default)]
pub struct LabTasks {
    running: Arc<Mutex<HashMap<u64, AbortHandle>>>,
}

impl LabTasks {
    pub fn spawn(
        &self,
        client: Client,
        tx: UnboundedSender<Msg>,
        effect: LabEffect,
        failed: Option<crate::tui::supervise::Failed>,
    ) {
        match effect {
            LabEffect::Cancel { request } => {
                if let Ok(mut running) = self.running.lock()
                    && let Some(task) = running.remove(&request)
                {
                    task.abort();
                }
            }
            LabEffect::Preview(job) => {
                let request = job.request;
                let running = Arc::clone(&self.running);
                let task = crate::tui::supervise::spawn(tx.clone(), failed, async move {
                    let module = job.schema.module.api_name.clone();
                    let result = run(&client, &tx, *job).await;
                    if let Ok(mut r) = running.lock() {
                        r.remove(&request);
                    }
                    let _ = tx.send(Msg::Lab(LabMsg::Done {
                        request,
                        module,
                        result,
                    }));
                });
                if let Ok(mut running) = self.running.lock()
                    && !task.is_finished()
                {
                    running.insert(request, task.abort_handle());
                }
            }
        }
    }
}

async fn run(
    client: &Client,
    tx: &UnboundedSender<Msg>,
    job: PreviewJob,
) -> Result<Box<Ready>, String> {
    let request = job.request;
    let progress = |phase: Phase| {
        let _ = tx.send(Msg::Lab(LabMsg::Progress { request, phase }));
    };
    let (sample, cached) = match job.cached {
        Some(c) => (c, true),
        None => {
            let started = Instant::now();
            let records = fetch_sample_with(client, &job.schema, &job.fields, job.size, |p| {
                // The view already says it is fetching the records.
                if let SamplePhase::Rows { records } = p {
                    progress(Phase::Fetching {
                        what: format!("fetching the entity scores of {records} records"),
                    });
                }
            })
            .await
            .map_err(|e| e.to_string())?;
            let sample = CachedSample {
                records: Arc::new(records),
                fields: job.fields.clone(),
                size: job.size,
                fetch_time: started.elapsed(),
                fetched_at: chrono::Utc::now().timestamp(),
            };
            (sample, false)
        }
    };
    let ctx = EvalContext {
        now: chrono::Utc::now().timestamp(),
        current_user: None,
        current_role: None,
    };
    progress(Phase::Scoring {
        records: sample.records.len().min(job.size),
    });
    let PreviewJob {
        schema,
        before,
        after,
        size,
        ..
    } = job;
    tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        // Execution skips records outside the six-month window; so does the preview.
        let scored: Vec<SampleRecord> = sample
            .records
            .iter()
            .take(size)
            .filter(|s| in_window(&s.record, &schema, ctx.now))
            .cloned()
            .collect();
        let outside_window = sample.records.len().min(size) - scored.len();
        let report = preview(
            &schema.module.api_name,
            &schema,
            &before,
            &after,
            &scored,
            &ctx,
        );
        Box::new(Ready {
            report,
            sample,
            cached,
            outside_window,
            compute_time: started.elapsed(),
            ctx,
        })
    })
    .await
    .map_err(|e| format!("the preview stopped: {e}"))
}
