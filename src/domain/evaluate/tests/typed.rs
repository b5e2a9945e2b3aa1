//! Numbers, booleans, lookups, multi-select picklists and multi lookups.

use rstest::rstest;
use serde_json::{Value, json};

use super::{ctx, lookup, lookups, matches, matches_in, multi, num, text};
use crate::domain::evaluate::EvalContext;
use crate::domain::record::FieldValue;

#[rstest]
#[case("Annual_Revenue", "equal", json!(100), num(100.0), true)]
#[case("Annual_Revenue", "equal", json!("100"), num(100.0), true)]
#[case("Annual_Revenue", "equal", json!([5, 100.5]), num(100.5), true)]
#[case("Annual_Revenue", "equal", json!(100), num(100.01), false)]
#[case("Annual_Revenue", "equal", json!(100), FieldValue::Null, false)]
#[case("Annual_Revenue", "not_equal", json!(100), num(100.0), false)]
#[case("Annual_Revenue", "not_equal", json!(100), num(7.0), true)]
#[case("Annual_Revenue", "not_equal", json!(100), FieldValue::Null, true)]
#[case("No_of_Employees", "less_than", json!(100), num(99.5), true)]
#[case("No_of_Employees", "less_than", json!(100), num(100.0), false)]
#[case("No_of_Employees", "less_than", json!(100), FieldValue::Null, false)]
#[case("No_of_Employees", "less_equal", json!(100), num(100.0), true)]
#[case("No_of_Employees", "less_equal", json!(100), num(100.5), false)]
#[case("No_of_Employees", "greater_than", json!(100), num(100.0), false)]
#[case("No_of_Employees", "greater_than", json!(100), num(100.01), true)]
#[case("No_of_Employees", "greater_than", json!(-1), FieldValue::Null, false)]
#[case("No_of_Employees", "greater_equal", json!(100), num(100.0), true)]
#[case("No_of_Employees", "greater_equal", json!(100), num(99.0), false)]
#[case("Probability", "between", json!([10, 20]), num(10.0), true)]
#[case("Probability", "between", json!([10, 20]), num(20.0), true)]
#[case("Probability", "between", json!([10, 20]), num(9.99), false)]
#[case("Probability", "between", json!([10, 20]), num(20.01), false)]
#[case("Probability", "between", json!([10, 20]), FieldValue::Null, false)]
#[case("Probability", "between", json!([20, 10]), num(15.0), false)]
#[case("Probability", "not_between", json!([20, 10]), num(15.0), true)]
#[case("Probability", "not_between", json!([10, 20]), num(15.0), false)]
#[case("Probability", "not_between", json!([10, 20]), num(25.0), true)]
#[case("Probability", "not_between", json!([10, 20]), FieldValue::Null, true)]
#[case("Probability", "in", json!([1, 2, 3]), num(2.0), true)]
#[case("Probability", "in", json!([1, 2, 3]), num(4.0), false)]
#[case("Probability", "not_in", json!([1, 2, 3]), num(2.0), false)]
#[case("Probability", "not_in", json!([1, 2, 3]), num(5.0), true)]
#[case("Probability", "not_in", json!([1]), FieldValue::Null, true)]
// formula fields compare as their return type
#[case("Expected_Value", "greater_than", json!(5), num(6.0), true)]
// a value of the wrong kind has no number to compare
#[case("Annual_Revenue", "equal", json!(100), text("100"), false)]
#[case("Annual_Revenue", "not_equal", json!(100), text("100"), true)]
#[case("Annual_Revenue", "less_than", json!(100), num(f64::NAN), false)]
fn number_comparators(
    #[case] api: &str,
    #[case] comparator: &str,
    #[case] value: Value,
    #[case] v: FieldValue,
    #[case] expected: bool,
) {
    assert_eq!(matches(api, comparator, value, v), expected);
}

