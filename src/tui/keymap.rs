//! Keys to actions. Which keys mean what depends on the mode: a popup on top takes every key,
//! a filter being typed takes printable characters, otherwise the global bindings apply.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;

/// What the keymap needs to know about the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Filtering,
    /// The help overlay.
    Popup,
    /// A yes/no confirmation.
    Confirm,
    /// A confirmation that needs a name typed (deleting a rule that owns custom fields).
    ConfirmTyped,
    /// The rule form is open: it reads every key itself.
    Form,
    /// The restore-draft dialog.
    DraftOffer,
    /// The move dialog: pick a layout (j / k, Enter), then y to run the steps shown.
    Move,
    /// A scrollable read-only popup (a rule's history).
    Scroll,
    /// The score lab's preview.
    Lab,
    /// The score lab explaining a record: printable keys type the record finder's query.
    LabExplain,
}

pub fn resolve(mode: Mode, key: KeyEvent) -> Option<Action> {
    // Key releases and repeats arrive only with the kitty protocol; a press is what counts.
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    match mode {
        Mode::Popup => popup(key),
        Mode::Confirm => confirm(key),
        Mode::ConfirmTyped => confirm_typed(key),
        Mode::Filtering => filtering(key),
        Mode::Move => move_dialog(key),
        Mode::Scroll => scroll(key),
        Mode::Normal => normal(key),
        Mode::Form => Some(Action::FormKey(key)),
        Mode::DraftOffer => draft_offer(key),
        Mode::Lab => super::lab::keys(key).map(Action::Lab),
        Mode::LabExplain => super::lab::explaining::keys(key).map(Action::Lab),
    }
}

fn popup(key: KeyEvent) -> Option<Action> {
    match key.code {
        KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::Enter => {
            Some(Action::ClosePopup)
        }
        // Scrolling keys: the help scrolls; an execution popup ignores them.
        KeyCode::Char('j') | KeyCode::Down => Some(Action::SelectNext),
        KeyCode::Char('k') | KeyCode::Up => Some(Action::SelectPrev),
        KeyCode::Char('g') | KeyCode::Home => Some(Action::SelectFirst),
        KeyCode::Char('G') | KeyCode::End => Some(Action::SelectLast),
        KeyCode::PageDown => Some(Action::PageDown),
        KeyCode::PageUp => Some(Action::PageUp),
        _ => None,
    }
}

fn confirm(key: KeyEvent) -> Option<Action> {
    match key.code {
        KeyCode::Char('y') | KeyCode::Char('Y') => Some(Action::Confirm),
        KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => Some(Action::ClosePopup),
        _ => None,
    }
}

fn confirm_typed(key: KeyEvent) -> Option<Action> {
    match key.code {
        KeyCode::Enter => Some(Action::Confirm),
        KeyCode::Esc => Some(Action::ClosePopup),
        KeyCode::Backspace => Some(Action::ConfirmBackspace),
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            Some(Action::ConfirmInput(c))
        }
        _ => None,
    }
}

fn draft_offer(key: KeyEvent) -> Option<Action> {
    match key.code {
        KeyCode::Char('r') | KeyCode::Enter => Some(Action::RestoreDraft),
        KeyCode::Char('d') => Some(Action::DiscardDraft),
        KeyCode::Esc => Some(Action::ClosePopup),
        _ => None,
    }
}

fn move_dialog(key: KeyEvent) -> Option<Action> {
    match key.code {
        KeyCode::Char('j') | KeyCode::Down => Some(Action::SelectNext),
        KeyCode::Char('k') | KeyCode::Up => Some(Action::SelectPrev),
        KeyCode::Enter => Some(Action::Open),
        KeyCode::Char('y') | KeyCode::Char('Y') => Some(Action::Confirm),
        KeyCode::Esc | KeyCode::Char('n') | KeyCode::Char('q') => Some(Action::ClosePopup),
        _ => None,
    }
}

