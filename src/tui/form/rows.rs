//! Adding and removing the form's rows (field rules, conditions, signal rules, custom fields)
//! and switching a group's AND / OR, keeping the focus on a row that still exists.

use super::keys::notice;
use super::model::{CustomFieldForm, FieldRuleForm, RowKind, SignalRuleForm};
use super::target::Target;
use super::{Ask, Form, Outcome, Stage};
use crate::domain::OrgSnapshot;

impl Form {
    pub(super) fn add(&mut self, kind: RowKind, snap: Option<&OrgSnapshot>) -> Outcome {
        let d = &mut self.data;
        let focus = match kind {
            RowKind::FieldRule => {
                d.field_rules.push(FieldRuleForm::default());
                Target::Score(d.field_rules.len() - 1)
            }
            RowKind::Criterion => {
                let Some(i) = self.focused().field_rule() else {
                    return notice(
                        "move to a field rule first (its score or a condition) to add a condition",
                        true,
                    );
                };
                let Some(c) = self.data.field_rules.get_mut(i).map(|f| &mut f.criteria) else {
                    return Outcome::Nothing;
                };
                c.push_row();
                Target::Field(i, c.rows.len() - 1)
            }
            // Whether the module takes signal rules, and how many custom fields fit, is the
            // validator's call: it says so at the new row.
            RowKind::SignalRule => {
                d.signal_rules.push(SignalRuleForm::default());
                Target::Signal(d.signal_rules.len() - 1)
            }
            RowKind::CustomField => {
                d.custom_fields.push(CustomFieldForm::default());
                Target::CustomLabel(d.custom_fields.len() - 1)
            }
        };
        self.focus_on(focus);
        self.changed(snap)
    }

    /// Removes the row under the cursor: a condition (its number leaves the pattern, the
    /// rest renumber), a signal rule or a custom field. Removing a whole field rule (from its
    /// score or pattern, or its last condition) asks first.
    pub(super) fn remove(&mut self, snap: Option<&OrgSnapshot>) -> Outcome {
        let t = self.focused();
        let d = &mut self.data;
        let mut note = None;
        let next = match t {
            Target::Field(i, j) | Target::Comparator(i, j) | Target::Value(i, j) => {
                let Some(c) = d.field_rules.get_mut(i).map(|f| &mut f.criteria) else {
                    return Outcome::Nothing;
                };
                if c.rows.len() <= 1 {
                    self.stage = Stage::Ask(Ask::RemoveFieldRule(i));
                    return Outcome::Nothing;
                }
                if !c.remove_row(j) {
                    note = Some(format!(
                        "condition {} removed; the pattern did not read before, so fix it by hand",
                        j + 1
                    ));
                }
                Target::Field(i, j.min(c.rows.len().saturating_sub(1)))
            }
            Target::Score(i) | Target::Pattern(i) | Target::Criteria(i) => {
                if i < d.field_rules.len() {
                    self.stage = Stage::Ask(Ask::RemoveFieldRule(i));
                }
                return Outcome::Nothing;
            }
            Target::Signal(i) | Target::SignalScore(i) => {
                if i < d.signal_rules.len() {
                    d.signal_rules.remove(i);
                }
                Target::Signal(i.saturating_sub(1))
            }
            Target::CustomLabel(i) | Target::CustomRef(i) => {
                if i < d.custom_fields.len() {
                    d.custom_fields.remove(i);
                }
                Target::CustomLabel(i.saturating_sub(1))
            }
            _ => return notice("nothing to remove here: move to a row first", true),
        };
        self.refocus(next);
        let out = self.changed(snap);
        match note {
            Some(text) => notice(text, true),
            None => out,
        }
    }

    /// Ctrl-O: the focused field rule's pattern switches its top level between AND and OR.
    pub(super) fn switch_operator(&mut self, snap: Option<&OrgSnapshot>) -> Outcome {
        let Some(i) = self.focused().field_rule() else {
            return notice(
                "move to a field rule first (its score or a condition)",
                true,
            );
        };
        let Some(c) = self.data.field_rules.get_mut(i).map(|f| &mut f.criteria) else {
            return Outcome::Nothing;
        };
        if c.rows.len() < 2 {
            return notice(
                "one condition: add another (Ctrl-R) to join them by AND or OR",
                true,
            );
        }
        if !c.switch_operator() {
            return notice(
                "the pattern does not read yet: fix it first (its error says where)",
                true,
            );
        }
        self.changed(snap)
    }

    /// Removes field rule `i` (after the question said yes).
    pub(super) fn remove_field_rule(&mut self, i: usize, snap: Option<&OrgSnapshot>) -> Outcome {
        self.stage = Stage::Editing;
        if i < self.data.field_rules.len() {
            self.data.field_rules.remove(i);
        }
        self.refocus(Target::Score(i.saturating_sub(1)));
        self.changed(snap)
    }

    fn refocus(&mut self, next: Target) {
        let n = self.inputs().len();
        self.focus = self.focus.min(n.saturating_sub(1));
        self.focus_on(next);
    }
}