#[rstest]
#[case("equal", json!(true), FieldValue::Bool(true), true)]
#[case("equal", json!(true), FieldValue::Bool(false), false)]
#[case("equal", json!("false"), FieldValue::Bool(false), true)]
#[case("equal", json!(false), FieldValue::Null, false)]
#[case("not_equal", json!(true), FieldValue::Bool(false), true)]
#[case("not_equal", json!(true), FieldValue::Bool(true), false)]
#[case("not_equal", json!(true), FieldValue::Null, true)]
fn boolean_comparators(
    #[case] comparator: &str,
    #[case] value: Value,
    #[case] v: FieldValue,
    #[case] expected: bool,
) {
    assert_eq!(matches("Email_Opt_Out", comparator, value, v), expected);
}

#[rstest]
#[case("equal", json!({"id": "1001"}), FieldValue::lookup(lookup("1001")), true)]
#[case("equal", json!({"id": 1001, "name": "Ana"}), FieldValue::lookup(lookup("1001")), true)]
#[case("equal", json!({"id": "1001"}), FieldValue::lookup(lookup("1002")), false)]
#[case("equal", json!([{"id": "1003"}, {"id": "1002"}]), FieldValue::lookup(lookup("1002")), true)]
#[case("equal", json!({"id": "1001"}), FieldValue::Null, false)]
#[case("not_equal", json!({"id": "1001"}), FieldValue::lookup(lookup("1002")), true)]
#[case("not_equal", json!({"id": "1001"}), FieldValue::lookup(lookup("1001")), false)]
#[case("not_equal", json!({"id": "1001"}), FieldValue::Null, true)]
#[case("equal", json!({"name": "${CURRENTUSER}"}), FieldValue::lookup(lookup("1001")), true)]
#[case("equal", json!("${CURRENTUSER}"), FieldValue::lookup(lookup("1002")), false)]
#[case("not_equal", json!({"name": "${CURRENTUSER}"}), FieldValue::lookup(lookup("1002")), true)]
#[case("equal", json!({"id": "${CURRENTUSERROLE}"}), FieldValue::lookup(lookup("2001")), true)]
// a lookup value on a lookup field is compared by id only, never by name
#[case("equal", json!({"id": "7", "name": "Record 1001"}), FieldValue::lookup(lookup("1001")), false)]
fn lookup_comparators(
    #[case] comparator: &str,
    #[case] value: Value,
    #[case] v: FieldValue,
    #[case] expected: bool,
) {
    assert_eq!(matches("Owner", comparator, value, v), expected);
}

/// Without a current user `${CURRENTUSER}` does not resolve: the condition never matches, not
/// even negated, and is reported.
#[rstest]
#[case("Owner", "equal", FieldValue::lookup(lookup("1001")))]
#[case("Owner", "not_equal", FieldValue::lookup(lookup("1002")))]
#[case("Owner", "not_equal", FieldValue::Null)]
#[case("Campaigns", "include_any", lookups(&["1001"]))]
#[case("Campaigns", "exclude_all", lookups(&["5"]))]
fn current_user_without_a_user(#[case] api: &str, #[case] comparator: &str, #[case] v: FieldValue) {
    let no_user = EvalContext {
        current_user: None,
        ..ctx()
    };
    let value = if comparator.starts_with("in") || comparator.starts_with("ex") {
        json!([{"id": "5"}, {"name": "${CURRENTUSER}"}])
    } else {
        json!({"name": "${CURRENTUSER}"})
    };
    let (matched, disrupted) = matches_in(&no_user, api, comparator, value, v);
    assert!(!matched);
    assert_eq!(disrupted, vec![(0, 0)]);
}

