//! The terminal UI that `zscore` with no subcommand opens: browse modules, layouts and rules;
//! read, edit, clone, move, delete, activate and execute them; preview them in the score lab;
//! undo and read the history of what this session changed.
//!
//! Shape (ARCHITECTURE §7.3): one channel of `Msg`s (keys, resizes, signals, results of
//! background work) feeds `App::update`, which returns `Effect`s that `effects::Runner` turns
//! into tokio tasks. A frame is drawn after each drained batch, and a tick runs only while work
//! is pending, so an idle TUI costs nothing. The terminal is restored on every exit path: normal
//! quit, error, SIGTERM/SIGHUP (turned into a quit message), and panic (ratatui's hook).

pub mod act;
pub mod action;
pub mod app;
mod blank;
pub mod command;
mod delete;
mod derived;
pub mod detail;
pub mod edit_file;
pub mod effect;
pub mod effects;
pub mod event;
pub mod exec;
pub mod exec_task;
pub mod exec_verify;
pub mod form;
pub mod fuzzy;
pub mod history;
pub mod keys;
pub mod lab;
pub mod loading;
pub mod marks;
pub mod mouse;
mod mouse_capture;
pub mod move_rule;
pub mod notice;
pub mod outcome;
mod pane;
mod screen;
pub mod select;
mod session;
pub mod sort;
pub mod supervise;
pub mod text;
mod unavailable;
pub mod view;
pub mod write_keys;

use std::time::Duration;

use tokio::sync::mpsc;

use self::app::{App, Source};
use self::effects::Effect;
use self::event::Msg;
use crate::connect::{ConnectError, Connection, Target, connect_telling};

/// Spinner frame interval while work is pending.
const TICK: Duration = Duration::from_millis(120);

/// Runs the TUI against `target` until the user quits. An error is returned once the terminal
/// is restored, for the caller to print, never into the alternate screen.
pub async fn run(target: &Target) -> Result<(), String> {
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(e) => {
            ratatui::restore();
            return Err(format!("cannot open the terminal: {e}"));
        }
    };
    // A run killed in this terminal (kill -9, a crash) leaves its last frame in the alternate
    // screen; ratatui draws only differences, so start from a blank screen.
    if let Err(e) = blank::blank(&mut terminal) {
        ratatui::restore();
        return Err(format!("cannot clear the terminal: {e}"));
    }
    let mouse = mouse_capture::MouseCapture::enable();
    supervise::install_panic_hook();
    let theme = view::Theme::from_env();
    // Keys and signals queue up from the start, so a quit while connecting is not lost.
    let (tx, mut rx) = mpsc::unbounded_channel();
    let input = event::spawn_input(tx.clone());
    event::spawn_signals(tx.clone());
    // The first frame goes up before connecting: starting the built-in sandbox takes a while.
    let waiting = App::new(Source {
        label: "zscore".into(),
        sandbox: false,
    });
    if terminal.draw(|f| view::draw(f, &waiting, theme)).is_ok() {
        trace_first_frame();
    }
    // Connecting does no network I/O beyond a local sandbox; the org loads in the background.
    // The SANDBOX badge says what connect would print, so it stays quiet. The TUI outlives any
    // one piece of work, so the time budget applies to each request.
    let quiet = Target {
        quiet: true,
        budget: crate::api::Budget::Call(target.budget.duration()),
        ..target.clone()
    };
    let mut conn =
        match connect_on_screen(&quiet, &mut terminal, waiting, theme, &mut rx, &tx).await {
            Ok(Some(c)) => c,
            Ok(None) => {
                drop(mouse);
                ratatui::restore();
                return Ok(());
            }
            Err(e) => {
                drop(mouse);
                ratatui::restore();
                return Err(e.to_string());
            }
        };
    let mut app = App::new(session::source(&conn));
    use_config(&mut app, conn.config.take());
    if let Ok(p) = crate::config::Paths::discover() {
        app.commands.history =
            command::history::History::load(command::history::History::path_in(&p.data_dir));
    }
    let session = session::Session::open(conn, app, &tx).await;
    let sessions = session::Switcher {
        target: quiet,
        tx: tx.clone(),
    };
    let outcome = event_loop(&mut terminal, session, &sessions, rx, theme, &input).await;
    drop(mouse);
    ratatui::restore();
    outcome.map_err(|e| format!("the terminal failed: {e}"))
}

