//! The plan dialog of a change to the marked rules: which way to toggle when the marks are
//! mixed, then every step of the plan and the limit that stops part of it, with its choices as
//! keys (`y` all, `f` the first that fit, Esc cancel; a delete is confirmed by typing
//! `delete`), then the progress (n / N answered) and what exists now.

use crate::bulk::report::StepState;
use crate::bulk::{BulkEvent, Operation, Plan, Report, render};
use crate::display::sanitize;
use crate::domain::{OrgSnapshot, ScoringRule};
use crate::tui::app::{App, Notice, Popup};
use crate::tui::effects::Effect;

/// What a bulk delete's confirmation wants typed.
pub const DELETE_WORD: &str = "delete";

#[derive(Clone, Debug, PartialEq)]
pub enum Stage {
    /// `a` on marks both active and inactive: which way (`a` activate, `d` deactivate).
    Choose { active: usize, inactive: usize },
    /// The plan, waiting for a yes.
    Plan,
    /// Sent: each step's state as the run reports it.
    Sending {
        request: u64,
        states: Vec<StepState>,
        checking: bool,
    },
    /// The run's report: one line per step and the summary.
    Done { summary: String, ok: bool },
}

#[derive(Clone, Debug, PartialEq)]
pub struct BulkDialog {
    pub title: String,
    pub stage: Stage,
    pub plan: Option<Plan>,
    /// The plan's lines (`bulk::render`), then the report's once it is done: worked out when
    /// the plan or the report changes, not per frame.
    pub lines: Vec<String>,
    /// What is typed to confirm a delete.
    pub typed: String,
    pub scroll: u16,
}

impl BulkDialog {
    pub fn choose(active: usize, inactive: usize) -> BulkDialog {
        BulkDialog {
            title: "Activate or deactivate".into(),
            stage: Stage::Choose { active, inactive },
            plan: None,
            lines: Vec::new(),
            typed: String::new(),
            scroll: 0,
        }
    }

    pub fn plan(op: Operation, rules: &[&ScoringRule], snap: &OrgSnapshot) -> BulkDialog {
        let plan = Plan::build(op, rules, snap);
        let mut lines = render::plan_lines(&plan, snap);
        // The limit heads the dialog, wrapped whole; its line at the plan's end would repeat it.
        if plan.limit.is_some() {
            lines.pop();
        }
        let mut title = plan.label(plan.steps.len());
        if let Some(first) = title.get(..1) {
            title = first.to_uppercase() + &title[1..];
        }
        BulkDialog {
            title,
            stage: Stage::Plan,
            lines,
            plan: Some(plan),
            typed: String::new(),
            scroll: 0,
        }
    }

    /// A delete waiting for `delete` typed.
    pub fn needs_typing(&self) -> bool {
        self.stage == Stage::Plan
            && self
                .plan
                .as_ref()
                .is_some_and(|p| p.op == Operation::Delete)
    }

    /// The keys the dialog offers now, as its bottom line says them.
    pub fn keys(&self) -> String {
        match &self.stage {
            Stage::Choose { .. } => {
                "a activate the inactive · d deactivate the active · Esc cancel".into()
            }
            Stage::Plan => {
                let Some(plan) = &self.plan else {
                    return "Esc close".into();
                };
                let can = plan.sendable();
                let verb = plan.op.verb();
                if can == 0 {
                    "nothing can be sent · Esc close".into()
                } else if self.needs_typing() {
                    format!("type “{DELETE_WORD}”, then Enter deletes {can} · Esc cancel")
                } else if can < plan.steps.len() {
                    format!("f {verb} the first {can} · n or Esc cancel")
                } else {
                    format!("y {verb} {can} · n or Esc cancel")
                }
            }
            Stage::Sending { .. } => {
                "Esc hides this (the sending goes on; the status bar tells how it ends)".into()
            }
            Stage::Done { .. } => "Esc close · u undoes the whole change".into(),
        }
    }

    /// `answered / total`, while sending.
    pub fn progress(&self) -> Option<(usize, usize)> {
        let Stage::Sending { states, .. } = &self.stage else {
            return None;
        };
        let done = states
            .iter()
            .filter(|s| !matches!(s, StepState::Queued | StepState::Sending))
            .count();
        Some((done, states.len()))
    }
}

impl App {
    /// `a` / `d` in the question of a mixed `a`.
    pub(crate) fn bulk_choose(&mut self, activate: bool) -> Vec<Effect> {
        if let Some(Popup::Bulk(d)) = &self.popup
            && matches!(d.stage, Stage::Choose { .. })
        {
            self.open_plan(if activate {
                Operation::Activate
            } else {
                Operation::Deactivate
            });
        }
        Vec::new()
    }

