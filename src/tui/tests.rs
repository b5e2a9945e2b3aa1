//! State tests: key sequences in, app state and effects out, no terminal and no network. The
//! org is the sandbox's seeded demo org, loaded through the same `Msg` a real load sends.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Pane, Popup, Source};
use super::effects::Effect;
use super::event::Msg;
use super::outcome::{Change, Done, Failure};
use super::test_support::{loaded, press, seeded};

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

#[test]
fn starts_loading_and_is_busy_until_the_org_arrives() {
    let mut app = App::new(Source {
        label: "x".into(),
        sandbox: false,
    });
    app.start();
    assert!(app.busy());
    assert!(app.modules().is_empty());
    app.update(Msg::SnapshotLoaded {
        request: 1,
        result: Ok(seeded()),
    });
    assert!(!app.busy());
    assert_eq!(app.current_module().unwrap().module.api_name, "Leads");
}

#[test]
fn stale_answers_are_dropped() {
    let mut app = loaded();
    let effects = press(&mut app, "r");
    assert_eq!(effects, vec![Effect::LoadSnapshot { request: 2 }]);
    // An answer to request 1 arriving late must not replace what request 2 will bring.
    app.update(Msg::SnapshotLoaded {
        request: 1,
        result: Err("late".into()),
    });
    assert!(app.loading());
    assert_eq!(app.load_error, None);
}

#[test]
fn a_failed_load_is_shown_and_r_retries() {
    let mut app = App::new(Source {
        label: "x".into(),
        sandbox: false,
    });
    app.start();
    app.update(Msg::SnapshotLoaded {
        request: 1,
        result: Err("network error: connection refused".into()),
    });
    assert!(app.load_error.as_deref().unwrap().contains("refused"));
    assert!(app.notice.as_ref().unwrap().error);
    assert_eq!(
        press(&mut app, "r"),
        vec![Effect::LoadSnapshot { request: 2 }]
    );
}

#[test]
fn tab_and_hl_move_between_panes_and_stop_at_the_ends() {
    let mut app = loaded();
    press(&mut app, "h");
    assert_eq!(app.focus, Pane::Modules);
    press(&mut app, "lll");
    assert_eq!(app.focus, Pane::Detail);
    press(&mut app, "l");
    assert_eq!(app.focus, Pane::Detail);
    app.update(Msg::Key(key(KeyCode::BackTab)));
    assert_eq!(app.focus, Pane::Rules);
    app.update(Msg::Key(key(KeyCode::Tab)));
    assert_eq!(app.focus, Pane::Detail);
}

#[test]
fn enter_opens_a_module_then_a_layout_then_a_rule() {
    let mut app = loaded();
    app.update(Msg::Key(key(KeyCode::Enter)));
    assert_eq!(app.focus, Pane::Layouts);
    press(&mut app, "j");
    let layout = app.current_layout().unwrap();
    assert_eq!(layout.label, "Standard");
    app.update(Msg::Key(key(KeyCode::Enter)));
    assert_eq!(app.focus, Pane::Rules);
    let names: Vec<_> = app.rules().iter().map(|r| r.name.clone()).collect();
    assert!(names.len() >= 2, "{names:?}");
    press(&mut app, "j");
    assert_eq!(app.current_rule().unwrap().name, names[1]);
    app.update(Msg::Key(key(KeyCode::Enter)));
    assert_eq!(app.focus, Pane::Detail);
}

#[test]
fn changing_module_resets_layout_and_rule() {
    let mut app = loaded();
    press(&mut app, "ljlj");
    assert!(app.sel_rule.is_some());
    press(&mut app, "hhj");
    assert_eq!(app.sel_layout, None);
    assert_eq!(app.sel_rule, None);
    assert_eq!(app.current_layout().unwrap().id, None);
}

#[test]
fn moving_past_the_ends_of_a_list_stays_on_the_last_item() {
    let mut app = loaded();
    press(&mut app, &"j".repeat(50));
    let last = app.modules().len() - 1;
    assert_eq!(app.module_index(), Some(last));
    press(&mut app, &"k".repeat(50));
    assert_eq!(app.module_index(), Some(0));
    press(&mut app, "G");
    assert_eq!(app.module_index(), Some(last));
}

