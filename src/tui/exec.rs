//! Executing rules from the TUI: `x` runs the selected rule, `X` every active rule of the
//! selected layout bucket. The run is `jobs::execute::run`, the same job the CLI uses; this
//! module keeps what the progress popup shows, folded from its events, and says only what is
//! true: Esc stops sending (requests not sent say "not sent"), and jobs Zoho already scheduled
//! keep running on the server, so the view keeps following them until it is closed. Then it
//! verifies that the sample's records carry the predicted scores (`exec_verify`).

use super::exec_verify::{Verification, VerifyStep};
use crate::jobs::execute::{ChunkState, ExecEvent};

/// A job's latest report from the server (`/sandbox/v1/jobs/{id}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobProgress {
    pub state: String,
    pub processed: u64,
    pub total: u64,
}

impl JobProgress {
    fn finished(&self) -> bool {
        self.state == "done" || self.state == "failed"
    }
}

/// The progress popup's state for one run.
#[derive(Clone, Debug, PartialEq)]
pub struct ExecRun {
    pub request: u64,
    pub title: String,
    pub chunks: Vec<ChunkState>,
    /// Each chunk's job as last reported, when the server reports jobs.
    pub jobs: Vec<Option<JobProgress>>,
    pub no_job_progress: bool,
    /// The run ended: every request answered and every job it follows finished.
    pub done: bool,
    /// Esc asked to send no further requests.
    pub stopping: bool,
    /// Verifying the execution, when the runner does (it does after `x` / `X`).
    pub verification: Option<Verification>,
    /// First record shown of those still different, kept within the list by `update`.
    pub scroll: usize,
}

pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `1 scheduled job keeps running` / `2 scheduled jobs keep running`.
fn jobs_run_on(n: usize) -> String {
    let verb = if n == 1 { "keeps" } else { "keep" };
    format!(
        "{} {verb} running on the server",
        plural(n, "scheduled job", "scheduled jobs")
    )
}

impl ExecRun {
    pub fn new(request: u64, title: String, chunks: usize) -> ExecRun {
        ExecRun {
            request,
            title,
            chunks: vec![ChunkState::Queued; chunks],
            jobs: vec![None; chunks],
            no_job_progress: false,
            done: false,
            stopping: false,
            verification: None,
            scroll: 0,
        }
    }

    pub fn verify(&mut self, step: VerifyStep) {
        match &mut self.verification {
            Some(v) => v.apply(step),
            None => {
                let mut v = Verification::Predicting;
                v.apply(step);
                self.verification = Some(v);
            }
        }
        self.scroll_to(self.scroll);
    }

    /// Records still different after the last poll (none before it ended).
    pub fn differing(&self) -> &[crate::lab::expected::Difference] {
        self.verification
            .as_ref()
            .map_or(&[], Verification::differing)
    }

    /// Puts record `to` of those still different first, kept within the list.
    pub fn scroll_to(&mut self, to: usize) {
        let last = self.differing().len().saturating_sub(1);
        self.scroll = to.min(last);
    }

    pub fn apply(&mut self, event: ExecEvent) {
        match event {
            ExecEvent::Chunk { index, state } => {
                if let Some(c) = self.chunks.get_mut(index) {
                    *c = state;
                }
            }
            ExecEvent::Job {
                index,
                state,
                processed,
                total,
                ..
            } => {
                if let Some(j) = self.jobs.get_mut(index) {
                    *j = Some(JobProgress {
                        state,
                        processed,
                        total,
                    });
                }
            }
            ExecEvent::NoJobProgress => self.no_job_progress = true,
        }
    }

    fn count(&self, f: impl Fn(&ChunkState) -> bool) -> usize {
        self.chunks.iter().filter(|c| f(c)).count()
    }

    fn not_sent(&self) -> usize {
        self.count(|c| matches!(c, ChunkState::Skipped))
    }

    fn scheduled(&self) -> usize {
        self.count(|c| matches!(c, ChunkState::Scheduled(_)))
    }

    fn failed(&self) -> usize {
        self.count(|c| matches!(c, ChunkState::Failed(_)))
    }

    /// Requests still to send or waiting for an answer.
    fn unanswered(&self) -> usize {
        self.count(|c| {
            matches!(
                c,
                ChunkState::Queued | ChunkState::Sending | ChunkState::Retrying(..)
            )
        })
    }

    /// Scheduled jobs not known to have finished.
    fn running_jobs(&self) -> usize {
        self.chunks
            .iter()
            .zip(&self.jobs)
            .filter(|(c, j)| {
                matches!(c, ChunkState::Scheduled(_)) && !j.as_ref().is_some_and(|j| j.finished())
            })
            .count()
    }

