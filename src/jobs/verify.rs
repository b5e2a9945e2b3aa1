//! Verifying an execution where Zoho reports no progress: Zoho schedules an execution and says
//! nothing more, so the only way to know the new scores landed is to read them. Before the
//! execution is sent, `predict` samples the module's records and predicts each one's entity
//! scores with the evaluator (`lab::expected`); once it is scheduled (and, where the server has
//! a job endpoint, done), `verify` polls the sample's `Entity_Scores__s` in bulk until every
//! record carries what was predicted or the timeout passes, reporting each poll as a
//! `VerifyEvent` and ending with the records still different. Matching scores count once
//! the execution has visibly run: some expected change landed, or, when none is expected,
//! the scores stayed as predicted for `settle`.
//!
//! Polling goes through the client's pipeline (its in-flight limit, backoff on 429) and counts
//! its requests; the pause between polls doubles up to `max_pause`, so a ten-minute wait on a
//! 200-record sample costs a few dozen calls. Setting `stop` ends polling at once; the
//! execution itself goes on in Zoho.
//!
//! A UI drives it like `zscore execute --verify` does (`cli::verify`): `predict_plan` with the
//! org snapshot it holds, before sending the execution (`jobs::execute::run`); then
//! `keep_scheduled` with the run's summary and, unless nothing was scheduled, `verify` on a
//! task, drawing its `VerifyEvent`s as they come and setting `stop` on Esc.

use std::time::Duration;

use serde::Serialize;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use super::execute::{ChunkState, ExecPlan};
use crate::api::{ApiError, CallMeter, Client, ExecTarget};
use crate::domain::id::Id;
use crate::domain::metadata::ModuleSchema;
use crate::domain::rule::ScoringRule;
use crate::domain::snapshot::OrgSnapshot;
use crate::lab::expected::{Check, Prediction, check, predict as predict_scores};
use crate::lab::sample::{eval_context, fetch_sample};

/// The sample verified by default: 200 records are 2 bulk entity-score requests per poll.
pub const DEFAULT_SAMPLE: usize = 200;

