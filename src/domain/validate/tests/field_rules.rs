//! Field rules: scores, conditions against fields and layouts, comparators × data types, value
//! shapes (through `operand::parse_operand`), the criteria limit, repeated criteria.

use rstest::rstest;
use serde_json::{Value, json};

use super::super::fixtures::{Org, PARTNER, cond, enterprise};
use super::super::{Op, check_rule, parse_create};
use super::{check, check_leads, found, only};
use crate::domain::edition::Edition;
use crate::domain::metadata::DataType;
use crate::domain::operand::comparators_for;
use crate::domain::rule::Comparator;
use crate::domain::violation::codes;

/// A Leads rule without layout whose field rules have these criteria (scores 10, 11, …).
fn rule(criteria: Vec<Value>) -> Value {
    let field_rules: Vec<Value> = criteria
        .into_iter()
        .enumerate()
        .map(|(i, c)| json!({"score": 10 + i as i64, "criteria": c}))
        .collect();
    json!({"name": "Test rule", "module": {"api_name": "Leads"}, "field_rules": field_rules})
}

fn one(c: Value) -> Value {
    rule(vec![c])
}

#[rstest]
#[case(-101, false)]
#[case(-100, true)]
#[case(0, true)]
#[case(100, true)]
#[case(101, false)]
#[case(i64::MIN, false)]
fn field_rule_scores(#[case] score: i64, #[case] ok: bool) {
    let item = json!({"name": "s", "module": {"api_name": "Leads"},
        "field_rules": [{"score": score, "criteria": cond("Company", "equal", json!("x"))}]});
    let vs = check_leads(&item);
    if ok {
        assert_eq!(found(&vs), vec![]);
    } else {
        let v = only(vs);
        assert_eq!(
            (v.code, v.path.to_string()),
            (codes::INVALID_DATA, "field_rules[0].score".into())
        );
        assert_eq!(v.message, "invalid data");
        assert_eq!(v.details["api_name"], "score");
        assert_eq!(v.details["range"], json!({"min": -100, "max": 100}));
        assert_eq!(
            v.hint,
            format!("score must be an integer from -100 to 100 ({score})")
        );
    }
}

#[test]
fn integers_beyond_i64_are_out_of_range_not_a_crash() {
    let item = json!({"name": "s", "module": {"api_name": "Leads"},
        "field_rules": [{"score": 18446744073709551615_u64, "criteria": cond("Company", "equal", json!("x"))}]});
    assert_eq!(
        only(check_leads(&item)).path.to_string(),
        "field_rules[0].score"
    );
}

