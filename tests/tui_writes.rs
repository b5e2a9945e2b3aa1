//! The TUI's writes over real HTTP against an in-process sandbox: a move keeps everything about
//! the rule but its layout (and id), every write lands in the change journal, and undo puts
//! things back, through the same `Runner` the TUI uses.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::tui::{Wired, next_msg, open_journal};
use common::{Harness, RULES, rule_named};
use serde_json::Value;
use tokio::sync::mpsc;
use zscore::api::rules::RuleFilter;
use zscore::api::{Client, ClientConfig};
use zscore::domain::{Id, ScoringRule};
use zscore::jobs::execute::ExecEvent;
use zscore::jobs::move_rule::{self, MoveRequest};
use zscore::journal::writes::JournaledClient;
use zscore::tui::effects::Effect;
use zscore::tui::event::Msg;
use zscore::tui::history::{HistoryItem, UndoPlan};
use zscore::tui::outcome::Done;

async fn layout_id(client: &Client, module: &str, api_name: &str) -> (Id, String) {
    let l = client
        .layouts(module)
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.api_name() == api_name)
        .unwrap();
    (l.id.clone(), l.label().to_string())
}

/// What a move must keep: everything a user set, minus ids and times.
fn essence(r: &ScoringRule) -> Value {
    let mut v = serde_json::json!({
        "name": r.name,
        "description": r.description,
        "module": r.module.api_name,
        "active": r.active,
        "field_rules": r.field_rules.iter().map(|f| serde_json::json!({"score": f.score, "criteria": f.criteria})).collect::<Vec<_>>(),
        "signal_rules": r.signal_rules.iter().map(|s| serde_json::json!({"score": s.score, "signal": s.signal.id})).collect::<Vec<_>>(),
        "custom_fields": r.custom_fields.iter().map(|c| serde_json::json!({"label": c.field_label, "reference": c.reference_field.as_ref().and_then(|x| x.api_name.clone())})).collect::<Vec<_>>(),
    });
    // Criteria carry field ids that do not change; nothing to strip there.
    v.as_object_mut().unwrap().remove("id");
    v
}

