//! The rule detail pane: everything a person needs to judge a rule without opening Zoho —
//! criteria as sentences, each with its score, signals by their label, custom fields, and who
//! changed it when. All org text passes through `sanitize`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::Theme;
use super::panes::{block, placeholder, span_text};
use crate::display::{sanitize, truncate_to_width, wrap};
use crate::domain::ScoringRule;
use crate::domain::evaluate::criteria_text;
use crate::tui::app::{App, Pane};
use crate::tui::select::score_span;

pub fn draw(frame: &mut Frame, app: &App, theme: Theme, area: Rect) {
    let block = block(app, theme, Pane::Detail);
    let lines = match placeholder(app, theme, Pane::Detail) {
        Some(lines) => lines,
        None => match app.current_rule() {
            Some(rule) => lines(app, theme, rule, usize::from(block.inner(area).width)),
            None => vec![Line::styled("(no rule selected)", theme.dim())],
        },
    };
    let max_scroll = u16::try_from(lines.len().saturating_sub(1)).unwrap_or(u16::MAX);
    let p = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((app.detail_scroll.min(max_scroll), 0));
    frame.render_widget(p, area);
}

fn lines(app: &App, theme: Theme, rule: &ScoringRule, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let (marker, state, style) = if rule.active {
        ("●", "active", theme.active())
    } else {
        ("○", "inactive", theme.inactive())
    };
    out.push(Line::from(vec![
        Span::styled(format!("{marker} "), style),
        // An org can hold a name of any length; three lines of it identify the rule.
        Span::styled(
            truncate_to_width(&sanitize(&rule.name), width.max(1) * 3),
            theme.heading(),
        ),
        Span::styled(
            format!("  {state} · scores {}", span_text(score_span(rule))),
            style,
        ),
    ]));
    match rule.description.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(d) => out.push(Line::raw(truncate_to_width(&sanitize(d), width.max(1) * 6))),
        None => out.push(Line::styled("(no description)", theme.dim())),
    }

    let schema = app
        .snapshot
        .as_ref()
        .and_then(|s| s.module(&rule.module.api_name));
    out.push(Line::raw(""));
    out.push(Line::styled(
        format!("Field rules ({})", rule.field_rules.len()),
        theme.heading(),
    ));
    if rule.field_rules.is_empty() {
        out.push(Line::styled("  none", theme.dim()));
    }
    for f in &rule.field_rules {
        // Without the module's schema (module missing from the metadata) the criteria still
        // render, with api names instead of labels.
        let text = match schema {
            Some(schema) => criteria_text(&f.criteria, schema),
            None => format!("{} condition(s)", f.criteria.leaf_count()),
        };
        scored(&mut out, &text, f.score, width);
    }

    out.push(Line::raw(""));
    out.push(Line::styled(
        format!("Signal rules ({})", rule.signal_rules.len()),
        theme.heading(),
    ));
    if rule.signal_rules.is_empty() {
        out.push(Line::styled("  none", theme.dim()));
    }
    for s in &rule.signal_rules {
        let label = app
            .snapshot
            .as_ref()
            .and_then(|snap| snap.signal(&s.signal.id))
            .map_or_else(
                || s.signal.namespace.clone(),
                |sig| sig.display_label.clone(),
            );
        scored(&mut out, &label, s.score, width);
    }

    // Only rules with findings get the section: a clean rule's pane stays as it was.
    let findings = crate::tui::lab::lint::findings_for(app, rule);
    if !findings.is_empty() {
        out.push(Line::raw(""));
        out.push(Line::styled(
            format!("Lint ({})", findings.len()),
            theme.error(),
        ));
    }
    for (label, reason) in findings {
        let text = format!("{label}: {}", sanitize(&reason));
        for (i, line) in wrap(&text, width.saturating_sub(4).max(10))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 { "  ⚠ " } else { "    " };
            out.push(Line::from(vec![
                Span::styled(lead, theme.error()),
                Span::raw(line),
            ]));
        }
    }

    if !rule.custom_fields.is_empty() {
        out.push(Line::raw(""));
        out.push(Line::styled(
            format!("Custom fields ({})", rule.custom_fields.len()),
            theme.heading(),
        ));
        for c in &rule.custom_fields {
            let name = c
                .field_label
                .as_deref()
                .or(c.api_name.as_deref())
                .unwrap_or("(unnamed)");
            out.push(Line::raw(format!("  {}", sanitize(name))));
        }
    }

    out.push(Line::raw(""));
    out.push(stamp(
        theme,
        "Created",
        rule.created_by.as_ref(),
        rule.created_time.as_deref(),
    ));
    out.push(stamp(
        theme,
        "Modified",
        rule.modified_by.as_ref(),
        rule.modified_time.as_deref(),
    ));
    out
}

fn stamp(
    theme: Theme,
    what: &str,
    by: Option<&crate::domain::metadata::UserRef>,
    at: Option<&str>,
) -> Line<'static> {
    // Zoho sends null for both on a rule nobody has edited since it was created.
    if by.is_none() && at.is_none() {
        return Line::from(Span::styled(format!("{what}: never"), theme.dim()));
    }
    let by = by.map_or_else(|| "unknown".to_string(), |u| sanitize(&u.name));
    let at = at.map_or_else(|| "unknown time".to_string(), readable_time);
    Line::from(vec![
        Span::styled(format!("{what} by "), theme.dim()),
        Span::raw(by),
        Span::styled(" at ", theme.dim()),
        Span::raw(at),
    ])
}

/// "  criteria  → +10", wrapped with a hanging indent so each rule reads as one block.
fn scored(out: &mut Vec<Line<'static>>, text: &str, score: i64, width: usize) {
    let full = format!("{}  → {score:+}", sanitize(text));
    for (i, line) in wrap(&full, width.saturating_sub(4).max(8))
        .into_iter()
        .enumerate()
    {
        let indent = if i == 0 { "  " } else { "    " };
        out.push(Line::raw(format!("{indent}{line}")));
    }
}

/// "2026-01-27T17:40:32+05:30" as "2026-01-27 17:40 +05:30": seconds are noise here. Anything
/// not in that shape is shown as it came, sanitized.
fn readable_time(at: &str) -> String {
    let parts = (at.get(..10), at.get(10..11), at.get(11..16), at.get(19..));
    match parts {
        (Some(date), Some("T"), Some(hm), Some(zone)) if at.is_ascii() => {
            sanitize(format!("{date} {hm} {zone}").trim_end())
        }
        _ => sanitize(at),
    }
}
