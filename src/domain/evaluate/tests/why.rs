//! `why`: each condition with the record's value and its verdict, numbered depth-first, the
//! criteria's pattern and the branch that decided it; and, on random rules over the seeded
//! org, agreement with the evaluator: the same score, contributions adding up to it, each
//! condition's verdict the one it gets alone, each field rule's outcome the one its pattern
//! gives from those verdicts.

use proptest::prelude::*;
use serde_json::json;

use super::batch::{Rng, criteria, sample};
use super::{NOW, with_signals};
use super::{condition, ctx, date, group, lookup, multi, num, record, rule, schema, text};
use crate::domain::evaluate::{CompiledRule, RuleWhy, why};
use crate::domain::metadata::ModuleSchema;
use crate::domain::record::{FieldValue, Record};
use crate::domain::rule::{Criteria, GroupOperator};

fn source_in() -> Criteria {
    condition("Lead_Source", "in", json!(["Web", "Trade Show"]))
}

#[test]
fn a_condition_shows_the_value_the_verdict_and_the_test() {
    let r = rule(vec![(25, source_in())], vec![]);
    let w = why(
        &r,
        &schema(),
        &ctx(),
        &record(&[("Lead_Source", text("Web"))]),
    );
    let f = &w.field_rules[0];
    assert!(f.matched);
    assert_eq!(f.contribution, 25);
    assert_eq!(f.pattern, "1");
    assert_eq!(f.decided_by, "1");
    let c = &f.conditions[0];
    assert_eq!(
        (
            c.number,
            c.field.as_str(),
            c.value.as_str(),
            c.test.as_str(),
            c.passed
        ),
        (1, "Lead Source", "\"Web\"", "in (Web, Trade Show)", true)
    );
    let miss = why(
        &r,
        &schema(),
        &ctx(),
        &record(&[("Lead_Source", text("Cold Call"))]),
    );
    assert!(!miss.field_rules[0].conditions[0].passed);
    assert_eq!(miss.field_rules[0].contribution, 0);
    assert_eq!(miss.field_rules[0].first_failed, Some(1));
}

/// `1 OR (2 AND 3)`: which branch matched, or where it failed.
#[test]
fn the_pattern_numbers_conditions_depth_first_and_names_the_deciding_branch() {
    let criteria = group(
        "or",
        vec![
            source_in(),
            group(
                "and",
                vec![
                    condition("Annual_Revenue", "greater_than", json!(1_000_000)),
                    condition("Interests", "in", json!(["Golf"])),
                ],
            ),
        ],
    );
    let r = rule(vec![(40, criteria)], vec![]);
    let s = schema();
    let by_and = record(&[
        ("Lead_Source", text("Cold Call")),
        ("Annual_Revenue", num(2_500_000.0)),
        ("Interests", multi(&["Golf", "Chess"])),
    ]);
    let f = &why(&r, &s, &ctx(), &by_and).field_rules[0];
    assert_eq!(f.pattern, "1 OR (2 AND 3)");
    assert!(f.matched);
    assert_eq!(f.decided_by, "2 AND 3");
    let verdicts: Vec<(usize, &str, bool)> = f
        .conditions
        .iter()
        .map(|c| (c.number, c.value.as_str(), c.passed))
        .collect();
    assert_eq!(
        verdicts,
        [
            (1, "\"Cold Call\"", false),
            (2, "2500000", true),
            (3, "(Golf, Chess)", true)
        ]
    );
    // The first branch decides when it holds, even though the second holds too.
    let mut both = by_and.clone();
    both.values[3] = text("Web");
    assert_eq!(why(&r, &s, &ctx(), &both).field_rules[0].decided_by, "1");
    // Neither branch: both took part; the first failed condition is 1.
    let neither = record(&[
        ("Lead_Source", text("Cold Call")),
        ("Annual_Revenue", num(5.0)),
    ]);
    let f = &why(&r, &s, &ctx(), &neither).field_rules[0];
    assert!(!f.matched);
    assert_eq!(f.decided_by, "1 OR 2");
    assert_eq!(f.first_failed, Some(1));
}

