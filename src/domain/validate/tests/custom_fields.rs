//! Custom (score-holding) fields: reference fields, labels, repeats, the module-wide limit.

use rstest::rstest;
use serde_json::{Value, json};

use super::super::fixtures::{Org, deals_item, enterprise, leads_item, summary};
use super::super::{Op, check_rule, parse_create};
use super::{check, check_deals, check_leads, edit, found, only};
use crate::domain::edition::Edition;
use crate::domain::violation::codes;

fn custom(label: &str, reference: Value) -> Value {
    json!({"field_label": label, "reference_field": reference})
}

fn with_custom(fields: Vec<Value>) -> Value {
    edit(&leads_item(), "/custom_fields", Some(json!(fields)))
}

#[rstest]
#[case::each_score_field("Positive_Score")]
#[case::touch_point("Touch_Point_Negative_Score")]
#[case::any_case("negative_score")]
fn reference_fields_by_api_name(#[case] api_name: &str) {
    let item = with_custom(vec![custom("My Score", json!({"api_name": api_name}))]);
    assert_eq!(found(&check_leads(&item)), vec![]);
}

#[test]
fn reference_fields_by_id() {
    assert_eq!(
        found(&check_leads(&with_custom(vec![custom(
            "My Score",
            json!({"id": "1116"})
        )]))),
        vec![]
    );
    let v = only(check_leads(&with_custom(vec![custom(
        "My Score",
        json!({"id": "1102"}),
    )])));
    assert_eq!(
        (v.code, v.path.to_string()),
        (
            codes::INVALID_DATA,
            "custom_fields[0].reference_field.id".into()
        )
    );
    assert_eq!(v.message, "The id given seems to be invalid");
    assert_eq!(v.hint, "1102 is not the id of a score field of \"Leads\"");
}

#[test]
fn unknown_reference_field() {
    let v = only(check_leads(&with_custom(vec![custom(
        "My Score",
        json!({"api_name": "Total"}),
    )])));
    assert_eq!(
        v.message,
        "Reference field api_name given seems to be invalid"
    );
    assert_eq!(
        v.path.to_string(),
        "custom_fields[0].reference_field.api_name"
    );
    assert_eq!(
        v.details["supported_values"],
        json!([
            "Positive_Score",
            "Negative_Score",
            "Touch_Point_Positive_Score",
            "Touch_Point_Negative_Score",
            "Touch_Point_Score",
            "Score"
        ])
    );
}

#[test]
fn touch_point_references_only_on_people_modules() {
    let item = edit(
        &deals_item(),
        "/custom_fields",
        Some(json!([custom(
            "Deal TP",
            json!({"api_name": "Touch_Point_Score"})
        )])),
    );
    let v = only(check_deals(&item));
    assert_eq!(
        v.message,
        "Reference field api_name given seems to be invalid"
    );
    assert_eq!(
        v.details["supported_values"],
        json!(["Positive_Score", "Negative_Score", "Score"])
    );
    assert!(v.hint.contains("only on Leads and Contacts"), "{}", v.hint);
}

#[test]
fn reference_field_needs_exactly_one_of_id_and_api_name() {
    let v = only(check_leads(&with_custom(vec![custom(
        "My Score",
        json!({}),
    )])));
    assert_eq!(
        (v.code, v.message.as_str()),
        (codes::EXPECTED_FIELD_MISSING, "Specify atleast one field")
    );
    assert!(!v.locate);
    assert_eq!(
        v.details["expected_fields"],
        json!([{"api_name": "id", "json_path": "$.custom_fields[0].reference_field.id"},
               {"api_name": "api_name", "json_path": "$.custom_fields[0].reference_field.api_name"}])
    );
    let v = only(check_leads(&with_custom(vec![custom(
        "My Score",
        json!({"id": "1116", "api_name": "Score"}),
    )])));
    assert_eq!(
        (v.code, v.message.as_str()),
        (
            codes::AMBIGUITY_DURING_PROCESSING,
            "Ambiguity while processing the request"
        )
    );
    assert_eq!(v.details.keys().collect::<Vec<_>>(), ["ambiguity_due_to"]);
}

#[test]
fn a_score_field_is_mapped_once_per_rule() {
    let item = with_custom(vec![
        custom("First", json!({"api_name": "Score"})),
        custom("Second", json!({"id": "1117"})),
        custom("Third", json!({"api_name": "score"})),
    ]);
    let v = only(check_leads(&item));
    assert_eq!(
        (v.code, v.path.to_string()),
        (
            codes::ALREADY_USED,
            "custom_fields[2].reference_field".into()
        )
    );
    assert_eq!(v.message, "Duplicate reference field");
    assert_eq!(
        v.hint,
        "another custom field of this rule already holds Score"
    );
}

