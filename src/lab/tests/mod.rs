//! Lint cases and preview arithmetic on a small hand-made Leads schema.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::expected::{check, predict};
use super::explain::{FailedAt, explain, render_text as explain_text};
use super::lint::{Kind, findings_about, layout_findings, rule_findings, sample_findings};
use super::preview::{ExistingRow, SampleRecord, preview, render_text};
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
            {"id": "2", "api_name": "Country", "data_type": "picklist", "pick_list_values": [
                {"display_value": "India", "actual_value": "India"},
                {"display_value": "Japan", "actual_value": "Japan"}
            ]},
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
            "a value the picklist does not have (deleted since)",
            cond("Country", "equal", json!("Atlantis")),
            vec![Kind::DeadValue],
        ),
        (
            "disrupted flag",
            json!({"field": {"api_name": "Country"}, "comparator": "equal", "value": "India", "$disrupted": true}),
            vec![Kind::Disrupted],
        ),
        (
            // The reason found here says more than Zoho's flag, as in the audit.
            "disrupted flag on a dead value",
            json!({"field": {"api_name": "Country"}, "comparator": "equal", "value": "x", "$disrupted": true}),
            vec![Kind::DeadValue],
        ),
        (
            "a comparator the field's type does not take",
            cond("Revenue", "starts_with", json!("1")),
            vec![Kind::DeadValue],
        ),
        (
            "another field's value is not judged",
            json!({"field": {"api_name": "Revenue"}, "comparator": "equal", "value": "Hidden", "type": "merge_field"}),
            vec![],
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
        name: Some(format!("Lead {id} (Acme)")),
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

#[test]
fn preview_shows_movers_by_name_then_id() {
    let r = rule("1", vec![(10, cond("Country", "equal", json!("India")))]);
    let sample = vec![record("100", "India", 50.0, Some("10"))];
    let report = preview(
        "Leads",
        &schema(),
        &[],
        &[r],
        &sample,
        &EvalContext::default(),
    );
    assert_eq!(report.records[0].name.as_deref(), Some("Lead 100 (Acme)"));
    let text = render_text(&report);
    let row = text.lines().find(|l| l.contains("Lead 100")).unwrap();
    assert!(
        row.find("Lead 100").unwrap() < row.find("100 ").unwrap_or(usize::MAX),
        "{row}"
    );
    assert!(
        row.contains("Lead 100 (Acme)") && row.contains(" 100 "),
        "{row}"
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["top_movers"][0]["name"], "Lead 100 (Acme)");
    assert_eq!(json["records"][0]["id"], "100");
}

/// One record under three rules: one matching through the second branch of an OR (plus the
/// org's touch points), one matching nothing, one of another layout.
#[test]
fn an_explanation_adds_up_and_says_why() {
    let matching = rule(
        "1",
        vec![
            (
                25,
                or(vec![
                    cond("Country", "in", json!(["Peru", "Chile"])),
                    and(vec![
                        cond("Country", "equal", json!("India")),
                        cond("Revenue", "greater_than", json!("10")),
                    ]),
                ]),
            ),
            (-5, cond("Revenue", "greater_than", json!("1000"))),
        ],
    );
    let nothing = rule(
        "2",
        vec![(
            10,
            and(vec![
                cond("Revenue", "less_than", json!("100")),
                cond("Country", "equal", json!("Japan")),
            ]),
        )],
    );
    let mut elsewhere = rule("3", vec![(7, cond("Country", "equal", json!("India")))]);
    elsewhere.layout = serde_json::from_value(json!({"id": "99"})).unwrap();
    let mut s = record("100", "India", 50.0, Some("10"));
    s.rows.insert(
        Id::new("1"),
        ExistingRow {
            score: 0,
            touch_point: 6,
        },
    );
    let rules = vec![matching, nothing, elsewhere];
    let e = explain(&schema(), &rules, &s, &EvalContext::default());
    let scores: Vec<(i64, bool)> = e.rules.iter().map(|r| (r.score, r.applies)).collect();
    assert_eq!(scores, vec![(31, true), (0, true), (0, false)]);
    assert_eq!(e.score, 31);
    let first = &e.rules[0].field_rules[0];
    assert_eq!(
        (first.pattern.as_str(), first.decided_by.as_str()),
        ("1 OR (2 AND 3)", "2 AND 3")
    );
    assert_eq!(
        e.rules[1].first_failed,
        Some(FailedAt {
            field_rule: 1,
            condition: 2
        })
    );
    assert_eq!(e.rules[0].first_failed, None);
    let text = explain_text(&e);
    for want in [
        "record Lead 100 (Acme) · 100: score 31",
        "rule rule 1 (1): 31 = +25 (field rule 1) +6 (touch points)",
        "field rule 1 ✓ +25: 1 OR (2 AND 3), decided by 2 AND 3",
        "1. Country = \"India\" ✗ in (Peru, Chile)",
        "2. Country = \"India\" ✓ = India",
        "3. Revenue = 50 ✓ > 10",
        "field rule 2 ✗ +0 (of -5)\n",
        "rule rule 2 (2): 0, nothing matched; first failed: field rule 1, condition 2: Country = \"India\" ✗ = Japan",
        "rule rule 3 (3): not applied (a rule of another layout)",
    ] {
        assert!(text.contains(want), "{want:?} missing from\n{text}");
    }
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["name"], "Lead 100 (Acme)");
    assert_eq!(
        json["rules"][0]["field_rules"][0]["conditions"][1]["passed"],
        true
    );
    assert_eq!(json["rules"][1]["first_failed"]["condition"], 2);
}

