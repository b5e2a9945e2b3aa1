//! Findings rendered for the wire equal Zoho's official error examples
//! (`zoho-oas/examples/scoring_rules/operations/*/examples/*.md`, inlined here), where our
//! validation reports the same case. Each case names its example file.

use rstest::rstest;
use serde_json::{Value, json};

use super::super::fixtures::{Org, STANDARD, cond, deals_item, enterprise, leads_item, summary};
use super::super::{Op, apply_patch, check_rule, parse_create, parse_update};
use super::{check, check_deals, check_leads, edit};
use crate::domain::edition::Edition;
use crate::domain::id::Id;
use crate::domain::violation::Violation;

fn shape(item: Value) -> Vec<Violation> {
    parse_create(&item).expect_err("shape error expected")
}

fn leads_with(pointer: &str, value: Option<Value>) -> Vec<Violation> {
    check_leads(&edit(&leads_item(), pointer, value))
}

fn shape_with(pointer: &str, value: Option<Value>) -> Vec<Violation> {
    shape(edit(&leads_item(), pointer, value))
}

/// The fixture rule as stored, with a second custom field, then `update` applied and checked.
fn update(update: Value) -> Vec<Violation> {
    let mut stored = parse_create(&leads_item()).unwrap();
    stored.id = Some(Id::new("10"));
    stored.field_rules[0].id = Some(Id::new("11"));
    stored.field_rules[1].id = Some(Id::new("12"));
    stored.signal_rules[0].id = Some(Id::new("21"));
    stored.custom_fields[0].id = Some(Id::new("31"));
    let mut second = stored.custom_fields[0].clone();
    second.id = Some(Id::new("32"));
    second.field_label = Some("Positive Part".into());
    second.reference_field.as_mut().unwrap().api_name = Some("Positive_Score".into());
    stored.custom_fields.push(second);
    let patch = parse_update(&update).unwrap_or_else(|e| panic!("{e:?}"));
    match apply_patch(&stored, &patch) {
        Ok(p) => p.check(&enterprise().leads()),
        Err(e) => e,
    }
}

fn with_capacity(total: usize, active: usize) -> Vec<Violation> {
    let mut org = Org::new(Edition::Enterprise);
    org.others = (0..total)
        .map(|i| {
            summary(
                100 + i as u64,
                &format!("R{i}"),
                "Leads",
                Some(STANDARD),
                i < active,
            )
        })
        .collect();
    check(&leads_item(), &org.leads(), Op::Create)
}

fn fifty_one_criteria() -> Vec<Violation> {
    let org = Org::new(Edition::Ultimate);
    let conds: Vec<Value> = (0..51)
        .map(|i| cond("Company", "equal", json!(format!("c{i}"))))
        .collect();
    let field_rules: Vec<Value> = conds
        .chunks(25)
        .map(|c| match c {
            [one] => json!({"score": 1, "criteria": one}),
            many => json!({"score": 1, "criteria": {"group_operator": "OR", "group": many}}),
        })
        .collect();
    let item = json!({"name": "Many", "module": {"api_name": "Leads"}, "field_rules": field_rules});
    check(&item, &org.leads(), Op::Create)
}

fn field_limit() -> Vec<Violation> {
    let mut org = Org::new(Edition::Enterprise);
    let mut full = summary(9002, "Full", "Leads", None, false);
    full.custom_fields = 30;
    org.others = vec![full];
    check(&leads_item(), &org.leads(), Op::Create)
}

fn err(code: &str, details: Value, message: &str) -> Value {
    json!({"scoring_rules": [{"code": code, "details": details, "message": message, "status": "error"}]})
}

#[rstest]
// postScoringRules/response-400-mandatorynotfoundresponse1.md (and item 0 of response-207)
#[case::missing_name(|| shape_with("/name", None),
    err("MANDATORY_NOT_FOUND", json!({"api_name": "name", "json_path": "$.scoring_rules[0].name"}), "required field not found"))]
