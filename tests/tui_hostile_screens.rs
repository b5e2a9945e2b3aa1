//! The TUI's main screen and rule detail with rules built to attack a terminal: escape
//! sequences (CSI, OSC 8 hyperlink, OSC 52 clipboard, C1 CSI), bidi overrides and isolates,
//! zero-width characters and 10,000-character names, in names, descriptions, criteria values
//! and the org's name. Nothing reaches the screen buffer as a control, and the panes keep their
//! borders where a benign org has them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tui::{keys, loaded_from, render, sandbox, seeded};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;
use zscore::domain::{Criteria, OrgSnapshot};
use zscore::tui::app::App;
use zscore::tui::event::Msg;
use zscore::tui::view::Theme;

const ATTACK: &str = "Hot\u{1b}[2J\u{1b}[31mRED\u{1b}]8;;https://evil.example\u{1b}\\click\u{1b}]8;;\u{1b}\\\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{9b}1m\u{202e}gnp.exe\u{2066}iso\u{2069}zero\u{200b}width\u{feff}end";

/// Every Leads rule made hostile, so whichever the keys open is one.
fn hostile() -> OrgSnapshot {
    let mut snap = seeded();
    snap.org_name = format!("Org{ATTACK}");
    for (i, rule) in snap
        .rules
        .iter_mut()
        .filter(|r| r.module.api_name == "Leads")
        .enumerate()
    {
        rule.name = format!("{i}{ATTACK}{}", "N".repeat(10_000));
        rule.description = Some(format!("{ATTACK}{}", "D".repeat(10_000)));
        if let Some(fr) = rule.field_rules.first_mut() {
            let mut c = fr.criteria.clone();
            set_values(&mut c);
            fr.criteria = c;
        }
    }
    snap
}

fn set_values(c: &mut Criteria) {
    match c {
        Criteria::Condition(cond) => cond.value = json!(ATTACK),
        Criteria::Group(g) => g.group.iter_mut().for_each(set_values),
    }
}

fn app_with(snap: OrgSnapshot) -> App {
    let mut app = loaded_from(sandbox(), snap);
    // Leads → Standard → second rule → detail (as in tui_screens.rs).
    keys(&mut app, "\nj\nj\n");
    app
}

fn dangerous(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        || matches!(c, '\u{200B}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Per row of the panes (the two status lines below them excluded), the columns holding a
/// box-drawing border.
fn borders(t: &Terminal<TestBackend>) -> Vec<Vec<u16>> {
    let buf = t.backend().buffer();
    (0..buf.area.height - 2)
        .map(|y| {
            (0..buf.area.width)
                .filter(|&x| {
                    matches!(
                        buf[(x, y)].symbol(),
                        "│" | "┌" | "┐" | "└" | "┘" | "├" | "┤" | "╭" | "╮" | "╰" | "╯"
                    )
                })
                .collect()
        })
        .collect()
}

#[test]
fn hostile_rules_render_inert_truncated_and_aligned() {
    let hostile_app = app_with(hostile());
    let benign_app = app_with(seeded());
    for (w, h) in [(80u16, 24u16), (160, 48)] {
        let t = render(&hostile_app, w, h, Theme { color: true });
        for cell in t.backend().buffer().content() {
            if let Some(c) = cell.symbol().chars().find(|c| dangerous(*c)) {
                panic!("U+{:04X} on screen at {w}x{h}:\n{}", c as u32, t.backend());
            }
        }
        let text = t.backend().to_string();
        assert!(
            text.contains("\\u{1b}[2J"),
            "the escape is shown, defused:\n{text}"
        );
        assert!(text.contains("\\u{202e}"), "bidi shown:\n{text}");
        assert!(
            !text.contains(&"N".repeat(3 * usize::from(w))),
            "names are cut:\n{text}"
        );
        assert!(
            text.contains("Field rules"),
            "the rest of the detail is still on screen:\n{text}"
        );
        assert_eq!(
            borders(&t),
            borders(&render(&benign_app, w, h, Theme { color: true })),
            "pane borders moved at {w}x{h}:\n{text}"
        );
        insta::with_settings!({
            snapshot_path => "snapshots",
            filters => vec![(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}( [+-]\d{2}:\d{2})?", "[yyyy-mm-dd hh:mm zone]")],
        }, {
            insta::assert_snapshot!(format!("hostile_rule_open_{w}x{h}"), text);
        });
    }
}

/// The zero-width joiner fuses its neighbours into one glyph on some terminals and not others,
/// which left stale characters on screen ("○○", a stray "H", a "+" in the edit form). It is
/// shown escaped in the panes, the detail and the rule form, and never reaches a cell raw.
#[test]
fn the_zero_width_joiner_never_reaches_the_screen() {
    let mut snap = seeded();
    for rule in snap
        .rules
        .iter_mut()
        .filter(|r| r.module.api_name == "Leads")
    {
        rule.name = format!(
            "\u{25cb}\u{200d}\u{25cb} H\u{200d}ot +\u{200d}{}",
            rule.name
        );
        rule.description = Some("a\u{200d}b \u{1f468}\u{200d}\u{1f469}".into());
    }
    let mut app = app_with(snap);
    for (w, h) in [(80u16, 24u16), (160, 48)] {
        let t = render(&app, w, h, Theme { color: true });
        let text = t.backend().to_string();
        assert!(
            t.backend()
                .buffer()
                .content()
                .iter()
                .all(|c| !c.symbol().contains('\u{200d}')),
            "a raw joiner at {w}x{h}:\n{text}"
        );
        assert!(
            text.contains("\\u{200d}"),
            "shown escaped at {w}x{h}:\n{text}"
        );
    }
    // The edit form on the same rule.
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('e'),
        KeyModifiers::NONE,
    )));
    assert!(app.form.is_some(), "the edit form opened");
    for (w, h) in [(80u16, 24u16), (160, 48)] {
        let t = render(&app, w, h, Theme { color: true });
        let text = t.backend().to_string();
        assert!(
            t.backend()
                .buffer()
                .content()
                .iter()
                .all(|c| !c.symbol().contains('\u{200d}')),
            "a raw joiner in the form at {w}x{h}:\n{text}"
        );
        assert!(
            text.contains("\\u{200d}"),
            "shown escaped in the form:\n{text}"
        );
    }
}
