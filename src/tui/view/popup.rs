//! Popups drawn over the panes: the help overlay, the delete confirmation, the confirmation of
//! a clone or an execution, and an execution's progress (the other dialogs have their own
//! files). The top popup takes every key.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::Theme;
use super::centered_box::{centered_box, scrolled_box};
use super::layout::{centered, fitted_box, help_box};
use crate::display::pad_to_width;
use crate::display::{sanitize, truncate_to_width, wrap};
use crate::lab::expected::Difference;
use crate::tui::app::{App, ConfirmDelete, Popup};
use crate::tui::exec::ExecRun;
use crate::tui::exec_verify::difference_text;
use crate::tui::write_keys::WriteConfirm;
use ratatui::widgets::Gauge;

pub fn draw(frame: &mut Frame, app: &App, theme: Theme, area: Rect) {
    match &app.popup {
        Some(Popup::Help(scroll)) => help(
            frame,
            app,
            theme,
            super::layout::main_area(app, area),
            *scroll,
        ),
        Some(Popup::ConfirmDelete(c)) => confirm_delete(frame, theme, area, c),
        Some(Popup::Execute(run)) => execute(frame, theme, area, run),
        Some(Popup::RestoreDraft(d)) => super::diff::restore_draft(frame, theme, area, d),
        Some(Popup::Move(d)) => super::move_dialog::draw(frame, theme, area, d),
        Some(Popup::ConfirmUndo(c)) => super::history::confirm_undo(frame, theme, area, c),
        Some(Popup::History(h)) => super::history::draw(frame, theme, area, h),
        Some(Popup::ConfirmWrite(c)) => confirm_write(frame, theme, area, c),
        Some(Popup::Notice(n)) => notice(frame, theme, area, n),
        Some(Popup::Bulk(d)) => super::bulk::draw(frame, theme, area, d),
        Some(Popup::EditFile(e)) => crate::tui::edit_file::draw(frame, e, theme, area),
        // Drawn with the command line (`view::command`).
        Some(Popup::Found(_) | Popup::Report(_)) | None => {}
    }
}

/// Grouped rows in a scrolling box: the body scrolls under a fixed title and a bottom line
/// saying where you are and whether there is more above or below.
fn help(frame: &mut Frame, app: &App, theme: Theme, main: Rect, scroll: u16) {
    let text = &app.keys.text;
    let keys_width = text
        .overlay
        .iter()
        .flat_map(|g| g.rows.iter())
        .map(|r| crate::display::display_width(&r.keys))
        .max()
        .unwrap_or(0);
    let mut lines: Vec<Line> = Vec::with_capacity(text.overlay_lines());
    for (i, group) in text.overlay.iter().enumerate() {
        if i > 0 {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(format!(" {}", group.title), theme.dim()));
        for row in &group.rows {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("   {} ", pad_to_width(&row.keys, keys_width)),
                    theme.heading(),
                ),
                Span::raw(row.text),
            ]));
        }
    }
    let total = lines.len();
    // Over the panes: the status lines stay readable below the help.
    let rect = help_box(main, total);
    let visible = usize::from(rect.height.saturating_sub(2));
    // The app keeps the offset within the rows (`screen::clamp_scrolls`).
    let top = usize::from(scroll);
    let bottom = (top + visible).min(total);
    let mut status = if total <= visible {
        format!(" {total} rows · Esc or ? closes ")
    } else {
        format!(" rows {}–{bottom} of {total} · Esc or ? closes ", top + 1)
    };
    if bottom < total {
        status.insert_str(0, " ▼ more below ·");
    }
    if top > 0 {
        status.insert_str(0, " ▲ more above ·");
    }
    let mut block = Block::bordered()
        .title(" Keys ")
        .title_bottom(Line::styled(status, theme.dim()))
        .border_style(theme.border(true));
    if total > visible {
        block = block
            .title(Line::styled(" j/k ↓/↑ PgUp/PgDn g/G scroll ", theme.dim()).right_aligned());
    }
    centered_box(
        frame,
        rect,
        block,
        Paragraph::new(lines).scroll((scroll, 0)),
    );
}

