//! `zscore sandbox --state FILE` survives `kill -9`: every write that got a success answer is
//! there after a restart, the org's invariants hold, a clean restart restores the org exactly,
//! and a file that is not a state file is refused by name.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{RULES, Remote, SandboxProcess, assert_rule_invariants};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zscore::domain::Edition;

const CLIENTS: usize = 6;

/// What a client last heard acknowledged about one of its rules.
#[derive(Clone, Debug)]
struct Tracked {
    id: String,
    layout: String,
    name: String,
    score: i64,
    active: bool,
    deleted: bool,
    /// Acknowledged executions: job ids, and whether the job was seen done before the kill.
    jobs: Vec<(String, bool)>,
    /// The request in flight when the sandbox died: it may or may not have applied.
    in_flight: Option<Pending>,
}

#[derive(Clone, Debug)]
enum Pending {
    Update { name: String, score: i64 },
    Active(bool),
    Delete,
    Execute,
}

#[derive(Debug, Default)]
struct Log {
    rules: Vec<Tracked>,
    /// A create whose answer never came: (name, score).
    unanswered_create: Option<(String, i64)>,
    acknowledged: usize,
}

/// Every rule matches the Web Download leads; its criteria are its own all the same (the
/// company clause, which no lead meets, names the rule as created: `key`), as two rules of a
/// layout may not repeat each other's criteria (DUPLICATE_DATA). An update keeps the key, so
/// its field rule replaces the one of the same criteria.
fn rule_body(key: &str, name: &str, layout: &str, score: i64) -> Value {
    json!({
        "name": name, "module": {"api_name": "Leads"}, "layout": {"id": layout}, "active": false,
        "field_rules": [{"score": score, "criteria": {"group_operator": "OR", "group": [
            {"field": {"api_name": "Lead_Source"}, "comparator": "equal", "value": "Web Download"},
            {"field": {"api_name": "Company"}, "comparator": "equal", "value": format!("storm {key}")}
        ]}}]
    })
}

fn ok_item(r: &common::Reply) -> bool {
    r.status.is_success() && r.item(0)["code"] == "SUCCESS"
}

/// One client's storm: create, rename-and-rescore, activate, sometimes execute (and wait for
/// the job), then delete or deactivate-and-keep, until the sandbox stops answering.
async fn storm(c: Remote, client: usize, layout: String, done: Arc<AtomicUsize>) -> Log {
    let mut log = Log::default();
    let mut kept: Vec<usize> = Vec::new();
    for k in 0.. {
        let name = format!("D{client}-{k}");
        let score = 1 + (k % 40) as i64;
        let r = match c
            .try_call(
                Method::POST,
                RULES,
                Some(json!({"scoring_rules": [rule_body(&name, &name, &layout, score)]})),
            )
            .await
        {
            Ok(r) => r,
            Err(_) => {
                log.unanswered_create = Some((name, score));
                return log;
            }
        };
        if !ok_item(&r) {
            // Full layout: make room by deleting a kept rule, then go on.
            if let Some(i) = kept.pop()
                && !step(&c, &mut log, i, Pending::Delete, &done).await
            {
                return log;
            }
            continue;
        }
        log.rules.push(Tracked {
            id: r.id(0),
            layout: layout.clone(),
            name: name.clone(),
            score,
            active: false,
            deleted: false,
            jobs: Vec::new(),
            in_flight: None,
        });
        log.acknowledged += 1;
        done.fetch_add(1, Ordering::Relaxed);
        let i = log.rules.len() - 1;
        let update = Pending::Update {
            name: format!("{name} u"),
            score: 50 + (k % 40) as i64,
        };
        if !step(&c, &mut log, i, update, &done).await
            || !step(&c, &mut log, i, Pending::Active(true), &done).await
        {
            return log;
        }
        if log.rules[i].active
            && k % 3 == 0
            && !step(&c, &mut log, i, Pending::Execute, &done).await
        {
            return log;
        }
        if k % 2 == 0 {
            if !step(&c, &mut log, i, Pending::Delete, &done).await {
                return log;
            }
        } else {
            if !step(&c, &mut log, i, Pending::Active(false), &done).await {
                return log;
            }
            kept.push(i);
            if kept.len() > 1 {
                let oldest = kept.remove(0);
                if !step(&c, &mut log, oldest, Pending::Delete, &done).await {
                    return log;
                }
            }
        }
    }
    log
}

