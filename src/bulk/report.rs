//! What a bulk change did, step by step, and what exists now: the words the CLI prints (and a
//! TUI dialog can show), so a partial failure says exactly which rules changed and which did not.

use crate::display::sanitize;
use crate::domain::{Id, ScoringRule};

use super::plan::Operation;

/// Where a step is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepState {
    Queued,
    Sending,
    /// Zoho accepted it (or the rule as it is now shows it took effect).
    Applied,
    /// Zoho refused it: nothing changed.
    Refused {
        code: String,
        message: String,
    },
    /// The request failed on the way and the rule, read after, is unchanged.
    Failed(String),
    /// The answer was lost and what exists now cannot settle it.
    Unknown(String),
    /// Not sent, and why (deleted or changed since the plan, the journal unwritable).
    NotSent(String),
}

impl StepState {
    /// `applied`, `refused`, …: the first column of a result line.
    pub fn word(&self) -> &'static str {
        match self {
            StepState::Queued => "queued",
            StepState::Sending => "sending",
            StepState::Applied => "applied",
            StepState::Refused { .. } => "refused",
            StepState::Failed(_) => "failed",
            StepState::Unknown(_) => "unknown",
            StepState::NotSent(_) => "not sent",
        }
    }

    /// Why, for anything but a plain success or a step in flight.
    pub fn why(&self) -> Option<String> {
        match self {
            StepState::Refused { code, message } if message.trim().is_empty() => {
                Some(sanitize(code))
            }
            StepState::Refused { code, message } => Some(format!(
                "{} ({})",
                sanitize(code),
                sanitize(message.trim_end_matches('.'))
            )),
            StepState::Failed(w) | StepState::NotSent(w) => Some(sanitize(w)),
            StepState::Unknown(w) => Some(format!("{}; check the rule", sanitize(w))),
            _ => None,
        }
    }
}

/// A rule as read after the answers.
#[derive(Clone, Debug, PartialEq)]
pub enum Now {
    /// The rules could not be read after sending.
    Unread,
    Gone,
    Is(Box<ScoringRule>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct StepReport {
    pub id: Id,
    pub name: String,
    pub state: StepState,
    pub now: Now,
    /// A clone's copy, as it is now.
    pub copy: Option<Now>,
    /// A score step's field rules (numbered from 1) it edits.
    pub edited: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub label: String,
    /// The journal group: `zscore revert <group>` undoes the steps that took effect.
    pub group: u64,
    pub steps: Vec<StepReport>,
    /// Why the rules could not be read after sending (what exists now is then unknown).
    pub unread: Option<String>,
    /// Journal entries that could not be completed.
    pub journal_errors: Vec<String>,
}

impl Report {
    pub fn applied(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| s.state == StepState::Applied)
            .count()
    }

    pub fn all_applied(&self) -> bool {
        self.applied() == self.steps.len()
    }

    /// One line per step: state, rule id, name, why (if not applied), and what the rule is now.
    pub fn lines(&self, op: &Operation) -> Vec<String> {
        self.steps
            .iter()
            .map(|s| {
                let mut line = format!("{}\t{}\t“{}”", s.state.word(), s.id, sanitize(&s.name));
                if let Some(why) = s.state.why() {
                    line.push_str(&format!(": {why}"));
                }
                line.push_str(&format!(" — now {}", now_text(op, s)));
                line
            })
            .collect()
    }

    /// `3 of 4 applied; 1 not: …` and how to undo.
    pub fn summary(&self) -> String {
        let applied = self.applied();
        let total = self.steps.len();
        let mut out = format!("{}: {applied} of {total} applied", self.label);
        if applied > 0 {
            out.push_str(&format!(
                "; journal group #{g}: `zscore revert {g}` undoes them as one",
                g = self.group
            ));
        }
        if let Some(e) = &self.unread {
            out.push_str(&format!(
                "; the rules could not be read afterwards ({}), so what exists now is unknown",
                sanitize(e)
            ));
        }
        out
    }
}

/// What the step's rule is now, in the terms of the operation.
fn now_text(op: &Operation, s: &StepReport) -> String {
    let rule = match &s.now {
        Now::Unread => return "unknown (the rules could not be read)".into(),
        Now::Gone => return "gone".into(),
        Now::Is(r) => r,
    };
    let state = if rule.active { "active" } else { "inactive" };
    match op {
        Operation::Delete => format!("still there ({state})"),
        Operation::SetScore(_) => {
            let scores: Vec<String> = s
                .edited
                .iter()
                .map(|n| match rule.field_rules.get(n - 1) {
                    Some(f) => format!("field rule {n} scores {:+}", f.score),
                    None => format!("field rule {n} is gone"),
                })
                .collect();
            if scores.is_empty() {
                state.to_string()
            } else {
                scores.join(", ")
            }
        }
        Operation::Clone => match &s.copy {
            Some(Now::Is(c)) => format!(
                "a copy “{}” ({}), {}",
                sanitize(&c.name),
                c.id.as_ref().map(Id::as_str).unwrap_or("?"),
                if c.active { "active" } else { "inactive" }
            ),
            Some(Now::Gone) => "no copy (it is gone)".into(),
            _ => "no copy".into(),
        },
        Operation::Activate | Operation::Deactivate => state.to_string(),
    }
}
