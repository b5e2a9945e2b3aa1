//! Background scoring jobs: what runs, how far it got, and the rule ids it holds so a second
//! execution of the same rules is answered `ALREADY_SCHEDULED` while the first runs.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

use serde_json::{Value, json};

use crate::domain::Id;

const QUEUED: u8 = 0;
const RUNNING: u8 = 1;
const DONE: u8 = 2;
const FAILED: u8 = 3;
/// Finished jobs kept for status queries.
const KEEP_FINISHED: usize = 1000;

#[derive(Debug, Default)]
pub struct Progress {
    state: AtomicU8,
    processed: AtomicU64,
    total: AtomicU64,
    elapsed_ms: AtomicU64,
}

impl Progress {
    pub fn start(&self, total: usize) {
        self.total.store(total as u64, Ordering::Relaxed);
        self.state.store(RUNNING, Ordering::Release);
    }

    pub fn advance(&self, processed: usize) {
        self.processed.store(processed as u64, Ordering::Relaxed);
    }

    pub fn finish(&self, ok: bool, elapsed_ms: u64) {
        self.elapsed_ms.store(elapsed_ms, Ordering::Relaxed);
        self.state
            .store(if ok { DONE } else { FAILED }, Ordering::Release);
    }

    pub fn is_active(&self) -> bool {
        matches!(self.state.load(Ordering::Acquire), QUEUED | RUNNING)
    }

    fn state_name(&self) -> &'static str {
        match self.state.load(Ordering::Acquire) {
            QUEUED => "queued",
            RUNNING => "running",
            DONE => "done",
            _ => "failed",
        }
    }
}

#[derive(Debug)]
pub struct Job {
    pub id: Id,
    pub module: String,
    pub rule_ids: Vec<Id>,
    pub progress: Arc<Progress>,
}

impl Job {
    pub fn status(&self) -> Value {
        let p = &self.progress;
        json!({
            "job_id": self.id,
            "module": self.module,
            "scoring_rules": self.rule_ids,
            "state": p.state_name(),
            "processed": p.processed.load(Ordering::Relaxed),
            "total": p.total.load(Ordering::Relaxed),
            "elapsed_ms": p.elapsed_ms.load(Ordering::Relaxed),
        })
    }
}

#[derive(Debug, Default)]
pub struct Jobs {
    inner: Mutex<JobsInner>,
}

#[derive(Debug, Default)]
struct JobsInner {
    by_id: HashMap<Id, Arc<Job>>,
    order: VecDeque<Id>,
}

impl Jobs {
    /// Registers a job unless one of its rules is in a job still queued or running; then the
    /// id of that job is returned as the error.
    pub fn schedule(&self, id: Id, module: &str, rule_ids: Vec<Id>) -> Result<Arc<Job>, Id> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(busy) = inner
            .by_id
            .values()
            .find(|j| j.progress.is_active() && j.rule_ids.iter().any(|r| rule_ids.contains(r)))
        {
            return Err(busy.id.clone());
        }
        let job = Arc::new(Job {
            id: id.clone(),
            module: module.to_string(),
            rule_ids,
            progress: Arc::default(),
        });
        inner.by_id.insert(id.clone(), job.clone());
        inner.order.push_back(id);
        while inner.order.len() > KEEP_FINISHED {
            let Some(oldest) = inner.order.front().cloned() else {
                break;
            };
            if inner
                .by_id
                .get(&oldest)
                .is_some_and(|j| j.progress.is_active())
            {
                break;
            }
            inner.order.pop_front();
            inner.by_id.remove(&oldest);
        }
        Ok(job)
    }

    pub fn get(&self, id: &Id) -> Option<Arc<Job>> {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .by_id
            .get(id)
            .cloned()
    }
}
