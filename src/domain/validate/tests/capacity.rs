//! Rule limits per layout bucket and per module, by edition; create goes through `check_rule`.

use rstest::rstest;
use serde_json::json;

use super::super::fixtures::{Org, PARTNER, STANDARD, deals_item, leads_item, summary};
use super::super::{Op, RuleSummary, check_capacity};
use super::{check, edit, found};
use crate::domain::edition::Edition;
use crate::domain::id::Id;
use crate::domain::violation::codes;

/// `total` Leads rules in the bucket, the first `active` of them active.
fn bucket(layout: Option<&str>, total: usize, active: usize, first_id: u64) -> Vec<RuleSummary> {
    (0..total)
        .map(|i| {
            summary(
                first_id + i as u64,
                &format!("R{first_id}-{i}"),
                "Leads",
                layout,
                i < active,
            )
        })
        .collect()
}

fn org(edition: Edition, others: Vec<RuleSummary>) -> Org {
    let mut org = Org::new(edition);
    org.others = others;
    org
}

#[rstest]
#[case::layout_total_below(9, 0, true, false, None)]
#[case::layout_total_at(10, 0, true, false, Some((codes::LIMIT_EXCEEDED, "More than 10 scoring rules cannot be created for a layout", "layout.id", 10)))]
#[case::layout_active_below(9, 4, true, true, None)]
#[case::layout_active_at(9, 5, true, true, Some((codes::ACTIVE_STATE_LIMIT_EXCEEDED, "More than 5 active scoring rules cannot be created for a layout", "layout.id", 5)))]
#[case::inactive_create_ignores_active_limit(9, 5, true, false, None)]
#[case::activate_ignores_total(10, 4, false, true, None)]
#[case::activate_at_active_limit(10, 5, false, true, Some((codes::ACTIVE_STATE_LIMIT_EXCEEDED, "More than 5 active scoring rules cannot be created for a layout", "layout.id", 5)))]
fn enterprise_layout_buckets(
    #[case] total: usize,
    #[case] active: usize,
    #[case] adds_rule: bool,
    #[case] becomes_active: bool,
    #[case] expected: Option<(&str, &str, &str, usize)>,
) {
    let org = org(
        Edition::Enterprise,
        bucket(Some(STANDARD), total, active, 100),
    );
    let got = check_capacity(
        Some(&Id::new(STANDARD)),
        becomes_active,
        adds_rule,
        &org.leads(),
    );
    match (got, expected) {
        (None, None) => {}
        (Some(v), Some((code, message, path, limit))) => {
            assert_eq!(
                (v.code, v.message.as_str(), v.path.to_string()),
                (code, message, path.to_string())
            );
            assert_eq!(v.details["limit"], limit);
            assert!(v.hint.contains("layout \"Standard\""), "{}", v.hint);
        }
        (got, expected) => panic!("got {got:?}, expected {expected:?}"),
    }
}

#[test]
fn buckets_are_separate_and_layoutless_rules_have_their_own() {
    let org = org(Edition::Enterprise, bucket(Some(STANDARD), 10, 5, 100));
    assert_eq!(
        check_capacity(Some(&Id::new(PARTNER)), true, true, &org.leads()),
        None
    );
    assert_eq!(check_capacity(None, true, true, &org.leads()), None);
    let org = self::org(Edition::Enterprise, bucket(None, 10, 0, 100));
    let v = check_capacity(None, false, true, &org.leads()).unwrap();
    assert_eq!(
        (v.code, v.path.to_string()),
        (codes::LIMIT_EXCEEDED, "layout".into())
    );
    assert_eq!(v.details["api_name"], "layout");
    assert!(
        v.hint.starts_with("rules without a layout already has 10"),
        "{}",
        v.hint
    );
}

