//! State tests for read-only mode, the move dialog, undo, history and the mouse: keys and
//! clicks in, state and effects out, on the seeded demo org.

use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use super::action::Action;
use super::app::{App, Pane, Popup, Source};
use super::effects::Effect;
use super::event::Msg;
use super::history::UndoTarget;
use super::move_rule::Stage;
use super::outcome::{Change, Failure};
use super::test_support::{loaded, press, screen, seeded};
use super::view;
use crate::domain::OrgSnapshot;
use crate::journal::session::UndoError;

/// Leads → Standard → the rules pane, on "Inbound Demand".
fn on_standard_rules(app: &mut App) {
    press(app, "ljl");
    assert_eq!(app.focus, Pane::Rules);
    assert_eq!(app.current_rule().unwrap().name, "Inbound Demand");
}

#[test]
fn read_only_refuses_every_write_key_and_says_why() {
    let mut app = loaded();
    app.readonly = Some("started with --readonly".into());
    on_standard_rules(&mut app);
    for (key, what) in [
        ('a', "activating"),
        ('c', "cloning"),
        ('d', "deleting"),
        ('x', "executing"),
        ('X', "executing"),
        ('m', "moving"),
        ('n', "creating rules"),
        ('e', "editing"),
        ('u', "undoing"),
    ] {
        let effects = press(&mut app, &key.to_string());
        assert_eq!(effects, vec![], "{key} sent something");
        assert_eq!(app.popup, None, "{key} opened a popup");
        let notice = app.notice.clone().unwrap();
        assert!(notice.error);
        assert!(
            notice.text.starts_with("read-only:")
                && notice.text.contains(what)
                && notice.text.contains("started with --readonly"),
            "{key}: {}",
            notice.text
        );
    }
    // Actions reached some other way are refused too.
    assert_eq!(app.act(Action::ToggleActive), vec![]);
    assert!(app.notice.as_ref().unwrap().text.contains("read-only"));
    // Reading still works: reload and history.
    assert_eq!(
        press(&mut app, "r"),
        vec![Effect::LoadSnapshot { request: 2 }]
    );
    assert!(matches!(
        press(&mut app, "H").as_slice(),
        [Effect::LoadHistory { .. }]
    ));
}

#[test]
fn read_only_leaves_the_same_letters_alone_in_a_filter() {
    let mut app = loaded();
    app.readonly = Some("profile prod has readonly = true".into());
    press(&mut app, "/dace");
    assert_eq!(app.filter(Pane::Modules), "dace");
    assert_eq!(app.notice, None);
}

