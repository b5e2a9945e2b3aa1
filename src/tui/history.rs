//! Undo and history on screen, both read from the change journal. Every write the TUI sends
//! goes through `JournaledClient`, and the runner records each user action's entries as one
//! group of this session (`journal::session`, which also carries the undo out). `u` undoes the
//! last group: first a confirmation shows what each revert will change (the write read
//! backwards), then the entries are reverted newest first. `H` lists the selected rule's
//! entries in a scrollable popup, each with its outcome and, if it took effect, what it
//! changed. The words come from `journal::describe`, as in `zscore history`; `App` writes them
//! when the entries arrive.

use super::action::Action;
use super::app::{App, Notice, Pane, Popup};
use super::effects::Effect;
use super::outcome::Failure;
use crate::display::sanitize;
use crate::domain::OrgSnapshot;
use crate::journal::Entry;
use crate::journal::describe::{self, Outcome};
pub use crate::journal::session::UndoTarget;
use crate::rule_diff::DiffLine;

/// One entry's revert, for the confirmation: what it does and what it changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UndoStep {
    pub head: String,
    pub diff: Vec<DiffLine>,
}

/// What `u` would do, for the confirmation: the reverts newest first, as they will run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UndoPlan {
    pub group: u64,
    pub title: String,
    pub steps: Vec<UndoStep>,
}

impl UndoPlan {
    pub fn of(target: UndoTarget, snapshot: Option<&OrgSnapshot>) -> UndoPlan {
        let steps = target
            .entries
            .iter()
            .rev()
            .map(|e| UndoStep {
                head: format!("#{} {}", e.seq, describe::revert_text(e)),
                diff: describe::revert_changes(e, snapshot),
            })
            .collect();
        UndoPlan {
            group: target.group,
            title: target.label,
            steps,
        }
    }
}

/// The undo confirmation; `plan` is `None` while the journal is being read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UndoConfirm {
    pub request: u64,
    pub plan: Option<UndoPlan>,
}

/// One journal entry as `H` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryItem {
    pub seq: u64,
    pub time: String,
    /// `edit “Inbound Demand”`.
    pub action: String,
    /// `applied`, `refused: CODE (…)`, `outcome unknown: …`.
    pub outcome: String,
    /// `Some(true)` applied, `Some(false)` refused, `None` unknown: the outcome's colour.
    pub ok: Option<bool>,
    /// What it changed; empty unless it took effect.
    pub diff: Vec<DiffLine>,
}

impl HistoryItem {
    pub fn of(e: &Entry, snapshot: Option<&OrgSnapshot>) -> HistoryItem {
        let outcome = Outcome::of(e);
        HistoryItem {
            seq: e.seq,
            time: sanitize(&e.time),
            action: describe::action(e),
            outcome: outcome.text(),
            ok: match outcome {
                Outcome::Applied => Some(true),
                Outcome::Refused { .. } => Some(false),
                Outcome::Unknown { .. } => None,
            },
            diff: describe::changes(e, snapshot),
        }
    }
}

/// The history popup; `items` is `None` while the journal is being read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryView {
    pub request: u64,
    pub title: String,
    pub items: Option<Vec<HistoryItem>>,
    pub scroll: u16,
    /// Rows the popup shows, as of the last update: a page for PgUp / PgDn.
    pub visible: u16,
}

impl App {
    pub(crate) fn ask_undo(&mut self) -> Vec<Effect> {
        let request = self.request_id();
        self.popup = Some(Popup::ConfirmUndo(UndoConfirm {
            request,
            plan: None,
        }));
        vec![Effect::PrepareUndo { request }]
    }

    pub(crate) fn undo_ready(&mut self, request: u64, result: Result<UndoTarget, Failure>) {
        let Some(Popup::ConfirmUndo(c)) = &mut self.popup else {
            return;
        };
        if c.request != request {
            return;
        }
        match result {
            Ok(target) => c.plan = Some(UndoPlan::of(target, self.snapshot.as_ref())),
            Err(e) => {
                self.popup = None;
                self.notice = Some(Notice {
                    text: e.text(),
                    error: true,
                });
            }
        }
    }

    pub(crate) fn confirm_undo(&mut self) -> Vec<Effect> {
        let Some(Popup::ConfirmUndo(UndoConfirm {
            plan: Some(plan), ..
        })) = &self.popup
        else {
            return Vec::new();
        };
        let group = plan.group;
        let title = plan.title.clone();
        self.popup = None;
        let request = self.request_id();
        self.change_requests.push(request);
        self.notice = Some(Notice {
            text: format!("undoing {title}…"),
            error: false,
        });
        vec![Effect::Undo { request, group }]
    }

    pub(crate) fn show_history(&mut self) -> Vec<Effect> {
        if !matches!(self.focus, Pane::Rules | Pane::Detail) {
            return Vec::new();
        }
        let Some((rule, name)) = self
            .current_rule()
            .and_then(|r| Some((r.id.clone()?, r.name.clone())))
        else {
            return Vec::new();
        };
        let request = self.request_id();
        self.popup = Some(Popup::History(HistoryView {
            request,
            title: format!("History of “{}”", sanitize(&name)),
            items: None,
            scroll: 0,
            visible: 0,
        }));
        vec![Effect::LoadHistory {
            request,
            rule,
            name,
        }]
    }

    pub(crate) fn history_loaded(&mut self, request: u64, result: Result<Vec<Entry>, Failure>) {
        let Some(Popup::History(h)) = &mut self.popup else {
            return;
        };
        if h.request != request {
            return;
        }
        match result {
            Ok(entries) => {
                let snapshot = self.snapshot.as_ref();
                h.items = Some(
                    entries
                        .iter()
                        .map(|e| HistoryItem::of(e, snapshot))
                        .collect(),
                );
            }
            Err(e) => {
                self.popup = None;
                let why = match e {
                    Failure::NoJournal => "the change journal is not open".to_string(),
                    e => e.text(),
                };
                self.notice = Some(Notice {
                    text: format!("cannot read the change journal: {why}"),
                    error: true,
                });
            }
        }
    }

    /// Keys meant for the popup on top (the move dialog's picker, the history's scrolling);
    /// `None` lets the ordinary handling run.
    pub(crate) fn popup_act(&mut self, action: &Action) -> Option<Vec<Effect>> {
        match (&mut self.popup, action) {
            (_, Action::ClosePopup | Action::Quit) => None,
            (Some(Popup::Move(_)), a) => Some(self.move_act(a)),
            (Some(Popup::History(h)), a) => {
                // Clamped to the last page in `settle`.
                if let Some(to) = super::screen::scrolled(h.scroll, a, h.visible) {
                    h.scroll = to;
                }
                Some(Vec::new())
            }
            _ => None,
        }
    }
}
