//! `m` on marked rules, driven by keys into the app with its effects run against the sandbox
//! over HTTP: two Leads / Standard rules marked, moved to another layout in one go (each as a
//! copy, delete, rename and, if it was active, activate), then `u` brings both back as one
//! change.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Harness;
use common::tui::Live;
use crossterm::event::KeyCode;
use zscore::tui::app::Popup;

/// Every Leads rule as the API lists it: name → (layout id, active).
async fn leads(h: &Harness) -> std::collections::BTreeMap<String, (String, bool)> {
    let list = h.get(&format!("{}?module=Leads", common::RULES)).await;
    list.body["scoring_rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_string(),
                (
                    r["layout"]["id"].as_str().unwrap_or_default().to_string(),
                    r["active"].as_bool() == Some(true),
                ),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn marked_rules_move_to_another_layout_and_u_brings_them_all_back() {
    let h = Harness::start().await;
    let (standard, _) = h.layout("Leads", "Standard").await;
    let before = leads(&h).await;
    let mut live = Live::start(&h).await;

    // Leads → Standard, the first two rules marked.
    live.key(KeyCode::Enter).await;
    live.typed("j").await;
    live.key(KeyCode::Enter).await;
    live.typed(" j ").await;
    let names: Vec<String> = live
        .app
        .marks
        .rules(live.app.snapshot.as_ref().unwrap())
        .iter()
        .map(|r| r.name.clone())
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.iter().all(|n| before[n].0 == standard), "{names:?}");

    // m: the layouts that take both; the first, its steps, y.
    live.typed("m").await;
    let Some(Popup::Move(d)) = &live.app.popup else {
        panic!("no move dialog: {:?}", live.app.notice);
    };
    let pick = d
        .targets
        .iter()
        .position(|t| t.refusal.is_none())
        .expect("a layout takes both");
    let target = d.targets[pick].clone();
    for _ in 0..pick {
        live.typed("j").await;
    }
    live.key(KeyCode::Enter).await;
    live.typed("y").await;
    let notice = live.app.notice.as_ref().map(|n| n.text.clone()).unwrap();
    assert!(
        notice.starts_with(&format!("moved 2 rules from Standard to {}", target.label)),
        "{notice}"
    );

    // Both are in the target layout under their own names, as active as they were (the
    // layout's limits allowing), and no temporary copy is left.
    let after = leads(&h).await;
    for n in &names {
        assert_eq!(after[n].0, target.id.to_string(), "{n}");
        if target.warning.is_none() {
            assert_eq!(after[n].1, before[n].1, "{n}");
        }
    }
    assert!(
        !after.keys().any(|n| n.starts_with("zscore-move")),
        "{after:?}"
    );
    assert_eq!(after.len(), before.len());

    // u undoes the whole move, as one change.
    live.typed("u").await;
    live.until(|app| matches!(&app.popup, Some(Popup::ConfirmUndo(c)) if c.plan.is_some()))
        .await;
    let undo = format!("{:?}", live.app.popup);
    assert!(undo.contains("the move of 2 rules to"), "{undo}");
    live.typed("y").await;
    let back = leads(&h).await;
    for n in &names {
        assert_eq!(back[n], before[n], "{n}");
    }
    assert_eq!(back.len(), before.len());
}
