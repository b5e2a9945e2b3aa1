//! Why a record scores what it does under one rule, condition by condition: every condition of
//! every field rule with the record's value and whether it held, the criteria's shape with its
//! conditions numbered (`1 OR (2 AND 3)`), the part of that shape that decided the outcome, and
//! what each field rule and signal rule contributes.
//!
//! Conditions are numbered 1, 2, … in depth-first leaf order of the criteria tree: the order
//! the compiler lays the leaves out in, and the order a criteria editor numbers its rows in.
//! Every condition is evaluated (no short circuit) so each can show ✓ or ✗; conditions are
//! pure, so the outcome the tree gives from them is the one the short-circuit program reaches,
//! and the contributions add up to `CompiledRule::score` (a property test holds them to it).
//!
//! Values are the org's text as is: whoever shows them passes them through `display::sanitize`.

use chrono::{DateTime, NaiveDate};
use serde::Serialize;

use super::text::{field_label, test_text};
use super::{CompiledRule, EvalContext, RuleScore, SignalRuleOutcome};
use crate::domain::id::Id;
use crate::domain::metadata::ModuleSchema;
use crate::domain::record::{FieldValue, Record};
use crate::domain::rule::{Criteria, GroupOperator, ScoringRule};

/// One rule's verdict on one record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleWhy {
    pub field_rules: Vec<FieldRuleWhy>,
    pub signal_rules: Vec<SignalRuleOutcome>,
    /// What the evaluator gives: the sum of the contributions below.
    pub score: RuleScore,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldRuleWhy {
    /// Position in the rule's `field_rules`.
    pub index: usize,
    pub id: Option<Id>,
    /// The field rule's score; it counts only when `matched`.
    pub score: i64,
    pub matched: bool,
    /// What it adds to the record's score: `score` when matched, else 0.
    pub contribution: i64,
    /// The criteria's shape with numbered conditions: `1 OR (2 AND 3)`.
    pub pattern: String,
    /// The part of `pattern` that decided the outcome: on a match, the conditions that made it
    /// (`2 AND 3` when the OR's second branch matched); on a miss, those that failed it.
    pub decided_by: String,
    /// On a miss, the first condition (by number) that failed it.
    pub first_failed: Option<usize>,
    pub conditions: Vec<ConditionWhy>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConditionWhy {
    /// 1-based, depth-first.
    pub number: usize,
    /// The field's label (its api name when the schema lacks it).
    pub field: String,
    pub api_name: String,
    /// The record's value as a person reads it: `"Software"`, `2500000`, `empty`.
    pub value: String,
    /// What the condition asks of the value: `in (Software, Healthcare)`.
    pub test: String,
    pub passed: bool,
    /// The condition can never hold (a field the module lacks, a value that does not parse, a
    /// comparator the field's type does not take): the evaluator counts it as failed.
    pub unresolvable: bool,
}

impl RuleWhy {
    /// The sum of every field rule's and signal rule's contribution.
    pub fn contributions(&self) -> i64 {
        let fields = self.field_rules.iter().map(|f| f.contribution);
        let signals = self.signal_rules.iter().map(|s| s.contribution);
        fields.chain(signals).fold(0, i64::saturating_add)
    }

    /// What the field rules add, without touch points.
    pub fn field_total(&self) -> i64 {
        self.score.positive.saturating_add(self.score.negative)
    }

    /// For a rule that matched nothing: the first field rule's first failed condition.
    pub fn first_failure(&self) -> Option<(&FieldRuleWhy, &ConditionWhy)> {
        self.field_rules.iter().find_map(|f| {
            let n = f.first_failed?;
            Some((f, f.conditions.iter().find(|c| c.number == n)?))
        })
    }
}

/// `rule` on `record`, condition by condition. Pure; compiles the rule (cheap for one record).
pub fn why(
    rule: &ScoringRule,
    schema: &ModuleSchema,
    ctx: &EvalContext,
    record: &Record,
) -> RuleWhy {
    CompiledRule::compile(rule, schema, ctx).why(rule, schema, record)
}

impl CompiledRule {
    /// `rule` must be the rule this was compiled from, with `schema`: the criteria tree gives
    /// the numbering and the shape, the compiled leaves the verdicts.
    pub fn why(&self, rule: &ScoringRule, schema: &ModuleSchema, record: &Record) -> RuleWhy {
        let explained = self.explain(record);
        let field_rules = rule
            .field_rules
            .iter()
            .zip(&explained.field_rules)
            .zip(&self.field_rules)
            .map(|((fr, outcome), compiled)| {
                let verdicts: Vec<bool> = (0..fr.criteria.leaf_count())
                    .map(|i| {
                        self.leaves
                            .get(compiled.first_leaf + i)
                            .is_some_and(|leaf| leaf.eval(&record.values))
                    })
                    .collect();
                let conditions = fr
                    .criteria
                    .conditions()
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| ConditionWhy {
                        number: i + 1,
                        field: field_label(c, schema).to_string(),
                        api_name: c.field.api_name.clone(),
                        value: record_value(record, schema, &c.field.api_name),
                        test: test_text(c),
                        passed: verdicts.get(i).copied().unwrap_or(false),
                        unresolvable: self.disrupted.contains(&(outcome.index, i)),
                    })
                    .collect();
                let mut next = 0;
                let decision = decide(&fr.criteria, &verdicts, &mut next);
                FieldRuleWhy {
                    index: outcome.index,
                    id: outcome.id.clone(),
                    score: outcome.score,
                    matched: outcome.matched,
                    contribution: outcome.contribution(),
                    pattern: pattern(&fr.criteria),
                    decided_by: decision.text,
                    first_failed: if outcome.matched {
                        None
                    } else {
                        decision.leaves.first().map(|&i| i + 1)
                    },
                    conditions,
                }
            })
            .collect();
        RuleWhy {
            field_rules,
            signal_rules: explained.signal_rules,
            score: explained.score,
        }
    }
}

