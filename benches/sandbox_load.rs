//! Sandbox load: 64 concurrent clients × 1,000 mixed requests (list, get, create, update,
//! activate / deactivate, delete, execute) over real HTTP, three times: in memory, with 5 %
//! injected faults, and with `--state FILE` (the cost of durability). Each run is checked as
//! the `sandbox_load` integration test checks its smaller one: only injected faults fail, no
//! write is lost or doubled, invariants hold, entity scores match the evaluator.
//!
//! Run: `cargo bench --bench sandbox_load` (a bench binary, `harness = false`: the figures
//! wanted are throughput and latency percentiles under concurrency). `LOAD_CLIENTS` and
//! `LOAD_REQUESTS` override the size.
//!
//! On the shared 2-core dev box (release, 64 × 1,000): in memory 1,798 req/s, p50 28.6 ms,
//! p99 125 ms; with 5 % faults 1,742 req/s, p99 131 ms; with `--state FILE` 1,470 req/s,
//! p50 36.2 ms, p99 144 ms (durability costs about 18 % of throughput).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "sandbox_load/driver.rs"]
mod driver;

use zscore::domain::Edition;
use zscore::sandbox::{Concurrency, RunningSandbox, SandboxOptions};

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let clients = env_or("LOAD_CLIENTS", 64);
    let requests = env_or("LOAD_REQUESTS", 1000);
    let dir = tempfile::tempdir().unwrap();
    let runs = [
        ("in memory", SandboxOptions::default()),
        (
            "in memory, --fail-rate 0.05",
            SandboxOptions {
                fail_rate: 0.05,
                fault_seed: 42,
                ..Default::default()
            },
        ),
        (
            "--state FILE",
            SandboxOptions {
                state_file: Some(dir.path().join("load.db")),
                ..Default::default()
            },
        ),
    ];
    for (label, mut options) in runs {
        // A stress test of the server: 64 clients at once, beyond any edition's cap.
        options.max_concurrency = Concurrency::Unlimited;
        // The server gets its own runtime, so the clients' work is not scheduled on its threads.
        let server = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        let sandbox = server
            .block_on(RunningSandbox::start("127.0.0.1:0", options))
            .unwrap();
        let clients_rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        let faults = &sandbox.state.faults;
        faults.pause(true);
        let token = clients_rt.block_on(driver::token(&sandbox.url, "load"));
        faults.pause(false);
        let before = faults.counts();
        let cfg = driver::Config {
            clients,
            requests_per_client: requests,
            seed: 2026,
        };
        let (report, accounts) = clients_rt.block_on(driver::run(&sandbox.url, &token, cfg));
        let after = faults.counts();
        let injected = after.injected() - before.injected();
        let dropped = after.dropped - before.dropped;
        faults.pause(true);
        assert_eq!(
            report.server_errors as u64,
            injected - dropped,
            "every 5xx is an injected one"
        );
        assert!(
            (report.failed - report.server_errors) as u64 <= dropped,
            "every broken answer is an injected drop"
        );
        let compared = clients_rt.block_on(driver::verify(
            &sandbox.url,
            &token,
            &accounts,
            Edition::Enterprise,
        ));
        println!(
            "{clients} clients x {requests}, {label}: {}",
            report.summary()
        );
        println!(
            "  checked: {injected} faults injected ({dropped} drops), {} answers 5xx, {} cut off; accounts, invariants and {compared} entity scores consistent",
            report.server_errors,
            report.failed - report.server_errors
        );
        server.block_on(sandbox.stop()).unwrap();
    }
}