#[derive(Clone, Debug, PartialEq)]
pub struct VerifyOptions {
    /// How long to keep polling; the execution itself is not bounded by it.
    pub timeout: Duration,
    /// Pause after the first poll; it doubles after each poll up to `max_pause`.
    pub first_pause: Duration,
    pub max_pause: Duration,
    /// When no sampled record is expected to change, scores that match prove nothing about
    /// the execution (they matched before it): they must stay as predicted this long (at most
    /// `timeout`), so a rule changed behind zscore's back shows up once the execution has run.
    pub settle: Duration,
    /// The server's job endpoint reported the execution done (`ExecSummary::all_jobs_done`):
    /// matching scores then prove it ran, and no settle time is waited.
    pub execution_done: bool,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            timeout: Duration::from_secs(600),
            first_pause: Duration::from_secs(2),
            max_pause: Duration::from_secs(30),
            settle: Duration::from_secs(30),
            execution_done: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum VerifyEvent {
    /// A poll read the sample's scores: `verified` of `total` records carry the prediction.
    Polled {
        poll: u32,
        verified: usize,
        total: usize,
        /// Requests sent so far, prediction included.
        calls: u64,
    },
    /// A poll could not read the scores; polling goes on until the timeout.
    PollFailed { poll: u32, error: String },
    /// The next poll is due in this long.
    Waiting { next: Duration },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every record carries the predicted scores.
    Verified,
    /// The timeout passed with records still different.
    TimedOut,
    /// Stopped by the user; the execution goes on.
    Stopped,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VerifyReport {
    pub module: String,
    pub outcome: Outcome,
    /// The last poll's comparison; `None` when no poll could read the scores.
    pub check: Option<Check>,
    /// Records the execution was expected to change.
    pub expected_changes: usize,
    pub polls: u32,
    /// Requests for the prediction (sample, records' scores, current user).
    pub prediction_calls: u64,
    /// Requests for the polls.
    pub poll_calls: u64,
    pub elapsed_ms: u64,
    pub last_error: Option<String>,
}

impl VerifyReport {
    /// `verified 180 / 200 records carry the expected scores`.
    pub fn summary(&self) -> String {
        match &self.check {
            Some(c) => format!(
                "verified {} / {} records carry the expected scores",
                c.verified, c.total
            ),
            None => "could not read the records' scores".to_string(),
        }
    }
}

/// The rules an execution plan runs, as zscore has them: the listed ids, the layout's active
/// rules, or the module's active rules.
pub fn rules_in_scope(plan: &ExecPlan, snapshot: &OrgSnapshot) -> Result<Vec<ScoringRule>, String> {
    let module = plan.module.as_str();
    let mut out: Vec<ScoringRule> = Vec::new();
    for target in &plan.chunks {
        let rules = snapshot.rules_of(module);
        let picked: Vec<&ScoringRule> = match target {
            ExecTarget::Rules(ids) => ids
                .iter()
                .map(|id| {
                    snapshot
                        .rules_of(module)
                        .find(|r| r.id.as_ref() == Some(id))
                        .ok_or_else(|| format!("no rule {id} in {module}"))
                })
                .collect::<Result<_, _>>()?,
            ExecTarget::Layout(layout) => rules
                .filter(|r| r.active && r.layout_id() == Some(layout))
                .collect(),
            ExecTarget::Module => rules.filter(|r| r.active).collect(),
        };
        for r in picked {
            if !out.iter().any(|o| o.id == r.id) {
                out.push(r.clone());
            }
        }
    }
    Ok(out)
}

/// Narrows `prediction` to the rules whose request was scheduled (`summary` is what
/// `execute::run` returned); false when none was, and there is nothing to verify.
pub fn keep_scheduled(
    prediction: &mut Prediction,
    plan: &ExecPlan,
    summary: &[ChunkState],
) -> bool {
    match scheduled_rules(plan, summary) {
        None => true,
        Some(ran) if ran.is_empty() => false,
        Some(ran) => {
            prediction.retain_rules(&ran);
            true
        }
    }
}

/// The rule ids of the chunks that were scheduled, or `None` when all were (then every rule
/// in scope ran).
fn scheduled_rules(plan: &ExecPlan, summary: &[ChunkState]) -> Option<Vec<Id>> {
    let all = summary
        .iter()
        .all(|s| matches!(s, ChunkState::Scheduled(_)));
    if all {
        return None;
    }
    Some(
        plan.chunks
            .iter()
            .zip(summary)
            .filter(|(_, s)| matches!(s, ChunkState::Scheduled(_)))
            .flat_map(|(t, _)| match t {
                ExecTarget::Rules(ids) => ids.clone(),
                // A layout or module request scheduled is every rule in scope; a plan has only
                // one of those.
                _ => Vec::new(),
            })
            .collect(),
    )
}

/// `predict` for the rules `plan` runs, as `snapshot` has them.
pub async fn predict_plan(
    client: &Client,
    snapshot: &OrgSnapshot,
    plan: &ExecPlan,
    sample: usize,
    calls: &CallMeter,
) -> Result<Prediction, String> {
    let schema = snapshot.module(&plan.module).ok_or_else(|| {
        format!(
            "module {:?} is not a scorable module of the org",
            plan.module
        )
    })?;
    let rules = rules_in_scope(plan, snapshot)?;
    predict(client, schema, &rules, sample, calls)
        .await
        .map_err(|e| e.to_string())
}

/// Samples up to `sample` records of the module (with their current scores) and predicts what
/// an execution of `rules` will leave on those in the window. Requests are counted in `calls`.
pub async fn predict(
    client: &Client,
    schema: &ModuleSchema,
    rules: &[ScoringRule],
    sample: usize,
    calls: &CallMeter,
) -> Result<Prediction, ApiError> {
    let client = client.counting(calls);
    let ctx = eval_context(&client).await;
    let records = fetch_sample(&client, schema, rules, sample).await?;
    Ok(predict_scores(schema, rules, &records, &ctx))
}

/// Polls until the sample carries `prediction`, the timeout passes or `stop` turns true.
/// `calls` is the counter `predict` used, so the report can tell both costs apart.
pub async fn verify(
    client: Client,
    prediction: Prediction,
    options: VerifyOptions,
    calls: CallMeter,
    events: mpsc::UnboundedSender<VerifyEvent>,
    mut stop: watch::Receiver<bool>,
) -> VerifyReport {
    let emit = |e: VerifyEvent| {
        let _ = events.send(e);
    };
    let client = client.counting(&calls);
    let started = Instant::now();
    let deadline = started + options.timeout;
    let prediction_calls = calls.get().total();
    let ids = prediction.ids();
    let mut report = VerifyReport {
        module: prediction.module.clone(),
        outcome: Outcome::TimedOut,
        check: None,
        expected_changes: prediction.expected_changes(),
        polls: 0,
        prediction_calls,
        poll_calls: 0,
        elapsed_ms: 0,
        last_error: None,
    };
    let mut pause = options.first_pause;
    loop {
        report.polls += 1;
        let poll = report.polls;
        let read = tokio::select! {
            rows = crate::lab::sample::fetch_rows(&client, &prediction.module, &ids) => Some(rows),
            () = stopped(&mut stop) => None,
        };
        match read {
            None => {
                report.outcome = Outcome::Stopped;
                break;
            }
            Some(Ok(rows)) => {
                let c = check(&prediction, &rows);
                emit(VerifyEvent::Polled {
                    poll,
                    verified: c.verified,
                    total: c.total,
                    calls: calls.get().total(),
                });
                // Changes that landed show the execution ran, and so does a job endpoint that
                // said done; without either, only time can (the settle time, or all the time
                // there is).
                let settled = report.expected_changes > 0
                    || options.execution_done
                    || started.elapsed() >= options.settle.min(options.timeout);
                let done = c.verified == c.total && settled;
                report.check = Some(c);
                if done {
                    report.outcome = Outcome::Verified;
                    break;
                }
            }
            Some(Err(e)) => {
                let error = e.to_string();
                emit(VerifyEvent::PollFailed {
                    poll,
                    error: error.clone(),
                });
                report.last_error = Some(error);
            }
        }
        let now = Instant::now();
        if now >= deadline {
            report.outcome = Outcome::TimedOut;
            break;
        }
        let next = pause.min(deadline - now);
        emit(VerifyEvent::Waiting { next });
        let slept = tokio::select! {
            () = tokio::time::sleep(next) => true,
            () = stopped(&mut stop) => false,
        };
        if !slept {
            report.outcome = Outcome::Stopped;
            break;
        }
        pause = (pause * 2).min(options.max_pause);
    }
    report.poll_calls = calls.get().total() - prediction_calls;
    report.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    report
}

/// Resolves once `stop` is true; never if its sender is gone without asking.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    while !*stop.borrow_and_update() {
        if stop.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::expected::{ExpectedRecord, RuleExpectation};

    fn prediction(rules: &[Id]) -> Prediction {
        Prediction {
            module: "Leads".into(),
            rules: rules
                .iter()
                .map(|id| (id.clone(), format!("rule {id}")))
                .collect(),
            records: vec![ExpectedRecord {
                name: None,
                id: Id::new("1"),
                scores: rules
                    .iter()
                    .map(|id| RuleExpectation {
                        rule: id.clone(),
                        expected: 1,
                        before: 0,
                    })
                    .collect(),
            }],
            outside_window: 0,
        }
    }

    #[test]
    fn only_the_rules_of_scheduled_requests_are_verified() {
        let ids: Vec<Id> = (1..=7u64).map(Id::from).collect();
        let plan = ExecPlan::rules("Leads", &ids);
        let job = ChunkState::Scheduled(Id::new("99"));
        let mut all = prediction(&ids);
        assert!(keep_scheduled(&mut all, &plan, &[job.clone(), job.clone()]));
        assert_eq!(all.rules.len(), 7);
        let mut some = prediction(&ids);
        let failed = ChunkState::Failed("INVALID_DATA".into());
        assert!(keep_scheduled(&mut some, &plan, &[failed.clone(), job]));
        let kept: Vec<&str> = some.rules.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(kept, ["6", "7"]);
        assert_eq!(some.records[0].scores.len(), 2);
        let layout = ExecPlan::layout("Leads", Id::new("5"));
        assert!(!keep_scheduled(&mut prediction(&ids), &layout, &[failed]));
    }
}
