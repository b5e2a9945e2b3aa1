//! Issues on copies of the demo org broken the ways real orgs break.

use rstest::rstest;
use serde_json::{Value, json};

use super::*;
use crate::audit::{AuditOptions, audit};
use crate::domain::{Criteria, Id};

fn condition(field: &str, comparator: &str, value: Value) -> Criteria {
    serde_json::from_value(
        json!({"field": {"api_name": field}, "comparator": comparator, "value": value}),
    )
    .unwrap()
}

fn set_criteria(s: &mut OrgSnapshot, rule: &str, field_rule: usize, criteria: Criteria) {
    rule_mut(s, rule).field_rules[field_rule].criteria = criteria;
}

fn leads_layout_mut<'a>(s: &'a mut OrgSnapshot, api_name: &str) -> &'a mut crate::domain::Layout {
    s.modules
        .iter_mut()
        .find(|m| m.module.api_name == "Leads")
        .unwrap()
        .layouts
        .iter_mut()
        .find(|l| l.api_name() == api_name)
        .unwrap()
}

#[test]
fn field_removed_from_the_rules_layout() {
    let mut s = seeded();
    for section in &mut leads_layout_mut(&mut s, "Event_Leads").sections {
        section.fields.retain(|f| f.api_name != "Event_Name");
    }
    assert_eq!(
        issues_of(&s, "Event Engagement"),
        ["field rule 1: criterion on \"Event_Name\", which is not in layout \"Event Leads\""]
    );
    // The same field still counts where it is in the layout.
    assert!(issues_of(&s, "Inbound Demand").is_empty());
}

#[test]
fn a_criterion_on_a_field_added_to_the_wrong_layout() {
    let mut s = seeded();
    set_criteria(
        &mut s,
        "Event Engagement",
        0,
        condition("Annual_Revenue", "greater_than", json!(5)),
    );
    set_criteria(
        &mut s,
        "Event Engagement",
        2,
        condition("Annual_Revenue", "greater_than", json!(5)),
    );
    assert_eq!(
        issues_of(&s, "Event Engagement"),
        [
            "field rules 1, 3: criterion on \"Annual_Revenue\", which is not in layout \"Event Leads\""
        ]
    );
}

#[test]
fn field_removed_from_the_module() {
    let mut s = seeded();
    set_criteria(
        &mut s,
        "Junk Filter",
        1,
        condition("Fax_Number", "equal", json!("x")),
    );
    assert_has(
        &issues_of(&s, "Junk Filter"),
        "field rule 2: criterion on \"Fax_Number\", which is not a field of \"Leads\"",
    );
}

#[rstest]
#[case::not_a_number(
    condition("Annual_Revenue", "greater_than", json!("lots")),
    "field rule 1: criterion on \"Annual_Revenue\" can never match: \"lots\" is not a number"
)]
#[case::not_a_picklist_value(
    condition("Lead_Source", "equal", json!("Carrier Pigeon")),
    "field rule 1: criterion on \"Lead_Source\" can never match: \"Carrier Pigeon\" is not a value of Lead Source"
)]
#[case::comparator_for_another_type(
    condition("Email_Opt_Out", "greater_than", json!(1)),
    "field rule 1: criterion on \"Email_Opt_Out\" uses \"greater_than\", which a boolean field does not take"
)]
#[case::unknown_comparator(
    condition("Country", "sounds_like", json!("India")),
    "field rule 1: criterion on \"Country\" uses \"sounds_like\", which a text field does not take"
)]
fn disrupted_criteria(#[case] criteria: Criteria, #[case] expected: &str) {
    let mut s = seeded();
    set_criteria(&mut s, "Inbound Demand", 0, criteria);
    assert_eq!(issues_of(&s, "Inbound Demand"), [expected]);
}

#[test]
fn zoho_marks_a_criterion_disrupted() {
    let mut s = seeded();
    let mut c = condition("Country", "equal", json!("India"));
    if let Criteria::Condition(cond) = &mut c {
        cond.disrupted = Some(true);
    }
    set_criteria(&mut s, "Junk Filter", 0, c);
    assert_has(
        &issues_of(&s, "Junk Filter"),
        "field rule 1: criterion on \"Country\" is marked disrupted by Zoho: its field or value no longer resolves",
    );
}

#[test]
fn comparing_with_another_field_is_not_an_issue() {
    let mut s = seeded();
    let mut c = condition("Country", "equal", json!("${City}"));
    if let Criteria::Condition(cond) = &mut c {
        cond.kind = Some("field".into());
    }
    set_criteria(&mut s, "Junk Filter", 0, c);
    assert!(issues_of(&s, "Junk Filter").is_empty());
}

#[test]
fn current_user_criteria_are_resolvable() {
    let s = seeded();
    let uses_current_user = s.rules.iter().any(|r| {
        serde_json::to_string(&r.field_rules)
            .unwrap()
            .contains("${CURRENTUSER}")
    });
    assert!(
        uses_current_user,
        "the seed should exercise ${{CURRENTUSER}}"
    );
    let opts = AuditOptions {
        modules: vec![],
        include_inactive: true,
    };
    // Every issue is one of the demo's deliberate ones (a removed picklist value, a layout at
    // its limit): none is about the current user.
    for row in audit(&s, &opts).unwrap() {
        for issue in &row.issues {
            assert!(
                issue.contains("\"ANZ\" is not a value of Region")
                    || issue == "layout \"Reseller\" at 5/5 active rules",
                "{}: {issue}",
                row.rule_name
            );
        }
    }
}

