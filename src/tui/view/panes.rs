//! The three list panes. Each row is built at the pane's exact width with the display helpers,
//! so wide characters (CJK, emoji) in org text never push a column out of line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

use super::Theme;
use super::input::{CUT, window};
use crate::display::{display_width, pad_to_width, sanitize, truncate_to_width};
use crate::tui::app::{App, Pane};
use crate::tui::mouse::list_offset;
use crate::tui::select::{module_label, score_span, span_text};
use crate::tui::sort::RuleOrder;

/// The pane's title with what it shows: `Layouts · Leads`, `Rules · Leads / Standard`, the
/// rule's name over its detail.
pub fn title(app: &App, pane: Pane) -> String {
    let module = || app.current_module().map(|m| sanitize(module_label(m)));
    let context = match pane {
        Pane::Modules => None,
        Pane::Layouts => module(),
        Pane::Rules => module().map(|m| match app.current_layout() {
            Some(l) => format!("{m} / {}", sanitize(&l.label)),
            None => m,
        }),
        // No rule's name over a pane that still says "Loading…".
        Pane::Detail if app.part_missing(Pane::Detail) => None,
        Pane::Detail => app.current_rule().map(|r| sanitize(&r.name)),
    };
    let name = match pane {
        Pane::Modules => "Modules",
        Pane::Layouts => "Layouts",
        Pane::Rules => "Rules",
        Pane::Detail if context.is_some() => "Rule",
        Pane::Detail => "Rule detail",
    };
    match context {
        Some(c) => format!("{name} · {c}"),
        None => name.to_string(),
    }
}

/// The pane's frame, `width` columns wide: the title (marked `▶` and bold when focused, so
/// the focus shows without colour), the filter being typed or applied, a reload under way,
/// and the Rules pane's order.
pub fn block<'a>(app: &App, theme: Theme, pane: Pane, width: u16) -> Block<'a> {
    let focused = app.focus == pane;
    let mut tail = Vec::new();
    let filter = app.filter(pane);
    if !filter.is_empty() || (focused && app.filtering) {
        let typing = focused && app.filtering;
        // A filter longer than half the title's room shows its end, where typing goes.
        let room = usize::from(width / 2).saturating_sub(4).max(4);
        let w = window(filter, None, room);
        let cut = if w.left { CUT } else { "" };
        let cursor = if typing { "▏" } else { "" };
        tail.push(Span::styled(
            format!("/{cut}{}{cursor} ", w.before),
            theme.heading(),
        ));
    }
    if app.loading() && app.snapshot.is_some() && !app.partial() {
        tail.push(Span::styled("reloading… ", theme.dim()));
    }
    let marker = if focused { "▶ " } else { "" };
    let used: usize = tail.iter().map(Span::width).sum();
    // Two corners and a space either side of the title.
    let room = usize::from(width)
        .saturating_sub(4 + display_width(marker) + used)
        .max(1);
    let text = format!(" {marker}{} ", truncate_to_width(&title(app, pane), room));
    let style = if focused {
        Style::new().add_modifier(Modifier::BOLD)
    } else {
        Style::new()
    };
    let mut spans = vec![Span::styled(text, style)];
    spans.extend(tail);
    let block = Block::bordered()
        .title(Line::from(spans))
        .border_style(theme.pane_border(focused, app.accent));
    // The Rules pane's order, when it is not Zoho's, on the bottom border: the top one is
    // full with the module, the layout and a filter.
    if pane == Pane::Rules && app.rule_order != RuleOrder::Zoho {
        let label = truncate_to_width(
            &format!("sorted {}", app.rule_order.label()),
            usize::from(width).saturating_sub(4),
        );
        return block.title_bottom(Line::from(format!(" {label} ")).right_aligned());
    }
    block
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
    let block = block(app, theme, pane, area.width);
    let inner = block.inner(area);
    if let Some(lines) = placeholder(app, theme, pane) {
        let p = Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false });
        frame.render_widget(p, area);
        return;
    }
    // Only the rows on screen are built: where ratatui would scroll to show the selection.
    let selected = app.list_index(pane);
    let first = list_offset(selected, usize::from(inner.height));
    let rows = rows(
        app,
        theme,
        pane,
        usize::from(inner.width),
        first,
        usize::from(inner.height),
    );
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
    let mut state = ListState::default().with_selected(selected.map(|s| s - first));
    frame.render_stateful_widget(list, area, &mut state);
}

/// The rows from `first`, at most `count` of them, `width` columns wide.
fn rows(
    app: &App,
    theme: Theme,
    pane: Pane,
    width: usize,
    first: usize,
    count: usize,
) -> Vec<ListItem<'static>> {
    let plain = |text: &str| ListItem::new(truncate_to_width(&sanitize(text), width));
    match pane {
        Pane::Modules => app
            .modules()
            .into_iter()
            .skip(first)
            .take(count)
            .map(|m| plain(module_label(m)))
            .collect(),
        Pane::Layouts => app
            .layouts()
            .iter()
            .skip(first)
            .take(count)
            .map(|l| plain(&l.label))
            .collect(),
        Pane::Rules => app
            .rules()
            .into_iter()
            .skip(first)
            .take(count)
            .map(|r| {
                let (marker, style) = if r.active {
                    ("● ", theme.active())
                } else {
                    ("○ ", theme.inactive())
                };
                // A column for marks, while there are any: a glyph, readable without colour.
                let mark = match r.id.as_ref() {
                    _ if app.marks.is_empty() => "",
                    Some(id) if app.marks.contains(id) => "✚",
                    _ => " ",
                };
                let span = span_text(score_span(r));
                let name_width =
                    width.saturating_sub(mark.len().min(1) + 2 + display_width(&span) + 1);
                let name = pad_to_width(
                    &truncate_to_width(&sanitize(&r.name), name_width),
                    name_width,
                );
                ListItem::new(Line::from(vec![
                    Span::styled(mark, theme.heading()),
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
