//! Rule writes that go through the journal: the rule is read before, the entry is started,
//! the call is sent, the rule is read after, the entry is completed. And `revert`, which puts
//! an entry's "before" back (itself journaled).

use serde_json::{Value, json};

use super::{Entry, Journal, JournalError};
use crate::api::{ApiError, Client, Conflict, GuardedError, ItemResult, Success};
use crate::domain::{Id, ScoringRule};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("{0}")]
    Revert(String),
    /// A guarded write found the rule changed since its base; nothing was sent or journaled.
    #[error("rule {} was changed since it was loaded ({}); nothing was sent", .0.theirs.id.as_ref().map(Id::as_str).unwrap_or("?"), .0.describe())]
    Conflict(Box<Conflict>),
    /// A guarded write found the rule deleted; nothing was sent or journaled.
    #[error("rule {id} was deleted since it was loaded; nothing was sent")]
    Deleted { id: Id },
}

/// The future of a write about one rule (`single`'s `call`), borrowing the client.
type CallFuture<'c> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Success, ApiError>> + Send + 'c>>;

impl From<GuardedError> for WriteError {
    fn from(e: GuardedError) -> Self {
        match e {
            GuardedError::Conflict(c) => WriteError::Conflict(c),
            GuardedError::Deleted { id } => WriteError::Deleted { id },
            GuardedError::Api(e) => WriteError::Api(e),
        }
    }
}

pub struct JournaledClient<'a> {
    pub client: &'a Client,
    pub journal: &'a Journal,
}

fn to_value(rule: &Option<ScoringRule>) -> Option<Value> {
    rule.as_ref().and_then(|r| serde_json::to_value(r).ok())
}

fn answer_of(r: &Result<Success, ApiError>) -> (bool, Value) {
    match r {
        Ok(s) => (
            true,
            json!({"code": s.code, "message": s.message, "details": s.details}),
        ),
        Err(ApiError::Zoho(z)) => (
            false,
            json!({"code": z.code, "message": z.message, "details": z.details}),
        ),
        Err(e) => (false, error_answer(e)),
    }
}

/// A failure without Zoho's answer as the journal records it; marked `unanswered` when no
/// answer came at all, so history does not call a write that may have landed "failed".
pub(super) fn error_answer(e: &ApiError) -> Value {
    if unanswered(e) {
        json!({"error": e.to_string(), "unanswered": true})
    } else {
        json!({"error": e.to_string()})
    }
}

/// Errors after which nobody knows whether the write was applied: no answer came.
pub(super) fn unanswered(e: &ApiError) -> bool {
    matches!(
        e,
        ApiError::Network(_) | ApiError::OutOfTime { .. } | ApiError::TooLarge { .. }
    )
}

