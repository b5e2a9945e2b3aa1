#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::Utc;
use serde_json::json;

use super::*;
use crate::domain::Edition;
use crate::sandbox::seed;

fn seeded() -> Org {
    let now = Utc::now();
    let mut org = Org::from_seed(seed::load_embedded(now).unwrap(), Edition::Enterprise, now);
    org.score_history(now);
    org.take_changes();
    org
}

fn assert_same(a: &Org, b: &Org) {
    assert_eq!(a.edition, b.edition);
    assert_eq!(a.started, b.started);
    assert_eq!(a.info, b.info);
    assert_eq!(a.users, b.users);
    assert_eq!(a.signals, b.signals);
    assert_eq!(a.rules, b.rules);
    assert_eq!(a.next_id(), b.next_id());
    assert_eq!(a.modules.len(), b.modules.len());
    for (x, y) in a.modules.iter().zip(&b.modules) {
        assert_eq!(x.schema, y.schema, "{}", x.api_name());
        assert_eq!(x.records, y.records, "{}", x.api_name());
        assert_eq!(x.scores, y.scores, "{}", x.api_name());
        assert_eq!(x.score_fields, y.score_fields, "{}", x.api_name());
        if let Some(r) = x.records.first() {
            assert_eq!(y.record(&r.id), Some(r), "the record index is rebuilt");
        }
    }
}

fn reopen(path: &Path) -> Restored {
    let (_file, restored) = StateFile::open(path).unwrap();
    restored.expect("the file holds an org")
}

#[test]
fn a_seeded_org_comes_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let org = seeded();
    {
        let (mut file, restored) = StateFile::open(&path).unwrap();
        assert!(restored.is_none(), "a new file is empty");
        file.write_all(&org).unwrap();
    }
    let restored = reopen(&path);
    assert_same(&org, &restored.org);
    assert!(restored.pending_jobs.is_empty());
}

#[test]
fn each_kind_of_change_is_written_by_its_commit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let mut org = seeded();
    let (mut file, _) = StateFile::open(&path).unwrap();
    file.write_all(&org).unwrap();
    let now = Utc::now();
    let layout = org.module("Leads").unwrap().schema.layouts[0].id.clone();
    // Different sources: two rules of one layout may not have the same criteria.
    let rule = |name: &str, source: &str| {
        json!({"name": name, "module": {"api_name": "Leads"}, "layout": {"id": layout}, "active": false,
               "field_rules": [{"score": 5, "criteria": {"field": {"api_name": "Lead_Source"}, "comparator": "equal", "value": source}}],
               "custom_fields": [{"field_label": format!("{name} Score"), "reference_field": {"api_name": "Score"}}]})
    };
    let a = org
        .create_rule(&rule("Durable A", "Web Download"), now)
        .unwrap();
    let b = org.create_rule(&rule("Durable B", "Chat"), now).unwrap();
    let changes = org.take_changes();
    file.commit(&org, &changes).unwrap();
    org.update_rule(&a, &json!({"name": "Durable A2", "custom_fields": []}), now)
        .unwrap();
    org.set_active(&a, true, now).unwrap();
    let run = org
        .plan_run("Leads", std::slice::from_ref(&a), now, true)
        .unwrap();
    let results = run.compute(0..run.total());
    org.store_scores("Leads", results);
    org.note_job_scheduled(PendingJob {
        id: Id::new("77"),
        module: "Leads".into(),
        rule_ids: vec![a.clone()],
    });
    org.delete_rule(&b).unwrap();
    let changes = org.take_changes();
    assert!(changes.scores.len() > 10, "the execution scored records");
    file.commit(&org, &changes).unwrap();
    drop(file);

    let restored = reopen(&path);
    assert_same(&org, &restored.org);
    assert_eq!(restored.pending_jobs.len(), 1);
    assert_eq!(restored.org.rules[&a].name, "Durable A2");
    assert!(!restored.org.rules.contains_key(&b));

    // A re-run that changes nothing writes no score rows; a finished job leaves the file.
    let mut org = restored.org;
    let (mut file, _) = StateFile::open(&path).unwrap();
    let run = org
        .plan_run("Leads", std::slice::from_ref(&a), now, true)
        .unwrap();
    let results = run.compute(0..run.total());
    org.store_scores("Leads", results);
    org.note_job_finished(Id::new("77"));
    let changes = org.take_changes();
    assert!(
        changes.scores.is_empty(),
        "unchanged scores are not rewritten"
    );
    file.commit(&org, &changes).unwrap();
    drop(file);
    let again = reopen(&path);
    assert!(again.pending_jobs.is_empty());
    assert_same(&org, &again.org);
}

#[test]
fn new_ids_never_collide_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let mut org = seeded();
    let (mut file, _) = StateFile::open(&path).unwrap();
    file.write_all(&org).unwrap();
    let minted = org.mint_id();
    let changes = org.take_changes();
    file.commit(&org, &changes).unwrap();
    drop(file);
    let mut restored = reopen(&path).org;
    assert!(restored.mint_id().as_u64() > minted.as_u64());
}

