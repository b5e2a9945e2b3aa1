//! Fixtures for the TUI's screen and state tests: the sandbox's seeded demo org, an app that
//! has loaded it through the same `Msg` a real load sends, keys pressed into it, and its frame
//! drawn on ratatui's `TestBackend`. One copy here, so every screen test starts from the same
//! org and presses keys the same way.

use std::sync::OnceLock;

use chrono::TimeZone;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use zscore::domain::{Edition, OrgSnapshot};
use zscore::tui::app::{App, Source};
use zscore::tui::effects::Effect;
use zscore::tui::event::Msg;
use zscore::tui::view::{self, Theme};

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
