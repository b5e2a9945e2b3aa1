//! The score lab's preview, drawn over the panes: what a rule does to a sample of records
//! (sample size and fetch time, matches, changes, the before/after histogram, top movers) or,
//! after `w`, one record's score broken down rule by rule.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::Theme;
use crate::display::{pad_to_width, sanitize, truncate_to_width, wrap};
use crate::lab::preview::{change_summary, signed};
use crate::tui::app::App;
use crate::tui::lab::{Phase, PreviewView, Ready};

const SPINNER: [&str; 4] = ["⠋", "⠙", "⠸", "⠴"];

pub fn draw(frame: &mut Frame, app: &App, theme: Theme, area: Rect) {
    let Some(view) = &app.lab.view else { return };
    let rect = area.inner(ratatui::layout::Margin {
        horizontal: u16::from(area.width > 60),
        // A margin only where rows are to spare: at 24 rows every row shows a record.
        vertical: u16::from(area.height > 30),
    });
    frame.render_widget(Clear, rect);
    let width = usize::from(rect.width.saturating_sub(4));
    let block = Block::bordered()
        .title(format!(" {} ", truncate_to_width(&view.title, width)))
        .border_style(theme.border(true));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [body, hint] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    let hint_text = match &view.phase {
        Phase::Fetching { .. } | Phase::Scoring { .. } => " Esc cancels",
        Phase::Failed(_) => " r retries · Esc closes",
        Phase::Ready(_) => match &view.explanation {
            Some(e) if !e.query.is_empty() => super::explain::HINT_FINDING,
            Some(_) => super::explain::HINT,
            None => app.keys.text.lab.as_str(),
        },
    };
    frame.render_widget(
        Paragraph::new(Line::styled(
            truncate_to_width(hint_text, width + 2),
            theme.dim(),
        )),
        hint,
    );
    match &view.phase {
        Phase::Fetching { what } => waiting(frame, app, theme, body, what),
        Phase::Scoring { records } => {
            let what = format!("scoring {records} records");
            waiting(frame, app, theme, body, &what);
        }
        Phase::Failed(e) => frame.render_widget(
            Paragraph::new(vec![
                Line::styled(" preview failed", theme.error()),
                Line::raw(format!(" {e}")),
            ])
            .wrap(Wrap { trim: false }),
            body,
        ),
        Phase::Ready(ready) => match &view.explanation {
            Some(e) => super::explain::draw(frame, e, theme, body),
            None => report(frame, app, view, ready, theme, body),
        },
    }
}

fn waiting(frame: &mut Frame, app: &App, theme: Theme, area: Rect, what: &str) {
    let spin = SPINNER
        .get(app.spinner % SPINNER.len())
        .copied()
        .unwrap_or("");
    frame.render_widget(
        Paragraph::new(vec![
            Line::raw(""),
            Line::from(vec![
                Span::styled(format!(" {spin} "), theme.active()),
                Span::raw(sanitize(what)),
            ]),
            Line::styled(
                format!(
                    " sample size {} (+/- once it is shown)",
                    app.lab.sample_size
                ),
                theme.dim(),
            ),
        ]),
        area,
    );
}

fn summary(app: &App, ready: &Ready, compact: bool) -> Vec<String> {
    let r = &ready.report;
    let fetched = chrono::DateTime::from_timestamp(ready.sample.fetched_at, 0)
        .map_or_else(String::new, |t| t.format("%H:%M:%S UTC").to_string());
    let source = if ready.cached {
        "this session's sample"
    } else {
        "fetched now"
    };
    let sample = format!(
        "{} records scored of {} fetched (sample size {}, +/- changes it)",
        r.sampled,
        ready.sample.records.len(),
        app.lab.sample_size
    );
    let seconds = ready.sample.fetch_time.as_secs_f64();
    let ms = ready.compute_time.as_millis();
    let fetch = if compact {
        // The same facts in fewer words, so that at 80 columns they take one row.
        let time = fetched.trim_end_matches(" UTC");
        let cached = if ready.cached { " (cached)" } else { "" };
        format!(
            "fetched {time} in {seconds:.1} s{cached}, scored in {ms} ms; {} older than 6 months skipped",
            ready.outside_window
        )
    } else {
        format!(
            "fetched {fetched} in {seconds:.1} s ({source}); scored in {ms} ms; {} outside the six-month window left out",
            ready.outside_window
        )
    };
    let matches: Vec<String> = r
        .rules
        .iter()
        .map(|rule| {
            format!(
                "“{}” matches {} of {} records",
                sanitize(&rule.name),
                rule.matched,
                r.sampled
            )
        })
        .collect();
    let changes = change_summary(r);
    let mut out = vec![sample, fetch];
    if compact {
        // A small terminal keeps room for the histogram and the movers: the matches in one
        // line, no notes.
        out.push(matches.join("; "));
        out.push(changes);
        return out;
    }
    out.extend(matches);
    out.push(changes);
    out.extend(r.notes.iter().map(|n| format!("note: {}", sanitize(n))));
    out
}

