//! Screen snapshots of the three-way view a refused save opens (base | theirs | yours, each
//! field marked by its state), at 80×24 (stacked, scrolling) and 160×48 (three columns).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tui::{loaded, press, screen, snap, typed};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use zscore::tui::app::App;
use zscore::tui::event::Msg;

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
    let base = app.form.as_ref().unwrap().base.clone().unwrap();
    app.update(Msg::FormSaved {
        request: 2,
        result: Err(zscore::tui::outcome::Failure::Write(
            zscore::journal::writes::WriteError::Conflict(Box::new(zscore::api::Conflict {
                base,
                theirs,
            })),
        )),
    });
    app
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
