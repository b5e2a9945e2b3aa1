//! Editing org rules as text, the workflow behind `zscore edit` and the TUI's `E`: the rules as
//! their export files in one text (one rule: the export file itself; several: a JSON list of
//! them), and the edited text back through the same reading, planning and validation as
//! `zscore import`, every error naming its line and column or its JSON path. An unchanged text
//! sends nothing. The editor itself, and sending the plan, are the callers' business.
//!
//! The edited rules are planned among every other rule of their modules, exported as they are,
//! so names and per-layout limits are judged against the whole module; a rule keeps its id
//! through a rename, and a new layout makes it a re-create in that layout, as an import would.
//! A rule cannot be added or removed here: the text holds exactly the rules opened.

use super::error::TransferError;
use super::export::{ExportFile, export};
use super::format::{RuleFile, SIDECAR, Sidecar, to_pretty};
use super::names::ALL_LAYOUTS;
use super::plan::{PlanOptions, plan_with};
use super::read::{ExportSet, parse_json_opening};
use super::steps::{Plan, Step};
use crate::display::{quote, sanitize};
use crate::domain::validate::{apply_patch, parse_create, parse_update};
use crate::domain::{Id, OrgSnapshot, ScoringRule};

/// Org rules opened for editing, as the text an editor shows.
#[derive(Clone, Debug, PartialEq)]
pub struct EditText {
    /// What the editor opens.
    pub text: String,
    /// Every file of the rules' modules as exported (the sidecar last).
    files: Vec<ExportFile>,
    rules: Vec<Opened>,
}

/// One rule of the text: where its file sits in the export, and what errors call it.
#[derive(Clone, Debug, PartialEq)]
struct Opened {
    rel_path: String,
    id: Id,
    name: String,
}

/// What the edited text asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Edited {
    /// The text is as opened: nothing to send.
    Unchanged,
    Planned(EditPlan),
}

/// A valid edit: the steps to send (only those of the edited rules, none `Unchanged`), and
/// each changed rule before and after, for a review.
#[derive(Clone, Debug, PartialEq)]
pub struct EditPlan {
    pub plan: Plan,
    pub rules: Vec<EditedRule>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EditedRule {
    /// The org's rule as loaded.
    pub before: ScoringRule,
    /// The rule as the plan's requests would leave it.
    pub after: ScoringRule,
}

/// Why an edited text cannot be sent: one line per problem, each naming the rule and the line
/// and column or the JSON path (`the edited rule: field_rules[0].score: … (line 7, column 16)`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditErrors(pub Vec<String>);

impl std::fmt::Display for EditErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("\n"))
    }
}

/// How errors name the whole text, and the rule when it holds one.
const WHOLE: &str = "the edited file";
const ONE: &str = "the edited rule";

/// The rules `ids` (in that order, each once) of `snapshot` as one text to edit.
pub fn open(snapshot: &OrgSnapshot, ids: &[Id]) -> Result<EditText, TransferError> {
    let mut rules: Vec<&ScoringRule> = Vec::with_capacity(ids.len());
    for id in ids {
        let rule = snapshot
            .rules
            .iter()
            .find(|r| r.id.as_ref() == Some(id))
            .ok_or_else(|| TransferError::invalid(format!("rule {id}"), "", "not in the org"))?;
        if !rules.iter().any(|r| r.id == rule.id) {
            rules.push(rule);
        }
    }
    if rules.is_empty() {
        return Err(TransferError::invalid(WHOLE, "", "no rule to edit"));
    }
    let mut modules: Vec<String> = rules.iter().map(|r| r.module.api_name.clone()).collect();
    modules.sort();
    modules.dedup();
    let files = export(snapshot, &modules)?;
    let sidecar = sidecar_of(&files)?;
    let mut opened = Vec::with_capacity(rules.len());
    let mut contents: Vec<RuleFile> = Vec::with_capacity(rules.len());
    for rule in &rules {
        let id = rule.id.clone().ok_or_else(|| {
            TransferError::invalid(super::export::rule_place(rule), "", "the rule has no id")
        })?;
        let rel_path = sidecar
            .iter()
            .find(|(_, e)| e.rule_id == id)
            .map(|(p, _)| p.clone())
            .ok_or_else(|| {
                TransferError::invalid(format!("rule {id}"), "", "cannot be written as a file")
            })?;
        let file = files
            .iter()
            .find(|f| f.rel_path == rel_path)
            .ok_or_else(|| {
                TransferError::invalid(format!("rule {id}"), "", "cannot be written as a file")
            })?;
        contents.push(
            serde_json::from_str(&file.contents)
                .map_err(|e| TransferError::invalid(&rel_path, "", e.to_string()))?,
        );
        opened.push(Opened {
            rel_path,
            id,
            name: rule.name.clone(),
        });
    }
    let text = match contents.as_slice() {
        [one] => to_pretty(one),
        several => to_pretty(&several),
    }
    .map_err(|e| TransferError::invalid(WHOLE, "", format!("cannot write: {e}")))?;
    Ok(EditText {
        text,
        files,
        rules: opened,
    })
}

