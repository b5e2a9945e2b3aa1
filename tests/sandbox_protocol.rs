//! The sandbox as any HTTP client meets it: OAuth, auth errors, content types, unknown paths and
//! methods, malformed and oversized bodies, throttling and latency.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use common::{Harness, RULES, fetch_token, leads_rule, send};
use reqwest::StatusCode;
use serde_json::json;
use zscore::domain::Edition;
use zscore::sandbox::{Concurrency, SandboxOptions};

#[tokio::test]
async fn token_endpoint_grants() {
    let h = Harness::start().await;
    let post = |body: &'static str| {
        let h = &h;
        async move {
            send(
                h.http
                    .post(h.url("/oauth/v2/token"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body),
            )
            .await
        }
    };
    let r = post("grant_type=refresh_token&client_id=a&client_secret=b&refresh_token=c").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["token_type"], "Bearer");
    assert_eq!(r.body["expires_in"], 3600);
    assert_eq!(
        r.body["api_domain"],
        h.sandbox.url.as_str(),
        "api_domain is the sandbox itself"
    );
    assert!(
        r.body["access_token"]
            .as_str()
            .unwrap()
            .starts_with("1000.")
    );

    let r = post("grant_type=authorization_code&client_id=a&client_secret=b&code=1000.abc").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body["refresh_token"].is_string());
    let r =
        post("grant_type=authorization_code&client_id=a&client_secret=b&code=invalid-grant").await;
    assert_eq!(r.body, json!({"error": "invalid_code"}));
    let r = post("grant_type=refresh_token&client_secret=b&refresh_token=c").await;
    assert_eq!(r.body, json!({"error": "invalid_client"}));
    let r = post("grant_type=password&client_id=a&client_secret=b").await;
    assert_eq!(r.body, json!({"error": "unsupported_grant_type"}));
}

