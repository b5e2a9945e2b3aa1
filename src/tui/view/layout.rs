//! Where things go on the screen, as pure functions of the terminal's size and the little state
//! that shapes it (the focus, the notice). The view draws into these rectangles; the app calls
//! the same functions to know how many rows each scrolled area shows (so scroll offsets are
//! clamped once, in state) and what a click hit.

use ratatui::layout::{Constraint, Flex, Layout, Margin, Rect};

use crate::tui::app::{App, Notice, Pane};
use crate::tui::text::{Para, Row, Tone};

/// Below this width the four panes do not fit; only two are shown.
pub const WIDE: u16 = 120;

/// The panes keep at least this many rows however long the notice under them.
const MIN_PANES: u16 = 3;

/// Columns before the notice on the status bar's second row: the spinner's.
const SPINNER_COLUMNS: u16 = 2;

pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [rect] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    rect
}

/// A dialog's box: `width` columns, as tall as its `rows` of text and its border, centred in
/// `area` (and cut to it).
pub fn fitted_box(area: Rect, width: u16, rows: usize) -> Rect {
    centered(area, width, u16::try_from(rows + 2).unwrap_or(u16::MAX))
}

/// The most rows a notice may take on a screen `height` rows high; a longer one ends in `…`.
pub fn notice_rows_max(height: u16) -> usize {
    usize::from((height / 3).max(1))
}

fn notice_para(notice: &Notice) -> Para {
    if notice.error {
        Para::new(Tone::Error, notice.text.clone()).lead(Tone::Error, "✗ ", 2)
    } else {
        Para::new(Tone::Plain, notice.text.clone())
    }
}

/// A notice as the status bar (and the form's footer) shows it: all of it, wrapped after the
/// spinner's column, an error marked `✗` so it reads without colour. Past `notice_rows_max`
/// it is cut, and its last row says that `!` shows it whole.
pub fn notice_rows(notice: &Notice, area: Rect) -> Vec<Row> {
    let width = usize::from(area.width.saturating_sub(SPINNER_COLUMNS));
    let most = notice_rows_max(area.height);
    let mut rows = notice_para(notice).rows(width);
    if rows.len() > most {
        rows = notice_para(notice)
            .max_rows(most.saturating_sub(1).max(1))
            .rows(width);
        rows.push(vec![(Tone::Dim, "  … ! shows the whole notice".into())]);
    }
    rows
}

/// A notice's rows in the popup that shows it whole, `width` columns inside its border.
pub fn whole_notice_rows(notice: &Notice, width: u16) -> Vec<Row> {
    notice_para(notice).rows(usize::from(width.saturating_sub(1)))
}

/// The status bar's height: the line saying where the data comes from, then the notice or the
/// key hints.
pub fn status_height(notice: Option<&Notice>, area: Rect) -> u16 {
    let rows = notice.map_or(1, |n| notice_rows(n, area).len());
    let most = area.height.saturating_sub(MIN_PANES).max(2);
    u16::try_from(rows + 1).unwrap_or(u16::MAX).clamp(2, most)
}

/// The panes' area and the status bar's.
pub fn split(app: &App, area: Rect) -> [Rect; 2] {
    let status = status_height(app.notice.as_ref(), area);
    Layout::vertical([Constraint::Min(MIN_PANES), Constraint::Length(status)]).areas(area)
}

/// Where the panes are drawn in a terminal of `area`: what mouse clicks are tested against.
pub fn main_area(app: &App, area: Rect) -> Rect {
    split(app, area)[0]
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

/// Inside the borders of a pane, a popup or a dialog.
pub fn inner(rect: Rect) -> Rect {
    rect.inner(Margin::new(1, 1))
}

/// The text area of the detail pane: where it is drawn, or (hidden on a narrow screen) where
/// it will be once focused.
pub fn detail_text(focus: Pane, main: Rect) -> Rect {
    let shown = pane_areas(focus, main)
        .into_iter()
        .find(|(p, _)| *p == Pane::Detail)
        .or_else(|| {
            pane_areas(Pane::Detail, main)
                .into_iter()
                .find(|(p, _)| *p == Pane::Detail)
        })
        .map_or(main, |(_, r)| r);
    inner(shown)
}

/// The key help's box over the panes: as tall as its `rows` allow.
pub fn help_box(main: Rect, rows: usize) -> Rect {
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX);
    centered(main, 76, height)
}

/// The history popup's box: most of the screen.
pub fn history_box(area: Rect) -> Rect {
    centered(area, 100, area.height.saturating_sub(4).max(6))
}

/// The three-way conflict view over the whole form: its heading, the scrolled body (the
/// fields) and the footer with the keys, inside its border.
pub fn conflict_parts(area: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Length(2),
        Constraint::Fill(1),
        Constraint::Length(2),
    ])
    .areas(inner(area))
}
