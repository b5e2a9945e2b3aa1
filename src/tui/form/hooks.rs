//! The form's side of `App`: opening it (`n`, `e`, a restored draft), passing it keys, and
//! turning what it reports into effects (save, write or drop the draft) and notices. Kept here
//! so `app.rs` only routes.

use crossterm::event::KeyEvent;

use super::draft::{Draft, Startup};
use super::{Form, FormCommand, Outcome, Stage};
use crate::display::sanitize;
use crate::domain::Id;
use crate::tui::app::{App, Notice, Pane, Popup};
use crate::tui::effects::Effect;

/// Why a save failed: readable text, and Zoho's `details` (its `json_path` / `api_name` name
/// the input to show it at).
#[derive(Clone, Debug, PartialEq)]
pub struct SaveFailure {
    pub text: String,
    pub details: Option<serde_json::Value>,
    /// Refused by the guard: someone else changed or deleted the rule; nothing was sent.
    pub refused: Option<Refused>,
}

/// Why a guarded save was refused, with what the three-way view needs.
#[derive(Clone, Debug, PartialEq)]
pub enum Refused {
    Changed {
        theirs: Box<crate::domain::ScoringRule>,
    },
    Deleted,
}

impl App {
    /// A draft found at start: offered in a dialog, or the notice about an unreadable one.
    pub fn offer_draft(&mut self, found: Startup) {
        match found {
            Startup::Nothing => {}
            Startup::Offer(d) => self.popup = Some(Popup::RestoreDraft(d)),
            Startup::Unreadable(text) => {
                self.notice = Some(Notice {
                    text: sanitize(&text),
                    error: true,
                })
            }
        }
    }

    pub(crate) fn restore_draft(&mut self) -> Vec<Effect> {
        let Some(Popup::RestoreDraft(d)) = self.popup.take() else {
            return Vec::new();
        };
        let draft: Draft = *d;
        // The panes show where the draft belongs, so closing the form lands on its rule.
        self.sel_module = Some(draft.module.clone());
        self.sel_layout = Some(draft.layout.clone());
        if let Some(id) = draft.base.as_ref().and_then(|b| b.id.clone()) {
            self.sel_rule = Some(id);
            self.focus = Pane::Rules;
        }
        let mut form = Form::restore(draft);
        form.revalidate(self.snapshot.as_ref());
        self.form = Some(Box::new(form));
        self.notice = Some(Notice {
            text: "draft restored; Ctrl-S saves it, Esc discards it".into(),
            error: false,
        });
        Vec::new()
    }

    pub(crate) fn discard_draft(&mut self) -> Vec<Effect> {
        if !matches!(self.popup, Some(Popup::RestoreDraft(_))) {
            return Vec::new();
        }
        self.popup = None;
        self.notice = Some(Notice {
            text: "draft discarded".into(),
            error: false,
        });
        vec![Effect::RemoveDraft]
    }

    /// `n`: a new rule in the selected module and layout ("All layouts": no layout).
    pub(crate) fn open_new_form(&mut self) -> Vec<Effect> {
        let Some(module) = self.current_module().map(|m| m.module.api_name.clone()) else {
            return self.form_notice("no module to add a rule to yet (the org is loading)");
        };
        let layout = self.current_layout().and_then(|l| l.id);
        self.open(Form::create(&module, layout))
    }

    /// `e`: the selected rule.
    pub(crate) fn open_edit_form(&mut self) -> Vec<Effect> {
        let rule = match self.focus {
            Pane::Rules | Pane::Detail => self.current_rule(),
            _ => None,
        };
        let Some(rule) = rule else {
            return self.form_notice("select a rule in the Rules pane to edit it");
        };
        let form = Form::edit(rule);
        self.open(form)
    }

    fn form_notice(&mut self, text: &str) -> Vec<Effect> {
        self.notice = Some(Notice {
            text: text.into(),
            error: true,
        });
        Vec::new()
    }

    fn open(&mut self, mut form: Form) -> Vec<Effect> {
        form.revalidate(self.snapshot.as_ref());
        self.form = Some(Box::new(form));
        Vec::new()
    }

    /// Quit (q, Ctrl-C): quits at once when nothing typed would be lost; otherwise the form
    /// asks, and the question is put on top so it is seen (a preview over the form is closed,
    /// its work cancelled).
    pub(crate) fn ask_quit(&mut self) -> Vec<Effect> {
        let Some(form) = self.form.as_mut() else {
            self.quit = true;
            return Vec::new();
        };
        let saving = matches!(form.stage, Stage::Saving { .. });
        if form.ask_quit() {
            self.quit = true;
            return Vec::new();
        }
        if saving {
            self.notice = Some(Notice {
                text:
                    "saving… Ctrl-C again quits without waiting for the answer (the draft is kept)"
                        .into(),
                error: true,
            });
        }
        crate::tui::lab::close(self)
    }

    /// The draft could not be written: the user must know their typing is not protected.
    pub(crate) fn draft_failed(&mut self, text: String) -> Vec<Effect> {
        self.notice = Some(Notice {
            text: sanitize(&text),
            error: true,
        });
        Vec::new()
    }

