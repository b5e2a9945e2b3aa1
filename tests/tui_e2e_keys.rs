//! Your own keys, the rules' order and the API-call meter, as a person meets them: the real
//! binary in a tmux pane against an in-process sandbox, with a config.toml holding `[keys]`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Harness;
use common::tmux::{Tmux, sandbox_script};

#[tokio::test(flavor = "multi_thread")]
async fn rebound_keys_work_a_bad_binding_is_reported_and_the_meter_counts_calls() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "[keys]\ntoggle_help = \"F1\"\ndelete_rule = \"a\"\ncycle_sort = \"o\"\n",
    )
    .unwrap();
    let script = sandbox_script(dir.path(), &h.sandbox.url, "");
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start_sized("keys", &script, 160, 40);
        // The conflicting line is named at start, with the file, the key and both actions;
        // the app runs on.
        let screen = tmux.wait_for(&["SANDBOX", "Leads", "keys in", "config.toml:"]);
        let flat = screen.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains(
                "[keys] delete_rule = \"a\": a is already toggle_active; the default keys stay"
            ),
            "{screen}"
        );
        // The meter shows once the org has loaded.
        tmux.wait_for(&["API calls (", "reads, 0 writes)"]);

        // F1 is the help now, and ? is not.
        tmux.keys(&["?"]);
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(!tmux.screen().contains("this help"));
        tmux.keys(&["F1"]);
        tmux.wait_for(&["F1", "this help", "o", "sort the rules"]);
        tmux.keys(&["Escape"]);
        tmux.wait_gone("this help");

        // o sorts Leads / Standard's rules by name; the pane's border says so.
        tmux.keys(&["Enter", "j", "Enter", "o"]);
        tmux.wait_for(&["sorted by name", "rules sorted by name"]);

        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT=0"]);
    })
    .await
    .unwrap();
}
