//! Criteria edited as conditions plus a pattern, saved end to end through the real `Runner`
//! and HTTP to the sandbox, and read back through the API: a new pattern nests as typed, and
//! a save that leaves the criteria alone keeps them exactly as they were.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tui::Live;

use common::Harness;
use crossterm::event::KeyCode;
use serde_json::{Value, json};
use zscore::tui::form::target::Target;

/// Tab until `target` has the focus.
async fn tab_to(tui: &mut Live, target: Target) {
    for _ in 0..60 {
        if tui.form().focused() == target {
            return;
        }
        tui.key(KeyCode::Tab).await;
    }
    panic!("{target:?} is not an input");
}

/// Review and save, which must close the form.
async fn save(tui: &mut Live) {
    tui.review_and_save().await;
    assert!(tui.app.form.is_none(), "saved: {:?}", tui.app.notice);
}

/// A condition's field, comparator and value as the API answers them.
fn cond(c: &Value) -> (String, String, Value) {
    (
        c["field"]["api_name"].as_str().unwrap().to_string(),
        c["comparator"].as_str().unwrap().to_string(),
        c["value"].clone(),
    )
}

#[tokio::test]
async fn a_new_pattern_is_saved_with_the_nesting_it_says() {
    let h = Harness::start().await;
    let mut tui = Live::start(&h).await;
    let id = tui.edit_enterprise_fit().await;
    let before = h.rule(&id).await["field_rules"][0]["criteria"].clone();
    assert_eq!(before["group_operator"], "OR");

    tab_to(&mut tui, Target::Pattern(0)).await;
    tui.clear_and_type("(1 OR 2) AND 3").await;
    save(&mut tui).await;

    let after = h.rule(&id).await["field_rules"][0]["criteria"].clone();
    assert_eq!(after["group_operator"], "AND", "{after:#}");
    let or = &after["group"][0];
    assert_eq!(or["group_operator"], "OR", "{after:#}");
    assert_eq!(cond(&or["group"][0]), cond(&before["group"][0]));
    assert_eq!(cond(&or["group"][1]), cond(&before["group"][1]["group"][0]));
    assert_eq!(
        cond(&after["group"][1]),
        cond(&before["group"][1]["group"][1])
    );
}

#[tokio::test]
async fn saving_a_score_leaves_nested_criteria_exactly_as_they_were() {
    let h = Harness::start().await;
    let mut tui = Live::start(&h).await;
    let id = tui.edit_enterprise_fit().await;
    let before = h.rule(&id).await;

    tab_to(&mut tui, Target::Score(0)).await;
    tui.clear_and_type("30").await;
    save(&mut tui).await;

    let after = h.rule(&id).await;
    assert_eq!(after["field_rules"][0]["score"], json!(30));
    assert_eq!(
        after["field_rules"][0]["criteria"],
        before["field_rules"][0]["criteria"]
    );
    // And a condition's value edited inside the nested group lands there, nowhere else.
    let mut tui = Live::start(&h).await;
    tui.edit_enterprise_fit().await;
    tab_to(&mut tui, Target::Value(0, 1)).await;
    tui.clear_and_type("Director").await;
    save(&mut tui).await;
    let edited = h.rule(&id).await["field_rules"][0]["criteria"].clone();
    let mut expected = before["field_rules"][0]["criteria"].clone();
    expected["group"][1]["group"][0]["value"] = json!("Director");
    assert_eq!(edited, expected);
}
