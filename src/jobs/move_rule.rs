//! Moving a rule to another layout of its module. Zoho's update ignores `layout` and its clone
//! copies in place, and rule names are unique in the org, so a move is four journaled writes:
//! create a copy in the target layout under a temporary name (inactive, so it needs no active
//! slot while both exist), delete the original, rename the copy to the original's name, and
//! activate it if the original was active. A failure says exactly which step stopped it, so
//! whoever reports it can say which rules exist afterwards.

use serde_json::{Value, json};

use crate::api::{ApiError, ZohoError};
use crate::domain::rule::LayoutRef;
use crate::domain::{Id, ScoringRule};
use crate::journal::writes::{JournaledClient, WriteError};

/// What a move needs: the rule, and the layout it goes to. `name`, `from` and
/// `target_label` are for whoever words the outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoveRequest {
    pub rule: Id,
    pub name: String,
    pub from: String,
    pub target: Id,
    pub target_api_name: String,
    pub target_label: String,
}

/// Where a move stopped. `temp` is the copy's temporary name; `copy` its id once known.
#[derive(Debug)]
pub enum MoveError {
    /// The rule no longer exists; nothing changed.
    Gone,
    /// The rule could not be read; nothing changed.
    Unreadable(ApiError),
    /// Zoho refused the copy; nothing changed.
    CopyRefused(ZohoError),
    /// Creating the copy failed without Zoho's refusal: the target may hold it.
    CopyFailed { temp: String, error: WriteError },
    /// Zoho accepted the copy without saying its id: the target may hold it.
    NoCopyId { temp: String },
    /// Both rules exist: the original and its inactive copy.
    DeleteFailed {
        temp: String,
        copy: Id,
        error: WriteError,
    },
    /// The original is gone; the rule exists only as the inactive copy under `temp`.
    RenameFailed {
        temp: String,
        copy: Id,
        error: WriteError,
    },
    /// Moved and renamed, but left inactive.
    ActivateFailed { copy: Id, error: WriteError },
}

/// Carries a move out; `Ok` is the moved rule's new id.
pub async fn run(writer: &JournaledClient<'_>, req: &MoveRequest) -> Result<Id, MoveError> {
    let rule = match writer.client.get_rule(&req.rule).await {
        Ok(Some(r)) => r,
        Ok(None) => return Err(MoveError::Gone),
        Err(e) => return Err(MoveError::Unreadable(e)),
    };
    let temp = temporary_name();
    let copy = match writer.create(&copy_item(&rule, req, &temp)).await {
        Ok(Ok(s)) => s.id(),
        Ok(Err(z)) => return Err(MoveError::CopyRefused(z)),
        Err(error) => return Err(MoveError::CopyFailed { temp, error }),
    };
    let Some(copy) = copy else {
        return Err(MoveError::NoCopyId { temp });
    };
    if let Err(error) = writer.delete(&req.rule).await {
        return Err(MoveError::DeleteFailed { temp, copy, error });
    }
    if let Err(error) = writer.update(&copy, &json!({"name": rule.name})).await {
        return Err(MoveError::RenameFailed { temp, copy, error });
    }
    if rule.active
        && let Err(error) = writer.set_active(&copy, true).await
    {
        return Err(MoveError::ActivateFailed { copy, error });
    }
    Ok(copy)
}

/// Moves rules one after another (each as `run` does); a failure stops the rest, so the
/// rules after it are left where they are. `Err` carries the new ids of those moved before it.
pub async fn run_all(
    writer: &JournaledClient<'_>,
    reqs: &[MoveRequest],
) -> Result<Vec<Id>, (Vec<Id>, MoveError)> {
    let mut moved = Vec::new();
    for req in reqs {
        match run(writer, req).await {
            Ok(id) => moved.push(id),
            Err(e) => return Err((moved, e)),
        }
    }
    Ok(moved)
}

/// A create item for the copy: the rule as read, in the target layout, under `name`,
/// inactive (see `ScoringRule::create_item`).
pub fn copy_item(rule: &ScoringRule, req: &MoveRequest, name: &str) -> Value {
    let mut r = rule.clone();
    r.name = name.to_string();
    r.active = false;
    r.layout = Some(LayoutRef {
        id: req.target.clone(),
        api_name: Some(req.target_api_name.clone()),
        display_label: None,
    });
    r.create_item()
}

/// Unique enough in one org and within Zoho's 25 characters; seen only if a move stops. The
/// counter keeps two moves in the same millisecond (a bulk move) apart.
fn temporary_name() -> String {
    static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let millis = chrono::Utc::now()
        .timestamp_millis()
        .rem_euclid(10_000_000_000);
    let count = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 100;
    format!(
        "zscore-move-{}",
        millis * 100 + i64::try_from(count).unwrap_or(0)
    )
}
