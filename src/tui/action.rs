//! What a key means, independent of which key it was: the keymap produces these, `App::update`
//! carries them out. Keeping the two apart lets tests drive the app by intent or by keystroke.

/// One user intent. Every variant here is bound to a key listed in the help overlay.
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
    /// Scroll by a page: the detail, a list, the help or the history.
    PageDown,
    PageUp,
    ClosePopup,
    Reload,
    ToggleActive,
    CloneRule,
    /// Run the selected rule (`false`) or every active rule of the layout (`true`).
    Execute(bool),
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
    /// A key for the open rule form, which reads it itself (`form::keys`).
    FormKey(crossterm::event::KeyEvent),
    RestoreDraft,
    DiscardDraft,
}

impl Action {
    /// Sends a change to the org (or, for execute, to its records' scores): refused read-only.
    pub fn writes(&self) -> bool {
        matches!(
            self,
            Action::ToggleActive
                | Action::CloneRule
                | Action::DeleteRule
                | Action::Execute(_)
                | Action::MoveRule
                | Action::Undo
                | Action::NewRule
                | Action::EditRule
                | Action::RestoreDraft
        )
    }
}

/// Keys that change the org, whatever action they are bound to now or later (the rule form's
/// `n` / `e` included): a read-only app refuses them before the keymap is consulted.
pub const WRITE_KEYS: &[(char, &str)] = &[
    ('a', "activating / deactivating"),
    ('c', "cloning"),
    ('d', "deleting"),
    ('x', "executing"),
    ('X', "executing"),
    ('m', "moving"),
    ('n', "creating rules"),
    ('e', "editing"),
    ('u', "undoing"),
];

/// The help overlay's rows, grouped by where the keys work: (group, [(keys, what they do)]).
/// Only keys that work are listed.
pub const HELP: &[(&str, &[(&str, &str)])] = &[
    (
        "Panes & lists",
        &[
            (
                "Tab / Shift-Tab",
                "next / previous pane (round from the last)",
            ),
            ("l / → , h / ←", "pane to the right / left"),
            ("j / ↓ , k / ↑", "move in the list (scroll the detail)"),
            ("PgDn / PgUp", "a page down / up"),
            ("g / Home, G / End", "first / last item"),
            ("Enter", "open: move to the pane on the right"),
            ("/", "filter the focused list (Esc clears)"),
            ("r", "reload from the org (retry after an error)"),
            ("?", "this help"),
            ("!", "show a notice too long for the status bar whole"),
            ("Esc", "close the popup on top, or clear the filter"),
            ("q / Ctrl-C", "quit"),
        ],
    ),
    (
        "Rule actions",
        &[
            ("a", "activate / deactivate the selected rule"),
            ("c", "clone the selected rule (the clone starts active)"),
            ("x", "execute the selected rule (progress shown)"),
            ("X", "execute all active rules of the layout"),
            ("d", "delete the selected rule (asks first)"),
            ("n / e", "new rule here / edit the selected rule (a form)"),
            ("m", "move the rule to another layout (asks first)"),
            ("u", "undo this session's last change (asks first)"),
            ("H", "history of the rule (from the change journal)"),
        ],
    ),
    (
        "Rule form",
        &[
            ("Tab / Shift-Tab", "next / previous input"),
            ("Ctrl-S", "review the changes (Enter then saves)"),
            ("Ctrl-P", "preview the unsaved draft on sample records"),
            ("Ctrl-F / Ctrl-R", "add a field rule / a criterion"),
            ("Ctrl-G / Ctrl-U", "add a signal rule / a custom field"),
            ("Ctrl-D", "remove the focused row"),
            ("Esc", "close the form (asks when there are changes)"),
        ],
    ),
    (
        "Score lab",
        &[
            ("p", "preview the rule on a sample of records"),
            ("j / k", "select a record"),
            ("w", "explain the selected record's score"),
            (
                "w, then type",
                "find a sampled record by name, Enter explains it",
            ),
            ("+ / -", "larger / smaller sample"),
            ("r", "fetch a new sample"),
        ],
    ),
];

/// How many lines the help's body has: a heading per group, its rows, a blank between groups.
pub fn help_lines() -> usize {
    HELP.iter().map(|(_, rows)| rows.len() + 2).sum::<usize>() - 1
}
