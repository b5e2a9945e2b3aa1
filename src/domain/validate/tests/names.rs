//! Rule-level checks: module, layout, name, description, something to score with, uniqueness.

use rstest::rstest;
use serde_json::{Value, json};

use super::super::fixtures::{deals_item, enterprise, leads_item};
use super::super::{NAME_REGEX, Op};
use super::{check, check_deals, check_leads, edit, found, only};
use crate::domain::violation::codes;

fn named(name: &str) -> Value {
    edit(&leads_item(), "/name", Some(json!(name)))
}

#[test]
fn the_valid_fixtures_have_no_findings() {
    assert_eq!(found(&check_leads(&leads_item())), vec![]);
    assert_eq!(found(&check_deals(&deals_item())), vec![]);
}

#[rstest]
#[case::ascii_25("a".repeat(25), true)]
#[case::ascii_26("a".repeat(26), false)]
#[case::accented_25_two_bytes_each("é".repeat(25), true)]
#[case::accented_26("é".repeat(26), false)]
#[case::emoji_25_four_bytes_each("🚀".repeat(25), true)]
#[case::emoji_26("🚀".repeat(26), false)]
#[case::cjk_25("名".repeat(25), true)]
#[case::one_char("x".to_string(), true)]
fn names_hold_at_most_25_characters(#[case] name: String, #[case] ok: bool) {
    let vs = check_leads(&named(&name));
    if ok {
        assert_eq!(found(&vs), vec![]);
    } else {
        let v = only(vs);
        assert_eq!(
            (v.code, v.message.as_str()),
            (codes::INVALID_DATA, "invalid data")
        );
        assert_eq!(v.details["maximum_length"], 25);
        assert_eq!(v.hint, "at most 25 characters (26)");
    }
}

#[rstest]
fn forbidden_characters_in_names(
    #[values(
        '`', '~', '#', '%', '^', '&', '*', '(', ')', '+', '=', '"', ';', '<', '>', '[', ']', '{',
        '}', '|', '\\'
    )]
    c: char,
) {
    let v = only(check_leads(&named(&format!("Hot {c} leads"))));
    assert_eq!(
        (v.code, v.path.to_string()),
        (codes::INVALID_DATA, "name".into())
    );
    assert_eq!(v.details["regex"], NAME_REGEX);
    assert_eq!(v.hint, format!("\"{c}\" is not allowed in a name"));
}

#[rstest]
#[case::escape('\u{1b}', "control character U+001B")]
#[case::bell('\u{7}', "control character U+0007")]
#[case::newline('\n', "control character U+000A")]
#[case::delete('\u{7f}', "control character U+007F")]
#[case::c1_csi('\u{9b}', "control character U+009B")]
#[case::rlo('\u{202E}', "bidi control character U+202E")]
#[case::lre('\u{202A}', "bidi control character U+202A")]
#[case::lri('\u{2066}', "bidi control character U+2066")]
#[case::pdi('\u{2069}', "bidi control character U+2069")]
fn terminal_controls_in_names(#[case] c: char, #[case] described: &str) {
    let v = only(check_leads(&named(&format!("a{c}b"))));
    assert_eq!(v.details["regex"], NAME_REGEX);
    assert_eq!(v.hint, format!("{described} is not allowed in a name"));
}

#[test]
fn names_allowed_by_zoho() {
    for name in [
        "Lead - Scoring",
        "Q3 / EMEA",
        "Score: 1.0, v2!",
        "Zoho's @rule $",
        "Müller_Öl",
    ] {
        assert_eq!(found(&check_leads(&named(name))), vec![], "{name}");
    }
}

#[test]
fn too_long_and_forbidden_are_both_reported() {
    let vs = check_leads(&named(&format!("{}#", "a".repeat(30))));
    assert_eq!(found(&vs), vec![(codes::INVALID_DATA, "name".into()); 2]);
    assert!(vs[0].details.contains_key("maximum_length") && vs[1].details.contains_key("regex"));
}

#[rstest]
#[case("")]
#[case("   ")]
#[case("\u{3000}")]
fn blank_names(#[case] name: &str) {
    let v = only(check_leads(&named(name)));
    assert_eq!(
        (v.code, v.hint.as_str()),
        (codes::INVALID_DATA, "a name is required")
    );
}

