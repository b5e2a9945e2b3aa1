//! Updates: `parse_update`, `apply_patch` and `Patched::check`'s mapping of findings back to
//! the request's positions.

use serde_json::{Value, json};

use super::super::fixtures::{CLICK, OPEN, cond, enterprise, leads_item};
use super::super::{
    Change, CustomFieldEdit, FieldRuleEdit, RulePatch, apply_patch, parse_create, parse_update,
};
use super::{found, only};
use crate::domain::id::Id;
use crate::domain::rule::ScoringRule;
use crate::domain::violation::codes;

/// The fixture's Leads rule as stored: field rules 11, 12; signal rule 21; custom field 31.
fn stored() -> ScoringRule {
    let mut r = parse_create(&leads_item()).unwrap();
    r.id = Some(Id::new("10"));
    r.field_rules[0].id = Some(Id::new("11"));
    r.field_rules[1].id = Some(Id::new("12"));
    r.signal_rules[0].id = Some(Id::new("21"));
    r.custom_fields[0].id = Some(Id::new("31"));
    r.custom_fields[0].api_name = Some("Engagement_Score".into());
    r
}

fn patch(item: Value) -> RulePatch {
    parse_update(&item).unwrap_or_else(|e| panic!("{e:?}"))
}

fn findings(item: Value) -> Vec<(&'static str, String)> {
    let patched = apply_patch(&stored(), &patch(item)).unwrap();
    let org = enterprise();
    found(&patched.check(&org.leads()))
}

#[test]
fn reads_the_official_update_example() {
    let p = patch(
        json!({"id": "111114000000072349", "name": "Altered scoring",
        "field_rules": [{"criteria": {"field": {"api_name": "Country", "id": "111114000000004892"}, "comparator": "not_equal", "value": "${EMPTY}", "type": "value"}, "score": -10},
                        {"id": "111114000000004892", "score": 45}],
        "signal_rules": [{"id": "111114000000012345", "_delete": null},
                         {"score": -100, "signal": {"namespace": "zoho.emailinsight.bounce", "id": "111114000000034755"}}],
        "custom_fields": [{"field_label": "Contact Total Score", "reference_field": {"api_name": "Score"}},
                          {"id": "111114000000012345", "field_label": "Total score"}]}),
    );
    assert_eq!(p.id, Some(Id::new("111114000000072349")));
    assert_eq!(p.name.as_deref(), Some("Altered scoring"));
    assert!(matches!(&p.field_rules[0], Change::Add(fr) if fr.score == -10 && fr.id.is_none()));
    assert_eq!(
        p.field_rules[1],
        Change::Edit(
            Id::new("111114000000004892"),
            FieldRuleEdit {
                score: Some(45),
                criteria: None
            }
        )
    );
    assert_eq!(
        p.signal_rules[0],
        Change::Delete(Id::new("111114000000012345"))
    );
    assert!(matches!(&p.signal_rules[1], Change::Add(_)));
    assert_eq!(
        p.custom_fields[1],
        Change::Edit(
            Id::new("111114000000012345"),
            CustomFieldEdit {
                field_label: Some("Total score".into())
            }
        )
    );
}

#[test]
fn module_layout_and_active_are_ignored_and_nothing_is_required() {
    let p = patch(json!({"module": 5, "layout": "x", "active": "yes", "field_rules": null}));
    assert_eq!(p, RulePatch::default());
    assert_eq!(patch(json!({"description": null})).description, Some(None));
}

#[test]
fn delete_needs_only_an_id_and_ignores_the_rest() {
    let p = patch(
        json!({"signal_rules": [{"id": 21, "score": 7, "_delete": null}],
                         "field_rules": [{"id": "11", "_delete": true, "criteria": "junk"}]}),
    );
    assert_eq!(p.signal_rules, vec![Change::Delete(Id::new("21"))]);
    assert_eq!(p.field_rules, vec![Change::Delete(Id::new("11"))]);
    let e = parse_update(&json!({"custom_fields": [{"_delete": null}]})).unwrap_err();
    assert_eq!(
        found(&e),
        vec![(codes::MANDATORY_NOT_FOUND, "custom_fields[0].id".into())]
    );
}

