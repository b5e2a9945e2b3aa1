//! The score lab as a person uses it: the real binary in a tmux pane against an in-process
//! sandbox. `p` on a rule shows the preview, `w` explains a mover, Esc steps back; a second
//! preview reuses the session's sample; typing part of a name in the explanation finds another
//! record and shows its conditions with their values; against a slow org, Esc cancels a preview mid-fetch
//! while the UI keeps answering; Ctrl-P in the rule form previews the unsaved draft over the
//! form, and Esc returns to the form with the typed text. Waits poll for text with a deadline, never sleep a fixed time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::Harness;
use common::tmux::{Tmux, sandbox_script};
use zscore::sandbox::SandboxOptions;

/// The binary against `h`'s sandbox in a tmux pane, with its own config and data directories
/// under `dir`; the pane stays open after it exits so the exit code can be read.
fn start(name: &str, h: &Harness, dir: &std::path::Path) -> Tmux {
    Tmux::start(
        &format!("lab-{name}"),
        &sandbox_script(dir, &h.sandbox.url, ""),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn preview_explain_and_reuse_the_sample() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    tokio::task::spawn_blocking(move || {
        let tmux = start("preview", &h, &path);
        tmux.select_enterprise_fit();
        tmux.keys(&["p"]);
        // Unchanged, the rule moves no record: the list shows the highest scores instead.
        let screen = tmux.wait_for(&[
            "Preview of “Enterprise Fit”",
            "highest scores",
            "fetched now",
        ]);
        assert!(screen.contains("“Enterprise Fit” matches"), "{screen}");
        assert!(screen.contains("0 records change score"), "{screen}");
        tmux.keys(&["w"]);
        let screen = tmux.wait_for(&["Esc back to the preview", ": score"]);
        assert!(screen.contains("rule Enterprise Fit"), "{screen}");
        tmux.keys(&["Escape"]);
        tmux.wait_for(&["highest scores"]);
        tmux.keys(&["Escape"]);
        tmux.wait_gone("highest scores");
        // Another rule of Leads: the records fetched a moment ago serve it.
        tmux.keys(&["k", "p"]);
        tmux.wait_for(&["highest scores", "this session's sample"]);
        tmux.keys(&["Escape"]);
        tmux.wait_gone("highest scores");
        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT=0"]);
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn esc_cancels_a_slow_preview_and_the_ui_keeps_answering() {
    let h = Harness::with(SandboxOptions {
        latency: Duration::from_millis(300),
        ..SandboxOptions::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    tokio::task::spawn_blocking(move || {
        let tmux = start("cancel", &h, &path);
        tmux.select_enterprise_fit();
        tmux.keys(&["p"]);
        tmux.wait_for(&["fetching up to 2000 Leads records", "Esc cancels"]);
        tmux.keys(&["Escape"]);
        let screen = tmux.wait_for(&["preview cancelled"]);
        assert!(!screen.contains("Esc cancels"), "{screen}");
        // The app still answers keys at once.
        tmux.keys(&["?"]);
        tmux.wait_for(&["Keys"]);
        tmux.keys(&["Escape"]);
        tmux.wait_gone("this help");
        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT=0"]);
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_p_in_the_form_previews_the_draft_and_esc_returns_to_the_form() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    tokio::task::spawn_blocking(move || {
        let tmux = start("draft", &h, &path);
        tmux.select_enterprise_fit();
        tmux.keys(&["e"]);
        tmux.wait_for(&["Edit rule “Enterprise Fit”", "^P preview"]);
        // The first field rule's score, 25 → 40, unsaved.
        tmux.keys(&["Tab", "Tab", "BSpace", "BSpace", "4", "0"]);
        tmux.wait_for(&["40▏", "unsaved"]);
        tmux.keys(&["C-p"]);
        let screen = tmux.wait_for(&["Preview of draft “Enterprise Fit”", "fetched now"]);
        assert!(screen.contains("“Enterprise Fit” matches"), "{screen}");
        assert!(screen.contains("change score"), "{screen}");
        tmux.keys(&["Escape"]);
        let screen = tmux.wait_gone("Preview of draft");
        assert!(screen.contains("Edit rule “Enterprise Fit”"), "{screen}");
        assert!(screen.contains("40▏"), "{screen}");
        // Nothing was saved: closing the form asks before dropping the typed change.
        tmux.keys(&["Escape"]);
        tmux.wait_for(&["y discard"]);
        tmux.keys(&["y"]);
        tmux.wait_gone("Edit rule");
        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT=0"]);
    })
    .await
    .unwrap();
}

/// A lead of the records API's first page inside the six-month window: `(name, company)`.
async fn a_recent_lead(h: &Harness) -> (String, String) {
    let reply = h
        .get("/crm/v8/Leads?fields=Full_Name,Company,Created_Time,Modified_Time,Last_Activity_Time&per_page=200")
        .await;
    let since = chrono::Utc::now() - chrono::Duration::days(170);
    let recent = |r: &serde_json::Value| {
        ["Created_Time", "Modified_Time", "Last_Activity_Time"]
            .iter()
            .any(|f| {
                r[*f]
                    .as_str()
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                    .is_some_and(|t| t > since)
            })
    };
    let leads: Vec<&serde_json::Value> = reply.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| recent(r) && r["Full_Name"].is_string() && r["Company"].is_string())
        .collect();
    let lead = leads[leads.len() / 2];
    (
        lead["Full_Name"].as_str().unwrap().to_string(),
        lead["Company"].as_str().unwrap().to_string(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn w_then_typing_part_of_a_name_explains_that_record_condition_by_condition() {
    let h = Harness::start().await;
    let (name, company) = a_recent_lead(&h).await;
    // Part of the name, in other case, with the start of the company to single it out.
    let company_start: String = company.chars().take(4).collect();
    let tail: String = name.chars().skip(1).collect();
    let typed = format!("{tail} ({company_start}").to_lowercase();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    tokio::task::spawn_blocking(move || {
        let tmux = start("find", &h, &path);
        tmux.select_enterprise_fit();
        tmux.keys(&["p"]);
        tmux.wait_for(&["Preview of “Enterprise Fit”", "highest scores"]);
        tmux.keys(&["w"]);
        let screen = tmux.wait_for(&["find a record", ": score", "decided by"]);
        assert!(screen.contains("rule Enterprise Fit"), "{screen}");
        tmux.text(&typed);
        let screen = tmux.wait_for(&[&format!("find a record: {typed}"), "match"]);
        assert!(screen.contains(&format!("› {name} ({company}")), "{screen}");
        tmux.keys(&["Enter"]);
        let screen = tmux.wait_for(&[&format!("record {name} ({company}) · ")]);
        // Every condition with the record's value and its verdict.
        assert!(screen.contains("decided by"), "{screen}");
        assert!(
            screen.contains(" = ") && (screen.contains(" ✓ ") || screen.contains(" ✗ ")),
            "{screen}"
        );
        assert!(screen.contains("1. "), "{screen}");
        // The search is done once its record is explained: Esc goes back to the preview.
        assert!(
            screen.contains("find a record: type part of its name"),
            "{screen}"
        );
        tmux.keys(&["Escape"]);
        tmux.wait_for(&["highest scores"]);
        tmux.keys(&["Escape"]);
        tmux.wait_gone("highest scores");
        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT=0"]);
    })
    .await
    .unwrap();
}
