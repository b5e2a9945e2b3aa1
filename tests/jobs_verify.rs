//! Verifying executions on a sandbox that, like Zoho, has no job-status endpoint: a new rule's
//! scores are predicted, executed and found on the records; a rule changed behind zscore's
//! back between prediction and execution leaves records that differ, named, with expected and
//! actual scores; polling stops when asked; a prediction that changes nothing must hold for
//! the settle time. The API calls verification costs on a 200-record sample are printed
//! (`cargo test --test jobs_verify -- --nocapture`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{Harness, RULES, leads_rule};
use serde_json::json;
use tokio::sync::{mpsc, watch};
use zscore::api::{CallMeter, Client, ClientConfig};
use zscore::domain::Id;
use zscore::jobs::execute::{ChunkState, ExecEvent, ExecPlan, run};
use zscore::jobs::verify::{
    Outcome, VerifyEvent, VerifyOptions, VerifyReport, predict, rules_in_scope, verify,
};
use zscore::lab::expected::Prediction;
use zscore::sandbox::SandboxOptions;

async fn zoho_like() -> (Harness, Client) {
    let h = Harness::with(SandboxOptions {
        job_status: false,
        ..SandboxOptions::default()
    })
    .await;
    let client = Client::new(ClientConfig::sandbox(&h.sandbox.url)).unwrap();
    (h, client)
}

/// An active Leads rule of the Standard layout: +10 for web downloads.
async fn new_rule(h: &Harness, name: &str) -> Id {
    let (layout, _) = h.layout("Leads", "Standard").await;
    let mut rule = leads_rule(name, &layout);
    rule["active"] = json!(true);
    Id::new(h.create(rule).await)
}

async fn predicted(client: &Client, rule: &Id) -> (ExecPlan, Prediction, CallMeter) {
    let snapshot = client
        .load_snapshot(None, &["Leads".to_string()])
        .await
        .unwrap();
    let plan = ExecPlan::rules("Leads", std::slice::from_ref(rule));
    let rules = rules_in_scope(&plan, &snapshot).unwrap();
    assert_eq!(rules.len(), 1);
    let schema = snapshot.module("Leads").unwrap();
    let calls = CallMeter::new();
    let before = client.meter().get();
    let prediction = predict(client, schema, &rules, 200, &calls).await.unwrap();
    assert!(!prediction.records.is_empty());
    // The prediction's reads count in its own meter and in the client's (a command's -v).
    let own = calls.get();
    assert!(own.reads > 0 && own.writes == 0, "{own:?}");
    assert_eq!(client.meter().get().reads - before.reads, own.reads);
    (plan, prediction, calls)
}

/// Runs the execution; the sandbox says it has no job progress, as Zoho would.
async fn execute(client: &Client, plan: ExecPlan) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (_stop, stop_rx) = watch::channel(false);
    let summary = run(client.clone(), plan, tx, stop_rx).await;
    assert!(
        matches!(summary.chunks[0], ChunkState::Scheduled(_)),
        "{summary:?}"
    );
    let mut events = Vec::new();
    while let Ok(e) = rx.try_recv() {
        events.push(e);
    }
    assert!(events.contains(&ExecEvent::NoJobProgress), "{events:?}");
}

fn quick(timeout: Duration) -> VerifyOptions {
    VerifyOptions {
        timeout,
        first_pause: Duration::from_millis(100),
        max_pause: Duration::from_millis(500),
        settle: Duration::from_millis(500),
        execution_done: false,
    }
}

