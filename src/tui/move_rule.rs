//! Moving a rule to another layout of its module (`m`): the dialog and the words. The move
//! itself is `jobs::move_rule`, four journaled writes: create a copy in the target layout under
//! a temporary name (inactive), delete the original, rename the copy, and activate it if the
//! original was active. The dialog shows these steps before the one confirmation; a failure
//! names exactly which rules exist afterwards (`move_failure_text`). A layout Zoho would
//! refuse the copy for (it lacks a field the criteria use, or is full by the domain's
//! `check_capacity`) is refused up front, with the reason, and offers no move.

use super::action::Action;
use super::app::{App, Notice, Pane, Popup};
use super::effects::Effect;
use super::write_keys::limit_text;
use crate::display::sanitize;
use crate::domain::validate::{RuleContext, RuleSummary, check_capacity};
use crate::domain::{Id, ScoringRule};
pub use crate::jobs::move_rule::{MoveError, MoveRequest};
use crate::journal::writes::WriteError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub id: Id,
    pub api_name: String,
    pub label: String,
    /// Why Zoho would refuse the copy here (a field the criteria use is missing, or the
    /// layout is full): no move is offered.
    pub refusal: Option<String>,
    /// What the move will do differently here (arrive inactive), if anything.
    pub warning: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stage {
    Pick,
    Steps,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoveDialog {
    pub rule: Id,
    pub name: String,
    pub from: String,
    pub active: bool,
    pub custom_fields: usize,
    pub targets: Vec<Target>,
    pub cursor: usize,
    pub stage: Stage,
}

impl MoveDialog {
    pub fn target(&self) -> Option<&Target> {
        self.targets.get(self.cursor)
    }

    /// The steps the runner will take, as the dialog shows them.
    pub fn steps(&self) -> Vec<String> {
        let Some(t) = self.target() else {
            return Vec::new();
        };
        let name = sanitize(&self.name);
        let to = sanitize(&t.label);
        let mut steps = vec![
            format!("Create a copy of “{name}” in {to} under a temporary name, inactive"),
            match self.custom_fields {
                0 => format!("Delete the original from {}", sanitize(&self.from)),
                n => format!(
                    "Delete the original from {} (Zoho deletes its {n} custom field(s) and their values; the copy has new ones with the same labels)",
                    sanitize(&self.from)
                ),
            },
            format!("Rename the copy to “{name}”"),
        ];
        if self.active {
            steps.push("Activate it (the original is active)".into());
        }
        steps
    }
}

/// Labels of the fields the rule's criteria use that `layout` does not have (Zoho refuses a
/// rule whose criteria use a field outside its layout). A layout listed without its sections
/// cannot be checked, so nothing is reported for it.
fn missing_fields(
    rule: &ScoringRule,
    module: &crate::domain::ModuleSchema,
    layout: &crate::domain::metadata::Layout,
) -> Vec<String> {
    if layout.sections.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for f in &rule.field_rules {
        for c in f.criteria.conditions() {
            let name = &c.field.api_name;
            if layout.has_field(name) {
                continue;
            }
            let label = module
                .field(name)
                .map_or_else(|| name.clone(), |f| f.label().to_string());
            if !out.contains(&label) {
                out.push(label);
            }
        }
    }
    out
}

impl App {
    pub(crate) fn open_move(&mut self) {
        if !matches!(self.focus, Pane::Rules | Pane::Detail) {
            return;
        }
        let (Some(snap), Some(module), Some(rule)) =
            (&self.snapshot, self.current_module(), self.current_rule())
        else {
            return;
        };
        let Some(id) = rule.id.clone() else { return };
        let from_id = rule.layout_id().cloned();
        // The copy is created while the original exists; it is activated after the original
        // is deleted. Each step is judged as Zoho will judge it.
        let with_original: Vec<RuleSummary> = snap.rules.iter().map(RuleSummary::of).collect();
        let without_original: Vec<RuleSummary> = snap
            .rules
            .iter()
            .filter(|r| r.id.as_ref() != Some(&id))
            .map(RuleSummary::of)
            .collect();
        let ctx = |others| RuleContext {
            edition: snap.edition,
            schema: module,
            signals: &snap.signals,
            others,
        };
        let targets: Vec<Target> = module
            .layouts
            .iter()
            .filter(|l| Some(&l.id) != from_id.as_ref())
            .map(|l| {
                let missing = missing_fields(rule, module, l);
                let refusal = if !missing.is_empty() {
                    Some(format!(
                        "it lacks {}, which the rule's criteria use: Zoho refuses a rule whose criteria use a field outside its layout",
                        missing.join(", ")
                    ))
                } else {
                    check_capacity(Some(&l.id), false, true, &ctx(&with_original))
                        .map(|v| format!("it is full: {}", limit_text(&v)))
                };
                let warning = (refusal.is_none() && rule.active)
                    .then(|| check_capacity(Some(&l.id), true, false, &ctx(&without_original)))
                    .flatten()
                    .map(|v| format!("it will arrive inactive: {}", limit_text(&v)));
                Target {
                    id: l.id.clone(),
                    api_name: l.api_name().to_string(),
                    label: l.label().to_string(),
                    refusal,
                    warning,
                }
            })
            .collect();
        let from = match &from_id {
            Some(f) => module
                .layouts
                .iter()
                .find(|l| &l.id == f)
                .map_or_else(|| f.to_string(), |l| l.label().to_string()),
            None => crate::tui::select::ALL_LAYOUTS.to_string(),
        };
        if targets.is_empty() {
            self.notice = Some(Notice {
                text: "no other layout in this module to move the rule to".into(),
                error: true,
            });
            return;
        }
        self.popup = Some(Popup::Move(MoveDialog {
            rule: id,
            name: rule.name.clone(),
            from,
            active: rule.active,
            custom_fields: rule.custom_fields.len(),
            targets,
            cursor: 0,
            stage: Stage::Pick,
        }));
    }

    /// The dialog's keys: j / k pick, Enter shows the steps, y runs them.
    pub(crate) fn move_act(&mut self, action: &Action) -> Vec<Effect> {
        let Some(Popup::Move(d)) = &mut self.popup else {
            return Vec::new();
        };
        match (action, &d.stage) {
            (Action::SelectNext, Stage::Pick) => {
                d.cursor = (d.cursor + 1).min(d.targets.len().saturating_sub(1));
            }
            (Action::SelectPrev, Stage::Pick) => d.cursor = d.cursor.saturating_sub(1),
            (Action::Open, Stage::Pick) => d.stage = Stage::Steps,
            // A refused target shows why; there is nothing to confirm.
            (Action::Confirm, Stage::Steps) if d.target().is_some_and(|t| t.refusal.is_none()) => {
                return self.start_move();
            }
            _ => {}
        }
        Vec::new()
    }

    fn start_move(&mut self) -> Vec<Effect> {
        let Some(Popup::Move(d)) = self.popup.take() else {
            return Vec::new();
        };
        let Some(t) = d.target().cloned() else {
            return Vec::new();
        };
        let request = self.request_id();
        self.change_requests.push(request);
        self.notice = Some(Notice {
            text: format!("moving “{}” to {}…", sanitize(&d.name), sanitize(&t.label)),
            error: false,
        });
        vec![Effect::MoveRule {
            request,
            req: MoveRequest {
                rule: d.rule,
                name: d.name,
                from: d.from,
                target: t.id,
                target_api_name: t.api_name,
                target_label: t.label,
            },
        }]
    }
}

/// The status bar's words for a move that went through.
pub fn moved_text(req: &MoveRequest, copy: &Id) -> String {
    format!(
        "moved “{}” from {} to {} (now rule {copy}; u undoes)",
        sanitize(&req.name),
        sanitize(&req.from),
        sanitize(&req.target_label)
    )
}

/// The status bar's words for a move that stopped: which step, and what exists now, so
/// nothing is lost silently.
pub fn move_failure_text(req: &MoveRequest, e: &MoveError) -> String {
    let name = sanitize(&req.name);
    let to = sanitize(&req.target_label);
    let from = sanitize(&req.from);
    match e {
        MoveError::Gone => format!("not moved: “{name}” no longer exists; nothing changed"),
        MoveError::Unreadable(e) => format!(
            "not moved: cannot read “{name}”: {}; nothing changed",
            sanitize(&e.to_string())
        ),
        MoveError::CopyRefused(z) => format!(
            "not moved: the copy in {to} was refused: {}; nothing changed, “{name}” is still in {from}",
            sanitize(&format!("{} ({})", z.message, z.code))
        ),
        MoveError::CopyFailed { temp, error } => format!(
            "not moved: creating the copy in {to} failed: {}; “{name}” is still in {from} (check {to} for a rule named {temp})",
            text(error)
        ),
        MoveError::NoCopyId { temp } => format!(
            "not moved: Zoho did not say the copy's id; “{name}” is still in {from}, and {to} may hold a copy named {temp}"
        ),
        MoveError::DeleteFailed { temp, copy, error } => format!(
            "move stopped: deleting the original failed: {}. Both rules exist now: “{name}” in {from}, and its inactive copy “{temp}” (rule {copy}) in {to}; delete the copy or retry",
            text(error)
        ),
        MoveError::RenameFailed { temp, copy, error } => format!(
            "move stopped: the original is deleted and the rule exists only as the inactive copy “{temp}” (rule {copy}) in {to}; renaming it to “{name}” failed: {}; rename it (u undoes the move)",
            text(error)
        ),
        MoveError::ActivateFailed { copy, error } => format!(
            "moved “{name}” to {to} (rule {copy}), but activating it failed: {}; it is inactive there",
            text(error)
        ),
    }
}

fn text(e: &WriteError) -> String {
    match e {
        WriteError::Api(a) => match a.zoho() {
            Some(z) => sanitize(&format!("{} ({})", z.message, z.code)),
            None => sanitize(&a.to_string()),
        },
        other => sanitize(&other.to_string()),
    }
}
