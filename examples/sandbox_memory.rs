//! Where the built-in sandbox's memory goes: RSS (from /proc/self/status) after each stage of
//! building the demo org, and an estimate of the bytes its records and entity scores hold.
//!
//! `cargo run --release --example sandbox_memory` (Linux only: it reads /proc); with `-- large`,
//! the large org (`zscore sandbox --org large`) instead.

use std::collections::HashSet;
use std::mem::size_of;
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use zscore::domain::record::LookupValue;
use zscore::domain::{Edition, FieldValue};
use zscore::sandbox::seed;
use zscore::sandbox::store::Org;

fn status(key: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .map(|l| l[key.len() + 1..].trim().to_string())
        })
        .unwrap_or_else(|| "?".into())
}

fn stage(name: &str, started: Instant) {
    println!(
        "{name:<24} VmRSS {:>10}  VmHWM {:>10}  at {:>6.1} ms",
        status("VmRSS"),
        status("VmHWM"),
        started.elapsed().as_secs_f64() * 1e3
    );
}

/// Heap bytes behind a value, counting each shared allocation once (`seen` holds the
/// addresses already counted): what malloc holds for it, give or take its headers.
fn value_heap(v: &FieldValue, seen: &mut HashSet<usize>) -> usize {
    const ARC_COUNTS: usize = 16;
    let mut once = |addr: usize, bytes: usize| if seen.insert(addr) { bytes } else { 0 };
    match v {
        FieldValue::Text(s) => once(s.as_ptr() as usize, ARC_COUNTS + s.len()),
        FieldValue::Multi(list) => {
            let own = ARC_COUNTS + list.len() * size_of::<Arc<str>>();
            let items: usize = list
                .iter()
                .map(|s| once(s.as_ptr() as usize, ARC_COUNTS + s.len()))
                .sum();
            once(list.as_ptr() as usize, own) + items
        }
        FieldValue::Lookup(l) => once(
            Arc::as_ptr(l) as usize,
            ARC_COUNTS + size_of::<LookupValue>() + l.id.as_str().len() + l.name.len(),
        ),
        FieldValue::MultiLookup(list) => once(
            list.as_ptr() as usize,
            ARC_COUNTS
                + list
                    .iter()
                    .map(|l| size_of::<LookupValue>() + l.id.as_str().len() + l.name.len())
                    .sum::<usize>(),
        ),
        _ => 0,
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    stage("start", started);
    let now = Utc::now();
    let large = std::env::args().any(|a| a == "large");
    let (seed, edition) = if large {
        let spec = seed::large::LargeOrg::full(seed::large::LargeOrg::DEFAULT_SEED);
        (seed::load_large(&spec, now)?, Edition::Ultimate)
    } else {
        (seed::load_embedded(now)?, Edition::Enterprise)
    };
    stage("seed loaded", started);
    let mut org = Org::from_seed(seed, edition, now);
    stage("org built", started);
    org.score_history(now);
    stage("history scored", started);
    let _ = org.take_changes();
    stage("changes dropped", started);
    // What executing a module's active rules adds (the TUI's `X`), as the sandbox runs it.
    let leads: Vec<_> = org
        .rules
        .values()
        .filter(|r| r.active && r.module.api_name == "Leads")
        .filter_map(|r| r.id.clone())
        .collect();
    if let Some(run) = org.plan_run("Leads", &leads, now, false) {
        let results = run.compute(0..run.total());
        org.store_scores("Leads", results);
    }
    let _ = org.take_changes();
    stage("Leads executed", started);

    let mut records = 0usize;
    let mut values = 0usize;
    let mut heap = 0usize;
    let mut scores = 0usize;
    let mut seen = HashSet::new();
    for (i, m) in org.modules.iter().enumerate() {
        let mut m_heap = 0usize;
        for r in m.records.iter() {
            m_heap += std::mem::size_of_val(r)
                + r.id.as_str().len()
                + r.values.capacity() * size_of::<FieldValue>()
                + r.values
                    .iter()
                    .map(|v| value_heap(v, &mut seen))
                    .sum::<usize>()
                + r.signals.capacity() * 32
                + r.signals
                    .iter()
                    .map(|s| s.namespace.capacity())
                    .sum::<usize>();
            values += r.values.len();
        }
        records += m.records.len();
        scores += m.scores.len();
        heap += m_heap;
        if i >= 6 {
            continue; // the large org's custom modules are alike: the first few tell
        }
        println!(
            "{:<12} {:>6} records × {:>3} fields  ≈ {:>6} KiB   {:>6} score rows",
            m.api_name(),
            m.records.len(),
            m.schema.fields.len(),
            m_heap / 1024,
            m.scores.len()
        );
    }
    if org.modules.len() > 6 {
        println!("… and {} more modules", org.modules.len() - 6);
    }
    println!(
        "total: {records} records, {values} values, ≈ {} KiB of record data; {scores} score rows; FieldValue is {} bytes",
        heap / 1024,
        size_of::<FieldValue>()
    );
    Ok(())
}
