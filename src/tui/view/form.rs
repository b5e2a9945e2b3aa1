//! The rule form, full screen: one line per input (label, value, and for the focused input a
//! marker and a cursor), each error in red under its input and marked `✗` (so it reads without
//! colour too), scrolled to keep the focused input in view; a footer with the keys, the error
//! count and the last notice. Dialogs of the form (diff, questions, errors) are drawn on top.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::Theme;
use super::form_footer;
use super::input;
use crate::display::{display_width, sanitize, truncate_to_width, wrap};
use crate::domain::edition::{MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS};
use crate::domain::metadata::{ModuleSchema, is_people_module};
use crate::tui::app::App;
use crate::tui::form::Form;
use crate::tui::form::options;
use crate::tui::form::target::{Target, shows_pattern};

const LABEL: usize = 16;

struct Body<'a> {
    lines: Vec<Line<'a>>,
    /// First line of the focused input.
    focus_line: usize,
    theme: Theme,
    /// Columns an input's value has, after its marker and label.
    room: usize,
}

impl<'a> Body<'a> {
    fn heading(&mut self, text: String) {
        self.lines.push(Line::raw(""));
        self.lines
            .push(Line::styled(format!(" {text}"), self.theme.heading()));
    }

    /// One input: `▶ label          value`, then its errors.
    fn input(&mut self, form: &Form, target: Target, label: &str, value: Vec<Span<'a>>) {
        self.labelled(form, target, label, value);
        self.errors(form, target);
    }

    /// The input's first row: marker, label, value.
    fn labelled(&mut self, form: &Form, target: Target, label: &str, value: Vec<Span<'a>>) {
        let focused = form.focused() == target;
        if focused {
            self.focus_line = self.lines.len();
        }
        let marker = if focused { "▶ " } else { "  " };
        let mut spans = vec![Span::styled(
            format!("{marker}{:<width$}", label, width = LABEL),
            if focused {
                self.theme.heading()
            } else {
                Style::new()
            },
        )];
        spans.extend(value);
        self.lines.push(Line::from(spans));
    }

    /// Each error under its input, wrapped: the reason is never cut off.
    fn errors(&mut self, form: &Form, target: Target) {
        for e in form.errors_at(target) {
            for (k, row) in wrap(&e.text, self.room.saturating_sub(2).max(8))
                .into_iter()
                .enumerate()
            {
                let mark = if k == 0 { "✗ " } else { "  " };
                self.lines.push(Line::styled(
                    format!("{:width$}{mark}{row}", "", width = LABEL + 2),
                    self.theme.error(),
                ));
            }
        }
    }
}

/// A one-line input's text in `room` columns, with the cursor drawn where it is when focused:
/// a text too long for the input shows the part around the cursor.
fn text<'a>(form: &Form, target: Target, value: &str, theme: Theme, room: usize) -> Vec<Span<'a>> {
    if form.focused() != target {
        return vec![Span::raw(truncate_to_width(&sanitize(value), room))];
    }
    let w = input::window(value, form.cursor, room);
    let mut spans = Vec::new();
    if w.left {
        spans.push(Span::styled(input::CUT, theme.dim()));
    }
    spans.push(Span::raw(w.before));
    spans.push(Span::styled("▏", theme.heading()));
    spans.push(Span::raw(w.after));
    if w.right {
        spans.push(Span::styled(input::CUT, theme.dim()));
    }
    spans
}

fn picked<'a>(form: &Form, target: Target, shown: String, theme: Theme) -> Vec<Span<'a>> {
    if form.focused() == target {
        vec![
            Span::styled("‹ ", theme.dim()),
            Span::styled(shown, theme.selected(true)),
            Span::styled(" ›", theme.dim()),
        ]
    } else {
        vec![Span::raw(shown)]
    }
}

fn unset<'a>(what: &str, theme: Theme) -> Span<'a> {
    Span::styled(format!("({what})"), theme.dim())
}

