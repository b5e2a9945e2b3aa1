//! Two admins on one rule, over HTTP against the sandbox: a guarded update or delete whose rule
//! changed since it was loaded is refused with the server's rule in hand and nothing sent; a
//! rule deleted meanwhile is told apart; the three-way merge of the two changes goes through.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Harness, RULES};
use serde_json::json;
use zscore::api::{Client, ClientConfig, GuardedError};
use zscore::domain::conflict::{FieldState, RuleField, three_way};
use zscore::domain::{Id, ScoringRule};
use zscore::journal::Journal;
use zscore::journal::writes::{JournaledClient, WriteError};

async fn setup() -> (Harness, Client) {
    let h = Harness::start().await;
    let client = Client::new(ClientConfig::sandbox(&h.sandbox.url)).unwrap();
    (h, client)
}

/// A seeded rule (modified days ago, so any change now moves its `modified_time`).
async fn seeded(client: &Client, name: &str) -> ScoringRule {
    let rules = client
        .list_rules(&zscore::api::RuleFilter::module("Deals"))
        .await
        .unwrap();
    rules.into_iter().find(|r| r.name == name).unwrap()
}

/// Someone else, through the raw API.
async fn their_description(h: &Harness, id: &Id, text: &str) {
    let r = h
        .put(
            &format!("{RULES}/{id}"),
            Some(json!({"scoring_rules": [{"description": text}]})),
        )
        .await;
    assert_eq!(r.code(0), "SUCCESS", "{}", r.body);
}

#[tokio::test]
async fn an_update_over_someone_elses_change_is_refused_and_the_merge_goes_through() {
    let (h, client) = setup().await;
    let base = seeded(&client, "Pipeline Priority").await;
    let id = base.id.clone().unwrap();
    their_description(&h, &id, "their description").await;

    let mine = json!({"name": "Pipeline Priority mine"});
    let err = client
        .update_rule_if_unchanged(&id, &mine, &base)
        .await
        .unwrap_err();
    let GuardedError::Conflict(conflict) = err else {
        panic!("expected a conflict, got {err:?}");
    };
    assert_eq!(
        conflict.theirs.description.as_deref(),
        Some("their description")
    );
    assert_eq!(conflict.changed_fields(), vec![RuleField::Description]);
    let message = GuardedError::Conflict(conflict.clone()).to_string();
    assert!(
        message.contains("description") && message.contains("nothing was sent"),
        "{message}"
    );
    let now = h.rule(id.as_str()).await;
    assert_eq!(now["name"], "Pipeline Priority", "nothing was sent");

    let mut yours = base.clone();
    yours.name = "Pipeline Priority mine".into();
    let merge = three_way(&base, &conflict.theirs, &yours);
    assert_eq!(
        merge.with_state(FieldState::Ours),
        vec![RuleField::Name],
        "{merge:?}"
    );
    let merged = merge.merged.expect("disjoint changes merge");
    client
        .update_rule_if_unchanged(&id, &json!({"name": merged.name}), &conflict.theirs)
        .await
        .expect("re-applied on top of theirs");
    let now = h.rule(id.as_str()).await;
    assert_eq!(now["name"], "Pipeline Priority mine");
    assert_eq!(now["description"], "their description", "theirs kept");
}

#[tokio::test]
async fn an_unchanged_rule_is_updated_and_deleted_normally() {
    let (h, client) = setup().await;
    let base = seeded(&client, "Pipeline Priority").await;
    let id = base.id.clone().unwrap();
    client
        .update_rule_if_unchanged(&id, &json!({"description": "mine"}), &base)
        .await
        .unwrap();
    assert_eq!(h.rule(id.as_str()).await["description"], "mine");

    let base = seeded(&client, "Renewal Watch").await;
    let id = base.id.clone().unwrap();
    client.delete_rule_if_unchanged(&id, &base).await.unwrap();
    let gone = h.get(&format!("{RULES}/{id}")).await;
    assert_ne!(gone.status, reqwest::StatusCode::OK);
}

#[tokio::test]
async fn a_delete_over_someone_elses_change_is_refused() {
    let (h, client) = setup().await;
    let base = seeded(&client, "Renewal Watch").await;
    let id = base.id.clone().unwrap();
    their_description(&h, &id, "still needed").await;
    let err = client
        .delete_rule_if_unchanged(&id, &base)
        .await
        .unwrap_err();
    assert!(matches!(err, GuardedError::Conflict(_)), "{err:?}");
    assert_eq!(
        h.rule(id.as_str()).await["description"],
        "still needed",
        "the rule is still there"
    );
}

#[tokio::test]
async fn a_rule_deleted_meanwhile_is_its_own_outcome() {
    let (h, client) = setup().await;
    let base = seeded(&client, "Renewal Watch").await;
    let id = base.id.clone().unwrap();
    h.delete(&format!("{RULES}/{id}")).await;
    let update = client
        .update_rule_if_unchanged(&id, &json!({"description": "x"}), &base)
        .await
        .unwrap_err();
    assert!(
        matches!(&update, GuardedError::Deleted { id: gone } if *gone == id),
        "{update:?}"
    );
    let delete = client
        .delete_rule_if_unchanged(&id, &base)
        .await
        .unwrap_err();
    assert!(matches!(delete, GuardedError::Deleted { .. }), "{delete:?}");
    assert!(delete.to_string().contains("was deleted"), "{delete}");
}

#[tokio::test]
async fn journaled_guarded_writes_refuse_without_a_journal_entry() {
    let (h, client) = setup().await;
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path(), "sandbox").unwrap();
    let writer = JournaledClient {
        client: &client,
        journal: &journal,
    };
    let base = seeded(&client, "Pipeline Priority").await;
    let id = base.id.clone().unwrap();

    writer
        .update_guarded(&id, &json!({"description": "first"}), &base)
        .await
        .unwrap();
    assert_eq!(journal.entries().unwrap().len(), 1);

    // `base` is now stale: our own write moved the rule on.
    let err = writer
        .update_guarded(&id, &json!({"description": "second"}), &base)
        .await
        .unwrap_err();
    assert!(matches!(err, WriteError::Conflict(_)), "{err:?}");
    let err = writer.delete_guarded(&id, &base).await.unwrap_err();
    assert!(matches!(err, WriteError::Conflict(_)), "{err:?}");
    assert_eq!(
        journal.entries().unwrap().len(),
        1,
        "a refused write sends and journals nothing"
    );
    assert_eq!(h.rule(id.as_str()).await["description"], "first");
}
