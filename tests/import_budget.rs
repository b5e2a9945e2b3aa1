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
    // Three new rules: three creates, applied in file order.
    let template = std::fs::read_dir(dir.join("Leads/Standard"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .unwrap();
    let mut rule: Value =
        serde_json::from_str(&std::fs::read_to_string(template).unwrap()).unwrap();
    rule["active"] = Value::from(false);
    for n in 1..=3 {
        rule["name"] = Value::from(format!("Budget test {n}"));
        std::fs::write(
            dir.join(format!("Leads/Standard/budget-{n}.json")),
            rule.to_string(),
        )
        .unwrap();
    }

    let proxy = stalling_proxy(h.sandbox.url.clone(), 1).await;
    let out = common::run_cli(
        &proxy,
        home.path(),
        &["--timeout", "8", "import", dir.to_str().unwrap(), "--yes"],
    )
    .await;
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("created Leads/Standard/budget-1.json as "),
        "the applied step is reported: {err}"
    );
    assert!(
        err.contains("zscore import: Leads/Standard/budget-2.json: gave up after 8.0 s: the command's time budget ran out (--timeout sets it)"),
        "the step in flight: {err}"
    );
    assert!(
        err.contains(
            "zscore import: the time budget ran out; not applied (1):\n  create Leads/Standard/budget-3.json\n"
        ),
        "{err}"
    );

    // What the org holds: the applied create, and nothing of the two others.
    let names: Vec<String> = common::Remote::connect(&h.sandbox.url)
        .await
        .all_rules()
        .await
        .values()
        .filter_map(|r| r["name"].as_str().map(str::to_string))
        .filter(|n| n.starts_with("Budget test"))
        .collect();
    assert_eq!(names, ["Budget test 1"]);
}
