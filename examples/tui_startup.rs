//! Time to the TUI's first frame and its memory with the demo org loaded, and with the large
//! org (`zscore sandbox --org large`: 104 modules, thousands of rules) loaded, measured on the
//! real binary in a tmux pane (a real pty).
//!
//! Run: `cargo build --release && cargo run --release --example tui_startup` (needs tmux);
//! `ZSCORE_BIN=path/to/zscore` measures another build.
//!
//! The pane's shell writes the wall clock (ms) and then `exec`s zscore, so the process starts
//! right after that stamp; zscore, with `ZSCORE_TRACE_FIRST_FRAME` set, logs the wall clock
//! once its first frame is on the terminal. The difference is time to first frame, including
//! exec and runtime start-up (the built-in sandbox starts after the first frame). Time to the
//! org on screen is when polling the pane first shows it (a capture every 10 ms or so, so
//! within a few ms). Memory is VmRSS from /proc once the org is on screen. The built-in sandbox
//! is measured on a first launch (a fresh data directory: the demo org is seeded and written
//! to its state file) and on later launches (the org restored from that file). The large org
//! is measured on a running sandbox (`--sandbox-url`).
//! Targets: first frame < 100 ms, RSS < 40 MB with the demo org, < 80 MB with the large org
//! (issue 16).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use zscore::domain::Edition;
use zscore::sandbox::seed::large::LargeOrg;
use zscore::sandbox::{RunningSandbox, SandboxOptions};

const RUNS: usize = 7;

struct Tmux(String);

impl Tmux {
    fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.0, "-f", "/dev/null"]);
        c
    }

    fn query(&self, format: &str) -> String {
        let out = self
            .cmd()
            .args(["display-message", "-p", "-t", "bench", format])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn screen(&self) -> String {
        let out = self
            .cmd()
            .args(["capture-pane", "-p", "-t", "bench"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).to_string()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").status();
    }
}

fn wait(what: &str, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out: {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// What the screen shows once the org is loaded: its name and a rule of the first module's
/// first layout ("All layouts" for the large org, whose rules R71–R80 apply to every layout).
struct Loaded(&'static str, &'static str);

const DEMO: Loaded = Loaded("Lumen Ridge Software", "Junk Filter");
const LARGE: Loaded = Loaded("Meridian Global Holdings", "Leads R71");

/// (ms to first frame, ms to the org on screen, VmRSS kB with the org on screen)
fn run_once(bin: &Path, dir: &Path, args: &str, n: usize, loaded: &Loaded) -> (u64, u64, u64) {
    let script = dir.join("run.sh");
    std::fs::write(
        &script,
        format!(
            "date +%s%3N > '{dir}/start'\n\
             exec env ZSCORE_TRACE_FIRST_FRAME=1 ZSCORE_CONFIG_DIR='{dir}/config' ZSCORE_DATA_DIR='{dir}/data' '{bin}' {args}\n",
            dir = dir.display(),
            bin = bin.display(),
        ),
    )
    .unwrap();
    let tmux = Tmux(format!("zscore-startup-{}-{n}", std::process::id()));
    let ok = tmux
        .cmd()
        .args(["new-session", "-d", "-s", "bench", "-x", "160", "-y", "48"])
        .arg(format!("sh {}", script.display()))
        .status()
        .unwrap()
        .success();
    assert!(ok, "tmux new-session failed");
    let log = dir.join("data/zscore.log");
    let mut first = None;
    wait("the first-frame log line", || {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        first = text
            .lines()
            .rfind(|l| l.contains("first frame drawn"))
            .and_then(|l| l.split("unix_ms=").nth(1))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<u64>().ok());
        first.is_some()
    });
    let start: u64 = std::fs::read_to_string(dir.join("start"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    wait("the org on screen", || {
        let s = tmux.screen();
        s.contains(loaded.0) && s.contains(loaded.1)
    });
    let org_ms = unix_ms();
    let pid = tmux.query("#{pane_pid}");
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let rss = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap();
    let _ = std::fs::remove_file(&log);
    (
        first.unwrap().saturating_sub(start),
        org_ms.saturating_sub(start),
        rss,
    )
}

fn unix_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn report(label: &str, runs: Vec<(u64, u64, u64)>) {
    let sorted = |f: fn(&(u64, u64, u64)) -> u64| {
        let mut v: Vec<u64> = runs.iter().map(f).collect();
        v.sort_unstable();
        v
    };
    let ms = sorted(|r| r.0);
    let org = sorted(|r| r.1);
    let rss = sorted(|r| r.2);
    println!(
        "{label}: first frame median {} ms (min {}, max {}); org on screen median {} ms (min {}, max {}); RSS with the org loaded max {:.1} MB",
        ms[ms.len() / 2],
        ms[0],
        ms[ms.len() - 1],
        org[org.len() / 2],
        org[0],
        org[org.len() - 1],
        rss[rss.len() - 1] as f64 / 1024.0,
    );
}

fn main() {
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/examples/tui_startup → target/<profile>/zscore, unless ZSCORE_BIN names
    // another build (to compare two versions with the same measurement).
    let bin: PathBuf = std::env::var_os("ZSCORE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| exe.parent().unwrap().parent().unwrap().join("zscore"));
    assert!(bin.exists(), "build the binary first: {}", bin.display());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = rt
        .block_on(RunningSandbox::start(
            "127.0.0.1:0",
            SandboxOptions::default(),
        ))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let external: Vec<_> = (0..RUNS)
        .map(|n| {
            run_once(
                &bin,
                dir.path(),
                &format!("--sandbox-url {}", sandbox.url),
                n,
                &DEMO,
            )
        })
        .collect();
    report("TUI on a running sandbox (--sandbox-url)", external);
    let first_launch: Vec<_> = (0..RUNS)
        .map(|n| {
            let fresh = dir.path().join(format!("fresh-{n}"));
            std::fs::create_dir_all(&fresh).unwrap();
            run_once(&bin, &fresh, "", RUNS + n, &DEMO)
        })
        .collect();
    report(
        "TUI with the built-in sandbox, first launch (seeds its state file)",
        first_launch,
    );
    // fresh-0 holds a state file from its first launch.
    let seeded = dir.path().join("fresh-0");
    let later: Vec<_> = (0..RUNS)
        .map(|n| run_once(&bin, &seeded, "", 2 * RUNS + n, &DEMO))
        .collect();
    report(
        "TUI with the built-in sandbox, later launches (restores its state file)",
        later,
    );
    drop(sandbox);
    let large = rt
        .block_on(RunningSandbox::start(
            "127.0.0.1:0",
            SandboxOptions {
                edition: Edition::Ultimate,
                large_org: Some(LargeOrg::full(LargeOrg::DEFAULT_SEED)),
                ..Default::default()
            },
        ))
        .unwrap();
    let runs: Vec<_> = (0..RUNS)
        .map(|n| {
            run_once(
                &bin,
                dir.path(),
                &format!("--sandbox-url {}", large.url),
                3 * RUNS + n,
                &LARGE,
            )
        })
        .collect();
    report("TUI on the large org (--sandbox-url)", runs);
}
