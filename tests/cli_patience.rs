//! The real binary against servers that stall, fail or never stop talking: `audit` against an
//! endless answer ends with a clear error instead of filling memory, every retry is said on
//! stderr, `--timeout` ends a command and says so, and the TUI shows retries in its status bar.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use common::cli::text;
use common::scripted::{Act, scripted};
use common::tmux::Tmux;

#[tokio::test]
async fn audit_against_an_endless_answer_stops_at_the_cap_with_a_clear_error() {
    let (url, _) = scripted(Arc::new(|_| Act::Endless)).await;
    let home = tempfile::tempdir().unwrap();
    let out = common::run_cli(&url, home.path(), &["audit", "--all"]).await;
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("is larger than 16 MiB; it was not read further and not retried"),
        "{err}"
    );
    assert!(
        !err.contains("retry"),
        "an oversized answer is not retried: {err}"
    );

    let out = common::run_cli(
        &url,
        home.path(),
        &["--max-response-mb", "1", "audit", "--all"],
    )
    .await;
    assert!(
        text(&out.stderr).contains("is larger than 1 MiB"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn retries_are_said_on_stderr_and_the_budget_ends_the_command_saying_so() {
    let (url, hits) = scripted(Arc::new(|_| {
        Act::Json(
            StatusCode::SERVICE_UNAVAILABLE,
            r#"{"code":"INTERNAL_ERROR","details":{},"message":"down","status":"error"}"#,
        )
    }))
    .await;
    let home = tempfile::tempdir().unwrap();
    let out = common::run_cli(&url, home.path(), &["--timeout", "2", "audit"]).await;
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("zscore: Zoho is not answering (HTTP 503), retry 1 of 6 in "),
        "{err}"
    );
    assert!(
        err.lines().last().is_some_and(|l| l
            == "zscore audit: gave up after 2.0 s: the command's time budget ran out (--timeout sets it) (last: HTTP 503)"),
        "{err}"
    );
    assert!(hits.load(std::sync::atomic::Ordering::SeqCst) > 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tui_shows_retries_in_its_status_bar() {
    let (url, _) = scripted(Arc::new(|_| {
        Act::Json(
            StatusCode::SERVICE_UNAVAILABLE,
            r#"{"code":"INTERNAL_ERROR","details":{},"message":"down","status":"error"}"#,
        )
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("run.sh");
    std::fs::write(
        &script,
        format!(
            "ZSCORE_CONFIG_DIR='{dir}/config' ZSCORE_DATA_DIR='{dir}/data' '{bin}' --sandbox-url '{url}'\nsleep 600\n",
            dir = dir.path().display(),
            bin = env!("CARGO_BIN_EXE_zscore"),
        ),
    )
    .unwrap();
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start("retries", &script);
        tmux.wait_for(&["Zoho is not answering (HTTP 503), retry "]);
        tmux.keys(&["q"]);
    })
    .await
    .unwrap();
}