    /// `y` (or Enter after the typed word): send every step, when the limits let all through.
    pub(crate) fn bulk_confirm(&mut self) -> Vec<Effect> {
        let Some(Popup::Bulk(d)) = &self.popup else {
            return Vec::new();
        };
        let Some(plan) = d.plan.as_ref().filter(|_| d.stage == Stage::Plan) else {
            return Vec::new();
        };
        if d.needs_typing() && d.typed.trim() != DELETE_WORD {
            self.notice = Some(Notice {
                text: format!("type “{DELETE_WORD}” to delete the rules listed (Esc cancels)"),
                error: true,
            });
            return Vec::new();
        }
        if plan.sendable() < plan.steps.len() {
            // The limit's choice is its own key, so a reflex `y` never sends part of a plan.
            self.notice = Some(Notice {
                text: match plan.sendable() {
                    0 => "nothing can be sent: the plan says why (Esc closes)".into(),
                    n => format!(
                        "the limits let only the first {n} through: f sends them, Esc cancels"
                    ),
                },
                error: true,
            });
            return Vec::new();
        }
        let count = plan.steps.len();
        self.bulk_send(count)
    }

    /// `f`: send the first steps the limits let through.
    pub(crate) fn bulk_send_first(&mut self) -> Vec<Effect> {
        let Some(Popup::Bulk(d)) = &self.popup else {
            return Vec::new();
        };
        let Some(plan) = d.plan.as_ref().filter(|_| d.stage == Stage::Plan) else {
            return Vec::new();
        };
        if d.needs_typing() {
            return Vec::new();
        }
        match plan.sendable() {
            0 => Vec::new(),
            n => self.bulk_send(n),
        }
    }

    fn bulk_send(&mut self, count: usize) -> Vec<Effect> {
        let request = self.request_id();
        let Some(Popup::Bulk(d)) = &mut self.popup else {
            return Vec::new();
        };
        let Some(plan) = d.plan.clone() else {
            return Vec::new();
        };
        if count == 0 {
            return Vec::new();
        }
        self.change_requests.push(request);
        d.stage = Stage::Sending {
            request,
            states: vec![StepState::Queued; count],
            checking: false,
        };
        self.notice = Some(Notice {
            text: format!("{}: 0 / {count} answered…", plan.label(count)),
            error: false,
        });
        vec![Effect::Bulk {
            request,
            plan: Box::new(plan),
            count,
        }]
    }

    /// A step's state, or the run checking what exists now.
    pub(crate) fn bulk_event(&mut self, request: u64, event: BulkEvent) {
        let Some(Popup::Bulk(d)) = &mut self.popup else {
            return;
        };
        let Stage::Sending {
            request: r,
            states,
            checking,
        } = &mut d.stage
        else {
            return;
        };
        if *r != request {
            return;
        }
        match event {
            BulkEvent::Step { index, state } => {
                if let Some(s) = states.get_mut(index) {
                    *s = state;
                }
            }
            BulkEvent::Checking => *checking = true,
        }
        if let (Some((done, total)), Some(plan)) = (d.progress(), &d.plan) {
            self.notice = Some(Notice {
                text: format!("{}: {done} / {total} answered…", plan.label(total)),
                error: false,
            });
        }
    }

    /// The run ended: its report in the dialog (if still open) and its summary in the status
    /// bar; the org is read again to show what exists now.
    pub(crate) fn bulk_done(
        &mut self,
        request: u64,
        result: Result<Report, String>,
    ) -> Vec<Effect> {
        let Some(i) = self.change_requests.iter().position(|r| *r == request) else {
            return Vec::new();
        };
        self.change_requests.remove(i);
        let (summary, lines, ok) = match result {
            Ok(report) => {
                let op = match &self.popup {
                    Some(Popup::Bulk(d)) => d.plan.as_ref().map(|p| p.op.clone()),
                    _ => None,
                };
                let lines = op.map(|op| report.lines(&op)).unwrap_or_default();
                let mut summary = report.summary();
                if report.applied() > 0 {
                    summary.push_str("; u undoes it here");
                }
                (summary, lines, report.all_applied())
            }
            Err(e) => (
                format!("nothing was sent: {}", sanitize(&e)),
                Vec::new(),
                false,
            ),
        };
        if let Some(Popup::Bulk(d)) = &mut self.popup
            && matches!(&d.stage, Stage::Sending { request: r, .. } if *r == request)
        {
            d.lines = lines.iter().map(|l| l.replace('\t', "  ")).collect();
            d.scroll = 0;
            d.stage = Stage::Done {
                summary: summary.clone(),
                ok,
            };
        }
        self.notice = Some(Notice {
            text: summary,
            error: !ok,
        });
        vec![self.load()]
    }
}
