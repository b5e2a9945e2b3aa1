//! Verifying an execution, the pure part: which entity scores an execution of some rules will
//! leave on a sample's records (`predict`), and whether the records carry them (`check`).
//! `jobs::verify` fetches, polls and reports around it.
//!
//! A prediction is what `preview` computes for "after": the domain evaluator (the one the
//! sandbox executes with) on the rules as zscore has them, a layout's rules only on records of
//! that layout, and a rule's touch points taken from the record's existing row (the records API
//! does not expose signal events). Only records in the six-month window are predicted:
//! execution leaves the others alone. A rule that does not match a record leaves it no row,
//! and a missing row reads as a score of 0.

use std::collections::HashMap;

use serde::Serialize;

use super::preview::{SampleRecord, applies, compile_all};
use super::sample::{RowsByRule, in_window};
use crate::domain::evaluate::EvalContext;
use crate::domain::evaluate::batch::Batch;
use crate::domain::id::Id;
use crate::domain::metadata::ModuleSchema;
use crate::domain::rule::ScoringRule;

/// One record's predicted `Score` per rule that scores it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExpectedRecord {
    pub name: Option<String>,
    pub id: Id,
    /// One for each rule in scope of the record's layout.
    pub scores: Vec<RuleExpectation>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleExpectation {
    pub rule: Id,
    /// The `Score` its row should carry after the execution.
    pub expected: i64,
    /// What it carried when the prediction was made.
    pub before: i64,
}

impl ExpectedRecord {
    /// Some score is expected to differ from what the record carried before.
    pub fn changes(&self) -> bool {
        self.scores.iter().any(|s| s.expected != s.before)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Prediction {
    pub module: String,
    /// `(id, name)` of the rules the execution runs.
    pub rules: Vec<(Id, String)>,
    pub records: Vec<ExpectedRecord>,
    /// Records of the sample outside the six-month window, left out.
    pub outside_window: usize,
}

impl Prediction {
    /// Records whose scores the execution is expected to change.
    pub fn expected_changes(&self) -> usize {
        self.records.iter().filter(|r| r.changes()).count()
    }

    /// Only the rules in `keep` (when some of an execution's requests failed, the others'
    /// rules are all that can be verified).
    pub fn retain_rules(&mut self, keep: &[Id]) {
        self.rules.retain(|(id, _)| keep.contains(id));
        for r in &mut self.records {
            r.scores.retain(|s| keep.contains(&s.rule));
        }
    }

    pub fn ids(&self) -> Vec<Id> {
        self.records.iter().map(|r| r.id.clone()).collect()
    }

    fn rule_name(&self, id: &Id) -> String {
        self.rules
            .iter()
            .find(|(r, _)| r == id)
            .map_or_else(|| id.to_string(), |(_, n)| n.clone())
    }
}

/// A record that does not (yet) carry what was predicted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub name: Option<String>,
    pub id: Id,
    /// Sums over the rules in scope.
    pub expected: i64,
    pub actual: i64,
    /// The rules whose row differs.
    pub rules: Vec<RuleDifference>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleDifference {
    pub id: Id,
    pub name: String,
    pub expected: i64,
    pub actual: i64,
}

/// How the records compare with the prediction at one poll.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    pub verified: usize,
    pub total: usize,
    /// In the prediction's order.
    pub differing: Vec<Difference>,
}

/// The scores an execution of `rules` (saved rules: those without an id are left out) will
/// leave on `sample`'s records in the window at `ctx.now`.
pub fn predict(
    schema: &ModuleSchema,
    rules: &[ScoringRule],
    sample: &[SampleRecord],
    ctx: &EvalContext,
) -> Prediction {
    let saved: Vec<ScoringRule> = rules.iter().filter(|r| r.id.is_some()).cloned().collect();
    let in_scope: Vec<&SampleRecord> = sample
        .iter()
        .filter(|s| in_window(&s.record, schema, ctx.now))
        .collect();
    let compiled = compile_all(&saved, schema, ctx);
    let mut batch = Batch::new(in_scope.iter().map(|s| &s.record));
    batch.prepare(compiled.iter().map(|(_, c)| c));
    let scores: Vec<_> = compiled.iter().map(|(_, c)| batch.score(c)).collect();
    let records = in_scope
        .iter()
        .enumerate()
        .map(|(j, s)| {
            let mut expected = Vec::new();
            for ((rule, _), by_record) in compiled.iter().zip(&scores) {
                let Some(id) = rule
                    .id
                    .as_ref()
                    .filter(|_| applies(rule, s.layout.as_ref()))
                else {
                    continue;
                };
                let row = s.rows.get(id);
                let touch = row.map_or(0, |r| r.touch_point);
                let fields = by_record.get(j).map_or(0, |f| f.total());
                expected.push(RuleExpectation {
                    rule: id.clone(),
                    expected: fields.saturating_add(touch),
                    before: row.map_or(0, |r| r.score),
                });
            }
            ExpectedRecord {
                name: s.name.clone(),
                id: s.record.id.clone(),
                scores: expected,
            }
        })
        .collect();
    Prediction {
        module: schema.module.api_name.clone(),
        rules: saved
            .iter()
            .filter_map(|r| Some((r.id.clone()?, r.name.clone())))
            .collect(),
        records,
        outside_window: sample.len() - in_scope.len(),
    }
}

/// Compares the records' rows now (`actual`, by record id then rule id, as `fetch_rows`
/// returns them) with the prediction.
pub fn check(prediction: &Prediction, actual: &HashMap<Id, RowsByRule>) -> Check {
    let mut differing = Vec::new();
    for r in &prediction.records {
        let rows = actual.get(&r.id);
        let now = |rule: &Id| {
            rows.and_then(|rows| rows.get(rule))
                .map_or(0, |row| row.score)
        };
        let rules: Vec<RuleDifference> = r
            .scores
            .iter()
            .filter(|s| now(&s.rule) != s.expected)
            .map(|s| RuleDifference {
                id: s.rule.clone(),
                name: prediction.rule_name(&s.rule),
                expected: s.expected,
                actual: now(&s.rule),
            })
            .collect();
        if rules.is_empty() {
            continue;
        }
        let sum = |f: &dyn Fn(&RuleExpectation) -> i64| {
            r.scores.iter().fold(0i64, |n, s| n.saturating_add(f(s)))
        };
        differing.push(Difference {
            name: r.name.clone(),
            id: r.id.clone(),
            expected: sum(&|s| s.expected),
            actual: sum(&|s| now(&s.rule)),
            rules,
        });
    }
    Check {
        verified: prediction.records.len() - differing.len(),
        total: prediction.records.len(),
        differing,
    }
}
