//! Whole rules: groups, signal rules, disrupted conditions, explanations and criteria text.

use rstest::rstest;
use serde_json::json;

use super::{condition, ctx, group, num, record, rule, schema, text, with_signals};
use crate::domain::evaluate::{CompiledRule, RuleScore, criteria_text};
use crate::domain::record::FieldValue;
use crate::domain::rule::{Comparator, Criteria};

/// Designation = Manager AND (Lead Source = Web OR (Revenue > 100 AND Revenue < 1000))
fn nested() -> Criteria {
    group(
        "AND",
        vec![
            condition("Designation", "equal", json!("Manager")),
            group(
                "or",
                vec![
                    condition("Lead_Source", "equal", json!("Web")),
                    group(
                        "and",
                        vec![
                            condition("Annual_Revenue", "greater_than", json!(100)),
                            condition("Annual_Revenue", "less_than", json!(1000)),
                        ],
                    ),
                ],
            ),
        ],
    )
}

#[rstest]
#[case("manager", "Web", 5.0, true, 2)]
#[case("manager", "Cold Call", 500.0, true, 4)]
#[case("manager", "Cold Call", 5000.0, false, 4)]
#[case("manager", "Cold Call", 50.0, false, 3)]
#[case("CEO", "Web", 500.0, false, 1)]
fn nested_groups_short_circuit(
    #[case] designation: &str,
    #[case] source: &str,
    #[case] revenue: f64,
    #[case] expected: bool,
    #[case] evaluated: u64,
) {
    let compiled = CompiledRule::compile(&rule(vec![(25, nested())], vec![]), &schema(), &ctx());
    let r = record(&[
        ("Designation", text(designation)),
        ("Lead_Source", text(source)),
        ("Annual_Revenue", num(revenue)),
    ]);
    assert_eq!(compiled.score(&r).matched_field_rules == 1, expected);
    assert_eq!(compiled.leaves_evaluated(&r), evaluated);
    assert_eq!(compiled.leaf_count(), 4);
}

#[test]
fn field_and_signal_rules_add_up() {
    let r = rule(
        vec![
            (30, condition("Designation", "contains", json!("manager"))),
            (-10, condition("Email", "ends_with", json!("@gmail.com"))),
            (0, condition("Designation", "not_equal", json!("${EMPTY}"))),
            (50, condition("Lead_Source", "equal", json!("Web"))),
        ],
        vec![
            (5, "EmailInsight_Open__s"),
            (-20, "EmailInsight_Bounce__s"),
            (7, "Survey_Responded__s"),
        ],
    );
    let compiled = CompiledRule::compile(&r, &schema(), &ctx());
    let rec = with_signals(
        record(&[
            ("Designation", text("Sales Manager")),
            ("Email", text("ana@GMAIL.com")),
        ]),
        &[
            ("EmailInsight_Open__s", 3),
            ("EmailInsight_Bounce__s", 1),
            ("EmailInsight_Open__s", 1),
            ("Survey_Responded__s", 0),
        ],
    );
    let score = compiled.score(&rec);
    let expected = RuleScore {
        positive: 30,
        negative: -10,
        touch_positive: 20,
        touch_negative: -20,
        matched_field_rules: 3,
        matched_signal_rules: 2,
    };
    assert_eq!(score, expected);
    assert_eq!(score.touch_point(), 0);
    assert_eq!(score.total(), 20);
    assert!(score.matched_any());

    let explanation = compiled.explain(&rec);
    assert_eq!(explanation.score, score);
    assert_eq!(explanation.contributions(), score.total());
    let matched: Vec<bool> = explanation.field_rules.iter().map(|f| f.matched).collect();
    assert_eq!(matched, [true, true, true, false]);
    let signals: Vec<(u32, i64)> = explanation
        .signal_rules
        .iter()
        .map(|s| (s.events, s.contribution))
        .collect();
    assert_eq!(signals, [(4, 20), (1, -20), (0, 0)]);
    assert_eq!(
        explanation.field_rules[1].criteria,
        "Email ends with @gmail.com"
    );
    assert_eq!(
        explanation.field_rules[1].id.as_ref().map(|i| i.as_str()),
        Some("601")
    );
}

