//! `zscore audit --all --format json` against a sandbox answering every request 100 ms late:
//! the real binary, concurrent (the default) versus one request at a time (`--max-in-flight 1`).
//!
//! Run: `cargo bench --bench audit_latency`. The bound is 3 round trips (300 ms): the token,
//! then {org, modules, signals, rules}, then every module's layouts and fields; the target is
//! within 1.2× of it with default settings (the in-flight limit follows the org's edition).
//! Nothing else may cost a round trip: `--sandbox-url` asks the sandbox's identity only when a
//! command opens its change journal, which audit never does.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;
use std::time::{Duration, Instant};

use zscore::sandbox::{RunningSandbox, SandboxOptions};

const LATENCY_MS: u64 = 100;
const RUNS: usize = 5;

fn main() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = rt
        .block_on(RunningSandbox::start(
            "127.0.0.1:0",
            SandboxOptions {
                latency: Duration::from_millis(LATENCY_MS),
                ..Default::default()
            },
        ))
        .unwrap();
    let dir = std::env::temp_dir().join("zscore-audit-bench");
    let time = |extra: &[&str]| -> Duration {
        let mut best = Duration::MAX;
        for _ in 0..RUNS {
            let started = Instant::now();
            let mut args = vec!["--sandbox-url", sandbox.url.as_str()];
            args.extend_from_slice(extra);
            args.extend_from_slice(&["audit", "--all", "--format", "json"]);
            let out = Command::new(env!("CARGO_BIN_EXE_zscore"))
                .args(&args)
                .env("ZSCORE_CONFIG_DIR", dir.join("config"))
                .env("ZSCORE_DATA_DIR", dir.join("data"))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            best = best.min(started.elapsed());
        }
        best
    };
    let bound = Duration::from_millis(LATENCY_MS * 3);
    for (label, extra) in [
        ("default (in flight: the edition's limit)", vec![]),
        ("--max-in-flight 12", vec!["--max-in-flight", "12"]),
        (
            "one at a time (--max-in-flight 1)",
            vec!["--max-in-flight", "1"],
        ),
    ] {
        let t = time(&extra);
        println!(
            "audit --all --format json, {label}: best of {RUNS} {:.0} ms = {:.2}x the bound of 3 round trips ({} ms; target 1.2x)",
            t.as_secs_f64() * 1000.0,
            t.as_secs_f64() / bound.as_secs_f64(),
            bound.as_millis(),
        );
    }
}
