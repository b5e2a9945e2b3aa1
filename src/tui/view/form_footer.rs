//! The rule form's footer: its keys, the error and lint counts, and the last notice on rows
//! of its own (wrapped, never cut off behind the counts).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::Theme;
use super::layout::notice_rows;
use crate::tui::app::App;
use crate::tui::form::Form;
use crate::tui::keys::help::Hint;

/// The notice's rows under the footer, as many as it needs (within a third of the screen).
pub(super) fn notice(app: &App, theme: Theme, area: Rect) -> Vec<Line<'static>> {
    app.notice
        .as_ref()
        .map(|n| notice_rows(n, area))
        .unwrap_or_default()
        .into_iter()
        .map(|r| {
            let mut spans = vec![Span::raw(" ")];
            spans.extend(super::detail::line(r, theme).spans);
            Line::from(spans)
        })
        .collect()
}

pub(super) fn draw(
    frame: &mut Frame,
    form: &Form,
    hints: &[Hint],
    theme: Theme,
    area: Rect,
    notice: Vec<Line>,
) {
    let keys: Vec<Span> = hints
        .iter()
        .enumerate()
        .flat_map(
            |(
                k,
                Hint {
                    keys: key,
                    label: what,
                },
            )| {
                let sep = if k == 0 { " " } else { " · " };
                [
                    Span::styled(format!("{sep}{key}"), theme.heading()),
                    Span::styled(format!(" {what}"), theme.dim()),
                ]
            },
        )
        .collect();
    let n = form.error_count();
    let mut status = Vec::new();
    if n > 0 {
        let s = if n == 1 { "" } else { "s" };
        status.push(Span::styled(
            format!(" ✗ {n} error{s} — fix to save"),
            theme.error(),
        ));
    } else {
        status.push(Span::styled(" ✓ no errors", theme.active()));
    }
    if !form.lint.is_empty() {
        status.push(Span::styled(
            format!(" · ⚠ {} lint", form.lint.len()),
            theme.warning(),
        ));
    }
    if form.dirty() {
        status.push(Span::styled(" · unsaved (draft kept)", theme.dim()));
    }
    let [keys_area, status_area, notice_area] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(keys)).wrap(Wrap { trim: false }),
        keys_area,
    );
    frame.render_widget(Paragraph::new(Line::from(status)), status_area);
    frame.render_widget(Paragraph::new(notice), notice_area);
}
