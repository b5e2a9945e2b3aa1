//! Text, e-mail and picklist comparators; `${EMPTY}` / `${NOTEMPTY}`; case folding; `like`.

use rstest::rstest;
use serde_json::{Value, json};

use super::{matches, multi, text};
use crate::domain::record::FieldValue;

#[rstest]
// equal / not_equal, case-insensitive, several values = any of them
#[case("equal", json!("Regional Manager"), text("regional MANAGER"), true)]
#[case("equal", json!("Regional Manager"), text("Regional"), false)]
#[case("equal", json!("Regional Manager"), FieldValue::Null, false)]
#[case("equal", json!(["CEO", "Regional Manager"]), text("ceo"), true)]
#[case("equal", json!(["CEO", "CTO"]), text("CFO"), false)]
#[case("not_equal", json!("CEO"), text("ceo"), false)]
#[case("not_equal", json!("CEO"), text("CTO"), true)]
#[case("not_equal", json!("CEO"), FieldValue::Null, true)]
#[case("not_equal", json!("CEO"), text(""), true)]
#[case("not_equal", json!(["CEO", "CTO"]), text("cto"), false)]
// in / not_in
#[case("in", json!(["CEO", "CTO"]), text("Cto"), true)]
#[case("in", json!(["CEO", "CTO"]), text("COO"), false)]
#[case("in", json!(["CEO"]), FieldValue::Null, false)]
#[case("not_in", json!(["CEO", "CTO"]), text("cto"), false)]
#[case("not_in", json!(["CEO", "CTO"]), text("COO"), true)]
#[case("not_in", json!(["CEO"]), FieldValue::Null, true)]
// starts_with / ends_with / contains / not_contains
#[case("starts_with", json!("reg"), text("Regional Manager"), true)]
#[case("starts_with", json!("manager"), text("Regional Manager"), false)]
#[case("starts_with", json!("reg"), FieldValue::Null, false)]
#[case("starts_with", json!(["x", "REG"]), text("Regional Manager"), true)]
#[case("ends_with", json!("AGER"), text("Regional Manager"), true)]
#[case("ends_with", json!("Regional"), text("Regional Manager"), false)]
#[case("ends_with", json!("ager"), text(""), false)]
#[case("contains", json!("nal ma"), text("Regional Manager"), true)]
#[case("contains", json!("boss"), text("Regional Manager"), false)]
#[case("contains", json!("boss"), FieldValue::Null, false)]
#[case("not_contains", json!("boss"), text("Regional Manager"), true)]
#[case("not_contains", json!("MANAGER"), text("Regional Manager"), false)]
#[case("not_contains", json!(["boss", "manager"]), text("Regional Manager"), false)]
#[case("not_contains", json!("boss"), FieldValue::Null, true)]
// like / not_like: % and * over the whole value, no wildcard = equality
#[case("like", json!("reg%man*"), text("Regional Manager"), true)]
#[case("like", json!("%manager"), text("Regional Manager"), true)]
#[case("like", json!("*region"), text("Regional Manager"), false)]
#[case("like", json!("manager"), text("Regional Manager"), false)]
#[case("like", json!("regional manager"), text("Regional Manager"), true)]
#[case("like", json!("%"), FieldValue::Null, false)]
#[case("like", json!("%"), text(""), false)]
#[case("not_like", json!("%manager"), text("Regional Manager"), false)]
#[case("not_like", json!("%boss"), text("Regional Manager"), true)]
#[case("not_like", json!("%"), FieldValue::Null, true)]
// non-ASCII: case folding beyond ASCII
#[case("equal", json!("école"), text("ÉCOLE"), true)]
#[case("equal", json!("ÉCOLE"), text("école"), true)]
#[case("equal", json!("ecole"), text("ÉCOLE"), false)]
#[case("contains", json!("ÉCO"), text("Grande école"), true)]
#[case("contains", json!("é"), text("plain ascii"), false)]
#[case("starts_with", json!("grande"), text("GRANDE ÉCOLE"), true)]
#[case("ends_with", json!("ÉCOLE"), text("grande école"), true)]
#[case("like", json!("gr*É%"), text("grande école"), true)]
#[case("not_equal", json!("école"), text("ÉCOLE"), false)]
// a value of the wrong kind has no text to compare
#[case("equal", json!("42"), FieldValue::Number(42.0), false)]
#[case("not_equal", json!("42"), FieldValue::Number(42.0), true)]
fn text_comparators(
    #[case] comparator: &str,
    #[case] value: Value,
    #[case] v: FieldValue,
    #[case] expected: bool,
) {
    assert_eq!(matches("Designation", comparator, value, v), expected);
}

