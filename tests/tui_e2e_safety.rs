//! Read-only mode and the mouse in the real binary, in a tmux pane against an in-process
//! sandbox. Mouse clicks are sent as the SGR escape sequences a terminal sends for them
//! (tmux passes them to the pane as input), and tmux's own flags tell whether the app left
//! mouse reporting on. Waits poll with a deadline; each test runs its own tmux server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::Harness;

const DEADLINE: Duration = Duration::from_secs(20);

struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(name: &str, script: &std::path::Path) -> Tmux {
        let socket = format!("zscore-e2e-safety-{}-{name}", std::process::id());
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

    /// A left click at the 0-based cell (column, row): press and release, SGR encoded.
    fn click(&self, column: u16, row: u16) {
        for end in ['M', 'm'] {
            let seq = format!("\x1b[<0;{};{}{end}", column + 1, row + 1);
            let status = self
                .cmd()
                .args(["send-keys", "-t", "e2e", "-l", &seq])
                .status()
                .unwrap();
            assert!(status.success());
        }
    }

    fn screen(&self) -> String {
        let out = self
            .cmd()
            .args(["capture-pane", "-p", "-t", "e2e"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    fn query(&self, format: &str) -> String {
        let out = self
            .cmd()
            .args(["display-message", "-p", "-t", "e2e", format])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Whether the pane's program has any mouse reporting switched on.
    fn mouse_on(&self) -> bool {
        self.query("#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}#{mouse_sgr_flag}")
            .contains('1')
    }

    fn wait_for(&self, texts: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if texts.iter().all(|t| screen.contains(t)) {
                return screen;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "waited {DEADLINE:?} for {texts:?}; the screen was:\n{screen}"
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

fn script(dir: &std::path::Path, url: &str, extra: &str) -> std::path::PathBuf {
    let path = dir.join("run.sh");
    std::fs::write(
        &path,
        format!(
            "ZSCORE_CONFIG_DIR='{dir}/config' ZSCORE_DATA_DIR='{dir}/data' '{bin}' --sandbox-url '{url}' {extra}\n\
             echo \"EXIT=$?\"\n\
             sleep 600\n",
            dir = dir.display(),
            bin = env!("CARGO_BIN_EXE_zscore"),
        ),
    )
    .unwrap();
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_shows_the_badge_and_d_only_explains() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let script = script(dir.path(), &h.sandbox.url, "--readonly");
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
    let script = script(dir.path(), &h.sandbox.url, "");
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
    let script = script(dir.path(), &h.sandbox.url, "");
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start("sigterm", &script);
        tmux.wait_for(&["Lumen Ridge Software"]);
        assert!(tmux.mouse_on());
        let shell = tmux.query("#{pane_pid}");
        let out = Command::new("ps")
            .args(["-o", "pid=", "--ppid", &shell])
            .output()
            .unwrap();
        let pid = String::from_utf8_lossy(&out.stdout).to_string();
        let status = Command::new("kill")
            .args(["-TERM", pid.trim()])
            .status()
            .unwrap();
        assert!(status.success());
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
