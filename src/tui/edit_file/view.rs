//! The edit's dialog: while the editor runs, a line saying so (seen only if the editor draws
//! nothing); the errors, each with its place; or the review, in the form's diff words.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{EditSession, EditStage};
use crate::display::{sanitize, wrap};
use crate::tui::view::Theme;
use crate::tui::view::centered_box::{centered_box, cut_to};
use crate::tui::view::layout::fitted_box;

pub fn draw(frame: &mut Frame, session: &EditSession, theme: Theme, area: Rect) {
    let width = area.width.saturating_sub(4).min(110);
    let text_width = usize::from(width.saturating_sub(4)).max(10);
    let (title, keys, border, mut lines) = match &session.stage {
        EditStage::Editing => (
            " Editing ",
            " the editor has the terminal ",
            theme.border(true),
            vec![Line::raw(" waiting for the editor to exit…")],
        ),
        EditStage::Errors(errors) => {
            let mut lines = vec![Line::raw(" The edited file cannot be sent:")];
            for e in errors {
                for (k, l) in wrap(&sanitize(e), text_width.saturating_sub(2))
                    .into_iter()
                    .enumerate()
                {
                    let lead = if k == 0 { " • " } else { "   " };
                    lines.push(Line::from(vec![
                        Span::styled(lead, theme.error()),
                        Span::raw(l),
                    ]));
                }
            }
            (
                " Edit not valid ",
                " Enter: back to the editor (your text as typed) · Esc: keep it in a file ",
                theme.error(),
                lines,
            )
        }
        EditStage::Review { rules, .. } => {
            let mut lines = Vec::new();
            for (name, diff) in rules {
                lines.push(Line::styled(
                    format!(" “{}”", sanitize(name)),
                    theme.heading(),
                ));
                if diff.is_empty() {
                    lines.push(Line::styled("   nothing changes", theme.dim()));
                }
                lines.extend(crate::tui::view::diff::diff_lines(diff, text_width, theme));
            }
            (
                " Save the edit? What changes ",
                " Enter: save · Esc: send nothing (the text is kept in a file) ",
                theme.border(true),
                lines,
            )
        }
    };
    // A long list is cut, never the keys: they sit in the bottom border.
    cut_to(
        &mut lines,
        usize::from(area.height.saturating_sub(2)).max(2),
        theme,
    );
    let block = Block::bordered()
        .title(title)
        .title_bottom(Line::styled(keys, theme.heading()))
        .border_style(border);
    let rect = fitted_box(area, width, lines.len());
    centered_box(frame, rect, block, Paragraph::new(lines));
}
