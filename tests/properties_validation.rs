//! Property: the domain validator accepts exactly what the sandbox accepts. Random create items
//! (a valid rule, then broken in random ways: names, modules, layouts, scores, criteria trees,
//! signals, custom fields, wrong types, unknown keys) go to the sandbox over HTTP and through
//! `validate::parse_create` + `check_rule` against the same org; both must accept, or both
//! refuse with the same error code. Accepted rules are deleted again so every case sees the
//! same org. Fixed seed and case count; failures are kept in `proptest-regressions/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Harness, RULES};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Value, json};
use zscore::api::{Client, ClientConfig};
use zscore::domain::validate::{self, Op, RuleContext, RuleSummary};
use zscore::domain::{Edition, OrgSnapshot};

/// What the org offers that a valid rule refers to.
#[derive(Clone, Debug)]
struct Refs {
    layout: String,
    signal_namespace: String,
    signal_id: String,
    existing_name: String,
}

/// The domain's verdict: `None` accepted, else the first violation's code.
fn domain_verdict(org: &OrgSnapshot, item: &Value) -> Option<String> {
    let rule = match validate::parse_create(item) {
        Ok(r) => r,
        Err(v) => return Some(v[0].code.to_string()),
    };
    let Some(schema) = org.module(&rule.module.api_name) else {
        return Some("INVALID_DATA".into());
    };
    let others: Vec<RuleSummary> = org.rules.iter().map(RuleSummary::of).collect();
    let ctx = RuleContext {
        edition: org.edition,
        schema,
        signals: &org.signals,
        others: &others,
    };
    validate::check_rule(&rule, &ctx, Op::Create)
        .first()
        .map(|v| v.code.to_string())
}

fn pick<T: Clone + std::fmt::Debug + 'static>(items: Vec<T>) -> impl Strategy<Value = T> {
    prop::sample::select(items)
}

/// The first item (the valid choice) seven times in ten, else any of the others, so an item
/// usually breaks in one or two places and some come through whole.
fn mostly<T: Clone + std::fmt::Debug + 'static>(items: Vec<T>) -> impl Strategy<Value = T> {
    let first = items[0].clone();
    prop_oneof![7 => Just(first), 3 => prop::sample::select(items)]
}

fn condition() -> impl Strategy<Value = Value> {
    (
        mostly(vec![
            "Lead_Source",
            "Annual_Revenue",
            "No_of_Employees",
            "Email",
            "Created_Time",
            "Industry",
            "Not_A_Field",
        ]),
        mostly(vec![
            "equal",
            "not_equal",
            "contains",
            "starts_with",
            "between",
            "in",
            "greater_than",
            "like",
            "include_all",
            "bogus",
        ]),
        mostly(vec![
            json!("Web Download"),
            json!(5000),
            json!(["1000", "5000"]),
            json!("${EMPTY}"),
            json!("2026-01-01"),
            json!(null),
            json!([]),
            json!({"a": 1}),
            json!(true),
        ]),
        prop::option::of(pick(vec!["value", "field", "nonsense"])),
    )
        .prop_map(|(field, comparator, value, kind)| {
            let mut c =
                json!({"field": {"api_name": field}, "comparator": comparator, "value": value});
            if let Some(k) = kind {
                c["type"] = json!(k);
            }
            c
        })
}

fn criteria() -> impl Strategy<Value = Value> {
    condition().prop_recursive(3, 12, 4, |inner| {
        (
            mostly(vec!["AND", "or", "xor"]),
            prop::collection::vec(inner, 0..4),
        )
            .prop_map(|(op, group)| json!({"group_operator": op, "group": group}))
    })
}

