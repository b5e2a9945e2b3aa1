//! What changed in the org since the last commit point, so a durable sandbox writes only the
//! rows a request touched (a rule, a module's schema, the entity scores that moved) instead of
//! the whole org. The in-memory org stays the source of truth; this is just its dirty list.

use std::collections::BTreeSet;

use crate::domain::Id;

/// A scheduled execution that has not stored its scores yet.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingJob {
    pub id: Id,
    pub module: String,
    pub rule_ids: Vec<Id>,
}

#[derive(Debug, Default)]
pub struct Changes {
    /// Rules created, changed or deleted: the rule's row is rewritten or removed.
    pub rules: BTreeSet<Id>,
    /// Modules whose schema (score fields) or score-field map changed.
    pub schemas: BTreeSet<String>,
    /// (module, record id, rule id) entity-score rows written or removed.
    pub scores: BTreeSet<(String, Id, Id)>,
    /// Every entity score of a deleted rule goes with it: (module, rule id).
    pub rule_scores_dropped: Vec<(String, Id)>,
    pub jobs_scheduled: Vec<PendingJob>,
    pub jobs_finished: Vec<Id>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
            && self.schemas.is_empty()
            && self.scores.is_empty()
            && self.rule_scores_dropped.is_empty()
            && self.jobs_scheduled.is_empty()
            && self.jobs_finished.is_empty()
    }
}