#[rstest]
#[case::at_limit("l".repeat(100), None)]
#[case::over_limit("l".repeat(101), Some((codes::INVALID_DATA, "Invalid data")))]
#[case::special_character("Score #1".to_string(), Some((codes::INVALID_DATA, "Special characters in field label")))]
#[case::escape("Score\u{1b}".to_string(), Some((codes::INVALID_DATA, "Special characters in field label")))]
#[case::system_field_label("email".to_string(), Some((codes::NOT_ALLOWED, "System keyword not allowed in field label")))]
#[case::system_field_api_name("Annual_Revenue".to_string(), Some((codes::NOT_ALLOWED, "System keyword not allowed in field label")))]
#[case::score_field_spelled_out("positive score".to_string(), Some((codes::NOT_ALLOWED, "System keyword not allowed in field label")))]
#[case::user_custom_field("Budget".to_string(), Some((codes::NOT_ALLOWED, "System keyword not allowed in field label")))]
#[case::layout("Layout".to_string(), Some((codes::NOT_ALLOWED, "System keyword not allowed in field label")))]
#[case::existing_scoring_field("Lead Total".to_string(), None)]
#[case::blank(" ".to_string(), Some((codes::INVALID_DATA, "invalid data")))]
fn field_labels(#[case] label: String, #[case] finding: Option<(&str, &str)>) {
    let vs = check_leads(&with_custom(vec![custom(
        &label,
        json!({"api_name": "Score"}),
    )]));
    match finding {
        None => assert_eq!(found(&vs), vec![]),
        Some((code, message)) => {
            let v = only(vs);
            assert_eq!((v.code, v.message.as_str()), (code, message));
            assert_eq!(v.path.to_string(), "custom_fields[0].field_label");
        }
    }
}

#[test]
fn labels_are_unique_within_the_rule() {
    let item = with_custom(vec![
        custom("Total", json!({"api_name": "Score"})),
        custom(" total ", json!({"api_name": "Positive_Score"})),
    ]);
    let v = only(check_leads(&item));
    assert_eq!(
        (v.code, v.path.to_string()),
        (codes::DUPLICATE_DATA, "custom_fields[1].field_label".into())
    );
    assert_eq!(v.message, "Field label duplicate");
}

#[test]
fn hand_built_rules_need_label_and_reference_on_new_fields() {
    let mut r = parse_create(&leads_item()).unwrap();
    r.custom_fields[0].field_label = None;
    r.custom_fields[0].reference_field = None;
    let org = enterprise();
    let vs = check_rule(&r, &org.leads(), Op::Create);
    assert_eq!(
        found(&vs),
        vec![
            (
                codes::MANDATORY_NOT_FOUND,
                "custom_fields[0].reference_field".into()
            ),
            (
                codes::MANDATORY_NOT_FOUND,
                "custom_fields[0].field_label".into()
            ),
        ]
    );
    r.custom_fields[0].id = Some(crate::domain::Id::new("77"));
    assert_eq!(
        found(&check_rule(&r, &org.leads(), Op::Update)),
        vec![],
        "stored fields keep just id/api_name"
    );
    r.custom_fields = vec![r.custom_fields[0].clone(); 7];
    let v = only(check_rule(&r, &org.leads(), Op::Update));
    assert_eq!(
        (v.path.to_string(), v.details["maximum_length"].clone()),
        ("custom_fields".into(), json!(6))
    );
}

#[rstest]
#[case(Edition::Enterprise, 30)]
#[case(Edition::Standard, 6)]
fn custom_fields_per_module_follow_the_edition(#[case] edition: Edition, #[case] limit: usize) {
    let mut org = Org::new(edition);
    let mut leads_rule = summary(9002, "Leads rule", "Leads", None, false);
    leads_rule.custom_fields = limit - 1;
    let mut deals_rule = summary(9003, "Deals rule", "Deals", None, false);
    deals_rule.custom_fields = 5;
    org.others = vec![leads_rule, deals_rule];
    let one = with_custom(vec![custom("A", json!({"api_name": "Score"}))]);
    assert_eq!(found(&check(&one, &org.leads(), Op::Update)), vec![]);
    let two = with_custom(vec![
        custom("A", json!({"api_name": "Score"})),
        custom("B", json!({"api_name": "Positive_Score"})),
    ]);
    let v = only(check(&two, &org.leads(), Op::Update));
    assert_eq!(v.code, codes::FIELD_LIMIT_EXCEEDED);
    assert_eq!(
        v.message,
        "Field limit reached for the given field type in the given module"
    );
    assert_eq!(v.details.keys().collect::<Vec<_>>(), ["limit"]);
    assert_eq!(v.details["limit"], limit);
    assert!(!v.locate);
}
