//! `E` (a rule of the main view) and `Ctrl-E` (the form's current draft): the rule as its
//! export file in `$VISUAL` / `$EDITOR`, like `zscore edit`, whose workflow this drives
//! (`transfer::edit`): the same text, reading, validation and errors with line and column.
//!
//! The editor needs the terminal, so running it is an effect the event loop carries out
//! (`terminal`), its text coming back as `Msg::EditorDone`. Then: an unchanged text sends
//! nothing; errors are listed in a dialog where Enter reopens the editor on the text as typed
//! and Esc keeps it in a file; a valid edit of org rules is reviewed in the form's diff words
//! and Enter sends it through the guarded, journaled import steps (a rule someone changed
//! since it was loaded is left alone and reported). A valid edit of the form's draft goes back
//! into the form, which opens its own review (`Ctrl-S`'s): saving is then the form's save.

mod task;
pub mod terminal;
mod view;

pub use self::view::draw;

use super::action::Action;
use super::app::{App, Notice, Popup};
use super::effects::Effect;
use crate::display::sanitize;
use crate::domain::Id;
use crate::rule_diff::{self, DiffLine, Names};
use crate::transfer::edit::{self, EditPlan, EditText, Edited};

/// An edit in the editor, from the moment it opens until it is sent or dropped.
#[derive(Clone, Debug, PartialEq)]
pub struct EditSession {
    /// The editor run (or the save) answers with it.
    pub request: u64,
    source: Source,
    /// The text as last edited: what a reopen starts from and Esc keeps.
    pub text: String,
    pub stage: EditStage,
}

#[derive(Clone, Debug, PartialEq)]
enum Source {
    /// Rules of the org (`E`; several with marks).
    Rules(EditText),
    /// The form's draft as it was opened (`Ctrl-E`).
    Form { opened: String },
}

#[derive(Clone, Debug, PartialEq)]
pub enum EditStage {
    /// The editor has the terminal.
    Editing,
    /// The text does not read or validate: one line per problem, each with its place.
    Errors(Vec<String>),
    /// Valid: what it changes, rule by rule (its name, its diff), in the words of the form's
    /// review.
    Review {
        rules: Vec<(String, Vec<DiffLine>)>,
        plan: Box<EditPlan>,
    },
}

impl App {
    /// `E` / `Ctrl-E`: the form's draft when the form is open, else the selected rule.
    pub(crate) fn edit_in_editor(&mut self) -> Vec<Effect> {
        if self.form.is_some() {
            return self.edit_form_in_editor();
        }
        match self.current_rule().and_then(|r| r.id.clone()) {
            Some(id) => self.edit_rules_in_editor(&[id]),
            None => self.edit_refused("no rule selected here to edit"),
        }
    }

    /// The rules `ids` in one file in the editor (with marks, every marked rule).
    pub fn edit_rules_in_editor(&mut self, ids: &[Id]) -> Vec<Effect> {
        let Some(snap) = &self.snapshot else {
            return self.edit_refused("the org is not loaded yet");
        };
        match edit::open(snap, ids) {
            Ok(text) => {
                let first = text.text.clone();
                self.edit_start(Source::Rules(text), first)
            }
            Err(e) => self.edit_refused(&format!("cannot edit as a file: {e}")),
        }
    }

    fn edit_form_in_editor(&mut self) -> Vec<Effect> {
        let (Some(form), Some(snap)) = (&self.form, &self.snapshot) else {
            return self.edit_refused("the org is not loaded yet");
        };
        let text = form
            .draft_rule(snap)
            .and_then(|rule| edit::rule_text(&rule, snap).map_err(|e| e.to_string()));
        match text {
            Ok(text) => self.edit_start(
                Source::Form {
                    opened: text.clone(),
                },
                text,
            ),
            Err(why) => self.edit_refused(&format!(
                "the form cannot be written as a file yet (fix it first): {why}"
            )),
        }
    }

    fn edit_refused(&mut self, text: &str) -> Vec<Effect> {
        self.notice = Some(Notice {
            text: sanitize(text),
            error: true,
        });
        Vec::new()
    }

    fn edit_start(&mut self, source: Source, text: String) -> Vec<Effect> {
        let request = self.request_id();
        self.popup = Some(Popup::EditFile(Box::new(EditSession {
            request,
            source,
            text: text.clone(),
            stage: EditStage::Editing,
        })));
        vec![Effect::RunEditor { request, text }]
    }

