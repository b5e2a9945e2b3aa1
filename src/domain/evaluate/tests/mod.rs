//! Fixtures shared by the evaluator's tests: a Leads schema with one field of each kind, a
//! fixed clock (Monday 2026-11-23T10:00:00Z) and one-condition rules.

mod batch;
mod dates;
mod rules;
mod text;
mod typed;
mod why;

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::{CompiledRule, EvalContext};
use crate::domain::id::Id;
use crate::domain::metadata::{DataType, Field, FormulaInfo, Module, ModuleSchema, PickListValue};
use crate::domain::operand::days_from_epoch;
use crate::domain::record::{FieldValue, LookupValue, Record, SignalEvents};
use crate::domain::rule::{
    Comparator, Condition, Criteria, FieldRef, FieldRule, ModuleRef, ScoringRule, SignalRef,
    SignalRule,
};

/// 2026-11-23T10:00:00Z, a Monday.
pub const NOW: i64 = 1_795_428_000;

pub fn ctx() -> EvalContext {
    EvalContext {
        now: NOW,
        current_user: Some(Id::new("1001")),
        current_role: Some(Id::new("2001")),
    }
}

fn field(api: &str, label: &str, dt: DataType) -> Field {
    Field {
        id: Id::new(format!("{}", 9000 + api.len())),
        api_name: api.into(),
        field_label: Some(label.into()),
        display_label: None,
        data_type: dt,
        json_type: None,
        custom_field: None,
        read_only: None,
        visible: None,
        system_mandatory: None,
        length: None,
        decimal_place: None,
        pick_list_values: vec![],
        lookup: None,
        formula: None,
        rollup_summary: None,
    }
}

fn picklist(api: &str, label: &str, dt: DataType, values: &[&str]) -> Field {
    let mut f = field(api, label, dt);
    f.pick_list_values = values
        .iter()
        .map(|v| PickListValue {
            display_value: (*v).into(),
            actual_value: (*v).into(),
            id: None,
            sequence_number: None,
            kind: None,
        })
        .collect();
    f
}

pub fn schema() -> ModuleSchema {
    let mut expected = field("Expected_Value", "Expected Value", DataType::Formula);
    expected.formula = Some(FormulaInfo {
        return_type: Some("currency".into()),
    });
    ModuleSchema {
        module: Module {
            id: Id::new("111"),
            api_name: "Leads".into(),
            module_name: None,
            singular_label: None,
            plural_label: None,
            generated_type: None,
            api_supported: None,
            scoring_supported: None,
            visible: None,
            creatable: None,
            editable: None,
            status: None,
        },
        layouts: vec![],
        fields: vec![
            field("Last_Name", "Last Name", DataType::Text),
            field("Designation", "Designation", DataType::Text),
            field("Email", "Email", DataType::Email),
            picklist(
                "Lead_Source",
                "Lead Source",
                DataType::Picklist,
                &["Web", "Cold Call", "Trade Show", "Salon Éducation"],
            ),
            picklist(
                "Interests",
                "Interests",
                DataType::Multiselectpicklist,
                &["Golf", "Tennis", "Chess", "Échecs"],
            ),
            field("Annual_Revenue", "Annual Revenue", DataType::Currency),
            field("No_of_Employees", "No. of Employees", DataType::Integer),
            field("Probability", "Probability", DataType::Double),
            field("Last_Activity_Date", "Last Activity", DataType::Date),
            field("Created_Time", "Created Time", DataType::Datetime),
            field("Email_Opt_Out", "Email Opt Out", DataType::Boolean),
            field("Owner", "Lead Owner", DataType::Ownerlookup),
            field("Campaigns", "Campaigns", DataType::Multiselectlookup),
            expected,
        ],
    }
}

pub fn condition(api: &str, comparator: &str, value: Value) -> Criteria {
    Criteria::Condition(Condition {
        field: FieldRef {
            api_name: api.into(),
            id: None,
        },
        comparator: Comparator::parse(comparator),
        value,
        kind: Some("value".into()),
        disrupted: None,
    })
}

