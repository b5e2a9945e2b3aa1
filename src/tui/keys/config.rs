//! Your own keys: the `[keys]` section of config.toml applied to the default table. Each
//! action is named by its snake-case name (`delete_rule`, `execute_layout`, `form_save`); the
//! main view's actions sit at the top of `[keys]`, another mode's in its sub-table
//! (`[keys.form]`, `[keys.lab]`, …, `[keys.global]` for the keys of every mode). A rebinding
//! replaces the action's keys in that mode.
//!
//! What cannot be used is reported, naming the line's place and the action (the caller names the
//! file), and the
//! action keeps its default keys: an unknown mode or action, a key that does not read, a key
//! another action of the mode (or a global one) already has, a plain character where the mode
//! takes typing. The app starts either way.

use std::collections::HashMap;

use crossterm::event::{KeyCode, KeyModifiers};

use super::table::{Binding, Does};
use super::{Key, Mode};
use crate::config::keys::{KeyList, KeysConfig, KeysEntry};
use crate::tui::action::Action;

/// What rebinding asks of one mode: binding index → its new keys, with where it was written.
pub(super) type Overrides = HashMap<usize, Rebind>;

#[derive(Clone, Debug)]
pub(super) struct Rebind {
    pub keys: Vec<Key>,
    /// `[keys.form] form_save = "ctrl-s"`, as problems quote it.
    pub written: String,
}

/// Where a mode's actions go in `[keys]`: `None` for the top level.
pub fn section(mode: Option<Mode>) -> Option<&'static str> {
    Some(match mode? {
        Mode::Normal => return None,
        Mode::Filtering => "filter",
        Mode::Popup => "popup",
        Mode::Confirm => "confirm",
        Mode::ConfirmTyped => "confirm_typed",
        Mode::Form => "form",
        Mode::FormDialog => "form_dialog",
        Mode::FormPicker => "form_picker",
        Mode::DraftOffer => "draft",
        Mode::Move => "move",
        Mode::Scroll => "scroll",
        Mode::Lab => "lab",
        Mode::LabExplain => "lab_explain",
        Mode::Bulk => "bulk",
        Mode::EditFile => "edit_file",
        Mode::Command => "command",
    })
}

/// `[keys]` section names: every mode's, and `global` (written `None` as a mode).
fn mode_of_section(name: &str) -> Option<Option<Mode>> {
    if name == "global" {
        return Some(None);
    }
    Mode::ALL
        .into_iter()
        .find(|&m| section(Some(m)) == Some(name))
        .map(Some)
}

/// An action's name in `[keys]`: its variant in snake case, what it carries joined on
/// (`Execute(Layout)` → `execute_layout`, `Form(Save)` → `form_save`). `None` for an action
/// that carries data no key can name (a typed character).
pub fn action_name(action: &Action) -> Option<String> {
    let debug = format!("{action:?}");
    let mut name = String::with_capacity(debug.len() + 4);
    for c in debug.chars() {
        match c {
            'A'..='Z' => {
                if name.chars().last().is_some_and(|p| p != '_') {
                    name.push('_');
                }
                name.push(c.to_ascii_lowercase());
            }
            'a'..='z' | '0'..='9' => name.push(c),
            '(' => {
                if !name.ends_with('_') {
                    name.push('_');
                }
            }
            ')' => {}
            _ => return None,
        }
    }
    Some(name)
}

