//! The large org's shape over HTTP (`zscore sandbox --org large`, here with a few records per
//! module: records play no part in loading): the client loads it with Ultimate's 25 calls in
//! flight and never trips the sandbox's concurrency cap.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::Ordering;
use std::time::Duration;

use zscore::api::{Client, ClientConfig};
use zscore::domain::Edition;
use zscore::sandbox::seed::large::LargeOrg;
use zscore::sandbox::{RunningSandbox, SandboxOptions};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_large_org_loads_at_ultimates_concurrency_without_a_429() {
    let sb = RunningSandbox::start(
        "127.0.0.1:0",
        SandboxOptions {
            edition: Edition::Ultimate,
            large_org: Some(LargeOrg {
                leads: 50,
                records_per_module: 3,
                ..LargeOrg::full(LargeOrg::DEFAULT_SEED)
            }),
            latency: Duration::from_millis(20),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let client = Client::new(ClientConfig::sandbox(&sb.url)).unwrap();
    let snap = client.load_snapshot(None, &[]).await.unwrap();
    assert_eq!(snap.edition, Edition::Ultimate);
    assert_eq!(snap.modules.len(), 104);
    assert!(snap.modules.iter().all(|m| m.layouts.len() == 7));
    assert_eq!(snap.rules.len(), sb.state.read_org().rules.len());
    assert_eq!(sb.state.throttled.load(Ordering::Relaxed), 0, "no 429");
    let peak = sb.state.peak_in_flight.load(Ordering::Relaxed);
    assert!(
        peak > 20 && peak <= 25,
        "Ultimate's 25 in flight, not more: {peak}"
    );
    assert_eq!(client.in_flight_limit(), 25);
}
