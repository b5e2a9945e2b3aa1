//! The terminal UI that `zscore` with no subcommand opens: browse modules, layouts and rules,
//! read a rule, (de)activate it.
//!
//! Shape (ARCHITECTURE §7.3): one channel of `Msg`s (keys, resizes, signals, results of
//! background work) feeds `App::update`, which returns `Effect`s that `effects::Runner` turns
//! into tokio tasks. A frame is drawn after each drained batch, and a tick runs only while work
//! is pending, so an idle TUI costs nothing. The terminal is restored on every exit path: normal
//! quit, error, SIGTERM/SIGHUP (turned into a quit message), and panic (ratatui's hook).

pub mod action;
pub mod app;
pub mod effects;
pub mod event;
pub mod exec;
pub mod keymap;
pub mod lab;
pub mod select;
pub mod view;

use std::process::ExitCode;
use std::time::Duration;

use tokio::sync::mpsc;

use self::app::{App, Source};
use self::effects::Runner;
use self::event::Msg;
use crate::cli::connect::{Target, connect};

/// Spinner frame interval while work is pending.
const TICK: Duration = Duration::from_millis(120);

/// Runs the TUI against `target` until the user quits. Errors are printed after the terminal
/// is restored, never into the alternate screen.
pub async fn run(target: &Target) -> ExitCode {
    // Connecting does no network I/O (a client, or a local sandbox); the org loads in the
    // background once the first frame is up.
    let conn = match connect(target).await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("zscore: {e}");
            return ExitCode::FAILURE;
        }
    };
    let source = Source {
        sandbox: conn.embedded.is_some() || target.sandbox_url.is_some(),
        label: conn.label.clone(),
    };
    // Keeps the embedded sandbox serving until the TUI is gone.
    let _embedded = conn.embedded;
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(e) => {
            ratatui::restore();
            eprintln!("zscore: cannot open the terminal: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (tx, rx) = mpsc::unbounded_channel();
    event::spawn_input(tx.clone());
    event::spawn_signals(tx.clone());
    let runner = Runner::new(conn.client, conn.edition, tx);
    let outcome = event_loop(&mut terminal, App::new(source), &runner, rx).await;
    ratatui::restore();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zscore: the terminal failed: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    mut app: App,
    runner: &Runner,
    mut rx: mpsc::UnboundedReceiver<Msg>,
) -> std::io::Result<()> {
    let theme = view::Theme::from_env();
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
            runner.spawn(effect);
        }
    }
}

#[cfg(test)]
mod tests;
