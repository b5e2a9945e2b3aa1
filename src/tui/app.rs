//! The TUI's state and its one transition function. `App::update` is synchronous and does no
//! I/O: it changes state and returns the effects (API calls) to run, so every behaviour can be
//! tested with plain messages, without a terminal or a network.

use super::action::Action;
use super::effects::Effect;
use super::event::Msg;
use super::exec::ExecRun;
use super::form::Form;
use super::form::draft::Draft;
use super::history::{HistoryView, UndoConfirm};
use super::keys::KeyTable;
use super::move_rule::MoveDialog;
use super::screen::scrolled;
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

    pub fn act(&mut self, action: Action) -> Vec<Effect> {
        let effects = self.perform(action);
        self.settle();
        effects
    }

    fn perform(&mut self, action: Action) -> Vec<Effect> {
        // Notices last until the next thing the user does, errors included.
        let keeps_notice = matches!(
            action,
            Action::ToggleHelp
                | Action::ClosePopup
                | Action::ConfirmInput(_)
                | Action::ConfirmBackspace
                | Action::ShowNotice
        );
        if !keeps_notice {
            self.notice = None;
        }
        // Read-only refuses what the key table marks as a write, however it was asked for
        // (a key, a click, a test), and says which change is off and why.
        if let Some(why) = &self.readonly
            && let Some(what) = self.keys.writes(&action)
        {
            self.notice = Some(Notice {
                text: format!("read-only: {what} is off ({why})"),
                error: true,
            });
            return Vec::new();
        }
        let help_visible = self.help_visible();
        if let Some(Popup::Help(scroll)) = &mut self.popup
            && let Some(to) = scrolled(*scroll, &action, help_visible)
        {
            *scroll = to;
            return Vec::new();
        }
        // An execution popup takes the scrolling keys (they move its list of records still
        // different), so they must not move the list below.
        if let Some(Popup::Execute(run)) = &mut self.popup
            && let Some(to) = scrolled(u16::try_from(run.scroll).unwrap_or(u16::MAX), &action, 5)
        {
            run.scroll_to(usize::from(to));
            return Vec::new();
        }
        if let Some(effects) = self.marks_act(&action) {
            return effects;
        }
        if self.refuse_without_rule(&action) {
            return Vec::new();
        }
        if let Some(effects) = self.notice_act(&action) {
            return effects;
        }
        if let Some(effects) = self.edit_file_act(&action) {
            return effects;
        }
        if let Some(effects) = self.report_act(&action) {
            return effects;
        }
        if let Some(effects) = self.popup_act(&action) {
            return effects;
        }
        match action {
            Action::Quit => return self.ask_quit(),
            Action::FocusNext => self.focus = self.focus.next(),
            Action::FocusPrev => self.focus = self.focus.prev(),
            Action::NextPane => self.focus = self.focus.cycle(false),
            Action::PrevPane => self.focus = self.focus.cycle(true),
            Action::Open => {
                if self.list_len(self.focus) > 0 {
                    self.focus = self.focus.next();
                }
            }
            Action::SelectNext => self.step(1),
            Action::SelectPrev => self.step(-1),
            Action::SelectFirst => self.jump(0),
            Action::SelectLast => self.jump(usize::MAX),
            Action::StartFilter => {
                if self.focus != Pane::Detail {
                    self.filtering = true;
                }
            }
            Action::FilterInput(c) => self.edit_filter(|f| f.push(c)),
            Action::FilterBackspace => self.edit_filter(|f| {
                f.pop();
            }),
            Action::FilterDone => self.filtering = false,
            Action::FilterClear => {
                self.filtering = false;
                self.edit_filter(String::clear);
            }
            Action::CycleSort => {
                self.rule_order = self.rule_order.next();
                // The cursor stays on its rule (selections are kept by id); the title shows the
                // order, and so does a notice, since a narrow title may cut it.
                self.notice = Some(Notice {
                    text: format!(
                        "rules sorted {} (s: the next order)",
                        self.rule_order.label()
                    ),
                    error: false,
                });
            }
            Action::ToggleHelp => {
                self.popup = match self.popup {
                    Some(Popup::Help(_)) => None,
                    _ => Some(Popup::Help(0)),
                }
            }
            Action::PageDown => self.page(1),
            Action::PageUp => self.page(-1),
            Action::ClosePopup => return self.close_popup(),
            Action::Reload => {
                if !self.loading() {
                    return vec![self.load()];
                }
            }
            Action::ToggleActive => return self.toggle_active(),
            Action::DeleteRule => self.ask_delete(),
            Action::CloneRule => return self.clone_rule(),
            Action::Execute(scope) => return self.execute(scope),
            Action::Preview => return super::lab::open_for_selected(self),
            Action::Lab(a) => return super::lab::act(self, a),
            Action::Confirm => return self.confirm(),
            Action::ConfirmInput(c) => self.edit_typed(|t| t.push(c)),
            Action::ConfirmBackspace => self.edit_typed(|t| {
                t.pop();
            }),
            Action::NewRule => return self.open_new_form(),
            Action::EditRule => return self.open_edit_form(),
            Action::EditInEditor => return self.edit_in_editor(),
            Action::Form(command) => return self.form_command(command),
            Action::FormKey(key) => return self.form_key(key),
            Action::RestoreDraft => return self.restore_draft(),
            Action::DiscardDraft => return self.discard_draft(),
            Action::MoveRule => self.open_move(),
            Action::Undo => return self.ask_undo(),
            Action::ShowHistory => return self.show_history(),
            Action::ShowNotice => self.show_notice(),
            // Marks with nothing to mark here: `marks_act` took those it could.
            Action::ToggleMark | Action::MarkAll => {}
            Action::BulkActivate => return self.bulk_choose(true),
            Action::BulkDeactivate => return self.bulk_choose(false),
            Action::BulkSendFirst => return self.bulk_send_first(),
            Action::StartCommand => self.open_command(),
            Action::CommandKey(key) => return self.command_key(key),
            Action::FilterErase => self.edit_filter(String::clear),
        }
        Vec::new()
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

    /// Esc on an execution still sending stops the sending (the popup stays to show how it
    /// ends); on one following its scheduled jobs it closes the view, saying what runs on. On
    /// anything else it closes the popup.
    fn close_popup(&mut self) -> Vec<Effect> {
        if let Some(Popup::Execute(run)) = &mut self.popup
            && !run.done
        {
            let request = run.request;
            if run.can_stop() {
                run.stopping = true;
                return vec![Effect::StopExecution { request }];
            }
            self.notice = Some(Notice {
                text: run.closed_notice(),
                error: false,
            });
            self.popup = None;
            return vec![Effect::CloseExecution { request }];
        }
        self.popup = None;
        Vec::new()
    }

    fn step(&mut self, delta: isize) {
        if self.focus == Pane::Detail {
            self.detail_scroll = self.detail_scroll.saturating_add_signed(delta as i16);
            return;
        }
        let Some(current) = self.list_index(self.focus) else {
            return;
        };
        self.select_index(self.focus, current.saturating_add_signed(delta));
    }

    fn jump(&mut self, index: usize) {
        if self.focus == Pane::Detail {
            // The end is clamped to the last page in `settle`.
            self.detail_scroll = if index == 0 { 0 } else { u16::MAX };
            return;
        }
        self.select_index(self.focus, index);
    }

    fn edit_filter(&mut self, edit: impl FnOnce(&mut String)) {
        if let Some(f) = self.filters.get_mut(self.focus.index()) {
            edit(f);
        }
    }
}
