//! A bulk change as a plan: every step it will send, the rules it leaves alone (and why), and
//! whether the edition's limits let it through, judged by the domain validator the sandbox and
//! the rule form use (`check_capacity` for activations and clones, `apply_patch` + `check` for
//! score edits). Nothing here does I/O.

use serde_json::{Value, json};

use super::limits::{LimitConflict, first_misfit};
use crate::display::sanitize;
use crate::domain::validate::{apply_patch, parse_update};
use crate::domain::{Id, OrgSnapshot, ScoringRule};

/// What to do to every selected rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Operation {
    Activate,
    Deactivate,
    Delete,
    Clone,
    SetScore(ScoreChange),
}

/// In each rule, every field rule whose criteria use `field` and that scores `from` (any score
/// when `None`) is set to score `to`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoreChange {
    /// A field's API name or label, any case.
    pub field: String,
    pub from: Option<i64>,
    pub to: i64,
}

impl Operation {
    /// The verb as a plan and the journal say it.
    pub fn verb(&self) -> &'static str {
        match self {
            Operation::Activate => "activate",
            Operation::Deactivate => "deactivate",
            Operation::Delete => "delete",
            Operation::Clone => "clone",
            Operation::SetScore(_) => "set scores in",
        }
    }

    /// The journal's op for each write.
    pub fn journal_op(&self) -> &'static str {
        match self {
            Operation::Activate => "activate",
            Operation::Deactivate => "deactivate",
            Operation::Delete => "delete",
            Operation::Clone => "clone",
            Operation::SetScore(_) => "update",
        }
    }
}

/// One field rule's score change: its number in the rule (from 1) and the scores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoreEdit {
    pub number: usize,
    pub from: i64,
    pub to: i64,
}

/// One rule's write.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The rule as planned: the base its write is guarded against.
    pub rule: ScoringRule,
    pub id: Id,
    /// A set-score step's update item and its edits; empty for the other operations.
    pub item: Option<Value>,
    pub edits: Vec<ScoreEdit>,
    /// A set-score step's rule as the edit leaves it (what the plan's change lines compare).
    pub after: Option<ScoringRule>,
}

/// A selected rule the plan leaves alone, and why (already inactive, no field rule to edit).
#[derive(Clone, Debug, PartialEq)]
pub struct Skip {
    pub rule: ScoringRule,
    pub why: String,
}

/// A step the validator refuses: the whole plan is refused, nothing is sent.
#[derive(Clone, Debug, PartialEq)]
pub struct Invalid {
    pub rule: ScoringRule,
    pub why: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub op: Operation,
    pub steps: Vec<Step>,
    pub skipped: Vec<Skip>,
    pub invalid: Vec<Invalid>,
    /// The edition's limits let only the first `fits` steps through.
    pub limit: Option<LimitConflict>,
}

impl Plan {
    /// Plans `op` on `rules` (picked from `snap`, which must hold every rule of their modules,
    /// as the limits count them).
    pub fn build(op: Operation, rules: &[&ScoringRule], snap: &OrgSnapshot) -> Plan {
        let mut plan = Plan {
            op,
            steps: Vec::new(),
            skipped: Vec::new(),
            invalid: Vec::new(),
            limit: None,
        };
        for rule in rules {
            let Some(id) = rule.id.clone() else { continue };
            let skip = |why: &str| Skip {
                rule: (*rule).clone(),
                why: why.to_string(),
            };
            let step = Step {
                rule: (*rule).clone(),
                id,
                item: None,
                edits: Vec::new(),
                after: None,
            };
            match &plan.op {
                Operation::Activate if rule.active => plan.skipped.push(skip("already active")),
                Operation::Deactivate if !rule.active => {
                    plan.skipped.push(skip("already inactive"))
                }
                Operation::SetScore(change) => match score_step(step, change, snap) {
                    Ok(Some(s)) => plan.steps.push(s),
                    Ok(None) => plan.skipped.push(skip(&no_edit(change))),
                    Err(why) => plan.invalid.push(Invalid {
                        rule: (*rule).clone(),
                        why,
                    }),
                },
                _ => plan.steps.push(step),
            }
        }
        plan.limit = match plan.op {
            Operation::Activate => first_misfit(&plan.steps, snap, false),
            Operation::Clone => first_misfit(&plan.steps, snap, true),
            _ => None,
        };
        plan
    }

    /// How many steps can be sent: all, or the first ones the limits let through.
    pub fn sendable(&self) -> usize {
        match (&self.limit, self.invalid.is_empty()) {
            (_, false) => 0,
            (Some(c), true) => c.fits,
            (None, true) => self.steps.len(),
        }
    }

    /// "deactivate 4 rules", the group's label in the journal.
    pub fn label(&self, count: usize) -> String {
        format!(
            "{} {count} rule{}",
            self.op.verb(),
            if count == 1 { "" } else { "s" }
        )
    }

    /// What the journal keeps of the plan in the group entry.
    pub fn to_json(&self, count: usize) -> Value {
        let steps: Vec<Value> = self.steps[..count.min(self.steps.len())]
            .iter()
            .map(|s| {
                json!({"rule_id": s.id, "name": s.rule.name, "module": s.rule.module.api_name,
                       "item": s.item})
            })
            .collect();
        json!({"op": self.op.journal_op(), "steps": steps})
    }
}

fn no_edit(change: &ScoreChange) -> String {
    match change.from {
        Some(from) => format!(
            "no field rule on {} scores {from:+}",
            sanitize(&change.field)
        ),
        None => format!("no field rule uses {}", sanitize(&change.field)),
    }
}

/// The step that changes `change` in `step.rule`, checked as Zoho would check the update;
/// `None` when the rule has no such field rule (or already scores `to` there).
fn score_step(
    mut step: Step,
    change: &ScoreChange,
    snap: &OrgSnapshot,
) -> Result<Option<Step>, String> {
    let schema = snap.module(&step.rule.module.api_name);
    // The field as the user named it: an API name, or a label the module's schema knows.
    let wanted = change.field.trim();
    let api_name = schema
        .and_then(|s| {
            s.fields.iter().find(|f| {
                f.api_name.eq_ignore_ascii_case(wanted) || f.label().eq_ignore_ascii_case(wanted)
            })
        })
        .map_or_else(|| wanted.to_string(), |f| f.api_name.clone());
    let mut items = Vec::new();
    for (i, fr) in step.rule.field_rules.iter().enumerate() {
        let uses = fr
            .criteria
            .conditions()
            .iter()
            .any(|c| c.field.api_name.eq_ignore_ascii_case(&api_name));
        if !uses || change.from.is_some_and(|f| f != fr.score) || fr.score == change.to {
            continue;
        }
        let Some(fr_id) = &fr.id else { continue };
        items.push(json!({"id": fr_id, "score": change.to}));
        step.edits.push(ScoreEdit {
            number: i + 1,
            from: fr.score,
            to: change.to,
        });
    }
    if items.is_empty() {
        return Ok(None);
    }
    let item = json!({"id": step.id, "field_rules": items});
    let refused = |v: Vec<crate::domain::Violation>| {
        v.iter()
            .map(|v| format!("{} ({})", sanitize(&v.hint), v.code))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let patch = parse_update(&item).map_err(refused)?;
    let patched = apply_patch(&step.rule, &patch).map_err(refused)?;
    if let Some(schema) = schema {
        let others = snap.summaries_where(|r| r.id != step.rule.id);
        let found = patched.check(&snap.rule_context(schema, &others));
        if !found.is_empty() {
            return Err(refused(found));
        }
    }
    step.item = Some(item);
    step.after = Some(patched.rule);
    Ok(Some(step))
}
