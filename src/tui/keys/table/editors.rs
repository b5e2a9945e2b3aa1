//! The tables of the rule form and the score lab.

use crossterm::event::KeyCode::{
    BackTab, Backspace, Down, Enter, Esc, Left, PageDown, PageUp, Right, Tab, Up,
};

use super::Section::{RuleForm, ScoreLab};
use super::{Binding, Does, Footer, Help, Show, bind, c, ctrl, here, k, row};
use crate::tui::action::Action;
use crate::tui::form::FormCommand;
use crate::tui::keys::Key;
use crate::tui::lab::LabAction;

/// The rule form while editing: every other key edits the focused input.
pub const FORM: &[Binding] = &[
    bind(
        Action::Form(FormCommand::NextInput),
        &[k(Tab)],
        row(RuleForm, "next / previous input"),
    )
    .hint(1, "move"),
    Binding {
        footer: Footer::Same,
        ..bind(
            Action::Form(FormCommand::PrevInput),
            &[k(BackTab)],
            Help::Same,
        )
    },
    Binding {
        does: Does::Type,
        keys: &[k(Left)],
        help: row(RuleForm, "choose a value, or move the cursor in a text"),
        footer: Footer::Hint(2, "step", Show::Always),
        writes: None,
    },
    Binding {
        does: Does::Type,
        keys: &[k(Right)],
        help: Help::Same,
        footer: Footer::Same,
        writes: None,
    },
    // Typing a letter on a condition's field or comparator opens the list too, narrowed by it.
    Binding {
        does: Does::Type,
        keys: &[k(Enter)],
        help: row(
            RuleForm,
            "list fields, comparators or values (type to narrow)",
        ),
        footer: Footer::Hint(2, "list", Show::Always),
        writes: None,
    },
    bind(
        Action::Form(FormCommand::Save),
        &[ctrl('s')],
        row(RuleForm, "review the changes (Enter then saves)"),
    )
    .hint(3, "save")
    .writes("saving"),
    bind(
        Action::Form(FormCommand::Preview),
        &[ctrl('p')],
        row(RuleForm, "preview the unsaved draft on sample records"),
    )
    .hint(4, "preview"),
    bind(
        Action::Form(FormCommand::AddFieldRule),
        &[ctrl('f')],
        row(RuleForm, "add a field rule / a criterion"),
    )
    .hint(6, "+field rule"),
    bind(
        Action::Form(FormCommand::AddCriterion),
        &[ctrl('r')],
        Help::Same,
    )
    .hint(7, "+criterion"),
    bind(
        Action::Form(FormCommand::AddSignalRule),
        &[ctrl('g')],
        row(RuleForm, "add a signal rule / a custom field"),
    )
    .hint(8, "+signal rule"),
    bind(
        Action::Form(FormCommand::AddCustomField),
        &[ctrl('u')],
        Help::Same,
    )
    .hint(9, "+custom field"),
    bind(
        Action::Form(FormCommand::RemoveRow),
        &[ctrl('d')],
        row(RuleForm, "remove the focused row"),
    )
    .hint(10, "remove row"),
    bind(
        Action::Form(FormCommand::SwitchOperator),
        &[ctrl('o')],
        row(RuleForm, "join the field rule's conditions by AND / by OR"),
    ),
    bind(
        Action::Form(FormCommand::Undo),
        &[ctrl('z')],
        row(RuleForm, "undo / redo the last edit"),
    ),
    bind(Action::Form(FormCommand::Redo), &[ctrl('y')], Help::Same),
    bind(
        Action::EditInEditor,
        &[ctrl('e')],
        row(
            RuleForm,
            "edit the draft as a file in $EDITOR, then review it",
        ),
    )
    .writes("editing"),
    bind(
        Action::Form(FormCommand::Close),
        &[k(Esc)],
        row(RuleForm, "close the form (asks when there are changes)"),
    )
    .hint(5, "close"),
];

