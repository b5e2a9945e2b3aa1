//! The API client against an in-process sandbox over HTTP: every call, item-by-item results,
//! token refresh (single flight), throttling with backoff, and error typing for every official
//! example response.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::{Value, json};
use zscore::api::error::ZohoError;
use zscore::api::items::parse_items;
use zscore::api::{ApiError, Client, ClientConfig, ExecTarget, RuleFilter};
use zscore::domain::{Edition, Id};
use zscore::sandbox::{Concurrency, RunningSandbox, SandboxOptions};

async fn start(options: SandboxOptions) -> (RunningSandbox, Client) {
    let sb = RunningSandbox::start("127.0.0.1:0", options).await.unwrap();
    let client = Client::new(ClientConfig::sandbox(&sb.url)).unwrap();
    (sb, client)
}

/// Each rule's criteria are its own (rules of one layout may not repeat another's).
fn rule(name: &str, layout: &Id) -> Value {
    json!({"name": name, "module": {"api_name": "Leads"}, "layout": {"id": layout}, "active": false,
           "field_rules": [{"score": 10, "criteria": {"field": {"api_name": "Company"}, "comparator": "contains", "value": format!("zylker {name}")}}]})
}

#[tokio::test]
async fn every_call_round_trips() {
    let (_sb, c) = start(SandboxOptions::default()).await;
    let org = c.org().await.unwrap();
    assert_eq!(org.edition, Some(zscore::domain::Edition::Enterprise));
    assert!(!org.company_name.is_empty());
    let (name, email) = c.current_user().await.unwrap();
    assert!(!name.is_empty() && email.contains('@'));
    let modules = c.modules().await.unwrap();
    assert!(modules.iter().any(|m| m.api_name == "Leads"));
    let layouts = c.layouts("Leads").await.unwrap();
    let layout = layouts
        .iter()
        .find(|l| l.api_name() == "Standard")
        .unwrap()
        .id
        .clone();
    assert!(
        c.fields("Leads")
            .await
            .unwrap()
            .iter()
            .any(|f| f.api_name == "Company")
    );
    assert!(c.signals().await.unwrap().len() >= 10);

    let created = c
        .create_rules(&[rule("Client A", &layout), rule("Client B", &layout)])
        .await
        .unwrap();
    let ids: Vec<Id> = created
        .iter()
        .map(|r| r.as_ref().unwrap().id().unwrap())
        .collect();
    let got = c.get_rule(&ids[0]).await.unwrap().unwrap();
    assert_eq!(got.name, "Client A");
    let listed = c
        .list_rules(&RuleFilter {
            name: Some("Client".into()),
            ..RuleFilter::module("Leads")
        })
        .await
        .unwrap();
    assert_eq!(listed.len(), 2);

    let fr = got.field_rules[0].id.clone().unwrap();
    c.update_rule(&ids[0], &json!({"field_rules": [{"id": fr, "score": 25}]}))
        .await
        .unwrap();
    assert_eq!(
        c.get_rule(&ids[0]).await.unwrap().unwrap().field_rules[0].score,
        25
    );
    let bulk = c
        .update_rules(&[
            json!({"id": ids[1], "description": "d"}),
            json!({"id": "1234567890123456789"}),
        ])
        .await
        .unwrap();
    assert!(bulk[0].is_ok());
    assert_eq!(bulk[1].as_ref().unwrap_err().code, "INVALID_DATA");

    c.activate(&ids[0]).await.unwrap();
    assert!(c.get_rule(&ids[0]).await.unwrap().unwrap().active);
    let clone = c.clone_rule(&ids[0]).await.unwrap().id().unwrap();
    c.deactivate(&ids[0]).await.unwrap();

    let exec = c
        .execute("Leads", &ExecTarget::Rules(vec![clone.clone()]))
        .await
        .unwrap();
    let job = exec[0].as_ref().unwrap().job_id().unwrap();
    let mut status = c.job_status(&job).await.unwrap();
    for _ in 0..500 {
        if status.state == "done" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        status = c.job_status(&job).await.unwrap();
    }
    assert_eq!(
        (status.state.as_str(), status.processed),
        ("done", status.total)
    );
    let by_layout = c
        .execute("Leads", &ExecTarget::Layout(layout.clone()))
        .await;
    assert!(
        by_layout.is_ok() || by_layout.as_ref().unwrap_err().code() == Some("ALREADY_SCHEDULED")
    );

    let records = c
        .records("Leads", &["Last_Name", "Company"], 2_300)
        .await
        .unwrap();
    assert_eq!(records.len(), 2_300, "beyond 2,000 through page_token");
    let record_id: Id = serde_json::from_value(records[0]["id"].clone()).unwrap();
    c.entity_scores("Leads", &record_id).await.unwrap();
    let (rows, _) = c.all_entity_scores(1).await.unwrap();
    assert!(!rows.is_empty());

    let deleted = c.delete_rules(&[ids[1].clone(), clone]).await.unwrap();
    assert!(deleted.iter().all(Result::is_ok));
    c.delete_rule(&ids[0]).await.unwrap();
    let gone = c.get_rule(&ids[0]).await.unwrap_err();
    assert_eq!(gone.code(), Some("INVALID_DATA"));
}

