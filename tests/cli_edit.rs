//! `zscore edit`: the real binary against the sandbox, with `EDITOR` set to a script that
//! edits the file the way a person would, and the result read back through the API.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::cli::text;
use common::{Harness, RULES};

/// An editor: a shell script running `body` on the file (`$1`).
fn editor(dir: &Path, name: &str, body: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\nset -e\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.display().to_string()
}

async fn run_edit(url: &str, home: &Path, editor: &str, args: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_zscore"));
    cmd.arg("--sandbox-url")
        .arg(url)
        .arg("edit")
        .args(args)
        .env("ZSCORE_CONFIG_DIR", home.join("config"))
        .env("ZSCORE_DATA_DIR", home.join("data"))
        .env_remove("VISUAL")
        .env("EDITOR", editor)
        .stdin(std::process::Stdio::null());
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

async fn enterprise_fit(h: &Harness) -> (String, serde_json::Value) {
    let r = h.get(&format!("{RULES}?module=Leads")).await;
    let rule = r.body["scoring_rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Enterprise Fit")
        .unwrap()
        .clone();
    let id = rule["id"].as_str().unwrap().to_string();
    (id.clone(), h.rule(&id).await)
}

#[tokio::test]
async fn an_edit_inside_nested_criteria_is_saved_and_reads_back() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    let (id, before) = enterprise_fit(&h).await;
    let ed = editor(home.path(), "ed.sh", r#"sed -i 's/"VP"/"Director"/' "$1""#);
    let out = run_edit(&h.sandbox.url, home.path(), &ed, &[&id, "--yes"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let after = h.rule(&id).await;
    let mut expected = before["field_rules"][0]["criteria"].clone();
    expected["group"][1]["group"][0]["value"] = serde_json::json!("Director");
    assert_eq!(after["field_rules"][0]["criteria"], expected);
    // The other field rules keep their content (import's update body, which this shares,
    // sends the list anew, so their sub-item ids may change).
    for i in 1..3 {
        assert_eq!(
            after["field_rules"][i]["score"],
            before["field_rules"][i]["score"]
        );
        assert_eq!(
            after["field_rules"][i]["criteria"]["value"],
            before["field_rules"][i]["criteria"]["value"]
        );
    }
    // The change was journaled like any other write.
    let history = common::run_cli(&h.sandbox.url, home.path(), &["history"]).await;
    assert!(
        text(&history.stdout).contains("Enterprise Fit"),
        "{}",
        text(&history.stdout)
    );
}

#[tokio::test]
async fn by_name_an_unchanged_file_sends_nothing() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    let (id, before) = enterprise_fit(&h).await;
    let out = run_edit(
        &h.sandbox.url,
        home.path(),
        "true",
        &[
            "Enterprise Fit",
            "--module",
            "Leads",
            "--layout",
            "Standard",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("unchanged, nothing sent"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(h.rule(&id).await, before);
}

#[tokio::test]
async fn an_invalid_edit_is_refused_with_its_reason_and_kept() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    let (id, before) = enterprise_fit(&h).await;
    let ed = editor(
        home.path(),
        "ed.sh",
        r#"sed -i 's/"score": 25/"score": 250/' "$1""#,
    );
    let out = run_edit(&h.sandbox.url, home.path(), &ed, &[&id, "--yes"]).await;
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("250"), "{err}");
    assert!(err.contains("your edit is kept in "), "{err}");
    let kept = err.split("your edit is kept in ").nth(1).unwrap().trim();
    assert!(
        std::fs::read_to_string(kept)
            .unwrap()
            .contains("\"score\": 250")
    );
    std::fs::remove_file(kept).unwrap();
    assert_eq!(h.rule(&id).await, before);

    // A file that is not JSON says where.
    let ed = editor(home.path(), "bad.sh", r#"printf '{ "name": ' > "$1""#);
    let out = run_edit(&h.sandbox.url, home.path(), &ed, &[&id, "--yes"]).await;
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("line 1"), "{err}");
    if let Some(kept) = err.split("your edit is kept in ").nth(1) {
        let _ = std::fs::remove_file(kept.trim());
    }
}

#[tokio::test]
async fn usage_errors_exit_2() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    let out = run_edit(&h.sandbox.url, home.path(), "true", &[]).await;
    assert_eq!(out.status.code(), Some(2));
    let out = run_edit(&h.sandbox.url, home.path(), "true", &["No such rule"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no rule with the id or name"));
}
