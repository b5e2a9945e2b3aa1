//! The help overlay's rows and the footers' hints, derived from the key table once (when the
//! table is built), so they name the keys that are bound, and only those.

use super::table::{Footer, Help, Section, Show};
use super::{Bound, Key, KeyTable, Mode};

/// One row of the help overlay: its keys as shown ("n / e") and what they do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelpRow {
    pub keys: String,
    pub text: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelpGroup {
    pub title: &'static str,
    pub rows: Vec<HelpRow>,
}

/// A footer hint: its keys, short, by the first key of each binding ("^S", "Tab/S-Tab",
/// "j/k" for j / ↓ and k / ↑: the help lists the others), and its label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    pub keys: String,
    pub label: &'static str,
}

impl Hint {
    /// "? help".
    pub fn text(&self) -> String {
        format!("{} {}", self.keys, self.label)
    }
}

/// Everything the screen shows about keys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HelpText {
    pub overlay: Vec<HelpGroup>,
    /// The status bar's hints while browsing.
    pub browse: Vec<Hint>,
    /// The same while read-only: no write, and what the room left is for.
    pub browse_readonly: Vec<Hint>,
    /// The status bar's hints while a filter is typed.
    pub filtering: Vec<Hint>,
    /// The rule form's footer.
    pub form: Vec<Hint>,
    /// The rule form's footer while a type-ahead list is open.
    pub form_picker: Vec<Hint>,
    /// The score lab's footer under a preview's results: " j/k select · w explain · …".
    pub lab: String,
}

impl HelpText {
    pub fn of(table: &KeyTable) -> HelpText {
        let hints = |mode, readonly| -> Vec<Hint> {
            footer(table.bindings(mode))
                .into_iter()
                .filter(|h| match h.show {
                    Show::Always => !(readonly && h.writes),
                    Show::ReadOnly => readonly,
                })
                .map(|h| h.hint)
                .collect()
        };
        HelpText {
            overlay: overlay(table),
            browse: hints(Mode::Normal, false),
            browse_readonly: hints(Mode::Normal, true),
            filtering: hints(Mode::Filtering, false),
            form: hints(Mode::Form, false),
            form_picker: hints(Mode::FormPicker, false),
            lab: hints(Mode::Lab, false)
                .iter()
                .map(|h| format!(" {}", h.text()))
                .collect::<Vec<_>>()
                .join(" ·"),
        }
    }

    /// How many lines the overlay's body has: a heading per group, its rows, a blank between
    /// groups.
    pub fn overlay_lines(&self) -> usize {
        self.overlay
            .iter()
            .map(|g| g.rows.len() + 2)
            .sum::<usize>()
            .saturating_sub(1)
    }
}

/// The overlay: the rows of every mode's bindings, grouped by section in the sections' order,
/// each group's rows in table order (every mode's, then the global ones).
fn overlay(table: &KeyTable) -> Vec<HelpGroup> {
    let all: Vec<(Section, HelpRow)> = Mode::ALL
        .iter()
        .flat_map(|&m| rows(table.bindings(m)))
        .chain(rows(table.global()))
        .collect();
    Section::OVERLAY
        .iter()
        .map(|&(section, title)| HelpGroup {
            title,
            rows: all
                .iter()
                .filter(|(s, _)| *s == section)
                .map(|(_, r)| r.clone())
                .collect(),
        })
        .filter(|g| !g.rows.is_empty())
        .collect()
}

/// The help rows of one table: a `Help::Row` binding, with the `Help::Same` ones after it.
pub fn rows(bindings: &[Bound]) -> Vec<(Section, HelpRow)> {
    let mut rows: Vec<(Section, &'static str, Vec<&[Key]>)> = Vec::new();
    for b in bindings {
        match b.default.help {
            Help::Row(section, text) => rows.push((section, text, vec![&b.keys])),
            Help::Same => {
                if let Some(last) = rows.last_mut() {
                    last.2.push(&b.keys);
                }
            }
        }
    }
    rows.into_iter()
        .map(|(section, text, keys)| {
            let keys = keys_label(&keys);
            (section, HelpRow { keys, text })
        })
        .collect()
}

/// "Tab / Shift-Tab" when each binding has one key; "l / →, h / ←" when they have several.
fn keys_label(bindings: &[&[Key]]) -> String {
    let names = |keys: &[Key]| -> Vec<String> { keys.iter().map(Key::name).collect() };
    if bindings.iter().all(|k| k.len() == 1) {
        return bindings
            .iter()
            .flat_map(|k| names(k))
            .collect::<Vec<_>>()
            .join(" / ");
    }
    bindings
        .iter()
        .map(|k| names(k).join(" / "))
        .collect::<Vec<_>>()
        .join(", ")
}

struct FooterHint {
    at: u8,
    show: Show,
    writes: bool,
    hint: Hint,
}

/// The hints of one table, in their places: a `Footer::Hint` binding's keys, with the keys of
/// the `Footer::Same` ones after it.
fn footer(bindings: &[Bound]) -> Vec<FooterHint> {
    let mut hints: Vec<FooterHint> = Vec::new();
    for b in bindings {
        let key = b.keys.first().map(Key::short_name).unwrap_or_default();
        match b.default.footer {
            Footer::None => {}
            Footer::Hint(at, label, show) => hints.push(FooterHint {
                at,
                show,
                writes: b.default.writes.is_some(),
                hint: Hint { keys: key, label },
            }),
            Footer::Same => {
                if let Some(last) = hints.last_mut() {
                    last.hint.keys.push('/');
                    last.hint.keys.push_str(&key);
                }
            }
        }
    }
    hints.sort_by_key(|h| h.at);
    hints
}
