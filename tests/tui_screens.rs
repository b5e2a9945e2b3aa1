//! Screen snapshots of the TUI drawn on ratatui's `TestBackend`, at 80×24 (the smallest
//! supported) and 160×48: loading, the main screen with a rule open, help, a filter, a load
//! error, a retry in the status bar, and NO_COLOR. Volatile text (times) is filtered out.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tui::{keys, loaded, render, sandbox, screen, seeded, snap, started};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Color;
use zscore::tui::event::Msg;
use zscore::tui::view::{self, Theme};

#[test]
fn loading() {
    let app = started(sandbox());
    snap!("loading_80x24", screen(&app, 80, 24));
    snap!("loading_160x48", screen(&app, 160, 48));
}

#[test]
fn main_screen_with_a_rule_open() {
    let mut app = loaded();
    // Leads → Standard → second rule → detail.
    keys(&mut app, "\nj\nj\n");
    snap!("rule_open_80x24", screen(&app, 80, 24));
    snap!("rule_open_160x48", screen(&app, 160, 48));
}

#[test]
fn help_overlay() {
    let mut app = loaded();
    keys(&mut app, "?");
    snap!("help_80x24", screen(&app, 80, 24));
    snap!("help_160x48", screen(&app, 160, 48));
    // At 80×24 the rest is reached by scrolling: a page down shows more above and below, the
    // end shows the score lab's keys and nothing more below.
    app.key(KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE));
    snap!("help_80x24_page_down", screen(&app, 80, 24));
    keys(&mut app, "G");
    snap!("help_80x24_end", screen(&app, 80, 24));
    keys(&mut app, "g");
    snap!("help_80x24_top_again", screen(&app, 80, 24));
}

#[test]
fn filter_active() {
    let mut app = loaded();
    // Leads → Standard → rules, typing "de" (Inbound Demand, Stale Lead Decay).
    keys(&mut app, "ljl/de");
    snap!("filter_80x24", screen(&app, 80, 24));
    snap!("filter_160x48", screen(&app, 160, 48));
}

#[test]
fn load_error() {
    let mut app = started(sandbox());
    app.update(Msg::SnapshotLoaded {
        request: 1,
        result: Err("network error: connection refused".into()),
    });
    snap!("error_80x24", screen(&app, 80, 24));
    snap!("error_160x48", screen(&app, 160, 48));
}

/// The client's retry hook reaches the status bar while the org loads (the text is the
/// client's own `RetryNotice::text`), escaped if the reason carries anything odd.
#[test]
fn a_retry_is_shown_in_the_status_bar() {
    let mut app = started(sandbox());
    let notice = zscore::api::RetryNotice {
        attempt: 2,
        of: Some(5),
        wait: std::time::Duration::from_millis(400),
        why: "HTTP 503\u{1b}[2J".into(),
    };
    app.update(Msg::Retrying(notice.text()));
    let small = screen(&app, 80, 24);
    assert!(
        small.contains("Zoho is not answering (HTTP 503\\u{1b}[2J), retry 2 of 5"),
        "{small}"
    );
    snap!("retrying_80x24", small);
    snap!("retrying_160x48", screen(&app, 160, 48));
}

#[test]
fn no_color_uses_no_colour_and_still_marks_state() {
    let mut app = loaded();
    // Leads → Standard, which has active and inactive rules.
    keys(&mut app, "ljl");
    let terminal = render(&app, 160, 48, Theme { color: false });
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        assert_eq!(cell.fg, Color::Reset, "{cell:?}");
        assert_eq!(cell.bg, Color::Reset, "{cell:?}");
    }
    let text = terminal.backend().to_string();
    assert!(text.contains('●') && text.contains('○'), "{text}");
    snap!("no_color_160x48", text);
}

#[test]
fn hostile_org_text_is_inert_and_wide_text_aligned() {
    let mut snap = seeded();
    let rule = snap
        .rules
        .iter_mut()
        .find(|r| r.module.api_name == "Leads" && r.layout.is_none())
        .unwrap();
    rule.name = "营销\u{1b}[2J线索".into();
    let mut app = started(sandbox());
    app.update(Msg::SnapshotLoaded {
        request: 1,
        result: Ok(snap),
    });
    keys(&mut app, "ll");
    let text = screen(&app, 160, 48);
    assert!(!text.contains('\u{1b}'));
    assert!(text.contains("营销\\u{1b}[2J线索"), "{text}");
    // The rule's row ends in the pane's border at the same column as the top border: the
    // wide characters did not shift it.
    let terminal = render(&app, 160, 48, Theme { color: true });
    let buffer = terminal.backend().buffer();
    let areas = view::pane_areas(app.focus, Rect::new(0, 0, 160, 46));
    let (_, rules) = areas[2];
    let right = rules.right() - 1;
    assert_eq!(buffer[(right, 0)].symbol(), "┐");
    assert_eq!(buffer[(right, 1)].symbol(), "│");
    assert_eq!(buffer[(rules.x + 1, 1)].symbol(), "●");
}

#[test]
fn delete_confirmations() {
    let mut app = loaded();
    // Leads → Standard → Stale Lead Decay: a one-key confirmation.
    keys(&mut app, "ljljjd");
    snap!("confirm_delete_80x24", screen(&app, 80, 24));
    keys(&mut app, "\x1b");
    // Leads → Partner Referral → Partner Referrals: owns a custom field, so its name is typed.
    keys(&mut app, "hkkkjjldPartner");
    snap!("confirm_delete_typed_80x24", screen(&app, 80, 24));
    snap!("confirm_delete_typed_160x48", screen(&app, 160, 48));
}

#[test]
fn execution_progress_half_way() {
    use zscore::jobs::execute::ExecEvent;
    let mut app = loaded();
    keys(&mut app, "ljlXy");
    app.update(Msg::Exec {
        request: 2,
        event: ExecEvent::Job {
            index: 0,
            job_id: zscore::domain::Id::new("7"),
            state: "running".into(),
            processed: 50,
            total: 100,
        },
    });
    snap!("execute_50_80x24", screen(&app, 80, 24));
}