/// What config.toml gives the TUI beyond the connection: the key table with its `[keys]`
/// applied (what cannot be used is said in the status bar at start; those actions keep their
/// default keys) and the profile names `:profile` completes. Connecting read the file, except
/// with `--sandbox-url`: then it is read here.
fn use_config(app: &mut App, read: Option<crate::config::Config>) {
    let Ok(paths) = crate::config::Paths::discover() else {
        return;
    };
    let loaded = match read {
        Some(config) => Ok(config),
        None => crate::config::Config::load(&paths),
    };
    let text = match loaded {
        Ok(config) => {
            app.commands.profiles = config
                .profiles
                .iter()
                .map(|p| crate::display::sanitize(&p.name))
                .collect();
            let (keys, problems) = keys::KeyTable::configured(&config.keys);
            app.keys = keys;
            if problems.is_empty() {
                return;
            }
            format!(
                "keys in {}: {}",
                paths.config_file().display(),
                problems.join(" · ")
            )
        }
        Err(e) => format!("{e}; the default keys are in use"),
    };
    app.notice = Some(app::Notice {
        text: crate::display::sanitize(&text),
        error: true,
    });
}

/// Connects with the first frame up. When the built-in sandbox is busy with another command,
/// the frame says whom it waits for, and from then a quit key (q, Esc, Ctrl-C) or a signal
/// gives up: `Ok(None)`. Other messages meanwhile are queued again, in order, for the app.
async fn connect_on_screen(
    target: &Target,
    terminal: &mut ratatui::DefaultTerminal,
    mut waiting: App,
    theme: view::Theme,
    rx: &mut mpsc::UnboundedReceiver<Msg>,
    tx: &mpsc::UnboundedSender<Msg>,
) -> Result<Option<Connection>, ConnectError> {
    let told = std::cell::Cell::new(false);
    let mut show = |m: &str| {
        told.set(true);
        waiting.notice = Some(app::Notice {
            text: format!("q quits · {m}"),
            error: false,
        });
        let _ = terminal.draw(|f| view::draw(f, &waiting, theme));
    };
    let mut held = Vec::new();
    let gave_up = async {
        while let Some(msg) = rx.recv().await {
            if told.get() && is_give_up(&msg) {
                return;
            }
            held.push(msg);
        }
    };
    let outcome = tokio::select! {
        c = connect_telling(target, &mut show) => Some(c),
        () = gave_up => None,
    };
    // What arrived since goes behind what was held, so the app sees everything in order.
    while let Ok(msg) = rx.try_recv() {
        held.push(msg);
    }
    for msg in held {
        let _ = tx.send(msg);
    }
    outcome.transpose()
}

fn is_give_up(msg: &Msg) -> bool {
    use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
    match msg {
        Msg::Shutdown => true,
        Msg::Key(k) if k.kind != KeyEventKind::Release => {
            matches!(k.code, KeyCode::Char('q') | KeyCode::Esc)
                || (k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL))
        }
        _ => false,
    }
}

async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    mut session: session::Session,
    sessions: &session::Switcher,
    mut rx: mpsc::UnboundedReceiver<Msg>,
    theme: view::Theme,
    input: &event::InputControl,
) -> std::io::Result<()> {
    // The layout of every scrolled view follows from the terminal's size, known from the start.
    let size = terminal.size()?;
    session.app.update(Msg::Resize {
        width: size.width,
        height: size.height,
    });
    session.start();
    loop {
        let session::Session { app, runner, .. } = &mut session;
        terminal.draw(|f| view::draw(f, app, theme))?;
        if app.quit {
            return Ok(());
        }
        let msg = if app.busy() {
            tokio::select! {
                m = rx.recv() => m,
                () = tokio::time::sleep(TICK) => Some(Msg::Tick),
            }
        } else {
            rx.recv().await
        };
        let Some(msg) = msg else { return Ok(()) };
        let mut effects = app.update(msg);
        let mut switch = None;
        // Drain whatever else is queued so a burst of keys costs one frame.
        while let Ok(msg) = rx.try_recv() {
            effects.extend(app.update(msg));
        }
        for effect in effects {
            match effect {
                // The editor needs the terminal, which only this loop holds.
                Effect::RunEditor { request, text } => {
                    let result = edit_file::terminal::run_editor(terminal, input, text).await;
                    runner.tell(Msg::EditorDone { request, result });
                }
                // A new runner (client, journal, drafts) replaces this one.
                Effect::SwitchProfile(name) => switch = Some(name),
                effect => runner.spawn(effect),
            }
        }
        // The meter counts as requests go out, from any task; reading it here, once per batch,
        // keeps the count in state (drawn, never read by the view) at the cost of two loads.
        let calls = runner.calls();
        if calls != app.calls {
            app.update(Msg::Calls(calls));
        }
        if let Some(name) = switch {
            sessions.switch(&mut session, &name).await;
        }
    }
}

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_safety;
#[cfg(test)]
mod tests_screen;

/// With `ZSCORE_TRACE_FIRST_FRAME` set, logs when the first frame was on screen (Unix ms), so a
/// benchmark that notes when it started the process can measure time to first frame honestly.
fn trace_first_frame() {
    if std::env::var_os("ZSCORE_TRACE_FIRST_FRAME").is_none() {
        return;
    }
    let unix_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    tracing::info!(unix_ms, "first frame drawn");
}