#[rstest]
#[case("equal", json!("Golf"), multi(&["golf", "Tennis"]), true)]
#[case("equal", json!("Golf"), multi(&["Chess"]), false)]
#[case("equal", json!("Golf"), multi(&[]), false)]
#[case("equal", json!("Golf"), FieldValue::Null, false)]
#[case("equal", json!(["Chess", "Golf"]), multi(&["Tennis", "GOLF"]), true)]
#[case("not_equal", json!("Golf"), multi(&["Tennis"]), true)]
#[case("not_equal", json!("Golf"), multi(&["Tennis", "Golf"]), false)]
#[case("not_equal", json!("Golf"), multi(&[]), true)]
#[case("in", json!(["Golf", "Chess"]), multi(&["chess"]), true)]
#[case("in", json!(["Golf", "Chess"]), multi(&["Tennis"]), false)]
#[case("not_in", json!(["Golf", "Chess"]), multi(&["Tennis"]), true)]
#[case("not_in", json!(["Golf", "Chess"]), multi(&["Tennis", "Chess"]), false)]
#[case("not_in", json!(["Golf"]), FieldValue::Null, true)]
// contains on a selection asks whether the value is chosen, not for a substring
#[case("contains", json!("golf"), multi(&["Golf"]), true)]
#[case("contains", json!("Golf"), multi(&["Golfing"]), false)]
#[case("not_contains", json!("Golf"), multi(&["Tennis"]), true)]
#[case("not_contains", json!("Golf"), multi(&["Golf"]), false)]
#[case("equal", json!("Échecs"), multi(&["échecs"]), true)]
// a single stored choice reads as a selection of one
#[case("equal", json!("Golf"), text("golf"), true)]
fn multi_select_comparators(
    #[case] comparator: &str,
    #[case] value: Value,
    #[case] v: FieldValue,
    #[case] expected: bool,
) {
    assert_eq!(matches("Interests", comparator, value, v), expected);
}

#[rstest]
#[case("include_any", json!([{"id": "5"}, {"id": "6"}]), lookups(&["5", "7"]), true)]
#[case("include_any", json!([{"id": "5"}, {"id": "6"}]), lookups(&["7"]), false)]
#[case("include_any", json!([{"id": "5"}]), lookups(&[]), false)]
#[case("include_any", json!([{"id": "5"}]), FieldValue::Null, false)]
#[case("include_all", json!([{"id": "5"}, {"id": "6"}]), lookups(&["6", "7", "5"]), true)]
#[case("include_all", json!([{"id": "5"}, {"id": "6"}]), lookups(&["5"]), false)]
#[case("include_all", json!([{"id": "5"}]), lookups(&[]), false)]
#[case("exclude_all", json!([{"id": "5"}, {"id": "6"}]), lookups(&["7"]), true)]
#[case("exclude_all", json!([{"id": "5"}, {"id": "6"}]), lookups(&["5", "7"]), false)]
#[case("exclude_all", json!([{"id": "5"}]), FieldValue::Null, true)]
#[case("exclude_any", json!([{"id": "5"}, {"id": "6"}]), lookups(&["5"]), true)]
#[case("exclude_any", json!([{"id": "5"}, {"id": "6"}]), lookups(&["6", "5"]), false)]
#[case("exclude_any", json!([{"id": "5"}]), lookups(&[]), true)]
#[case("equal", json!({"id": "5"}), lookups(&["7", "5"]), true)]
#[case("equal", json!({"id": "5"}), lookups(&["7"]), false)]
#[case("not_equal", json!({"id": "5"}), lookups(&["7", "5"]), false)]
#[case("not_equal", json!({"id": "5"}), lookups(&[]), true)]
#[case("include_any", json!([{"name": "${CURRENTUSER}"}]), lookups(&["1001"]), true)]
#[case("include_all", json!([{"name": "${CURRENTUSER}"}, {"id": "5"}]), lookups(&["5"]), false)]
fn multi_lookup_comparators(
    #[case] comparator: &str,
    #[case] value: Value,
    #[case] v: FieldValue,
    #[case] expected: bool,
) {
    assert_eq!(matches("Campaigns", comparator, value, v), expected);
}