#[test]
fn m_shows_the_target_layouts_then_the_steps_then_sends_one_move() {
    let mut app = loaded();
    on_standard_rules(&mut app);
    assert_eq!(press(&mut app, "m"), vec![]);
    let Some(Popup::Move(d)) = &app.popup else {
        panic!("no move dialog: {:?}", app.popup)
    };
    assert_eq!(d.stage, Stage::Pick);
    assert_eq!(d.from, "Standard");
    let labels: Vec<&str> = d.targets.iter().map(|t| t.label.as_str()).collect();
    assert!(!labels.contains(&"Standard"), "{labels:?}");
    assert!(labels.len() >= 2, "{labels:?}");
    // Event Leads lacks fields Inbound Demand's criteria use: refused up front, with why.
    let event = d.targets.iter().find(|t| t.label == "Event Leads").unwrap();
    let why = event.refusal.as_deref().unwrap_or_default();
    assert!(why.contains("lacks Annual Revenue"), "{why}");
    let target = d.targets[0].clone();
    assert_eq!(target.label, "Partner Referral");
    assert_eq!(target.refusal, None);
    // y before the steps were shown does nothing.
    assert_eq!(press(&mut app, "y"), vec![]);
    press(&mut app, "\n");
    let Some(Popup::Move(d)) = &app.popup else {
        panic!()
    };
    assert_eq!(d.stage, Stage::Steps);
    let steps = d.steps();
    assert_eq!(
        steps.len(),
        4,
        "active rule: create, delete, rename, activate: {steps:?}"
    );
    assert!(steps[0].contains("temporary name") && steps[0].contains(&target.label));
    assert!(steps[1].starts_with("Delete the original from Standard"));
    assert!(steps[2].contains("Rename the copy to “Inbound Demand”"));
    assert!(steps[3].starts_with("Activate"));
    let effects = press(&mut app, "y");
    let [Effect::MoveRule { req, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(req.target, target.id);
    assert_eq!(req.name, "Inbound Demand");
    assert_eq!(app.popup, None);
    assert!(app.busy());
}

#[test]
fn a_failed_move_reports_what_exists_and_reloads() {
    let mut app = loaded();
    on_standard_rules(&mut app);
    press(&mut app, "m\n");
    let effects = press(&mut app, "y");
    let [Effect::MoveRule { request, req }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let stopped = crate::jobs::move_rule::MoveError::DeleteFailed {
        temp: "zscore-move-1".into(),
        copy: crate::domain::Id::new("777"),
        error: crate::journal::writes::WriteError::Revert("x".into()),
    };
    let after = app.update(Msg::RuleChanged {
        request: *request,
        change: Change::Move(req.clone()),
        result: Err(Failure::Move(stopped)),
    });
    assert!(matches!(after.as_slice(), [Effect::LoadSnapshot { .. }]));
    let notice = app.notice.clone().unwrap();
    assert!(notice.error, "{notice:?}");
    assert_eq!(
        notice.text,
        "move stopped: deleting the original failed: x. Both rules exist now: “Inbound Demand” in Standard, and its inactive copy “zscore-move-1” (rule 777) in Partner Referral; delete the copy or retry"
    );
}

#[test]
fn moving_a_rule_that_uses_custom_fields_warns_about_them() {
    let mut app = loaded();
    // Leads → Partner_Referral → "Partner Referrals" (one custom field).
    press(&mut app, "l");
    let at = app
        .layouts()
        .iter()
        .position(|l| l.label.contains("Partner"))
        .unwrap();
    app.select_index(Pane::Layouts, at);
    press(&mut app, "lm\n");
    let Some(Popup::Move(d)) = &app.popup else {
        panic!("{:?}", app.popup)
    };
    assert!(
        d.steps()[1].contains("1 custom field(s)"),
        "{:?}",
        d.steps()
    );
    // Its criteria use Referring Partner, which only its own layout has: every target is
    // refused up front, with the reason.
    for t in &d.targets {
        let r = t.refusal.as_deref().unwrap_or_default();
        assert!(r.contains("lacks Referring Partner"), "{}: {r}", t.label);
    }
    // The steps stage says why and offers no move: y sends nothing and the dialog stays.
    assert_eq!(d.stage, Stage::Steps);
    assert_eq!(press(&mut app, "y"), vec![]);
    assert!(matches!(app.popup, Some(Popup::Move(_))));
    let screen = screen(&app, 80, 24);
    assert!(screen.contains("Cannot move it to"), "{screen}");
    assert!(!screen.contains("y move"), "{screen}");
    press(&mut app, "\x1b");
    assert_eq!(app.popup, None);
}

/// The journal entry of an applied deactivation of `rule`.
fn deactivation(seq: u64, rule: &crate::domain::ScoringRule) -> crate::journal::Entry {
    let after = crate::domain::ScoringRule {
        active: false,
        ..rule.clone()
    };
    crate::journal::Entry {
        seq,
        time: "2026-11-01T12:00:00Z".into(),
        profile: "test".into(),
        op: "deactivate".into(),
        rule_id: rule.id.as_ref().map(|i| i.to_string()),
        rule_name: Some(rule.name.clone()),
        before: Some(serde_json::to_value(rule).unwrap()),
        request: None,
        group: None,
        outcome: Some(crate::journal::Outcome {
            time: "2026-11-01T12:00:01Z".into(),
            ok: true,
            answer: serde_json::json!({"code": "SUCCESS"}),
            rule_id: rule.id.as_ref().map(|i| i.to_string()),
            after: Some(serde_json::to_value(&after).unwrap()),
        }),
    }
}

#[test]
fn u_shows_the_undo_then_sends_it_on_y() {
    let mut app = loaded();
    on_standard_rules(&mut app);
    let effects = press(&mut app, "u");
    let [Effect::PrepareUndo { request }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    // Nothing is sent while the journal is read.
    assert_eq!(press(&mut app, "y"), vec![]);
    let entry = deactivation(3, app.current_rule().unwrap());
    app.update(Msg::UndoReady {
        request: *request,
        result: Ok(UndoTarget {
            group: 7,
            label: "deactivated “Inbound Demand”".into(),
            entries: vec![entry],
        }),
    });
    let Some(Popup::ConfirmUndo(c)) = &app.popup else {
        panic!("{:?}", app.popup)
    };
    let plan = c.plan.as_ref().unwrap();
    assert_eq!(plan.group, 7);
    // What the undo does, not what the deactivation did: the state goes back to active.
    assert_eq!(plan.steps[0].head, "#3 activate “Inbound Demand” again");
    let diff: Vec<String> = plan.steps[0].diff.iter().map(|d| d.signed()).collect();
    assert_eq!(diff, ["~ state inactive → active"]);
    let effects = press(&mut app, "y");
    assert!(
        matches!(effects.as_slice(), [Effect::Undo { group: 7, .. }]),
        "{effects:?}"
    );
    assert_eq!(app.popup, None);
}

#[test]
fn u_with_nothing_to_undo_says_so_and_n_cancels() {
    let mut app = loaded();
    let effects = press(&mut app, "u");
    let [Effect::PrepareUndo { request }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    app.update(Msg::UndoReady {
        request: *request,
        result: Err(Failure::Undo(UndoError::NothingChanged)),
    });
    assert_eq!(app.popup, None);
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("nothing to undo")
    );

    let effects = press(&mut app, "u");
    let [Effect::PrepareUndo { request }] = effects.as_slice() else {
        panic!()
    };
    app.update(Msg::UndoReady {
        request: *request,
        result: Ok(UndoTarget {
            group: 1,
            label: "x".into(),
            entries: vec![],
        }),
    });
    assert_eq!(press(&mut app, "n"), vec![]);
    assert_eq!(app.popup, None);
}

#[test]
fn h_opens_the_rules_history_which_scrolls_and_closes() {
    let mut app = loaded();
    on_standard_rules(&mut app);
    let effects = press(&mut app, "H");
    let [
        Effect::LoadHistory {
            request,
            rule,
            name,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(name, "Inbound Demand");
    assert_eq!(Some(rule), app.current_rule().unwrap().id.as_ref());
    // Deactivations the journal recorded: the popup reads them as the save review would.
    // 30 entries of two rows each, in a popup showing 18 rows at 80×24.
    let entries: Vec<_> = (1..=30)
        .map(|seq| deactivation(seq, app.current_rule().unwrap()))
        .collect();
    app.update(Msg::Resize {
        width: 80,
        height: 24,
    });
    app.update(Msg::HistoryLoaded {
        request: *request,
        result: Ok(entries),
    });
    let scroll = |app: &App| match &app.popup {
        Some(Popup::History(h)) => h.scroll,
        other => panic!("{other:?}"),
    };
    let Some(Popup::History(h)) = &app.popup else {
        panic!("{:?}", app.popup)
    };
    let items = h.items.clone().unwrap();
    assert_eq!(items.len(), 30);
    assert_eq!(items[0].action, "deactivate “Inbound Demand”");
    assert_eq!(items[0].outcome, "applied");
    let diff: Vec<String> = items[0].diff.iter().map(|d| d.signed()).collect();
    assert_eq!(diff, ["~ state active → inactive"]);
    press(&mut app, "jj");
    assert_eq!(scroll(&app), 2);
    // j scrolled the popup, not the rules list.
    assert_eq!(app.current_rule().unwrap().name, "Inbound Demand");
    // G shows the last page, its last row at the bottom; k moves at once; j stops at the end.
    press(&mut app, "G");
    assert_eq!(scroll(&app), 60 - 18);
    press(&mut app, "k");
    assert_eq!(scroll(&app), 60 - 19);
    press(&mut app, &"j".repeat(50));
    assert_eq!(scroll(&app), 60 - 18);
    press(&mut app, "\x1b");
    assert_eq!(app.popup, None);
}

#[test]
fn an_empty_history_says_so_whole_at_80_columns() {
    let mut app = loaded();
    on_standard_rules(&mut app);
    let effects = press(&mut app, "H");
    let [Effect::LoadHistory { request, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    app.update(Msg::Resize {
        width: 80,
        height: 24,
    });
    app.update(Msg::HistoryLoaded {
        request: *request,
        result: Ok(Vec::new()),
    });
    let text = screen(&app, 80, 24);
    // Wrapped, not cut at the popup's edge.
    assert!(
        text.contains("are not") && text.contains("│ journaled)"),
        "{text}"
    );
}

fn click(app: &mut App, column: u16, row: u16, area: Rect) {
    app.update(Msg::Mouse {
        event: MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        },
        area,
    });
}

fn pane_rect(app: &App, pane: Pane, area: Rect) -> Rect {
    view::pane_areas(app.focus, view::main_area(app, area))
        .into_iter()
        .find(|(p, _)| *p == pane)
        .unwrap()
        .1
}

#[test]
fn a_click_focuses_the_pane_and_selects_the_row_under_it() {
    let mut app = loaded();
    let area = Rect::new(0, 0, 160, 48);
    // Third row of the Modules pane (inside the border): Accounts.
    let modules = pane_rect(&app, Pane::Modules, area);
    click(&mut app, modules.x + 2, modules.y + 3, area);
    assert_eq!(app.focus, Pane::Modules);
    assert_eq!(app.sel_module.as_deref(), Some("Accounts"));
    // Second row of the Layouts pane: the first real layout after "All layouts".
    let layouts = pane_rect(&app, Pane::Layouts, area);
    click(&mut app, layouts.x + 3, layouts.y + 2, area);
    assert_eq!(app.focus, Pane::Layouts);
    assert_eq!(app.layout_index(), Some(1));
    // The detail pane takes focus; a click on a border row selects nothing.
    let detail = pane_rect(&app, Pane::Detail, area);
    click(&mut app, detail.x + 5, detail.y + 5, area);
    assert_eq!(app.focus, Pane::Detail);
    let rules = pane_rect(&app, Pane::Rules, area);
    click(&mut app, rules.x + 3, rules.y, area);
    assert_eq!(app.focus, Pane::Rules);
    // Below the last row: focus, no selection change.
    let before = app.sel_rule.clone();
    click(&mut app, rules.x + 3, rules.y + 40, area);
    assert_eq!(app.sel_rule, before);
}

#[test]
fn a_click_on_the_narrow_screen_hits_the_pane_drawn_there() {
    let mut app = loaded();
    let area = Rect::new(0, 0, 80, 24);
    // Narrow: Modules and Layouts are shown; a click on Layouts' second row opens Standard.
    let layouts = pane_rect(&app, Pane::Layouts, area);
    click(&mut app, layouts.x + 3, layouts.y + 2, area);
    assert_eq!(app.focus, Pane::Layouts);
    assert_eq!(app.current_layout().unwrap().label, "Standard");
}

#[test]
fn the_wheel_scrolls_the_focused_list_and_the_detail() {
    let mut app = loaded();
    let area = Rect::new(0, 0, 160, 48);
    let wheel = |app: &mut App, kind| {
        app.update(Msg::Mouse {
            event: MouseEvent {
                kind,
                column: 1,
                row: 1,
                modifiers: KeyModifiers::NONE,
            },
            area,
        })
    };
    wheel(&mut app, MouseEventKind::ScrollDown);
    wheel(&mut app, MouseEventKind::ScrollDown);
    assert_eq!(app.module_index(), Some(2));
    wheel(&mut app, MouseEventKind::ScrollUp);
    assert_eq!(app.module_index(), Some(1));
    // A screen short enough for the detail to scroll.
    app.update(Msg::Resize {
        width: 160,
        height: 12,
    });
    // Contacts → Standard → its first rule's detail.
    press(&mut app, "ljll");
    assert_eq!(app.focus, Pane::Detail);
    assert!(app.current_rule().is_some());
    wheel(&mut app, MouseEventKind::ScrollDown);
    assert_eq!(app.detail_scroll, 3);
    // The wheel stops at the end like the keys.
    for _ in 0..100 {
        wheel(&mut app, MouseEventKind::ScrollDown);
    }
    let end = app.detail_scroll;
    wheel(&mut app, MouseEventKind::ScrollUp);
    assert_eq!(app.detail_scroll, end - 3);
}

#[test]
fn list_offset_matches_what_ratatui_scrolls_to() {
    use super::mouse::list_offset;
    assert_eq!(list_offset(None, 5), 0);
    assert_eq!(list_offset(Some(4), 5), 0);
    assert_eq!(list_offset(Some(5), 5), 1);
    assert_eq!(list_offset(Some(3), 0), 0);
}

mod progressive {
    use super::*;
    use crate::tui::loading::Part;

    fn parts(snap: &OrgSnapshot) -> (Part, Part, Vec<Part>) {
        let modules = Part::Modules(snap.modules.iter().map(|m| m.module.clone()).collect());
        let org = Part::Org {
            org_name: snap.org_name.clone(),
            edition: snap.edition,
            signals: snap.signals.clone(),
        };
        let schemas = snap
            .modules
            .iter()
            .map(|schema| Part::Module {
                schema: schema.clone(),
                rules: snap.rules_of(&schema.module.api_name).cloned().collect(),
            })
            .collect();
        (modules, org, schemas)
    }

    fn part(app: &mut App, request: u64, part: Part) {
        app.update(Msg::SnapshotPart { request, part });
    }

    #[test]
    fn the_modules_show_first_then_rules_and_each_modules_layouts_as_they_arrive() {
        let full = seeded();
        let (modules, org, schemas) = parts(&full);
        let mut app = App::new(Source {
            label: "x".into(),
            sandbox: true,
        });
        app.start();
        assert!(app.modules().is_empty());

        part(&mut app, 1, modules);
        assert_eq!(app.modules().len(), full.modules.len());
        assert_eq!(app.current_module().unwrap().module.api_name, "Leads");
        assert!(app.part_missing(Pane::Layouts) && app.part_missing(Pane::Rules));
        assert!(!app.part_missing(Pane::Modules));
        assert!(app.loading() && app.partial());

        // Contacts' schema arrives before Leads': Leads still waits, Contacts is complete.
        let contacts = schemas
            .iter()
            .find(|p| matches!(p, Part::Module { schema, .. } if schema.module.api_name == "Contacts"))
            .unwrap()
            .clone();
        part(&mut app, 1, contacts);
        assert!(app.part_missing(Pane::Layouts));
        part(&mut app, 1, org);
        assert_eq!(app.snapshot.as_ref().unwrap().org_name, full.org_name);
        for p in schemas {
            part(&mut app, 1, p);
        }
        assert!(!app.part_missing(Pane::Layouts) && !app.part_missing(Pane::Rules));
        press(&mut app, "ljl");
        assert_eq!(app.current_rule().unwrap().name, "Inbound Demand");

        app.update(Msg::SnapshotLoaded {
            request: 1,
            result: Ok(full.clone()),
        });
        assert!(!app.partial() && !app.busy());
        assert_eq!(app.snapshot, Some(full));
        assert_eq!(app.current_rule().unwrap().name, "Inbound Demand");
    }

    #[test]
    fn the_org_may_answer_before_the_module_list() {
        let full = seeded();
        let (modules, org, _) = parts(&full);
        let mut app = App::new(Source {
            label: "x".into(),
            sandbox: true,
        });
        app.start();
        part(&mut app, 1, org);
        assert!(app.part_missing(Pane::Modules));
        part(&mut app, 1, modules);
        assert!(!app.part_missing(Pane::Modules));
        let snap = app.snapshot.as_ref().unwrap();
        assert_eq!(
            (&snap.org_name, &snap.signals),
            (&full.org_name, &full.signals),
            "the org's part was kept"
        );
        assert_eq!(snap.modules.len(), full.modules.len());
    }

    #[test]
    fn a_reload_keeps_the_whole_org_on_screen_and_ignores_parts() {
        let mut app = loaded();
        let before = app.snapshot.clone();
        let effects = press(&mut app, "r");
        assert_eq!(effects, vec![Effect::LoadSnapshot { request: 2 }]);
        part(&mut app, 2, Part::Modules(Vec::new()));
        assert_eq!(app.snapshot, before);
        assert!(!app.partial());
    }

    #[test]
    fn a_load_failing_half_way_shows_the_error_not_half_an_org() {
        let full = seeded();
        let (modules, _, _) = parts(&full);
        let mut app = App::new(Source {
            label: "x".into(),
            sandbox: true,
        });
        app.start();
        part(&mut app, 1, modules);
        app.update(Msg::SnapshotLoaded {
            request: 1,
            result: Err("network error: reset".into()),
        });
        assert_eq!(app.snapshot, None);
        assert!(!app.partial());
        assert_eq!(app.load_error.as_deref(), Some("network error: reset"));
        // Parts of a stale request are dropped.
        part(&mut app, 1, Part::Modules(Vec::new()));
        assert_eq!(app.snapshot, None);
    }
}
