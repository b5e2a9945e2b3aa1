//! `zscore export` / `zscore import` as a user runs them against an in-process sandbox: the round
//! trip restores the same rules, a second import changes nothing, and bad files are named.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Output;

use common::{Harness, RULES};
use serde_json::{Value, json};

async fn run(h: &Harness, home: &std::path::Path, args: &[&str]) -> Output {
    common::run_cli(&h.sandbox.url, home, args).await
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

/// A rule as it matters to a user: ids, timestamps and filled-in field ids left out.
fn normalized(rule: &Value) -> Value {
    let strip_criteria = |c: &Value| -> Value {
        let mut c = c.clone();
        fn walk(v: &mut Value) {
            if let Some(o) = v.as_object_mut() {
                if let Some(f) = o.get_mut("field").and_then(Value::as_object_mut) {
                    f.remove("id");
                }
                o.remove("type");
                if let Some(g) = o.get_mut("group").and_then(Value::as_array_mut) {
                    g.iter_mut().for_each(walk);
                }
            }
        }
        walk(&mut c);
        c
    };
    let mut field_rules: Vec<Value> = rule["field_rules"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|f| json!({"score": f["score"], "criteria": strip_criteria(&f["criteria"])}))
        .collect();
    field_rules.sort_by_key(|v| v.to_string());
    let mut signal_rules: Vec<Value> = rule["signal_rules"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|s| json!({"score": s["score"], "signal": s["signal"]["namespace"]}))
        .collect();
    signal_rules.sort_by_key(|v| v.to_string());
    let custom: Vec<Value> = rule["custom_fields"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|c| json!({"label": c["field_label"], "reference": c["reference_field"]["api_name"]}))
        .collect();
    json!({
        "name": rule["name"], "description": rule["description"], "module": rule["module"]["api_name"],
        "layout": rule["layout"]["api_name"], "active": rule["active"],
        "field_rules": field_rules, "signal_rules": signal_rules, "custom_fields": custom,
    })
}

async fn all_rules(h: &Harness) -> Vec<Value> {
    let r = h.get(&format!("{RULES}?per_page=200")).await;
    let mut rules: Vec<Value> = r.body["scoring_rules"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(normalized)
        .collect();
    rules.sort_by_key(|v| v["name"].to_string());
    rules
}

#[tokio::test]
async fn export_delete_all_import_restores_the_same_rules() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    let out_dir = home.path().join("rules");
    let before = all_rules(&h).await;
    assert!(before.len() >= 10);

    let out = run(
        &h,
        home.path(),
        &["export", "--out", out_dir.to_str().unwrap()],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out_dir.join("Leads/Standard").is_dir());
    assert!(out_dir.join(".zscore-ids.json").is_file());

    let ids: Vec<String> = h.get(&format!("{RULES}?per_page=200")).await.body["scoring_rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    for id in &ids {
        h.delete(&format!("{RULES}/{id}")).await;
    }
    assert_eq!(h.get(RULES).await.status, reqwest::StatusCode::NO_CONTENT);

    let dry = run(
        &h,
        home.path(),
        &["import", out_dir.to_str().unwrap(), "--dry-run"],
    )
    .await;
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    assert!(
        text(&dry.stdout).contains("to create"),
        "{}",
        text(&dry.stdout)
    );
    assert_eq!(
        h.get(RULES).await.status,
        reqwest::StatusCode::NO_CONTENT,
        "a dry run changes nothing"
    );

    let refused = run(&h, home.path(), &["import", out_dir.to_str().unwrap()]).await;
    assert_eq!(
        refused.status.code(),
        Some(1),
        "no --yes and no terminal to ask on"
    );

    let applied = run(
        &h,
        home.path(),
        &["import", out_dir.to_str().unwrap(), "--yes"],
    )
    .await;
    assert!(
        applied.status.success(),
        "{}\n{}",
        text(&applied.stdout),
        text(&applied.stderr)
    );
    assert_eq!(all_rules(&h).await, before);

    let again = run(
        &h,
        home.path(),
        &["import", out_dir.to_str().unwrap(), "--yes"],
    )
    .await;
    assert!(again.status.success());
    assert!(
        text(&again.stderr).contains("nothing to change"),
        "{}",
        text(&again.stdout)
    );
    assert_eq!(all_rules(&h).await, before);
}

#[tokio::test]
async fn an_edited_file_becomes_an_update_and_a_bad_file_is_named() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    let out_dir = home.path().join("rules");
    let out = run(
        &h,
        home.path(),
        &[
            "export",
            "--out",
            out_dir.to_str().unwrap(),
            "--module",
            "Deals",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file = out_dir.join("Deals/Standard/Pipeline Priority.json");
    let mut rule: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    rule["description"] = json!("edited in a file");
    std::fs::write(&file, serde_json::to_string_pretty(&rule).unwrap()).unwrap();
    let applied = run(
        &h,
        home.path(),
        &["import", out_dir.to_str().unwrap(), "--yes"],
    )
    .await;
    assert!(applied.status.success(), "{}", text(&applied.stderr));
    assert!(
        text(&applied.stdout).contains("description"),
        "the plan shows the field: {}",
        text(&applied.stdout)
    );
    let listed = h.get(&format!("{RULES}?module=Deals&name=Pipeline")).await;
    assert_eq!(
        listed.body["scoring_rules"][0]["description"],
        "edited in a file"
    );

    rule["field_rules"][0]["score"] = json!("ten");
    std::fs::write(&file, serde_json::to_string_pretty(&rule).unwrap()).unwrap();
    let bad = run(
        &h,
        home.path(),
        &["import", out_dir.to_str().unwrap(), "--yes"],
    )
    .await;
    assert_eq!(bad.status.code(), Some(1));
    let err = text(&bad.stderr);
    assert!(
        err.contains("Pipeline Priority.json") && err.contains("field_rules[0].score"),
        "{err}"
    );
}

#[tokio::test]
async fn import_writes_are_journaled_and_revert_puts_them_back() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    let out_dir = home.path().join("rules");
    let out = run(
        &h,
        home.path(),
        &[
            "export",
            "--out",
            out_dir.to_str().unwrap(),
            "--module",
            "Deals",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file = out_dir.join("Deals/Standard/Pipeline Priority.json");
    let mut rule: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let original = rule["description"].clone();
    rule["description"] = json!("journaled change");
    std::fs::write(&file, serde_json::to_string_pretty(&rule).unwrap()).unwrap();
    let applied = run(
        &h,
        home.path(),
        &["import", out_dir.to_str().unwrap(), "--yes"],
    )
    .await;
    assert!(applied.status.success(), "{}", text(&applied.stderr));

    let history = run(&h, home.path(), &["history"]).await;
    let listing = text(&history.stdout);
    assert!(
        listing.contains("#1") && listing.contains("edit “") && listing.contains("— applied"),
        "{listing}"
    );
    assert!(
        listing.contains("~ description “") && listing.contains("journaled change"),
        "the diff shows the change in the save review's words: {listing}"
    );

    // Revert shows its plan and asks, as import does: without a terminal and without --yes it
    // refuses; --dry-run shows the plan and sends nothing.
    let description = || async {
        h.get(&format!("{RULES}?module=Deals&name=Pipeline"))
            .await
            .body["scoring_rules"][0]["description"]
            .clone()
    };
    let refused = run(&h, home.path(), &["revert", "1"]).await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr).contains("refusing to apply without confirmation")
            && text(&refused.stderr).contains("--yes"),
        "{}",
        text(&refused.stderr)
    );
    assert!(
        text(&refused.stdout).contains("~ restore rule"),
        "the plan comes first: {}",
        text(&refused.stdout)
    );
    assert_eq!(description().await, "journaled change", "nothing was sent");
    let dry = run(&h, home.path(), &["revert", "1", "--dry-run"]).await;
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    let plan = text(&dry.stdout);
    assert!(
        plan.contains("~ restore rule")
            && plan.contains("\"Pipeline Priority\" to its state before entry #1"),
        "{plan}"
    );
    assert!(
        plan.contains("~ description “journaled change” → "),
        "the plan shows what changes: {plan}"
    );
    assert!(text(&dry.stderr).contains("dry run: nothing was changed"));
    assert_eq!(description().await, "journaled change");

    let reverted = run(&h, home.path(), &["revert", "1", "--yes"]).await;
    assert!(reverted.status.success(), "{}", text(&reverted.stderr));
    assert_eq!(description().await, original);
    let after = run(&h, home.path(), &["history", "--json"]).await;
    assert_eq!(
        text(&after.stdout).lines().count(),
        2,
        "the revert is journaled too"
    );
    // --format json like every other command; --json stays as its alias.
    let formatted = run(&h, home.path(), &["history", "--format", "json"]).await;
    assert!(formatted.status.success(), "{}", text(&formatted.stderr));
    assert_eq!(formatted.stdout, after.stdout);
    for line in text(&formatted.stdout).lines() {
        let entry: Value = serde_json::from_str(line).unwrap();
        assert!(entry["seq"].is_u64(), "{line}");
    }
    let table = run(&h, home.path(), &["history", "--format", "table"]).await;
    assert!(
        text(&table.stdout).starts_with("#1 "),
        "{}",
        text(&table.stdout)
    );
    let missing = run(&h, home.path(), &["revert", "99"]).await;
    assert_eq!(missing.status.code(), Some(1));
}

/// Issue 10.15: a directory holding one rule file planned to delete every other Leads rule.
/// Import creates and updates; it deletes only with --prune, and only in the layouts the
/// directory holds.
#[tokio::test]
async fn import_deletes_nothing_without_prune_and_prunes_only_the_layouts_it_holds() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    let full = home.path().join("full");
    let out = run(
        &h,
        home.path(),
        &["export", "--out", full.to_str().unwrap()],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let one = home.path().join("one");
    std::fs::create_dir_all(one.join("Leads/Standard")).unwrap();
    std::fs::copy(
        full.join("Leads/Standard/Enterprise Fit.json"),
        one.join("Leads/Standard/Enterprise Fit.json"),
    )
    .unwrap();
    let before = all_rules(&h).await;
    let in_standard = |rules: &[Value]| -> Vec<String> {
        rules
            .iter()
            .filter(|r| r["module"] == "Leads" && r["layout"] == "Standard")
            .map(|r| r["name"].as_str().unwrap().to_string())
            .collect()
    };
    let others: Vec<String> = in_standard(&before)
        .into_iter()
        .filter(|n| n != "Enterprise Fit")
        .collect();
    assert!(!others.is_empty());

    let dry = run(
        &h,
        home.path(),
        &["import", one.to_str().unwrap(), "--dry-run"],
    )
    .await;
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    let plan = text(&dry.stdout);
    assert!(plan.contains("0 to delete"), "{plan}");
    assert!(plan.contains("--prune would delete them"), "{plan}");
    for name in &others {
        assert!(
            plan.contains(&format!("Leads rule \"{name}\"")),
            "{name}: {plan}"
        );
    }
    let applied = run(&h, home.path(), &["import", one.to_str().unwrap(), "--yes"]).await;
    assert!(applied.status.success(), "{}", text(&applied.stderr));
    assert_eq!(all_rules(&h).await, before, "nothing was deleted");

    let pruned = run(
        &h,
        home.path(),
        &["import", one.to_str().unwrap(), "--prune", "--yes"],
    )
    .await;
    assert!(pruned.status.success(), "{}", text(&pruned.stderr));
    let plan = text(&pruned.stdout);
    assert!(
        plan.contains(&format!("{} to delete", others.len())),
        "{plan}"
    );
    let after = all_rules(&h).await;
    assert_eq!(in_standard(&after), ["Enterprise Fit"]);
    let elsewhere = |rules: &[Value]| -> Vec<Value> {
        rules
            .iter()
            .filter(|r| !(r["module"] == "Leads" && r["layout"] == "Standard"))
            .cloned()
            .collect()
    };
    assert_eq!(
        elsewhere(&after),
        elsewhere(&before),
        "other layouts and modules are left alone"
    );
}