impl EditText {
    /// The ids of the rules opened, in the text's order.
    pub fn ids(&self) -> Vec<Id> {
        self.rules.iter().map(|r| r.id.clone()).collect()
    }

    /// The edited text against `snapshot` (the org the text was opened from).
    pub fn read(&self, edited: &str, snapshot: &OrgSnapshot) -> Result<Edited, EditErrors> {
        if edited == self.text {
            return Ok(Edited::Unchanged);
        }
        let parsed: Vec<RuleFile> = match self.rules.len() {
            1 => vec![parse_json_opening(ONE, edited, '{', "a JSON object").map_err(lines)?],
            n => {
                let all: Vec<RuleFile> =
                    parse_json_opening(WHOLE, edited, '[', "a JSON list of rules")
                        .map_err(lines)?;
                if all.len() != n {
                    return Err(EditErrors(vec![format!(
                        "{WHOLE}: holds {} rules; {n} were opened (rules cannot be added or \
                         removed here: keep one entry for each, in order)",
                        all.len()
                    )]));
                }
                all
            }
        };
        let (files, labels) = self.replaced(parsed)?;
        let relabel = |e: TransferError| relabelled(&e, &labels);
        let set = ExportSet::from_files(&files).map_err(relabel)?;
        let plan = plan_with(&set, snapshot, PlanOptions { prune: false }).map_err(relabel)?;
        let edited_files: Vec<&String> = labels.iter().map(|(p, _)| p).collect();
        let steps: Vec<Step> = plan
            .steps
            .into_iter()
            .filter(|s| !matches!(s, Step::Unchanged { .. }) && step_file(s, &edited_files))
            .collect();
        let plan = Plan {
            steps,
            kept: Vec::new(),
        };
        if plan.is_noop() {
            return Ok(Edited::Unchanged);
        }
        let rules = plan
            .steps
            .iter()
            .filter_map(|s| edited_rule(s, snapshot))
            .collect::<Result<Vec<_>, String>>()
            .map_err(|e| EditErrors(vec![e]))?;
        Ok(Edited::Planned(EditPlan { plan, rules }))
    }

    /// The export's files with the edited rules in place of the opened ones, each in the
    /// layout directory it now names (its sidecar entry following it), and what errors call
    /// each file.
    fn replaced(&self, parsed: Vec<RuleFile>) -> Result<(Vec<ExportFile>, Labels), EditErrors> {
        let mut files: Vec<ExportFile> = self
            .files
            .iter()
            .filter(|f| {
                f.rel_path != SIDECAR && !self.rules.iter().any(|r| r.rel_path == f.rel_path)
            })
            .cloned()
            .collect();
        let mut sidecar = sidecar_of(&self.files).map_err(lines)?;
        let mut labels = Vec::with_capacity(parsed.len());
        let several = self.rules.len() > 1;
        for (i, (opened, rule)) in self.rules.iter().zip(parsed).enumerate() {
            let label = if several {
                format!("rule {} ({})", i + 1, quote(&sanitize(&opened.name)))
            } else {
                ONE.to_string()
            };
            let (module, file_name) = opened
                .rel_path
                .split_once('/')
                .and_then(|(m, rest)| Some((m, rest.rsplit_once('/')?.1)))
                .ok_or_else(|| EditErrors(vec![format!("{label}: its file cannot be placed")]))?;
            if rule.module != module {
                return Err(EditErrors(vec![format!(
                    "{label}: module: {} → {}: a rule cannot move to another module",
                    module,
                    quote(&rule.module)
                )]));
            }
            let layout = rule.layout.as_deref().unwrap_or(ALL_LAYOUTS);
            let mut rel_path = format!("{module}/{layout}/{file_name}");
            let mut n = 2;
            while files.iter().any(|f| f.rel_path == rel_path) {
                rel_path = format!("{module}/{layout}/{n}-{file_name}");
                n += 1;
            }
            if let Some(entry) = sidecar.remove(&opened.rel_path) {
                sidecar.insert(rel_path.clone(), entry);
            }
            let contents = to_pretty(&rule).map_err(|e| EditErrors(vec![e.to_string()]))?;
            files.push(ExportFile {
                rel_path: rel_path.clone(),
                contents,
            });
            labels.push((rel_path, label));
        }
        let contents = to_pretty(&sidecar).map_err(|e| EditErrors(vec![e.to_string()]))?;
        files.push(ExportFile {
            rel_path: SIDECAR.to_string(),
            contents,
        });
        Ok((files, labels))
    }
}