/// A type-ahead list open in the rule form (field, comparator, value): printable keys narrow
/// it; the form reads every key, these rows are its footer and help.
pub const FORM_PICKER: &[Binding] = &[
    typed(
        &[k(Up)],
        here("move in the list"),
        Footer::Hint(1, "move", Show::Always),
    ),
    typed(&[k(Down)], Help::Same, Footer::Same),
    typed(
        &[k(Enter)],
        here("take the highlighted (or the marked) entries"),
        Footer::Hint(2, "pick", Show::Always),
    ),
    typed(
        &[k(Tab)],
        here("take it and go to the next input"),
        Footer::Hint(3, "pick & next", Show::Always),
    ),
    typed(
        &[c(' ')],
        here("mark / unmark a value (a list for in / not in)"),
        Footer::Hint(4, "mark", Show::Always),
    ),
    typed(
        &[k(Backspace)],
        here("erase a typed character"),
        Footer::Hint(5, "erase", Show::Always),
    ),
    typed(
        &[k(Esc)],
        here("close the list, leaving the input as it was"),
        Footer::Hint(6, "close", Show::Always),
    ),
];

/// A key the focused input reads itself, listed for its footer and help.
const fn typed(keys: &'static [Key], help: Help, footer: Footer) -> Binding {
    Binding {
        does: Does::Type,
        keys,
        help,
        footer,
        writes: None,
    }
}

/// The score lab's preview.
pub const LAB: &[Binding] = &[
    bind(
        Action::Lab(LabAction::Next),
        &[c('j'), k(Down)],
        row(ScoreLab, "select a record"),
    )
    .hint(1, "select"),
    Binding {
        footer: Footer::Same,
        ..bind(Action::Lab(LabAction::Prev), &[c('k'), k(Up)], Help::Same)
    },
    bind(
        Action::Lab(LabAction::Explain),
        &[c('w'), k(Enter)],
        row(
            ScoreLab,
            "explain the record's score (type to find another)",
        ),
    )
    .hint(2, "explain"),
    bind(
        Action::Lab(LabAction::Bigger),
        &[c('+'), c('=')],
        row(ScoreLab, "larger / smaller sample"),
    )
    .hint(3, "sample size"),
    Binding {
        footer: Footer::Same,
        ..bind(Action::Lab(LabAction::Smaller), &[c('-')], Help::Same)
    },
    bind(
        Action::Lab(LabAction::Refetch),
        &[c('r')],
        row(ScoreLab, "fetch a new sample"),
    )
    .hint(4, "refetch"),
    bind(
        Action::Lab(LabAction::Back),
        &[k(Esc), c('q'), c('p')],
        row(ScoreLab, "cancel, or close the preview"),
    )
    .hint(5, "close"),
];

/// The score lab explaining a record: printable keys type the record finder's query.
pub const LAB_EXPLAIN: &[Binding] = &[
    bind(
        Action::Lab(LabAction::Next),
        &[k(Down)],
        here("choose a record found, or scroll"),
    ),
    bind(Action::Lab(LabAction::Prev), &[k(Up)], Help::Same),
    bind(
        Action::Lab(LabAction::PageDown),
        &[k(PageDown)],
        here("a page down / up"),
    ),
    bind(Action::Lab(LabAction::PageUp), &[k(PageUp)], Help::Same),
    bind(
        Action::Lab(LabAction::Explain),
        &[k(Enter)],
        here("explain the record found"),
    ),
    bind(
        Action::Lab(LabAction::Erase),
        &[k(Backspace)],
        here("erase a character"),
    ),
    bind(
        Action::Lab(LabAction::Back),
        &[k(Esc)],
        here("clear the search, or back to the preview"),
    ),
];

/// The rule form's own dialogs (review, questions, conflicts, errors) read their few keys
/// themselves and show them.
pub const FORM_DIALOG: &[Binding] = &[];