// postScoringRules/response-400-mandatorynotfoundresponse2.md
#[case::missing_module(|| shape_with("/module", None),
    err("MANDATORY_NOT_FOUND", json!({"api_name": "module", "json_path": "$.scoring_rules[0].module"}), "required field not found"))]
// postScoringRules/response-400-mandatorynotfoundresponse3.md
#[case::missing_criteria(|| shape_with("/field_rules/0/criteria", None),
    err("MANDATORY_NOT_FOUND", json!({"api_name": "criteria", "json_path": "$.scoring_rules[0].field_rules[0].criteria"}), "required field not found"))]
// postScoringRules/response-400-mandatorynotfoundresponse4.md
#[case::missing_signal(|| shape_with("/signal_rules/0/signal", None),
    err("MANDATORY_NOT_FOUND", json!({"api_name": "signal", "json_path": "$.scoring_rules[0].signal_rules[0].signal"}), "required field not found"))]
// postScoringRules/response-400-mandatorynotfoundresponse5.md
#[case::missing_field_label(|| shape_with("/custom_fields/0/field_label", None),
    err("MANDATORY_NOT_FOUND", json!({"api_name": "field_label", "json_path": "$.scoring_rules[0].custom_fields[0].field_label"}), "required field not found"))]
// postScoringRules/response-400-mandatorynotfoundresponse6.md
#[case::missing_reference_field(|| shape_with("/custom_fields/0/reference_field", None),
    err("MANDATORY_NOT_FOUND", json!({"api_name": "reference_field", "json_path": "$.scoring_rules[0].custom_fields[0].reference_field"}), "required field not found"))]
// postScoringRules/response-400-invaliddataresponse13.md
#[case::description_type(|| shape_with("/description", Some(json!(5))),
    err("INVALID_DATA", json!({"api_name": "description", "expected_data_type": "text", "json_path": "$.scoring_rules[0].description"}), "Invalid data type"))]
// postScoringRules/response-400-invaliddataresponse15.md
#[case::active_type(|| shape_with("/active", Some(json!("true"))),
    err("INVALID_DATA", json!({"api_name": "active", "expected_data_type": "boolean", "json_path": "$.scoring_rules[0].active"}), "Invalid data type"))]
// postScoringRules/response-400-invaliddataresponse16.md
#[case::custom_fields_type(|| shape_with("/custom_fields", Some(json!({}))),
    err("INVALID_DATA", json!({"api_name": "custom_fields", "expected_data_type": "jsonarray", "json_path": "$.scoring_rules[0].custom_fields"}), "Invalid data type"))]
// postScoringRules/response-400-invaliddataresponse17.md
#[case::custom_fields_length(|| shape_with("/custom_fields", Some(json!(vec![json!({}); 7]))),
    err("INVALID_DATA", json!({"api_name": "custom_fields", "maximum_length": 6, "json_path": "$.scoring_rules[0].custom_fields"}), "Invalid data"))]
// postScoringRules/response-400-invaliddataresponse19.md
#[case::field_label_length(|| leads_with("/custom_fields/0/field_label", Some(json!("l".repeat(101)))),
    err("INVALID_DATA", json!({"api_name": "field_label", "maximum_length": 100, "json_path": "$.scoring_rules[0].custom_fields[0].field_label"}), "Invalid data"))]
// postScoringRules/response-400-invaliddataresponse20.md
#[case::reference_field_type(|| shape_with("/custom_fields/0/reference_field", Some(json!("Score"))),
    err("INVALID_DATA", json!({"api_name": "reference_field", "expected_data_type": "jsonobject", "json_path": "$.scoring_rules[0].custom_fields[0].reference_field"}), "Invalid data type"))]
