//! The TUI's state and its one transition function. `App::update` is synchronous and does no
//! I/O: it changes state and returns the effects (API calls) to run, so every behaviour can be
//! tested with plain messages, without a terminal or a network.

use super::effects::Effect;
use super::event::Msg;
use super::exec::ExecRun;
use super::form::Form;
use super::form::draft::Draft;
use super::history::{HistoryView, UndoConfirm};
use super::keys::KeyTable;
use super::move_rule::MoveDialog;
use super::write_keys::WriteConfirm;
use crate::display::sanitize;
use crate::domain::{Id, OrgSnapshot};

pub use super::delete::ConfirmDelete;
pub use super::pane::Pane;

#[derive(Clone, Debug, PartialEq)]
pub enum Popup {
    /// The key help, scrolled by this many lines.
    Help(u16),
    ConfirmDelete(ConfirmDelete),
    Execute(ExecRun),
    /// A draft left by an earlier run: restore or discard it.
    RestoreDraft(Box<Draft>),
    Move(MoveDialog),
    ConfirmUndo(UndoConfirm),
    History(HistoryView),
    /// `c`, `x` or `X` waiting for a yes (see `write_keys`).
    ConfirmWrite(WriteConfirm),
    /// A notice too long for the status bar, whole.
    Notice(super::notice::NoticeView),
    /// A change to the marked rules: its plan, progress and report (`marks::dialog`).
    Bulk(Box<super::marks::BulkDialog>),
    /// An edit in the editor (`E` / `Ctrl-E`): its errors or its review.
    EditFile(Box<super::edit_file::EditSession>),
    /// `:find`'s results.
    Found(super::command::FoundView),
    /// What `:audit` or `:lint` printed, scrolled.
    Report(super::command::run::ReportView),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

/// Where the data comes from, for the status bar's badge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub label: String,
    pub sandbox: bool,
}

pub struct App {
    pub source: Source,
    /// The last snapshot loaded; kept while a reload runs so the screen never goes blank.
    /// Changed only by `update`, which bumps `snapshot_generation` so what is derived follows.
    pub snapshot: Option<OrgSnapshot>,
    pub(crate) snapshot_generation: u64,
    /// The terminal's size: what the layout of every scrolled view is worked out from.
    pub screen: ratatui::layout::Rect,
    /// Lists, usage and the rule detail, derived from the above when they change.
    pub(crate) derived: super::derived::Derived,
    /// Why the last load failed, shown in the panes until a load succeeds.
    pub load_error: Option<String>,
    /// While the first load fills `snapshot` in part by part: what has not arrived.
    pub pending: Option<super::loading::Pending>,
    pub focus: Pane,
    pub sel_module: Option<String>,
    /// `Some(None)` is the "All layouts" entry.
    pub sel_layout: Option<Option<Id>>,
    pub sel_rule: Option<Id>,
    /// The marked rules, which the rule actions then act on together.
    pub marks: super::marks::Marks,
    pub detail_scroll: u16,
    pub(crate) filters: [String; 3],
    /// The Rules pane's order (`s` cycles it).
    pub rule_order: super::sort::RuleOrder,
    pub filtering: bool,
    pub popup: Option<Popup>,
    pub notice: Option<Notice>,
    /// Why writes are refused (`--readonly`, a read-only profile, no journal); `None`: allowed.
    /// Every action the key table marks as a write is refused then (`perform`).
    pub readonly: Option<String>,
    /// The profile's accent colour for the status bar and the focused border.
    pub accent: Option<ratatui::style::Color>,
    /// `c`, `x` and `X` ask before sending (a profile's `confirm`; off for the built-in sandbox).
    pub confirm_writes: bool,
    pub(super) next_request: u64,
    snapshot_request: Option<u64>,
    pub(crate) change_requests: Vec<u64>,
    pub spinner: usize,
    pub quit: bool,
    /// The rule form, over everything else while open.
    pub form: Option<Box<Form>>,
    /// The score lab: the open preview and the session's samples.
    pub lab: super::lab::Lab,
    /// What each key does in each mode, and the help and footers derived from it.
    pub keys: KeyTable,
    /// The API calls this session has sent (reads and writes): Zoho's daily credits they cost.
    pub calls: crate::api::CallCount,
    /// The `:` command line, its history, and the rules' searchable text.
    pub commands: super::command::Commands,
}

impl App {
    pub fn new(source: Source) -> App {
        App {
            source,
            snapshot: None,
            snapshot_generation: 0,
            // The smallest supported size, until the terminal's own is known.
            screen: ratatui::layout::Rect::new(0, 0, 80, 24),
            derived: Default::default(),
            load_error: None,
            pending: None,
            focus: Pane::Modules,
            sel_module: None,
            sel_layout: None,
            sel_rule: None,
            marks: Default::default(),
            detail_scroll: 0,
            filters: Default::default(),
            rule_order: Default::default(),
            filtering: false,
            popup: None,
            notice: None,
            readonly: None,
            accent: None,
            confirm_writes: true,
            next_request: 0,
            snapshot_request: None,
            change_requests: Vec::new(),
            spinner: 0,
            quit: false,
            form: None,
            lab: super::lab::Lab::default(),
            keys: KeyTable::defaults(),
            calls: Default::default(),
            commands: Default::default(),
        }
    }

    /// The effects to run before the first key: load the org.
    pub fn start(&mut self) -> Vec<Effect> {
        vec![self.load()]
    }

