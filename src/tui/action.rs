//! What a key means, independent of which key it was: the key table (`keys`) produces these,
//! `App::update` carries them out. Keeping the two apart lets tests drive the app by intent or
//! by keystroke.

/// One user intent. Which keys ask for it, its help text and whether read-only refuses it are
/// in the key table (`keys::table`), whose tests check that every action bound has help text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// The pane to the right (l, →); none after the last.
    FocusNext,
    /// The pane to the left (h, ←); none before the first.
    FocusPrev,
    /// The next pane, from the last back to the first (Tab).
    NextPane,
    /// The previous pane, from the first round to the last (Shift-Tab).
    PrevPane,
    SelectNext,
    SelectPrev,
    SelectFirst,
    SelectLast,
    Open,
    StartFilter,
    /// A character typed into the filter of the focused list.
    FilterInput(char),
    FilterBackspace,
    /// Keep the filter, stop typing into it.
    FilterDone,
    /// Drop the filter of the focused list.
    FilterClear,
    ToggleHelp,
    /// The Rules pane's next order: name, score span, active first, modified, Zoho's.
    CycleSort,
    /// Scroll by a page: the detail, a list, the help or the history.
    PageDown,
    PageUp,
    ClosePopup,
    Reload,
    ToggleActive,
    CloneRule,
    /// Run rules: which is the scope.
    Execute(Scope),
    /// Ask to delete the selected rule (a confirmation popup opens).
    DeleteRule,
    /// "Yes" in a confirmation popup.
    Confirm,
    ConfirmInput(char),
    ConfirmBackspace,
    /// Open the dialog that moves the selected rule to another layout of its module.
    MoveRule,
    /// Ask to undo the last change made in this session (a confirmation shows what it does).
    Undo,
    /// The journal's history of the selected rule.
    ShowHistory,
    /// The notice on screen, whole, in a popup (one too long for the status bar).
    ShowNotice,
    /// Preview the selected rule against sampled records (the score lab).
    Preview,
    /// A key inside the open preview.
    Lab(super::lab::LabAction),
    Quit,
    /// Open the rule form for a new rule in the selected module / layout.
    NewRule,
    /// Open the rule form on the selected rule.
    EditRule,
    /// The selected rule, or the open form's draft, in the user's editor as a file.
    EditInEditor,
    /// One of the rule form's commands (save, add a row, …).
    Form(super::form::FormCommand),
    /// Any other key for the open rule form: it edits the focused input, or answers one of the
    /// form's dialogs, which read their keys themselves (`form::keys`).
    FormKey(crossterm::event::KeyEvent),
    RestoreDraft,
    DiscardDraft,
    /// Mark or unmark the rule under the cursor (`marks`).
    ToggleMark,
    /// Mark every rule listed (as filtered).
    MarkAll,
    /// In the question of `a` on mixed marks: activate the inactive marked rules.
    BulkActivate,
    /// In the question of `a` on mixed marks: deactivate the active marked rules.
    BulkDeactivate,
    /// In a plan the edition's limits cut: send the first steps that fit.
    BulkSendFirst,
    /// Open the `:` command line.
    StartCommand,
    /// A key for the command line or the `:find` results, which read their keys themselves
    /// (`command`).
    CommandKey(crossterm::event::KeyEvent),
    /// Erase what the filter holds and go on typing it (Ctrl-U).
    FilterErase,
}

/// What `Action::Execute` runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The selected rule.
    Rule,
    /// Every active rule listed for the selected layout (of the module, under "All layouts").
    Layout,
}
