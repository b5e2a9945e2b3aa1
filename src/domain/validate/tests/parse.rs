//! `parse_create`: shapes, types, missing keys, list lengths, criteria structure.

use rstest::rstest;
use serde_json::{Value, json};

use super::super::fixtures::{cond, deals_item, leads_item};
use super::super::parse_create;
use super::{edit, found};
use crate::domain::id::Id;
use crate::domain::rule::{Criteria, GroupOperator};
use crate::domain::violation::codes;

fn errors(item: &Value) -> Vec<(&'static str, String)> {
    found(&parse_create(item).expect_err("should not parse"))
}

#[test]
fn reads_a_full_rule() {
    let r = parse_create(&leads_item()).unwrap();
    assert_eq!(r.name, "Hot leads");
    assert_eq!(r.module.id, Some(Id::new("1000")));
    assert_eq!(r.layout_id(), Some(&Id::new("2001")));
    assert_eq!(r.condition_count(), 3);
    assert!(
        matches!(&r.field_rules[0].criteria, Criteria::Group(g) if g.group_operator == GroupOperator::Or)
    );
    assert_eq!(r.signal_rules[0].signal.id, Id::new("5001"));
    assert_eq!(
        r.custom_fields[0].field_label.as_deref(),
        Some("Engagement Score")
    );
}

#[test]
fn defaults_nulls_numbers_and_unknown_keys() {
    let item = json!({
        "name": "n", "module": {"api_name": "Deals", "id": 3000}, "layout": null,
        "description": null, "signal_rules": null, "custom_fields": null, "whatever": [1, 2],
        "field_rules": [{"id": "77", "score": -100, "criteria":
            {"field": {"api_name": "Amount", "id": 3103}, "comparator": "equal", "value": 5, "type": "value"}}]
    });
    let r = parse_create(&item).unwrap();
    assert!(r.active, "active defaults to true");
    assert_eq!(r.layout, None);
    assert_eq!(r.description, None);
    assert_eq!(r.module.id, Some(Id::new("3000")));
    assert_eq!(
        r.field_rules[0].id, None,
        "sub-item ids of a create body are ignored"
    );
    assert_eq!(r.field_rules[0].score, -100);
    assert!(r.signal_rules.is_empty() && r.custom_fields.is_empty());
    assert!(parse_create(&deals_item()).is_ok());
}

#[rstest]
#[case::array(json!([]))]
#[case::string(json!("rule"))]
#[case::number(json!(1))]
#[case::null(json!(null))]
fn an_item_must_be_an_object(#[case] item: Value) {
    let e = parse_create(&item).unwrap_err();
    assert_eq!(e.len(), 1);
    assert_eq!(
        (e[0].code, e[0].message.as_str()),
        (codes::INVALID_DATA, "Invalid data type")
    );
    assert_eq!(e[0].details["expected_data_type"], "jsonobject");
    assert!(e[0].path.0.is_empty());
}

#[rstest]
#[case::name("/name", "name")]
#[case::module("/module", "module")]
#[case::module_api_name("/module/api_name", "module.api_name")]
#[case::layout_id("/layout/id", "layout.id")]
#[case::score("/field_rules/0/score", "field_rules[0].score")]
#[case::criteria("/field_rules/0/criteria", "field_rules[0].criteria")]
#[case::group_operator(
    "/field_rules/0/criteria/group_operator",
    "field_rules[0].criteria.group_operator"
)]
#[case::group("/field_rules/0/criteria/group", "field_rules[0].criteria.group")]
#[case::field("/field_rules/1/criteria/field", "field_rules[1].criteria.field")]
#[case::field_api_name(
    "/field_rules/1/criteria/field/api_name",
    "field_rules[1].criteria.field.api_name"
)]
#[case::comparator(
    "/field_rules/1/criteria/comparator",
    "field_rules[1].criteria.comparator"
)]
#[case::signal_score("/signal_rules/0/score", "signal_rules[0].score")]
#[case::signal("/signal_rules/0/signal", "signal_rules[0].signal")]
#[case::signal_id("/signal_rules/0/signal/id", "signal_rules[0].signal.id")]
#[case::signal_namespace("/signal_rules/0/signal/namespace", "signal_rules[0].signal.namespace")]
#[case::field_label("/custom_fields/0/field_label", "custom_fields[0].field_label")]
#[case::reference_field("/custom_fields/0/reference_field", "custom_fields[0].reference_field")]
fn missing_or_null_mandatory_keys(#[case] pointer: &str, #[case] path: &str) {
    for value in [None, Some(Value::Null)] {
        let e = parse_create(&edit(&leads_item(), pointer, value)).unwrap_err();
        assert_eq!(
            found(&e),
            vec![(codes::MANDATORY_NOT_FOUND, path.to_string())]
        );
        assert_eq!(e[0].message, "required field not found");
        assert_eq!(e[0].details["api_name"], path.rsplit('.').next().unwrap());
    }
}

