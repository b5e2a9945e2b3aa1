//! Scoring a record with a rule: compiled criteria, scores, explanations and criteria text.
//!
//! A `ScoringRule` is compiled once per (schema, context) into a flat program: each leaf
//! condition has its field resolved to an index into `Record::values`, its operand converted
//! (text lowercased, numbers as `f64`, dates resolved against `EvalContext::now` into spans)
//! and the indices of the leaves to run next on pass and on fail. `score` then walks that slice
//! with no allocation and no recursion; the sandbox runs it over every record, the CLI and TUI
//! use `why` to show why a record scored what it did, condition by condition.
//!
//! # Scoring
//! - A field rule whose criteria match adds its score: positive (and zero) scores to
//!   `positive`, negative ones to `negative`. A signal rule adds `score × events`, where events
//!   is the record's `SignalEvents::count` for the rule's namespace (entries with the same
//!   namespace add up; 0 events contribute nothing), positive products to `touch_positive`,
//!   negative ones to `touch_negative`. `touch_point = touch_positive + touch_negative`,
//!   `total = positive + negative + touch_point`. Sums saturate instead of overflowing.
//! - `active`, `layout` and `$disrupted` on the input are not looked at: which rules run on
//!   which records is the caller's decision, and resolvability is recomputed from the schema.
//!
//! # Criteria
//! - Groups: AND / OR with short-circuit, in member order. An empty group never matches.
//! - Unresolvable conditions never match, even with a negated comparator, and `disrupted()`
//!   lists them: a field missing from the schema, a comparator the field's type does not take,
//!   a value `parse_operand` rejects, a value of `type` `field` / `merge_field`, or a lookup
//!   placeholder the context cannot resolve (`${CURRENTUSER}` without a current user).
//! - Null and empty values (`Null`, `""`, `[]`), and values of a kind the field type does not
//!   store, have no value to compare: they never match a positive comparator (equal X, like,
//!   starts/ends_with, contains, less/greater, between, in, include_*) and always match the
//!   negated ones (not_equal X, not_like, not_contains, not_between, not_in, exclude_*). Every
//!   negated comparator is exactly "not" its positive partner.
//! - `${EMPTY}`: with equal the value is empty, with not_equal it has one; `${NOTEMPTY}` the
//!   reverse.
//! - Text is compared case-insensitively (character-wise lowercase, so "ÉCOLE" = "école").
//!   `like` / `not_like` match the whole value, `%` and `*` standing for any run of characters;
//!   without a wildcard `like` is equality. Several values: equal / in / like / starts_with /
//!   ends_with / contains match if any value does, and their negations if none does.
//! - Multi-select picklists: equal / in / contains = the selection includes any of the values;
//!   not_equal / not_in / not_contains = it includes none of them.
//! - Numbers (integer, currency, double, …) compare as `f64`. between is inclusive on both
//!   ends; with lower > upper it matches nothing, so not_between matches everything.
//! - Booleans: equal / not_equal. Lookups compare by id; on a multi lookup equal and
//!   include_any = any of its ids is among the values, include_all = all values are among its
//!   ids, exclude_all = not include_any, exclude_any = not include_all, not_equal = not equal.
//!   `${CURRENTUSER}` is `EvalContext::current_user`, `${CURRENTUSERROLE}` `current_role`.
//! - Dates: date fields compare in days, date-time fields in seconds (UTC). Each operand is a
//!   span `[start, end)`: a calendar day (the whole UTC day on a date-time field), an instant
//!   (one second), or a relative period resolved at compile time: today / yesterday /
//!   tomorrow, this / last / next week (weeks start on Monday), month and year;
//!   `${LAST_N_<UNIT>:n}` = today − n units through today, `${NEXT_N_<UNIT>:n}` = today through
//!   today + n units (months keep the day of month, clamped to the month's end);
//!   `${AGEINDAYS}+n` = the day n days ago, `${DUEINDAYS}+n` the day n days ahead. Then
//!   equal = within the span, less_than = before its start, greater_than = at or after its end,
//!   less_equal = before its end, greater_equal = at or after its start, between = from the
//!   first span's start to the second span's end.
//!
//! A plain `YYYY-MM-DD` on a date-time field is a `DateSpec::Day`: the whole UTC day.

pub mod batch;
mod compare;
mod compile;
mod dates;
mod explain;
mod fold;
mod text;
mod why;

#[cfg(test)]
mod tests;

use serde::Serialize;

use self::compare::Leaf;
use crate::domain::id::Id;
use crate::domain::metadata::ModuleSchema;
use crate::domain::record::Record;
use crate::domain::rule::ScoringRule;

pub use self::explain::{Explanation, FieldRuleOutcome, SignalRuleOutcome};
pub use self::text::{condition_text, criteria_text};
pub use self::why::{ConditionWhy, FieldRuleWhy, RuleWhy, pattern, value_text, why};

/// Jump targets that end a criteria program.
const TRUE: u32 = u32::MAX;
const FALSE: u32 = u32::MAX - 1;

/// What criteria are resolved against: the clock and the user running the rule.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EvalContext {
    /// Unix seconds, UTC.
    pub now: i64,
    pub current_user: Option<Id>,
    pub current_role: Option<Id>,
}

/// The scores one rule gives one record (one `Entity_Scores__s` row before formatting).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RuleScore {
    pub positive: i64,
    pub negative: i64,
    pub touch_positive: i64,
    pub touch_negative: i64,
    pub matched_field_rules: u32,
    pub matched_signal_rules: u32,
}

impl RuleScore {
    pub fn touch_point(&self) -> i64 {
        self.touch_positive.saturating_add(self.touch_negative)
    }

