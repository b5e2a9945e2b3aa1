//! The execution job: chunks of five, `ALREADY_SCHEDULED` waited out, jobs followed to done.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use tokio::sync::{mpsc, watch};
use zscore::api::{Client, ClientConfig, ExecTarget, RuleFilter};
use zscore::jobs::execute::{ChunkState, ExecEvent, ExecPlan, run};
use zscore::sandbox::{RunningSandbox, SandboxOptions};

#[tokio::test]
async fn a_busy_layout_is_retried_until_its_job_is_done() {
    let sb = RunningSandbox::start(
        "127.0.0.1:0",
        SandboxOptions {
            job_chunk_delay: Duration::from_millis(300),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let client = Client::new(ClientConfig::sandbox(&sb.url)).unwrap();
    let layout = client.layouts("Leads").await.unwrap()[0].id.clone();
    // A first job holds the layout's rules for a few seconds.
    let first = client
        .execute("Leads", &ExecTarget::Layout(layout.clone()))
        .await
        .unwrap();
    assert!(first[0].is_ok());

    let (tx, mut rx) = mpsc::unbounded_channel();
    let (_stop, stop_rx) = watch::channel(false);
    let summary = run(
        client.clone(),
        ExecPlan::layout("Leads", layout),
        tx,
        stop_rx,
    )
    .await;
    let mut events = Vec::new();
    while let Ok(e) = rx.try_recv() {
        events.push(e);
    }
    assert!(
        matches!(summary.chunks[0], ChunkState::Scheduled(_)),
        "{summary:?}"
    );
    assert!(
        events.iter().any(|e| matches!(
            e,
            ExecEvent::Chunk {
                state: ChunkState::Retrying(..),
                ..
            }
        )),
        "it waited for the running job: {events:?}"
    );
    let last_job = events.iter().rev().find_map(|e| match e {
        ExecEvent::Job {
            state,
            processed,
            total,
            ..
        } => Some((state.clone(), *processed, *total)),
        _ => None,
    });
    let (state, processed, total) = last_job.expect("job progress was reported");
    assert_eq!(state, "done");
    assert_eq!(processed, total);
}

#[tokio::test]
async fn twelve_rules_go_in_three_requests_and_a_stop_skips_the_rest() {
    let sb = RunningSandbox::start("127.0.0.1:0", SandboxOptions::default())
        .await
        .unwrap();
    let client = Client::new(ClientConfig::sandbox(&sb.url)).unwrap();
    let active = client
        .list_rules(&RuleFilter {
            active: Some(true),
            ..RuleFilter::module("Leads")
        })
        .await
        .unwrap();
    let ids: Vec<_> = active.iter().filter_map(|r| r.id.clone()).collect();
    let many: Vec<_> = ids.iter().cycle().take(12).cloned().collect();
    let plan = ExecPlan::rules("Leads", &many);
    assert_eq!(plan.chunks.len(), 3);

    let (tx, _rx) = mpsc::unbounded_channel();
    let (stop_tx, stop_rx) = watch::channel(false);
    stop_tx.send(true).unwrap();
    let summary = run(client, plan, tx, stop_rx).await;
    assert!(
        summary.chunks.iter().all(|s| *s == ChunkState::Skipped),
        "stopped before sending: {summary:?}"
    );
}

/// Esc in the TUI sets the stop switch: no further request is sent, but what Zoho already
/// scheduled runs on, so the run keeps following it to the end instead of going quiet.
#[tokio::test]
async fn a_stop_after_scheduling_still_follows_the_job_to_the_end() {
    let sb = RunningSandbox::start(
        "127.0.0.1:0",
        SandboxOptions {
            job_chunk_delay: Duration::from_millis(200),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let client = Client::new(ClientConfig::sandbox(&sb.url)).unwrap();
    let layout = client.layouts("Leads").await.unwrap()[0].id.clone();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (stop_tx, stop_rx) = watch::channel(false);
    let worker = tokio::spawn(run(
        client.clone(),
        ExecPlan::layout("Leads", layout),
        tx,
        stop_rx,
    ));
    let mut events = Vec::new();
    while let Some(e) = rx.recv().await {
        if matches!(
            e,
            ExecEvent::Chunk {
                state: ChunkState::Scheduled(_),
                ..
            }
        ) {
            stop_tx.send(true).unwrap();
        }
        events.push(e);
    }
    let summary = worker.await.unwrap();
    assert!(
        matches!(summary.chunks[0], ChunkState::Scheduled(_)),
        "{summary:?}"
    );
    let last_job = events.iter().rev().find_map(|e| match e {
        ExecEvent::Job {
            state,
            processed,
            total,
            ..
        } => Some((state.clone(), *processed, *total)),
        _ => None,
    });
    let (state, processed, total) = last_job.expect("the job was followed after the stop");
    assert_eq!(state, "done", "{events:?}");
    assert_eq!(processed, total);
}
