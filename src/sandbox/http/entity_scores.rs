//! Entity scores (`/Entity_Scores__s` on both the spec's and the docs' paths): a row per scored
//! record and rule, with the score fields asked for, paged like records.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::AppState;
use super::extract::Params;
use super::records::{MAX_PER_PAGE, rows_of};
use super::respond::{ApiError, no_content, ok};
use crate::domain::{FieldValue, Id, Record, codes};
use crate::sandbox::store::{ModuleState, Org, ScoreRow};

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
