//! What fits on the screen, in the real binary in a tmux pane against an in-process sandbox:
//! `G` shows the last page with the last line at the bottom and `k` right after it moves one
//! line, in the rule detail and in the help, from the terminal size known at start and after a
//! resize; a refused change's notice is shown whole at 80 and 120 columns. Waits poll with a
//! deadline; each test runs its own tmux server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Harness;
use common::tmux::{Tmux, sandbox_script};
use zscore::domain::Edition;
use zscore::sandbox::SandboxOptions;

#[tokio::test(flavor = "multi_thread")]
async fn g_then_k_in_the_detail_and_the_help() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let script = sandbox_script(dir.path(), &h.sandbox.url, "");
    tokio::task::spawn_blocking(move || {
        // 80×16: Enterprise Fit's detail is longer than its pane from the first frame.
        let tmux = Tmux::start_sized("scroll", &script, 80, 16);
        tmux.wait_for(&["Lumen Ridge Software", "Standard"]);
        // Leads → Standard → Enterprise Fit → its detail.
        tmux.keys(&["Enter", "j", "Enter", "j", "Enter"]);
        tmux.wait_for(&["▶ Rule · Enterprise Fit", "Field rules (3)"]);
        assert!(
            !tmux.screen().contains("Modified: never"),
            "{}",
            tmux.screen()
        );

        // G: the last line at the bottom of the pane, the pane full above it.
        tmux.keys(&["G"]);
        let screen = tmux.wait_for(&["Modified: never"]);
        let lines: Vec<&str> = screen.lines().collect();
        let last = lines
            .iter()
            .position(|l| l.contains("Modified: never"))
            .unwrap();
        assert!(
            lines[last + 1].contains('└'),
            "the last line sits on the pane's bottom border:\n{screen}"
        );
        // k right after G: one line back, so the last line drops off the bottom.
        tmux.keys(&["k"]);
        let screen = tmux.wait_gone("Modified: never");
        assert!(
            screen.contains("Created by"),
            "one line, not a page:\n{screen}"
        );
        // j too often stops at the end; one k still moves.
        for _ in 0..5 {
            tmux.keys(&["j", "j", "j", "j", "j", "j", "j", "j"]);
        }
        tmux.wait_for(&["Modified: never"]);
        tmux.keys(&["k"]);
        tmux.wait_gone("Modified: never");

        // The help at 80×16: G shows its last rows, k moves one row up.
        tmux.keys(&["?"]);
        tmux.wait_for(&["Keys", "▼ more below"]);
        tmux.keys(&["G"]);
        let screen = tmux.wait_for(&["of 52", "cancel, or close the preview"]);
        assert!(!screen.contains("▼ more below"), "{screen}");
        tmux.keys(&["k"]);
        let screen = tmux.wait_gone("cancel, or close the preview");
        assert!(screen.contains("▼ more below"), "{screen}");
        tmux.keys(&["Escape"]);
        tmux.wait_gone("Keys");

        // A taller terminal: the whole detail fits, and G leaves it where it is.
        tmux.resize(80, 40);
        let screen = tmux.wait_for(&["Modified: never", "Created by", "Field rules (3)"]);
        assert!(screen.contains("● Enterprise Fit"), "{screen}");
        tmux.keys(&["G"]);
        tmux.keys(&["k"]);
        let screen = tmux.wait_for(&["Modified: never", "● Enterprise Fit"]);
        assert!(screen.contains("Field rules (3)"), "{screen}");

        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT=0"]);
    })
    .await
    .unwrap();
}

/// The status bar's rows under the panes' bottom border, joined as the text they wrap.
fn status_text(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    let border = lines.iter().rposition(|l| l.contains('└')).unwrap_or(0);
    lines[border + 1..]
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_activation_says_why_in_full_at_80_and_120_columns() {
    // The Standard edition allows one active rule per module: activating another is refused.
    let h = Harness::with(SandboxOptions {
        edition: Edition::Standard,
        ..SandboxOptions::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let script = sandbox_script(dir.path(), &h.sandbox.url, "");
    tokio::task::spawn_blocking(move || {
        for (width, height) in [(80, 24), (120, 36)] {
            let tmux = Tmux::start_sized(&format!("notice{width}"), &script, width, height);
            // The layouts, not the edition's name "Standard" in the status bar.
            tmux.wait_for(&["Lumen Ridge Software", "Partner Referral"]);
            // Leads → Standard → Stale Lead Decay (inactive), a.
            tmux.keys(&["Enter", "j", "Enter", "j", "j"]);
            tmux.wait_for(&["○ Stale Lead Decay"]);
            tmux.keys(&["a"]);
            let screen = tmux.wait_for(&["not activated"]);
            let status = status_text(&screen);
            assert!(status.contains("ACTIVE_STATE_LIMIT_EXCEEDED"), "{screen}");
            assert!(
                status.contains("deactivate or delete another rule first"),
                "{screen}"
            );
            assert!(
                status.trim_end().ends_with("— “Stale Lead Decay”"),
                "the rule it was about ends the notice:\n{screen}"
            );
            tmux.keys(&["q"]);
            tmux.wait_for(&["EXIT=0"]);
        }
    })
    .await
    .unwrap();
}
