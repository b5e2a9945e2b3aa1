//! `zscore audit --all --format json` against a sandbox answering every request 100 ms late:
//! the real binary, concurrent (the default) versus one request at a time (`--max-in-flight 1`).
//!
//! Run: `cargo bench --bench audit_latency`. The target: within 1.3 × (round-trip depth × 100 ms)
//! plus the token call. The chain (modules → layouts and fields → rules) is 3 deep; our
//! loader fetches the rules in the first level, so its own chain is 2 deep (token → {org,
//! modules, signals, rules} → {layouts, fields} per module). Both bounds are printed.

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
    let bound = |depth: u32| {
        Duration::from_millis(LATENCY_MS) * depth * 13 / 10 + Duration::from_millis(LATENCY_MS)
    };
    let depth = 2u32;
    for (label, extra) in [
        ("default (8 in flight)", vec![]),
        ("--max-in-flight 12", vec!["--max-in-flight", "12"]),
        (
            "one at a time (--max-in-flight 1)",
            vec!["--max-in-flight", "1"],
        ),
    ] {
        let t = time(&extra);
        println!(
            "audit --all --format json, {label}: best of {RUNS} {:.0} ms (bound for depth 3: {} ms, depth 2: {} ms; {:.2}x of 2 x latency + token)",
            t.as_secs_f64() * 1000.0,
            bound(3).as_millis(),
            bound(2).as_millis(),
            t.as_secs_f64() / ((LATENCY_MS * (depth as u64 + 1)) as f64 / 1000.0)
        );
    }
}
