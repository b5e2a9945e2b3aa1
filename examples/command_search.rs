//! What the rules pane's `/` filter and the `:` command line cost per key on the large org
//! (`zscore sandbox --org large`: 104 modules, thousands of rules): the app's update for one
//! typed character plus drawing the frame at 160x48. The searchable text of every rule is
//! built once per snapshot, on the first key that wants it; that one-off is reported apart.
//! The target: at most 2 ms per key for `/` typing.
//! Run: `cargo run --release --example command_search` (a debug build gives an upper bound).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use chrono::TimeZone;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use zscore::domain::{Edition, OrgSnapshot};
use zscore::sandbox::seed::large::LargeOrg;
use zscore::tui::app::{App, Source};
use zscore::tui::event::Msg;
use zscore::tui::view::{self, Theme};

const ROUNDS: usize = 20;

fn large_org() -> OrgSnapshot {
    let now = chrono::Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
    let spec = LargeOrg {
        leads: 10,
        records_per_module: 1,
        ..LargeOrg::full(LargeOrg::DEFAULT_SEED)
    };
    match zscore::sandbox::seed::load_large(&spec, now) {
        Ok(org) => org.snapshot(Edition::Ultimate),
        Err(e) => panic!("the large org does not load: {e}"),
    }
}

fn key(app: &mut App, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// Times typing `text` one key at a time (update and a frame each), `ROUNDS` times, erasing
/// it between rounds; returns every key's time, and that of its update alone.
fn per_key(
    app: &mut App,
    text: &str,
    term: &mut Terminal<TestBackend>,
) -> (Vec<Duration>, Vec<Duration>) {
    let mut times = Vec::new();
    let mut updates = Vec::new();
    for _ in 0..ROUNDS {
        for c in text.chars() {
            let t = Instant::now();
            key(app, KeyCode::Char(c));
            updates.push(t.elapsed());
            let _ = term.draw(|f| view::draw(f, app, Theme { color: true }));
            times.push(t.elapsed());
        }
        for _ in text.chars() {
            key(app, KeyCode::Backspace);
        }
    }
    times.sort();
    updates.sort();
    (times, updates)
}

fn report(what: &str, times: &[Duration]) {
    let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!(
        "{what}: median {:?}, p95 {:?}, max {:?} ({} keys)",
        at(0.5),
        at(0.95),
        at(1.0),
        times.len()
    );
}

fn main() {
    let snap = large_org();
    // The largest layout bucket: the most rules `/` goes through per key.
    let mut buckets = std::collections::HashMap::new();
    for r in &snap.rules {
        *buckets
            .entry((r.module.api_name.clone(), r.layout_id().cloned()))
            .or_insert(0usize) += 1;
    }
    let Some(((module, layout), most)) = buckets.into_iter().max_by_key(|(_, n)| *n) else {
        panic!("no rules");
    };
    let Some(target) = snap
        .rules
        .iter()
        .find(|r| r.module.api_name == module && r.layout_id() == layout.as_ref())
        .map(|r| r.name.clone())
    else {
        panic!("no rule in the largest bucket");
    };
    println!(
        "large org: {} modules, {} rules; largest bucket {module} with {most} rules",
        snap.modules.len(),
        snap.rules.len()
    );
    let mut app = App::new(Source {
        label: "bench".into(),
        sandbox: true,
    });
    app.start();
    app.update(Msg::Resize {
        width: 160,
        height: 48,
    });
    app.update(Msg::SnapshotLoaded {
        request: 1,
        result: Ok(snap),
    });
    let mut term = Terminal::new(TestBackend::new(160, 48)).unwrap();

    // `:` builds the search text of every rule once (the snapshot is new).
    let t = Instant::now();
    key(&mut app, KeyCode::Char(':'));
    println!(
        "first ':' (builds the search text of every rule): {:?}",
        t.elapsed()
    );
    let (typing, updates) = per_key(&mut app, &target, &mut term);
    report(
        "':' typing a rule's name (fuzzy over commands and every rule)",
        &typing,
    );
    report("  of which the update", &updates);
    // Jump into the largest bucket: Enter on the rule typed.
    typed(&mut app, &target);
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.rules().len(),
        most,
        "the jump lands in the largest bucket"
    );

    key(&mut app, KeyCode::Char('/'));
    let (filter, updates) = per_key(&mut app, "industry", &mut term);
    report(
        &format!("'/' typing in the rules pane ({most} rules: names, descriptions, criteria)"),
        &filter,
    );
    report("  of which the update", &updates);
    key(&mut app, KeyCode::Esc);

    let t = Instant::now();
    typed(&mut app, ":find industry");
    key(&mut app, KeyCode::Enter);
    println!(
        ":find industry over every rule (typing and Enter): {:?}",
        t.elapsed()
    );
}