    /// Records processed and to process, over the jobs that reported.
    fn records(&self) -> Option<(u64, u64)> {
        let reports: Vec<&JobProgress> = self.jobs.iter().flatten().collect();
        if reports.is_empty() {
            return None;
        }
        Some((
            reports.iter().map(|j| j.processed).sum(),
            reports.iter().map(|j| j.total).sum(),
        ))
    }

    /// Esc would stop something: a request is still to be sent (or retried).
    pub fn can_stop(&self) -> bool {
        !self.done && !self.stopping && self.unanswered() > 0
    }

    /// 0.0..=1.0: records processed when the server reports them, else requests scheduled.
    pub fn ratio(&self) -> f64 {
        if let Some(r) = self.verification.as_ref().and_then(Verification::ratio) {
            return r.clamp(0.0, 1.0);
        }
        if let Some((processed, total)) = self.records()
            && total > 0
        {
            return (processed as f64 / total as f64).clamp(0.0, 1.0);
        }
        if self.chunks.is_empty() {
            return 0.0;
        }
        self.scheduled() as f64 / self.chunks.len() as f64
    }

    fn records_text(&self) -> Option<String> {
        self.records()
            .map(|(processed, total)| format!("{processed}/{total} records"))
    }

    /// Where the run is, in a sentence or two (the view wraps it).
    pub fn stage(&self) -> String {
        let mut parts = Vec::new();
        let not_sent = self.not_sent();
        if not_sent > 0 {
            parts.push(format!(
                "stopped: {} not sent",
                plural(not_sent, "request", "requests")
            ));
        }
        let failed = self.failed();
        if failed > 0 {
            parts.push(format!("{} failed", plural(failed, "request", "requests")));
        }
        let scheduled = self.scheduled();
        let running = self.running_jobs();
        let records = self.records_text();
        if !self.done && self.unanswered() > 0 {
            parts.push(if self.stopping {
                "stopping: no request is sent after the one in flight".into()
            } else {
                match &records {
                    Some(r) => format!("sending; scheduled jobs so far: {r}"),
                    None => "sending…".into(),
                }
            });
        } else if scheduled == 0 {
            if parts.is_empty() {
                parts.push("nothing was scheduled".into());
            }
        } else if self.no_job_progress {
            parts.push(format!(
                "{} (Zoho reports no progress)",
                jobs_run_on(scheduled)
            ));
        } else if running > 0 {
            let following = match &records {
                Some(r) => format!("; following: {r}"),
                None => "; following".into(),
            };
            parts.push(format!("{}{following}", jobs_run_on(running)));
        } else {
            let r = records.unwrap_or_default();
            parts.push(format!(
                "done on the server: {} finished, {r}",
                plural(scheduled, "job", "jobs")
            ));
        }
        let mut text = parts.join("; ");
        if let Some(first) = text.get(..1) {
            let upper = first.to_uppercase();
            text.replace_range(..1, &upper);
        }
        text
    }

    /// The key line under the log.
    pub fn hint(&self) -> &'static str {
        let polling = self
            .verification
            .as_ref()
            .is_some_and(Verification::polling);
        if self.done && !self.differing().is_empty() {
            " j / k scroll the records · Esc closes"
        } else if self.done {
            " Esc closes"
        } else if polling {
            " Esc stops verifying (the execution itself goes on in Zoho)"
        } else if self.can_stop() {
            " Esc stops sending (jobs already scheduled run on at the server)"
        } else {
            " Esc closes this view (scheduled jobs keep running on the server)"
        }
    }

    /// What to say when the view is closed before the run ended.
    pub fn closed_notice(&self) -> String {
        if let Some(v) = self.verification.as_ref()
            && v.polling()
            && let Some(t) = v.closed_text()
        {
            return t;
        }
        let mut text = "closed the execution view".to_string();
        let running = self.running_jobs();
        if running > 0 {
            text.push_str(&format!(": {}", jobs_run_on(running)));
            if let Some(r) = self.records_text() {
                text.push_str(&format!(" ({r} when closed)"));
            }
        }
        let not_sent = self.not_sent();
        if not_sent > 0 {
            text.push_str(&format!(
                "; {} not sent",
                plural(not_sent, "request", "requests")
            ));
        }
        if self.unanswered() > 0 {
            text.push_str("; a request in flight may still schedule a job");
        }
        if let Some(t) = self
            .verification
            .as_ref()
            .and_then(Verification::closed_text)
        {
            text.push_str(&format!("; {t}"));
        }
        text
    }

    /// A chunk's line in the popup's log.
    pub fn chunk_text(&self, index: usize) -> String {
        let Some(c) = self.chunks.get(index) else {
            return String::new();
        };
        let job = self.jobs.get(index).and_then(Option::as_ref);
        match (c, job) {
            (ChunkState::Scheduled(id), Some(j)) => {
                format!("job {id} {}: {}/{} records", j.state, j.processed, j.total)
            }
            (ChunkState::Scheduled(id), None) => {
                format!("scheduled (job {id}), runs on the server")
            }
            (c, _) => chunk_text(c),
        }
    }
}

