//! Before/after scores of a sample of records: the pure core of `zscore preview`.
//!
//! "Before" is what the org shows now: the `Score` of each record's existing entity-score rows
//! for the rules in scope. "After" runs the domain evaluator (the one the sandbox executes
//! with) on the draft rules, applying a layout's rules only to records of that layout as
//! execution does. The records API does not expose signal events, so a rule's touch-point part
//! is taken from its existing rows (`Touch_Point_Score`); a draft that is not yet in the org
//! has no rows and so no touch points, which the report says.

use std::collections::HashMap;

use serde::Serialize;

use super::histogram::Histogram;
use crate::display::{pad_to_width, sanitize, truncate_to_width};
use crate::domain::evaluate::batch::Batch;
use crate::domain::evaluate::{CompiledRule, EvalContext, RuleScore};
use crate::domain::id::Id;
use crate::domain::metadata::ModuleSchema;
use crate::domain::record::Record;
use crate::domain::rule::ScoringRule;

/// A record's existing entity-score row for one rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExistingRow {
    pub score: i64,
    pub touch_point: i64,
}

/// One fetched record with its name, its layout and its existing rows by rule id.
#[derive(Clone, Debug, PartialEq)]
pub struct SampleRecord {
    pub record: Record,
    /// From the module's own name fields (`names`); `None` when they are all empty.
    pub name: Option<String>,
    pub layout: Option<Id>,
    pub rows: HashMap<Id, ExistingRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordOutcome {
    /// The record's display name (`names`), shown before its id.
    pub name: Option<String>,
    pub id: Id,
    pub before: i64,
    pub after: i64,
    /// Some rule in scope matched the record (a field rule, or existing touch points).
    pub matched: bool,
}

impl RecordOutcome {
    pub fn delta(&self) -> i64 {
        self.after.saturating_sub(self.before)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleRef {
    pub id: Option<Id>,
    pub name: String,
    /// Records of the sample this rule matched after the change.
    pub matched: usize,
    /// Of those, how many it gives a non-zero score (0 with matches: its parts cancel out).
    pub nonzero: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PreviewReport {
    pub module: String,
    pub rules: Vec<RuleRef>,
    pub sampled: usize,
    pub matched: usize,
    pub changed: usize,
    pub raised: usize,
    pub lowered: usize,
    pub mean_change: f64,
    pub largest_rise: i64,
    pub largest_drop: i64,
    pub histogram: Histogram,
    pub top_movers: Vec<RecordOutcome>,
    /// Drafts with signal rules but no rows in the org: their touch points count as 0.
    pub notes: Vec<String>,
    pub records: Vec<RecordOutcome>,
}

pub const TOP_MOVERS: usize = 10;
/// Columns of a mover's name in the text report.
const MOVER_NAME: usize = 32;

/// Compiles each rule once; `(rule, compiled)` pairs in scope order.
pub fn compile_all<'a>(
    rules: &'a [ScoringRule],
    schema: &ModuleSchema,
    ctx: &EvalContext,
) -> Vec<(&'a ScoringRule, CompiledRule)> {
    rules
        .iter()
        .map(|r| (r, CompiledRule::compile(r, schema, ctx)))
        .collect()
}

/// Whether execution would run `rule` on a record of `layout`.
pub fn applies(rule: &ScoringRule, layout: Option<&Id>) -> bool {
    match rule.layout_id() {
        Some(l) => Some(l) == layout,
        None => true,
    }
}

/// The after-score of one rule on one record: evaluated field rules plus existing touch points.
pub fn rule_after(rule: &ScoringRule, compiled: &CompiledRule, s: &SampleRecord) -> (i64, bool) {
    with_touch_points(rule, compiled.score(&s.record), s)
}

/// `rule_after` from the record's field-rule scores already computed (by a `Batch`).
fn with_touch_points(rule: &ScoringRule, fields: RuleScore, s: &SampleRecord) -> (i64, bool) {
    let touch = rule
        .id
        .as_ref()
        .and_then(|id| s.rows.get(id))
        .map_or(0, |r| r.touch_point);
    (
        fields.total().saturating_add(touch),
        fields.matched_any() || touch != 0,
    )
}

pub fn preview(
    module: &str,
    schema: &ModuleSchema,
    before: &[Id],
    after: &[ScoringRule],
    sample: &[SampleRecord],
    ctx: &EvalContext,
) -> PreviewReport {
    let compiled = compile_all(after, schema, ctx);
    // Each rule over the whole sample at once, a condition at a time (same scores as
    // `CompiledRule::score`, far less work per record).
    let mut batch = Batch::new(sample.iter().map(|s| &s.record));
    batch.prepare(compiled.iter().map(|(_, c)| c));
    let scores: Vec<Vec<RuleScore>> = compiled.iter().map(|(_, c)| batch.score(c)).collect();
    let mut per_rule = vec![(0usize, 0usize); compiled.len()];
    let records: Vec<RecordOutcome> = sample
        .iter()
        .enumerate()
        .map(|(j, s)| {
            let before_score = before
                .iter()
                .filter_map(|id| s.rows.get(id))
                .fold(0i64, |n, r| n.saturating_add(r.score));
            let mut after_score = 0i64;
            let mut matched = false;
            for (i, ((rule, _), fields)) in compiled.iter().zip(&scores).enumerate() {
                if !applies(rule, s.layout.as_ref()) {
                    continue;
                }
                let fields = fields.get(j).copied().unwrap_or_default();
                let (score, hit) = with_touch_points(rule, fields, s);
                after_score = after_score.saturating_add(score);
                if hit {
                    matched = true;
                    if let Some((m, nz)) = per_rule.get_mut(i) {
                        *m += 1;
                        *nz += usize::from(score != 0);
                    }
                }
            }
            RecordOutcome {
                name: s.name.clone(),
                id: s.record.id.clone(),
                before: before_score,
                after: after_score,
                matched,
            }
        })
        .collect();
    let notes = after
        .iter()
        .filter(|r| !r.signal_rules.is_empty())
        .filter(|r| r.id.as_ref().is_none_or(|id| !sample.iter().any(|s| s.rows.contains_key(id))))
        .map(|r| {
            format!(
                "rule {:?} has signal rules but no scores in the org yet: its touch points count as 0",
                r.name
            )
        })
        .collect();
    summarize(module, after, per_rule, records, notes)
}

fn summarize(
    module: &str,
    after: &[ScoringRule],
    per_rule: Vec<(usize, usize)>,
    records: Vec<RecordOutcome>,
    notes: Vec<String>,
) -> PreviewReport {
    let deltas: Vec<i64> = records.iter().map(RecordOutcome::delta).collect();
    let sum: f64 = deltas.iter().map(|&d| d as f64).sum();
    let mean_change = if records.is_empty() {
        0.0
    } else {
        sum / records.len() as f64
    };
    let mut movers: Vec<RecordOutcome> =
        records.iter().filter(|r| r.delta() != 0).cloned().collect();
    movers.sort_by(|a, b| {
        b.delta()
            .unsigned_abs()
            .cmp(&a.delta().unsigned_abs())
            .then_with(|| a.id.cmp(&b.id))
    });
    movers.truncate(TOP_MOVERS);
    let before: Vec<i64> = records.iter().map(|r| r.before).collect();
    let after_scores: Vec<i64> = records.iter().map(|r| r.after).collect();
    PreviewReport {
        module: module.to_string(),
        rules: after
            .iter()
            .zip(per_rule)
            .map(|(r, (matched, nonzero))| RuleRef {
                id: r.id.clone(),
                name: r.name.clone(),
                matched,
                nonzero,
            })
            .collect(),
        sampled: records.len(),
        matched: records.iter().filter(|r| r.matched).count(),
        changed: deltas.iter().filter(|&&d| d != 0).count(),
        raised: deltas.iter().filter(|&&d| d > 0).count(),
        lowered: deltas.iter().filter(|&&d| d < 0).count(),
        mean_change,
        largest_rise: deltas.iter().copied().filter(|&d| d > 0).max().unwrap_or(0),
        largest_drop: deltas.iter().copied().filter(|&d| d < 0).min().unwrap_or(0),
        histogram: Histogram::of(&before, &after_scores),
        top_movers: movers,
        notes,
        records,
    }
}

/// The report as text for a terminal: summary, histogram, top movers.
/// "12 records change score (9 up, 3 down); mean change +1.25, largest rise +25, largest
/// drop -10": a figure that is zero reads `0`, not `+0`.
pub fn change_summary(r: &PreviewReport) -> String {
    let mean = if (r.mean_change * 100.0).round() == 0.0 {
        "0".to_string()
    } else {
        format!("{:+.2}", r.mean_change)
    };
    format!(
        "{} records change score ({} up, {} down); mean change {mean}, largest rise {}, largest drop {}",
        r.changed,
        r.raised,
        r.lowered,
        signed(r.largest_rise),
        signed(r.largest_drop)
    )
}

/// A change of score: `+5`, `-3`, and `0` (no sign: nothing moved).
pub fn signed(n: i64) -> String {
    if n == 0 {
        "0".to_string()
    } else {
        format!("{n:+}")
    }
}

pub fn render_text(r: &PreviewReport) -> String {
    let mut out = format!(
        "{} records of {} sampled; {} matched by the rules in scope\n",
        r.sampled, r.module, r.matched
    );
    for rule in &r.rules {
        let id = rule.id.as_ref().map_or("draft".to_string(), Id::to_string);
        out.push_str(&format!(
            "  rule {} ({id}): matches {} records\n",
            sanitize(&rule.name),
            rule.matched
        ));
    }
    out.push_str(&change_summary(r));
    out.push_str("\n\n");
    out.push_str(&r.histogram.render(24));
    if !r.top_movers.is_empty() {
        out.push_str(&format!(
            "\ntop movers\n  {} {:<20} {:>7} {:>8} {:>8}\n",
            pad_to_width("record", MOVER_NAME),
            "id",
            "before",
            "after",
            "change"
        ));
        for m in &r.top_movers {
            let name = sanitize(m.name.as_deref().unwrap_or("(no name)"));
            out.push_str(&format!(
                "  {} {:<20} {:>7} {:>8} {:>+8}\n",
                pad_to_width(&truncate_to_width(&name, MOVER_NAME), MOVER_NAME),
                m.id.to_string(),
                m.before,
                m.after,
                m.delta()
            ));
        }
    }
    for note in &r.notes {
        out.push_str(&format!("\nnote: {note}\n"));
    }
    out
}
