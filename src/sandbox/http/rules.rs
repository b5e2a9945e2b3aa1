//! `/crm/v8/settings/automation/scoring_rules…`: list, get, create, update, delete, activate,
//! deactivate and clone, answered with Zoho's statuses, envelopes and messages.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use serde_json::{Value, json};

use super::AppState;
use super::extract::{JsonBody, Params};
use super::respond::{ApiError, id_details, items_response, no_content, ok, success_item};
use crate::domain::edition::{MAX_RULES_PER_CREATE, MAX_RULES_PER_UPDATE};
use crate::domain::id::id_from_json;
use crate::domain::{Id, RulePath, ScoringRule, Violation, codes};
use crate::sandbox::store::RuleError;

/// Path segments after `/crm/v8/` before a rule id: settings/automation/scoring_rules/{id}.
const RULE_ID_INDEX: usize = 3;
const MAX_PER_PAGE: u64 = 200;

pub async fn list(
    State(state): State<Arc<AppState>>,
    params: Params,
) -> Result<Response, ApiError> {
    let org = state.read_org();
    let module = match params.get("module") {
        Some(m) => Some(
            org.module_ci(m)
                .map(|m| m.api_name().to_string())
                .ok_or_else(|| ApiError::invalid_param("module"))?,
        ),
        None => None,
    };
    let layout = match params.get("layout_id") {
        Some(l) => Some(Id::parse(l).ok_or_else(|| ApiError::invalid_param("layout_id"))?),
        None => None,
    };
    let active = params.bool("active")?;
    let name = params.get("name").map(str::to_lowercase);
    let page = params.int("page", 1, u32::MAX as u64)?;
    let per_page = params.int("per_page", 50, MAX_PER_PAGE)?;
    let fields = params.get("fields").map(|f| {
        f.split(',')
            .map(|s| s.trim().to_string())
            .collect::<Vec<_>>()
    });
    let matching: Vec<&ScoringRule> = org
        .rules
        .values()
        .filter(|r| module.as_deref().is_none_or(|m| r.module.api_name == m))
        .filter(|r| layout.as_ref().is_none_or(|l| r.layout_id() == Some(l)))
        .filter(|r| active.is_none_or(|a| r.active == a))
        .filter(|r| {
            name.as_deref()
                .is_none_or(|n| r.name.to_lowercase().contains(n))
        })
        .collect();
    let start = ((page - 1) * per_page) as usize;
    let page_items: Vec<Value> = matching
        .iter()
        .skip(start)
        .take(per_page as usize)
        .map(|r| rule_json(r, fields.as_deref()))
        .collect();
    if page_items.is_empty() {
        return Ok(no_content());
    }
    let more = matching.len() > start + page_items.len();
    Ok(ok(json!({
        "scoring_rules": page_items,
        "info": {"per_page": per_page, "count": page_items.len(), "page": page, "more_records": more},
    })))
}

pub async fn get(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = rule_id(&id)?;
    let org = state.read_org();
    let rule = org
        .rules
        .get(&id)
        .ok_or_else(|| ApiError::invalid_path_id(RULE_ID_INDEX))?;
    Ok(ok(json!({ "scoring_rules": [rule_json(rule, None)] })))
}

pub async fn create(
    State(state): State<Arc<AppState>>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let items = envelope(body, MAX_RULES_PER_CREATE)?;
    let now = Utc::now();
    let mut org = state.write_org();
    // Items apply one by one: a later item sees the earlier ones (e.g. a duplicate name in the
    // same request is refused), and a 207 applies exactly the items it reports as SUCCESS.
    let results = items
        .iter()
        .enumerate()
        .map(|(i, item)| match org.create_rule(item, now) {
            Ok(id) => Ok(success_item(
                "scoring rule created successfully",
                id_details(&id),
            )),
            Err(e) => Err(item_error(e, i)),
        })
        .collect();
    state.commit(&mut org)?;
    Ok(items_response(results, StatusCode::CREATED))
}