pub fn draw(frame: &mut Frame, app: &App, form: &Form, theme: Theme, area: Rect) {
    let notice = form_footer::notice(app, theme, area);
    let footer_rows = 3 + u16::try_from(notice.len()).unwrap_or(u16::MAX);
    let [main, footer] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(footer_rows)]).areas(area);
    let schema = app.snapshot.as_ref().and_then(|s| s.module(&form.module));
    let title = title(app, form);
    let block = Block::bordered()
        .title(format!(
            " {} ",
            truncate_to_width(&title, usize::from(area.width.saturating_sub(4)))
        ))
        .border_style(theme.border(true));
    let inner = block.inner(main);
    frame.render_widget(block, main);
    let body = body(app, form, schema, theme, usize::from(inner.width));
    let height = usize::from(inner.height);
    // Keep the focused input and two lines under it (its errors) in view.
    let offset = (body.focus_line + 3).saturating_sub(height);
    let focus_line = body.focus_line;
    frame.render_widget(
        Paragraph::new(body.lines).scroll((u16::try_from(offset).unwrap_or(u16::MAX), 0)),
        inner,
    );
    let hints = match &form.picker {
        Some(p) => std::borrow::Cow::Owned(picker_hints(&app.keys.text.form_picker, p.multi)),
        None => std::borrow::Cow::Borrowed(app.keys.text.form.as_slice()),
    };
    form_footer::draw(frame, form, &hints, theme, footer, notice);
    if let Some(p) = &form.picker {
        let row = body_focus_row(inner, focus_line, offset);
        let column = inner.x + u16::try_from(LABEL + 2).unwrap_or(0);
        super::form_picker::draw(frame, p, theme, inner, row, column);
    }
    super::diff::form_dialog(frame, form, theme, area);
}

/// The screen row of the focused input.
fn body_focus_row(inner: Rect, focus_line: usize, offset: usize) -> u16 {
    let row = inner.y as usize + focus_line.saturating_sub(offset);
    u16::try_from(row)
        .unwrap_or(u16::MAX)
        .min(inner.bottom().saturating_sub(1))
}

/// The open list's keys: Space marks only in a multi-select list.
fn picker_hints(
    hints: &[crate::tui::keys::help::Hint],
    multi: bool,
) -> Vec<crate::tui::keys::help::Hint> {
    hints
        .iter()
        .filter(|h| multi || h.keys != "Space")
        .cloned()
        .collect()
}

fn title(app: &App, form: &Form) -> String {
    let layout = match (
        &form.layout,
        app.snapshot.as_ref(),
        app.snapshot.as_ref().and_then(|s| s.module(&form.module)),
    ) {
        (None, _, _) => "all layouts".to_string(),
        (Some(id), _, Some(schema)) => schema
            .layout(id)
            .map_or_else(|| id.to_string(), |l| l.label().to_string()),
        (Some(id), _, None) => id.to_string(),
    };
    let where_ = sanitize(&format!("{} / {layout}", form.module));
    match &form.base {
        Some(b) => format!("Edit rule “{}” · {where_}", sanitize(&b.name)),
        None => format!("New rule · {where_}"),
    }
}

