//! The status bar: where the data comes from (a loud SANDBOX badge, or the profile), org and
//! edition, quota use for the selected module and layout, a spinner while work is pending, and
//! the last notice (all of it: the bar grows to fit) or the key hints.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use super::detail::style;
use super::layout::notice_rows;
use crate::display::{display_width, sanitize};
use crate::tui::app::App;

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

pub fn draw(frame: &mut Frame, app: &App, theme: Theme, area: Rect) {
    let mut top = Vec::new();
    if app.source.sandbox && app.accent.is_none() {
        top.push(Span::styled(" SANDBOX ", theme.sandbox_badge()));
    } else if app.source.sandbox {
        top.push(Span::styled(" SANDBOX ", theme.accent_badge(app.accent)));
    } else {
        top.push(Span::styled(
            format!(" {} ", sanitize(&app.source.label)),
            theme.accent_badge(app.accent),
        ));
    }
    if app.readonly.is_some() {
        top.push(Span::raw(" "));
        top.push(Span::styled(" READ-ONLY ", theme.readonly_badge()));
    }
    top.push(Span::raw(" "));
    let mut bottom = Vec::new();
    if app.busy() {
        let frame_no = app.spinner % SPINNER.len();
        bottom.push(Span::raw(format!("{} ", SPINNER[frame_no])));
    }
    if let Some(snap) = app
        .snapshot
        .as_ref()
        .filter(|_| !app.pending.as_ref().is_some_and(|p| p.org))
    {
        top.push(Span::raw(format!(
            "{} · {}",
            sanitize(&snap.org_name),
            snap.edition.label()
        )));
        if !app.marks.is_empty() {
            top.push(Span::styled(
                format!("  {} marked", app.marks.len()),
                theme.heading(),
            ));
        }
        if let Some(usage) = app.usage() {
            let used = Line::from(top.clone()).width();
            // Narrow terminals get the usage at the start of the second line rather than cut.

            // A notice wins over the usage there: it is news, the usage is one key away.
            if used + 2 + display_width(&usage) <= usize::from(area.width) {
                top.push(Span::styled(format!("  {usage}"), theme.dim()));
            } else if app.notice.is_none() {
                bottom.push(Span::styled(format!("{usage} │ "), theme.dim()));
            }
        }
    } else if app.snapshot.is_some() {
        top.push(Span::styled("loading the org…", theme.dim()));
    } else if app.load_error.is_some() {
        top.push(Span::styled("not loaded", theme.error()));
    } else {
        top.push(Span::styled("connecting…", theme.dim()));
    }
    // A notice is shown whole, wrapped over as many rows as the status bar was given for it.
    let mut notice = match &app.notice {
        Some(n) => notice_rows(n, frame.area()),
        None => Vec::new(),
    };
    let mut more = Vec::new();
    if !notice.is_empty() {
        let first = notice.remove(0);
        bottom.extend(
            first
                .into_iter()
                .map(|(t, s)| Span::styled(s, style(t, theme))),
        );
        more = notice
            .into_iter()
            .map(|r| super::detail::line(r, theme))
            .collect();
    }
    match &app.notice {
        Some(_) => {}
        None => {
            let keys = &app.keys.text;
            let mut hints: Vec<String> = Vec::new();
            let from_table = if app.filtering {
                hints.push("type to filter".into());
                &keys.filtering
            } else if app.readonly.is_some() {
                hints.push("read-only: changes are off".into());
                &keys.browse_readonly
            } else {
                &keys.browse
            };
            hints.extend(from_table.iter().map(|h| h.text()));
            let used = Line::from(bottom.clone()).width();
            bottom.push(Span::styled(
                fitting(&hints, usize::from(area.width).saturating_sub(used)),
                theme.dim(),
            ));
        }
    }
    // The API-call meter goes at the right end of the top line, in the longest wording that
    // fits: a budget an admin glances at, never pushing anything else off.
    let used = Line::from(top.clone()).width();
    let room = usize::from(area.width).saturating_sub(used + 1);
    if let Some(calls) = calls_text(app.calls, room) {
        let pad = room.saturating_sub(display_width(&calls));
        top.push(Span::raw(" ".repeat(pad)));
        top.push(Span::styled(calls, theme.dim()));
    }
    let mut lines = vec![Line::from(top), Line::from(bottom)];
    lines.extend(more);
    let p = Paragraph::new(lines).style(theme.accent_bar(app.accent));
    frame.render_widget(p, area);
}

/// As many whole hints as fit in `width` columns, joined by ` · `: never half a hint.
fn fitting(hints: &[String], width: usize) -> String {
    let mut out = String::new();
    for h in hints {
        let next = if out.is_empty() {
            h.clone()
        } else {
            format!("{out} · {h}")
        };
        if display_width(&next) > width {
            break;
        }
        out = next;
    }
    out
}

/// The session's API calls in the longest of `12 API calls (9 reads, 3 writes)`,
/// `12 calls, 3 writes`, `12 calls` that fits in `width` columns; none before the first call.
fn calls_text(calls: crate::api::CallCount, width: usize) -> Option<String> {
    if calls.total() == 0 {
        return None;
    }
    let total = calls.total();
    let s = |n: u64, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    [
        calls.to_string(),
        format!("{}, {}", s(total, "call"), s(calls.writes, "write")),
        s(total, "call"),
    ]
    .into_iter()
    .find(|t| display_width(t) <= width)
}

#[cfg(test)]
mod tests {
    use super::calls_text;
    use crate::api::CallCount;

    #[test]
    fn the_call_meter_says_as_much_as_fits() {
        let calls = CallCount {
            reads: 9,
            writes: 3,
        };
        assert_eq!(
            calls_text(calls, 80).as_deref(),
            Some("12 API calls (9 reads, 3 writes)")
        );
        assert_eq!(calls_text(calls, 20).as_deref(), Some("12 calls, 3 writes"));
        assert_eq!(calls_text(calls, 10).as_deref(), Some("12 calls"));
        assert_eq!(calls_text(calls, 5), None);
        assert_eq!(calls_text(CallCount::default(), 80), None);
        let one = CallCount {
            reads: 1,
            writes: 0,
        };
        assert_eq!(calls_text(one, 16).as_deref(), Some("1 call, 0 writes"));
        assert_eq!(calls_text(one, 15).as_deref(), Some("1 call"));
    }
}