/// The criteria's shape, conditions numbered depth-first: `1 OR (2 AND 3)`.
pub fn pattern(criteria: &Criteria) -> String {
    let mut next = 0;
    shape(criteria, &mut next)
}

fn shape(criteria: &Criteria, next: &mut usize) -> String {
    match criteria {
        Criteria::Condition(_) => {
            *next += 1;
            next.to_string()
        }
        Criteria::Group(g) if g.group.is_empty() => "(no conditions)".into(),
        Criteria::Group(g) => {
            let parts: Vec<String> = g.group.iter().map(|m| bracket(m, shape(m, next))).collect();
            parts.join(&format!(" {} ", g.group_operator.as_str()))
        }
    }
}

/// A nested group of several members is parenthesised.
fn bracket(member: &Criteria, text: String) -> String {
    match member {
        Criteria::Group(g) if g.group.len() > 1 && text.contains(' ') => format!("({text})"),
        _ => text,
    }
}

/// How a (sub)criteria came out and which of its conditions decided it.
struct Decision {
    passed: bool,
    /// The deciding part, in the pattern's numbering.
    text: String,
    /// The deciding leaves (0-based), ascending.
    leaves: Vec<usize>,
}

/// Folds the leaf verdicts up the tree the way the compiled program does: an AND holds when
/// every member does (decided by all of them) and fails at its first failing member; an OR
/// holds at its first holding member and fails when all do (decided by all). An empty group
/// never holds, as in the compiler.
fn decide(criteria: &Criteria, verdicts: &[bool], next: &mut usize) -> Decision {
    let g = match criteria {
        Criteria::Condition(_) => {
            let i = *next;
            *next += 1;
            return Decision {
                passed: verdicts.get(i).copied().unwrap_or(false),
                text: (i + 1).to_string(),
                leaves: vec![i],
            };
        }
        Criteria::Group(g) => g,
    };
    let members: Vec<(&Criteria, Decision)> = g
        .group
        .iter()
        .map(|m| (m, decide(m, verdicts, next)))
        .collect();
    if members.is_empty() {
        return Decision {
            passed: false,
            text: "(no conditions)".into(),
            leaves: Vec::new(),
        };
    }
    // The member that settles the group on its own: a failing one in an AND, a holding one in
    // an OR. Without one, every member took part.
    let settles = match g.group_operator {
        GroupOperator::And => false,
        GroupOperator::Or => true,
    };
    if let Some((_, d)) = members.iter().find(|(_, d)| d.passed == settles) {
        return Decision {
            passed: settles,
            text: d.text.clone(),
            leaves: d.leaves.clone(),
        };
    }
    let mut leaves: Vec<usize> = members
        .iter()
        .flat_map(|(_, d)| d.leaves.iter().copied())
        .collect();
    leaves.sort_unstable();
    let text = members
        .iter()
        .map(|(m, d)| bracket(m, d.text.clone()))
        .collect::<Vec<_>>()
        .join(&format!(" {} ", g.group_operator.as_str()));
    Decision {
        passed: !settles,
        text,
        leaves,
    }
}

fn record_value(record: &Record, schema: &ModuleSchema, api_name: &str) -> String {
    match schema.fields.iter().position(|f| f.api_name == api_name) {
        Some(i) => record
            .values
            .get(i)
            .map_or_else(|| "empty".to_string(), value_text),
        None => "(no such field)".into(),
    }
}

/// A value as a person reads it: text quoted, numbers without a needless `.0`, dates as
/// `YYYY-MM-DD`, date-times in UTC, lookups by name, nothing as `empty`.
pub fn value_text(v: &FieldValue) -> String {
    match v {
        FieldValue::Null => "empty".into(),
        FieldValue::Text(s) if s.is_empty() => "empty".into(),
        FieldValue::Text(s) => format!("\"{s}\""),
        FieldValue::Number(n) => number_text(*n),
        FieldValue::Bool(b) => b.to_string(),
        FieldValue::Date(d) => NaiveDate::from_num_days_from_ce_opt(d.saturating_add(719_163))
            .map_or_else(|| d.to_string(), |d| d.format("%Y-%m-%d").to_string()),
        FieldValue::DateTime(s) => DateTime::from_timestamp(*s, 0).map_or_else(
            || s.to_string(),
            |t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        ),
        FieldValue::Multi(items) if items.is_empty() => "empty".into(),
        FieldValue::Multi(items) => list(items.iter().map(|s| s.to_string())),
        FieldValue::Lookup(l) => lookup_text(&l.name, &l.id),
        FieldValue::MultiLookup(ls) if ls.is_empty() => "empty".into(),
        FieldValue::MultiLookup(ls) => list(ls.iter().map(|l| lookup_text(&l.name, &l.id))),
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}

fn lookup_text(name: &str, id: &Id) -> String {
    if name.is_empty() {
        id.to_string()
    } else {
        format!("\"{name}\"")
    }
}

fn list(items: impl Iterator<Item = String>) -> String {
    format!("({})", items.collect::<Vec<_>>().join(", "))
}