/// Names the rule, says what else goes with it, and what to press. Zoho deletes a rule's custom
/// fields along with it; that is data loss beyond the rule, so it is spelled out. Undo (`u`)
/// re-creates the rule under a new id, and the dialog says so: nothing it says is contradicted
/// by the status line after.
fn confirm_delete(frame: &mut Frame, theme: Theme, area: Rect, c: &ConfirmDelete) {
    let width = 64.min(area.width);
    let text_width = usize::from(width.saturating_sub(4));
    let mut lines = vec![Line::from(vec![
        Span::raw(" Delete the rule "),
        Span::styled(format!("“{}”", sanitize(&c.name)), theme.heading()),
        Span::raw("?"),
    ])];
    for l in wrap(
        "u undoes it by re-creating the rule under a new id.",
        text_width,
    ) {
        lines.push(Line::raw(format!(" {l}")));
    }
    if c.needs_typing() {
        lines.push(Line::raw(""));
        let warning = format!(
            "The data in its custom fields is gone for good: Zoho deletes {} with the rule, and an undo re-creates them empty.",
            c.custom_fields.join(", ")
        );
        for l in wrap(&warning, text_width) {
            lines.push(Line::styled(format!(" {l}"), theme.error()));
        }
        lines.push(Line::raw(""));
        lines.push(Line::raw(
            " Type the rule's name, then Enter (Esc cancels):",
        ));
        lines.push(Line::from(vec![
            Span::raw(" > "),
            Span::styled(format!("{}▏", sanitize(&c.typed)), theme.heading()),
        ]));
    } else {
        lines.push(Line::raw(""));
        lines.push(Line::styled(" y delete · n or Esc cancel", theme.heading()));
    }
    let block = Block::bordered()
        .title(" Delete rule ")
        .border_style(theme.error());
    let rect = fitted_box(area, width, lines.len());
    centered_box(frame, rect, block, Paragraph::new(lines));
}

/// A clone or an execution waiting for y: the question, then what it reaches.
fn confirm_write(frame: &mut Frame, theme: Theme, area: Rect, c: &WriteConfirm) {
    let width = 72.min(area.width);
    let text_width = usize::from(width.saturating_sub(4));
    let mut lines = Vec::new();
    for (i, text) in c.lines.iter().enumerate() {
        let style = if i == 0 {
            theme.heading()
        } else {
            ratatui::style::Style::new()
        };
        if i > 0 {
            lines.push(Line::raw(""));
        }
        for l in wrap(text, text_width) {
            lines.push(Line::styled(format!(" {l}"), style));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(format!(" {}", c.keys), theme.heading()));
    let block = Block::bordered()
        .title(format!(" {} ", c.title))
        .border_style(theme.border(true));
    let rect = fitted_box(area, width, lines.len());
    centered_box(frame, rect, block, Paragraph::new(lines));
}

/// A gauge with the stage, then one line per request. Esc stops sending while requests are
/// left, then closes; what Zoho already scheduled runs on either way, and the view says so.
fn execute(frame: &mut Frame, theme: Theme, area: Rect, run: &ExecRun) {
    let differing = run.differing();
    // Records still different need room for a name, an id and the scores of each rule.
    let width = if differing.is_empty() { 70 } else { 110 }.min(area.width);
    let text_width = usize::from(width.saturating_sub(4));
    let wrapped = |text: &str| -> Vec<Line> {
        wrap(text, text_width.saturating_sub(1))
            .into_iter()
            .map(|l| Line::raw(format!(" {l}")))
            .collect()
    };
    let mut lines: Vec<Line> = wrapped(&run.stage());
    lines.push(Line::raw(""));
    for i in 0..run.chunks.len() {
        let text = format!("request {}: {}", i + 1, sanitize(&run.chunk_text(i)));
        lines.push(Line::raw(format!(
            " {}",
            truncate_to_width(&text, text_width)
        )));
    }
    if let Some(v) = &run.verification {
        lines.push(Line::raw(""));
        lines.extend(wrapped(&v.text()));
    }
    // Borders, the gauge, the blank line and the hint take 5 rows; the records get the rest.
    let room = usize::from(area.height)
        .saturating_sub(lines.len() + 5)
        .max(1);
    let shown: Vec<&Difference> = differing.iter().skip(run.scroll).collect();
    let fits = if shown.len() > room {
        room.saturating_sub(1)
    } else {
        shown.len()
    };
    for d in &shown[..fits] {
        let text = format!("≠ {}", difference_text(d));
        lines.push(Line::raw(format!(
            " {}",
            truncate_to_width(&text, text_width)
        )));
    }
    if fits < shown.len() {
        lines.push(Line::styled(
            format!(" … {} more (j / k scroll)", shown.len() - fits),
            theme.dim(),
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(run.hint(), theme.dim()));
    let height = u16::try_from(lines.len() + 3).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(format!(" {} ", truncate_to_width(&run.title, text_width)))
        .border_style(theme.border(true));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [gauge, text] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    frame.render_widget(
        Gauge::default()
            .gauge_style(theme.active())
            .use_unicode(true)
            .ratio(run.ratio()),
        gauge,
    );
    frame.render_widget(Paragraph::new(lines), text);
}

/// A notice too long for the status bar, whole, scrolled from the offset the app keeps.
fn notice(frame: &mut Frame, theme: Theme, area: Rect, n: &crate::tui::notice::NoticeView) {
    let rect = super::layout::history_box(area);
    let text = super::layout::inner(rect);
    let lines: Vec<Line> = super::layout::whole_notice_rows(&n.notice, text.width)
        .into_iter()
        .map(|r| super::detail::line(r, theme))
        .collect();
    scrolled_box(frame, theme, rect, " Notice ".into(), lines, n.scroll);
}