#[test]
fn explained_values_are_inert() {
    let r = rule("1", vec![(1, cond("Country", "equal", json!("x")))]);
    let mut s = record("100", "\u{1b}]0;pwned\u{7}", 0.0, Some("10"));
    s.name = Some("Evil \u{202e}Corp".into());
    let text = explain_text(&explain(&schema(), &[r], &s, &EvalContext::default()));
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "{text}"
    );
    assert!(text.contains("\\u{1b}]0;pwned"), "{text}");
}

/// A record `predict` takes: dated inside the window of `EvalContext::default()` (time 0), as
/// the schema has no window fields.
fn windowed(id: &str, country: &str, layout: Option<&str>) -> SampleRecord {
    record(id, country, 50.0, layout)
}

/// A schema with `Created_Time`, so the six-month window has something to read.
fn dated_schema() -> ModuleSchema {
    let mut s = schema();
    s.fields.push(
        serde_json::from_value(
            json!({"id": "7", "api_name": "Created_Time", "data_type": "datetime"}),
        )
        .unwrap(),
    );
    s
}

fn created(mut r: SampleRecord, at: i64) -> SampleRecord {
    r.record.values.push(FieldValue::DateTime(at));
    r
}

#[test]
fn a_prediction_scores_the_window_per_layout_with_touch_points() {
    let now = 1_800_000_000;
    let ctx = EvalContext {
        now,
        ..EvalContext::default()
    };
    let r = rule("1", vec![(10, cond("Country", "equal", json!("India")))]);
    let mut with_touch = created(windowed("100", "India", Some("10")), now - 86_400);
    with_touch.rows.insert(
        Id::new("1"),
        ExistingRow {
            score: 4,
            touch_point: 4,
        },
    );
    let unchanged = {
        let mut s = created(windowed("101", "India", Some("10")), now - 86_400);
        s.rows.insert(
            Id::new("1"),
            ExistingRow {
                score: 10,
                touch_point: 0,
            },
        );
        s
    };
    let other_layout = created(windowed("102", "India", Some("99")), now - 86_400);
    let old = created(windowed("103", "India", Some("10")), now - 400 * 86_400);
    let sample = vec![with_touch, unchanged, other_layout, old];
    let p = predict(&dated_schema(), &[r], &sample, &ctx);
    assert_eq!(p.outside_window, 1);
    let got: Vec<(&str, Vec<(i64, i64)>)> = p
        .records
        .iter()
        .map(|r| {
            (
                r.id.as_str(),
                r.scores.iter().map(|s| (s.expected, s.before)).collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("100", vec![(14, 4)]),
            ("101", vec![(10, 10)]),
            // Another layout's rule does not score it: nothing to expect.
            ("102", vec![]),
        ]
    );
    assert_eq!(p.expected_changes(), 1);
    assert_eq!(p.rules, vec![(Id::new("1"), "rule 1".to_string())]);
}

#[test]
fn a_check_names_every_record_still_different_with_expected_and_actual() {
    let now = 1_800_000_000;
    let ctx = EvalContext {
        now,
        ..EvalContext::default()
    };
    let a = rule("1", vec![(10, cond("Country", "equal", json!("India")))]);
    let b = rule("2", vec![(5, cond("Revenue", "greater_than", json!("10")))]);
    let sample = vec![
        created(windowed("100", "India", Some("10")), now),
        created(windowed("101", "Peru", Some("10")), now),
    ];
    let mut p = predict(&dated_schema(), &[a, b], &sample, &ctx);
    let row = |score| ExistingRow {
        score,
        touch_point: 0,
    };
    // Nothing landed yet: both records differ (a missing row reads as 0).
    let none = check(&p, &HashMap::new());
    assert_eq!((none.verified, none.total), (0, 2));
    let first = &none.differing[0];
    assert_eq!(
        (
            first.name.as_deref(),
            first.id.as_str(),
            first.expected,
            first.actual
        ),
        (Some("Lead 100 (Acme)"), "100", 15, 0)
    );
    assert_eq!(
        first
            .rules
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>(),
        ["rule 1", "rule 2"]
    );
    // Record 100 carries rule 1's score but rule 2's row says 7.
    let mut actual = HashMap::new();
    actual.insert(
        Id::new("100"),
        HashMap::from([(Id::new("1"), row(10)), (Id::new("2"), row(7))]),
    );
    actual.insert(Id::new("101"), HashMap::from([(Id::new("2"), row(5))]));
    let c = check(&p, &actual);
    assert_eq!((c.verified, c.total), (1, 2));
    let d = &c.differing[0];
    assert_eq!((d.expected, d.actual), (15, 17));
    assert_eq!(
        d.rules
            .iter()
            .map(|r| (r.id.as_str(), r.expected, r.actual))
            .collect::<Vec<_>>(),
        [("2", 5, 7)]
    );
    // Only rule 1 was scheduled: record 100 carries what rule 1 predicts.
    p.retain_rules(&[Id::new("1")]);
    let c = check(&p, &actual);
    assert_eq!((c.verified, c.total), (2, 2));
}

/// A rule whose parts cancel on most (not all) of its matched records is reported with the
/// share; one that cancels on only half of them is not.
#[test]
fn scores_cancelling_on_most_matched_records_are_found() {
    let rules = vec![rule(
        "3",
        vec![
            (5, cond("Country", "equal", json!("India"))),
            (-5, cond("Revenue", "less_than", json!("1000"))),
        ],
    )];
    let findings = |sample: &[SampleRecord]| {
        let report = preview(
            "Leads",
            &schema(),
            &[],
            &rules,
            sample,
            &EvalContext::default(),
        );
        sample_findings(&report, &rules)
            .into_iter()
            .map(|f| (f.kind, f.message))
            .collect::<Vec<_>>()
    };
    // India under 1000 cancels; India at 5000 scores +5; Chile under 1000 scores -5.
    let cancel = |id: &str| record(id, "India", 50.0, Some("10"));
    let mut sample = vec![
        cancel("1"),
        cancel("2"),
        record("3", "India", 5000.0, Some("10")),
    ];
    assert_eq!(
        findings(&sample),
        [(
            Kind::ScoresCancel,
            "its positive and negative parts sum to 0 on 2 of the 3 matched records".to_string()
        )]
    );
    sample.push(record("4", "Chile", 50.0, Some("10")));
    assert_eq!(findings(&sample), []);
}
