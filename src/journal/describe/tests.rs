use chrono::TimeZone;
use serde_json::json;

use super::*;
use crate::domain::Edition;
use crate::journal::Outcome as Recorded;

fn seeded() -> OrgSnapshot {
    let now = chrono::Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
    crate::sandbox::seed::load_embedded(now)
        .unwrap()
        .snapshot(Edition::Enterprise)
}

fn named(snap: &OrgSnapshot, name: &str) -> ScoringRule {
    snap.rules.iter().find(|r| r.name == name).unwrap().clone()
}

fn entry(
    op: &str,
    before: Option<&ScoringRule>,
    ok: bool,
    answer: Value,
    after: Option<&ScoringRule>,
) -> Entry {
    Entry {
        seq: 7,
        time: "2026-11-01T12:00:00Z".into(),
        profile: "test".into(),
        op: op.into(),
        rule_id: before.and_then(|b| b.id.as_ref()).map(|i| i.to_string()),
        rule_name: before.map(|b| b.name.clone()),
        before: before.map(|b| serde_json::to_value(b).unwrap()),
        request: None,
        group: None,
        outcome: Some(Recorded {
            time: "2026-11-01T12:00:01Z".into(),
            ok,
            answer,
            rule_id: after.and_then(|a| a.id.as_ref()).map(|i| i.to_string()),
            after: after.map(|a| serde_json::to_value(a).unwrap()),
        }),
    }
}

fn source_id(r: &ScoringRule) -> &str {
    r.id.as_ref().unwrap().as_str()
}

fn signed(lines: &[DiffLine]) -> Vec<String> {
    lines.iter().map(DiffLine::signed).collect()
}

#[test]
fn a_refused_clone_is_refused_with_zohos_code_and_no_deletion() {
    let snap = seeded();
    let source = named(&snap, "Inbound Demand");
    let e = entry(
        "clone",
        Some(&source),
        false,
        json!({"code": "ACTIVE_STATE_LIMIT_EXCEEDED", "message": "More than 5 active scoring rules cannot be created for a layout.", "details": {}}),
        None,
    );
    assert_eq!(
        Outcome::of(&e).text(),
        "refused: ACTIVE_STATE_LIMIT_EXCEEDED (More than 5 active scoring rules cannot be created for a layout)"
    );
    assert_eq!(changes(&e, Some(&snap)), []);
    assert_eq!(revert_changes(&e, Some(&snap)), []);
    assert_eq!(action(&e), "clone “Inbound Demand”");
    // As `zscore history` prints it: one line, the outcome, no deletion.
    let id = source.id.clone().unwrap();
    assert_eq!(
        text_lines(&e, Some(&snap)),
        [format!(
            "#7 2026-11-01T12:00:00Z clone “Inbound Demand” (rule {id}) — refused: ACTIVE_STATE_LIMIT_EXCEEDED (More than 5 active scoring rules cannot be created for a layout)"
        )]
    );
}

#[test]
fn a_missing_answer_or_a_network_failure_is_an_unknown_outcome() {
    let snap = seeded();
    let r = named(&snap, "Inbound Demand");
    let mut e = entry(
        "update",
        Some(&r),
        false,
        json!({"error": "timed out"}),
        None,
    );
    assert_eq!(
        Outcome::of(&e).text(),
        "outcome unknown: timed out; check the rule"
    );
    e.outcome = None;
    assert!(matches!(Outcome::of(&e), Outcome::Unknown { .. }));
    assert_eq!(changes(&e, Some(&snap)), []);
}

#[test]
fn a_deactivation_reads_forwards_and_its_undo_backwards() {
    let snap = seeded();
    let before = named(&snap, "Inbound Demand");
    let after = ScoringRule {
        active: false,
        ..before.clone()
    };
    let e = entry(
        "deactivate",
        Some(&before),
        true,
        json!({"code": "SUCCESS"}),
        Some(&after),
    );
    assert_eq!(Outcome::of(&e).text(), "applied");
    assert_eq!(
        signed(&changes(&e, Some(&snap))),
        ["~ state active → inactive"]
    );
    let lines = text_lines(&e, Some(&snap));
    let head = format!(
        "deactivate “Inbound Demand” (rule {}) — applied",
        source_id(&before)
    );
    assert!(lines[0].ends_with(&head), "{lines:?}");
    assert_eq!(lines[1], "    ~ state active → inactive");
    assert_eq!(revert_text(&e), "activate “Inbound Demand” again");
    assert_eq!(
        signed(&revert_changes(&e, Some(&snap))),
        ["~ state inactive → active"]
    );
}