/// Sends one change to rule `i`; false once the sandbox no longer answers.
async fn step(c: &Remote, log: &mut Log, i: usize, op: Pending, done: &AtomicUsize) -> bool {
    let id = log.rules[i].id.clone();
    let sent = match &op {
        Pending::Update { name, score } => {
            let mut body = rule_body(&log.rules[i].name, name, &log.rules[i].layout, *score);
            body.as_object_mut().unwrap().remove("active");
            c.try_call(
                Method::PUT,
                &format!("{RULES}/{id}"),
                Some(json!({ "scoring_rules": [body] })),
            )
            .await
        }
        Pending::Active(true) => {
            c.try_call(Method::PUT, &format!("{RULES}/{id}/actions/activate"), None)
                .await
        }
        Pending::Active(false) => {
            c.try_call(
                Method::DELETE,
                &format!("{RULES}/{id}/actions/activate"),
                None,
            )
            .await
        }
        Pending::Delete => {
            c.try_call(Method::DELETE, &format!("{RULES}/{id}"), None)
                .await
        }
        Pending::Execute => {
            c.try_call(
                Method::PUT,
                "/crm/v8/Leads/actions/run_scoring_rules",
                Some(json!({"scoring_rules": [id]})),
            )
            .await
        }
    };
    let Ok(r) = sent else {
        log.rules[i].in_flight = Some(op);
        return false;
    };
    if !ok_item(&r) {
        return true; // refused (e.g. a full layout): nothing changed, nothing to remember
    }
    log.acknowledged += 1;
    done.fetch_add(1, Ordering::Relaxed);
    let t = &mut log.rules[i];
    match op {
        Pending::Update { name, score } => {
            t.name = name;
            t.score = score;
        }
        Pending::Active(a) => t.active = a,
        Pending::Delete => t.deleted = true,
        Pending::Execute => {
            let job = r.item(0)["details"]["job_id"].as_str().unwrap().to_string();
            t.jobs.push((job.clone(), false));
            loop {
                let Ok(s) = c
                    .try_call(Method::GET, &format!("/sandbox/v1/jobs/{job}"), None)
                    .await
                else {
                    return false;
                };
                if s.body["state"] == "done" {
                    if let Some(j) = t.jobs.last_mut() {
                        j.1 = true;
                    }
                    break;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
    true
}

fn field_score(rule: &Value) -> i64 {
    rule["field_rules"][0]["score"].as_i64().unwrap()
}

/// A rule as the restarted sandbox has it matches what was acknowledged (or, if a request was
/// cut off by the kill, what that request would have made of it).
fn check_rule(t: &Tracked, found: Option<&Value>) {
    if t.deleted {
        assert!(found.is_none(), "rule {} was deleted, yet it is back", t.id);
        return;
    }
    let Some(rule) = found else {
        assert!(
            matches!(t.in_flight, Some(Pending::Delete)),
            "acknowledged rule {} ({}) is lost",
            t.id,
            t.name
        );
        return;
    };
    let (name, score) = (rule["name"].as_str().unwrap(), field_score(rule));
    let as_acked = name == t.name && score == t.score;
    let as_in_flight = matches!(&t.in_flight, Some(Pending::Update { name: n, score: s }) if n == name && *s == score);
    assert!(
        as_acked || as_in_flight,
        "rule {}: acknowledged {:?} / {}, found {name:?} / {score}",
        t.id,
        t.name,
        t.score
    );
    let active = rule["active"] == true;
    assert!(
        active == t.active || matches!(t.in_flight, Some(Pending::Active(a)) if a == active),
        "rule {}: acknowledged active={}, found {active}",
        t.id,
        t.active
    );
}

/// Recent Web Download leads, a few per layout: every rule of the storm matches them.
async fn sample_records(c: &Remote) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (layout, id) in c.recent_web_download_leads().await {
        let list = out.entry(layout).or_default();
        if list.len() < 4 {
            list.push(id);
        }
    }
    out
}

/// (rule id → Positive_Score) of one record's entity scores.
async fn record_scores(c: &Remote, record: &str) -> HashMap<String, i64> {
    let r = c
        .call(
            Method::GET,
            &format!("/crm/v8/Leads/{record}/Entity_Scores__s?fields=Positive_Score,Scoring_Rule"),
            None,
        )
        .await;
    r.body["data"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|row| {
            (
                row["Scoring_Rule"]["id"].as_str().unwrap().to_string(),
                row["Positive_Score"].as_i64().unwrap_or(0),
            )
        })
        .collect()
}

async fn leads_layouts(c: &Remote) -> Vec<String> {
    let r = c
        .call(Method::GET, "/crm/v8/settings/layouts?module=Leads", None)
        .await;
    r.body["layouts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_acknowledged_write_survives_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("org.db");
    let state_arg = state.to_str().unwrap();
    let mut sandbox = SandboxProcess::spawn(&["--state", state_arg]);
    let setup = Remote::connect(&sandbox.url).await;
    let layouts = leads_layouts(&setup).await;

    let done = Arc::new(AtomicUsize::new(0));
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let c = Remote::connect(&sandbox.url).await;
        let layout = layouts[client % layouts.len()].clone();
        clients.push(tokio::spawn(storm(c, client, layout, done.clone())));
    }
    // Mid-storm: once plenty has been acknowledged, with requests still in flight.
    let started = Instant::now();
    while done.load(Ordering::Relaxed) < 150 && started.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    sandbox.kill9();
    let mut logs = Vec::new();
    for c in clients {
        logs.push(c.await.unwrap());
    }
    let acknowledged: usize = logs.iter().map(|l| l.acknowledged).sum();
    assert!(acknowledged >= 150, "the storm got {acknowledged} answers");
    assert!(
        logs.iter()
            .flat_map(|l| &l.rules)
            .any(|t| t.jobs.iter().any(|j| j.1)),
        "some execution finished before the kill"
    );

    let sandbox = SandboxProcess::spawn(&["--state", state_arg]);
    let c = Remote::connect(&sandbox.url).await;
    let rules = c.all_rules().await;
    assert_rule_invariants(&rules, Edition::Enterprise);
    let mut ours = 0;
    for log in &logs {
        for t in &log.rules {
            check_rule(t, rules.get(&t.id));
            ours += 1;
        }
        // A create cut off by the kill either happened whole or not at all.
        if let Some((name, score)) = &log.unanswered_create
            && let Some(rule) = rules.values().find(|r| r["name"] == name.as_str())
        {
            assert_eq!(field_score(rule), *score, "{rule}");
            assert_eq!(rule["active"], false);
        }
    }
    assert!(ours > 20, "{ours} rules tracked");
    // No rule of the storm the clients do not know about.
    let known: Vec<&str> = logs
        .iter()
        .flat_map(|l| l.rules.iter().map(|t| t.id.as_str()))
        .collect();
    for (id, rule) in &rules {
        let name = rule["name"].as_str().unwrap();
        if name.starts_with('D') && name.contains('-') && !known.contains(&id.as_str()) {
            assert!(
                logs.iter()
                    .any(|l| l.unanswered_create.as_ref().is_some_and(|(n, _)| n == name)),
                "unknown rule {id} {name:?}"
            );
        }
    }

    // Executions accepted but unfinished at the kill run again under their job ids (one the
    // restarted sandbox does not know had finished and written its scores before the kill;
    // the score check below holds either way).
    for t in logs.iter().flat_map(|l| &l.rules) {
        for (job, seen_done) in &t.jobs {
            if *seen_done {
                continue;
            }
            let deadline = Instant::now() + Duration::from_secs(60);
            loop {
                let s = c
                    .call(Method::GET, &format!("/sandbox/v1/jobs/{job}"), None)
                    .await;
                if s.status != StatusCode::OK || s.body["state"] == "done" {
                    break;
                }
                assert!(Instant::now() < deadline, "job {job} never finished");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }

    // Stored entity scores: every executed rule still there scored the matching records with
    // the score it had when it ran (the storm never changes a rule after executing it), and no
    // score row belongs to a deleted rule.
    let samples = sample_records(&c).await;
    let mut checked = 0;
    for t in logs.iter().flat_map(|l| &l.rules) {
        if t.jobs.is_empty() || !rules.contains_key(&t.id) {
            continue;
        }
        for record in samples.get(&t.layout).into_iter().flatten() {
            let scores = record_scores(&c, record).await;
            assert_eq!(
                scores.get(&t.id),
                Some(&t.score),
                "record {record}, rule {} ({})",
                t.id,
                t.name
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "no executed rule had a sample record to check");
    for record in samples.values().flatten() {
        for rule in record_scores(&c, record).await.keys() {
            assert!(
                rules.contains_key(rule),
                "record {record} keeps scores of deleted rule {rule}"
            );
        }
    }

    // New ids never collide with acknowledged ones.
    let fresh = c
        .call(
            Method::POST,
            RULES,
            Some(json!({"scoring_rules": [rule_body("After restart", "After restart", &layouts[0], 3)]})),
        )
        .await;
    let id: u64 = fresh.id(0).parse().unwrap();
    let highest = logs
        .iter()
        .flat_map(|l| l.rules.iter().map(|t| t.id.parse::<u64>().unwrap()))
        .max()
        .unwrap();
    assert!(id > highest, "new id {id} after {highest}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clean_restart_restores_the_org_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("org.db");
    let state_arg = state.to_str().unwrap();
    let mut sandbox = SandboxProcess::spawn(&["--state", state_arg]);
    let c = Remote::connect(&sandbox.url).await;
    let layouts = leads_layouts(&c).await;
    let created = c
        .call(
            Method::POST,
            RULES,
            Some(json!({"scoring_rules": [{
                "name": "Survivor", "module": {"api_name": "Leads"}, "layout": {"id": layouts[1]}, "active": true,
                "field_rules": [{"score": 12, "criteria": {"group_operator": "OR", "group": [
                    {"field": {"api_name": "Lead_Source"}, "comparator": "equal", "value": "Web Download"},
                    {"field": {"api_name": "Lead_Source"}, "comparator": "equal", "value": "Chat"}]}}],
                "custom_fields": [{"field_label": "Survivor Score", "reference_field": {"api_name": "Score"}}]
            }]})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.id(0);
    let run = c
        .call(
            Method::PUT,
            "/crm/v8/Leads/actions/run_scoring_rules",
            Some(json!({"scoring_rules": [id]})),
        )
        .await;
    let job = run.item(0)["details"]["job_id"]
        .as_str()
        .unwrap()
        .to_string();
    while c
        .call(Method::GET, &format!("/sandbox/v1/jobs/{job}"), None)
        .await
        .body["state"]
        != "done"
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let seeded_rule = c.all_rules().await.into_keys().next().unwrap();
    let gone = c
        .call(Method::DELETE, &format!("{RULES}/{seeded_rule}"), None)
        .await;
    assert_eq!(gone.status, StatusCode::OK);

    let snapshot = |c: &Remote| {
        let c = Remote {
            url: c.url.clone(),
            http: c.http.clone(),
            token: c.token.clone(),
        };
        async move {
            let rules = c.all_rules().await;
            let mut scores = Vec::new();
            for page in 1..=3 {
                scores.push(
                    c.call(
                        Method::GET,
                        &format!("/crm/v8/Entity_Scores__s?fields=Score,Positive_Score,Negative_Score,Scoring_Rule&per_page=200&page={page}"),
                        None,
                    )
                    .await
                    .body,
                );
            }
            let fields = c
                .call(Method::GET, "/crm/v8/settings/fields?module=Leads", None)
                .await
                .body;
            let records = c
                .call(
                    Method::GET,
                    "/crm/v8/Leads?fields=Last_Name,Lead_Source,Survivor_Score,Score&per_page=200",
                    None,
                )
                .await
                .body["data"]
                .clone();
            (rules, scores, fields, records)
        }
    };
    let before = snapshot(&c).await;
    assert!(before.0.contains_key(&id) && !before.0.contains_key(&seeded_rule));
    assert!(before.3.to_string().contains("Survivor_Score\":12"));
    assert!(sandbox.terminate().success());

    let sandbox = SandboxProcess::spawn(&["--state", state_arg]);
    let c = Remote::connect(&sandbox.url).await;
    let after = snapshot(&c).await;
    assert_eq!(before.0, after.0, "rules");
    assert_eq!(before.1, after.1, "entity scores");
    assert_eq!(before.2, after.2, "fields (with the rule's score field)");
    assert_eq!(before.3, after.3, "records");
}

#[test]
fn a_file_that_is_not_a_state_file_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("rules-notes.db");
    std::fs::write(&garbage, b"SQLite format 2? no: just notes\n".repeat(300)).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zscore"))
        .args(["sandbox", "--addr", "127.0.0.1:0", "--state"])
        .arg(&garbage)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("rules-notes.db") && stderr.contains("not a zscore sandbox state file"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.stdout.is_empty(), "it never said it was listening");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_state_file_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("org.db");
    let mut sandbox = SandboxProcess::spawn(&["--state", state.to_str().unwrap()]);
    assert!(sandbox.terminate().success());
    // Scribble over the middle of the file, where record and rule pages are.
    let mut bytes = std::fs::read(&state).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 64 * 1024] {
        *b = 0xA5;
    }
    std::fs::write(&state, &bytes).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zscore"))
        .args(["sandbox", "--addr", "127.0.0.1:0", "--state"])
        .arg(&state)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("org.db") && stderr.contains("corrupt"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}
