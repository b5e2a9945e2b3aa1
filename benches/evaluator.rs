//! Criterion benchmarks of `CompiledRule::score`.
//!
//! Product target: ≥ 20 million leaf-condition evaluations per second on one core. Throughput
//! is reported in leaves actually evaluated: the count comes from
//! `CompiledRule::leaves_evaluated`, which walks the same jump program as `score`, so
//! short-circuiting cannot inflate it. The per-kind groups use 20 one-condition field rules, so
//! every leaf runs on every record.
//!
//! The target: 20 rules × 30 conditions over 100,000 records in under 50 ms on one
//! core. `batch, 1 thread` measures it with the columnar `Batch` over records already read into
//! columns (`batch: read columns` is that one-off read, paid once per fetched sample);
//! `1 thread` / `2 threads` are the record-at-a-time evaluator.
//!
//! `cargo bench --bench evaluator`; the data is deterministic (SplitMix64, fixed seed).

#[path = "evaluator/fixtures.rs"]
mod fixtures;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::json;
use zscore::domain::evaluate::batch::Batch;
use zscore::domain::evaluate::{CompiledRule, RuleScore};
use zscore::domain::record::Record;
use zscore::domain::rule::ScoringRule;

use fixtures::{INDUSTRIES, SOURCES, c, ctx, flat_rule, records, schema, wide_rule};

fn evaluated(rules: &[CompiledRule], records: &[Record]) -> u64 {
    rules
        .iter()
        .map(|r| {
            records
                .iter()
                .map(|rec| r.leaves_evaluated(rec))
                .sum::<u64>()
        })
        .sum()
}

fn score_all(rules: &[CompiledRule], records: &[Record]) -> i64 {
    let mut total = 0i64;
    for rec in records {
        for r in rules {
            let s: RuleScore = r.score(black_box(rec));
            total = total.wrapping_add(s.total());
        }
    }
    total
}

/// The figure: records already in the batch's columnar form (read once per sample, as
/// the lab does; measured separately as `read columns`), every leaf test evaluated afresh
/// (`forget_results`), and every rule's per-record scores produced.
fn score_all_batch(batch: &mut Batch, rules: &[CompiledRule]) -> i64 {
    batch.forget_results();
    let mut scores = Vec::new();
    let mut total = 0i64;
    for r in rules {
        batch.score_into(r, &mut scores);
        total = scores.iter().fold(total, |t, s| t.wrapping_add(s.total()));
    }
    total
}

fn leaf_throughput(crit: &mut Criterion) {
    let schema = schema();
    let recs = records(10_000);
    let kinds: Vec<(&str, ScoringRule)> = vec![
        ("mixed 30 conditions, nested AND/OR", wide_rule(0)),
        (
            "picklist equal/in",
            flat_rule(|i| {
                if i % 2 == 0 {
                    c("Lead_Source", "equal", json!(SOURCES[i % SOURCES.len()]))
                } else {
                    c(
                        "Industry",
                        "in",
                        json!([INDUSTRIES[i % 5], INDUSTRIES[(i + 2) % 5]]),
                    )
                }
            }),
        ),
        (
            "text contains",
            flat_rule(|i| {
                let field = ["Designation", "Company", "Email", "City"][i % 4];
                c(
                    field,
                    "contains",
                    json!(["manager", "bank", "example", "ndon", "ö"][i % 5]),
                )
            }),
        ),
        (
            "number comparisons",
            flat_rule(|i| {
                let field = ["Annual_Revenue", "No_of_Employees", "Probability"][i % 3];
                match i % 4 {
                    0 => c(field, "greater_than", json!(i * 50)),
                    1 => c(field, "less_equal", json!(i * 500)),
                    2 => c(field, "between", json!([i, i * 100])),
                    _ => c(field, "in", json!([i, 2 * i, 3 * i])),
                }
            }),
        ),
        (
            "date ranges",
            flat_rule(|i| {
                let field = ["Last_Activity_Date", "Created_Time"][i % 2];
                let period = [
                    "${THISMONTH}",
                    "${LAST_N_DAYS:90}",
                    "${LASTYEAR}",
                    "${THISWEEK}",
                ][i % 4];
                match i % 3 {
                    0 => c(field, "equal", json!(period)),
                    1 => c(field, "greater_equal", json!(period)),
                    _ => c(field, "between", json!(["${LASTYEAR}", period])),
                }
            }),
        ),
    ];
    let mut group = crit.benchmark_group("leaf evaluations (10k records)");
    for (name, rule) in &kinds {
        let compiled = [CompiledRule::compile(rule, &schema, &ctx())];
        assert!(
            compiled[0].disrupted().is_empty(),
            "{name}: fixture does not resolve"
        );
        let leaves = evaluated(&compiled, &recs);
        eprintln!(
            "{name}: {} leaves/record on average ({} in the rule)",
            leaves as f64 / recs.len() as f64,
            compiled[0].leaf_count()
        );
        group.throughput(Throughput::Elements(leaves));
        group.bench_function(*name, |b| b.iter(|| score_all(&compiled, black_box(&recs))));
    }
    group.finish();
}

fn twenty_rules(crit: &mut Criterion) {
    let schema = schema();
    let recs = records(100_000);
    let rules: Vec<CompiledRule> = (0..20)
        .map(|k| CompiledRule::compile(&wide_rule(k), &schema, &ctx()))
        .collect();
    assert!(
        rules
            .iter()
            .all(|r| r.leaf_count() == 30 && r.disrupted().is_empty())
    );
    let leaves = evaluated(&rules, &recs);
    eprintln!(
        "20 rules × 30 conditions: {leaves} leaves evaluated over 100k records ({:.1}% of {})",
        100.0 * leaves as f64 / (600.0 * recs.len() as f64),
        600 * recs.len()
    );
    let mut group = crit.benchmark_group("20 rules × 30 conditions × 100k records");
    group.throughput(Throughput::Elements(leaves));
    group.bench_function("1 thread", |b| {
        b.iter(|| score_all(&rules, black_box(&recs)))
    });
    let mut batch = Batch::new(&recs);
    batch.prepare(&rules);
    assert_eq!(
        score_all_batch(&mut batch, &rules),
        score_all(&rules, &recs)
    );
    group.bench_function("batch, 1 thread", |b| {
        b.iter(|| score_all_batch(black_box(&mut batch), &rules))
    });
    group.bench_function("batch: read columns", |b| {
        b.iter(|| {
            let mut fresh = Batch::new(black_box(&recs));
            fresh.prepare(&rules);
            fresh.len()
        })
    });
    group.bench_function("2 threads", |b| {
        b.iter(|| {
            let (left, right) = recs.split_at(recs.len() / 2);
            std::thread::scope(|s| {
                let other = s.spawn(|| score_all(&rules, left));
                let mine = score_all(&rules, right);
                mine.wrapping_add(other.join().unwrap_or(0))
            })
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = leaf_throughput, twenty_rules
}
criterion_main!(benches);
