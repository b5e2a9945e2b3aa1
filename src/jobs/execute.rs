//! Executing scoring rules: one request per chunk of at most five rule ids (or one for a layout
//! or a whole module), `ALREADY_SCHEDULED` waited out and retried, and, where the server offers
//! it (the zscore sandbox), each job followed to the end.

use std::time::Duration;

use tokio::sync::{mpsc, watch};

use crate::api::{ApiError, Client, ExecTarget};
use crate::domain::Id;
use crate::domain::edition::MAX_RULES_PER_EXECUTE;

/// How long to keep retrying a chunk Zoho says is already scheduled.
const SCHEDULED_WAIT: Duration = Duration::from_secs(120);
const SCHEDULED_PAUSE: Duration = Duration::from_secs(2);
const POLL: Duration = Duration::from_millis(250);

#[derive(Clone, Debug, PartialEq)]
pub enum ChunkState {
    Queued,
    Sending,
    /// Zoho answered ALREADY_SCHEDULED; waiting before the n-th retry.
    Retrying(u32, String),
    Scheduled(Id),
    Failed(String),
    /// Not sent: the user stopped the run first.
    Skipped,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExecEvent {
    Chunk {
        index: usize,
        state: ChunkState,
    },
    Job {
        index: usize,
        job_id: Id,
        state: String,
        processed: u64,
        total: u64,
    },
    /// The server has no job-status endpoint (real Zoho): progress ends at "scheduled".
    NoJobProgress,
}

/// What to run: the module and one target per request.
#[derive(Clone, Debug, PartialEq)]
pub struct ExecPlan {
    pub module: String,
    pub chunks: Vec<ExecTarget>,
}

impl ExecPlan {
    /// Rule ids in chunks of at most five (Zoho's per-request maximum).
    pub fn rules(module: &str, ids: &[Id]) -> ExecPlan {
        let chunks = ids
            .chunks(MAX_RULES_PER_EXECUTE)
            .map(|c| ExecTarget::Rules(c.to_vec()))
            .collect();
        ExecPlan {
            module: module.to_string(),
            chunks,
        }
    }

    pub fn layout(module: &str, layout: Id) -> ExecPlan {
        ExecPlan {
            module: module.to_string(),
            chunks: vec![ExecTarget::Layout(layout)],
        }
    }

    pub fn module(module: &str) -> ExecPlan {
        ExecPlan {
            module: module.to_string(),
            chunks: vec![ExecTarget::Module],
        }
    }
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq)]
pub struct ExecSummary {
    /// Final state of each chunk, in plan order.
    pub chunks: Vec<ChunkState>,
    /// Some chunk was scheduled and the server's job endpoint reported every scheduled job
    /// done: the execution has visibly run. Never true against Zoho, which has no such endpoint.
    pub all_jobs_done: bool,
}

/// Runs the plan, sending events as states change. Setting `stop` to true stops sending further
/// chunks; chunks already scheduled stay scheduled (Zoho cannot cancel them), and their jobs are
/// still followed to the end, for as long as someone listens to `events`: dropping the
/// receiver ends the following, never a request in flight.
pub async fn run(
    client: Client,
    plan: ExecPlan,
    events: mpsc::UnboundedSender<ExecEvent>,
    stop: watch::Receiver<bool>,
) -> ExecSummary {
    let emit = |e: ExecEvent| {
        let _ = events.send(e);
    };
    for index in 0..plan.chunks.len() {
        emit(ExecEvent::Chunk {
            index,
            state: ChunkState::Queued,
        });
    }
    let mut summary = vec![ChunkState::Queued; plan.chunks.len()];
    let mut jobs: Vec<(usize, Id)> = Vec::new();
    for (index, target) in plan.chunks.iter().enumerate() {
        if *stop.borrow() {
            summary[index] = ChunkState::Skipped;
            emit(ExecEvent::Chunk {
                index,
                state: ChunkState::Skipped,
            });
            continue;
        }
        let state = send_chunk(&client, &plan.module, target, index, &emit, &stop).await;
        if let ChunkState::Scheduled(job) = &state {
            jobs.push((index, job.clone()));
        }
        summary[index] = state.clone();
        emit(ExecEvent::Chunk { index, state });
    }
    let all_jobs_done = !jobs.is_empty() && follow_jobs(&client, &jobs, &emit, &events).await;
    ExecSummary {
        chunks: summary,
        all_jobs_done,
    }
}

