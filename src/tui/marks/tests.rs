//! Marks and the plan dialog, by key sequences into `App` over the sandbox's seeded demo org
//! (Leads / Standard: Inbound Demand and Enterprise Fit active, Stale Lead Decay inactive;
//! Partners / Reseller at 5 of 5 active).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Stage;
use crate::bulk::Operation;
use crate::domain::Id;
use crate::tui::app::{App, Popup};
use crate::tui::effects::Effect;
use crate::tui::event::Msg;
use crate::tui::keys::Mode;

use crate::tui::test_support::{loaded, press as keys, seeded};

/// Leads → Standard, in the Rules pane on its first rule.
fn in_leads_standard() -> App {
    let mut app = loaded();
    keys(&mut app, "\nj\n");
    assert_eq!(app.current_rule().unwrap().name, "Inbound Demand");
    app
}

fn marked_names(app: &App) -> Vec<String> {
    app.marks
        .rules(app.snapshot.as_ref().unwrap())
        .iter()
        .map(|r| r.name.clone())
        .collect()
}

fn dialog(app: &App) -> &super::BulkDialog {
    match &app.popup {
        Some(Popup::Bulk(d)) => d,
        other => panic!("no plan dialog: {other:?}"),
    }
}

fn bulk_effect(effects: &[Effect]) -> (u64, Operation, Vec<String>, usize) {
    match effects {
        [
            Effect::Bulk {
                request,
                plan,
                count,
            },
        ] => (
            *request,
            plan.op.clone(),
            plan.steps.iter().map(|s| s.rule.name.clone()).collect(),
            *count,
        ),
        other => panic!("not one bulk run: {other:?}"),
    }
}

#[test]
fn space_marks_and_unmarks_v_marks_the_list_and_esc_clears_after_the_filter() {
    let mut app = in_leads_standard();
    keys(&mut app, " j ");
    assert_eq!(marked_names(&app), ["Inbound Demand", "Enterprise Fit"]);
    keys(&mut app, " ");
    assert_eq!(
        marked_names(&app),
        ["Inbound Demand"],
        "space again unmarks"
    );
    keys(&mut app, "V");
    assert_eq!(
        marked_names(&app),
        ["Inbound Demand", "Enterprise Fit", "Stale Lead Decay"]
    );
    // A filter kept open: Esc clears it first, the marks stay; the next Esc clears them.
    keys(&mut app, "/stale\n");
    assert_eq!(app.rules().len(), 1);
    keys(&mut app, "\x1b");
    assert_eq!(app.filter(app.focus), "");
    assert_eq!(app.marks.len(), 3);
    keys(&mut app, "\x1b");
    assert!(app.marks.is_empty());
    assert_eq!(app.notice.as_ref().unwrap().text, "3 marks cleared");
}

#[test]
fn v_marks_only_the_rules_the_filter_lists() {
    let mut app = in_leads_standard();
    keys(&mut app, "/fit\nV");
    assert_eq!(marked_names(&app), ["Enterprise Fit"]);
}

#[test]
fn space_outside_the_rules_pane_says_where_marks_go() {
    let mut app = loaded();
    keys(&mut app, " ");
    assert!(app.marks.is_empty());
    assert!(app.notice.as_ref().unwrap().text.contains("Rules pane"));
}

#[test]
fn a_reload_keeps_the_marks_of_rules_still_there() {
    let mut app = in_leads_standard();
    keys(&mut app, " j ");
    let mut snap = seeded();
    snap.rules.retain(|r| r.name != "Enterprise Fit");
    let effects = keys(&mut app, "r");
    let [Effect::LoadSnapshot { request }] = effects[..] else {
        panic!("{effects:?}")
    };
    app.update(Msg::SnapshotLoaded {
        request,
        result: Ok(snap),
    });
    assert_eq!(marked_names(&app), ["Inbound Demand"]);
}

