//! The change journal: every write zscore sends, with the rule before and after, who (profile),
//! when, the request and Zoho's answer. Zoho keeps no history of scoring-rule edits, so this is
//! the only record there is.
//!
//! Append-only JSON lines, one file per profile in the data directory. An entry is written when
//! the request is about to be sent (`start`) and completed after the answer (`end`): a crash in
//! between leaves an entry whose outcome is unknown, which `history` shows as such.

pub mod batch;
pub mod describe;
pub mod group;
pub mod session;
pub mod writes;

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
        /// The group entry (see `group`) this write belongs to: undone with it as one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<u64>,
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
    /// The group entry this write belongs to (`group`), if any.
    pub group: Option<u64>,
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

impl Outcome {
    /// No answer came (the connection broke, retries or the time budget ran out): the write may
    /// or may not have been applied, so it is recorded as neither done nor refused.
    pub fn unanswered(&self) -> bool {
        self.answer.get("unanswered") == Some(&Value::Bool(true))
    }
}

/// A recorded answer in words: Zoho's code and message, or the error that kept it from coming.
pub fn answer_text(v: &Value) -> String {
    let text = |k: &str| v.get(k).and_then(Value::as_str);
    let words = match (text("code"), text("message"), text("error")) {
        (Some(c), Some(m), _) => format!("{c} {m}"),
        (Some(c), None, _) => c.to_string(),
        (None, _, Some(e)) => e.to_string(),
        _ => v.to_string(),
    };
    crate::display::sanitize(&words)
}

pub struct Journal {
    path: PathBuf,
    profile: String,
    /// The next number, valid while the file is as long as this process last left it: another
    /// process on the same org (a CLI beside the TUI) may have appended since.
    next: Mutex<Counter>,
}

#[derive(Clone, Copy)]
struct Counter {
    next: u64,
    /// The file's length after this process last read or wrote it.
    len: u64,
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
        let next = Mutex::new(counter(&path)?);
        Ok(Journal {
            path,
            profile: profile.to_string(),
            next,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The number the next entry will get: entries from here on were written after this call.
    pub fn next_seq(&self) -> u64 {
        self.next.lock().unwrap_or_else(|e| e.into_inner()).next
    }

    pub fn entries(&self) -> Result<Vec<Entry>, JournalError> {
        read_entries(&self.path)
    }

    /// The entries of `rule` (by id, or by name: a move or an undo gives the rule a new id,
    /// and names are unique in an org), oldest first.
    pub fn rule_history(
        &self,
        rule: &crate::domain::Id,
        name: &str,
    ) -> Result<Vec<Entry>, JournalError> {
        let key = name.trim().to_lowercase();
        let named = |v: Option<&str>| v.is_some_and(|n| n.trim().to_lowercase() == key);
        Ok(self
            .entries()?
            .into_iter()
            .filter(|e| {
                let after = e.outcome.as_ref().and_then(|o| o.after.as_ref());
                e.rule_id.as_deref() == Some(rule.as_str())
                    || e.outcome.as_ref().and_then(|o| o.rule_id.as_deref()) == Some(rule.as_str())
                    || named(e.rule_name.as_deref())
                    || named(after.and_then(|a| a.get("name")).and_then(Value::as_str))
            })
            .collect())
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
        self.start_in(None, op, rule_id, rule_name, before, request)
    }

    /// `start`, for a write that belongs to `group` (a group entry's number).
    pub fn start_in(
        &self,
        group: Option<u64>,
        op: &str,
        rule_id: Option<&str>,
        rule_name: Option<&str>,
        before: Option<Value>,
        request: Option<Value>,
    ) -> Result<u64, JournalError> {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let mut seq = next.next;
        // The number is taken and written under the file's lock, so two processes writing to
        // one org's journal never give two entries one number.
        let len = self.append_with(|len| {
            if len != next.len {
                seq = counter(&self.path)?.next;
            }
            Ok(Line::Start {
                seq,
                time: now(),
                profile: self.profile.clone(),
                op: op.to_string(),
                rule_id: rule_id.map(str::to_string),
                rule_name: rule_name.map(str::to_string),
                before,
                request,
                group,
            })
        })?;
        *next = Counter { next: seq + 1, len };
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
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let known = next.len;
        let mut moved = false;
        let len = self.append_with(|len| {
            moved = len != known;
            Ok(Line::End {
                seq,
                time: now(),
                ok,
                answer,
                rule_id: rule_id.map(str::to_string),
                after,
            })
        })?;
        // Only a file nobody else wrote to keeps the counter valid.
        next.len = if moved { u64::MAX } else { len };
        Ok(())
    }

    /// Appends the line `make` builds, given the file's length, under an exclusive lock on
    /// the file; flushed and synced, so an acknowledged write is on disk before the caller
    /// goes on. Returns the file's length after it.
    fn append_with(
        &self,
        make: impl FnOnce(u64) -> Result<Line, JournalError>,
    ) -> Result<u64, JournalError> {
        let err = |source| JournalError::Write {
            path: self.path.display().to_string(),
            source,
        };
        // Owner-only, as its directory when created here: it names the org's rules.
        let mut f = crate::config::private::open_append(&self.path).map_err(err)?;
        // Released when `f` is closed.
        f.lock().map_err(err)?;
        let len = f.metadata().map_err(err)?.len();
        let line = make(len)?;
        let mut text = serde_json::to_string(&line).map_err(|e| err(std::io::Error::other(e)))?;
        text.push('\n');
        f.write_all(text.as_bytes()).map_err(err)?;
        f.sync_data().map_err(err)?;
        Ok(len + text.len() as u64)
    }
}

/// The next number and the length of the file it was read from.
fn counter(path: &Path) -> Result<Counter, JournalError> {
    let len = std::fs::metadata(path).map_or(0, |m| m.len());
    let next = read_entries(path)?
        .iter()
        .map(|e| e.seq)
        .max()
        .map_or(1, |m| m + 1);
    Ok(Counter { next, len })
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
                group,
            }) => entries.push(Entry {
                seq,
                time,
                profile,
                op,
                rule_id,
                rule_name,
                before,
                request,
                group,
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

    #[test]
    fn two_processes_on_one_journal_never_share_a_number() {
        let dir = tempfile::tempdir().unwrap();
        // Two handles opened before either writes: a TUI and a CLI on the same org.
        let tui = Journal::open(dir.path(), "sandbox-abc").unwrap();
        let cli = Journal::open(dir.path(), "sandbox-abc").unwrap();
        let a = tui.start("update", Some("1"), None, None, None).unwrap();
        let b = cli.start("delete", Some("2"), None, None, None).unwrap();
        tui.end(a, true, json!({}), Some("1"), None).unwrap();
        let c = tui.start("clone", Some("3"), None, None, None).unwrap();
        cli.end(b, true, json!({}), Some("2"), None).unwrap();
        let d = cli.start("create", None, None, None, None).unwrap();
        assert_eq!([a, b, c, d], [1, 2, 3, 4]);
        let seqs: Vec<u64> = tui.entries().unwrap().iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [1, 2, 3, 4]);
        assert!(
            tui.entries().unwrap()[..2]
                .iter()
                .all(|e| e.outcome.is_some())
        );
    }
}