impl JournaledClient<'_> {
    async fn read(&self, id: &Id) -> Option<ScoringRule> {
        self.client.get_rule(id).await.ok().flatten()
    }

    /// Creates one rule.
    pub async fn create(&self, item: &Value) -> Result<ItemResult, WriteError> {
        let name = item.get("name").and_then(Value::as_str);
        let seq = self
            .journal
            .start("create", None, name, None, Some(item.clone()))?;
        let results = self.client.create_rules(std::slice::from_ref(item)).await;
        let first = match results {
            Ok(mut r) if !r.is_empty() => r.remove(0),
            Ok(_) => {
                self.journal
                    .end(seq, false, json!({"error": "no result item"}), None, None)?;
                return Err(WriteError::Revert(
                    "the create answer had no result item".into(),
                ));
            }
            Err(e) => {
                self.journal.end(seq, false, error_answer(&e), None, None)?;
                return Err(e.into());
            }
        };
        let as_result = first.clone().map_err(ApiError::Zoho);
        let (ok, answer) = answer_of(&as_result);
        let id = first.as_ref().ok().and_then(Success::id);
        let after = match &id {
            Some(id) => to_value(&self.read(id).await),
            None => None,
        };
        self.journal
            .end(seq, ok, answer, id.as_ref().map(Id::as_str), after)?;
        Ok(first)
    }

    pub async fn update(&self, id: &Id, item: &Value) -> Result<Success, WriteError> {
        self.single("update", id, Some(item.clone()), |c| {
            Box::pin(c.update_rule(id, item))
        })
        .await
    }

    pub async fn delete(&self, id: &Id) -> Result<Success, WriteError> {
        self.single("delete", id, None, |c| Box::pin(c.delete_rule(id)))
            .await
    }

    /// Updates only if the rule is still `base` (see `api::guard`); a conflict or a deleted
    /// rule is returned before anything is sent or journaled.
    pub async fn update_guarded(
        &self,
        id: &Id,
        item: &Value,
        base: &ScoringRule,
    ) -> Result<Success, WriteError> {
        let before = self.client.check_unchanged(id, base).await?;
        self.single_from("update", id, Some(before), Some(item.clone()), |c| {
            Box::pin(c.update_rule(id, item))
        })
        .await
    }

    /// Deletes only if the rule is still `base`; as `update_guarded`.
    pub async fn delete_guarded(&self, id: &Id, base: &ScoringRule) -> Result<Success, WriteError> {
        let before = self.client.check_unchanged(id, base).await?;
        self.single_from("delete", id, Some(before), None, |c| {
            Box::pin(c.delete_rule(id))
        })
        .await
    }

    pub async fn set_active(&self, id: &Id, active: bool) -> Result<Success, WriteError> {
        if active {
            self.single("activate", id, None, |c| Box::pin(c.activate(id)))
                .await
        } else {
            self.single("deactivate", id, None, |c| Box::pin(c.deactivate(id)))
                .await
        }
    }

    pub async fn clone_rule(&self, id: &Id) -> Result<Success, WriteError> {
        self.single("clone", id, None, |c| Box::pin(c.clone_rule(id)))
            .await
    }

    async fn single<'c, F>(
        &'c self,
        op: &str,
        id: &Id,
        request: Option<Value>,
        call: F,
    ) -> Result<Success, WriteError>
    where
        F: FnOnce(&'c Client) -> CallFuture<'c>,
    {
        let before = self.read(id).await;
        self.single_from(op, id, before, request, call).await
    }

    /// `single` with the "before" state already read (by a guard).
    async fn single_from<'c, F>(
        &'c self,
        op: &str,
        id: &Id,
        before: Option<ScoringRule>,
        request: Option<Value>,
        call: F,
    ) -> Result<Success, WriteError>
    where
        F: FnOnce(&'c Client) -> CallFuture<'c>,
    {
        let name = before.as_ref().map(|r| r.name.clone());
        let seq = self.journal.start(
            op,
            Some(id.as_str()),
            name.as_deref(),
            to_value(&before),
            request,
        )?;
        let result = call(self.client).await;
        let (ok, answer) = answer_of(&result);
        // A clone's "after" is the new rule; everything else's is the rule itself.
        let after_id = match (&result, op) {
            (Ok(s), "clone") => s.id(),
            _ => Some(id.clone()),
        };
        let after = match (&result, &after_id) {
            (Ok(_), Some(a)) if op != "delete" => to_value(&self.read(a).await),
            // Whether it landed is unknown: record the rule as it is now, for whoever checks.
            (Err(e), _) if unanswered(e) && op != "clone" => to_value(&self.read(id).await),
            _ => None,
        };
        self.journal
            .end(seq, ok, answer, after_id.as_ref().map(Id::as_str), after)?;
        Ok(result?)
    }

    /// Puts an entry's "before" state back: deletes what a create or clone made, re-creates a
    /// deleted rule (it gets a new id), restores an updated rule's name, description, field and
    /// signal rules and active state. Returns what it did.
    pub async fn revert(&self, entry: &Entry) -> Result<String, WriteError> {
        let plan = self.revert_plan(entry).await?;
        self.apply_revert(entry, plan).await
    }

    /// What reverting `entry` would do to the org as it is now; sends nothing.
    pub async fn revert_plan(&self, entry: &Entry) -> Result<RevertPlan, WriteError> {
        let outcome = entry.outcome.as_ref().ok_or_else(|| {
            WriteError::Revert(format!(
                "entry {} has no recorded outcome (zscore stopped before the answer); check the rule first",
                entry.seq
            ))
        })?;
        if outcome.unanswered() {
            return Err(WriteError::Revert(format!(
                "entry {} got no answer from Zoho, so whether it was applied is unknown; check rule {} \
                 (zscore history shows it as read afterwards) and change it by hand if needed",
                entry.seq,
                entry.rule_id.as_deref().unwrap_or("-")
            )));
        }
        if !outcome.ok {
            return Err(WriteError::Revert(format!(
                "entry {} failed at Zoho, so there is nothing to revert",
                entry.seq
            )));
        }
        let made = outcome.rule_id.as_deref().and_then(Id::parse);
        match entry.op.as_str() {
            "create" | "clone" => {
                let id = made
                    .ok_or_else(|| WriteError::Revert("the entry names no created rule".into()))?;
                let now = self.read(&id).await;
                Ok(RevertPlan::Delete { id, now })
            }
            "delete" => Ok(RevertPlan::Recreate {
                before: before_rule(entry)?,
            }),
            "update" | "activate" | "deactivate" => {
                let before: ScoringRule = before_rule(entry)?;
                let id = before
                    .id
                    .clone()
                    .ok_or_else(|| WriteError::Revert("the entry's rule has no id".into()))?;
                let now = self.read(&id).await.ok_or_else(|| {
                    WriteError::Revert(format!("rule {id} no longer exists; nothing to restore"))
                })?;
                Ok(RevertPlan::Restore {
                    id,
                    now: Box::new(now),
                    before: Box::new(before),
                    fields: entry.op == "update",
                })
            }
            other => Err(WriteError::Revert(format!(
                "cannot revert a {other:?} entry"
            ))),
        }
    }

    /// Carries out `plan`, made by `revert_plan` for `entry`. A rule restored is guarded: if it
    /// changed since the plan was made, nothing is sent.
    pub async fn apply_revert(
        &self,
        entry: &Entry,
        plan: RevertPlan,
    ) -> Result<String, WriteError> {
        match plan {
            RevertPlan::Delete { id, now } => {
                match &now {
                    Some(base) => self.delete_guarded(&id, base).await?,
                    None => self.delete(&id).await?,
                };
                Ok(format!(
                    "deleted rule {id}, which entry {} created",
                    entry.seq
                ))
            }
            RevertPlan::Recreate { before } => {
                let item = before.create_item();
                match self.create(&item).await? {
                    Ok(s) => Ok(format!(
                        "re-created {:?} as rule {} (it was {})",
                        before.name,
                        s.id().map(|i| i.to_string()).unwrap_or_default(),
                        entry.rule_id.clone().unwrap_or_default()
                    )),
                    Err(z) => Err(WriteError::Revert(format!(
                        "re-creating {:?} was refused: {z}",
                        before.name
                    ))),
                }
            }
            RevertPlan::Restore {
                id,
                now,
                before,
                fields,
            } => {
                if fields {
                    // Guarded against a change landing since the plan was made.
                    self.update_guarded(&id, &restore_item(&now, &before), &now)
                        .await?;
                } else {
                    self.client.check_unchanged(&id, &now).await?;
                }
                if now.active != before.active {
                    self.set_active(&id, before.active).await?;
                }
                Ok(format!(
                    "restored rule {id} ({:?}) to its state before entry {}",
                    before.name, entry.seq
                ))
            }
        }
    }
}

