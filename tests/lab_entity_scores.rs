//! Fetching entity scores for a preview sample: the list path with `ids` takes a request per
//! hundred records instead of one per record, and gives the same rows. Requests are counted
//! by a small proxy between the client and the sandbox.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::Harness;
use common::proxy::{self, Gate};
use zscore::api::{Client, ClientConfig};
use zscore::domain::Id;
use zscore::lab::sample::{fetch_rows, fetch_rows_one_by_one, fetch_sample};

/// Requests seen by the proxy, by kind.
#[derive(Default)]
struct Counts {
    list: AtomicUsize,
    per_record: AtomicUsize,
    other: AtomicUsize,
}

/// A proxy that counts: `counts.list` for the bulk entity-score path, `per_record` for the
/// one-record path, `other` for everything else.
struct Counted {
    counts: Counts,
}

async fn proxy(upstream: &str) -> (String, Arc<Counted>) {
    let counted = Arc::new(Counted {
        counts: Counts::default(),
    });
    let seen = Arc::clone(&counted);
    let url = proxy::start(upstream, move |_, path| {
        let path = path.split('?').next().unwrap_or(path);
        let counter = if path == "/crm/v8/Entity_Scores__s" {
            &seen.counts.list
        } else if path.contains("Entity_Scores__s") {
            &seen.counts.per_record
        } else {
            &seen.counts.other
        };
        counter.fetch_add(1, Ordering::SeqCst);
        Gate::Forward
    })
    .await;
    (url, counted)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_2000_record_sample_fetches_scores_in_few_requests() {
    let h = Harness::start().await;
    let (url, counted) = proxy(&h.sandbox.url).await;
    let client = Client::new(ClientConfig::sandbox(&url)).unwrap();
    let snapshot = client
        .load_snapshot(None, &["Leads".to_string()])
        .await
        .unwrap();
    let schema = snapshot.module("Leads").unwrap();
    let rules: Vec<_> = snapshot.rules_of("Leads").cloned().collect();
    let before = counted.counts.other.load(Ordering::SeqCst);
    assert!(before > 0, "the snapshot went through the proxy");
    let sample = fetch_sample(&client, schema, &rules, 2_000).await.unwrap();
    assert_eq!(
        sample.len(),
        2_000,
        "the seeded org has 2,000 Leads to sample"
    );
    assert!(sample.iter().filter(|s| !s.rows.is_empty()).count() > 100);
    let list = counted.counts.list.load(Ordering::SeqCst);
    let per_record = counted.counts.per_record.load(Ordering::SeqCst);
    let records = counted.counts.other.load(Ordering::SeqCst) - before;
    assert_eq!(
        per_record, 0,
        "no per-record requests when the list path works"
    );
    // 20 chunks of 100 ids, each one page or a few (200 rows a page).
    assert!(
        (20..=80).contains(&list),
        "{list} entity-score requests for 2,000 records (was 2,000)"
    );
    eprintln!("2,000 records: {records} record requests, {list} entity-score requests");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_path_gives_each_record_the_rows_the_record_path_gives() {
    let h = Harness::start().await;
    let (url, counted) = proxy(&h.sandbox.url).await;
    let client = Client::new(ClientConfig::sandbox(&url)).unwrap();
    let snapshot = client
        .load_snapshot(None, &["Leads".to_string()])
        .await
        .unwrap();
    let schema = snapshot.module("Leads").unwrap();
    let raw = zscore::lab::sample::fetch_records(&client, schema, &[], 250)
        .await
        .unwrap();
    let ids: Vec<Id> = raw
        .iter()
        .filter_map(|(v, _)| Some(Id::new(v.get("id")?.as_str()?)))
        .collect();
    assert_eq!(ids.len(), 250);
    let listed = fetch_rows(&client, "Leads", &ids).await.unwrap();
    assert_eq!(counted.counts.per_record.load(Ordering::SeqCst), 0);
    let one_by_one = fetch_rows_one_by_one(&client, "Leads", &ids).await.unwrap();
    assert_eq!(counted.counts.per_record.load(Ordering::SeqCst), 250);
    let nonempty = |m: &std::collections::HashMap<Id, _>| {
        let mut v: Vec<_> = m
            .iter()
            .filter(|(_, rows): &(_, &std::collections::HashMap<Id, _>)| !rows.is_empty())
            .map(|(id, rows)| (id.clone(), rows.clone()))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    let listed = nonempty(&listed);
    assert!(listed.len() > 20, "some sampled records have scores");
    assert_eq!(listed, nonempty(&one_by_one));
}

/// The TUI's preview shows which step a sample is at: `fetch_sample_with` says so as each
/// starts, and fetches what `fetch_sample` does.
#[tokio::test(flavor = "multi_thread")]
async fn fetching_a_sample_reports_each_phase_as_it_starts() {
    use std::sync::Mutex;
    use zscore::lab::sample::{SamplePhase, fetch_sample_with, fields_for};
    let h = Harness::start().await;
    let client = Client::new(ClientConfig::sandbox(&h.sandbox.url)).unwrap();
    let snapshot = client
        .load_snapshot(None, &["Leads".to_string()])
        .await
        .unwrap();
    let schema = snapshot.module("Leads").unwrap();
    let rules: Vec<_> = snapshot.rules_of("Leads").cloned().collect();
    let phases = Mutex::new(Vec::new());
    let sample = fetch_sample_with(&client, schema, &fields_for(&rules, schema), 300, |p| {
        phases.lock().unwrap().push(p)
    })
    .await
    .unwrap();
    assert_eq!(
        phases.into_inner().unwrap(),
        [
            SamplePhase::Records { limit: 300 },
            SamplePhase::Rows { records: 300 }
        ]
    );
    let plain = fetch_sample(&client, schema, &rules, 300).await.unwrap();
    let ids = |s: &[zscore::lab::preview::SampleRecord]| -> Vec<_> {
        s.iter().map(|r| r.record.id.clone()).collect()
    };
    assert_eq!(ids(&sample), ids(&plain));
}
