//! Issues for limits of the edition reached, per layout bucket, module and rule.

use rstest::rstest;
use serde_json::{Value, json};

use super::*;
use crate::domain::Id;

/// The copies these tests add repeat their original's criteria, which the lint (rightly) lists
/// as duplicates; these tests are about limits only.
fn issues_of(snapshot: &OrgSnapshot, name: &str) -> Vec<String> {
    super::issues_of(snapshot, name)
        .into_iter()
        .filter(|i| !i.contains("has the same criteria as"))
        .collect()
}

#[rstest]
#[case::at_limit(3, "layout \"Standard\" at 5/5 active rules")]
#[case::over_limit(4, "layout \"Standard\" over the limit at 6/5 active rules")]
fn layout_bucket_active_limit(#[case] extra: usize, #[case] expected: &str) {
    let mut s = seeded();
    for n in 0..extra {
        add_copy(&mut s, "Enterprise Fit", &format!("Copy {n}"), true);
    }
    assert_eq!(issues_of(&s, "Enterprise Fit"), [expected]);
    assert_eq!(
        issues_of(&s, "Stale Lead Decay"),
        [format!("{expected}, so this rule cannot be activated")]
    );
    // Other buckets of the module are not affected.
    assert!(issues_of(&s, "Event Engagement").is_empty());
    assert!(issues_of(&s, "Junk Filter").is_empty());
}

#[test]
fn layout_bucket_total_limit() {
    let mut s = seeded();
    for n in 0..7 {
        add_copy(&mut s, "Stale Lead Decay", &format!("Copy {n}"), false);
    }
    assert_eq!(
        issues_of(&s, "Enterprise Fit"),
        ["layout \"Standard\" at 10/10 rules"]
    );
}

#[test]
fn all_layouts_bucket_limit() {
    let mut s = seeded();
    for n in 0..4 {
        add_copy(&mut s, "Junk Filter", &format!("Copy {n}"), true);
    }
    assert_eq!(
        issues_of(&s, "Junk Filter"),
        ["the \"All layouts\" bucket at 5/5 active rules"]
    );
}

#[test]
fn module_limits() {
    let mut s = seeded();
    // 25 active Leads rules, spread so that no bucket is full (5 buckets of 5 would be): two
    // more on each of the three layouts and the all-layouts bucket is 5+3+3+4 = 15; the other
    // 10 go to layouts the metadata no longer has.
    let mut n = 0;
    for (name, copies) in [
        ("Enterprise Fit", 2),
        ("Partner Referrals", 2),
        ("Event Engagement", 2),
        ("Junk Filter", 3),
    ] {
        for _ in 0..copies {
            add_copy(&mut s, name, &format!("Copy {n}"), true);
            n += 1;
        }
    }
    for k in 0..11 {
        add_copy(&mut s, "Enterprise Fit", &format!("Gone {k}"), true);
        let last = s.rules.last_mut().unwrap();
        last.layout.as_mut().unwrap().id = Id::new(format!("77{}", k % 3));
    }
    let issues = issues_of(&s, "Junk Filter");
    assert_has(&issues, "\"Leads\" at 25/25 active rules");
    assert!(!issues.iter().any(|i| i.contains("bucket")), "{issues:#?}");
    assert_has(
        &issues_of(&s, "Stale Lead Decay"),
        "\"Leads\" at 25/25 active rules, so this rule cannot be activated",
    );
    let gone = issues_of(&s, "Gone 0");
    assert_eq!(
        gone.first().map(String::as_str),
        Some("layout 770 no longer exists in \"Leads\"")
    );
    assert_has(
        &gone,
        "\"Leads\" has rules on 6 layouts; the Enterprise edition allows 4",
    );
}

#[rstest]
#[case::at_the_limit(30, None)]
#[case::over_the_limit(31, Some("31 conditions; the Enterprise edition allows 30"))]
fn criteria_per_rule(#[case] n: usize, #[case] expected: Option<&str>) {
    let mut s = seeded();
    let r = rule_mut(&mut s, "Enterprise Fit");
    r.field_rules.truncate(1);
    let group: Vec<Value> = (0..n)
        .map(|k| json!({"field": {"api_name": "City"}, "comparator": "equal", "value": format!("City {k}")}))
        .collect();
    r.field_rules[0].criteria =
        serde_json::from_value(json!({"group_operator": "OR", "group": group})).unwrap();
    let issues = issues_of(&s, "Enterprise Fit");
    match expected {
        Some(e) => assert_eq!(issues, [e]),
        None => assert!(issues.is_empty(), "{issues:#?}"),
    }
}
