//! The history popup (a rule's journal entries: time, action, outcome and what changed,
//! scrollable) and the undo confirmation (what each revert will do, with the diffs).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::Theme;
use super::layout::{centered, history_box, inner};
use crate::display::{sanitize, truncate_to_width};
use crate::tui::history::{HistoryView, UndoConfirm};

pub fn draw(frame: &mut Frame, theme: Theme, area: Rect, h: &HistoryView) {
    let rect = history_box(area);
    let text_width = usize::from(rect.width.saturating_sub(4));
    let block = Block::bordered()
        .title(format!(" {} ", truncate_to_width(&h.title, text_width)))
        .title_bottom(Line::styled(
            " j / k PgDn / PgUp scroll · Esc close ",
            theme.dim(),
        ))
        .border_style(theme.border(true));
    frame.render_widget(Clear, rect);
    // The app keeps the offset within the entries (`screen::clamp_scrolls`).
    frame.render_widget(
        Paragraph::new(lines(h, theme, inner(rect).width))
            .block(block)
            .scroll((h.scroll, 0)),
        rect,
    );
}

/// The entries, one line each and one per changed field, cut to `width` columns: the rows the
/// popup scrolls over.
pub fn lines(h: &HistoryView, theme: Theme, width: u16) -> Vec<Line<'static>> {
    let text_width = usize::from(width.saturating_sub(2));
    let mut lines = Vec::new();
    match &h.items {
        None => lines.push(Line::styled(" reading the change journal…", theme.dim())),
        Some(items) if items.is_empty() => lines.push(Line::styled(
            " no changes recorded for this rule (writes made outside zscore are not journaled)",
            theme.dim(),
        )),
        Some(items) => {
            for item in items {
                let outcome_style = match item.ok {
                    Some(true) => theme.active(),
                    _ => theme.error(),
                };
                let head = format!("#{} {} {} ", item.seq, sanitize(&item.time), item.op);
                lines.push(Line::from(vec![
                    Span::styled(format!(" {head}"), theme.heading()),
                    Span::styled(
                        truncate_to_width(
                            &item.outcome,
                            text_width.saturating_sub(head.chars().count() + 1),
                        ),
                        outcome_style,
                    ),
                ]));
                for d in &item.diff {
                    lines.push(Line::raw(format!(
                        "    {}",
                        truncate_to_width(d, text_width.saturating_sub(4))
                    )));
                }
            }
        }
    }
    lines
}

pub fn confirm_undo(frame: &mut Frame, theme: Theme, area: Rect, c: &UndoConfirm) {
    let width = 90.min(area.width);
    let text_width = usize::from(width.saturating_sub(4));
    let mut lines = Vec::new();
    match &c.plan {
        None => lines.push(Line::styled(" reading the change journal…", theme.dim())),
        Some(plan) => {
            lines.push(Line::from(vec![
                Span::raw(" Undo "),
                Span::styled(
                    truncate_to_width(&plan.title, text_width.saturating_sub(6)),
                    theme.heading(),
                ),
                Span::raw("?"),
            ]));
            lines.push(Line::raw(""));
            let room = usize::from(area.height.saturating_sub(8));
            let shown = plan.lines.len().min(room.max(1));
            for l in &plan.lines[..shown] {
                lines.push(Line::raw(format!(
                    " {}",
                    truncate_to_width(&sanitize(l), text_width)
                )));
            }
            if shown < plan.lines.len() {
                lines.push(Line::styled(
                    format!(
                        " … {} more line(s): H shows the full history",
                        plan.lines.len() - shown
                    ),
                    theme.dim(),
                ));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(" y undo · n or Esc cancel", theme.heading()));
        }
    }
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(" Undo ")
                .border_style(theme.border(true)),
        ),
        rect,
    );
}
