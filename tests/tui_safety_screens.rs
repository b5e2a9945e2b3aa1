//! Screen snapshots of the TUI's safety features at 80×24 and 160×48: the READ-ONLY status
//! bar, a red accent (checked cell by cell, since text snapshots carry no colour), the move
//! dialog's two stages, a rule's history, and the undo confirmation.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::TimeZone;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::style::Color;
use zscore::domain::{Edition, OrgSnapshot};
use zscore::tui::app::{App, Pane, Source};
use zscore::tui::event::Msg;
use zscore::tui::history::{HistoryItem, UndoPlan};
use zscore::tui::view::{self, Theme};

fn seeded() -> OrgSnapshot {
    let now = chrono::Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
    zscore::sandbox::seed::load_embedded(now)
        .unwrap()
        .snapshot(Edition::Enterprise)
}

fn loaded(source: Source) -> App {
    let mut app = App::new(source);
    app.start();
    app.update(Msg::SnapshotLoaded {
        request: 1,
        result: Ok(seeded()),
    });
    app
}

fn sandbox() -> Source {
    Source {
        label: "built-in sandbox".into(),
        sandbox: true,
    }
}

fn keys(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\x1b' => KeyCode::Esc,
            c => KeyCode::Char(c),
        };
        app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }
}

fn render(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| view::draw(f, app, Theme { color: true }))
        .unwrap();
    terminal
}

fn screen(app: &App, width: u16, height: u16) -> String {
    render(app, width, height).backend().to_string()
}

macro_rules! snap {
    ($name:expr, $screen:expr) => {
        insta::with_settings!({
            snapshot_path => "snapshots",
            filters => vec![(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}( [+-]\d{2}:\d{2})?", "[yyyy-mm-dd hh:mm zone]")],
        }, {
            insta::assert_snapshot!($name, $screen);
        });
    };
}

#[test]
fn read_only_status_bar() {
    let mut app = loaded(sandbox());
    app.readonly = Some("started with --readonly".into());
    keys(&mut app, "ljl");
    let small = screen(&app, 80, 24);
    assert!(small.contains("READ-ONLY"), "{small}");
    snap!("readonly_80x24", small);
    keys(&mut app, "d");
    let big = screen(&app, 160, 48);
    assert!(
        big.contains("read-only: deleting is off (started with --readonly)"),
        "{big}"
    );
    snap!("readonly_refused_160x48", big);
}

#[test]
fn accent_red_colours_the_status_bar_and_the_focused_border() {
    let mut app = loaded(Source {
        label: "profile prod".into(),
        sandbox: false,
    });
    app.accent = Some(Color::Red);
    keys(&mut app, "l");
    for (w, h) in [(80u16, 24u16), (160, 48)] {
        let terminal = render(&app, w, h);
        let buffer = terminal.backend().buffer();
        // The badge on the status bar's first line.
        let badge = &buffer[(1, h - 2)];
        assert_eq!(badge.fg, Color::Red, "{badge:?}");
        assert_eq!(badge.symbol(), "p");
        // The focused pane's border; the others keep theirs.
        let areas = view::pane_areas(app.focus, view::main_area(Rect::new(0, 0, w, h)));
        for (pane, area) in areas {
            let corner = &buffer[(area.x, area.y)];
            if pane == Pane::Layouts {
                assert_eq!(corner.fg, Color::Red, "{pane:?} {corner:?}");
            } else {
                assert_ne!(corner.fg, Color::Red, "{pane:?} {corner:?}");
            }
        }
        snap!(
            format!("accent_red_{w}x{h}"),
            terminal.backend().to_string()
        );
    }
}

#[test]
fn move_dialog() {
    let mut app = loaded(sandbox());
    // Leads → Standard → Inbound Demand, move.
    keys(&mut app, "ljlm");
    snap!("move_pick_80x24", screen(&app, 80, 24));
    snap!("move_pick_160x48", screen(&app, 160, 48));
    keys(&mut app, "j\n");
    snap!("move_steps_80x24", screen(&app, 80, 24));
    snap!("move_steps_160x48", screen(&app, 160, 48));
}

#[test]
fn history_popup() {
    let mut app = loaded(sandbox());
    keys(&mut app, "ljlH");
    let loading = screen(&app, 80, 24);
    assert!(loading.contains("reading the change journal"), "{loading}");
    let items = vec![
        HistoryItem {
            seq: 4,
            time: "2026-11-01T12:00:00Z".into(),
            op: "deactivate".into(),
            outcome: "ok".into(),
            ok: Some(true),
            diff: vec!["active: true → false".into()],
        },
        HistoryItem {
            seq: 5,
            time: "2026-11-01T12:05:00Z".into(),
            op: "activate".into(),
            outcome: "failed: LIMIT_EXCEEDED More than 5 active scoring rules".into(),
            ok: Some(false),
            diff: vec![],
        },
        HistoryItem {
            seq: 6,
            time: "2026-11-01T12:06:00Z".into(),
            op: "update".into(),
            outcome: "outcome unknown (no answer recorded)".into(),
            ok: None,
            diff: vec![],
        },
    ];
    app.update(Msg::HistoryLoaded {
        request: 2,
        result: Ok(items),
    });
    snap!("history_80x24", screen(&app, 80, 24));
    snap!("history_160x48", screen(&app, 160, 48));
}

#[test]
fn undo_confirmation() {
    let mut app = loaded(sandbox());
    keys(&mut app, "u");
    app.update(Msg::UndoReady {
        request: 2,
        result: Ok(UndoPlan {
            group: 1,
            title: "the move of “Enterprise Fit” to Event Leads".into(),
            lines: vec![
                "#9 activate: deactivate “zscore-move-1234” again".into(),
                "    active: false → true".into(),
                "#8 update: put “zscore-move-1234” back as it was before".into(),
                "    name: \"zscore-move-1234\" → \"Enterprise Fit\"".into(),
                "#7 delete: re-create “Enterprise Fit” (it gets a new id)".into(),
                "    - rule 5843104000000101 \"Enterprise Fit\"".into(),
                "#6 create: delete rule 5843104000000900, which it created".into(),
                "    + rule 5843104000000900 \"zscore-move-1234\"".into(),
            ],
        }),
    });
    snap!("undo_confirm_80x24", screen(&app, 80, 24));
    snap!("undo_confirm_160x48", screen(&app, 160, 48));
}

#[test]
fn progressive_loading_shows_the_modules_before_the_rest() {
    use zscore::tui::loading::Part;
    let full = seeded();
    let mut app = App::new(sandbox());
    app.start();
    app.update(Msg::SnapshotPart {
        request: 1,
        part: Part::Modules(full.modules.iter().map(|m| m.module.clone()).collect()),
    });
    let text = screen(&app, 80, 24);
    assert!(
        text.contains("Contacts") && text.contains("Loading…"),
        "{text}"
    );
    snap!("progressive_modules_80x24", text);
    app.update(Msg::SnapshotPart {
        request: 1,
        part: Part::Module {
            schema: full.modules[0].clone(),
            rules: full.rules_of("Leads").cloned().collect(),
        },
    });
    let text = screen(&app, 160, 48);
    assert!(
        text.contains("Standard") && text.contains("loading the org…"),
        "{text}"
    );
    snap!("progressive_leads_160x48", text);
}
