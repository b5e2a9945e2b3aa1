//! What can be wrong with one condition of a saved rule, judged against the org's metadata: the
//! one judgement behind the audit's issues and the lint findings (`zscore lint`, the detail
//! pane, the form's warnings), in one set of words.

use crate::display::{quote, sanitize, shorten};
use crate::domain::metadata::{DataType, Layout, ModuleSchema};
use crate::domain::operand::{comparators_for, parse_operand};
use crate::domain::rule::Condition;

/// Longest stretch of a validator hint a problem repeats.
const HINT_CHARS: usize = 120;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// The module has no field of that name.
    NotAField,
    /// The rule's layout lacks the field (Zoho still evaluates it).
    NotInLayout,
    /// The field's type does not take the comparator.
    WrongComparator,
    /// A value the field does not take (a picklist value since deleted, text for a number).
    DeadValue,
    /// The evaluator cannot resolve it here (a lookup placeholder without its context).
    Unresolvable,
    /// Zoho marks it `$disrupted`.
    Disrupted,
}

impl ProblemKind {
    /// Whether the condition can never match (a layout lacking the field does not stop Zoho).
    pub fn never_matches(&self) -> bool {
        !matches!(self, ProblemKind::NotInLayout)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionProblem {
    pub kind: ProblemKind,
    /// A sentence about the condition (`criterion on "Fax", which is not a field of "Leads"`),
    /// its org text quoted and inert.
    pub message: String,
}

/// The problems of `cond` in a rule of `schema`'s module on `layout` (`None`: every layout).
/// `unresolvable`: the evaluator compiled it to "never" (`CompiledRule::disrupted`); a caller
/// that has not compiled the rule passes `false`, and only placeholders go unjudged.
pub fn condition_problems(
    cond: &Condition,
    schema: &ModuleSchema,
    layout: Option<&Layout>,
    unresolvable: bool,
) -> Vec<ConditionProblem> {
    let name = quote(&cond.field.api_name);
    let problem = |kind, message| ConditionProblem { kind, message };
    let Some(field) = schema.field(&cond.field.api_name) else {
        return vec![problem(
            ProblemKind::NotAField,
            format!(
                "criterion on {name}, which is not a field of {}",
                quote(&schema.module.api_name)
            ),
        )];
    };
    let mut out = Vec::new();
    if let Some(l) = layout
        && !l.has_field(&field.api_name)
    {
        out.push(problem(
            ProblemKind::NotInLayout,
            format!(
                "criterion on {name}, which is not in layout {}",
                quote(l.label())
            ),
        ));
    }
    // A condition comparing with another field has no literal value to judge, and the
    // evaluator's "never" for it is a limit of local scoring, not a fault of the rule.
    let compares_fields = matches!(cond.kind.as_deref(), Some("field" | "merge_field"));
    let data_type: DataType = field.effective_type();
    let never = if compares_fields {
        None
    } else if !comparators_for(&data_type).contains(&cond.comparator) {
        Some(problem(
            ProblemKind::WrongComparator,
            format!(
                "criterion on {name} uses {}, which a {} field does not take",
                quote(cond.comparator.as_str()),
                data_type.as_str()
            ),
        ))
    } else if let Err(e) = parse_operand(&cond.comparator, field, &cond.value) {
        Some(problem(
            ProblemKind::DeadValue,
            format!(
                "criterion on {name} can never match: {}",
                shorten(&sanitize(&e.hint), HINT_CHARS)
            ),
        ))
    } else if unresolvable {
        Some(problem(
            ProblemKind::Unresolvable,
            format!("criterion on {name} can never match"),
        ))
    } else {
        None
    };
    // Zoho's mark says less than a reason found here, so it is reported only without one.
    match never {
        Some(p) => out.push(p),
        None if cond.disrupted == Some(true) => out.push(problem(
            ProblemKind::Disrupted,
            format!(
                "criterion on {name} is marked disrupted by Zoho: its field or value no longer resolves"
            ),
        )),
        None => {}
    }
    out
}
