//! An import whose time budget runs out half-way: Zoho (a proxy in front of the sandbox)
//! answers the first write, then never answers again. The import gives up at `--timeout`, says
//! so, and lists what it applied and what it did not; the org has exactly the applied part.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use common::Harness;
use serde_json::Value;

/// Forwards to `upstream`; after `answered` writes (anything but GET) went through, every
/// further write is held forever without an answer.
async fn stalling_proxy(upstream: String, answered: usize) -> String {
    let http = reqwest::Client::new();
    let writes = Arc::new(AtomicUsize::new(0));
    let app = Router::new().fallback(move |req: Request| {
        let http = http.clone();
        let upstream = upstream.clone();
        let writes = writes.clone();
        async move {
            let (parts, body) = req.into_parts();
            let is_write = parts.method != Method::GET && parts.uri.path() != "/oauth/v2/token";
            if is_write && writes.fetch_add(1, Ordering::SeqCst) >= answered {
                futures::future::pending::<()>().await;
            }
            let body = axum::body::to_bytes(body, 1 << 24)
                .await
                .unwrap_or_default();
            let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
            let mut fwd = http.request(parts.method.clone(), format!("{upstream}{path}"));
            for (k, v) in &parts.headers {
                if k != header::HOST && k != header::CONTENT_LENGTH {
                    fwd = fwd.header(k, v);
                }
            }
            let Ok(resp) = fwd.body(body).send().await else {
                return StatusCode::BAD_GATEWAY.into_response();
            };
            let status = resp.status();
            let mut body = resp.bytes().await.unwrap_or_default();
            // The sandbox announces itself; the client must keep coming through the proxy.
            if let Ok(mut v) = serde_json::from_slice::<Value>(&body)
                && v.get("api_domain").is_some()
            {
                v.as_object_mut().unwrap().remove("api_domain");
                body = v.to_string().into();
            }
            Response::builder()
                .status(status)
                .header(header::CONTENT_TYPE, "application/json")
                .body(axum::body::Body::from(body))
                .unwrap()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    url
}

/// Writes go deletes first, then updates, then creates, each kind in batches: the delete is
/// answered, the update batch never is, and the create is never sent.
#[tokio::test]
async fn an_import_past_its_budget_lists_what_was_and_was_not_applied() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("rules");
    let out = common::run_cli(
        &h.sandbox.url,
        home.path(),
        &["export", "--out", dir.to_str().unwrap()],
    )
    .await;
    assert!(out.status.success());
    let standard = dir.join("Leads/Standard");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&standard)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let read = |p: &std::path::Path| -> Value {
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    // One rule pruned (its file removed), one updated, one created.
    let pruned = read(&files[0])["name"].as_str().unwrap().to_string();
    std::fs::remove_file(&files[0]).unwrap();
    let mut edited = read(&files[1]);
    let edited_name = edited["name"].as_str().unwrap().to_string();
    let edited_file = format!(
        "Leads/Standard/{}",
        files[1].file_name().unwrap().to_string_lossy()
    );
    edited["field_rules"][0]["score"] = Value::from(33);
    std::fs::write(&files[1], edited.to_string()).unwrap();
    let mut created = edited.clone();
    created["name"] = Value::from("Budget test new");
    created["active"] = Value::from(false);
    created["field_rules"] = serde_json::json!([{"score": 5, "criteria":
        {"field": "Company", "comparator": "contains", "value": "budget test"}}]);
    std::fs::write(standard.join("budget-new.json"), created.to_string()).unwrap();
    let before = common::Remote::connect(&h.sandbox.url)
        .await
        .all_rules()
        .await;

    let proxy = stalling_proxy(h.sandbox.url.clone(), 1).await;
    let out = common::run_cli(
        &proxy,
        home.path(),
        &[
            "--timeout",
            "8",
            "import",
            dir.to_str().unwrap(),
            "--prune",
            "--yes",
        ],
    )
    .await;
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains(&format!("deleted Leads/{pruned}\n")),
        "the applied delete is reported: {err}"
    );
    assert!(
        err.contains(&format!("zscore import: {edited_file}: gave up after 8.0 s: the command's time budget ran out (--timeout sets it)")),
        "the update in flight: {err}"
    );
    assert!(
        err.contains(
            "zscore import: the time budget ran out; not applied (1):\n  create Leads/Standard/budget-new.json\n"
        ),
        "{err}"
    );

    // What the org holds: the delete, and nothing of the two others.
    let after = common::Remote::connect(&h.sandbox.url)
        .await
        .all_rules()
        .await;
    let names = |rules: &std::collections::BTreeMap<String, Value>| -> Vec<String> {
        rules
            .values()
            .filter_map(|r| r["name"].as_str().map(str::to_string))
            .collect()
    };
    let mut expected = names(&before);
    expected.retain(|n| *n != pruned);
    assert_eq!(names(&after), expected);
    let score = |rules: &std::collections::BTreeMap<String, Value>| {
        rules
            .values()
            .find(|r| r["name"] == edited_name.as_str())
            .map(|r| r["field_rules"][0]["score"].clone())
    };
    assert_eq!(score(&after), score(&before), "the update never arrived");

    // The journal: the delete applied; the update, whose answer never came and whose rule
    // could not be read again within the budget, is "outcome unknown", not "failed".
    let out = common::run_cli(&h.sandbox.url, home.path(), &["history"]).await;
    let history = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{history}");
    let line = |what: &str| {
        history
            .lines()
            .find(|l| l.contains(what))
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        line(&format!("delete “{pruned}”")).ends_with("— applied"),
        "{history}"
    );
    assert!(
        line(&format!("edit “{edited_name}”")).contains("— outcome unknown: no answer came ("),
        "{history}"
    );
}