pub async fn update_many(
    State(state): State<Arc<AppState>>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let items = envelope(body, MAX_RULES_PER_UPDATE)?;
    let now = Utc::now();
    let mut org = state.write_org();
    let results = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let id = match item.get("id") {
                None | Some(Value::Null) => {
                    return Err(Violation::new(
                        codes::MANDATORY_NOT_FOUND,
                        "required field not found",
                        RulePath::root().key("id"),
                    )
                    .hint("each rule to update needs its id")
                    .to_wire(i));
                }
                Some(v) => id_from_json(v).ok_or_else(|| {
                    Violation::new(
                        codes::INVALID_DATA,
                        "Invalid data type",
                        RulePath::root().key("id"),
                    )
                    .detail("expected_data_type", "bigint")
                    .to_wire(i)
                })?,
            };
            match org.update_rule(&id, item, now) {
                Ok(id) => Ok(success_item(
                    "scoring rule updated successfully",
                    id_details(&id),
                )),
                Err(RuleError::UnknownRule) => Err(unknown_item_id(i)),
                Err(e) => Err(item_error(e, i)),
            }
        })
        .collect();
    state.commit(&mut org)?;
    Ok(items_response(results, StatusCode::OK))
}

pub async fn update_one(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let id = rule_id(&id)?;
    if !state.read_org().rules.contains_key(&id) {
        return Err(ApiError::invalid_path_id(RULE_ID_INDEX));
    }
    let items = envelope(body, 1)?;
    let now = Utc::now();
    let mut org = state.write_org();
    let result = match items.first().map(|item| org.update_rule(&id, item, now)) {
        Some(Ok(id)) => Ok(success_item(
            "scoring rule updated successfully",
            id_details(&id),
        )),
        Some(Err(RuleError::UnknownRule)) | None => {
            return Err(ApiError::invalid_path_id(RULE_ID_INDEX));
        }
        Some(Err(e)) => Err(item_error(e, 0)),
    };
    state.commit(&mut org)?;
    Ok(items_response(vec![result], StatusCode::OK))
}

pub async fn delete_many(
    State(state): State<Arc<AppState>>,
    params: Params,
) -> Result<Response, ApiError> {
    let raw = params
        .get("ids")
        .ok_or_else(|| ApiError::missing_param("ids"))?;
    let ids: Vec<&str> = raw
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if ids.is_empty() || raw.len() > 255 {
        return Err(ApiError::invalid_param("ids"));
    }
    let mut org = state.write_org();
    let results = ids
        .iter()
        .map(|raw_id| {
            let gone = || {
                json!({"code": codes::INVALID_DATA, "details": {"id": raw_id}, "message": "The id given seems to be invalid", "status": "error"})
            };
            let id = Id::parse(raw_id).ok_or_else(gone)?;
            org.delete_rule(&id).map_err(|_| gone())?;
            Ok(success_item("scoring rule deleted successfully", id_details(&id)))
        })
        .collect();
    state.commit(&mut org)?;
    Ok(items_response(results, StatusCode::OK))
}

pub async fn delete_one(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = rule_id(&id)?;
    {
        let mut org = state.write_org();
        org.delete_rule(&id)
            .map_err(|_| ApiError::invalid_path_id(RULE_ID_INDEX))?;
        state.commit(&mut org)?;
    }
    Ok(items_response(
        vec![Ok(success_item(
            "scoring rule deleted successfully",
            id_details(&id),
        ))],
        StatusCode::OK,
    ))
}

pub async fn activate(state: State<Arc<AppState>>, id: Path<String>) -> Result<Response, ApiError> {
    set_active(state, id, true).await
}

pub async fn deactivate(
    state: State<Arc<AppState>>,
    id: Path<String>,
) -> Result<Response, ApiError> {
    set_active(state, id, false).await
}

async fn set_active(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    active: bool,
) -> Result<Response, ApiError> {
    let id = rule_id(&id)?;
    let result = {
        let mut org = state.write_org();
        let result = org.set_active(&id, active, Utc::now());
        state.commit(&mut org)?;
        result
    };
    let message = if active {
        "scoring rule activated successfully"
    } else {
        "scoring rule deactivated successfully"
    };
    match result {
        Ok(()) => Ok(items_response(
            vec![Ok(success_item(message, id_details(&id)))],
            StatusCode::OK,
        )),
        Err(RuleError::UnknownRule) => Err(ApiError::invalid_path_id(RULE_ID_INDEX)),
        Err(e) => Ok(items_response(vec![Err(item_error(e, 0))], StatusCode::OK)),
    }
}

