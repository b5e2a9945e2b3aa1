//! The default key bindings: one table per mode, each row naming the action, its keys, its
//! help text, its footer label (where the footer shows it) and, for a change to the org, what
//! read-only mode refuses. The help overlay, the footers and the read-only gate are derived
//! from these rows (`super::help`, `App::perform`); nothing else lists keys.

mod dialogs;
mod editors;

use crossterm::event::{KeyCode, KeyModifiers};

pub use self::dialogs::{
    BULK, CONFIRM, CONFIRM_TYPED, DRAFT_OFFER, EDIT_FILE, MOVE, POPUP, SCROLL,
};
pub use self::editors::{FORM, FORM_DIALOG, FORM_PICKER, LAB, LAB_EXPLAIN};

use super::{Key, Mode};
use crate::tui::action::{Action, Scope};

/// What a binding does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Does {
    Act(Action),
    /// The key goes on to what is being typed into (the form's focused input picks or moves
    /// its cursor with ←/→): listed for the footer and the help, handled like any typed key.
    Type,
}

/// Where the help overlay lists a binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    PanesLists,
    RuleActions,
    RuleForm,
    ScoreLab,
    /// Keys of a popup, a dialog or the filter, which show their keys where they are open:
    /// described here, not listed in the overlay.
    InPlace,
}

