//! Screen snapshots of the write keys' dialogs at 80×24 and 160×48: the clone and execute
//! confirmations with their blast radius, an execution that follows its scheduled job after
//! the last request and one stopped half-way (what was not sent, what runs on), its
//! verification (polling, then the records still different), and the delete dialog, which
//! says what an undo does.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tui::{keys, loaded_from, profile_prod, screen, seeded, snap};
use zscore::domain::Id;
use zscore::jobs::execute::{ChunkState, ExecEvent};
use zscore::jobs::verify::{Outcome, VerifyEvent, VerifyReport};
use zscore::lab::expected::{Check, Difference, RuleDifference};
use zscore::tui::app::{App, Popup};
use zscore::tui::effects::Effect;
use zscore::tui::event::Msg;
use zscore::tui::exec_verify::VerifyStep;

fn exec(app: &mut App, request: u64, event: ExecEvent) {
    app.update(Msg::Exec { request, event });
}

#[test]
fn clone_confirmation() {
    let mut app = loaded_from(profile_prod(), seeded());
    // Leads → Standard → Inbound Demand.
    assert_eq!(keys(&mut app, "ljlc"), vec![]);
    let small = screen(&app, 80, 24);
    assert!(small.contains("starts active"), "{small}");
    assert!(small.contains("y clone · n or Esc cancel"), "{small}");
    snap!("confirm_clone_80x24", small);
    snap!("confirm_clone_160x48", screen(&app, 160, 48));
}

#[test]
fn execute_confirmation() {
    let mut app = loaded_from(profile_prod(), seeded());
    assert_eq!(keys(&mut app, "ljlX"), vec![]);
    let big = screen(&app, 160, 48);
    assert!(
        big.contains("Rules: Inbound Demand, Enterprise Fit."),
        "{big}"
    );
    assert!(big.contains("may fire."), "{big}");
    snap!("confirm_execute_80x24", screen(&app, 80, 24));
    snap!("confirm_execute_160x48", big);
}

