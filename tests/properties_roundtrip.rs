//! Property: a scoring rule read from the wire and written back is the same rule, for any rule:
//! criteria trees of any shape, nulls where Zoho sends them, unknown comparators, any text, and
//! ids given as JSON numbers or strings. Criteria as Zoho can hold them (groups of 2 or more,
//! nested to depth 4) survive being split into numbered conditions and a pattern, written as
//! text and read back. A fixed case count and seed keep CI reproducible; failures are kept in
//! `proptest-regressions/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;
use zscore::domain::metadata::UserRef;
use zscore::domain::rule::{
    CustomField, FieldRef, Group, LayoutRef, ModuleRef, ReferenceField, SignalRef,
};
use zscore::domain::{
    Comparator, Condition, Criteria, FieldRule, GroupOperator, Id, ScoringRule, SignalRule,
};

fn id() -> impl Strategy<Value = Id> {
    any::<u64>().prop_map(|n| Id::new(n.to_string()))
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9 _.-]{0,24}",
        any::<String>(),
        Just("${EMPTY}".to_string()),
    ]
}

/// Values without floats: serde_json's default float parsing may differ in the last bit.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn comparator() -> impl Strategy<Value = Comparator> {
    prop_oneof![
        prop::sample::select(Comparator::ALL.to_vec()),
        "x_[a-z]{1,8}".prop_map(Comparator::Unknown),
    ]
}

fn condition() -> impl Strategy<Value = Condition> {
    (
        "[A-Za-z_]{1,16}",
        prop::option::of(id()),
        comparator(),
        value(),
        prop::option::of(prop::sample::select(vec![
            "value".to_string(),
            "field".to_string(),
            "merge_field".to_string(),
            "pre_defined".to_string(),
        ])),
        prop::option::of(any::<bool>()),
    )
        .prop_map(
            |(api_name, fid, comparator, value, kind, disrupted)| Condition {
                field: FieldRef { api_name, id: fid },
                comparator,
                value,
                kind,
                disrupted,
            },
        )
}

fn criteria() -> impl Strategy<Value = Criteria> {
    condition()
        .prop_map(Criteria::Condition)
        .prop_recursive(4, 24, 5, |inner| {
            (
                prop_oneof![Just(GroupOperator::And), Just(GroupOperator::Or)],
                prop::collection::vec(inner, 0..5),
            )
                .prop_map(|(group_operator, group)| {
                    Criteria::Group(Group {
                        group_operator,
                        group,
                    })
                })
        })
}

/// Criteria Zoho accepts: every group holds 2 or more members.
fn zoho_criteria() -> impl Strategy<Value = Criteria> {
    condition()
        .prop_map(Criteria::Condition)
        .prop_recursive(4, 32, 5, |inner| {
            (
                prop_oneof![Just(GroupOperator::And), Just(GroupOperator::Or)],
                prop::collection::vec(inner, 2..5),
            )
                .prop_map(|(group_operator, group)| {
                    Criteria::Group(Group {
                        group_operator,
                        group,
                    })
                })
        })
}

fn user() -> impl Strategy<Value = UserRef> {
    (text(), id(), prop::option::of("[0-9]{1,10}")).prop_map(|(name, id, zuid)| UserRef {
        name,
        id,
        zuid,
    })
}

