//! Why one record scores what it does under the rules in scope: every field rule with whether
//! it matched, and each rule's touch points, adding up to the after-score `preview` reports.

use serde::Serialize;

use super::preview::{SampleRecord, applies, compile_all};
use crate::display::sanitize;
use crate::domain::evaluate::{EvalContext, FieldRuleOutcome};
use crate::domain::id::Id;
use crate::domain::metadata::ModuleSchema;
use crate::domain::rule::ScoringRule;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecordExplanation {
    pub record: Id,
    pub rules: Vec<RuleExplanation>,
    /// The record's after-score: the sum of every contribution below.
    pub score: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleExplanation {
    pub id: Option<Id>,
    pub name: String,
    /// False when the rule belongs to another layout than the record's: execution skips it.
    pub applies: bool,
    pub field_rules: Vec<FieldRuleOutcome>,
    /// From the record's existing entity-score row for this rule (signal events are not
    /// exposed by the records API).
    pub touch_points: i64,
    pub score: i64,
}

pub fn explain(
    schema: &ModuleSchema,
    rules: &[ScoringRule],
    s: &SampleRecord,
    ctx: &EvalContext,
) -> RecordExplanation {
    let explained: Vec<RuleExplanation> = compile_all(rules, schema, ctx)
        .into_iter()
        .map(|(rule, compiled)| {
            let applies = applies(rule, s.layout.as_ref());
            let e = compiled.explain(&s.record);
            let touch_points = match (&rule.id, applies) {
                (Some(id), true) => s.rows.get(id).map_or(0, |r| r.touch_point),
                _ => 0,
            };
            let fields = if applies { e.score.total() } else { 0 };
            RuleExplanation {
                id: rule.id.clone(),
                name: rule.name.clone(),
                applies,
                field_rules: e.field_rules,
                touch_points,
                score: fields.saturating_add(touch_points),
            }
        })
        .collect();
    let score = explained
        .iter()
        .fold(0i64, |n, r| n.saturating_add(r.score));
    RecordExplanation {
        record: s.record.id.clone(),
        rules: explained,
        score,
    }
}

pub fn render_text(e: &RecordExplanation) -> String {
    let mut out = format!("record {}: score {}\n", e.record, e.score);
    let mut any = false;
    for r in &e.rules {
        let id = r.id.as_ref().map_or("draft".to_string(), Id::to_string);
        if !r.applies {
            out.push_str(&format!(
                "  rule {} ({id}): not applied (another layout's rule)\n",
                sanitize(&r.name)
            ));
            continue;
        }
        out.push_str(&format!(
            "  rule {} ({id}): {:+}\n",
            sanitize(&r.name),
            r.score
        ));
        for f in r.field_rules.iter().filter(|f| f.matched) {
            any = true;
            out.push_str(&format!(
                "    {:+6}  field rule {}: {}\n",
                f.score,
                f.index + 1,
                sanitize(&f.criteria)
            ));
        }
        if r.touch_points != 0 {
            any = true;
            out.push_str(&format!(
                "    {:+6}  touch points (signals)\n",
                r.touch_points
            ));
        } else if !r.field_rules.iter().any(|f| f.matched) {
            out.push_str("            no field rule matched, no touch points\n");
        }
    }
    if !any {
        out.push_str("  matches nothing: no field rule matched and no touch points\n");
    }
    out
}
