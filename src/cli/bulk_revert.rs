//! `zscore revert N` when entry N is a group (a bulk change): every write of the group that
//! took effect is reverted, newest first, after showing what each revert does.

use super::bulk::confirm;
use super::connect::Connection;
use super::history::RevertArgs;
use crate::display::sanitize;
use crate::journal::describe;
use crate::journal::group::revert_group as revert_all;
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
    let applied = group.applied();
    if applied.is_empty() {
        return Err(format!(
            "group #{seq} ({}) changed nothing at Zoho: nothing to revert",
            sanitize(group.label())
        ));
    }
    println!(
        "Revert group #{seq} “{}”: {} write(s), newest first",
        sanitize(group.label()),
        applied.len()
    );
    for e in applied.iter().rev() {
        println!("#{} {}", e.seq, describe::revert_text(e));
    }
    if args.dry_run {
        eprintln!("dry run: nothing was changed");
        return Ok(true);
    }
    if !args.yes
        && !confirm(&format!(
            "Revert these {} write(s) in {}? [y/N] ",
            applied.len(),
            sanitize(&conn.label)
        ))?
    {
        eprintln!("nothing was changed");
        return Ok(true);
    }
    let outcome = revert_all(writer, &group).await;
    for done in &outcome.done {
        println!("{}", sanitize(done));
    }
    for (entry, why) in &outcome.failed {
        eprintln!(
            "zscore revert: entry #{entry} was not reverted: {}",
            sanitize(why)
        );
    }
    eprintln!(
        "reverted {} of {} write(s) of group #{seq}",
        outcome.done.len(),
        applied.len()
    );
    Ok(outcome.failed.is_empty())
}
