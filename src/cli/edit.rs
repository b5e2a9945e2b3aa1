//! `zscore edit RULE`: the rule as its export file (labels-friendly, no ids) in `$VISUAL` /
//! `$EDITOR`, like `kubectl edit`. The edited text goes through the same reading, planning and
//! validation as `zscore import` (errors name the line and column or the JSON path), then the
//! same plan, question and guarded, journaled update. An unchanged file sends nothing; a file
//! that does not read or validate can be re-opened as it was typed, or is kept on disk.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::ask::confirm;
use super::connect::{Target, connect};
use super::output::errln;
use crate::display::sanitize;
use crate::domain::{OrgSnapshot, ScoringRule};
use crate::transfer::{ExportFile, ExportSet, PlanOptions, Step, export, plan_with};

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
    let snapshot = conn
        .client
        .load_snapshot(conn.edition, &modules)
        .await
        .map_err(|e| e.to_string())?;
    let rule = find(&snapshot, &args)?;
    let id = rule.id.clone().ok_or("the rule has no id")?;
    let mut files = export(&snapshot, std::slice::from_ref(&rule.module.api_name))
        .map_err(|e| e.to_string())?;
    let set = ExportSet::from_files(&files).map_err(|e| e.to_string())?;
    let rel_path = set
        .ids
        .iter()
        .find(|(_, e)| e.rule_id == id)
        .map(|(p, _)| p.clone())
        .ok_or_else(|| format!("rule {id} could not be written as a file"))?;
    let at = files
        .iter()
        .position(|f| f.rel_path == rel_path)
        .ok_or_else(|| format!("rule {id} could not be written as a file"))?;
    let original = files[at].contents.clone();

    let mut file = EditFile::create(&id.to_string(), &original)?;
    let path = file.path.clone();
    let plan = loop {
        crate::editor::open(&path)?;
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if text == original {
            errln!("{}: unchanged, nothing sent", sanitize(&rule.name));
            return Ok(true);
        }
        files[at] = ExportFile {
            rel_path: rel_path.clone(),
            contents: text,
        };
        let planned = ExportSet::from_files(&files)
            .and_then(|set| plan_with(&set, &snapshot, PlanOptions { prune: false }));
        match planned {
            Ok(plan) => break plan,
            Err(e) => {
                errln!("{}", e.to_string().replace(&rel_path, "the edited rule"));
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
    // Only the edited rule's step matters; the module's other files are as exported.
    let plan = crate::transfer::Plan {
        steps: plan
            .steps
            .into_iter()
            .filter(|s| !matches!(s, Step::Unchanged { .. }))
            .collect(),
        ..plan
    };
    super::output::out(&plan.render());
    if plan.is_noop() {
        errln!("{}: no change to send", sanitize(&rule.name));
        return Ok(true);
    }
    if !args.yes && !confirm(&format!("Apply this change to {}? [y/N] ", conn.label))? {
        errln!("nothing was changed");
        return Ok(false);
    }
    // The same guarded, journaled workflow as `zscore import`.
    let applied = super::transfer::apply_journaled(&conn, &plan, &snapshot, false, "edit").await?;
    Ok(applied.ok)
}

/// The file the editor opens: owner-only, in the temporary directory, removed when the edit
/// is over unless `keep` (an edit that was not sent stays for the user).
struct EditFile {
    path: PathBuf,
    keep: bool,
}

impl EditFile {
    fn create(id: &str, text: &str) -> Result<EditFile, String> {
        let path = std::env::temp_dir().join(format!(
            "zscore-edit-{}-{}.json",
            std::process::id(),
            id.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        ));
        let _ = std::fs::remove_file(&path);
        crate::config::private::create_file(&path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(EditFile { path, keep: false })
    }
}

impl Drop for EditFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
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
