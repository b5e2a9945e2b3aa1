//! The TUI as a person drives it: the real binary in a private tmux server at 120×40, keys sent
//! with `send-keys`, the screen read with `capture-pane`. Waits poll for text with a deadline and
//! never sleep a fixed time; dropping the `Tmux` kills its server, pass or fail.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Generous: the CI machine has two cores and builds nothing while tests run, but a shared
/// developer machine may be busy.
const DEADLINE: Duration = Duration::from_secs(30);

pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// A new tmux server named after the test, running `sh script` in a 120×40 pane.
    pub fn start(name: &str, script: &Path) -> Tmux {
        Tmux::start_sized(name, script, 120, 40)
    }

    /// The same in a pane of `width`×`height`.
    pub fn start_sized(name: &str, script: &Path, width: u16, height: u16) -> Tmux {
        let socket = format!("zscore-e2e-{}-{name}", std::process::id());
        let tmux = Tmux { socket };
        let status = tmux
            .cmd()
            .args(["new-session", "-d", "-s", "e2e", "-x"])
            .arg(width.to_string())
            .arg("-y")
            .arg(height.to_string())
            .arg(format!("sh {}", script.display()))
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux new-session failed");
        tmux
    }

    /// Resizes the pane's window, as a user dragging the terminal's edge does.
    pub fn resize(&self, width: u16, height: u16) {
        let status = self
            .cmd()
            .args(["resize-window", "-t", "e2e", "-x"])
            .arg(width.to_string())
            .arg("-y")
            .arg(height.to_string())
            .status()
            .unwrap();
        assert!(status.success(), "tmux resize-window failed");
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket, "-f", "/dev/null"]);
        c
    }

    /// Keys by tmux name (`Enter`, `C-s`, `Escape`) or as plain characters.
    pub fn keys(&self, keys: &[&str]) {
        let status = self
            .cmd()
            .args(["send-keys", "-t", "e2e"])
            .args(keys)
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Types text literally (no key names).
    pub fn text(&self, text: &str) {
        let status = self
            .cmd()
            .args(["send-keys", "-t", "e2e", "-l", text])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// A left click at the 0-based cell (column, row): press and release, SGR encoded, as a
    /// terminal sends it.
    pub fn click(&self, column: u16, row: u16) {
        for end in ['M', 'm'] {
            self.text(&format!("\x1b[<0;{};{}{end}", column + 1, row + 1));
        }
    }

    pub fn screen(&self) -> String {
        let out = self
            .cmd()
            .args(["capture-pane", "-p", "-t", "e2e"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    /// A tmux format about the pane (`#{alternate_on}`, mouse flags…).
    pub fn query(&self, format: &str) -> String {
        let out = self
            .cmd()
            .args(["display-message", "-p", "-t", "e2e", format])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Whether the pane's program has any mouse reporting switched on.
    pub fn mouse_on(&self) -> bool {
        self.query("#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}#{mouse_sgr_flag}")
            .contains('1')
    }

    /// The screen once `ok` holds for it; fails with the last screen at the deadline.
    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "waited {DEADLINE:?} for {what}; the screen was:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The screen once it shows every one of `texts`.
    pub fn wait_for(&self, texts: &[&str]) -> String {
        self.wait_until(&format!("{texts:?}"), |s| {
            texts.iter().all(|t| s.contains(t))
        })
    }

    /// The screen once `text` is no longer on it.
    pub fn wait_gone(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} to go"), |s| !s.contains(text))
    }
}

/// The shell command that runs the real binary with its config and data directories under
/// `dir`, `args` after it.
pub fn zscore_command(dir: &Path, args: &str) -> String {
    format!(
        "ZSCORE_CONFIG_DIR='{dir}/config' ZSCORE_DATA_DIR='{dir}/data' '{bin}' {args}",
        dir = dir.display(),
        bin = env!("CARGO_BIN_EXE_zscore"),
    )
    .trim_end()
    .to_string()
}

/// The binary's arguments for the sandbox at `url`.
pub fn sandbox_url(url: &str) -> String {
    format!("--sandbox-url '{url}'")
}

/// `command` run `runs` times in a row (a killed run is followed by the next), each run's exit
/// code printed as `EXIT=<code>`, then the pane kept open so the screen stays readable.
pub fn runs_then_wait(command: &str, runs: usize) -> String {
    format!(
        "{}sleep 600\n",
        format!("{command}\necho \"EXIT=$?\"\n").repeat(runs)
    )
}

/// `body` written as the script `dir/run.sh`.
pub fn write_script(dir: &Path, body: &str) -> PathBuf {
    let path = dir.join("run.sh");
    std::fs::write(&path, body).unwrap();
    path
}

/// The usual script: the binary once against the sandbox at `url` (then `args`), with its
/// config and data under `dir`, its exit code printed, the pane kept open.
pub fn sandbox_script(dir: &Path, url: &str, args: &str) -> PathBuf {
    let command = zscore_command(dir, &format!("{} {args}", sandbox_url(url)));
    write_script(dir, &runs_then_wait(&command, 1))
}

/// Whether a draft in the data directory `data` holds `text`.
pub fn draft_holds(data: &Path, text: &str) -> bool {
    std::fs::read_dir(data.join("drafts"))
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| std::fs::read_to_string(e.path()).is_ok_and(|s| s.contains(text)))
}

/// Once a draft in `data` holds `text` (its writer thread keeps up with typing); fails at the
/// deadline.
pub fn wait_for_draft(data: &Path, text: &str) {
    let start = Instant::now();
    while !draft_holds(data, text) {
        assert!(start.elapsed() < DEADLINE, "no draft with the typed text");
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl Tmux {
    /// The pid of the program the pane's shell runs (the binary: the shell's only child).
    pub fn app_pid(&self) -> String {
        let shell = self.query("#{pane_pid}");
        let out = Command::new("ps")
            .args(["-o", "pid=", "--ppid", &shell])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Sends `signal` (`-9`, `-TERM`) to the pane's program.
    pub fn kill_app(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.app_pid()])
            .status()
            .unwrap();
        assert!(status.success(), "kill {signal} failed");
    }

    /// Once the seeded org is on screen: Leads → Standard → Enterprise Fit selected, its detail
    /// shown.
    pub fn select_enterprise_fit(&self) {
        self.wait_for(&["SANDBOX", "Lumen Ridge Software", "Standard"]);
        self.keys(&["Enter", "j", "Enter", "j"]);
        self.wait_for(&["Enterprise Fit  active", "Field rules (3)"]);
    }

    /// The same, then Enter: the focus in its detail.
    pub fn focus_enterprise_fit(&self) {
        self.wait_for(&["SANDBOX", "Lumen Ridge Software", "Standard"]);
        self.keys(&["Enter", "j", "Enter", "j", "Enter"]);
        self.wait_for(&["Enterprise Fit  active", "Field rules (3)"]);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").status();
    }
}
