//! What the effects runner reports back: which change it was asked for, and how it ended, as
//! data (`Done`, `Failure`). `App` writes the words the user reads from them, here, so the
//! runner formats nothing and every notice about a change is worded in one place.

use super::form::{Refused, SaveFailure};
use super::move_rule::{
    MoveError, MoveRequest, move_failure_text, moved_all_text, moved_some_text, moved_text,
};
use crate::api::ApiError;
use crate::display::sanitize;
use crate::domain::Id;
use crate::journal::JournalError;
use crate::journal::session::{UndoError, Undone};
use crate::journal::writes::WriteError;

/// The change a `RuleChanged` answers, as the app asked for it.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    SetActive {
        name: String,
        active: bool,
    },
    Delete {
        name: String,
    },
    Clone {
        name: String,
    },
    Move(MoveRequest),
    /// The marked rules, moved one after another to one layout.
    MoveMany(Vec<MoveRequest>),
    Undo,
    /// Rules edited as a file (`E`), by name.
    Edit {
        names: Vec<String>,
    },
}

/// A change that went through.
#[derive(Clone, Debug, PartialEq)]
pub enum Done {
    /// Activated, deactivated or deleted.
    Written,
    /// The clone's id, if Zoho said it.
    Cloned(Option<Id>),
    /// The moved rule's new id.
    Moved(Id),
    /// The moved rules' new ids, in order.
    MovedMany(Vec<Id>),
    Undone(Undone),
}

impl Done {
    /// A rule to put the cursor on once reloaded (a new clone, a moved rule).
    pub fn select(&self) -> Option<Id> {
        match self {
            Done::Cloned(id) => id.clone(),
            Done::Moved(id) => Some(id.clone()),
            Done::MovedMany(ids) => ids.first().cloned(),
            Done::Written | Done::Undone(_) => None,
        }
    }
}

/// Why an effect's work did not happen.
#[derive(Debug)]
pub enum Failure {
    /// Writes need the journal; the app is read-only without one, so this is a backstop.
    NoJournal,
    Write(WriteError),
    Move(MoveError),
    /// A move of several rules stopped at the one after the first `moved`.
    MoveMany {
        moved: usize,
        error: MoveError,
    },
    Undo(UndoError),
    Journal(JournalError),
    /// Reported in words only: the work panicked (`supervise`), or an edit's steps were
    /// refused (each says why).
    Other(String),
}

impl Change {
    /// What the change is called: the undo group's label (`u` says "undid {label}") and the
    /// start of the notice.
    pub fn label(&self) -> String {
        match self {
            Change::SetActive { name, active } => {
                format!("{} “{}”", verb(*active), sanitize(name))
            }
            Change::Delete { name } => format!("deleted “{}”", sanitize(name)),
            Change::Clone { name } => format!("cloned “{}”", sanitize(name)),
            Change::Move(req) => format!(
                "the move of “{}” to {}",
                sanitize(&req.name),
                sanitize(&req.target_label)
            ),
            Change::MoveMany(reqs) => format!(
                "the move of {} rules to {}",
                reqs.len(),
                reqs.first()
                    .map_or_else(String::new, |r| sanitize(&r.target_label))
            ),
            Change::Undo => "the undo".to_string(),
            Change::Edit { names } => match names.as_slice() {
                [one] => format!("edited “{}”", sanitize(one)),
                several => format!("edited {} rules", several.len()),
            },
        }
    }

    /// The notice for the outcome, and whether it reports an error.
    pub fn notice(&self, result: &Result<Done, Failure>) -> (String, bool) {
        match result {
            Ok(done) => (self.done_text(done), false),
            Err(f) => (self.failure_text(f), true),
        }
    }

    fn done_text(&self, done: &Done) -> String {
        match (self, done) {
            (Change::Delete { .. }, _) => {
                format!("{} (u re-creates it under a new id)", self.label())
            }
            (Change::Clone { .. }, _) => format!("{} (clones start active)", self.label()),
            (Change::Move(req), Done::Moved(id)) => moved_text(req, id),
            (Change::MoveMany(reqs), Done::MovedMany(_)) => moved_all_text(reqs),
            (_, Done::Undone(u)) => format!("undid {}: {}", u.label, sanitize(&u.done.join("; "))),
            _ => self.label(),
        }
    }