pub fn group(op: &str, members: Vec<Criteria>) -> Criteria {
    serde_json::from_value(json!({ "group_operator": op, "group": members })).unwrap()
}

pub fn rule(field_rules: Vec<(i64, Criteria)>, signal_rules: Vec<(i64, &str)>) -> ScoringRule {
    ScoringRule {
        id: Some(Id::new("500")),
        name: "Test rule".into(),
        description: None,
        module: ModuleRef {
            api_name: "Leads".into(),
            id: None,
        },
        layout: None,
        active: true,
        field_rules: field_rules
            .into_iter()
            .enumerate()
            .map(|(i, (score, criteria))| FieldRule {
                id: Some(Id::new(format!("{}", 600 + i))),
                score,
                criteria,
            })
            .collect(),
        signal_rules: signal_rules
            .into_iter()
            .enumerate()
            .map(|(i, (score, namespace))| SignalRule {
                id: Some(Id::new(format!("{}", 700 + i))),
                score,
                signal: SignalRef {
                    namespace: namespace.into(),
                    id: Id::new(format!("{}", 800 + i)),
                },
            })
            .collect(),
        custom_fields: vec![],
        created_time: None,
        modified_time: None,
        created_by: None,
        modified_by: None,
        has_signal_rules: None,
    }
}

/// A record with the given values and every other field Null.
pub fn record(values: &[(&str, FieldValue)]) -> Record {
    let schema = schema();
    let mut out = vec![FieldValue::Null; schema.fields.len()];
    for (api, v) in values {
        let i = schema
            .fields
            .iter()
            .position(|f| f.api_name == *api)
            .unwrap();
        out[i] = v.clone();
    }
    Record {
        id: Id::new("42"),
        values: out,
        signals: vec![],
    }
}

pub fn with_signals(mut r: Record, signals: &[(&str, u32)]) -> Record {
    r.signals = signals
        .iter()
        .map(|(ns, count)| SignalEvents {
            namespace: (*ns).into(),
            count: *count,
        })
        .collect();
    r
}

/// Does `api comparator value` match a record whose `api` field holds `v`? The condition must
/// resolve; `matches_in` covers other contexts and unresolvable conditions.
pub fn matches(api: &str, comparator: &str, value: Value, v: FieldValue) -> bool {
    let (matched, disrupted) = matches_in(&ctx(), api, comparator, value, v);
    assert!(
        disrupted.is_empty(),
        "{api} {comparator}: unexpectedly disrupted"
    );
    matched
}

pub fn matches_in(
    ctx: &EvalContext,
    api: &str,
    comparator: &str,
    value: Value,
    v: FieldValue,
) -> (bool, Vec<(usize, usize)>) {
    let r = rule(vec![(10, condition(api, comparator, value))], vec![]);
    let compiled = CompiledRule::compile(&r, &schema(), ctx);
    let score = compiled.score(&record(&[(api, v)]));
    (score.matched_field_rules == 1, compiled.disrupted())
}

pub fn text(s: &str) -> FieldValue {
    FieldValue::Text(s.into())
}

pub fn num(n: f64) -> FieldValue {
    FieldValue::Number(n)
}

pub fn multi(items: &[&str]) -> FieldValue {
    FieldValue::Multi(items.iter().map(|s| (*s).into()).collect())
}

pub fn lookup(id: &str) -> LookupValue {
    LookupValue {
        id: Id::new(id),
        name: format!("Record {id}"),
    }
}

pub fn lookups(ids: &[&str]) -> FieldValue {
    FieldValue::MultiLookup(ids.iter().map(|id| lookup(id)).collect())
}

/// Days since the epoch of `YYYY-MM-DD`.
pub fn day(ymd: &str) -> i32 {
    days_from_epoch(NaiveDate::parse_from_str(ymd, "%Y-%m-%d").unwrap())
}

pub fn date(ymd: &str) -> FieldValue {
    FieldValue::Date(day(ymd))
}

/// Epoch seconds of an RFC 3339 date-time.
pub fn secs(rfc3339: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .timestamp()
}

pub fn datetime(rfc3339: &str) -> FieldValue {
    FieldValue::DateTime(secs(rfc3339))
}
