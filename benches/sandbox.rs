//! Sandbox figures: the time to build the demo org from its seed, p99 latency of the rule list
//! under 32 concurrent loopback clients, and the server time of executing all active Leads
//! rules over the seeded records.
//!
//! Run: `cargo bench --bench sandbox`. A bench binary rather than criterion: the figure wanted is
//! a latency percentile under concurrency, which criterion does not measure.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use serde_json::Value;
use zscore::sandbox::{RunningSandbox, SandboxOptions};

const CLIENTS: usize = 32;
const REQUESTS_PER_CLIENT: usize = 200;

#[tokio::main]
async fn main() {
    seed_time();
    let sandbox = RunningSandbox::start("127.0.0.1:0", SandboxOptions::default())
        .await
        .expect("sandbox");
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .build()
        .unwrap();
    let token = token(&http, &sandbox.url).await;
    let list = format!(
        "{}/crm/v8/settings/automation/scoring_rules?module=Leads",
        sandbox.url
    );

    // Warm up connections.
    for _ in 0..CLIENTS {
        http.get(&list)
            .header("Authorization", format!("Zoho-oauthtoken {token}"))
            .send()
            .await
            .unwrap();
    }
    let started = Instant::now();
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let http = http.clone();
            let url = list.clone();
            let auth = format!("Zoho-oauthtoken {token}");
            tokio::spawn(async move {
                let mut lat = Vec::with_capacity(REQUESTS_PER_CLIENT);
                for _ in 0..REQUESTS_PER_CLIENT {
                    let t = Instant::now();
                    let r = http
                        .get(&url)
                        .header("Authorization", &auth)
                        .send()
                        .await
                        .unwrap();
                    assert!(r.status().is_success());
                    r.bytes().await.unwrap();
                    lat.push(t.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut all: Vec<Duration> = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let wall = started.elapsed();
    all.sort();
    let pct = |p: f64| {
        all[((all.len() as f64 * p).ceil() as usize)
            .saturating_sub(1)
            .min(all.len() - 1)]
    };
    println!(
        "GET rule list, {CLIENTS} concurrent clients x {REQUESTS_PER_CLIENT}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, {:.0} req/s",
        ms(pct(0.50)),
        ms(pct(0.99)),
        ms(*all.last().unwrap()),
        all.len() as f64 / wall.as_secs_f64()
    );

    // Execution: all active Leads rules, server time as the job reports it.
    let mut times = Vec::new();
    let mut processed = 0;
    for _ in 0..10 {
        let r: Value = http
            .put(format!(
                "{}/crm/v8/Leads/actions/run_scoring_rules",
                sandbox.url
            ))
            .header("Authorization", format!("Zoho-oauthtoken {token}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let job = r["details"]["job_id"].as_str().expect("job id").to_string();
        loop {
            let s: Value = http
                .get(format!("{}/sandbox/v1/jobs/{job}", sandbox.url))
                .header("Authorization", format!("Zoho-oauthtoken {token}"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if s["state"] == "done" {
                times.push(s["elapsed_ms"].as_u64().unwrap());
                processed = s["processed"].as_u64().unwrap();
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
    times.sort();
    println!(
        "execute all active Leads rules over {processed} recent records: median {} ms, max {} ms server time (10 runs)",
        times[times.len() / 2],
        times.last().unwrap()
    );
    sandbox.stop().await.unwrap();
}

/// Building the demo org (its records generated) is part of every sandbox start.
fn seed_time() {
    let now = chrono::Utc::now();
    let mut times = Vec::new();
    let mut records = 0;
    for _ in 0..10 {
        let t = Instant::now();
        let org = zscore::sandbox::seed::load_embedded(now).expect("the demo seed");
        times.push(t.elapsed());
        records = org.records.values().map(Vec::len).sum::<usize>();
    }
    times.sort();
    println!(
        "build the demo org ({records} records): median {:.1} ms, max {:.1} ms (10 runs)",
        ms(times[times.len() / 2]),
        ms(*times.last().unwrap())
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn token(http: &reqwest::Client, base: &str) -> String {
    let v: Value = http
        .post(format!("{base}/oauth/v2/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=refresh_token&client_id=b&client_secret=b&refresh_token=b")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["access_token"].as_str().unwrap().to_string()
}
