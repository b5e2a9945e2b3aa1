//! The client against servers that misbehave on purpose: an answer that never ends, a server
//! that never answers or stops mid-answer, one that cannot be connected to, one that keeps
//! failing, and rate limits with and without `Retry-After`. Every case ends in a bounded,
//! clearly worded outcome, and every retry is announced. Outcomes are asserted, never timings.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use common::scripted::{Act, scripted, scripted_both};
use zscore::api::{ApiError, Budget, Client, ClientConfig, Credentials, RetryNotice, Timeouts};

/// A client of `url` that retries twice, quickly, gives up on silence after 300 ms and
/// records what it announces.
fn client(
    url: &str,
    tune: impl FnOnce(&mut ClientConfig),
) -> (Client, Arc<Mutex<Vec<RetryNotice>>>) {
    let mut cfg = ClientConfig::new(
        url,
        Credentials {
            token_url: format!("{url}/oauth/v2/token"),
            client_id: "id".into(),
            client_secret: "secret".into(),
            refresh_token: "refresh".into(),
        },
    );
    cfg.max_retries = 2;
    cfg.backoff = Duration::from_millis(10);
    cfg.timeouts = Timeouts {
        connect: Duration::from_secs(1),
        idle: Duration::from_millis(300),
    };
    cfg.budget = Budget::Command(Duration::from_secs(60));
    tune(&mut cfg);
    let client = Client::new(cfg).unwrap();
    let heard = Arc::new(Mutex::new(Vec::new()));
    let sink = heard.clone();
    client.on_retry(Arc::new(move |n: &RetryNotice| {
        sink.lock().unwrap().push(n.clone());
    }));
    (client, heard)
}

