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

/// A rule the dialog moves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moving {
    pub id: Id,
    pub name: String,
    pub active: bool,
    pub custom_fields: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoveDialog {
    /// The rule under the cursor, or the marked rules (all from one layout), in list order.
    pub rules: Vec<Moving>,
    pub from: String,
    pub targets: Vec<Target>,
    pub cursor: usize,
    pub stage: Stage,
}

impl MoveDialog {
    pub fn target(&self) -> Option<&Target> {
        self.targets.get(self.cursor)
    }

    /// What the dialog moves, sanitized: “Enterprise Fit”, or "3 marked rules".
    pub fn subject(&self) -> String {
        match self.rules.as_slice() {
            [one] => format!("“{}”", sanitize(&one.name)),
            many => format!("{} marked rules", many.len()),
        }
    }

    /// The steps the runner will take, as the dialog shows them.
    pub fn steps(&self) -> Vec<String> {
        let Some(t) = self.target() else {
            return Vec::new();
        };
        let to = sanitize(&t.label);
        let from = sanitize(&self.from);
        let custom_fields: usize = self.rules.iter().map(|r| r.custom_fields).sum();
        let deletes = match custom_fields {
            0 => format!("Delete the original from {from}"),
            n => format!(
                "Delete the original from {from} (Zoho deletes its {n} custom field(s) and their values; the copy has new ones with the same labels)"
            ),
        };
        if let [one] = self.rules.as_slice() {
            let name = sanitize(&one.name);
            let mut steps = vec![
                format!("Create a copy of “{name}” in {to} under a temporary name, inactive"),
                deletes,
                format!("Rename the copy to “{name}”"),
            ];
            if one.active {
                steps.push("Activate it (the original is active)".into());
            }
            return steps;
        }
        let active = self.rules.iter().filter(|r| r.active).count();
        let mut steps = vec![
            format!("Create its copy in {to} under a temporary name, inactive"),
            deletes.replace("custom field(s)", "custom field(s) in all"),
            "Rename the copy to the original's name".to_string(),
        ];
        let n = self.rules.len();
        let which = match (active, n) {
            (0, _) => None,
            (2, 2) => Some("both are".to_string()),
            (a, n) if a == n => Some(format!("all {n} are")),
            (a, n) => Some(format!("{a} of the {n} are")),
        };
        if let Some(which) = which {
            steps.push(format!("Activate it if the original was active ({which})"));
        }
        steps
    }

    /// For several rules: the order they go in, each through every step before the next.
    pub fn order(&self) -> Option<String> {
        if self.rules.len() < 2 {
            return None;
        }
        let names: Vec<String> = self
            .rules
            .iter()
            .map(|r| format!("“{}”", sanitize(&r.name)))
            .collect();
        Some(format!(
            "One rule at a time, each through these steps, in this order: {}. A step that fails stops the rest.",
            names.join(", ")
        ))
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

/// Whether the rules can go to `layout`, moved one after another as `jobs::move_rule` does:
/// why Zoho would refuse a copy there (a field the criteria use is missing, or the layout
/// fills up), else what the limits will do (some arrive inactive). Each step is judged as Zoho
/// will judge it: the copy is created while its original exists, activated once it is gone.
fn judge(
    rules: &[&ScoringRule],
    snap: &crate::domain::OrgSnapshot,
    module: &crate::domain::ModuleSchema,
    layout: &crate::domain::metadata::Layout,
) -> (Option<String>, Option<String>) {
    let mut missing: Vec<String> = Vec::new();
    for rule in rules {
        for label in missing_fields(rule, module, layout) {
            if !missing.contains(&label) {
                missing.push(label);
            }
        }
    }
    let whose = if rules.len() == 1 { "rule's" } else { "rules'" };
    if !missing.is_empty() {
        return (
            Some(format!(
                "it lacks {}, which the {whose} criteria use: Zoho refuses a rule whose criteria use a field outside its layout",
                missing.join(", ")
            )),
            None,
        );
    }
    let mut org: Vec<RuleSummary> = snap.rules.iter().map(RuleSummary::of).collect();
    let mut inactive = 0;
    let mut why_inactive = None;
    for (i, rule) in rules.iter().enumerate() {
        if let Some(v) = check_capacity(Some(&layout.id), false, true, &context(snap, module, &org))
        {
            let full = match i {
                0 => format!("it is full: {}", limit_text(&v)),
                fit => format!("only {fit} of the {} fit: {}", rules.len(), limit_text(&v)),
            };
            return (Some(full), None);
        }
        org.retain(|o| Some(&o.id) != rule.id.as_ref());
        let mut copy = RuleSummary::of(rule);
        copy.id = Id::new(format!("moving-{i}"));
        copy.layout = Some(layout.id.clone());
        copy.active = false;
        if rule.active {
            match check_capacity(Some(&layout.id), true, false, &context(snap, module, &org)) {
                Some(v) => {
                    inactive += 1;
                    why_inactive.get_or_insert_with(|| limit_text(&v));
                }
                None => copy.active = true,
            }
        }
        org.push(copy);
    }
    let warning = why_inactive.map(|why| match rules.len() {
        1 => format!("it will arrive inactive: {why}"),
        n => format!("{inactive} of the {n} will arrive inactive: {why}"),
    });
    (None, warning)
}

fn context<'a>(
    snap: &'a crate::domain::OrgSnapshot,
    module: &'a crate::domain::ModuleSchema,
    others: &'a [RuleSummary],
) -> RuleContext<'a> {
    RuleContext {
        edition: snap.edition,
        schema: module,
        signals: &snap.signals,
        others,
    }
}