#[test]
fn an_and_fails_at_its_first_failing_condition() {
    let criteria = group(
        "and",
        vec![
            source_in(),
            condition("Annual_Revenue", "greater_than", json!(1_000)),
            condition("Email_Opt_Out", "equal", json!(false)),
        ],
    );
    let r = rule(vec![(10, criteria)], vec![]);
    let rec = record(&[("Lead_Source", text("Web")), ("Annual_Revenue", num(10.0))]);
    let w = why(&r, &schema(), &ctx(), &rec);
    let f = &w.field_rules[0];
    assert_eq!(f.pattern, "1 AND 2 AND 3");
    assert_eq!(
        (f.matched, f.decided_by.as_str(), f.first_failed),
        (false, "2", Some(2))
    );
    // Condition 3 fails too (no value): every condition shows its own verdict.
    assert!(!f.conditions[2].passed);
    assert_eq!(f.conditions[2].value, "empty");
    let (fr, c) = w.first_failure().unwrap();
    assert_eq!((fr.index, c.number), (0, 2));
}

#[test]
fn values_read_as_a_person_writes_them() {
    let r = rule(
        vec![(
            1,
            group(
                "and",
                vec![
                    condition("Last_Activity_Date", "equal", json!("2026-11-20")),
                    condition("Owner", "equal", json!({"id": "7"})),
                    condition("Probability", "greater_than", json!(0.5)),
                    condition("Email_Opt_Out", "equal", json!(true)),
                    condition("Designation", "equal", json!("CEO")),
                ],
            ),
        )],
        vec![],
    );
    let rec = record(&[
        ("Last_Activity_Date", date("2026-11-20")),
        ("Owner", FieldValue::lookup(lookup("7"))),
        ("Probability", num(0.75)),
        ("Email_Opt_Out", FieldValue::Bool(true)),
        ("Designation", text("")),
    ]);
    let w = why(&r, &schema(), &ctx(), &rec);
    let values: Vec<&str> = w.field_rules[0]
        .conditions
        .iter()
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(
        values,
        ["2026-11-20", "\"Record 7\"", "0.75", "true", "empty"]
    );
    assert_eq!(
        crate::domain::evaluate::value_text(&FieldValue::DateTime(NOW)),
        "2026-11-23 10:00:00 UTC"
    );
}

#[test]
fn an_unresolvable_condition_says_so_and_never_holds() {
    let r = rule(
        vec![(5, condition("Gone_Field", "not_equal", json!("x")))],
        vec![],
    );
    let c = &why(&r, &schema(), &ctx(), &record(&[])).field_rules[0].conditions[0];
    assert!(c.unresolvable);
    assert!(!c.passed);
    assert_eq!(
        (c.field.as_str(), c.value.as_str()),
        ("Gone_Field", "(no such field)")
    );
}

#[test]
fn field_and_signal_contributions_add_up_to_the_score() {
    let r = rule(
        vec![
            (25, source_in()),
            (-10, condition("Email_Opt_Out", "equal", json!(true))),
        ],
        vec![(3, "Email_Opened__s"), (-2, "Email_Bounced__s")],
    );
    let rec = with_signals(
        record(&[
            ("Lead_Source", text("Web")),
            ("Email_Opt_Out", FieldValue::Bool(true)),
        ]),
        &[("Email_Opened__s", 4), ("Email_Bounced__s", 1)],
    );
    let w = why(&r, &schema(), &ctx(), &rec);
    let parts: Vec<i64> = w.field_rules.iter().map(|f| f.contribution).collect();
    assert_eq!(parts, [25, -10]);
    let signals: Vec<i64> = w.signal_rules.iter().map(|s| s.contribution).collect();
    assert_eq!(signals, [12, -2]);
    assert_eq!(
        (w.contributions(), w.score.total(), w.field_total()),
        (25, 25, 15)
    );
}

