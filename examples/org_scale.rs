//! zscore at Zoho-sized orgs (issue 16): the demo and the large org loaded at 100 ms latency
//! against their round-trip bounds and against Zoho's official Python SDK listing the same
//! rules; the large sandbox's start-up time and memory; the CLI commands at large-org size.
//!
//! Run: `cargo build --release && cargo run --release --example org_scale` (Linux: reads
//! /proc). The SDK comparison needs a Python with `zohocrmsdk8-0==7.0.0`: `$ZSCORE_SDK_VENV`
//! (default `target/sdk-venv`, where `.ci/run` installs it); without it that part is skipped.
//! Arguments pick sections: `load`, `sdk`, `cli`, `import` (default: all).
//!
//! Bound of a load = (token + modules + ⌈per-module calls ÷ in-flight limit⌉) round trips,
//! where the per-module calls are layouts, fields and rules (one page each at these sizes) and
//! the in-flight limit is the edition's concurrency limit (Enterprise 20, Ultimate 25).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use zscore::api::{Client, ClientConfig, Part};
use zscore::domain::Edition;

const LATENCY_MS: u64 = 100;
const RUNS: usize = 5;

fn binary() -> PathBuf {
    // target/<profile>/examples/org_scale → target/<profile>/zscore
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("zscore");
    assert!(bin.exists(), "build the binary first: {}", bin.display());
    bin
}