    pub fn total(&self) -> i64 {
        self.positive
            .saturating_add(self.negative)
            .saturating_add(self.touch_point())
    }

    pub fn matched_any(&self) -> bool {
        self.matched_field_rules > 0 || self.matched_signal_rules > 0
    }

    fn add_field_rule(&mut self, score: i64) {
        if score < 0 {
            self.negative = self.negative.saturating_add(score);
        } else {
            self.positive = self.positive.saturating_add(score);
        }
        self.matched_field_rules = self.matched_field_rules.saturating_add(1);
    }

    /// `contribution` is `score × events` with `events > 0`.
    fn add_signal_rule(&mut self, contribution: i64) {
        if contribution < 0 {
            self.touch_negative = self.touch_negative.saturating_add(contribution);
        } else {
            self.touch_positive = self.touch_positive.saturating_add(contribution);
        }
        self.matched_signal_rules = self.matched_signal_rules.saturating_add(1);
    }
}

/// A rule ready to score records of one module.
#[derive(Clone, Debug)]
pub struct CompiledRule {
    /// The leaves of every field rule, each field rule's leaves contiguous and depth-first.
    leaves: Vec<Leaf>,
    field_rules: Vec<CompiledFieldRule>,
    signal_rules: Vec<CompiledSignalRule>,
    disrupted: Vec<(usize, usize)>,
}

#[derive(Clone, Debug)]
struct CompiledFieldRule {
    id: Option<Id>,
    score: i64,
    /// First leaf to evaluate, or `TRUE` / `FALSE` for a constant criteria.
    entry: u32,
    /// Index of this field rule's first leaf: its leaves run to the next field rule's first.
    first_leaf: usize,
    /// Human text, rendered once here so `explain` need not keep the schema.
    criteria: String,
}

#[derive(Clone, Debug)]
struct CompiledSignalRule {
    id: Option<Id>,
    score: i64,
    namespace: String,
}

impl CompiledRule {
    /// Never fails: a condition on a field missing from the schema, or whose value does not
    /// parse, compiles to "never matches" (and is reported by `disrupted()`).
    pub fn compile(rule: &ScoringRule, schema: &ModuleSchema, ctx: &EvalContext) -> CompiledRule {
        let mut leaves = Vec::with_capacity(rule.condition_count());
        let mut disrupted = Vec::new();
        let mut positions = Vec::new();
        let field_rules = rule
            .field_rules
            .iter()
            .enumerate()
            .map(|(i, fr)| {
                positions.clear();
                let first_leaf = leaves.len();
                let entry = compile::compile_criteria(
                    &fr.criteria,
                    schema,
                    ctx,
                    &mut leaves,
                    &mut positions,
                );
                disrupted.extend(positions.iter().map(|&leaf| (i, leaf)));
                CompiledFieldRule {
                    id: fr.id.clone(),
                    score: fr.score,
                    entry,
                    first_leaf,
                    criteria: criteria_text(&fr.criteria, schema),
                }
            })
            .collect();
        let signal_rules = rule
            .signal_rules
            .iter()
            .map(|sr| CompiledSignalRule {
                id: sr.id.clone(),
                score: sr.score,
                namespace: sr.signal.namespace.clone(),
            })
            .collect();
        CompiledRule {
            leaves,
            field_rules,
            signal_rules,
            disrupted,
        }
    }

    /// Hot path: no allocation.
    pub fn score(&self, record: &Record) -> RuleScore {
        let mut score = RuleScore::default();
        for fr in &self.field_rules {
            if self.matches(fr.entry, record) {
                score.add_field_rule(fr.score);
            }
        }
        for sr in &self.signal_rules {
            if let Some(contribution) = sr.contribution(record).1 {
                score.add_signal_rule(contribution);
            }
        }
        score
    }

    /// Indices (field rule index, leaf index depth-first) of conditions that can never match
    /// because they are unresolvable.
    pub fn disrupted(&self) -> Vec<(usize, usize)> {
        self.disrupted.clone()
    }

    /// How many leaf conditions `score` evaluates for `record`, after short-circuiting. For
    /// benchmarks (leaf evaluations per second) and cost estimates; not on the hot path.
    pub fn leaves_evaluated(&self, record: &Record) -> u64 {
        let mut count = 0;
        for fr in &self.field_rules {
            self.walk(fr.entry, record, |_| count += 1);
        }
        count
    }

    /// Leaf conditions across all field rules.
    pub fn leaf_count(&self) -> usize {
        self.leaves.len()
    }

    #[inline]
    fn matches(&self, entry: u32, record: &Record) -> bool {
        self.walk(entry, record, |_| ())
    }

    /// Runs the program from `entry`; `visit` sees each evaluated leaf index (a no-op closure
    /// on the hot path, inlined away).
    #[inline(always)]
    fn walk(&self, entry: u32, record: &Record, mut visit: impl FnMut(u32)) -> bool {
        let values = record.values.as_slice();
        let mut at = entry;
        loop {
            let Some(leaf) = self.leaves.get(at as usize) else {
                // Only TRUE and FALSE lie outside the leaves.
                return at == TRUE;
            };
            visit(at);
            at = if leaf.eval(values) {
                leaf.on_true
            } else {
                leaf.on_false
            };
        }
    }
}

impl CompiledSignalRule {
    /// `(events, Some(score × events))`, or `(0, None)` when the record has no such events.
    fn contribution(&self, record: &Record) -> (u32, Option<i64>) {
        let events = record
            .signals
            .iter()
            .filter(|e| e.namespace == self.namespace)
            .fold(0u32, |n, e| n.saturating_add(e.count));
        let product = (events > 0).then(|| self.score.saturating_mul(i64::from(events)));
        (events, product)
    }
}
