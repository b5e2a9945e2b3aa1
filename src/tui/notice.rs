//! A notice too long for the status bar's rows (a third of the screen) is not lost: its last
//! row says so, and `!` opens it whole in a scrollable popup (j / k, PgUp / PgDn, g / G; Esc
//! closes). The popup keeps its own copy, so the notice it shows outlives the next key.

use super::action::Action;
use super::app::{App, Notice, Popup};
use super::effects::Effect;
use super::screen::scrolled;

/// The whole notice in a popup; `visible` is its height as of the last update (a page).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeView {
    pub notice: Notice,
    pub scroll: u16,
    pub visible: u16,
}

impl App {
    /// `!`: the notice on screen, whole.
    pub(crate) fn show_notice(&mut self) {
        match self.notice.clone() {
            Some(notice) => {
                self.popup = Some(Popup::Notice(NoticeView {
                    notice,
                    scroll: 0,
                    visible: 0,
                }))
            }
            None => {
                self.notice = Some(Notice {
                    text: "no notice to show (! opens a long one whole)".into(),
                    error: false,
                })
            }
        }
    }

    /// Scrolling keys while the notice popup is open; `None` for any other action.
    pub(crate) fn notice_act(&mut self, action: &Action) -> Option<Vec<Effect>> {
        let Some(Popup::Notice(view)) = &mut self.popup else {
            return None;
        };
        let to = scrolled(view.scroll, action, view.visible)?;
        view.scroll = to;
        Some(Vec::new())
    }
}
