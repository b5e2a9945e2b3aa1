//! Org metadata endpoints: modules, layouts, fields, signals, org and current user.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{Value, json};

use super::AppState;
use super::extract::Params;
use super::respond::{ApiError, ok, ok_typed};
use crate::domain::{Id, ModuleSchema};
use crate::sandbox::store::Org;

pub async fn modules(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    let org = state.read_org();
    let list: Vec<Value> = org
        .modules
        .iter()
        .map(|m| to_json(&m.schema.module))
        .collect();
    Ok(ok(json!({ "modules": list })))
}

pub async fn module(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let org = state.read_org();
    let m = org
        .modules
        .iter()
        .find(|m| m.api_name().eq_ignore_ascii_case(&name) || m.schema.module.id.as_str() == name)
        .ok_or_else(|| ApiError::invalid_path_id(2))?;
    Ok(ok(json!({ "modules": [to_json(&m.schema.module)] })))
}

fn module_param<'a>(org: &'a Org, params: &Params) -> Result<&'a ModuleSchema, ApiError> {
    let name = params
        .get("module")
        .ok_or_else(|| ApiError::missing_param("module"))?;
    org.module_ci(name)
        .map(|m| &m.schema)
        .ok_or_else(|| ApiError::invalid_param("module"))
}

pub async fn layouts(
    State(state): State<Arc<AppState>>,
    params: Params,
) -> Result<Response, ApiError> {
    let org = state.read_org();
    let schema = module_param(&org, &params)?;
    #[derive(serde::Serialize)]
    struct Layouts<'a> {
        layouts: &'a [crate::domain::Layout],
    }
    Ok(ok_typed(&Layouts {
        layouts: &schema.layouts,
    }))
}

pub async fn layout(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let org = state.read_org();
    let schema = module_param(&org, &params)?;
    let layout = Id::parse(&id)
        .and_then(|id| schema.layout(&id))
        .ok_or_else(|| ApiError::invalid_path_id(2))?;
    Ok(ok(json!({ "layouts": [to_json(layout)] })))
}

/// `layout_id` narrows the list to the fields placed in that layout (SDK `GetFieldsParam`).
pub async fn fields(
    State(state): State<Arc<AppState>>,
    params: Params,
) -> Result<Response, ApiError> {
    let org = state.read_org();
    let schema = module_param(&org, &params)?;
    let layout = match params.get("layout_id") {
        Some(raw) => Some(
            Id::parse(raw)
                .and_then(|id| schema.layout(&id))
                .ok_or_else(|| ApiError::invalid_param("layout_id"))?,
        ),
        None => None,
    };
    #[derive(serde::Serialize)]
    struct Fields<'a> {
        fields: Vec<&'a crate::domain::Field>,
    }
    let fields = schema
        .fields
        .iter()
        .filter(|f| layout.is_none_or(|l| l.has_field(&f.api_name)))
        .collect();
    Ok(ok_typed(&Fields { fields }))
}

pub async fn signals(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    let org = state.read_org();
    let list: Vec<Value> = org.signals.iter().map(to_json).collect();
    Ok(ok(json!({ "signals": list })))
}

pub async fn org(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    let org = state.read_org();
    Ok(ok(json!({ "org": [org.info] })))
}

pub async fn users(
    State(state): State<Arc<AppState>>,
    params: Params,
) -> Result<Response, ApiError> {
    let org = state.read_org();
    let only_current = match params.get("type") {
        None | Some("AllUsers") | Some("ActiveUsers") | Some("AdminUsers") => false,
        Some("CurrentUser") => true,
        Some(_) => return Err(ApiError::invalid_param("type")),
    };
    let users: Vec<Value> = org
        .users
        .iter()
        .take(if only_current { 1 } else { usize::MAX })
        .enumerate()
        .map(|(i, u)| {
            let (first, last) = u.name.split_once(' ').unwrap_or(("", u.name.as_str()));
            json!({
                "id": u.id, "full_name": u.name, "first_name": first, "last_name": last,
                "email": u.email, "zuid": u.zuid, "status": "active", "confirm": true,
                "role": {"id": u.role.0, "name": u.role.1},
                "profile": {"id": u.profile.0, "name": u.profile.1},
                "time_zone": "Etc/UTC", "locale": "en_US", "country": "US",
                "Isonline": i == 0,
            })
        })
        .collect();
    let count = users.len();
    Ok(ok(
        json!({ "users": users, "info": {"per_page": 200, "count": count, "page": 1, "more_records": false} }),
    ))
}

fn to_json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}
