//! Typed calls for `/settings/automation/scoring_rules` (execution is `execution`'s).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::client::{Client, Retry};
use super::error::ApiError;
pub use super::execution::{ExecTarget, JobStatus};
use super::items::{ItemResult, Success, parse_items, single};
use crate::domain::{Id, ScoringRule};

const RULES: &str = "/crm/v8/settings/automation/scoring_rules";
const PER_PAGE: u32 = 200;
/// Sends of one create or delete after lost answers (each preceded by a look-up of what exists).
const MAX_CREATE_ATTEMPTS: u32 = 4;

#[derive(Clone, Debug, Default)]
pub struct RuleFilter {
    pub module: Option<String>,
    pub layout_id: Option<Id>,
    pub active: Option<bool>,
    pub name: Option<String>,
}

impl RuleFilter {
    pub fn module(m: &str) -> Self {
        RuleFilter {
            module: Some(m.to_string()),
            ..Default::default()
        }
    }

    fn query(&self) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        if let Some(m) = &self.module {
            q.push(("module", m.clone()));
        }
        if let Some(l) = &self.layout_id {
            q.push(("layout_id", l.to_string()));
        }
        if let Some(a) = self.active {
            q.push(("active", a.to_string()));
        }
        if let Some(n) = &self.name {
            q.push(("name", n.clone()));
        }
        q
    }
}

