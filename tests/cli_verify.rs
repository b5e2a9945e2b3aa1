//! `zscore execute --verify` against the real `zscore sandbox --no-job-status` (no job-status
//! endpoint, like Zoho): a new rule executed and verified, `verified N / N`; then a rule
//! changed behind zscore's back while its execution request is on its way (a proxy holds the
//! request until the change is made), and the records that differ listed by name with their
//! expected and actual scores, exit code 1.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::cli::text;
use common::proxy;
use common::{RULES, Remote, SandboxProcess, leads_rule, run_cli};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// A new active Leads rule (+10 for web downloads) in the Standard layout; its id.
async fn new_rule(org: &Remote, name: &str) -> String {
    let layouts = org
        .call(Method::GET, "/crm/v8/settings/layouts?module=Leads", None)
        .await;
    let layout = layouts.body["layouts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["api_name"] == "Standard")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut rule = leads_rule(name, &layout);
    rule["active"] = json!(true);
    let r = org
        .call(Method::POST, RULES, Some(json!({"scoring_rules": [rule]})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.id(0)
}

/// `verified N / M records carry the expected scores` → `(N, M)`.
fn verified(stdout: &str) -> (usize, usize) {
    let line = stdout
        .lines()
        .find(|l| l.starts_with("verified "))
        .unwrap_or_else(|| panic!("no verified line in {stdout}"));
    let nums: Vec<usize> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (nums[0], nums[1])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn execute_verify_finds_a_new_rules_scores_on_the_records() {
    let sandbox = SandboxProcess::spawn(&["--no-job-status"]);
    let org = Remote::connect(&sandbox.url).await;
    // Like Zoho, there is no job-status endpoint.
    let r = org.call(Method::GET, "/sandbox/v1/jobs/1", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.body["code"], "INVALID_URL_PATTERN");
    let id = new_rule(&org, "Verified on the CLI").await;
    let home = tempfile::tempdir().unwrap();
    let out = run_cli(
        &sandbox.url,
        home.path(),
        &[
            "execute",
            "--module",
            "Leads",
            "--rules",
            &id,
            "--verify",
            "--timeout",
            "60s",
        ],
    )
    .await;
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let (n, m) = verified(&stdout);
    assert!(n > 0 && n == m, "{stdout}");
    assert!(stdout.contains("scheduled\t"), "{stdout}");
    assert!(!stdout.contains("differs"), "{stdout}");
    assert!(stderr.contains("Zoho reports no job progress"), "{stderr}");
    assert!(stderr.contains("expected to change"), "{stderr}");
    assert!(stderr.contains("verification all verified"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rule_changed_behind_zscores_back_is_reported_record_by_record() {
    let sandbox = SandboxProcess::spawn(&["--no-job-status"]);
    let org = Remote::connect(&sandbox.url).await;
    let id = new_rule(&org, "Changed under us").await;
    // The execution request waits at the proxy until the rule has been changed.
    let (url, arrived, release) = proxy::holding(&sandbox.url, |method, path| {
        method == Method::PUT && path.contains("run_scoring_rules")
    })
    .await;
    let home = tempfile::tempdir().unwrap();
    let args = [
        "execute",
        "--module",
        "Leads",
        "--rules",
        &id,
        "--verify",
        "--timeout",
        "3s",
    ]
    .map(str::to_string);
    let cli = tokio::spawn({
        let home = home.path().to_path_buf();
        async move {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            run_cli(&url, &home, &args).await
        }
    });
    arrived.notified().await;
    let rule = org.call(Method::GET, &format!("{RULES}/{id}"), None).await;
    let fr = rule.body["scoring_rules"][0]["field_rules"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let changed = org
        .call(
            Method::PUT,
            &format!("{RULES}/{id}"),
            Some(json!({"scoring_rules": [{"field_rules": [{"id": fr, "score": 35}]}]})),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    release.notify_one();
    let out = cli.await.unwrap();
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    let (n, m) = verified(&stdout);
    assert!(n < m, "{stdout}");
    let differs: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("differs\t"))
        .collect();
    assert_eq!(differs.len(), m - n, "{stdout}");
    for line in differs {
        let cells: Vec<&str> = line.split('\t').collect();
        // Name first, then the id.
        let (name, record) = cells[1].rsplit_once(" · ").unwrap();
        assert!(
            !name.is_empty() && record.chars().all(|c| c.is_ascii_digit()),
            "{line}"
        );
        assert_eq!(cells[2], "expected 10", "{line}");
        assert_eq!(cells[3], "actual 35", "{line}");
        assert!(
            cells[4].starts_with(&format!("Changed under us ({id}): expected 10, actual 35")),
            "{line}"
        );
    }
    assert!(stderr.contains("timed out"), "{stderr}");
}
