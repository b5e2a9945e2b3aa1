//! State tests for what the screen does with keys: scrolling that stops at the last page and
//! moves at once after it (the app knows every viewport's height), Tab round the panes, and
//! keys with nothing to act on saying why. Real key sequences into `App`, on the seeded org.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Pane, Popup};
use super::event::Msg;
use super::test_support::{code, loaded_at as loaded, press};
use super::text::rows;
use super::view::layout;

/// Leads → Standard → "Enterprise Fit" (three field rules, a long detail) → its detail.
fn on_enterprise_fit_detail(app: &mut App) {
    press(app, "ljljl");
    assert_eq!(app.focus, Pane::Detail);
    assert_eq!(app.current_rule().unwrap().name, "Enterprise Fit");
}

/// Rows of the detail's text and rows the pane shows, as the view lays them out.
fn detail_extent(app: &App) -> (u16, u16) {
    let text = layout::detail_text(app.focus, layout::main_area(app, app.screen));
    let total = rows(&app.detail_doc(), super::detail::wrap_width(text.width)).len();
    (u16::try_from(total).unwrap(), text.height)
}

#[test]
fn g_end_in_the_detail_shows_the_last_page_and_k_moves_at_once() {
    // Short enough that the detail does not fit.
    let mut app = loaded(80, 14);
    on_enterprise_fit_detail(&mut app);
    let (total, visible) = detail_extent(&app);
    assert!(total > visible + 2, "{total} rows in {visible}");
    let last_page = total - visible;
    press(&mut app, "G");
    assert_eq!(app.detail_scroll, last_page, "the last line at the bottom");
    press(&mut app, "k");
    assert_eq!(app.detail_scroll, last_page - 1, "k right after G moves");
    press(&mut app, &"j".repeat(500));
    assert_eq!(app.detail_scroll, last_page, "j stops at the end");
    press(&mut app, "k");
    assert_eq!(app.detail_scroll, last_page - 1);
    press(&mut app, "g");
    assert_eq!(app.detail_scroll, 0);
    code(&mut app, KeyCode::PageDown);
    assert_eq!(app.detail_scroll, (visible - 1).min(last_page));
    for _ in 0..50 {
        code(&mut app, KeyCode::PageDown);
    }
    assert_eq!(app.detail_scroll, last_page, "PgDn stops at the end");
    code(&mut app, KeyCode::PageUp);
    assert_eq!(app.detail_scroll, last_page.saturating_sub(visible - 1));
    code(&mut app, KeyCode::End);
    code(&mut app, KeyCode::Up);
    assert_eq!(app.detail_scroll, last_page - 1);
}

#[test]
fn a_detail_that_fits_does_not_scroll_and_a_larger_screen_pulls_the_offset_back() {
    let mut app = loaded(80, 14);
    on_enterprise_fit_detail(&mut app);
    press(&mut app, "G");
    assert!(app.detail_scroll > 0);
    app.update(Msg::Resize {
        width: 160,
        height: 48,
    });
    assert_eq!(app.detail_scroll, 0, "everything fits at 160×48");
    press(&mut app, "jjjG");
    assert_eq!(app.detail_scroll, 0);
}

#[test]
fn the_help_after_g_shows_its_end_and_k_moves_at_once() {
    let mut app = loaded(80, 24);
    press(&mut app, "?");
    let main = layout::main_area(&app, app.screen);
    let visible =
        usize::from(layout::inner(layout::help_box(main, app.keys.text.overlay_lines())).height);
    assert!(
        app.keys.text.overlay_lines() > visible,
        "the help scrolls at 80×24"
    );
    let last_page = u16::try_from(app.keys.text.overlay_lines() - visible).unwrap();
    let scroll = |app: &App| match app.popup {
        Some(Popup::Help(s)) => s,
        ref other => panic!("{other:?}"),
    };
    press(&mut app, "G");
    assert_eq!(scroll(&app), last_page);
    press(&mut app, "k");
    assert_eq!(scroll(&app), last_page - 1, "one k after G moves one line");
    press(&mut app, &"j".repeat(100));
    assert_eq!(scroll(&app), last_page);
    code(&mut app, KeyCode::PageUp);
    assert_eq!(
        scroll(&app),
        last_page.saturating_sub(u16::try_from(visible - 1).unwrap())
    );
    code(&mut app, KeyCode::PageDown);
    assert_eq!(scroll(&app), last_page);
}

#[test]
fn the_app_knows_the_screen_from_the_resize_it_is_given() {
    let mut app = loaded(80, 24);
    app.update(Msg::Resize {
        width: 123,
        height: 45,
    });
    assert_eq!(app.screen, ratatui::layout::Rect::new(0, 0, 123, 45));
}

