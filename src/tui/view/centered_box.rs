//! The box dialogs and popups are drawn in: bordered, centred over the panes or the form,
//! clearing what was under it. One function draws it, so every dialog clears, borders and
//! scrolls the same way; where it goes is `layout`'s (`fitted_box`, `history_box`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use super::Theme;

/// The bottom line of a box whose text scrolls.
const SCROLL_KEYS: &str = " j / k PgDn / PgUp scroll · Esc close ";

/// Draws `body` inside `block` at `rect`, over whatever was drawn there before.
pub fn centered_box(frame: &mut Frame, rect: Rect, block: Block, body: Paragraph) {
    frame.render_widget(Clear, rect);
    frame.render_widget(body.block(block), rect);
}

/// A box whose `lines` scroll down `scroll` rows (an offset the app keeps within them), titled
/// `title`, with the scroll keys in its bottom border, at `rect`.
pub fn scrolled_box(
    frame: &mut Frame,
    theme: Theme,
    rect: Rect,
    title: String,
    lines: Vec<Line>,
    scroll: u16,
) {
    let block = Block::bordered()
        .title(title)
        .title_bottom(Line::styled(SCROLL_KEYS, theme.dim()))
        .border_style(theme.border(true));
    centered_box(
        frame,
        rect,
        block,
        Paragraph::new(lines).scroll((scroll, 0)),
    );
}
