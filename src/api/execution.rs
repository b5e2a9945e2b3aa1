//! Typed calls that run scoring rules over records: scheduling an execution, and (sandbox
//! only) following its progress.

use reqwest::Method;
use serde_json::{Value, json};

use super::client::{Client, Retry};
use super::error::ApiError;
use super::items::{ItemResult, parse_items};
use super::rules::decode;
use crate::domain::Id;

/// What to execute: up to five rule ids, a layout's active rules, or the module's.
#[derive(Clone, Debug, PartialEq)]
pub enum ExecTarget {
    Rules(Vec<Id>),
    Layout(Id),
    Module,
}

#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct JobStatus {
    pub state: String,
    pub processed: u64,
    pub total: u64,
}

impl Client {
    /// Schedules execution. Zoho answers `SCHEDULED` (docs) or `SUCCESS` (spec, sandbox); both
    /// come back as `Success` with `job_id()`. Re-sending an execute is harmless (Zoho answers
    /// `ALREADY_SCHEDULED`), so it is retried like an idempotent call.
    pub async fn execute(
        &self,
        module: &str,
        target: &ExecTarget,
    ) -> Result<Vec<ItemResult>, ApiError> {
        let body = match target {
            ExecTarget::Rules(ids) => Some(json!({ "scoring_rules": ids })),
            ExecTarget::Layout(id) => Some(json!({ "layout": { "id": id } })),
            ExecTarget::Module => None,
        };
        let path = format!("/crm/v8/{module}/actions/run_scoring_rules");
        let r = self
            .send(
                Method::PUT,
                &path,
                &[],
                body.as_ref(),
                Retry::Idempotent,
                true,
            )
            .await?;
        parse_items(r.status.as_u16(), r.body.as_ref(), "execute")
    }

    /// Progress of an execution; only the zscore sandbox serves this (Zoho has no such API).
    pub async fn job_status(&self, job_id: &Id) -> Result<JobStatus, ApiError> {
        let r = self
            .send(
                Method::GET,
                &format!("/sandbox/v1/jobs/{job_id}"),
                &[],
                None,
                Retry::Idempotent,
                false,
            )
            .await?;
        decode(r.body.unwrap_or(Value::Null), "job status")
    }
}
