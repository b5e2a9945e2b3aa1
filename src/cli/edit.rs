//! `zscore edit RULE`: the rule as its export file (labels-friendly, no ids) in `$VISUAL` /
//! `$EDITOR`, like `kubectl edit`. The workflow is the core's (`transfer::edit`, shared with
//! the TUI's `E`): the edited text goes through the same reading, planning and validation as
//! `zscore import` (errors name the line and column or the JSON path), then the same plan,
//! question and guarded, journaled update. An unchanged file sends nothing; a file that does
//! not read or validate can be re-opened as it was typed, or is kept on disk.

use clap::Args;

use super::ask::confirm;
use super::connect::{Target, connect};
use super::output::errln;
use crate::display::sanitize;
use crate::domain::{OrgSnapshot, ScoringRule};
use crate::transfer::edit::Edited;

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The rule: its id, or its name (in --module, and --layout when several layouts have it).
    pub rule: String,
    /// The module to look the name up in (api_name, e.g. Leads).
    #[arg(long = "module", value_name = "API_NAME")]
    pub module: Option<String>,
    /// The layout to look the name up in (api_name, e.g. Standard).
    #[arg(long = "layout", value_name = "API_NAME")]
    pub layout: Option<String>,
    /// Send a valid edit without asking.
    #[arg(long)]
    pub yes: bool,
}

pub async fn edit(target: &Target, args: EditArgs) -> Result<bool, String> {
    let conn = connect(target).await.map_err(|e| e.to_string())?;
    conn.check_writable("edit")?;
    let modules: Vec<String> = args.module.iter().cloned().collect();
    let snapshot = super::connect::load(&conn, &modules).await?;
    let rule = find(&snapshot, &args)?;
    let id = rule.id.clone().ok_or("the rule has no id")?;
    let opened = crate::transfer::edit::open(&snapshot, std::slice::from_ref(&id))
        .map_err(|e| e.to_string())?;

    let mut file = crate::editor::EditFile::create(&id.to_string(), &opened.text)?;
    let path = file.path.clone();
    let plan = loop {
        crate::editor::open(&path)?;
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        match opened.read(&text, &snapshot) {
            Ok(Edited::Unchanged) => {
                errln!("{}: unchanged, nothing sent", sanitize(&rule.name));
                return Ok(true);
            }
            Ok(Edited::Planned(p)) => break p.plan,
            Err(e) => {
                for line in &e.0 {
                    errln!("{}", sanitize(line));
                }
                if reopen()? {
                    continue;
                }
                file.keep = true;
                errln!(
                    "nothing was changed; your edit is kept in {}",
                    path.display()
                );
                return Ok(false);
            }
        }
    };
    super::output::out(&plan.render());
    if !args.yes && !confirm(&format!("Apply this change to {}? [y/N] ", conn.label))? {
        errln!("nothing was changed");
        return Ok(false);
    }
    // The same guarded, journaled workflow as `zscore import`.
    let applied = super::transfer::apply_journaled(&conn, &plan, &snapshot, false, "edit").await?;
    Ok(applied.ok)
}

/// Whether to re-open the editor on the text as typed. Without a terminal to ask on, no.
fn reopen() -> Result<bool, String> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    confirm("Re-open the editor to fix it? [y/N] ")
}

/// The rule `args.rule` names: an id, or a name within --module / --layout.
fn find<'a>(snapshot: &'a OrgSnapshot, args: &EditArgs) -> Result<&'a ScoringRule, String> {
    if let Some(r) = snapshot
        .rules
        .iter()
        .find(|r| r.id.as_ref().is_some_and(|id| id.to_string() == args.rule))
    {
        return Ok(r);
    }
    let layout_of = |r: &ScoringRule| -> Option<String> {
        let l = r.layout.as_ref()?;
        l.api_name.clone().or_else(|| {
            snapshot
                .module(&r.module.api_name)?
                .layout(&l.id)
                .map(|x| x.api_name().to_string())
        })
    };
    let found: Vec<&ScoringRule> = snapshot
        .rules
        .iter()
        .filter(|r| r.name == args.rule)
        .filter(|r| args.module.as_ref().is_none_or(|m| *m == r.module.api_name))
        .filter(|r| {
            args.layout
                .as_ref()
                .is_none_or(|l| layout_of(r).as_deref() == Some(l.as_str()))
        })
        .collect();
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(format!(
            "no rule with the id or name {} (names are looked up within --module and --layout)",
            sanitize(&args.rule)
        )),
        several => Err(format!(
            "{} rules are named {}: give its id, or --module and --layout ({})",
            several.len(),
            sanitize(&args.rule),
            several
                .iter()
                .map(|r| format!(
                    "{}/{}",
                    r.module.api_name,
                    layout_of(r).unwrap_or_else(|| "every layout".into())
                ))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}
