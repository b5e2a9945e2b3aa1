//! `zscore export` / `zscore import` as a user runs them against an in-process sandbox: the round
//! trip restores the same rules, a second import changes nothing, and bad files are named.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Output;

use common::cli::{export_to_home, read_json, text, write_json};
use common::{Harness, RULES};
use serde_json::{Value, json};

async fn run(h: &Harness, home: &std::path::Path, args: &[&str]) -> Output {
    common::run_cli(&h.sandbox.url, home, args).await
}

/// `zscore import DIR` with `flags` after it.
async fn import(
    h: &Harness,
    home: &std::path::Path,
    dir: &std::path::Path,
    flags: &[&str],
) -> Output {
    let mut args = vec!["import", dir.to_str().unwrap()];
    args.extend_from_slice(flags);
    run(h, home, &args).await
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
    let before = all_rules(&h).await;
    assert!(before.len() >= 10);

    let out_dir = export_to_home(&h.sandbox.url, home.path(), None).await;
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

    // The demo's Regional Focus holds a picklist value removed from its field after it was
    // saved: Zoho refuses to create it, so the import refuses it up front, naming the rule, the
    // field and the value and saying what to do, and sends nothing.
    let whole = import(&h, home.path(), &out_dir, &["--yes"]).await;
    assert_eq!(whole.status.code(), Some(1), "{}", text(&whole.stdout));
    assert_eq!(
        text(&whole.stderr).trim_end(),
        "zscore import: Partners/Reseller/Regional Focus.json: field_rules[0].criteria.value: \
         rule \"Regional Focus\": \"ANZ\" is not a value of Region (the field takes North \
         America, EMEA, APAC, LATAM); edit the value in this file to one of those, or remove \
         the file to import without this rule"
    );
    assert_eq!(h.get(RULES).await.status, reqwest::StatusCode::NO_CONTENT);
    std::fs::remove_file(out_dir.join("Partners/Reseller/Regional Focus.json")).unwrap();
    let before: Vec<Value> = before
        .into_iter()
        .filter(|r| r["name"] != "Regional Focus")
        .collect();

    let dry = import(&h, home.path(), &out_dir, &["--dry-run"]).await;
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

    let refused = import(&h, home.path(), &out_dir, &[]).await;
    assert_eq!(
        refused.status.code(),
        Some(1),
        "no --yes and no terminal to ask on"
    );

    let applied = import(&h, home.path(), &out_dir, &["--yes"]).await;
    assert!(
        applied.status.success(),
        "{}\n{}",
        text(&applied.stdout),
        text(&applied.stderr)
    );
    assert_eq!(all_rules(&h).await, before);

    let again = import(&h, home.path(), &out_dir, &["--yes"]).await;
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
    let out_dir = export_to_home(&h.sandbox.url, home.path(), Some("Deals")).await;
    let file = out_dir.join("Deals/Standard/Pipeline Priority.json");
    let mut rule = read_json(&file);
    rule["description"] = json!("edited in a file");
    write_json(&file, &rule);
    let applied = import(&h, home.path(), &out_dir, &["--yes"]).await;
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
    write_json(&file, &rule);
    let bad = import(&h, home.path(), &out_dir, &["--yes"]).await;
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
    let out_dir = export_to_home(&h.sandbox.url, home.path(), Some("Deals")).await;
    let file = out_dir.join("Deals/Standard/Pipeline Priority.json");
    let mut rule = read_json(&file);
    let original = rule["description"].clone();
    rule["description"] = json!("journaled change");
    write_json(&file, &rule);
    let applied = import(&h, home.path(), &out_dir, &["--yes"]).await;
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

    let dry = import(&h, home.path(), &one, &["--dry-run"]).await;
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
    let applied = import(&h, home.path(), &one, &["--yes"]).await;
    assert!(applied.status.success(), "{}", text(&applied.stderr));
    assert_eq!(all_rules(&h).await, before, "nothing was deleted");

    let pruned = import(&h, home.path(), &one, &["--prune", "--yes"]).await;
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

/// The client's log of one run (`ZSCORE_LOG=debug`): `(method, path)` of every answer.
fn requests(home: &std::path::Path) -> Vec<(String, String)> {
    let log = std::fs::read_to_string(home.join("data/zscore.log")).unwrap_or_default();
    log.lines()
        .filter(|l| l.contains(" answer "))
        .filter_map(|l| {
            let method = l.split("method=").nth(1)?.split_whitespace().next()?;
            let path = l.split("path=\"").nth(1)?.split('"').next()?;
            Some((method.to_string(), path.to_string()))
        })
        .collect()
}

/// An import writes in batches, as Zoho takes them: 21 creates in 2 POSTs (20 per request), 26
/// updates in 2 PUTs (25), 13 deletes (`--prune`) in 2 id lists (`ids` holds at most 255
/// characters, 12 ids), and no write of a single rule; the org then holds exactly the files'
/// rules.
#[tokio::test]
async fn an_import_sends_creates_updates_and_deletes_in_batches() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("rules");
    // Leads: 21 rules to update and 13 to delete; Contacts: 5 to update. Leads' layouts and
    // its all-layouts bucket filled to their 10 rules (the demo has 3 in Standard, 1 in each
    // other).
    let leads_layouts = ["Standard", "Partner_Referral", "Event_Leads"];
    let bucket = |n: usize| match n {
        0..7 => Some(0),
        7..16 => Some(1),
        16..25 => Some(2),
        _ => None,
    };
    for n in 0..34 {
        let name = if n < 21 {
            format!("Batch U{n}")
        } else {
            format!("Batch D{n}")
        };
        let mut rule = common::leads_rule(&name, "0");
        match bucket(n).map(|b| leads_layouts[b]) {
            Some(l) => rule["layout"] = json!({"id": h.layout("Leads", l).await.0}),
            None => {
                rule.as_object_mut().unwrap().remove("layout");
            }
        }
        h.create(rule).await;
    }
    let contacts = |name: &str, layout: &str| {
        json!({"name": name, "module": {"api_name": "Contacts"}, "layout": {"id": layout}, "active": false,
               "field_rules": [{"score": 5, "criteria": {"field": {"api_name": "Last_Name"}, "comparator": "starts_with", "value": name}}]})
    };
    let (standard, _) = h.layout("Contacts", "Standard").await;
    for n in 0..5 {
        h.create(contacts(&format!("Batch CU{n}"), &standard)).await;
    }
    let out = run(&h, home.path(), &["export", "--out", dir.to_str().unwrap()]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));

    // Edit the update files' first score, drop the delete files, add 21 Contacts files.
    let mut edited = 0;
    for entry in walk(&dir) {
        let name = entry.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("Batch D") {
            std::fs::remove_file(&entry).unwrap();
        } else if name.starts_with("Batch U") || name.starts_with("Batch CU") {
            let mut v = read_json(&entry);
            v["field_rules"][0]["score"] = json!(42);
            write_json(&entry, &v);
            edited += 1;
        }
    }
    assert_eq!(edited, 26);
    let template = walk(&dir)
        .into_iter()
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("Batch CU0")
        })
        .unwrap();
    let base = read_json(&template);
    // Room for new Contacts rules: 4 in Standard, 9 in Customer_Success, 10 for all layouts.
    let contacts_dir = template.parent().unwrap().parent().unwrap().to_path_buf();
    for n in 0..21 {
        let name = format!("Batch CN{n}");
        let (layout, folder) = match n {
            0..4 => (json!("Standard"), "Standard"),
            4..13 => (json!("Customer_Success"), "Customer_Success"),
            _ => (Value::Null, zscore::transfer::ALL_LAYOUTS),
        };
        let mut v = base.clone();
        v["name"] = json!(name);
        v["layout"] = layout;
        v["field_rules"][0]["criteria"]["value"] = json!(name);
        let folder = contacts_dir.join(folder);
        std::fs::create_dir_all(&folder).unwrap();
        write_json(&folder.join(format!("{name}.json")), &v);
    }

    let before = requests(home.path()).len();
    let out = common::run_cli_with(
        &h.sandbox.url,
        home.path(),
        &["import", dir.to_str().unwrap(), "--prune", "--yes"],
        &[("ZSCORE_LOG", "debug")],
    )
    .await;
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        text(&out.stdout).contains("21 to create, 26 to update, 13 to delete"),
        "{}",
        text(&out.stdout)
    );
    let sent: Vec<(String, String)> = requests(home.path()).split_off(before);
    let count = |method: &str, path: &str| {
        sent.iter()
            .filter(|(m, p)| m == method && p == path)
            .count()
    };
    assert_eq!(count("POST", RULES), 2, "{sent:#?}");
    assert_eq!(count("PUT", RULES), 2, "{sent:#?}");
    assert_eq!(count("DELETE", RULES), 2, "{sent:#?}");
    let single_writes: Vec<_> = sent
        .iter()
        .filter(|(m, p)| m != "GET" && p != RULES)
        .collect();
    assert!(single_writes.is_empty(), "{single_writes:#?}");
    assert_eq!(stderr.matches("created Contacts/").count(), 21, "{stderr}");
    assert_eq!(stderr.matches("updated ").count(), 26, "{stderr}");
    assert_eq!(
        stderr.matches("deleted Leads/Batch D").count(),
        13,
        "{stderr}"
    );

    // The org holds exactly the files' rules: importing again changes nothing.
    let out = import(&h, home.path(), &dir, &["--prune", "--dry-run"]).await;
    assert!(
        text(&out.stdout).contains("0 to create, 0 to update, 0 to delete"),
        "{}",
        text(&out.stdout)
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
    out
}
