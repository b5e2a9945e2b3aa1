//! The sandbox accepts any credentials, so it serves loopback only unless told otherwise, and
//! serving beyond loopback requires `--require-token`, which then guards every request.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{RULES, send};
use reqwest::StatusCode;
use zscore::sandbox::{RunningSandbox, SandboxError, SandboxOptions};

const SECRET: &str = "s3cret-for-the-team";

fn zscore(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_zscore"))
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn a_non_loopback_address_is_refused_without_allow_remote_and_a_token() {
    for args in [
        vec!["sandbox", "--addr", "0.0.0.0:0"],
        vec!["sandbox", "--addr", "0.0.0.0:0", "--allow-remote"],
        vec!["sandbox", "--addr", "0.0.0.0:0", "--require-token", SECRET],
    ] {
        let out = zscore(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("refusing to listen on 0.0.0.0")
                && stderr.contains("not a loopback address")
                && stderr.contains("--allow-remote together with --require-token"),
            "{args:?}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{args:?} never listened");
    }
}

#[test]
fn allow_remote_with_a_token_listens_on_all_interfaces() {
    let mut sandbox = common::SandboxProcess::spawn(&[
        "--addr",
        "0.0.0.0:0",
        "--allow-remote",
        "--require-token",
        SECRET,
    ]);
    assert!(
        sandbox.url.starts_with("http://0.0.0.0:"),
        "{}",
        sandbox.url
    );
    assert!(sandbox.terminate().success());
}

#[tokio::test]
async fn in_process_sandboxes_follow_the_same_rule() {
    let refused = RunningSandbox::start("0.0.0.0:0", SandboxOptions::default()).await;
    assert!(matches!(refused, Err(SandboxError::Remote { .. })));
    let empty = RunningSandbox::start(
        "127.0.0.1:0",
        SandboxOptions {
            require_token: Some(String::new()),
            ..Default::default()
        },
    )
    .await;
    assert!(matches!(empty, Err(SandboxError::EmptyToken)));
}

async fn token_for(http: &reqwest::Client, base: &str, secret: &str) -> reqwest::Response {
    http.post(format!("{base}/oauth/v2/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=refresh_token&client_id=ci&client_secret={secret}&refresh_token=r"
        ))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn with_require_token_every_request_needs_the_token_or_one_issued_for_it() {
    let sandbox = RunningSandbox::start(
        "0.0.0.0:0",
        SandboxOptions {
            allow_remote: true,
            require_token: Some(SECRET.into()),
            ..Default::default()
        },
    )
    .await
    .expect("allowed with a token");
    let base = format!("http://127.0.0.1:{}", sandbox.addr.port());
    let http = reqwest::Client::new();
    let get = |path: &str, token: Option<&str>| {
        let mut req = http.get(format!("{base}{path}"));
        if let Some(t) = token {
            req = req.header("Authorization", format!("Zoho-oauthtoken {t}"));
        }
        send(req)
    };

    // No token, or a made-up one: 401 as Zoho answers, on every path.
    for path in [
        format!("{RULES}?module=Leads"),
        "/sandbox/v1/jobs/1".to_string(),
        "/".to_string(),
        "/no/such/path".to_string(),
    ] {
        let r = get(&path, None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}: {}", r.body);
        assert_eq!(r.body["code"], "AUTHENTICATION_FAILURE", "{path}");
        let r = get(&path, Some("1000.forged.token")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}: {}", r.body);
        assert_eq!(r.body["code"], "INVALID_TOKEN", "{path}");
    }

    // The token endpoint issues tokens only to callers giving the required token as secret.
    let wrong = token_for(&http, &base, "anything").await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = wrong.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client_secret");
    let right = token_for(&http, &base, SECRET).await;
    assert_eq!(right.status(), StatusCode::OK);
    let body: serde_json::Value = right.json().await.unwrap();
    let issued = body["access_token"].as_str().unwrap().to_string();

    // Both the issued token and the required token itself work.
    for token in [issued.as_str(), SECRET] {
        let r = get(&format!("{RULES}?module=Leads"), Some(token)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(!r.body["scoring_rules"].as_array().unwrap().is_empty());
        let r = get("/", Some(token)).await;
        assert_eq!(r.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn without_require_token_loopback_keeps_accepting_any_credentials() {
    let h = common::Harness::start().await;
    let r = h.get(&format!("{RULES}?module=Leads")).await;
    assert_eq!(r.status, StatusCode::OK);
    let root = send(h.http.get(h.url("/"))).await;
    assert_eq!(root.status, StatusCode::OK, "the root page needs no token");
}
