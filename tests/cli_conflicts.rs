//! `zscore import` never silently overwrites a rule someone changed since the export: it refuses
//! the whole import before writing anything, names each such rule, and `--force` overrides.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::cli::{export_to_home, read_json, text, write_json};
use common::{Harness, RULES};
use serde_json::{Value, json};

async fn run(h: &Harness, home: &Path, args: &[&str]) -> Output {
    common::run_cli(&h.sandbox.url, home, args).await
}

async fn deals_rule(h: &Harness, name: &str) -> Value {
    let r = h.get(&format!("{RULES}?module=Deals")).await;
    r.body["scoring_rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no Deals rule {name}"))
}

async fn export_deals(h: &Harness, home: &Path) -> PathBuf {
    export_to_home(&h.sandbox.url, home, Some("Deals")).await
}

fn edit(file: &Path, key: &str, value: Value) {
    let mut rule = read_json(file);
    rule[key] = value;
    write_json(file, &rule);
}

#[tokio::test]
async fn import_over_a_rule_changed_since_the_export_is_refused_unless_forced() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    let dir = export_deals(&h, home.path()).await;

    // Someone else changes Pipeline Priority in the org after the export.
    let theirs = deals_rule(&h, "Pipeline Priority").await;
    let id = theirs["id"].as_str().unwrap().to_string();
    let r = h
        .put(
            &format!("{RULES}/{id}"),
            Some(json!({"scoring_rules": [{"description": "their change"}]})),
        )
        .await;
    assert_eq!(r.code(0), "SUCCESS", "{}", r.body);

    // Meanwhile the file of that rule and of an untouched one are edited.
    let changed_file = dir.join("Deals/Standard/Pipeline Priority.json");
    edit(&changed_file, "name", json!("Pipeline Priority v2"));
    let other_file = dir.join("Deals/Renewals/Renewal Watch.json");
    edit(&other_file, "description", json!("my change"));

    let refused = run(&h, home.path(), &["import", dir.to_str().unwrap(), "--yes"]).await;
    let err = text(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{err}");
    assert!(
        err.contains("refusing to import")
            && err.contains("Deals/Standard/Pipeline Priority.json")
            && err.contains(&id)
            && err.contains("--force"),
        "{err}"
    );
    assert!(
        err.contains("name"),
        "says which fields the import would change: {err}"
    );
    let modified_time = deals_rule(&h, "Pipeline Priority").await["modified_time"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(err.contains(&modified_time), "names when: {err}");
    assert!(
        !err.contains("Renewal Watch"),
        "an untouched rule is not named: {err}"
    );
    assert_eq!(
        deals_rule(&h, "Pipeline Priority").await["name"],
        "Pipeline Priority",
        "nothing was written"
    );
    assert_ne!(
        deals_rule(&h, "Renewal Watch").await["description"],
        "my change",
        "not even the rule nobody else touched"
    );
    let history = run(&h, home.path(), &["history", "--json"]).await;
    assert_eq!(text(&history.stdout).trim(), "", "nothing journaled");

    let forced = run(
        &h,
        home.path(),
        &["import", dir.to_str().unwrap(), "--yes", "--force"],
    )
    .await;
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    assert!(text(&forced.stderr).contains("--force"));
    let now = deals_rule(&h, "Pipeline Priority v2").await;
    assert_eq!(now["id"], id.as_str());
    assert_eq!(
        now["description"], theirs["description"],
        "--force overwrites: the file's description is back"
    );
    assert_eq!(
        deals_rule(&h, "Renewal Watch").await["description"],
        "my change"
    );

    // The import recorded its own writes as the new base: editing again is no conflict.
    edit(&changed_file, "description", json!("second round"));
    let again = run(&h, home.path(), &["import", dir.to_str().unwrap(), "--yes"]).await;
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert_eq!(
        deals_rule(&h, "Pipeline Priority v2").await["description"],
        "second round"
    );
}

#[tokio::test]
async fn deleting_a_rule_changed_since_the_export_is_refused() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    let dir = export_deals(&h, home.path()).await;
    let theirs = deals_rule(&h, "Renewal Watch").await;
    let id = theirs["id"].as_str().unwrap().to_string();
    h.put(&format!("{RULES}/{id}/actions/activate"), None).await;
    let changed = deals_rule(&h, "Renewal Watch").await;
    assert_ne!(
        changed["modified_time"], theirs["modified_time"],
        "activating moved its modified_time"
    );
    // Its layout directory stays, empty: with --prune the import deletes the rule.
    std::fs::remove_file(dir.join("Deals/Renewals/Renewal Watch.json")).unwrap();

    let refused = run(
        &h,
        home.path(),
        &["import", dir.to_str().unwrap(), "--prune", "--yes"],
    )
    .await;
    let err = text(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{err}");
    assert!(
        err.contains("Renewal Watch") && err.contains("delete it"),
        "{err}"
    );
    assert_eq!(deals_rule(&h, "Renewal Watch").await["id"], id.as_str());

    let forced = run(
        &h,
        home.path(),
        &[
            "import",
            dir.to_str().unwrap(),
            "--prune",
            "--yes",
            "--force",
        ],
    )
    .await;
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    let left = h.get(&format!("{RULES}?module=Deals")).await;
    assert!(
        !left.body["scoring_rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "Renewal Watch")
    );
}