#[tokio::test]
async fn api_calls_need_a_live_token() {
    let h = Harness::with(SandboxOptions {
        token_ttl: Duration::from_secs(1),
        ..Default::default()
    })
    .await;
    let r = send(h.http.get(h.url(RULES))).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        r.body,
        json!({"code":"AUTHENTICATION_FAILURE","details":{},"message":"Authentication failed","status":"error"})
    );
    let r = send(
        h.http
            .get(h.url(RULES))
            .header("Authorization", "Zoho-oauthtoken 1000.nope"),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.body["code"], "INVALID_TOKEN");

    assert_eq!(h.get("/crm/v8/org").await.status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let r = h.get("/crm/v8/org").await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("INVALID_TOKEN")),
        "expired after expires_in"
    );
    let fresh = fetch_token(&h.http, &h.sandbox.url).await;
    let r = send(
        h.http
            .get(h.url("/crm/v8/org"))
            .header("Authorization", format!("Zoho-oauthtoken {fresh}")),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn every_json_answer_says_so() {
    let h = Harness::start().await;
    for path in [
        "/crm/v8/org",
        "/crm/v8/settings/modules",
        "/crm/v8/nope/nope/nope/nope",
        RULES,
    ] {
        let r = h.get(path).await;
        assert_eq!(
            r.content_type.as_deref(),
            Some("application/json;charset=UTF-8"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn unknown_paths_and_methods() {
    let h = Harness::start().await;
    let r = h.get("/crm/v8/settings/automation/nothing/here").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.body["code"], "INVALID_URL_PATTERN");
    let r = h.call(reqwest::Method::PATCH, RULES, None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body["code"], "INVALID_REQUEST_METHOD");
    let r = h.post("/crm/v8/settings/modules", json!({})).await;
    assert_eq!(r.body["code"], "INVALID_REQUEST_METHOD");
}

#[tokio::test]
async fn malformed_bodies_get_4xx_json_and_change_nothing() {
    let h = Harness::start().await;
    let before = h.get(&format!("{RULES}?per_page=200")).await.body;
    let raw = |body: &'static str| {
        let h = &h;
        async move {
            send(
                h.http
                    .post(h.url(RULES))
                    .header("Authorization", format!("Zoho-oauthtoken {}", h.token))
                    .body(body),
            )
            .await
        }
    };
    for body in ["{", "[1,2", "not json", "{\"scoring_rules\": [}", "\u{0}"] {
        let r = raw(body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body:?}");
        assert_eq!(r.body["code"], "INVALID_DATA", "{body:?}");
        assert_eq!(r.body["status"], "error");
    }
    for (body, code) in [
        (json!([]), "INVALID_DATA"),
        (json!({}), "MANDATORY_NOT_FOUND"),
        (json!({"scoring_rules": {}}), "INVALID_DATA"),
        (json!({"scoring_rules": []}), "MANDATORY_NOT_FOUND"),
        (json!({"scoring_rules": [1, "x", null, []]}), "INVALID_DATA"),
        (
            json!({"scoring_rules": [{"name": 5, "module": "Leads", "field_rules": {}}]}),
            "INVALID_DATA",
        ),
        (
            json!({"scoring_rules": [{"name": "x", "module": {"api_name": "Leads"}, "field_rules": [{"score": "10", "criteria": 3}]}]}),
            "INVALID_DATA",
        ),
    ] {
        let r = h.post(RULES, body.clone()).await;
        assert!(r.status.is_client_error(), "{body}: {}", r.status);
        assert_eq!(r.code(0), code, "{body}: {}", r.body);
    }
    let too_many: Vec<_> = (0..21)
        .map(|i| leads_rule(&format!("Bulk {i}"), "1"))
        .collect();
    let r = h.post(RULES, json!({"scoring_rules": too_many})).await;
    assert_eq!(
        (r.status, r.body["details"]["maximum_length"].as_u64()),
        (StatusCode::BAD_REQUEST, Some(20))
    );

    let big = format!(
        "{{\"scoring_rules\": [{{\"name\": \"{}\"}}]}}",
        "x".repeat(1_100_000)
    );
    let r = send(
        h.http
            .post(h.url(RULES))
            .header("Authorization", format!("Zoho-oauthtoken {}", h.token))
            .body(big),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.body["code"], "LIMIT_EXCEEDED");

    let after = h.get(&format!("{RULES}?per_page=200")).await.body;
    assert_eq!(before, after, "refused requests changed nothing");
}

#[tokio::test]
async fn concurrency_limit_answers_429() {
    let h = Harness::with(SandboxOptions {
        max_concurrency: Concurrency::At(2),
        latency: Duration::from_millis(200),
        ..Default::default()
    })
    .await;
    let calls = (0..6).map(|_| h.get("/crm/v8/org"));
    let replies = futures::future::join_all(calls).await;
    let throttled = replies
        .iter()
        .filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    let ok = replies
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .count();
    assert!(throttled >= 1 && ok >= 1, "ok {ok}, throttled {throttled}");
    let t = replies
        .iter()
        .find(|r| r.status == StatusCode::TOO_MANY_REQUESTS)
        .unwrap();
    assert_eq!(t.body["code"], "TOO_MANY_REQUESTS");
    assert_eq!(t.body["status"], "error");
}

/// By default the cap is the edition's concurrency limit (Zoho's API-limits page), in Zoho's
/// error envelope; `--max-concurrency` overrides it; the token endpoint is not counted.
#[tokio::test]
async fn the_editions_concurrency_limit_is_enforced_by_default() {
    for (edition, cap) in [
        ("standard", 10),
        ("professional", 15),
        ("enterprise", 20),
        ("ultimate", 25),
    ] {
        let edition: Edition = edition.parse().unwrap();
        let h = Harness::with(SandboxOptions {
            edition,
            latency: Duration::from_millis(300),
            ..Default::default()
        })
        .await;
        assert_eq!(h.sandbox.state.concurrency_cap, Some(cap));
        let burst = cap + 6;
        let calls = (0..burst).map(|_| h.get("/crm/v8/settings/modules"));
        let replies = futures::future::join_all(calls).await;
        let throttled: Vec<_> = replies
            .iter()
            .filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS)
            .collect();
        let ok = replies
            .iter()
            .filter(|r| r.status == StatusCode::OK)
            .count();
        assert_eq!(ok + throttled.len(), burst, "{edition}");
        assert!(
            !throttled.is_empty(),
            "{edition}: {burst} at once, cap {cap}"
        );
        assert_eq!(
            h.sandbox.state.throttled.load(Ordering::Relaxed),
            throttled.len()
        );
        let t = &throttled[0].body;
        assert_eq!(
            (t["code"].as_str(), t["status"].as_str()),
            (Some("TOO_MANY_REQUESTS"), Some("error"))
        );
        assert!(t["message"].is_string() && t["details"] == json!({}));
    }
    let h = Harness::with(SandboxOptions {
        edition: Edition::Ultimate,
        max_concurrency: Concurrency::At(4),
        ..Default::default()
    })
    .await;
    assert_eq!(h.sandbox.state.concurrency_cap, Some(4));
    let h = Harness::with(SandboxOptions {
        max_concurrency: Concurrency::Unlimited,
        ..Default::default()
    })
    .await;
    assert_eq!(h.sandbox.state.concurrency_cap, None);
}

/// Token calls stand for Zoho's accounts server: a burst of them is never refused by the API's
/// concurrency cap.
#[tokio::test]
async fn token_calls_do_not_count_against_the_cap() {
    let h = Harness::with(SandboxOptions {
        max_concurrency: Concurrency::At(1),
        latency: Duration::from_millis(100),
        ..Default::default()
    })
    .await;
    let url = format!("{}/oauth/v2/token", h.sandbox.url);
    let calls = (0..5).map(|_| {
        h.http
            .post(&url)
            .form(&[
                ("grant_type", "refresh_token"),
                ("client_id", "x"),
                ("client_secret", "x"),
                ("refresh_token", "x"),
            ])
            .send()
    });
    for r in futures::future::join_all(calls).await {
        assert_eq!(r.unwrap().status(), StatusCode::OK);
    }
    assert_eq!(h.sandbox.state.throttled.load(Ordering::Relaxed), 0);
}

#[tokio::test]
async fn latency_is_added_to_every_response() {
    let h = Harness::with(SandboxOptions {
        latency: Duration::from_millis(150),
        ..Default::default()
    })
    .await;
    let t = Instant::now();
    h.get("/crm/v8/org").await;
    assert!(t.elapsed() >= Duration::from_millis(150));
}
