//! Dialogs of the rule form: the diff a save will send (`+` added, `-` removed, `~` changed,
//! coloured and marked), the questions before typed changes are lost, a save error that names
//! no input, and at start the offer to restore a draft.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::Theme;
use super::centered_box::{centered_box, cut_to};
use super::layout::fitted_box;
use crate::display::{sanitize, wrap};
use crate::rule_diff::{Change, DiffLine};
use crate::tui::form::draft::Draft;
use crate::tui::form::{Ask, Form, Stage};

pub fn form_dialog(frame: &mut Frame, form: &Form, theme: Theme, area: Rect) {
    match &form.stage {
        Stage::Editing | Stage::Saving { .. } => {}
        Stage::Conflict(view) => super::conflict::draw(frame, view, theme, area),
        Stage::Deleted(view) => super::conflict::deleted(frame, view, theme, area),
        Stage::Review(lines) => review(frame, form, lines, theme, area),
        Stage::Ask(Ask::Discard) => dialog(
            frame,
            theme,
            area,
            " Unsaved changes ",
            vec![
                " Close the form and throw away your changes?".into(),
                " The draft is deleted too.".into(),
            ],
            " y discard · n or Esc keep editing",
            theme.error(),
        ),
        Stage::Ask(Ask::Quit) => dialog(
            frame,
            theme,
            area,
            " Quit? ",
            vec![
                " The form has unsaved changes.".into(),
                " They stay in a draft that the next start offers to restore.".into(),
            ],
            " y quit · n or Esc keep editing",
            theme.border(true),
        ),
        Stage::Ask(Ask::RemoveFieldRule(i)) => {
            let n = form
                .data
                .field_rules
                .get(*i)
                .map_or(0, |f| f.criteria.rows.len());
            let s = if n == 1 { "" } else { "s" };
            dialog(
                frame,
                theme,
                area,
                " Remove field rule? ",
                vec![
                    format!(" Remove field rule #{} with its {n} condition{s}?", i + 1),
                    " To remove one condition, Ctrl-D on it (while it has others).".into(),
                ],
                " y remove · n or Esc keep it",
                theme.error(),
            );
        }
        Stage::Failed(text) => {
            let width = usize::from(area.width.min(70).saturating_sub(4));
            let lines = wrap(&format!("Not saved: {text}"), width)
                .into_iter()
                .map(|l| format!(" {l}"))
                .collect();
            dialog(
                frame,
                theme,
                area,
                " Save failed ",
                lines,
                " Enter or Esc: back to the form (nothing typed is lost)",
                theme.error(),
            );
        }
    }
}

fn dialog(
    frame: &mut Frame,
    theme: Theme,
    area: Rect,
    title: &str,
    text: Vec<String>,
    keys: &str,
    border: Style,
) {
    let mut lines: Vec<Line> = text.into_iter().map(Line::raw).collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(keys.to_string(), theme.heading()));
    let block = Block::bordered()
        .title(title.to_string())
        .border_style(border);
    let rect = fitted_box(area, 70, lines.len());
    let body = Paragraph::new(lines).wrap(Wrap { trim: false });
    centered_box(frame, rect, block, body);
}

/// A review's lines: each change signed (`+`, `-`, `~`) and coloured, wrapped to `width`
/// columns with the sign's column kept free under it. The form's review and the editor's
/// (`edit_file`) both show changes this way.
pub fn diff_lines(diff: &[DiffLine], width: usize, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for d in diff {
        let style = match d.change {
            Change::Added => theme.active(),
            Change::Removed => theme.error(),
            Change::Changed => theme.heading(),
        };
        for (k, l) in wrap(&d.text, width.saturating_sub(2))
            .into_iter()
            .enumerate()
        {
            let sign = if k == 0 { d.change.sign() } else { ' ' };
            lines.push(Line::from(vec![
                Span::styled(format!(" {sign} "), style),
                Span::raw(l),
            ]));
        }
    }
    lines
}

fn review(frame: &mut Frame, form: &Form, diff: &[DiffLine], theme: Theme, area: Rect) {
    let width = area.width.saturating_sub(4).min(110);
    let text_width = usize::from(width.saturating_sub(4));
    let verb = if form.is_create() { "Create" } else { "Save" };
    let mut lines = Vec::new();
    if diff.is_empty() {
        lines.push(Line::styled(" nothing changes", theme.dim()));
    }
    lines.extend(diff_lines(diff, text_width, theme));
    // A long diff is cut, never the keys: they sit in the bottom border.
    cut_to(
        &mut lines,
        usize::from(area.height.saturating_sub(2)).max(1),
        theme,
    );
    let name = sanitize(&form.data.name);
    let block = Block::bordered()
        .title(format!(" {verb} “{name}”: what changes "))
        .title_bottom(Line::styled(
            format!(" Enter: {} · Esc: back to the form ", verb.to_lowercase()),
            theme.heading(),
        ))
        .border_style(theme.border(true));
    let rect = fitted_box(area, width, lines.len());
    centered_box(frame, rect, block, Paragraph::new(lines));
}

pub fn restore_draft(frame: &mut Frame, theme: Theme, area: Rect, d: &Draft) {
    let when = chrono::DateTime::parse_from_rfc3339(&d.saved_at)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|_| sanitize(&d.saved_at));
    let name = if d.data.name.is_empty() {
        "(no name yet)".to_string()
    } else {
        format!("“{}”", sanitize(&d.data.name))
    };
    dialog(
        frame,
        theme,
        area,
        " Unsaved draft ",
        vec![
            format!(" A form was left unsaved at {when}:"),
            format!(" {}, named {name}.", d.describe()),
        ],
        " r restore · d discard · Esc decide later",
        theme.border(true),
    );
}