#[rstest]
#[case::text_equal("Company", "equal", json!("zoho"), true)]
#[case::text_contains("Company", "contains", json!("zo"), true)]
#[case::text_in("Company", "in", json!(["a", "b"]), true)]
#[case::text_greater("Company", "greater_than", json!("a"), false)]
#[case::text_between("Company", "between", json!(["a", "b"]), false)]
#[case::text_include("Company", "include_all", json!([{"id": "1"}]), false)]
#[case::email_ends_with("Email", "ends_with", json!("@zoho.com"), true)]
#[case::picklist_equal("Lead_Status", "equal", json!("Hot"), true)]
#[case::picklist_starts_with("Lead_Status", "starts_with", json!("Co"), true)]
#[case::picklist_like("Lead_Status", "like", json!("Hot"), false)]
#[case::multi_picklist_contains("Skills", "contains", json!("Rust"), true)]
#[case::multi_picklist_starts_with("Skills", "starts_with", json!("R"), false)]
#[case::integer_between("No_of_Employees", "between", json!([10, 50]), true)]
#[case::integer_greater("No_of_Employees", "greater_than", json!(5), true)]
#[case::integer_contains("No_of_Employees", "contains", json!("5"), false)]
#[case::currency_less_equal("Annual_Revenue", "less_equal", json!(1000.5), true)]
#[case::currency_like("Annual_Revenue", "like", json!("1"), false)]
#[case::date_between("Birth_Date", "between", json!(["2020-01-01", "2020-12-31"]), true)]
#[case::date_relative("Birth_Date", "less_than", json!("${LAST_N_DAYS:30}"), true)]
#[case::date_in("Birth_Date", "in", json!(["2020-01-01"]), false)]
#[case::datetime_due_in("Created_Time", "greater_than", json!("${DUEINDAYS}+12"), true)]
#[case::datetime_contains("Created_Time", "contains", json!("2020"), false)]
#[case::boolean_equal("Email_Opt_Out", "equal", json!(true), true)]
#[case::boolean_not_equal("Email_Opt_Out", "not_equal", json!(false), true)]
#[case::boolean_in("Email_Opt_Out", "in", json!([true]), false)]
#[case::ownerlookup_equal("Owner", "equal", json!({"id": "123"}), true)]
#[case::ownerlookup_current_user("Owner", "equal", json!({"name": "${CURRENTUSER}"}), true)]
#[case::ownerlookup_contains("Owner", "contains", json!("a"), false)]
#[case::lookup_not_equal("Campaign", "not_equal", json!({"id": 42}), true)]
#[case::multiuserlookup_include("Assistants", "include_any", json!([{"id": "1"}]), true)]
#[case::multiuserlookup_in("Assistants", "in", json!(["1"]), false)]
#[case::formula_as_double("Revenue_Band", "greater_than", json!(1.5), true)]
#[case::formula_contains("Revenue_Band", "contains", json!("x"), false)]
#[case::custom_currency("Budget", "between", json!([1, 2]), true)]
fn comparators_by_data_type(
    #[case] field: &str,
    #[case] comparator: &str,
    #[case] value: Value,
    #[case] ok: bool,
) {
    let vs = check_leads(&one(cond(field, comparator, value)));
    if ok {
        assert_eq!(found(&vs), vec![]);
        return;
    }
    let v = only(vs);
    assert_eq!(
        (v.code, v.path.to_string()),
        (
            codes::INVALID_DATA,
            "field_rules[0].criteria.comparator".into()
        )
    );
    let org = enterprise();
    let dt = org.leads.field(field).unwrap().effective_type();
    let expected: Vec<&str> = comparators_for(&dt)
        .iter()
        .map(Comparator::as_str)
        .collect();
    assert_eq!(v.details["supported_values"], json!(expected));
    assert!(
        v.hint.contains(&format!("\"{comparator}\" does not apply")),
        "{}",
        v.hint
    );
}

#[test]
fn comparator_table_covers_every_data_type_of_the_fixture() {
    let org = enterprise();
    let types: Vec<DataType> = org
        .leads
        .fields
        .iter()
        .map(|f| f.effective_type())
        .collect();
    for c in Comparator::ALL {
        assert!(
            types.iter().any(|t| comparators_for(t).contains(&c)),
            "{} never allowed",
            c.as_str()
        );
    }
}

#[rstest]
#[case::between_one("No_of_Employees", "between", json!([1]), None, "exactly two")]
#[case::between_three("No_of_Employees", "between", json!([1, 2, 3]), None, "exactly two")]
#[case::between_scalar("No_of_Employees", "between", json!(1), Some("jsonarray"), "between takes")]
#[case::in_none("Company", "in", json!([]), None, "at least one")]
#[case::in_scalar("Company", "not_in", json!("a"), Some("jsonarray"), "list of values")]
#[case::number_as_words("No_of_Employees", "equal", json!("many"), Some("double"), "not a number")]
#[case::checkbox_words("Email_Opt_Out", "equal", json!("yes"), Some("boolean"), "true or false")]
#[case::lookup_name("Owner", "equal", json!("Patricia"), None, "not a record id")]
#[case::lookup_without_id("Owner", "equal", json!({"name": "Patricia"}), None, "numeric id")]
#[case::too_many_lookups("Assistants", "include_all", json!([{"id": 1}, {"id": 2}, {"id": 3}, {"id": 4}, {"id": 5}, {"id": 6}]), None, "at most 5")]
#[case::day_first_date("Birth_Date", "equal", json!("31/01/2025"), None, "is not a date")]
#[case::empty_placeholder_with_contains("Company", "contains", json!("${EMPTY}"), None, "equal / not_equal")]
#[case::missing_value("Company", "equal", Value::Null, None, "required")]
#[case::empty_text_search("Company", "starts_with", json!(""), None, "some text")]
fn values_must_fit_comparator_and_field(
    #[case] field: &str,
    #[case] comparator: &str,
    #[case] value: Value,
    #[case] expected_type: Option<&str>,
    #[case] hint: &str,
) {
    let v = only(check_leads(&one(cond(field, comparator, value))));
    assert_eq!(
        (v.code, v.path.to_string()),
        (codes::INVALID_DATA, "field_rules[0].criteria.value".into())
    );
    assert_eq!(v.details["api_name"], "value");
    assert_eq!(
        v.details.get("expected_data_type").and_then(Value::as_str),
        expected_type
    );
    assert!(v.hint.contains(hint), "{:?} lacks {hint:?}", v.hint);
}

