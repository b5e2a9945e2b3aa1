//! The three-way view of a refused save: every field of the rule as loaded (base), as the org
//! has it now (theirs) and as typed (yours), each marked with its state by a symbol as well as
//! colour (NO_COLOR), in three columns when wide and stacked when narrow; the keys in a footer.
//! Also the dialog for a rule deleted meanwhile.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::Theme;
use super::centered_box::centered_box;
use super::layout::{conflict_parts, fitted_box};
use crate::display::{pad_to_width, truncate_to_width};
use crate::domain::conflict::FieldState;
use crate::tui::form::conflict::{ConflictView, DeletedView, FieldRow};

/// At least this wide for three columns side by side.
const COLUMNS_FROM: u16 = 120;

fn state_text(state: FieldState) -> &'static str {
    match state {
        FieldState::Unchanged => "· unchanged",
        FieldState::Ours => "▶ yours",
        FieldState::Theirs => "◀ theirs",
        FieldState::BothSame => "= both, the same",
        FieldState::BothDifferent => "✗ conflict: both changed it",
    }
}

fn state_style(state: FieldState, theme: Theme) -> Style {
    match state {
        FieldState::Unchanged => theme.dim(),
        FieldState::Ours | FieldState::BothSame => theme.active(),
        FieldState::Theirs => theme.warning(),
        FieldState::BothDifferent => theme.error(),
    }
}

/// The fields in the three versions at `width` columns: the rows the body scrolls over.
pub fn body_lines(view: &ConflictView, theme: Theme, width: u16) -> Vec<Line<'static>> {
    if width >= COLUMNS_FROM {
        columns(view, theme, usize::from(width))
    } else {
        stacked(view, theme, usize::from(width))
    }
}

pub fn draw(frame: &mut Frame, view: &ConflictView, theme: Theme, area: Rect) {
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(" Changed by someone else — nothing was saved ")
        .border_style(theme.error());
    frame.render_widget(block, area);
    let [head, body, foot] = conflict_parts(area);
    let width = usize::from(body.width);
    let merge_note = match &view.merge.merged {
        Some(_) => "no field collides: theirs + mine can be re-applied",
        None => "both changed the same field: overwrite or discard",
    };
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(
                truncate_to_width(&format!(" The rule was {}.", view.who), width),
                theme.heading(),
            ),
            Line::raw(truncate_to_width(&format!(" {merge_note}"), width)),
        ]),
        head,
    );
    let lines = body_lines(view, theme, body.width);
    // The app keeps the offset within the fields (`screen::clamp_scrolls`).
    let top = usize::from(view.scroll);
    let below = lines.len() > top + usize::from(body.height);
    let more = match (top > 0, below) {
        (true, true) => " ▲ more above · ▼ more below",
        (true, false) => " ▲ more above",
        (false, true) => " ▼ more below (j/k scroll)",
        (false, false) => "",
    };
    frame.render_widget(Paragraph::new(lines).scroll((view.scroll, 0)), body);
    let keys = if view.asking_discard {
        " Discard your edits and the draft? y discard · n or Esc keep them".to_string()
    } else {
        let reapply = if view.merge.merged.is_some() {
            "r re-apply theirs + mine · "
        } else {
            ""
        };
        format!(" {reapply}o overwrite with yours · d discard · Esc back")
    };
    let key_style = if view.asking_discard {
        theme.error()
    } else {
        theme.heading()
    };
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(truncate_to_width(more, width), theme.dim()),
            Line::styled(truncate_to_width(&keys, width), key_style),
        ]),
        foot,
    );
}

fn row_heading(row: &FieldRow, theme: Theme, width: usize) -> Line<'static> {
    Line::from(vec![
        Span::styled(
            truncate_to_width(&format!(" {} ", row.field.label()), width),
            theme.heading(),
        ),
        Span::styled(state_text(row.state), state_style(row.state, theme)),
    ])
}

/// Base | theirs | yours, one column each, the longest side setting the row's height.
fn columns(view: &ConflictView, theme: Theme, width: usize) -> Vec<Line<'static>> {
    let col = width.saturating_sub(8) / 3;
    let cell = |s: &str| pad_to_width(&truncate_to_width(s, col), col);
    let mut lines = vec![Line::styled(
        format!(
            "   {} │ {} │ {}",
            cell("base (as loaded)"),
            cell("theirs (now)"),
            cell("yours")
        ),
        theme.dim(),
    )];
    for row in &view.rows {
        lines.push(row_heading(row, theme, width));
        let n = row.base.len().max(row.theirs.len()).max(row.yours.len());
        for i in 0..n {
            let at = |v: &Vec<String>| v.get(i).cloned().unwrap_or_default();
            lines.push(Line::raw(format!(
                "   {} │ {} │ {}",
                cell(&at(&row.base)),
                cell(&at(&row.theirs)),
                cell(&at(&row.yours))
            )));
        }
    }
    lines
}

/// Narrow screens: each side under the other; a field nobody changed shows its value once.
fn stacked(view: &ConflictView, theme: Theme, width: usize) -> Vec<Line<'static>> {
    let text = width.saturating_sub(12);
    let mut lines = Vec::new();
    for row in &view.rows {
        lines.push(row_heading(row, theme, width));
        let sides: Vec<(&str, &Vec<String>)> = if row.state == FieldState::Unchanged {
            vec![("all", &row.base)]
        } else {
            vec![
                ("base", &row.base),
                ("theirs", &row.theirs),
                ("yours", &row.yours),
            ]
        };
        for (label, values) in sides {
            for (i, v) in values.iter().enumerate() {
                let tag = if i == 0 { label } else { "" };
                lines.push(Line::from(vec![
                    Span::styled(format!("   {} ", pad_to_width(tag, 7)), theme.dim()),
                    Span::raw(truncate_to_width(v, text)),
                ]));
            }
        }
    }
    lines
}

pub fn deleted(frame: &mut Frame, view: &DeletedView, theme: Theme, area: Rect) {
    let mut lines = vec![
        Line::raw(" Someone else deleted this rule since you opened it."),
        Line::raw(" Nothing was saved; everything you typed is still in the form."),
        Line::raw(""),
    ];
    if view.asking_discard {
        lines.push(Line::styled(
            " Discard your edits and the draft? y discard · n or Esc keep them",
            theme.error(),
        ));
    } else {
        lines.push(Line::styled(
            " c re-create as a new rule · d discard · Esc back to the form",
            theme.heading(),
        ));
    }
    let block = Block::bordered()
        .title(" Rule deleted meanwhile ")
        .border_style(theme.error());
    let rect = fitted_box(area, 70, lines.len());
    centered_box(frame, rect, block, Paragraph::new(lines));
}