#[tokio::test]
async fn refused_items_come_back_item_by_item() {
    let (_sb, c) = start(SandboxOptions::default()).await;
    let layout = c.layouts("Leads").await.unwrap()[0].id.clone();
    let mut bad = rule("x", &layout);
    bad["field_rules"][0]["score"] = json!(500);
    let results = c
        .create_rules(&[bad, rule("Fine one", &layout)])
        .await
        .unwrap();
    let err = results[0].as_ref().unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.location()),
        (
            "INVALID_DATA",
            Some("$.scoring_rules[0].field_rules[0].score")
        )
    );
    assert!(results[1].is_ok());
    let all_bad = c.create_rules(&[rule("Fine one", &layout)]).await.unwrap();
    assert_eq!(
        all_bad[0].as_ref().unwrap_err().code,
        "DUPLICATE_DATA",
        "a 400 with items is still item by item"
    );
}

#[tokio::test]
async fn revoked_tokens_are_refreshed_once_for_all_waiting_requests() {
    let (sb, c) = start(SandboxOptions::default()).await;
    c.sign_in().await.unwrap();
    assert_eq!(c.tokens().refresh_count(), 1);
    sb.state.tokens.revoke_all();
    let calls = (0..10).map(|_| c.modules());
    let results = futures::future::join_all(calls).await;
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(c.tokens().refresh_count(), 2, "ten 401s, one refresh");
}

#[tokio::test]
async fn tokens_are_refreshed_before_they_expire() {
    let (_sb, c) = start(SandboxOptions {
        token_ttl: Duration::from_secs(2),
        ..Default::default()
    })
    .await;
    c.modules().await.unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    c.modules().await.unwrap();
    assert_eq!(c.tokens().refresh_count(), 2);
}

#[tokio::test]
async fn a_burst_through_a_throttled_sandbox_all_succeeds() {
    let (_sb, c) = start(SandboxOptions {
        max_concurrency: Concurrency::At(2),
        latency: Duration::from_millis(20),
        ..Default::default()
    })
    .await;
    c.sign_in().await.unwrap();
    let calls = (0..50).map(|_| c.signals());
    let results = futures::future::join_all(calls).await;
    let failed: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(failed.is_empty(), "{failed:?}");
}

