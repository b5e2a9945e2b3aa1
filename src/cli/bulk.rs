//! `zscore activate`, `deactivate`, `delete`, `clone` and `set-score`: one change to many rules
//! as one plan (`bulk`). The plan goes to stdout first; then the command asks (`--yes` skips,
//! `--dry-run` stops), sends, and prints each rule's outcome and what it is now. Exit code 1
//! when any step did not take effect.

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::sync::mpsc;

use super::ask::{answer, confirm};
use super::connect::{Connection, Target, connect};
use super::output::{errln, outln};
use crate::bulk::render::plan_lines;
use crate::bulk::{BulkEvent, Operation, Plan, ScoreChange, Selection, StepState};
use crate::display::sanitize;
use crate::domain::Id;

/// Which rules: ids, a filter, or both (the ids that match the filter).
#[derive(Debug, Args)]
pub struct SelectArgs {
    /// These rules (ids, comma-separated), in this order.
    #[arg(long, value_name = "ID[,ID...]", value_delimiter = ',')]
    pub rules: Vec<String>,
    /// Rules of this module (API name, e.g. Leads).
    #[arg(long, value_name = "MODULE")]
    pub module: Option<String>,
    /// Rules of this layout of --module: its id, API name or label.
    #[arg(long, value_name = "LAYOUT", requires = "module")]
    pub layout: Option<String>,
    /// Rules whose name matches this pattern (`*` any text, `?` one character; any case).
    #[arg(long, value_name = "GLOB")]
    pub name: Option<String>,
    /// Show the plan and send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Send without asking.
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct FitArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// When the edition's limits let only some through, send the first ones that fit.
    #[arg(long)]
    pub fit: bool,
}

#[derive(Debug, Args)]
pub struct SetScoreArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// The field whose criteria's scores change (API name or label).
    #[arg(long, value_name = "FIELD")]
    pub criteria_field: String,
    /// Only field rules that score this now (default: every field rule on the field).
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub from: Option<i64>,
    /// The new score (-100 to 100).
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub to: i64,
}

pub async fn activate(target: &Target, args: FitArgs) -> Result<bool, String> {
    bulk(target, Operation::Activate, &args.select, args.fit).await
}

pub async fn deactivate(target: &Target, args: SelectArgs) -> Result<bool, String> {
    bulk(target, Operation::Deactivate, &args, false).await
}

pub async fn delete(target: &Target, args: SelectArgs) -> Result<bool, String> {
    bulk(target, Operation::Delete, &args, false).await
}

pub async fn clone(target: &Target, args: FitArgs) -> Result<bool, String> {
    bulk(target, Operation::Clone, &args.select, args.fit).await
}

pub async fn set_score(target: &Target, args: SetScoreArgs) -> Result<bool, String> {
    if args.select.module.is_none() {
        return Err("--module is required: field names belong to a module".into());
    }
    let change = ScoreChange {
        field: args.criteria_field.clone(),
        from: args.from,
        to: args.to,
    };
    bulk(target, Operation::SetScore(change), &args.select, false).await
}

fn selection(args: &SelectArgs) -> Result<Selection, String> {
    let ids = args
        .rules
        .iter()
        .filter(|r| !r.trim().is_empty())
        .map(|r| Id::parse(r.trim()).ok_or_else(|| format!("--rules: {r:?} is not an id")))
        .collect::<Result<_, _>>()?;
    Ok(Selection {
        ids,
        module: args.module.clone(),
        layout: args.layout.clone(),
        name: args.name.clone(),
    })
}

