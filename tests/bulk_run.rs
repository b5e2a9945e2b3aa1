//! A bulk change that only partly succeeds says exactly what exists now: the core (`bulk`)
//! driven over real HTTP against the sandbox, with another admin changing the org behind
//! zscore's back between the plan and the send.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Harness, leads_rule};
use serde_json::json;
use tokio::sync::mpsc;
use zscore::api::{Client, ClientConfig};
use zscore::bulk::{BulkEvent, Now, Operation, Plan, Selection, StepState, run};
use zscore::journal::Journal;
use zscore::journal::describe::Outcome;

async fn plan(client: &Client, op: Operation, selection: Selection) -> Plan {
    let snap = client
        .load_snapshot(None, &["Leads".to_string()])
        .await
        .unwrap();
    let rules = selection.pick(&snap).unwrap();
    Plan::build(op, &rules, &snap)
}

fn standard() -> Selection {
    Selection {
        module: Some("Leads".into()),
        layout: Some("Standard".into()),
        ..Selection::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rule_deleted_behind_zscores_back_is_not_sent_and_the_rest_apply() {
    let h = Harness::start().await;
    let client = Client::new(ClientConfig::sandbox(&h.sandbox.url)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path(), "sandbox").unwrap();
    let (layout, _) = h.layout("Leads", "Standard").await;
    let extra = h.create(leads_rule("Extra", &layout)).await;
    h.put(&format!("{}/{extra}/actions/activate", common::RULES), None)
        .await;

    let plan = plan(&client, Operation::Deactivate, standard()).await;
    assert_eq!(plan.steps.len(), 3);
    // Another admin deletes one of the planned rules.
    let gone = plan.steps[1].id.clone();
    let r = h.delete(&format!("{}/{gone}", common::RULES)).await;
    assert_eq!(r.code(0), "SUCCESS");

    let (tx, mut rx) = mpsc::unbounded_channel();
    let report = run(&client, &journal, &plan, plan.steps.len(), &tx)
        .await
        .unwrap();
    drop(tx);
    let mut events = Vec::new();
    while let Some(e) = rx.recv().await {
        events.push(e);
    }
    assert!(events.contains(&BulkEvent::Checking));

    assert_eq!(report.applied(), 2);
    let missing = &report.steps[1];
    assert_eq!(
        missing.state,
        StepState::NotSent("deleted since the plan".into())
    );
    assert_eq!(missing.now, Now::Gone);
    for s in [&report.steps[0], &report.steps[2]] {
        assert_eq!(s.state, StepState::Applied);
        let Now::Is(rule) = &s.now else {
            panic!("{s:?}")
        };
        assert!(!rule.active, "{} is inactive now", rule.name);
    }
    let lines = report.lines(&plan.op);
    assert!(
        lines[1].starts_with(&format!("not sent\t{gone}\t"))
            && lines[1].ends_with(": deleted since the plan — now gone"),
        "{lines:?}"
    );
    // The journal holds the group with the two writes that were sent.
    let group = journal.group(report.group).unwrap().unwrap();
    assert_eq!(group.members.len(), 2);
    assert_eq!(group.applied().len(), 2);
    assert!(Outcome::of(&group.entry).applied());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_activation_zoho_refuses_is_reported_with_its_code_and_what_is_active_now() {
    let h = Harness::start().await;
    let client = Client::new(ClientConfig::sandbox(&h.sandbox.url)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path(), "sandbox").unwrap();
    let (layout, _) = h.layout("Leads", "Standard").await;
    // Standard: 2 active. Two more inactive rules to activate fit the limit of 5 …
    let a = h.create(leads_rule("Bulk A", &layout)).await;
    let b = h.create(leads_rule("Bulk B", &layout)).await;
    let plan = plan(
        &client,
        Operation::Activate,
        Selection {
            ids: vec![
                zscore::domain::Id::new(a.clone()),
                zscore::domain::Id::new(b.clone()),
            ],
            ..Selection::default()
        },
    )
    .await;
    assert_eq!(plan.limit, None, "4 of 5 active: the plan fits");
    // … until another admin fills the layout up to 4 active behind zscore's back: only one of
    // the two activations can land now.
    for name in ["Other 1", "Other 2"] {
        let mut rule = leads_rule(name, &layout);
        rule["active"] = json!(true);
        h.create(rule).await;
    }

    let (tx, _rx) = mpsc::unbounded_channel();
    let report = run(&client, &journal, &plan, 2, &tx).await.unwrap();
    assert_eq!(report.applied(), 1, "{report:?}");
    let refused: Vec<_> = report
        .steps
        .iter()
        .filter(|s| s.state != StepState::Applied)
        .collect();
    assert_eq!(refused.len(), 1);
    assert!(
        matches!(&refused[0].state, StepState::Refused { code, .. } if code == "ACTIVE_STATE_LIMIT_EXCEEDED"),
        "{:?}",
        refused[0].state
    );
    // What the report says exists is what the sandbox holds.
    for s in &report.steps {
        let Now::Is(rule) = &s.now else {
            panic!("{s:?}")
        };
        let live = h.rule(s.id.as_str()).await;
        assert_eq!(live["active"], json!(rule.active));
        assert_eq!(rule.active, s.state == StepState::Applied);
    }
    assert!(
        report
            .summary()
            .starts_with("activate 2 rules: 1 of 2 applied"),
        "{}",
        report.summary()
    );
    let group = journal.group(report.group).unwrap().unwrap();
    assert_eq!(group.members.len(), 2, "both writes were journaled");
    assert_eq!(group.applied().len(), 1, "only the applied one is undone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_request_zoho_refuses_whole_is_refused_for_every_rule_in_it() {
    let h = Harness::start().await;
    // Zoho refuses the whole multi-rule delete (no per-rule items): none of it happened.
    let url = common::proxy::start(&h.sandbox.url, |method, _| {
        if method == axum::http::Method::DELETE {
            common::proxy::Gate::Answer(
                403,
                json!({"code": "NO_PERMISSION", "message": "permission denied",
                       "status": "error", "details": {}}),
            )
        } else {
            common::proxy::Gate::Forward
        }
    })
    .await;
    let client = Client::new(ClientConfig::sandbox(&url)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path(), "sandbox").unwrap();
    let plan = plan(&client, Operation::Delete, standard()).await;
    assert!(plan.steps.len() >= 2, "{plan:?}");

    let (tx, _rx) = mpsc::unbounded_channel();
    let report = run(&client, &journal, &plan, plan.steps.len(), &tx)
        .await
        .unwrap();
    assert_eq!(report.applied(), 0);
    for s in &report.steps {
        assert!(
            matches!(&s.state, StepState::Refused { code, .. } if code == "NO_PERMISSION"),
            "{s:?}"
        );
        assert!(matches!(s.now, Now::Is(_)), "still there: {s:?}");
    }
    // The journal says refused, as history tells it, not failed or unknown.
    let group = journal.group(report.group).unwrap().unwrap();
    assert_eq!(group.members.len(), plan.steps.len());
    for e in &group.members {
        assert_eq!(
            Outcome::of(e).text(),
            "refused: NO_PERMISSION (permission denied)"
        );
    }
    assert!(!Outcome::of(&group.entry).applied(), "no undo target");
}
