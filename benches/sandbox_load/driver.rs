//! The sandbox load test, shared by the `sandbox_load` bench (64 clients × 1,000 requests) and
//! the `sandbox_load` integration test (a smaller run in CI): concurrent clients send a mix of
//! list, get, create, update, activate / deactivate, delete and execute over real HTTP, each
//! tracking what it was told; then the final org is checked against every client's account.
//!
//! A request answered 5xx or cut off may or may not have applied (the fault injector keeps a
//! change whose answer it breaks); the client then reads the rule back and requires it to be
//! exactly the old or exactly the new version, never a mix, and goes on from what it found.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use chrono::{Months, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zscore::domain::evaluate::{CompiledRule, EvalContext};
use zscore::domain::{Edition, Id, ModuleSchema, ScoringRule};

pub const RULES: &str = "/crm/v8/settings/automation/scoring_rules";

#[derive(Clone, Copy, Debug)]
pub struct Config {
    pub clients: usize,
    pub requests_per_client: usize,
    pub seed: u64,
}

/// What one request kind cost, and how the whole run went.
#[derive(Debug, Default)]
pub struct Report {
    pub latencies: Vec<Duration>,
    pub wall: Duration,
    pub by_kind: BTreeMap<&'static str, usize>,
    /// Answered 4xx as Zoho refuses (full layout, already scheduled, …): nothing changed.
    pub refused: usize,
    /// Answered 5xx, or the answer broke off: these must all be injected faults.
    pub failed: usize,
    /// Of those, answered 5xx: exactly the injected status faults (always visible). The rest
    /// broke off, at most the injected drops (a drop that cuts an empty answer, such as a
    /// 204, delivers all of it and goes unnoticed, rightly).
    pub server_errors: usize,
    pub acknowledged_writes: usize,
    pub ambiguous_resolved: usize,
}

impl Report {
    pub fn requests(&self) -> usize {
        self.latencies.len()
    }

    pub fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        if sorted.is_empty() {
            return Duration::ZERO;
        }
        let i = ((sorted.len() as f64 * p).ceil() as usize).saturating_sub(1);
        sorted[i.min(sorted.len() - 1)]
    }

    pub fn throughput(&self) -> f64 {
        self.requests() as f64 / self.wall.as_secs_f64().max(1e-9)
    }

    pub fn summary(&self) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        format!(
            "{} requests in {:.2} s: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; \
             {} writes acknowledged, {} refused (4xx), {} failed (5xx or cut off), {} ambiguous writes resolved; mix {:?}",
            self.requests(),
            self.wall.as_secs_f64(),
            self.throughput(),
            ms(self.percentile(0.50)),
            ms(self.percentile(0.99)),
            ms(self.percentile(1.0)),
            self.acknowledged_writes,
            self.refused,
            self.failed,
            self.ambiguous_resolved,
            self.by_kind
        )
    }

    fn merge(&mut self, other: Report) {
        self.latencies.extend(other.latencies);
        for (k, n) in other.by_kind {
            *self.by_kind.entry(k).or_default() += n;
        }
        self.refused += other.refused;
        self.failed += other.failed;
        self.server_errors += other.server_errors;
        self.acknowledged_writes += other.acknowledged_writes;
        self.ambiguous_resolved += other.ambiguous_resolved;
    }
}

/// A client's own rule as it last learned it.
#[derive(Clone, Debug, PartialEq)]
pub struct Own {
    pub id: String,
    pub name: String,
    pub score: i64,
    pub active: bool,
}

/// What a client believes about the org at the end.
#[derive(Debug, Default)]
pub struct Account {
    pub prefix: String,
    pub live: Option<Own>,
    pub deleted: Vec<String>,
    pub jobs: Vec<String>,
}

enum Answer {
    Reply(StatusCode, Value),
    /// A broken answer: the request may or may not have applied.
    Unknown,
    /// 5xx: may or may not have applied either.
    ServerError,
}

struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

pub struct Http {
    pub base: String,
    pub http: reqwest::Client,
    pub token: String,
}

impl Http {
    pub fn new(base: &str, token: &str) -> Http {
        Http {
            base: base.to_string(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(120))
                .build()
                .expect("client"),
            token: token.to_string(),
        }
    }

