//! A plan in the words a person checks before saying yes: one line per rule with what happens
//! to it (and, for a delete, every custom field that goes with it), the rules left alone and
//! why, and the limit that stops part of it.

use super::plan::{Operation, Plan, Step};
use crate::display::sanitize;
use crate::domain::{OrgSnapshot, ScoringRule};
use crate::rule_diff::{self, Names};

/// "Leads / Standard", or "Leads / every layout" for a rule without one.
pub fn placement(rule: &ScoringRule, snap: &OrgSnapshot) -> String {
    let module = &rule.module.api_name;
    let layout = match rule.layout_id() {
        None => "every layout".to_string(),
        Some(id) => snap
            .module(module)
            .and_then(|s| s.layout(id))
            .map_or_else(|| id.to_string(), |l| l.label().to_string()),
    };
    sanitize(&format!("{module} / {layout}"))
}

fn named(rule: &ScoringRule, id: &str, snap: &OrgSnapshot) -> String {
    format!(
        "“{}” ({id}, {})",
        sanitize(&rule.name),
        placement(rule, snap)
    )
}

/// The plan's lines, steps first (those over a limit marked), then what is left alone.
pub fn plan_lines(plan: &Plan, snap: &OrgSnapshot) -> Vec<String> {
    let mut out = Vec::new();
    let fits = plan.limit.as_ref().map_or(usize::MAX, |c| c.fits);
    for (i, step) in plan.steps.iter().enumerate() {
        let mut lines = step_lines(&plan.op, step, snap);
        if i >= fits
            && let Some(first) = lines.first_mut()
        {
            first.push_str("   ✗ over the limit: not sent");
        }
        out.extend(lines);
    }
    for s in &plan.skipped {
        out.push(format!(
            "= {}: {}; left alone",
            named(
                &s.rule,
                s.rule.id.as_ref().map_or("?", |i| i.as_str()),
                snap
            ),
            sanitize(&s.why)
        ));
    }
    for s in &plan.invalid {
        out.push(format!(
            "! {}: refused by the validator: {}",
            named(
                &s.rule,
                s.rule.id.as_ref().map_or("?", |i| i.as_str()),
                snap
            ),
            s.why
        ));
    }
    if let Some(c) = &plan.limit {
        out.push(format!("limit: {}", c.text));
    }
    out
}

fn step_lines(op: &Operation, step: &Step, snap: &OrgSnapshot) -> Vec<String> {
    let who = named(&step.rule, step.id.as_str(), snap);
    match op {
        Operation::Activate => vec![format!("+ activate {who}")],
        Operation::Deactivate => vec![format!("- deactivate {who}")],
        Operation::Clone => vec![format!(
            "+ clone {who}: the copy starts active (Zoho makes every clone active)"
        )],
        Operation::Delete => {
            let mut lines = vec![format!("- delete {who}")];
            lines.extend(step.rule.custom_fields.iter().map(|c| {
                let label = c
                    .field_label
                    .as_deref()
                    .or(c.api_name.as_deref())
                    .unwrap_or("?");
                let api = c
                    .api_name
                    .as_deref()
                    .map_or_else(String::new, |a| format!(" ({})", sanitize(a)));
                format!(
                    "    and its custom field “{}”{api}, with the scores it holds",
                    sanitize(label)
                )
            }));
            lines
        }
        // The edit in the words of every other change zscore shows (`rule_diff`).
        Operation::SetScore(_) => {
            let names = Names::of(Some(snap), &step.rule.module.api_name);
            let mut lines = vec![format!("~ {who}")];
            lines.extend(
                rule_diff::diff(Some(&step.rule), step.after.as_ref(), names)
                    .iter()
                    .map(|l| format!("    {}", l.signed())),
            );
            lines
        }
    }
}
