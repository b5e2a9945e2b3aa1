//! Keys to actions. Which keys mean what depends on the mode (a popup on top takes every key,
//! a filter being typed takes printable characters, …): each mode has one table of bindings
//! (`table`), and a `KeyTable` built once from those defaults, held in `App`, answers key →
//! action. The help overlay and the footers are derived from the same table (`help`), and so
//! is read-only gating (`KeyTable::writes`), so a key cannot do one thing and be described or
//! gated as another. `[keys]` in config.toml (`config`) changes only `Bound::keys`.

pub mod config;
pub mod help;
pub mod table;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use self::table::{Binding, Does};
use super::action::Action;
use super::app::{App, Popup};
use super::lab::LabAction;

/// What decides which table applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    Normal,
    Filtering,
    /// The help overlay, or an execution's progress.
    Popup,
    /// A yes/no confirmation.
    Confirm,
    /// A confirmation that needs a name typed (deleting a rule that owns custom fields).
    ConfirmTyped,
    /// The rule form, editing: its commands, and every other key edits the focused input.
    Form,
    /// The rule form with a type-ahead list open (field, comparator, value): printable keys
    /// narrow it, the form reads every key.
    FormPicker,
    /// One of the rule form's dialogs (review, a question, a conflict, an error): the form
    /// reads every key itself.
    FormDialog,
    /// The restore-draft dialog.
    DraftOffer,
    /// The move dialog: pick a layout (j / k, Enter), then y to run the steps shown.
    Move,
    /// A scrollable read-only popup (a rule's history, a notice).
    Scroll,
    /// The score lab's preview.
    Lab,
    /// The score lab explaining a record: printable keys type the record finder's query.
    LabExplain,
    /// The plan of a change to the marked rules: its choices as keys.
    Bulk,
    /// An edit in the editor: its errors or its review (`edit_file`).
    EditFile,
    /// The `:` command line, or `:find`'s results: they read every key themselves.
    Command,
}

impl Mode {
    pub const ALL: [Mode; 16] = [
        Mode::Normal,
        Mode::Filtering,
        Mode::Popup,
        Mode::Confirm,
        Mode::ConfirmTyped,
        Mode::Form,
        Mode::FormPicker,
        Mode::FormDialog,
        Mode::DraftOffer,
        Mode::Move,
        Mode::Scroll,
        Mode::Lab,
        Mode::LabExplain,
        Mode::Bulk,
        Mode::EditFile,
        Mode::Command,
    ];
}

/// A key as bindings name it: its code and its Ctrl / Alt. Shift is in the character already
/// (`X`), or in the code (`BackTab`), so it is dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub const fn ch(c: char) -> Key {
        Key::code(KeyCode::Char(c))
    }

    pub const fn code(code: KeyCode) -> Key {
        Key {
            code,
            mods: KeyModifiers::NONE,
        }
    }

    pub fn of(event: &KeyEvent) -> Key {
        Key {
            code: event.code,
            mods: event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT),
        }
    }

    /// How the help names it: `Ctrl-S`, `Shift-Tab`, `→`, `x`.
    pub fn name(&self) -> String {
        self.named(false)
    }

    /// How a footer names it, in less room: `^S`, `S-Tab`.
    pub fn short_name(&self) -> String {
        self.named(true)
    }

    fn named(&self, short: bool) -> String {
        let base = match self.code {
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                c.to_ascii_uppercase().to_string()
            }
            KeyCode::Char(' ') => "Space".into(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::BackTab if short => "S-Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Delete => "Del".into(),
            // crossterm's own names (F-keys and the rare rest); its Enter says Return on macOS,
            // hence the spelled-out ones above.
            other => other.to_string(),
        };
        let mut name = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            name.push_str(if short { "^" } else { "Ctrl-" });
        }
        if self.mods.contains(KeyModifiers::ALT) {
            name.push_str("Alt-");
        }
        name.push_str(&base);
        name
    }
}

/// A binding as the app uses it: the default's action, help and gating, and its keys (the
/// defaults' until configuration overrides them).
#[derive(Clone, Debug)]
pub struct Bound {
    pub default: &'static Binding,
    pub keys: Vec<Key>,
}

/// One mode's bindings, and its keys looked up.
#[derive(Clone, Debug, Default)]
struct ModeKeys {
    bindings: Vec<Bound>,
    by_key: HashMap<Key, usize>,
}

impl ModeKeys {
    fn new(defaults: &'static [Binding], rebound: Option<&config::Overrides>) -> ModeKeys {
        let bindings: Vec<Bound> = defaults
            .iter()
            .enumerate()
            .map(|(i, b)| Bound {
                default: b,
                keys: rebound
                    .and_then(|o| o.get(&i))
                    .map_or_else(|| b.keys.to_vec(), |r| r.keys.clone()),
            })
            .collect();
        let mut by_key = HashMap::new();
        for (i, b) in bindings.iter().enumerate() {
            for key in &b.keys {
                // The first binding of a key wins; the table tests keep keys unique.
                by_key.entry(*key).or_insert(i);
            }
        }
        ModeKeys { bindings, by_key }
    }

    fn get(&self, key: &Key) -> Option<&Bound> {
        self.by_key.get(key).and_then(|&i| self.bindings.get(i))
    }
}

/// Every mode's bindings, and what is derived from them for the screen.
#[derive(Clone, Debug)]
pub struct KeyTable {
    global: ModeKeys,
    modes: HashMap<Mode, ModeKeys>,
    /// The help overlay's groups and the footers, derived once.
    pub text: help::HelpText,
}