async fn send_chunk(
    client: &Client,
    module: &str,
    target: &ExecTarget,
    index: usize,
    emit: &impl Fn(ExecEvent),
    stop: &watch::Receiver<bool>,
) -> ChunkState {
    let started = tokio::time::Instant::now();
    let mut retries = 0;
    loop {
        emit(ExecEvent::Chunk {
            index,
            state: ChunkState::Sending,
        });
        let outcome = client.execute(module, target).await;
        let items = match outcome {
            Ok(items) => items,
            Err(ApiError::Zoho(z)) if z.code == "ALREADY_SCHEDULED" => vec![Err(z)],
            Err(e) => return ChunkState::Failed(e.to_string()),
        };
        let mut job = None;
        let mut failure = None;
        for item in items {
            match item {
                Ok(s) => job = job.or(s.job_id()),
                Err(z)
                    if z.code == "ALREADY_SCHEDULED"
                        && started.elapsed() < SCHEDULED_WAIT
                        && !*stop.borrow() =>
                {
                    failure = Some(None);
                }
                Err(z) => failure = Some(Some(z.to_string())),
            }
        }
        match (failure, job) {
            (Some(None), _) => {
                retries += 1;
                emit(ExecEvent::Chunk {
                    index,
                    state: ChunkState::Retrying(
                        retries,
                        "already scheduled; waiting for the running job".into(),
                    ),
                });
                tokio::time::sleep(SCHEDULED_PAUSE).await;
            }
            (Some(Some(reason)), _) => return ChunkState::Failed(reason),
            (None, Some(job)) => return ChunkState::Scheduled(job),
            (None, None) => return ChunkState::Failed("the answer carried no job id".into()),
        }
    }
}

/// Polls each scheduled job until it ends. A stop does not end this: the jobs run on at the
/// server either way, and what they do is what the user needs to see. True when every job
/// was seen to end "done".
async fn follow_jobs(
    client: &Client,
    jobs: &[(usize, Id)],
    emit: &impl Fn(ExecEvent),
    listener: &mpsc::UnboundedSender<ExecEvent>,
) -> bool {
    let mut open: Vec<(usize, Id)> = jobs.to_vec();
    let mut all_done = true;
    while !open.is_empty() && !listener.is_closed() {
        let mut still = Vec::new();
        for (index, job) in open {
            match client.job_status(&job).await {
                Ok(s) => {
                    let finished = s.state == "done" || s.state == "failed";
                    all_done &= s.state != "failed";
                    emit(ExecEvent::Job {
                        index,
                        job_id: job.clone(),
                        state: s.state,
                        processed: s.processed,
                        total: s.total,
                    });
                    if !finished {
                        still.push((index, job));
                    }
                }
                Err(ApiError::Zoho(z)) if z.status == 404 || z.code == "INVALID_URL_PATTERN" => {
                    emit(ExecEvent::NoJobProgress);
                    return false;
                }
                Err(_) => still.push((index, job)),
            }
        }
        open = still;
        if !open.is_empty() {
            tokio::time::sleep(POLL).await;
        }
    }
    all_done && open.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_go_in_chunks_of_five() {
        let ids: Vec<Id> = (1..=12u64).map(Id::from).collect();
        let plan = ExecPlan::rules("Leads", &ids);
        let sizes: Vec<usize> = plan
            .chunks
            .iter()
            .map(|c| match c {
                ExecTarget::Rules(r) => r.len(),
                _ => 0,
            })
            .collect();
        assert_eq!(sizes, vec![5, 5, 2]);
    }
}
