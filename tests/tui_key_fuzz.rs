//! Key-sequence fuzz over every mode and popup of the TUI: random keys (Ctrl-C, Esc and every
//! binding among them) drive `App` on the seeded demo org, while a simulated effect runner
//! answers some background work at once (success or failure) and leaves the rest in flight, as
//! a slow or stalled server would. After each sequence the app must answer as a person expects:
//!
//! - **Ctrl-C always gets out**: it quits at once, or asks, and a second Ctrl-C (or `y`) quits —
//!   whatever work is in flight (a save, an execution, a preview, a load).
//! - **Esc always answers**: the screen changes, or the app is already on its plain main screen.
//!
//! The seeds are fixed, so a failure replays; the failing key sequence is printed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tui::{sandbox, screen_in, seeded};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use zscore::domain::OrgSnapshot;
use zscore::tui::app::{App, Source};
use zscore::tui::effects::Effect;
use zscore::tui::event::Msg;
use zscore::tui::lab::{LabEffect, LabMsg};
use zscore::tui::outcome::{Change, Done, Failure};
use zscore::tui::view::Theme;

/// A small deterministic generator (xorshift64*), so the fuzz needs no extra crate and replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Steps a person takes in one go, so random sessions reach deep states (a save in flight, an
/// execution, a preview over the form) and not only the first screen.
fn macros() -> Vec<Vec<KeyEvent>> {
    let chars = |s: &str| s.chars().map(|c| key(KeyCode::Char(c))).collect::<Vec<_>>();
    let mut to_rules = chars("lj");
    to_rules.push(key(KeyCode::Tab));
    let mut save = vec![ctrl('s')];
    save.push(key(KeyCode::Enter));
    let mut edit = to_rules.clone();
    edit.extend(chars("eab"));
    let mut edit_and_review = edit.clone();
    edit_and_review.push(ctrl('s'));
    let mut edit_and_save = edit.clone();
    edit_and_save.extend(save.clone());
    vec![
        to_rules,
        chars("ab"),
        save,
        edit,
        edit_and_review,
        edit_and_save,
        vec![ctrl('p')],
        chars("xy"),
        chars("Xy"),
    ]
}

/// Every key the app binds somewhere, plus text and a few it binds nowhere.
fn alphabet() -> Vec<KeyEvent> {
    let mut keys: Vec<KeyEvent> = "hjkljkjkgGnexXacdmuHpqrwy/?+- aZ1"
        .chars()
        .map(|c| key(KeyCode::Char(c)))
        .collect();
    keys.extend(
        [
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Backspace,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Home,
            KeyCode::End,
        ]
        .into_iter()
        .map(key),
    );
    keys.extend(['s', 'p', 'f', 'r', 'g', 'u', 'd'].into_iter().map(ctrl));
    keys
}

/// Runs the effects an update returned the way a runner would, sometimes: answered with
/// success, answered with a failure, or left in flight forever.
struct Runner {
    rng: Rng,
    snapshot: OrgSnapshot,
}

impl Runner {
    fn answer(&mut self, app: &mut App, effects: Vec<Effect>) {
        let mut queue = effects;
        // Answers can ask for more work (a reload after a change): bounded, like a real session.
        for _ in 0..8 {
            let mut next = Vec::new();
            for effect in queue.drain(..) {
                let choice = self.rng.below(3);
                if choice == 2 {
                    continue; // left in flight
                }
                let ok = choice == 0;
                if let Some(msg) = self.reply(effect, ok) {
                    next.extend(app.update(msg));
                }
            }
            if next.is_empty() {
                return;
            }
            queue = next;
        }
    }

    fn reply(&self, effect: Effect, ok: bool) -> Option<Msg> {
        let failed = || "the server did not answer".to_string();
        Some(match effect {
            Effect::LoadSnapshot { request } => Msg::SnapshotLoaded {
                request,
                result: if ok {
                    Ok(self.snapshot.clone())
                } else {
                    Err(failed())
                },
            },
            Effect::SetActive { request, .. }
            | Effect::DeleteRule { request, .. }
            | Effect::CloneRule { request, .. }
            | Effect::MoveRule { request, .. }
            | Effect::Undo { request, .. } => Msg::RuleChanged {
                request,
                change: Change::Undo,
                result: if ok {
                    Ok(Done::Written)
                } else {
                    Err(Failure::Other(failed()))
                },
            },
            Effect::Execute { request, .. } => Msg::ExecDone { request },
            Effect::SaveRule { request, .. } => Msg::FormSaved {
                request,
                result: if ok {
                    Ok(None)
                } else {
                    Err(zscore::tui::outcome::Failure::Other(failed()))
                },
            },
            Effect::PrepareUndo { request } => Msg::UndoReady {
                request,
                result: Err(Failure::Other(failed())),
            },
            Effect::LoadHistory { request, .. } => Msg::HistoryLoaded {
                request,
                result: Ok(Vec::new()),
            },
            Effect::Lab(LabEffect::Preview(job)) => Msg::Lab(LabMsg::Done {
                request: job.request,
                module: job.schema.module.api_name.clone(),
                result: Err(failed()),
            }),
            _ => return None,
        })
    }
}

