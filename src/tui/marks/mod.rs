//! Marks: a selection of rules that `a`, `x`, `c` and `d` act on together. Space marks or
//! unmarks the rule under the cursor, `V` marks every rule listed (as filtered), Esc clears the
//! marks once there is no filter left to clear. Marks are kept by rule id, so a filter or a
//! reload keeps them (a reload drops those no longer in the org).
//!
//! Acting on marks only drives the core's bulk workflow (`crate::bulk`): the plan, its limit
//! check and its words are `bulk::Plan` / `bulk::render`, the sending is `bulk::run` (one
//! journal group, undone as one by `u`). `dialog` holds the plan dialog's state.

pub mod dialog;
mod exec;

use std::collections::BTreeSet;

use super::action::{Action, Scope};
use super::app::{App, Notice, Pane, Popup};
use super::effects::Effect;
use crate::bulk::Operation;
use crate::domain::{Id, OrgSnapshot, ScoringRule};

pub use dialog::{BulkDialog, Stage};

/// The marked rules' ids.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marks {
    ids: BTreeSet<Id>,
}

impl Marks {
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn contains(&self, id: &Id) -> bool {
        self.ids.contains(id)
    }

    /// Keeps the marks of rules still in `snap` (after a reload).
    pub fn retain_present(&mut self, snap: &OrgSnapshot) {
        self.ids.retain(|id| snap.rule(id).is_some());
    }

    /// The marked rules in the org's order (the order a plan's "the first 2" counts in).
    pub fn rules<'a>(&self, snap: &'a OrgSnapshot) -> Vec<&'a ScoringRule> {
        snap.rules
            .iter()
            .filter(|r| r.id.as_ref().is_some_and(|id| self.ids.contains(id)))
            .collect()
    }
}

impl App {
    /// Marking keys, and the rule actions while rules are marked; `None` leaves the action to
    /// the single-rule path (no marks: `a`, `x`, `c`, `d`, `m`, `E` act on the rule under the
    /// cursor).
    pub(crate) fn marks_act(&mut self, action: &Action) -> Option<Vec<Effect>> {
        if let Some(Popup::Bulk(d)) = &mut self.popup {
            // The plan scrolls by its lines (the last one stays in view).
            let to = super::screen::scrolled(d.scroll, action, 10)?;
            let last = u16::try_from(d.lines.len().saturating_sub(1)).unwrap_or(u16::MAX);
            d.scroll = to.min(last);
            return Some(Vec::new());
        }
        if self.popup.is_some() || self.form.is_some() {
            return None;
        }
        match action {
            Action::ToggleMark => self.toggle_mark(),
            Action::MarkAll => self.mark_all(),
            // Esc clears the focused list's filter first, then the marks.
            Action::FilterClear if !self.filtering && self.filter(self.focus).is_empty() => {
                if self.marks.is_empty() {
                    return None;
                }
                let n = self.marks.len();
                self.marks = Marks::default();
                self.notice = Some(Notice {
                    text: format!("{n} mark{} cleared", if n == 1 { "" } else { "s" }),
                    error: false,
                });
            }
            _ if self.marks.is_empty() => return None,
            Action::ToggleActive => self.open_toggle(),
            Action::CloneRule => self.open_plan(Operation::Clone),
            Action::DeleteRule => self.open_plan(Operation::Delete),
            Action::Execute(Scope::Rule) => return Some(self.execute_marked()),
            // Every marked rule in one file (a JSON list of export files).
            Action::EditInEditor => {
                let ids: Vec<crate::domain::Id> = match &self.snapshot {
                    Some(snap) => self
                        .marks
                        .rules(snap)
                        .iter()
                        .filter_map(|r| r.id.clone())
                        .collect(),
                    None => Vec::new(),
                };
                return Some(self.edit_rules_in_editor(&ids));
            }
            // The move dialog takes the marked rules itself (`move_rule::open_move`).
            Action::MoveRule => self.open_move(),
            _ => return None,
        }
        Some(Vec::new())
    }

    fn toggle_mark(&mut self) {
        if self.focus != Pane::Rules {
            self.notice = Some(Notice {
                text: "marks are for rules: move to the Rules pane to mark one".into(),
                error: true,
            });
            return;
        }
        let Some(id) = self.current_rule().and_then(|r| r.id.clone()) else {
            return;
        };
        if !self.marks.ids.remove(&id) {
            self.marks.ids.insert(id);
        }
    }

    fn mark_all(&mut self) {
        if !matches!(self.focus, Pane::Rules | Pane::Detail) {
            self.notice = Some(Notice {
                text: "V marks the rules listed: move to the Rules pane".into(),
                error: true,
            });
            return;
        }
        let ids: Vec<Id> = self.rules().iter().filter_map(|r| r.id.clone()).collect();
        self.marks.ids.extend(ids);
    }

    /// `a` on marks: activate or deactivate as the marks say, or ask which when they are mixed.
    fn open_toggle(&mut self) {
        let Some(snap) = self.snapshot.as_ref() else {
            return;
        };
        let rules = self.marks.rules(snap);
        let active = rules.iter().filter(|r| r.active).count();
        if active == 0 {
            self.open_plan(Operation::Activate);
        } else if active == rules.len() {
            self.open_plan(Operation::Deactivate);
        } else {
            self.popup = Some(Popup::Bulk(Box::new(BulkDialog::choose(
                active,
                rules.len() - active,
            ))));
        }
    }

    /// The plan dialog for `op` on the marked rules: the plan and its limit check are
    /// `bulk::Plan`'s, judged against the org as loaded.
    pub(crate) fn open_plan(&mut self, op: Operation) {
        if self.pending.is_some() {
            self.notice = Some(Notice {
                text: "the org is still loading: a plan needs every rule (try again when loaded)"
                    .into(),
                error: true,
            });
            return;
        }
        let Some(snap) = self.snapshot.as_ref() else {
            return;
        };
        let rules = self.marks.rules(snap);
        let dialog = BulkDialog::plan(op, &rules, snap);
        self.popup = Some(Popup::Bulk(Box::new(dialog)));
    }
}

#[cfg(test)]
mod tests;
