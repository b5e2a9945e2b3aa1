//! Keys in the form. While editing, the key table's commands (`FormCommand`: move between
//! inputs, add and remove rows, save) come through `Form::command`, and every other key edits
//! the focused input (text, the description's text area, or a picker's ←/→); the review, the
//! questions and the error dialog take their own few keys.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::options::{self, Choice};
use super::picker_keys::set_field;
use super::target::{InputKind, Target};
use super::{Ask, Form, Outcome, Stage};
use crate::domain::OrgSnapshot;

pub(super) fn notice(text: impl Into<String>, error: bool) -> Outcome {
    Outcome::Notice {
        text: text.into(),
        error,
    }
}

impl Form {
    /// Ctrl-C / quit while the form is open: asks first when there are unsaved changes.
    /// `true` when the app may quit now. A save in flight is waited for only as long as the user
    /// wants: the first Ctrl-C explains, the second quits (the draft is kept, so the typing
    /// survives whatever the server answers).
    pub fn ask_quit(&mut self) -> bool {
        if !self.dirty() || matches!(self.stage, Stage::Ask(Ask::Quit)) {
            return true;
        }
        if let Stage::Saving { quit_asked, .. } = &mut self.stage {
            if *quit_asked {
                return true;
            }
            *quit_asked = true;
            return false;
        }
        self.stage = Stage::Ask(Ask::Quit);
        false
    }

    pub fn key(&mut self, key: KeyEvent, snap: Option<&OrgSnapshot>) -> Outcome {
        match &self.stage {
            Stage::Editing if self.picker.is_some() => self.picker_key(key, snap),
            Stage::Editing => self.editing(key, snap),
            Stage::Review(_) => match key.code {
                KeyCode::Enter => Outcome::Send,
                KeyCode::Esc => {
                    self.stage = Stage::Editing;
                    Outcome::Nothing
                }
                _ => Outcome::Nothing,
            },
            // The request is out and cannot be taken back; every key says so.
            Stage::Saving { .. } => notice(
                "saving… waiting for the answer (Ctrl-C twice quits; the draft is kept)",
                false,
            ),
            Stage::Ask(ask) => {
                let ask = *ask;
                match key.code {
                    KeyCode::Char('y' | 'Y') => match ask {
                        Ask::Discard => Outcome::Close,
                        Ask::Quit => Outcome::Quit,
                        Ask::RemoveFieldRule(i) => {
                            let (before, focus) = (self.data.clone(), self.focus);
                            let outcome = self.remove_field_rule(i, snap);
                            if self.data != before {
                                self.record(before, focus, super::undo::Edit::Command);
                            }
                            outcome
                        }
                    },
                    KeyCode::Char('n' | 'N') | KeyCode::Esc => {
                        self.stage = Stage::Editing;
                        Outcome::Nothing
                    }
                    _ => Outcome::Nothing,
                }
            }
            Stage::Conflict(_) => self.conflict_key(key),
            Stage::Deleted(_) => self.deleted_key(key),
            Stage::Failed(_) => match key.code {
                KeyCode::Enter | KeyCode::Esc => {
                    self.stage = Stage::Editing;
                    Outcome::Nothing
                }
                _ => Outcome::Nothing,
            },
        }
    }

