//! Times the batch evaluator on the benchmark's fixture, phase by phase (`cargo run --release
//! --example batch_timing`): a quick look without criterion's statistics.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/evaluator/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;

use std::time::Instant;

use zscore::domain::evaluate::CompiledRule;
use zscore::domain::evaluate::batch::Batch;

fn main() {
    let schema = fixtures::schema();
    let recs = fixtures::records(100_000);
    let rules: Vec<CompiledRule> = (0..20)
        .map(|k| CompiledRule::compile(&fixtures::wide_rule(k), &schema, &fixtures::ctx()))
        .collect();
    let t = Instant::now();
    let cpu = cpu_ns();
    let mut batch = Batch::new(&recs);
    batch.prepare(&rules);
    eprintln!(
        "columns read in {:?} wall, {:.1} ms cpu",
        t.elapsed(),
        (cpu_ns() - cpu) as f64 / 1e6
    );
    for round in 0..5 {
        batch.forget_results();
        let t = Instant::now();
        let cpu = cpu_ns();
        let mut scores = Vec::new();
        let mut total = 0i64;
        let mut per_rule = Vec::new();
        for r in &rules {
            let s = Instant::now();
            batch.score_into(r, &mut scores);
            total = scores.iter().fold(total, |t, s| t.wrapping_add(s.total()));
            per_rule.push(s.elapsed().as_micros());
        }
        eprintln!(
            "round {round}: {:?} wall, {:.1} ms cpu; total {total}; per rule µs {per_rule:?}",
            t.elapsed(),
            (cpu_ns() - cpu) as f64 / 1e6
        );
    }
}

/// This thread's time on a CPU (the machine is shared, so wall time overstates).
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}
