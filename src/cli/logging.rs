//! Logs of the client commands go to a file in the data directory, never to the terminal, so
//! they cannot garble a TUI or mix with a command's output. Nothing logged carries a token or
//! secret: the client logs methods, paths, statuses and timings only.

use std::sync::Mutex;

use crate::config::Paths;

/// Best effort: a command still runs when its log cannot be opened. The log (0600) and the data
/// directory (0700, when created here) are owner-only.
pub fn init_file_logging() {
    let Ok(paths) = Paths::discover() else { return };
    let Ok(file) = crate::config::private::open_append(&paths.log_file()) else {
        return;
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("ZSCORE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init();
}