#[test]
fn picklist_values_must_be_the_fields() {
    let v = only(check_leads(&one(cond(
        "Lead_Status",
        "in",
        json!(["Hot", "Lukewarm"]),
    ))));
    assert_eq!(v.message, "invalid data");
    assert_eq!(
        v.details["supported_values"],
        json!(["Hot", "Cold", "Contacted"])
    );
    assert_eq!(v.hint, "\"Lukewarm\" is not a value of Lead Status");
    assert_eq!(
        found(&check_leads(&one(cond(
            "Lead_Status",
            "equal",
            json!("hot")
        )))),
        vec![]
    );
}

#[test]
fn fields_must_exist_and_ids_must_match() {
    let v = only(check_leads(&one(cond("Shoe_Size", "equal", json!("x")))));
    assert_eq!(v.path.to_string(), "field_rules[0].criteria.field.api_name");
    assert_eq!(v.hint, "module \"Leads\" has no field \"Shoe_Size\"");
    let c = json!({"field": {"api_name": "Company", "id": "1103"}, "comparator": "equal", "value": "x"});
    let v = only(check_leads(&one(c)));
    assert_eq!(
        (v.message.as_str(), v.path.to_string()),
        (
            "The id given seems to be invalid",
            "field_rules[0].criteria.field.id".into()
        )
    );
    let c =
        json!({"field": {"api_name": "Company", "id": 1102}, "comparator": "equal", "value": "x"});
    assert_eq!(found(&check_leads(&one(c))), vec![]);
}

#[rstest]
#[case::score("Score")]
#[case::positive_score("Positive_Score")]
#[case::touch_point_score("Touch_Point_Score")]
#[case::layout("Layout")]
#[case::created_by_a_scoring_rule("Lead_Total")]
fn layout_and_score_fields_are_not_criteria(#[case] field: &str) {
    let v = only(check_leads(&one(cond(field, "equal", json!(1)))));
    assert_eq!(v.code, codes::NOT_SUPPORTED);
    assert_eq!(
        v.message,
        "Layout and score fields cannot be used in criteria"
    );
    assert_eq!(v.path.to_string(), "field_rules[0].criteria.field.api_name");
}

#[test]
fn fields_must_be_in_the_rules_layout() {
    let item = json!({"name": "Partners", "module": {"api_name": "Leads"}, "layout": {"id": PARTNER},
        "field_rules": [{"score": 5, "criteria": {"group_operator": "AND", "group": [
            cond("Company", "equal", json!("zoho")), cond("Country", "equal", json!("India"))]}}]});
    let v = only(check_leads(&item));
    assert_eq!(v.code, codes::NOT_SUPPORTED);
    assert_eq!(
        v.message,
        "Given field is not available with the given layout"
    );
    assert_eq!(
        v.path.to_string(),
        "field_rules[0].criteria.group[1].field.api_name"
    );
    assert_eq!(v.hint, "\"Country\" is not in layout \"Partner Leads\"");
}

/// `n` distinct conditions spread over field rules of at most 25 conditions each.
fn conditions(n: usize) -> Value {
    let all: Vec<Value> = (0..n)
        .map(|i| cond("Company", "equal", json!(format!("c{i}"))))
        .collect();
    let criteria = all
        .chunks(25)
        .map(|c| {
            if c.len() == 1 {
                c[0].clone()
            } else {
                json!({"group_operator": "OR", "group": c})
            }
        })
        .collect();
    rule(criteria)
}

