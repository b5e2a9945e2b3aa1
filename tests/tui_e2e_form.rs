//! The rule form as a person uses it: the real binary in a tmux pane against a sandbox this test
//! runs (so the result can be checked through the API), with its own config and data
//! directories. Waits poll the screen with a deadline, never sleep a fixed time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::Harness;
use common::tmux::{
    Tmux, draft_holds, runs_then_wait, sandbox_url, wait_for_draft, write_script, zscore_command,
};
use reqwest::Method;

const DEADLINE: Duration = Duration::from_secs(20);

/// A script that runs the TUI `runs` times in a row (a killed run is followed by the next),
/// then keeps the pane open.
fn script(dir: &Path, url: &str, runs: usize) -> std::path::PathBuf {
    write_script(
        dir,
        &runs_then_wait(&zscore_command(dir, &sandbox_url(url)), runs),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn edit_a_rule_with_inline_errors_and_save_it() {
    let h = Harness::start().await;
    let before = h.leads_rule_named("Enterprise Fit").await.unwrap();
    assert_eq!(before["field_rules"][0]["score"], 25);
    let dir = tempfile::tempdir().unwrap();
    let script = script(dir.path(), &h.sandbox.url, 1);
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start("edit", &script);
        tmux.focus_enterprise_fit();
        tmux.keys(&["e"]);
        tmux.wait_for(&["Edit rule “Enterprise Fit”", "14/25"]);

        tmux.text("ABCDEFGHIJKL");
        tmux.wait_for(&["26/25", "✗ name: at most 25 characters (26)", "1 error"]);
        tmux.keys(&["BSpace"]);
        tmux.wait_for(&["25/25", "no errors"]);
        tmux.wait_gone("at most 25 characters");

        tmux.keys(&["Tab", "Tab", "BSpace", "BSpace"]);
        tmux.text("150");
        tmux.wait_for(&["✗ score: score must be an integer from -100 to 100 (150)"]);
        tmux.keys(&["BSpace", "BSpace", "BSpace"]);
        tmux.text("40");
        tmux.wait_for(&["no errors"]);
        tmux.wait_gone("(150)");

        tmux.keys(&["C-s"]);
        tmux.wait_for(&[
            "what changes",
            "name “Enterprise Fit” → “Enterprise FitABCDEFGHIJK”",
            "field rule 1: score +25 → +40",
        ]);
        tmux.keys(&["Enter"]);
        tmux.wait_for(&[
            "saved “Enterprise FitABCDEFGHIJK”",
            "Rule · Enterprise FitABCDEFGHIJK",
        ]);
        tmux.wait_for(&["→ +40"]);
        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT=0"]);
        assert_eq!(tmux.query("#{alternate_on}"), "0");
    })
    .await
    .unwrap();

    let after = h
        .leads_rule_named("Enterprise FitABCDEFGHIJK")
        .await
        .expect("the renamed rule is in the org");
    assert_eq!(after["id"], before["id"]);
    assert_eq!(after["field_rules"][0]["score"], 40);
    assert_eq!(after["field_rules"][1], before["field_rules"][1]);
    assert!(h.leads_rule_named("Enterprise Fit").await.is_none());
    let drafts = dir.path().join("data/drafts");
    let left: Vec<_> = std::fs::read_dir(&drafts)
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "a saved form leaves no draft: {left:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_session_offers_its_draft_at_the_next_start() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let script = script(dir.path(), &h.sandbox.url, 2);
    let data = dir.path().join("data");
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start("kill", &script);
        tmux.focus_enterprise_fit();
        tmux.keys(&["e"]);
        tmux.wait_for(&["Edit rule “Enterprise Fit”"]);
        tmux.text(" (EMEA)");
        tmux.wait_for(&["Enterprise Fit (EMEA)", "unsaved (draft kept)"]);
        // The draft is on disk (its writer thread keeps up with typing) before the kill.
        wait_for_draft(&data, "Enterprise Fit (EMEA)");

        tmux.kill_app("-9");

        // The second run starts on its own and offers the draft.
        tmux.wait_for(&["Unsaved draft", "changes to “Enterprise Fit”", "r restore"]);
        tmux.keys(&["r"]);
        tmux.wait_for(&[
            "Edit rule “Enterprise Fit”",
            "Enterprise Fit (EMEA)",
            "21/25",
        ]);

        // Closing it explicitly asks, then discards the draft.
        tmux.keys(&["Escape"]);
        tmux.wait_for(&["Unsaved changes", "y discard"]);
        tmux.keys(&["y"]);
        tmux.wait_for(&["Rule · Enterprise Fit", "Enterprise Fit  active"]);
        let start = Instant::now();
        while draft_holds(&data, "Enterprise Fit") {
            assert!(
                start.elapsed() < DEADLINE,
                "the discarded draft is still there"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT=0"]);
    })
    .await
    .unwrap();
    assert!(
        h.leads_rule_named("Enterprise Fit").await.is_some(),
        "nothing saved"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_save_over_someone_elses_change_is_refused_and_keeps_the_form() {
    let h = std::sync::Arc::new(Harness::start().await);
    let before = h.leads_rule_named("Enterprise Fit").await.unwrap();
    let id = before["id"].as_str().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let script = script(dir.path(), &h.sandbox.url, 1);
    let other = std::sync::Arc::clone(&h);
    let rt = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start("conflict", &script);
        tmux.focus_enterprise_fit();
        tmux.keys(&["e"]);
        tmux.wait_for(&["Edit rule “Enterprise Fit”"]);
        tmux.keys(&["Tab", "Tab", "BSpace", "BSpace"]);
        tmux.text("40");
        tmux.wait_for(&["no errors"]);

        // Another admin changes the description meanwhile.
        let put = rt.block_on(other.call(
            Method::PUT,
            &format!("/crm/v8/settings/automation/scoring_rules/{id}"),
            Some(serde_json::json!({"scoring_rules": [{"description": "Changed by Ana"}]})),
        ));
        assert_eq!(put.code(0), "SUCCESS", "{:?}", put.body);

        tmux.keys(&["C-s"]);
        tmux.wait_for(&["field rule 1: score +25 → +40"]);
        tmux.keys(&["Enter"]);
        tmux.wait_for(&[
            "Changed by someone else",
            "description ◀ theirs",
            "r re-apply",
        ]);
        tmux.keys(&["Escape"]);
        tmux.wait_gone("Changed by someone else");
        tmux.wait_for(&["Edit rule “Enterprise Fit”", "40▏"]);
    })
    .await
    .unwrap();
    let now = h.leads_rule_named("Enterprise Fit").await.unwrap();
    assert_eq!(now["field_rules"][0]["score"], 25, "nothing was sent");
    assert_eq!(now["description"], "Changed by Ana");
}

