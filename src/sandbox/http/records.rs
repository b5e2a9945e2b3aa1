//! Records (`GET /crm/v8/{module}`) and entity scores (`/Entity_Scores__s` on both the spec's
//! and the docs' paths), with v8's mandatory `fields`, discrete paging up to 2,000 records and
//! `page_token` paging beyond.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

use super::AppState;
use super::extract::Params;
use super::respond::{ApiError, no_content, ok};
use crate::domain::{FieldValue, Id, Record, codes};
use crate::sandbox::store::{ModuleState, Org, ScoreRow};

const MAX_FIELDS: usize = 50;
const MAX_PER_PAGE: u64 = 200;
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

fn rows_of<'a>(
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

const SCORE_KEYS: [&str; 7] = [
    "Positive_Score",
    "Negative_Score",
    "Touch_Point_Score",
    "Touch_Point_Positive_Score",
    "Touch_Point_Negative_Score",
    "Score",
    "Scoring_Rule",
];

fn score_fields(params: &Params) -> Result<Vec<&'static str>, ApiError> {
    let raw = params
        .get("fields")
        .ok_or_else(|| ApiError::missing_param("fields"))?;
    let mut out = Vec::new();
    for name in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match SCORE_KEYS.iter().find(|k| **k == name) {
            Some(k) => out.push(*k),
            None if name == "id" || name == "Entity" => {}
            None => {
                return Err(ApiError::bad_request(
                    codes::INVALID_DATA,
                    "invalid data",
                    json!({"param_name": "fields", "supported_values": SCORE_KEYS}),
                ));
            }
        }
    }
    if out.is_empty() {
        return Err(ApiError::missing_param("fields"));
    }
    Ok(out)
}

fn score_row_json(
    org: &Org,
    m: &ModuleState,
    record: &Id,
    rule: &Id,
    row: &ScoreRow,
    fields: &[&str],
) -> Value {
    let people = m.schema.is_people();
    let s = &row.score;
    let nonzero = |v: i64| if v == 0 { Value::Null } else { json!(v) };
    let touch = |v: i64| if people { json!(v) } else { Value::Null };
    let mut obj = Map::new();
    obj.insert("id".into(), json!(row.id));
    for f in fields {
        let v = match *f {
            "Positive_Score" => nonzero(s.positive),
            "Negative_Score" => nonzero(s.negative),
            "Touch_Point_Score" => touch(s.touch_point()),
            "Touch_Point_Positive_Score" => touch(s.touch_positive),
            "Touch_Point_Negative_Score" => touch(s.touch_negative),
            "Score" => json!(s.total()),
            _ => json!({"name": org.rules.get(rule).map(|r| r.name.clone()), "id": rule}),
        };
        obj.insert((*f).to_string(), v);
    }
    let name = m.record(record).map(|r| display_name(m, r));
    obj.insert(
        "Entity".into(),
        json!({"name": name, "id": record, "module": {"api_name": m.api_name(), "id": m.schema.module.id}}),
    );
    Value::Object(obj)
}

/// What Zoho shows as a record's name in lookups: the module's name field.
fn display_name(m: &ModuleState, r: &Record) -> String {
    let text = |api: &str| match m.field_index(api).and_then(|i| r.values.get(i)) {
        Some(FieldValue::Text(s)) if !s.is_empty() => Some(s.to_string()),
        _ => None,
    };
    match (text("First_Name"), text("Last_Name")) {
        (Some(f), Some(l)) => format!("{f} {l}"),
        (None, Some(l)) => l,
        _ => ["Account_Name", "Deal_Name", "Name", "Company"]
            .iter()
            .find_map(|f| text(f))
            .unwrap_or_else(|| r.id.to_string()),
    }
}

