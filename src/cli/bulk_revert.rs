//! `zscore revert N` when entry N is a group (a bulk change): as for one entry, the plan first
//! (every write of the group that took effect, newest first, each with what its revert changes
//! in the org as it is now), then the question (`--yes` skips it, `--dry-run` stops), then the
//! reverts. A write that cannot be reverted (its rule is gone) is named and the rest still go.

use super::ask::confirm;
use super::connect::Connection;
use super::history::{RevertArgs, describe_revert, names_of};
use super::output::{errln, outln};
use crate::display::sanitize;
use crate::journal::describe;
use crate::journal::group::{apply_group_revert, plan_group_revert};
use crate::journal::writes::JournaledClient;

pub async fn revert_group(
    conn: &Connection,
    writer: &JournaledClient<'_>,
    seq: u64,
    args: &RevertArgs,
) -> Result<bool, String> {
    let group = writer
        .journal
        .group(seq)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("entry #{seq} is not a group"))?;
    let applied = group.applied().len();
    if applied == 0 {
        return Err(format!(
            "group #{seq} ({}) changed nothing at Zoho: nothing to revert",
            sanitize(group.label())
        ));
    }
    let steps = plan_group_revert(writer, &group).await;
    let modules = group.members.iter().filter_map(describe::module).collect();
    let snapshot = names_of(conn, modules).await;
    outln!(
        "Revert group #{seq} “{}”: {applied} write(s), newest first",
        sanitize(group.label())
    );
    for step in &steps {
        match &step.plan {
            Ok(plan) => {
                for line in describe_revert(&step.entry, plan, snapshot.as_ref()) {
                    outln!("{line}");
                }
            }
            Err(why) => outln!(
                "✗ entry #{} ({}) cannot be reverted: {}",
                step.entry.seq,
                describe::action(&step.entry),
                sanitize(why)
            ),
        }
    }
    let ready = steps.iter().filter(|s| s.plan.is_ok()).count();
    if ready == 0 {
        return Err(format!(
            "none of group #{seq}'s writes can be reverted; nothing was changed"
        ));
    }
    if args.dry_run {
        errln!("dry run: nothing was changed");
        return Ok(true);
    }
    if !args.yes
        && !confirm(&format!(
            "Revert these {ready} write(s) in {}? [y/N] ",
            conn.label
        ))?
    {
        errln!("nothing was changed");
        return Ok(true);
    }
    let outcome = apply_group_revert(writer, steps).await;
    for done in &outcome.done {
        outln!("{}", sanitize(done));
    }
    for (entry, why) in &outcome.failed {
        errln!(
            "zscore revert: entry #{entry} was not reverted: {}",
            sanitize(why)
        );
    }
    errln!(
        "reverted {} of {applied} write(s) of group #{seq}",
        outcome.done.len()
    );
    Ok(outcome.failed.is_empty())
}
