//! The form's commands: the keys the key table binds while editing (`keys::table::FORM`),
//! as what they ask for.

use super::model::RowKind;
use super::{Ask, Form, Outcome, Stage};
use crate::domain::OrgSnapshot;

/// What the form's command keys ask for (their keys are in the key table, `keys::table`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormCommand {
    NextInput,
    PrevInput,
    /// Review the changes; Enter in the review then saves.
    Save,
    /// Preview the unsaved draft in the score lab.
    Preview,
    AddFieldRule,
    AddCriterion,
    AddSignalRule,
    AddCustomField,
    RemoveRow,
    /// The focused field rule's pattern between AND and OR.
    SwitchOperator,
    /// Close the form (asks first when there are changes).
    Close,
    /// Take back the last edit (typing into one input is one edit), or put it back again.
    Undo,
    Redo,
}

impl Form {
    /// A command of the key table, while editing (the dialogs read keys, not commands).
    pub fn command(&mut self, command: FormCommand, snap: Option<&OrgSnapshot>) -> Outcome {
        if !matches!(self.stage, Stage::Editing) {
            return Outcome::Nothing;
        }
        // A command (from the mouse, or a test) closes an open list: it would be stale.
        self.picker = None;
        let (before, focus) = (self.data.clone(), self.focus);
        let outcome = match command {
            FormCommand::Close if self.dirty() => {
                self.stage = Stage::Ask(Ask::Discard);
                Outcome::Nothing
            }
            FormCommand::Close => Outcome::Close,
            FormCommand::NextInput => self.move_focus(1),
            FormCommand::PrevInput => self.move_focus(-1),
            FormCommand::Save => self.save(snap),
            FormCommand::Preview => Outcome::Preview,
            FormCommand::AddFieldRule => self.add(RowKind::FieldRule, snap),
            FormCommand::AddCriterion => self.add(RowKind::Criterion, snap),
            FormCommand::AddSignalRule => self.add(RowKind::SignalRule, snap),
            FormCommand::AddCustomField => self.add(RowKind::CustomField, snap),
            FormCommand::RemoveRow => self.remove(snap),
            FormCommand::SwitchOperator => self.switch_operator(snap),
            FormCommand::Undo => return self.undo(snap),
            FormCommand::Redo => return self.redo(snap),
        };
        if self.data != before {
            self.record(before, focus, super::undo::Edit::Command);
        }
        outcome
    }
}
