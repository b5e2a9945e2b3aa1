//! Field-rule checks: scores, each condition against the module's fields and the rule's layout,
//! the edition's criteria limit, and repeated criteria.
//!
//! What a condition's value may be is decided by `operand::parse_operand`, the same function
//! the evaluator compiles conditions with, so what validates is exactly what can be scored.

use serde_json::json;

use super::canon::{criteria_key, criteria_set_key};
use super::parse_criteria::{MAX_DEPTH, group_size, too_deep};
use super::rule::INVALID;
use super::{Fresh, Op, RuleContext, Section};
use crate::display::quote;
use crate::domain::edition::{MAX_SCORE, MIN_SCORE};
use crate::domain::metadata::{DataType, Field, Layout};
use crate::domain::operand::{comparators_for, parse_operand};
use crate::domain::rule::{Comparator, Condition, Criteria, ScoringRule};
use crate::domain::violation::{RulePath, Violation, codes};

/// Scores of field and signal rules: integers in −100..=100 (Part A #6). Zoho's examples show
/// no detail for this case; `details.range` `{min, max}` tells a client the bounds.
pub fn check_score(score: i64, path: RulePath, out: &mut Vec<Violation>) {
    if !(MIN_SCORE..=MAX_SCORE).contains(&score) {
        out.push(
            Violation::new(codes::INVALID_DATA, INVALID, path)
                .detail("range", json!({"min": MIN_SCORE, "max": MAX_SCORE}))
                .hint(format!(
                    "score must be an integer from {MIN_SCORE} to {MAX_SCORE} ({score})"
                )),
        );
    }
}

pub fn check_field_rules(rule: &ScoringRule, ctx: &RuleContext, out: &mut Vec<Violation>) {
    let layout = rule.layout_id().and_then(|id| ctx.schema.layout(id));
    for (i, fr) in rule.field_rules.iter().enumerate() {
        let at = RulePath::root().key("field_rules").index(i);
        check_score(fr.score, at.key("score"), out);
        check_criteria(&fr.criteria, &at.key("criteria"), 1, ctx, layout, out);
    }
}

/// Groups built by hand (forms) may break the shape rules the parser enforces on requests, so
/// group size and depth are checked here too; a malformed group gets one finding and its
/// members are not judged.
fn check_criteria(
    c: &Criteria,
    path: &RulePath,
    depth: usize,
    ctx: &RuleContext,
    layout: Option<&Layout>,
    out: &mut Vec<Violation>,
) {
    match c {
        Criteria::Condition(cond) => check_condition(cond, path, ctx, layout, out),
        Criteria::Group(g) => {
            let at = path.key("group");
            let problem = if depth >= MAX_DEPTH {
                Some(too_deep(path.clone()))
            } else {
                group_size(g.group.len(), &at)
            };
            if let Some(v) = problem {
                out.push(v);
                return;
            }
            for (j, m) in g.group.iter().enumerate() {
                check_criteria(m, &at.index(j), depth + 1, ctx, layout, out);
            }
        }
    }
}

fn check_condition(
    cond: &Condition,
    path: &RulePath,
    ctx: &RuleContext,
    layout: Option<&Layout>,
    out: &mut Vec<Violation>,
) {
    let at_field = path.key("field");
    let api_name = &cond.field.api_name;
    let Some(field) = ctx.schema.field(api_name) else {
        out.push(
            Violation::new(codes::INVALID_DATA, INVALID, at_field.key("api_name")).hint(format!(
                "module {} has no field {}",
                quote(&ctx.schema.module.api_name),
                quote(api_name)
            )),
        );
        return;
    };
    if let Some(id) = &cond.field.id
        && *id != field.id
    {
        out.push(
            Violation::new(
                codes::INVALID_DATA,
                "The id given seems to be invalid",
                at_field.key("id"),
            )
            .hint(format!(
                "field {} has id {}, not {id}",
                quote(&field.api_name),
                field.id
            )),
        );
    }
    if is_score_field(field) {
        out.push(
            Violation::new(
                codes::NOT_SUPPORTED,
                "Layout and score fields cannot be used in criteria",
                at_field.key("api_name"),
            )
            .hint(format!(
                "{} is a layout or score field and cannot be used in criteria",
                quote(field.label())
            )),
        );
        return;
    }
    if let Some(l) = layout
        && !l.has_field(&field.api_name)
    {
        out.push(
            Violation::new(
                codes::NOT_SUPPORTED,
                "Given field is not available with the given layout",
                at_field.key("api_name"),
            )
            .hint(format!(
                "{} is not in layout {}",
                quote(field.label()),
                quote(l.label())
            )),
        );
    }
    let data_type = field.effective_type();
    let allowed = comparators_for(&data_type);
    if !allowed.contains(&cond.comparator) {
        out.push(comparator_refused(
            &cond.comparator,
            field,
            &data_type,
            allowed,
            path,
        ));
        return;
    }
    if let Err(e) = parse_operand(&cond.comparator, field, &cond.value) {
        let mut v = Violation::new(codes::INVALID_DATA, e.message, path.key("value")).hint(e.hint);
        if let Some(t) = e.expected_data_type {
            v = v.detail("expected_data_type", t);
        }
        if let Some(values) = e.supported_values {
            v = v.detail("supported_values", values);
        }
        out.push(v);
    }
}

