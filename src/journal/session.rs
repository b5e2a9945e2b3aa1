//! Undo for one session of writes, read from the change journal. Whoever sends the writes
//! remembers which journal entries each user action wrote (a move writes up to four) as one
//! group, if any of them took effect: a refused or failed write is journaled with its outcome
//! but is never an undo target. Undoing reverts the last group's entries newest first (each
//! revert journaled too, but not itself an undo target).

use std::ops::Range;
use std::sync::Mutex;

use super::describe::Outcome;
use super::writes::{JournaledClient, WriteError};
use super::{Entry, Journal, JournalError};

/// The journal entries one user action wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub id: u64,
    pub label: String,
    pub seqs: Range<u64>,
}

/// The groups written in this session, oldest first. Shared by the tasks that write.
#[derive(Debug, Default)]
pub struct Session {
    groups: Vec<Group>,
    next_id: u64,
}

impl Session {
    /// Remembers that `label` wrote the entries numbered `seqs`, if `applied`: one of them
    /// took effect. A write that changed nothing is no undo target, so it never hides the
    /// changes before it from undo.
    pub fn record(&mut self, label: &str, seqs: Range<u64>, applied: bool) {
        if seqs.is_empty() || !applied {
            return;
        }
        self.next_id += 1;
        self.groups.push(Group {
            id: self.next_id,
            label: label.to_string(),
            seqs,
        });
    }

    pub fn last(&self) -> Option<&Group> {
        self.groups.last()
    }
}

/// Remembers the journal entries a change wrote since `first` as one undoable group, if any
/// of them took effect (read back from the journal, which has every outcome).
pub fn record(session: &Mutex<Session>, journal: &Journal, label: &str, first: u64) {
    let seqs = first..journal.next_seq();
    // An unreadable journal cannot show the outcome: keep the group, and let undo read it.
    let applied = journal.entries().map_or(true, |entries| {
        entries
            .iter()
            .any(|e| seqs.contains(&e.seq) && Outcome::of(e).applied())
    });
    if let Ok(mut s) = session.lock() {
        s.record(label, seqs, applied);
    }
}

/// The session's last group, read from the journal: what undo would revert.
#[derive(Clone, Debug, PartialEq)]
pub struct UndoTarget {
    pub group: u64,
    pub label: String,
    /// The group's entries that took effect, oldest first.
    pub entries: Vec<Entry>,
}

/// An undo that went through: the group's label and what each revert did, newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Undone {
    pub label: String,
    pub done: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum UndoError {
    #[error("the session record is unusable")]
    SessionUnusable,
    #[error("nothing to undo: no change made in this session took effect")]
    NothingChanged,
    #[error("nothing to undo: {0} changed nothing at Zoho")]
    NothingApplied(String),
    #[error("the session changed since the confirmation; press u again")]
    SessionChanged,
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// A revert failed; the group's entries from it on stay undoable.
    #[error("undo of {label} stopped at entry #{seq}: {error}; {}", already(.done))]
    Stopped {
        label: String,
        seq: u64,
        error: Box<WriteError>,
        done: Vec<String>,
    },
}

fn already(done: &[String]) -> String {
    if done.is_empty() {
        "nothing was reverted".to_string()
    } else {
        format!("already reverted: {}", done.join("; "))
    }
}

/// The session's last group and its entries that took effect: what undo would revert.
pub fn prepare_undo(session: &Mutex<Session>, journal: &Journal) -> Result<UndoTarget, UndoError> {
    let group = session
        .lock()
        .map_err(|_| UndoError::SessionUnusable)?
        .last()
        .cloned()
        .ok_or(UndoError::NothingChanged)?;
    let entries = group_entries(journal, &group)?;
    if entries.is_empty() {
        return Err(UndoError::NothingApplied(group.label));
    }
    Ok(UndoTarget {
        group: group.id,
        label: group.label,
        entries,
    })
}

/// Reverts the group's entries newest first. Stops at the first failure, keeping what is left
/// undoable, and says what was done and what was not.
pub async fn undo(
    session: &Mutex<Session>,
    writer: &JournaledClient<'_>,
    group: u64,
) -> Result<Undone, UndoError> {
    let taken = {
        let mut s = session.lock().map_err(|_| UndoError::SessionUnusable)?;
        match s.groups.last() {
            Some(g) if g.id == group => s.groups.pop(),
            _ => None,
        }
    };
    let g = taken.ok_or(UndoError::SessionChanged)?;
    let entries = group_entries(writer.journal, &g)?;
    let mut done = Vec::new();
    for e in entries.iter().rev() {
        match writer.revert(e).await {
            Ok(text) => done.push(text),
            Err(error) => {
                if let Ok(mut s) = session.lock() {
                    s.groups.push(Group {
                        seqs: g.seqs.start..e.seq + 1,
                        ..g.clone()
                    });
                }
                return Err(UndoError::Stopped {
                    label: g.label,
                    seq: e.seq,
                    error: Box::new(error),
                    done,
                });
            }
        }
    }
    Ok(Undone {
        label: g.label,
        done,
    })
}

/// The group's entries that Zoho accepted (a refused write changed nothing to revert).
fn group_entries(journal: &Journal, group: &Group) -> Result<Vec<Entry>, JournalError> {
    Ok(journal
        .entries()?
        .into_iter()
        .filter(|e| group.seqs.contains(&e.seq))
        // A bulk change's group entry only frames its writes: there is nothing of its own to
        // revert (each write in it is reverted).
        .filter(|e| e.op != super::group::GROUP_OP)
        .filter(|e| Outcome::of(e).applied())
        .collect())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn undo_of_a_bulk_group_reverts_its_writes_not_the_group_entry_that_frames_them() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::open(dir.path(), "sandbox").unwrap();
        let session = Mutex::new(Session::default());
        let first = j.next_seq();
        let g = j
            .begin_group("deactivate 2 rules", json!({"op": "deactivate"}))
            .unwrap();
        for id in ["1", "2"] {
            let seq = j
                .start_in(Some(g), "deactivate", Some(id), Some(id), None, None)
                .unwrap();
            j.end(seq, true, json!({"code": "SUCCESS"}), Some(id), None)
                .unwrap();
        }
        j.end_group(g, 2, 2).unwrap();
        record(&session, &j, "deactivate 2 rules", first);
        let target = prepare_undo(&session, &j).unwrap();
        let ops: Vec<&str> = target.entries.iter().map(|e| e.op.as_str()).collect();
        assert_eq!(ops, ["deactivate", "deactivate"]);
    }
}