impl Section {
    /// The overlay's groups, in order, with their headings.
    pub const OVERLAY: [(Section, &'static str); 4] = [
        (Section::PanesLists, "Panes & lists"),
        (Section::RuleActions, "Rule actions"),
        (Section::RuleForm, "Rule form"),
        (Section::ScoreLab, "Score lab"),
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Help {
    /// A help row of its own: where, and what the keys do.
    Row(Section, &'static str),
    /// On the row of the binding before it in the same table ("n / e").
    Same,
}

/// When the footer shows a binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Show {
    Always,
    /// Only while read-only, in the room the refused writes leave.
    ReadOnly,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Footer {
    None,
    /// A footer hint: its place (lowest first), its short label and when it shows.
    Hint(u8, &'static str, Show),
    /// On the hint of the binding before it ("Tab/S-Tab move").
    Same,
}

/// One default binding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    pub does: Does,
    pub keys: &'static [Key],
    pub help: Help,
    pub footer: Footer,
    /// A change to the org (or to its records' scores): what a read-only app refuses, as its
    /// notice says it ("read-only: deleting is off").
    pub writes: Option<&'static str>,
}

pub(super) const fn bind(action: Action, keys: &'static [Key], help: Help) -> Binding {
    Binding {
        does: Does::Act(action),
        keys,
        help,
        footer: Footer::None,
        writes: None,
    }
}

impl Binding {
    pub(super) const fn hint(mut self, at: u8, label: &'static str) -> Binding {
        self.footer = Footer::Hint(at, label, Show::Always);
        self
    }

    const fn writes(mut self, what: &'static str) -> Binding {
        self.writes = Some(what);
        self
    }
}

pub(super) const fn row(section: Section, text: &'static str) -> Help {
    Help::Row(section, text)
}

pub(super) const fn here(text: &'static str) -> Help {
    Help::Row(Section::InPlace, text)
}

pub(super) const fn c(ch: char) -> Key {
    Key::ch(ch)
}

pub(super) const fn k(code: KeyCode) -> Key {
    Key::code(code)
}

pub(super) const fn ctrl(ch: char) -> Key {
    Key {
        code: KeyCode::Char(ch),
        mods: KeyModifiers::CONTROL,
    }
}

use KeyCode::{
    BackTab, Backspace, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up,
};
use Section::{PanesLists, RuleActions, ScoreLab};

/// Bindings of every mode, looked up before the mode's own.
pub const GLOBAL: &[Binding] = &[bind(
    Action::Quit,
    &[ctrl('c')],
    row(PanesLists, "quit from anywhere (the form asks first)"),
)];

/// Browsing the panes, nothing open on top.
pub const NORMAL: &[Binding] = &[
    bind(
        Action::NextPane,
        &[k(Tab)],
        row(PanesLists, "next / previous pane (round from the last)"),
    ),
    bind(Action::PrevPane, &[k(BackTab)], Help::Same),
    bind(
        Action::FocusNext,
        &[c('l'), k(Right)],
        row(PanesLists, "pane to the right / left"),
    ),
    bind(Action::FocusPrev, &[c('h'), k(Left)], Help::Same),
    bind(
        Action::SelectNext,
        &[c('j'), k(Down)],
        row(PanesLists, "move in the list (scroll the detail)"),
    ),
    bind(Action::SelectPrev, &[c('k'), k(Up)], Help::Same),
    bind(
        Action::PageDown,
        &[k(PageDown)],
        row(PanesLists, "a page down / up"),
    ),
    bind(Action::PageUp, &[k(PageUp)], Help::Same),
    bind(
        Action::SelectFirst,
        &[c('g'), k(Home)],
        row(PanesLists, "first / last item"),
    ),
    bind(Action::SelectLast, &[c('G'), k(End)], Help::Same),
    bind(
        Action::Open,
        &[k(Enter)],
        row(PanesLists, "open: move to the pane on the right"),
    )
    .hint(3, "open"),
    bind(
        Action::StartFilter,
        &[c('/')],
        row(PanesLists, "filter the focused list (Esc clears)"),
    )
    .hint(2, "filter"),
    bind(
        Action::StartCommand,
        &[c(':')],
        row(PanesLists, "command line: run a command, jump to a rule"),
    )
    .hint(2, "command"),
    bind(
        Action::Reload,
        &[c('r')],
        row(PanesLists, "reload from the org (retry after an error)"),
    )
    .hint(9, "reload"),
    bind(
        Action::CycleSort,
        &[c('s')],
        row(PanesLists, "sort the rules: name, score, active, modified"),
    ),
    bind(Action::ToggleHelp, &[c('?')], row(PanesLists, "this help")).hint(1, "help"),
    bind(
        Action::ShowNotice,
        &[c('!')],
        row(
            PanesLists,
            "show a notice too long for the status bar whole",
        ),
    ),
    bind(
        Action::FilterClear,
        &[k(Esc)],
        row(
            PanesLists,
            "close the popup, or clear the filter, then the marks",
        ),
    ),
    bind(Action::Quit, &[c('q')], row(PanesLists, "quit")).hint(10, "quit"),
    bind(
        Action::ToggleMark,
        &[c(' ')],
        row(
            RuleActions,
            "mark / unmark: a x c d m E then act on all marked",
        ),
    ),
    bind(
        Action::MarkAll,
        &[c('V')],
        row(RuleActions, "mark every rule listed (as filtered)"),
    ),
    bind(
        Action::ToggleActive,
        &[c('a')],
        row(RuleActions, "activate / deactivate the selected rule"),
    )
    .hint(4, "(de)activate")
    .writes("activating / deactivating"),
    bind(
        Action::CloneRule,
        &[c('c')],
        row(
            RuleActions,
            "clone the selected rule (the clone starts active)",
        ),
    )
    .hint(6, "clone")
    .writes("cloning"),
    bind(
        Action::Execute(Scope::Rule),
        &[c('x')],
        row(RuleActions, "execute the selected rule (progress shown)"),
    )
    .hint(5, "run")
    .writes("executing"),
    bind(
        Action::Execute(Scope::Layout),
        &[c('X')],
        row(RuleActions, "execute all active rules of the layout"),
    )
    .writes("executing"),
    bind(
        Action::DeleteRule,
        &[c('d')],
        row(RuleActions, "delete the selected rule (asks first)"),
    )
    .hint(7, "delete")
    .writes("deleting"),
    bind(
        Action::NewRule,
        &[c('n')],
        row(
            RuleActions,
            "new rule here / edit the selected rule (a form)",
        ),
    )
    .writes("creating rules"),
    bind(Action::EditRule, &[c('e')], Help::Same).writes("editing"),
    bind(
        Action::EditInEditor,
        &[c('E')],
        row(RuleActions, "edit the selected rule as a file in $EDITOR"),
    )
    .writes("editing"),
    bind(
        Action::MoveRule,
        &[c('m')],
        row(
            RuleActions,
            "move the rule (or the marked) to another layout",
        ),
    )
    .writes("moving"),
    bind(
        Action::Undo,
        &[c('u')],
        row(RuleActions, "undo this session's last change (asks first)"),
    )
    .writes("undoing"),
    Binding {
        footer: Footer::Hint(8, "history", Show::ReadOnly),
        ..bind(
            Action::ShowHistory,
            &[c('H')],
            row(RuleActions, "history of the rule (from the change journal)"),
        )
    },
    bind(
        Action::Preview,
        &[c('p')],
        row(ScoreLab, "preview the rule on a sample of records"),
    ),
];

/// Typing a list's filter: printable keys type, these do the rest.
pub const FILTERING: &[Binding] = &[
    bind(
        Action::FilterDone,
        &[k(Enter), k(Tab)],
        here("keep the filter, stop typing into it"),
    )
    .hint(1, "keep"),
    bind(Action::FilterClear, &[k(Esc)], here("drop the filter")).hint(2, "clear"),
    bind(
        Action::FilterErase,
        &[ctrl('u')],
        here("erase the filter, go on typing"),
    ),
    bind(
        Action::FilterBackspace,
        &[k(Backspace)],
        here("erase a character"),
    ),
    bind(
        Action::SelectNext,
        &[k(Down)],
        here("move in the filtered list"),
    ),
    bind(Action::SelectPrev, &[k(Up)], Help::Same),
];

/// The default table of `mode`.
pub fn defaults(mode: Mode) -> &'static [Binding] {
    match mode {
        Mode::Normal => NORMAL,
        Mode::Filtering => FILTERING,
        Mode::Popup => POPUP,
        Mode::Confirm => CONFIRM,
        Mode::ConfirmTyped => CONFIRM_TYPED,
        Mode::Form => FORM,
        Mode::FormPicker => FORM_PICKER,
        Mode::EditFile => EDIT_FILE,
        Mode::FormDialog => FORM_DIALOG,
        Mode::DraftOffer => DRAFT_OFFER,
        Mode::Move => MOVE,
        Mode::Scroll => SCROLL,
        Mode::Lab => LAB,
        Mode::LabExplain => LAB_EXPLAIN,
        Mode::Bulk => BULK,
        Mode::Command => COMMAND,
    }
}

/// The command line and `:find`'s results read their keys themselves (`tui::command`) and
/// show them where they are open.
pub const COMMAND: &[Binding] = &[];
