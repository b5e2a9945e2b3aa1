//! How records are written to the state file. Values are keyed by field api_name, not by
//! position, because a record's positional values follow its module's field list, and that
//! list grows and shrinks as rules add and drop score fields; by name, a record written once at
//! seeding is read back aligned with whatever the schema is at restore. Numbers are stored as
//! plain JSON when that reads back as the same f64, else as their bit pattern, so every f64
//! (infinities and NaN included) comes back identical.

use serde_json::{Map, Value, json};

use crate::domain::record::{LookupValue, SignalEvents};
use crate::domain::{FieldValue, Id, ModuleSchema, Record};
use crate::sandbox::seed::intern::Interner;

pub fn encode_record(schema: &ModuleSchema, record: &Record) -> Value {
    let mut values = Map::new();
    for (field, value) in schema.fields.iter().zip(&record.values) {
        if !matches!(value, FieldValue::Null) {
            values.insert(field.api_name.clone(), encode_value(value));
        }
    }
    json!({"v": values, "s": record.signals})
}

/// `shared` keeps one copy of each text and lookup across the records of a load.
pub fn decode_record(
    schema: &ModuleSchema,
    id: &str,
    body: &Value,
    shared: &mut Interner,
) -> Result<Record, String> {
    let values = body
        .get("v")
        .and_then(Value::as_object)
        .ok_or("a record without values")?;
    let signals: Vec<SignalEvents> = match body.get("s") {
        Some(s) => serde_json::from_value(s.clone()).map_err(|e| format!("signals: {e}"))?,
        None => Vec::new(),
    };
    let mut out = Vec::with_capacity(schema.fields.len());
    for field in &schema.fields {
        out.push(match values.get(&field.api_name) {
            Some(v) => decode_value(v, shared)
                .ok_or_else(|| format!("field {}: bad value {v}", field.api_name))?,
            None => FieldValue::Null,
        });
    }
    Ok(Record {
        id: Id::new(id),
        values: out,
        signals,
    })
}

fn encode_value(v: &FieldValue) -> Value {
    match v {
        FieldValue::Null => Value::Null,
        FieldValue::Text(s) => json!(["t", &**s]),
        // Plain when JSON gives the same f64 back (nearly always), else its bit pattern.
        FieldValue::Number(n) if exact_in_json(*n) => json!(["n", n]),
        FieldValue::Number(n) => json!(["nb", n.to_bits()]),
        FieldValue::Bool(b) => json!(["b", b]),
        FieldValue::Date(d) => json!(["d", d]),
        FieldValue::DateTime(t) => json!(["dt", t]),
        FieldValue::Multi(list) => json!(["m", list.iter().map(|s| &**s).collect::<Vec<_>>()]),
        FieldValue::Lookup(l) => json!(["l", &**l]),
        FieldValue::MultiLookup(list) => json!(["ml", &**list]),
    }
}

fn exact_in_json(n: f64) -> bool {
    n.is_finite()
        && serde_json::to_string(&n)
            .ok()
            .and_then(|text| serde_json::from_str::<f64>(&text).ok())
            .is_some_and(|back| back.to_bits() == n.to_bits())
}

fn decode_value(v: &Value, shared: &mut Interner) -> Option<FieldValue> {
    let pair = v.as_array()?;
    let (tag, x) = (pair.first()?.as_str()?, pair.get(1)?);
    Some(match tag {
        "t" => FieldValue::Text(shared.get(x.as_str()?)),
        "n" => FieldValue::Number(x.as_f64()?),
        "nb" => FieldValue::Number(f64::from_bits(x.as_u64()?)),
        "b" => FieldValue::Bool(x.as_bool()?),
        "d" => FieldValue::Date(i32::try_from(x.as_i64()?).ok()?),
        "dt" => FieldValue::DateTime(x.as_i64()?),
        "m" => FieldValue::Multi(
            serde_json::from_value::<Vec<String>>(x.clone())
                .ok()?
                .iter()
                .map(|s| shared.get(s))
                .collect(),
        ),
        "l" => FieldValue::Lookup(shared.lookup(serde_json::from_value(x.clone()).ok()?)),
        "ml" => {
            FieldValue::multi_lookup(serde_json::from_value::<Vec<LookupValue>>(x.clone()).ok()?)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_value_round_trips() {
        let values = [
            FieldValue::Text("héllo".into()),
            FieldValue::Number(0.1 + 0.2),
            FieldValue::Number(f64::NEG_INFINITY),
            FieldValue::Number(-0.0),
            FieldValue::Number(4_716_896.25),
            FieldValue::Bool(true),
            FieldValue::Date(-3),
            FieldValue::DateTime(1_700_000_000),
            FieldValue::multi(["a", "b"]),
            FieldValue::lookup(LookupValue {
                id: Id::new("42"),
                name: "x".into(),
            }),
            FieldValue::multi_lookup([]),
        ];
        for v in values {
            assert_eq!(
                decode_value(&encode_value(&v), &mut Interner::default()),
                Some(v)
            );
        }
        assert_eq!(
            decode_value(&json!(["zz", 1]), &mut Interner::default()),
            None
        );
        assert_eq!(
            decode_value(&json!(["d", 1u64 << 40]), &mut Interner::default()),
            None
        );
    }
}