fn scroll(key: KeyEvent) -> Option<Action> {
    match key.code {
        KeyCode::Char('j') | KeyCode::Down => Some(Action::SelectNext),
        KeyCode::Char('k') | KeyCode::Up => Some(Action::SelectPrev),
        KeyCode::Char('g') | KeyCode::Home => Some(Action::SelectFirst),
        KeyCode::Char('G') | KeyCode::End => Some(Action::SelectLast),
        KeyCode::PageDown => Some(Action::PageDown),
        KeyCode::PageUp => Some(Action::PageUp),
        KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('H') => Some(Action::ClosePopup),
        _ => None,
    }
}

fn filtering(key: KeyEvent) -> Option<Action> {
    match key.code {
        KeyCode::Esc => Some(Action::FilterClear),
        KeyCode::Enter | KeyCode::Tab => Some(Action::FilterDone),
        KeyCode::Backspace => Some(Action::FilterBackspace),
        KeyCode::Down => Some(Action::SelectNext),
        KeyCode::Up => Some(Action::SelectPrev),
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            Some(Action::FilterInput(c))
        }
        _ => None,
    }
}

fn normal(key: KeyEvent) -> Option<Action> {
    let action = match key.code {
        KeyCode::Tab => Action::NextPane,
        KeyCode::BackTab => Action::PrevPane,
        KeyCode::Char('l') | KeyCode::Right => Action::FocusNext,
        KeyCode::Char('h') | KeyCode::Left => Action::FocusPrev,
        KeyCode::Char('j') | KeyCode::Down => Action::SelectNext,
        KeyCode::Char('k') | KeyCode::Up => Action::SelectPrev,
        KeyCode::Char('g') | KeyCode::Home => Action::SelectFirst,
        KeyCode::Char('G') | KeyCode::End => Action::SelectLast,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::Enter => Action::Open,
        KeyCode::Char('/') => Action::StartFilter,
        KeyCode::Char('?') => Action::ToggleHelp,
        KeyCode::Char('r') => Action::Reload,
        KeyCode::Char('a') => Action::ToggleActive,
        KeyCode::Char('d') => Action::DeleteRule,
        KeyCode::Char('c') => Action::CloneRule,
        KeyCode::Char('x') => Action::Execute(false),
        KeyCode::Char('X') => Action::Execute(true),
        KeyCode::Char('n') => Action::NewRule,
        KeyCode::Char('e') => Action::EditRule,
        KeyCode::Char('m') => Action::MoveRule,
        KeyCode::Char('u') => Action::Undo,
        KeyCode::Char('H') => Action::ShowHistory,
        KeyCode::Char('!') => Action::ShowNotice,
        KeyCode::Char('p') => Action::Preview,
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Esc => Action::FilterClear,
        _ => return None,
    };
    Some(action)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn a_popup_takes_every_key() {
        assert_eq!(resolve(Mode::Popup, key(KeyCode::Char('a'))), None);
        assert_eq!(
            resolve(Mode::Popup, key(KeyCode::Char('q'))),
            Some(Action::ClosePopup)
        );
    }

    #[test]
    fn a_filter_takes_letters_that_are_bindings_elsewhere() {
        assert_eq!(
            resolve(Mode::Filtering, key(KeyCode::Char('q'))),
            Some(Action::FilterInput('q'))
        );
        assert_eq!(
            resolve(Mode::Normal, key(KeyCode::Char('q'))),
            Some(Action::Quit)
        );
    }

    #[test]
    fn ctrl_c_quits_in_every_mode() {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for mode in [
            Mode::Normal,
            Mode::Filtering,
            Mode::Popup,
            Mode::Confirm,
            Mode::ConfirmTyped,
            Mode::Move,
            Mode::Scroll,
        ] {
            assert_eq!(resolve(mode, ctrl_c), Some(Action::Quit));
        }
    }
}
