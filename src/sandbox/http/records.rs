//! Records (`GET /crm/v8/{module}`), with v8's mandatory `fields`, discrete paging up to 2,000
//! records and `page_token` paging beyond; their score fields are derived from the entity
//! scores (served by `entity_scores`).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

use super::AppState;
pub use super::entity_scores::{all_scores, record_scores_by_id, record_scores_in_module};
use super::extract::Params;
use super::respond::{ApiError, no_content, ok};
use crate::domain::{FieldValue, Id, Record, codes};
use crate::sandbox::store::{ModuleState, ScoreRow};

const MAX_FIELDS: usize = 50;
pub(super) const MAX_PER_PAGE: u64 = 200;
const DISCRETE_LIMIT: u64 = 2_000;
const TOKEN_LIMIT: u64 = 100_000;
const TOKEN_TTL_SECS: i64 = 24 * 3600;

pub async fn list(
    State(state): State<Arc<AppState>>,
    Path(module): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let org = state.read_org();
    let m = org
        .module_ci(&module)
        .ok_or_else(ApiError::invalid_module)?;
    let fields = requested_fields(m, &params)?;
    let per_page = params.int("per_page", MAX_PER_PAGE, MAX_PER_PAGE)?;
    let sort_by = params.get("sort_by").unwrap_or("id");
    if !["id", "Created_Time", "Modified_Time"].contains(&sort_by) {
        return Err(ApiError::bad_request(
            codes::INVALID_DATA,
            "invalid data",
            json!({"param_name": "sort_by", "supported_values": ["id", "Created_Time", "Modified_Time"]}),
        ));
    }
    let sort_order = params.get("sort_order").unwrap_or("desc");
    if !["asc", "desc"].contains(&sort_order) {
        return Err(ApiError::bad_request(
            codes::INVALID_DATA,
            "invalid data",
            json!({"param_name": "sort_order", "supported_values": ["asc", "desc"]}),
        ));
    }
    if params.get("cvid").is_some() {
        return Err(ApiError::invalid_param("cvid"));
    }
    let ids: Option<Vec<Id>> = match params.get("ids") {
        Some(raw) => Some(
            raw.split(',')
                .map(|s| Id::parse(s).ok_or_else(|| ApiError::invalid_param("ids")))
                .collect::<Result<_, _>>()?,
        ),
        None => None,
    };
    // What a page token is bound to: changing any of these with a token is refused.
    let binding = format!(
        "{}|{}|{}|{}|{}",
        m.api_name(),
        params.get("fields").unwrap_or(""),
        sort_by,
        sort_order,
        params.get("ids").unwrap_or("")
    );
    let now = Utc::now();
    let offset = match params.get("page_token") {
        Some(token) => read_token(token, &binding, now)?,
        None => {
            let page = params.int("page", 1, u32::MAX as u64)?;
            let offset = (page - 1) * per_page;
            if offset + per_page > DISCRETE_LIMIT {
                return Err(ApiError::bad_request(
                    codes::DISCRETE_PAGINATION_LIMIT_EXCEEDED,
                    "You can only get the first 2000 records without using page_token param",
                    json!({"limit": DISCRETE_LIMIT}),
                ));
            }
            offset
        }
    };
    if offset >= TOKEN_LIMIT {
        return Err(ApiError::bad_request(
            codes::PAGINATION_LIMIT_EXCEEDED,
            "You can only get the first 100000 records using page_token param",
            json!({"limit": TOKEN_LIMIT}),
        ));
    }
    let mut order: Vec<&Record> = m
        .records
        .iter()
        .filter(|r| ids.as_ref().is_none_or(|ids| ids.contains(&r.id)))
        .collect();
    let key_field = if sort_by == "id" {
        None
    } else {
        m.field_index(sort_by)
    };
    order.sort_by(|a, b| {
        let ka = key_field.map(|i| sort_key(a.values.get(i))).unwrap_or(0);
        let kb = key_field.map(|i| sort_key(b.values.get(i))).unwrap_or(0);
        ka.cmp(&kb).then_with(|| a.id.cmp(&b.id))
    });
    if sort_order == "desc" {
        order.reverse();
    }
    let start = offset as usize;
    let page: Vec<Value> = order
        .iter()
        .skip(start)
        .take(per_page as usize)
        .map(|r| record_json(m, r, &fields))
        .collect();
    if page.is_empty() {
        return Ok(no_content());
    }
    let end = offset + page.len() as u64;
    let more = (order.len() as u64) > end;
    let next_token = (more && end < TOKEN_LIMIT).then(|| make_token(end, &binding, now));
    let page_number = offset / per_page + 1;
    Ok(ok(json!({
        "data": page,
        "info": {
            "call": false, "email": false,
            "per_page": per_page, "count": page.len(), "page": page_number,
            "sort_by": sort_by, "sort_order": sort_order, "more_records": more,
            "next_page_token": next_token, "previous_page_token": null,
            "page_token_expiry": next_token.as_ref().map(|_| iso(now + chrono::Duration::seconds(TOKEN_TTL_SECS))),
        }
    })))
}

fn requested_fields(m: &ModuleState, params: &Params) -> Result<Vec<usize>, ApiError> {
    let raw = params
        .get("fields")
        .ok_or_else(|| ApiError::missing_param("fields"))?;
    let names: Vec<&str> = raw
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if names.is_empty() {
        return Err(ApiError::missing_param("fields"));
    }
    if names.len() > MAX_FIELDS {
        return Err(ApiError::bad_request(
            codes::LIMIT_EXCEEDED,
            "Limit exceeded",
            json!({"limit": MAX_FIELDS, "param_name": "fields"}),
        ));
    }
    let mut out = Vec::new();
    for n in names {
        if n == "id" {
            continue;
        }
        let idx = m.field_index(n).ok_or_else(|| {
            ApiError::bad_request(
                codes::INVALID_DATA,
                "invalid field api name",
                json!({"param_name": "fields", "api_name": n}),
            )
        })?;
        if !out.contains(&idx) {
            out.push(idx);
        }
    }
    Ok(out)
}