fn report(
    frame: &mut Frame,
    app: &App,
    view: &PreviewView,
    ready: &Ready,
    theme: Theme,
    area: Rect,
) {
    let width = usize::from(area.width.saturating_sub(1));
    let compact = area.height < 30;
    // Each fact whole, wrapped: a figure at the end of a line is never cut off.
    let summary: Vec<Line> = summary(app, ready, compact)
        .into_iter()
        .flat_map(|s| wrap(&s, width.saturating_sub(1)))
        .map(|s| Line::raw(format!(" {s}")))
        .collect();
    let summary_height = u16::try_from(summary.len()).unwrap_or(u16::MAX);
    let [top, rest] = Layout::vertical([
        Constraint::Length(summary_height + u16::from(!compact)),
        Constraint::Fill(1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(summary), top);
    let wide = area.width >= 110;
    let (hist_area, movers_area) = if wide {
        let [a, b] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Fill(1)]).areas(rest);
        (a, b)
    } else {
        let bins = u16::try_from(ready.report.histogram.bins.len()).unwrap_or(10);
        let heading = u16::from(!compact);
        let [a, b] =
            Layout::vertical([Constraint::Length(bins + 1 + heading), Constraint::Fill(1)])
                .areas(rest);
        (a, b)
    };
    let bar = usize::from(hist_area.width / 2)
        .saturating_sub(14)
        .clamp(3, 40);
    let mut hist: Vec<Line> = Vec::new();
    if !compact || wide {
        hist.push(Line::styled(" score distribution", theme.heading()));
    }
    hist.extend(
        ready
            .report
            .histogram
            .render(bar)
            .lines()
            .map(|l| Line::raw(format!(" {l}"))),
    );
    frame.render_widget(Paragraph::new(hist), hist_area);

    let heading = if view.list_is_movers {
        " top movers"
    } else {
        " no record changes score; highest scores"
    };
    // A small terminal names the list in its column header, leaving a row for a record.
    let own_row = !compact || view.list.is_empty();
    let mut movers = Vec::new();
    if own_row {
        movers.push(Line::styled(heading, theme.heading()));
    }
    // Name first, then the id if there is room for it, then the three scores.
    let columns = usize::from(movers_area.width);
    let numbers = 24;
    let id_width = if columns >= numbers + 20 + 16 { 20 } else { 0 };
    let name_width = columns.saturating_sub(numbers + id_width + 1).max(8);
    let id_cell = |id: &str| {
        if id_width == 0 {
            String::new()
        } else {
            format!(
                " {}",
                pad_to_width(&truncate_to_width(id, id_width - 1), id_width - 1)
            )
        }
    };
    if view.list.is_empty() {
        movers.push(Line::styled(" no records", theme.dim()));
    } else {
        let first_column = match (own_row, view.list_is_movers) {
            (true, _) => "record",
            (false, true) => "top movers",
            (false, false) => "highest (none moved)",
        };
        movers.push(Line::styled(
            format!(
                " {}{} {:>7} {:>7} {:>7}",
                pad_to_width(first_column, name_width),
                id_cell("id"),
                "before",
                "after",
                "change"
            ),
            theme.dim(),
        ));
        let room = usize::from(movers_area.height.saturating_sub(movers.len() as u16)).max(1);
        let first = view.selected.saturating_sub(room - 1);
        for (i, m) in view.list.iter().enumerate().skip(first).take(room) {
            let name = match &m.name {
                Some(n) => sanitize(n),
                None => m.id.to_string(),
            };
            let text = format!(
                " {}{} {:>7} {:>7} {:>7}",
                pad_to_width(&truncate_to_width(&name, name_width), name_width),
                id_cell(m.id.as_str()),
                m.before,
                m.after,
                signed(m.delta())
            );
            movers.push(if i == view.selected {
                Line::styled(text, theme.selected(true))
            } else {
                Line::raw(text)
            });
        }
    }
    frame.render_widget(Paragraph::new(movers), movers_area);
}
