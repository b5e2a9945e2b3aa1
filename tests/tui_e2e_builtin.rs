//! The TUI on the built-in sandbox (no profile, no `--sandbox-url`) across launches, in a tmux
//! pane with its own config and data directories: the org persists, so a draft restored after
//! a kill saves without a false conflict, and a command run beside the TUI uses the TUI's
//! sandbox. Waits poll the screen with a deadline, never sleep a fixed time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;

use common::tmux::{Tmux, runs_then_wait, wait_for_draft, write_script, zscore_command};

/// Runs the TUI on the built-in sandbox `runs` times in a row, then keeps the pane open.
fn script(dir: &Path, runs: usize) -> std::path::PathBuf {
    write_script(dir, &runs_then_wait(&zscore_command(dir, ""), runs))
}

#[test]
fn a_draft_restored_after_a_kill_saves_and_a_command_beside_the_tui_uses_its_org() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let tmux = Tmux::start("builtin", &script(dir.path(), 2));
    tmux.focus_enterprise_fit();
    tmux.keys(&["e"]);
    tmux.wait_for(&["Edit rule “Enterprise Fit”"]);
    tmux.text(" EMEA");
    tmux.wait_for(&["Enterprise Fit EMEA", "unsaved (draft kept)"]);
    wait_for_draft(&data, "Enterprise Fit EMEA");
    tmux.kill_app("-9");

    // The next launch finds the same org, so the rule the draft was based on is unchanged.
    tmux.wait_for(&["Unsaved draft", "changes to “Enterprise Fit”", "r restore"]);
    tmux.keys(&["r"]);
    tmux.wait_for(&["Edit rule “Enterprise Fit”", "Enterprise Fit EMEA"]);
    tmux.keys(&["C-s"]);
    tmux.wait_for(&["what changes", "“Enterprise Fit EMEA”"]);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_until("the save's outcome", |s| {
        s.contains("saved “Enterprise Fit EMEA”") || s.contains("Changed by someone else")
    });
    assert!(
        screen.contains("saved “Enterprise Fit EMEA”"),
        "a false conflict: {screen}"
    );

    // A command beside the TUI talks to the TUI's sandbox: it sees the save.
    let rules = dir.path().join("rules");
    let out = Command::new(env!("CARGO_BIN_EXE_zscore"))
        .args(["export", "--out", rules.to_str().unwrap()])
        .env("ZSCORE_CONFIG_DIR", dir.path().join("config"))
        .env("ZSCORE_DATA_DIR", &data)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(&format!("zscore (terminal UI) (pid {})", tmux.app_pid())),
        "{err}"
    );
    assert!(
        rules
            .join("Leads/Standard/Enterprise Fit EMEA.json")
            .is_file(),
        "{:?}",
        std::fs::read_dir(rules.join("Leads/Standard"))
            .map(|d| d.flatten().map(|e| e.file_name()).collect::<Vec<_>>())
    );
    tmux.keys(&["q"]);
    tmux.wait_for(&["EXIT=0"]);
}

/// A TUI started while a command holds the built-in sandbox says whom it waits for; `q` quits
/// cleanly; started again, it opens the org once the command lets go.
#[tokio::test(flavor = "multi_thread")]
async fn the_tui_waits_for_a_command_holding_the_org_and_q_quits() {
    use zscore::sandbox::{Role, RunningSandbox, SandboxOptions};

    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("data/sandbox/demo-org.sqlite");
    std::fs::create_dir_all(state.parent().unwrap()).unwrap();
    // This test process stands in for a `zscore execute` holding the org.
    let holder = RunningSandbox::start(
        "127.0.0.1:0",
        SandboxOptions {
            state_file: Some(state),
            role: Role {
                command: "zscore execute".into(),
                serves_others: false,
            },
            ..SandboxOptions::default()
        },
    )
    .await
    .unwrap();
    let script = script(dir.path(), 1);
    let tmux = tokio::task::spawn_blocking(move || {
        let first = Tmux::start("gives-up", &script);
        first.wait_for(&[
            &format!(
                "waiting for zscore execute (pid {}) to finish with the built-in",
                std::process::id()
            ),
            "q quits · waiting",
        ]);
        first.keys(&["q"]);
        first.wait_for(&["EXIT=0"]);
        // Started again, it waits too, until the holder lets go.
        let second = Tmux::start("waits", &script);
        second.wait_for(&["q quits · waiting for zscore execute"]);
        second
    })
    .await
    .unwrap();
    holder.stop().await.unwrap();
    tokio::task::spawn_blocking(move || {
        tmux.wait_for(&["SANDBOX", "Lumen Ridge Software", "Standard"]);
        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT=0"]);
    })
    .await
    .unwrap();
}