#[test]
fn without_marks_a_acts_on_the_rule_under_the_cursor_as_before() {
    let mut app = in_leads_standard();
    let effects = keys(&mut app, "a");
    assert!(
        matches!(&effects[..], [Effect::SetActive { name, active: false, .. }] if name == "Inbound Demand"),
        "{effects:?}"
    );
}

#[test]
fn a_on_two_active_marks_plans_a_deactivation_and_y_sends_it_as_one_run() {
    let mut app = in_leads_standard();
    keys(&mut app, " j a");
    let d = dialog(&app);
    assert_eq!(d.stage, Stage::Plan);
    assert_eq!(d.title, "Deactivate 2 rules");
    assert!(
        d.lines[0].starts_with("- deactivate “Inbound Demand”"),
        "{:?}",
        d.lines
    );
    assert_eq!(app.mode(), Mode::Bulk);
    let (request, op, names, count) = bulk_effect(&keys(&mut app, "y"));
    assert_eq!(op, Operation::Deactivate);
    assert_eq!(names, ["Inbound Demand", "Enterprise Fit"]);
    assert_eq!(count, 2);
    assert!(app.busy());
    assert_eq!(dialog(&app).progress(), Some((0, 2)));
    app.update(Msg::Bulk {
        request,
        event: crate::bulk::BulkEvent::Step {
            index: 0,
            state: crate::bulk::StepState::Applied,
        },
    });
    assert_eq!(dialog(&app).progress(), Some((1, 2)));
    assert!(app.notice.as_ref().unwrap().text.contains("1 / 2 answered"));
    // Nothing sent (the rules could not be read first): said, and the org is read again.
    let effects = app.update(Msg::BulkDone {
        request,
        result: Err("cannot read the rules before sending (timeout); nothing was sent".into()),
    });
    assert!(matches!(&effects[..], [Effect::LoadSnapshot { .. }]));
    assert!(app.change_requests.is_empty());
    let notice = app.notice.as_ref().unwrap();
    assert!(
        notice.error && notice.text.contains("nothing was sent"),
        "{notice:?}"
    );
    assert!(matches!(dialog(&app).stage, Stage::Done { ok: false, .. }));
}

#[test]
fn a_on_mixed_marks_asks_which_way_and_d_plans_the_deactivation() {
    let mut app = in_leads_standard();
    keys(&mut app, " jj a");
    assert_eq!(
        dialog(&app).stage,
        Stage::Choose {
            active: 1,
            inactive: 1
        }
    );
    assert!(
        keys(&mut app, "y").is_empty(),
        "no plan yet: y sends nothing"
    );
    keys(&mut app, "d");
    let d = dialog(&app);
    assert_eq!(d.plan.as_ref().unwrap().op, Operation::Deactivate);
    assert_eq!(d.plan.as_ref().unwrap().steps.len(), 1);
    assert!(
        d.lines
            .iter()
            .any(|l| l.contains("already inactive; left alone")),
        "{:?}",
        d.lines
    );
}

/// Partners: Top Tier Partners (Standard, 1 active) and Reseller Health (Reseller, 5 of 5).
fn partners_clone_plan() -> App {
    let mut app = loaded();
    keys(&mut app, "G");
    assert_eq!(app.current_module().unwrap().module.api_name, "Partners");
    // Standard's Top Tier Partners, then Reseller's first rule.
    keys(&mut app, "\nj\n");
    assert_eq!(app.current_rule().unwrap().name, "Top Tier Partners");
    keys(&mut app, " hjl ");
    assert_eq!(marked_names(&app), ["Top Tier Partners", "Reseller Health"]);
    keys(&mut app, "c");
    app
}

