//! Fixtures for the TUI's screen and state tests: the sandbox's seeded demo org, an app that
//! has loaded it through the same `Msg` a real load sends, keys pressed into it, and its frame
//! drawn on ratatui's `TestBackend`. One copy here, so every screen test starts from the same
//! org and presses keys the same way.

use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use chrono::TimeZone;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::mpsc;
use zscore::api::{Client, ClientConfig};
use zscore::domain::{Edition, OrgSnapshot};
use zscore::journal::Journal;
use zscore::tui::app::{App, Source};
use zscore::tui::effects::{Effect, Runner};
use zscore::tui::event::Msg;
use zscore::tui::form::{Form, Stage};
use zscore::tui::view::{self, Theme};

use super::Harness;

/// The moment the demo org is seeded at, so times on screen stay put.
pub fn seeded_at() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap()
}

/// The seeded demo org, as the Enterprise edition sees it. Parsed once per test binary:
/// every test gets its own clone.
pub fn seeded() -> OrgSnapshot {
    static SEEDED: OnceLock<OrgSnapshot> = OnceLock::new();
    SEEDED
        .get_or_init(|| {
            zscore::sandbox::seed::load_embedded(seeded_at())
                .unwrap()
                .snapshot(Edition::Enterprise)
        })
        .clone()
}

/// Where the app says its data comes from: the built-in sandbox.
pub fn sandbox() -> Source {
    Source {
        label: "built-in sandbox".into(),
        sandbox: true,
    }
}

/// Where the app says its data comes from: a real org, the profile `prod`.
pub fn profile_prod() -> Source {
    Source {
        label: "profile prod".into(),
        sandbox: false,
    }
}

/// The app on `source`, started (its first load asked for, not answered).
pub fn started(source: Source) -> App {
    let mut app = App::new(source);
    app.start();
    app
}

/// The answer to the app's first load: `snapshot`.
pub fn load(app: &mut App, snapshot: OrgSnapshot) -> Vec<Effect> {
    app.update(Msg::SnapshotLoaded {
        request: 1,
        result: Ok(snapshot),
    })
}

/// The app on `source` with `snapshot` loaded.
pub fn loaded_from(source: Source, snapshot: OrgSnapshot) -> App {
    let mut app = started(source);
    load(&mut app, snapshot);
    app
}

/// The app on the built-in sandbox with the demo org loaded.
pub fn loaded() -> App {
    loaded_from(sandbox(), seeded())
}

/// One key with `modifiers`; the effects it asked for.
pub fn send(app: &mut App, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, modifiers)))
}

/// One key without modifiers; the effects it asked for.
pub fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    send(app, code, KeyModifiers::NONE)
}

/// Each character of `text` typed in turn, as characters (a `\n` is a newline character, not
/// Enter: for text fields).
pub fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| press(app, KeyCode::Char(c)))
        .collect()
}

/// Each character of `keys` pressed in turn, `\n` as Enter, `\t` as Tab and `\x1b` as Esc;
/// the effects they asked for.
pub fn keys(app: &mut App, keys: &str) -> Vec<Effect> {
    keys.chars()
        .flat_map(|c| {
            let code = match c {
                '\n' => KeyCode::Enter,
                '\t' => KeyCode::Tab,
                '\x1b' => KeyCode::Esc,
                c => KeyCode::Char(c),
            };
            press(app, code)
        })
        .collect()
}

/// The frame drawn on a `width` × `height` test terminal with `theme` (cells keep colours).
pub fn render(app: &App, width: u16, height: u16, theme: Theme) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view::draw(f, app, theme)).unwrap();
    terminal
}

/// The frame as text, drawn at `width` × `height` with `theme`.
pub fn screen_in(app: &App, width: u16, height: u16, theme: Theme) -> String {
    render(app, width, height, theme).backend().to_string()
}

/// The frame as text, drawn at `width` × `height` in colour.
pub fn screen(app: &App, width: u16, height: u16) -> String {
    screen_in(app, width, height, Theme { color: true })
}

