//! The score lab's explanation (`w`): the record finder's query and matches on top, the
//! explanation's lines (rendered in `update`) below, scrolled.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::display::{sanitize, truncate_to_width, wrap};
use crate::tui::lab::explaining::Explaining;

pub const HINT: &str = " type to find a record · ↑/↓ PgUp/PgDn scroll · Esc back to the preview";
pub const HINT_FINDING: &str =
    " ↑/↓ choose · Enter explains it · Backspace edits · Esc clears the search";

pub fn draw(frame: &mut Frame, e: &Explaining, theme: Theme, area: Rect) {
    let width = usize::from(area.width.saturating_sub(2));
    // The matches take at most a third of the height, so the explanation stays in view.
    let room = usize::from(area.height / 3).max(1);
    let shown = e.matches.len().min(room);
    let finder_height = 1 + u16::try_from(shown).unwrap_or(0) + u16::from(e.match_count > shown);
    let [finder, body] =
        Layout::vertical([Constraint::Length(finder_height + 1), Constraint::Fill(1)]).areas(area);
    let mut lines = vec![query_line(e, theme, width)];
    let first = e.picked.saturating_sub(shown.saturating_sub(1));
    for (i, (label, _, score)) in e.matches.iter().enumerate().skip(first).take(shown) {
        let text = truncate_to_width(&format!(" {label}  score {score}"), width);
        lines.push(if i == e.picked {
            Line::styled(format!("›{text}"), theme.selected(true))
        } else {
            Line::raw(format!(" {text}"))
        });
    }
    if e.match_count > shown {
        lines.push(Line::styled(
            format!("   … {} more; type more of the name", e.match_count - shown),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), finder);
    let scroll = u16::try_from(e.scroll).unwrap_or(u16::MAX);
    let text: Vec<Line> = e
        .lines
        .iter()
        .flat_map(|l| hanging(l, width))
        .map(Line::raw)
        .collect();
    frame.render_widget(Paragraph::new(text).scroll((scroll, 0)), body);
}

/// `line` wrapped to `width` columns, its continuation rows indented two past its own indent,
/// so a long condition reads as one item under its field rule.
fn hanging(line: &str, width: usize) -> Vec<String> {
    let body = line.trim_start();
    let indent = 1 + line.len() - body.len();
    let lead = " ".repeat(indent);
    let rest = " ".repeat(indent + 2);
    wrap(body, width.saturating_sub(indent + 2).max(8))
        .into_iter()
        .enumerate()
        .map(|(i, row)| format!("{}{row}", if i == 0 { &lead } else { &rest }))
        .collect()
}

fn query_line(e: &Explaining, theme: Theme, width: usize) -> Line<'static> {
    if e.query.is_empty() {
        return Line::styled(
            truncate_to_width(" find a record: type part of its name", width),
            theme.dim(),
        );
    }
    let found = match e.match_count {
        0 => "no match".to_string(),
        1 => "1 match".to_string(),
        n => format!("{n} matches"),
    };
    Line::from(vec![
        Span::styled(" find a record: ", theme.heading()),
        Span::raw(format!("{}▏", sanitize(&e.query))),
        Span::styled(format!("  {found}"), theme.dim()),
    ])
}