pub async fn clone(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = rule_id(&id)?;
    let result = {
        let mut org = state.write_org();
        let result = org.clone_rule(&id, Utc::now());
        state.commit(&mut org)?;
        result
    };
    match result {
        Ok(new_id) => Ok(items_response(
            vec![Ok(success_item(
                "scoring rule cloned successfully",
                id_details(&new_id),
            ))],
            StatusCode::OK,
        )),
        Err(RuleError::UnknownRule) => Err(ApiError::invalid_path_id(RULE_ID_INDEX)),
        Err(e) => Ok(items_response(vec![Err(item_error(e, 0))], StatusCode::OK)),
    }
}

fn rule_id(raw: &str) -> Result<Id, ApiError> {
    Id::parse(raw).ok_or_else(|| ApiError::invalid_path_id(RULE_ID_INDEX))
}

/// The `{"scoring_rules": [ … ]}` list of a POST/PUT body.
fn envelope(body: Option<Value>, max: usize) -> Result<Vec<Value>, ApiError> {
    let root = RulePath::root();
    let missing = || {
        ApiError::body(
            &Violation::new(
                codes::MANDATORY_NOT_FOUND,
                "required field not found",
                root.key("scoring_rules"),
            )
            .hint("the body must be {\"scoring_rules\": [ … ]}"),
        )
    };
    let body = body.ok_or_else(missing)?;
    let Value::Object(mut map) = body else {
        return Err(ApiError::body(
            &Violation::new(codes::INVALID_DATA, "Invalid data type", root.clone())
                .detail("expected_data_type", "jsonobject"),
        ));
    };
    match map.remove("scoring_rules") {
        None | Some(Value::Null) => Err(missing()),
        Some(Value::Array(items)) if items.is_empty() => Err(missing()),
        Some(Value::Array(items)) if items.len() > max => Err(ApiError::body(
            &Violation::new(
                codes::INVALID_DATA,
                "Invalid data",
                root.key("scoring_rules"),
            )
            .detail("maximum_length", max)
            .hint(format!("at most {max} rules per request ({})", items.len())),
        )),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(ApiError::body(
            &Violation::new(
                codes::INVALID_DATA,
                "Invalid data type",
                root.key("scoring_rules"),
            )
            .detail("expected_data_type", "jsonarray"),
        )),
    }
}

fn item_error(e: RuleError, index: usize) -> Value {
    match e {
        RuleError::Invalid(found) => match found.first() {
            Some(v) => v.to_wire(index),
            None => unknown_item_id(index),
        },
        RuleError::UnknownRule => unknown_item_id(index),
    }
}

fn unknown_item_id(index: usize) -> Value {
    Violation::new(
        codes::INVALID_DATA,
        "The id given seems to be invalid",
        RulePath::root().key("id"),
    )
    .to_wire(index)
}

/// A rule as GET answers it. Custom fields carry, beyond Zoho's `api_name` and `id`, the
/// `field_label` and `reference_field` they were created with: a superset clients may ignore,
/// which lets an export from the sandbox re-create them elsewhere. `fields=` blanks the
/// listed-but-unrequested keys as the v8 spec describes.
pub fn rule_json(rule: &ScoringRule, fields: Option<&[String]>) -> Value {
    let mut v = serde_json::to_value(rule).unwrap_or(Value::Null);
    if let Some(obj) = v.as_object_mut() {
        obj.entry("description").or_insert(Value::Null);
        obj.entry("modified_by").or_insert(Value::Null);
        obj.entry("modified_time").or_insert(Value::Null);
        if let Some(wanted) = fields {
            for key in [
                "field_rules",
                "signal_rules",
                "name",
                "description",
                "active",
            ] {
                if !wanted.iter().any(|w| w == key) {
                    obj.insert(key.into(), Value::Null);
                }
            }
        }
    }
    v
}
