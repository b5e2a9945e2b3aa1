//! A save over another admin's change, end to end through the real `Runner` and HTTP to the
//! sandbox: the three-way view opens instead of a silent overwrite; re-applying keeps both
//! changes, and when both changed the same field, overwrite gives mine.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tui::Live;

use common::{Harness, RULES};
use crossterm::event::KeyCode;
use zscore::api::{Client, ClientConfig};
use zscore::domain::ScoringRule;
use zscore::tui::form::Stage;

async fn rule_named(h: &Harness, name: &str) -> Option<ScoringRule> {
    common::rule_named(
        &Client::new(ClientConfig::sandbox(&h.sandbox.url)).unwrap(),
        name,
    )
    .await
}

/// Leads → Standard → Enterprise Fit, in the form; `name` typed over its name if given, then
/// its first score set to 40.
async fn a_edits(tui: &mut Live, name: Option<&str>) {
    tui.edit_enterprise_fit().await;
    if let Some(name) = name {
        tui.clear_and_type(name).await;
    }
    tui.key(KeyCode::Tab).await;
    tui.key(KeyCode::Tab).await;
    tui.key(KeyCode::Backspace).await;
    tui.key(KeyCode::Backspace).await;
    tui.typed("40").await;
}

async fn b_changes(h: &Harness, id: &str, change: serde_json::Value) {
    let r = h
        .put(
            &format!("{RULES}/{id}"),
            Some(serde_json::json!({ "scoring_rules": [change] })),
        )
        .await;
    assert_eq!(r.code(0), "SUCCESS", "{}", r.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn re_applying_after_another_admins_description_change_keeps_both_changes() {
    let h = Harness::start().await;
    let id = rule_named(&h, "Enterprise Fit").await.unwrap().id.unwrap();
    let mut tui = Live::start(&h).await;
    a_edits(&mut tui, None).await;
    b_changes(
        &h,
        id.as_str(),
        serde_json::json!({"description": "B's words"}),
    )
    .await;

    tui.review_and_save().await;
    let Stage::Conflict(view) = &tui.form().stage else {
        panic!("no three-way view: {:?}", &tui.form().stage)
    };
    assert!(view.merge.merged.is_some());
    let now = rule_named(&h, "Enterprise Fit").await.unwrap();
    assert_eq!(now.field_rules[0].score, 25, "nothing was sent");

    tui.typed("r").await;
    assert_eq!(tui.app.form.as_ref().unwrap().data.description, "B's words");
    tui.review_and_save().await;
    assert!(tui.app.form.is_none(), "saved: {:?}", tui.app.notice);
    let now = rule_named(&h, "Enterprise Fit").await.unwrap();
    assert_eq!(now.field_rules[0].score, 40);
    assert_eq!(now.description.as_deref(), Some("B's words"));
}

#[tokio::test(flavor = "multi_thread")]
async fn when_both_change_the_name_no_merge_is_offered_and_overwrite_gives_mine() {
    let h = Harness::start().await;
    let id = rule_named(&h, "Enterprise Fit").await.unwrap().id.unwrap();
    let mut tui = Live::start(&h).await;
    a_edits(&mut tui, Some("Fit by A")).await;
    b_changes(&h, id.as_str(), serde_json::json!({"name": "Fit by B"})).await;

    tui.review_and_save().await;
    let Stage::Conflict(view) = &tui.form().stage else {
        panic!("no three-way view: {:?}", &tui.form().stage)
    };
    assert!(view.merge.merged.is_none());
    tui.typed("r").await;
    assert!(
        matches!(&tui.form().stage, Stage::Conflict(_)),
        "no re-apply"
    );
    assert!(rule_named(&h, "Fit by B").await.is_some());

    tui.typed("o").await;
    assert!(tui.app.form.is_none(), "saved: {:?}", tui.app.notice);
    let mine = rule_named(&h, "Fit by A").await.expect("A's name won");
    assert_eq!(mine.field_rules[0].score, 40);
    assert!(rule_named(&h, "Fit by B").await.is_none());
}

/// Two TUIs (each its own client, runner and journal) open the same rule; the first saves, then
/// the second: its save is refused with the three-way view instead of overwriting, nothing of
/// it is sent, and re-applying keeps both.
#[tokio::test(flavor = "multi_thread")]
async fn two_tuis_saving_the_same_rule_the_second_is_shown_the_first_ones_change() {
    let h = Harness::start().await;
    let mut first = Live::start(&h).await;
    let mut second = Live::start(&h).await;
    a_edits(&mut first, None).await;
    a_edits(&mut second, Some("Fit by the second")).await;

    first.review_and_save().await;
    assert!(first.app.form.is_none(), "saved: {:?}", first.app.notice);
    let now = rule_named(&h, "Enterprise Fit").await.unwrap();
    assert_eq!(now.field_rules[0].score, 40);

    second.review_and_save().await;
    let Stage::Conflict(view) = &second.form().stage else {
        panic!(
            "the second save was not stopped: {:?}",
            &second.form().stage
        )
    };
    assert!(view.merge.merged.is_some(), "different fields merge");
    assert!(
        rule_named(&h, "Fit by the second").await.is_none(),
        "nothing of the second was sent"
    );

    second.typed("r").await;
    second.review_and_save().await;
    assert!(second.app.form.is_none(), "saved: {:?}", second.app.notice);
    let both = rule_named(&h, "Fit by the second")
        .await
        .expect("the second's name");
    assert_eq!(both.field_rules[0].score, 40, "the first's score kept");
}