    pub(crate) fn form_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(form) = self.form.as_mut() else {
            return Vec::new();
        };
        let outcome = form.key(key, self.snapshot.as_ref());
        self.form_outcome(outcome)
    }

    pub(crate) fn form_command(&mut self, command: FormCommand) -> Vec<Effect> {
        let Some(form) = self.form.as_mut() else {
            return Vec::new();
        };
        let outcome = form.command(command, self.snapshot.as_ref());
        self.form_outcome(outcome)
    }

    /// What the form's answer to a key or a command asks of the app.
    pub(crate) fn form_outcome(&mut self, outcome: Outcome) -> Vec<Effect> {
        let Some(form) = self.form.as_mut() else {
            return Vec::new();
        };
        match outcome {
            Outcome::Nothing => Vec::new(),
            Outcome::Changed => {
                if form.dirty() {
                    vec![Effect::WriteDraft(Box::new(form.draft()))]
                } else {
                    vec![Effect::RemoveDraft]
                }
            }
            Outcome::Notice { text, error } => {
                self.notice = Some(Notice { text, error });
                Vec::new()
            }
            Outcome::Close => {
                self.form = None;
                vec![Effect::RemoveDraft]
            }
            Outcome::Quit => {
                self.quit = true;
                Vec::new()
            }
            Outcome::Send => self.send_form(),
            Outcome::Preview => self.preview_form(),
            Outcome::Reapplied => {
                form.revalidate(self.snapshot.as_ref());
                self.notice = Some(Notice {
                    text: "re-applied on the org's current rule; Ctrl-S reviews and saves".into(),
                    error: false,
                });
                vec![Effect::WriteDraft(Box::new(form.draft()))]
            }
            Outcome::Discard => {
                self.form = None;
                self.notice = Some(Notice {
                    text: "your edits were discarded; reloaded the org's rule".into(),
                    error: false,
                });
                let load = self.load();
                vec![Effect::RemoveDraft, load]
            }
        }
    }

    /// Ctrl-P: the score lab previews the draft as the domain reads it, over the form (Esc
    /// returns to it with everything typed). An edit keeps its id, so "before" is the saved
    /// rule's scores.
    fn preview_form(&mut self) -> Vec<Effect> {
        let Some(form) = self.form.as_ref() else {
            return Vec::new();
        };
        let Some(snap) = self.snapshot.as_ref() else {
            return self.form_notice("the org is still loading; preview again in a moment");
        };
        match form.draft_rule(snap) {
            Ok(rule) => crate::tui::lab::preview_draft(self, rule),
            Err(e) => self.form_notice(&format!("cannot preview yet: {}", sanitize(&e))),
        }
    }

    fn send_form(&mut self) -> Vec<Effect> {
        let request = self.request_id();
        let Some(form) = self.form.as_mut() else {
            return Vec::new();
        };
        let Some(body) = self.snapshot.as_ref().and_then(|s| form.request(s)) else {
            form.stage = Stage::Failed("the org is not loaded; nothing was sent".into());
            return Vec::new();
        };
        form.stage = Stage::Saving {
            request,
            map: body.map,
            quit_asked: false,
        };
        self.notice = Some(Notice {
            text: format!("saving “{}”…", sanitize(&form.data.name)),
            error: false,
        });
        vec![Effect::SaveRule {
            request,
            base: form.base.clone().map(Box::new),
            item: body.item,
            name: form.data.name.clone(),
        }]
    }

    pub(crate) fn form_saved(
        &mut self,
        request: u64,
        result: Result<Option<Id>, crate::tui::outcome::Failure>,
    ) -> Vec<Effect> {
        let result = result.map_err(|f| SaveFailure::of(&f));
        let Some(form) = self.form.as_mut() else {
            return Vec::new();
        };
        if !matches!(form.stage, Stage::Saving { request: r, .. } if r == request) {
            return Vec::new();
        }
        match result {
            Ok(id) => {
                let name = form.data.name.clone();
                self.form = None;
                if id.is_some() {
                    self.sel_rule = id;
                }
                self.notice = Some(Notice {
                    text: format!("saved “{}”", sanitize(&name)),
                    error: false,
                });
                let load = self.load();
                vec![Effect::RemoveDraft, load]
            }
            Err(f) => {
                self.notice = Some(Notice {
                    text: format!("not saved: {}", sanitize(&f.text)),
                    error: true,
                });
                match f.refused {
                    Some(refused) => self.save_refused(refused),
                    None => form.save_failed(f.text, f.details.as_ref()),
                }
                Vec::new()
            }
        }
    }

    /// Nothing was sent: show theirs beside yours (or the deleted dialog) over the form.
    fn save_refused(&mut self, refused: Refused) {
        let Some(form) = self.form.as_mut() else {
            return;
        };
        form.stage = Stage::Editing;
        match refused {
            Refused::Deleted => {
                form.stage = Stage::Deleted(super::conflict::DeletedView {
                    asking_discard: false,
                });
            }
            Refused::Changed { theirs } => {
                let Some(snap) = self.snapshot.as_ref() else {
                    return;
                };
                let (Some(base), Ok(yours)) = (form.base.as_ref(), form.draft_rule(snap)) else {
                    form.stage = Stage::Failed(
                        "the rule was changed by someone else; nothing was sent".into(),
                    );
                    return;
                };
                form.stage = Stage::Conflict(Box::new(super::conflict::ConflictView::new(
                    base, *theirs, &yours, snap,
                )));
            }
        }
    }
}