    fn failure_text(&self, f: &Failure) -> String {
        let e = match f {
            Failure::NoJournal => return no_journal().to_string(),
            Failure::Other(text) => return text.clone(),
            Failure::Move(m) => match self {
                Change::Move(req) => return move_failure_text(req, m),
                _ => return f.text(),
            },
            Failure::MoveMany { moved, error } => match self {
                Change::MoveMany(reqs) => return moved_some_text(reqs, *moved, error),
                _ => return f.text(),
            },
            Failure::Undo(_) | Failure::Journal(_) => return f.text(),
            Failure::Write(e) => e,
        };
        match self {
            Change::SetActive { name, active } => format!(
                "not {}: {} — “{}”",
                verb(*active),
                write_readable(e),
                sanitize(name)
            ),
            // Who changed what, so the user can judge before deleting again.
            Change::Delete { name } => match e {
                WriteError::Conflict(c) => format!(
                    "not deleted: “{}” was {} since it was loaded; nothing was deleted — reloaded, check it and delete again if still wanted",
                    sanitize(name),
                    c.describe()
                ),
                WriteError::Deleted { .. } => format!(
                    "not deleted: “{}” was already deleted by someone else",
                    sanitize(name)
                ),
                e => format!("not deleted: {} — “{}”", write_readable(e), sanitize(name)),
            },
            Change::Clone { name } => {
                format!("not cloned: {} — “{}”", write_readable(e), sanitize(name))
            }
            Change::Move(_) | Change::MoveMany(_) | Change::Undo | Change::Edit { .. } => {
                write_readable(e)
            }
        }
    }
}

/// A save's undo group label: `edited “name”` or `created “name”`.
pub fn save_label(name: &str, edit: bool) -> String {
    let verb = if edit { "edited" } else { "created" };
    format!("{verb} “{}”", sanitize(name))
}

fn verb(active: bool) -> &'static str {
    if active { "activated" } else { "deactivated" }
}

fn no_journal() -> &'static str {
    "not sent: the change journal is not open"
}

impl Failure {
    /// The words for a failure that answers no change (reading what undo would do, a save).
    pub fn text(&self) -> String {
        match self {
            Failure::NoJournal => no_journal().to_string(),
            Failure::Write(e) => write_readable(e),
            // Only a move reports one, and a move's words need its request (`Change`).
            Failure::Move(_) | Failure::MoveMany { .. } => "the move stopped".to_string(),
            Failure::Undo(u) => sanitize(&u.to_string()),
            Failure::Journal(j) => sanitize(&j.to_string()),
            Failure::Other(t) => t.clone(),
        }
    }
}

impl SaveFailure {
    /// What the form shows of a failed save: the reason, Zoho's details (to find the input
    /// they name) and, for a guarded save, who changed or deleted the rule.
    pub fn of(f: &Failure) -> SaveFailure {
        let Failure::Write(e) = f else {
            return SaveFailure {
                text: f.text(),
                details: None,
                refused: None,
            };
        };
        SaveFailure {
            text: write_readable(e),
            details: match e {
                WriteError::Api(a) => a.zoho().map(|z| z.details.clone()),
                _ => None,
            },
            refused: match e {
                WriteError::Conflict(c) => Some(Refused::Changed {
                    theirs: Box::new(c.theirs.clone()),
                }),
                WriteError::Deleted { .. } => Some(Refused::Deleted),
                _ => None,
            },
        }
    }
}

fn write_readable(e: &WriteError) -> String {
    match e {
        WriteError::Api(a) => readable(a),
        other => sanitize(&other.to_string()),
    }
}

/// The reason first, in Zoho's own words, since the status line may cut the end: a refused
/// change says why ("More than 5 active scoring rules …") before the code that names it.
fn readable(e: &ApiError) -> String {
    let Some(z) = e.zoho() else {
        return sanitize(&e.to_string());
    };
    let hint = match z.code.as_str() {
        c if c.contains("LIMIT") => "; deactivate or delete another rule first",
        _ => "",
    };
    if z.message.trim().is_empty() {
        sanitize(&z.code)
    } else {
        sanitize(&format!(
            "{}{hint} ({})",
            z.message.trim_end_matches('.'),
            z.code
        ))
    }
}
