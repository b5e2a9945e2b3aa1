//! The change journal: every write zscore sends, with the rule before and after, who (profile),
//! when, the request and Zoho's answer. Zoho keeps no history of scoring-rule edits, so this is
//! the only record there is.
//!
//! Append-only JSON lines, one file per profile in the data directory. An entry is written when
//! the request is about to be sent (`start`) and completed after the answer (`end`): a crash in
//! between leaves an entry whose outcome is unknown, which `history` shows as such.

pub mod batch;
pub mod writes;

use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("cannot write the change journal {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot read the change journal {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
}

/// One line of the file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Line {
    Start {
        seq: u64,
        time: String,
        profile: String,
        op: String,
        rule_id: Option<String>,
        rule_name: Option<String>,
        before: Option<Value>,
        request: Option<Value>,
    },
    End {
        seq: u64,
        time: String,
        ok: bool,
        answer: Value,
        rule_id: Option<String>,
        after: Option<Value>,
    },
}

/// An entry as `history` shows it: its start, and its end if one was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub seq: u64,
    pub time: String,
    pub profile: String,
    pub op: String,
    pub rule_id: Option<String>,
    pub rule_name: Option<String>,
    pub before: Option<Value>,
    pub request: Option<Value>,
    /// `None`: no answer was recorded (the app stopped in between): outcome unknown.
    pub outcome: Option<Outcome>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub time: String,
    pub ok: bool,
    pub answer: Value,
    pub rule_id: Option<String>,
    pub after: Option<Value>,
}

pub struct Journal {
    path: PathBuf,
    profile: String,
    next: Mutex<u64>,
}

impl Journal {
    /// The journal of `profile` in `dir` (created on first write).
    pub fn open(dir: &Path, profile: &str) -> Result<Journal, JournalError> {
        let safe: String = profile
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = dir.join(format!("{safe}.jsonl"));
        let next = read_entries(&path)?
            .iter()
            .map(|e| e.seq)
            .max()
            .map_or(1, |m| m + 1);
        Ok(Journal {
            path,
            profile: profile.to_string(),
            next: Mutex::new(next),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The number the next entry will get: entries from here on were written after this call.
    pub fn next_seq(&self) -> u64 {
        *self.next.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn entries(&self) -> Result<Vec<Entry>, JournalError> {
        read_entries(&self.path)
    }

    /// Records a write about to be sent; returns its sequence number.
    pub fn start(
        &self,
        op: &str,
        rule_id: Option<&str>,
        rule_name: Option<&str>,
        before: Option<Value>,
        request: Option<Value>,
    ) -> Result<u64, JournalError> {
        let seq = {
            let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
            let s = *next;
            *next += 1;
            s
        };
        self.append(&Line::Start {
            seq,
            time: now(),
            profile: self.profile.clone(),
            op: op.to_string(),
            rule_id: rule_id.map(str::to_string),
            rule_name: rule_name.map(str::to_string),
            before,
            request,
        })?;
        Ok(seq)
    }

    pub fn end(
        &self,
        seq: u64,
        ok: bool,
        answer: Value,
        rule_id: Option<&str>,
        after: Option<Value>,
    ) -> Result<(), JournalError> {
        self.append(&Line::End {
            seq,
            time: now(),
            ok,
            answer,
            rule_id: rule_id.map(str::to_string),
            after,
        })
    }

    /// One line per call, flushed and synced: an acknowledged write is on disk before the
    /// caller goes on.
    fn append(&self, line: &Line) -> Result<(), JournalError> {
        let err = |source| JournalError::Write {
            path: self.path.display().to_string(),
            source,
        };
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        let mut text = serde_json::to_string(line).map_err(|e| err(std::io::Error::other(e)))?;
        text.push('\n');
        let mut f = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(err)?;
        f.write_all(text.as_bytes()).map_err(err)?;
        f.sync_data().map_err(err)
    }
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Reads a journal; a torn last line (a crash mid-write) is skipped, not an error.
fn read_entries(path: &Path) -> Result<Vec<Entry>, JournalError> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(JournalError::Read {
                path: path.display().to_string(),
                source,
            });
        }
    };
    let mut entries: Vec<Entry> = Vec::new();
    for line in BufReader::new(file).lines() {
        let line = line.map_err(|source| JournalError::Read {
            path: path.display().to_string(),
            source,
        })?;
        match serde_json::from_str::<Line>(&line) {
            Ok(Line::Start {
                seq,
                time,
                profile,
                op,
                rule_id,
                rule_name,
                before,
                request,
            }) => entries.push(Entry {
                seq,
                time,
                profile,
                op,
                rule_id,
                rule_name,
                before,
                request,
                outcome: None,
            }),
            Ok(Line::End {
                seq,
                time,
                ok,
                answer,
                rule_id,
                after,
            }) => {
                if let Some(e) = entries.iter_mut().rev().find(|e| e.seq == seq) {
                    e.outcome = Some(Outcome {
                        time,
                        ok,
                        answer,
                        rule_id,
                        after,
                    });
                }
            }
            Err(_) => tracing::warn!(path = %path.display(), "skipping an unreadable journal line"),
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn entries_pair_up_and_a_missing_end_is_an_unknown_outcome() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::open(dir.path(), "prod/eu").unwrap();
        let a = j
            .start(
                "update",
                Some("1"),
                Some("Hot"),
                Some(json!({"name": "Hot"})),
                Some(json!({"name": "Hotter"})),
            )
            .unwrap();
        let b = j
            .start("delete", Some("2"), Some("Cold"), None, None)
            .unwrap();
        j.end(
            a,
            true,
            json!({"code": "SUCCESS"}),
            Some("1"),
            Some(json!({"name": "Hotter"})),
        )
        .unwrap();
        // A torn line from a crash mid-write does not hide the rest.
        std::fs::OpenOptions::new()
            .append(true)
            .open(j.path())
            .unwrap()
            .write_all(b"{\"kind\":\"end\",\"se")
            .unwrap();
        let again = Journal::open(dir.path(), "prod/eu").unwrap();
        let entries = again.entries().unwrap();
        assert_eq!(entries.len(), 2);
        assert!(entries[0].outcome.as_ref().unwrap().ok);
        assert_eq!(entries[1].seq, b);
        assert_eq!(
            entries[1].outcome, None,
            "no answer recorded: outcome unknown"
        );
        assert_eq!(
            again.start("create", None, None, None, None).unwrap(),
            3,
            "numbering goes on"
        );
        assert!(
            j.path()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("prod_eu")
        );
    }
}