#[test]
fn tab_and_shift_tab_go_round_the_panes_while_l_and_h_stop_at_the_ends() {
    let mut app = loaded(80, 24);
    let mut seen = Vec::new();
    for _ in 0..5 {
        code(&mut app, KeyCode::Tab);
        seen.push(app.focus);
    }
    assert_eq!(
        seen,
        [
            Pane::Layouts,
            Pane::Rules,
            Pane::Detail,
            Pane::Modules,
            Pane::Layouts
        ]
    );
    code(&mut app, KeyCode::BackTab);
    code(&mut app, KeyCode::BackTab);
    assert_eq!(
        app.focus,
        Pane::Detail,
        "Shift-Tab from the first is the last"
    );
    press(&mut app, "lll");
    assert_eq!(app.focus, Pane::Detail);
    press(&mut app, "hhhhh");
    assert_eq!(app.focus, Pane::Modules);
}

#[test]
fn rule_keys_outside_the_rules_say_why_instead_of_doing_nothing() {
    for (pane_keys, pane) in [("", Pane::Modules), ("l", Pane::Layouts)] {
        for key in ['a', 'c', 'd', 'x', 'X', 'm', 'p', 'H'] {
            let mut app = loaded(80, 24);
            press(&mut app, pane_keys);
            assert_eq!(app.focus, pane);
            let effects = app.update(Msg::Key(KeyEvent::new(
                KeyCode::Char(key),
                KeyModifiers::NONE,
            )));
            assert!(effects.is_empty(), "{key}: {effects:?}");
            assert_eq!(app.popup, None, "{key}");
            assert!(app.lab.view.is_none(), "{key}");
            let notice = app
                .notice
                .as_ref()
                .unwrap_or_else(|| panic!("{key} is silent"));
            assert!(notice.error, "{key}");
            assert!(notice.text.contains("Rules pane"), "{key}: {}", notice.text);
        }
    }
}

#[test]
fn rule_keys_on_an_empty_rules_list_say_there_is_no_rule() {
    let mut app = loaded(80, 24);
    // Leads → Standard → the rules, filtered to nothing.
    press(&mut app, "ljl/zzzz");
    code(&mut app, KeyCode::Enter);
    assert!(app.rules().is_empty());
    for key in ['a', 'c', 'd', 'x', 'm', 'p', 'H'] {
        app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char(key),
            KeyModifiers::NONE,
        )));
        let notice = app
            .notice
            .as_ref()
            .unwrap_or_else(|| panic!("{key} is silent"));
        assert!(
            notice.text.starts_with("no rule selected"),
            "{key}: {}",
            notice.text
        );
    }
}

#[test]
fn a_notice_too_long_for_the_status_bar_opens_whole_on_bang_and_scrolls() {
    let mut app = loaded(80, 24);
    // Leads → Standard → Stale Lead Decay, a, and a refusal far longer than a third of the
    // screen can hold.
    press(&mut app, "ljljj");
    let effects = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('a'),
        KeyModifiers::NONE,
    )));
    let [super::effects::Effect::SetActive { request, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let reason: String = (1..=300).map(|i| format!("reason{i} ")).collect();
    app.update(Msg::RuleChanged {
        request: *request,
        change: super::outcome::Change::SetActive {
            name: "Stale Lead Decay".into(),
            active: true,
        },
        result: Err(super::outcome::Failure::Other(format!(
            "not activated: {reason}END"
        ))),
    });
    let notice = app.notice.clone().unwrap();
    let rows = layout::notice_rows(&notice, app.screen);
    assert_eq!(rows.len(), layout::notice_rows_max(24));
    let last: String = rows
        .last()
        .unwrap()
        .iter()
        .map(|(_, t)| t.as_str())
        .collect();
    assert!(last.contains("! shows the whole notice"), "{last}");

    press(&mut app, "!");
    let Some(Popup::Notice(view)) = &app.popup else {
        panic!("{:?}", app.popup)
    };
    assert_eq!(view.notice, notice);
    let text = layout::inner(layout::history_box(app.screen));
    let total = layout::whole_notice_rows(&notice, text.width).len();
    let all: String = layout::whole_notice_rows(&notice, text.width)
        .iter()
        .flatten()
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(all.contains("reason1 ") && all.ends_with("END"), "{all}");
    let scroll = |app: &App| match &app.popup {
        Some(Popup::Notice(v)) => v.scroll,
        other => panic!("{other:?}"),
    };
    // Longer than the popup too: it scrolls to its end and back.
    let last_page = u16::try_from(total.saturating_sub(usize::from(text.height))).unwrap();
    assert!(last_page > 0, "{total} rows in {}", text.height);
    press(&mut app, "G");
    assert_eq!(scroll(&app), last_page);
    press(&mut app, "k");
    assert_eq!(scroll(&app), last_page - 1);
    press(&mut app, &"j".repeat(50));
    assert_eq!(scroll(&app), last_page);
    code(&mut app, KeyCode::Esc);
    assert_eq!(app.popup, None);
    // With no notice, ! says there is none.
    press(&mut app, "k!");
    assert_eq!(app.popup, None);
    assert!(app.notice.unwrap().text.contains("no notice"));
}
