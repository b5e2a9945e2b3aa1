//! Background work that knows nothing about who watches it: it reports progress as events on a
//! channel, so the CLI draws progress bars from them and the TUI a progress view.

pub mod execute;
