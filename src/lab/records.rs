//! Records API JSON → `Record`, typed by the module's schema, so the lab scores exactly what the
//! sandbox's evaluator scores. Values of a shape the field type does not store become `Null`
//! (the evaluator treats those as "no value") rather than failing the whole sample.

use chrono::{DateTime, Datelike, NaiveDate};
use serde_json::Value;

use crate::domain::id::id_from_json;
use crate::domain::metadata::{DataType, ModuleSchema};
use crate::domain::record::{FieldValue, LookupValue, Record};

/// Days from 0001-01-01 (chrono's CE day 1) to 1970-01-01.
const UNIX_EPOCH_CE_DAYS: i32 = 719_163;

/// `None` when the object has no usable `id`: such a record cannot be matched to its scores.
pub fn to_record(obj: &Value, schema: &ModuleSchema) -> Option<Record> {
    let id = obj.get("id").and_then(id_from_json)?;
    let values = schema
        .fields
        .iter()
        .map(|f| match obj.get(&f.api_name) {
            Some(v) => to_value(v, &f.effective_type()),
            None => FieldValue::Null,
        })
        .collect();
    Some(Record {
        id,
        values,
        signals: Vec::new(),
    })
}

pub fn to_value(v: &Value, ty: &DataType) -> FieldValue {
    if v.is_null() {
        return FieldValue::Null;
    }
    match ty {
        DataType::Multiselectpicklist => match v {
            Value::Array(items) => FieldValue::multi(items.iter().filter_map(Value::as_str)),
            Value::String(s) => FieldValue::multi([s.as_str()]),
            _ => FieldValue::Null,
        },
        t if t.is_textual() => match v {
            Value::String(s) => FieldValue::text(s.as_str()),
            Value::Number(n) => FieldValue::text(n.to_string()),
            _ => FieldValue::Null,
        },
        t if t.is_numeric() => match v {
            Value::Number(n) => n.as_f64().map_or(FieldValue::Null, FieldValue::Number),
            Value::String(s) => s
                .trim()
                .parse::<f64>()
                .map_or(FieldValue::Null, FieldValue::Number),
            _ => FieldValue::Null,
        },
        DataType::Boolean => match v {
            Value::Bool(b) => FieldValue::Bool(*b),
            _ => FieldValue::Null,
        },
        DataType::Date => v
            .as_str()
            .and_then(parse_date)
            .map_or(FieldValue::Null, FieldValue::Date),
        DataType::Datetime => v
            .as_str()
            .and_then(parse_datetime)
            .map_or(FieldValue::Null, FieldValue::DateTime),
        t if t.is_lookup() => lookup(v).map_or(FieldValue::Null, FieldValue::lookup),
        t if t.is_multi_lookup() => match v {
            Value::Array(items) => FieldValue::multi_lookup(items.iter().filter_map(lookup)),
            _ => FieldValue::Null,
        },
        // A type the evaluator has no comparators for: keep what JSON says, it cannot match.
        _ => match v {
            Value::String(s) => FieldValue::text(s.as_str()),
            Value::Number(n) => n.as_f64().map_or(FieldValue::Null, FieldValue::Number),
            Value::Bool(b) => FieldValue::Bool(*b),
            _ => FieldValue::Null,
        },
    }
}

fn parse_date(s: &str) -> Option<i32> {
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Some(d.num_days_from_ce() - UNIX_EPOCH_CE_DAYS)
}

fn parse_datetime(s: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.timestamp())
}

fn lookup(v: &Value) -> Option<LookupValue> {
    let id = v.get("id").and_then(id_from_json)?;
    let name = v
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    Some(LookupValue { id, name })
}

/// The layout a record belongs to (its `Layout` lookup), which decides which rules score it.
pub fn layout_of(obj: &Value) -> Option<crate::domain::Id> {
    obj.get("Layout")
        .and_then(|l| l.get("id"))
        .and_then(id_from_json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Id;
    use serde_json::json;

    fn lk(id: &str, name: &str) -> LookupValue {
        LookupValue {
            id: Id::new(id),
            name: name.into(),
        }
    }

    #[test]
    fn every_data_type_converts() {
        let cases: Vec<(DataType, Value, FieldValue)> = vec![
            (
                DataType::Text,
                json!("Acme"),
                FieldValue::Text("Acme".into()),
            ),
            (
                DataType::Email,
                json!("a@b.c"),
                FieldValue::Text("a@b.c".into()),
            ),
            (
                DataType::Phone,
                json!(5551234),
                FieldValue::Text("5551234".into()),
            ),
            (
                DataType::Picklist,
                json!("Web"),
                FieldValue::Text("Web".into()),
            ),
            (DataType::Text, json!(null), FieldValue::Null),
            (DataType::Text, json!({"x": 1}), FieldValue::Null),
            (
                DataType::Multiselectpicklist,
                json!(["A", "B"]),
                FieldValue::multi(["A", "B"]),
            ),
            (
                DataType::Multiselectpicklist,
                json!([]),
                FieldValue::multi(Vec::<String>::new()),
            ),
            (DataType::Integer, json!(42), FieldValue::Number(42.0)),
            (DataType::Currency, json!(12.5), FieldValue::Number(12.5)),
            (DataType::Double, json!("3.25"), FieldValue::Number(3.25)),
            (DataType::Bigint, json!("nope"), FieldValue::Null),
            (DataType::Boolean, json!(true), FieldValue::Bool(true)),
            (DataType::Boolean, json!("true"), FieldValue::Null),
            (DataType::Date, json!("1970-01-02"), FieldValue::Date(1)),
            (DataType::Date, json!("2026-13-01"), FieldValue::Null),
            (
                DataType::Datetime,
                json!("1970-01-01T01:00:00+01:00"),
                FieldValue::DateTime(0),
            ),
            (DataType::Datetime, json!("yesterday"), FieldValue::Null),
            (
                DataType::Lookup,
                json!({"name": "Ann", "id": "111"}),
                FieldValue::lookup(lk("111", "Ann")),
            ),
            (
                DataType::Ownerlookup,
                json!({"id": 7}),
                FieldValue::lookup(lk("7", "")),
            ),
            (DataType::Userlookup, json!({"name": "x"}), FieldValue::Null),
            (
                DataType::Multiuserlookup,
                json!([{"name": "A", "id": "1"}, {"bad": true}, {"name": "B", "id": "2"}]),
                FieldValue::multi_lookup([lk("1", "A"), lk("2", "B")]),
            ),
            (
                DataType::Other("weird".into()),
                json!(true),
                FieldValue::Bool(true),
            ),
        ];
        for (ty, json, want) in cases {
            assert_eq!(to_value(&json, &ty), want, "{ty:?} {json}");
        }
    }

    #[test]
    fn records_without_an_id_are_skipped_and_layout_is_read() {
        let schema: ModuleSchema = serde_json::from_value(json!({
            "module": {"id": "1", "api_name": "Leads"},
            "layouts": [],
            "fields": [
                {"id": "2", "api_name": "Company", "data_type": "text"},
                {"id": "3", "api_name": "Missing", "data_type": "integer"}
            ]
        }))
        .unwrap();
        assert!(to_record(&json!({"Company": "X"}), &schema).is_none());
        let r = to_record(&json!({"id": "9", "Company": "X"}), &schema).unwrap();
        assert_eq!(
            r.values,
            vec![FieldValue::Text("X".into()), FieldValue::Null]
        );
        assert_eq!(
            layout_of(&json!({"Layout": {"name": "S", "id": "5"}})),
            Some(Id::new("5"))
        );
    }
}
