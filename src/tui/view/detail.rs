//! The rule detail pane: the selected rule as `tui::detail` prepared it in state, wrapped to the
//! pane's width and drawn from the scroll offset the app keeps within it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::Theme;
use super::panes::{block, placeholder};
use crate::tui::app::{App, Pane};
use crate::tui::detail::wrap_width;
use crate::tui::text::{Row, Tone};

pub fn draw(frame: &mut Frame, app: &App, theme: Theme, area: Rect) {
    let block = block(app, theme, Pane::Detail, area.width);
    if let Some(lines) = placeholder(app, theme, Pane::Detail) {
        frame.render_widget(
            Paragraph::new(lines)
                .block(block)
                .wrap(Wrap { trim: false }),
            area,
        );
        return;
    }
    let inner = block.inner(area);
    // Only the rows on screen become lines: a long detail costs nothing below the fold.
    let lines: Vec<Line> = app
        .detail_rows(wrap_width(inner.width))
        .iter()
        .skip(usize::from(app.detail_scroll))
        .take(usize::from(inner.height))
        .map(|r| line(r.clone(), theme))
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// A row of tone-tagged text in the theme's styles.
pub fn line(row: Row, theme: Theme) -> Line<'static> {
    Line::from(
        row.into_iter()
            .map(|(tone, text)| Span::styled(text, style(tone, theme)))
            .collect::<Vec<_>>(),
    )
}

pub fn style(tone: Tone, theme: Theme) -> Style {
    match tone {
        Tone::Plain => Style::new(),
        Tone::Heading => theme.heading(),
        Tone::Dim => theme.dim(),
        Tone::Active => theme.active(),
        Tone::Inactive => theme.inactive(),
        Tone::Error => theme.error(),
    }
}
