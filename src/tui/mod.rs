//! The terminal UI that `zscore` with no subcommand opens: browse modules, layouts and rules;
//! read, edit, clone, move, delete, activate and execute them; preview them in the score lab;
//! undo and read the history of what this session changed.
//!
//! Shape (ARCHITECTURE §7.3): one channel of `Msg`s (keys, resizes, signals, results of
//! background work) feeds `App::update`, which returns `Effect`s that `effects::Runner` turns
//! into tokio tasks. A frame is drawn after each drained batch, and a tick runs only while work
//! is pending, so an idle TUI costs nothing. The terminal is restored on every exit path: normal
//! quit, error, SIGTERM/SIGHUP (turned into a quit message), and panic (ratatui's hook).

pub mod action;
pub mod app;
mod blank;
pub mod command;
mod delete;
mod derived;
pub mod detail;
pub mod edit_file;
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
pub mod sort;
pub mod supervise;
pub mod text;
mod unavailable;
pub mod view;
pub mod write_keys;

use std::time::Duration;

use tokio::sync::mpsc;

use self::app::{App, Source};
use self::effects::{Effect, Runner};
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
    let conn = match connect_on_screen(&quiet, &mut terminal, waiting, theme, &mut rx, &tx).await {
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
    let source = Source {
        sandbox: conn.sandbox,
        label: conn.label.clone(),
    };
    let mut app = App::new(source);
    use_configured_keys(&mut app);
    app.accent = conn.accent;
    app.confirm_writes = conn.confirm;
    app.readonly = conn.readonly.clone();
    // Every write is journaled; a journal that cannot be opened leaves the TUI read-only
    // rather than writing unrecorded.
    let journal = match conn.journal().await {
        Ok(j) => Some(j),
        Err(e) => {
            tracing::warn!("the change journal cannot be opened: {e}");
            app.readonly
                .get_or_insert_with(|| format!("the change journal cannot be opened: {e}"));
            None
        }
    };
    // One draft per connection; without a data directory the form works without drafts.
    let drafts = match crate::config::Paths::discover() {
        Ok(p) => Some(form::draft::DraftStore::new(
            &p.data_dir,
            &conn.journal_key().await,
        )),
        Err(e) => {
            app.notice = Some(app::Notice {
                text: format!("forms keep no drafts: {e}"),
                error: true,
            });
            None
        }
    };
    if let Some(store) = &drafts {
        app.offer_draft(form::draft::startup(store));
    }
    if let Ok(p) = crate::config::Paths::discover() {
        app.commands.history =
            command::history::History::load(command::history::History::path_in(&p.data_dir));
    }
    let retries = tx.clone();
    conn.client
        .on_retry(std::sync::Arc::new(move |n: &crate::api::RetryNotice| {
            let _ = retries.send(Msg::Retrying(n.text()));
        }));
    // Keeps the embedded sandbox serving until the TUI is gone.
    let _embedded = conn.embedded;
    let mut runner = Runner::new(conn.client, conn.edition, tx).with_drafts(drafts);
    if let Some(j) = journal {
        runner = runner.with_journal(j);
    }
    let outcome = event_loop(&mut terminal, app, &runner, rx, theme, &input).await;
    drop(mouse);
    ratatui::restore();
    outcome.map_err(|e| format!("the terminal failed: {e}"))
}

/// The key table with config.toml's `[keys]` applied; what cannot be used is said in the
/// status bar at start (those actions keep their default keys).
fn use_configured_keys(app: &mut App) {
    let Ok(paths) = crate::config::Paths::discover() else {
        return;
    };
    let text = match crate::config::Config::load(&paths) {
        Ok(config) => {
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
    mut app: App,
    runner: &Runner,
    mut rx: mpsc::UnboundedReceiver<Msg>,
    theme: view::Theme,
    input: &event::InputControl,
) -> std::io::Result<()> {
    // The layout of every scrolled view follows from the terminal's size, known from the start.
    let size = terminal.size()?;
    app.update(Msg::Resize {
        width: size.width,
        height: size.height,
    });
    for effect in app.start() {
        runner.spawn(effect);
    }
    loop {
        terminal.draw(|f| view::draw(f, &app, theme))?;
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
                effect => runner.spawn(effect),
            }
        }
        // The meter counts as requests go out, from any task; reading it here, once per batch,
        // keeps the count in state (drawn, never read by the view) at the cost of two loads.
        let calls = runner.calls();
        if calls != app.calls {
            app.update(Msg::Calls(calls));
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
