//! The key table's integrity (one meaning per key and mode, help for every binding, write
//! bindings gated, help and footers naming only bound keys) and key sequences into `App`.

use std::collections::HashSet;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::help::rows;
use super::table::{self, Does, Footer, Help, Section};
use super::{Key, KeyTable, Mode};
use crate::tui::action::{Action, Scope};
use crate::tui::app::{App, Pane, Popup, Source};
use crate::tui::effects::Effect;
use crate::tui::event::Msg;
use crate::tui::test_support::{screen, seeded};

fn event(key: &Key) -> KeyEvent {
    KeyEvent::new(key.code, key.mods)
}

/// The demo org loaded, on the Rules pane of Leads / Standard ("Inbound Demand").
fn on_a_rule(readonly: bool) -> App {
    let mut app = App::new(Source {
        label: "built-in sandbox".into(),
        sandbox: true,
    });
    if readonly {
        app.readonly = Some("started with --readonly".into());
    }
    app.start();
    app.update(Msg::SnapshotLoaded {
        request: 1,
        result: Ok(seeded()),
    });
    press(&mut app, &Key::ch('l'));
    press(&mut app, &Key::ch('j'));
    press(&mut app, &Key::ch('l'));
    assert_eq!(app.focus, Pane::Rules);
    assert_eq!(app.current_rule().unwrap().name, "Inbound Demand");
    app
}

fn press(app: &mut App, key: &Key) -> Vec<Effect> {
    app.update(Msg::Key(event(key)))
}

#[test]
fn no_key_is_bound_twice_in_one_mode() {
    for mode in Mode::ALL {
        let mut seen = HashSet::new();
        for b in table::GLOBAL.iter().chain(table::defaults(mode)) {
            for key in b.keys {
                assert!(seen.insert(*key), "{mode:?}: {key:?} is bound twice");
            }
        }
    }
}

#[test]
fn every_key_of_a_binding_resolves_to_its_action() {
    let keys = KeyTable::defaults();
    for mode in Mode::ALL {
        for b in table::defaults(mode) {
            assert!(!b.keys.is_empty(), "{mode:?}: {b:?} has no key");
            for key in b.keys {
                let got = keys.resolve(mode, event(key));
                match &b.does {
                    Does::Act(action) => assert_eq!(got.as_ref(), Some(action), "{mode:?} {key:?}"),
                    // A key typed into the form's input goes to the form as it is.
                    Does::Type => assert_eq!(got, Some(Action::FormKey(event(key)))),
                }
            }
        }
    }
    // Ctrl-C quits from every mode.
    for mode in Mode::ALL {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(keys.resolve(mode, ctrl_c), Some(Action::Quit), "{mode:?}");
    }
}

#[test]
fn every_bound_action_has_help_text() {
    for mode in Mode::ALL.iter().copied() {
        let bindings = table::defaults(mode);
        if let Some(first) = bindings.first() {
            assert_ne!(first.help, Help::Same, "{mode:?}: nothing to join");
            assert_ne!(first.footer, Footer::Same, "{mode:?}: nothing to join");
        }
        for b in bindings {
            if let Help::Row(_, text) = b.help {
                assert!(!text.trim().is_empty(), "{mode:?}: {b:?}");
            }
        }
    }
    // Every key of every binding is named on one of its table's help rows.
    let keys = KeyTable::defaults();
    for mode in Mode::ALL {
        let rows = rows(keys.bindings(mode));
        for b in table::defaults(mode) {
            for key in b.keys {
                assert!(
                    rows.iter()
                        .any(|(_, r)| names(&r.keys).contains(&key.name())),
                    "{mode:?}: {key:?} is on no help row"
                );
            }
        }
    }
}

