//! The move dialog: first the layouts the rule can go to (with what each one's limits will do
//! to it), then the steps that will run, confirmed once with y; or, for a layout Zoho would
//! refuse the copy for, why, with no move offered.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::Theme;
use super::centered_box::centered_box;
use super::layout::fitted_box;
use crate::display::{sanitize, truncate_to_width, wrap};
use crate::tui::move_rule::{MoveDialog, Stage};

pub fn draw(frame: &mut Frame, theme: Theme, area: Rect, d: &MoveDialog) {
    let width = 72.min(area.width);
    let text_width = usize::from(width.saturating_sub(4));
    let mut lines = vec![Line::from(vec![
        Span::raw(" Move "),
        Span::styled(d.subject(), theme.heading()),
        Span::raw(format!(" from {} to:", sanitize(&d.from))),
    ])];
    lines.push(Line::raw(""));
    match d.stage {
        Stage::Pick => {
            for (i, t) in d.targets.iter().enumerate() {
                let marker = if i == d.cursor { "▶ " } else { "  " };
                let style = if i == d.cursor {
                    theme.selected(true)
                } else {
                    ratatui::style::Style::new()
                };
                lines.push(Line::styled(
                    format!(
                        " {marker}{}",
                        truncate_to_width(&sanitize(&t.label), text_width)
                    ),
                    style,
                ));
                // The refusal or warning under its layout, whole: it says why.
                let note = match (&t.refusal, &t.warning) {
                    (Some(r), _) => Some(format!("cannot move here: {r}")),
                    (None, Some(w)) => Some(w.clone()),
                    (None, None) => None,
                };
                if let Some(n) = note {
                    for l in wrap(&sanitize(&n), text_width.saturating_sub(4)) {
                        lines.push(Line::styled(format!("     {l}"), theme.error()));
                    }
                }
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                " j / k choose · Enter show the steps · Esc cancel",
                theme.heading(),
            ));
        }
        Stage::Steps => match d.target() {
            Some(t) if t.refusal.is_some() => {
                lines.push(Line::from(vec![
                    Span::raw("   "),
                    Span::styled(sanitize(&t.label), theme.heading()),
                ]));
                lines.push(Line::raw(""));
                let why = format!(
                    "Cannot move it to {}: {}. Nothing will be sent.",
                    sanitize(&t.label),
                    sanitize(t.refusal.as_deref().unwrap_or_default())
                );
                for l in wrap(&why, text_width) {
                    lines.push(Line::styled(format!(" {l}"), theme.error()));
                }
                lines.push(Line::raw(""));
                lines.push(Line::styled(" Esc cancel", theme.heading()));
            }
            t => {
                if let Some(t) = t {
                    lines.push(Line::from(vec![
                        Span::raw("   "),
                        Span::styled(sanitize(&t.label), theme.heading()),
                    ]));
                    if let Some(w) = &t.warning {
                        for l in wrap(&sanitize(w), text_width.saturating_sub(2)) {
                            lines.push(Line::styled(format!("   {l}"), theme.error()));
                        }
                    }
                    lines.push(Line::raw(""));
                }
                if let Some(order) = d.order() {
                    for l in wrap(&order, text_width) {
                        lines.push(Line::raw(format!(" {l}")));
                    }
                    lines.push(Line::raw(""));
                }
                for (i, step) in d.steps().iter().enumerate() {
                    for (j, l) in wrap(step, text_width.saturating_sub(4))
                        .into_iter()
                        .enumerate()
                    {
                        let lead = if j == 0 {
                            format!(" {}. ", i + 1)
                        } else {
                            "    ".to_string()
                        };
                        lines.push(Line::raw(format!("{lead}{l}")));
                    }
                }
                lines.push(Line::raw(""));
                for l in wrap(
                    "Each step is journaled; if one fails you are told which rules exist. u undoes the whole move.",
                    text_width,
                ) {
                    lines.push(Line::styled(format!(" {l}"), theme.dim()));
                }
                lines.push(Line::raw(""));
                lines.push(Line::styled(" y move · n or Esc cancel", theme.heading()));
            }
        },
    }
    let block = Block::bordered()
        .title(" Move rule ")
        .border_style(theme.border(true));
    let rect = fitted_box(area, width, lines.len());
    centered_box(frame, rect, block, Paragraph::new(lines));
}
