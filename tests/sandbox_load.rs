//! A small run of the sandbox load test (the full 64 × 1,000 is `cargo bench --bench
//! sandbox_load`): concurrent clients over real HTTP, with and without injected faults and a
//! state file; no 5xx but injected ones, no lost or doubled writes, invariants and entity
//! scores consistent at the end.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/sandbox_load/driver.rs"]
mod driver;

use zscore::domain::Edition;
use zscore::sandbox::{RunningSandbox, SandboxOptions};

async fn load(options: SandboxOptions, clients: usize, requests: usize) -> driver::Report {
    let sandbox = RunningSandbox::start("127.0.0.1:0", options).await.unwrap();
    let faults = &sandbox.state.faults;
    faults.pause(true);
    let token = driver::token(&sandbox.url, "load").await;
    faults.pause(false);
    let before = faults.counts();
    let cfg = driver::Config {
        clients,
        requests_per_client: requests,
        seed: 7,
    };
    let (report, accounts) = driver::run(&sandbox.url, &token, cfg).await;
    let after = faults.counts();
    let injected = after.injected() - before.injected();
    let dropped = after.dropped - before.dropped;
    faults.pause(true);
    assert_eq!(
        report.server_errors as u64,
        injected - dropped,
        "every 5xx was an injected fault ({})",
        report.summary()
    );
    assert!(
        (report.failed - report.server_errors) as u64 <= dropped,
        "every broken answer was an injected drop ({})",
        report.summary()
    );
    let compared = driver::verify(&sandbox.url, &token, &accounts, Edition::Enterprise).await;
    assert!(compared > 20, "only {compared} entity scores compared");
    assert!(
        report.acknowledged_writes > clients * requests / 10,
        "{}",
        report.summary()
    );
    eprintln!("{}", report.summary());
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_clients_lose_and_double_nothing() {
    let report = load(SandboxOptions::default(), 16, 100).await;
    assert_eq!(report.failed, 0, "no faults injected, none seen");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn injected_faults_are_the_only_failures_and_leave_no_half_writes() {
    let report = load(
        SandboxOptions {
            fail_rate: 0.1,
            fault_seed: 11,
            ..Default::default()
        },
        16,
        100,
    )
    .await;
    assert!(
        report.failed > 50,
        "faults were injected: {}",
        report.summary()
    );
    assert!(report.ambiguous_resolved > 10, "{}", report.summary());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_durable_sandbox_under_load_restarts_into_the_same_org() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("load.db");
    let options = SandboxOptions {
        state_file: Some(state.clone()),
        fail_rate: 0.05,
        fault_seed: 5,
        ..Default::default()
    };
    let sandbox = RunningSandbox::start("127.0.0.1:0", options.clone())
        .await
        .unwrap();
    sandbox.state.faults.pause(true);
    let token = driver::token(&sandbox.url, "load").await;
    sandbox.state.faults.pause(false);
    let cfg = driver::Config {
        clients: 8,
        requests_per_client: 60,
        seed: 3,
    };
    let (_, accounts) = driver::run(&sandbox.url, &token, cfg).await;
    sandbox.state.faults.pause(true);
    driver::verify(&sandbox.url, &token, &accounts, Edition::Enterprise).await;
    let before = driver::all_rules(&driver::Http::new(&sandbox.url, &token)).await;
    sandbox.stop().await.unwrap();

    let again = RunningSandbox::start("127.0.0.1:0", options).await.unwrap();
    again.state.faults.pause(true);
    let token = driver::token(&again.url, "load").await;
    let after = driver::all_rules(&driver::Http::new(&again.url, &token)).await;
    assert_eq!(before, after);
    driver::verify(&again.url, &token, &accounts, Edition::Enterprise).await;
}
