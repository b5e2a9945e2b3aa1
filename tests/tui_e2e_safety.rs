//! Read-only mode and the mouse in the real binary, in a tmux pane against an in-process
//! sandbox. Mouse clicks are sent as the SGR escape sequences a terminal sends for them
//! (tmux passes them to the pane as input), and tmux's own flags tell whether the app left
//! mouse reporting on. Waits poll with a deadline; each test runs its own tmux server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Harness;
use common::tmux::{Tmux, sandbox_script};

#[tokio::test(flavor = "multi_thread")]
async fn read_only_shows_the_badge_and_d_only_explains() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let script = sandbox_script(dir.path(), &h.sandbox.url, "--readonly");
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start("readonly", &script);
        tmux.wait_for(&["READ-ONLY", "Lumen Ridge Software", "Standard"]);
        // Leads → Standard → Inbound Demand.
        tmux.keys(&["Enter", "j", "Enter"]);
        tmux.wait_for(&["Inbound Demand  active"]);
        tmux.keys(&["d"]);
        let screen = tmux.wait_for(&["read-only: deleting is off (started with --readonly)"]);
        assert!(!screen.contains("Delete rule"), "{screen}");
        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT=0"]);
    })
    .await
    .unwrap();
    // Nothing was deleted, and nothing was journaled.
    let rules = h
        .get("/crm/v8/settings/automation/scoring_rules?module=Leads")
        .await;
    assert!(rules.body.to_string().contains("Inbound Demand"));
    assert!(!dir.path().join("data/journal").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_click_selects_a_module_and_mouse_reporting_ends_with_the_app() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let script = sandbox_script(dir.path(), &h.sandbox.url, "");
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start("mouse", &script);
        let screen = tmux.wait_for(&["Lumen Ridge Software", "Accounts"]);
        assert!(!screen.contains("Enterprise Accounts"), "{screen}");
        assert!(tmux.mouse_on(), "mouse reporting is off in the app");
        // Row 3 of the screen is the Modules pane's third row: Accounts. Its layouts appear.
        tmux.click(3, 3);
        tmux.wait_for(&["Enterprise Accounts"]);
        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT=0"]);
        assert!(!tmux.mouse_on(), "mouse reporting left on after quit");
        assert_eq!(tmux.query("#{alternate_on}"), "0");
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_turns_mouse_reporting_off_too() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let script = sandbox_script(dir.path(), &h.sandbox.url, "");
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start("sigterm", &script);
        tmux.wait_for(&["Lumen Ridge Software"]);
        assert!(tmux.mouse_on());
        tmux.kill_app("-TERM");
        tmux.wait_for(&["EXIT=0"]);
        assert!(!tmux.mouse_on(), "mouse reporting left on after SIGTERM");
        assert_eq!(tmux.query("#{alternate_on}"), "0");
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_config_error_is_printed_after_the_terminal_is_restored() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    std::fs::write(
        dir.path().join("config/config.toml"),
        "[profiles.prod]\ndc = \"eu\"\nclient_id = \"1000.X\"\naccent = \"prod-red\"\n",
    )
    .unwrap();
    let path = dir.path().join("run.sh");
    std::fs::write(
        &path,
        format!(
            "ZSCORE_CONFIG_DIR='{dir}/config' ZSCORE_DATA_DIR='{dir}/data' '{bin}'\n\
             echo \"EXIT=$?\"\n\
             sleep 600\n",
            dir = dir.path().display(),
            bin = env!("CARGO_BIN_EXE_zscore"),
        ),
    )
    .unwrap();
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start("config", &path);
        let screen = tmux.wait_for(&["EXIT=1"]);
        assert!(
            screen.contains("accent \"prod-red\" is not a colour"),
            "{screen}"
        );
        assert_eq!(tmux.query("#{alternate_on}"), "0");
        assert!(!tmux.mouse_on());
    })
    .await
    .unwrap();
}
