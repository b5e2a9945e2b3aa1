//! Popups drawn over the panes. Only the help overlay for now; the top popup takes every key.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::Theme;
use crate::display::pad_to_width;
use crate::tui::action::HELP;
use crate::tui::app::{App, Popup};

pub fn draw(frame: &mut Frame, app: &App, theme: Theme, area: Rect) {
    match app.popup {
        Some(Popup::Help) => help(frame, theme, area),
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