/// One rule, which need not be in the org yet (a form's draft), as the text an editor shows.
pub fn rule_text(rule: &ScoringRule, snapshot: &OrgSnapshot) -> Result<String, TransferError> {
    let file = super::export::to_file(rule, snapshot)?;
    to_pretty(&file).map_err(|e| TransferError::invalid(WHOLE, "", format!("cannot write: {e}")))
}

/// `rule_text`'s text as edited, read and validated as the rule it describes (matched to the
/// org's rule of the same name, as `preview --file` reads a rule file); `None` when unchanged.
pub fn read_rule_text(
    opened: &str,
    edited: &str,
    snapshot: &OrgSnapshot,
) -> Result<Option<ScoringRule>, EditErrors> {
    if edited == opened {
        return Ok(None);
    }
    // The export format's shape first, so a wrong value is found with its line and column.
    let _: RuleFile = parse_json_opening(ONE, edited, '{', "a JSON object").map_err(lines)?;
    super::single::read_rule(ONE, edited, snapshot)
        .map(Some)
        .map_err(lines)
}

/// Each edited file's rel_path, with what errors call it.
type Labels = Vec<(String, String)>;

fn sidecar_of(files: &[ExportFile]) -> Result<Sidecar, TransferError> {
    files
        .iter()
        .find(|f| f.rel_path == SIDECAR)
        .map_or(Ok(Sidecar::new()), |f| {
            serde_json::from_str(&f.contents)
                .map_err(|e| TransferError::invalid(SIDECAR, "", e.to_string()))
        })
}

fn step_file(step: &Step, files: &[&String]) -> bool {
    match step {
        Step::Create { file, .. }
        | Step::Update { file, .. }
        | Step::Recreate { file, .. }
        | Step::Unchanged { file, .. } => files.contains(&file),
        Step::Delete { .. } => false,
    }
}

/// The org's rule a step changes, and the rule its requests leave, read back from them by the
/// domain (as the form's review reads its own request).
fn edited_rule(step: &Step, snapshot: &OrgSnapshot) -> Option<Result<EditedRule, String>> {
    let of = |id: &Id| snapshot.rules.iter().find(|r| r.id.as_ref() == Some(id));
    let unreadable = |v: Vec<crate::domain::Violation>| {
        v.first()
            .map_or_else(|| "the request is not valid".to_string(), |v| v.to_string())
    };
    let (before, after) = match step {
        Step::Update {
            rule_id,
            body,
            activate,
            ..
        } => {
            let before = of(rule_id)?;
            let after = parse_update(body)
                .and_then(|p| apply_patch(before, &p))
                .map(|p| p.rule)
                .map(|mut r| {
                    if let Some(active) = activate {
                        r.active = *active;
                    }
                    r
                });
            (before, after)
        }
        Step::Recreate {
            old_rule_id, body, ..
        } => (of(old_rule_id)?, parse_create(body)),
        _ => return None,
    };
    Some(
        after
            .map(|after| EditedRule {
                before: before.clone(),
                after,
            })
            .map_err(unreadable),
    )
}

fn lines(e: TransferError) -> EditErrors {
    EditErrors(e.errors().iter().map(|e| e.to_string()).collect())
}

/// Errors naming the edited files by what the user knows them as.
fn relabelled(e: &TransferError, labels: &[(String, String)]) -> EditErrors {
    EditErrors(
        e.errors()
            .iter()
            .map(|e| {
                let text = e.to_string();
                labels
                    .iter()
                    .find_map(|(path, label)| {
                        text.strip_prefix(path.as_str())
                            .map(|rest| format!("{label}{rest}"))
                    })
                    .unwrap_or(text)
            })
            .collect(),
    )
}