fn sort_key(v: Option<&FieldValue>) -> i64 {
    match v {
        Some(FieldValue::DateTime(t)) => *t,
        Some(FieldValue::Date(d)) => *d as i64 * 86_400,
        _ => i64::MIN,
    }
}

/// Page tokens are opaque to clients: hex of `offset|binding|expiry`.
fn make_token(offset: u64, binding: &str, now: DateTime<Utc>) -> String {
    let raw = format!("{offset}|{}|{binding}", now.timestamp() + TOKEN_TTL_SECS);
    raw.bytes().map(|b| format!("{b:02x}")).collect()
}

fn read_token(token: &str, binding: &str, now: DateTime<Utc>) -> Result<u64, ApiError> {
    let invalid = || ApiError::invalid_param("page_token");
    if !token.len().is_multiple_of(2) || token.len() > 4096 {
        return Err(invalid());
    }
    let bytes: Vec<u8> = (0..token.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(token.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<Result<_, _>>()
        .map_err(|_| invalid())?;
    let raw = String::from_utf8(bytes).map_err(|_| invalid())?;
    let mut parts = raw.splitn(3, '|');
    let offset: u64 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(invalid)?;
    let expiry: i64 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(invalid)?;
    let bound = parts.next().ok_or_else(invalid)?;
    if expiry < now.timestamp() {
        return Err(ApiError::bad_request(
            codes::EXPIRED_VALUE,
            "Page token expired",
            json!({"param_name": "page_token"}),
        ));
    }
    if bound != binding {
        return Err(ApiError::bad_request(
            codes::TOKEN_BOUND_DATA_MISMATCH,
            "The given parameters do not match the ones the page token was issued for",
            json!({"param_name": "page_token"}),
        ));
    }
    Ok(offset)
}

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

fn record_json(m: &ModuleState, r: &Record, fields: &[usize]) -> Value {
    let mut obj = Map::new();
    obj.insert("id".into(), json!(r.id));
    for &i in fields {
        let Some(field) = m.schema.fields.get(i) else {
            continue;
        };
        let v = match derived_score(m, r, &field.api_name) {
            Some(score) => score,
            None => value_json(r.values.get(i).unwrap_or(&FieldValue::Null)),
        };
        obj.insert(field.api_name.clone(), v);
    }
    Value::Object(obj)
}

/// Score fields are not stored on records: the standard ones sum every rule's entity score for
/// the record, and a rule's custom score field shows that rule's chosen score.
fn derived_score(m: &ModuleState, r: &Record, api_name: &str) -> Option<Value> {
    let pick = |row: &ScoreRow, which: &str| -> i64 {
        let s = &row.score;
        match which {
            "Positive_Score" => s.positive,
            "Negative_Score" => s.negative,
            "Touch_Point_Positive_Score" => s.touch_positive,
            "Touch_Point_Negative_Score" => s.touch_negative,
            "Touch_Point_Score" => s.touch_point(),
            _ => s.total(),
        }
    };
    if let Some((rule_id, reference)) = m.score_fields.get(api_name) {
        let key = (r.id.clone(), rule_id.clone());
        return Some(
            m.scores
                .get(&key)
                .map(|row| json!(pick(row, reference)))
                .unwrap_or(Value::Null),
        );
    }
    if !crate::domain::metadata::SCORE_FIELDS.contains(&api_name) {
        return None;
    }
    if api_name.starts_with("Touch_Point") && !m.schema.is_people() {
        return Some(Value::Null);
    }
    let sum: i64 = rows_of(m, &r.id).map(|(_, row)| pick(row, api_name)).sum();
    Some(json!(sum))
}

/// The entity-score rows of `record`, by rule.
pub(super) fn rows_of<'a>(
    m: &'a ModuleState,
    record: &'a Id,
) -> impl Iterator<Item = (&'a Id, &'a ScoreRow)> + 'a {
    m.scores
        .range((record.clone(), Id::default())..)
        .take_while(move |((rec, _), _)| rec == record)
        .map(|((_, rule), row)| (rule, row))
}

pub fn value_json(v: &FieldValue) -> Value {
    match v {
        FieldValue::Null => Value::Null,
        FieldValue::Text(s) => json!(&**s),
        FieldValue::Number(n) => {
            if n.fract() == 0.0 && n.abs() < 9.0e15 {
                json!(*n as i64)
            } else {
                json!(n)
            }
        }
        FieldValue::Bool(b) => json!(b),
        FieldValue::Date(d) => NaiveDate::from_num_days_from_ce_opt(d + 719_163)
            .map(|d| json!(d.format("%Y-%m-%d").to_string()))
            .unwrap_or(Value::Null),
        FieldValue::DateTime(t) => DateTime::<Utc>::from_timestamp(*t, 0)
            .map(|t| json!(iso(t)))
            .unwrap_or(Value::Null),
        FieldValue::Multi(v) => Value::Array(v.iter().map(|s| json!(&**s)).collect()),
        FieldValue::Lookup(l) => json!({"name": l.name, "id": l.id}),
        FieldValue::MultiLookup(v) => Value::Array(
            v.iter()
                .map(|l| json!({"name": l.name, "id": l.id}))
                .collect(),
        ),
    }
}