fn proc_status(pid: u32, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// A `zscore sandbox` process; its stderr (the log) is kept in a file.
struct Sandbox {
    child: Child,
    url: String,
    log: PathBuf,
}

impl Sandbox {
    fn start(org: &str, latency_ms: u64, dir: &Path) -> (Sandbox, Duration) {
        let log = dir.join(format!("sandbox-{org}-{latency_ms}.log"));
        let started = Instant::now();
        let mut child = Command::new(binary())
            .args(["sandbox", "--addr", "127.0.0.1:0", "--org", org])
            .args(["--latency-ms", &latency_ms.to_string()])
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let took = started.elapsed();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        (Sandbox { child, url, log }, took)
    }

    fn throttled(&self) -> usize {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .matches("concurrency cap: answered 429")
            .count()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// One load: (first usable screen = the module list, first module's rules, whole org).
fn load_once(rt: &tokio::runtime::Runtime, url: &str) -> (Duration, Duration, Duration, usize) {
    let client = Client::new(ClientConfig::sandbox(url)).unwrap();
    let marks: Mutex<(Option<Duration>, Option<Duration>, Option<String>)> =
        Mutex::new((None, None, None));
    let started = Instant::now();
    let snap = rt
        .block_on(client.load_snapshot_with(None, &[], |part| {
            let mut m = marks.lock().unwrap();
            match part {
                Part::Modules(list) => {
                    m.0 = Some(started.elapsed());
                    m.2 = list.first().map(|x| x.api_name.clone());
                }
                Part::Module { schema, .. } if m.2.as_deref() == Some(&schema.module.api_name) => {
                    m.1 = Some(started.elapsed());
                }
                _ => {}
            }
        }))
        .unwrap();
    let total = started.elapsed();
    let m = marks.into_inner().unwrap();
    (m.0.unwrap(), m.1.unwrap(), total, snap.modules.len())
}

fn load_section(
    rt: &tokio::runtime::Runtime,
    label: &str,
    url: &str,
    edition: Edition,
) -> Duration {
    let runs: Vec<_> = (0..RUNS).map(|_| load_once(rt, url)).collect();
    let modules = runs[0].3;
    let limit = edition.concurrency();
    let per_module = 3 * modules;
    let rt_bound = 2 + per_module.div_ceil(limit);
    let bound = Duration::from_millis(LATENCY_MS * rt_bound as u64);
    let first = median(runs.iter().map(|r| r.0).collect());
    let selected = median(runs.iter().map(|r| r.1).collect());
    let whole = median(runs.iter().map(|r| r.2).collect());
    let rtt = LATENCY_MS as f64;
    println!(
        "{label}: {modules} modules, {per_module} per-module calls, in-flight {limit} → bound {rt_bound} RT = {:.0} ms",
        ms(bound)
    );
    println!(
        "  whole org: median {:.0} ms of {RUNS} (best {:.0}) = {:.2}× the bound",
        ms(whole),
        ms(runs.iter().map(|r| r.2).min().unwrap()),
        ms(whole) / ms(bound)
    );
    println!(
        "  module list (first usable screen): {:.0} ms (target 2 RT + 20 = {:.0} ms); first module's rules: {:.0} ms (target 3 RT + 20 = {:.0} ms)",
        ms(first),
        2.0 * rtt + 20.0,
        ms(selected),
        3.0 * rtt + 20.0
    );
    whole
}

fn venv_python() -> Option<PathBuf> {
    let venv = std::env::var_os("ZSCORE_SDK_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/sdk-venv"));
    let py = venv.join("bin/python");
    py.exists().then_some(py)
}

fn sdk_section(label: &str, url: &str, ours: Duration) {
    let Some(py) = venv_python() else {
        println!("{label}: SDK skipped (no venv; set ZSCORE_SDK_VENV)");
        return;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sdk_list_rules.py");
    for way in ["per-module", "org-wide"] {
        let out = Command::new(&py)
            .arg(&script)
            .args(["--base-url", url, "--way", way])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let sdk = v["ms"].as_f64().unwrap();
        println!(
            "  official SDK, {way}: {sdk:.0} ms for {} rules in {} requests one at a time; zscore's whole-org load is {:.1}× faster",
            v["rules"],
            v["requests"],
            sdk / ms(ours)
        );
    }
}

/// Runs the CLI against `url`; returns the wall time.
fn cli(url: &str, home: &Path, args: &[&str]) -> Duration {
    let started = Instant::now();
    let out = Command::new(binary())
        .args(["--sandbox-url", url])
        .args(args)
        .env("ZSCORE_CONFIG_DIR", home.join("config"))
        .env("ZSCORE_DATA_DIR", home.join("data"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let took = started.elapsed();
    assert!(
        out.status.success(),
        "zscore {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    took
}

fn cli_section(large: &Sandbox, dir: &Path) {
    let home = dir.join("home");
    let bound = 2 + (3 * 104usize).div_ceil(Edition::Ultimate.concurrency());
    let bound_ms = (bound as u64 * LATENCY_MS) as f64;
    for (what, args) in [
        (
            "audit --all --format json",
            vec!["audit", "--all", "--format", "json"],
        ),
        (
            "export",
            vec!["export", "--out", dir.join("export").to_str().unwrap()],
        ),
    ] {
        let _ = std::fs::remove_dir_all(dir.join("export"));
        let t = cli(&large.url, &home, &args);
        println!(
            "  zscore {what}: {:.0} ms = {:.2}× the load bound ({bound_ms:.0} ms)",
            ms(t),
            ms(t) / bound_ms
        );
    }
    let t = cli(&large.url, &home, &["lint", "--format", "json"]);
    println!(
        "  zscore lint --format json (every module, 2,000-record samples): {:.0} ms",
        ms(t)
    );
    let t = cli(
        &large.url,
        &home,
        &[
            "preview", "--module", "Leads", "--layout", "Standard", "--sample", "100000",
            "--format", "json",
        ],
    );
    println!(
        "  zscore preview --module Leads --layout Standard --sample 100000: {:.0} ms (its 500 record pages follow one another: ≥ {:.0} ms)",
        ms(t),
        500.0 * LATENCY_MS as f64
    );
}

/// `(method, path)` of every request a CLI run logged (`ZSCORE_LOG=debug`).
fn logged_requests(home: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(home.join("data/zscore.log"))
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains(" answer "))
        .filter_map(|l| {
            let method = l.split("method=").nth(1)?.split_whitespace().next()?;
            let path = l.split("path=\"").nth(1)?.split('"').next()?;
            Some((method.to_string(), path.to_string()))
        })
        .collect()
}

/// The large org's export imported into a fresh large org (no latency: the figure is the
/// number of requests) from which 20 modules' rules were deleted, with 200 rules' scores
/// edited and 100 rules' files removed (`--prune` deletes their rules): creates, updates and
/// deletes in one import.
fn import_section(rt: &tokio::runtime::Runtime, dir: &Path) {
    let export = dir.join("export");
    assert!(export.exists(), "run the cli section first (it exports)");
    let (fresh, _) = Sandbox::start("large", 0, dir);
    let client = Client::new(ClientConfig::sandbox(&fresh.url)).unwrap();
    let snap = rt.block_on(client.load_snapshot(None, &[])).unwrap();
    let emptied: Vec<&str> = snap.modules[5..25]
        .iter()
        .map(|m| m.module.api_name.as_str())
        .collect();
    let doomed: Vec<zscore::domain::Id> = snap
        .rules
        .iter()
        .filter(|r| emptied.contains(&r.module.api_name.as_str()))
        .filter_map(|r| r.id.clone())
        .collect();
    for chunk in doomed.chunks(12) {
        rt.block_on(client.delete_rules(chunk)).unwrap();
    }
    let mut modules: Vec<PathBuf> = std::fs::read_dir(&export)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    modules.sort();
    let files_of = |m: &Path| -> Vec<PathBuf> {
        let mut out = Vec::new();
        for l in std::fs::read_dir(m).unwrap() {
            let l = l.unwrap().path();
            if l.is_dir() {
                for f in std::fs::read_dir(&l).unwrap() {
                    out.push(f.unwrap().path());
                }
            }
        }
        out.sort();
        out
    };
    let (mut edited, mut removed) = (0, 0);
    for m in modules
        .iter()
        .filter(|m| !emptied.iter().any(|e| m.ends_with(e)))
    {
        for f in files_of(m) {
            if edited < 200 {
                let mut v: serde_json::Value =
                    serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
                let s = v["field_rules"][0]["score"].as_i64().unwrap_or(0);
                v["field_rules"][0]["score"] = serde_json::json!(if s == 7 { 8 } else { 7 });
                std::fs::write(&f, serde_json::to_string_pretty(&v).unwrap()).unwrap();
                edited += 1;
            } else if removed < 100 {
                std::fs::remove_file(&f).unwrap();
                removed += 1;
            }
        }
    }
    let home = dir.join("import-home");
    let started = Instant::now();
    let out = Command::new(binary())
        .args([
            "--sandbox-url",
            &fresh.url,
            "import",
            export.to_str().unwrap(),
        ])
        .args(["--prune", "--yes", "--force"])
        .env("ZSCORE_CONFIG_DIR", home.join("config"))
        .env("ZSCORE_DATA_DIR", home.join("data"))
        .env("ZSCORE_LOG", "debug")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let took = started.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = stdout.lines().last().unwrap_or("").to_string();
    let sent = logged_requests(&home);
    let rules_path = "/crm/v8/settings/automation/scoring_rules";
    let count = |m: &str| {
        sent.iter()
            .filter(|(x, p)| x == m && p == rules_path)
            .count()
    };
    let singles = sent
        .iter()
        .filter(|(m, p)| m != "GET" && p != rules_path)
        .count();
    let gets = sent.iter().filter(|(m, _)| m == "GET").count();
    let n = |word: &str| -> usize {
        summary
            .split(", ")
            .find_map(|part| part.strip_suffix(word)?.trim().parse().ok())
            .unwrap_or(0)
    };
    let (c, u, d) = (n(" to create"), n(" to update"), n(" to delete"));
    println!(
        "large org import ({summary}) in {:.0} ms at 0 ms latency:",
        ms(took)
    );
    println!(
        "  creates {c}: {} POSTs (⌈{c} ÷ 20⌉ = {}); updates {u}: {} PUTs (⌈{u} ÷ 25⌉ = {}); deletes {d}: {} DELETEs (12 ids per list: {}); single-rule writes {singles}; GETs {gets} (load, then a rule list per module per batch)",
        count("POST"),
        c.div_ceil(20),
        count("PUT"),
        u.div_ceil(25),
        count("DELETE"),
        d.div_ceil(12)
    );
}

fn main() {
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    let on = |s: &str| wanted.is_empty() || wanted.iter().any(|w| w == s);
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();

    let (demo, demo_start) = Sandbox::start("demo", LATENCY_MS, dir.path());
    let (large, large_start) = Sandbox::start("large", LATENCY_MS, dir.path());
    let pid = large.child.id();
    println!(
        "large sandbox: listening after {:.0} ms (target 3,000); VmRSS {:.0} MB, VmHWM {:.0} MB (demo: {:.0} ms, VmRSS {:.0} MB)",
        ms(large_start),
        proc_status(pid, "VmRSS:") as f64 / 1024.0,
        proc_status(pid, "VmHWM:") as f64 / 1024.0,
        ms(demo_start),
        proc_status(demo.child.id(), "VmRSS:") as f64 / 1024.0,
    );
    if on("load") || on("sdk") {
        let ours = load_section(&rt, "demo org", &demo.url, Edition::Enterprise);
        if on("sdk") {
            sdk_section("demo org", &demo.url, ours);
        }
        let ours = load_section(&rt, "large org", &large.url, Edition::Ultimate);
        if on("sdk") {
            sdk_section("large org", &large.url, ours);
        }
    }
    if on("cli") {
        println!("large org, CLI at {LATENCY_MS} ms latency:");
        cli_section(&large, dir.path());
    }
    if on("import") {
        import_section(&rt, dir.path());
    }
    println!(
        "429s answered by the sandboxes during the runs: demo {}, large {}",
        demo.throttled(),
        large.throttled()
    );
}