#[rstest]
#[case(3, 5, 15)]
#[case(0, 5, 0)]
#[case(2, -10, -20)]
#[case(u32::MAX, i64::MAX, i64::MAX)]
fn signal_rules_score_per_event(#[case] events: u32, #[case] per: i64, #[case] expected: i64) {
    let compiled = CompiledRule::compile(
        &rule(vec![], vec![(per, "Email_Incoming__s")]),
        &schema(),
        &ctx(),
    );
    let score = compiled.score(&with_signals(
        record(&[]),
        &[("Email_Incoming__s", events), ("Other", 9)],
    ));
    assert_eq!(score.touch_point(), expected);
    assert_eq!(score.matched_signal_rules, u32::from(events > 0));
    assert_eq!(score.positive + score.negative, 0);
}

#[test]
fn a_record_with_nothing_matching_scores_zero() {
    let compiled = CompiledRule::compile(
        &rule(vec![(10, nested())], vec![(5, "X")]),
        &schema(),
        &ctx(),
    );
    let score = compiled.score(&record(&[]));
    assert_eq!(score, RuleScore::default());
    assert!(!score.matched_any());
}

/// Unresolvable conditions never match, even negated, and are reported by position.
#[rstest]
#[case(condition("No_Such_Field", "not_equal", json!("x")))]
#[case(condition("Deals__r.Stage", "equal", json!("Won")))]
#[case(condition("Annual_Revenue", "equal", json!("lots")))]
#[case(condition("Annual_Revenue", "not_contains", json!("1")))]
#[case(condition("Designation", "sounds_like", json!("x")))]
#[case(condition("Designation", "not_in", json!("not a list")))]
#[case(condition("Lead_Source", "not_equal", json!("Carrier pigeon")))]
#[case(condition("Last_Activity_Date", "not_equal", json!("23/11/2026")))]
#[case(condition("Designation", "not_equal", json!(null)))]
fn disrupted_conditions_never_match(#[case] bad: Criteria) {
    let r = rule(
        vec![
            (10, condition("Designation", "equal", json!("CEO"))),
            (
                20,
                group(
                    "OR",
                    vec![condition("Designation", "equal", json!("x")), bad.clone()],
                ),
            ),
            (
                40,
                group(
                    "AND",
                    vec![condition("Designation", "not_equal", json!("x")), bad],
                ),
            ),
        ],
        vec![],
    );
    let compiled = CompiledRule::compile(&r, &schema(), &ctx());
    assert_eq!(compiled.disrupted(), vec![(1, 1), (2, 1)]);
    for v in [FieldValue::Null, text("CEO"), text("x"), num(1.0)] {
        let rec = record(&[("Designation", v.clone()), ("Annual_Revenue", num(1.0))]);
        let outcome = &compiled.explain(&rec).field_rules[2];
        assert!(
            !outcome.matched,
            "{v:?}: an AND with a disrupted member never matches"
        );
    }
    // The OR still matches through its other member.
    assert_eq!(
        compiled
            .score(&record(&[("Designation", text("X"))]))
            .positive,
        20
    );
}

#[test]
fn field_valued_conditions_are_disrupted() {
    let mut c = condition("Designation", "equal", json!("Last_Name"));
    if let Criteria::Condition(cond) = &mut c {
        cond.kind = Some("field".into());
    }
    let compiled = CompiledRule::compile(&rule(vec![(10, c)], vec![]), &schema(), &ctx());
    assert_eq!(compiled.disrupted(), vec![(0, 0)]);
}

#[test]
fn empty_groups_never_match() {
    let empty = group("AND", vec![]);
    let r = rule(
        vec![
            (10, empty.clone()),
            (
                20,
                group(
                    "OR",
                    vec![empty.clone(), condition("Designation", "equal", json!("x"))],
                ),
            ),
        ],
        vec![],
    );
    let compiled = CompiledRule::compile(&r, &schema(), &ctx());
    assert_eq!(
        compiled
            .score(&record(&[("Designation", text("x"))]))
            .positive,
        20
    );
    assert_eq!(criteria_text(&empty, &schema()), "(no conditions)");
}

#[test]
fn short_records_read_missing_values_as_null() {
    let r = rule(
        vec![(10, condition("Interests", "not_in", json!(["Golf"])))],
        vec![],
    );
    let compiled = CompiledRule::compile(&r, &schema(), &ctx());
    let mut rec = record(&[]);
    rec.values.truncate(2);
    assert_eq!(compiled.score(&rec).positive, 10);
}

