//! Blanking the screen so the next frame is drawn whole: at start (a run killed in this
//! terminal leaves its last frame in the alternate screen) and after the editor had the
//! terminal.
//!
//! `Terminal::clear` would do it, but it first asks the terminal where its cursor is, and that
//! answer comes back through the input: while crossterm's reader thread is starting or stopping
//! it can miss crossterm's two-second wait on a loaded machine, which left the app unable to
//! draw after the editor. A cleared screen is exactly what a new terminal's empty buffers
//! describe, so a new terminal's first frame writes every cell that is not blank: the whole
//! frame, with no query.

use std::io::stdout;

use crossterm::execute;
use crossterm::terminal::{Clear, ClearType};

pub fn blank(terminal: &mut ratatui::DefaultTerminal) -> std::io::Result<()> {
    execute!(stdout(), Clear(ClearType::All))?;
    *terminal = ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(stdout()))?;
    Ok(())
}
