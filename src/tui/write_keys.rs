//! The one-key writes: `a` (de)activates the selected rule, `c` clones it, `x` executes it and
//! `X` every active rule of the layout. None of them sends at once when it would be refused or
//! reach further than the key suggests: activating and cloning are first checked against the
//! layout's and the module's limits with the domain's `check_capacity` (what the sandbox and
//! the rule form judge by), and a limit that would be hit is named before anything is sent;
//! `c` (Zoho makes every clone active), `x` and `X` (records re-scored, workflows that may
//! fire) then ask, naming their blast radius, unless the profile turned confirmations off
//! (`confirm = false`; the built-in sandbox's default).

use super::action::Scope;
use super::app::{App, Notice, Pane, Popup};
use super::effects::Effect;
use super::exec::ExecRun;
use super::exec_task::VerifyInput;
use crate::display::sanitize;
use crate::domain::validate::check_capacity;
use crate::domain::{Id, ScoringRule, Violation};
use crate::jobs::execute::ExecPlan;

/// A write waiting for its `y`.
#[derive(Clone, Debug, PartialEq)]
pub enum PendingWrite {
    Clone { rule: Id, name: String },
    Execute { plan: ExecPlan, title: String },
}

/// The confirmation of a write: what it does, to what, and what follows from it.
#[derive(Clone, Debug, PartialEq)]
pub struct WriteConfirm {
    pub title: String,
    /// The question, then what it reaches: rules, module, records, side effects.
    pub lines: Vec<String>,
    /// `y execute · n or Esc cancel`.
    pub keys: String,
    pub write: PendingWrite,
}

/// What Zoho re-scores when rules are executed, and what may follow. Zoho documents the six
/// months; the workflows are the org's own.
pub(crate) const EXECUTE_REACH: &str = "Only records created or active in the last six months are re-scored; workflows that use scores may fire.";

/// A limit the write would hit, as the status line says it: `layout “Standard” already has 5
/// active rules; the Enterprise edition allows 5 (ACTIVE_STATE_LIMIT_EXCEEDED)`.
pub fn limit_text(v: &Violation) -> String {
    format!("{} ({})", sanitize(&v.hint), v.code)
}

impl App {
    /// Would `rule` hit a limit by becoming active (`adds_rule`: as a new rule, a clone)?
    /// Judged by the domain against the loaded org; `None` when it fits or cannot be judged.
    fn limit_hit(&self, rule: &ScoringRule, adds_rule: bool) -> Option<Violation> {
        let snap = self.snapshot.as_ref()?;
        let schema = snap.module(&rule.module.api_name)?;
        // A clone is a new rule: every loaded rule counts. An activation: every rule but it.
        let others = snap.summaries_where(|r| adds_rule || r.id != rule.id);
        check_capacity(
            rule.layout_id(),
            true,
            adds_rule,
            &snap.rule_context(schema, &others),
        )
    }

    /// "Leads / Standard", or "Leads / every layout" for a rule without one.
    fn placement(&self, rule: &ScoringRule) -> String {
        let snap = self.snapshot.as_ref();
        let schema = snap.and_then(|s| s.module(&rule.module.api_name));
        let module = schema.map_or(rule.module.api_name.as_str(), super::select::module_label);
        let layout = match rule.layout_id() {
            None => "every layout".to_string(),
            Some(id) => schema
                .and_then(|s| s.layout(id))
                .map_or_else(|| id.to_string(), |l| l.label().to_string()),
        };
        sanitize(&format!("{module} / {layout}"))
    }

    pub(crate) fn toggle_active(&mut self) -> Vec<Effect> {
        if !matches!(self.focus, Pane::Rules | Pane::Detail) {
            return Vec::new();
        }
        let Some(rule) = self.current_rule() else {
            return Vec::new();
        };
        let Some(id) = rule.id.clone() else {
            return Vec::new();
        };
        let (name, active) = (rule.name.clone(), rule.active);
        if !active && let Some(v) = self.limit_hit(rule, false) {
            self.notice = Some(Notice {
                text: format!(
                    "not activated, nothing sent: {}; deactivate or delete another rule first — “{}”",
                    limit_text(&v),
                    sanitize(&rule.name)
                ),
                error: true,
            });
            return Vec::new();
        }
        let request = self.request_id();
        self.change_requests.push(request);
        let verb = if active { "deactivating" } else { "activating" };
        self.notice = Some(Notice {
            text: format!("{verb} “{}”…", sanitize(&name)),
            error: false,
        });
        vec![Effect::SetActive {
            request,
            rule: id,
            name,
            active: !active,
        }]
    }

