//! Drawing one TUI frame with 500 rules in the open layout, and one with the large org loaded
//! (`zscore sandbox --org large`: 104 modules, thousands of rules), on ratatui's TestBackend:
//! the cost of a keypress's redraw. Target: under 2 ms per frame at 160×48. Also the update a
//! key causes: `j` to the next rule, which works out that rule's detail and lint findings (they
//! are derived in update, once per change, so the frame only draws them).
//!
//! Run: `cargo bench --bench tui_render` (needs `[[bench]] name = "tui_render"`,
//! `harness = false` in Cargo.toml).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use chrono::TimeZone;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use zscore::domain::{Edition, Id, OrgSnapshot};
use zscore::sandbox::seed::large::LargeOrg;
use zscore::tui::action::Action;
use zscore::tui::app::{App, Source};
use zscore::tui::event::Msg;
use zscore::tui::view::{self, Theme};

const RULES: usize = 500;

/// The demo org with its Leads / Standard layout grown to 500 rules (copies of its own, each
/// with its own id and name), so the list, the detail and the usage all have real work.
fn big_org() -> OrgSnapshot {
    let now = chrono::Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
    let mut snap = zscore::sandbox::seed::load_embedded(now)
        .unwrap()
        .snapshot(Edition::Enterprise);
    let templates: Vec<_> = snap
        .rules
        .iter()
        .filter(|r| r.module.api_name == "Leads" && r.layout.is_some())
        .cloned()
        .collect();
    let standard = templates[0].layout.clone();
    let have = snap
        .rules
        .iter()
        .filter(|r| r.module.api_name == "Leads" && r.layout == standard)
        .count();
    for i in 0..RULES - have {
        let mut r = templates[i % templates.len()].clone();
        r.id = Some(Id::new(format!("99{i:08}")));
        r.name = format!("{} {i}", r.name);
        r.layout = standard.clone();
        r.active = i % 3 == 0;
        snap.rules.push(r);
    }
    snap
}

/// The large org's metadata and rules (its records play no part in drawing).
fn large_org() -> OrgSnapshot {
    let now = chrono::Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
    let spec = LargeOrg {
        leads: 10,
        records_per_module: 1,
        ..LargeOrg::full(LargeOrg::DEFAULT_SEED)
    };
    zscore::sandbox::seed::load_large(&spec, now)
        .unwrap()
        .snapshot(Edition::Ultimate)
}

fn loaded(snap: OrgSnapshot) -> App {
    let mut app = App::new(Source {
        label: "built-in sandbox".into(),
        sandbox: true,
    });
    app.start();
    app.update(Msg::SnapshotLoaded {
        request: 1,
        result: Ok(snap),
    });
    app
}

/// The large org with the cursor on the last module's last layout's rules.
fn large_app() -> App {
    let mut app = loaded(large_org());
    for _ in 0..103 {
        app.act(Action::SelectNext);
    }
    app.act(Action::FocusNext);
    for _ in 0..6 {
        app.act(Action::SelectNext);
    }
    app.act(Action::FocusNext);
    app.act(Action::SelectNext);
    assert!(!app.rules().is_empty());
    app
}

fn app() -> App {
    let mut app = loaded(big_org());
    // Leads → Standard → the rules, cursor half-way down the list.
    app.act(Action::FocusNext);
    app.act(Action::SelectNext);
    app.act(Action::FocusNext);
    for _ in 0..RULES / 2 {
        app.act(Action::SelectNext);
    }
    assert_eq!(app.rules().len(), RULES);
    app
}

fn bench(c: &mut Criterion) {
    let large = large_app();
    for (w, h) in [(160u16, 48u16), (80, 24)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        c.bench_function(&format!("draw the large org {w}x{h}"), |b| {
            b.iter(|| {
                terminal
                    .draw(|f| view::draw(f, black_box(&large), Theme { color: true }))
                    .unwrap();
            })
        });
    }
    let mut app = app();
    for (w, h) in [(160u16, 48u16), (80, 24)] {
        // The app lays its views out for the terminal's size, as the real loop tells it.
        app.update(Msg::Resize {
            width: w,
            height: h,
        });
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        c.bench_function(&format!("draw {RULES} rules {w}x{h}"), |b| {
            b.iter(|| {
                terminal
                    .draw(|f| view::draw(f, black_box(&app), Theme { color: true }))
                    .unwrap();
            })
        });
    }
    c.bench_function(&format!("update: j / k among {RULES} rules"), |b| {
        b.iter(|| {
            black_box(app.act(Action::SelectNext));
            black_box(app.act(Action::SelectPrev));
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