fn body<'a>(
    app: &App,
    form: &Form,
    schema: Option<&ModuleSchema>,
    theme: Theme,
    width: usize,
) -> Body<'a> {
    let room = width.saturating_sub(LABEL + 2).max(4);
    let mut b = Body {
        lines: Vec::new(),
        focus_line: 0,
        theme,
        room,
    };
    let d = &form.data;
    let n = d.name.chars().count();
    let counter = format!("  {n}/{MAX_NAME_CHARS}");
    let mut name = text(
        form,
        Target::Name,
        &d.name,
        theme,
        room.saturating_sub(display_width(&counter)).max(4),
    );
    let counter_style = if n > MAX_NAME_CHARS {
        theme.error()
    } else {
        theme.dim()
    };
    name.push(Span::styled(counter, counter_style));
    b.input(form, Target::Name, "Name", name);

    description(&mut b, form, theme, room);

    if form.is_create() {
        let shown = if d.active {
            "on (starts active)"
        } else {
            "off (starts inactive)"
        };
        let v = picked(form, Target::Active, shown.into(), theme);
        b.input(form, Target::Active, "Active", v);
    }
    let rule_errors: Vec<String> = form
        .errors_at(Target::Rule)
        .map(|e| e.text.clone())
        .collect();
    for e in rule_errors {
        b.lines
            .push(Line::styled(format!("  ✗ {e}"), theme.error()));
    }

    lint(&mut b, form, theme, width);

    b.heading(format!("Field rules ({})", d.field_rules.len()));
    if d.field_rules.is_empty() {
        b.lines
            .push(Line::styled("  none — Ctrl-F adds one", theme.dim()));
    }
    for (i, fr) in d.field_rules.iter().enumerate() {
        b.lines
            .push(Line::styled(format!("  #{}", i + 1), theme.dim()));
        let v = text(form, Target::Score(i), &fr.score, theme, room);
        b.input(form, Target::Score(i), "  score", v);
        let c = &fr.criteria;
        for (j, row) in c.rows.iter().enumerate() {
            let field = match (
                schema.and_then(|s| s.field(&row.field)),
                row.field.is_empty(),
            ) {
                (_, true) => None,
                (Some(f), _) => Some(sanitize(f.label())),
                (None, _) => Some(sanitize(&row.field)),
            };
            let v = match field {
                Some(f) => picked(form, Target::Field(i, j), f, theme),
                None if form.focused() == Target::Field(i, j) => picked(
                    form,
                    Target::Field(i, j),
                    "(type to find a field, Enter lists all)".into(),
                    theme,
                ),
                None => vec![unset("pick a field", theme)],
            };
            b.input(form, Target::Field(i, j), &format!("  {}. field", j + 1), v);
            let cmp = if row.comparator.is_empty() {
                "(pick)".to_string()
            } else {
                crate::tui::form::picks::comparator_label(&crate::domain::rule::Comparator::parse(
                    &row.comparator,
                ))
            };
            let v = picked(form, Target::Comparator(i, j), sanitize(&cmp), theme);
            b.input(form, Target::Comparator(i, j), "     comparator", v);
            let mut v = text(form, Target::Value(i, j), &row.value, theme, room);
            let hint = schema.map_or("", |s| options::value_hint(s, &row.field, &row.comparator));
            if form.focused() == Target::Value(i, j) && !hint.is_empty() {
                v.push(Span::styled(format!("   {hint}"), theme.dim()));
            }
            b.input(form, Target::Value(i, j), "     value", v);
        }
        if shows_pattern(c) {
            let mut v = text(form, Target::Pattern(i), &c.pattern, theme, room);
            if form.focused() == Target::Pattern(i) {
                v.push(Span::styled("   ^O: AND ↔ OR", theme.dim()));
            }
            b.input(form, Target::Pattern(i), "  pattern", v);
        }
        b.errors(form, Target::Criteria(i));
    }

    if is_people_module(&form.module) || !d.signal_rules.is_empty() {
        b.heading(format!("Signal rules ({})", d.signal_rules.len()));
        for (i, s) in d.signal_rules.iter().enumerate() {
            let label = app
                .snapshot
                .as_ref()
                .and_then(|snap| snap.signals.iter().find(|x| x.id.to_string() == s.signal))
                .map(|x| sanitize(&x.full_label()));
            let v = match label {
                Some(l) => picked(form, Target::Signal(i), l, theme),
                None if form.focused() == Target::Signal(i) => picked(
                    form,
                    Target::Signal(i),
                    "(←/→ picks a signal)".into(),
                    theme,
                ),
                None => vec![unset("pick a signal", theme)],
            };
            b.input(form, Target::Signal(i), &format!("  {}. signal", i + 1), v);
            let v = text(form, Target::SignalScore(i), &s.score, theme, room);
            b.input(form, Target::SignalScore(i), "     score", v);
        }
    }

    b.heading(format!("Custom fields ({}/6)", d.custom_fields.len()));
    for (i, c) in d.custom_fields.iter().enumerate() {
        let v = text(form, Target::CustomLabel(i), &c.label, theme, room);
        b.input(
            form,
            Target::CustomLabel(i),
            &format!("  {}. label", i + 1),
            v,
        );
        let shown = if c.reference.is_empty() {
            "(pick a score field)".to_string()
        } else {
            sanitize(&c.reference)
        };
        let v = if c.id.is_some() {
            vec![Span::raw(shown)]
        } else {
            picked(form, Target::CustomRef(i), shown, theme)
        };
        b.input(form, Target::CustomRef(i), "     maps", v);
    }
    b
}

