//! Audit tests over the demo org (`sandbox::seed`), as loaded through the API, and over copies
//! of it broken on purpose. Here: which rows appear, in what order, with what numbers.

mod issues;
mod limits;
mod table;

use chrono::{TimeZone, Utc};
use rstest::rstest;

use crate::audit::{AuditError, AuditOptions, AuditRow, audit};
use crate::domain::{Edition, OrgSnapshot, ScoringRule};
use crate::sandbox::seed::load_embedded;

pub(super) fn seeded() -> OrgSnapshot {
    let now = Utc.with_ymd_and_hms(2026, 3, 14, 9, 26, 53).unwrap();
    load_embedded(now).unwrap().snapshot(Edition::Enterprise)
}

pub(super) fn issues_of(snapshot: &OrgSnapshot, name: &str) -> Vec<String> {
    let opts = AuditOptions {
        modules: vec![],
        include_inactive: true,
    };
    let rows = audit(snapshot, &opts).unwrap();
    rows.into_iter()
        .find(|r| r.rule_name == name)
        .unwrap()
        .issues
}

pub(super) fn assert_has(issues: &[String], expected: &str) {
    assert!(
        issues.iter().any(|i| i == expected),
        "expected {expected:?} in {issues:#?}"
    );
}

pub(super) fn rule<'a>(snapshot: &'a OrgSnapshot, name: &str) -> &'a ScoringRule {
    snapshot.rules.iter().find(|r| r.name == name).unwrap()
}

pub(super) fn rule_mut<'a>(snapshot: &'a mut OrgSnapshot, name: &str) -> &'a mut ScoringRule {
    snapshot.rules.iter_mut().find(|r| r.name == name).unwrap()
}

/// A copy of the rule called `name`, renamed, with a fresh id, appended to the snapshot.
pub(super) fn add_copy(snapshot: &mut OrgSnapshot, name: &str, new_name: &str, active: bool) {
    let mut copy = rule(snapshot, name).clone();
    copy.name = new_name.to_string();
    copy.id = Some(crate::domain::Id::new(format!(
        "9{:018}",
        snapshot.rules.len()
    )));
    copy.active = active;
    snapshot.rules.push(copy);
}

fn run(snapshot: &OrgSnapshot, modules: &[&str], include_inactive: bool) -> Vec<AuditRow> {
    let opts = AuditOptions {
        modules: modules.iter().map(|m| m.to_string()).collect(),
        include_inactive,
    };
    audit(snapshot, &opts).unwrap()
}

fn names(rows: &[AuditRow]) -> Vec<&str> {
    rows.iter().map(|r| r.rule_name.as_str()).collect()
}

#[test]
fn every_active_rule_appears_once() {
    let s = seeded();
    let rows = run(&s, &[], false);
    let active: Vec<&ScoringRule> = s.rules.iter().filter(|r| r.active).collect();
    assert_eq!(rows.len(), active.len());
    for r in active {
        let id = r.id.as_ref().unwrap().to_string();
        assert_eq!(
            rows.iter().filter(|row| row.rule_id == id).count(),
            1,
            "{}",
            r.name
        );
    }
    assert!(rows.iter().all(|r| r.active));
}

#[test]
fn all_adds_the_inactive_rules() {
    let s = seeded();
    let rows = run(&s, &[], true);
    assert_eq!(rows.len(), s.rules.len());
    let inactive: Vec<&str> = rows
        .iter()
        .filter(|r| !r.active)
        .map(|r| r.rule_name.as_str())
        .collect();
    assert_eq!(
        inactive,
        ["Stale Lead Decay", "Dormant Accounts", "Renewal Watch"]
    );
}

#[rstest]
#[case::one(&["Leads"], false, &["Leads"], 5)]
#[case::any_case(&["contacts"], false, &["Contacts"], 2)]
#[case::two_keep_org_order(&["Deals", "Leads"], false, &["Leads", "Deals"], 6)]
#[case::with_inactive(&["Deals"], true, &["Deals"], 2)]
#[case::repeated(&["Leads", "LEADS"], false, &["Leads"], 5)]
fn filters_by_module(
    #[case] modules: &[&str],
    #[case] include_inactive: bool,
    #[case] expected_modules: &[&str],
    #[case] count: usize,
) {
    let rows = run(&seeded(), modules, include_inactive);
    assert_eq!(rows.len(), count);
    let mut seen: Vec<&str> = rows.iter().map(|r| r.module.as_str()).collect();
    seen.dedup();
    assert_eq!(seen, expected_modules);
}

#[rstest]
#[case("Nope")]
#[case("")]
#[case("Lead")]
fn unknown_module_is_an_error(#[case] name: &str) {
    let opts = AuditOptions {
        modules: vec!["Leads".into(), name.into()],
        include_inactive: false,
    };
    assert_eq!(
        audit(&seeded(), &opts),
        Err(AuditError::UnknownModule(name.to_string()))
    );
}

#[test]
fn unknown_module_message_is_inert() {
    let e = AuditError::UnknownModule("Le\u{1b}[2Jads".into());
    assert_eq!(e.to_string(), "no module \"Le\\u{1b}[2Jads\" in this org");
}

