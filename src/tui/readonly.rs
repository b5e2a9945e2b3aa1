//! Read-only mode's key gate. It works on keys, not actions, so a write key refuses even when
//! it is bound to an action added later (the rule form's `n` / `e`): the refusal says which
//! change is off and why, and nothing else happens.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::WRITE_KEYS;
use super::app::{App, Notice};
use super::keymap::Mode;

impl App {
    /// `true` when `key` was a write key refused because the app is read-only.
    pub(crate) fn refuse_write_key(&mut self, key: KeyEvent) -> bool {
        let Some(why) = &self.readonly else {
            return false;
        };
        // Inside a filter or a popup the same letters are text or answers, not writes.
        if self.mode() != Mode::Normal
            || key.kind == KeyEventKind::Release
            || key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return false;
        }
        let KeyCode::Char(c) = key.code else {
            return false;
        };
        let Some((_, what)) = WRITE_KEYS.iter().find(|(k, _)| *k == c) else {
            return false;
        };
        self.notice = Some(Notice {
            text: format!("read-only: {what} is off ({why})"),
            error: true,
        });
        true
    }
}