/// A key as written: `x`, `X`, `space`, `ctrl-s`, `alt-x`, `enter`, `esc`, `tab`, `shift-tab`,
/// `backspace`, `del`, arrows (`up`, …), `pgup`, `pgdn`, `home`, `end`, `f1`…`f12`. Names are
/// any case; a single character is the character (`X` is Shift-x).
pub fn parse_key(text: &str) -> Result<Key, String> {
    let mut mods = KeyModifiers::NONE;
    let mut rest = text;
    loop {
        let lower = rest.to_ascii_lowercase();
        let prefix = ["ctrl-", "c-", "alt-", "a-", "m-"]
            .into_iter()
            .find(|p| lower.starts_with(p) && rest.len() > p.len());
        match prefix {
            Some(p) => {
                mods |= if p.starts_with('c') {
                    KeyModifiers::CONTROL
                } else {
                    KeyModifiers::ALT
                };
                rest = &rest[p.len()..];
            }
            None => break,
        }
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_control() => {
            // Ctrl-S and Ctrl-s are one key to a terminal: crossterm reports the lower case.
            if mods.contains(KeyModifiers::CONTROL) {
                KeyCode::Char(c.to_ascii_lowercase())
            } else {
                KeyCode::Char(c)
            }
        }
        _ => named(&rest.to_ascii_lowercase()).ok_or_else(|| {
            format!("{text:?} is not a key (write x, X, ctrl-s, alt-x, enter, esc, tab, shift-tab, space, up, pgdn, f2, …)")
        })?,
    };
    Ok(Key { code, mods })
}

fn named(name: &str) -> Option<KeyCode> {
    Some(match name {
        "space" => KeyCode::Char(' '),
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "shift-tab" | "s-tab" | "backtab" => KeyCode::BackTab,
        "backspace" | "bs" => KeyCode::Backspace,
        "del" | "delete" => KeyCode::Delete,
        "ins" | "insert" => KeyCode::Insert,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        f if f.starts_with('f') => match f[1..].parse::<u8>() {
            Ok(n @ 1..=12) => KeyCode::F(n),
            _ => return None,
        },
        _ => return None,
    })
}

/// Modes where a plain character is typed into something: binding one there would stop it
/// being typed.
fn takes_typing(mode: Option<Mode>) -> bool {
    matches!(
        mode,
        None | Some(
            Mode::Filtering
                | Mode::ConfirmTyped
                | Mode::Form
                | Mode::FormDialog
                | Mode::FormPicker
                | Mode::Command
                | Mode::LabExplain
        )
    )
}

