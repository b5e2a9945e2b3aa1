//! Executing rules from the TUI: `x` runs the selected rule, `X` every active rule of the
//! selected layout bucket. The run is `jobs::execute::run`, the same job the CLI uses; this
//! module keeps what the progress popup shows, folded from its events.

use crate::jobs::execute::{ChunkState, ExecEvent};

/// The progress popup's state for one run.
#[derive(Clone, Debug, PartialEq)]
pub struct ExecRun {
    pub request: u64,
    pub title: String,
    pub chunks: Vec<ChunkState>,
    /// `(state, processed, total)` of the latest job report, when the server reports jobs.
    pub job: Option<(String, u64, u64)>,
    pub no_job_progress: bool,
    pub done: bool,
    pub stopping: bool,
}

impl ExecRun {
    pub fn new(request: u64, title: String, chunks: usize) -> ExecRun {
        ExecRun {
            request,
            title,
            chunks: vec![ChunkState::Queued; chunks],
            job: None,
            no_job_progress: false,
            done: false,
            stopping: false,
        }
    }

    pub fn apply(&mut self, event: ExecEvent) {
        match event {
            ExecEvent::Chunk { index, state } => {
                if let Some(c) = self.chunks.get_mut(index) {
                    *c = state;
                }
            }
            ExecEvent::Job {
                state,
                processed,
                total,
                ..
            } => self.job = Some((state, processed, total)),
            ExecEvent::NoJobProgress => self.no_job_progress = true,
        }
    }

    /// 0.0..=1.0: records processed when the server reports them, else chunks settled.
    pub fn ratio(&self) -> f64 {
        if self.done {
            return 1.0;
        }
        if let Some((_, processed, total)) = &self.job
            && *total > 0
        {
            return (*processed as f64 / *total as f64).clamp(0.0, 1.0);
        }
        let settled = self.chunks.iter().filter(|c| settled(c)).count();
        if self.chunks.is_empty() {
            0.0
        } else {
            settled as f64 / self.chunks.len() as f64
        }
    }

    /// One line on where the run is.
    pub fn stage(&self) -> String {
        if self.done {
            let failed = self
                .chunks
                .iter()
                .filter(|c| matches!(c, ChunkState::Failed(_)))
                .count();
            return match failed {
                0 if self.no_job_progress => {
                    "scheduled; Zoho runs it in the background (no progress reported)".into()
                }
                0 => match &self.job {
                    Some((_, processed, total)) => format!("done: {processed}/{total} records"),
                    None => "done".into(),
                },
                n => format!("finished with {n} failed request(s)"),
            };
        }
        if self.stopping {
            return "stopping after the request in flight…".into();
        }
        match &self.job {
            Some((state, processed, total)) => format!("{state}: {processed}/{total} records"),
            None => "sending…".into(),
        }
    }
}

fn settled(c: &ChunkState) -> bool {
    matches!(
        c,
        ChunkState::Scheduled(_) | ChunkState::Failed(_) | ChunkState::Skipped
    )
}

/// A chunk's state for the popup's log.
pub fn chunk_text(c: &ChunkState) -> String {
    match c {
        ChunkState::Queued => "queued".into(),
        ChunkState::Sending => "sending…".into(),
        ChunkState::Retrying(n, why) => format!("already scheduled, retry {n}: {why}"),
        ChunkState::Scheduled(job) => format!("scheduled (job {job})"),
        ChunkState::Failed(why) => format!("failed: {why}"),
        ChunkState::Skipped => "skipped (stopped)".into(),
    }
}