    /// Work is in flight: the spinner turns and the loop ticks.
    pub fn busy(&self) -> bool {
        self.snapshot_request.is_some()
            || !self.change_requests.is_empty()
            || self.lab.running()
            || !self.commands.exports.is_empty()
            || self
                .form
                .as_ref()
                .is_some_and(|f| matches!(f.stage, super::form::Stage::Saving { .. }))
    }

    /// The only work pending is loading the org (nothing is being written).
    pub(crate) fn only_loading(&self) -> bool {
        self.change_requests.is_empty()
            && !self.lab.running()
            && self.commands.exports.is_empty()
            && !self
                .form
                .as_ref()
                .is_some_and(|f| matches!(f.stage, super::form::Stage::Saving { .. }))
    }

    /// Writes are refused; the reason is in `self.readonly`.
    pub fn readonly(&self) -> bool {
        self.readonly.is_some()
    }

    pub(crate) fn snapshot_request(&self) -> Option<u64> {
        self.snapshot_request
    }

    pub fn loading(&self) -> bool {
        self.snapshot_request.is_some()
    }

    /// The filter of a list pane ("" when none; the detail pane has none).
    pub fn filter(&self, pane: Pane) -> &str {
        self.filters.get(pane.index()).map_or("", String::as_str)
    }

    /// One message in, the effects it asks for out; what is derived from the changed state is
    /// brought up to date before the next frame.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let effects = self.apply(msg);
        self.settle();
        effects
    }

    fn apply(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) => self.key(key),
            Msg::Mouse { event, area } => self.mouse(event, area),
            Msg::UndoReady { request, result } => {
                self.undo_ready(request, result);
                Vec::new()
            }
            Msg::HistoryLoaded { request, result } => {
                self.history_loaded(request, result);
                Vec::new()
            }
            Msg::Resize { width, height } => {
                self.resized(width, height);
                Vec::new()
            }
            Msg::Tick => {
                self.spinner = self.spinner.wrapping_add(1);
                Vec::new()
            }
            Msg::Calls(calls) => {
                self.calls = calls;
                Vec::new()
            }
            Msg::Shutdown => {
                self.quit = true;
                Vec::new()
            }
            Msg::SnapshotPart { request, part } => {
                self.snapshot_generation += 1;
                self.snapshot_part(request, part);
                Vec::new()
            }
            Msg::SnapshotLoaded { request, result } => {
                if self.snapshot_request != Some(request) {
                    return Vec::new();
                }
                self.snapshot_request = None;
                self.snapshot_generation += 1;
                // Half an org is not shown as if it were the org: a failed load shows the error.
                if self.pending.take().is_some() && result.is_err() {
                    self.snapshot = None;
                }
                match result {
                    Ok(snapshot) => {
                        self.marks.retain_present(&snapshot);
                        self.snapshot = Some(snapshot);
                        self.load_error = None;
                        if let Some(form) = self.form.as_mut() {
                            form.revalidate(self.snapshot.as_ref());
                        }
                    }
                    Err(e) => {
                        let e = sanitize(&e);
                        self.notice = Some(Notice {
                            text: format!("loading failed: {e} (r retries)"),
                            error: true,
                        });
                        self.load_error = Some(e);
                    }
                }
                Vec::new()
            }
            Msg::Exec { request, event } => {
                if let Some(Popup::Execute(run)) = &mut self.popup
                    && run.request == request
                {
                    run.apply(event);
                }
                Vec::new()
            }
            Msg::Verify { request, step } => {
                if let Some(Popup::Execute(run)) = &mut self.popup
                    && run.request == request
                {
                    run.verify(step);
                }
                Vec::new()
            }
            Msg::ExecDone { request } => {
                self.change_requests.retain(|r| *r != request);
                if let Some(Popup::Execute(run)) = &mut self.popup
                    && run.request == request
                {
                    run.done = true;
                }
                Vec::new()
            }
            Msg::Lab(msg) => super::lab::on_msg(self, msg),
            Msg::Bulk { request, event } => {
                self.bulk_event(request, event);
                Vec::new()
            }
            Msg::BulkDone { request, result } => self.bulk_done(request, result),
            Msg::RuleChanged {
                request,
                change,
                result,
            } => {
                let Some(i) = self.change_requests.iter().position(|r| *r == request) else {
                    return Vec::new();
                };
                self.change_requests.remove(i);
                if let Some(id) = result.as_ref().ok().and_then(|d| d.select()) {
                    self.sel_rule = Some(id);
                }
                let (text, error) = change.notice(&result);
                self.notice = Some(Notice { text, error });
                // A refused change may still mean our view is stale; reload either way.
                vec![self.load()]
            }
            Msg::FormSaved { request, result } => self.form_saved(request, result),
            // In the status bar until the next key, like any notice: a slow Zoho is not silence.
            Msg::Retrying(text) => {
                self.notice = Some(Notice {
                    text: sanitize(&text),
                    error: false,
                });
                Vec::new()
            }
            Msg::DraftFailed(text) => self.draft_failed(text),
            Msg::EditorDone { request, result } => self.editor_done(request, result),
            Msg::EditKept(result) => self.edit_kept(result),
            Msg::Exported {
                request,
                dir,
                result,
            } => {
                self.exported(request, &dir, result);
                Vec::new()
            }
        }
    }

    pub(crate) fn load(&mut self) -> Effect {
        let request = self.request_id();
        self.snapshot_request = Some(request);
        Effect::LoadSnapshot { request }
    }

    pub(crate) fn request_id(&mut self) -> u64 {
        self.next_request += 1;
        self.next_request
    }
}
