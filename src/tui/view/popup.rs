//! Popups drawn over the panes: the help overlay and the delete confirmation. The top popup
//! takes every key.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::Theme;
use crate::display::pad_to_width;
use crate::display::{sanitize, wrap};
use crate::tui::action::HELP;
use crate::tui::app::{App, ConfirmDelete, Popup};

pub fn draw(frame: &mut Frame, app: &App, theme: Theme, area: Rect) {
    match &app.popup {
        Some(Popup::Help) => help(frame, theme, area),
        Some(Popup::ConfirmDelete(c)) => confirm_delete(frame, theme, area, c),
        None => {}
    }
}

fn help(frame: &mut Frame, theme: Theme, area: Rect) {
    let keys_width = HELP
        .iter()
        .map(|(k, _)| crate::display::display_width(k))
        .max()
        .unwrap_or(0);
    let mut lines: Vec<Line> = HELP
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(
                    format!(" {} ", pad_to_width(k, keys_width)),
                    theme.heading(),
                ),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(" Esc or ? closes this help", theme.dim()));
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, 72, height);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(" Keys ")
                .border_style(theme.border(true)),
        ),
        rect,
    );
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [rect] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    rect
}

/// Names the rule, says what else goes with it, and what to press. Zoho deletes a rule's custom
/// fields along with it; that is data loss beyond the rule, so it is spelled out.
fn confirm_delete(frame: &mut Frame, theme: Theme, area: Rect, c: &ConfirmDelete) {
    let width = 64.min(area.width);
    let text_width = usize::from(width.saturating_sub(4));
    let mut lines = vec![Line::from(vec![
        Span::raw(" Delete the rule "),
        Span::styled(format!("“{}”", sanitize(&c.name)), theme.heading()),
        Span::raw("?"),
    ])];
    lines.push(Line::raw(" This cannot be undone."));
    if c.needs_typing() {
        lines.push(Line::raw(""));
        let warning = format!(
            "Zoho deletes the rule's custom fields with it: {}.",
            c.custom_fields.join(", ")
        );
        for l in wrap(&warning, text_width) {
            lines.push(Line::styled(format!(" {l}"), theme.error()));
        }
        lines.push(Line::raw(""));
        lines.push(Line::raw(
            " Type the rule's name, then Enter (Esc cancels):",
        ));
        lines.push(Line::from(vec![
            Span::raw(" > "),
            Span::styled(format!("{}▏", sanitize(&c.typed)), theme.heading()),
        ]));
    } else {
        lines.push(Line::raw(""));
        lines.push(Line::styled(" y delete · n or Esc cancel", theme.heading()));
    }
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(" Delete rule ")
                .border_style(theme.error()),
        ),
        rect,
    );
}
