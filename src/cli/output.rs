//! The one way the command line writes text. Outside text (org data, Zoho's error codes and
//! messages, the token endpoint's answer, file and directory names) may be in any line a
//! command prints, so every line on stdout and stderr goes through `display::sanitize_block`:
//! no escape sequence, C1 control, bidi control or zero-width joiner reaches the terminal
//! (line feeds and tabs stay, so do CSV's `\r\n` row ends). JSON and CSV arrive already
//! inert (`inert_json`, `csv_cell`), so the filter leaves their data as it is.
//!
//! A closed pipe (`zscore audit | head -1`) is not an error: the reader has what it wanted.

use std::io::Write;

use crate::display::{inert_json, sanitize_block};

/// `text` on stdout, as is but inert.
pub fn out(text: &str) {
    let _ = std::io::stdout()
        .lock()
        .write_all(sanitize_block(text).as_bytes());
}

/// `text` on stderr, as is but inert.
pub fn err(text: &str) {
    let _ = std::io::stderr()
        .lock()
        .write_all(sanitize_block(text).as_bytes());
}

/// `text` and a line feed on stdout.
pub fn out_line(text: &str) {
    out(&format!("{text}\n"));
}

/// `text` and a line feed on stderr.
pub fn err_line(text: &str) {
    err(&format!("{text}\n"));
}

/// `v` as pretty JSON and a line feed, every control, bidi and invisible character inside its
/// strings written as a `\uXXXX` escape (`inert_json`): what the line filter lets through
/// unchanged, so the output stays valid JSON with the same data.
pub fn json_text<T: serde::Serialize>(v: &T) -> Result<String, String> {
    serde_json::to_string_pretty(v)
        .map(|s| inert_json(&s) + "\n")
        .map_err(|e| format!("cannot write JSON: {e}"))
}

/// `v` as one line of JSON (JSON lines), made inert as `json_text`.
pub fn json_line(v: &serde_json::Value) -> String {
    inert_json(&v.to_string())
}

/// `println!` through `out_line`.
macro_rules! outln {
    () => { $crate::cli::output::out("\n") };
    ($($arg:tt)*) => { $crate::cli::output::out_line(&format!($($arg)*)) };
}

/// `eprintln!` through `err_line`.
macro_rules! errln {
    ($($arg:tt)*) => { $crate::cli::output::err_line(&format!($($arg)*)) };
}

pub(crate) use {errln, outln};