#[test]
fn criteria_text_of_a_nested_group() {
    let c = group(
        "OR",
        vec![
            condition("Designation", "equal", json!("Regional Manager")),
            condition("Designation", "equal", json!("Decision Maker")),
            group(
                "AND",
                vec![
                    condition("Lead_Source", "in", json!(["Web", "Cold Call"])),
                    condition("Annual_Revenue", "between", json!([10, 20])),
                    condition("Email", "equal", json!("${EMPTY}")),
                    condition("Owner", "not_equal", json!({"name": "${CURRENTUSER}"})),
                    group(
                        "OR",
                        vec![
                            condition(
                                "Campaigns",
                                "include_any",
                                json!([{"id": "5", "name": "Spring"}, {"id": "6"}]),
                            ),
                            condition("Gone_Field", "not_equal", json!("${NOTEMPTY}")),
                        ],
                    ),
                ],
            ),
        ],
    );
    assert_eq!(
        criteria_text(&c, &schema()),
        "Designation = Regional Manager OR Designation = Decision Maker OR \
         (Lead Source in (Web, Cold Call) AND Annual Revenue between 10 and 20 AND \
         Email is empty AND Lead Owner ≠ current user AND \
         (Campaigns includes any of (Spring, 6) OR Gone_Field is empty))"
    );
    let single = condition(
        "Last_Activity_Date",
        "greater_than",
        json!("${DUEINDAYS}+12"),
    );
    assert_eq!(
        criteria_text(&single, &schema()),
        "Last Activity > ${DUEINDAYS}+12"
    );
}

/// Whatever the comparator, value and stored value, compiling and scoring never panic, and a
/// resolvable negated comparator is exactly the negation of its positive partner.
#[test]
fn every_comparator_on_every_field_never_panics_and_negations_agree() {
    let operands = [
        json!("Web"),
        json!(["Golf", "Chess"]),
        json!(42),
        json!([10, 20]),
        json!(true),
        json!("${TODAY}"),
        json!(["${LASTWEEK}", "2026-12-01"]),
        json!({"id": "5"}),
        json!([{"id": "5"}, {"name": "${CURRENTUSER}"}]),
        json!("${EMPTY}"),
        json!(null),
        json!([]),
        json!({"x": [1, {"y": null}]}),
    ];
    let values = [
        FieldValue::Null,
        text(""),
        text("Web"),
        text("ÉCOLE"),
        num(15.0),
        FieldValue::Bool(true),
        FieldValue::Date(20780),
        FieldValue::DateTime(super::NOW),
        super::multi(&["Golf"]),
        FieldValue::lookup(super::lookup("5")),
        super::lookups(&["5", "1001"]),
    ];
    let pairs = [
        (Comparator::Equal, Comparator::NotEqual),
        (Comparator::In, Comparator::NotIn),
        (Comparator::Like, Comparator::NotLike),
        (Comparator::Contains, Comparator::NotContains),
        (Comparator::Between, Comparator::NotBetween),
        (Comparator::IncludeAny, Comparator::ExcludeAll),
        (Comparator::IncludeAll, Comparator::ExcludeAny),
    ];
    let schema = schema();
    for field in &schema.fields {
        for operand in &operands {
            for comparator in Comparator::ALL
                .iter()
                .chain([&Comparator::Unknown("?".into())])
            {
                let r = rule(
                    vec![(
                        1,
                        condition(&field.api_name, comparator.as_str(), operand.clone()),
                    )],
                    vec![],
                );
                let compiled = CompiledRule::compile(&r, &schema, &ctx());
                for v in &values {
                    let rec = record(&[(&field.api_name, v.clone())]);
                    let _ = compiled.explain(&rec);
                    let positive = compiled.score(&rec).positive;
                    let Some((_, negated)) = pairs.iter().find(|(p, _)| p == comparator) else {
                        continue;
                    };
                    let neg_rule = rule(
                        vec![(
                            1,
                            condition(&field.api_name, negated.as_str(), operand.clone()),
                        )],
                        vec![],
                    );
                    let neg = CompiledRule::compile(&neg_rule, &schema, &ctx());
                    if compiled.disrupted().is_empty() && neg.disrupted().is_empty() {
                        assert_eq!(
                            positive + neg.score(&rec).positive,
                            1,
                            "{} {comparator:?}/{negated:?} {operand} on {v:?}",
                            field.api_name
                        );
                    }
                }
            }
        }
    }
}

/// The sandbox shares compiled rules across tasks and threads.
#[test]
fn compiled_rules_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<CompiledRule>();
    assert_send_sync::<crate::domain::evaluate::Explanation>();
}
