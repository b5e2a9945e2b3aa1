//! The `:` command line in the real binary, in a tmux pane against an in-process sandbox: a
//! Contacts rule's name typed after `:` and Enter shows that rule's detail; `:find` lists the
//! rules matching across modules; a command run is recalled with ↑ after a restart (the history
//! file in the data directory). Waits poll with a deadline; the test runs its own tmux server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Harness;
use common::tmux::{Tmux, sandbox_url, write_script, zscore_command};

/// Runs the TUI twice in a row with the same data directory (quitting the first starts the
/// second), then says how the second ended.
fn script(dir: &std::path::Path, url: &str) -> std::path::PathBuf {
    let run = zscore_command(dir, &sandbox_url(url));
    write_script(dir, &format!("{run}\n{run}\necho \"EXIT=$?\"\nsleep 600\n"))
}

#[tokio::test(flavor = "multi_thread")]
async fn colon_a_contacts_rule_and_enter_shows_its_detail_and_history_survives_a_restart() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let script = script(dir.path(), &h.sandbox.url);
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start_sized("command", &script, 80, 24);
        tmux.wait_for(&["Lumen Ridge Software", "Standard"]);

        // `:` and the rule's name: it is offered with its place; Enter goes there.
        tmux.keys(&[":"]);
        tmux.wait_for(&["Command", ":find TEXT"]);
        tmux.text("Customer Health");
        tmux.wait_for(&["Customer Health", "Contacts / Customer Success"]);
        tmux.keys(&["Enter"]);
        tmux.wait_for(&["Rule · Customer Health", "Promoters on premium plans"]);
        // The line closed (waited for: a capture can catch a frame half written).
        tmux.wait_gone("Tab complete");

        // `:find` across modules, the part that matched under each rule.
        tmux.keys(&[":"]);
        tmux.text("find partner tier");
        tmux.keys(&["Enter"]);
        tmux.wait_for(&["Find “partner tier”", "condition: Partner Tier in ("]);
        tmux.keys(&["Escape"]);
        tmux.wait_gone("Find “partner tier”");

        // Quit; the second run recalls the command with ↑.
        tmux.keys(&["q"]);
        // The second run starts afresh on Leads (the first had left Contacts' rules focused).
        tmux.wait_for(&["▶ Modules", "Layouts · Leads", "Lumen Ridge Software"]);
        tmux.keys(&[":"]);
        tmux.wait_for(&[":find TEXT"]);
        tmux.keys(&["Up"]);
        tmux.wait_for(&[":find partner tier▏"]);
        tmux.keys(&["C-u"]);
        tmux.wait_gone(":find partner tier▏");
        // Esc and q apart: sent together, a terminal reads them as Alt-q.
        tmux.keys(&["Escape"]);
        tmux.wait_gone("Tab complete");
        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT=0"]);
    })
    .await
    .unwrap();
}