#[test]
fn a_clone_over_the_limit_offers_the_first_that_fit_and_y_does_not_send_part() {
    let mut app = partners_clone_plan();
    let d = dialog(&app);
    let limit = d.plan.as_ref().unwrap().limit.as_ref().unwrap();
    assert_eq!(limit.fits, 1);
    assert!(limit.text.contains("makes 6 of 5 active"), "{}", limit.text);
    assert!(d.keys().starts_with("f clone the first 1"), "{}", d.keys());
    assert!(
        keys(&mut app, "y").is_empty(),
        "y never sends part of a plan"
    );
    assert!(app.notice.as_ref().unwrap().text.contains("f sends them"));
    let (_, op, names, count) = bulk_effect(&keys(&mut app, "f"));
    assert_eq!(op, Operation::Clone);
    assert_eq!(count, 1);
    assert_eq!(names[0], "Top Tier Partners");
}

#[test]
fn n_cancels_a_plan_and_sends_nothing() {
    let mut app = partners_clone_plan();
    assert!(keys(&mut app, "n").is_empty());
    assert!(app.popup.is_none());
    assert_eq!(app.marks.len(), 2, "the marks stay for another try");
}

#[test]
fn a_bulk_delete_lists_every_rule_and_custom_field_and_wants_delete_typed() {
    let mut app = loaded();
    // Leads / Standard's three, and Partner Referrals (which owns a custom field).
    keys(&mut app, "\nj\nVhjl ");
    assert_eq!(app.marks.len(), 4);
    keys(&mut app, "d");
    assert_eq!(app.mode(), Mode::ConfirmTyped);
    let d = dialog(&app);
    assert_eq!(d.title, "Delete 4 rules");
    assert_eq!(
        d.lines
            .iter()
            .filter(|l| l.starts_with("- delete "))
            .count(),
        4
    );
    assert!(
        d.lines.iter().any(|l| l.contains("and its custom field")),
        "{:?}",
        d.lines
    );
    // `y` types; Enter before the word is typed sends nothing.
    assert!(keys(&mut app, "y\n").is_empty());
    assert!(app.notice.as_ref().unwrap().text.contains("type “delete”"));
    assert_eq!(dialog(&app).typed, "y");
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Backspace,
        KeyModifiers::NONE,
    )));
    assert_eq!(dialog(&app).typed, "");
    keys(&mut app, "delete");
    let (_, op, names, count) = bulk_effect(&keys(&mut app, "\n"));
    assert_eq!(op, Operation::Delete);
    assert_eq!((names.len(), count), (4, 4));
}

#[test]
fn read_only_refuses_every_bulk_write_by_the_same_gate() {
    let mut app = in_leads_standard();
    keys(&mut app, " j ");
    app.readonly = Some("started with --readonly".into());
    for key in ["a", "c", "d", "x"] {
        assert!(keys(&mut app, key).is_empty(), "{key}");
        assert!(app.popup.is_none(), "{key}");
        assert!(
            app.notice.as_ref().unwrap().text.starts_with("read-only:"),
            "{key}"
        );
    }
    // A plan already open (read-only turned on since): its yes is refused too.
    app.readonly = None;
    keys(&mut app, "a");
    app.readonly = Some("started with --readonly".into());
    assert!(keys(&mut app, "y").is_empty());
    assert!(keys(&mut app, "f").is_empty());
    assert!(app.notice.as_ref().unwrap().text.starts_with("read-only:"));
}

