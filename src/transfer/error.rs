//! What can go wrong moving rules as files. Every error names where (a file, a directory or a
//! rule of the org) and, inside a file, the JSON path, so a person can open the file and fix it.

#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    /// A file or directory could not be read.
    #[error("{place}: {source}")]
    Io {
        place: String,
        #[source]
        source: std::io::Error,
    },
    /// A file is not a rule file: malformed JSON, a wrong type, an unknown or missing key.
    #[error("{}", parse_line(place, path, message, *line, *column))]
    Parse {
        place: String,
        /// JSON path inside the file (`field_rules[0].score`); empty for the whole file.
        path: String,
        message: String,
        /// 1-based; 0 when serde_json could not tell.
        line: usize,
        column: usize,
    },
    /// Well-formed, but wrong: a name the target org does not have, a rule Zoho would refuse, a
    /// file in the wrong directory. `place` is a file, a directory (`Deals/`) or a rule of an
    /// org (`Leads rule "Hot"`).
    #[error("{}", located(place, path, message))]
    Invalid {
        place: String,
        path: String,
        message: String,
    },
    /// Everything found, so one run shows every problem instead of one per attempt.
    #[error("{}", lines(.0))]
    Several(Vec<TransferError>),
}

impl TransferError {
    pub(crate) fn invalid(
        place: impl Into<String>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        TransferError::Invalid {
            place: place.into(),
            path: path.into(),
            message: message.into(),
        }
    }

    /// One error for a list of them: itself when alone, `Several` otherwise. `Ok` when empty.
    pub(crate) fn collect(mut errs: Vec<TransferError>) -> Result<(), TransferError> {
        match errs.len() {
            0 => Ok(()),
            1 => Err(errs.remove(0)),
            _ => Err(TransferError::Several(errs)),
        }
    }

    /// The individual errors, flattened.
    pub fn errors(&self) -> Vec<&TransferError> {
        match self {
            TransferError::Several(all) => all.iter().flat_map(TransferError::errors).collect(),
            one => vec![one],
        }
    }

    /// The file (or directory, or org rule) the error is about; `None` for `Several`.
    pub fn place(&self) -> Option<&str> {
        match self {
            TransferError::Io { place, .. }
            | TransferError::Parse { place, .. }
            | TransferError::Invalid { place, .. } => Some(place),
            TransferError::Several(_) => None,
        }
    }
}

fn located(place: &str, path: &str, message: &str) -> String {
    if path.is_empty() {
        format!("{place}: {message}")
    } else {
        format!("{place}: {path}: {message}")
    }
}

fn parse_line(place: &str, path: &str, message: &str, line: usize, column: usize) -> String {
    let base = located(place, path, message);
    if line == 0 {
        base
    } else {
        format!("{base} (line {line}, column {column})")
    }
}

fn lines(all: &[TransferError]) -> String {
    all.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}