#[tokio::test(flavor = "multi_thread")]
async fn a_move_keeps_the_rule_and_lands_in_the_target_layout_and_undo_puts_it_back() {
    let h = Harness::start().await;
    let Wired {
        client,
        runner,
        mut rx,
        journal_dir,
    } = Wired::journaled(&h);
    let journal = open_journal(journal_dir.path());

    // A rule with everything a move must carry: criteria, a signal rule, a custom field, and
    // active, using fields both layouts have.
    let seeded = rule_named(&client, "Partner Referrals").await.unwrap();
    let (from, _) = layout_id(&client, "Leads", "Partner_Referral").await;
    h.create(serde_json::json!({
        "name": "Referral Fit",
        "description": "moves with everything",
        "module": {"api_name": "Leads"},
        "layout": {"id": from, "api_name": "Partner_Referral"},
        "active": true,
        "field_rules": [
            {"score": 20, "criteria": {"field": {"api_name": "Lead_Source"}, "comparator": "equal", "value": "Web Download"}},
            {"score": -5, "criteria": {"group_operator": "AND", "group": [
                {"field": {"api_name": "Industry"}, "comparator": "equal", "value": "Retail"},
                {"field": {"api_name": "Lead_Status"}, "comparator": "not_equal", "value": "Junk Lead"}]}}
        ],
        "signal_rules": [{"score": 7, "signal": seeded.signal_rules[0].signal}],
        "custom_fields": [{"field_label": "Referral Fit Score", "reference_field": {"api_name": "Score"}}]
    }))
    .await;
    let original = rule_named(&client, "Referral Fit").await.unwrap();
    assert!(original.active && original.custom_fields.len() == 1);
    assert_eq!(original.signal_rules.len(), 1);
    let (target, target_label) = layout_id(&client, "Leads", "Standard").await;
    assert_ne!(original.layout_id(), Some(&target));

    let req = MoveRequest {
        rule: original.id.clone().unwrap(),
        name: original.name.clone(),
        from: "Partner Referral".into(),
        target: target.clone(),
        target_api_name: "Standard".into(),
        target_label,
    };
    runner.spawn(Effect::MoveRule { request: 1, req });
    let (result, select) = changed(&mut rx).await;
    let text = result.unwrap();
    assert!(text.contains("moved “Referral Fit”"), "{text}");
    let new_id = select.unwrap();

    // The sandbox answers a deleted id as invalid, as Zoho does.
    let gone = client.get_rule(original.id.as_ref().unwrap()).await;
    assert!(!matches!(gone, Ok(Some(_))), "the original is still there");
    let moved = client.get_rule(&new_id).await.unwrap().unwrap();
    assert_eq!(moved.layout_id(), Some(&target));
    assert_eq!(essence(&moved), essence(&original));
    let same_name: Vec<_> = client
        .list_rules(&RuleFilter::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.name.starts_with("Referral Fit") || r.name.starts_with("zscore-move"))
        .collect();
    assert_eq!(same_name.len(), 1, "one rule left: {same_name:?}");

    // Four journaled steps, all accepted.
    let ops: Vec<(String, bool)> = journal
        .entries()
        .unwrap()
        .into_iter()
        .map(|e| (e.op, e.outcome.is_some_and(|o| o.ok)))
        .collect();
    let expected: Vec<(String, bool)> = ["create", "delete", "update", "activate"]
        .iter()
        .map(|o| (o.to_string(), true))
        .collect();
    assert_eq!(ops, expected);

    // u undoes the whole move: the original is back in its layout, the copy is gone.
    runner.spawn(Effect::PrepareUndo { request: 2 });
    let Msg::UndoReady { result, .. } = next_msg(&mut rx).await else {
        panic!()
    };
    let plan = result.unwrap();
    assert!(plan.label.contains("move of “Referral Fit”"), "{plan:?}");
    runner.spawn(Effect::Undo {
        request: 3,
        group: plan.group,
    });
    let (result, _) = changed(&mut rx).await;
    assert!(result.is_ok(), "{result:?}");
    let back: Vec<ScoringRule> = client
        .list_rules(&RuleFilter::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.name.starts_with("Referral Fit") || r.name.starts_with("zscore-move"))
        .collect();
    assert_eq!(back.len(), 1, "{back:?}");
    assert_eq!(back[0].layout_id(), Some(&from));
    assert_eq!(essence(&back[0]), essence(&original));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_move_the_target_layout_cannot_take_changes_nothing_and_says_so() {
    let h = Harness::start().await;
    let client = Client::new(ClientConfig::sandbox(&h.sandbox.url)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = open_journal(dir.path());
    let writer = JournaledClient {
        client: &client,
        journal: &journal,
    };
    // Its criteria use Referring_Partner, which the Standard layout does not have: the copy is
    // refused, so nothing else may happen.
    let rule = rule_named(&client, "Partner Referrals").await.unwrap();
    let (target, target_label) = layout_id(&client, "Leads", "Standard").await;
    let req = MoveRequest {
        rule: rule.id.clone().unwrap(),
        name: rule.name.clone(),
        from: "Partner Referral".into(),
        target,
        target_api_name: "Standard".into(),
        target_label,
    };
    let stopped = move_rule::run(&writer, &req).await.unwrap_err();
    assert!(
        matches!(stopped, move_rule::MoveError::CopyRefused(_)),
        "{stopped:?}"
    );
    let err = zscore::tui::move_rule::move_failure_text(&req, &stopped);
    assert!(
        err.starts_with("not moved:") && err.contains("nothing changed"),
        "{err}"
    );
    assert!(err.contains("still in Partner Referral"), "{err}");
    let ops: Vec<String> = journal
        .entries()
        .unwrap()
        .into_iter()
        .map(|e| e.op)
        .collect();
    assert_eq!(
        ops,
        ["create"],
        "the refused create is journaled, nothing else is sent"
    );
    let still = client
        .get_rule(rule.id.as_ref().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(essence(&still), essence(&rule));
}

/// The next change's answer as the app words it (`Err` for an error notice), and the rule the
/// app then selects.
async fn changed(rx: &mut mpsc::UnboundedReceiver<Msg>) -> (Result<String, String>, Option<Id>) {
    let Msg::RuleChanged { change, result, .. } = next_msg(rx).await else {
        panic!("expected a RuleChanged")
    };
    let select = result.as_ref().ok().and_then(Done::select);
    let (text, error) = change.notice(&result);
    (if error { Err(text) } else { Ok(text) }, select)
}

#[tokio::test(flavor = "multi_thread")]
async fn tui_writes_are_journaled_and_undo_of_a_delete_re_creates_the_rule() {
    let h = Harness::start().await;
    let Wired {
        client,
        runner,
        mut rx,
        journal_dir,
    } = Wired::journaled(&h);
    let reader = open_journal(journal_dir.path());

    let rule = rule_named(&client, "Stale Lead Decay").await.unwrap();
    let id = rule.id.clone().unwrap();
    runner.spawn(Effect::SetActive {
        request: 1,
        rule: id.clone(),
        name: rule.name.clone(),
        active: true,
    });
    let (result, _) = changed(&mut rx).await;
    assert!(result.is_ok(), "{result:?}");
    // The delete is guarded: its base is the rule as the TUI has it after the reload.
    let reloaded = rule_named(&client, "Stale Lead Decay").await.unwrap();
    runner.spawn(Effect::DeleteRule {
        request: 2,
        rule: id.clone(),
        name: rule.name.clone(),
        base: Box::new(reloaded),
    });
    let (result, _) = changed(&mut rx).await;
    assert!(result.unwrap().contains("deleted “Stale Lead Decay”"));
    assert!(rule_named(&client, "Stale Lead Decay").await.is_none());

    let ops: Vec<String> = reader
        .entries()
        .unwrap()
        .into_iter()
        .map(|e| e.op)
        .collect();
    assert_eq!(ops, ["activate", "delete"]);

    // u: the confirmation names the delete and shows its diff.
    runner.spawn(Effect::PrepareUndo { request: 3 });
    let Msg::UndoReady { result, .. } = next_msg(&mut rx).await else {
        panic!()
    };
    let plan = result.unwrap();
    assert!(
        plan.label.contains("deleted “Stale Lead Decay”"),
        "{plan:?}"
    );
    let plan = UndoPlan::of(plan, None);
    assert!(plan.steps[0].head.contains("re-create"), "{plan:?}");
    assert!(
        plan.steps[0].diff[0].signed() == "+ name “Stale Lead Decay”",
        "the undo re-creates the rule: {plan:?}"
    );

    runner.spawn(Effect::Undo {
        request: 4,
        group: plan.group,
    });
    let (result, _) = changed(&mut rx).await;
    assert!(result.unwrap().starts_with("undid deleted"));
    let back = rule_named(&client, "Stale Lead Decay").await.unwrap();
    assert_eq!(
        essence(&back),
        essence(&ScoringRule {
            active: true,
            ..rule.clone()
        })
    );

    // The next u undoes the activation, not the undo.
    runner.spawn(Effect::PrepareUndo { request: 5 });
    let Msg::UndoReady { result, .. } = next_msg(&mut rx).await else {
        panic!()
    };
    assert!(result.unwrap().label.contains("activated"));

    // H: the rule's history has its entries, the re-creation included (by name).
    runner.spawn(Effect::LoadHistory {
        request: 6,
        rule: back.id.clone().unwrap(),
        name: back.name.clone(),
    });
    let Msg::HistoryLoaded { result, .. } = next_msg(&mut rx).await else {
        panic!()
    };
    let ops: Vec<String> = result.unwrap().into_iter().map(|i| i.op).collect();
    assert_eq!(ops, ["activate", "delete", "create"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delete_over_someone_elses_change_is_refused_says_what_changed_and_deletes_nothing() {
    let h = Harness::start().await;
    let Wired {
        client,
        runner,
        mut rx,
        journal_dir,
    } = Wired::journaled(&h);
    let reader = open_journal(journal_dir.path());

    // Loaded by the TUI, then changed by another admin through the API.
    let loaded = rule_named(&client, "Stale Lead Decay").await.unwrap();
    let id = loaded.id.clone().unwrap();
    let other = h
        .put(
            &format!("{RULES}/{id}"),
            Some(serde_json::json!({"scoring_rules": [{"description": "changed by B"}]})),
        )
        .await;
    assert_eq!(other.code(0), "SUCCESS", "{}", other.body);

    runner.spawn(Effect::DeleteRule {
        request: 1,
        rule: id.clone(),
        name: loaded.name.clone(),
        base: Box::new(loaded.clone()),
    });
    let (result, _) = changed(&mut rx).await;
    let text = result.unwrap_err();
    assert!(text.contains("not deleted"), "{text}");
    assert!(text.contains("nothing was deleted"), "{text}");
    assert!(text.contains("description"), "{text}");
    let still = rule_named(&client, "Stale Lead Decay").await.unwrap();
    assert_eq!(still.description.as_deref(), Some("changed by B"));
    assert!(
        reader.entries().unwrap().is_empty(),
        "a refused delete is not journaled"
    );

    // Deleted meanwhile by someone else: refused too, and said so.
    let gone = h.delete(&format!("{RULES}/{id}")).await;
    assert_eq!(gone.code(0), "SUCCESS", "{}", gone.body);
    runner.spawn(Effect::DeleteRule {
        request: 2,
        rule: id.clone(),
        name: loaded.name.clone(),
        base: Box::new(still),
    });
    let (result, _) = changed(&mut rx).await;
    let text = result.unwrap_err();
    assert!(text.contains("already deleted"), "{text}");
}

const SOURCES: [&str; 5] = [
    "Advertisement",
    "Cold Call",
    "Trade Show",
    "Partner",
    "Seminar Partner",
];

/// Fills Leads / Standard up to `active` active rules with rules of its own.
async fn fill_standard(h: &Harness, client: &Client, active: usize) {
    let (layout, _) = layout_id(client, "Leads", "Standard").await;
    let now = client
        .list_rules(&RuleFilter::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.active && r.layout_id() == Some(&layout))
        .count();
    for n in now..active {
        h.create(serde_json::json!({
            "name": format!("Filler {n}"),
            "module": {"api_name": "Leads"},
            "layout": {"id": layout, "api_name": "Standard"},
            "active": true,
            "field_rules": [{"score": 5, "criteria": {"field": {"api_name": "Lead_Source"}, "comparator": "equal", "value": SOURCES[n % SOURCES.len()]}}]
        }))
        .await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_write_is_journaled_with_its_code_but_u_undoes_the_change_before_it() {
    let h = Harness::start().await;
    let Wired {
        client,
        runner,
        mut rx,
        journal_dir,
    } = Wired::journaled(&h);
    let reader = open_journal(journal_dir.path());
    fill_standard(&h, &client, 4).await;

    // A clone that takes effect fills the layout's fifth active slot…
    let inbound = rule_named(&client, "Inbound Demand").await.unwrap();
    runner.spawn(Effect::CloneRule {
        request: 1,
        rule: inbound.id.clone().unwrap(),
        name: inbound.name.clone(),
    });
    let (result, select) = changed(&mut rx).await;
    assert!(result.is_ok(), "{result:?}");
    let copy = select.unwrap();
    // …so an activation and another clone after it are refused by Zoho.
    let stale = rule_named(&client, "Stale Lead Decay").await.unwrap();
    runner.spawn(Effect::SetActive {
        request: 2,
        rule: stale.id.clone().unwrap(),
        name: stale.name.clone(),
        active: true,
    });
    let (result, _) = changed(&mut rx).await;
    let text = result.unwrap_err();
    assert!(text.contains("ACTIVE_STATE_LIMIT_EXCEEDED"), "{text}");
    let fit = rule_named(&client, "Enterprise Fit").await.unwrap();
    runner.spawn(Effect::CloneRule {
        request: 3,
        rule: fit.id.clone().unwrap(),
        name: fit.name.clone(),
    });
    let (result, _) = changed(&mut rx).await;
    assert!(result.is_err(), "{result:?}");
    let outcomes: Vec<(String, bool)> = reader
        .entries()
        .unwrap()
        .into_iter()
        .map(|e| (e.op, e.outcome.is_some_and(|o| o.ok)))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("clone".to_string(), true),
            ("activate".to_string(), false),
            ("clone".to_string(), false)
        ],
        "refused writes are journaled with their outcome"
    );

    // H on Enterprise Fit: the refused clone reads as refused, with Zoho's code; nothing in
    // it reads as a deletion.
    runner.spawn(Effect::LoadHistory {
        request: 4,
        rule: fit.id.clone().unwrap(),
        name: fit.name.clone(),
    });
    let Msg::HistoryLoaded { result, .. } = next_msg(&mut rx).await else {
        panic!()
    };
    let items: Vec<HistoryItem> = result
        .unwrap()
        .iter()
        .map(|e| HistoryItem::of(e, None))
        .collect();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0].action, "clone “Enterprise Fit”");
    assert!(
        items[0]
            .outcome
            .starts_with("refused: ACTIVE_STATE_LIMIT_EXCEEDED"),
        "{items:?}"
    );
    assert_eq!(items[0].diff, [], "a refused clone changed nothing");

    // u: the refused writes are no undo targets; the clone that took effect is.
    runner.spawn(Effect::PrepareUndo { request: 5 });
    let Msg::UndoReady { result, .. } = next_msg(&mut rx).await else {
        panic!()
    };
    let target = result.unwrap();
    assert_eq!(target.label, "cloned “Inbound Demand”");
    runner.spawn(Effect::Undo {
        request: 6,
        group: target.group,
    });
    let (result, _) = changed(&mut rx).await;
    assert!(result.is_ok(), "{result:?}");
    assert!(
        !matches!(client.get_rule(&copy).await, Ok(Some(_))),
        "the clone is gone"
    );
}

/// The execution view closed while its job runs: the runner stops following (the run ends and
/// says so), and the job runs on at the server, as the view said it would.
#[tokio::test(flavor = "multi_thread")]
async fn closing_an_execution_stops_following_and_the_job_runs_on_at_the_server() {
    let h = Harness::with(zscore::sandbox::SandboxOptions {
        job_chunk_delay: Duration::from_secs(2),
        ..Default::default()
    })
    .await;
    let Wired {
        client,
        runner,
        mut rx,
        ..
    } = Wired::unjournaled(&h);
    let rule = rule_named(&client, "Inbound Demand").await.unwrap();
    let plan = zscore::jobs::execute::ExecPlan::rules("Leads", &[rule.id.clone().unwrap()]);
    runner.spawn(Effect::Execute {
        request: 1,
        plan,
        verify: None,
    });
    // Follow until the server reports the job running.
    let job = loop {
        match next_msg(&mut rx).await {
            Msg::Exec {
                event: ExecEvent::Job { job_id, state, .. },
                ..
            } if state == "running" => break job_id,
            Msg::ExecDone { .. } => panic!("the run ended before its job was followed"),
            _ => {}
        }
    };
    runner.spawn(Effect::CloseExecution { request: 1 });
    loop {
        if let Msg::ExecDone { request } = next_msg(&mut rx).await {
            assert_eq!(request, 1);
            break;
        }
    }
    let status = client.job_status(&job).await.unwrap();
    assert!(
        status.processed < status.total && status.state != "done",
        "the run followed the job to its end instead of stopping: {status:?}"
    );
}

/// `x` where the server has no job endpoint (Zoho's case): the runner predicts the sample's
/// scores with `jobs::verify`, sends the execution, then polls until the records carry them,
/// reporting each step to the view; the view ends on `verified N / N`.
#[tokio::test(flavor = "multi_thread")]
async fn the_runner_verifies_an_execution_where_zoho_reports_no_progress() {
    use serde_json::json;
    use zscore::jobs::verify::{Outcome, VerifyEvent};
    use zscore::tui::exec_task::VerifyInput;
    use zscore::tui::exec_verify::VerifyStep;
    let h = Harness::with(zscore::sandbox::SandboxOptions {
        job_status: false,
        ..Default::default()
    })
    .await;
    let Wired {
        client,
        runner,
        mut rx,
        ..
    } = Wired::unjournaled(&h);
    // A new active rule: no record carries its score yet, so the execution changes some.
    let (layout, _) = h.layout("Leads", "Standard").await;
    let mut rule = common::leads_rule("Verified from the TUI", &layout);
    rule["active"] = json!(true);
    let id = Id::new(h.create(rule).await);
    let snapshot = client
        .load_snapshot(None, &["Leads".to_string()])
        .await
        .unwrap();
    let plan = zscore::jobs::execute::ExecPlan::rules("Leads", std::slice::from_ref(&id));
    let rules = zscore::jobs::verify::rules_in_scope(&plan, &snapshot).unwrap();
    let schema = snapshot.module("Leads").unwrap().clone();
    runner.spawn(Effect::Execute {
        request: 1,
        plan,
        verify: Some(Box::new(VerifyInput { schema, rules })),
    });
    let mut steps = Vec::new();
    let mut saw_no_job_progress = false;
    loop {
        match next_msg(&mut rx).await {
            Msg::Verify { request: 1, step } => steps.push(step),
            Msg::Exec {
                event: ExecEvent::NoJobProgress,
                ..
            } => saw_no_job_progress = true,
            Msg::ExecDone { request: 1 } => break,
            _ => {}
        }
    }
    assert!(saw_no_job_progress);
    assert!(
        matches!(steps[0], VerifyStep::Predicting { sample: 200 }),
        "{steps:?}"
    );
    let VerifyStep::Predicted {
        records,
        expected_changes,
        ..
    } = steps[1]
    else {
        panic!("{steps:?}")
    };
    assert!(records > 0 && expected_changes > 0, "{steps:?}");
    assert!(
        steps
            .iter()
            .any(|s| matches!(s, VerifyStep::Progress(VerifyEvent::Polled { .. }))),
        "{steps:?}"
    );
    let Some(VerifyStep::Done(report)) = steps.last() else {
        panic!("{steps:?}")
    };
    assert_eq!(report.outcome, Outcome::Verified, "{report:?}");
    let check = report.check.as_ref().unwrap();
    assert_eq!((check.verified, check.total), (records, records));
    assert!(check.differing.is_empty());
    assert_eq!(
        report.summary(),
        format!("verified {records} / {records} records carry the expected scores")
    );
    println!(
        "TUI verification of {records} records: {} calls for the prediction, {} for {} poll(s)",
        report.prediction_calls, report.poll_calls, report.polls
    );
}
