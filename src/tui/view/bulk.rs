//! The dialog of a change to the marked rules: the question of a mixed `a`, the plan (every
//! step, the rules left alone, the limit) with its keys, the progress, and the report. The
//! lines are worked out in `update` (`marks::dialog`); this only lays them out.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::Theme;
use super::layout::centered;
use crate::display::{sanitize, truncate_to_width, wrap};
use crate::tui::marks::dialog::DELETE_WORD;
use crate::tui::marks::{BulkDialog, Stage};

pub fn draw(frame: &mut Frame, theme: Theme, area: Rect, d: &BulkDialog) {
    let width = 100.min(area.width);
    let text_width = usize::from(width.saturating_sub(4));
    let wrapped = |text: &str| -> Vec<String> { wrap(text, text_width) };
    let mut head: Vec<Line> = Vec::new();
    match &d.stage {
        Stage::Choose { active, inactive } => {
            for l in wrapped(&format!(
                "The marks hold {active} active and {inactive} inactive rule(s): activate the inactive ones, or deactivate the active ones?"
            )) {
                head.push(Line::styled(format!(" {l}"), theme.heading()));
            }
        }
        Stage::Plan => {
            if let Some(limit) = d.plan.as_ref().and_then(|p| p.limit.as_ref()) {
                for l in wrapped(&format!("limit: {}", limit.text)) {
                    head.push(Line::styled(format!(" {l}"), theme.error()));
                }
            }
        }
        Stage::Sending { checking, .. } => {
            let (done, total) = d.progress().unwrap_or_default();
            let text = if *checking {
                format!("{done} / {total} answered · reading the rules to say what exists now…")
            } else {
                format!("sending: {done} / {total} answered…")
            };
            head.push(Line::styled(format!(" {text}"), theme.heading()));
        }
        Stage::Done { summary, ok } => {
            let style = if *ok { theme.heading() } else { theme.error() };
            for l in wrapped(summary) {
                head.push(Line::styled(format!(" {l}"), style));
            }
        }
    }
    let mut foot: Vec<Line> = Vec::new();
    if d.needs_typing() {
        foot.push(Line::from(vec![
            Span::raw(format!(" Type “{DELETE_WORD}” to delete: ")),
            Span::styled(format!("{}▏", sanitize(&d.typed)), theme.heading()),
        ]));
    }
    for l in wrapped(&d.keys()) {
        foot.push(Line::styled(format!(" {l}"), theme.heading()));
    }
    // Borders and the blank lines around the body take 4 rows; the body gets what is left.
    let room = usize::from(area.height)
        .saturating_sub(head.len() + foot.len() + 4)
        .max(1);
    let top = usize::from(d.scroll).min(d.lines.len().saturating_sub(1));
    let body: Vec<&String> = d.lines.iter().skip(top).collect();
    let fits = if body.len() > room {
        room.saturating_sub(1)
    } else {
        body.len()
    };
    let mut lines = head;
    if !lines.is_empty() && !d.lines.is_empty() {
        lines.push(Line::raw(""));
    }
    for l in &body[..fits] {
        lines.push(Line::raw(format!(" {}", truncate_to_width(l, text_width))));
    }
    if fits < body.len() {
        lines.push(Line::styled(
            format!(" … {} more line(s) (j / k scroll)", body.len() - fits),
            theme.dim(),
        ));
    }
    lines.push(Line::raw(""));
    lines.extend(foot);
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    let border = if d
        .plan
        .as_ref()
        .is_some_and(|p| p.op == crate::bulk::Operation::Delete)
    {
        theme.error()
    } else {
        theme.border(true)
    };
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(format!(" {} ", truncate_to_width(&d.title, text_width)))
                .border_style(border),
        ),
        rect,
    );
}
