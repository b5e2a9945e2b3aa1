//! The TUI's progressive load over real HTTP: the runner sends the module list first, then the
//! org and each module's schema and rules, and ends with the same snapshot the CLI's one-shot
//! load gives (both run `Client::load_snapshot_with`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tui::{Wired, next_msg};

use common::Harness;
use zscore::tui::effects::Effect;
use zscore::tui::event::Msg;
use zscore::tui::loading::Part;

#[tokio::test(flavor = "multi_thread")]
async fn parts_arrive_modules_first_and_end_in_the_whole_snapshot() {
    let h = Harness::start().await;
    let Wired {
        client,
        runner,
        mut rx,
        ..
    } = Wired::unjournaled(&h);
    runner.spawn(Effect::LoadSnapshot { request: 1 });
    let mut parts = Vec::new();
    let full = loop {
        let msg = next_msg(&mut rx).await;
        match msg {
            Msg::SnapshotPart { request: 1, part } => parts.push(part),
            Msg::SnapshotLoaded { request: 1, result } => break result.unwrap(),
            other => panic!("unexpected {other:?}"),
        }
    };
    // The module list comes before any module's schema (the org may race it).
    let list = parts
        .iter()
        .position(|p| matches!(p, Part::Modules(m) if m.len() == full.modules.len()))
        .unwrap();
    let first_schema = parts
        .iter()
        .position(|p| matches!(p, Part::Module { .. }))
        .unwrap();
    assert!(list < first_schema, "{parts:?}");
    assert_eq!(
        parts
            .iter()
            .filter(|p| matches!(p, Part::Org { .. }))
            .count(),
        1
    );
    let schemas: Vec<&str> = parts
        .iter()
        .filter_map(|p| match p {
            Part::Module { schema, .. } => Some(schema.module.api_name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(schemas.len(), full.modules.len(), "{schemas:?}");
    // Each module's part carries exactly that module's rules, and together they are all.
    let mut rules = 0;
    for p in &parts {
        if let Part::Module { schema, rules: r } = p {
            let name = &schema.module.api_name;
            assert!(r.iter().all(|x| &x.module.api_name == name));
            assert_eq!(r.len(), full.rules_of(name).count(), "{name}");
            rules += r.len();
        }
    }
    assert_eq!(rules, full.rules.len());
    assert_eq!(full, client.load_snapshot(None, &[]).await.unwrap());
}
