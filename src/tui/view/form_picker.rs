//! An open type-ahead list of the rule form, drawn under the focused input (over it when
//! there is no room below): the query in its title, one row per matching entry with its note
//! (type, API name, meaning), marks in a multi-select list, dead values flagged, and how many
//! entries match out of how many at the bottom.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::Theme;
use crate::display::{display_width, pad_to_width, sanitize, truncate_to_width};
use crate::tui::form::picker::Picker;

/// Most entries shown at once on a small screen; a tall one shows up to half its height.
const ROWS: usize = 12;

/// `input`: the focused input's row on screen; `area`: the form's body, the list stays in it.
pub fn draw(frame: &mut Frame, p: &Picker, theme: Theme, area: Rect, input: u16, column: u16) {
    let rows = p
        .shown
        .len()
        .clamp(1, ROWS.max(usize::from(area.height) / 2));
    let below = area.bottom().saturating_sub(input + 1);
    let above = input.saturating_sub(area.y);
    let want = u16::try_from(rows + 2).unwrap_or(u16::MAX);
    let (y, height) = if below >= want.min(8) || below >= above {
        (input + 1, want.min(below))
    } else {
        let h = want.min(above);
        (input - h, h)
    };
    if height < 3 {
        return;
    }
    let x = column.min(area.right().saturating_sub(30)).max(area.x);
    // A column left free before the form's border.
    let width = area.right().saturating_sub(x + 1).min(72);
    let box_ = Rect::new(x, y, width, height);
    let title = format!(" {} › {}▏ ", p.title, sanitize(&p.query));
    let count = format!(" {} of {} ", p.shown.len(), p.items.len());
    let block = Block::bordered()
        .title(Line::styled(
            truncate_to_width(&title, usize::from(width.saturating_sub(2))),
            theme.heading(),
        ))
        .title_bottom(Line::styled(count, theme.dim()))
        .border_style(theme.border(true));
    let inner = block.inner(box_);
    frame.render_widget(Clear, box_);
    frame.render_widget(block, box_);
    let visible = usize::from(inner.height);
    let offset = p.selected.saturating_sub(visible.saturating_sub(1));
    let w = usize::from(inner.width);
    let mut lines: Vec<Line> = p
        .shown
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .filter_map(|(k, &i)| Some((k, i, p.items.get(i)?)))
        .map(|(k, i, item)| {
            let on = k == p.selected;
            let mark = match (p.multi, p.marked.get(i).copied().unwrap_or(false)) {
                (false, _) => "",
                (true, true) => "[✓] ",
                (true, false) => "[ ] ",
            };
            let lead = format!("{}{mark}", if on { "▶ " } else { "  " });
            let note = if item.dead {
                format!("✗ {}", sanitize(&item.note))
            } else {
                sanitize(&item.note)
            };
            let label_room = w
                .saturating_sub(display_width(&lead))
                .saturating_sub(display_width(&note).min(w / 2) + 1)
                .max(4);
            let label = pad_to_width(
                &truncate_to_width(&sanitize(&item.label), label_room),
                label_room,
            );
            let note = truncate_to_width(
                &note,
                w.saturating_sub(display_width(&lead) + label_room + 1),
            );
            let style = if on {
                theme.selected(true)
            } else {
                ratatui::style::Style::new()
            };
            Line::from(vec![
                Span::styled(lead, style),
                Span::styled(label, style),
                Span::raw(" "),
                Span::styled(
                    note,
                    if item.dead {
                        theme.warning()
                    } else {
                        theme.dim()
                    },
                ),
            ])
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled(
            "  nothing matches: Backspace widens",
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