// postScoringRules/response-400-invaliddataresponse22.md
#[case::reference_api_name_type(|| shape_with("/custom_fields/0/reference_field/api_name", Some(json!(1))),
    err("INVALID_DATA", json!({"api_name": "api_name", "expected_data_type": "text", "json_path": "$.scoring_rules[0].custom_fields[0].reference_field.api_name"}), "Invalid data type"))]
// postScoringRules/response-400-invaliddataresponse26.md
#[case::field_rules_length(|| shape_with("/field_rules", Some(json!(vec![json!({}); 51]))),
    err("INVALID_DATA", json!({"api_name": "field_rules", "maximum_length": 50, "json_path": "$.scoring_rules[0].field_rules"}), "Invalid data"))]
// postScoringRules/response-400-invaliddataresponse28.md
#[case::score_type(|| shape_with("/field_rules/0/score", Some(json!(10.5))),
    err("INVALID_DATA", json!({"api_name": "score", "expected_data_type": "integer", "json_path": "$.scoring_rules[0].field_rules[0].score"}), "Invalid data type"))]
// postScoringRules/response-400-invaliddataresponse3.md
#[case::description_length(|| leads_with("/description", Some(json!("d".repeat(501)))),
    err("INVALID_DATA", json!({"maximum_length": 500, "api_name": "description", "json_path": "$.scoring_rules[0].description"}), "invalid data"))]
// postScoringRules/response-400-invaliddataresponse30.md
#[case::signal_type(|| shape_with("/signal_rules/0/signal", Some(json!([]))),
    err("INVALID_DATA", json!({"api_name": "signal", "expected_data_type": "jsonobject", "json_path": "$.scoring_rules[0].signal_rules[0].signal"}), "Invalid data type"))]
// postScoringRules/response-400-invaliddataresponse31.md
#[case::namespace_type(|| shape_with("/signal_rules/0/signal/namespace", Some(json!(3))),
    err("INVALID_DATA", json!({"api_name": "namespace", "expected_data_type": "text", "json_path": "$.scoring_rules[0].signal_rules[0].signal.namespace"}), "Invalid data type"))]
// postScoringRules/response-400-invaliddataresponse33.md
#[case::signal_id_type(|| shape_with("/signal_rules/0/signal/id", Some(json!("open"))),
    err("INVALID_DATA", json!({"api_name": "id", "expected_data_type": "bigint", "json_path": "$.scoring_rules[0].signal_rules[0].signal.id"}), "Invalid data type"))]
// postScoringRules/response-400-invaliddataresponse35.md
#[case::signal_score_type(|| shape_with("/signal_rules/0/score", Some(json!("7"))),
    err("INVALID_DATA", json!({"api_name": "score", "expected_data_type": "integer", "json_path": "$.scoring_rules[0].signal_rules[0].score"}), "Invalid data type"))]
// postScoringRules/response-400-invaliddataresponse36.md
#[case::layout_type(|| shape_with("/layout", Some(json!(2001))),
    err("INVALID_DATA", json!({"api_name": "layout", "expected_data_type": "jsonobject", "json_path": "$.scoring_rules[0].layout"}), "Invalid data type"))]
// postScoringRules/response-400-invaliddataresponse37.md
#[case::layout_id_type(|| shape_with("/layout/id", Some(json!("Standard"))),
    err("INVALID_DATA", json!({"api_name": "id", "expected_data_type": "bigint", "json_path": "$.scoring_rules[0].layout.id"}), "Invalid data type"))]
// postScoringRules/response-400-invaliddataresponse40.md
#[case::module_type(|| shape_with("/module", Some(json!("Leads"))),
    err("INVALID_DATA", json!({"api_name": "module", "expected_data_type": "jsonobject", "json_path": "$.scoring_rules[0].module"}), "Invalid data type"))]
// postScoringRules/response-400-invaliddataresponse42.md
#[case::module_id_type(|| shape_with("/module/id", Some(json!("Leads"))),
    err("INVALID_DATA", json!({"api_name": "id", "expected_data_type": "bigint", "json_path": "$.scoring_rules[0].module.id"}), "Invalid data type"))]
