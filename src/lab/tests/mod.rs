//! Lint cases and preview arithmetic on a small hand-made Leads schema.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::lint::{Kind, findings_about, layout_findings, rule_findings, sample_findings};
use super::preview::{ExistingRow, SampleRecord, preview};
use crate::domain::Id;
use crate::domain::evaluate::EvalContext;
use crate::domain::metadata::ModuleSchema;
use crate::domain::record::{FieldValue, LookupValue, Record};
use crate::domain::rule::ScoringRule;

fn schema() -> ModuleSchema {
    serde_json::from_value(json!({
        "module": {"id": "1", "api_name": "Leads"},
        "layouts": [{"id": "10", "name": "Standard", "sections": [{"fields": [
            {"api_name": "Country"}, {"api_name": "Revenue"}, {"api_name": "Layout"}
        ]}]}],
        "fields": [
            {"id": "2", "api_name": "Country", "data_type": "picklist"},
            {"id": "3", "api_name": "Revenue", "data_type": "currency"},
            {"id": "4", "api_name": "Hidden", "data_type": "text"},
            {"id": "5", "api_name": "Layout", "data_type": "lookup"},
            {"id": "6", "api_name": "Tags", "data_type": "multiselectpicklist"}
        ]
    }))
    .unwrap()
}

fn cond(field: &str, comparator: &str, value: Value) -> Value {
    json!({"field": {"api_name": field}, "comparator": comparator, "value": value})
}

fn and(members: Vec<Value>) -> Value {
    json!({"group_operator": "AND", "group": members})
}

fn or(members: Vec<Value>) -> Value {
    json!({"group_operator": "OR", "group": members})
}

fn rule(id: &str, field_rules: Vec<(i64, Value)>) -> ScoringRule {
    let frs: Vec<Value> = field_rules
        .into_iter()
        .map(|(score, criteria)| json!({"score": score, "criteria": criteria}))
        .collect();
    serde_json::from_value(json!({
        "id": id, "name": format!("rule {id}"), "module": {"api_name": "Leads"},
        "layout": {"id": "10"}, "active": true, "field_rules": frs
    }))
    .unwrap()
}

fn kinds(r: &ScoringRule) -> Vec<Kind> {
    rule_findings(r, &schema())
        .into_iter()
        .map(|f| f.kind)
        .collect()
}

#[test]
fn rule_lint_cases() {
    let cases: Vec<(&str, Value, Vec<Kind>)> = vec![
        (
            "contradictory equals",
            and(vec![
                cond("Country", "equal", json!("India")),
                cond("Country", "equal", json!("Japan")),
            ]),
            vec![Kind::NeverMatches],
        ),
        (
            "same value twice, other case",
            and(vec![
                cond("Country", "equal", json!("India")),
                cond("Country", "equal", json!("INDIA")),
            ]),
            vec![],
        ),
        (
            "either one is fine",
            or(vec![
                cond("Country", "equal", json!("India")),
                cond("Country", "equal", json!("Japan")),
            ]),
            vec![],
        ),
        (
            "nested AND still contradicts",
            and(vec![
                cond("Country", "equal", json!("India")),
                and(vec![cond("Country", "equal", json!("Japan"))]),
            ]),
            vec![Kind::NeverMatches],
        ),
        (
            "multi-select may hold both",
            and(vec![
                cond("Tags", "equal", json!("A")),
                cond("Tags", "equal", json!("B")),
            ]),
            vec![Kind::MissingField, Kind::MissingField],
        ),
        (
            "empty between",
            cond("Revenue", "between", json!(["500", "100"])),
            vec![Kind::NeverMatches],
        ),
        (
            "sound between",
            cond("Revenue", "between", json!(["100", "500"])),
            vec![],
        ),
        (
            "field not in module",
            cond("Nope", "equal", json!("x")),
            vec![Kind::MissingField],
        ),
        (
            "field not on layout",
            cond("Hidden", "equal", json!("x")),
            vec![Kind::MissingField],
        ),
        (
            "disrupted flag",
            json!({"field": {"api_name": "Country"}, "comparator": "equal", "value": "x", "$disrupted": true}),
            vec![Kind::Disrupted],
        ),
    ];
    for (name, criteria, want) in cases {
        assert_eq!(kinds(&rule("1", vec![(5, criteria)])), want, "{name}");
    }
}

#[test]
fn opposite_scores_on_the_same_criteria_cancel() {
    let c = cond("Country", "equal", json!("India"));
    let r = rule("1", vec![(5, c.clone()), (-5, c.clone())]);
    assert_eq!(kinds(&r), vec![Kind::ScoresCancel]);
    let r = rule("1", vec![(5, c.clone()), (-4, c)]);
    assert!(kinds(&r).is_empty());
}

