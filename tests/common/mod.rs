//! Shared test harness: a sandbox started in-process on a free loopback port, and a small
//! authenticated HTTP client for talking to it the way any Zoho client would.

#![allow(dead_code)]

pub mod cli;
pub mod proxy;
pub mod scripted;
pub mod tmux;
pub mod tui;

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::Value;
use zscore::sandbox::{RunningSandbox, SandboxOptions};

pub struct Harness {
    pub sandbox: RunningSandbox,
    pub http: reqwest::Client,
    pub token: String,
}

pub struct Reply {
    pub status: StatusCode,
    pub content_type: Option<String>,
    pub body: Value,
}

impl Reply {
    /// The first item of a `{"scoring_rules": [...]}` envelope, or the bare body.
    pub fn item(&self, i: usize) -> &Value {
        match self.body.get("scoring_rules").and_then(|l| l.get(i)) {
            Some(v) => v,
            None => &self.body,
        }
    }

    pub fn code(&self, i: usize) -> &str {
        self.item(i)["code"].as_str().unwrap_or("")
    }

    pub fn id(&self, i: usize) -> String {
        self.item(i)["details"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

impl Harness {
    pub async fn start() -> Harness {
        Self::with(SandboxOptions::default()).await
    }

    pub async fn with(options: SandboxOptions) -> Harness {
        let sandbox = RunningSandbox::start("127.0.0.1:0", options)
            .await
            .expect("sandbox starts");
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("client");
        let token = fetch_token(&http, &sandbox.url).await;
        Harness {
            sandbox,
            http,
            token,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.sandbox.url, path)
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let mut req = self
            .http
            .request(method, self.url(path))
            .header("Authorization", format!("Zoho-oauthtoken {}", self.token));
        if let Some(b) = body {
            req = req.body(b.to_string());
        }
        send(req).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, None).await
    }

    /// The Leads rule named `name`, as the API answers it.
    pub async fn leads_rule_named(&self, name: &str) -> Option<Value> {
        let r = self
            .get("/crm/v8/settings/automation/scoring_rules?module=Leads")
            .await;
        r.body["scoring_rules"]
            .as_array()?
            .iter()
            .find(|x| x["name"] == name)
            .cloned()
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Option<Value>) -> Reply {
        self.call(Method::PUT, path, body).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.call(Method::DELETE, path, None).await
    }

    /// Creates one rule and returns its id, failing the test with the answer if it is refused.
    pub async fn create(&self, rule: Value) -> String {
        let r = self
            .post(RULES, serde_json::json!({ "scoring_rules": [rule] }))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "create refused: {}", r.body);
        r.id(0)
    }

    pub async fn rule(&self, id: &str) -> Value {
        let r = self.get(&format!("{RULES}/{id}")).await;
        assert_eq!(r.status, StatusCode::OK, "get {id}: {}", r.body);
        r.body["scoring_rules"][0].clone()
    }

    /// The id and api_name of a module's layout by api_name.
    pub async fn layout(&self, module: &str, api_name: &str) -> (String, Value) {
        let r = self
            .get(&format!("/crm/v8/settings/layouts?module={module}"))
            .await;
        let layouts = r.body["layouts"].as_array().cloned().unwrap_or_default();
        let l = layouts
            .into_iter()
            .find(|l| l["api_name"] == api_name)
            .unwrap_or_else(|| panic!("no layout {api_name} in {module}"));
        (l["id"].as_str().unwrap_or_default().to_string(), l)
    }

    pub async fn module_id(&self, module: &str) -> String {
        let r = self.get("/crm/v8/settings/modules").await;
        r.body["modules"]
            .as_array()
            .and_then(|m| m.iter().find(|m| m["api_name"] == module))
            .and_then(|m| m["id"].as_str())
            .unwrap_or_default()
            .to_string()
    }

    /// Waits for a sandbox job to finish and returns its final status.
    pub async fn wait_job(&self, job_id: &str) -> Value {
        for _ in 0..600 {
            let r = self.get(&format!("/sandbox/v1/jobs/{job_id}")).await;
            let state = r.body["state"].as_str().unwrap_or("");
            if state == "done" || state == "failed" {
                return r.body;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("job {job_id} did not finish");
    }
}

pub const RULES: &str = "/crm/v8/settings/automation/scoring_rules";

pub async fn send(req: reqwest::RequestBuilder) -> Reply {
    let resp = req.send().await.expect("request reaches the sandbox");
    let status = resp.status();
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let text = resp.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("body is not JSON ({e}): {text}"))
    };
    Reply {
        status,
        content_type,
        body,
    }
}

pub async fn fetch_token(http: &reqwest::Client, base: &str) -> String {
    let resp = http
        .post(format!("{base}/oauth/v2/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=refresh_token&client_id=test&client_secret=test&refresh_token=test")
        .send()
        .await
        .expect("token endpoint answers");
    let v: Value = resp.json().await.expect("token JSON");
    v["access_token"]
        .as_str()
        .expect("access_token")
        .to_string()
}

/// A plain, valid Leads rule in the given layout, with a unique name.
pub fn leads_rule(name: &str, layout_id: &str) -> Value {
    serde_json::json!({
        "name": name,
        "description": "made by a test",
        "module": {"api_name": "Leads"},
        "layout": {"id": layout_id, "api_name": "Standard"},
        "active": false,
        "field_rules": [
            {"score": 10, "criteria": {"field": {"api_name": "Lead_Source"}, "comparator": "equal", "value": "Web Download"}},
            // Rules of one layout may not repeat each other's criteria (DUPLICATE_DATA): this
            // one makes each test rule's criteria its own, and matches no seeded company.
            {"score": 1, "criteria": {"field": {"api_name": "Company"}, "comparator": "equal", "value": format!("{name} Ltd")}}
        ]
    })
}

/// The rule named `name`, as `client` lists it (any module).
pub async fn rule_named(
    client: &zscore::api::Client,
    name: &str,
) -> Option<zscore::domain::ScoringRule> {
    client
        .list_rules(&zscore::api::rules::RuleFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.name == name)
}

/// Runs the real `zscore` binary against the sandbox at `url`, with its config and data
/// directories under `home` and no terminal on stdin.
pub async fn run_cli(url: &str, home: &std::path::Path, args: &[&str]) -> std::process::Output {
    run_cli_with(url, home, args, &[]).await
}

/// `run_cli` with extra environment variables (e.g. `ZSCORE_LOG=debug` to log every request).
pub async fn run_cli_with(
    url: &str,
    home: &std::path::Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_zscore"));
    cmd.arg("--sandbox-url")
        .arg(url)
        .args(args)
        .env("ZSCORE_CONFIG_DIR", home.join("config"))
        .env("ZSCORE_DATA_DIR", home.join("data"))
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null());
    tokio::task::spawn_blocking(move || cmd.output().expect("the zscore binary runs"))
        .await
        .expect("the blocking task finishes")
}

/// The real `zscore sandbox` binary, started with `args` (plus `--addr 127.0.0.1:0` unless
/// given), ready once it printed its `listening on` line. Its stderr is collected so a test can
/// read the sandbox's logs. Killed when dropped.
pub struct SandboxProcess {
    pub child: std::process::Child,
    pub url: String,
    pub stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl SandboxProcess {
    pub fn spawn(args: &[&str]) -> SandboxProcess {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_zscore"));
        cmd.arg("sandbox");
        if !args.contains(&"--addr") {
            cmd.args(["--addr", "127.0.0.1:0"]);
        }
        cmd.args(args);
        Self::spawn_command(cmd)
    }

    /// `cmd` is expected to run the sandbox (a shell that sets limits and `exec`s it, say).
    pub fn spawn_command(mut cmd: std::process::Command) -> SandboxProcess {
        use std::io::{BufRead, BufReader, Read};
        let mut child = cmd
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the zscore binary starts");
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let mut err = child.stderr.take().expect("stderr");
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut s) = sink.lock() {
                    s.push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            }
        });
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        let _ = out.read_line(&mut line);
        let Some(addr) = line.trim().strip_prefix("listening on ") else {
            let _ = child.wait();
            std::thread::sleep(Duration::from_millis(100));
            panic!(
                "the sandbox did not start: stdout {line:?}, stderr {:?}",
                stderr.lock().map(|s| s.clone()).unwrap_or_default()
            );
        };
        let url = addr.to_string();
        // Keep draining stdout so the child never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut rest = String::new();
            let _ = out.read_to_string(&mut rest);
        });
        SandboxProcess { child, url, stderr }
    }

    /// `kill -9`: no shutdown code runs, exactly like a crash.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, then waits for the exit (a clean shutdown).
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        self.child.wait().expect("the sandbox exits")
    }

    pub fn logs(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client of a sandbox at `url` with a fresh token, as `Harness` talks to an in-process one.
pub struct Remote {
    pub url: String,
    pub http: reqwest::Client,
    pub token: String,
}

impl Remote {
    pub async fn connect(url: &str) -> Remote {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("client");
        let token = fetch_token(&http, url).await;
        Remote {
            url: url.to_string(),
            http,
            token,
        }
    }

    /// One request; `Err` when no answer arrived (connection refused, reset, cut off).
    pub async fn try_call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Reply, String> {
        let mut req = self
            .http
            .request(method, format!("{}{}", self.url, path))
            .header("Authorization", format!("Zoho-oauthtoken {}", self.token));
        if let Some(b) = body {
            req = req.body(b.to_string());
        }
        let resp = req.send().await.map_err(|e| e.to_string())?;
        let status = resp.status();
        let content_type = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let text = resp.text().await.map_err(|e| e.to_string())?;
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).map_err(|e| format!("not JSON ({e}): {text}"))?
        };
        Ok(Reply {
            status,
            content_type,
            body,
        })
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.try_call(method, path, body)
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Every rule of the org (all modules), by id, walking the pages.
    /// `(layout id, record id)` of the Leads with Lead_Source "Web Download" touched inside the
    /// six-month scoring window (with two days to spare), from the first 1,000 Leads in order:
    /// the records the test rules' criteria match.
    pub async fn recent_web_download_leads(&self) -> Vec<(String, String)> {
        use chrono::{DateTime, Months, Utc};
        let since = Utc::now()
            .checked_sub_months(Months::new(6))
            .unwrap()
            .checked_add_days(chrono::Days::new(2))
            .unwrap();
        let mut out = Vec::new();
        for page in 1..=5 {
            let r = self
                .call(
                    Method::GET,
                    &format!("/crm/v8/Leads?fields=Lead_Source,Layout,Created_Time,Last_Activity_Time,Modified_Time&per_page=200&page={page}"),
                    None,
                )
                .await;
            for rec in r.body["data"].as_array().into_iter().flatten() {
                let recent = ["Created_Time", "Last_Activity_Time", "Modified_Time"]
                    .iter()
                    .any(|f| {
                        rec[*f]
                            .as_str()
                            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                            .is_some_and(|t| t.with_timezone(&Utc) >= since)
                    });
                if recent && rec["Lead_Source"] == "Web Download" {
                    let layout = rec["Layout"]["id"].as_str().unwrap_or_default().to_string();
                    out.push((layout, rec["id"].as_str().unwrap().to_string()));
                }
            }
        }
        out
    }

    pub async fn all_rules(&self) -> std::collections::BTreeMap<String, Value> {
        let mut out = std::collections::BTreeMap::new();
        for page in 1.. {
            let r = self
                .call(
                    Method::GET,
                    &format!("{RULES}?per_page=200&page={page}"),
                    None,
                )
                .await;
            if r.status == StatusCode::NO_CONTENT {
                break;
            }
            assert_eq!(r.status, StatusCode::OK, "list rules: {}", r.body);
            for rule in r.body["scoring_rules"].as_array().expect("rules") {
                out.insert(rule["id"].as_str().expect("id").to_string(), rule.clone());
            }
            if r.body["info"]["more_records"] != true {
                break;
            }
        }
        out
    }
}