#[test]
fn x_on_marks_asks_then_executes_them_five_per_request() {
    let mut app = loaded();
    app.confirm_writes = true;
    // Every Leads rule: each layout's, and those for every layout.
    keys(&mut app, "\nj\nVhjlVhjlVhglV");
    assert_eq!(app.marks.len(), 6);
    keys(&mut app, "x");
    let Some(Popup::ConfirmWrite(c)) = &app.popup else {
        panic!("{:?}", app.popup)
    };
    assert!(
        c.lines[0].contains("6 marked rule(s) of Leads, in 2 request(s)"),
        "{:?}",
        c.lines
    );
    let effects = keys(&mut app, "y");
    let [Effect::Execute { plan, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    let sizes: Vec<usize> = plan
        .chunks
        .iter()
        .map(|c| match c {
            crate::api::ExecTarget::Rules(ids) => ids.len(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(sizes, [5, 1]);
}

#[test]
fn x_on_marks_in_two_modules_is_refused_naming_them() {
    let mut app = in_leads_standard();
    keys(&mut app, " ");
    // Contacts / Standard, its first rule.
    keys(&mut app, "hhj\nj\n ");
    assert_eq!(app.marks.len(), 2);
    assert!(keys(&mut app, "x").is_empty());
    let text = &app.notice.as_ref().unwrap().text;
    assert!(text.contains("Contacts, Leads"), "{text}");
}

#[test]
fn m_on_marks_moves_them_all_to_one_layout_in_list_order() {
    let mut app = in_leads_standard();
    keys(&mut app, " j ");
    let names = marked_names(&app);
    assert_eq!(names.len(), 2);
    assert!(keys(&mut app, "m").is_empty());
    let Some(Popup::Move(d)) = &app.popup else {
        panic!("no move dialog: {:?}", app.popup);
    };
    assert_eq!(d.subject(), "2 marked rules");
    assert_eq!(d.from, "Standard");
    assert!(d.targets.iter().all(|t| t.label != "Standard"));
    // The first layout that takes them both.
    let Some(ok) = d.targets.iter().position(|t| t.refusal.is_none()) else {
        panic!("no layout takes them: {:?}", d.targets);
    };
    for _ in 0..ok {
        keys(&mut app, "j");
    }
    keys(&mut app, "\n");
    let Some(Popup::Move(d)) = &app.popup else {
        panic!("the dialog closed");
    };
    let order = d.order().unwrap_or_default();
    assert!(
        order.starts_with("One rule at a time") && names.iter().all(|n| order.contains(n.as_str())),
        "{order}"
    );
    assert!(
        d.steps()[0].starts_with("Create its copy in"),
        "{:?}",
        d.steps()
    );
    let target = d.target().unwrap().label.clone();
    let effects = keys(&mut app, "y");
    let [Effect::MoveRules { reqs, .. }] = effects.as_slice() else {
        panic!("no move of the marked rules: {effects:?}");
    };
    let moved: Vec<&str> = reqs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(moved, names.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        reqs.iter()
            .all(|r| r.target_label == target && r.from == "Standard")
    );
    assert_eq!(
        app.notice.as_ref().map(|n| n.text.clone()),
        Some(format!("moving 2 marked rules to {target}…"))
    );
}

#[test]
fn m_on_marks_from_two_layouts_says_a_move_takes_one_layout() {
    let mut app = in_leads_standard();
    keys(&mut app, " ");
    // The same module's other layout: h back to the layouts, j, l into its rules.
    keys(&mut app, "hjl ");
    assert_eq!(app.marks.len(), 2);
    assert!(keys(&mut app, "m").is_empty());
    assert!(app.popup.is_none());
    let text = app
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(
        text.contains("the 2 marked rules are in 2 layouts")
            && text.contains("Esc clears the marks"),
        "{text}"
    );
}

#[test]
fn marked_ids_are_ids() {
    let mut app = in_leads_standard();
    keys(&mut app, " ");
    let id: &Id = app.current_rule().unwrap().id.as_ref().unwrap();
    assert!(app.marks.contains(id));
}

#[test]
fn e_opens_every_marked_rule_in_one_file() {
    let mut app = in_leads_standard();
    keys(&mut app, " j ");
    assert_eq!(marked_names(&app).len(), 2);
    let effects = keys(&mut app, "E");
    let text = match effects.as_slice() {
        [Effect::RunEditor { text, .. }] => text.clone(),
        other => panic!("no editor run: {other:?}"),
    };
    let list: serde_json::Value = serde_json::from_str(&text).unwrap();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(names.len(), 2, "{text}");
    for name in marked_names(&app) {
        assert!(names.contains(&name.as_str()), "{name} not in {names:?}");
    }
}