#[test]
fn enterprise_module_limits() {
    // 50 rules over five buckets of ten (four layouts' worth and the layout-less one)…
    let mut others = Vec::new();
    for (n, layout) in ["7001", "7002", "7003", "7004"].into_iter().enumerate() {
        others.extend(bucket(Some(layout), 10, 5, 100 * (n as u64 + 1)));
    }
    others.extend(bucket(None, 10, 5, 900));
    let org = org(Edition::Enterprise, others.clone());
    // …leave room in the Standard layout bucket, but not in the module.
    let v = check_capacity(Some(&Id::new(STANDARD)), false, true, &org.leads()).unwrap();
    assert_eq!(
        (v.code, v.path.to_string()),
        (codes::LIMIT_EXCEEDED, "module".into())
    );
    assert_eq!(
        v.message,
        "More than 50 scoring rules cannot be created for a module"
    );
    assert_eq!(v.details["limit"], 50);
    let v = check_capacity(Some(&Id::new(STANDARD)), true, false, &org.leads()).unwrap();
    assert_eq!(v.code, codes::ACTIVE_STATE_LIMIT_EXCEEDED);
    assert_eq!(
        v.message,
        "You have exceeded the number of active rules possible for your account"
    );
    assert_eq!(v.details["limit"], 25);
    // Rules of other modules never count.
    let elsewhere: Vec<_> = others
        .into_iter()
        .map(|mut r| {
            r.module = "Contacts".into();
            r
        })
        .collect();
    let org = self::org(Edition::Enterprise, elsewhere);
    assert_eq!(
        check_capacity(Some(&Id::new(STANDARD)), true, true, &org.leads()),
        None
    );
}

#[rstest]
#[case::first_rule(vec![], true, None)]
#[case::second_rule_same_bucket(
    bucket(Some(STANDARD), 1, 0, 100),
    false,
    Some("More than 1 scoring rules cannot be created for a layout")
)]
#[case::second_rule_other_bucket(
    bucket(None, 1, 0, 100),
    false,
    Some("More than 1 scoring rules cannot be created for a module")
)]
#[case::second_active_rule_via_activation(
    bucket(None, 1, 1, 100),
    true,
    Some("You have exceeded the number of active rules possible for your account")
)]
fn standard_allows_one_rule_per_module(
    #[case] others: Vec<RuleSummary>,
    #[case] activate_only: bool,
    #[case] message: Option<&str>,
) {
    let org = org(Edition::Standard, others);
    let got = check_capacity(Some(&Id::new(STANDARD)), true, !activate_only, &org.leads());
    assert_eq!(got.map(|v| v.message), message.map(str::to_string));
}

#[test]
fn create_checks_capacity_last_and_update_never() {
    let org = org(Edition::Enterprise, bucket(Some(STANDARD), 10, 5, 100));
    let vs = check(&leads_item(), &org.leads(), Op::Create);
    assert_eq!(
        found(&vs),
        vec![(codes::LIMIT_EXCEEDED, "layout.id".to_string())]
    );
    assert_eq!(
        found(&check(&leads_item(), &org.leads(), Op::Update)),
        vec![]
    );
    let inactive = edit(&leads_item(), "/active", Some(json!(false)));
    let org = self::org(Edition::Enterprise, bucket(Some(STANDARD), 9, 5, 100));
    assert_eq!(found(&check(&inactive, &org.leads(), Op::Create)), vec![]);
    assert_eq!(
        found(&check(&leads_item(), &org.leads(), Op::Create)),
        vec![(codes::ACTIVE_STATE_LIMIT_EXCEEDED, "layout.id".to_string())]
    );
}

#[test]
fn deals_count_only_deals_rules() {
    // The fixture org has one active layout-less Deals rule.
    let org = Org::new(Edition::Standard);
    let v = check(&deals_item(), &org.deals(), Op::Create);
    assert_eq!(
        found(&v),
        vec![(codes::LIMIT_EXCEEDED, "layout".to_string())]
    );
    let org = Org::new(Edition::Enterprise);
    assert_eq!(
        found(&check(&deals_item(), &org.deals(), Op::Create)),
        vec![]
    );
}