/// Zoho's web UI nests criteria; the form edits them as numbered conditions and a pattern.
/// Enterprise Fit's first field rule goes from `1 OR (2 AND 3)` to `(1 OR 2) AND 3` (with the
/// inline error seen on the way), is saved, and reads back through the API with the new
/// structure and the same three conditions.
#[tokio::test(flavor = "multi_thread")]
async fn a_nested_pattern_is_changed_in_the_form_and_saved() {
    let h = Harness::start().await;
    let before = h.leads_rule_named("Enterprise Fit").await.unwrap();
    let criteria = &before["field_rules"][0]["criteria"];
    assert_eq!(criteria["group_operator"], "OR");
    assert_eq!(criteria["group"][1]["group_operator"], "AND");
    let dir = tempfile::tempdir().unwrap();
    let script = script(dir.path(), &h.sandbox.url, 1);
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start_sized("pattern", &script, 120, 36);
        tmux.focus_enterprise_fit();
        tmux.keys(&["e"]);
        tmux.wait_for(&["Edit rule “Enterprise Fit”", "pattern       1 OR (2 AND 3)"]);
        // Name, description, score, then three conditions of three inputs: the pattern.
        tmux.keys(&["Tab"; 12]);
        tmux.wait_for(&["▶   pattern"]);
        tmux.keys(&["End"]);
        tmux.keys(&["BSpace"; 14]);
        tmux.text("(1 OR 2) AND");
        tmux.wait_for(&[
            "✗ pattern: column 13: the pattern ends where a condition number should follow",
        ]);
        tmux.text(" 3");
        tmux.wait_for(&["(1 OR 2) AND 3", "no errors"]);
        tmux.keys(&["C-s"]);
        tmux.wait_for(&[
            "what changes",
            "~ field rule 1: pattern 1 OR (2 AND 3) → (1 OR 2) AND 3",
        ]);
        tmux.keys(&["Enter"]);
        tmux.wait_for(&["saved “Enterprise Fit”"]);
        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT=0"]);
    })
    .await
    .unwrap();

    let after = h.leads_rule_named("Enterprise Fit").await.unwrap();
    let criteria = &after["field_rules"][0]["criteria"];
    assert_eq!(criteria["group_operator"], "AND", "{criteria}");
    let inner = &criteria["group"][0];
    assert_eq!(inner["group_operator"], "OR", "{criteria}");
    let field = |c: &serde_json::Value| c["field"]["api_name"].as_str().unwrap().to_string();
    assert_eq!(
        [
            field(&inner["group"][0]),
            field(&inner["group"][1]),
            field(&criteria["group"][1])
        ],
        ["Industry", "Designation", "Country"].map(String::from),
        "{criteria}"
    );
    assert_eq!(after["field_rules"][0]["score"], 25);
    assert_eq!(after["field_rules"][1], before["field_rules"][1]);
}

