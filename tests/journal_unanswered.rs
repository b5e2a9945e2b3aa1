//! A write whose answer never arrives (the change landed, the answer was cut off on every try)
//! is journaled as "outcome unknown", never as "failed": `history` says so with the rule as it
//! was read afterwards, and `revert` refuses to guess, saying why.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use common::{Harness, RULES};
use serde_json::{Value, json};
use zscore::api::{Client, ClientConfig};
use zscore::domain::Id;
use zscore::journal::Journal;
use zscore::journal::batch::Target;
use zscore::journal::writes::JournaledClient;

/// Forwards everything to `upstream`; the answers to PUTs (rule updates) are cut off half-way
/// after the sandbox applied them.
async fn cutting_proxy(upstream: String) -> String {
    let http = reqwest::Client::new();
    let app = Router::new().fallback(move |req: Request| {
        let http = http.clone();
        let upstream = upstream.clone();
        async move {
            let (parts, body) = req.into_parts();
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
            let mut bytes = resp.bytes().await.unwrap_or_default();
            if let Ok(mut v) = serde_json::from_slice::<Value>(&bytes)
                && v.get("api_domain").is_some()
            {
                v.as_object_mut().unwrap().remove("api_domain");
                bytes = v.to_string().into();
            }
            let body = if parts.method == Method::PUT {
                let half = bytes.slice(..bytes.len() / 2);
                let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
                    Ok(half),
                    Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionReset,
                        "cut",
                    )),
                ];
                Body::from_stream(futures::stream::iter(chunks))
            } else {
                Body::from(bytes)
            };
            Response::builder()
                .status(status)
                .header(header::CONTENT_TYPE, "application/json")
                .body(body)
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
async fn a_write_without_an_answer_is_outcome_unknown_in_history_and_not_reverted() {
    let h = Harness::start().await;
    let proxy = cutting_proxy(h.sandbox.url.clone()).await;
    let id = h.get(RULES).await.body["scoring_rules"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let home = tempfile::tempdir().unwrap();

    // The journal `zscore --sandbox-url PROXY` keeps (named after the org the sandbox
    // serves), written through the library.
    let journal = Journal::open(
        &home.path().join("data/journal"),
        &format!("sandbox-{}", h.sandbox.state.identity()),
    )
    .unwrap();
    let mut cfg = ClientConfig::sandbox(&proxy);
    cfg.max_retries = 1;
    cfg.backoff = Duration::from_millis(10);
    let client = Client::new(cfg).unwrap();
    let err = JournaledClient {
        client: &client,
        journal: &journal,
    }
    .update(&Id::new(&id), &json!({"description": "landed"}))
    .await
    .unwrap_err();
    assert!(err.to_string().starts_with("network error: "), "{err}");
    assert_eq!(
        h.rule(&id).await["description"],
        "landed",
        "the change was applied"
    );

    let out = common::run_cli(&proxy, home.path(), &["history"]).await;
    let history = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success());
    let line = history.lines().next().unwrap_or_default();
    assert!(
        line.starts_with("#1 ")
            && line.contains(&format!("(rule {id})"))
            && line.contains("— outcome unknown: no answer came (network error: "),
        "{history}"
    );
    assert!(!history.contains("— failed"), "{history}");
    assert!(
        history.contains("~ description “") && history.contains("→ “landed”"),
        "the rule as read afterwards: {history}"
    );

    let out = common::run_cli(&proxy, home.path(), &["revert", "1"]).await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains(&format!(
            "zscore revert: entry 1 got no answer from Zoho, so whether it was applied is unknown; check rule {id}"
        )),
        "{err}"
    );
    assert_eq!(
        h.rule(&id).await["description"],
        "landed",
        "nothing reverted"
    );
}

/// A batch of updates whose answer is cut off after it landed is judged by reading the rules
/// back: each rule the org shows changed is journaled as applied (history says so, with the
/// change), not as failed nor as unknown.
#[tokio::test]
async fn a_batch_without_an_answer_is_judged_by_reading_the_rules_back() {
    let h = Harness::start().await;
    let proxy = cutting_proxy(h.sandbox.url.clone()).await;
    let home = tempfile::tempdir().unwrap();
    let journal = Journal::open(
        &home.path().join("data/journal"),
        &format!("sandbox-{}", h.sandbox.state.identity()),
    )
    .unwrap();
    let client = Client::new(ClientConfig::sandbox(&proxy)).unwrap();
    let leads: Vec<zscore::domain::ScoringRule> = client
        .list_rules(&zscore::api::RuleFilter::module("Leads"))
        .await
        .unwrap();
    let ids: Vec<Id> = leads
        .iter()
        .take(2)
        .map(|r| r.id.clone().unwrap())
        .collect();
    let body = json!({"description": "landed in a batch"});
    let targets: Vec<Target> = leads
        .iter()
        .take(2)
        .zip(&ids)
        .map(|(r, id)| Target {
            id,
            module: "Leads",
            body: Some(&body),
            base: Some(r),
        })
        .collect();
    let outcomes = JournaledClient {
        client: &client,
        journal: &journal,
    }
    .update_batch(&targets)
    .await;
    assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
    for id in &ids {
        assert_eq!(
            h.rule(id.as_str()).await["description"],
            "landed in a batch"
        );
    }

    let out = common::run_cli(&proxy, home.path(), &["history"]).await;
    let history = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success());
    for id in &ids {
        let line = history
            .lines()
            .find(|l| l.contains(&format!("(rule {id})")))
            .unwrap_or_default();
        assert!(line.ends_with("— applied"), "{history}");
    }
    assert!(history.contains("→ “landed in a batch”"), "{history}");
}