/// An insta snapshot of a screen in tests/snapshots, with the times on it (which depend on the
/// machine's zone) replaced by a placeholder.
#[allow(unused_macros)] // used by the screen tests only
macro_rules! snap {
    ($name:expr, $screen:expr) => {
        insta::with_settings!({
            snapshot_path => "snapshots",
            filters => vec![(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}( [+-]\d{2}:\d{2})?", "[yyyy-mm-dd hh:mm zone]")],
        }, {
            insta::assert_snapshot!($name, $screen);
        });
    };
}
#[allow(unused_imports)] // used by the screen tests only
pub(crate) use snap;

/// The next message the effect runner sends; a runner that stays silent for 20 s fails the
/// test instead of hanging it.
pub async fn next_msg(rx: &mut mpsc::UnboundedReceiver<Msg>) -> Msg {
    tokio::time::timeout(Duration::from_secs(20), rx.recv())
        .await
        .expect("an answer in time")
        .expect("the runner is alive")
}

/// The change journal in `dir`, as the runner of `Wired::journaled` writes it.
pub fn open_journal(dir: &Path) -> Journal {
    Journal::open(dir, "sandbox-test").unwrap()
}

/// The TUI's effect runner wired to an in-process sandbox, as the app wires it: a client, the
/// channel its answers come back on and (with `journaled`) a change journal in a temporary
/// directory, which lives as long as `journal_dir` does.
pub struct Wired {
    pub client: Client,
    pub runner: Runner,
    pub rx: mpsc::UnboundedReceiver<Msg>,
    pub journal_dir: tempfile::TempDir,
}

impl Wired {
    /// A runner that journals every write.
    pub fn journaled(h: &Harness) -> Wired {
        let wired = Wired::unjournaled(h);
        let runner = wired
            .runner
            .with_journal(open_journal(wired.journal_dir.path()));
        Wired { runner, ..wired }
    }

    /// A runner without a journal (reads, executions).
    pub fn unjournaled(h: &Harness) -> Wired {
        let client = Client::new(ClientConfig::sandbox(&h.sandbox.url)).unwrap();
        let (tx, rx) = mpsc::unbounded_channel();
        Wired {
            runner: Runner::new(client.clone(), None, tx),
            client,
            rx,
            journal_dir: tempfile::tempdir().unwrap(),
        }
    }
}

/// The app on the built-in sandbox driven live: every key's effects run against the sandbox
/// through the real `Runner`, and each answer is fed back until nothing is in flight.
pub struct Live {
    pub app: App,
    runner: Runner,
    rx: mpsc::UnboundedReceiver<Msg>,
    _journal_dir: tempfile::TempDir,
}

impl Live {
    /// Started and loaded (the load ran against `h`), the runner journaling.
    pub async fn start(h: &Harness) -> Live {
        let Wired {
            runner,
            rx,
            journal_dir,
            ..
        } = Wired::journaled(h);
        let mut app = App::new(sandbox());
        let effects = app.start();
        let mut live = Live {
            app,
            runner,
            rx,
            _journal_dir: journal_dir,
        };
        live.run(effects).await;
        live
    }

    /// Sends the effects and feeds every answer back into the app until nothing is in flight.
    pub async fn run(&mut self, effects: Vec<Effect>) {
        for e in effects {
            self.runner.spawn(e);
        }
        while self.app.busy() {
            let msg = next_msg(&mut self.rx).await;
            for e in self.app.update(msg) {
                self.runner.spawn(e);
            }
        }
    }

    /// Feeds answers into the app until `done` holds (for work `busy` does not count, such as
    /// reading what `u` would undo).
    #[allow(dead_code)]
    pub async fn until(&mut self, done: impl Fn(&App) -> bool) {
        while !done(&self.app) {
            let msg = next_msg(&mut self.rx).await;
            for e in self.app.update(msg) {
                self.runner.spawn(e);
            }
        }
    }

    /// One key with `modifiers`, its effects run.
    pub async fn send(&mut self, code: KeyCode, modifiers: KeyModifiers) {
        let effects = self.app.update(Msg::Key(KeyEvent::new(code, modifiers)));
        self.run(effects).await;
    }

    /// One key without modifiers, its effects run.
    pub async fn key(&mut self, code: KeyCode) {
        self.send(code, KeyModifiers::NONE).await;
    }

    /// Each character of `text` typed, each one's effects run before the next.
    pub async fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c)).await;
        }
    }

    /// Backspace enough to empty a field of the form (30 characters), then `text` typed.
    pub async fn clear_and_type(&mut self, text: &str) {
        for _ in 0..30 {
            self.key(KeyCode::Backspace).await;
        }
        self.typed(text).await;
    }

    /// The open form.
    pub fn form(&self) -> &Form {
        self.app.form.as_deref().expect("the form is open")
    }

    /// Leads → Standard → Enterprise Fit, opened in the form; the rule's id.
    pub async fn edit_enterprise_fit(&mut self) -> String {
        self.key(KeyCode::Enter).await;
        self.typed("j").await;
        self.key(KeyCode::Enter).await;
        self.typed("j").await;
        let rule = self.app.current_rule().unwrap();
        assert_eq!(rule.name, "Enterprise Fit");
        let id = rule.id.clone().unwrap().to_string();
        self.typed("e").await;
        id
    }

    /// Ctrl-S, which must open the review, then Enter to send the save.
    pub async fn review_and_save(&mut self) {
        self.send(KeyCode::Char('s'), KeyModifiers::CONTROL).await;
        assert!(
            matches!(self.form().stage, Stage::Review(_)),
            "{:?} {:?}",
            self.form().stage,
            self.app.notice
        );
        self.key(KeyCode::Enter).await;
    }
}