#[rstest]
#[case(Edition::Enterprise, 30)]
#[case(Edition::Standard, 10)]
#[case(Edition::Developer, 5)]
#[case(Edition::Ultimate, 50)]
fn criteria_per_rule_follow_the_edition(#[case] edition: Edition, #[case] limit: usize) {
    let org = Org::new(edition);
    assert_eq!(
        found(&check(&conditions(limit), &org.leads(), Op::Update)),
        vec![]
    );
    let v = only(check(&conditions(limit + 1), &org.leads(), Op::Update));
    assert_eq!(
        (v.code, v.path.to_string()),
        (codes::LIMIT_EXCEEDED, "field_rules".into())
    );
    assert_eq!(
        v.message,
        format!("More than {limit} criteria cannot be configured with field_rules")
    );
    assert_eq!(v.details["limit"], limit);
}

fn group(op: &str, members: Vec<Value>) -> Value {
    json!({"group_operator": op, "group": members})
}

#[test]
fn repeated_criteria_on_create_point_at_the_first() {
    let a = group(
        "AND",
        vec![
            cond("Company", "equal", json!("Zoho")),
            cond("Country", "in", json!(["India", "Japan"])),
        ],
    );
    let b = group(
        "and",
        vec![
            cond("Country", "in", json!(["japan", "INDIA"])),
            cond("Company", "equal", json!("zoho ")),
        ],
    );
    let item = rule(vec![a, cond("Email", "equal", json!("x@y.z")), b]);
    let v = only(check_leads(&item));
    assert_eq!(
        (v.code, v.path.to_string()),
        (codes::ALREADY_USED, "field_rules[2].criteria".into())
    );
    assert_eq!(
        v.message,
        "The criteria is already given in the same rule under different index"
    );
    assert_eq!(
        v.details["exists_in"],
        json!({"api_name": "criteria", "json_path": "$.field_rules[0].criteria"})
    );
    assert_eq!(
        v.hint,
        "another field rule of this rule (score 10) has the same criteria"
    );
}

#[test]
fn repeated_criteria_on_update_are_duplicate_data() {
    let item = rule(vec![
        cond("Company", "equal", json!("a")),
        cond("Company", "equal", json!(["A"])),
    ]);
    let org = enterprise();
    let v = only(check(&item, &org.leads(), Op::Update));
    assert_eq!(
        (v.code, v.path.to_string()),
        (codes::DUPLICATE_DATA, "field_rules[1].criteria".into())
    );
    assert_eq!(v.message, "The criteria is already available in the rule");
    assert!(!v.details.contains_key("exists_in"));
}

#[rstest]
#[case::other_operator(group("OR", vec![cond("Company", "equal", json!("a")), cond("Email", "equal", json!("b"))]))]
#[case::other_comparator(group("AND", vec![cond("Company", "not_equal", json!("a")), cond("Email", "equal", json!("b"))]))]
#[case::other_value(group("AND", vec![cond("Company", "equal", json!("a2")), cond("Email", "equal", json!("b"))]))]
fn similar_but_different_criteria_are_fine(#[case] other: Value) {
    let first = group(
        "AND",
        vec![
            cond("Company", "equal", json!("a")),
            cond("Email", "equal", json!("b")),
        ],
    );
    assert_eq!(found(&check_leads(&rule(vec![first, other]))), vec![]);
}

#[test]
fn hand_built_groups_are_checked_too() {
    let mut r = parse_create(&one(group(
        "AND",
        vec![cond("Company", "equal", json!("a"))],
    )))
    .unwrap();
    if let crate::domain::rule::Criteria::Group(g) = &mut r.field_rules[0].criteria {
        g.group.clear();
    }
    let org = enterprise();
    let v = only(check_rule(&r, &org.leads(), Op::Create));
    assert_eq!(v.path.to_string(), "field_rules[0].criteria.group");
    assert_eq!(v.details["minimum_length"], 1);
}
