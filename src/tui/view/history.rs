//! The history popup (a rule's journal entries: time, action, outcome and, for a write that
//! took effect, what it changed; scrollable) and the undo confirmation (what each revert will
//! do and change). Lines wrap rather than cut, so no change is hidden at any width.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::Theme;
use super::centered_box::{centered_box, scrolled_box};
use super::layout::{fitted_box, history_box, inner};
use crate::display::{display_width, truncate_to_width, wrap};
use crate::rule_diff::{Change, DiffLine};
use crate::tui::history::{HistoryView, UndoConfirm};

/// `text` wrapped to `width` columns, the first line after `lead`, the rest indented as far.
fn wrapped<'a>(lead: &str, text: &str, width: usize, style: Style) -> Vec<Line<'a>> {
    let indent = " ".repeat(display_width(lead));
    wrap(text, width.saturating_sub(indent.len()).max(1))
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let lead = if i == 0 {
                lead.to_string()
            } else {
                indent.clone()
            };
            Line::from(vec![Span::raw(lead), Span::styled(l, style)])
        })
        .collect()
}

/// A change line as the save review shows it: its sign and colour, wrapped under itself.
fn diff_lines<'a>(d: &DiffLine, indent: &str, width: usize, theme: Theme) -> Vec<Line<'a>> {
    let style = match d.change {
        Change::Added => theme.active(),
        Change::Removed => theme.error(),
        Change::Changed => theme.heading(),
    };
    let lead = format!("{indent}{} ", d.change.sign());
    let mut lines = wrapped(&lead, &d.text, width, Style::new());
    if let Some(first) = lines.first_mut()
        && let Some(sign) = first.spans.first_mut()
    {
        sign.style = style;
    }
    lines
}

pub fn draw(frame: &mut Frame, theme: Theme, area: Rect, h: &HistoryView) {
    let rect = history_box(area);
    let text_width = usize::from(rect.width.saturating_sub(4));
    // The app keeps the offset within the entries (`screen::clamp_scrolls`).
    scrolled_box(
        frame,
        theme,
        rect,
        format!(" {} ", truncate_to_width(&h.title, text_width)),
        lines(h, theme, inner(rect).width),
        h.scroll,
    );
}

/// The entries, one line each and one per changed field, cut to `width` columns: the rows the
/// popup scrolls over.
pub fn lines(h: &HistoryView, theme: Theme, width: u16) -> Vec<Line<'static>> {
    let text_width = usize::from(width.saturating_sub(2));
    let mut lines = Vec::new();
    match &h.items {
        None => lines.push(Line::styled(" reading the change journal…", theme.dim())),
        Some(items) if items.is_empty() => lines.extend(wrapped(
            " ",
            "no changes recorded for this rule (writes made outside zscore are not journaled)",
            text_width,
            theme.dim(),
        )),
        Some(items) => {
            for item in items {
                let outcome_style = match item.ok {
                    Some(true) => theme.active(),
                    _ => theme.error(),
                };
                let head = format!("#{} {} {} —", item.seq, item.time, item.action);
                let mut head = wrapped(" ", &head, text_width, theme.heading());
                let used = head.last().map_or(0, Line::width);
                // The outcome on the head's last line when it fits, else wrapped below it.
                match head.last_mut() {
                    Some(last) if used + 1 + display_width(&item.outcome) <= text_width => {
                        last.spans
                            .push(Span::styled(format!(" {}", item.outcome), outcome_style));
                        lines.extend(head);
                    }
                    _ => {
                        lines.extend(head);
                        lines.extend(wrapped("   ", &item.outcome, text_width, outcome_style));
                    }
                }
                for d in &item.diff {
                    lines.extend(diff_lines(d, "    ", text_width, theme));
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
            lines.extend(wrapped(
                " ",
                &format!("Undo {}? It will:", plan.title),
                text_width,
                theme.heading(),
            ));
            lines.push(Line::raw(""));
            let mut body = Vec::new();
            for step in &plan.steps {
                body.extend(wrapped(" ", &step.head, text_width, Style::new()));
                for d in &step.diff {
                    body.extend(diff_lines(d, "    ", text_width, theme));
                }
            }
            let room = usize::from(area.height.saturating_sub(8)).max(1);
            if body.len() > room {
                let more = body.len() - (room - 1);
                body.truncate(room - 1);
                body.push(Line::styled(
                    format!(" … {more} more line(s): H shows the rule's full history"),
                    theme.dim(),
                ));
            }
            lines.extend(body);
            lines.push(Line::raw(""));
            lines.push(Line::styled(" y undo · n or Esc cancel", theme.heading()));
        }
    }
    let block = Block::bordered()
        .title(" Undo ")
        .border_style(theme.border(true));
    let rect = fitted_box(area, width, lines.len());
    centered_box(frame, rect, block, Paragraph::new(lines));
}
