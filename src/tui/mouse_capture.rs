//! Mouse reporting is switched on with the TUI and off on every way out: the guard's drop covers
//! a normal quit, an error and SIGTERM/SIGHUP (both end the loop), and a panic hook covers a
//! panic, which ratatui's own hook restores the rest of the terminal for.

use std::io::stdout;
use std::sync::Once;

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;

pub struct MouseCapture;

impl MouseCapture {
    pub fn enable() -> MouseCapture {
        static HOOK: Once = Once::new();
        HOOK.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                let _ = execute!(stdout(), DisableMouseCapture);
                previous(info);
            }));
        });
        if let Err(e) = execute!(stdout(), EnableMouseCapture) {
            // The keys do everything the mouse does.
            tracing::warn!("cannot enable the mouse: {e}");
        }
        MouseCapture
    }
}

impl Drop for MouseCapture {
    fn drop(&mut self) {
        let _ = execute!(stdout(), DisableMouseCapture);
    }
}
