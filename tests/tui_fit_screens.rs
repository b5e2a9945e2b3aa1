//! What fits on the screen, as snapshots at 80×24, 120×36 and 160×48: a long notice wraps
//! instead of losing its reason (status bar and form footer), text inputs longer than their
//! room follow the cursor, pane titles say what the pane shows and mark the focus without
//! colour. Volatile text (times) is filtered out.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tui::{keys, loaded, render, send, snap};
use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use zscore::api::{ApiError, ZohoError};
use zscore::journal::writes::WriteError;
use zscore::tui::app::{App, Pane};
use zscore::tui::effects::Effect;
use zscore::tui::event::Msg;
use zscore::tui::outcome::{Change, Failure};
use zscore::tui::view::Theme;

/// The frame as a terminal of `width`×`height` shows it, the app told the size first.
fn screen_with(app: &mut App, width: u16, height: u16, theme: Theme) -> Terminal<TestBackend> {
    app.update(Msg::Resize { width, height });
    render(app, width, height, theme)
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    screen_with(app, width, height, Theme { color: true })
        .backend()
        .to_string()
}

/// The rows of a snapshot string, with the quoting `TestBackend` adds taken off.
fn rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .map(|l| l.trim_matches('"').trim_end().to_string())
        .collect()
}

/// The screen's rows below the panes' bottom border, joined as the text they wrap.
fn status_text(screen: &str) -> String {
    let rows = rows(screen);
    let border = rows.iter().rposition(|l| l.contains('└')).unwrap();
    rows[border + 1..]
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the app shows when Zoho refuses an activation for the edition's limit.
const REFUSED: &str = "not activated: More than 1 active scoring rules cannot be created for a module in this edition; deactivate or delete another rule first (ACTIVE_STATE_LIMIT_EXCEEDED) — “Stale Lead Decay”";

/// Leads → Standard → Stale Lead Decay, `a`, and the refusal arriving.
fn refused_activation() -> App {
    let mut app = loaded();
    keys(&mut app, "\nj\njj");
    assert_eq!(app.current_rule().unwrap().name, "Stale Lead Decay");
    let effects = keys(&mut app, "a");
    let [Effect::SetActive { request, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    app.update(Msg::RuleChanged {
        request: *request,
        change: Change::SetActive {
            name: "Stale Lead Decay".into(),
            active: true,
        },
        // Zoho's refusal as the runner reports it; the app words it as REFUSED.
        result: Err(Failure::Write(WriteError::Api(ApiError::Zoho(ZohoError {
            status: 400,
            code: "ACTIVE_STATE_LIMIT_EXCEEDED".into(),
            message:
                "More than 1 active scoring rules cannot be created for a module in this edition."
                    .into(),
            details: serde_json::json!({}),
        })))),
    });
    app
}

#[test]
fn a_long_notice_wraps_onto_more_rows_instead_of_losing_its_end() {
    let mut app = refused_activation();
    for (width, height) in [(80, 24), (120, 36)] {
        let s = screen(&mut app, width, height);
        let status = status_text(&s);
        assert!(status.ends_with(&format!("✗ {REFUSED}")), "{s}");
        snap!(format!("notice_refused_{width}x{height}"), s);
    }
    // The next key clears it, and the panes get their rows back.
    keys(&mut app, "k");
    let s = screen(&mut app, 80, 24);
    assert!(!s.contains("not activated"), "{s}");
    assert_eq!(rows(&s)[21].chars().next(), Some('└'), "{s}");
}

#[test]
fn the_forms_notice_has_rows_of_its_own() {
    let mut app = loaded();
    // Leads → Standard → Enterprise Fit, e; on the name, Ctrl-R (add a condition) has no
    // field rule to add to, and says so.
    keys(&mut app, "\nj\nje");
    send(&mut app, KeyCode::Char('r'), KeyModifiers::CONTROL);
    let notice = &app.notice.as_ref().unwrap().text;
    assert!(notice.contains("move to a field rule first"), "{notice}");
    let s = screen(&mut app, 80, 24);
    let rows = rows(&s);
    assert!(
        rows[23].contains("✗ move to a field rule first (its score or a condition) to add a"),
        "{s}"
    );
    snap!("form_notice_80x24", s);
}

#[test]
fn typing_past_the_end_of_an_input_keeps_the_cursor_and_new_text_in_view() {
    let mut app = loaded();
    keys(&mut app, "\nj\nj");
    keys(&mut app, "e");
    // The name: 25 characters fit the API; the input shows what is typed past its room.
    keys(&mut app, " and then some more words at the end XYZ");
    let s = screen(&mut app, 80, 24);
    let name = rows(&s).into_iter().find(|r| r.contains("▶ Name")).unwrap();
    assert!(name.contains("end XYZ▏"), "{s}");
    assert!(name.contains("…"), "the start is cut, marked: {name}");
    snap!("form_long_name_80x24", s);

    // The description wraps: the cursor row is on screen with what was just typed.
    keys(&mut app, "\t");
    let long = "word ".repeat(40);
    keys(&mut app, &format!("{long}LAST"));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("LAST▏"), "{s}");
    snap!("form_long_description_80x24", s);

    // A criterion's value: Home and End move the view with the cursor.
    let mut app = loaded();
    keys(&mut app, "\nj\nje");
    // Lead Status in (Not Qualified, Lost Lead): the third field rule's value.
    let value = zscore::tui::form::target::Target::Value(2, 0);
    while app.form.as_ref().unwrap().focused() != value {
        send(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    }
    keys(
        &mut app,
        ", Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda",
    );
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Lambda▏"), "{s}");
    send(&mut app, KeyCode::Home, KeyModifiers::NONE);
    let s = screen(&mut app, 80, 24);
    let value = rows(&s)
        .into_iter()
        .find(|r| r.contains('▶') && r.contains("value"))
        .unwrap();
    assert!(
        value.contains("value      ▏Not Qualified"),
        "the start in view: {value}"
    );
    assert!(value.contains("…"), "{value}");
    snap!("form_long_value_home_80x24", s);
}

#[test]
fn titles_say_what_the_pane_shows_and_mark_the_focus_without_colour() {
    let mut app = loaded();
    keys(&mut app, "\nj\nj");
    assert_eq!(app.focus, Pane::Rules);
    for (width, height) in [(80, 24), (160, 48)] {
        let terminal = screen_with(&mut app, width, height, Theme { color: false });
        for cell in terminal.backend().buffer().content() {
            assert_eq!(cell.fg, Color::Reset, "{cell:?}");
        }
        let s = terminal.backend().to_string();
        let title_row = &rows(&s)[0];
        assert_eq!(title_row.matches('▶').count(), 1, "{title_row}");
        assert!(
            title_row.contains("▶ Rules · Leads / Standard"),
            "{title_row}"
        );
        assert!(title_row.contains("Rule · Enterprise Fit"), "{title_row}");
        snap!(format!("titles_no_color_{width}x{height}"), s);
    }
    // Each pane in turn, Tab going round from the last to the first.
    for expected in ["▶ Rule · Enterprise Fit", "▶ Modules", "▶ Layouts · Leads"] {
        keys(&mut app, "\t");
        let s = screen_with(&mut app, 80, 24, Theme { color: false })
            .backend()
            .to_string();
        let title_row = &rows(&s)[0];
        assert!(title_row.contains(expected), "{title_row}");
        assert_eq!(title_row.matches('▶').count(), 1, "{title_row}");
    }
}

#[test]
fn a_notice_longer_than_a_third_of_the_screen_says_bang_shows_it_whole() {
    let mut app = loaded();
    keys(&mut app, "\nj\njj");
    let effects = keys(&mut app, "a");
    let [Effect::SetActive { request, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let reason: String = (1..=150).map(|i| format!("reason{i} ")).collect();
    app.update(Msg::RuleChanged {
        request: *request,
        change: Change::SetActive {
            name: "Stale Lead Decay".into(),
            active: true,
        },
        result: Err(Failure::Other(format!("not activated: {reason}END"))),
    });
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("… ! shows the whole notice"), "{s}");
    snap!("notice_cut_80x24", s);
    keys(&mut app, "!G");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("reason150 END"), "{s}");
    snap!("notice_whole_end_80x24", s);
}

#[test]
fn a_long_filter_shows_its_end_where_typing_goes() {
    let mut app = loaded();
    keys(
        &mut app,
        "\nj\n/no rule is named like this long filter text",
    );
    let s = screen(&mut app, 80, 24);
    let title = &rows(&s)[0];
    assert!(title.contains("/…"), "{title}");
    assert!(title.contains("text▏"), "{title}");
    assert!(s.contains("(nothing matches the filter)"), "{s}");
}
