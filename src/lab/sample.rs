//! Fetching a sample: records with the fields the rules read (in requests of at most 50 fields,
//! the records API's limit, merged by id) and each record's entity-score rows.

use std::collections::HashMap;

use chrono::{DateTime, Months, Utc};
use futures::stream::{self, StreamExt};
use serde_json::Value;

use super::names;
use super::preview::{ExistingRow, SampleRecord};
use super::records::{layout_of, to_record};
use crate::api::metadata::ENTITY_SCORE_IDS;
use crate::api::{ApiError, Client, Retry};
use crate::domain::evaluate::EvalContext;
use crate::domain::id::{Id, id_from_json};
use crate::domain::metadata::ModuleSchema;
use crate::domain::record::{EntityScore, FieldValue, Record};
use crate::domain::rule::ScoringRule;

const MAX_FIELDS: usize = 49;
/// Entity-score requests in flight; the client's own limit still applies on top.
const SCORE_CONCURRENCY: usize = 16;
/// List-path requests in flight (each 100 records' rows, a few pages each); the client's own
/// limit (the edition's, 10 to 25) applies on top. A 100,000-record sample asks a thousand.
const LIST_CONCURRENCY: usize = 16;
/// The fields execution uses to decide which records are in the six-month window.
pub const WINDOW_FIELDS: [&str; 3] = ["Created_Time", "Last_Activity_Time", "Modified_Time"];

/// Every field `rules` read that the module has, plus `Layout`, the window fields and the
/// fields a record's name is made of (`names`).
pub fn fields_for(rules: &[ScoringRule], schema: &ModuleSchema) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let named = rules
        .iter()
        .flat_map(|r| r.field_rules.iter())
        .flat_map(|f| f.criteria.conditions())
        .map(|c| c.field.api_name.as_str())
        .chain(["Layout"])
        .chain(WINDOW_FIELDS)
        .chain(names::fields_in(schema).map(|f| -> &str { f }));
    for name in named {
        if schema.field(name).is_some() && !out.iter().any(|o| o == name) {
            out.push(name.to_string());
        }
    }
    out
}

/// Up to `limit` records, newest ids first as the records API lists them.
pub async fn fetch_records(
    client: &Client,
    schema: &ModuleSchema,
    fields: &[String],
    limit: usize,
) -> Result<Vec<(Value, Option<Id>)>, ApiError> {
    let module = &schema.module.api_name;
    let chunks: Vec<Vec<&str>> = if fields.is_empty() {
        vec![vec!["id"]]
    } else {
        fields
            .chunks(MAX_FIELDS)
            .map(|c| c.iter().map(String::as_str).collect())
            .collect()
    };
    let mut order: Vec<Id> = Vec::new();
    let mut merged: HashMap<Id, Value> = HashMap::new();
    for (n, chunk) in chunks.iter().enumerate() {
        for obj in client.records(module, chunk, limit).await? {
            let Some(id) = obj.get("id").and_then(id_from_json) else {
                continue;
            };
            match merged.get_mut(&id) {
                Some(Value::Object(into)) => {
                    if let Value::Object(from) = obj {
                        into.extend(from);
                    }
                }
                Some(_) => {}
                // Later chunks only complete records the first one listed.
                None if n == 0 => {
                    order.push(id.clone());
                    merged.insert(id, obj);
                }
                None => {}
            }
        }
    }
    Ok(order
        .into_iter()
        .filter_map(|id| merged.remove(&id))
        .map(|v| {
            let layout = layout_of(&v);
            (v, layout)
        })
        .collect())
}

pub type RowsByRule = HashMap<Id, ExistingRow>;

/// Each record's entity-score rows by rule id: through the list path, `ENTITY_SCORE_IDS`
/// records a request (plus a page per 200 rows), instead of one request per record. Records
/// whose rows come back without `Entity` (so they cannot be told apart), and every record of a
/// chunk the list path refuses, are asked for one by one.
pub async fn fetch_rows(
    client: &Client,
    module: &str,
    ids: &[Id],
) -> Result<HashMap<Id, RowsByRule>, ApiError> {
    // Below three records the per-record path is no more requests.
    if ids.len() < 3 {
        return fetch_rows_one_by_one(client, module, ids).await;
    }
    // Owned items: closures over borrowed ones are not `Send` for every lifetime, and the TUI
    // runs this on a spawned task.
    let chunks: Vec<Vec<Id>> = ids.chunks(ENTITY_SCORE_IDS).map(<[Id]>::to_vec).collect();
    let results: Vec<Result<Vec<EntityScore>, ApiError>> = stream::iter(chunks.clone())
        .map(|chunk| async move { client.entity_scores_of(&chunk).await })
        .buffered(LIST_CONCURRENCY)
        .collect()
        .await;
    let mut out: HashMap<Id, RowsByRule> = HashMap::new();
    let mut leftover: Vec<Id> = Vec::new();
    for (chunk, result) in chunks.iter().zip(results) {
        let rows = match result {
            Ok(rows) => rows,
            // An org or proxy without the list path: the per-record path still works.
            Err(ApiError::Zoho(z)) if (400..500).contains(&z.status) && z.status != 429 => {
                leftover.extend(chunk.iter().cloned());
                continue;
            }
            Err(e) => return Err(e),
        };
        if rows.iter().any(|r| r.entity.is_none()) {
            leftover.extend(chunk.iter().cloned());
            continue;
        }
        for r in rows {
            let (Some(entity), Some((rule, row))) = (r.entity.as_ref(), existing(&r)) else {
                continue;
            };
            if chunk.contains(&entity.id) {
                out.entry(entity.id.clone()).or_default().insert(rule, row);
            }
        }
    }
    out.extend(fetch_rows_one_by_one(client, module, &leftover).await?);
    Ok(out)
}

