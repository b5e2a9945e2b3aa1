//! The rule form: create (`n`) or edit (`e`) a rule with inline validation, review a diff
//! before saving, and a draft on disk that survives a crash.
//!
//! The form's content is plain data (`model::FormData`, the text of every input). Each change
//! re-runs the domain validator on the request the form would send (`check`), and each finding
//! is shown at the input its path names (`target`). The form is a pure state machine like the
//! app: keys in, an `Outcome` out, which `App` turns into effects (save, write the draft).

pub mod body;
pub mod check;
mod commands;
pub mod conflict;
pub mod draft;
mod hooks;
mod keys;
pub mod model;
pub mod options;
pub mod picker;
mod picker_keys;
pub mod picks;
mod rows;
pub mod target;
mod undo;

#[cfg(test)]
mod tests;

use ratatui_textarea::{CursorMove, TextArea};

pub use self::commands::FormCommand;
pub use self::hooks::{Refused, SaveFailure};

use self::body::Mode;
use self::check::{FieldError, Subject};
use self::draft::Draft;
use self::model::FormData;
use self::target::{BodyMap, Target};
use crate::domain::validate::{apply_patch, parse_create, parse_update};
use crate::domain::{Id, OrgSnapshot, ScoringRule};
use crate::rule_diff::{self, DiffLine, Names};

/// Where the form is in its life.
#[derive(Clone, Debug, PartialEq)]
pub enum Stage {
    Editing,
    /// The diff is shown; Enter sends, Esc returns to editing.
    Review(Vec<DiffLine>),
    /// The request is out; the map turns a server error back into an input. `quit_asked`: a
    /// first Ctrl-C came while waiting, so the next one quits without the answer (the draft
    /// stays, so nothing typed is lost).
    Saving {
        request: u64,
        map: BodyMap,
        quit_asked: bool,
    },
    Ask(Ask),
    /// A server error that names no input, in a dialog over the form.
    Failed(String),
    /// The save was refused: someone else changed the rule (the three-way view).
    Conflict(Box<conflict::ConflictView>),
    /// The save was refused: the rule was deleted meanwhile.
    Deleted(conflict::DeletedView),
}

/// A question before losing typed changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    /// Esc with unsaved changes: drop them?
    Discard,
    /// Quit with unsaved changes (the draft stays for the next start).
    Quit,
    /// Ctrl-D would remove field rule `i` (0-based) with all its conditions.
    RemoveFieldRule(usize),
}

/// What a key did, for the app to act on.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Nothing,
    /// The content changed: the draft must follow.
    Changed,
    Notice {
        text: String,
        error: bool,
    },
    /// Close the form and drop its draft.
    Close,
    Quit,
    /// Send the request (the app assigns the request id).
    Send,
    /// Preview the draft in the score lab, over the form.
    Preview,
    /// The form now holds a merge (or a re-create) on a new base: the draft must follow.
    Reapplied,
    /// Drop my edits: close the form, remove the draft, reload the org.
    Discard,
}

#[derive(Clone, Debug)]
pub struct Form {
    pub module: String,
    pub layout: Option<Id>,
    /// The rule as loaded, `modified_time` included (`None` when creating). Kept untouched:
    /// it is the "base" a conflict check compares the org's current rule against.
    pub base: Option<ScoringRule>,
    pub data: FormData,
    /// What the form opened with; the form is dirty when `data` differs.
    initial: FormData,
    pub description: TextArea<'static>,
    /// Index into `inputs()`.
    pub focus: usize,
    pub stage: Stage,
    pub errors: Vec<FieldError>,
    /// Errors the server answered a save with, until the next change.
    pub server_errors: Vec<FieldError>,
    /// Lint findings about the draft, `(label, reason)`: warnings that never block a save.
    pub lint: Vec<(&'static str, String)>,
    /// Letters typed into the focused picker so far: type-to-find by label prefix.
    find: String,
    /// The type-ahead list open over the focused input, if any.
    pub picker: Option<picker::Picker>,
    /// The cursor in the focused one-line input, as a char index; `None`: at the end.
    pub cursor: Option<usize>,
    /// What Ctrl-Z / Ctrl-Y go back and forth through.
    history: undo::History,
}

/// The description's text area holding `text`, typing continuing where it ends (as in the
/// one-line inputs).
fn description_area(text: &str) -> TextArea<'static> {
    let mut area = TextArea::new(text.split('\n').map(String::from).collect());
    area.move_cursor(CursorMove::Bottom);
    area.move_cursor(CursorMove::End);
    area
}