#[rstest]
#[case::name("/name", json!(5), "text")]
#[case::description("/description", json!(["x"]), "text")]
#[case::module("/module", json!("Leads"), "jsonobject")]
#[case::module_api_name("/module/api_name", json!(1), "text")]
#[case::module_id_text("/module/id", json!("abc"), "bigint")]
#[case::module_id_negative("/module/id", json!(-1), "bigint")]
#[case::module_id_decimal("/module/id", json!(1.5), "bigint")]
#[case::module_id_20_digits("/module/id", json!("12345678901234567890"), "bigint")]
#[case::module_id_20_digit_number("/module/id", json!(12345678901234567890_u64), "bigint")]
#[case::layout("/layout", json!("Standard"), "jsonobject")]
#[case::layout_id("/layout/id", json!(true), "bigint")]
#[case::layout_api_name("/layout/api_name", json!(3), "text")]
#[case::active_text("/active", json!("false"), "boolean")]
#[case::active_null("/active", json!(null), "boolean")]
#[case::field_rules("/field_rules", json!({}), "jsonarray")]
#[case::score_decimal("/field_rules/0/score", json!(10.5), "integer")]
#[case::score_whole_decimal("/field_rules/0/score", json!(10.0), "integer")]
#[case::score_text("/field_rules/0/score", json!("10"), "integer")]
#[case::criteria("/field_rules/0/criteria", json!([]), "jsonobject")]
#[case::group("/field_rules/0/criteria/group", json!({}), "jsonarray")]
#[case::group_operator("/field_rules/0/criteria/group_operator", json!(1), "text")]
#[case::field("/field_rules/1/criteria/field", json!("Country"), "jsonobject")]
#[case::field_id("/field_rules/1/criteria/field/id", json!("x1"), "bigint")]
#[case::comparator("/field_rules/1/criteria/comparator", json!(["equal"]), "text")]
#[case::signal_rules("/signal_rules", json!("x"), "jsonarray")]
#[case::signal("/signal_rules/0/signal", json!(5001), "jsonobject")]
#[case::signal_id("/signal_rules/0/signal/id", json!({"id": 1}), "bigint")]
#[case::namespace("/signal_rules/0/signal/namespace", json!(7), "text")]
#[case::signal_score("/signal_rules/0/score", json!("7"), "integer")]
#[case::custom_fields("/custom_fields", json!({"a": 1}), "jsonarray")]
#[case::custom_field("/custom_fields/0", json!("Score"), "jsonobject")]
#[case::field_label("/custom_fields/0/field_label", json!(1), "text")]
#[case::reference_field("/custom_fields/0/reference_field", json!("Score"), "jsonobject")]
#[case::reference_api_name("/custom_fields/0/reference_field/api_name", json!(1), "text")]
#[case::reference_id("/custom_fields/0/reference_field/id", json!("Score"), "bigint")]
fn wrong_json_types(#[case] pointer: &str, #[case] value: Value, #[case] expected: &str) {
    let e = parse_create(&edit(&leads_item(), pointer, Some(value))).unwrap_err();
    let path = pointer[1..]
        .split('/')
        .fold(String::new(), |acc, seg| match seg.parse::<usize>() {
            Ok(i) => format!("{acc}[{i}]"),
            Err(_) if acc.is_empty() => seg.to_string(),
            Err(_) => format!("{acc}.{seg}"),
        });
    assert_eq!(found(&e), vec![(codes::INVALID_DATA, path)]);
    assert_eq!(e[0].message, "Invalid data type");
    assert_eq!(e[0].details["expected_data_type"], expected);
    assert!(e[0].hint.starts_with("expected "), "{}", e[0].hint);
}

#[rstest]
#[case::field_rules("field_rules", 50, json!({"score": 1, "criteria": cond("Company", "equal", json!("x"))}))]
#[case::signal_rules("signal_rules", 250, json!({"score": 1, "signal": {"namespace": "n", "id": "1"}}))]
#[case::custom_fields("custom_fields", 6, json!({"field_label": "x", "reference_field": {"api_name": "Score"}}))]
fn lists_have_a_maximum_length(#[case] key: &str, #[case] max: usize, #[case] entry: Value) {
    let at_max = edit(
        &leads_item(),
        &format!("/{key}"),
        Some(json!(vec![entry.clone(); max])),
    );
    assert!(parse_create(&at_max).is_ok(), "{max} {key} are fine");
    let over = edit(
        &leads_item(),
        &format!("/{key}"),
        Some(json!(vec![entry; max + 1])),
    );
    let e = parse_create(&over).unwrap_err();
    assert_eq!(found(&e), vec![(codes::INVALID_DATA, key.to_string())]);
    assert_eq!(e[0].message, "Invalid data");
    assert_eq!(e[0].details["maximum_length"], max);
}

