//! The score lab as a person uses it: the real binary in a tmux pane against an in-process
//! sandbox. `p` on a rule shows the preview, `w` explains a mover, Esc steps back; a second
//! preview reuses the session's sample; against a slow org, Esc cancels a preview mid-fetch
//! while the UI keeps answering; Ctrl-P in the rule form previews the unsaved draft over the
//! form, and Esc returns to the form with the typed text. Waits poll for text with a deadline, never sleep a fixed time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::Harness;
use zscore::sandbox::SandboxOptions;

const DEADLINE: Duration = Duration::from_secs(30);

/// A private tmux server; dropping it kills the server and everything in it, pass or fail.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(name: &str, h: &Harness, dir: &std::path::Path) -> Tmux {
        let script = dir.join("run.sh");
        std::fs::write(
            &script,
            format!(
                "ZSCORE_CONFIG_DIR='{dir}/config' ZSCORE_DATA_DIR='{dir}/data' '{bin}' --sandbox-url '{url}'\n\
                 echo \"EXIT=$?\"\n\
                 sleep 600\n",
                dir = dir.display(),
                bin = env!("CARGO_BIN_EXE_zscore"),
                url = h.sandbox.url,
            ),
        )
        .unwrap();
        let socket = format!("zscore-lab-e2e-{}-{name}", std::process::id());
        let tmux = Tmux { socket };
        let status = tmux
            .cmd()
            .args(["new-session", "-d", "-s", "e2e", "-x", "120", "-y", "40"])
            .arg(format!("sh {}", script.display()))
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux new-session failed");
        tmux
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket, "-f", "/dev/null"]);
        c
    }

    fn keys(&self, keys: &[&str]) {
        let status = self
            .cmd()
            .args(["send-keys", "-t", "e2e"])
            .args(keys)
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn screen(&self) -> String {
        let out = self
            .cmd()
            .args(["capture-pane", "-p", "-t", "e2e"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    fn wait_for(&self, texts: &[&str]) -> String {
        self.wait_until(texts, |s| texts.iter().all(|t| s.contains(t)))
    }

    fn wait_gone(&self, text: &str) -> String {
        self.wait_until(&[text], |s| !s.contains(text))
    }

    fn wait_until(&self, what: &[&str], done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "waited {DEADLINE:?} for {what:?}; the screen was:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").status();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn preview_explain_and_reuse_the_sample() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start("preview", &h, &path);
        tmux.wait_for(&["SANDBOX", "Leads", "Standard"]);
        // Leads → Standard → Enterprise Fit.
        tmux.keys(&["Enter", "j", "Enter", "j"]);
        tmux.wait_for(&["Enterprise Fit  active"]);
        tmux.keys(&["p"]);
        // Unchanged, the rule moves no record: the list shows the highest scores instead.
        let screen = tmux.wait_for(&[
            "Preview of “Enterprise Fit”",
            "highest scores",
            "fetched now",
        ]);
        assert!(screen.contains("“Enterprise Fit” matches"), "{screen}");
        assert!(screen.contains("0 change score"), "{screen}");
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
        let tmux = Tmux::start("cancel", &h, &path);
        tmux.wait_for(&["SANDBOX", "Leads", "Standard"]);
        tmux.keys(&["Enter", "j", "Enter", "j"]);
        tmux.wait_for(&["Enterprise Fit  active"]);
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
        let tmux = Tmux::start("draft", &h, &path);
        tmux.wait_for(&["SANDBOX", "Leads", "Standard"]);
        tmux.keys(&["Enter", "j", "Enter", "j"]);
        tmux.wait_for(&["Enterprise Fit  active"]);
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
