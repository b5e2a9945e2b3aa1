//! Screen snapshots of the TUI's safety features at 80×24 and 160×48: the READ-ONLY status
//! bar, a red accent (checked cell by cell, since text snapshots carry no colour), the move
//! dialog's two stages, a rule's history, and the undo confirmation.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tui::{keys, loaded_from, profile_prod, render, sandbox, screen, seeded, snap};
use ratatui::layout::Rect;
use ratatui::style::Color;
use serde_json::json;
use zscore::domain::{Id, OrgSnapshot, ScoringRule};
use zscore::journal::{Entry, Outcome};
use zscore::tui::app::{App, Pane};
use zscore::tui::event::Msg;
use zscore::tui::history::UndoTarget;
use zscore::tui::view::{self, Theme};

#[test]
fn read_only_status_bar() {
    let mut app = loaded_from(sandbox(), seeded());
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
    let mut app = loaded_from(profile_prod(), seeded());
    app.accent = Some(Color::Red);
    keys(&mut app, "l");
    for (w, h) in [(80u16, 24u16), (160, 48)] {
        let terminal = render(&app, w, h, Theme { color: true });
        let buffer = terminal.backend().buffer();
        // The badge on the status bar's first line.
        let badge = &buffer[(1, h - 2)];
        assert_eq!(badge.fg, Color::Red, "{badge:?}");
        assert_eq!(badge.symbol(), "p");
        // The focused pane's border; the others keep theirs.
        let areas = view::pane_areas(app.focus, view::main_area(&app, Rect::new(0, 0, w, h)));
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
    let mut app = loaded_from(sandbox(), seeded());
    // Leads → Standard → Inbound Demand, move.
    keys(&mut app, "ljlm");
    let pick = screen(&app, 80, 24);
    assert!(
        pick.contains("cannot move here: it lacks Annual Revenue"),
        "{pick}"
    );
    snap!("move_pick_80x24", pick);
    snap!("move_pick_160x48", screen(&app, 160, 48));
    // Partner Referral has every field the rule uses: the steps, and y to move.
    keys(&mut app, "\n");
    let steps = screen(&app, 80, 24);
    assert!(steps.contains("y move"), "{steps}");
    snap!("move_steps_80x24", steps);
    snap!("move_steps_160x48", screen(&app, 160, 48));
    // Event Leads lacks fields the rule uses: refused up front, with the reason; no y move.
    keys(&mut app, "\x1bmj\n");
    let refused = screen(&app, 80, 24);
    assert!(
        refused.contains("Cannot move it to Event Leads"),
        "{refused}"
    );
    assert!(!refused.contains("y move"), "{refused}");
    snap!("move_refused_80x24", refused);
    snap!("move_refused_160x48", screen(&app, 160, 48));
}

/// A journal entry: `after` and an answer when `ok` is known, none when the outcome is not.
fn entry(
    seq: u64,
    op: &str,
    before: Option<&ScoringRule>,
    ok: Option<bool>,
    after: Option<&ScoringRule>,
) -> Entry {
    let value = |r: Option<&ScoringRule>| r.map(|r| serde_json::to_value(r).unwrap());
    let id = before
        .or(after)
        .and_then(|r| r.id.clone())
        .map(|i| i.to_string());
    Entry {
        seq,
        time: format!("2026-11-01T12:0{seq}:00Z"),
        profile: "sandbox".into(),
        op: op.into(),
        rule_id: before.and_then(|r| r.id.clone()).map(|i| i.to_string()),
        rule_name: before.or(after).map(|r| r.name.clone()),
        before: value(before),
        request: None,
        group: None,
        outcome: ok.map(|ok| Outcome {
            time: format!("2026-11-01T12:0{seq}:01Z"),
            ok,
            answer: if ok {
                json!({"code": "SUCCESS", "message": "done"})
            } else {
                json!({"code": "ACTIVE_STATE_LIMIT_EXCEEDED", "message": "More than 5 active scoring rules cannot be created for a layout."})
            },
            rule_id: id,
            after: if ok { value(after) } else { None },
        }),
    }
}

fn rule(snap: &OrgSnapshot, name: &str) -> ScoringRule {
    snap.rules.iter().find(|r| r.name == name).unwrap().clone()
}

#[test]
fn history_popup() {
    let mut app = loaded_from(sandbox(), seeded());
    keys(&mut app, "ljlH");
    let loading = screen(&app, 80, 24);
    assert!(loading.contains("reading the change journal"), "{loading}");
    let snap = seeded();
    let fit = rule(&snap, "Inbound Demand");
    let inactive = ScoringRule {
        active: false,
        ..fit.clone()
    };
    let mut edited = inactive.clone();
    edited.description = Some(format!(
        "{} (edited)",
        "Leads that came to us through the website, a chat or the online store, scored by how much they engaged and how well they fit the sweet spot."
    ));
    let mut long = inactive.clone();
    long.description = Some(edited.description.clone().unwrap().replace(" (edited)", ""));
    edited.field_rules[0].score = 30;
    let entries = vec![
        entry(4, "deactivate", Some(&fit), Some(true), Some(&inactive)),
        entry(5, "activate", Some(&inactive), Some(false), None),
        entry(6, "update", Some(&long), Some(true), Some(&edited)),
        entry(7, "clone", Some(&inactive), Some(false), None),
        entry(8, "update", Some(&edited), None, None),
    ];
    app.update(Msg::HistoryLoaded {
        request: 2,
        result: Ok(entries),
    });
    let small = screen(&app, 80, 24);
    // The refused clone reads as refused, with Zoho's code, and not as a deletion.
    assert!(small.contains("clone “Inbound Demand” —"), "{small}");
    assert!(!small.contains("- rule"), "{small}");
    assert!(small.contains("(edited)"), "{small}");
    snap!("history_80x24", small);
    snap!("history_160x48", screen(&app, 160, 48));
}

#[test]
fn undo_confirmation() {
    let snap = seeded();
    let original = rule(&snap, "Enterprise Fit");
    let mut copy = ScoringRule {
        id: Some(Id::new("5843104000000900")),
        name: "zscore-move-1234".into(),
        active: false,
        ..original.clone()
    };
    copy.layout = rule(&snap, "Event Engagement").layout;
    let renamed = ScoringRule {
        name: "Enterprise Fit".into(),
        ..copy.clone()
    };
    let activated = ScoringRule {
        active: true,
        ..renamed.clone()
    };
    let mut app = loaded_from(sandbox(), seeded());
    keys(&mut app, "u");
    app.update(Msg::UndoReady {
        request: 2,
        result: Ok(UndoTarget {
            group: 1,
            label: "the move of “Enterprise Fit” to Event Leads".into(),
            entries: vec![
                entry(6, "create", None, Some(true), Some(&copy)),
                entry(7, "delete", Some(&original), Some(true), None),
                entry(8, "update", Some(&copy), Some(true), Some(&renamed)),
                entry(9, "activate", Some(&renamed), Some(true), Some(&activated)),
            ],
        }),
    });
    let small = screen(&app, 80, 24);
    // Each step says what the undo does: the activation is undone by deactivating.
    assert!(
        small.contains("deactivate “Enterprise Fit” again"),
        "{small}"
    );
    assert!(small.contains("~ state active → inactive"), "{small}");
    assert!(!small.contains("inactive → active"), "{small}");
    snap!("undo_confirm_80x24", small);
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