/// What reverting one journal entry does.
#[derive(Clone, Debug, PartialEq)]
pub enum RevertPlan {
    /// Delete the rule the entry created (`now`: as it is, if it still exists).
    Delete { id: Id, now: Option<ScoringRule> },
    /// Create the deleted rule again; it gets a new id.
    Recreate { before: ScoringRule },
    /// Put the rule back as it was before the entry: its name, description, field and signal
    /// rules when `fields` (an update), and its active state.
    Restore {
        id: Id,
        now: Box<ScoringRule>,
        before: Box<ScoringRule>,
        fields: bool,
    },
}

fn before_rule(entry: &Entry) -> Result<ScoringRule, WriteError> {
    let v = entry.before.clone().ok_or_else(|| {
        WriteError::Revert(format!("entry {} recorded no before state", entry.seq))
    })?;
    serde_json::from_value(v).map_err(|e| {
        WriteError::Revert(format!(
            "entry {}'s before state does not read as a rule: {e}",
            entry.seq
        ))
    })
}

/// An update item that turns `now` back into `before`: name and description, and field and
/// signal rules replaced wholesale.
fn restore_item(now: &ScoringRule, before: &ScoringRule) -> Value {
    let field_rules = replaced(
        now.field_rules.iter().map(|f| f.id.as_ref()),
        before
            .field_rules
            .iter()
            .map(|f| json!({"score": f.score, "criteria": f.criteria})),
    );
    let signal_rules = replaced(
        now.signal_rules.iter().map(|s| s.id.as_ref()),
        before
            .signal_rules
            .iter()
            .map(|s| json!({"score": s.score, "signal": s.signal})),
    );
    json!({"name": before.name, "description": before.description, "field_rules": field_rules, "signal_rules": signal_rules})
}

/// A sub-item list replaced wholesale: every present item (by its id) deleted, then `new` added.
fn replaced<'a>(
    present: impl Iterator<Item = Option<&'a Id>>,
    new: impl Iterator<Item = Value>,
) -> Vec<Value> {
    present
        .flatten()
        .map(|id| json!({"id": id, "_delete": null}))
        .chain(new)
        .collect()
}