fn plain_char(key: &Key) -> bool {
    matches!(key.code, KeyCode::Char(_))
        && !key
            .mods
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// The configuration read against the default tables: per mode (`None` = global) the
/// rebindings that can be used, and a sentence for each that cannot.
pub(super) struct Applied {
    pub overrides: HashMap<Option<Mode>, Overrides>,
    pub problems: Vec<String>,
}

pub(super) fn apply(
    config: &KeysConfig,
    defaults: impl Fn(Option<Mode>) -> &'static [Binding],
) -> Applied {
    let mut problems = Vec::new();
    let mut overrides: HashMap<Option<Mode>, Overrides> = HashMap::new();
    let mut read = |mode: Option<Mode>, action: &str, list: &KeyList| {
        let place = match section(mode).or(mode.is_none().then_some("global")) {
            Some(s) if mode != Some(Mode::Normal) => format!("[keys.{s}]"),
            _ => "[keys]".to_string(),
        };
        let written = format!("{place} {action} = {}", quoted(list));
        let table = defaults(mode);
        let names: Vec<(usize, String)> = table
            .iter()
            .enumerate()
            .filter_map(|(i, b)| match &b.does {
                Does::Act(a) => action_name(a).map(|n| (i, n)),
                Does::Type => None,
            })
            .collect();
        let Some(&(index, _)) = names.iter().find(|(_, n)| n == action) else {
            let hint = closest(action, names.iter().map(|(_, n)| n.as_str()))
                .map(|n| format!("; did you mean {n}?"))
                .unwrap_or_default();
            problems.push(format!("{place} {action}: no such action in {place}{hint}"));
            return;
        };
        let keys: Result<Vec<Key>, String> = list.keys().into_iter().map(parse_key).collect();
        let keys = match keys {
            Ok(k) if k.is_empty() => {
                problems.push(format!(
                    "{written}: give at least one key; the default keys stay"
                ));
                return;
            }
            Ok(k) => k,
            Err(e) => {
                problems.push(format!("{written}: {e}; the default keys stay"));
                return;
            }
        };
        if takes_typing(mode)
            && let Some(k) = keys.iter().find(|k| plain_char(k))
        {
            problems.push(format!(
                "{written}: {} is typed in this mode; use ctrl- or alt-, or a named key; the default keys stay",
                k.name()
            ));
            return;
        }
        overrides
            .entry(mode)
            .or_default()
            .insert(index, Rebind { keys, written });
    };
    let mut unknown_modes = Vec::new();
    for (name, entry) in &config.0 {
        match entry {
            KeysEntry::Keys(list) => read(Some(Mode::Normal), name, list),
            KeysEntry::Mode(actions) => match mode_of_section(name) {
                Some(mode) => {
                    for (action, list) in actions {
                        read(mode, action, list);
                    }
                }
                None => unknown_modes.push(name),
            },
        }
    }
    if !unknown_modes.is_empty() {
        // Only the modes with an action to rebind (the form's dialogs read keys themselves).
        let sections: Vec<&str> = Mode::ALL
            .into_iter()
            .filter(|&m| {
                defaults(Some(m))
                    .iter()
                    .any(|b| matches!(&b.does, Does::Act(a) if action_name(a).is_some()))
            })
            .filter_map(|m| section(Some(m)))
            .chain(["global"])
            .collect();
        for name in unknown_modes {
            problems.push(format!(
                "[keys.{name}]: no such mode; the modes are {}",
                sections.join(", ")
            ));
        }
    }
    drop_conflicts(&mut overrides, &mut problems, &defaults);
    Applied {
        overrides,
        problems,
    }
}

/// Removes rebindings that give a key to two actions of one mode, or that a global key would
/// shadow, until none is left: each is reported, and its action keeps its defaults.
fn drop_conflicts(
    overrides: &mut HashMap<Option<Mode>, Overrides>,
    problems: &mut Vec<String>,
    defaults: &impl Fn(Option<Mode>) -> &'static [Binding],
) {
    let keys_of =
        |ov: &HashMap<Option<Mode>, Overrides>, mode: Option<Mode>| -> Vec<(usize, Vec<Key>)> {
            defaults(mode)
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let keys = ov
                        .get(&mode)
                        .and_then(|o| o.get(&i))
                        .map_or_else(|| b.keys.to_vec(), |r| r.keys.clone());
                    (i, keys)
                })
                .collect()
        };
    let describe = |mode: Option<Mode>, i: usize| -> String {
        match defaults(mode).get(i).map(|b| &b.does) {
            Some(Does::Act(a)) => action_name(a).unwrap_or_else(|| format!("{a:?}")),
            _ => "typing".to_string(),
        }
    };
    loop {
        let mut clash: Option<(Option<Mode>, usize, String)> = None;
        'modes: for mode in std::iter::once(None).chain(Mode::ALL.into_iter().map(Some)) {
            let Some(ov) = overrides.get(&mode) else {
                continue;
            };
            let mine = keys_of(overrides, mode);
            let global = if mode.is_some() {
                keys_of(overrides, None)
            } else {
                Vec::new()
            };
            let mut indices: Vec<&usize> = ov.keys().collect();
            indices.sort();
            for &i in indices {
                let Some((_, keys)) = mine.iter().find(|(j, _)| *j == i) else {
                    continue;
                };
                for key in keys {
                    let other = mine
                        .iter()
                        .find(|(j, ks)| *j != i && ks.contains(key))
                        .map(|(j, _)| describe(mode, *j))
                        .or_else(|| {
                            global
                                .iter()
                                .find(|(_, ks)| ks.contains(key))
                                .map(|(j, _)| format!("{} (in every mode)", describe(None, *j)))
                        });
                    if let Some(other) = other {
                        clash = Some((mode, i, format!("{} is already {other}", key.name())));
                        break 'modes;
                    }
                }
            }
        }
        let Some((mode, i, why)) = clash else { return };
        if let Some(r) = overrides.get_mut(&mode).and_then(|o| o.remove(&i)) {
            problems.push(format!("{}: {why}; the default keys stay", r.written));
        }
    }
}