/// The key names in a help row's keys ("l / →, h / ←").
fn names(label: &str) -> Vec<String> {
    label
        .split(", ")
        .flat_map(|part| part.split(" / "))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_overlay_and_the_footers_name_only_keys_bound_where_they_work() {
    let keys = KeyTable::defaults();
    let bound = |modes: &[Mode], short: bool| -> HashSet<String> {
        modes
            .iter()
            .flat_map(|&m| keys.bindings(m).iter().chain(keys.global()))
            .flat_map(|b| b.keys.iter())
            .map(|k| if short { k.short_name() } else { k.name() })
            .collect()
    };
    let everywhere = bound(&Mode::ALL, false);
    for group in &keys.text.overlay {
        for row in &group.rows {
            for name in names(&row.keys) {
                assert!(
                    everywhere.contains(&name),
                    "help names {name}, bound nowhere"
                );
            }
        }
    }
    let footer_names = |keys: &str| -> Vec<String> {
        if keys == "/" {
            return vec!["/".into()];
        }
        keys.split('/').map(str::to_string).collect()
    };
    for (hints, mode) in [
        (&keys.text.browse, Mode::Normal),
        (&keys.text.browse_readonly, Mode::Normal),
        (&keys.text.filtering, Mode::Filtering),
        (&keys.text.form, Mode::Form),
    ] {
        let there = bound(&[mode], true);
        assert!(!hints.is_empty(), "{mode:?}");
        for hint in hints {
            for name in footer_names(&hint.keys) {
                assert!(there.contains(&name), "{mode:?}: footer names {name}");
            }
        }
    }
    // The overlay lists every row of its sections, nothing else.
    let listed: usize = keys.text.overlay.iter().map(|g| g.rows.len()).sum();
    let in_overlay = Mode::ALL
        .iter()
        .flat_map(|&m| rows(keys.bindings(m)))
        .chain(rows(keys.global()))
        .filter(|(s, _)| *s != Section::InPlace)
        .count();
    assert_eq!(listed, in_overlay);
}

#[test]
fn an_action_writes_in_every_mode_or_in_none() {
    let all: Vec<&table::Binding> = Mode::ALL
        .iter()
        .flat_map(|&m| table::defaults(m))
        .chain(table::GLOBAL)
        .collect();
    for a in &all {
        for b in &all {
            if a.does == b.does && a.does != Does::Type {
                assert_eq!(a.writes.is_some(), b.writes.is_some(), "{a:?} / {b:?}");
            }
        }
    }
}

/// Whether what a key did starts a change: a write sent, a confirmation of one, or a dialog or
/// form that ends in one.
fn starts_a_change(app: &App, effects: &[Effect]) -> bool {
    let sends = effects.iter().any(|e| {
        matches!(
            e,
            Effect::SetActive { .. }
                | Effect::DeleteRule { .. }
                | Effect::CloneRule { .. }
                | Effect::Execute { .. }
                | Effect::SaveRule { .. }
                | Effect::MoveRule { .. }
                | Effect::Undo { .. }
        )
    });
    let asks = matches!(
        app.popup,
        Some(
            Popup::ConfirmWrite(_)
                | Popup::ConfirmDelete(_)
                | Popup::ConfirmUndo(_)
                | Popup::Move(_)
                | Popup::Execute(_)
        )
    );
    sends || asks || app.form.is_some()
}

#[test]
fn every_key_that_starts_a_change_is_a_write_binding_refused_read_only() {
    let keys = KeyTable::defaults();
    let mut writes_seen = String::new();
    for b in keys.bindings(Mode::Normal) {
        for key in &b.keys {
            let mut app = on_a_rule(false);
            let effects = press(&mut app, key);
            if starts_a_change(&app, &effects) {
                writes_seen.push_str(&key.name());
                assert!(
                    b.default.writes.is_some(),
                    "{key:?} starts a change but is not marked as a write"
                );
            }
            let mut app = on_a_rule(true);
            let effects = press(&mut app, key);
            assert!(
                !starts_a_change(&app, &effects),
                "{key:?} started a change read-only"
            );
            if let Some(what) = b.default.writes {
                let notice = app.notice.clone().unwrap_or_else(|| panic!("{key:?}"));
                assert_eq!(
                    notice.text,
                    format!("read-only: {what} is off (started with --readonly)")
                );
                assert!(notice.error);
            }
        }
    }
    assert_eq!(writes_seen, "acxXdnemu");
}

#[test]
fn every_write_binding_of_every_mode_is_refused_read_only_however_asked() {
    let keys = KeyTable::defaults();
    for mode in Mode::ALL {
        for b in keys.bindings(mode) {
            let (Some(what), Does::Act(action)) = (b.default.writes, &b.default.does) else {
                continue;
            };
            let mut app = on_a_rule(true);
            assert_eq!(app.act(action.clone()), vec![], "{mode:?}: {action:?}");
            let notice = app.notice.clone().unwrap();
            assert!(
                notice
                    .text
                    .starts_with(&format!("read-only: {what} is off"))
            );
        }
    }
}

#[test]
fn modifiers_do_not_reach_a_plain_letters_action() {
    let mut app = on_a_rule(false);
    for c in ['x', 'd', 'a', 'q'] {
        let alt = KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT);
        assert_eq!(app.update(Msg::Key(alt)), vec![], "Alt-{c}");
        assert_eq!(app.popup, None);
        assert!(!app.quit);
    }
    // Shift is in the character: X executes the layout.
    assert_eq!(
        app.keys.resolve(
            Mode::Normal,
            KeyEvent::new(KeyCode::Char('X'), KeyModifiers::SHIFT)
        ),
        Some(Action::Execute(Scope::Layout))
    );
}