/// One way of breaking (or keeping) one key of a valid item.
fn item(refs: Refs) -> impl Strategy<Value = Value> {
    let r = refs.clone();
    let name = mostly(vec![
        json!("Prop rule"),
        json!(""),
        json!("x".repeat(26)),
        json!("Bad#name"),
        json!(r.existing_name.clone()),
        json!("Ünïcode ok"),
        json!(7),
        Value::Null,
    ]);
    let description = mostly(vec![
        Some(json!("fine")),
        None,
        Some(Value::Null),
        Some(json!("d".repeat(501))),
        Some(json!(5)),
    ]);
    let module = mostly(vec![
        Some(json!({"api_name": "Leads"})),
        Some(json!({"api_name": "leads"})),
        Some(json!({"api_name": "Nope"})),
        Some(json!("Leads")),
        Some(json!({"api_name": "Leads", "id": "1"})),
        None,
    ]);
    let layout = mostly(vec![
        Some(json!({"id": r.layout.clone()})),
        Some(json!({"id": r.layout.clone(), "api_name": "Standard"})),
        Some(json!({"id": "123"})),
        Some(Value::Null),
        Some(json!("Standard")),
        None,
    ]);
    let active = mostly(vec![
        Some(json!(false)),
        Some(json!(true)),
        None,
        Some(json!("yes")),
    ]);
    let score = mostly(vec![
        json!(10),
        json!(-100),
        json!(101),
        json!("10"),
        json!(1.5),
        json!(0),
    ]);
    let field_rules = prop_oneof![
        1 => Just(None),
        1 => Just(Some(Value::Null)),
        1 => Just(Some(json!([]))),
        12 => prop::collection::vec((score, criteria()), 1..3).prop_map(|frs| Some(Value::Array(
            frs.into_iter()
                .map(|(s, c)| json!({"score": s, "criteria": c}))
                .collect()
        ))),
    ];
    let signal_rules = mostly(vec![
        Some(json!([])),
        None,
        Some(
            json!([{"score": 5, "signal": {"namespace": r.signal_namespace.clone(), "id": r.signal_id.clone()}}]),
        ),
        Some(json!([{"score": 5, "signal": {"namespace": "no.such.signal", "id": "1"}}])),
        Some(
            json!([{"score": 500, "signal": {"namespace": r.signal_namespace.clone(), "id": r.signal_id.clone()}}]),
        ),
    ]);
    let custom_fields = mostly(vec![
        Some(json!([])),
        None,
        Some(json!([{"field_label": "Prop Score", "reference_field": {"api_name": "Score"}}])),
        Some(json!([{"field_label": ""}])),
    ]);
    let extra = mostly(vec![
        None,
        Some(("bogus", json!(1))),
        Some(("id", json!("42"))),
    ]);
    (
        (name, description, module, layout, active),
        (field_rules, signal_rules, custom_fields, extra),
    )
        .prop_map(
            |((name, description, module, layout, active), (frs, srs, cfs, extra))| {
                let mut o = serde_json::Map::new();
                o.insert("name".into(), name);
                let mut put = |k: &str, v: Option<Value>| {
                    if let Some(v) = v {
                        o.insert(k.into(), v);
                    }
                };
                put("description", description);
                put("module", module);
                put("layout", layout);
                put("active", active);
                put("field_rules", frs);
                put("signal_rules", srs);
                put("custom_fields", cfs);
                if let Some((k, v)) = extra {
                    o.insert(k.into(), v);
                }
                Value::Object(o)
            },
        )
}

#[test]
fn the_validator_and_the_sandbox_agree_on_every_create() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let h = rt.block_on(Harness::start());
    let client = Client::new(ClientConfig::sandbox(&h.sandbox.url)).unwrap();
    let org = rt
        .block_on(client.load_snapshot(Some(Edition::Enterprise), &[]))
        .unwrap();
    let (layout, _) = rt.block_on(h.layout("Leads", "Standard"));
    let signal = org.signals.first().expect("the demo org has signals");
    let refs = Refs {
        layout,
        signal_namespace: signal.namespace.clone(),
        signal_id: signal.id.to_string(),
        existing_name: org
            .rules
            .iter()
            .find(|r| r.module.api_name == "Leads")
            .unwrap()
            .name
            .clone(),
    };
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: 200,
            failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
                "proptest-regressions/properties_validation.txt",
            ))),
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &[11; 32]),
    );
    let accepted = std::cell::Cell::new(0usize);
    let refused = std::cell::Cell::new(0usize);
    runner
        .run(&item(refs), |item| {
            let expected = domain_verdict(&org, &item);
            let reply = rt.block_on(h.post(RULES, json!({ "scoring_rules": [item.clone()] })));
            let got = if reply.status == reqwest::StatusCode::CREATED {
                let id = reply.id(0);
                rt.block_on(h.delete(&format!("{RULES}/{id}")));
                None
            } else {
                Some(reply.code(0).to_string())
            };
            prop_assert_eq!(&got, &expected, "item {} → sandbox {}", item, reply.body);
            let side = if got.is_none() { &accepted } else { &refused };
            side.set(side.get() + 1);
            Ok(())
        })
        .unwrap();
    let (accepted, refused) = (accepted.get(), refused.get());
    assert!(
        accepted >= 5 && refused >= 50,
        "the generator covers both sides: {accepted} accepted, {refused} refused"
    );
}
