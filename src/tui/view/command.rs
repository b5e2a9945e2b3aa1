//! The `:` command line at the bottom with its completions above it, `:find`'s results, and
//! the report of `:audit` / `:lint`. They only read what `update` worked out
//! (`tui::command`); the marker `›` shows the pick without colour.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::Theme;
use super::centered_box::{centered_box, scrolled_box};
use super::layout::{history_box, inner};
use crate::display::{display_width, pad_to_width, sanitize, truncate_to_width};
use crate::tui::app::{App, Popup};
use crate::tui::command::FoundView;
use crate::tui::command::run::ReportView;

/// Completions shown at most; the rest come into view as the pick moves.
const SHOWN: usize = 10;

/// The results and reports centred in `area`, the command line at the bottom of `main`.
pub fn draw(frame: &mut Frame, app: &App, theme: Theme, area: Rect, main: Rect) {
    match &app.popup {
        Some(Popup::Found(f)) => found(frame, theme, area, f),
        Some(Popup::Report(r)) => report(frame, theme, area, r),
        _ => {}
    }
    if app.commands.line.is_some() {
        line(frame, app, theme, main);
    }
}

fn line(frame: &mut Frame, app: &App, theme: Theme, area: Rect) {
    let Some(line) = &app.commands.line else {
        return;
    };
    let shown = line.completions.len().min(SHOWN);
    let height = (shown as u16 + 3).min(area.height);
    let rect = Rect::new(
        area.x,
        area.y + area.height.saturating_sub(height),
        area.width,
        height,
    );
    let text = inner(rect);
    let width = usize::from(text.width);
    // The pick stays in view: the window of completions ends at it when it is past the first.
    let first = line.selected.saturating_sub(shown.saturating_sub(1));
    let mut lines: Vec<Line> = Vec::with_capacity(shown + 1);
    if line.completions.is_empty() {
        lines.push(Line::styled(" no command or rule matches", theme.dim()));
    }
    let window = || line.completions.iter().enumerate().skip(first).take(shown);
    // Labels in one column, as wide as the widest shown (at most half the box).
    let column = window()
        .map(|(_, c)| display_width(&c.label))
        .max()
        .unwrap_or(0)
        .min((width / 2).max(12));
    for (i, c) in window() {
        let picked = i == line.selected;
        let mark = if picked { "› " } else { "  " };
        let label = pad_to_width(&truncate_to_width(&c.label, column), column);
        let used = display_width(mark) + display_width(&label) + 2;
        let note = truncate_to_width(&c.note, width.saturating_sub(used));
        let style = theme.selected(picked);
        lines.push(Line::from(vec![
            Span::styled(
                format!("{mark}{label}"),
                if picked { style } else { Default::default() },
            ),
            Span::raw("  "),
            Span::styled(note, theme.dim()),
        ]));
    }
    // The end of what is typed stays in view, with the cursor after it.
    let typed = sanitize(&line.input);
    let room = width.saturating_sub(3);
    let tail: String = {
        let mut chars: Vec<char> = typed.chars().collect();
        while display_width(&chars.iter().collect::<String>()) > room && !chars.is_empty() {
            chars.remove(0);
        }
        chars.into_iter().collect()
    };
    lines.push(Line::from(vec![
        Span::styled(":", theme.heading()),
        Span::raw(tail),
        Span::styled("▏", theme.heading()),
    ]));
    let block = Block::bordered()
        .title(" Command ")
        .title_bottom(Line::styled(
            " Tab complete · ↑↓ recall · ^N/^P pick · ^U clear · Enter run · Esc ",
            theme.dim(),
        ))
        .border_style(theme.border(true));
    centered_box(frame, rect, block, Paragraph::new(lines));
}

/// Hits shown at once in `text` (the results' box inside its border): two rows each.
pub fn found_visible(text: Rect) -> u16 {
    (text.height / 2).max(1)
}

fn found(frame: &mut Frame, theme: Theme, area: Rect, f: &FoundView) {
    let rect = history_box(area);
    let text = inner(rect);
    let width = usize::from(text.width);
    let visible = usize::from(found_visible(text));
    let first = f.selected.saturating_sub(visible.saturating_sub(1));
    let mut lines: Vec<Line> = Vec::new();
    if f.hits.is_empty() {
        lines.push(Line::styled(" no rule matches", theme.dim()));
    }
    for (i, hit) in f.hits.iter().enumerate().skip(first).take(visible) {
        let picked = i == f.selected;
        let mark = if picked { "› " } else { "  " };
        let name = truncate_to_width(&hit.name, (width * 3 / 5).max(10));
        let used = display_width(mark) + display_width(&name) + 3;
        let place = truncate_to_width(&hit.place, width.saturating_sub(used));
        lines.push(Line::from(vec![
            Span::styled(
                format!("{mark}{name}"),
                if picked {
                    theme.selected(true)
                } else {
                    theme.heading()
                },
            ),
            Span::styled(format!(" — {place}"), theme.dim()),
        ]));
        lines.push(Line::raw(format!(
            "    {}",
            truncate_to_width(&hit.part, width.saturating_sub(4))
        )));
    }
    let count = match f.hits.len() {
        1 => "1 rule".to_string(),
        n => format!("{n} rules"),
    };
    let title = truncate_to_width(
        &format!(" Find “{}” · {count} ", f.query),
        width.saturating_sub(2),
    );
    let block = Block::bordered()
        .title(title)
        .title_bottom(Line::styled(
            " j / k move · Enter go to the rule · Esc close ",
            theme.dim(),
        ))
        .border_style(theme.border(true));
    centered_box(frame, rect, block, Paragraph::new(lines));
}

fn report(frame: &mut Frame, theme: Theme, area: Rect, r: &ReportView) {
    let rect = history_box(area);
    let lines: Vec<Line> = r.lines.iter().map(|l| Line::raw(l.as_str())).collect();
    let title = format!(" {} ", r.title);
    scrolled_box(frame, theme, rect, title, lines, r.scroll);
}
