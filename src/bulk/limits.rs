//! The edition's limits on a bulk activation or clone: the steps are admitted one by one, each
//! judged by the domain's `check_capacity` against the org as the steps before it leave it, so
//! the plan can say how many fit: "activating 4 rules in Leads / Standard makes 7 of 5 active
//! (the Enterprise edition's limit per layout): only the first 2 fit".

use serde_json::Value;

use super::plan::Step;
use crate::display::sanitize;
use crate::domain::validate::{RuleSummary, check_capacity};
use crate::domain::{OrgSnapshot, ScoringRule, Violation};

/// The limit a plan hits: only the first `fits` steps can be sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LimitConflict {
    pub fits: usize,
    /// Zoho's code for it: `ACTIVE_STATE_LIMIT_EXCEEDED` or `LIMIT_EXCEEDED`.
    pub code: String,
    pub text: String,
}

/// The first step the limits refuse, after admitting those before it (`adds_rule`: each step
/// creates an active rule, as a clone does; else it activates its rule).
pub fn first_misfit(steps: &[Step], snap: &OrgSnapshot, adds_rule: bool) -> Option<LimitConflict> {
    let mut org: Vec<RuleSummary> = snap.rules.iter().map(RuleSummary::of).collect();
    for (i, step) in steps.iter().enumerate() {
        let rule = &step.rule;
        let schema = snap.module(&rule.module.api_name)?;
        let others: Vec<RuleSummary> = org
            .iter()
            .filter(|o| adds_rule || Some(&o.id) != rule.id.as_ref())
            .cloned()
            .collect();
        let ctx = snap.rule_context(schema, &others);
        if let Some(v) = check_capacity(rule.layout_id(), true, adds_rule, &ctx) {
            return Some(conflict(i, &v, steps, snap, adds_rule));
        }
        if adds_rule {
            let mut copy = RuleSummary::of(rule);
            copy.active = true;
            copy.id = crate::domain::Id::new(format!("planned-copy-{i}"));
            org.push(copy);
        } else if let Some(o) = org.iter_mut().find(|o| Some(&o.id) == rule.id.as_ref()) {
            o.active = true;
        }
    }
    None
}

fn conflict(
    fits: usize,
    v: &Violation,
    steps: &[Step],
    snap: &OrgSnapshot,
    adds_rule: bool,
) -> LimitConflict {
    let rule = &steps[fits].rule;
    let module = &rule.module.api_name;
    let per_layout = v.path.to_string().starts_with("layout");
    let in_scope = |r: &ScoringRule| {
        r.module.api_name == *module && (!per_layout || r.layout_id() == rule.layout_id())
    };
    let counts_active = v.code != "LIMIT_EXCEEDED";
    let now = snap
        .rules
        .iter()
        .filter(|r| in_scope(r) && (!counts_active || r.active))
        .count();
    let planned = steps.iter().filter(|s| in_scope(&s.rule)).count();
    let limit = v.details.get("limit").and_then(Value::as_u64).unwrap_or(0);
    let place = if per_layout {
        let layout = match rule.layout_id() {
            None => "rules for every layout".to_string(),
            Some(id) => snap
                .module(module)
                .and_then(|s| s.layout(id))
                .map_or_else(|| id.to_string(), |l| l.label().to_string()),
        };
        format!("{module} / {layout}")
    } else {
        module.clone()
    };
    let verb = if adds_rule { "cloning" } else { "activating" };
    let what = if counts_active { "active" } else { "rules" };
    let scope = if per_layout {
        "per layout"
    } else {
        "per module"
    };
    let fit = match fits {
        0 => "none of them fits".to_string(),
        1 => "only the first fits".to_string(),
        n => format!("only the first {n} fit"),
    };
    LimitConflict {
        fits,
        code: v.code.to_string(),
        text: sanitize(&format!(
            "{verb} {planned} rule{} in {place} makes {} of {limit} {what} (the {} edition's limit {scope}): {fit}",
            if planned == 1 { "" } else { "s" },
            now + planned,
            snap.edition.label(),
        )),
    }
}
