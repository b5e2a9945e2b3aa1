//! `kill -9` of `zscore sandbox --state FILE` while an execution is running: after a restart on
//! the same file the job runs again under its id, to the end, and the records it scores carry
//! the rule's score.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::{RULES, Remote, SandboxProcess};
use reqwest::Method;
use serde_json::{Value, json};

/// A score no seeded rule gives, so the entity-score row can only come from this execution.
const SCORE: i64 = 33;

async fn job(c: &Remote, id: &str) -> Value {
    c.call(Method::GET, &format!("/sandbox/v1/jobs/{id}"), None)
        .await
        .body
}

/// Leads of `layout` with Lead_Source "Web Download" inside the six-month scoring window.
async fn matching_records(c: &Remote, layout: &str) -> Vec<String> {
    c.recent_web_download_leads()
        .await
        .into_iter()
        .filter(|(l, _)| l == layout)
        .map(|(_, id)| id)
        .collect()
}

async fn score_of(c: &Remote, record: &str, rule: &str) -> Option<i64> {
    let r = c
        .call(
            Method::GET,
            &format!("/crm/v8/Leads/{record}/Entity_Scores__s?fields=Positive_Score,Scoring_Rule"),
            None,
        )
        .await;
    r.body["data"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|row| row["Scoring_Rule"]["id"] == rule)
        .and_then(|row| row["Positive_Score"].as_i64())
}

#[tokio::test(flavor = "multi_thread")]
async fn an_execution_cut_by_kill_9_runs_again_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("org.db");
    let state = state.to_str().unwrap();
    // Slow chunks, so the execution is surely running when the sandbox dies.
    let mut sandbox = SandboxProcess::spawn(&["--state", state, "--job-chunk-delay-ms", "300"]);
    let c = Remote::connect(&sandbox.url).await;
    let layouts = c
        .call(Method::GET, "/crm/v8/settings/layouts?module=Leads", None)
        .await;
    let layout = layouts.body["layouts"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let created = c
        .call(
            Method::POST,
            RULES,
            Some(json!({"scoring_rules": [{
                "name": "Restart check", "module": {"api_name": "Leads"}, "layout": {"id": layout},
                "active": true,
                "field_rules": [{"score": SCORE, "criteria": {"field": {"api_name": "Lead_Source"}, "comparator": "equal", "value": "Web Download"}}]
            }]})),
        )
        .await;
    let rule = created.id(0);
    assert!(!rule.is_empty(), "{}", created.body);
    let run = c
        .call(
            Method::PUT,
            "/crm/v8/Leads/actions/run_scoring_rules",
            Some(json!({"scoring_rules": [rule]})),
        )
        .await;
    let job_id = run.item(0)["details"]["job_id"]
        .as_str()
        .unwrap()
        .to_string();

    // Part-way: some records processed, not all.
    let deadline = Instant::now() + Duration::from_secs(60);
    let before = loop {
        let s = job(&c, &job_id).await;
        if s["processed"].as_u64().unwrap_or(0) > 0 {
            break s;
        }
        assert!(Instant::now() < deadline, "the job never started: {s}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_ne!(before["state"], "done", "too fast to interrupt: {before}");
    sandbox.kill9();

    let sandbox = SandboxProcess::spawn(&["--state", state]);
    let c = Remote::connect(&sandbox.url).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    let after = loop {
        let s = job(&c, &job_id).await;
        if s["state"] == "done" {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "the job never finished after the restart: {s}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(after["processed"], after["total"], "{after}");
    assert_eq!(
        after["total"], before["total"],
        "the same job: {before} / {after}"
    );

    let records = matching_records(&c, &layout).await;
    assert!(!records.is_empty(), "no record to check");
    for record in records.iter().take(5) {
        assert_eq!(
            score_of(&c, record, &rule).await,
            Some(SCORE),
            "record {record}"
        );
    }
}
