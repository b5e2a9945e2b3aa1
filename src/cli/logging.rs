//! Logs of the client commands go to a file in the data directory, never to the terminal, so
//! they cannot garble a TUI or mix with a command's output. Nothing logged carries a token or
//! secret: the client logs methods, paths, statuses and timings only.

use std::fs::OpenOptions;
use std::sync::Mutex;

use crate::config::Paths;

/// Best effort: a command still runs when its log cannot be opened.
pub fn init_file_logging() {
    let Ok(paths) = Paths::discover() else { return };
    let path = paths.log_file();
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let Ok(file) = OpenOptions::new().create(true).append(true).open(&path) else {
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