    pub(crate) fn clone_rule(&mut self) -> Vec<Effect> {
        if !matches!(self.focus, Pane::Rules | Pane::Detail) {
            return Vec::new();
        }
        let Some(rule) = self.current_rule() else {
            return Vec::new();
        };
        let Some(id) = rule.id.clone() else {
            return Vec::new();
        };
        if let Some(v) = self.limit_hit(rule, true) {
            self.notice = Some(Notice {
                text: format!(
                    "not cloned, nothing sent: {}; clones start active, so deactivate or delete a rule there first — “{}”",
                    limit_text(&v),
                    sanitize(&rule.name)
                ),
                error: true,
            });
            return Vec::new();
        }
        let name = rule.name.clone();
        let write = PendingWrite::Clone {
            rule: id,
            name: name.clone(),
        };
        if !self.confirm_writes {
            return self.send(write);
        }
        let mut lines = vec![
            format!("Clone “{}”?", sanitize(&name)),
            format!(
                "The copy goes into {} under a name Zoho picks, and starts active: Zoho makes every clone active, so it scores records alongside the original from then on.",
                self.placement(rule)
            ),
        ];
        if !rule.custom_fields.is_empty() {
            lines.push("Its custom fields are not copied.".into());
        }
        self.popup = Some(Popup::ConfirmWrite(WriteConfirm {
            title: "Clone rule".into(),
            lines,
            keys: "y clone · n or Esc cancel".into(),
            write,
        }));
        Vec::new()
    }

    pub(crate) fn execute(&mut self, scope: Scope) -> Vec<Effect> {
        let all = scope == Scope::Layout;
        if !matches!(self.focus, Pane::Rules | Pane::Detail) {
            return Vec::new();
        }
        let Some(module) = self.current_module() else {
            return Vec::new();
        };
        let module_label = sanitize(super::select::module_label(module));
        let module_name = module.module.api_name.clone();
        let rules: Vec<&ScoringRule> = if all {
            self.rules().into_iter().filter(|r| r.active).collect()
        } else {
            self.current_rule().into_iter().collect()
        };
        let ids: Vec<Id> = rules.iter().filter_map(|r| r.id.clone()).collect();
        if ids.is_empty() {
            self.notice = Some(Notice {
                text: "no active rules to execute here".into(),
                error: true,
            });
            return Vec::new();
        }
        let names: Vec<String> = rules.iter().map(|r| sanitize(&r.name)).collect();
        let layout = self
            .current_layout()
            .map(|l| sanitize(&l.label))
            .unwrap_or_default();
        let (title, question, they) = if all {
            (
                format!("{} active rule(s) of {layout}", ids.len()),
                format!(
                    "Execute the {} active rule(s) of {module_label} / {layout}?",
                    ids.len()
                ),
                "they apply",
            )
        } else {
            let name = names.first().cloned().unwrap_or_default();
            let place = rules.first().map(|r| self.placement(r)).unwrap_or_default();
            (
                format!("“{name}”"),
                format!("Execute “{name}” ({place})?"),
                "it applies",
            )
        };
        let write = PendingWrite::Execute {
            plan: ExecPlan::rules(&module_name, &ids),
            title: format!("Executing {title}"),
        };
        if !self.confirm_writes {
            return self.send(write);
        }
        self.popup = Some(Popup::ConfirmWrite(WriteConfirm {
            title: "Execute rules".into(),
            lines: vec![
                question,
                format!("Rules: {}.", names.join(", ")),
                format!("Zoho re-scores the {module_label} records {they} to. {EXECUTE_REACH}"),
            ],
            keys: "y execute · n or Esc cancel".into(),
            write,
        }));
        Vec::new()
    }

    /// `y` in a write's confirmation: send it.
    pub(crate) fn confirm_write(&mut self) -> Vec<Effect> {
        let Some(Popup::ConfirmWrite(c)) = self.popup.take() else {
            return Vec::new();
        };
        self.send(c.write)
    }

    pub(crate) fn send(&mut self, write: PendingWrite) -> Vec<Effect> {
        let request = self.request_id();
        self.change_requests.push(request);
        match write {
            PendingWrite::Clone { rule, name } => {
                self.notice = Some(Notice {
                    text: format!("cloning “{}”…", sanitize(&name)),
                    error: false,
                });
                vec![Effect::CloneRule {
                    request,
                    rule,
                    name,
                }]
            }
            PendingWrite::Execute { plan, title } => {
                self.popup = Some(Popup::Execute(ExecRun::new(
                    request,
                    title,
                    plan.chunks.len(),
                )));
                let verify = self.verify_input(&plan).map(Box::new);
                vec![Effect::Execute {
                    request,
                    plan,
                    verify,
                }]
            }
        }
    }

    /// What predicting the execution's scores needs, from the org as loaded: the module's
    /// schema and the rules the plan runs (`None` when the snapshot lacks them; then the
    /// execution is not verified).
    fn verify_input(&self, plan: &ExecPlan) -> Option<VerifyInput> {
        let snapshot = self.snapshot.as_ref()?;
        let schema = snapshot.module(&plan.module)?.clone();
        let rules = crate::jobs::verify::rules_in_scope(plan, snapshot).ok()?;
        Some(VerifyInput { schema, rules })
    }
}