#[test]
fn slash_filters_the_focused_list_and_esc_clears_it() {
    let mut app = loaded();
    press(&mut app, "/con");
    assert!(app.filtering);
    let names: Vec<_> = app
        .modules()
        .iter()
        .map(|m| m.module.api_name.clone())
        .collect();
    assert_eq!(names, vec!["Contacts"]);
    // Letters that are bindings elsewhere are text while filtering.
    press(&mut app, "q");
    assert!(!app.quit);
    app.update(Msg::Key(key(KeyCode::Backspace)));
    app.update(Msg::Key(key(KeyCode::Enter)));
    assert!(!app.filtering);
    assert_eq!(app.filter(Pane::Modules), "con");
    assert_eq!(app.current_module().unwrap().module.api_name, "Contacts");
    app.update(Msg::Key(key(KeyCode::Esc)));
    assert_eq!(app.filter(Pane::Modules), "");
    assert!(app.modules().len() > 1);
}

#[test]
fn help_takes_every_key_until_closed() {
    let mut app = loaded();
    press(&mut app, "?");
    assert_eq!(app.popup, Some(Popup::Help(0)));
    press(&mut app, "jlr");
    assert_eq!(app.focus, Pane::Modules);
    assert!(!app.loading());
    app.update(Msg::Key(key(KeyCode::Esc)));
    assert_eq!(app.popup, None);
    press(&mut app, "q");
    assert!(app.quit);
}

#[test]
fn a_toggles_the_selected_rule_and_reloads_after() {
    let mut app = loaded();
    press(&mut app, "a");
    // Not on a rule: nothing to toggle.
    assert!(!app.busy());
    press(&mut app, "ll");
    let rule = app.current_rule().unwrap().clone();
    let effects = press(&mut app, "a");
    assert_eq!(
        effects,
        vec![Effect::SetActive {
            request: 2,
            rule: rule.id.clone().unwrap(),
            name: rule.name.clone(),
            active: !rule.active,
        }]
    );
    assert!(app.busy());
    let after = app.update(Msg::RuleChanged {
        request: 2,
        change: Change::SetActive {
            name: rule.name.clone(),
            active: !rule.active,
        },
        result: Err(Failure::Other(
            "limit reached: 5 active rules per layout".into(),
        )),
    });
    assert_eq!(after, vec![Effect::LoadSnapshot { request: 3 }]);
    let notice = app.notice.clone().unwrap();
    assert!(notice.error && notice.text.contains("limit"));
}

#[test]
fn a_reload_keeps_the_selection_by_identity() {
    let mut app = loaded();
    press(&mut app, "ljllj");
    let before = app.current_rule().unwrap().id.clone();
    press(&mut app, "r");
    app.update(Msg::SnapshotLoaded {
        request: 2,
        result: Ok(seeded()),
    });
    assert_eq!(app.current_rule().unwrap().id, before);
    assert_eq!(app.focus, Pane::Detail);
}

#[test]
fn shutdown_quits() {
    let mut app = loaded();
    app.update(Msg::Shutdown);
    assert!(app.quit);
}

#[test]
fn d_asks_before_deleting_and_n_cancels() {
    let mut app = loaded();
    // Leads → Standard → Stale Lead Decay (no custom fields).
    press(&mut app, "ljljj");
    assert_eq!(app.current_rule().unwrap().name, "Stale Lead Decay");
    assert!(press(&mut app, "d").is_empty());
    assert!(matches!(app.popup, Some(Popup::ConfirmDelete(_))));
    // The popup takes the keys: j does not move the list underneath.
    assert!(press(&mut app, "jn").is_empty());
    assert_eq!(app.popup, None);
    assert_eq!(app.current_rule().unwrap().name, "Stale Lead Decay");
    press(&mut app, "d");
    let effects = press(&mut app, "y");
    assert!(matches!(
        effects.as_slice(),
        [Effect::DeleteRule { name, base, .. }]
            if name == "Stale Lead Decay" && base.name == "Stale Lead Decay" && base.id.is_some()
    ));
    assert_eq!(app.popup, None);
    assert!(app.busy());
}

#[test]
fn deleting_a_rule_with_custom_fields_needs_its_name_typed() {
    let mut app = loaded();
    // Leads → Partner Referral → Partner Referrals, which owns a custom field.
    press(&mut app, "ljjl");
    assert_eq!(app.current_rule().unwrap().name, "Partner Referrals");
    press(&mut app, "d");
    let Some(Popup::ConfirmDelete(c)) = &app.popup else {
        panic!("no confirmation")
    };
    assert!(c.needs_typing());
    // y is text here, not a yes.
    assert!(press(&mut app, "y").is_empty());
    app.update(Msg::Key(key(KeyCode::Backspace)));
    assert!(app.update(Msg::Key(key(KeyCode::Enter))).is_empty());
    assert!(app.notice.as_ref().unwrap().error);
    assert!(app.popup.is_some());
    press(&mut app, "Partner Referrals");
    let effects = app.update(Msg::Key(key(KeyCode::Enter)));
    assert!(matches!(effects.as_slice(), [Effect::DeleteRule { .. }]));
    assert_eq!(app.popup, None);
}