fn quoted(list: &KeyList) -> String {
    match list {
        KeyList::One(k) => format!("{k:?}"),
        KeyList::Many(ks) => format!(
            "[{}]",
            ks.iter()
                .map(|k| format!("{k:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The known name nearest `name`, when one is near enough to be a slip of the keyboard.
fn closest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (strsim::jaro_winkler(name, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keys::KeyTable;
    use crate::tui::keys::table;

    fn config(toml_text: &str) -> KeysConfig {
        #[derive(serde::Deserialize)]
        struct File {
            keys: KeysConfig,
        }
        toml::from_str::<File>(toml_text).unwrap().keys
    }

    fn configured(toml_text: &str) -> (KeyTable, Vec<String>) {
        KeyTable::configured(&config(toml_text))
    }

    fn press(table: &KeyTable, mode: Mode, key: &str) -> Option<Action> {
        let k = parse_key(key).unwrap();
        table.resolve(mode, crossterm::event::KeyEvent::new(k.code, k.mods))
    }

    #[test]
    fn every_bound_action_has_a_name() {
        for mode in std::iter::once(None).chain(Mode::ALL.into_iter().map(Some)) {
            let bindings = match mode {
                Some(m) => table::defaults(m),
                None => table::GLOBAL,
            };
            for b in bindings {
                if let Does::Act(a) = &b.does {
                    let name = action_name(a).unwrap_or_else(|| panic!("{a:?} has no name"));
                    assert!(
                        name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                        "{name}"
                    );
                }
            }
        }
        assert_eq!(
            action_name(&Action::Execute(crate::tui::action::Scope::Layout)).as_deref(),
            Some("execute_layout")
        );
        assert_eq!(
            action_name(&Action::Form(crate::tui::form::FormCommand::Save)).as_deref(),
            Some("form_save")
        );
        assert_eq!(action_name(&Action::FilterInput('x')), None);
    }

    #[test]
    fn keys_read_as_written() {
        let k = |s: &str| parse_key(s).unwrap();
        assert_eq!(k("x"), Key::ch('x'));
        assert_eq!(k("X"), Key::ch('X'));
        assert_eq!(k("space"), Key::ch(' '));
        assert_eq!(k("Ctrl-S").mods, KeyModifiers::CONTROL);
        assert_eq!(k("ctrl-S").code, KeyCode::Char('s'));
        assert_eq!(k("alt-x").mods, KeyModifiers::ALT);
        assert_eq!(k("shift-tab").code, KeyCode::BackTab);
        assert_eq!(k("PgDn").code, KeyCode::PageDown);
        assert_eq!(k("f2").code, KeyCode::F(2));
        assert_eq!(k("-").code, KeyCode::Char('-'));
        for bad in ["", "ctrl-", "f13", "hyper-x", "xy"] {
            assert!(parse_key(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_rebound_action_answers_its_new_keys_only_and_the_help_and_footer_say_so() {
        let (keys, problems) = configured(
            r#"
            [keys]
            delete_rule = "D"
            execute_layout = ["ctrl-x", "f5"]
            [keys.form]
            form_save = ["ctrl-s", "f2"]
            "#,
        );
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(press(&keys, Mode::Normal, "D"), Some(Action::DeleteRule));
        assert_eq!(press(&keys, Mode::Normal, "d"), None);
        assert_eq!(
            press(&keys, Mode::Normal, "f5"),
            Some(Action::Execute(crate::tui::action::Scope::Layout))
        );
        assert_eq!(
            press(&keys, Mode::Form, "f2"),
            Some(Action::Form(crate::tui::form::FormCommand::Save))
        );
        // Read-only gating follows the action, whatever its key.
        assert_eq!(keys.writes(&Action::DeleteRule), Some("deleting"));
        let help: Vec<String> = keys
            .text
            .overlay
            .iter()
            .flat_map(|g| g.rows.iter().map(|r| format!("{} {}", r.keys, r.text)))
            .collect();
        assert!(help.iter().any(|r| r.starts_with("D delete")), "{help:#?}");
        assert!(!help.iter().any(|r| r.starts_with("d delete")), "{help:#?}");
        let footer: Vec<String> = keys.text.browse.iter().map(|h| h.text()).collect();
        assert!(footer.contains(&"D delete".to_string()), "{footer:?}");
    }

    #[test]
    fn what_cannot_be_used_is_reported_and_keeps_the_defaults() {
        let (keys, problems) = configured(
            r#"
            [keys]
            delete_rul = "D"
            toggle_active = "d"
            quit = "ctrl-c"
            reload = "hyper-r"
            [keys.filter]
            filter_done = "k"
            [keys.nowhere]
            quit = "Q"
            "#,
        );
        assert_eq!(
            problems,
            vec![
                format!("[keys] delete_rul: no such action in [keys]; did you mean delete_rule?"),
                format!(
                    "[keys.filter] filter_done = \"k\": k is typed in this mode; use ctrl- or alt-, or a named key; the default keys stay"
                ),
                format!(
                    "[keys] reload = \"hyper-r\": \"hyper-r\" is not a key (write x, X, ctrl-s, alt-x, enter, esc, tab, shift-tab, space, up, pgdn, f2, …); the default keys stay"
                ),
                format!(
                    "[keys.nowhere]: no such mode; the modes are filter, popup, confirm, confirm_typed, form, draft, move, scroll, lab, lab_explain, bulk, edit_file, global"
                ),
                format!(
                    "[keys] quit = \"ctrl-c\": Ctrl-C is already quit (in every mode); the default keys stay"
                ),
                format!(
                    "[keys] toggle_active = \"d\": d is already delete_rule; the default keys stay"
                ),
            ]
        );
        // Every action there kept its default keys.
        assert_eq!(press(&keys, Mode::Normal, "a"), Some(Action::ToggleActive));
        assert_eq!(press(&keys, Mode::Normal, "d"), Some(Action::DeleteRule));
        assert_eq!(press(&keys, Mode::Normal, "q"), Some(Action::Quit));
        assert_eq!(
            press(&keys, Mode::Filtering, "k"),
            Some(Action::FilterInput('k'))
        );
    }

    #[test]
    fn two_actions_can_swap_keys() {
        let (keys, problems) = configured(
            r#"
            [keys]
            delete_rule = "a"
            toggle_active = "d"
            "#,
        );
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(press(&keys, Mode::Normal, "a"), Some(Action::DeleteRule));
        assert_eq!(press(&keys, Mode::Normal, "d"), Some(Action::ToggleActive));
    }
}

#[cfg(test)]
mod readme {
    use super::*;
    use crate::tui::keys::table;

    /// Every action's name, by `[keys]` section, as README lists them.
    fn listing() -> String {
        let mut out = String::new();
        for mode in std::iter::once(Some(Mode::Normal))
            .chain(
                Mode::ALL
                    .into_iter()
                    .filter(|&m| m != Mode::Normal)
                    .map(Some),
            )
            .chain([None])
        {
            let bindings = match mode {
                Some(m) => table::defaults(m),
                None => table::GLOBAL,
            };
            let mut names: Vec<String> = Vec::new();
            for b in bindings {
                if let Does::Act(a) = &b.does
                    && let Some(n) = action_name(a)
                    && !names.contains(&n)
                {
                    names.push(n);
                }
            }
            if names.is_empty() {
                // The form's dialogs read their keys themselves: nothing to rebind there.
                continue;
            }
            let place = match mode {
                Some(Mode::Normal) => "[keys]".to_string(),
                m => format!("[keys.{}]", section(m).unwrap_or("global")),
            };
            out.push_str(&format!("- `{place}`: {}\n", names.join(", ")));
        }
        out
    }

    #[test]
    fn readme_lists_every_action_name() {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        let want = listing();
        assert!(
            readme.contains(&want),
            "README's list of key names is out of date; it should read:\n{want}"
        );
    }
}