fn group(op: &str, members: Vec<Value>) -> Value {
    json!({"group_operator": op, "group": members})
}

fn with_criteria(c: Value) -> Value {
    edit(&leads_item(), "/field_rules/0/criteria", Some(c))
}

#[rstest]
#[case::one_member_as_the_sdk_sends(1)]
#[case::two(2)]
#[case::twenty_five(25)]
fn groups_of_one_to_25_members(#[case] n: usize) {
    let c = group("AND", vec![cond("Company", "equal", json!("x")); n]);
    assert!(parse_create(&with_criteria(c)).is_ok());
}

#[test]
fn groups_out_of_size() {
    let e = parse_create(&with_criteria(group("and", vec![]))).unwrap_err();
    assert_eq!(
        found(&e),
        vec![(codes::INVALID_DATA, "field_rules[0].criteria.group".into())]
    );
    assert_eq!(e[0].details["minimum_length"], 1);
    let big = group("and", vec![cond("Company", "equal", json!("x")); 26]);
    let e = parse_create(&with_criteria(big)).unwrap_err();
    assert_eq!(e[0].details["maximum_length"], 25);
    assert_eq!(e[0].hint, "a group holds at most 25 criteria (26)");
}

#[rstest]
#[case("AND", true)]
#[case("or", true)]
#[case("Or", true)]
#[case("XOR", false)]
#[case("&&", false)]
#[case("", false)]
fn group_operators(#[case] op: &str, #[case] ok: bool) {
    let c = group(
        op,
        vec![
            cond("Company", "equal", json!("x")),
            cond("Email", "equal", json!("y")),
        ],
    );
    match parse_create(&with_criteria(c)) {
        Ok(_) => assert!(ok),
        Err(e) => {
            assert!(!ok);
            assert_eq!(e[0].details["supported_values"], json!(["AND", "OR"]));
        }
    }
}

fn nested(depth: usize) -> Value {
    let mut c = cond("Company", "equal", json!("x"));
    for _ in 1..depth {
        c = group("and", vec![c, cond("Email", "equal", json!("y"))]);
    }
    c
}

#[test]
fn nesting_is_capped_at_ten_levels() {
    assert!(parse_create(&with_criteria(nested(10))).is_ok());
    let e = parse_create(&with_criteria(nested(11))).unwrap_err();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].code, codes::INVALID_DATA);
    assert!(e[0].hint.contains("at most 10 levels"), "{}", e[0].hint);
    // As deep as serde_json parses (it stops at 128 levels): one finding, for the group at
    // level 10, and nothing below it is read.
    let e = parse_create(&with_criteria(nested(120))).unwrap_err();
    assert_eq!(found(&e).len(), 1);
    assert_eq!(
        e[0].path.0.len(),
        3 + 2 * 9,
        "field_rules[0].criteria + 9 × group[0]"
    );
}

#[rstest]
#[case::spelling_from_the_old_docs("equals")]
#[case::upper_case("EQUAL")]
#[case::empty("")]
fn unknown_comparators_list_all_twenty(#[case] comparator: &str) {
    let item = edit(
        &leads_item(),
        "/field_rules/1/criteria/comparator",
        Some(json!(comparator)),
    );
    let e = parse_create(&item).unwrap_err();
    assert_eq!(
        found(&e),
        vec![(
            codes::INVALID_DATA,
            "field_rules[1].criteria.comparator".into()
        )]
    );
    assert_eq!(
        e[0].details["supported_values"].as_array().unwrap().len(),
        20
    );
}

#[test]
fn condition_type_must_be_a_known_kind() {
    let item = edit(
        &leads_item(),
        "/field_rules/1/criteria/type",
        Some(json!("magic")),
    );
    let e = parse_create(&item).unwrap_err();
    assert_eq!(
        e[0].details["supported_values"],
        json!(["value", "merge_field", "pre_defined", "field"])
    );
    let item = edit(
        &leads_item(),
        "/field_rules/1/criteria/type",
        Some(json!("value")),
    );
    assert!(parse_create(&item).is_ok());
}

#[test]
fn every_shape_problem_is_reported_in_document_order() {
    let mut item = edit(&leads_item(), "/name", None);
    item = edit(&item, "/active", Some(json!(1)));
    item = edit(&item, "/field_rules/0/score", Some(json!("10")));
    item = edit(&item, "/signal_rules/0/signal", None);
    item = edit(&item, "/custom_fields/0/reference_field", Some(json!([])));
    assert_eq!(
        errors(&item),
        vec![
            (codes::MANDATORY_NOT_FOUND, "name".into()),
            (codes::INVALID_DATA, "active".into()),
            (codes::INVALID_DATA, "field_rules[0].score".into()),
            (codes::MANDATORY_NOT_FOUND, "signal_rules[0].signal".into()),
            (
                codes::INVALID_DATA,
                "custom_fields[0].reference_field".into()
            ),
        ]
    );
}