#[test]
fn sorted_by_module_then_layout_then_name() {
    let s = seeded();
    let rows = run(&s, &[], true);
    let modules: Vec<&str> = s
        .modules
        .iter()
        .map(|m| m.module.api_name.as_str())
        .collect();
    let mut seen: Vec<&str> = rows.iter().map(|r| r.module.as_str()).collect();
    seen.dedup();
    let in_org_order: Vec<&str> = modules.into_iter().filter(|m| seen.contains(m)).collect();
    assert_eq!(seen, in_org_order);
    let leads: Vec<AuditRow> = rows.into_iter().filter(|r| r.module == "Leads").collect();
    assert_eq!(
        names(&leads),
        [
            "Enterprise Fit",
            "Inbound Demand",
            "Stale Lead Decay",
            "Partner Referrals",
            "Event Engagement",
            "Junk Filter",
        ]
    );
}

#[test]
fn a_layout_less_rule_has_null_layout_fields() {
    let rows = run(&seeded(), &["Leads"], false);
    let junk = rows.iter().find(|r| r.rule_name == "Junk Filter").unwrap();
    assert_eq!((&junk.layout_id, &junk.layout_name), (&None, &None));
    let fit = rows
        .iter()
        .find(|r| r.rule_name == "Enterprise Fit")
        .unwrap();
    assert_eq!(fit.layout_name.as_deref(), Some("Standard"));
    assert!(fit.layout_id.is_some());
}

#[test]
fn counts_and_score_span() {
    let s = seeded();
    let rows = run(&s, &["Leads"], false);
    let row = rows
        .iter()
        .find(|r| r.rule_name == "Inbound Demand")
        .unwrap();
    let rule = rule(&s, "Inbound Demand");
    assert_eq!(
        (row.field_rules, row.signal_rules, row.conditions),
        (3, 4, 4)
    );
    // Field rules +20, +30, -40; signal rules +10, +3, +6, -25, each once.
    let (fmin, fmax) = rule.field_score_span();
    assert_eq!((fmin, fmax), (-40, 50));
    assert_eq!((row.min_score, row.max_score), (-65, 69));
}

#[test]
fn hostile_scores_saturate() {
    let mut s = seeded();
    let r = rule_mut(&mut s, "Inbound Demand");
    for fr in &mut r.field_rules {
        fr.score = i64::MAX;
    }
    for sr in &mut r.signal_rules {
        sr.score = i64::MIN;
    }
    let rows = run(&s, &["Leads"], false);
    let row = rows
        .iter()
        .find(|r| r.rule_name == "Inbound Demand")
        .unwrap();
    assert_eq!((row.min_score, row.max_score), (i64::MIN, i64::MAX));
}

/// The demo org's deliberate problems, and nothing else: Partners / Reseller at the Enterprise
/// edition's 5 active rules, and Regional Focus's condition on a picklist value since removed.
#[test]
fn the_demo_org_has_exactly_its_deliberate_issues_in_enterprise() {
    let rows = run(&seeded(), &[], true);
    let with_issues: Vec<(&str, Vec<&str>)> = rows
        .iter()
        .filter(|r| !r.issues.is_empty())
        .map(|r| {
            let issues = r.issues.iter().map(String::as_str).collect();
            (r.rule_name.as_str(), issues)
        })
        .collect();
    let limit = "layout \"Reseller\" at 5/5 active rules";
    assert_eq!(
        with_issues,
        [
            ("Certified Resellers", vec![limit]),
            (
                "Regional Focus",
                vec![
                    "field rule 1: criterion on \"Region\" can never match: \"ANZ\" is not a value of Region",
                    limit
                ]
            ),
            ("Reseller Activity", vec![limit]),
            ("Reseller Health", vec![limit]),
            ("Reseller Revenue", vec![limit]),
        ]
    );
}

#[rstest]
#[case::one_active_rule(
    Edition::Standard,
    "Inbound Demand",
    "\"Leads\" over the limit at 5/1 active rules"
)]
#[case::one_rule(
    Edition::Professional,
    "Inbound Demand",
    "\"Leads\" over the limit at 6/1 rules"
)]
#[case::inactive_cannot_be_activated(
    Edition::Standard,
    "Stale Lead Decay",
    "\"Leads\" over the limit at 5/1 active rules, so this rule cannot be activated"
)]
#[case::layouts(
    Edition::Developer,
    "Event Engagement",
    "\"Leads\" has rules on 3 layouts; the Developer edition allows 2"
)]
#[case::criteria(Edition::Developer, "Pipeline Priority", "")]
fn smaller_editions_report_their_limits(
    #[case] edition: Edition,
    #[case] name: &str,
    #[case] expected: &str,
) {
    let mut s = seeded();
    s.edition = edition;
    let rows = run(&s, &[], true);
    let row = rows.iter().find(|r| r.rule_name == name).unwrap();
    if expected.is_empty() {
        // 5 conditions is exactly the Developer limit: at it is fine, only over is an issue.
        assert_eq!(row.conditions, 5);
        assert!(
            !row.issues.iter().any(|i| i.contains("conditions")),
            "{:?}",
            row.issues
        );
    } else {
        assert!(
            row.issues.iter().any(|i| i == expected),
            "{:#?}",
            row.issues
        );
    }
}

#[test]
fn layout_less_rules_are_not_counted_as_a_layout() {
    let mut s = seeded();
    s.edition = Edition::Developer;
    let rows = run(&s, &["Leads"], false);
    let junk = rows.iter().find(|r| r.rule_name == "Junk Filter").unwrap();
    assert!(
        !junk.issues.iter().any(|i| i.contains("layouts;")),
        "{:?}",
        junk.issues
    );
}