#[test]
fn layout_duplicates_and_cancelling_pairs() {
    let c = cond("Country", "equal", json!("India"));
    let a = rule("1", vec![(5, c.clone())]);
    let b = rule("2", vec![(-5, c.clone())]);
    let d = rule("3", vec![(7, cond("Country", "equal", json!("Japan")))]);
    let found: Vec<Kind> = layout_findings(&[&a, &b, &d], &schema())
        .into_iter()
        .map(|f| f.kind)
        .collect();
    assert_eq!(found, vec![Kind::DuplicateCriteria, Kind::ScoresCancel]);
}

#[test]
fn findings_about_one_rule_are_the_layout_findings_it_gets_when_first() {
    let india = cond("Country", "equal", json!("India"));
    let japan = cond("Country", "equal", json!("Japan"));
    let a = rule(
        "1",
        vec![(5, india.clone()), (3, japan.clone()), (2, india.clone())],
    );
    let b = rule("2", vec![(-5, india.clone())]);
    let c = rule("3", vec![(3, japan), (1, india.clone())]);
    let d = rule("4", vec![(-2, india)]);
    let everyone = layout_findings(&[&a, &b, &c, &d], &schema());
    let expected: Vec<_> = everyone.into_iter().filter(|f| f.rule_id == a.id).collect();
    assert_eq!(expected.len(), 9, "{expected:#?}");
    assert_eq!(findings_about(&a, &[&b, &c, &d], &schema()), expected);
    assert!(findings_about(&a, &[], &schema()).is_empty());
}

fn record(id: &str, country: &str, revenue: f64, layout: Option<&str>) -> SampleRecord {
    let layout_value = layout.map_or(FieldValue::Null, |l| {
        FieldValue::lookup(LookupValue {
            id: Id::new(l),
            name: "Standard".into(),
        })
    });
    SampleRecord {
        record: Record {
            id: Id::new(id),
            values: vec![
                FieldValue::Text(country.into()),
                FieldValue::Number(revenue),
                FieldValue::Null,
                layout_value,
                FieldValue::Null,
            ],
            signals: vec![],
        },
        layout: layout.map(Id::new),
        rows: HashMap::new(),
    }
}

#[test]
fn preview_counts_movers_matches_and_layout_scope() {
    let r = rule(
        "1",
        vec![
            (10, cond("Country", "equal", json!("India"))),
            (-3, cond("Revenue", "greater_than", json!("100"))),
        ],
    );
    let mut a = record("100", "India", 50.0, Some("10"));
    a.rows.insert(
        Id::new("1"),
        ExistingRow {
            score: 4,
            touch_point: 2,
        },
    );
    let b = record("101", "india", 500.0, Some("10"));
    let other_layout = record("102", "India", 0.0, Some("99"));
    let none = record("103", "Peru", 0.0, Some("10"));
    let sample = vec![a, b, other_layout, none];
    let report = preview(
        "Leads",
        &schema(),
        &[Id::new("1")],
        std::slice::from_ref(&r),
        &sample,
        &EvalContext::default(),
    );
    let after: Vec<(i64, i64)> = report.records.iter().map(|o| (o.before, o.after)).collect();
    // 10 + existing touch points 2; 10 - 3; another layout's record is not scored; no match.
    assert_eq!(after, vec![(4, 12), (0, 7), (0, 0), (0, 0)]);
    assert_eq!(
        (
            report.matched,
            report.changed,
            report.raised,
            report.lowered
        ),
        (2, 2, 2, 0)
    );
    assert_eq!(
        report.top_movers.first().map(|m| m.id.as_str()),
        Some("100")
    );
    assert_eq!(report.rules.first().map(|r| r.matched), Some(2));
    assert!(sample_findings(&report, &[r]).is_empty());
    // Nothing dropped: the figure reads 0, not +0.
    let summary = super::preview::change_summary(&report);
    assert!(
        summary.ends_with("largest rise +8, largest drop 0"),
        "{summary}"
    );
    let mut still = report.clone();
    (still.mean_change, still.largest_rise) = (0.0, 0);
    let summary = super::preview::change_summary(&still);
    assert!(
        summary.contains("mean change 0, largest rise 0,"),
        "{summary}"
    );
}

#[test]
fn unmatched_and_zero_sum_rules_are_found_in_the_sample() {
    let never = rule("1", vec![(10, cond("Country", "equal", json!("Chile")))]);
    let zero = rule(
        "2",
        vec![
            (5, cond("Country", "equal", json!("India"))),
            (-5, cond("Revenue", "less_than", json!("1000"))),
        ],
    );
    let sample = vec![record("100", "India", 50.0, Some("10"))];
    let rules = vec![never, zero];
    let report = preview(
        "Leads",
        &schema(),
        &[],
        &rules,
        &sample,
        &EvalContext::default(),
    );
    let found: Vec<Kind> = sample_findings(&report, &rules)
        .into_iter()
        .map(|f| f.kind)
        .collect();
    assert_eq!(found, vec![Kind::NoMatchInSample, Kind::ScoresCancel]);
}