impl Form {
    fn with(module: &str, layout: Option<Id>, base: Option<ScoringRule>, data: FormData) -> Form {
        let initial = match &base {
            Some(b) => FormData::from_rule(b),
            None => Form::blank(),
        };
        let description = description_area(&data.description);
        Form {
            module: module.to_string(),
            layout,
            base,
            data,
            initial,
            description,
            focus: 0,
            stage: Stage::Editing,
            errors: Vec::new(),
            server_errors: Vec::new(),
            lint: Vec::new(),
            find: String::new(),
            picker: None,
            cursor: None,
            history: undo::History::default(),
        }
    }

    /// What a new rule starts as: active, one empty field rule to fill in.
    fn blank() -> FormData {
        let mut data = FormData::new_rule();
        data.field_rules.push(model::FieldRuleForm::default());
        data
    }

    /// A new rule in `module` and `layout` (`None`: all layouts).
    pub fn create(module: &str, layout: Option<Id>) -> Form {
        Form::with(module, layout, None, Form::blank())
    }

    pub fn edit(rule: &ScoringRule) -> Form {
        Form::with(
            &rule.module.api_name,
            rule.layout_id().cloned(),
            Some(rule.clone()),
            FormData::from_rule(rule),
        )
    }

    pub fn restore(d: Draft) -> Form {
        Form::with(&d.module, d.layout, d.base, d.data)
    }

    pub fn is_create(&self) -> bool {
        self.base.is_none()
    }

    pub fn dirty(&self) -> bool {
        self.data != self.initial
    }

