//! The score lab against an in-process sandbox: preview's after-scores are the entity scores
//! execution writes, record by record; and `preview` / `lint` as a user runs them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::process::Output;

use common::{Harness, RULES, leads_rule};
use serde_json::{Value, json};
use zscore::api::{Client, ClientConfig, ExecTarget};
use zscore::domain::Id;
use zscore::domain::evaluate::EvalContext;
use zscore::lab::preview::preview;
use zscore::lab::sample::{fetch_rows, fetch_sample, in_window};

async fn run(h: &Harness, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_zscore"));
    cmd.arg("--sandbox-url")
        .arg(&h.sandbox.url)
        .args(args)
        .env("ZSCORE_CONFIG_DIR", dir.path().join("config"))
        .env("ZSCORE_DATA_DIR", dir.path().join("data"));
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A new active rule in Leads/Standard whose scores are not in the org yet.
async fn add_rule(h: &Harness) -> (String, String) {
    let (layout, _) = h.layout("Leads", "Standard").await;
    let mut rule = leads_rule("Lab fresh rule", &layout);
    rule["active"] = json!(true);
    rule["field_rules"] = json!([
        {"score": 13, "criteria": {"field": {"api_name": "Lead_Source"}, "comparator": "equal", "value": "Web Download"}},
        {"score": -4, "criteria": {"field": {"api_name": "Annual_Revenue"}, "comparator": "greater_than", "value": "100000"}}
    ]);
    (h.create(rule).await, layout)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preview_after_scores_equal_executed_entity_scores() {
    let h = Harness::start().await;
    let (new_rule, layout) = add_rule(&h).await;
    let client = Client::new(ClientConfig::sandbox(&h.sandbox.url)).unwrap();
    let snapshot = client
        .load_snapshot(None, &["Leads".to_string()])
        .await
        .unwrap();
    let schema = snapshot.module("Leads").unwrap();
    let layout_id = Id::new(layout.clone());
    let rules: Vec<_> = snapshot
        .rules_of("Leads")
        .filter(|r| r.active && r.layout_id() == Some(&layout_id))
        .cloned()
        .collect();
    assert!(rules.len() >= 2, "the seeded layout has rules plus ours");
    let ids: Vec<Id> = rules.iter().filter_map(|r| r.id.clone()).collect();
    let ctx = EvalContext {
        now: chrono::Utc::now().timestamp(),
        current_user: None,
        current_role: None,
    };
    let mut sample = fetch_sample(&client, schema, &rules, 2_000).await.unwrap();
    sample.retain(|s| in_window(&s.record, schema, ctx.now));
    assert!(sample.len() > 100, "sample of {}", sample.len());
    let report = preview("Leads", schema, &ids, &rules, &sample, &ctx);
    assert!(report.changed > 0, "the new rule moves some scores");
    let new_id = Id::new(new_rule);
    assert!(
        report
            .rules
            .iter()
            .any(|r| r.id.as_ref() == Some(&new_id) && r.matched > 0)
    );

    let items = client
        .execute("Leads", &ExecTarget::Layout(layout_id.clone()))
        .await
        .unwrap();
    let job = items.into_iter().next().unwrap().unwrap().job_id().unwrap();
    assert_eq!(h.wait_job(job.as_str()).await["state"], "done");

    let record_ids: Vec<Id> = sample.iter().map(|s| s.record.id.clone()).collect();
    let rows = fetch_rows(&client, "Leads", &record_ids).await.unwrap();
    let executed: HashMap<&Id, i64> = record_ids
        .iter()
        .map(|id| {
            let total = rows
                .get(id)
                .map(|by_rule| {
                    ids.iter()
                        .filter_map(|r| by_rule.get(r))
                        .map(|r| r.score)
                        .sum()
                })
                .unwrap_or(0);
            (id, total)
        })
        .collect();
    let mut mismatches = Vec::new();
    for r in &report.records {
        let got = executed.get(&r.id).copied().unwrap_or(0);
        if got != r.after {
            mismatches.push((r.id.clone(), r.after, got));
        }
    }
    assert!(
        mismatches.is_empty(),
        "preview vs executed: {:?}",
        &mismatches[..mismatches.len().min(10)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_preview_layout_rule_file_and_record() {
    let h = Harness::start().await;
    let (new_rule, _) = add_rule(&h).await;
    let out = run(
        &h,
        &[
            "preview", "--module", "Leads", "--layout", "Standard", "--format", "json",
        ],
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(v["sampled"].as_u64().unwrap() > 0);
    assert!(v["changed"].as_u64().unwrap() > 0);
    assert!(
        v["histogram"]["bins"]
            .as_array()
            .is_some_and(|b| !b.is_empty())
    );

    let out = run(
        &h,
        &[
            "preview", "--module", "Leads", "--rule", &new_rule, "--sample", "300",
        ],
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(
        text.contains("records change score") && text.contains("top movers"),
        "{text}"
    );
    // Movers by name, then id.
    let row = text
        .lines()
        .skip_while(|l| !l.starts_with("top movers"))
        .nth(2)
        .unwrap_or_else(|| panic!("no mover rows in {text}"));
    let id_at = row
        .find("5843104")
        .unwrap_or_else(|| panic!("no id in {row:?}"));
    assert!(
        row[..id_at].trim().len() > 3,
        "a name before the id: {row:?}"
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("draft.json");
    let mut draft = h.rule(&new_rule).await;
    draft["field_rules"][0]["score"] = json!(50);
    std::fs::write(&file, json!({"scoring_rules": [draft]}).to_string()).unwrap();
    let out = run(
        &h,
        &[
            "preview",
            "--module",
            "Leads",
            "--file",
            file.to_str().unwrap(),
            "--format",
            "json",
        ],
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let mover = &v["top_movers"][0];
    let record = mover["id"].as_str().unwrap().to_string();
    let name = mover["name"]
        .as_str()
        .expect("movers carry their name")
        .to_string();
    assert!(!name.is_empty());
    assert!(v["records"][0]["name"].is_string());

    // Explain: contributions add up to the after-score preview reported for that record.
    let out = run(
        &h,
        &[
            "preview",
            "--module",
            "Leads",
            "--file",
            file.to_str().unwrap(),
            "--record",
            &record,
            "--format",
            "json",
        ],
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let e: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(e["score"], mover["after"]);
    let fields: i64 = e["rules"][0]["field_rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["matched"] == true)
        .map(|f| f["score"].as_i64().unwrap())
        .sum();
    assert_eq!(
        fields + e["rules"][0]["touch_points"].as_i64().unwrap(),
        e["score"].as_i64().unwrap()
    );
    assert_eq!(e["name"], name.as_str());
    let condition = &e["rules"][0]["field_rules"][0]["conditions"][0];
    assert_eq!(condition["number"], 1);
    assert!(
        condition["value"].is_string() && condition["passed"].is_boolean(),
        "{condition}"
    );
    assert!(e["rules"][0]["field_rules"][0]["pattern"].is_string());

    // The same explanation as text: name first, each condition with its value and verdict.
    let out = run(
        &h,
        &[
            "preview",
            "--module",
            "Leads",
            "--file",
            file.to_str().unwrap(),
            "--record",
            &record,
        ],
    )
    .await;
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!(
            "record {name} · {record}: score {}",
            mover["after"]
        )),
        "{text}"
    );
    assert!(
        text.contains("    field rule 1 ") && text.contains("      1. "),
        "{text}"
    );
    assert!(text.contains(" ✓ ") || text.contains(" ✗ "), "{text}");

    let out = run(&h, &["preview", "--module", "Leads"]).await;
    assert_eq!(out.status.code(), Some(2), "a scope is required");
    let out = run(&h, &["preview", "--module", "Leads", "--rule", "123"]).await;
    assert_eq!(out.status.code(), Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_lint_and_audit_report_dead_duplicate_and_unmatched_rules() {
    let h = Harness::start().await;
    let (layout, _) = h.layout("Leads", "Standard").await;
    let mut dead = leads_rule("Lab dead rule", &layout);
    dead["field_rules"] = json!([
        {"score": 5, "criteria": {"group_operator": "AND", "group": [
            {"field": {"api_name": "Country"}, "comparator": "equal", "value": "India"},
            {"field": {"api_name": "Country"}, "comparator": "equal", "value": "Japan"}
        ]}},
        {"score": 5, "criteria": {"field": {"api_name": "Annual_Revenue"}, "comparator": "between", "value": ["500", "100"]}}
    ]);
    dead["active"] = json!(true);
    let dead_id = h.create(dead).await;
    let mut twin = leads_rule("Lab twin A", &layout);
    twin["active"] = json!(true);
    h.create(twin.clone()).await;
    // Twin B shares twin A's first field rule (with the opposite score) but not its second:
    // criteria shared in part are allowed (a whole repeat is DUPLICATE_DATA) and linted.
    twin["name"] = json!("Lab twin B");
    twin["field_rules"][0]["score"] = json!(-10);
    twin["field_rules"][1]["criteria"]["value"] = json!("Lab twin B Ltd");
    h.create(twin).await;

    let out = run(&h, &["lint", "--module", "Leads", "--format", "json"]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let findings: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    let kinds_of = |id: &str| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f["rule_id"] == id)
            .map(|f| f["kind"].as_str().unwrap().to_string())
            .collect()
    };
    let dead_kinds = kinds_of(&dead_id);
    assert_eq!(
        dead_kinds.iter().filter(|k| *k == "never_matches").count(),
        2,
        "{findings:?}"
    );
    assert!(
        dead_kinds.contains(&"no_match_in_sample".to_string()),
        "{findings:?}"
    );
    assert!(findings.iter().any(|f| f["kind"] == "duplicate_criteria"));
    assert!(findings.iter().any(|f| f["kind"] == "scores_cancel"));

    let out = run(&h, &["audit", "--module", "Leads", "--format", "json"]).await;
    assert!(out.status.success());
    let rows: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    let row = rows
        .iter()
        .find(|r| r["rule_id"] == dead_id.as_str())
        .unwrap();
    let issues = row["issues"].to_string();
    assert!(
        issues.contains("can never both hold") && issues.contains("empty"),
        "{issues}"
    );
    let _ = RULES;
}

/// Issue 10.11: `preview --file` could not read a file `zscore export` wrote, nor the API's
/// rule JSON without ids. Both formats read, with or without ids; errors name the file and
/// the JSON path.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_preview_reads_exported_files_and_api_json_without_ids() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    let out = run(&h, &["export", "--out", rules.to_str().unwrap()]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let exported = rules.join("Leads/Standard/Inbound Demand.json");
    let preview = |file: std::path::PathBuf| {
        let h = &h;
        async move {
            run(
                h,
                &[
                    "preview",
                    "--module",
                    "Leads",
                    "--file",
                    file.to_str().unwrap(),
                    "--sample",
                    "300",
                    "--format",
                    "json",
                ],
            )
            .await
        }
    };
    let out = preview(exported.clone()).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(v["sampled"].as_u64().unwrap() > 0);

    let api = dir.path().join("api.json");
    std::fs::write(
        &api,
        json!({"name": "Hand-written draft", "module": {"api_name": "Leads"},
               "layout": {"api_name": "Standard"},
               "field_rules": [{"score": 15, "criteria": {"field": {"api_name": "Lead_Source"},
                                "comparator": "equal", "value": "Web Download"}}],
               "signal_rules": [{"score": 5, "signal": {"namespace": "EmailInsight_Open__s"}}]})
        .to_string(),
    )
    .unwrap();
    let out = preview(api).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(
        v["changed"].as_u64().unwrap() > 0,
        "a new rule scores records: {v}"
    );

    let mut typo: Value =
        serde_json::from_str(&std::fs::read_to_string(&exported).unwrap()).unwrap();
    typo["field_rules"][0]["scroe"] = json!(5);
    let bad = dir.path().join("typo.json");
    std::fs::write(&bad, typo.to_string()).unwrap();
    let out = preview(bad.clone()).await;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&bad.display().to_string())
            && err.contains("field_rules[0]")
            && err.contains("scroe"),
        "{err}"
    );
}
