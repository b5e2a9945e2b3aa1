//! `zscore sandbox --state FILE` when the disk fills up: writes the file cannot take are
//! answered 5xx, the sandbox goes on serving exactly what the file holds, and after a restart
//! every acknowledged write is there.
//!
//! The full disk is real to the sandbox: it runs under a file-size limit (`ulimit -f`, with
//! SIGXFSZ ignored so the write fails instead of the process dying), so SQLite's writes past it
//! fail in the kernel as they would on a full disk. The state file is seeded beforehand without
//! the limit; under it, the write-ahead log can grow to 256 KiB, which a few dozen rule updates
//! fill.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::{RULES, Remote, SandboxProcess, assert_rule_invariants};
use reqwest::{Method, StatusCode};
use serde_json::json;
use zscore::domain::Edition;

/// A description as long as Zoho allows (500 characters), different for each step.
fn description(step: usize) -> String {
    let head = format!("step {step} ");
    format!("{head}{}", "x".repeat(500 - head.len()))
}

async fn description_now(c: &Remote, id: &str) -> String {
    let r = c.call(Method::GET, &format!("{RULES}/{id}"), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["scoring_rules"][0]["description"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_disk_is_answered_5xx_and_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("org.db");
    let state = state.to_str().unwrap().to_string();
    let mut seeding = SandboxProcess::spawn(&["--state", &state]);
    assert!(seeding.terminate().success());

    let mut limited = Command::new("bash");
    limited.args([
        "-c",
        "trap '' XFSZ; ulimit -f 256; exec \"$0\" sandbox --addr 127.0.0.1:0 --state \"$1\"",
        env!("CARGO_BIN_EXE_zscore"),
        &state,
    ]);
    let mut sandbox = SandboxProcess::spawn_command(limited);
    let c = Remote::connect(&sandbox.url).await;
    let id = c
        .call(Method::GET, &format!("{RULES}?module=Leads"), None)
        .await
        .body["scoring_rules"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let mut acknowledged = None;
    let mut refused = 0;
    for step in 0..2_000 {
        let r = c
            .call(
                Method::PUT,
                &format!("{RULES}/{id}"),
                Some(json!({"scoring_rules": [{"description": description(step)}]})),
            )
            .await;
        if r.status.is_success() {
            acknowledged = Some(step);
        } else {
            assert!(
                r.status.is_server_error(),
                "step {step}: {} {}",
                r.status,
                r.body
            );
            refused += 1;
            // Served from what the file holds: the last acknowledged write.
            let last = acknowledged.expect("some writes fit before the disk filled");
            assert_eq!(description_now(&c, &id).await, description(last));
            if refused == 3 {
                break;
            }
        }
    }
    assert_eq!(refused, 3, "the limit was never reached");
    let last = acknowledged.unwrap();
    eprintln!("the disk filled after {} acknowledged writes", last + 1);
    assert!(
        sandbox.logs().contains("cannot write the state file"),
        "{}",
        sandbox.logs()
    );
    // Still serving reads.
    let rules = c.all_rules().await;
    assert!(rules.contains_key(&id));
    sandbox.kill9();

    // Room again: everything acknowledged survived, nothing refused did.
    let sandbox = SandboxProcess::spawn(&["--state", &state]);
    let c = Remote::connect(&sandbox.url).await;
    assert_eq!(description_now(&c, &id).await, description(last));
    assert_rule_invariants(&c.all_rules().await, Edition::Enterprise);
}
