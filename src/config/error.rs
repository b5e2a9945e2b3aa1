//! One error type for everything in `config`. Every message names the file and, where the
//! problem is in the file's text, the line and column, and ends with how to fix it. No message
//! ever carries a secret value: secrets-file errors are built from positions and key names only.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "cannot find a home directory for zscore's files; set ZSCORE_CONFIG_DIR and ZSCORE_DATA_DIR"
    )]
    NoHome,

    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },

    /// A problem in a file's text. `line`/`column` are 1-based; absent when the parser could
    /// not place it (rare: errors about the document as a whole).
    #[error("{}{}: {message}{}", path.display(), at(*line, *column), hint_suffix(hint))]
    Syntax {
        path: PathBuf,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
        hint: Option<String>,
    },

    #[error(
        "{} is {what} by other users (mode {mode:04o}); run: chmod 600 {}",
        path.display(),
        path.display()
    )]
    InsecureSecrets {
        path: PathBuf,
        mode: u32,
        /// "readable" or "writable".
        what: &'static str,
    },

    #[error(
        "{} is writable by other users (mode {mode:04o}), who could replace the profiles and \
         secrets in it; run: chmod 700 {}",
        path.display(),
        path.display()
    )]
    InsecureDir { path: PathBuf, mode: u32 },

    #[error("no profile named {name:?}; {}", known_list(known))]
    UnknownProfile { name: String, known: Vec<String> },

    #[error("the default profile {name:?} does not exist; {}", known_list(known))]
    MissingDefault { name: String, known: Vec<String> },

    #[error(
        "there are several profiles and none is the default: choose one with --profile NAME, or put default = \"NAME\" at the top of config.toml (profiles: {})",
        known.join(", ")
    )]
    NoDefault { known: Vec<String> },

    #[error("invalid profile name {name:?}: {reason}")]
    InvalidProfileName { name: String, reason: &'static str },

    #[error("{url:?} is not a usable URL: {reason}")]
    InvalidUrl { url: String, reason: String },

    #[error(
        "refusing plain http:// to {host}: only loopback addresses (127.0.0.0/8, ::1, localhost) may use http; use https://"
    )]
    InsecureUrl { host: String },
}

fn at(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(", line {l}, column {c}"),
        (Some(l), None) => format!(", line {l}"),
        _ => String::new(),
    }
}

fn hint_suffix(hint: &Option<String>) -> String {
    hint.as_deref()
        .map(|h| format!("; {h}"))
        .unwrap_or_default()
}

fn known_list(known: &[String]) -> String {
    if known.is_empty() {
        "there are no profiles yet; add one with `zscore login --profile NAME …`".to_string()
    } else {
        format!("known profiles: {}", known.join(", "))
    }
}

/// 1-based line and column (in characters) of byte offset `pos` in `text`.
pub(crate) fn line_col(text: &str, pos: usize) -> Option<(usize, usize)> {
    let before = text.get(..pos)?;
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Some((line, column))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_in_characters() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_col(text, 0), Some((1, 1)));
        assert_eq!(line_col(text, 6), Some((2, 1)));
        assert_eq!(line_col(text, text.find('=').unwrap()), Some((1, 3)));
        let second_eq = text.rfind('=').unwrap();
        assert_eq!(line_col(text, second_eq), Some((2, 4)));
        assert_eq!(line_col(text, 999), None);
    }
}
