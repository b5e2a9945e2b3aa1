//! Drawing: a pure function of `&App` onto a frame. Four panes left to right (Modules, Layouts,
//! Rules, Rule detail), collapsing below 120 columns to the focused pane and its neighbour, a
//! status bar, and popups on top.

mod conflict;
mod detail;
mod diff;
mod explain;
mod form;
mod history;
mod move_dialog;
mod panes;
mod popup;
mod preview;
mod status;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use super::app::{App, Pane};
pub use theme::Theme;

/// Below this width the four panes do not fit; only two are shown.
pub const WIDE: u16 = 120;

/// The panes' area and the status bar's.
fn split(area: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Min(3), Constraint::Length(2)]).areas(area)
}

/// Where the panes are drawn in a terminal of `area`: what mouse clicks are tested against.
pub fn main_area(area: Rect) -> Rect {
    split(area)[0]
}

pub fn draw(frame: &mut Frame, app: &App, theme: Theme) {
    if let Some(f) = &app.form {
        form::draw(frame, app, f, theme, frame.area());
        // Ctrl-P in the form previews the draft over it.
        preview::draw(frame, app, theme, frame.area());
        return;
    }
    let [main, status] = split(frame.area());
    for (pane, area) in pane_areas(app.focus, main) {
        match pane {
            Pane::Detail => detail::draw(frame, app, theme, area),
            list => panes::draw(frame, app, theme, list, area),
        }
    }
    status::draw(frame, app, theme, status);
    popup::draw(frame, app, theme, frame.area());
    preview::draw(frame, app, theme, frame.area());
}

/// Which panes are visible and where. Narrow terminals show the focused pane and the one to
/// its right (the one to its left for the last pane), so Enter always reveals what opened.
pub fn pane_areas(focus: Pane, area: Rect) -> Vec<(Pane, Rect)> {
    if area.width >= WIDE {
        let areas: [Rect; 4] = Layout::horizontal([
            Constraint::Percentage(15),
            Constraint::Percentage(18),
            Constraint::Percentage(27),
            Constraint::Fill(1),
        ])
        .areas(area);
        return Pane::ALL.into_iter().zip(areas).collect();
    }
    let (left, right) = match focus {
        Pane::Detail => (Pane::Rules, Pane::Detail),
        p => (p, Pane::ALL[p.index() + 1]),
    };
    let split = if right == Pane::Detail { 40 } else { 45 };
    let [a, b] =
        Layout::horizontal([Constraint::Percentage(split), Constraint::Fill(1)]).areas(area);
    vec![(left, a), (right, b)]
}
