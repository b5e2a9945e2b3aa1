//! The dialog of a change to the marked rules: the question of a mixed `a`, the plan (every
//! step, the rules left alone, the limit) with its keys, the progress, and the report. The
//! lines are worked out in `update` (`marks::dialog`); this only lays them out.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::Theme;
use super::centered_box::centered_box;
use super::layout::fitted_box;
use crate::display::{sanitize, truncate_to_width, wrap};
use crate::tui::marks::dialog::DELETE_WORD;
use crate::tui::marks::{BulkDialog, Stage};

/// What a delete loses beyond the rules, and what `u` gives back.
const DELETE_WARNING: &str = "Zoho deletes each rule's custom fields with it, and their data is gone for good; u re-creates the rules (under new ids) and their fields, empty.";

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
            if d.plan
                .as_ref()
                .is_some_and(|p| p.op == crate::bulk::Operation::Delete)
            {
                for l in wrapped(DELETE_WARNING) {
                    head.push(Line::styled(format!(" {l}"), theme.error()));
                }
            }
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
    // Each line of the plan wrapped, its continuation indented; scrolled by whole lines.
    let top = usize::from(d.scroll).min(d.lines.len().saturating_sub(1));
    let mut body: Vec<String> = Vec::new();
    let mut shown = 0;
    for l in d.lines.iter().skip(top) {
        let indent = l.len() - l.trim_start().len();
        let pad = " ".repeat(indent);
        let parts = wrap(l.trim_start(), text_width.saturating_sub(indent + 3).max(1));
        if body.len() + parts.len() > room.saturating_sub(1) && shown + top + 1 < d.lines.len() {
            break;
        }
        for (i, part) in parts.into_iter().enumerate() {
            body.push(if i == 0 {
                format!("{pad}{part}")
            } else {
                format!("{pad}   {part}")
            });
        }
        shown += 1;
    }
    let mut lines = head;
    if !lines.is_empty() && !d.lines.is_empty() {
        lines.push(Line::raw(""));
    }
    for l in body.iter().take(room) {
        lines.push(Line::raw(format!(" {}", truncate_to_width(l, text_width))));
    }
    let left = d.lines.len() - top - shown;
    if left > 0 {
        lines.push(Line::styled(
            format!(" … {left} more line(s) (j / k scroll)"),
            theme.dim(),
        ));
    }
    lines.push(Line::raw(""));
    lines.extend(foot);
    let rect = fitted_box(area, width, lines.len());
    let border = if d
        .plan
        .as_ref()
        .is_some_and(|p| p.op == crate::bulk::Operation::Delete)
    {
        theme.error()
    } else {
        theme.border(true)
    };
    let block = Block::bordered()
        .title(format!(" {} ", truncate_to_width(&d.title, text_width)))
        .border_style(border);
    centered_box(frame, rect, block, Paragraph::new(lines));
}
