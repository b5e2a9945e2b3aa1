//! Executing rules: which records a run scores, the scores it computes with the domain
//! evaluator, and writing them back as entity scores.
//!
//! A run takes a snapshot of the module's records (a shared reference, not a copy), so computing
//! never holds the org lock and a long run cannot stall the API; the results are written back
//! under the lock in one step.

use std::sync::Arc;

use chrono::{DateTime, Months, Utc};

use super::Org;
use crate::domain::evaluate::batch::Batch;
use crate::domain::evaluate::{CompiledRule, EvalContext, RuleScore};
use crate::domain::{FieldValue, Id, Record};

/// One entity-score row: what one rule gave one record.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoreRow {
    pub id: Id,
    pub score: RuleScore,
}

/// A planned execution: compiled rules and the records they apply to.
pub struct ScoringRun {
    pub module: String,
    pub rule_ids: Vec<Id>,
    rules: Vec<(Id, Option<Id>, CompiledRule)>,
    /// The module's records as they were when the run was planned.
    snapshot: Arc<Vec<Record>>,
    /// Which of them the run scores, in order.
    picked: Vec<usize>,
    layout_field: Option<usize>,
}

/// Zoho scores only records created or active in the last six months (Part A #11).
pub fn six_months_before(now: DateTime<Utc>) -> i64 {
    now.checked_sub_months(Months::new(6))
        .unwrap_or(now)
        .timestamp()
}

impl ScoringRun {
    pub fn total(&self) -> usize {
        self.picked.len()
    }

    /// Scores records `range` of the run (for progress in chunks), with the batch evaluator
    /// the lab's preview uses (the same scores as `CompiledRule::score`, a condition at a time
    /// over the chunk), so a preview and an execution cannot disagree by construction.
    pub fn compute(&self, range: std::ops::Range<usize>) -> Vec<(Id, Id, RuleScore)> {
        let chunk: Vec<&Record> = self
            .picked
            .get(range)
            .unwrap_or_default()
            .iter()
            .filter_map(|&i| self.snapshot.get(i))
            .collect();
        let mut batch = Batch::new(chunk.iter().copied());
        batch.prepare(self.rules.iter().map(|(_, _, c)| c));
        let scores: Vec<Vec<RuleScore>> =
            self.rules.iter().map(|(_, _, c)| batch.score(c)).collect();
        let mut out = Vec::new();
        for (j, record) in chunk.iter().enumerate() {
            let layout = layout_of(record, self.layout_field);
            for ((rule_id, rule_layout, _), by_record) in self.rules.iter().zip(&scores) {
                // A layout's rules score the records of that layout; layout-less rules all.
                if rule_layout.is_some() && rule_layout.as_ref() != layout {
                    continue;
                }
                if let Some(score) = by_record.get(j) {
                    out.push((record.id.clone(), rule_id.clone(), *score));
                }
            }
        }
        out
    }
}

