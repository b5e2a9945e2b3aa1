//! Undo and history, both read from the change journal. Every write the TUI sends goes through
//! `JournaledClient`; the runner remembers which journal entries each user action wrote (a
//! move writes up to four) as one group of this session, if any of them took effect: a refused
//! or failed write is journaled with its outcome but is never an undo target. `u` undoes the
//! last group: first a confirmation shows what each revert will change (the write read
//! backwards), then the entries are reverted newest first (each revert journaled too, but not
//! itself undoable by `u`). `H` lists the selected rule's entries in a scrollable popup, each
//! with its outcome and, if it took effect, what it changed. The words come from
//! `journal::describe`, as in `zscore history`; `App` writes them when the entries arrive.

use std::ops::Range;
use std::sync::Mutex;

use serde_json::Value;

use super::action::Action;
use super::app::{App, Notice, Pane, Popup};
use super::effects::Effect;
use crate::display::sanitize;
use crate::domain::{Id, OrgSnapshot};
use crate::journal::describe::{self, Outcome};
use crate::journal::writes::JournaledClient;
use crate::journal::{Entry, Journal};
use crate::rule_diff::DiffLine;

/// The journal entries one user action wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub id: u64,
    pub label: String,
    pub seqs: Range<u64>,
}

/// The groups written in this session, oldest first. Shared by the runner's tasks.
#[derive(Debug, Default)]
pub struct Session {
    groups: Vec<Group>,
    next_id: u64,
}

impl Session {
    /// Remembers that `label` wrote the entries numbered `seqs`, if `applied`: one of them
    /// took effect. A write that changed nothing is no undo target, so it never hides the
    /// changes before it from `u`.
    pub fn record(&mut self, label: &str, seqs: Range<u64>, applied: bool) {
        if seqs.is_empty() || !applied {
            return;
        }
        self.next_id += 1;
        self.groups.push(Group {
            id: self.next_id,
            label: label.to_string(),
            seqs,
        });
    }

    pub fn last(&self) -> Option<&Group> {
        self.groups.last()
    }
}

/// Remembers the journal entries a change wrote since `first` as one undoable group, if any
/// of them took effect (read back from the journal, which has every outcome).
pub fn record(session: &Mutex<Session>, journal: &Journal, label: &str, first: u64) {
    let seqs = first..journal.next_seq();
    // An unreadable journal cannot show the outcome: keep the group, and let `u` read it.
    let applied = journal.entries().map_or(true, |entries| {
        entries
            .iter()
            .any(|e| seqs.contains(&e.seq) && Outcome::of(e).applied())
    });
    if let Ok(mut s) = session.lock() {
        s.record(label, seqs, applied);
    }
}

/// The session's last group, read from the journal: what `u` would revert.
#[derive(Clone, Debug, PartialEq)]
pub struct UndoTarget {
    pub group: u64,
    pub label: String,
    /// The group's entries that took effect, oldest first.
    pub entries: Vec<Entry>,
}

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

    pub(crate) fn undo_ready(&mut self, request: u64, result: Result<UndoTarget, String>) {
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
                    text: sanitize(&e),
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

    pub(crate) fn history_loaded(&mut self, request: u64, result: Result<Vec<Entry>, String>) {
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
                self.notice = Some(Notice {
                    text: format!("cannot read the change journal: {}", sanitize(&e)),
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

/// The session's last group and its entries that took effect: what `u` would revert.
pub fn prepare_undo(session: &Mutex<Session>, journal: &Journal) -> Result<UndoTarget, String> {
    let group = session
        .lock()
        .map_err(|_| "the session record is unusable".to_string())?
        .last()
        .cloned()
        .ok_or("nothing to undo: no change made in this session took effect")?;
    let entries = group_entries(journal, &group)?;
    if entries.is_empty() {
        return Err(format!(
            "nothing to undo: {} changed nothing at Zoho",
            group.label
        ));
    }
    Ok(UndoTarget {
        group: group.id,
        label: group.label,
        entries,
    })
}

/// Reverts the group's entries newest first. Stops at the first failure, keeping what is left
/// undoable, and says what was done and what was not.
pub async fn undo(
    session: &Mutex<Session>,
    writer: &JournaledClient<'_>,
    group: u64,
) -> Result<String, String> {
    let taken = {
        let mut s = session
            .lock()
            .map_err(|_| "the session record is unusable".to_string())?;
        match s.groups.last() {
            Some(g) if g.id == group => s.groups.pop(),
            _ => None,
        }
    };
    let g = taken.ok_or("the session changed since the confirmation; press u again")?;
    let entries = group_entries(writer.journal, &g)?;
    let mut done = Vec::new();
    for e in entries.iter().rev() {
        match writer.revert(e).await {
            Ok(text) => done.push(text),
            Err(err) => {
                if let Ok(mut s) = session.lock() {
                    s.groups.push(Group {
                        seqs: g.seqs.start..e.seq + 1,
                        ..g.clone()
                    });
                }
                let before = if done.is_empty() {
                    "nothing was reverted".to_string()
                } else {
                    format!("already reverted: {}", done.join("; "))
                };
                return Err(format!(
                    "undo of {} stopped at entry #{}: {err}; {before}",
                    g.label, e.seq
                ));
            }
        }
    }
    Ok(format!("undid {}: {}", g.label, done.join("; ")))
}

/// The journal entries of `rule` (by id, or by name: a move or an undo gives the rule a new
/// id, and names are unique in an org), oldest first.
pub fn history(journal: &Journal, rule: &Id, name: &str) -> Result<Vec<Entry>, String> {
    let key = name.trim().to_lowercase();
    let named = |v: Option<&str>| v.is_some_and(|n| n.trim().to_lowercase() == key);
    let entries = journal.entries().map_err(|e| e.to_string())?;
    Ok(entries
        .into_iter()
        .filter(|e| {
            let after = e.outcome.as_ref().and_then(|o| o.after.as_ref());
            e.rule_id.as_deref() == Some(rule.as_str())
                || e.outcome.as_ref().and_then(|o| o.rule_id.as_deref()) == Some(rule.as_str())
                || named(e.rule_name.as_deref())
                || named(after.and_then(|a| a.get("name")).and_then(Value::as_str))
        })
        .collect())
}

/// The group's entries that Zoho accepted (a refused write changed nothing to revert).
fn group_entries(journal: &Journal, group: &Group) -> Result<Vec<Entry>, String> {
    Ok(journal
        .entries()
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|e| group.seqs.contains(&e.seq))
        .filter(|e| Outcome::of(e).applied())
        .collect())
}