impl Client {
    /// A call about one rule: its single result item, or the error it carries.
    async fn single_call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        retry: Retry,
        what: &str,
    ) -> Result<Success, ApiError> {
        let r = self.send(method, path, &[], body, retry, true).await?;
        single(parse_items(r.status.as_u16(), r.body.as_ref(), what)?, what)
    }

    /// Every rule matching the filter, all pages.
    pub async fn list_rules(&self, filter: &RuleFilter) -> Result<Vec<ScoringRule>, ApiError> {
        let mut out = Vec::new();
        let mut page = 1u32;
        loop {
            let mut q = filter.query();
            q.push(("page", page.to_string()));
            q.push(("per_page", PER_PAGE.to_string()));
            let r = self
                .send(Method::GET, RULES, &q, None, Retry::Idempotent, false)
                .await?;
            let Some(mut body) = r.body.filter(|_| r.status != StatusCode::NO_CONTENT) else {
                break;
            };
            let rules: Vec<ScoringRule> = decode(
                body.get_mut("scoring_rules")
                    .map(Value::take)
                    .unwrap_or(Value::Null),
                "rule list",
            )?;
            let n = rules.len();
            out.extend(rules);
            let more = body
                .pointer("/info/more_records")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if !more || n == 0 {
                break;
            }
            page += 1;
        }
        Ok(out)
    }

    pub async fn get_rule(&self, id: &Id) -> Result<Option<ScoringRule>, ApiError> {
        let r = self
            .send(
                Method::GET,
                &format!("{RULES}/{id}"),
                &[],
                None,
                Retry::Idempotent,
                false,
            )
            .await?;
        let Some(body) = r.body else { return Ok(None) };
        let mut rules: Vec<ScoringRule> = decode(
            body.get("scoring_rules").cloned().unwrap_or(Value::Null),
            "rule",
        )?;
        Ok(rules.pop())
    }

    /// Creates rules (1–20). A create is never blindly re-sent: when its answer is lost, the
    /// rules are looked up by name and only those that do not exist are sent again, so a
    /// flaky network never creates a duplicate.
    pub async fn create_rules(&self, items: &[Value]) -> Result<Vec<ItemResult>, ApiError> {
        self.create_attempt(items, 0).await
    }

    async fn create_attempt(
        &self,
        items: &[Value],
        attempt: u32,
    ) -> Result<Vec<ItemResult>, ApiError> {
        let body = json!({ "scoring_rules": items });
        let e = match self
            .send(
                Method::POST,
                RULES,
                &[],
                Some(&body),
                Retry::OnlyIfThrottled,
                true,
            )
            .await
        {
            Ok(r) => return parse_items(r.status.as_u16(), r.body.as_ref(), "create"),
            Err(e) if is_ambiguous(&e) && attempt < MAX_CREATE_ATTEMPTS => e,
            Err(e) => return Err(e),
        };
        tracing::warn!(error = %e, attempt, "create answer lost; checking what exists before retrying");
        let mut results: Vec<Option<ItemResult>> = Vec::with_capacity(items.len());
        let mut missing = Vec::new();
        for item in items {
            match self.find_created(item).await? {
                Some(id) => results.push(Some(Ok(Success {
                    code: "SUCCESS".into(),
                    message: "scoring rule created (confirmed after a lost answer)".into(),
                    details: json!({ "id": id }),
                }))),
                None => {
                    results.push(None);
                    missing.push(item.clone());
                }
            }
        }
        if missing.is_empty() {
            return Ok(results.into_iter().flatten().collect());
        }
        let retried = Box::pin(self.create_attempt(&missing, attempt + 1)).await?;
        let mut retried = retried.into_iter();
        Ok(results
            .into_iter()
            .map(|r| r.or_else(|| retried.next()))
            .map(|r| r.unwrap_or_else(|| Err(lost_item())))
            .collect())
    }

    async fn find_created(&self, item: &Value) -> Result<Option<Id>, ApiError> {
        let (Some(name), Some(module)) = (
            item.get("name").and_then(Value::as_str),
            item.pointer("/module/api_name").and_then(Value::as_str),
        ) else {
            return Ok(None);
        };
        let filter = RuleFilter {
            module: Some(module.to_string()),
            name: Some(name.to_string()),
            ..Default::default()
        };
        let found = self.list_rules(&filter).await?;
        Ok(found
            .into_iter()
            .find(|r| r.name.eq_ignore_ascii_case(name))
            .and_then(|r| r.id))
    }

    /// Bulk update (1–25 items, each with its `id`).
    pub async fn update_rules(&self, items: &[Value]) -> Result<Vec<ItemResult>, ApiError> {
        self.put_rules(items, Retry::Idempotent).await
    }

    /// Bulk update (1–25 items) sent once: an answer lost to the network or a 5xx is not sent
    /// again (an update that removes or adds sub-items cannot be repeated); the caller reads
    /// the rules to learn what was applied (`journal::batch` does).
    pub async fn update_rules_once(&self, items: &[Value]) -> Result<Vec<ItemResult>, ApiError> {
        self.put_rules(items, Retry::OnlyIfThrottled).await
    }

    async fn put_rules(&self, items: &[Value], retry: Retry) -> Result<Vec<ItemResult>, ApiError> {
        let body = json!({ "scoring_rules": items });
        let r = self
            .send(Method::PUT, RULES, &[], Some(&body), retry, true)
            .await?;
        parse_items(r.status.as_u16(), r.body.as_ref(), "update")
    }

    /// Updates one rule. An update that removes sub-items (`{"id", "_delete": null}`) or adds
    /// new ones cannot be blindly re-sent: once applied, the removed ids are gone and a re-send
    /// is refused, or the additions would land twice. After an ambiguous failure such an update
    /// is looked up instead: it was applied (updates apply whole) if the ids it removes are gone.
    pub async fn update_rule(&self, id: &Id, item: &Value) -> Result<Success, ApiError> {
        let body = json!({ "scoring_rules": [item] });
        let path = format!("{RULES}/{id}");
        let removed = removed_sub_ids(item);
        let repeatable = removed.is_empty() && !adds_sub_items(item);
        let retry = if repeatable {
            Retry::Idempotent
        } else {
            Retry::OnlyIfThrottled
        };
        let mut attempt = 0u32;
        loop {
            let e = match self
                .send(Method::PUT, &path, &[], Some(&body), retry, true)
                .await
            {
                Ok(r) => {
                    return single(
                        parse_items(r.status.as_u16(), r.body.as_ref(), "update")?,
                        "update",
                    );
                }
                Err(e) if !repeatable && is_ambiguous(&e) && attempt < MAX_CREATE_ATTEMPTS => e,
                Err(e) => return Err(e),
            };
            attempt += 1;
            tracing::warn!(error = %e, attempt, "update answer lost; checking whether it was applied");
            // Without removals there is nothing to recognise the update by; report the loss.
            if removed.is_empty() {
                return Err(e);
            }
            let Some(rule) = self.get_rule(id).await? else {
                return Err(e);
            };
            let still_there = serde_json::to_value(&rule)
                .map(|v| {
                    sub_ids(&v)
                        .into_iter()
                        .any(|present| removed.contains(&present))
                })
                .unwrap_or(true);
            if !still_there {
                return Ok(Success {
                    code: "SUCCESS".into(),
                    message: "scoring rule updated (confirmed after a lost answer)".into(),
                    details: json!({ "id": id }),
                });
            }
        }
    }

    pub async fn delete_rules(&self, ids: &[Id]) -> Result<Vec<ItemResult>, ApiError> {
        let joined = ids.iter().map(Id::as_str).collect::<Vec<_>>().join(",");
        let r = self
            .send(
                Method::DELETE,
                RULES,
                &[("ids", joined)],
                None,
                Retry::Idempotent,
                true,
            )
            .await?;
        parse_items(r.status.as_u16(), r.body.as_ref(), "delete")
    }

    /// Deletes one rule. A blind re-send after a lost answer would be refused (the rule is
    /// already gone, so its id is invalid), so after an ambiguous failure the rule is looked up
    /// first and the delete re-sent only if it still exists.
    pub async fn delete_rule(&self, id: &Id) -> Result<Success, ApiError> {
        let path = format!("{RULES}/{id}");
        let mut attempt = 0u32;
        loop {
            let e = match self
                .send(
                    Method::DELETE,
                    &path,
                    &[],
                    None,
                    Retry::OnlyIfThrottled,
                    true,
                )
                .await
            {
                Ok(r) => {
                    return single(
                        parse_items(r.status.as_u16(), r.body.as_ref(), "delete")?,
                        "delete",
                    );
                }
                Err(e) if is_ambiguous(&e) && attempt < MAX_CREATE_ATTEMPTS => e,
                Err(e) => return Err(e),
            };
            attempt += 1;
            tracing::warn!(error = %e, attempt, "delete answer lost; checking whether the rule still exists");
            if self.rule_gone(id).await? {
                return Ok(Success {
                    code: "SUCCESS".into(),
                    message: "scoring rule deleted (confirmed after a lost answer)".into(),
                    details: json!({ "id": id }),
                });
            }
        }
    }

    /// Whether a rule id no longer names a rule (Zoho answers INVALID_DATA for such ids).
    async fn rule_gone(&self, id: &Id) -> Result<bool, ApiError> {
        match self.get_rule(id).await {
            Ok(found) => Ok(found.is_none()),
            Err(ApiError::Zoho(z)) if z.status == 400 && z.code == "INVALID_DATA" => Ok(true),
            Err(e) => Err(e),
        }
    }

    pub async fn activate(&self, id: &Id) -> Result<Success, ApiError> {
        self.single_call(
            Method::PUT,
            &format!("{RULES}/{id}/actions/activate"),
            None,
            Retry::Idempotent,
            "activate",
        )
        .await
    }

    pub async fn deactivate(&self, id: &Id) -> Result<Success, ApiError> {
        self.single_call(
            Method::DELETE,
            &format!("{RULES}/{id}/actions/activate"),
            None,
            Retry::Idempotent,
            "deactivate",
        )
        .await
    }

    /// Clones are always active. Not retried after an ambiguous failure (it would clone twice).
    pub async fn clone_rule(&self, id: &Id) -> Result<Success, ApiError> {
        self.single_call(
            Method::POST,
            &format!("{RULES}/{id}/actions/clone"),
            Some(&json!({})),
            Retry::OnlyIfThrottled,
            "clone",
        )
        .await
    }
}