/// The fixed score fields and the layout field, and the custom fields scoring rules create,
/// whose values the scoring itself writes.
fn is_score_field(field: &Field) -> bool {
    field.is_score_or_layout() || is_rule_score_field(field)
}

/// A custom field a scoring rule created to hold its scores: read-only custom integer fields
/// (the sandbox creates them so; Zoho lets no one else make a custom integer field read-only).
pub fn is_rule_score_field(field: &Field) -> bool {
    field.custom_field == Some(true)
        && field.read_only == Some(true)
        && field.data_type == DataType::Integer
}

fn comparator_refused(
    comparator: &Comparator,
    field: &Field,
    data_type: &DataType,
    allowed: &[Comparator],
    path: &RulePath,
) -> Violation {
    let names: Vec<&str> = allowed.iter().map(Comparator::as_str).collect();
    Violation::new(codes::INVALID_DATA, INVALID, path.key("comparator"))
        .detail("supported_values", names.clone())
        .hint(format!(
            "{} does not apply to {} ({} field); use one of {}",
            quote(comparator.as_str()),
            quote(field.label()),
            data_type.as_str(),
            names.join(", ")
        ))
}

/// Leaf conditions across all field rules against the edition's limit (Part A #9).
pub fn check_criteria_count(rule: &ScoringRule, ctx: &RuleContext, out: &mut Vec<Violation>) {
    let limit = ctx.edition.limits().criteria_per_rule;
    let n = rule.condition_count();
    if n > limit as usize {
        out.push(
            Violation::new(
                codes::LIMIT_EXCEEDED,
                format!("More than {limit} criteria cannot be configured with field_rules"),
                RulePath::root().key("field_rules"),
            )
            .detail("limit", limit)
            .hint(format!(
                "at most {limit} conditions per rule in the {} edition ({n})",
                ctx.edition.label()
            )),
        );
    }
}

/// The same criteria twice in one rule: ALREADY_USED with `exists_in` on create, DUPLICATE_DATA
/// on update (both as in the official examples).
pub fn check_duplicates(rule: &ScoringRule, op: Op, fresh: Fresh, out: &mut Vec<Violation>) {
    let keys: Vec<Option<String>> = rule
        .field_rules
        .iter()
        .map(|fr| Some(criteria_key(&fr.criteria)))
        .collect();
    let criteria_at = |k: usize| RulePath::root().key("field_rules").index(k).key("criteria");
    for (at, other) in fresh.duplicates(Section::FieldRules, &keys) {
        let hint = format!(
            "another field rule of this rule (score {}) has the same criteria",
            rule.field_rules.get(other).map_or(0, |f| f.score)
        );
        let v = match op {
            Op::Create => Violation::new(
                codes::ALREADY_USED,
                "The criteria is already given in the same rule under different index",
                criteria_at(at),
            )
            .detail(
                "exists_in",
                json!({"api_name": "criteria", "json_path": criteria_at(other).rel_json_path()}),
            ),
            Op::Update => Violation::new(
                codes::DUPLICATE_DATA,
                "The criteria is already available in the rule",
                criteria_at(at),
            ),
        };
        out.push(v.hint(hint));
    }
}

/// Another rule of the same module and layout bucket (the same layout, or both layout-less)
/// with the same field-rule criteria as a set, scores ignored: Zoho refuses it with
/// DUPLICATE_DATA ("a scoring rule with the specified criteria … already exists", Seed-Create),
/// naming that rule in `details.id` (Part A #22). Criteria shared only in part are allowed
/// (lint reports them).
pub fn check_criteria_unique(rule: &ScoringRule, ctx: &RuleContext, out: &mut Vec<Violation>) {
    let Some(mine) = criteria_set_key(&rule.field_rules) else {
        return;
    };
    let layout = rule.layout_id();
    let same = ctx.others.iter().find(|o| {
        o.module == rule.module.api_name
            && o.layout.as_ref() == layout
            && o.criteria.as_deref() == Some(mine.as_str())
    });
    if let Some(other) = same {
        let bucket = if layout.is_some() {
            "in the same layout"
        } else {
            "for all layouts"
        };
        out.push(
            Violation::new(
                codes::DUPLICATE_DATA,
                "A scoring rule with the specified criteria already exists",
                RulePath::root().key("field_rules"),
            )
            .detail("id", json!(other.id))
            .hint(format!(
                "rule {} ({}) {bucket} already has exactly these criteria; change one, or edit that rule instead",
                quote(&other.name),
                other.id
            )),
        );
    }
}