    async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Answer {
        let mut req = self
            .http
            .request(method, format!("{}{}", self.base, path))
            .header("Authorization", format!("Zoho-oauthtoken {}", self.token));
        if let Some(b) = body {
            req = req.body(b.to_string());
        }
        let Ok(resp) = req.send().await else {
            return Answer::Unknown;
        };
        let status = resp.status();
        let Ok(text) = resp.text().await else {
            return Answer::Unknown;
        };
        if status.is_server_error() {
            return Answer::ServerError;
        }
        if text.is_empty() {
            return Answer::Reply(status, Value::Null);
        }
        match serde_json::from_str(&text) {
            Ok(v) => Answer::Reply(status, v),
            Err(_) => Answer::Unknown,
        }
    }

    /// For reads while nothing faults (setup and verification): the answer, or a panic.
    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        match self.send(Method::GET, path, None).await {
            Answer::Reply(s, v) => (s, v),
            _ => panic!("GET {path}: no answer"),
        }
    }

    pub async fn put(&self, path: &str, body: Option<&Value>) -> (StatusCode, Value) {
        match self.send(Method::PUT, path, body).await {
            Answer::Reply(s, v) => (s, v),
            _ => panic!("PUT {path}: no answer"),
        }
    }
}

pub async fn token(base: &str, secret: &str) -> String {
    let v: Value = reqwest::Client::new()
        .post(format!("{base}/oauth/v2/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=refresh_token&client_id=load&client_secret={secret}&refresh_token=r"
        ))
        .send()
        .await
        .expect("token endpoint")
        .json()
        .await
        .expect("token JSON");
    v["access_token"]
        .as_str()
        .expect("access_token")
        .to_string()
}

fn success(v: &Value) -> bool {
    let item = v.get("scoring_rules").and_then(|l| l.get(0)).unwrap_or(v);
    item["code"] == "SUCCESS"
}

fn rule_body(name: &str, layout: &str, score: i64) -> Value {
    json!({
        "name": name, "module": {"api_name": "Leads"}, "layout": {"id": layout}, "active": false,
        "field_rules": [{"score": score, "criteria": {"field": {"api_name": "Lead_Source"}, "comparator": "equal", "value": "Web Download"}}]
    })
}

/// A new rule: `rule_body` plus a field rule of its own, since two rules of one layout may
/// not have the same criteria (DUPLICATE_DATA); it matches no seeded company.
fn create_body(name: &str, layout: &str, score: i64) -> Value {
    let mut rule = rule_body(name, layout, score);
    if let Some(list) = rule["field_rules"].as_array_mut() {
        list.push(json!({"score": 1, "criteria": {"field": {"api_name": "Company"}, "comparator": "equal", "value": format!("{name} Ltd")}}));
    }
    rule
}

fn own_from(rule: &Value) -> Own {
    Own {
        id: rule["id"].as_str().unwrap_or_default().to_string(),
        name: rule["name"].as_str().unwrap_or_default().to_string(),
        score: rule["field_rules"][0]["score"].as_i64().unwrap_or(i64::MIN),
        active: rule["active"] == true,
    }
}

struct Worker {
    http: Http,
    layout: String,
    rng: SplitMix,
    report: Report,
    account: Account,
    serial: usize,
}

impl Worker {
    async fn timed(
        &mut self,
        kind: &'static str,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Answer {
        let t = Instant::now();
        let answer = self.http.send(method, path, body).await;
        self.report.latencies.push(t.elapsed());
        *self.report.by_kind.entry(kind).or_default() += 1;
        match answer {
            Answer::Reply(..) => answer,
            Answer::ServerError => {
                self.report.failed += 1;
                self.report.server_errors += 1;
                Answer::Unknown
            }
            Answer::Unknown => {
                self.report.failed += 1;
                Answer::Unknown
            }
        }
    }

    /// A read the client needs answered (to settle an ambiguous write): retried until it is.
    async fn read(&mut self, path: &str) -> (StatusCode, Value) {
        loop {
            if let Answer::Reply(s, v) = self.timed("resolve", Method::GET, path, None).await {
                return (s, v);
            }
        }
    }

    async fn read_rule(&mut self, id: &str) -> Option<Own> {
        let (status, v) = self.read(&format!("{RULES}/{id}")).await;
        match status {
            StatusCode::OK => Some(own_from(&v["scoring_rules"][0])),
            _ => None,
        }
    }