// postScoringRules/response-400-invaliddataresponse44.md
#[case::name_type(|| shape_with("/name", Some(json!(["x"]))),
    err("INVALID_DATA", json!({"api_name": "name", "expected_data_type": "text", "json_path": "$.scoring_rules[0].name"}), "Invalid data type"))]
// postScoringRules/response-400-invaliddataresponse5.md
#[case::layout_id(|| leads_with("/layout/id", Some(json!("4001"))),
    err("INVALID_DATA", json!({"api_name": "id", "json_path": "$.scoring_rules[0].layout.id"}), "Layout id seems to be invalid"))]
// postScoringRules/response-400-invaliddataresponse6.md
#[case::module_id(|| leads_with("/module/id", Some(json!("3000"))),
    err("INVALID_DATA", json!({"api_name": "id", "json_path": "$.scoring_rules[0].module.id"}), "Module specified seems to be invalid"))]
// postScoringRules/response-400-invaliddataresponse8.md
#[case::signal_id(|| leads_with("/signal_rules/0/signal/id", Some(json!("5999"))),
    err("INVALID_DATA", json!({"api_name": "id", "json_path": "$.scoring_rules[0].signal_rules[0].signal.id"}), "Invalid or Unsupported signal id"))]
// postScoringRules/response-400-invaliddataresponse9.md
#[case::label_characters(|| leads_with("/custom_fields/0/field_label", Some(json!("Score (total)"))),
    err("INVALID_DATA", json!({"api_name": "field_label", "json_path": "$.scoring_rules[0].custom_fields[0].field_label"}), "Special characters in field label"))]
// postScoringRules/response-400-limitexceededresponse1.md
#[case::criteria_limit(fifty_one_criteria,
    err("LIMIT_EXCEEDED", json!({"api_name": "field_rules", "limit": 50, "json_path": "$.scoring_rules[0].field_rules"}), "More than 50 criteria cannot be configured with field_rules"))]
// postScoringRules/response-400-limitexceededresponse2.md
#[case::layout_total(|| with_capacity(10, 0),
    err("LIMIT_EXCEEDED", json!({"api_name": "id", "limit": 10, "json_path": "$.scoring_rules[0].layout.id"}), "More than 10 scoring rules cannot be created for a layout"))]
// postScoringRules/response-400-activestatelimitexceededresponse1.md
#[case::layout_active(|| with_capacity(9, 5),
    err("ACTIVE_STATE_LIMIT_EXCEEDED", json!({"api_name": "id", "limit": 5, "json_path": "$.scoring_rules[0].layout.id"}), "More than 5 active scoring rules cannot be created for a layout"))]
// postScoringRules/response-400-alreadyusedresponse1.md
#[case::repeated_criteria(|| leads_with("/field_rules/1/criteria", Some(json!({"group_operator": "OR", "group": [
        cond("Lead_Status", "equal", json!("hot")), cond("Company", "contains", json!("Zoho"))]}))),
    err("ALREADY_USED", json!({"api_name": "criteria", "exists_in": {"api_name": "criteria", "json_path": "$.scoring_rules[0].field_rules[0].criteria"},
        "json_path": "$.scoring_rules[0].field_rules[1].criteria"}), "The criteria is already given in the same rule under different index"))]
// postScoringRules/response-400-alreadyusedresponse2.md
#[case::repeated_reference(|| leads_with("/custom_fields", Some(json!([
        {"field_label": "A", "reference_field": {"api_name": "Score"}}, {"field_label": "B", "reference_field": {"api_name": "Score"}}]))),
    err("ALREADY_USED", json!({"api_name": "reference_field", "json_path": "$.scoring_rules[0].custom_fields[1].reference_field"}), "Duplicate reference field"))]