/// The client starts below every edition's cap and, once the org names its edition, allows as
/// many calls in flight as the edition does: loading the org never trips the sandbox's cap,
/// and the load really ran wider than the starting limit.
#[tokio::test]
async fn loading_the_org_uses_the_editions_concurrency_and_never_trips_it() {
    for edition in [Edition::Standard, Edition::Enterprise, Edition::Ultimate] {
        let (sb, c) = start(SandboxOptions {
            edition,
            latency: Duration::from_millis(30),
            ..Default::default()
        })
        .await;
        assert_eq!(c.in_flight_limit(), 8);
        let snap = c.load_snapshot(None, &[]).await.unwrap();
        assert_eq!(snap.edition, edition);
        assert_eq!(c.in_flight_limit(), edition.concurrency(), "{edition}");
        let state = &sb.state;
        assert_eq!(state.throttled.load(Ordering::Relaxed), 0, "{edition}");
        let peak = state.peak_in_flight.load(Ordering::Relaxed);
        assert!(
            peak > 8 && peak <= edition.concurrency(),
            "{edition}: peak {peak}"
        );
    }
}

/// A sandbox forced below the edition's limit answers 429 to the excess; the client backs off,
/// retries and still loads exactly the org an unthrottled load gives.
#[tokio::test]
async fn a_load_through_a_lower_forced_cap_backs_off_and_completes() {
    let (_free, c) = start(SandboxOptions::default()).await;
    let expected = c.load_snapshot(None, &[]).await.unwrap();
    let (sb, c) = start(SandboxOptions {
        max_concurrency: Concurrency::At(3),
        latency: Duration::from_millis(20),
        ..Default::default()
    })
    .await;
    let snap = c.load_snapshot(None, &[]).await.unwrap();
    // Two sandboxes seeded a moment apart differ only in their time stamps.
    let shape = |s: &zscore::domain::OrgSnapshot| {
        let modules: Vec<_> = s
            .modules
            .iter()
            .map(|m| (m.module.id.clone(), m.layouts.len(), m.fields.len()))
            .collect();
        let rules: Vec<_> = s
            .rules
            .iter()
            .map(|r| (r.id.clone(), r.name.clone()))
            .collect();
        (modules, rules, s.signals.len())
    };
    assert_eq!(shape(&snap), shape(&expected));
    assert!(
        sb.state.throttled.load(Ordering::Relaxed) > 0,
        "the cap was reached and answered 429"
    );
}

/// A limit the user chose is kept whatever the edition.
#[tokio::test]
async fn a_chosen_in_flight_limit_is_not_raised() {
    let sb = RunningSandbox::start("127.0.0.1:0", SandboxOptions::default())
        .await
        .unwrap();
    let mut cfg = ClientConfig::sandbox(&sb.url);
    cfg.max_in_flight = 2;
    cfg.follow_edition = false;
    let c = Client::new(cfg).unwrap();
    c.load_snapshot(None, &[]).await.unwrap();
    assert_eq!(c.in_flight_limit(), 2);
    assert!(sb.state.peak_in_flight.load(Ordering::Relaxed) <= 2);
}

#[tokio::test]
async fn sign_in_failures_are_readable() {
    let (sb, _) = start(SandboxOptions::default()).await;
    let mut cfg = ClientConfig::sandbox(&sb.url);
    cfg.credentials.client_id = String::new();
    let c = Client::new(cfg).unwrap();
    let e = c.modules().await.unwrap_err();
    assert!(matches!(e, ApiError::SignIn(_)));
    assert_eq!(
        e.to_string(),
        "sign-in failed: the client id is not known to this data center (invalid_client)"
    );

    let g = zscore::api::auth::exchange_grant_code(
        c.http(),
        &format!("{}/oauth/v2/token", sb.url),
        "id",
        "secret",
        "invalid-code",
    )
    .await;
    assert!(g.unwrap_err().to_string().contains("invalid_code"));
    let g = zscore::api::auth::exchange_grant_code(
        c.http(),
        &format!("{}/oauth/v2/token", sb.url),
        "id",
        "secret",
        "1000.good",
    )
    .await;
    assert!(g.unwrap().refresh_token.is_some());

    let insecure = Client::new(ClientConfig::sandbox("http://10.1.2.3:7878"));
    assert!(matches!(insecure, Err(ApiError::InsecureUrl(_))));
}

