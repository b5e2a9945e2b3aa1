//! Shared test harness: a sandbox started in-process on a free loopback port, and a small
//! authenticated HTTP client for talking to it the way any Zoho client would.

#![allow(dead_code)]

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
            {"score": 10, "criteria": {"field": {"api_name": "Lead_Source"}, "comparator": "equal", "value": "Web Download"}}
        ]
    })
}

/// Runs the real `zscore` binary against the sandbox at `url`, with its config and data
/// directories under `home` and no terminal on stdin.
pub async fn run_cli(url: &str, home: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_zscore"));
    cmd.arg("--sandbox-url")
        .arg(url)
        .args(args)
        .env("ZSCORE_CONFIG_DIR", home.join("config"))
        .env("ZSCORE_DATA_DIR", home.join("data"))
        .stdin(std::process::Stdio::null());
    tokio::task::spawn_blocking(move || cmd.output().expect("the zscore binary runs"))
        .await
        .expect("the blocking task finishes")
}