#[test]
fn d_outside_the_rules_does_nothing() {
    let mut app = loaded();
    assert!(press(&mut app, "d").is_empty());
    assert_eq!(app.popup, None);
}

#[test]
fn c_asks_first_then_clones_and_the_cursor_follows_the_clone() {
    let mut app = loaded();
    press(&mut app, "ljl");
    // Zoho makes every clone active: c says so and waits for y; n sends nothing.
    assert_eq!(press(&mut app, "c"), vec![]);
    let Some(Popup::ConfirmWrite(c)) = &app.popup else {
        panic!("no confirmation: {:?}", app.popup)
    };
    assert_eq!(c.lines[0], "Clone “Inbound Demand”?");
    assert!(c.lines[1].contains("Leads / Standard") && c.lines[1].contains("starts active"));
    assert_eq!(press(&mut app, "n"), vec![]);
    assert_eq!(app.popup, None);
    assert!(!app.busy());
    press(&mut app, "c");
    let effects = press(&mut app, "y");
    let [Effect::CloneRule { request, name, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(name, "Inbound Demand");
    let clone = crate::domain::Id::new("9999");
    let after = app.update(Msg::RuleChanged {
        request: *request,
        change: Change::Clone { name: name.clone() },
        result: Ok(Done::Cloned(Some(clone.clone()))),
    });
    assert!(matches!(after.as_slice(), [Effect::LoadSnapshot { .. }]));
    assert_eq!(app.sel_rule, Some(clone));
}

#[test]
fn x_runs_the_selected_rule_and_shows_progress_until_done() {
    use crate::jobs::execute::{ChunkState, ExecEvent};
    let mut app = loaded();
    press(&mut app, "ljl");
    // x names its blast radius first: the rule, the module, which records, what may fire.
    assert_eq!(press(&mut app, "x"), vec![]);
    let Some(Popup::ConfirmWrite(c)) = &app.popup else {
        panic!("no confirmation: {:?}", app.popup)
    };
    assert_eq!(c.lines[0], "Execute “Inbound Demand” (Leads / Standard)?");
    let reach = c.lines.join(" ");
    assert!(
        reach.contains("Zoho re-scores the Leads records it applies to")
            && reach.contains("created or active in the last six months")
            && reach.contains("workflows that use scores may fire"),
        "{reach}"
    );
    let effects = press(&mut app, "y");
    let [Effect::Execute { request, plan, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let request = *request;
    assert_eq!(plan.module, "Leads");
    assert_eq!(plan.chunks.len(), 1);
    assert!(app.busy());
    app.update(Msg::Exec {
        request,
        event: ExecEvent::Job {
            index: 0,
            job_id: crate::domain::Id::new("7"),
            state: "running".into(),
            processed: 5,
            total: 10,
        },
    });
    let Some(Popup::Execute(run)) = &app.popup else {
        panic!("no progress popup")
    };
    assert!((run.ratio() - 0.5).abs() < f64::EPSILON);
    // Esc while running stops sending; the popup stays to show the end.
    let stop = app.update(Msg::Key(key(KeyCode::Esc)));
    assert_eq!(stop, vec![Effect::StopExecution { request }]);
    assert!(app.popup.is_some());
    app.update(Msg::Exec {
        request,
        event: ExecEvent::Chunk {
            index: 0,
            state: ChunkState::Scheduled(crate::domain::Id::new("7")),
        },
    });
    app.update(Msg::ExecDone { request });
    assert!(!app.busy());
    assert!(app.update(Msg::Key(key(KeyCode::Esc))).is_empty());
    assert_eq!(app.popup, None);
}

#[test]
fn x_capital_runs_every_active_rule_of_the_layout_in_chunks() {
    use crate::api::ExecTarget;
    let mut app = loaded();
    // Leads → Standard: Inbound Demand and Enterprise Fit are active, Stale Lead Decay is not.
    press(&mut app, "ljl");
    assert_eq!(press(&mut app, "X"), vec![]);
    let Some(Popup::ConfirmWrite(c)) = &app.popup else {
        panic!("no confirmation: {:?}", app.popup)
    };
    assert_eq!(
        c.lines[0],
        "Execute the 2 active rule(s) of Leads / Standard?"
    );
    assert_eq!(c.lines[1], "Rules: Inbound Demand, Enterprise Fit.");
    let effects = press(&mut app, "y");
    let [Effect::Execute { plan, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let [ExecTarget::Rules(ids)] = plan.chunks.as_slice() else {
        panic!("{plan:?}")
    };
    assert_eq!(ids.len(), 2);
}

/// Esc at 30 % of a job already scheduled: nothing is left to stop, so the view closes and
/// says the job keeps running on the server; it never claims "done".
#[test]
fn esc_while_a_scheduled_job_runs_closes_and_says_it_runs_on() {
    use crate::jobs::execute::{ChunkState, ExecEvent};
    let mut app = loaded();
    press(&mut app, "ljl");
    let effects = press(&mut app, "xy");
    let [Effect::Execute { request, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let request = *request;
    let job = crate::domain::Id::new("7");
    for event in [
        ExecEvent::Chunk {
            index: 0,
            state: ChunkState::Scheduled(job.clone()),
        },
        ExecEvent::Job {
            index: 0,
            job_id: job,
            state: "running".into(),
            processed: 1500,
            total: 4711,
        },
    ] {
        app.update(Msg::Exec { request, event });
    }
    let Some(Popup::Execute(run)) = &app.popup else {
        panic!("no progress popup")
    };
    assert!(!run.stage().contains("done"), "{}", run.stage());
    assert!(run.stage().contains("keeps running on the server"));
    let effects = app.update(Msg::Key(key(KeyCode::Esc)));
    assert_eq!(effects, vec![Effect::CloseExecution { request }]);
    assert_eq!(app.popup, None);
    let notice = app.notice.clone().unwrap();
    assert!(
        notice.text.contains(
            "1 scheduled job keeps running on the server (1500/4711 records when closed)"
        ),
        "{notice:?}"
    );
    // The run's end arrives later and changes nothing on screen.
    app.update(Msg::ExecDone { request });
    assert!(!app.busy());
    assert_eq!(app.popup, None);
}

/// A profile's `confirm = false` (the built-in sandbox's default): c and x send at once.
#[test]
fn with_confirmations_off_c_and_x_send_at_once() {
    let mut app = loaded();
    app.confirm_writes = false;
    press(&mut app, "ljl");
    let effects = press(&mut app, "c");
    assert!(
        matches!(effects.as_slice(), [Effect::CloneRule { .. }]),
        "{effects:?}"
    );
    let effects = press(&mut app, "x");
    assert!(
        matches!(effects.as_slice(), [Effect::Execute { .. }]),
        "{effects:?}"
    );
    assert!(matches!(app.popup, Some(Popup::Execute(_))));
}

/// Leads / Standard with five active rules: the Enterprise edition's layout limit.
fn standard_full() -> App {
    let mut snap = seeded();
    let model = snap
        .rules
        .iter()
        .find(|r| r.name == "Inbound Demand")
        .unwrap()
        .clone();
    for n in 0..3 {
        let mut r = model.clone();
        r.id = Some(crate::domain::Id::new(format!("99000{n}")));
        r.name = format!("Filler {n}");
        r.custom_fields.clear();
        snap.rules.push(r);
    }
    let mut app = App::new(Source {
        label: "built-in sandbox".into(),
        sandbox: true,
    });
    app.start();
    app.update(Msg::SnapshotLoaded {
        request: 1,
        result: Ok(snap),
    });
    app
}

/// c and a judge the layout's limits with the domain's validator and name the limit before
/// anything is sent; a deactivation needs no room.
#[test]
fn c_and_a_name_the_limit_they_would_hit_and_send_nothing() {
    let mut app = standard_full();
    press(&mut app, "ljl");
    assert_eq!(app.current_rule().unwrap().name, "Inbound Demand");
    assert_eq!(press(&mut app, "c"), vec![]);
    assert_eq!(
        app.popup, None,
        "no confirmation for a clone that cannot fit"
    );
    let notice = app.notice.clone().unwrap();
    assert!(notice.error, "{notice:?}");
    assert!(
        notice.text.starts_with("not cloned, nothing sent: layout \"Standard\" already has 5 active rules; the Enterprise edition allows 5 (ACTIVE_STATE_LIMIT_EXCEEDED)"),
        "{notice:?}"
    );
    // Stale Lead Decay is inactive: activating it would be the sixth.
    press(&mut app, "jj");
    assert_eq!(app.current_rule().unwrap().name, "Stale Lead Decay");
    assert_eq!(press(&mut app, "a"), vec![]);
    let notice = app.notice.clone().unwrap();
    assert!(
        notice.text.starts_with(
            "not activated, nothing sent: layout \"Standard\" already has 5 active rules"
        ),
        "{notice:?}"
    );
    assert!(!app.busy());
    // Deactivating an active rule is never held back.
    press(&mut app, "k");
    let effects = press(&mut app, "a");
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::SetActive { active: false, .. }]
        ),
        "{effects:?}"
    );
}
