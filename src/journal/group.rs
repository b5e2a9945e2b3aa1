//! Groups: several writes that one user action sent (a bulk deactivation, a score changed across
//! rules) journaled so they are undone as one (`zscore revert N`): planned first, as a single
//! revert is, so the user sees what every write's revert changes before saying yes.
//!
//! A group is itself an entry, with op `group`: it takes the next number like any write (so two
//! processes writing to one journal never share one), its `rule_name` is the group's label and
//! its `request` the plan it carried out. Each write of the group names the group's number in
//! its start line (`Journal::start_in`, read back as `Entry::group`). The group entry is
//! completed last, with how many of its writes took effect: `ok` when at least one did, so an
//! empty or wholly refused group is never an undo target.

use serde_json::{Value, json};

use super::describe::Outcome;
use super::writes::{JournaledClient, RevertPlan};
use super::{Entry, Journal, JournalError};

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
        let members = entries
            .into_iter()
            .filter(|e| e.group == Some(seq))
            .collect();
        Ok(Some(Group { entry, members }))
    }
}

/// One write of a group and what reverting it would do to the org as it is now, or why it
/// cannot be reverted (the rule it restores is gone, say).
#[derive(Debug)]
pub struct RevertStep {
    pub entry: Entry,
    pub plan: Result<RevertPlan, String>,
}

/// What reverting the group would do, write by write, newest first (the order they run in);
/// reads the rules, sends nothing. Only the writes that took effect are in it.
pub async fn plan_group_revert(writer: &JournaledClient<'_>, group: &Group) -> Vec<RevertStep> {
    let mut out = Vec::new();
    for e in group.applied().into_iter().rev() {
        let plan = writer.revert_plan(e).await.map_err(|err| err.to_string());
        out.push(RevertStep {
            entry: e.clone(),
            plan,
        });
    }
    out
}

/// What reverting a group did, write by write.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupRevert {
    /// What each successful revert did, newest write first.
    pub done: Vec<String>,
    /// Writes not reverted: their number and why. The others were still reverted: a group's
    /// writes are about different rules, so one failure does not hold the rest.
    pub failed: Vec<(u64, String)>,
}

/// Carries out the planned reverts in order (each journaled as usual); a step that could not
/// be planned is reported as not reverted.
pub async fn apply_group_revert(
    writer: &JournaledClient<'_>,
    steps: Vec<RevertStep>,
) -> GroupRevert {
    let mut out = GroupRevert::default();
    for step in steps {
        let seq = step.entry.seq;
        let result = match step.plan {
            Ok(plan) => writer
                .apply_revert(&step.entry, plan)
                .await
                .map_err(|e| e.to_string()),
            Err(why) => Err(why),
        };
        match result {
            Ok(text) => out.done.push(text),
            Err(why) => out.failed.push((seq, why)),
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
