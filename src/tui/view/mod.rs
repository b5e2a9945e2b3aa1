//! Drawing: a pure function of `&App` onto a frame. Four panes left to right (Modules, Layouts,
//! Rules, Rule detail), collapsing below 120 columns to the focused pane and its neighbour, a
//! status bar, and popups on top. It only reads what `update` derived (the lists, the detail's
//! rows, the usage) and draws it where `layout` says, from the scroll offsets the app keeps
//! within their content: nothing here clamps, lints or counts.

mod bulk;
pub(crate) mod centered_box;
mod command;
mod conflict;
mod detail;
pub(crate) mod diff;
mod explain;
mod form;
mod form_footer;
mod form_picker;
mod history;
mod input;
pub mod layout;
mod move_dialog;
mod panes;
mod popup;
mod preview;
mod status;
pub mod theme;

use ratatui::Frame;

use super::app::{App, Pane};
use super::form::conflict::ConflictView;
use super::history::HistoryView;
pub use command::found_visible;
pub use layout::{WIDE, main_area, pane_areas};
pub use theme::Theme;

pub fn draw(frame: &mut Frame, app: &App, theme: Theme) {
    if let Some(f) = &app.form {
        form::draw(frame, app, f, theme, frame.area());
        // Ctrl-P in the form previews the draft over it, hiding the form's footer whole
        // rather than leaving its letters at the preview's edges.
        if app.lab.view.is_some() {
            frame.render_widget(ratatui::widgets::Clear, frame.area());
        }
        preview::draw(frame, app, theme, frame.area());
        return;
    }
    let [main, status] = layout::split(app, frame.area());
    for (pane, area) in pane_areas(app.focus, main) {
        match pane {
            Pane::Detail => detail::draw(frame, app, theme, area),
            list => panes::draw(frame, app, theme, list, area),
        }
    }
    status::draw(frame, app, theme, status);
    popup::draw(frame, app, theme, frame.area());
    // The command line sits over the panes' bottom: the status bar under it says what it did.
    command::draw(frame, app, theme, frame.area(), main);
    // Over the panes, not the status bar: its limits and notices stay in view.
    preview::draw(frame, app, theme, main);
}

/// Rows the history popup scrolls over, `width` columns inside its border.
pub fn history_rows(h: &HistoryView, width: u16) -> usize {
    history::lines(h, Theme { color: false }, width).len()
}

/// Rows the three-way conflict view's fields take at `width` columns.
pub fn conflict_rows(view: &ConflictView, width: u16) -> usize {
    conflict::body_lines(view, Theme { color: false }, width).len()
}
