//! `PUT /crm/v8/{module}/actions/run_scoring_rules` (by rule ids, by layout, or all active rules
//! of the module) and the sandbox's own job status endpoint `GET /sandbox/v1/jobs/{id}`.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use serde_json::{Value, json};

use super::AppState;
use super::extract::JsonBody;
use super::respond::{ApiError, items_response, ok, success_item};
use crate::domain::edition::MAX_RULES_PER_EXECUTE;
use crate::domain::id::id_from_json;
use crate::domain::{Id, codes};
use crate::sandbox::jobs::Job;
use crate::sandbox::store::PendingJob;

/// Records scored between progress updates.
const CHUNK: usize = 500;

enum Target {
    Rules(Vec<Id>),
    Layout(Id),
    Module,
}

pub async fn run(
    State(state): State<Arc<AppState>>,
    Path(module): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let target = target(body)?;
    let (module, rule_ids) = {
        let org = state.read_org();
        let m = org.module_ci(&module).ok_or_else(|| {
            ApiError::bad_request(
                codes::INVALID_DATA,
                "the module name given seems to be invalid",
                json!({"resource_path_index": 0}),
            )
        })?;
        let module = m.api_name().to_string();
        let in_module: Vec<_> = org
            .rules
            .values()
            .filter(|r| r.module.api_name == module)
            .collect();
        let ids: Vec<Id> = match &target {
            Target::Rules(ids) => {
                for (i, id) in ids.iter().enumerate() {
                    let fits = in_module
                        .iter()
                        .any(|r| r.id.as_ref() == Some(id) && r.active);
                    if !fits {
                        return Err(ApiError::bad_request(
                            codes::INVALID_DATA,
                            "The id given seems to be invalid",
                            json!({"api_name": "scoring_rules", "json_path": format!("$.scoring_rules[{i}]"), "id": id}),
                        ));
                    }
                }
                ids.clone()
            }
            Target::Layout(layout) => {
                if m.schema.layout(layout).is_none() {
                    return Err(ApiError::bad_request(
                        codes::INVALID_DATA,
                        "The id given seems to be invalid",
                        json!({"api_name": "id", "json_path": "$.layout.id"}),
                    ));
                }
                in_module
                    .iter()
                    .filter(|r| r.active && r.layout_id() == Some(layout))
                    .filter_map(|r| r.id.clone())
                    .collect()
            }
            Target::Module => in_module
                .iter()
                .filter(|r| r.active)
                .filter_map(|r| r.id.clone())
                .collect(),
        };
        if ids.is_empty() {
            return Err(ApiError::bad_request(
                codes::CANNOT_PERFORM_ACTION,
                "There are no active scoring rules to execute",
                json!({}),
            ));
        }
        (module, ids)
    };
    let job = {
        // Minted, registered and written under one lock: an accepted execution is in the
        // state file (to run again after a crash) before it is answered.
        let mut org = state.write_org();
        let job_id = org.mint_id();
        let job = state
            .jobs
            .schedule(job_id, &module, rule_ids.clone())
            .map_err(|busy| {
                ApiError::bad_request(
                    codes::ALREADY_SCHEDULED,
                    "The scoring rules are already scheduled to run",
                    json!({"job_id": busy}),
                )
            });
        if let Ok(job) = &job {
            org.note_job_scheduled(PendingJob {
                id: job.id.clone(),
                module: module.clone(),
                rule_ids: rule_ids.clone(),
            });
        }
        if let Err(e) = state.commit(&mut org) {
            if let Ok(job) = &job {
                job.progress.finish(false, 0);
            }
            return Err(e);
        }
        job?
    };
    let job_id = job.id.clone();
    spawn_job(state.clone(), job);
    // The official SDK's success model (and OAS-old) want code SUCCESS; the job id rides in
    // `details` as Doc-v7 shows it.
    Ok(match target {
        Target::Rules(ids) => items_response(
            ids.iter()
                .map(|id| {
                    Ok(success_item(
                        "scoring rules successfully scheduled to run",
                        json!({"id": id, "job_id": job_id}),
                    ))
                })
                .collect(),
            StatusCode::OK,
        ),
        Target::Layout(_) => ok(success_item(
            "The scoring rules of the specified layout successfully scheduled to run",
            json!({"job_id": job_id}),
        )),
        Target::Module => ok(success_item(
            "The scoring rules of the specified module successfully scheduled to run",
            json!({"job_id": job_id}),
        )),
    })
}