#[test]
fn an_edit_reads_as_the_save_review_and_its_undo_puts_the_score_back() {
    let snap = seeded();
    let before = named(&snap, "Enterprise Fit");
    let mut after = before.clone();
    after.field_rules[1].score = 30;
    let old = before.field_rules[1].score;
    let e = entry(
        "update",
        Some(&before),
        true,
        json!({"code": "SUCCESS"}),
        Some(&after),
    );
    assert_eq!(action(&e), "edit “Enterprise Fit”");
    assert_eq!(
        signed(&changes(&e, Some(&snap))),
        [format!("~ field rule 2: score {old:+} → +30")]
    );
    assert_eq!(
        signed(&revert_changes(&e, Some(&snap))),
        [format!("~ field rule 2: score +30 → {old:+}")]
    );
}

#[test]
fn only_an_applied_delete_reads_as_a_deletion_and_its_undo_as_a_re_creation() {
    let snap = seeded();
    let gone = named(&snap, "Partner Referrals");
    let e = entry(
        "delete",
        Some(&gone),
        true,
        json!({"code": "SUCCESS"}),
        None,
    );
    let lines = signed(&changes(&e, Some(&snap)));
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].starts_with("- rule “Partner Referrals”"),
        "{lines:?}"
    );
    assert!(
        revert_text(&e).contains("under a new id"),
        "{}",
        revert_text(&e)
    );
    assert!(
        revert_text(&e).contains("come back empty"),
        "{}",
        revert_text(&e)
    );
    let back = signed(&revert_changes(&e, Some(&snap)));
    assert_eq!(back[0], "+ name “Partner Referrals”");
}

#[test]
fn an_applied_clone_names_the_copy_and_its_undo_deletes_only_the_copy() {
    let snap = seeded();
    let source = named(&snap, "Inbound Demand");
    let copy = ScoringRule {
        id: Some(crate::domain::Id::new("999")),
        name: "Inbound Demand - Copy".into(),
        ..source.clone()
    };
    let e = entry(
        "clone",
        Some(&source),
        true,
        json!({"code": "SUCCESS"}),
        Some(&copy),
    );
    assert_eq!(
        signed(&changes(&e, Some(&snap))),
        ["+ rule “Inbound Demand - Copy”, a copy of “Inbound Demand”, starts active"]
    );
    assert_eq!(
        revert_text(&e),
        "delete the copy “Inbound Demand - Copy” (rule 999), which it created"
    );
    assert_eq!(
        signed(&revert_changes(&e, Some(&snap))),
        ["- rule “Inbound Demand - Copy”"]
    );
}

#[test]
fn a_group_reads_as_its_tally_and_each_write_names_its_group() {
    let snap = seeded();
    let r = named(&snap, "Inbound Demand");
    let mut group = entry(
        GROUP_OP,
        None,
        true,
        json!({"code": "SUCCESS", "message": "2 of 3 writes took effect"}),
        None,
    );
    group.seq = 12;
    group.rule_name = Some("deactivate 3 rules".into());
    assert_eq!(
        text_lines(&group, Some(&snap)),
        [
            "#12 2026-11-01T12:00:00Z group “deactivate 3 rules” — applied (2 of 3 writes took effect); `zscore revert 12` undoes them as one"
        ]
    );
    let nothing = Entry {
        outcome: group.outcome.clone().map(|o| Recorded {
            ok: false,
            answer: json!({"code": "NOTHING_APPLIED", "message": "0 of 3 writes took effect"}),
            ..o
        }),
        ..group.clone()
    };
    assert_eq!(
        text_lines(&nothing, None),
        [
            "#12 2026-11-01T12:00:00Z group “deactivate 3 rules” — nothing applied (0 of 3 writes took effect)"
        ]
    );
    let unfinished = Entry {
        outcome: None,
        ..group
    };
    assert!(
        text_lines(&unfinished, None)[0].ends_with(
            "— unfinished: zscore stopped before every write was answered; see its writes"
        )
    );

    let after = ScoringRule {
        active: false,
        ..r.clone()
    };
    let mut member = entry(
        "deactivate",
        Some(&r),
        true,
        json!({"code": "SUCCESS"}),
        Some(&after),
    );
    member.group = Some(12);
    let id = source_id(&r).to_string();
    assert_eq!(
        text_lines(&member, Some(&snap)),
        [
            format!(
                "#7 2026-11-01T12:00:00Z deactivate “Inbound Demand” (rule {id}) in group #12 — applied"
            ),
            "    ~ state active → inactive".to_string()
        ]
    );
}