fn screen(app: &App) -> String {
    screen_in(app, 80, 24, Theme { color: false })
}

fn describe(keys: &[KeyEvent]) -> String {
    keys.iter()
        .map(|k| {
            let ctrl = if k.modifiers.contains(KeyModifiers::CONTROL) {
                "C-"
            } else {
                ""
            };
            match k.code {
                KeyCode::Char(c) => format!("{ctrl}{c}"),
                other => format!("{ctrl}{other:?}"),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A random session: `len` keys from the alphabet with the runner answering as it goes.
fn session(seed: u64, len: usize) -> (App, Runner, Vec<KeyEvent>) {
    let snapshot = seeded();
    let mut app = App::new(sandbox());
    let mut runner = Runner {
        rng: Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1),
        snapshot,
    };
    let start = app.start();
    runner.answer(&mut app, start);
    let alphabet = alphabet();
    let macros = macros();
    let mut keys = Vec::new();
    while keys.len() < len && !app.quit {
        // One step in four is a macro.
        let step = if runner.rng.below(4) == 0 {
            macros[runner.rng.below(macros.len())].clone()
        } else {
            vec![alphabet[runner.rng.below(alphabet.len())]]
        };
        for k in step {
            keys.push(k);
            let effects = app.update(Msg::Key(k));
            runner.answer(&mut app, effects);
            if app.quit {
                break;
            }
        }
    }
    (app, runner, keys)
}

const SESSIONS: u64 = 300;
const KEYS: usize = 40;

#[test]
fn ctrl_c_quits_from_every_state_at_most_one_question_later() {
    // Which states the sessions ended in, so the fuzz is known to reach the deep ones.
    let mut reached = std::collections::BTreeSet::new();
    for seed in 1..=SESSIONS {
        let (mut app, _runner, keys) = session(seed, KEYS);
        if app.quit {
            continue;
        }
        reached.insert(format!("{:?}", app.mode()));
        if let Some(form) = &app.form {
            let stage = format!("{:?}", form.stage);
            reached.insert(format!(
                "form {}",
                stage.split([' ', '(', '{']).next().unwrap_or("")
            ));
        }
        if app.busy() {
            reached.insert("work in flight".to_string());
        }
        let before = screen(&app);
        // Nothing more is answered from here on: work in flight stays in flight.
        app.update(Msg::Key(ctrl('c')));
        if app.quit {
            continue;
        }
        let asked = screen(&app);
        assert_ne!(
            asked,
            before,
            "seed {seed}: Ctrl-C neither quit nor said anything after: {}",
            describe(&keys)
        );
        app.update(Msg::Key(ctrl('c')));
        assert!(
            app.quit,
            "seed {seed}: a second Ctrl-C did not quit after: {}\n{asked}",
            describe(&keys)
        );
    }
    for state in [
        "Normal",
        "Form",
        "Lab",
        "Popup",
        "form Saving",
        "form Review",
        "work in flight",
    ] {
        assert!(
            reached.contains(state),
            "no session reached {state}: {reached:?}"
        );
    }
}

#[test]
fn y_answers_the_quit_question() {
    for seed in 1..=SESSIONS {
        let (mut app, _runner, keys) = session(seed, KEYS);
        if app.quit {
            continue;
        }
        app.update(Msg::Key(ctrl('c')));
        if app.quit {
            continue;
        }
        let asked = screen(&app);
        if !asked.contains("Quit?") {
            continue;
        }
        app.update(Msg::Key(key(KeyCode::Char('y'))));
        assert!(
            app.quit,
            "seed {seed}: y did not answer the quit question after: {}\n{asked}",
            describe(&keys)
        );
    }
}

#[test]
fn esc_always_answers() {
    // The plain main screen: what Esc leads back to. Esc there may do nothing.
    let mut plain = App::new(Source {
        label: "built-in sandbox".into(),
        sandbox: true,
    });
    plain.update(Msg::SnapshotLoaded {
        request: 0,
        result: Ok(seeded()),
    });
    for seed in 1..=SESSIONS {
        let (mut app, _runner, keys) = session(seed, KEYS);
        if app.quit {
            continue;
        }
        // A notice is cleared by any key; take it away first so only Esc's own answer counts.
        app.notice = None;
        let before = screen(&app);
        let base = app.popup.is_none()
            && app.form.is_none()
            && app.lab.view.is_none()
            && !app.filtering
            && app.filter(app.focus).is_empty();
        app.update(Msg::Key(key(KeyCode::Esc)));
        if base {
            continue;
        }
        assert_ne!(
            screen(&app),
            before,
            "seed {seed}: Esc changed nothing on screen after: {}",
            describe(&keys)
        );
    }
}
