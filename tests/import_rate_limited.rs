//! Import against a sandbox that both throttles (30 requests per window) and fails 30 % of
//! requests, right after an export used up the burst: every seed's import succeeds in one run,
//! shows the rate-limit waits as it goes, and leaves the org exactly as the files say. The
//! window is 20 s instead of Zoho's minute only so the test ends sooner; the client does not
//! know it and waits as it would against Zoho.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::cli::text;

use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use zscore::sandbox::{RunningSandbox, SandboxOptions};

/// 30 requests per 20 s: a token every two thirds of a second once the burst is gone, slow
/// enough that a client giving up after a fixed number of quick retries fails (as zscore did),
/// a third of Zoho's minute so the test takes well under a minute.
const WINDOW: Duration = Duration::from_secs(20);

/// The `Leads/Standard` rule files of an export.
fn standard_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir.join("Leads/Standard"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// An update (a score changed), a create (a copy under a new name) and a delete (a file gone,
/// with `--prune`).
fn edit_export(dir: &Path) {
    let files = standard_files(dir);
    assert!(files.len() >= 3, "{files:?}");
    let mut rule: Value =
        serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    rule["field_rules"][0]["score"] = Value::from(7);
    std::fs::write(&files[0], serde_json::to_string_pretty(&rule).unwrap()).unwrap();
    rule["name"] = Value::from("Rate limited newcomer");
    rule["active"] = Value::from(false);
    // Criteria of its own: a rule repeating another's in its layout is DUPLICATE_DATA.
    rule["field_rules"] = serde_json::json!([{"score": 7, "criteria":
        {"field": "Company", "comparator": "contains", "value": "rate limited newcomer"}}]);
    std::fs::write(
        dir.join("Leads/Standard/newcomer.json"),
        serde_json::to_string_pretty(&rule).unwrap(),
    )
    .unwrap();
    std::fs::remove_file(&files[1]).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn import_under_rate_limit_thirty_and_fail_rate_three_tenths_succeeds_on_every_seed() {
    // Each seed has its own sandbox and bucket, so they run side by side: the test then takes
    // as long as its slowest seed, most of it spent waiting out 429s.
    let runs = [1u64, 2, 3, 4, 5].map(|seed| tokio::spawn(one_seed(seed)));
    for run in runs {
        run.await.unwrap();
    }
}

async fn one_seed(seed: u64) {
    let sandbox = RunningSandbox::start(
        "127.0.0.1:0",
        SandboxOptions {
            fail_rate: 0.3,
            fault_seed: seed,
            rate_limit: Some(30),
            rate_window: WINDOW,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let url = sandbox.url.clone();
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("rules");

    let out = common::run_cli(
        &url,
        home.path(),
        &["export", "--out", dir.to_str().unwrap()],
    )
    .await;
    assert!(
        out.status.success(),
        "seed {seed}: export: {}",
        text(&out.stderr)
    );
    edit_export(&dir);

    let out = common::run_cli(
        &url,
        home.path(),
        &["import", dir.to_str().unwrap(), "--prune", "--yes"],
    )
    .await;
    let err = text(&out.stderr);
    let counts = sandbox.state.faults.counts();
    assert!(
        out.status.success(),
        "seed {seed}: import failed ({counts:?}):\n{err}"
    );
    assert!(
        counts.rate_limited > 0 && counts.injected() > 0,
        "seed {seed}: {counts:?}"
    );
    assert!(
        err.contains("zscore: Zoho is rate limiting; waiting "),
        "seed {seed}: the waits are shown:\n{err}"
    );

    // Faults off: the org is what the files say, nothing left to do, nothing doubled.
    sandbox.state.faults.pause(true);
    let out = common::run_cli(
        &url,
        home.path(),
        &["import", dir.to_str().unwrap(), "--prune", "--dry-run"],
    )
    .await;
    let plan = text(&out.stdout);
    assert!(out.status.success(), "seed {seed}: {}", text(&out.stderr));
    assert!(
        plan.contains("0 to create, 0 to update, 0 to delete"),
        "seed {seed}: the import left work undone:\n{plan}"
    );
    let rules = common::Remote::connect(&url).await.all_rules().await;
    common::assert_rule_invariants(&rules, zscore::domain::Edition::Enterprise);
    assert!(
        rules.values().any(|r| r["name"] == "Rate limited newcomer"),
        "seed {seed}"
    );
    eprintln!("seed {seed}: {counts:?}");
}
