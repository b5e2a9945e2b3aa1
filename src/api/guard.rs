//! Writes that refuse to overwrite someone else's change.
//!
//! Zoho has no conditional requests (no ETag / If-Match on scoring rules), so the guard is a
//! read before the write: the rule is fetched, compared with the version the caller loaded (the
//! base) by `domain::conflict::changed_since`, and the write is sent only when nobody changed
//! it. A change landing between that read and the write is not caught; the window is one round
//! trip instead of however long the user spent editing.
//!
//! A save with a conflict view, as the TUI's editor can do it (through
//! `journal::writes::JournaledClient::update_guarded`, which journals like any write):
//! 1. send with the rule as loaded as `base`;
//! 2. on [`GuardedError::Conflict`], show `domain::conflict::three_way(&c.base, &c.theirs,
//!    &yours)`: base / theirs / yours per field, with each field's state;
//! 3. "re-apply theirs + mine" (offered when `merged` is `Some`): send the merged rule's
//!    changes with `c.theirs` as the new base; "overwrite": send yours with `c.theirs` as the
//!    base; "discard": keep `c.theirs`. Either send is guarded again, so a third admin's change
//!    in between is caught the same way.

use serde_json::Value;

use super::client::Client;
use super::error::ApiError;
use super::items::Success;
use crate::domain::conflict::{RuleField, changed_since, differing_fields};
use crate::domain::{Id, ScoringRule};

/// The server's rule moved on since the caller loaded it.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    /// The rule as the caller loaded it.
    pub base: ScoringRule,
    /// The rule as the server has it now; the base for a retry.
    pub theirs: ScoringRule,
}

impl Conflict {
    /// Fields the other change touched (base → theirs).
    pub fn changed_fields(&self) -> Vec<RuleField> {
        differing_fields(&self.base, &self.theirs)
    }

    /// "changed by Ana at 2026-…: description, field_rules".
    pub fn describe(&self) -> String {
        let who = self
            .theirs
            .modified_by
            .as_ref()
            .map(|u| crate::display::sanitize(&u.name))
            .unwrap_or_else(|| "someone else".into());
        let when = self
            .theirs
            .modified_time
            .as_deref()
            .map(|t| format!(" at {}", crate::display::sanitize(t)))
            .unwrap_or_default();
        let fields = self.changed_fields();
        let what = if fields.is_empty() {
            "saved again (same content)".to_string()
        } else {
            fields
                .iter()
                .map(|f| f.label())
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!("changed by {who}{when}: {what}")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GuardedError {
    /// Nothing was sent: the rule changed since it was loaded.
    #[error("rule {} was changed since it was loaded ({}); nothing was sent", .0.theirs.id.as_ref().map(Id::as_str).unwrap_or("?"), .0.describe())]
    Conflict(Box<Conflict>),
    /// Nothing was sent: the rule no longer exists.
    #[error("rule {id} was deleted since it was loaded; nothing was sent")]
    Deleted { id: Id },
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl Client {
    /// Updates rule `id` with `item` only if the server's rule is still `base`. On a conflict
    /// the error carries the server's rule ("theirs") for a three-way view.
    pub async fn update_rule_if_unchanged(
        &self,
        id: &Id,
        item: &Value,
        base: &ScoringRule,
    ) -> Result<Success, GuardedError> {
        self.check_unchanged(id, base).await?;
        Ok(self.update_rule(id, item).await?)
    }

    /// Deletes rule `id` only if the server's rule is still `base`. A rule already gone is
    /// [`GuardedError::Deleted`]: the caller's intent holds, but it should know.
    pub async fn delete_rule_if_unchanged(
        &self,
        id: &Id,
        base: &ScoringRule,
    ) -> Result<Success, GuardedError> {
        self.check_unchanged(id, base).await?;
        Ok(self.delete_rule(id).await?)
    }

    /// The server's rule when it is still `base`, else the typed reason it is not.
    pub async fn check_unchanged(
        &self,
        id: &Id,
        base: &ScoringRule,
    ) -> Result<ScoringRule, GuardedError> {
        let now = match self.get_rule(id).await {
            Ok(Some(r)) => r,
            Ok(None) => return Err(GuardedError::Deleted { id: id.clone() }),
            // Zoho answers an unknown rule id with INVALID_DATA.
            Err(ApiError::Zoho(z)) if z.status == 400 && z.code == "INVALID_DATA" => {
                return Err(GuardedError::Deleted { id: id.clone() });
            }
            Err(e) => return Err(e.into()),
        };
        if changed_since(base, &now) {
            return Err(GuardedError::Conflict(Box::new(Conflict {
                base: base.clone(),
                theirs: now,
            })));
        }
        Ok(now)
    }
}