// postScoringRules/response-400-expectedfieldmissingresponse1.md
#[case::nothing_to_score_leads(|| check_leads(&edit(&edit(&leads_item(), "/field_rules", None), "/signal_rules", None)),
    json!({"scoring_rules": [{"code": "EXPECTED_FIELD_MISSING", "details": {"expected_fields": [
        {"api_name": "field_rules", "json_path": "$.scoring_rules[0].field_rules"},
        {"api_name": "signal_rules", "json_path": "$.scoring_rules[0].signal_rules"}]},
        "message": "field_rules or signal_rules is expected", "status": "error"}]}))]
// postScoringRules/response-400-expectedfieldmissingresponse2.md
#[case::nothing_to_score_deals(|| check_deals(&edit(&deals_item(), "/field_rules", None)),
    json!({"scoring_rules": [{"code": "EXPECTED_FIELD_MISSING", "details": {"expected_fields": [
        {"api_name": "field_rules", "json_path": "$.scoring_rules[0].field_rules"}]},
        "message": "Field_Rules is expected", "status": "error"}]}))]
// postScoringRules/response-400-expectedfieldmissingresponse3.md
#[case::reference_neither(|| leads_with("/custom_fields/0/reference_field", Some(json!({}))),
    json!({"scoring_rules": [{"code": "EXPECTED_FIELD_MISSING", "details": {"expected_fields": [
        {"api_name": "id", "json_path": "$.scoring_rules[0].custom_fields[0].reference_field.id"},
        {"api_name": "api_name", "json_path": "$.scoring_rules[0].custom_fields[0].reference_field.api_name"}]},
        "message": "Specify atleast one field", "status": "error"}]}))]
// putScoringRuleById/response-400-ambiguityduringprocessingresponse1.md
#[case::reference_both(|| leads_with("/custom_fields/0/reference_field", Some(json!({"id": "1116", "api_name": "Score"}))),
    json!({"scoring_rules": [{"code": "AMBIGUITY_DURING_PROCESSING", "status": "error", "details": {"ambiguity_due_to": [
        {"api_name": "id", "json_path": "$.scoring_rules[0].custom_fields[0].reference_field.id"},
        {"api_name": "api_name", "json_path": "$.scoring_rules[0].custom_fields[0].reference_field.api_name"}]},
        "message": "Ambiguity while processing the request"}]}))]
// putScoringRules/response-400-invaliddataresponse1.md and putScoringRuleById/…1.md
#[case::name_length(|| update(json!({"name": "n".repeat(26)})),
    err("INVALID_DATA", json!({"maximum_length": 25, "api_name": "name", "json_path": "$.scoring_rules[0].name"}), "invalid data"))]
// putScoringRules/response-400-invaliddataresponse2.md
#[case::name_characters(|| update(json!({"name": "Hot <leads>"})),
    err("INVALID_DATA", json!({"regex": "[^`~#%^&*()+=\";<>\\[\\]{}|\\\\]+$", "api_name": "name", "json_path": "$.scoring_rules[0].name"}), "invalid data"))]
// putScoringRuleById/response-400-duplicatedataresponse1.md
#[case::name_taken(|| update(json!({"name": "EXISTING rule"})),
    err("DUPLICATE_DATA", json!({"api_name": "name", "json_path": "$.scoring_rules[0].name"}), "The data is already given in the name"))]
// putScoringRules/response-400-duplicatedataresponse4.md
#[case::repeated_criteria_on_update(|| update(json!({"field_rules": [{"id": "11", "criteria": cond("Country", "not_equal", json!("${EMPTY}"))}]})),
    err("DUPLICATE_DATA", json!({"api_name": "criteria", "json_path": "$.scoring_rules[0].field_rules[0].criteria"}), "The criteria is already available in the rule"))]
// putScoringRuleById/response-400-duplicatedataresponse3.md
#[case::label_taken_on_update(|| update(json!({"custom_fields": [{"id": "32", "field_label": "engagement score"}]})),
    err("DUPLICATE_DATA", json!({"api_name": "field_label", "json_path": "$.scoring_rules[0].custom_fields[0].field_label"}), "Field label duplicate"))]
