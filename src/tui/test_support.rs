//! Fixtures for the TUI's unit tests: the sandbox's seeded demo org, an app that has loaded it
//! through the same `Msg` a real load sends, keys pressed into it, and its screen drawn
//! without colour. One copy here, so every state test starts from the same org.

use std::sync::OnceLock;

use chrono::TimeZone;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Source};
use super::effects::Effect;
use super::event::Msg;
use crate::domain::{Edition, OrgSnapshot};

/// The seeded demo org at a fixed moment, as the Enterprise edition sees it.
/// Parsed once per test binary: every test gets its own clone.
pub fn seeded() -> OrgSnapshot {
    static SEEDED: OnceLock<OrgSnapshot> = OnceLock::new();
    SEEDED
        .get_or_init(|| {
            let now = chrono::Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
            crate::sandbox::seed::load_embedded(now)
                .unwrap()
                .snapshot(Edition::Enterprise)
        })
        .clone()
}

/// The app on the built-in sandbox with the demo org loaded, at 80×24.
pub fn loaded() -> App {
    loaded_at(80, 24)
}

/// The same, with the terminal `width` × `height`.
pub fn loaded_at(width: u16, height: u16) -> App {
    let mut app = App::new(Source {
        label: "built-in sandbox".into(),
        sandbox: true,
    });
    app.update(Msg::Resize { width, height });
    assert_eq!(app.start(), vec![Effect::LoadSnapshot { request: 1 }]);
    app.update(Msg::SnapshotLoaded {
        request: 1,
        result: Ok(seeded()),
    });
    app
}

/// Each character of `keys` pressed in turn (`\n` is Enter, `\x1b` Esc); the effects they
/// asked for.
pub fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    keys.chars()
        .flat_map(|c| {
            let key = match c {
                '\n' => KeyCode::Enter,
                '\x1b' => KeyCode::Esc,
                c => KeyCode::Char(c),
            };
            code(app, key)
        })
        .collect()
}

/// One key without modifiers.
pub fn code(app: &mut App, code: KeyCode) -> Vec<Effect> {
    send(app, code, KeyModifiers::NONE)
}

/// One key with `modifiers`.
pub fn send(app: &mut App, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, modifiers)))
}

/// Ctrl and `c`.
pub fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
    send(app, KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Each character of `text` typed as a character (`\n` too: for text inputs).
pub fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| code(app, KeyCode::Char(c)))
        .collect()
}

/// The screen as text, drawn at `width` × `height` without colour.
pub fn screen(app: &App, width: u16, height: u16) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
    t.draw(|f| super::view::draw(f, app, super::view::Theme { color: false }))
        .unwrap();
    t.backend().to_string()
}
