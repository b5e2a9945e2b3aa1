//! The TUI as a person uses it: the real binary in a tmux pane against an in-process sandbox,
//! driven with `send-keys` and read with `capture-pane`. Waits poll for text with a deadline,
//! never sleep a fixed time. Each test runs its own tmux server (`-L`), killed in all cases.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::Harness;
use common::tmux::{Tmux, sandbox_url, write_script, zscore_command};

const DEADLINE: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread")]
async fn browse_to_a_rule_read_help_and_quit_restoring_the_terminal() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    // After the TUI exits, the script reports its exit code and the tty mode, then waits so
    // the pane stays readable.
    let command = zscore_command(dir.path(), &sandbox_url(&h.sandbox.url));
    let script = write_script(
        dir.path(),
        &format!(
            "{command}\n\
             echo \"EXIT=$?\"\n\
             stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | sed 's/^/TTY=/'\n\
             sleep 600\n"
        ),
    );
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start("browse", &script);
        tmux.wait_for(&["SANDBOX", "Lumen Ridge Software", "Leads", "Standard"]);
        assert_eq!(tmux.query("#{alternate_on}"), "1");

        // Leads → Standard → Enterprise Fit → its detail.
        tmux.keys(&["Enter", "j", "Enter", "j", "Enter"]);
        let screen = tmux.wait_for(&["Enterprise Fit  active", "Field rules (3)", "→ +25"]);
        assert!(screen.contains("layout 2/5 active"), "{screen}");

        tmux.keys(&["?"]);
        tmux.wait_for(&["Keys", "activate / deactivate the selected rule"]);
        tmux.keys(&["Escape"]);
        let start = Instant::now();
        while tmux.screen().contains("this help") {
            assert!(start.elapsed() < DEADLINE, "help did not close");
            std::thread::sleep(Duration::from_millis(50));
        }

        tmux.keys(&["q"]);
        let screen = tmux.wait_for(&["EXIT=0", "TTY=icanon", "TTY=echo"]);
        assert!(
            !screen.contains("Field rules (3)"),
            "alternate screen left: {screen}"
        );
        assert_eq!(tmux.query("#{alternate_on}"), "0");
        assert_eq!(tmux.query("#{cursor_flag}"), "1", "cursor left hidden");
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_restores_the_terminal() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let command = zscore_command(dir.path(), &sandbox_url(&h.sandbox.url));
    let script = write_script(
        dir.path(),
        &format!(
            "{command}\n\
             echo \"EXIT=$?\"\n\
             stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon | sed 's/^/TTY=/'\n\
             sleep 600\n"
        ),
    );
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start("sigterm", &script);
        tmux.wait_for(&["Lumen Ridge Software"]);
        // The TUI is the only child of the pane's shell.
        tmux.kill_app("-TERM");
        tmux.wait_for(&["EXIT=0", "TTY=icanon"]);
        assert_eq!(tmux.query("#{alternate_on}"), "0");
        assert_eq!(tmux.query("#{cursor_flag}"), "1");
    })
    .await
    .unwrap();
}