fn target(body: Option<Value>) -> Result<Target, ApiError> {
    let Some(body) = body else {
        return Ok(Target::Module);
    };
    let Value::Object(map) = body else {
        return Err(ApiError::bad_request(
            codes::INVALID_DATA,
            "Invalid data type",
            json!({"expected_data_type": "jsonobject", "json_path": "$"}),
        ));
    };
    let rules = map.get("scoring_rules").filter(|v| !v.is_null());
    let layout = map.get("layout").filter(|v| !v.is_null());
    match (rules, layout) {
        (Some(_), Some(_)) => Err(ApiError::bad_request(
            codes::AMBIGUITY_DURING_PROCESSING,
            "Ambiguity while processing the request",
            json!({"ambiguity_due_to": [{"api_name": "layout", "json_path": "$.layout"},
                                        {"api_name": "scoring_rules", "json_path": "$.scoring_rules"}]}),
        )),
        (Some(rules), None) => {
            let list = rules.as_array().ok_or_else(|| {
                ApiError::bad_request(
                    codes::INVALID_DATA,
                    "Invalid data type",
                    json!({"api_name": "scoring_rules", "expected_data_type": "jsonarray", "json_path": "$.scoring_rules"}),
                )
            })?;
            if list.is_empty() || list.len() > MAX_RULES_PER_EXECUTE {
                return Err(ApiError::bad_request(
                    codes::INVALID_DATA,
                    "You can execute up to five active scoring rules at a time",
                    json!({"api_name": "scoring_rules", "limit": MAX_RULES_PER_EXECUTE, "json_path": "$.scoring_rules"}),
                ));
            }
            let mut ids = Vec::with_capacity(list.len());
            for (i, v) in list.iter().enumerate() {
                let id = id_from_json(v).ok_or_else(|| {
                    ApiError::bad_request(
                        codes::INVALID_DATA,
                        "Invalid data type",
                        json!({"api_name": "scoring_rules", "expected_data_type": "bigint", "json_path": format!("$.scoring_rules[{i}]")}),
                    )
                })?;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            Ok(Target::Rules(ids))
        }
        (None, Some(layout)) => layout
            .get("id")
            .and_then(id_from_json)
            .map(Target::Layout)
            .ok_or_else(|| {
                ApiError::bad_request(
                    codes::MANDATORY_NOT_FOUND,
                    "required field not found",
                    json!({"api_name": "id", "json_path": "$.layout.id"}),
                )
            }),
        (None, None) => Ok(Target::Module),
    }
}

/// Runs a job: plan (copying the records it needs), score in chunks off the org lock, store.
fn spawn_job(state: Arc<AppState>, job: Arc<Job>) {
    tokio::spawn(async move {
        let started = Instant::now();
        let now = Utc::now();
        let plan = state
            .read_org()
            .plan_run(&job.module, &job.rule_ids, now, false);
        let Some(run) = plan else {
            let mut org = state.write_org();
            org.note_job_finished(job.id.clone());
            let _ = state.commit(&mut org);
            job.progress.finish(false, 0);
            return;
        };
        let total = run.total();
        job.progress.start(total);
        let mut results = Vec::new();
        let mut done = 0;
        while done < total {
            let end = (done + CHUNK).min(total);
            results.extend(run.compute(done..end));
            done = end;
            job.progress.advance(done);
            if state.options.job_chunk_delay.is_zero() {
                tokio::task::yield_now().await;
            } else {
                tokio::time::sleep(state.options.job_chunk_delay).await;
            }
        }
        let stored = {
            let mut org = state.write_org();
            org.store_scores(&run.module, results);
            org.note_job_finished(job.id.clone());
            state.commit(&mut org)
        };
        // "done" is the acknowledgement of the scores: only once they are in the state file.
        job.progress
            .finish(stored.is_ok(), started.elapsed().as_millis() as u64);
    });
}

/// Registers and runs again an execution accepted before a restart, under its old job id.
pub fn resume(state: &Arc<AppState>, pending: PendingJob) {
    match state
        .jobs
        .schedule(pending.id.clone(), &pending.module, pending.rule_ids)
    {
        Ok(job) => spawn_job(state.clone(), job),
        Err(busy) => tracing::warn!(job = %pending.id, %busy, "a resumed job overlaps another"),
    }
}

pub async fn job_status(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let job = Id::parse(&id)
        .and_then(|id| state.jobs.get(&id))
        .ok_or_else(|| ApiError::invalid_path_id(3))?;
    Ok(ok(job.status()))
}