async fn verified(
    client: &Client,
    prediction: Prediction,
    options: VerifyOptions,
    calls: CallMeter,
) -> (VerifyReport, Vec<VerifyEvent>) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (_stop, stop_rx) = watch::channel(false);
    let report = verify(client.clone(), prediction, options, calls, tx, stop_rx).await;
    let mut events = Vec::new();
    while let Ok(e) = rx.try_recv() {
        events.push(e);
    }
    (report, events)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_rules_scores_are_predicted_and_found_after_the_execution() {
    let (h, client) = zoho_like().await;
    let rule = new_rule(&h, "Verify me").await;
    let (plan, prediction, calls) = predicted(&client, &rule).await;
    let sampled = prediction.records.len();
    assert!(
        prediction.expected_changes() > 0,
        "a new rule gives web downloads +10"
    );
    let prediction_calls = calls.get().total();
    execute(&client, plan).await;
    let (report, events) =
        verified(&client, prediction, quick(Duration::from_secs(60)), calls).await;
    assert_eq!(report.outcome, Outcome::Verified, "{report:?}");
    let check = report.check.as_ref().unwrap();
    assert_eq!((check.verified, check.total), (sampled, sampled));
    assert!(check.differing.is_empty());
    assert_eq!(
        report.summary(),
        format!("verified {sampled} / {sampled} records carry the expected scores")
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, VerifyEvent::Polled { .. }))
    );
    assert_eq!(report.prediction_calls, prediction_calls);
    // The figure: what verification costs on a 200-record sample.
    let per_poll = report.poll_calls as f64 / f64::from(report.polls);
    println!(
        "verification of {sampled} records (of a 200-record sample): prediction {} calls, {} poll(s) {} calls ({per_poll:.1} per poll)",
        report.prediction_calls, report.polls, report.poll_calls
    );
    // Each poll reads at most 100 records' rows per request (one request per 200 rows).
    assert!(report.poll_calls >= u64::from(report.polls) * sampled.div_ceil(100) as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rule_changed_behind_zscores_back_leaves_records_that_differ_by_name() {
    let (h, client) = zoho_like().await;
    let rule = new_rule(&h, "Changed behind").await;
    let (plan, prediction, calls) = predicted(&client, &rule).await;
    let expected_changes = prediction.expected_changes();
    // Someone else raises the score between the prediction and the execution.
    let fr = h.rule(rule.as_str()).await["field_rules"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = h
        .put(
            &format!("{RULES}/{rule}"),
            Some(json!({"scoring_rules": [{"field_rules": [{"id": fr, "score": 35}]}]})),
        )
        .await;
    assert_eq!(r.status, reqwest::StatusCode::OK, "{}", r.body);
    execute(&client, plan).await;
    let (report, _) = verified(&client, prediction, quick(Duration::from_secs(3)), calls).await;
    assert_eq!(report.outcome, Outcome::TimedOut);
    let check = report.check.unwrap();
    assert_eq!(check.differing.len(), expected_changes);
    assert_eq!(check.verified, check.total - expected_changes);
    for d in &check.differing {
        assert!(d.name.is_some(), "records are named: {d:?}");
        assert_eq!((d.expected, d.actual), (10, 35), "{d:?}");
        assert_eq!(d.rules.len(), 1);
        assert_eq!(d.rules[0].name, "Changed behind");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_ends_polling_and_the_report_says_so() {
    let (h, client) = zoho_like().await;
    let rule = new_rule(&h, "Never executed").await;
    let (_, prediction, calls) = predicted(&client, &rule).await;
    // Not executed: the scores never land, so only a stop ends a ten-minute wait.
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (stop, stop_rx) = watch::channel(false);
    let worker = tokio::spawn(verify(
        client.clone(),
        prediction,
        VerifyOptions::default(),
        calls,
        tx,
        stop_rx,
    ));
    loop {
        if let Some(VerifyEvent::Polled {
            verified, total, ..
        }) = rx.recv().await
        {
            assert!(verified < total);
            break;
        }
    }
    stop.send(true).unwrap();
    let report = worker.await.unwrap();
    assert_eq!(report.outcome, Outcome::Stopped);
    assert!(report.check.is_some_and(|c| c.verified < c.total));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_nothing_is_expected_to_change_the_scores_must_hold_for_the_settle_time() {
    let (h, client) = zoho_like().await;
    let rule = new_rule(&h, "Already run").await;
    let (plan, _, _) = predicted(&client, &rule).await;
    execute(&client, plan.clone()).await;
    // Wait for that execution's scores, then predict again: nothing will change.
    let (_, first, calls) = predicted(&client, &rule).await;
    let (report, _) = verified(&client, first, quick(Duration::from_secs(60)), calls).await;
    assert_eq!(report.outcome, Outcome::Verified);
    let (plan, again, calls) = predicted(&client, &rule).await;
    assert_eq!(again.expected_changes(), 0);
    execute(&client, plan).await;
    let options = VerifyOptions {
        settle: Duration::from_millis(700),
        ..quick(Duration::from_secs(60))
    };
    let (report, _) = verified(&client, again.clone(), options, calls.clone()).await;
    assert_eq!(report.outcome, Outcome::Verified);
    assert!(
        report.polls >= 2,
        "a first matching poll is not enough: {report:?}"
    );
    assert!(report.elapsed_ms >= 700);
    // A timeout shorter than the settle time: scores that held all along are verified.
    let short = VerifyOptions {
        settle: Duration::from_secs(30),
        ..quick(Duration::from_millis(400))
    };
    let (report, _) = verified(&client, again, short, calls).await;
    assert_eq!(report.outcome, Outcome::Verified, "{report:?}");
    assert!(report.polls >= 2);
}

/// Where the server has a job endpoint (zscore's sandbox), a job it reported done proves the
/// execution ran: scores that match at the first poll are verified at once, without waiting
/// the settle time (the TUI used to poll on for 30 s with every record already verified).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_reported_done_ends_verification_at_the_first_matching_poll() {
    let h = Harness::start().await;
    let client = Client::new(ClientConfig::sandbox(&h.sandbox.url)).unwrap();
    let rule = new_rule(&h, "Already run").await;
    let (plan, _, _) = predicted(&client, &rule).await;
    let (tx, _rx) = mpsc::unbounded_channel();
    let (_stop, stop_rx) = watch::channel(false);
    let first = run(client.clone(), plan.clone(), tx, stop_rx).await;
    assert!(first.all_jobs_done, "{first:?}");
    // Predicted again after that execution: nothing will change.
    let (plan, again, calls) = predicted(&client, &rule).await;
    assert_eq!(again.expected_changes(), 0);
    let (tx, _rx) = mpsc::unbounded_channel();
    let (_stop, stop_rx) = watch::channel(false);
    let summary = run(client.clone(), plan, tx, stop_rx).await;
    assert!(summary.all_jobs_done, "{summary:?}");
    let options = VerifyOptions {
        execution_done: summary.all_jobs_done,
        ..VerifyOptions::default()
    };
    let (report, _) = verified(&client, again, options, calls).await;
    assert_eq!(report.outcome, Outcome::Verified, "{report:?}");
    assert_eq!(report.polls, 1, "{report:?}");
}
