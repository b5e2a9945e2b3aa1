//! Typed calls for org metadata, records and entity scores.

use reqwest::Method;
use serde_json::Value;

use super::client::{Client, Retry};
use super::error::ApiError;
use super::rules::decode;
use crate::domain::{Edition, EntityScore, Field, Id, Layout, Module, Signal};

/// What `GET /crm/v8/org` tells zscore.
#[derive(Clone, Debug, PartialEq)]
pub struct OrgInfo {
    pub id: Option<Id>,
    pub company_name: String,
    /// From `license_details.paid_type`, else `trial_type` (Part A #10); `None` when neither
    /// names an edition zscore knows.
    pub edition: Option<Edition>,
}

/// One page of records and where the next one starts.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordPage {
    pub data: Vec<Value>,
    pub more: bool,
    pub next_page_token: Option<String>,
}

/// Zoho pages by number only for the first 2,000 records.
const DISCRETE_LIMIT: usize = 2_000;
const RECORDS_PER_PAGE: usize = 200;

impl Client {
    async fn get_json(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Option<Value>, ApiError> {
        Ok(self
            .send(Method::GET, path, query, None, Retry::Idempotent, false)
            .await?
            .body)
    }

    async fn list<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
        key: &str,
    ) -> Result<Vec<T>, ApiError> {
        match self.get_json(path, query).await? {
            // Taken, not cloned: a large org's lists are megabytes.
            Some(mut body) => decode(
                body.get_mut(key)
                    .map(Value::take)
                    .unwrap_or(Value::Array(vec![])),
                key,
            ),
            None => Ok(Vec::new()),
        }
    }

    pub async fn modules(&self) -> Result<Vec<Module>, ApiError> {
        self.list("/crm/v8/settings/modules", &[], "modules").await
    }

    pub async fn layouts(&self, module: &str) -> Result<Vec<Layout>, ApiError> {
        self.list(
            "/crm/v8/settings/layouts",
            &[("module", module.to_string())],
            "layouts",
        )
        .await
    }

    pub async fn fields(&self, module: &str) -> Result<Vec<Field>, ApiError> {
        self.list(
            "/crm/v8/settings/fields",
            &[("module", module.to_string())],
            "fields",
        )
        .await
    }

    pub async fn signals(&self) -> Result<Vec<Signal>, ApiError> {
        self.list("/crm/v8/settings/signals", &[], "signals").await
    }

