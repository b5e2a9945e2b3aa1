//! What a plan is made of: its steps, the changes each shows, the org rules it keeps, and
//! (inside `transfer`) the files it was built from. A leaf of `transfer`: `plan` builds these,
//! `sim` checks them, `plan_text` shows them and `apply` sends them, and this module needs none
//! of those, so the modules that build, check, show and send a plan form no import cycle.

use serde_json::Value;

use super::format::RuleFile;
use super::read::FileRule;
use super::resolve::Resolved;
use crate::domain::{Id, ScoringRule};

#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub steps: Vec<Step>,
    /// Org rules in a layout the export holds that no file matched, left alone because
    /// pruning was not asked for.
    pub kept: Vec<Unfiled>,
}

/// An org rule with no file, in a layout directory the export holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Unfiled {
    pub rule_id: Id,
    pub name: String,
    pub module: String,
    /// The layout directory: a layout api_name or `_all`.
    pub layout_dir: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// `body`: one item for `POST {"scoring_rules":[…]}`, ids resolved.
    Create {
        file: String,
        body: Value,
    },
    /// `body`: one item for `PUT {"scoring_rules":[…]}`, with `id`. A body holding only `id`
    /// changes nothing and need not be sent. `activate`: `Some(new state)` when the active
    /// state changes, which only the activate endpoints do; send it after the PUT.
    Update {
        file: String,
        rule_id: Id,
        body: Value,
        changes: Vec<Change>,
        activate: Option<bool>,
    },
    /// The layout differs, and Zoho cannot move a rule: delete `old_rule_id`, then create
    /// `body`. The rule's custom fields, and the scores they hold, go with the old rule.
    Recreate {
        file: String,
        old_rule_id: Id,
        body: Value,
        changes: Vec<Change>,
    },
    /// An org rule in a layout directory of the export, which no file matched (`prune` only).
    Delete {
        rule_id: Id,
        name: String,
        module: String,
    },
    Unchanged {
        file: String,
        rule_id: Id,
    },
}

impl Step {
    pub fn changes(&self) -> &[Change] {
        match self {
            Step::Update { changes, .. } | Step::Recreate { changes, .. } => changes,
            _ => &[],
        }
    }
}

/// One difference, as a person reads it: `field_rules[1].score`, `30` → `35`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub path: String,
    pub before: String,
    pub after: String,
}

impl Plan {
    /// Nothing to send: every step is `Unchanged` (or there are none).
    pub fn is_noop(&self) -> bool {
        self.steps
            .iter()
            .all(|s| matches!(s, Step::Unchanged { .. }))
    }
}

/// A file with what it resolved to, and the org rule it matched.
pub(super) struct Item<'a> {
    pub file: &'a FileRule,
    pub resolved: Resolved<'a>,
    pub matched: Option<(&'a ScoringRule, RuleFile)>,
}