fn rule() -> impl Strategy<Value = ScoringRule> {
    let field_rule =
        (prop::option::of(id()), any::<i64>(), criteria()).prop_map(|(id, score, criteria)| {
            FieldRule {
                id,
                score,
                criteria,
            }
        });
    let signal_rule = (prop::option::of(id()), any::<i64>(), text(), id()).prop_map(
        |(id, score, namespace, sid)| SignalRule {
            id,
            score,
            signal: SignalRef { namespace, id: sid },
        },
    );
    let custom = (
        prop::option::of(id()),
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of((prop::option::of(text()), prop::option::of(id()))),
    )
        .prop_map(|(id, api_name, field_label, r)| CustomField {
            id,
            api_name,
            field_label,
            reference_field: r.map(|(api_name, id)| ReferenceField { api_name, id }),
        });
    let head = (
        prop::option::of(id()),
        text(),
        prop::option::of(text()),
        (text(), prop::option::of(id())),
        prop::option::of((id(), prop::option::of(text()), prop::option::of(text()))),
        any::<bool>(),
    );
    let lists = (
        prop::collection::vec(field_rule, 0..4),
        prop::collection::vec(signal_rule, 0..3),
        prop::collection::vec(custom, 0..2),
    );
    let meta = (
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(user()),
        prop::option::of(user()),
        prop::option::of(any::<bool>()),
    );
    (head, lists, meta).prop_map(
        |(
            (id, name, description, (module, module_id), layout, active),
            (field_rules, signal_rules, custom_fields),
            (created_time, modified_time, created_by, modified_by, has_signal_rules),
        )| ScoringRule {
            id,
            name,
            description,
            module: ModuleRef {
                api_name: module,
                id: module_id,
            },
            layout: layout.map(|(id, api_name, display_label)| LayoutRef {
                id,
                api_name,
                display_label,
            }),
            active,
            field_rules,
            signal_rules,
            custom_fields,
            created_time,
            modified_time,
            created_by,
            modified_by,
            has_signal_rules,
        },
    )
}

/// Every `id` / `zuid`-free id string made a JSON number, as some Zoho answers send them.
fn ids_as_numbers(v: &mut Value) {
    match v {
        Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                if k == "id"
                    && let Some(n) = x.as_str().and_then(|s| s.parse::<u64>().ok())
                {
                    *x = Value::from(n);
                } else {
                    ids_as_numbers(x);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(ids_as_numbers),
        _ => {}
    }
}

fn runner() -> TestRunner {
    TestRunner::new_with_rng(
        Config {
            cases: 256,
            failure_persistence: Some(Box::new(
                proptest::test_runner::FileFailurePersistence::Direct(
                    "proptest-regressions/properties_roundtrip.txt",
                ),
            )),
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    )
}

#[test]
fn a_rule_survives_json_text_and_value_round_trips() {
    runner()
        .run(&rule(), |r| {
            let text = serde_json::to_string(&r).unwrap();
            let back: ScoringRule = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(&back, &r);
            let again: ScoringRule =
                serde_json::from_value(serde_json::to_value(&r).unwrap()).unwrap();
            prop_assert_eq!(&again, &r);
            Ok(())
        })
        .unwrap();
}

#[test]
fn ids_read_the_same_as_numbers_or_strings() {
    runner()
        .run(&rule(), |r| {
            let mut v = serde_json::to_value(&r).unwrap();
            ids_as_numbers(&mut v);
            let back: ScoringRule = serde_json::from_value(v).unwrap();
            prop_assert_eq!(&back, &r);
            Ok(())
        })
        .unwrap();
}

#[test]
fn empty_lists_travel_as_null_and_read_back_empty() {
    runner()
        .run(&rule(), |r| {
            let v = serde_json::to_value(&r).unwrap();
            for (key, empty) in [
                ("field_rules", r.field_rules.is_empty()),
                ("signal_rules", r.signal_rules.is_empty()),
                ("custom_fields", r.custom_fields.is_empty()),
            ] {
                prop_assert_eq!(v[key].is_null(), empty, "{}", key);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn criteria_survive_conditions_and_a_pattern() {
    use zscore::domain::pattern;
    runner()
        .run(&zoho_criteria(), |c| {
            let (conditions, shape) = pattern::split(&c);
            let text = pattern::text(&shape);
            let reread = pattern::parse(&text, conditions.len())
                .map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
            prop_assert_eq!(&reread, &shape);
            prop_assert_eq!(pattern::join(&conditions, &reread), Some(c));
            Ok(())
        })
        .unwrap();
}

#[test]
fn any_pattern_text_is_read_or_refused_without_panicking() {
    use zscore::domain::pattern;
    runner()
        .run(&("[0-9() ANDORandor&x]{0,40}", 0usize..8), |(text, n)| {
            if let Err(e) = pattern::parse(&text, n) {
                prop_assert!(e.column >= 1 && e.column <= text.chars().count() + 1);
            }
            Ok(())
        })
        .unwrap();
}