    pub async fn org(&self) -> Result<OrgInfo, ApiError> {
        let body = self
            .get_json("/crm/v8/org", &[])
            .await?
            .unwrap_or(Value::Null);
        let org = body.pointer("/org/0").ok_or_else(|| ApiError::Decode {
            what: "org".into(),
            detail: "no org object in the answer".into(),
        })?;
        let lic = org.get("license_details");
        let edition = ["paid_type", "trial_type"]
            .iter()
            .filter_map(|k| lic.and_then(|l| l.get(*k)).and_then(Value::as_str))
            .find_map(|s| s.parse::<Edition>().ok());
        Ok(OrgInfo {
            id: org.get("id").and_then(crate::domain::id::id_from_json),
            company_name: org
                .get("company_name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            edition,
        })
    }

    /// The signed-in user: `(name, email)`.
    pub async fn current_user(&self) -> Result<(String, String), ApiError> {
        let body = self
            .get_json("/crm/v8/users", &[("type", "CurrentUser".to_string())])
            .await?
            .unwrap_or(Value::Null);
        let u = body.pointer("/users/0").cloned().unwrap_or(Value::Null);
        let s = |k: &str| u.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        Ok((s("full_name"), s("email")))
    }

    /// Up to `limit` records of a module with the given fields: numbered pages for the first
    /// 2,000, then `page_token` (Zoho's rule) up to Zoho's 100,000.
    pub async fn records(
        &self,
        module: &str,
        fields: &[&str],
        limit: usize,
    ) -> Result<Vec<Value>, ApiError> {
        let mut out = Vec::new();
        let mut page = 1usize;
        let mut token: Option<String> = None;
        while out.len() < limit {
            let p = self
                .records_page(module, fields, page, token.as_deref())
                .await?;
            let n = p.data.len();
            out.extend(p.data);
            if !p.more || n == 0 {
                break;
            }
            if page * RECORDS_PER_PAGE < DISCRETE_LIMIT && token.is_none() {
                page += 1;
            } else {
                match p.next_page_token {
                    Some(t) => token = Some(t),
                    None => break,
                }
            }
        }
        out.truncate(limit);
        Ok(out)
    }

    pub async fn records_page(
        &self,
        module: &str,
        fields: &[&str],
        page: usize,
        token: Option<&str>,
    ) -> Result<RecordPage, ApiError> {
        let mut q = vec![
            ("fields", fields.join(",")),
            ("per_page", RECORDS_PER_PAGE.to_string()),
        ];
        match token {
            Some(t) => q.push(("page_token", t.to_string())),
            None => q.push(("page", page.to_string())),
        }
        let Some(body) = self.get_json(&format!("/crm/v8/{module}"), &q).await? else {
            return Ok(RecordPage {
                data: vec![],
                more: false,
                next_page_token: None,
            });
        };
        let data = body
            .get("data")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        Ok(RecordPage {
            data,
            more: body
                .pointer("/info/more_records")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            next_page_token: body
                .pointer("/info/next_page_token")
                .and_then(Value::as_str)
                .map(str::to_string),
        })
    }

    /// A record's entity scores, one row per rule (the docs' path).
    pub async fn entity_scores(
        &self,
        module: &str,
        record: &Id,
    ) -> Result<Vec<EntityScore>, ApiError> {
        self.list(
            &format!("/crm/v8/{module}/{record}/Entity_Scores__s"),
            &[("fields", ENTITY_SCORE_FIELDS.to_string())],
            "data",
        )
        .await
    }

    /// The entity-score rows of these records through the list path, `ids` filtering by
    /// record (OAS `entity_scores.json`), every page. Rows carry `Entity`, the record they
    /// belong to. At most `ENTITY_SCORE_IDS` ids per call.
    pub async fn entity_scores_of(&self, ids: &[Id]) -> Result<Vec<EntityScore>, ApiError> {
        let joined = ids.iter().map(Id::to_string).collect::<Vec<_>>().join(",");
        let mut out = Vec::new();
        let mut page = 1usize;
        loop {
            let q = [
                ("fields", ENTITY_SCORE_FIELDS.to_string()),
                ("ids", joined.clone()),
                ("page", page.to_string()),
                ("per_page", "200".into()),
            ];
            let Some(body) = self.get_json("/crm/v8/Entity_Scores__s", &q).await? else {
                break;
            };
            let rows: Vec<EntityScore> = decode(
                body.get("data").cloned().unwrap_or(Value::Array(vec![])),
                "entity scores",
            )?;
            let more = body
                .pointer("/info/more_records")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let empty = rows.is_empty();
            out.extend(rows);
            if !more || empty {
                break;
            }
            page += 1;
        }
        Ok(out)
    }

    /// One page of every entity score in the org (the SDK's path); `(rows, more)`.
    pub async fn all_entity_scores(
        &self,
        page: usize,
    ) -> Result<(Vec<EntityScore>, bool), ApiError> {
        let q = [
            ("fields", ENTITY_SCORE_FIELDS.to_string()),
            ("page", page.to_string()),
            ("per_page", "200".into()),
        ];
        let Some(body) = self.get_json("/crm/v8/Entity_Scores__s", &q).await? else {
            return Ok((vec![], false));
        };
        let rows = decode(
            body.get("data").cloned().unwrap_or(Value::Array(vec![])),
            "entity scores",
        )?;
        Ok((
            rows,
            body.pointer("/info/more_records")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        ))
    }
}

/// Record ids per `entity_scores_of` call: Zoho's cap on an `ids` list.
pub const ENTITY_SCORE_IDS: usize = 100;

const ENTITY_SCORE_FIELDS: &str = "Positive_Score,Negative_Score,Touch_Point_Score,Touch_Point_Positive_Score,Touch_Point_Negative_Score,Score,Scoring_Rule";