#[tokio::test]
async fn an_endless_chunked_answer_fails_at_the_cap_and_is_not_retried() {
    let (url, hits) = scripted(Arc::new(|_| Act::Endless)).await;
    let (client, heard) = client(&url, |c| c.max_body_bytes = 1 << 20);
    let err = client.modules().await.unwrap_err();
    assert!(
        matches!(err, ApiError::TooLarge { cap, .. } if cap == 1 << 20),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the answer to GET /crm/v8/settings/modules is larger than 1 MiB; it was not read further and not retried"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 1, "retried");
    assert!(heard.lock().unwrap().is_empty());
}

#[tokio::test]
async fn the_default_cap_is_sixteen_mebibytes_and_a_legitimate_answer_passes_it() {
    let cfg = ClientConfig::sandbox("http://127.0.0.1:1");
    assert_eq!(cfg.max_body_bytes, 16 << 20);
    assert_eq!(cfg.timeouts.connect, Duration::from_secs(5));
    assert_eq!(cfg.rate_window, Duration::from_secs(60));
    let (url, _) = scripted(Arc::new(|_| {
        Act::Json(StatusCode::OK, r#"{"modules": []}"#)
    }))
    .await;
    let (client, _) = client(&url, |_| {});
    assert!(client.modules().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_server_that_never_answers_fails_each_try_at_the_idle_timeout_and_says_so() {
    let (url, hits) = scripted(Arc::new(|_| Act::Stall)).await;
    let (client, heard) = client(&url, |_| {});
    let err = client.modules().await.unwrap_err();
    assert!(matches!(err, ApiError::Network(_)), "{err:?}");
    assert!(err.to_string().contains("timed out"), "{err}");
    assert_eq!(hits.load(Ordering::SeqCst), 3, "one try and two retries");
    let texts: Vec<String> = heard
        .lock()
        .unwrap()
        .iter()
        .map(RetryNotice::text)
        .collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    for (i, t) in texts.iter().enumerate() {
        assert!(
            t.starts_with("Zoho is not answering (")
                && t.contains(&format!("), retry {} of 2 in ", i + 1)),
            "{t}"
        );
    }
}

#[tokio::test]
async fn an_answer_whose_bytes_stop_coming_fails_at_the_idle_timeout() {
    let (url, hits) = scripted(Arc::new(|_| Act::StopMidway)).await;
    let (client, heard) = client(&url, |_| {});
    let err = client.modules().await.unwrap_err();
    assert!(
        err.to_string()
            .starts_with("network error: answer cut off: timed out"),
        "{err}"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 3);
    assert_eq!(heard.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_server_that_cannot_be_connected_to_fails_at_the_connect_timeout() {
    // A listener whose accept queue is full: the kernel leaves further connects unanswered.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let _fills_the_queue = std::net::TcpStream::connect(addr).unwrap();
    let (tokens, _) = scripted(Arc::new(|_| Act::Json(StatusCode::OK, "{}"))).await;
    let mut cfg = ClientConfig::new(
        &format!("http://{addr}"),
        Credentials {
            token_url: format!("{tokens}/oauth/v2/token"),
            client_id: "id".into(),
            client_secret: "secret".into(),
            refresh_token: "refresh".into(),
        },
    );
    cfg.max_retries = 1;
    cfg.backoff = Duration::from_millis(10);
    cfg.timeouts.connect = Duration::from_millis(500);
    let client = Client::new(cfg).unwrap();
    let err = client.modules().await.unwrap_err();
    assert!(matches!(err, ApiError::Network(_)), "{err:?}");
    assert!(err.to_string().contains("timed out"), "{err}");
    drop(listener);
}

#[tokio::test]
async fn the_budget_ends_a_call_that_keeps_failing_and_names_the_last_problem() {
    let (url, hits) = scripted(Arc::new(|_| {
        Act::Json(
            StatusCode::SERVICE_UNAVAILABLE,
            r#"{"code":"INTERNAL_ERROR","details":{},"message":"down","status":"error"}"#,
        )
    }))
    .await;
    let (client, heard) = client(&url, |c| {
        c.max_retries = u32::MAX;
        c.budget = Budget::Command(Duration::from_secs(1));
    });
    let err = client.modules().await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "gave up after 1.0 s: the command's time budget ran out (--timeout sets it) (last: HTTP 503)"
    );
    assert!(hits.load(Ordering::SeqCst) > 1);
    assert!(!heard.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_rate_limit_is_waited_out_as_retry_after_says() {
    let (url, hits) = scripted(Arc::new(|n| match n {
        0 | 1 => Act::Throttle(Some("1")),
        _ => Act::Json(StatusCode::OK, r#"{"modules": []}"#),
    }))
    .await;
    // Throttling is not a failure: it is waited out whatever `max_retries` says.
    let (client, heard) = client(&url, |c| c.max_retries = 0);
    assert!(client.modules().await.unwrap().is_empty());
    assert_eq!(hits.load(Ordering::SeqCst), 3);
    let heard = heard.lock().unwrap();
    assert_eq!(heard.len(), 2);
    for (i, n) in heard.iter().enumerate() {
        assert_eq!(n.of, None);
        assert_eq!(n.wait, Duration::from_secs(1), "the wait Zoho asked for");
        assert_eq!(
            n.text(),
            format!("Zoho is rate limiting; waiting 1.0 s (retry {})…", i + 1)
        );
    }
}

#[tokio::test]
async fn a_wait_asked_for_beyond_the_budget_gives_up_at_once() {
    let (url, hits) = scripted(Arc::new(|_| Act::Throttle(Some("3600")))).await;
    let (client, heard) = client(&url, |c| {
        c.budget = Budget::Command(Duration::from_secs(30))
    });
    let err = client.modules().await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "gave up after 30 s: the command's time budget ran out (--timeout sets it) (last: rate limited; Zoho asked to wait 60 min)"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    assert!(heard.lock().unwrap().is_empty());
}

#[tokio::test]
async fn without_retry_after_a_rate_limit_backs_off_within_the_rate_window() {
    let (url, _) = scripted(Arc::new(|n| {
        if n < 10 {
            Act::Throttle(None)
        } else {
            Act::Json(StatusCode::OK, r#"{"modules": []}"#)
        }
    }))
    .await;
    let window = Duration::from_millis(40);
    let (client, heard) = client(&url, |c| c.rate_window = window);
    assert!(client.modules().await.unwrap().is_empty());
    let heard = heard.lock().unwrap();
    assert_eq!(heard.len(), 10);
    assert!(heard.iter().all(|n| n.wait <= window), "{heard:?}");
    // It doubles until the window stops it.
    assert!(heard[9].wait >= window / 2, "{heard:?}");
}

#[tokio::test]
async fn retries_of_the_token_request_are_announced_too() {
    let (url, _) = scripted_both(
        Arc::new(|n| match n {
            0 | 1 => Act::Json(StatusCode::SERVICE_UNAVAILABLE, "{}"),
            _ => Act::Json(
                StatusCode::OK,
                r#"{"access_token":"1000.t","expires_in":3600}"#,
            ),
        }),
        Arc::new(|_| Act::Json(StatusCode::OK, r#"{"modules": []}"#)),
    )
    .await;
    let (client, heard) = client(&url, |_| {});
    assert!(client.modules().await.unwrap().is_empty());
    let texts: Vec<String> = heard
        .lock()
        .unwrap()
        .iter()
        .map(RetryNotice::text)
        .collect();
    assert_eq!(
        texts,
        [
            "Zoho is not answering (sign-in failed: the token endpoint answered HTTP 503), retry 1 of 6 in 0.1 s…",
            "Zoho is not answering (sign-in failed: the token endpoint answered HTTP 503), retry 2 of 6 in 0.2 s…",
        ]
    );
}