    async fn run(mut self, requests: usize) -> (Report, Account) {
        for _ in 0..requests {
            let roll = self.rng.next() % 100;
            match (&self.account.live, roll) {
                (_, 0..25) => self.list().await,
                (Some(_), 25..45) => self.get().await,
                (None, 25..70) => self.create().await,
                (Some(_), 45..65) => self.update().await,
                (Some(_), 65..80) => self.toggle().await,
                (Some(_), 80..92) => self.delete().await,
                (Some(_), _) => self.execute().await,
                (None, _) => self.list().await,
            }
        }
        (self.report, self.account)
    }

    async fn list(&mut self) {
        let path = format!("{RULES}?module=Leads&layout_id={}", self.layout);
        self.timed("list", Method::GET, &path, None).await;
    }

    async fn get(&mut self) {
        let Some(own) = self.account.live.clone() else {
            return;
        };
        let path = format!("{RULES}/{}", own.id);
        if let Answer::Reply(status, v) = self.timed("get", Method::GET, &path, None).await {
            assert_eq!(status, StatusCode::OK, "GET own rule {}: {v}", own.id);
            assert_eq!(own_from(&v["scoring_rules"][0]), own, "read-your-writes");
        }
    }

    async fn create(&mut self) {
        self.serial += 1;
        let name = format!("{}{}", self.account.prefix, self.serial);
        let score = 1 + (self.rng.next() % 60) as i64;
        let body = json!({"scoring_rules": [create_body(&name, &self.layout, score)]});
        match self.timed("create", Method::POST, RULES, Some(&body)).await {
            Answer::Reply(StatusCode::CREATED, v) if success(&v) => {
                let id = v["scoring_rules"][0]["details"]["id"]
                    .as_str()
                    .unwrap_or_default();
                self.account.live = Some(Own {
                    id: id.to_string(),
                    name,
                    score,
                    active: false,
                });
                self.report.acknowledged_writes += 1;
            }
            Answer::Reply(..) => self.report.refused += 1,
            Answer::Unknown | Answer::ServerError => {
                // Did it happen? Look for it by name: once at most, and whole.
                self.report.ambiguous_resolved += 1;
                let (_, v) = self
                    .read(&format!("{RULES}?module=Leads&name={name}"))
                    .await;
                let found: Vec<Own> = v["scoring_rules"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(own_from)
                    .filter(|o| o.name == name)
                    .collect();
                assert!(
                    found.len() <= 1,
                    "create of {name} applied twice: {found:?}"
                );
                if let Some(o) = found.into_iter().next() {
                    assert_eq!((o.score, o.active), (score, false), "half a create: {o:?}");
                    self.account.live = Some(o);
                }
            }
        }
    }

    async fn update(&mut self) {
        let Some(old) = self.account.live.clone() else {
            return;
        };
        self.serial += 1;
        let new = Own {
            name: format!("{}{}", self.account.prefix, self.serial),
            score: 1 + (self.rng.next() % 60) as i64,
            ..old.clone()
        };
        let mut item = rule_body(&new.name, &self.layout, new.score);
        if let Some(o) = item.as_object_mut() {
            o.remove("active");
        }
        let body = json!({ "scoring_rules": [item] });
        let path = format!("{RULES}/{}", old.id);
        match self.timed("update", Method::PUT, &path, Some(&body)).await {
            Answer::Reply(StatusCode::OK, v) if success(&v) => {
                self.account.live = Some(new);
                self.report.acknowledged_writes += 1;
            }
            Answer::Reply(..) => self.report.refused += 1,
            Answer::Unknown | Answer::ServerError => {
                self.report.ambiguous_resolved += 1;
                let found = self.read_rule(&old.id).await;
                assert!(
                    found.as_ref() == Some(&old) || found.as_ref() == Some(&new),
                    "update of {} half-applied or lost: before {old:?}, sent {new:?}, found {found:?}",
                    old.id
                );
                self.account.live = found;
            }
        }
    }

    async fn toggle(&mut self) {
        let Some(old) = self.account.live.clone() else {
            return;
        };
        let (method, kind) = if old.active {
            (Method::DELETE, "deactivate")
        } else {
            (Method::PUT, "activate")
        };
        let path = format!("{RULES}/{}/actions/activate", old.id);
        match self.timed(kind, method, &path, None).await {
            Answer::Reply(StatusCode::OK, v) if success(&v) => {
                if let Some(o) = &mut self.account.live {
                    o.active = !old.active;
                }
                self.report.acknowledged_writes += 1;
            }
            Answer::Reply(..) => self.report.refused += 1,
            Answer::Unknown | Answer::ServerError => {
                self.report.ambiguous_resolved += 1;
                let found = self.read_rule(&old.id).await;
                let flipped = Own {
                    active: !old.active,
                    ..old.clone()
                };
                assert!(
                    found.as_ref() == Some(&old) || found.as_ref() == Some(&flipped),
                    "{kind} of {}: found {found:?}",
                    old.id
                );
                self.account.live = found;
            }
        }
    }

    async fn delete(&mut self) {
        let Some(old) = self.account.live.clone() else {
            return;
        };
        let path = format!("{RULES}/{}", old.id);
        match self.timed("delete", Method::DELETE, &path, None).await {
            Answer::Reply(StatusCode::OK, v) if success(&v) => {
                self.account.live = None;
                self.account.deleted.push(old.id);
                self.report.acknowledged_writes += 1;
            }
            Answer::Reply(..) => self.report.refused += 1,
            Answer::Unknown | Answer::ServerError => {
                self.report.ambiguous_resolved += 1;
                let found = self.read_rule(&old.id).await;
                match found {
                    None => {
                        self.account.live = None;
                        self.account.deleted.push(old.id);
                    }
                    Some(o) => assert_eq!(o, old, "a delete that did not happen changed the rule"),
                }
            }
        }
    }

    async fn execute(&mut self) {
        let Some(own) = self.account.live.clone() else {
            return;
        };
        if !own.active {
            return self.list().await;
        }
        let body = json!({"scoring_rules": [own.id]});
        let answer = self
            .timed(
                "execute",
                Method::PUT,
                "/crm/v8/Leads/actions/run_scoring_rules",
                Some(&body),
            )
            .await;
        if let Answer::Reply(StatusCode::OK, v) = &answer
            && success(v)
            && let Some(job) = v["scoring_rules"][0]["details"]["job_id"].as_str()
        {
            self.account.jobs.push(job.to_string());
            self.report.acknowledged_writes += 1;
        } else if let Answer::Reply(..) = answer {
            self.report.refused += 1; // ALREADY_SCHEDULED
        }
    }
}

/// Runs the storm against `base` (a sandbox with a Leads module and the demo org's layouts).
pub async fn run(base: &str, token: &str, cfg: Config) -> (Report, Vec<Account>) {
    let setup = Http::new(base, token);
    let (_, layouts) = setup.get("/crm/v8/settings/layouts?module=Leads").await;
    let layouts: Vec<String> = layouts["layouts"]
        .as_array()
        .expect("layouts")
        .iter()
        .filter_map(|l| l["id"].as_str().map(str::to_string))
        .collect();
    let started = Instant::now();
    let tasks: Vec<_> = (0..cfg.clients)
        .map(|c| {
            let worker = Worker {
                http: Http::new(base, token),
                layout: layouts[c % layouts.len()].clone(),
                rng: SplitMix(cfg.seed ^ (c as u64).wrapping_mul(0x9E37_79B9)),
                report: Report::default(),
                account: Account {
                    prefix: format!("Load{c}-"),
                    ..Default::default()
                },
                serial: 0,
            };
            tokio::spawn(worker.run(cfg.requests_per_client))
        })
        .collect();
    let mut report = Report::default();
    let mut accounts = Vec::new();
    for t in tasks {
        let (r, a) = t.await.expect("a client panicked");
        report.merge(r);
        accounts.push(a);
    }
    report.wall = started.elapsed();
    (report, accounts)
}

/// With faults paused: every client's account matches the org, the org's invariants hold, and
/// after a final execution entity scores equal the evaluator's for a sample of records.
pub async fn verify(base: &str, token: &str, accounts: &[Account], edition: Edition) -> usize {
    let h = Http::new(base, token);
    for job in accounts.iter().flat_map(|a| &a.jobs) {
        wait_job(&h, job).await;
    }
    let rules = all_rules(&h).await;
    check_invariants(&rules, edition);
    for a in accounts {
        let mine: Vec<&Value> = rules
            .values()
            .filter(|r| r["name"].as_str().is_some_and(|n| n.starts_with(&a.prefix)))
            .collect();
        match &a.live {
            Some(own) => {
                let found = rules.get(&own.id).map(own_from);
                assert_eq!(
                    found.as_ref(),
                    Some(own),
                    "{}: acknowledged state lost",
                    a.prefix
                );
                assert_eq!(
                    mine.len(),
                    1,
                    "{}: {} rules, expected 1",
                    a.prefix,
                    mine.len()
                );
            }
            None => assert!(mine.is_empty(), "{}: unexpected rules {mine:?}", a.prefix),
        }
        for id in &a.deleted {
            assert!(!rules.contains_key(id), "deleted rule {id} is back");
        }
    }

    // One execution of every active Leads rule (retried while a storm job still holds one).
    let job = loop {
        let (status, v) = h.put("/crm/v8/Leads/actions/run_scoring_rules", None).await;
        if status == StatusCode::OK {
            break v["details"]["job_id"].as_str().expect("job id").to_string();
        }
        assert_eq!(v["code"], "ALREADY_SCHEDULED", "{v}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let executed_at = Utc::now();
    wait_job(&h, &job).await;
    check_scores(&h, &rules, executed_at).await
}

/// Waits for a job the sandbox knows; an id it does not know (finished long ago and
/// forgotten, or run before a restart) has nothing left to wait for.
async fn wait_job(h: &Http, job: &str) {
    for _ in 0..6000 {
        let (status, v) = h.get(&format!("/sandbox/v1/jobs/{job}")).await;
        if status != StatusCode::OK {
            return;
        }
        match v["state"].as_str() {
            Some("done") => return,
            Some("failed") => panic!("job {job} failed"),
            _ => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
    panic!("job {job} did not finish");
}

pub async fn all_rules(h: &Http) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for page in 1.. {
        let (status, v) = h.get(&format!("{RULES}?per_page=200&page={page}")).await;
        if status == StatusCode::NO_CONTENT {
            break;
        }
        for r in v["scoring_rules"].as_array().expect("rules") {
            out.insert(r["id"].as_str().expect("id").to_string(), r.clone());
        }
        if v["info"]["more_records"] != true {
            break;
        }
    }
    out
}

pub fn check_invariants(rules: &BTreeMap<String, Value>, edition: Edition) {
    let limits = edition.limits();
    let mut names = HashSet::new();
    let mut per_layout: HashMap<String, (u32, u32)> = HashMap::new();
    let mut per_module: HashMap<String, (u32, u32)> = HashMap::new();
    for r in rules.values() {
        let name = r["name"].as_str().unwrap_or_default().to_lowercase();
        assert!(names.insert(name.clone()), "two rules named {name:?}");
        let active = u32::from(r["active"] == true);
        let module = r["module"]["api_name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if let Some(layout) = r["layout"]["id"].as_str() {
            let e = per_layout.entry(layout.to_string()).or_default();
            e.0 += active;
            e.1 += 1;
        }
        let e = per_module.entry(module).or_default();
        e.0 += active;
        e.1 += 1;
    }
    for (layout, (a, t)) in per_layout {
        assert!(
            a <= limits.active_per_layout && t <= limits.total_per_layout,
            "layout {layout}: {a} active of {t}"
        );
    }
    for (module, (a, t)) in per_module {
        assert!(
            a <= limits.active_per_module && t <= limits.total_per_module,
            "{module}: {a} active of {t}"
        );
    }
}

/// For recent Leads, every active rule's entity-score row is what the domain evaluator makes of
/// the record as the records API shows it, and no row belongs to a rule that no longer exists.
/// Returns how many (record, rule) pairs were compared.
async fn check_scores(
    h: &Http,
    rules: &BTreeMap<String, Value>,
    executed_at: chrono::DateTime<Utc>,
) -> usize {
    let (_, module) = h.get("/crm/v8/settings/modules/Leads").await;
    let (_, layouts) = h.get("/crm/v8/settings/layouts?module=Leads").await;
    let (_, fields) = h.get("/crm/v8/settings/fields?module=Leads").await;
    let schema = ModuleSchema {
        module: serde_json::from_value(module["modules"][0].clone()).expect("module"),
        layouts: serde_json::from_value(layouts["layouts"].clone()).expect("layouts"),
        fields: serde_json::from_value(fields["fields"].clone()).expect("fields"),
    };
    let (_, users) = h.get("/crm/v8/users?type=CurrentUser").await;
    let ctx = EvalContext {
        now: executed_at.timestamp(),
        current_user: users["users"][0]["id"].as_str().map(Id::new),
        current_role: None,
    };
    let active: Vec<(String, ScoringRule)> = rules
        .iter()
        .filter(|(_, r)| r["module"]["api_name"] == "Leads" && r["active"] == true)
        .filter_map(|(id, r)| {
            serde_json::from_value::<ScoringRule>(r.clone())
                .ok()
                .map(|s| (id.clone(), s))
        })
        .filter(|(_, r)| r.signal_rules.is_empty())
        .collect();
    let mut wanted: Vec<String> = vec![
        "Layout".into(),
        "Created_Time".into(),
        "Last_Activity_Time".into(),
        "Modified_Time".into(),
    ];
    for (_, r) in &active {
        for fr in &r.field_rules {
            collect_fields(
                &serde_json::to_value(&fr.criteria).unwrap_or(Value::Null),
                &mut wanted,
            );
        }
    }
    wanted.sort();
    wanted.dedup();
    let compiled: Vec<(String, Option<String>, CompiledRule)> = active
        .iter()
        .map(|(id, r)| {
            (
                id.clone(),
                r.layout_id().map(|l| l.to_string()),
                CompiledRule::compile(r, &schema, &ctx),
            )
        })
        .collect();
    let since = executed_at
        .checked_sub_months(Months::new(6))
        .unwrap_or(executed_at)
        + chrono::Duration::days(1);
    let (_, page) = h
        .get(&format!(
            "/crm/v8/Leads?fields={}&per_page=200",
            wanted.join(",")
        ))
        .await;
    let mut compared = 0;
    for obj in page["data"].as_array().expect("records").iter().step_by(3) {
        let recent = ["Created_Time", "Last_Activity_Time", "Modified_Time"]
            .iter()
            .any(|f| {
                obj[*f]
                    .as_str()
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                    .is_some_and(|t| t.with_timezone(&Utc) >= since)
            });
        if !recent {
            continue;
        }
        let record = zscore::lab::records::to_record(obj, &schema).expect("record");
        let layout = obj["Layout"]["id"].as_str().map(str::to_string);
        let rid = record.id.to_string();
        let (status, scores) = h
            .get(&format!("/crm/v8/Leads/{rid}/Entity_Scores__s?fields=Positive_Score,Negative_Score,Scoring_Rule"))
            .await;
        let rows: HashMap<String, (i64, i64)> = if status == StatusCode::NO_CONTENT {
            HashMap::new()
        } else {
            scores["data"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| {
                    (
                        r["Scoring_Rule"]["id"]
                            .as_str()
                            .unwrap_or_default()
                            .to_string(),
                        (
                            r["Positive_Score"].as_i64().unwrap_or(0),
                            r["Negative_Score"].as_i64().unwrap_or(0),
                        ),
                    )
                })
                .collect()
        };
        for rule in rows.keys() {
            assert!(
                rules.contains_key(rule),
                "record {rid} keeps a score of deleted rule {rule}"
            );
        }
        for (id, rule_layout, c) in &compiled {
            if rule_layout.is_some() && *rule_layout != layout {
                continue;
            }
            let s = c.score(&record);
            let expected = s.matched_any().then_some((s.positive, s.negative));
            assert_eq!(rows.get(id).copied(), expected, "record {rid}, rule {id}");
            compared += 1;
        }
    }
    compared
}

fn collect_fields(criteria: &Value, out: &mut Vec<String>) {
    match criteria {
        Value::Object(map) => {
            if let Some(api) = map
                .get("field")
                .and_then(|f| f.get("api_name"))
                .and_then(Value::as_str)
            {
                out.push(api.to_string());
            }
            for v in map.values() {
                collect_fields(v, out);
            }
        }
        Value::Array(list) => list.iter().for_each(|v| collect_fields(v, out)),
        _ => {}
    }
}