/// A new rule built from the lists, as an admin who knows no API names would: the field
/// found by typing "lead so", `is one of` found by its words, two Lead Source values marked
/// with Space; saved, and read back through the API.
#[tokio::test(flavor = "multi_thread")]
async fn a_rule_is_built_from_the_lists_and_saved() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let script = script(dir.path(), &h.sandbox.url, 1);
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start("lists", &script);
        tmux.focus_enterprise_fit();
        tmux.keys(&["n"]);
        tmux.wait_for(&["New rule · Leads / Standard"]);
        tmux.text("Picked sources");
        // Description, active, score.
        tmux.keys(&["Tab", "Tab", "Tab"]);
        tmux.text("15");
        tmux.keys(&["Tab"]);
        tmux.text("lead so");
        tmux.wait_for(&["fields › lead so", "▶ Lead Source", "Enter pick"]);
        tmux.keys(&["Enter"]);
        tmux.wait_gone("fields ›");
        tmux.keys(&["Tab"]);
        tmux.text("one of");
        tmux.wait_for(&["comparators › one of", "▶ is one of"]);
        tmux.keys(&["Enter"]);
        tmux.wait_for(&["is one of (in)"]);
        tmux.keys(&["Tab", "Enter"]);
        tmux.wait_for(&["values of Lead Source", "Space mark"]);
        tmux.keys(&["Space", "Down", "Down", "Space"]);
        tmux.wait_for(&["[✓]"]);
        tmux.keys(&["Enter"]);
        tmux.wait_gone("values of Lead Source");
        tmux.wait_for(&["no errors"]);
        tmux.keys(&["C-s"]);
        tmux.wait_for(&["what changes"]);
        tmux.keys(&["Enter"]);
        tmux.wait_for(&["saved “Picked sources”"]);
        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT=0"]);
    })
    .await
    .unwrap();

    let rule = h
        .leads_rule_named("Picked sources")
        .await
        .expect("the new rule is in the org");
    let c = &rule["field_rules"][0]["criteria"];
    assert_eq!(c["field"]["api_name"], "Lead_Source", "{c}");
    assert_eq!(c["comparator"], "in", "{c}");
    let values = c["value"].as_array().expect("in takes a list");
    assert_eq!(values.len(), 2, "{c}");
    assert_ne!(values[0], values[1], "{c}");
    assert_eq!(rule["field_rules"][0]["score"], 15);
}
