//! What each action does (a key, a mouse click or a command of the `:` line, once the key
//! table has named it): the one place an `Action` changes the app's state.

use super::action::Action;
use super::app::{App, Notice, Pane, Popup};
use super::effects::Effect;
use super::screen::scrolled;

impl App {
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
