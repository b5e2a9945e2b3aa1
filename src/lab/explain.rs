//! Why one record scores what it does under the rules in scope: for each rule, every field
//! rule's conditions with the record's values and ✓ / ✗ (`domain::evaluate::why`), and the
//! contributions adding up to the rule's after-score and the record's, as `preview` reports.
//! `render_text` is the one text form: `zscore preview --record` prints it and the TUI's score
//! lab shows it.

use serde::Serialize;

use super::preview::{SampleRecord, applies, compile_all};
use crate::display::{sanitize, truncate_to_width};
use crate::domain::evaluate::{ConditionWhy, EvalContext, FieldRuleWhy, SignalRuleOutcome};
use crate::domain::id::Id;
use crate::domain::metadata::ModuleSchema;
use crate::domain::rule::ScoringRule;

/// Columns a record's value takes at most in the text form (the JSON has it whole).
const VALUE_WIDTH: usize = 60;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecordExplanation {
    pub name: Option<String>,
    pub record: Id,
    pub rules: Vec<RuleExplanation>,
    /// The record's after-score: the sum of the rules' scores below.
    pub score: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleExplanation {
    pub id: Option<Id>,
    pub name: String,
    /// False when the rule belongs to another layout than the record's: execution skips it.
    pub applies: bool,
    pub field_rules: Vec<FieldRuleWhy>,
    /// The rule's signal rules. The records API does not expose signal events, so their
    /// events read 0 here and their part is `touch_points`.
    pub signal_rules: Vec<SignalRuleOutcome>,
    /// From the record's existing entity-score row for this rule.
    pub touch_points: i64,
    /// Field rule contributions plus touch points (0 when the rule does not apply).
    pub score: i64,
    /// It applies and a field rule matched or the org has touch points for the record.
    pub matched: bool,
    /// For a rule that matched nothing: where it failed first.
    pub first_failed: Option<FailedAt>,
}

/// A condition by its place: field rule `field_rule` (1-based), condition `condition`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FailedAt {
    pub field_rule: usize,
    pub condition: usize,
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
            let why = compiled.why(rule, schema, &s.record);
            let touch_points = match (&rule.id, applies) {
                (Some(id), true) => s.rows.get(id).map_or(0, |r| r.touch_point),
                _ => 0,
            };
            let score = if applies {
                why.field_total().saturating_add(touch_points)
            } else {
                0
            };
            let matched =
                applies && (why.field_rules.iter().any(|f| f.matched) || touch_points != 0);
            let first_failed = why
                .first_failure()
                .filter(|_| applies && !matched)
                .map(|(f, c)| FailedAt {
                    field_rule: f.index + 1,
                    condition: c.number,
                });
            RuleExplanation {
                id: rule.id.clone(),
                name: rule.name.clone(),
                applies,
                field_rules: why.field_rules,
                signal_rules: why.signal_rules,
                touch_points,
                score,
                matched,
                first_failed,
            }
        })
        .collect();
    let score = explained
        .iter()
        .fold(0i64, |n, r| n.saturating_add(r.score));
    RecordExplanation {
        name: s.name.clone(),
        record: s.record.id.clone(),
        rules: explained,
        score,
    }
}

/// The explanation as lines of text, org text sanitized.
pub fn render_text(e: &RecordExplanation) -> String {
    let mut out = format!(
        "record {}: score {}\n",
        super::names::label(e.name.as_deref(), &e.record),
        e.score
    );
    for r in &e.rules {
        rule_text(r, &mut out);
    }
    if !e.rules.iter().any(|r| r.matched) {
        out.push_str("  matches nothing: no field rule matched and no touch points\n");
    }
    out
}

fn rule_text(r: &RuleExplanation, out: &mut String) {
    let id = r.id.as_ref().map_or("draft".to_string(), Id::to_string);
    let head = format!("  rule {} ({id})", sanitize(&r.name));
    if !r.applies {
        out.push_str(&format!("{head}: not applied (a rule of another layout)\n"));
        return;
    }
    let failed = r.first_failed.and_then(|at| {
        let f = r.field_rules.get(at.field_rule.checked_sub(1)?)?;
        let c = f.conditions.iter().find(|c| c.number == at.condition)?;
        Some((at, c))
    });
    match failed {
        Some((at, c)) => out.push_str(&format!(
            "{head}: 0, nothing matched; first failed: field rule {}, condition {}: {}\n",
            at.field_rule,
            at.condition,
            condition_text(c)
        )),
        None => out.push_str(&format!("{head}: {}\n", sum_text(r))),
    }
    for f in &r.field_rules {
        field_rule_text(f, out);
    }
    if !r.signal_rules.is_empty() || r.touch_points != 0 {
        out.push_str(&format!(
            "    touch points {:+}, as the org scored them (signal events cannot be read)\n",
            r.touch_points
        ));
    }
}

/// `40 = +25 (field rule 1) +15 (touch points)`.
fn sum_text(r: &RuleExplanation) -> String {
    let mut parts: Vec<String> = r
        .field_rules
        .iter()
        .filter(|f| f.matched)
        .map(|f| format!("{:+} (field rule {})", f.contribution, f.index + 1))
        .collect();
    if r.touch_points != 0 {
        parts.push(format!("{:+} (touch points)", r.touch_points));
    }
    if parts.is_empty() {
        return r.score.to_string();
    }
    format!("{} = {}", r.score, parts.join(" "))
}

fn field_rule_text(f: &FieldRuleWhy, out: &mut String) {
    let verdict = if f.matched {
        format!("✓ {:+}", f.contribution)
    } else {
        format!("✗ +0 (of {:+})", f.score)
    };
    // One condition decides itself: its pattern would only repeat "1".
    if f.conditions.len() > 1 {
        out.push_str(&format!(
            "    field rule {} {verdict}: {}, decided by {}\n",
            f.index + 1,
            f.pattern,
            f.decided_by
        ));
    } else {
        out.push_str(&format!("    field rule {} {verdict}\n", f.index + 1));
    }
    for c in &f.conditions {
        out.push_str(&format!("      {}. {}\n", c.number, condition_text(c)));
    }
}

/// `Industry = "Software" ✓ in (Software, Financial Services, Healthcare)`.
pub fn condition_text(c: &ConditionWhy) -> String {
    let mark = if c.passed { "✓" } else { "✗" };
    let value = truncate_to_width(&sanitize(&c.value), VALUE_WIDTH);
    let mut text = format!(
        "{} = {value} {mark} {}",
        sanitize(&c.field),
        sanitize(&c.test)
    );
    if c.unresolvable {
        text.push_str(" (cannot be evaluated: the field, comparator or value does not resolve)");
    }
    text
}
