//! The three list panes. Each row is built at the pane's exact width with the display helpers,
//! so wide characters (CJK, emoji) in org text never push a column out of line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

use super::Theme;
use crate::display::{display_width, pad_to_width, sanitize, truncate_to_width};
use crate::tui::app::{App, Pane};
use crate::tui::select::{module_label, score_span};

pub fn title(pane: Pane) -> &'static str {
    match pane {
        Pane::Modules => "Modules",
        Pane::Layouts => "Layouts",
        Pane::Rules => "Rules",
        Pane::Detail => "Rule detail",
    }
}

/// The pane's frame: title, filter being typed or applied, and focus.
pub fn block<'a>(app: &App, theme: Theme, pane: Pane) -> Block<'a> {
    let focused = app.focus == pane;
    let mut spans = vec![Span::raw(format!(" {} ", title(pane)))];
    let filter = app.filter(pane);
    if !filter.is_empty() || (focused && app.filtering) {
        let cursor = if focused && app.filtering { "▏" } else { "" };
        spans.push(Span::styled(
            format!("/{}{cursor} ", sanitize(filter)),
            theme.heading(),
        ));
    }
    if app.loading() && app.snapshot.is_some() && !app.partial() {
        spans.push(Span::styled("reloading… ", theme.dim()));
    }
    Block::bordered()
        .title(Line::from(spans))
        .border_style(theme.pane_border(focused, app.accent))
}

/// What a pane shows instead of a list: loading, the load error, or an empty list.
pub fn placeholder(app: &App, theme: Theme, pane: Pane) -> Option<Vec<Line<'static>>> {
    if app.part_missing(pane) {
        return Some(vec![Line::styled("Loading…", theme.dim())]);
    }
    if app.snapshot.is_some() {
        return None;
    }
    if let Some(err) = &app.load_error {
        if pane != Pane::Modules {
            return Some(Vec::new());
        }
        return Some(vec![
            Line::styled("Could not load the org:", theme.error()),
            Line::raw(err.clone()),
            Line::raw(""),
            Line::raw("Press r to retry."),
        ]);
    }
    Some(vec![Line::styled("Loading…", theme.dim())])
}

pub fn draw(frame: &mut Frame, app: &App, theme: Theme, pane: Pane, area: Rect) {
    let block = block(app, theme, pane);
    let inner = block.inner(area).width as usize;
    if let Some(lines) = placeholder(app, theme, pane) {
        let p = Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false });
        frame.render_widget(p, area);
        return;
    }
    let rows = rows(app, theme, pane, inner);
    if rows.is_empty() {
        let text = if app.filter(pane).is_empty() {
            "(none)"
        } else {
            "(nothing matches the filter)"
        };
        frame.render_widget(
            Paragraph::new(Line::styled(text, theme.dim())).block(block),
            area,
        );
        return;
    }
    let list = List::new(rows)
        .block(block)
        .highlight_style(theme.selected(app.focus == pane));
    let mut state = ListState::default().with_selected(app.list_index(pane));
    frame.render_stateful_widget(list, area, &mut state);
}

fn rows(app: &App, theme: Theme, pane: Pane, width: usize) -> Vec<ListItem<'static>> {
    let plain = |text: &str| ListItem::new(truncate_to_width(&sanitize(text), width));
    match pane {
        Pane::Modules => app
            .modules()
            .into_iter()
            .map(|m| plain(module_label(m)))
            .collect(),
        Pane::Layouts => app.layouts().iter().map(|l| plain(&l.label)).collect(),
        Pane::Rules => app
            .rules()
            .into_iter()
            .map(|r| {
                let (marker, style) = if r.active {
                    ("● ", theme.active())
                } else {
                    ("○ ", theme.inactive())
                };
                let span = span_text(score_span(r));
                let name_width = width.saturating_sub(2 + display_width(&span) + 1);
                let name = pad_to_width(
                    &truncate_to_width(&sanitize(&r.name), name_width),
                    name_width,
                );
                ListItem::new(Line::from(vec![
                    Span::styled(marker, style),
                    Span::raw(name),
                    Span::raw(" "),
                    Span::styled(span, Style::new()),
                ]))
            })
            .collect(),
        Pane::Detail => Vec::new(),
    }
}

/// "+25", "-10..+25": the range of totals a rule can give.
pub fn span_text((lo, hi): (i64, i64)) -> String {
    if lo == 0 {
        format!("{hi:+}")
    } else {
        format!("{lo:+}..{hi:+}")
    }
}
