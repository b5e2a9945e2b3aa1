//! Keys of an open type-ahead list (field, comparator, value): printable keys narrow it,
//! ↑/↓ move, Space marks in a multi-select list, Enter picks, Tab picks and moves on, Esc
//! closes it leaving the input as it was. Their footer and help rows are the key table's
//! `FORM_PICKER`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::keys::notice;
use super::model::takes_list;
use super::options;
use super::picker::Picker;
use super::picks::{self, Item};
use super::target::Target;
use super::{Form, Outcome};
use crate::domain::OrgSnapshot;

/// Rows PageUp / PageDown move by.
const PAGE: isize = 10;

impl Form {
    /// Opens the list of a condition's field, comparator or value, narrowed by `query`;
    /// `false` when the input has no list (free text, or no org loaded yet).
    pub(super) fn open_picker(
        &mut self,
        target: Target,
        query: &str,
        snap: Option<&OrgSnapshot>,
    ) -> bool {
        let Some(schema) = snap.and_then(|s| s.module(&self.module)) else {
            return false;
        };
        let (Target::Field(i, j) | Target::Comparator(i, j) | Target::Value(i, j)) = target else {
            return false;
        };
        let Some(row) = self.data.field_rules.get(i).and_then(|f| f.rows().get(j)) else {
            return false;
        };
        let picker = match target {
            Target::Field(..) => Picker::new(
                target,
                "fields".into(),
                picks::fields(schema, self.layout.as_ref()),
                false,
                std::slice::from_ref(&row.field),
                query,
            ),
            Target::Comparator(..) => Picker::new(
                target,
                "comparators".into(),
                picks::comparators(schema, &row.field),
                false,
                std::slice::from_ref(&row.comparator),
                query,
            ),
            _ => {
                let Some(field) = schema.field(&row.field) else {
                    return false;
                };
                let (items, multi) = picks::values(field, row);
                if items.is_empty() {
                    return false;
                }
                let title = format!("values of {}", crate::display::sanitize(field.label()));
                Picker::new(
                    target,
                    title,
                    items,
                    multi,
                    &picks::typed_values(row),
                    query,
                )
            }
        };
        self.find.clear();
        self.picker = Some(picker);
        true
    }

    pub(super) fn picker_key(&mut self, key: KeyEvent, snap: Option<&OrgSnapshot>) -> Outcome {
        let Some(p) = self.picker.as_mut() else {
            return Outcome::Nothing;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => self.picker = None,
            KeyCode::Up => p.step(-1),
            KeyCode::Down => p.step(1),
            KeyCode::PageUp => p.step(-PAGE),
            KeyCode::PageDown => p.step(PAGE),
            KeyCode::Backspace => p.pop(),
            KeyCode::Char(' ') if p.multi => p.toggle(),
            KeyCode::Char(c) if !ctrl && !c.is_control() => p.push(c),
            KeyCode::Enter => return self.accept(false, snap),
            KeyCode::Tab => return self.accept(true, snap),
            _ => {}
        }
        Outcome::Nothing
    }

    /// Puts what the list chose into its input and closes it (`then_next`: and moves on).
    fn accept(&mut self, then_next: bool, snap: Option<&OrgSnapshot>) -> Outcome {
        let Some(p) = self.picker.take() else {
            return Outcome::Nothing;
        };
        let chosen: Vec<Item> = p.chosen().into_iter().cloned().collect();
        if chosen.is_empty() {
            self.picker = Some(p);
            return notice(
                "nothing matches what is typed: Backspace widens the list, Esc closes it",
                true,
            );
        }
        let (before, focus) = (self.data.clone(), self.focus);
        let schema = snap.and_then(|s| s.module(&self.module));
        let mut type_n = false;
        match p.target {
            Target::Field(i, j) => {
                if let (Some(schema), Some(row), Some(c)) =
                    (schema, self.row_mut(i, j), chosen.first())
                    && row.field != c.value
                {
                    set_field(row, c.value.clone(), schema);
                }
            }
            Target::Comparator(i, j) => {
                if let (Some(row), Some(c)) = (self.row_mut(i, j), chosen.first()) {
                    row.comparator = c.value.clone();
                }
            }
            Target::Value(i, j) => {
                let mut cursor = None;
                if let Some(row) = self.row_mut(i, j) {
                    let (value, at) = value_text(&row.value, &row.comparator, p.multi, &chosen);
                    row.value = value;
                    cursor = at;
                }
                type_n = cursor.is_some();
                self.cursor = cursor;
            }
            _ => {}
        }
        let mut out = Outcome::Nothing;
        if self.data != before {
            self.record(before, focus, super::undo::Edit::Command);
            out = self.changed(snap);
        }
        if type_n {
            return notice("type the number n where the cursor is", false);
        }
        if then_next {
            self.move_focus(1);
        } else if !matches!(p.target, Target::Value(..)) {
            self.cursor = None;
        }
        out
    }
}

/// The value input's new text from the chosen items, and where the cursor goes when the user
/// still has to type a number (`${LAST_N_DAYS:▏}`). A multi-select list replaces the whole
/// value; a single pick replaces it too, except in a list (`between`), where it replaces the
/// last value so `, ` then a pick adds another.
fn value_text(
    current: &str,
    comparator: &str,
    multi: bool,
    chosen: &[Item],
) -> (String, Option<usize>) {
    if multi {
        let text = chosen
            .iter()
            .map(|c| c.value.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        return (text, None);
    }
    let Some(c) = chosen.first() else {
        return (current.to_string(), None);
    };
    let head = match current.rsplit_once(',') {
        Some((head, _)) if takes_list(comparator) => format!("{head}, "),
        _ => String::new(),
    };
    match c.n_at {
        Some(at) => {
            let mut v = c.value.clone();
            if at < v.len() {
                v.remove(at);
            }
            let cursor = head.chars().count() + at;
            (format!("{head}{v}"), Some(cursor))
        }
        None => (format!("{head}{}", c.value), None),
    }
}

/// A condition's new field: its value is cleared, and a comparator the field's type does not
/// take becomes the first one it does.
pub(super) fn set_field(
    row: &mut super::model::CondForm,
    field: String,
    schema: &crate::domain::ModuleSchema,
) {
    row.field = field;
    row.field_id = None;
    row.value.clear();
    row.loaded = None;
    let valid = options::comparators(schema, &row.field);
    if !valid.iter().any(|x| x.value == row.comparator) {
        row.comparator = valid.first().map(|x| x.value.clone()).unwrap_or_default();
    }
}