/// Every request sent, the job at 30 %: the view follows it and says it runs on the server.
#[test]
fn execution_following_its_job() {
    let mut app = loaded_from(profile_prod(), seeded());
    let effects = keys(&mut app, "ljlxy");
    let [Effect::Execute { request, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let request = *request;
    exec(
        &mut app,
        request,
        ExecEvent::Chunk {
            index: 0,
            state: ChunkState::Scheduled(Id::new("7")),
        },
    );
    exec(
        &mut app,
        request,
        ExecEvent::Job {
            index: 0,
            job_id: Id::new("7"),
            state: "running".into(),
            processed: 1500,
            total: 4711,
        },
    );
    let small = screen(&app, 80, 24);
    assert!(
        small.contains("1 scheduled job keeps running on the server; following:"),
        "{small}"
    );
    assert!(!small.contains("done"), "{small}");
    snap!("execute_following_80x24", small);
    snap!("execute_following_160x48", screen(&app, 160, 48));
}

/// Seven active rules for every Leads layout (more than the edition allows in one bucket, so
/// that X sends two requests): Esc while the first is in flight, the second is not sent, the
/// first one's job runs on and is followed.
#[test]
fn execution_stopped_half_way() {
    let mut snap = seeded();
    let model = snap
        .rules
        .iter()
        .find(|r| r.name == "Junk Filter")
        .unwrap()
        .clone();
    for n in 0..6 {
        let mut r = model.clone();
        r.id = Some(Id::new(format!("99100{n}")));
        r.name = format!("Every layout {n}");
        snap.rules.push(r);
    }
    let mut app = loaded_from(profile_prod(), snap);
    // Leads → All layouts → X, y.
    let effects = keys(&mut app, "llXy");
    let [Effect::Execute { request, plan, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(plan.chunks.len(), 2);
    let request = *request;
    exec(
        &mut app,
        request,
        ExecEvent::Chunk {
            index: 0,
            state: ChunkState::Sending,
        },
    );
    assert_eq!(
        keys(&mut app, "\x1b"),
        vec![Effect::StopExecution { request }]
    );
    exec(
        &mut app,
        request,
        ExecEvent::Chunk {
            index: 0,
            state: ChunkState::Scheduled(Id::new("7")),
        },
    );
    exec(
        &mut app,
        request,
        ExecEvent::Chunk {
            index: 1,
            state: ChunkState::Skipped,
        },
    );
    exec(
        &mut app,
        request,
        ExecEvent::Job {
            index: 0,
            job_id: Id::new("7"),
            state: "running".into(),
            processed: 300,
            total: 4711,
        },
    );
    let small = screen(&app, 80, 24);
    assert!(small.contains("not sent (stopped)"), "{small}");
    assert!(small.contains("Stopped: 1 request not sent"), "{small}");
    snap!("execute_stopped_80x24", small);
    snap!("execute_stopped_160x48", screen(&app, 160, 48));
    // Esc again closes the view; the job runs on, and the notice says so.
    assert_eq!(
        keys(&mut app, "\x1b"),
        vec![Effect::CloseExecution { request }]
    );
    assert!(app.popup.is_none());
    let notice = app.notice.clone().unwrap().text;
    assert!(
        notice.contains("1 scheduled job keeps running on the server (300/4711 records when closed); 1 request not sent"),
        "{notice}"
    );
}

#[test]
fn delete_dialog_says_what_undo_does() {
    let mut app = loaded_from(profile_prod(), seeded());
    // Leads → Partner Referral → Partner Referrals: owns a custom field.
    keys(&mut app, "ljjld");
    assert!(matches!(app.popup, Some(Popup::ConfirmDelete(_))));
    let big = screen(&app, 160, 48);
    assert!(!big.contains("cannot be undone"), "{big}");
    assert!(
        big.contains("u undoes it by re-creating the rule under a new id"),
        "{big}"
    );
    snap!("confirm_delete_custom_160x48", big);
    keys(&mut app, "\x1bhkljjd");
    snap!("confirm_delete_160x48", screen(&app, 160, 48));
}

fn verify(app: &mut App, request: u64, step: VerifyStep) {
    app.update(Msg::Verify { request, step });
}

/// `x` on a sandbox without job progress (Zoho's case): the scheduled execution is verified
/// by polling; the view says how many records carry the expected scores, and Esc stops the
/// polling, saying that the execution itself goes on.
#[test]
fn execution_verified_while_polling_then_esc() {
    let mut app = loaded_from(profile_prod(), seeded());
    let effects = keys(&mut app, "ljlxy");
    let [
        Effect::Execute {
            request,
            verify: Some(input),
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("x must ask to verify: {effects:?}")
    };
    // The prediction gets the module as loaded and exactly the rule executed.
    assert_eq!(input.schema.module.api_name, "Leads");
    let names: Vec<&str> = input.rules.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Inbound Demand"]);
    let request = *request;
    verify(&mut app, request, VerifyStep::Predicting { sample: 200 });
    assert!(screen(&app, 80, 24).contains("Predicting the sample's scores"));
    verify(
        &mut app,
        request,
        VerifyStep::Predicted {
            records: 200,
            expected_changes: 37,
            outside_window: 12,
        },
    );
    exec(
        &mut app,
        request,
        ExecEvent::Chunk {
            index: 0,
            state: ChunkState::Scheduled(Id::new("7")),
        },
    );
    exec(&mut app, request, ExecEvent::NoJobProgress);
    verify(
        &mut app,
        request,
        VerifyStep::Progress(VerifyEvent::Polled {
            poll: 2,
            verified: 180,
            total: 200,
            calls: 9,
        }),
    );
    let small = screen(&app, 80, 24);
    assert!(
        small.contains("verified 180 / 200 records carry the expected"),
        "{small}"
    );
    assert!(small.contains("Esc stops verifying"), "{small}");
    snap!("execute_verifying_80x24", small);
    snap!("execute_verifying_160x48", screen(&app, 160, 48));
    assert_eq!(
        keys(&mut app, "\x1b"),
        vec![Effect::CloseExecution { request }]
    );
    assert!(app.popup.is_none());
    let notice = app.notice.clone().unwrap().text;
    assert_eq!(
        notice,
        "stopped verifying at 180 / 200; the execution itself goes on in Zoho"
    );
}

fn difference(name: &str, id: u64, expected: i64, actual: i64) -> Difference {
    Difference {
        name: Some(name.into()),
        id: Id::from(id),
        expected,
        actual,
        rules: vec![RuleDifference {
            id: Id::new("5843104000000500001"),
            name: "Inbound Demand".into(),
            expected,
            actual,
        }],
    }
}

/// The timeout passed with records still different: the view lists every one by name, with
/// expected and actual scores, and j scrolls the list.
#[test]
fn execution_verified_with_records_still_different() {
    let mut app = loaded_from(profile_prod(), seeded());
    let effects = keys(&mut app, "ljlxy");
    let [Effect::Execute { request, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let request = *request;
    exec(
        &mut app,
        request,
        ExecEvent::Chunk {
            index: 0,
            state: ChunkState::Scheduled(Id::new("7")),
        },
    );
    exec(&mut app, request, ExecEvent::NoJobProgress);
    let differing: Vec<Difference> = (0..20u64)
        .map(|n| {
            difference(
                &format!("Lead {n:02} (Acme {n})"),
                5843104000000403200 + n,
                40,
                25,
            )
        })
        .collect();
    let report = VerifyReport {
        module: "Leads".into(),
        outcome: Outcome::TimedOut,
        check: Some(Check {
            verified: 180,
            total: 200,
            differing,
        }),
        expected_changes: 37,
        polls: 14,
        prediction_calls: 5,
        poll_calls: 28,
        elapsed_ms: 600_000,
        last_error: None,
    };
    verify(&mut app, request, VerifyStep::Done(Box::new(report)));
    app.update(Msg::ExecDone { request });
    let big = screen(&app, 160, 48);
    assert!(
        big.contains("Verified 180 / 200 records carry the expected scores; timed out"),
        "{big}"
    );
    assert!(
        big.contains("Lead 00 (Acme 0) · 5843104000000403200: expected 40, actual 25"),
        "{big}"
    );
    snap!("execute_verified_differences_80x24", screen(&app, 80, 24));
    snap!("execute_verified_differences_160x48", big);
    // The small screen cannot show all twenty: j moves the list on.
    assert!(!screen(&app, 80, 24).contains("Lead 19"));
    keys(&mut app, "G");
    let small = screen(&app, 80, 24);
    assert!(small.contains("Lead 19 (Acme 19)"), "{small}");
    assert!(!small.contains("Lead 00"), "{small}");
    assert!(keys(&mut app, "\x1b").is_empty());
    assert!(app.popup.is_none());
}
