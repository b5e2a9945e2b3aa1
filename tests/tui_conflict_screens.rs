//! Screen snapshots of the three-way view a refused save opens (base | theirs | yours, each
//! field marked by its state), at 80×24 (stacked, scrolling) and 160×48 (three columns).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::TimeZone;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use zscore::domain::{Edition, OrgSnapshot};
use zscore::tui::app::{App, Source};
use zscore::tui::event::Msg;
use zscore::tui::form::{Refused, SaveFailure};
use zscore::tui::view::{self, Theme};

fn seeded() -> OrgSnapshot {
    let now = chrono::Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
    zscore::sandbox::seed::load_embedded(now)
        .unwrap()
        .snapshot(Edition::Enterprise)
}

fn loaded() -> App {
    let mut app = App::new(Source {
        label: "built-in sandbox".into(),
        sandbox: true,
    });
    app.start();
    app.update(Msg::SnapshotLoaded {
        request: 1,
        result: Ok(seeded()),
    });
    app
}

fn press(app: &mut App, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Enterprise Fit edited by A (first score 40, maybe a new name) and sent; admin B changed the
/// rule meanwhile (`change`): the answer is a refusal carrying B's rule.
fn refused(mine: Option<&str>, change: impl FnOnce(&mut zscore::domain::ScoringRule)) -> App {
    let mut app = loaded();
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "j");
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "je");
    if let Some(name) = mine {
        for _ in 0..30 {
            press(&mut app, KeyCode::Backspace);
        }
        typed(&mut app, name);
    }
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    typed(&mut app, "40");
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    press(&mut app, KeyCode::Enter);
    let mut theirs = app.form.as_ref().unwrap().base.clone().unwrap();
    change(&mut theirs);
    theirs.modified_time = Some("2026-11-23T16:00:00+00:00".into());
    theirs.modified_by = Some(zscore::domain::metadata::UserRef {
        name: "Bea Admin".into(),
        id: zscore::domain::Id::new("111"),
        zuid: None,
    });
    app.update(Msg::FormSaved {
        request: 2,
        result: Err(SaveFailure {
            text: "changed since it was loaded".into(),
            details: None,
            refused: Some(Refused::Changed {
                theirs: Box::new(theirs),
            }),
        }),
    });
    app
}

fn render(app: &App, width: u16, height: u16, theme: Theme) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view::draw(f, app, theme)).unwrap();
    terminal
}

fn screen(app: &App, width: u16, height: u16) -> String {
    render(app, width, height, Theme { color: true })
        .backend()
        .to_string()
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
fn three_way_view_with_a_merge_offered() {
    let mut app = refused(None, |r| r.description = Some("B's description".into()));
    let small = screen(&app, 80, 24);
    assert!(small.contains("Bea Admin") && small.contains("r re-apply theirs + mine"));
    snap!("conflict_merge_80x24", small);
    // The rest is reached by scrolling.
    press(&mut app, KeyCode::PageDown);
    snap!("conflict_merge_80x24_scrolled", screen(&app, 80, 24));
    press(&mut app, KeyCode::Char('g'));
    let big = screen(&app, 160, 48);
    assert!(
        big.contains("base (as loaded)") && big.contains("◀ theirs") && big.contains("▶ yours")
    );
    snap!("conflict_merge_160x48", big);
}

#[test]
fn three_way_view_of_a_real_conflict_offers_no_merge() {
    let app = refused(Some("Fit by A"), |r| r.name = "Fit by B".into());
    let small = screen(&app, 80, 24);
    assert!(small.contains("✗ conflict") && !small.contains("re-apply"));
    snap!("conflict_name_80x24", small);
    let big = screen(&app, 160, 48);
    assert!(big.contains("Fit by A") && big.contains("Fit by B"));
    snap!("conflict_name_160x48", big);
}