    /// The editor exited: its text (or why it could not run, or failed).
    pub(crate) fn editor_done(
        &mut self,
        request: u64,
        result: Result<String, String>,
    ) -> Vec<Effect> {
        let Some(Popup::EditFile(session)) = &mut self.popup else {
            return Vec::new();
        };
        if session.request != request || session.stage != EditStage::Editing {
            return Vec::new();
        }
        let text = match result {
            Ok(text) => text,
            Err(why) => {
                // The text given to the editor is still the session's: keep it if it was typed.
                let typed = match &session.source {
                    Source::Rules(t) => session.text != t.text,
                    Source::Form { opened } => session.text != *opened,
                };
                let text = session.text.clone();
                self.popup = None;
                self.notice = Some(Notice {
                    text: format!("{}: nothing sent", sanitize(&why)),
                    error: true,
                });
                return if typed {
                    vec![Effect::KeepEditText { text }]
                } else {
                    Vec::new()
                };
            }
        };
        session.text = text;
        let Some(snap) = &self.snapshot else {
            return Vec::new();
        };
        match &session.source {
            Source::Rules(opened) => match opened.read(&session.text, snap) {
                Ok(Edited::Unchanged) => self.edit_unchanged(),
                Ok(Edited::Planned(plan)) => {
                    let rules = plan
                        .rules
                        .iter()
                        .map(|r| {
                            let names = Names::of(Some(snap), &r.before.module.api_name);
                            let diff = rule_diff::diff(Some(&r.before), Some(&r.after), names);
                            (r.before.name.clone(), diff)
                        })
                        .collect();
                    session.stage = EditStage::Review {
                        rules,
                        plan: Box::new(plan),
                    };
                    Vec::new()
                }
                Err(errs) => {
                    session.stage = EditStage::Errors(errs.0);
                    Vec::new()
                }
            },
            Source::Form { opened } => match edit::read_rule_text(opened, &session.text, snap) {
                Ok(None) => self.edit_unchanged(),
                Ok(Some(rule)) => {
                    self.popup = None;
                    self.form_take_edit(&rule)
                }
                Err(errs) => {
                    session.stage = EditStage::Errors(errs.0);
                    Vec::new()
                }
            },
        }
    }

    fn edit_unchanged(&mut self) -> Vec<Effect> {
        self.popup = None;
        self.notice = Some(Notice {
            text: "the file is unchanged: nothing sent".into(),
            error: false,
        });
        Vec::new()
    }

    /// The edited draft into the form (its draft file follows), and the form's review.
    fn form_take_edit(&mut self, rule: &crate::domain::ScoringRule) -> Vec<Effect> {
        let (Some(form), Some(snap)) = (self.form.as_mut(), self.snapshot.as_ref()) else {
            return Vec::new();
        };
        let outcome = form.take_edit(rule, snap);
        let mut effects = self.form_outcome(super::form::Outcome::Changed);
        effects.extend(self.form_outcome(outcome));
        effects
    }

    /// The keys of the edit's dialog (it is a confirmation: Enter / y, Esc / n): `None` when
    /// no edit dialog is up.
    pub(crate) fn edit_file_act(&mut self, action: &Action) -> Option<Vec<Effect>> {
        if !matches!(self.popup, Some(Popup::EditFile(_))) {
            return None;
        }
        let Some(Popup::EditFile(mut session)) = self.popup.take() else {
            return None;
        };
        let effects = match (&session.stage, action) {
            (EditStage::Errors(_), Action::Confirm) => {
                session.request = self.request_id();
                session.stage = EditStage::Editing;
                vec![Effect::RunEditor {
                    request: session.request,
                    text: session.text.clone(),
                }]
            }
            (EditStage::Review { plan, .. }, Action::Confirm) => {
                let Some(snapshot) = self.snapshot.clone() else {
                    self.popup = Some(Popup::EditFile(session));
                    return Some(Vec::new());
                };
                let names = plan.rules.iter().map(|r| r.before.name.clone()).collect();
                let request = self.request_id();
                self.change_requests.push(request);
                return Some(vec![Effect::ApplyEdit {
                    request,
                    plan: Box::new(plan.plan.clone()),
                    snapshot: Box::new(snapshot),
                    names,
                }]);
            }
            (
                EditStage::Errors(_) | EditStage::Review { .. },
                Action::ClosePopup | Action::Quit,
            ) => {
                self.notice = Some(Notice {
                    text: "nothing sent; keeping your edit in a file…".into(),
                    error: false,
                });
                return Some(vec![Effect::KeepEditText { text: session.text }]);
            }
            // The editor has the terminal meanwhile; other keys do nothing here.
            _ => Vec::new(),
        };
        self.popup = Some(Popup::EditFile(session));
        Some(effects)
    }

    /// Where an edit dropped unsent was kept.
    pub(crate) fn edit_kept(&mut self, result: Result<String, String>) -> Vec<Effect> {
        self.notice = Some(match result {
            Ok(path) => Notice {
                text: format!("nothing sent; your edit is kept in {}", sanitize(&path)),
                error: false,
            },
            Err(why) => Notice {
                text: format!(
                    "nothing sent; your edit could not be kept: {}",
                    sanitize(&why)
                ),
                error: true,
            },
        });
        Vec::new()
    }
}

#[cfg(test)]
mod tests;