    pub fn subject(&self) -> Subject<'_> {
        Subject {
            module: &self.module,
            layout: self.layout.as_ref(),
            base: self.base.as_ref(),
        }
    }

    pub fn inputs(&self) -> Vec<Target> {
        target::inputs(&self.data, self.is_create())
    }

    pub fn focused(&self) -> Target {
        let inputs = self.inputs();
        inputs
            .get(self.focus.min(inputs.len().saturating_sub(1)))
            .copied()
            .unwrap_or(Target::Name)
    }

    /// Every error on `target`, the server's included.
    pub fn errors_at(&self, target: Target) -> impl Iterator<Item = &FieldError> {
        self.errors
            .iter()
            .chain(&self.server_errors)
            .filter(move |e| e.target == target)
    }

    pub fn error_count(&self) -> usize {
        self.errors.len() + self.server_errors.len()
    }

    pub fn draft(&self) -> Draft {
        Draft::new(
            &self.module,
            self.layout.as_ref(),
            self.base.as_ref(),
            &self.data,
        )
    }

    /// Re-runs validation and lint; without an org loaded there is nothing to judge against
    /// yet. A draft the domain cannot read yet has no lint (its errors say why).
    pub fn revalidate(&mut self, snap: Option<&OrgSnapshot>) {
        self.errors = match snap {
            Some(s) => check::check(&self.data, self.subject(), s),
            None => Vec::new(),
        };
        let errors: Vec<&str> = self.errors.iter().map(|e| e.text.as_str()).collect();
        self.lint = snap
            .and_then(|s| {
                Some(crate::tui::lab::lint::draft_findings(
                    s,
                    &self.draft_rule(s).ok()?,
                    &errors,
                ))
            })
            .unwrap_or_default();
    }

    /// The request to send, or `None` when the module is gone from the org.
    pub fn request(&self, snap: &OrgSnapshot) -> Option<body::Body> {
        let schema = snap.module(&self.module)?;
        Some(check::request(
            &self.data,
            self.subject(),
            schema,
            Mode::Exact,
        ))
    }

    /// The rule the form's request would make, as the domain builds it: a new rule without
    /// an id, or the loaded rule with the edit applied (its id kept). What the preview scores
    /// and lint judges; `Err` says why the typed content cannot be read as a rule yet.
    pub fn draft_rule(&self, snap: &OrgSnapshot) -> Result<ScoringRule, String> {
        // A pattern that does not read would be sent as its rows joined by AND: never preview,
        // lint or review that as if it were what was typed.
        for (i, fr) in self.data.field_rules.iter().enumerate() {
            if let Err(e) = fr.criteria.structure() {
                return Err(format!("field rule {}: pattern {e}", i + 1));
            }
        }
        let req = self
            .request(snap)
            .ok_or_else(|| format!("module {} is not in this org", self.module))?;
        let unreadable = |v: Vec<crate::domain::Violation>| {
            v.first()
                .map_or_else(|| "the request is not valid".to_string(), |v| v.to_string())
        };
        let after = match &self.base {
            None => parse_create(&req.item).map_err(unreadable)?,
            Some(base) => {
                let patch = parse_update(&req.item).map_err(unreadable)?;
                apply_patch(base, &patch).map_err(unreadable)?.rule
            }
        };
        Ok(after)
    }

    /// `rule` (the draft as edited in the editor, `Ctrl-E`) in place of what was typed, as one
    /// undoable edit, then the review `Ctrl-S` opens (or the errors that keep it from opening).
    pub fn take_edit(&mut self, rule: &ScoringRule, snap: &OrgSnapshot) -> Outcome {
        let (before, focus) = (self.data.clone(), self.focus);
        self.data = FormData::from_rule(rule);
        self.description = description_area(&self.data.description);
        self.cursor = None;
        self.server_errors.clear();
        if self.data != before {
            self.record(before, focus, undo::Edit::Command);
        }
        self.command(FormCommand::Save, Some(snap))
    }

    /// The diff of what the request changes, read from the rule the domain builds from it.
    fn review(&self, snap: &OrgSnapshot) -> Result<Vec<DiffLine>, String> {
        let after = self.draft_rule(snap)?;
        let names = Names::of(Some(snap), &self.module);
        Ok(rule_diff::diff(self.base.as_ref(), Some(&after), names))
    }

    /// A save error from the server: at its input when it names one (`details.json_path`, or
    /// `details.api_name` for the rule's own keys), otherwise in a dialog. The form keeps
    /// everything typed either way.
    pub fn save_failed(&mut self, text: String, details: Option<&serde_json::Value>) {
        let map = match std::mem::replace(&mut self.stage, Stage::Editing) {
            Stage::Saving { map, .. } => map,
            other => {
                self.stage = other;
                return;
            }
        };
        let path = details
            .and_then(|d| d.get("json_path"))
            .and_then(|p| p.as_str())
            .and_then(target::parse_json_path)
            .or_else(|| {
                let key = details?.get("api_name")?.as_str()?;
                matches!(key, "name" | "description")
                    .then(|| crate::domain::RulePath::root().key(key))
            });
        match path.map(|p| map.target(&p, &self.data)) {
            Some(t) if t != Target::Rule => {
                self.server_errors.push(FieldError {
                    target: t,
                    text: format!("{}: {}", t.label(), crate::display::sanitize(&text)),
                });
                if let Some(i) = self.inputs().iter().position(|x| *x == t) {
                    self.focus = i;
                }
            }
            _ => self.stage = Stage::Failed(crate::display::sanitize(&text)),
        }
    }
}
