//! The write keys in the real binary, in a tmux pane against an in-process sandbox reached with
//! `--sandbox-url` (so confirmations are on): `c` asks before cloning and n sends nothing, y
//! clones; `x` asks, then Esc during the execution closes the view saying the job keeps running
//! on the server, which it does; without a job endpoint (Zoho) it verifies the execution and Esc
//! stops the polling. Waits poll with a deadline; each test runs its own tmux server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::Harness;
use common::tmux::{Tmux, sandbox_script};
use zscore::api::{Client, ClientConfig};
use zscore::domain::Id;
use zscore::sandbox::SandboxOptions;

async fn leads_rule_names(h: &Harness) -> Vec<String> {
    let r = h
        .get("/crm/v8/settings/automation/scoring_rules?module=Leads")
        .await;
    r.body["scoring_rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn c_asks_before_cloning_n_sends_nothing_and_y_clones() {
    let h = Harness::start().await;
    let before = leads_rule_names(&h).await;
    let dir = tempfile::tempdir().unwrap();
    let script = sandbox_script(dir.path(), &h.sandbox.url, "");
    let unsent = tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start("clone", &script);
        tmux.wait_for(&["Lumen Ridge Software", "Standard"]);
        // Leads → Standard → Inbound Demand.
        tmux.keys(&["Enter", "j", "Enter"]);
        tmux.wait_for(&["Inbound Demand  active"]);
        tmux.keys(&["c"]);
        tmux.wait_for(&["Clone “Inbound Demand”?", "starts active", "y clone"]);
        tmux.keys(&["n"]);
        tmux.wait_gone("Clone “Inbound Demand”?");
        tmux
    })
    .await
    .unwrap();
    assert_eq!(leads_rule_names(&h).await, before, "n sent nothing");
    tokio::task::spawn_blocking(move || {
        let tmux = unsent;
        tmux.keys(&["c"]);
        tmux.wait_for(&["Clone “Inbound Demand”?"]);
        tmux.keys(&["y"]);
        tmux.wait_for(&["cloned “Inbound Demand”"]);
        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT=0"]);
    })
    .await
    .unwrap();
    let after = leads_rule_names(&h).await;
    assert_eq!(after.len(), before.len() + 1, "{after:?}");
}

/// The job id in a progress line: `request 1: job 5843… running: …`.
fn job_on(screen: &str) -> Option<Id> {
    let at = screen.find("request 1: job ")? + "request 1: job ".len();
    let id: String = screen[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!id.is_empty()).then(|| Id::new(id))
}

#[tokio::test(flavor = "multi_thread")]
async fn x_asks_then_esc_closes_the_execution_saying_the_job_runs_on_which_it_does() {
    let h = Harness::with(SandboxOptions {
        job_chunk_delay: Duration::from_millis(700),
        ..Default::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let script = sandbox_script(dir.path(), &h.sandbox.url, "");
    let job = tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start("execute", &script);
        tmux.wait_for(&["Lumen Ridge Software", "Standard"]);
        tmux.keys(&["Enter", "j", "Enter"]);
        tmux.wait_for(&["Inbound Demand  active"]);
        tmux.keys(&["x"]);
        tmux.wait_for(&[
            "Execute “Inbound Demand” (Leads / Standard)?",
            "six months",
            "y execute",
        ]);
        tmux.keys(&["y"]);
        // Every request sent: the view follows the job and says it runs on the server.
        let screen = tmux.wait_for(&[
            "keeps running on the server; following:",
            "Esc closes this view",
        ]);
        assert!(!screen.contains("done"), "{screen}");
        let job = job_on(&screen).expect("the job's id on screen");
        tmux.keys(&["Escape"]);
        let screen = tmux.wait_for(&["closed the execution view: 1 scheduled job keeps running"]);
        assert!(!screen.contains("Executing"), "{screen}");
        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT=0"]);
        job
    })
    .await
    .unwrap();
    // What the view said is true: the job ran on, to the end, after the view was closed.
    let client = Client::new(ClientConfig::sandbox(&h.sandbox.url)).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let status = client.job_status(&job).await.unwrap();
        if status.state == "done" {
            assert_eq!(status.processed, status.total);
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the job never finished: {status:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `x` against a sandbox that, like Zoho, has no job endpoint: the view verifies by polling.
/// On a rule whose execution changes no sampled score, polling must wait out the settle time,
/// and Esc stops it, saying the execution goes on; on a new rule, whose scores no record
/// carries yet, it ends on `verified N / N`.
#[tokio::test(flavor = "multi_thread")]
async fn x_verifies_the_execution_where_the_server_reports_no_progress() {
    let h = Harness::with(SandboxOptions {
        job_status: false,
        ..Default::default()
    })
    .await;
    let (layout, _) = h.layout("Leads", "Standard").await;
    let mut rule = common::leads_rule("Verified from tmux", &layout);
    rule["active"] = serde_json::json!(true);
    h.create(rule).await;
    let dir = tempfile::tempdir().unwrap();
    let script = sandbox_script(dir.path(), &h.sandbox.url, "");
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start_sized("verify", &script, 160, 48);
        tmux.wait_for(&["Lumen Ridge Software", "Standard"]);
        tmux.keys(&["Enter", "j", "Enter"]);
        tmux.wait_for(&["Inbound Demand  active"]);
        tmux.keys(&["x"]);
        tmux.wait_for(&["Execute “Inbound Demand” (Leads / Standard)?"]);
        tmux.keys(&["y"]);
        let screen = tmux.wait_for(&[
            "(Zoho reports no",
            "Verifying (poll",
            "records carry the expected",
            "Esc stops verifying",
        ]);
        // Nothing changes, so matching scores prove nothing yet: it keeps polling.
        assert!(!screen.contains("Esc closes"), "{screen}");
        tmux.keys(&["Escape"]);
        let screen = tmux.wait_for(&[
            "stopped verifying at",
            "the execution itself goes on in Zoho",
        ]);
        assert!(!screen.contains("Executing"), "{screen}");
        tmux.keys(&["G"]);
        tmux.wait_for(&["Verified from tmux  active"]);
        tmux.keys(&["x"]);
        tmux.wait_for(&["Execute “Verified from tmux”"]);
        tmux.keys(&["y"]);
        let screen = tmux.wait_until("verified N / N", |s| {
            s.contains("Esc closes") && s.contains("records carry the expected")
        });
        let line = screen
            .lines()
            .find(|l| l.contains("records carry the expected"))
            .unwrap();
        let at =
            line.find("│ Verified ").expect("a verified count") + "│".len() + "Verified ".len();
        let counts: Vec<&str> = line[at..].split_whitespace().take(3).collect();
        assert_eq!(counts[0], counts[2], "{line}");
        assert_eq!(counts[1], "/", "{line}");
        assert!(!screen.contains("≠"), "no record differs: {screen}");
        tmux.keys(&["Escape"]);
        tmux.wait_gone("Executing");
        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT=0"]);
    })
    .await
    .unwrap();
}