#[test]
fn key_sequences_act_through_the_table() {
    let mut app = on_a_rule(false);
    // x asks, n cancels; X asks about the layout, y sends the execution.
    press(&mut app, &Key::ch('x'));
    assert!(matches!(app.popup, Some(Popup::ConfirmWrite(_))));
    press(&mut app, &Key::ch('n'));
    assert_eq!(app.popup, None);
    press(&mut app, &Key::ch('X'));
    let Some(Popup::ConfirmWrite(c)) = &app.popup else {
        panic!("{:?}", app.popup)
    };
    assert!(
        c.lines[0].contains("active rule(s) of Leads / Standard"),
        "{:?}",
        c.lines
    );
    let effects = press(&mut app, &Key::ch('y'));
    assert!(
        matches!(effects.as_slice(), [Effect::Execute { .. }]),
        "{effects:?}"
    );
    // Esc, then ? opens the help, which j scrolls and q closes.
    press(&mut app, &Key::code(KeyCode::Esc));
    press(&mut app, &Key::code(KeyCode::Esc));
    assert_eq!(app.mode(), Mode::Normal);
    press(&mut app, &Key::ch('?'));
    assert_eq!(app.mode(), Mode::Popup);
    press(&mut app, &Key::ch('j'));
    assert_eq!(app.popup, Some(Popup::Help(1)));
    press(&mut app, &Key::ch('q'));
    assert_eq!(app.popup, None);
    assert!(!app.quit);
    // / types a filter: letters bound elsewhere are text; Tab keeps it.
    press(&mut app, &Key::ch('/'));
    for c in "inb".chars() {
        press(&mut app, &Key::ch(c));
    }
    assert_eq!(app.filter(Pane::Rules), "inb");
    press(&mut app, &Key::code(KeyCode::Tab));
    assert_eq!(app.mode(), Mode::Normal);
    assert_eq!(app.filter(Pane::Rules), "inb");
}

/// Drift fixed: Ctrl-O worked in the form but the help did not list it.
#[test]
fn the_help_lists_ctrl_o_which_the_form_answers() {
    let mut app = on_a_rule(false);
    press(&mut app, &Key::ch('?'));
    press(&mut app, &Key::ch('G'));
    let shown = screen(&app, 160, 48);
    assert!(shown.contains("Ctrl-O"), "{shown}");
}

#[test]
fn a_popup_takes_every_key_and_a_filter_takes_letters_bound_elsewhere() {
    let keys = KeyTable::defaults();
    let plain = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    // `a` toggles a rule while browsing; over the help or a confirmation it does nothing.
    for mode in [Mode::Popup, Mode::Confirm, Mode::Move, Mode::Scroll] {
        assert_eq!(keys.resolve(mode, plain('a')), None, "{mode:?}");
    }
    assert_eq!(
        keys.resolve(Mode::Filtering, plain('q')),
        Some(Action::FilterInput('q'))
    );
    assert_eq!(keys.resolve(Mode::Normal, plain('q')), Some(Action::Quit));
    assert_eq!(
        keys.resolve(Mode::LabExplain, plain('r')),
        Some(Action::Lab(crate::tui::lab::LabAction::Type('r')))
    );
    // A release is not a press.
    let mut release = plain('q');
    release.kind = crossterm::event::KeyEventKind::Release;
    assert_eq!(keys.resolve(Mode::Normal, release), None);
}
