//! Groups: several writes that one user action sent (a bulk deactivation, a score changed across
//! rules) journaled so they are undone as one, by the CLI (`zscore revert N`) and the TUI alike.
//!
//! A group is itself an entry, with op `group`: it takes the next number like any write (so two
//! processes writing to one journal never share one), its `rule_name` is the group's label and
//! its `request` the plan it carried out. Each write of the group names the group's number in its
//! start line (`Journal::start_in`). The group entry is completed last, with how many of its
//! writes took effect: `ok` when at least one did, so an empty or wholly refused group is never
//! an undo target.

use std::io::{BufRead, BufReader};

use serde_json::{Value, json};

use super::describe::Outcome;
use super::writes::JournaledClient;
use super::{Entry, Journal, JournalError, Line};

/// The op of a group entry.
pub const GROUP_OP: &str = "group";

/// A group entry and the writes that belong to it, oldest first.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub entry: Entry,
    pub members: Vec<Entry>,
}

impl Group {
    pub fn label(&self) -> &str {
        self.entry.rule_name.as_deref().unwrap_or("group")
    }

    /// The writes that took effect: what undoing the group reverts.
    pub fn applied(&self) -> Vec<&Entry> {
        self.members
            .iter()
            .filter(|e| Outcome::of(e).applied())
            .collect()
    }
}

impl Journal {
    /// Opens a group before its writes are sent; returns its number for `start_in`.
    pub fn begin_group(&self, label: &str, plan: Value) -> Result<u64, JournalError> {
        self.start(GROUP_OP, None, Some(label), None, Some(plan))
    }

    /// Completes a group once its writes are answered: `applied` of `sent` took effect.
    pub fn end_group(&self, group: u64, applied: usize, sent: usize) -> Result<(), JournalError> {
        let message = format!("{applied} of {sent} writes took effect");
        let answer = if applied > 0 {
            json!({"code": "SUCCESS", "message": message})
        } else {
            json!({"code": "NOTHING_APPLIED", "message": message})
        };
        self.end(group, applied > 0, answer, None, None)
    }

    /// The group numbered `seq`, if that entry is a group.
    pub fn group(&self, seq: u64) -> Result<Option<Group>, JournalError> {
        let entries = self.entries()?;
        let Some(entry) = entries
            .iter()
            .find(|e| e.seq == seq && e.op == GROUP_OP)
            .cloned()
        else {
            return Ok(None);
        };
        let seqs = member_seqs(self, seq)?;
        let members = entries
            .into_iter()
            .filter(|e| seqs.contains(&e.seq))
            .collect();
        Ok(Some(Group { entry, members }))
    }
}

/// The numbers of the writes whose start line names `group`.
fn member_seqs(journal: &Journal, group: u64) -> Result<Vec<u64>, JournalError> {
    let read_err = |source| JournalError::Read {
        path: journal.path().display().to_string(),
        source,
    };
    let file = match std::fs::File::open(journal.path()) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(read_err(e)),
    };
    let mut out = Vec::new();
    for line in BufReader::new(file).lines() {
        let line = line.map_err(read_err)?;
        if let Ok(Line::Start {
            seq,
            group: Some(g),
            ..
        }) = serde_json::from_str::<Line>(&line)
            && g == group
        {
            out.push(seq);
        }
    }
    Ok(out)
}

/// What reverting a group did, write by write.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupRevert {
    /// What each successful revert did, newest write first.
    pub done: Vec<String>,
    /// Writes whose revert failed: their number and why. The others were still reverted: a
    /// group's writes are about different rules, so one failure does not hold the rest.
    pub failed: Vec<(u64, String)>,
}

/// Reverts the group's writes that took effect, newest first (each revert journaled as usual).
pub async fn revert_group(writer: &JournaledClient<'_>, group: &Group) -> GroupRevert {
    let mut out = GroupRevert::default();
    for e in group.applied().into_iter().rev() {
        match writer.revert(e).await {
            Ok(text) => out.done.push(text),
            Err(err) => out.failed.push((e.seq, err.to_string())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_holds_the_writes_that_name_it_and_counts_as_applied_only_if_one_took_effect() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::open(dir.path(), "sandbox").unwrap();
        let g = j
            .begin_group("deactivate 2 rules", json!({"op": "deactivate"}))
            .unwrap();
        let a = j
            .start_in(Some(g), "deactivate", Some("1"), Some("A"), None, None)
            .unwrap();
        let outside = j.start("update", Some("9"), Some("Z"), None, None).unwrap();
        let b = j
            .start_in(Some(g), "deactivate", Some("2"), Some("B"), None, None)
            .unwrap();
        j.end(a, true, json!({"code": "SUCCESS"}), Some("1"), None)
            .unwrap();
        j.end(outside, true, json!({"code": "SUCCESS"}), Some("9"), None)
            .unwrap();
        j.end(
            b,
            false,
            json!({"code": "INVALID_DATA", "message": "gone"}),
            Some("2"),
            None,
        )
        .unwrap();
        j.end_group(g, 1, 2).unwrap();

        let group = j.group(g).unwrap().unwrap();
        assert_eq!(group.label(), "deactivate 2 rules");
        let seqs: Vec<u64> = group.members.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [a, b], "the write outside the group is not in it");
        let applied: Vec<u64> = group.applied().iter().map(|e| e.seq).collect();
        assert_eq!(applied, [a]);
        assert!(Outcome::of(&group.entry).applied());
        assert_eq!(j.group(a).unwrap(), None, "a write is no group");

        let empty = j.begin_group("delete 1 rule", json!({})).unwrap();
        j.end_group(empty, 0, 1).unwrap();
        let entry = j.group(empty).unwrap().unwrap().entry;
        assert!(
            !Outcome::of(&entry).applied(),
            "nothing took effect: no undo target"
        );
    }
}
