//! `E` in the real binary, in a tmux pane, against a sandbox this test runs: `EDITOR` is a
//! shell script that edits the file as a person would (sed), so the terminal hand-over, the
//! review and the save are checked end to end, and the result through the API.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::Harness;
use common::tmux::{Tmux, runs_then_wait, sandbox_url, write_script, zscore_command};

/// A script that runs the TUI with `editor` as `$EDITOR`, then keeps the pane open.
fn script(dir: &Path, url: &str, editor: &Path) -> PathBuf {
    let command = zscore_command(dir, &sandbox_url(url));
    write_script(
        dir,
        &runs_then_wait(
            &format!("VISUAL= EDITOR='{}' {command}", editor.display()),
            1,
        ),
    )
}

/// An editor: a shell script of `body` (the file is `$1`), executable.
fn editor(dir: &Path, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("editor.sh");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn e_edits_the_rule_in_the_editor_reviews_and_saves() {
    let h = Harness::start().await;
    let before = h.leads_rule_named("Enterprise Fit").await.unwrap();
    assert_eq!(before["field_rules"][0]["score"], 25);
    let dir = tempfile::tempdir().unwrap();
    let ed = editor(dir.path(), r#"sed -i 's/"score": 25/"score": 35/' "$1""#);
    let script = script(dir.path(), &h.sandbox.url, &ed);
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start("editfile", &script);
        tmux.select_enterprise_fit();
        tmux.keys(&["E"]);
        tmux.wait_for(&[
            "Save the edit? What changes",
            "“Enterprise Fit”",
            // The file carries no ids; the review still pairs the field rule by its criteria
            // and says what changed, as the form's review would.
            "~ field rule 1: score +25 → +35",
            "Enter: save",
        ]);
        tmux.keys(&["Enter"]);
        tmux.wait_for(&["edited “Enterprise Fit”"]);
        // Keys work after the hand-over: the help opens and closes.
        tmux.keys(&["?"]);
        tmux.wait_for(&["edit the selected rule as a file in $EDITOR"]);
        // Esc and q apart: sent together, a terminal reads them as Alt-q.
        tmux.keys(&["Escape"]);
        tmux.wait_gone("this help");
        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT=0"]);
        assert_eq!(tmux.query("#{alternate_on}"), "0");
    })
    .await
    .unwrap();
    let after = h.leads_rule_named("Enterprise Fit").await.unwrap();
    assert_eq!(after["id"], before["id"]);
    assert_eq!(after["field_rules"][0]["score"], 35);
    assert_eq!(
        after["field_rules"][0]["criteria"],
        before["field_rules"][0]["criteria"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_json_shows_its_line_then_enter_reopens_and_the_fix_is_saved() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let count = dir.path().join("count");
    // First run: breaks the JSON; second run (on the text as typed): fixes it to 45.
    let ed = editor(
        dir.path(),
        &format!(
            r#"n=$(cat '{c}' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '{c}'
if [ "$n" = 1 ]; then sed -i 's/"score": 25/"score": 25,,/' "$1"
else sed -i 's/"score": 25,,/"score": 45/' "$1"; fi"#,
            c = count.display()
        ),
    );
    let script = script(dir.path(), &h.sandbox.url, &ed);
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start("editfix", &script);
        tmux.select_enterprise_fit();
        tmux.keys(&["E"]);
        let screen = tmux.wait_for(&["Edit not valid", "the edited rule:", "(line "]);
        assert!(screen.contains("Enter: back to the editor"), "{screen}");
        tmux.keys(&["Enter"]);
        tmux.wait_for(&["~ field rule 1: score +25 → +45", "Enter: save"]);
        tmux.keys(&["Enter"]);
        tmux.wait_for(&["edited “Enterprise Fit”"]);
        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT=0"]);
    })
    .await
    .unwrap();
    let after = h.leads_rule_named("Enterprise Fit").await.unwrap();
    assert_eq!(after["field_rules"][0]["score"], 45);
    assert_eq!(std::fs::read_to_string(&count).unwrap().trim(), "2");
}