#[test]
fn names_are_unique_in_the_org_ignoring_case() {
    let org = enterprise();
    // "Existing Rule" is a Deals rule: uniqueness spans modules.
    let vs = check(&named("  existing RULE "), &org.leads(), Op::Create);
    let v = only(vs);
    assert_eq!(v.code, codes::DUPLICATE_DATA);
    assert_eq!(v.message, "The data is already given in the name");
    assert_eq!(v.hint, "another rule is already called \"Existing Rule\"");
}

#[rstest]
#[case::at_limit("d".repeat(500), None)]
#[case::multiline("line one\n\tline two".to_string(), None)]
#[case::over_limit("d".repeat(501), Some("at most 500 characters (501)"))]
#[case::escape("a\u{1b}[2Jb".to_string(), Some("control character U+001B is not allowed in a description"))]
#[case::carriage_return("a\rb".to_string(), Some("control character U+000D is not allowed in a description"))]
#[case::bidi("a\u{202E}b".to_string(), Some("bidi control character U+202E is not allowed in a description"))]
fn descriptions(#[case] description: String, #[case] hint: Option<&str>) {
    let vs = check_leads(&edit(
        &leads_item(),
        "/description",
        Some(json!(description)),
    ));
    match hint {
        None => assert_eq!(found(&vs), vec![]),
        Some(h) => {
            let v = only(vs);
            assert_eq!(
                (v.code, v.message.as_str(), v.hint.as_str()),
                (codes::INVALID_DATA, "invalid data", h)
            );
        }
    }
}

#[test]
fn module_id_must_be_the_modules() {
    let v = only(check_leads(&edit(
        &leads_item(),
        "/module/id",
        Some(json!("3000")),
    )));
    assert_eq!(
        (v.code, v.path.to_string()),
        (codes::INVALID_DATA, "module.id".into())
    );
    assert_eq!(v.message, "Module specified seems to be invalid");
}

#[test]
fn layout_must_belong_to_the_module() {
    let item = edit(&leads_item(), "/layout/id", Some(json!("4001")));
    let vs = check_leads(&item);
    assert_eq!(
        found(&vs),
        vec![(codes::INVALID_DATA, "layout.id".to_string())]
    );
    assert_eq!(vs[0].message, "Layout id seems to be invalid");
    assert_eq!(vs[0].hint, "module \"Leads\" has no layout with id 4001");
}

#[test]
fn leads_need_field_rules_or_signal_rules() {
    let none = edit(
        &edit(&leads_item(), "/field_rules", Some(json!([]))),
        "/signal_rules",
        None,
    );
    let v = only(check_leads(&none));
    assert_eq!(v.code, codes::EXPECTED_FIELD_MISSING);
    assert_eq!(v.message, "field_rules or signal_rules is expected");
    assert!(!v.locate);
    assert_eq!(
        v.details["expected_fields"],
        json!([{"api_name": "field_rules", "json_path": "$.field_rules"},
               {"api_name": "signal_rules", "json_path": "$.signal_rules"}])
    );
    let signals_only = edit(&leads_item(), "/field_rules", Some(Value::Null));
    assert_eq!(found(&check_leads(&signals_only)), vec![]);
}

#[test]
fn other_modules_need_field_rules() {
    let v = only(check_deals(&edit(
        &deals_item(),
        "/field_rules",
        Some(json!([])),
    )));
    assert_eq!(v.code, codes::EXPECTED_FIELD_MISSING);
    assert_eq!(v.message, "Field_Rules is expected");
    assert_eq!(
        v.details["expected_fields"],
        json!([{"api_name": "field_rules", "json_path": "$.field_rules"}])
    );
    assert!(!v.details.contains_key("api_name"));
}

#[test]
fn findings_come_in_a_stable_order() {
    let mut item = edit(&leads_item(), "/module/id", Some(json!("1")));
    item = edit(&item, "/layout/id", Some(json!("2")));
    item = edit(&item, "/name", Some(json!("existing rule")));
    item = edit(&item, "/description", Some(json!("x".repeat(501))));
    item = edit(&item, "/field_rules/0/score", Some(json!(101)));
    item = edit(&item, "/signal_rules/0/score", Some(json!(-101)));
    item = edit(
        &item,
        "/custom_fields/0/reference_field/api_name",
        Some(json!("Nope")),
    );
    let paths: Vec<String> = check_leads(&item)
        .iter()
        .map(|v| v.path.to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "module.id",
            "layout.id",
            "description",
            "field_rules[0].score",
            "signal_rules[0].score",
            "custom_fields[0].reference_field.api_name",
            "name",
        ]
    );
}