// putScoringRuleById/response-400-notallowedresponse1.md
#[case::system_keyword(|| update(json!({"custom_fields": [{"id": "32", "field_label": "Last Name"}]})),
    err("NOT_ALLOWED", json!({"api_name": "field_label", "json_path": "$.scoring_rules[0].custom_fields[0].field_label"}), "System keyword not allowed in field label"))]
// putScoringRules/response-400-invaliddataresponse7.md
#[case::unknown_custom_field_id(|| update(json!({"custom_fields": [{"id": "31", "field_label": "Fine"}, {"id": "33", "field_label": "Gone"}]})),
    err("INVALID_DATA", json!({"api_name": "id", "json_path": "$.scoring_rules[0].custom_fields[1].id"}), "The id given seems to be invalid"))]
// putScoringRuleById/response-400-invaliddataresponse8.md
#[case::unknown_reference_id(|| update(json!({"custom_fields": [{"field_label": "New", "reference_field": {"id": "1101"}}]})),
    err("INVALID_DATA", json!({"api_name": "id", "json_path": "$.scoring_rules[0].custom_fields[0].reference_field.id"}), "The id given seems to be invalid"))]
// putScoringRuleById/response-400-invaliddataresponse9.md
#[case::rule_id_type(|| parse_update(&json!({"id": "rule-1"})).unwrap_err(),
    err("INVALID_DATA", json!({"api_name": "id", "expected_data_type": "bigint", "json_path": "$.scoring_rules[0].id"}), "Invalid data type"))]
// putScoringRuleById/response-400-invaliddataresponse36.md
#[case::signal_rule_id_type(|| parse_update(&json!({"signal_rules": [{"id": true, "_delete": null}]})).unwrap_err(),
    err("INVALID_DATA", json!({"api_name": "id", "expected_data_type": "bigint", "json_path": "$.scoring_rules[0].signal_rules[0].id"}), "Invalid data type"))]
// putScoringRules/response-400-invaliddataresponse13.md
#[case::criteria_type_on_update(|| parse_update(&json!({"field_rules": [{"score": 1, "criteria": "Country"}]})).unwrap_err(),
    err("INVALID_DATA", json!({"api_name": "criteria", "expected_data_type": "jsonobject", "json_path": "$.scoring_rules[0].field_rules[0].criteria"}), "Invalid data type"))]
// putScoringRuleById/response-400-fieldlimitexceededresponse1.md shows limit 40; Enterprise allows 30.
#[case::field_limit(field_limit,
    json!({"scoring_rules": [{"code": "FIELD_LIMIT_EXCEEDED", "status": "error", "details": {"limit": 30},
        "message": "Field limit reached for the given field type in the given module"}]}))]
fn first_finding_renders_like_the_official_example(
    #[case] produce: fn() -> Vec<Violation>,
    #[case] expected: Value,
) {
    let found = produce();
    let first = found
        .first()
        .unwrap_or_else(|| panic!("no finding; expected {expected}"));
    assert_eq!(
        json!({"scoring_rules": [first.to_wire(0)]}),
        expected,
        "hint: {}",
        first.hint
    );
}

#[test]
fn rule_index_roots_every_path() {
    let v = leads_with("/custom_fields/0/reference_field", Some(json!({}))).remove(0);
    let wire = v.to_wire(3);
    assert_eq!(
        wire["details"]["expected_fields"][1]["json_path"],
        "$.scoring_rules[3].custom_fields[0].reference_field.api_name"
    );
    assert!(wire["details"].get("json_path").is_none());
    let unused = check_rule(
        &parse_create(&deals_item()).unwrap(),
        &enterprise().deals(),
        Op::Create,
    );
    assert!(unused.is_empty());
}