impl Default for KeyTable {
    fn default() -> KeyTable {
        KeyTable::defaults()
    }
}

impl KeyTable {
    /// The built-in bindings.
    pub fn defaults() -> KeyTable {
        KeyTable::build(&HashMap::new())
    }

    /// The built-in bindings with config.toml's `[keys]` applied, and a sentence for each
    /// rebinding that could not be used (those actions keep their default keys).
    pub fn configured(keys: &crate::config::keys::KeysConfig) -> (KeyTable, Vec<String>) {
        let applied = config::apply(keys, |mode| match mode {
            Some(m) => table::defaults(m),
            None => table::GLOBAL,
        });
        (KeyTable::build(&applied.overrides), applied.problems)
    }

    fn build(overrides: &HashMap<Option<Mode>, config::Overrides>) -> KeyTable {
        let modes = Mode::ALL
            .iter()
            .map(|&m| {
                (
                    m,
                    ModeKeys::new(table::defaults(m), overrides.get(&Some(m))),
                )
            })
            .collect();
        let mut keys = KeyTable {
            global: ModeKeys::new(table::GLOBAL, overrides.get(&None)),
            modes,
            text: help::HelpText::default(),
        };
        keys.text = help::HelpText::of(&keys);
        keys
    }

    /// `mode`'s bindings, in table order.
    pub fn bindings(&self, mode: Mode) -> &[Bound] {
        self.modes.get(&mode).map_or(&[], |m| m.bindings.as_slice())
    }

    /// The bindings that apply in every mode.
    pub fn global(&self) -> &[Bound] {
        &self.global.bindings
    }

    /// What `event` does in `mode`: a binding of every mode, then one of the mode's, then, in
    /// a mode that takes typing, the key typed.
    pub fn resolve(&self, mode: Mode, event: KeyEvent) -> Option<Action> {
        // Key releases and repeats arrive only with the kitty protocol; a press is what counts.
        if event.kind == KeyEventKind::Release {
            return None;
        }
        let key = Key::of(&event);
        let bound = self
            .global
            .get(&key)
            .or_else(|| self.modes.get(&mode).and_then(|m| m.get(&key)));
        match bound.map(|b| &b.default.does) {
            Some(Does::Act(action)) => Some(action.clone()),
            Some(Does::Type) | None => typed(mode, event),
        }
    }

    /// What read-only refuses when `action` is asked for ("deleting"), however it was asked
    /// for (a key, the mouse, a test): `None` when it changes nothing.
    pub fn writes(&self, action: &Action) -> Option<&'static str> {
        self.modes
            .values()
            .chain([&self.global])
            .flat_map(|m| &m.bindings)
            .filter(|b| matches!(&b.default.does, Does::Act(a) if a == action))
            .find_map(|b| b.default.writes)
    }
}

/// A key typed into what `mode` is typing into.
fn typed(mode: Mode, event: KeyEvent) -> Option<Action> {
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    match (mode, event.code) {
        (Mode::Filtering, KeyCode::Char(c)) if !ctrl => Some(Action::FilterInput(c)),
        (Mode::ConfirmTyped, KeyCode::Char(c)) if !ctrl => Some(Action::ConfirmInput(c)),
        (Mode::LabExplain, KeyCode::Char(c))
            if !event.modifiers.contains(KeyModifiers::ALT) && !ctrl =>
        {
            Some(Action::Lab(LabAction::Type(c)))
        }
        (Mode::Form | Mode::FormPicker | Mode::FormDialog, _) => Some(Action::FormKey(event)),
        (Mode::Command, _) => Some(Action::CommandKey(event)),
        _ => None,
    }
}

impl App {
    /// Which table the next key is looked up in.
    pub fn mode(&self) -> Mode {
        if let Some(view) = &self.lab.view {
            return match view.explanation {
                Some(_) => Mode::LabExplain,
                None => Mode::Lab,
            };
        }
        match &self.popup {
            Some(Popup::Help(_) | Popup::Execute(_)) => return Mode::Popup,
            Some(Popup::ConfirmDelete(c)) if c.needs_typing() => return Mode::ConfirmTyped,
            Some(Popup::RestoreDraft(_)) => return Mode::DraftOffer,
            Some(Popup::EditFile(_)) => return Mode::EditFile,
            Some(Popup::ConfirmDelete(_) | Popup::ConfirmUndo(_) | Popup::ConfirmWrite(_)) => {
                return Mode::Confirm;
            }
            Some(Popup::Move(_)) => return Mode::Move,
            Some(Popup::Bulk(d)) if d.needs_typing() => return Mode::ConfirmTyped,
            Some(Popup::Bulk(d)) => {
                return match d.stage {
                    super::marks::Stage::Choose { .. } | super::marks::Stage::Plan => Mode::Bulk,
                    _ => Mode::Scroll,
                };
            }
            Some(Popup::History(_) | Popup::Notice(_) | Popup::Report(_)) => return Mode::Scroll,
            Some(Popup::Found(_)) => return Mode::Command,
            None => {}
        }
        if self.commands.line.is_some() {
            return Mode::Command;
        }
        if let Some(form) = &self.form {
            return match form.stage {
                super::form::Stage::Editing if form.picker.is_some() => Mode::FormPicker,
                super::form::Stage::Editing => Mode::Form,
                _ => Mode::FormDialog,
            };
        }
        if self.filtering {
            Mode::Filtering
        } else {
            Mode::Normal
        }
    }

    pub fn key(&mut self, key: KeyEvent) -> Vec<super::effects::Effect> {
        match self.keys.resolve(self.mode(), key) {
            Some(action) => self.act(action),
            None => Vec::new(),
        }
    }
}