#[test]
fn empty_groups_and_groups_of_one_read_plainly() {
    let criteria = group(
        "and",
        vec![group("or", vec![source_in()]), group("or", vec![])],
    );
    let r = rule(vec![(5, criteria)], vec![]);
    let f = &why(
        &r,
        &schema(),
        &ctx(),
        &record(&[("Lead_Source", text("Web"))]),
    )
    .field_rules[0];
    assert_eq!(f.pattern, "1 AND (no conditions)");
    assert!(!f.matched);
    assert_eq!(f.decided_by, "(no conditions)");
    assert_eq!(f.first_failed, None);
}

/// The field rule's outcome from its conditions' verdicts, by an independent reading of the
/// tree: an empty group never holds.
fn holds(c: &Criteria, verdicts: &[bool], next: &mut usize) -> bool {
    match c {
        Criteria::Condition(_) => {
            *next += 1;
            verdicts[*next - 1]
        }
        Criteria::Group(g) => {
            let all: Vec<bool> = g.group.iter().map(|m| holds(m, verdicts, next)).collect();
            !all.is_empty()
                && match g.group_operator {
                    GroupOperator::And => all.iter().all(|&b| b),
                    GroupOperator::Or => all.iter().any(|&b| b),
                }
        }
    }
}

fn numbers(text: &str) -> Vec<usize> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect()
}

fn check_one(
    schema: &ModuleSchema,
    rule_: &crate::domain::rule::ScoringRule,
    record: &Record,
) -> Result<(), TestCaseError> {
    let compiled = CompiledRule::compile(rule_, schema, &ctx());
    let w: RuleWhy = compiled.why(rule_, schema, record);
    let score = compiled.score(record);
    prop_assert_eq!(w.score, score);
    prop_assert_eq!(w.contributions(), score.total());
    for (f, fr) in w.field_rules.iter().zip(&rule_.field_rules) {
        let verdicts: Vec<bool> = f.conditions.iter().map(|c| c.passed).collect();
        prop_assert_eq!(verdicts.len(), fr.criteria.leaf_count());
        prop_assert_eq!(f.matched, holds(&fr.criteria, &verdicts, &mut 0));
        // Condition n is the n-th leaf: alone in a rule, it gets the same verdict.
        for (c, leaf) in f.conditions.iter().zip(fr.criteria.conditions()) {
            let alone = super::rule(vec![(1, Criteria::Condition(leaf.clone()))], vec![]);
            let got = CompiledRule::compile(&alone, schema, &ctx()).score(record);
            prop_assert_eq!(
                c.passed,
                got.matched_field_rules == 1,
                "condition {}",
                c.number
            );
        }
        // The deciding conditions all went the way the field rule did.
        for n in numbers(&f.decided_by) {
            prop_assert_eq!(
                verdicts.get(n - 1).copied(),
                Some(f.matched),
                "{}",
                &f.decided_by
            );
        }
        if let Some(n) = f.first_failed {
            prop_assert!(!f.matched && !verdicts[n - 1]);
            prop_assert_eq!(numbers(&f.decided_by).into_iter().min(), Some(n));
        }
    }
    Ok(())
}

fn check(case: u64) -> Result<(), TestCaseError> {
    let mut rng = Rng(case);
    let (schema, records, namespaces) = sample(&mut rng, 40);
    let field_rules = (0..1 + rng.below(5))
        .map(|_| {
            let score = rng.below(200) as i64 - 100;
            (score, criteria(&mut rng, schema, &records, 3))
        })
        .collect();
    let signals = (0..rng.below(3))
        .filter_map(|_| Some((rng.below(40) as i64 - 20, rng.pick(&namespaces)?.as_str())))
        .collect();
    let r = rule(field_rules, signals);
    for record in &records {
        check_one(schema, &r, record)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn explanations_agree_with_the_evaluator(case in any::<u64>()) {
        check(case)?;
    }
}