#[test]
fn update_shape_errors() {
    let e = parse_update(&json!({"id": "abc", "name": null, "description": 3,
        "field_rules": [{"id": "11", "score": "45"}, {"score": 5}],
        "signal_rules": [{"id": "21", "signal": {"id": "x"}}],
        "custom_fields": [{"id": "31", "field_label": 9}]}))
    .unwrap_err();
    assert_eq!(
        found(&e),
        vec![
            (codes::INVALID_DATA, "id".into()),
            (codes::INVALID_DATA, "name".into()),
            (codes::INVALID_DATA, "description".into()),
            (codes::INVALID_DATA, "field_rules[0].score".into()),
            (codes::MANDATORY_NOT_FOUND, "field_rules[1].criteria".into()),
            (codes::INVALID_DATA, "signal_rules[0].signal.id".into()),
            (
                codes::MANDATORY_NOT_FOUND,
                "signal_rules[0].signal.namespace".into()
            ),
            (codes::INVALID_DATA, "custom_fields[0].field_label".into()),
        ]
    );
    assert_eq!(
        found(&parse_update(&json!("x")).unwrap_err()),
        vec![(codes::INVALID_DATA, String::new())]
    );
}

#[test]
fn add_change_and_delete() {
    let p = patch(json!({"name": "Renamed", "description": null,
        "field_rules": [{"score": 3, "criteria": cond("Email", "contains", json!("@"))},
                        {"id": "11", "score": 45},
                        {"id": "12", "_delete": null}],
        "signal_rules": [{"id": "21", "signal": {"id": CLICK, "namespace": "EmailInsight_Click__s"}}],
        "custom_fields": [{"id": "31", "field_label": "Renamed Score"}]}));
    let r = apply_patch(&stored(), &p).unwrap().rule;
    assert_eq!(
        (r.name.as_str(), r.description.as_deref()),
        ("Renamed", None)
    );
    let frs: Vec<(Option<&str>, i64)> = r
        .field_rules
        .iter()
        .map(|f| (f.id.as_ref().map(Id::as_str), f.score))
        .collect();
    assert_eq!(
        frs,
        vec![(Some("11"), 45), (None, 3)],
        "stored first, then added ones"
    );
    assert_eq!(
        r.field_rules[0].criteria,
        stored().field_rules[0].criteria,
        "score-only change keeps criteria"
    );
    assert_eq!(r.signal_rules[0].signal.id, Id::new(CLICK));
    assert_eq!(r.signal_rules[0].score, 7);
    assert_eq!(
        r.custom_fields[0].field_label.as_deref(),
        Some("Renamed Score")
    );
    assert_eq!(
        r.custom_fields[0].reference_field,
        stored().custom_fields[0].reference_field
    );
    assert_eq!(
        (r.module.clone(), r.layout.clone(), r.active),
        (stored().module, stored().layout, true)
    );
}

#[test]
fn unknown_sub_item_ids_are_all_reported() {
    let p = patch(json!({
        "field_rules": [{"id": "11", "score": 1}, {"id": "99", "score": 2}],
        "signal_rules": [{"id": "11", "_delete": null}],
        "custom_fields": [{"id": "31", "_delete": null}, {"id": "31", "field_label": "again"}]}));
    let e = apply_patch(&stored(), &p).unwrap_err();
    assert_eq!(
        found(&e),
        vec![
            (codes::INVALID_DATA, "field_rules[1].id".into()),
            (codes::INVALID_DATA, "signal_rules[0].id".into()),
            (codes::INVALID_DATA, "custom_fields[1].id".into()),
        ]
    );
    assert!(
        e.iter()
            .all(|v| v.message == "The id given seems to be invalid")
    );
    assert_eq!(e[0].hint, "this rule has no field rule with id 99");
}