async fn bulk(
    target: &Target,
    op: Operation,
    args: &SelectArgs,
    fit: bool,
) -> Result<bool, String> {
    let selection = selection(args)?;
    let conn = connect(target).await.map_err(|e| e.to_string())?;
    if !args.dry_run {
        conn.check_writable(command_words(&op))?;
    }
    let only: Vec<String> = args.module.iter().cloned().collect();
    let snap = super::connect::load(&conn, &only).await?;
    super::shell::remember_modules(&snap);
    let rules = selection.pick(&snap)?;
    let plan = Plan::build(op, &rules, &snap);
    outln!(
        "Plan: {} in {} ({} edition)",
        plan.label(plan.steps.len()),
        conn.label,
        snap.edition.label()
    );
    for line in plan_lines(&plan, &snap) {
        outln!("{line}");
    }
    if !plan.invalid.is_empty() {
        return Err(format!(
            "the validator refuses {} of the rules (marked !); nothing was sent",
            plan.invalid.len()
        ));
    }
    if plan.steps.is_empty() {
        errln!("nothing to change");
        return Ok(true);
    }
    let count = match &plan.limit {
        None => plan.steps.len(),
        Some(c) if c.fits == 0 => return Err(format!("{}; nothing was sent", c.text)),
        Some(c) if fit || args.dry_run => c.fits,
        Some(c) if args.yes => {
            return Err(format!(
                "{}; nothing was sent (pass --fit to send the first {}, or select fewer rules)",
                c.text, c.fits
            ));
        }
        Some(c) => c.fits,
    };
    if args.dry_run {
        errln!(
            "dry run: nothing was sent ({} would be sent)",
            plan.label(count)
        );
        return Ok(true);
    }
    if !args.yes && !ask(&plan, count, &conn)? {
        errln!("nothing was sent");
        return Ok(true);
    }
    // The question may have waited long: past the command's time budget every request would
    // give up at once, so say so instead of journaling writes that were never sent.
    if conn.client.budget_spent() {
        return Err(format!(
            "the command's time budget ran out (--timeout sets it); nothing was sent ({} planned)",
            plan.label(count)
        ));
    }
    send(&conn, &plan, count).await
}

/// What a refusal says the command would have done: `refusing to deactivate: read-only …`.
fn command_words(op: &Operation) -> &'static str {
    match op {
        Operation::SetScore(_) => "change scores",
        other => other.verb(),
    }
}

/// Asks before sending: y/N, or for a delete the word `delete` typed out.
fn ask(plan: &Plan, count: usize, conn: &Connection) -> Result<bool, String> {
    let what = if count < plan.steps.len() {
        format!(
            "only the first {count} of the {} steps ({})",
            plan.steps.len(),
            plan.label(count)
        )
    } else {
        plan.label(count)
    };
    if matches!(plan.op, Operation::Delete) {
        let fields: usize = plan.steps[..count]
            .iter()
            .map(|s| s.rule.custom_fields.len())
            .sum();
        let typed = answer(&format!(
            "Type delete to {what} and {fields} custom field(s) with their scores in {}: ",
            conn.label
        ))?;
        return Ok(typed == "delete");
    }
    confirm(&format!("Send {what} to {}? [y/N] ", conn.label))
}

/// Sends the first `count` steps with a progress line on stderr; prints each rule's outcome.
async fn send(conn: &Connection, plan: &Plan, count: usize) -> Result<bool, String> {
    let journal = conn.journal().await?;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let bar = ProgressBar::with_draw_target(Some(count as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress = async {
        // A step reports its answer, then again once the rules are read back: count it once.
        let mut done = vec![false; count];
        while let Some(ev) = rx.recv().await {
            match ev {
                BulkEvent::Step { index, state } => {
                    let name = plan
                        .steps
                        .get(index)
                        .map_or_else(String::new, |s| sanitize(&s.rule.name));
                    let finished = !matches!(state, StepState::Queued | StepState::Sending);
                    if finished && let Some(d) = done.get_mut(index).filter(|d| !**d) {
                        *d = true;
                        bar.inc(1);
                    }
                    bar.set_message(format!("{} “{name}”", state.word()));
                }
                BulkEvent::Checking => {
                    bar.set_message("reading the rules back to confirm what exists now")
                }
            }
        }
    };
    let work = async {
        let tx = tx;
        crate::bulk::run(&conn.client, &journal, plan, count, &tx).await
    };
    let (report, ()) = tokio::join!(work, progress);
    bar.finish_and_clear();
    let report = report?;
    for line in report.lines(&plan.op) {
        outln!("{line}");
    }
    for e in &report.journal_errors {
        errln!("zscore: {}", sanitize(e));
    }
    errln!("{}", report.summary());
    Ok(report.all_applied())
}