impl Org {
    /// Plans a run of `rule_ids` (all in `module`) over the module's records in the window.
    /// `all_records` scores every record regardless of age (seeding history at start-up).
    pub fn plan_run(
        &self,
        module: &str,
        rule_ids: &[Id],
        now: DateTime<Utc>,
        all_records: bool,
    ) -> Option<ScoringRun> {
        let m = self.module(module)?;
        let rules = self.compile_rules(m, rule_ids, now);
        let since = six_months_before(now);
        let time_fields: Vec<usize> = ["Created_Time", "Last_Activity_Time", "Modified_Time"]
            .iter()
            .filter_map(|f| m.field_index(f))
            .collect();
        let layout_field = m.field_index("Layout");
        let picked = m
            .records
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                all_records
                    || time_fields.iter().any(|&i| match r.values.get(i) {
                        Some(FieldValue::DateTime(t)) => *t >= since,
                        Some(FieldValue::Date(d)) => (*d as i64) * 86_400 >= since,
                        _ => false,
                    })
            })
            .map(|(i, _)| i)
            .collect();
        Some(ScoringRun {
            module: module.to_string(),
            rule_ids: rule_ids.to_vec(),
            rules,
            snapshot: Arc::clone(&m.records),
            picked,
            layout_field,
        })
    }

    fn compile_rules(
        &self,
        m: &super::ModuleState,
        rule_ids: &[Id],
        now: DateTime<Utc>,
    ) -> Vec<(Id, Option<Id>, CompiledRule)> {
        let ctx = EvalContext {
            now: now.timestamp(),
            current_user: Some(self.current_user().id),
            current_role: None,
        };
        rule_ids
            .iter()
            .filter_map(|id| {
                self.rules.get(id).map(|r| {
                    (
                        id.clone(),
                        r.layout_id().cloned(),
                        CompiledRule::compile(r, &m.schema, &ctx),
                    )
                })
            })
            .collect()
    }

    /// Writes a run's results: a record a rule no longer matches loses that rule's row.
    pub fn store_scores(&mut self, module: &str, results: Vec<(Id, Id, RuleScore)>) {
        self.write_scores(module, results, true);
    }

    /// `track`: remember the rows written as changes for the next commit point.
    fn write_scores(&mut self, module: &str, results: Vec<(Id, Id, RuleScore)>, track: bool) {
        // The module is found once, not per row: a large org's history is a million rows.
        let Some(mi) = self.modules.iter().position(|m| m.api_name() == module) else {
            return;
        };
        let mut fresh = Vec::new();
        for (record, rule, score) in results {
            if !self.rules.contains_key(&rule) {
                continue; // deleted while the run computed
            }
            let key = (record, rule);
            let existing = self.modules[mi].scores.get(&key);
            if score.matched_any() {
                // An unchanged row is not a change: re-running rules writes only what moved.
                if existing.is_some_and(|row| row.score == score) {
                    continue;
                }
                let id = match existing {
                    Some(row) => row.id.clone(),
                    None => self.mint_id(),
                };
                fresh.push((key, ScoreRow { id, score }));
            } else if existing.is_some() {
                self.modules[mi].scores.remove(&key);
                if track {
                    self.changes
                        .scores
                        .insert((module.to_string(), key.0, key.1));
                }
            }
        }
        if track {
            for ((record, rule), _) in &fresh {
                self.changes
                    .scores
                    .insert((module.to_string(), record.clone(), rule.clone()));
            }
        }
        let scores = &mut self.modules[mi].scores;
        if scores.is_empty() {
            // Built in bulk from sorted rows rather than inserted one by one (a seeded large
            // org writes a million rows at start).
            *scores = fresh.into_iter().collect();
        } else {
            scores.extend(fresh);
        }
    }

    /// Scores every record with every active rule, as if the org's rules had always run:
    /// the seeded org starts out already scored.
    ///
    /// Unlike an execution it scores the records in place (no copies: nothing else can hold
    /// the org yet), keeps only the rows that change something, and marks nothing as changed:
    /// the history is part of the org as seeded, which a state file stores whole. Copies and
    /// a dirty list the size of the org would only raise the memory high-water mark that the
    /// allocator keeps for the life of the process.
    pub fn score_history(&mut self, now: DateTime<Utc>) {
        let modules: Vec<String> = self
            .modules
            .iter()
            .map(|m| m.api_name().to_string())
            .collect();
        for module in modules {
            let ids: Vec<Id> = self
                .rules
                .values()
                .filter(|r| r.active && r.module.api_name == module)
                .filter_map(|r| r.id.clone())
                .collect();
            if ids.is_empty() {
                continue;
            }
            let Some(m) = self.module(&module) else {
                continue;
            };
            let rules = self.compile_rules(m, &ids, now);
            let layout_field = m.field_index("Layout");
            // Scored on every core, a slice of the records each (a large org seeds 100,000
            // Leads); the rows are written in record order as before.
            let threads = std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .clamp(1, 4);
            let part = m.records.len().div_ceil(threads).max(1);
            let results: Vec<(Id, Id, RuleScore)> = std::thread::scope(|s| {
                let workers: Vec<_> = m
                    .records
                    .chunks(part)
                    .map(|records| s.spawn(|| history_rows(records, &rules, layout_field, m)))
                    .collect();
                workers
                    .into_iter()
                    .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect()
            });
            self.write_scores(&module, results, false);
        }
    }
}

/// The rows a history scoring writes for `records`: every (record, rule) the rule matches, and
/// those a row exists for (to be cleared).
fn history_rows(
    records: &[Record],
    rules: &[(Id, Option<Id>, CompiledRule)],
    layout_field: Option<usize>,
    m: &super::ModuleState,
) -> Vec<(Id, Id, RuleScore)> {
    let mut out = Vec::new();
    for record in records {
        let layout = layout_of(record, layout_field);
        for (rule_id, rule_layout, compiled) in rules {
            if rule_layout.is_some() && rule_layout.as_ref() != layout {
                continue;
            }
            let score = compiled.score(record);
            // An unmatched record without a row is left as it is: no result needed (and a
            // freshly seeded org has no rows to look up).
            if score.matched_any()
                || (!m.scores.is_empty()
                    && m.scores.contains_key(&(record.id.clone(), rule_id.clone())))
            {
                out.push((record.id.clone(), rule_id.clone(), score));
            }
        }
    }
    out
}

/// The layout a record belongs to (its `Layout` lookup), if the module has layouts.
fn layout_of(record: &Record, layout_field: Option<usize>) -> Option<&Id> {
    match layout_field.and_then(|i| record.values.get(i)) {
        Some(FieldValue::Lookup(l)) => Some(&l.id),
        _ => None,
    }
}