/// The org-wide invariants no sequence of accepted writes may break: names unique (ignoring
/// case), and active / total rules per layout and per module within the edition's limits.
pub fn assert_rule_invariants(
    rules: &std::collections::BTreeMap<String, Value>,
    edition: zscore::domain::Edition,
) {
    use std::collections::{HashMap, HashSet};
    let limits = edition.limits();
    let mut names = HashSet::new();
    let mut per_layout: HashMap<(String, String), (u32, u32)> = HashMap::new();
    let mut per_module: HashMap<String, (u32, u32)> = HashMap::new();
    for rule in rules.values() {
        let name = rule["name"].as_str().expect("name").to_lowercase();
        assert!(names.insert(name.clone()), "two rules named {name:?}");
        let module = rule["module"]["api_name"]
            .as_str()
            .expect("module")
            .to_string();
        let active = u32::from(rule["active"] == true);
        let m = per_module.entry(module.clone()).or_default();
        m.0 += active;
        m.1 += 1;
        if let Some(layout) = rule["layout"]["id"].as_str() {
            let l = per_layout.entry((module, layout.to_string())).or_default();
            l.0 += active;
            l.1 += 1;
        }
    }
    for ((module, layout), (active, total)) in per_layout {
        assert!(
            active <= limits.active_per_layout && total <= limits.total_per_layout,
            "{module} layout {layout}: {active} active / {total} rules"
        );
    }
    for (module, (active, total)) in per_module {
        assert!(
            active <= limits.active_per_module && total <= limits.total_per_module,
            "{module}: {active} active / {total} rules"
        );
    }
}