/// The draft's lint findings, each with its reason: warnings, so not counted as errors and
/// never blocking a save. Only a draft with findings gets the section.
fn lint(b: &mut Body, form: &Form, theme: Theme, width: usize) {
    if form.lint.is_empty() {
        return;
    }
    b.lines.push(Line::raw(""));
    b.lines.push(Line::from(vec![
        Span::styled(format!(" Lint ({})", form.lint.len()), theme.warning()),
        Span::styled(" · warnings only: saving is still allowed", theme.dim()),
    ]));
    for (label, reason) in &form.lint {
        let text = format!("{label}: {}", sanitize(reason));
        for (i, line) in wrap(&text, width.saturating_sub(5).max(10))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 { "  ⚠ " } else { "    " };
            b.lines.push(Line::from(vec![
                Span::styled(lead, theme.warning()),
                Span::raw(line),
            ]));
        }
    }
}

/// The description from its text area, one line per line, the cursor shown when focused. The
/// focused description wraps to the input's `room`, so the cursor never leaves the screen; an
/// unfocused one shows each line cut to fit.
fn description(b: &mut Body, form: &Form, theme: Theme, room: usize) {
    let lines = form.description.lines();
    let focused = form.focused() == Target::Description;
    let (row, col) = (form.description.cursor().0, form.description.cursor().1);
    let count = form.data.description.chars().count();
    let counter = Span::styled(
        format!("  {count}/{MAX_DESCRIPTION_CHARS}"),
        if count > MAX_DESCRIPTION_CHARS {
            theme.error()
        } else {
            theme.dim()
        },
    );
    let label = |first: bool| -> Span<'static> {
        if !first {
            return Span::raw(" ".repeat(LABEL + 2));
        }
        let marker = if focused { "▶ " } else { "  " };
        let style = if focused {
            theme.heading()
        } else {
            Style::new()
        };
        Span::styled(
            format!("{marker}{:<width$}", "Description", width = LABEL),
            style,
        )
    };
    if !focused {
        for (k, l) in lines.iter().enumerate() {
            let mut line = vec![label(k == 0)];
            if k == 0 && lines.len() == 1 && l.is_empty() {
                line.push(unset("none", theme));
            } else {
                let fit = if k == 0 {
                    room.saturating_sub(counter.width())
                } else {
                    room
                };
                line.push(Span::raw(truncate_to_width(&sanitize(l), fit)));
            }
            if k == 0 {
                line.push(counter.clone());
            }
            b.lines.push(Line::from(line));
        }
        b.errors(form, Target::Description);
        return;
    }
    let wrapped = input::wrapped(lines, Some((row, col)), room);
    // The counter follows a description that fits on one row, else it goes on the hint line.
    let one_row =
        wrapped.rows.len() == 1 && display_width(&wrapped.rows[0]) + 1 + counter.width() <= room;
    let first = b.lines.len();
    for (k, text) in wrapped.rows.iter().enumerate() {
        let mut line = vec![label(k == 0)];
        match wrapped.cursor {
            Some((r, c)) if r == k => {
                b.focus_line = first + k;
                line.push(Span::raw(text.chars().take(c).collect::<String>()));
                line.push(Span::styled("▏", theme.heading()));
                line.push(Span::raw(text.chars().skip(c).collect::<String>()));
            }
            _ => line.push(Span::raw(text.clone())),
        }
        if k == 0 && one_row {
            line.push(counter.clone());
        }
        b.lines.push(Line::from(line));
    }
    let mut hint = vec![Span::styled(
        format!(
            "{:width$}Enter: new line · Tab: next input",
            "",
            width = LABEL + 2
        ),
        theme.dim(),
    )];
    if !one_row {
        hint.push(counter);
    }
    b.lines.push(Line::from(hint));
    b.errors(form, Target::Description);
}