/// A chunk's state, without its job.
pub fn chunk_text(c: &ChunkState) -> String {
    match c {
        ChunkState::Queued => "queued".into(),
        ChunkState::Sending => "sending…".into(),
        ChunkState::Retrying(n, why) => format!("already scheduled, retry {n}: {why}"),
        ChunkState::Scheduled(job) => format!("scheduled (job {job})"),
        ChunkState::Failed(why) => format!("failed: {why}"),
        ChunkState::Skipped => "not sent (stopped)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Id;

    fn job(processed: u64, total: u64, state: &str) -> ExecEvent {
        ExecEvent::Job {
            index: 0,
            job_id: Id::new("7"),
            state: state.into(),
            processed,
            total,
        }
    }

    fn chunk(index: usize, state: ChunkState) -> ExecEvent {
        ExecEvent::Chunk { index, state }
    }

    /// Esc at 30 %: the view never says "done" for a job that is still running.
    #[test]
    fn a_job_followed_after_the_last_request_is_running_not_done() {
        let mut run = ExecRun::new(1, "x".into(), 1);
        run.apply(chunk(0, ChunkState::Scheduled(Id::new("7"))));
        run.apply(job(1500, 4711, "running"));
        assert!(!run.can_stop(), "every request is sent: nothing to stop");
        assert_eq!(
            run.stage(),
            "1 scheduled job keeps running on the server; following: 1500/4711 records"
        );
        assert!(run.hint().contains("keep running on the server"));
        assert_eq!(
            run.closed_notice(),
            "closed the execution view: 1 scheduled job keeps running on the server (1500/4711 records when closed)"
        );
        run.apply(job(4711, 4711, "done"));
        run.done = true;
        assert_eq!(
            run.stage(),
            "Done on the server: 1 job finished, 4711/4711 records"
        );
        assert!((run.ratio() - 1.0).abs() < f64::EPSILON);
    }

    #[test]
    fn a_stop_says_what_was_not_sent_and_what_runs_on() {
        let mut run = ExecRun::new(1, "x".into(), 3);
        run.apply(chunk(0, ChunkState::Scheduled(Id::new("7"))));
        run.apply(chunk(1, ChunkState::Sending));
        assert!(run.can_stop());
        run.stopping = true;
        assert!(
            run.stage().starts_with("Stopping: no request is sent"),
            "{}",
            run.stage()
        );
        run.apply(chunk(1, ChunkState::Scheduled(Id::new("8"))));
        run.apply(chunk(2, ChunkState::Skipped));
        run.apply(job(300, 4711, "running"));
        assert_eq!(
            run.stage(),
            "Stopped: 1 request not sent; 2 scheduled jobs keep running on the server; following: 300/4711 records"
        );
        assert_eq!(run.chunk_text(2), "not sent (stopped)");
        assert_eq!(run.chunk_text(0), "job 7 running: 300/4711 records");
        assert_eq!(run.chunk_text(1), "scheduled (job 8), runs on the server");
    }

    #[test]
    fn without_job_progress_scheduled_work_is_said_to_run_on() {
        let mut run = ExecRun::new(1, "x".into(), 2);
        run.apply(chunk(0, ChunkState::Scheduled(Id::new("7"))));
        run.apply(chunk(1, ChunkState::Skipped));
        run.apply(ExecEvent::NoJobProgress);
        run.done = true;
        assert_eq!(
            run.stage(),
            "Stopped: 1 request not sent; 1 scheduled job keeps running on the server (Zoho reports no progress)"
        );
        assert!((run.ratio() - 0.5).abs() < f64::EPSILON, "{}", run.ratio());
    }

    #[test]
    fn stopped_before_anything_was_sent() {
        let mut run = ExecRun::new(1, "x".into(), 2);
        run.stopping = true;
        run.apply(chunk(0, ChunkState::Skipped));
        run.apply(chunk(1, ChunkState::Skipped));
        run.done = true;
        assert_eq!(run.stage(), "Stopped: 2 requests not sent");
        assert_eq!(run.ratio(), 0.0);
    }
}
