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

/// `lines` cut to `room` (at least 1) rows, the last saying how many more there were.
pub fn cut_to(lines: &mut Vec<Line>, room: usize, theme: Theme) {
    if lines.len() > room {
        let more = lines.len() - (room - 1);
        lines.truncate(room - 1);
        lines.push(Line::styled(
            format!(" … and {more} more lines"),
            theme.dim(),
        ));
    }
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
