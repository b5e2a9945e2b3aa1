//! Where the sandbox says it is and where it agrees to listen: the token answer's `api_domain`
//! is the address it listens on (or `--public-url`), never the Host a client sends; a refused
//! non-loopback `--addr` is refused before anything is bound.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use serde_json::Value;
use zscore::sandbox::{RunningSandbox, SandboxOptions};

async fn token_answer(base: &str, host: Option<&str>) -> Value {
    let mut req = reqwest::Client::new()
        .post(format!("{base}/oauth/v2/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=refresh_token&client_id=c&client_secret=s&refresh_token=r");
    if let Some(h) = host {
        req = req.header("Host", h);
    }
    req.send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn the_token_answer_names_the_listen_address_whatever_host_the_client_sends() {
    let sandbox = RunningSandbox::start("127.0.0.1:0", SandboxOptions::default())
        .await
        .unwrap();
    for host in [None, Some("evil.example:1"), Some("127.0.0.1:1")] {
        let answer = token_answer(&sandbox.url, host).await;
        assert_eq!(answer["api_domain"], sandbox.url.as_str(), "Host {host:?}");
    }
}

#[tokio::test]
async fn public_url_is_announced_instead_and_a_wildcard_address_announces_nothing() {
    let announced = RunningSandbox::start(
        "127.0.0.1:0",
        SandboxOptions {
            public_url: Some("http://127.0.0.1:9/".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let answer = token_answer(&announced.url, Some("evil.example")).await;
    assert_eq!(answer["api_domain"], "http://127.0.0.1:9");

    let wildcard = RunningSandbox::start(
        "0.0.0.0:0",
        SandboxOptions {
            allow_remote: true,
            require_token: Some("s".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let base = format!("http://127.0.0.1:{}", wildcard.addr.port());
    let answer = token_answer(&base, Some("evil.example:1")).await;
    assert!(answer["access_token"].is_string(), "{answer}");
    assert!(answer.get("api_domain").is_none(), "{answer}");
}

#[test]
fn the_binary_announces_its_public_url() {
    let sandbox = common::SandboxProcess::spawn(&["--public-url", "http://127.0.0.1:9"]);
    let answer = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(token_answer(&sandbox.url, Some("evil.example:1")));
    assert_eq!(answer["api_domain"], "http://127.0.0.1:9");
}

fn sandbox_stderr(addr: &str) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zscore"))
        .args(["sandbox", "--addr", addr])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn a_non_loopback_address_is_refused_before_it_is_bound() {
    // Port 0 stays port 0 in the message: no port was ever picked.
    let err = sandbox_stderr("0.0.0.0:0");
    assert!(
        err.contains("refusing to listen on 0.0.0.0:0: it is not a loopback address"),
        "{err}"
    );
    // A port already taken: binding first would fail with "address in use"; the refusal
    // comes first.
    let taken = std::net::TcpListener::bind("0.0.0.0:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let err = sandbox_stderr(&format!("0.0.0.0:{port}"));
    assert!(
        err.contains(&format!("refusing to listen on 0.0.0.0:{port}:")),
        "{err}"
    );
    assert!(!err.contains("in use"), "{err}");
}
