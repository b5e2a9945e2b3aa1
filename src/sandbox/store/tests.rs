#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};

use super::*;
use crate::sandbox::seed;

/// The seeded history is scored in place, without an execution's copies; it must still give
/// exactly the rows (ids included) that executing every active rule over every record gives.
#[test]
fn seeded_history_equals_executing_every_active_rule() {
    let now = Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap();
    let fresh = || Org::from_seed(seed::load_embedded(now).unwrap(), Edition::Enterprise, now);

    let mut history = fresh();
    history.score_history(now);
    assert!(
        history.take_changes().scores.is_empty(),
        "history is not a change"
    );

    let mut executed = fresh();
    let modules: Vec<String> = executed
        .modules
        .iter()
        .map(|m| m.api_name().to_string())
        .collect();
    for module in modules {
        let ids: Vec<Id> = executed
            .rules
            .values()
            .filter(|r| r.active && r.module.api_name == module)
            .filter_map(|r| r.id.clone())
            .collect();
        if ids.is_empty() {
            continue;
        }
        let run = executed.plan_run(&module, &ids, now, true).unwrap();
        let results = run.compute(0..run.total());
        executed.store_scores(&module, results);
    }

    let rows: usize = history.modules.iter().map(|m| m.scores.len()).sum();
    assert!(rows > 1_000, "the demo org starts out scored ({rows} rows)");
    assert_eq!(history.next_id(), executed.next_id());
    for (h, e) in history.modules.iter().zip(&executed.modules) {
        assert_eq!(h.scores, e.scores, "{}", h.api_name());
    }
}
