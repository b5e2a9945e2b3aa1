//! A rule whose field rules' criteria, as a set, equal another rule's in the same module and
//! layout bucket: DUPLICATE_DATA naming that rule (Part A #22). Partly shared criteria stay
//! allowed.

use serde_json::{Value, json};

use super::super::fixtures::{PARTNER, cond, enterprise, leads_item};
use super::super::{Op, RuleSummary, apply_patch, parse_create, parse_update};
use super::{check, found, only};
use crate::domain::id::Id;
use crate::domain::rule::ScoringRule;
use crate::domain::violation::codes;

/// The fixture's Leads rule stored as rule 77 ("Stored Rule"), in the Standard layout.
fn stored() -> ScoringRule {
    let mut r = parse_create(&leads_item()).unwrap();
    r.id = Some(Id::new("77"));
    r.name = "Stored Rule".into();
    r
}

/// A new Leads rule with the fixture's criteria, possibly changed by `f`.
fn candidate(f: impl FnOnce(&mut Value)) -> Value {
    let mut item = leads_item();
    item["name"] = json!("Candidate");
    item["custom_fields"] = json!([]);
    f(&mut item);
    item
}

fn against_stored(item: &Value) -> Vec<crate::domain::violation::Violation> {
    let mut org = enterprise();
    org.others.push(RuleSummary::of(&stored()));
    check(item, &org.leads(), Op::Create)
}

#[test]
fn the_same_criteria_in_the_same_layout_are_refused_naming_the_other_rule() {
    let v = only(against_stored(&candidate(|_| {})));
    assert_eq!(v.code, codes::DUPLICATE_DATA);
    assert_eq!(v.path.to_string(), "field_rules");
    assert_eq!(v.details.get("id"), Some(&json!("77")));
    assert_eq!(
        v.to_wire(0)["details"],
        json!({"api_name": "field_rules", "json_path": "$.scoring_rules[0].field_rules", "id": "77"})
    );
    assert!(v.hint.contains("\"Stored Rule\" (77)"), "{}", v.hint);
}

#[test]
fn scores_order_and_spelling_do_not_make_criteria_different() {
    let item = candidate(|i| {
        i["field_rules"] = json!([
            {"score": 99, "criteria": cond("Country", "not_equal", json!("${EMPTY}"))},
            {"score": -1, "criteria": {"group_operator": "OR", "group": [
                cond("Lead_Status", "equal", json!(["hot"])),
                cond("Company", "contains", json!(" ZOHO"))
            ]}}
        ]);
        i["signal_rules"] = json!([]);
    });
    assert_eq!(
        found(&against_stored(&item)),
        vec![(codes::DUPLICATE_DATA, "field_rules".into())]
    );
}

#[test]
fn other_buckets_and_partly_shared_criteria_are_allowed() {
    // The same criteria in another layout.
    let mut org = enterprise();
    let mut there = RuleSummary::of(&stored());
    there.layout = Some(Id::new(PARTNER));
    org.others.push(there);
    assert_eq!(
        found(&check(&candidate(|_| {}), &org.leads(), Op::Create)),
        vec![]
    );
    // All layouts (the layout-less bucket) is a bucket of its own.
    let all_layouts = candidate(|i| {
        i.as_object_mut().unwrap().remove("layout");
    });
    assert_eq!(found(&against_stored(&all_layouts)), vec![]);
    // One field rule fewer: shared in part only.
    let part = candidate(|i| {
        i["field_rules"].as_array_mut().unwrap().pop();
    });
    assert_eq!(found(&against_stored(&part)), vec![]);
    // One more.
    let more = candidate(|i| {
        i["field_rules"]
            .as_array_mut()
            .unwrap()
            .push(json!({"score": 5, "criteria": cond("Email", "contains", json!("@zylker.com"))}));
    });
    assert_eq!(found(&against_stored(&more)), vec![]);
    // A rule with only signal rules repeats no criteria.
    let signals_only = candidate(|i| i["field_rules"] = json!([]));
    let mut org = enterprise();
    let mut twin = stored();
    twin.field_rules.clear();
    org.others.push(RuleSummary::of(&twin));
    assert_eq!(
        found(&check(&signals_only, &org.leads(), Op::Create)),
        vec![]
    );
}

#[test]
fn an_update_that_makes_the_criteria_equal_is_refused_one_that_leaves_them_is_not() {
    // Rule 78 in the same layout, differing in one field rule.
    let mut mine = stored();
    mine.id = Some(Id::new("78"));
    mine.name = "Mine".into();
    mine.field_rules[1].id = Some(Id::new("781"));
    mine.field_rules[1].criteria =
        serde_json::from_value(cond("Country", "equal", json!("India"))).unwrap();
    let mut org = enterprise();
    org.others.push(RuleSummary::of(&stored()));
    let update = |item: Value| {
        let patched = apply_patch(&mine, &parse_update(&item).unwrap()).unwrap();
        found(&patched.check(&org.leads()))
    };
    assert_eq!(
        update(json!({"field_rules": [
            {"id": "781", "criteria": cond("Country", "not_equal", json!("${EMPTY}"))}
        ]})),
        vec![(codes::DUPLICATE_DATA, "field_rules".into())]
    );
    assert_eq!(update(json!({"name": "Renamed"})), vec![]);

    // A clone repeats its source's criteria (Zoho's clone does); renaming it or changing its
    // scores is not refused for that.
    let mut clone = stored();
    clone.id = Some(Id::new("79"));
    clone.name = "Stored Rule 1".into();
    clone.field_rules[0].id = Some(Id::new("791"));
    let patched = apply_patch(
        &clone,
        &parse_update(&json!({"name": "Clone", "field_rules": [{"id": "791", "score": 3}]}))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(found(&patched.check(&org.leads())), vec![]);
}

#[test]
fn rules_of_other_modules_are_never_compared() {
    let mut org = enterprise();
    let mut elsewhere = RuleSummary::of(&stored());
    elsewhere.module = "Deals".into();
    org.others.push(elsewhere);
    assert_eq!(
        found(&check(&candidate(|_| {}), &org.leads(), Op::Create)),
        vec![]
    );
    // `brief` summaries carry no criteria at all.
    assert_eq!(RuleSummary::brief(&stored()).criteria, None);
    assert!(RuleSummary::of(&stored()).criteria.is_some());
}