fn existing(r: &EntityScore) -> Option<(Id, ExistingRow)> {
    let rule = r.scoring_rule.as_ref()?.id.clone();
    Some((
        rule,
        ExistingRow {
            score: r.score.unwrap_or(0),
            touch_point: r.touch_point_score.unwrap_or(0),
        },
    ))
}

/// The docs' per-record path, `SCORE_CONCURRENCY` at a time.
pub async fn fetch_rows_one_by_one(
    client: &Client,
    module: &str,
    ids: &[Id],
) -> Result<HashMap<Id, RowsByRule>, ApiError> {
    let results: Vec<Result<(Id, RowsByRule), ApiError>> = stream::iter(ids.to_vec())
        .map(|id| async move {
            let rows = client.entity_scores(module, &id).await?;
            Ok((id, rows.iter().filter_map(existing).collect()))
        })
        .buffer_unordered(SCORE_CONCURRENCY)
        .collect()
        .await;
    results.into_iter().collect()
}

/// Whether execution would score `record` now: Zoho scores only records created or active in
/// the last six months (the sandbox's `plan_run` uses the same fields and cut-off).
pub fn in_window(record: &Record, schema: &ModuleSchema, now: i64) -> bool {
    let since = DateTime::<Utc>::from_timestamp(now, 0)
        .and_then(|t| t.checked_sub_months(Months::new(6)))
        .map_or(now, |t| t.timestamp());
    WINDOW_FIELDS
        .iter()
        .filter_map(|f| schema.fields.iter().position(|x| x.api_name == *f))
        .any(|i| match record.values.get(i) {
            Some(FieldValue::DateTime(t)) => *t >= since,
            Some(FieldValue::Date(d)) => i64::from(*d) * 86_400 >= since,
            _ => false,
        })
}

/// Records plus rows, typed by the schema. Records without a usable id are dropped.
pub async fn fetch_sample(
    client: &Client,
    schema: &ModuleSchema,
    rules: &[ScoringRule],
    limit: usize,
) -> Result<Vec<SampleRecord>, ApiError> {
    let fields = fields_for(rules, schema);
    fetch_sample_with(client, schema, &fields, limit, |_| {}).await
}

/// A step of `fetch_sample_with`, as it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SamplePhase {
    /// Asking for up to `limit` records.
    Records { limit: usize },
    /// Asking for the entity-score rows of the `records` that came.
    Rows { records: usize },
}

/// `fetch_sample` with the fields given (`fields_for` the rules that will read them), telling
/// `on_phase` as each step starts, so a watcher can say what it waits for.
pub async fn fetch_sample_with(
    client: &Client,
    schema: &ModuleSchema,
    fields: &[String],
    limit: usize,
    on_phase: impl Fn(SamplePhase),
) -> Result<Vec<SampleRecord>, ApiError> {
    on_phase(SamplePhase::Records { limit });
    let raw = fetch_records(client, schema, fields, limit).await?;
    on_phase(SamplePhase::Rows { records: raw.len() });
    let rows = fetch_rows(client, &schema.module.api_name, &ids_of(&raw)).await?;
    Ok(assemble(raw, rows, schema))
}

/// The ids of records as `fetch_records` returns them.
pub fn ids_of(raw: &[(Value, Option<Id>)]) -> Vec<Id> {
    raw.iter()
        .filter_map(|(v, _)| v.get("id").and_then(id_from_json))
        .collect()
}

/// Fetched records with their rows, typed by the schema and named. Records without a usable
/// id are dropped.
pub fn assemble(
    raw: Vec<(Value, Option<Id>)>,
    mut rows: HashMap<Id, RowsByRule>,
    schema: &ModuleSchema,
) -> Vec<SampleRecord> {
    raw.into_iter()
        .filter_map(|(v, layout)| {
            let record = to_record(&v, schema)?;
            let rows = rows.remove(&record.id).unwrap_or_default();
            Some(SampleRecord {
                name: names::record_name(schema, &record),
                record,
                layout,
                rows,
            })
        })
        .collect()
}

/// Now, and the signed-in user for `${CURRENTUSER}` criteria (unresolved if the org will not
/// say, which makes those criteria never match, as the evaluator documents).
pub async fn eval_context(client: &Client) -> EvalContext {
    let user = client
        .send(
            reqwest::Method::GET,
            "/crm/v8/users",
            &[("type", "CurrentUser".to_string())],
            None,
            Retry::Idempotent,
            false,
        )
        .await
        .ok()
        .and_then(|r| r.body)
        .and_then(|b| b.pointer("/users/0/id").and_then(id_from_json));
    EvalContext {
        now: chrono::Utc::now().timestamp(),
        current_user: user,
        current_role: None,
    }
}