    /// Any other key while editing: it edits the focused input.
    fn editing(&mut self, key: KeyEvent, snap: Option<&OrgSnapshot>) -> Outcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let target = self.focused();
        let before = self.data.clone();
        if !matches!(key.code, KeyCode::Char(_)) || ctrl {
            self.find.clear();
        }
        match target.kind(&self.data) {
            InputKind::Multiline => {
                self.description.input(key);
                self.data.description = self.description.lines().join("\n");
            }
            InputKind::Line => match key.code {
                // A value with a list (picklist, dates, user placeholders) opens it.
                KeyCode::Enter if self.open_picker(target, "", snap) => return Outcome::Nothing,
                KeyCode::Enter | KeyCode::Down => return self.move_focus(1),
                KeyCode::Up => return self.move_focus(-1),
                // A value with choices (picklist, dates, true/false) picks with ←/→; every
                // other line moves its cursor.
                KeyCode::Left | KeyCode::Right if self.picks_value(target, snap) => {
                    if let (Target::Value(i, j), Some(snap)) = (target, snap) {
                        self.cursor = None;
                        self.pick_value(i, j, key.code == KeyCode::Right, snap);
                    }
                }
                code => self.edit_line(target, code, ctrl),
            },
            InputKind::Picker => match key.code {
                // A condition's field and comparator open their type-ahead list.
                KeyCode::Enter if self.open_picker(target, "", snap) => return Outcome::Nothing,
                KeyCode::Char(c)
                    if !ctrl
                        && c != ' '
                        && matches!(target, Target::Field(..) | Target::Comparator(..))
                        && self.open_picker(target, &c.to_string(), snap) =>
                {
                    return Outcome::Nothing;
                }
                KeyCode::Enter | KeyCode::Down => return self.move_focus(1),
                KeyCode::Up => return self.move_focus(-1),
                // Space steps like →, unless a label is being typed ("Last Activity").
                KeyCode::Char(' ') if self.find.is_empty() => {
                    self.pick(target, Pick::Step(1), snap)
                }
                KeyCode::Right => self.pick(target, Pick::Step(1), snap),
                KeyCode::Left => self.pick(target, Pick::Step(-1), snap),
                KeyCode::Char(c) if !ctrl => {
                    self.find.push(c);
                    let prefix = self.find.clone();
                    self.pick(target, Pick::Find(&prefix), snap);
                }
                _ => {}
            },
            InputKind::Fixed => match key.code {
                KeyCode::Enter | KeyCode::Down => return self.move_focus(1),
                KeyCode::Up => return self.move_focus(-1),
                _ => {}
            },
        }
        if self.data == before {
            return Outcome::Nothing;
        }
        self.record(before, self.focus, super::undo::Edit::Typing);
        self.changed(snap)
    }

    pub(super) fn changed(&mut self, snap: Option<&OrgSnapshot>) -> Outcome {
        self.server_errors.clear();
        self.revalidate(snap);
        Outcome::Changed
    }

    pub(super) fn move_focus(&mut self, step: isize) -> Outcome {
        self.find.clear();
        self.cursor = None;
        let n = self.inputs().len();
        if n > 0 {
            self.focus = self.focus.min(n - 1).saturating_add_signed(step).min(n - 1);
        }
        Outcome::Nothing
    }

    fn picks_value(&self, target: Target, snap: Option<&OrgSnapshot>) -> bool {
        let (Target::Value(i, j), Some(schema)) =
            (target, snap.and_then(|s| s.module(&self.module)))
        else {
            return false;
        };
        self.data
            .field_rules
            .get(i)
            .and_then(|f| f.rows().get(j))
            .is_some_and(|row| !options::values(schema, &row.field).is_empty())
    }

    /// Editing keys of a one-line input, at its cursor (a char index; `None`: the end).
    fn edit_line(&mut self, target: Target, code: KeyCode, ctrl: bool) {
        let cursor = self.cursor;
        let Some(text) = self.text_mut(target) else {
            return;
        };
        let n = text.chars().count();
        let at = cursor.unwrap_or(n).min(n);
        let byte = |k: usize, t: &str| t.char_indices().nth(k).map_or(t.len(), |(b, _)| b);
        let next = match code {
            KeyCode::Char(c) if !ctrl && !c.is_control() => {
                text.insert(byte(at, text), c);
                Some(at + 1)
            }
            KeyCode::Backspace if at > 0 => {
                text.remove(byte(at - 1, text));
                Some(at - 1)
            }
            KeyCode::Delete if at < n => {
                text.remove(byte(at, text));
                Some(at)
            }
            KeyCode::Left => Some(at.saturating_sub(1)),
            KeyCode::Right => Some(at + 1),
            KeyCode::Home => Some(0),
            KeyCode::End => None,
            _ => return,
        };
        let n = text.chars().count();
        self.cursor = next.filter(|k| *k < n);
    }

    fn text_mut(&mut self, target: Target) -> Option<&mut String> {
        let d = &mut self.data;
        match target {
            Target::Name => Some(&mut d.name),
            Target::Score(i) => d.field_rules.get_mut(i).map(|f| &mut f.score),
            Target::SignalScore(i) => d.signal_rules.get_mut(i).map(|s| &mut s.score),
            Target::CustomLabel(i) => d.custom_fields.get_mut(i).map(|c| &mut c.label),
            Target::Value(i, j) => d
                .field_rules
                .get_mut(i)
                .and_then(|f| f.criteria.rows.get_mut(j))
                .map(|r| &mut r.value),
            Target::Pattern(i) => d.field_rules.get_mut(i).map(|f| &mut f.criteria.pattern),
            _ => None,
        }
    }

    /// ←/→ in a value input: the next of the field's values (picklist, date presets,
    /// true/false). With several values (`in`, `between`) it changes the last one, so `, `
    /// then ←/→ adds another.
    fn pick_value(&mut self, i: usize, j: usize, forward: bool, snap: &OrgSnapshot) {
        let Some(schema) = snap.module(&self.module) else {
            return;
        };
        let Some(row) = self.data.field_rules.get(i).and_then(|f| f.rows().get(j)) else {
            return;
        };
        let list = options::values(schema, &row.field);
        let several = super::model::takes_list(&row.comparator);
        let (head, last) = match row.value.rsplit_once(',') {
            Some((head, last)) if several => (Some(head.to_string()), last.trim().to_string()),
            _ => (None, row.value.trim().to_string()),
        };
        let step = if forward { 1 } else { -1 };
        let Some(c) = options::cycle(&list, &last, step) else {
            return;
        };
        let value = match head {
            Some(head) => format!("{head}, {}", c.value),
            None => c.value.clone(),
        };
        if let Some(text) = self.text_mut(Target::Value(i, j)) {
            *text = value;
        }
    }

    fn pick(&mut self, target: Target, how: Pick, snap: Option<&OrgSnapshot>) {
        let choose = |list: &[Choice], current: &str| -> Option<Choice> {
            match how {
                Pick::Step(s) => options::cycle(list, current, s).cloned(),
                Pick::Find(prefix) => options::find(list, current, prefix).cloned(),
            }
        };
        let toggle = |b: &mut bool| {
            if matches!(how, Pick::Step(_)) {
                *b = !*b;
            }
        };
        let schema = snap.and_then(|s| s.module(&self.module));
        match target {
            Target::Active => toggle(&mut self.data.active),
            Target::Field(i, j) => {
                let Some(schema) = schema else { return };
                let list = options::fields(schema, self.layout.as_ref());
                let Some(row) = self.row_mut(i, j) else {
                    return;
                };
                if let Some(c) = choose(&list, &row.field) {
                    set_field(row, c.value, schema);
                }
            }
            Target::Comparator(i, j) => {
                let Some(schema) = schema else { return };
                let Some(row) = self.row_mut(i, j) else {
                    return;
                };
                let list = options::comparators(schema, &row.field);
                if let Some(c) = choose(&list, &row.comparator) {
                    row.comparator = c.value;
                }
            }
            Target::Signal(i) => {
                let Some(snap) = snap else { return };
                let list = options::signals(snap);
                let Some(s) = self.data.signal_rules.get_mut(i) else {
                    return;
                };
                if let Some(c) = choose(&list, &s.signal) {
                    s.namespace = snap
                        .signals
                        .iter()
                        .find(|x| x.id.to_string() == c.value)
                        .map(|x| x.namespace.clone())
                        .unwrap_or_default();
                    s.signal = c.value;
                }
            }
            Target::CustomRef(i) => {
                let list = options::score_fields();
                if let Some(c) = self.data.custom_fields.get_mut(i)
                    && c.id.is_none()
                    && let Some(x) = choose(&list, &c.reference)
                {
                    c.reference = x.value;
                }
            }
            _ => {}
        }
    }

    pub(super) fn row_mut(&mut self, i: usize, j: usize) -> Option<&mut super::model::CondForm> {
        self.data
            .field_rules
            .get_mut(i)
            .and_then(|f| f.criteria.rows.get_mut(j))
    }

    pub(super) fn focus_on(&mut self, t: Target) {
        if let Some(i) = self.inputs().iter().position(|x| *x == t) {
            self.focus = i;
        }
    }

    pub(super) fn save(&mut self, snap: Option<&OrgSnapshot>) -> Outcome {
        let Some(snap) = snap else {
            return notice("the org is still loading; save again in a moment", true);
        };
        self.revalidate(Some(snap));
        let n = self.error_count();
        if n > 0 {
            let s = if n == 1 { "" } else { "s" };
            return notice(format!("not saved: {n} error{s} to fix first"), true);
        }
        if !self.dirty() {
            return notice("nothing to save: no changes", false);
        }
        match self.review(snap) {
            Ok(lines) => {
                self.stage = Stage::Review(lines);
                Outcome::Nothing
            }
            Err(e) => notice(format!("not saved: {e}"), true),
        }
    }
}

#[derive(Clone, Copy)]
enum Pick<'a> {
    Step(isize),
    /// The letters typed so far in this picker.
    Find(&'a str),
}