/// Every error body in Zoho's official examples parses into the typed error with its code.
#[test]
fn official_example_errors_parse() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/zoho-oas/examples/scoring_rules/operations");
    let ops = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the official examples are expected at {} ({e})",
            dir.display()
        )
    });
    let mut checked = 0;
    for op in ops {
        let examples = op.unwrap().path().join("examples");
        for file in std::fs::read_dir(&examples).unwrap() {
            let path = file.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let Some(status) = name
                .strip_prefix("response-")
                .and_then(|s| s.get(..3))
                .and_then(|s| s.parse::<u16>().ok())
            else {
                continue;
            };
            let text = std::fs::read_to_string(&path).unwrap();
            let Some(json) = text
                .split("```json")
                .nth(1)
                .and_then(|s| s.split("```").next())
            else {
                continue;
            };
            let body: Value = serde_json::from_str(json).unwrap();
            let expected: Vec<&str> = collect_codes(&body);
            if expected.is_empty() {
                continue;
            }
            let parsed: Vec<String> = if body.get("scoring_rules").is_some() {
                parse_items(status, Some(&body), &name)
                    .unwrap()
                    .into_iter()
                    .map(|r| match r {
                        Ok(s) => s.code,
                        Err(z) => z.code,
                    })
                    .collect()
            } else {
                vec![
                    ZohoError::from_value(status, &body)
                        .map(|z| z.code)
                        .unwrap_or_else(|| "SUCCESS".into()),
                ]
            };
            assert_eq!(parsed, expected, "{name}");
            checked += 1;
        }
    }
    assert!(checked >= 90, "checked {checked} example bodies");
}

fn collect_codes(body: &Value) -> Vec<&str> {
    match body.get("scoring_rules").and_then(Value::as_array) {
        Some(items) => items
            .iter()
            .filter_map(|i| i.get("code").and_then(Value::as_str))
            .collect(),
        None => body
            .get("code")
            .and_then(Value::as_str)
            .into_iter()
            .collect(),
    }
}

/// The module a screen shows first (Leads) is asked for together with the module list, not a
/// round trip after it: here the module list is held until Leads' rules have been asked for,
/// which only a load that asks for them early gets past. (The timeout only turns a hang into
/// a failure.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_shown_modules_rules_are_asked_for_with_the_module_list() {
    let sandbox = RunningSandbox::start("127.0.0.1:0", SandboxOptions::default())
        .await
        .unwrap();
    let release = std::sync::Arc::new(tokio::sync::Notify::new());
    let gate_release = std::sync::Arc::clone(&release);
    let url = common::proxy::start(&sandbox.url, move |_: &reqwest::Method, path: &str| {
        if path.starts_with("/crm/v8/settings/modules") {
            return common::proxy::Gate::Hold(std::sync::Arc::clone(&gate_release));
        }
        if path.starts_with("/crm/v8/settings/automation/scoring_rules")
            && path.contains("module=Leads")
        {
            gate_release.notify_one();
        }
        common::proxy::Gate::Forward
    })
    .await;
    let client = Client::new(ClientConfig::sandbox(&url)).unwrap();
    let snapshot = tokio::time::timeout(Duration::from_secs(30), client.load_snapshot(None, &[]))
        .await
        .expect("the module list waited for Leads' rules, which were never asked for")
        .unwrap();
    assert!(snapshot.module("Leads").is_some());
    assert!(snapshot.rules_of("Leads").count() > 0);
    // Asked early, Leads is still loaded once, in the listed order.
    let names: Vec<&str> = snapshot
        .modules
        .iter()
        .map(|m| m.module.api_name.as_str())
        .collect();
    assert_eq!(names.first(), Some(&"Leads"), "{names:?}");
    assert_eq!(names.iter().filter(|n| **n == "Leads").count(), 1);
}
