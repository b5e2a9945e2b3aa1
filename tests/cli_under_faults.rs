//! `preview`, `execute`, `history` and `revert` against a sandbox failing 30 % (and 55 %) of
//! requests (5xx, answers cut off, before or after the change): each either succeeds or fails with a
//! clear error, and what it says is what happened: a preview equals the fault-free one, a
//! scheduled job exists, a journal entry said to be applied is applied (one said to have failed
//! is not), a revert said to be done is done.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Output;

use common::cli::text;
use common::{Harness, RULES};
use serde_json::Value;
use zscore::sandbox::{RunningSandbox, SandboxOptions};

async fn faulty(fail_rate: f64, seed: u64) -> Harness {
    let sandbox = RunningSandbox::start(
        "127.0.0.1:0",
        SandboxOptions {
            fail_rate,
            fault_seed: seed,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    sandbox.state.faults.pause(true);
    let http = reqwest::Client::new();
    let token = common::fetch_token(&http, &sandbox.url).await;
    Harness {
        sandbox,
        http,
        token,
    }
}

/// Runs zscore with faults on, then turns them off again for the checks.
async fn shaken(h: &Harness, home: &Path, args: &[&str]) -> Output {
    h.sandbox.state.faults.pause(false);
    let out = common::run_cli(&h.sandbox.url, home, args).await;
    h.sandbox.state.faults.pause(true);
    out
}

/// A failure says which command failed and why, on stderr.
fn failed_clearly(what: &str, out: &Output) {
    let err = text(&out.stderr);
    assert!(
        err.lines()
            .any(|l| l.starts_with(&format!("zscore {what}"))),
        "{what} failed without saying so:\n{err}"
    );
}

fn score_of(rule: &Value) -> i64 {
    rule["field_rules"][0]["score"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn preview_execute_history_and_revert_under_faults_succeed_or_fail_clearly_and_never_lie() {
    let mut outcomes = Vec::new();
    // 30 % as the issue asks; 55 % as well, so that retries run out and failures are seen.
    for (rate, seed) in [
        (0.3, 11u64),
        (0.3, 12),
        (0.3, 13),
        (0.3, 14),
        (0.3, 15),
        (0.55, 16),
    ] {
        let h = faulty(rate, seed).await;
        let home = tempfile::tempdir().unwrap();
        let home = home.path();
        let rule: Value =
            h.get(&format!("{RULES}?module=Leads")).await.body["scoring_rules"][0].clone();
        let id = rule["id"].as_str().unwrap().to_string();
        let old = score_of(&rule);

        // preview: the same answer as without faults, or a clear failure.
        let args = [
            "preview", "--module", "Leads", "--layout", "Standard", "--sample", "300", "--format",
            "json",
        ];
        let clean = common::run_cli(&h.sandbox.url, home, &args).await;
        assert!(clean.status.success(), "{}", text(&clean.stderr));
        let out = shaken(&h, home, &args).await;
        if out.status.success() {
            assert_eq!(
                text(&out.stdout),
                text(&clean.stdout),
                "seed {seed}: preview differs"
            );
        } else {
            assert!(out.stdout.is_empty(), "seed {seed}: half a preview");
            failed_clearly("preview", &out);
        }
        outcomes.push(format!("seed {seed} preview: {}", out.status));

        // execute: a job said to be scheduled exists.
        let out = shaken(&h, home, &["execute", "--module", "Leads", "--rules", &id]).await;
        let stdout = text(&out.stdout);
        if out.status.success() {
            let job = stdout
                .lines()
                .find_map(|l| l.strip_prefix("scheduled\t"))
                .and_then(|l| l.split('\t').next())
                .unwrap_or_else(|| panic!("seed {seed}: success without a job: {stdout}"));
            let status = h.get(&format!("/sandbox/v1/jobs/{job}")).await;
            assert_eq!(
                status.status,
                reqwest::StatusCode::OK,
                "seed {seed}: job {job} does not exist"
            );
        } else {
            assert!(!stdout.contains("scheduled\t"), "seed {seed}: {stdout}");
            failed_clearly("execute", &out);
        }
        outcomes.push(format!("seed {seed} execute: {}", out.status));

        // An import changes the rule's score, journaled; history must tell the truth about it.
        let dir = home.join("rules");
        let out = common::run_cli(
            &h.sandbox.url,
            home,
            &["export", "--out", dir.to_str().unwrap()],
        )
        .await;
        assert!(out.status.success());
        let file = std::fs::read_dir(dir.join("Leads/Standard"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                serde_json::from_str::<Value>(&std::fs::read_to_string(p).unwrap_or_default())
                    .is_ok_and(|v| v["name"] == rule["name"])
            })
            .unwrap();
        let mut edited: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let new = old + 1;
        edited["field_rules"][0]["score"] = Value::from(new);
        std::fs::write(&file, edited.to_string()).unwrap();
        let out = shaken(&h, home, &["import", dir.to_str().unwrap(), "--yes"]).await;
        if !out.status.success() {
            failed_clearly("import", &out);
        }
        let now = score_of(&h.rule(&id).await);

        let out = shaken(&h, home, &["history", "--rule", &id]).await;
        assert!(
            out.status.success(),
            "history reads the local journal: {}",
            text(&out.stderr)
        );
        let history = text(&out.stdout);
        let update = history
            .lines()
            .find(|l| l.contains(" edit “"))
            .map(str::to_string);
        match update {
            Some(l) if l.ends_with("— applied") => {
                assert_eq!(now, new, "seed {seed}: history says applied: {l}");
            }
            Some(l) if l.contains("— refused") => {
                assert_eq!(
                    now, old,
                    "seed {seed}: history says failed, but it was applied: {l}"
                );
            }
            Some(l) => assert!(l.contains("unknown"), "seed {seed}: {l}"),
            None => assert_eq!(now, old, "seed {seed}: no entry, yet changed:\n{history}"),
        }
        outcomes.push(format!(
            "seed {seed} import: score {now}; history: {history:?}"
        ));

        // revert: said done means done.
        let entry = history
            .lines()
            .find(|l| l.contains(" edit “"))
            .and_then(|l| l.strip_prefix('#'))
            .and_then(|l| l.split(' ').next())
            .map(str::to_string);
        if let Some(entry) = entry {
            let out = shaken(&h, home, &["revert", &entry, "--yes"]).await;
            let after = score_of(&h.rule(&id).await);
            if out.status.success() {
                assert!(
                    text(&out.stdout)
                        .lines()
                        .any(|l| l.starts_with("restored rule")),
                    "{}",
                    text(&out.stdout)
                );
                assert_eq!(after, old, "seed {seed}: revert said done");
            } else {
                failed_clearly("revert", &out);
            }
            outcomes.push(format!("seed {seed} revert: {} score {after}", out.status));
        }
        let counts = h.sandbox.state.faults.counts();
        assert!(counts.injected() > 0, "seed {seed}: {counts:?}");
    }
    eprintln!("{}", outcomes.join("\n"));
}
