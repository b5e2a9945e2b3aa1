//! Inline validation: the form's request goes through the same domain functions the sandbox
//! judges requests with (`parse_create` + `check_rule` for a new rule, `parse_update` +
//! `apply_patch` + `Patched::check` for an edit), and each finding is attached to the input its
//! path names. Nothing here decides what is valid.

use serde_json::Value;

use super::body::{self, Body, Mode};
use super::model::FormData;
use super::target::Target;
use crate::domain::Id;
use crate::domain::metadata::ModuleSchema;
use crate::domain::rule::ScoringRule;
use crate::domain::snapshot::OrgSnapshot;
use crate::domain::validate::{
    Op, RuleContext, RuleSummary, apply_patch, check_rule, parse_create, parse_update, summaries,
};
use crate::domain::violation::Violation;

/// An error shown next to an input: `name: at most 25 characters (26)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub target: Target,
    pub text: String,
}

/// What the form is about: a new rule in a module/layout, or an edit of a loaded rule.
#[derive(Clone, Copy, Debug)]
pub struct Subject<'a> {
    pub module: &'a str,
    pub layout: Option<&'a Id>,
    pub base: Option<&'a ScoringRule>,
}

/// The request for the form's content, as it would be sent.
pub fn request(data: &FormData, subject: Subject, schema: &ModuleSchema, mode: Mode) -> Body {
    match subject.base {
        Some(base) => body::update(data, base, schema, mode),
        None => body::create(data, schema, subject.layout, mode),
    }
}

/// Every finding about the form's content, in the validator's order.
pub fn check(data: &FormData, subject: Subject, snap: &OrgSnapshot) -> Vec<FieldError> {
    let Some(schema) = snap.module(subject.module) else {
        return vec![FieldError {
            target: Target::Rule,
            text: format!("module {} is not in this org", subject.module),
        }];
    };
    let base_id = subject.base.and_then(|b| b.id.as_ref());
    let others: Vec<RuleSummary> = summaries(
        snap.rules
            .iter()
            .filter(|r| r.id.is_none() || r.id.as_ref() != base_id),
        subject.module,
    );
    let ctx = RuleContext {
        edition: snap.edition,
        schema,
        signals: &snap.signals,
        others: &others,
    };
    let exact = request(data, subject, schema, Mode::Exact);
    let mut out: Vec<FieldError> = Vec::new();
    match judge(&exact.item, subject.base, &ctx) {
        Ok(found) => push_all(&mut out, &found, &exact, data),
        Err(shape) => {
            // Shape problems (a score that is not a number) stop the parser; judge the rest of
            // the rule with neutral stand-ins so every other error still shows while typing.
            push_all(&mut out, &shape, &exact, data);
            let lenient = request(data, subject, schema, Mode::Lenient);
            if let Ok(found) = judge(&lenient.item, subject.base, &ctx) {
                let taken: Vec<Target> = out.iter().map(|e| e.target).collect();
                let rest: Vec<Violation> = found
                    .into_iter()
                    .filter(|v| !taken.contains(&lenient.map.target(&v.path, data)))
                    .collect();
                push_all(&mut out, &rest, &lenient, data);
            }
        }
    }
    pattern_errors(data, &mut out);
    out
}

/// A pattern that does not read over its rows, at the pattern input with the column:
/// `pattern: column 7: there is no condition 5: the conditions are 1 to 3`.
fn pattern_errors(data: &FormData, out: &mut Vec<FieldError>) {
    for (i, fr) in data.field_rules.iter().enumerate() {
        if let Err(e) = fr.criteria.structure() {
            let target = Target::Pattern(i);
            out.push(FieldError {
                target,
                text: format!(
                    "{}: {}",
                    target.label(),
                    crate::display::sanitize(&e.to_string())
                ),
            });
        }
    }
}

/// `Ok(findings)` about a readable request, `Err(shape findings)` for an unreadable one.
fn judge(
    item: &Value,
    base: Option<&ScoringRule>,
    ctx: &RuleContext,
) -> Result<Vec<Violation>, Vec<Violation>> {
    match base {
        None => parse_create(item).map(|rule| check_rule(&rule, ctx, Op::Create)),
        Some(base) => {
            let patch = parse_update(item)?;
            let patched = apply_patch(base, &patch)?;
            Ok(patched.check(ctx))
        }
    }
}

fn push_all(out: &mut Vec<FieldError>, found: &[Violation], body: &Body, data: &FormData) {
    for v in found {
        let target = body.map.target(&v.path, data);
        let e = FieldError {
            target,
            text: format!("{}: {}", target.label(), crate::display::sanitize(&v.hint)),
        };
        if !out.contains(&e) {
            out.push(e);
        }
    }
}