#[test]
fn files_that_are_not_ours_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("notes.txt");
    std::fs::write(
        &garbage,
        "these are not the rules you are looking for\n".repeat(200),
    )
    .unwrap();
    let err = StateFile::open(&garbage).err().unwrap();
    assert!(matches!(err, PersistError::NotOurs { .. }), "{err}");
    assert!(err.to_string().contains("notes.txt"), "{err}");

    let other = dir.path().join("other.db");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x INTEGER);")
        .unwrap();
    let err = StateFile::open(&other).err().unwrap();
    assert!(matches!(err, PersistError::NotOurs { .. }), "{err}");

    let future = dir.path().join("future.db");
    {
        let (mut file, _) = StateFile::open(&future).unwrap();
        file.write_all(&seeded()).unwrap();
    }
    Connection::open(&future)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let err = StateFile::open(&future).err().unwrap();
    assert!(matches!(err, PersistError::Version { .. }), "{err}");
    assert!(err.to_string().contains("future.db"), "{err}");
}

#[test]
fn damaged_rows_are_reported_as_corruption() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    {
        let (mut file, _) = StateFile::open(&path).unwrap();
        file.write_all(&seeded()).unwrap();
    }
    Connection::open(&path)
        .unwrap()
        .execute_batch("UPDATE rules SET body = '{\"name\": 3';")
        .unwrap();
    let err = StateFile::open(&path).err().unwrap();
    assert!(matches!(err, PersistError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("rule"), "{err}");
}

#[test]
fn one_file_serves_one_sandbox_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let (mut first, _) = StateFile::open(&path).unwrap();
    first.write_all(&seeded()).unwrap();
    let err = StateFile::open(&path).err().unwrap();
    assert!(matches!(err, PersistError::Busy { .. }), "{err}");
    drop(first);
    assert!(StateFile::open(&path).is_ok());
}

#[test]
fn a_change_the_file_refuses_is_undone_and_answered_500() {
    use axum::response::IntoResponse;

    use crate::sandbox::SandboxOptions;
    use crate::sandbox::http::AppState;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let org = seeded();
    let (mut file, _) = StateFile::open(&path).unwrap();
    file.write_all(&org).unwrap();
    // Stands in for a full disk: the file refuses any new rule row.
    file.conn
        .execute_batch(
            "CREATE TRIGGER refuse BEFORE INSERT ON rules BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
        )
        .unwrap();
    let layout = org.module("Leads").unwrap().schema.layouts[0].id.clone();
    let rules_before = org.rules.clone();
    let state = AppState::new(org, SandboxOptions::default()).with_state_file(file, Vec::new());

    let mut org = state.write_org();
    let id = org
        .create_rule(
            &json!({"name": "Never written", "module": {"api_name": "Leads"}, "layout": {"id": layout},
                    "field_rules": [{"score": 5, "criteria": {"field": {"api_name": "Lead_Source"}, "comparator": "equal", "value": "Chat"}}]}),
            Utc::now(),
        )
        .unwrap();
    let answer = state.commit(&mut org).unwrap_err().into_response();
    assert_eq!(
        answer.status(),
        axum::http::StatusCode::INTERNAL_SERVER_ERROR
    );
    assert!(
        !org.rules.contains_key(&id),
        "what the file lacks is not served"
    );
    assert_eq!(org.rules, rules_before);
}

#[test]
fn an_org_keeps_its_identity_until_it_is_reset() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let org = seeded();
    let first = {
        let (mut file, _) = StateFile::open(&path).unwrap();
        file.write_all(&org).unwrap();
        file.identity().to_string()
    };
    assert_eq!(first.len(), 16);
    let (mut file, restored) = StateFile::open(&path).unwrap();
    assert_eq!(file.identity(), first, "the same org after a restart");
    let mut changed = restored.unwrap().org;
    let id = changed.rules.keys().next().unwrap().clone();
    changed.delete_rule(&id).unwrap();
    let changes = changed.take_changes();
    file.commit(&changed, &changes).unwrap();

    file.reset(&org).unwrap();
    let second = file.identity().to_string();
    assert_ne!(second, first, "a reset org is another org");
    drop(file);
    let (file, restored) = StateFile::open(&path).unwrap();
    assert_eq!(file.identity(), second);
    assert_same(&org, &restored.unwrap().org);
}

#[test]
fn a_file_from_before_identities_is_given_one_that_sticks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    {
        let (mut file, _) = StateFile::open(&path).unwrap();
        file.write_all(&seeded()).unwrap();
        file.conn
            .execute("DELETE FROM meta WHERE key = 'identity'", [])
            .unwrap();
    }
    let given = StateFile::open(&path).unwrap().0.identity().to_string();
    assert!(!given.is_empty());
    assert_eq!(StateFile::open(&path).unwrap().0.identity(), given);
}