/// `GET /crm/v8/Entity_Scores__s`: every entity-score row of the org, paged.
pub async fn all_scores(
    State(state): State<Arc<AppState>>,
    params: Params,
) -> Result<Response, ApiError> {
    let fields = score_fields(&params)?;
    let per_page = params.int("per_page", MAX_PER_PAGE, MAX_PER_PAGE)?;
    let page = params.int("page", 1, u32::MAX as u64)?;
    let org = state.read_org();
    let ids: Option<Vec<Id>> = params
        .get("ids")
        .map(|raw| raw.split(',').filter_map(Id::parse).collect());
    // In module order, each module's rows by (record, rule); with `ids`, only those records'
    // rows, looked up by record rather than by scanning every row of the org (a large org has
    // millions, and a sample asks for its records' rows a hundred ids at a time).
    let rows: Box<dyn Iterator<Item = (&ModuleState, &Id, &Id, &ScoreRow)>> = match &ids {
        None => Box::new(org.modules.iter().flat_map(|m| {
            m.scores
                .iter()
                .map(move |((rec, rule), row)| (m, rec, rule, row))
        })),
        Some(ids) => Box::new(org.modules.iter().flat_map(move |m| {
            let mut mine: Vec<&Id> = ids.iter().filter(|id| m.record(id).is_some()).collect();
            mine.sort_unstable();
            mine.dedup();
            mine.into_iter()
                .flat_map(move |rec| rows_of(m, rec).map(move |(rule, row)| (m, rec, rule, row)))
        })),
    };
    let start = ((page - 1) * per_page) as usize;
    let mut rows = rows.skip(start);
    let data: Vec<Value> = rows
        .by_ref()
        .take(per_page as usize)
        .map(|(m, rec, rule, row)| score_row_json(&org, m, rec, rule, row, &fields))
        .collect();
    let more = rows.next().is_some();
    scores_page(data, more, per_page, page)
}

/// `GET /crm/v8/Entity_Scores__s/{record_id}` (SDK path). The spec names the parameter
/// `record_id` on the Entity_Scores__s module, whose own records are the entity-score rows, so
/// the id may be a row's (that row) or a scored record's (its rows) (Part A #23).
pub async fn record_scores_by_id(
    State(state): State<Arc<AppState>>,
    Path(record): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let fields = score_fields(&params)?;
    let org = state.read_org();
    let id = Id::parse(&record).ok_or_else(|| ApiError::invalid_path_id(1))?;
    if let Some(m) = org.modules.iter().find(|m| m.record(&id).is_some()) {
        return record_scores(&org, m, &id, &fields);
    }
    // Rows are looked for only once the id names no record: a scan, as rows have no index
    // of their own (nothing else looks rows up by id).
    let row = org.modules.iter().find_map(|m| {
        m.scores
            .iter()
            .find(|(_, row)| row.id == id)
            .map(|((rec, rule), row)| score_row_json(&org, m, rec, rule, row, &fields))
    });
    match row {
        Some(row) => scores_page(vec![row], false, MAX_PER_PAGE, 1),
        None => Err(ApiError::invalid_related_id()),
    }
}

/// `GET /crm/v8/{module}/{record_id}/Entity_Scores__s` (docs path).
pub async fn record_scores_in_module(
    State(state): State<Arc<AppState>>,
    Path((module, record)): Path<(String, String)>,
    params: Params,
) -> Result<Response, ApiError> {
    let fields = score_fields(&params)?;
    let org = state.read_org();
    let m = org
        .module_ci(&module)
        .ok_or_else(ApiError::invalid_module)?;
    let id = Id::parse(&record)
        .filter(|id| m.record(id).is_some())
        .ok_or_else(ApiError::invalid_related_id)?;
    record_scores(&org, m, &id, &fields)
}

fn record_scores(
    org: &Org,
    m: &ModuleState,
    id: &Id,
    fields: &[&str],
) -> Result<Response, ApiError> {
    let data: Vec<Value> = rows_of(m, id)
        .map(|(rule, row)| score_row_json(org, m, id, rule, row, fields))
        .collect();
    scores_page(data, false, MAX_PER_PAGE, 1)
}

/// `more`: rows follow this page.
fn scores_page(
    data: Vec<Value>,
    more: bool,
    per_page: u64,
    page: u64,
) -> Result<Response, ApiError> {
    if data.is_empty() {
        return Ok(no_content());
    }
    Ok(ok(json!({
        "data": data,
        "info": {"per_page": per_page, "count": data.len(), "page": page, "more_records": more,
                 "next_page_token": null, "previous_page_token": null, "page_token_expiry": null,
                 "sort_by": "id", "sort_order": "asc"}
    })))
}