#[rstest]
#[case("equal", json!("web"), text("Web"), true)]
#[case("equal", json!("Web"), text("Cold Call"), false)]
#[case("equal", json!("Web"), FieldValue::Null, false)]
#[case("not_equal", json!("Web"), FieldValue::Null, true)]
#[case("not_equal", json!("Web"), text("WEB"), false)]
#[case("in", json!(["Web", "Cold Call"]), text("cold call"), true)]
#[case("not_in", json!(["Web", "Cold Call"]), text("Trade Show"), true)]
#[case("starts_with", json!("Trade"), text("Trade Show"), true)]
#[case("ends_with", json!("call"), text("Cold Call"), true)]
#[case("contains", json!("ÉDU"), text("Salon Éducation"), true)]
#[case("not_contains", json!("show"), text("Trade Show"), false)]
#[case("equal", json!("Salon Éducation"), text("SALON ÉDUCATION"), true)]
fn picklist_comparators(
    #[case] comparator: &str,
    #[case] value: Value,
    #[case] v: FieldValue,
    #[case] expected: bool,
) {
    assert_eq!(matches("Lead_Source", comparator, value, v), expected);
}

#[rstest]
#[case("contains", json!("@example.com"), text("Ana@Example.COM"), true)]
#[case("ends_with", json!(".org"), text("ana@example.com"), false)]
#[case("like", json!("*@*.com"), text("ana@example.com"), true)]
#[case("equal", json!("ANA@example.com"), text("ana@EXAMPLE.com"), true)]
fn email_comparators(
    #[case] comparator: &str,
    #[case] value: Value,
    #[case] v: FieldValue,
    #[case] expected: bool,
) {
    assert_eq!(matches("Email", comparator, value, v), expected);
}

/// `${EMPTY}` / `${NOTEMPTY}` on every kind of field: Null, "" and [] are empty.
#[rstest]
#[case("Designation", "equal", "${EMPTY}", FieldValue::Null, true)]
#[case("Designation", "equal", "${EMPTY}", text(""), true)]
#[case("Designation", "equal", "${EMPTY}", text("x"), false)]
#[case("Designation", "not_equal", "${EMPTY}", text("x"), true)]
#[case("Designation", "not_equal", "${EMPTY}", FieldValue::Null, false)]
#[case("Designation", "not_equal", "${EMPTY}", text(""), false)]
#[case("Designation", "equal", "${NOTEMPTY}", text("x"), true)]
#[case("Designation", "equal", "${NOTEMPTY}", FieldValue::Null, false)]
#[case("Designation", "not_equal", "${NOTEMPTY}", FieldValue::Null, true)]
#[case("Designation", "not_equal", "${NOTEMPTY}", text("x"), false)]
#[case("Interests", "equal", "${EMPTY}", FieldValue::multi(Vec::<String>::new()), true)]
#[case("Interests", "equal", "${NOTEMPTY}", multi(&["Golf"]), true)]
#[case("Campaigns", "equal", "${EMPTY}", FieldValue::multi_lookup([]), true)]
#[case("Annual_Revenue", "equal", "${EMPTY}", FieldValue::Number(0.0), false)]
#[case(
    "Annual_Revenue",
    "not_equal",
    "${EMPTY}",
    FieldValue::Number(0.0),
    true
)]
#[case("Last_Activity_Date", "equal", "${EMPTY}", FieldValue::Null, true)]
#[case("Email_Opt_Out", "equal", "${NOTEMPTY}", FieldValue::Bool(false), true)]
#[case("Owner", "equal", " ${EMPTY} ", FieldValue::Null, true)]
fn emptiness_placeholders(
    #[case] api: &str,
    #[case] comparator: &str,
    #[case] placeholder: &str,
    #[case] v: FieldValue,
    #[case] expected: bool,
) {
    assert_eq!(matches(api, comparator, json!(placeholder), v), expected);
}
