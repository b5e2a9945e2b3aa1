//! The tables of the popups and dialogs, which show their own keys where they are open.

use crossterm::event::KeyCode::{Backspace, Down, End, Enter, Esc, Home, PageDown, PageUp, Up};

use super::{Binding, Help, bind, c, here, k};
use crate::tui::action::Action;

/// The help overlay, or an execution's progress.
pub const POPUP: &[Binding] = &[
    bind(
        Action::ClosePopup,
        &[k(Esc), c('?'), c('q'), k(Enter)],
        here("close the popup (an execution still sending: stop it)"),
    ),
    bind(Action::SelectNext, &[c('j'), k(Down)], here("scroll")),
    bind(Action::SelectPrev, &[c('k'), k(Up)], Help::Same),
    bind(
        Action::SelectFirst,
        &[c('g'), k(Home)],
        here("to the top / the bottom"),
    ),
    bind(Action::SelectLast, &[c('G'), k(End)], Help::Same),
    bind(Action::PageDown, &[k(PageDown)], here("a page down / up")),
    bind(Action::PageUp, &[k(PageUp)], Help::Same),
];

/// A yes / no confirmation of a change.
pub const CONFIRM: &[Binding] = &[
    bind(
        Action::Confirm,
        &[c('y'), c('Y')],
        here("yes: send the change"),
    )
    .writes("sending changes"),
    bind(
        Action::ClosePopup,
        &[c('n'), c('N'), k(Esc)],
        here("no: nothing is sent"),
    ),
];

/// An edit in the editor (`E` / `Ctrl-E`): its errors (Enter: back to the editor) or its
/// review (Enter: send).
pub const EDIT_FILE: &[Binding] = &[
    bind(
        Action::Confirm,
        &[k(Enter), c('y')],
        here("send the edit reviewed / back to the editor to fix it"),
    )
    .writes("sending changes"),
    bind(
        Action::ClosePopup,
        &[k(Esc), c('n')],
        here("send nothing; the text is kept in a file"),
    ),
];

/// A deletion confirmed by typing the rule's name: printable keys type it.
pub const CONFIRM_TYPED: &[Binding] = &[
    bind(
        Action::Confirm,
        &[k(Enter)],
        here("delete, once the name typed matches"),
    )
    .writes("sending changes"),
    bind(
        Action::ClosePopup,
        &[k(Esc)],
        here("cancel: nothing is sent"),
    ),
    bind(
        Action::ConfirmBackspace,
        &[k(Backspace)],
        here("erase a character"),
    ),
];

/// The plan of a change to the marked rules (`marks::dialog`), which names its keys.
pub const BULK: &[Binding] = &[
    bind(
        Action::BulkActivate,
        &[c('a')],
        here("mixed marks: activate the inactive ones"),
    ),
    bind(
        Action::BulkDeactivate,
        &[c('d')],
        here("mixed marks: deactivate the active ones"),
    ),
    bind(
        Action::Confirm,
        &[c('y'), c('Y')],
        here("yes: send every step of the plan"),
    )
    .writes("sending changes"),
    bind(
        Action::BulkSendFirst,
        &[c('f')],
        here("send the first steps the edition's limits let through"),
    )
    .writes("sending changes"),
    bind(Action::SelectNext, &[c('j'), k(Down)], here("scroll")),
    bind(Action::SelectPrev, &[c('k'), k(Up)], Help::Same),
    bind(
        Action::ClosePopup,
        &[c('n'), c('N'), k(Esc)],
        here("no: nothing is sent"),
    ),
];

/// A draft left by an earlier run.
pub const DRAFT_OFFER: &[Binding] = &[
    bind(
        Action::RestoreDraft,
        &[c('r'), k(Enter)],
        here("restore the draft into the form"),
    )
    .writes("restoring a draft"),
    bind(Action::DiscardDraft, &[c('d')], here("discard the draft")),
    bind(Action::ClosePopup, &[k(Esc)], here("decide later")),
];

/// Moving a rule: pick a layout, see the steps, then confirm.
pub const MOVE: &[Binding] = &[
    bind(
        Action::SelectNext,
        &[c('j'), k(Down)],
        here("choose a layout"),
    ),
    bind(Action::SelectPrev, &[c('k'), k(Up)], Help::Same),
    bind(
        Action::Open,
        &[k(Enter)],
        here("show the steps of the move"),
    ),
    bind(
        Action::Confirm,
        &[c('y'), c('Y')],
        here("run the steps shown"),
    )
    .writes("sending changes"),
    bind(
        Action::ClosePopup,
        &[k(Esc), c('n'), c('q')],
        here("cancel: nothing is sent"),
    ),
];

/// A scrollable read-only popup: a rule's history, a notice whole.
pub const SCROLL: &[Binding] = &[
    bind(Action::SelectNext, &[c('j'), k(Down)], here("scroll")),
    bind(Action::SelectPrev, &[c('k'), k(Up)], Help::Same),
    bind(
        Action::SelectFirst,
        &[c('g'), k(Home)],
        here("to the top / the bottom"),
    ),
    bind(Action::SelectLast, &[c('G'), k(End)], Help::Same),
    bind(Action::PageDown, &[k(PageDown)], here("a page down / up")),
    bind(Action::PageUp, &[k(PageUp)], Help::Same),
    bind(
        Action::ClosePopup,
        &[k(Esc), c('q'), c('H')],
        here("close the popup"),
    ),
];