#[rstest]
#[case::gone(
    "999",
    "Email_Incoming__s",
    "signal rule 1: signal \"Email_Incoming__s\" (id 999) no longer exists"
)]
#[case::not_for_scoring(
    "",
    "Email_Incoming_Competitors__s",
    "signal rule 1: \"Email · Incoming from competitors\" cannot be used for scoring"
)]
#[case::turned_off(
    "",
    "Telephony_Missed__s",
    "signal rule 1: \"Telephony · Missed call\" is turned off in the org, so it adds nothing"
)]
fn signal_rules_that_cannot_score(
    #[case] id: &str,
    #[case] namespace: &str,
    #[case] expected: &str,
) {
    let mut s = seeded();
    let id = if id.is_empty() {
        s.signals
            .iter()
            .find(|x| x.namespace == namespace)
            .unwrap()
            .id
            .clone()
    } else {
        Id::new(id)
    };
    let sr = &mut rule_mut(&mut s, "Inbound Demand").signal_rules[0];
    sr.signal.id = id;
    sr.signal.namespace = namespace.to_string();
    assert_eq!(issues_of(&s, "Inbound Demand"), [expected]);
}

#[test]
fn signal_id_of_another_signal() {
    let mut s = seeded();
    let open = s
        .signals
        .iter()
        .find(|x| x.namespace == "EmailInsight_Open__s")
        .unwrap()
        .id
        .clone();
    rule_mut(&mut s, "Inbound Demand").signal_rules[0].signal.id = open.clone();
    assert_eq!(
        issues_of(&s, "Inbound Demand"),
        [format!(
            "signal rule 1: signal id {open} is \"Email Insights · Open\" (\"EmailInsight_Open__s\"), not \"Email_Incoming__s\""
        )]
    );
}

#[test]
fn signal_rules_on_a_module_without_signals() {
    let mut s = seeded();
    let signals = rule(&s, "Inbound Demand").signal_rules.clone();
    rule_mut(&mut s, "Pipeline Priority").signal_rules = signals;
    assert_eq!(
        issues_of(&s, "Pipeline Priority"),
        ["has signal rules, but only Leads and Contacts score signals, not \"Deals\""]
    );
}

#[test]
fn a_rule_with_nothing_to_score() {
    let mut s = seeded();
    let r = rule_mut(&mut s, "Junk Filter");
    r.field_rules.clear();
    r.signal_rules.clear();
    assert_eq!(
        issues_of(&s, "Junk Filter"),
        ["scores nothing: it has no field rules and no signal rules"]
    );
}

#[test]
fn a_rule_whose_every_part_is_dead() {
    let mut s = seeded();
    let r = rule_mut(&mut s, "Event Engagement");
    r.signal_rules.truncate(1);
    r.signal_rules[0].signal.id = Id::new("999");
    r.field_rules.truncate(2);
    // An AND with one dead member is dead; an OR needs one live member.
    r.field_rules[0].criteria = serde_json::from_value(json!({"group_operator": "AND", "group": [
        {"field": {"api_name": "Country"}, "comparator": "equal", "value": "India"},
        {"field": {"api_name": "Gone"}, "comparator": "equal", "value": "x"}]}))
    .unwrap();
    r.field_rules[1].criteria = condition("Booth_Visit_Date", "equal", json!("yesterday-ish"));
    let issues = issues_of(&s, "Event Engagement");
    assert_eq!(
        issues.last().map(String::as_str),
        Some("scores nothing: none of its field rules or signal rules can apply"),
        "{issues:#?}"
    );

    // One live OR member brings it back.
    let r = rule_mut(&mut s, "Event Engagement");
    r.field_rules[0].criteria = serde_json::from_value(json!({"group_operator": "OR", "group": [
        {"field": {"api_name": "Country"}, "comparator": "equal", "value": "India"},
        {"field": {"api_name": "Gone"}, "comparator": "equal", "value": "x"}]}))
    .unwrap();
    assert!(
        !issues_of(&s, "Event Engagement")
            .iter()
            .any(|i| i.starts_with("scores nothing"))
    );
}

#[test]
fn a_module_missing_from_the_metadata() {
    let mut s = seeded();
    s.modules.retain(|m| m.module.api_name != "Partners");
    // Partners / Standard: the Reseller layout's rules also report its limit (by id, as the
    // metadata that names it is missing).
    assert_eq!(
        issues_of(&s, "Top Tier Partners"),
        ["module \"Partners\" is not in the org's metadata, so its criteria cannot be checked"]
    );
    let opts = AuditOptions {
        modules: vec!["partners".into()],
        include_inactive: false,
    };
    let rows = audit(&s, &opts).unwrap();
    assert_eq!(rows.len(), 6);
    // After every module the metadata knows.
    let all = audit(&s, &AuditOptions::default()).unwrap();
    assert_eq!(all.last().map(|r| r.module.as_str()), Some("Partners"));
}

#[test]
fn org_text_in_issues_is_inert_and_short() {
    let mut s = seeded();
    let hostile = format!("Evil\u{1b}]0;owned\u{7}\u{202e}{}", "x".repeat(500));
    set_criteria(
        &mut s,
        "Junk Filter",
        0,
        condition(&hostile, "equal", json!("x")),
    );
    let sr = &mut rule_mut(&mut s, "Junk Filter").signal_rules[0];
    sr.signal.id = Id::new("\u{1b}[2J");
    for issue in issues_of(&s, "Junk Filter") {
        assert!(
            !issue
                .chars()
                .any(|c| c.is_control() || crate::display::is_bidi_control(c)),
            "{issue:?}"
        );
        assert!(issue.chars().count() < 200, "{issue:?}");
    }
}