impl App {
    /// `m`: the move dialog for the rule under the cursor, or for the marked rules (from one
    /// layout of one module: a layout belongs to its module).
    pub(crate) fn open_move(&mut self) {
        if !matches!(self.focus, Pane::Rules | Pane::Detail) {
            return;
        }
        let Some(snap) = &self.snapshot else { return };
        let rules: Vec<&ScoringRule> = if self.marks.is_empty() {
            self.current_rule().into_iter().collect()
        } else {
            self.marks.rules(snap)
        };
        let Some(first) = rules.first() else { return };
        let places: std::collections::BTreeSet<(&str, Option<&Id>)> = rules
            .iter()
            .map(|r| (r.module.api_name.as_str(), r.layout_id()))
            .collect();
        if places.len() > 1 {
            self.notice = Some(Notice {
                text: format!(
                    "the {} marked rules are in {} layouts: a move takes rules from one layout of one module (Esc clears the marks)",
                    rules.len(),
                    places.len()
                ),
                error: true,
            });
            return;
        }
        let Some(module) = snap.module(&first.module.api_name) else {
            return;
        };
        let from_id = first.layout_id().cloned();
        let targets: Vec<Target> = module
            .layouts
            .iter()
            .filter(|l| Some(&l.id) != from_id.as_ref())
            .map(|l| {
                let (refusal, warning) = judge(&rules, snap, module, l);
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
        let rules = rules
            .iter()
            .filter_map(|r| {
                Some(Moving {
                    id: r.id.clone()?,
                    name: r.name.clone(),
                    active: r.active,
                    custom_fields: r.custom_fields.len(),
                })
            })
            .collect();
        self.popup = Some(Popup::Move(MoveDialog {
            rules,
            from,
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
            text: format!("moving {} to {}…", d.subject(), sanitize(&t.label)),
            error: false,
        });
        let mut reqs: Vec<MoveRequest> = d
            .rules
            .into_iter()
            .map(|r| MoveRequest {
                rule: r.id,
                name: r.name,
                from: d.from.clone(),
                target: t.id.clone(),
                target_api_name: t.api_name.clone(),
                target_label: t.label.clone(),
            })
            .collect();
        if reqs.len() == 1
            && let Some(req) = reqs.pop()
        {
            return vec![Effect::MoveRule { request, req }];
        }
        vec![Effect::MoveRules { request, reqs }]
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

/// The status bar's words for several rules moved.
pub fn moved_all_text(reqs: &[MoveRequest]) -> String {
    let (from, to) = reqs.first().map_or_else(Default::default, |r| {
        (sanitize(&r.from), sanitize(&r.target_label))
    });
    format!(
        "moved {} rules from {from} to {to} (u undoes the whole move)",
        reqs.len()
    )
}

/// The status bar's words for a move of several rules that stopped at `reqs[moved]`: the
/// ones before it moved, the ones after it were not tried.
pub fn moved_some_text(reqs: &[MoveRequest], moved: usize, e: &MoveError) -> String {
    let Some(req) = reqs.get(moved) else {
        return moved_all_text(reqs);
    };
    let untried = reqs.len() - moved - 1;
    format!(
        "moved {moved} of {} rules to {}; then {}{}",
        reqs.len(),
        sanitize(&req.target_label),
        move_failure_text(req, e),
        match (untried, moved) {
            (0, 0) => String::new(),
            (0, _) => " (u undoes the ones moved)".to_string(),
            (n, 0) => format!("; the other {n} were not tried"),
            (n, _) => format!("; the other {n} were not tried (u undoes the ones moved)"),
        }
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