/// A failure that leaves a call's fate unknown: the answer was lost or broken, or a 5xx,
/// which may come after the work was done (the answer, not the change, failed).
pub(crate) fn is_ambiguous(e: &ApiError) -> bool {
    match e {
        ApiError::Network(_) | ApiError::Decode { .. } => true,
        ApiError::Zoho(z) => z.status >= 500,
        _ => false,
    }
}

const SUB_LISTS: [&str; 3] = ["field_rules", "signal_rules", "custom_fields"];

/// Ids of the sub-items an update body removes.
fn removed_sub_ids(item: &Value) -> Vec<String> {
    SUB_LISTS
        .iter()
        .filter_map(|l| item.get(*l).and_then(Value::as_array))
        .flatten()
        .filter(|x| x.get("_delete").is_some())
        .filter_map(|x| x.get("id").and_then(id_text))
        .collect()
}

/// Whether an update body adds sub-items (items without an id).
fn adds_sub_items(item: &Value) -> bool {
    SUB_LISTS
        .iter()
        .filter_map(|l| item.get(*l).and_then(Value::as_array))
        .flatten()
        .any(|x| x.get("id").is_none())
}

/// Ids of a rule's sub-items as the org has them.
fn sub_ids(rule: &Value) -> Vec<String> {
    SUB_LISTS
        .iter()
        .filter_map(|l| rule.get(*l).and_then(Value::as_array))
        .flatten()
        .filter_map(|x| x.get("id").and_then(id_text))
        .collect()
}

/// Ids travel as strings, but accept numbers too.
fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn lost_item() -> crate::api::error::ZohoError {
    crate::api::error::ZohoError {
        status: 0,
        code: "NO_ANSWER".into(),
        message: "no answer for this item".into(),
        details: Value::Null,
    }
}

pub(crate) fn decode<T: serde::de::DeserializeOwned>(v: Value, what: &str) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(v).map_err(|e| ApiError::Decode {
        what: what.to_string(),
        detail: e.to_string(),
    })
}