#[test]
fn findings_report_the_requests_indices() {
    // Merged order: 11, 12 (stored), then the two added; the bad one is merged index 3.
    let item = json!({"field_rules": [
        {"score": 1, "criteria": cond("Email", "contains", json!("@"))},
        {"score": 101, "criteria": cond("Email", "contains", json!("zoho"))}]});
    assert_eq!(
        findings(item),
        vec![(codes::INVALID_DATA, "field_rules[1].score".into())]
    );
    // A stored field rule (merged index 1) edited by the first entry.
    let item = json!({"field_rules": [{"id": "12", "score": -101}], "signal_rules": [{"id": "21", "score": 500}]});
    assert_eq!(
        findings(item),
        vec![
            (codes::INVALID_DATA, "field_rules[0].score".into()),
            (codes::INVALID_DATA, "signal_rules[0].score".into())
        ]
    );
}

#[test]
fn findings_about_untouched_stored_items_are_dropped_but_rule_findings_stay() {
    let mut broken = stored();
    broken.field_rules[1].score = 500;
    broken.name = "x".repeat(26);
    let p = patch(json!({"description": "new"}));
    let org = enterprise();
    let vs = apply_patch(&broken, &p).unwrap().check(&org.leads());
    assert_eq!(found(&vs), vec![(codes::INVALID_DATA, "name".into())]);
    let deleted_everything = patch(
        json!({"field_rules": [{"id": "11", "_delete": null}, {"id": "12", "_delete": null}],
                                         "signal_rules": [{"id": "21", "_delete": null}]}),
    );
    let v = only(
        apply_patch(&stored(), &deleted_everything)
            .unwrap()
            .check(&org.leads()),
    );
    assert_eq!(v.code, codes::EXPECTED_FIELD_MISSING);
}

#[test]
fn a_repeat_of_a_stored_criteria_is_reported_at_the_new_entry() {
    let same_as_12 =
        json!({"score": 9, "criteria": cond("Country", "not_equal", json!("${EMPTY}"))});
    let vs = findings(json!({"field_rules": [{"id": "11", "score": 1}, same_as_12]}));
    assert_eq!(
        vs,
        vec![(codes::DUPLICATE_DATA, "field_rules[1].criteria".into())]
    );
    // Editing the earlier stored rule into a copy of the later, untouched one.
    let item = json!({"field_rules": [{"id": "11", "criteria": cond("Country", "not_equal", json!("${EMPTY}"))}]});
    assert_eq!(
        findings(item),
        vec![(codes::DUPLICATE_DATA, "field_rules[0].criteria".into())]
    );
}

#[test]
fn exists_in_is_remapped_or_dropped() {
    let org = enterprise();
    let open = json!({"score": 1, "signal": {"id": OPEN, "namespace": "EmailInsight_Open__s"}});
    let p = patch(json!({"signal_rules": [open]}));
    let v = only(apply_patch(&stored(), &p).unwrap().check(&org.leads()));
    assert_eq!(
        (v.code, v.path.to_string()),
        (codes::ALREADY_USED, "signal_rules[0].signal".into())
    );
    assert!(
        !v.details.contains_key("exists_in"),
        "the stored twin has no position in the request"
    );
    let click = json!({"score": 1, "signal": {"id": CLICK, "namespace": "EmailInsight_Click__s"}});
    let p = patch(json!({"signal_rules": [{"id": "21", "_delete": null}, click.clone(), click]}));
    let v = only(apply_patch(&stored(), &p).unwrap().check(&org.leads()));
    assert_eq!(v.path.to_string(), "signal_rules[2].signal");
    assert_eq!(
        v.details["exists_in"],
        json!({"api_name": "signal", "json_path": "$.signal_rules[1].signal"})
    );
    assert_eq!(
        v.to_wire(4)["details"]["exists_in"]["json_path"],
        "$.scoring_rules[4].signal_rules[1].signal"
    );
}

#[test]
fn the_conformance_suites_updates_pass() {
    let criteria = serde_json::to_value(&stored().field_rules[0].criteria).unwrap();
    let item = json!({"name": "upd2", "description": "updated by conformance",
        "field_rules": [{"id": 11, "score": 42, "criteria": criteria}]});
    assert_eq!(findings(item), vec![]);
    let item = json!({"signal_rules": [{"id": "21", "score": 7, "_delete": null}]});
    assert_eq!(findings(item), vec![]);
}
