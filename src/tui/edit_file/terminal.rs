//! Handing the terminal to the editor and taking it back. The input reader is paused first
//! (it would otherwise read the editor's keystrokes), then mouse reporting, the alternate
//! screen and raw mode are left; afterwards they are entered again and the screen is cleared,
//! so the next frame is drawn whole over whatever the editor left.

use std::io::stdout;

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

use crate::editor::EditFile;
use crate::tui::event::InputControl;

/// Runs the editor on `text` with the terminal, and gives back the text it saved. Err: the
/// editor could not run or failed (the text given is then unchanged), or the terminal could
/// not be taken back (the caller's next draw fails and ends the TUI cleanly).
pub async fn run_editor(
    terminal: &mut ratatui::DefaultTerminal,
    input: &InputControl,
    text: String,
) -> Result<String, String> {
    input.pause().await;
    let edited = match leave() {
        Ok(()) => tokio::task::spawn_blocking(move || edit_text(&text))
            .await
            .unwrap_or_else(|e| Err(format!("the editor could not run: {e}"))),
        Err(e) => Err(format!("cannot hand the terminal to the editor: {e}")),
    };
    let back = enter(terminal);
    input.resume();
    back.map_err(|e| format!("cannot take the terminal back from the editor: {e}"))?;
    edited
}

/// The text in a private temporary file, the editor on it, and the file's text afterwards;
/// the file is removed either way (the app keeps the text).
fn edit_text(text: &str) -> Result<String, String> {
    let file = EditFile::create("tui", text)?;
    crate::editor::open(&file.path)?;
    std::fs::read_to_string(&file.path)
        .map_err(|e| format!("cannot read {}: {e}", file.path.display()))
}

fn leave() -> std::io::Result<()> {
    execute!(
        stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    )?;
    disable_raw_mode()
}

fn enter(terminal: &mut ratatui::DefaultTerminal) -> std::io::Result<()> {
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen)?;
    if let Err(e) = execute!(stdout(), EnableMouseCapture) {
        // The keys do everything the mouse does.
        tracing::warn!("cannot enable the mouse again: {e}");
    }
    crate::tui::blank::blank(terminal)
}
