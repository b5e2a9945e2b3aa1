//! `--state FILE`: the sandbox org in a SQLite file, so a restarted sandbox serves the same org.
//!
//! The in-memory `Org` stays the source of truth for reads; this module is told at each commit
//! point what changed (`store::Changes`) and writes exactly those rows in one transaction,
//! before the HTTP answer goes out. Records (≈15k rows) are written once, at seeding.
//!
//! Durability: WAL journal with `synchronous=NORMAL`. A committed WAL transaction has been
//! handed to the kernel with write(2) before COMMIT returns; a killed process (kill -9, panic,
//! OOM) cannot take the kernel's page cache with it, so every acknowledged write survives it
//! and is replayed from the WAL at the next open. Only a power loss or kernel crash could lose
//! the last commits (no fsync per commit), which is the trade we make for a local emulator.
//! The file is locked exclusively while a sandbox has it open: two sandboxes on one file would
//! silently diverge.

mod codec;
mod load;
mod schema;

use std::path::Path;
use std::time::Duration;

use chrono::SecondsFormat;
use rusqlite::{Connection, ErrorCode, Transaction, params};

use super::store::{Changes, ModuleState, Org, PendingJob, ScoreRow};
use crate::domain::{Id, ScoringRule};
use load::{LoadError, load};
use schema::{APPLICATION_ID, SCHEMA_VERSION, TABLES};

#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    #[error("{path}: not a zscore sandbox state file ({detail})")]
    NotOurs { path: String, detail: String },
    #[error(
        "{path}: state file format version {found}, but this zscore reads version {expected}; use another file"
    )]
    Version {
        path: String,
        found: i32,
        expected: i32,
    },
    #[error("{path}: the state file is corrupt: {detail}")]
    Corrupt { path: String, detail: String },
    #[error("{path}: the state file is in use by another zscore sandbox")]
    Busy { path: String },
    #[error("{path}: {source}")]
    Sqlite {
        path: String,
        source: rusqlite::Error,
    },
}

/// What an existing state file held.
pub struct Restored {
    pub org: Org,
    /// Executions accepted but not finished when the last process stopped: they run again.
    pub pending_jobs: Vec<PendingJob>,
}

pub struct StateFile {
    path: String,
    conn: Connection,
    /// The id counter last written, so a commit that minted nothing skips it.
    written_next_id: u64,
    /// Names the org this file holds, from its seeding to its next reset (`identity`).
    identity: String,
}

impl StateFile {
    /// Opens (or creates) `path`. `None`: the file is new or empty and must be seeded with
    /// `write_all`; otherwise the org it holds.
    pub fn open(path: &Path) -> Result<(StateFile, Option<Restored>), PersistError> {
        let name = path.display().to_string();
        // A new file is created owner-only (SQLite gives its journal the same mode); if that
        // fails, opening it below says why.
        let _ = crate::config::private::touch(path);
        let conn = Connection::open(path).map_err(|e| classify(&name, e))?;
        let mut file = StateFile {
            path: name,
            conn,
            written_next_id: 0,
            identity: String::new(),
        };
        file.prepare()?;
        let app_id: i32 = file.pragma("application_id")?;
        let tables: i64 = file
            .conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(|e| file.err(e))?;
        if app_id == 0 && tables == 0 {
            file.set_journal()?;
            return Ok((file, None));
        }
        if app_id != APPLICATION_ID {
            return Err(PersistError::NotOurs {
                path: file.path.clone(),
                detail: format!("a SQLite database with {tables} other tables"),
            });
        }
        let found: i32 = file.pragma("user_version")?;
        if found != SCHEMA_VERSION {
            return Err(PersistError::Version {
                path: file.path.clone(),
                found,
                expected: SCHEMA_VERSION,
            });
        }
        let check: String = file.pragma("quick_check")?;
        if check != "ok" {
            return Err(file.corrupt(check));
        }
        file.set_journal()?;
        let restored = file.load()?;
        file.written_next_id = restored.org.next_id();
        file.identity = file.read_identity()?;
        // The org is in memory now; the pages read to get it there need not stay cached.
        let _ = file.conn.release_memory();
        Ok((file, Some(restored)))
    }

    /// A random name for the org this file holds, made when it is seeded and kept until it is
    /// reset, so whatever is kept about "this org" outside the file (the change journal, form
    /// drafts) is kept per org: rule ids repeat from one seeding to the next, orgs must not mix.
    pub fn identity(&self) -> &str {
        &self.identity
    }

    /// The stored identity; a file written before identities existed is given one now.
    fn read_identity(&mut self) -> Result<String, PersistError> {
        match load::meta(&self.conn, IDENTITY) {
            Ok(id) => Ok(id),
            Err(LoadError::Sqlite(e)) => Err(self.err(e)),
            Err(LoadError::Bad(_)) => {
                let id = new_identity();
                let path = self.path.clone();
                let tx = self.conn.transaction().map_err(|e| classify(&path, e))?;
                put_meta(&tx, IDENTITY, &id).map_err(|e| classify(&path, e))?;
                tx.commit().map_err(|e| classify(&path, e))?;
                Ok(id)
            }
        }
    }

    fn prepare(&mut self) -> Result<(), PersistError> {
        self.conn
            .busy_timeout(Duration::from_secs(1))
            .map_err(|e| self.err(e))?;
        // Reads happen once, at start; commits touch a few pages. A small cache is plenty and
        // keeps the sandbox (the TUI's built-in one too) lean.
        self.conn
            .pragma_update(None, "cache_size", -256)
            .map_err(|e| self.err(e))?;
        // Before the first read: the lock taken then is kept for the connection's life.
        self.conn
            .pragma_update(None, "locking_mode", "EXCLUSIVE")
            .map_err(|e| self.err(e))
    }

    fn set_journal(&mut self) -> Result<(), PersistError> {
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(self.corrupt(format!("cannot use a WAL journal (got {mode})")));
        }
        self.conn
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(|e| self.err(e))?;
        // Takes the exclusive lock now, so a second sandbox on this file fails at start.
        self.conn
            .execute_batch("BEGIN EXCLUSIVE; COMMIT;")
            .map_err(|e| self.err(e))
    }

    fn pragma<T: rusqlite::types::FromSql>(&self, name: &str) -> Result<T, PersistError> {
        self.conn
            .pragma_query_value(None, name, |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    fn err(&self, e: rusqlite::Error) -> PersistError {
        classify(&self.path, e)
    }

    fn corrupt(&self, detail: impl Into<String>) -> PersistError {
        PersistError::Corrupt {
            path: self.path.clone(),
            detail: detail.into(),
        }
    }

    /// Writes a freshly seeded org, tables and all, in one transaction: a process killed
    /// half-way leaves an empty file, which the next start seeds again.
    pub fn write_all(&mut self, org: &Org) -> Result<(), PersistError> {
        self.replace_all(org, false)
    }

    /// Replaces whatever the file holds with `org`, a new identity included, in one
    /// transaction: a process killed half-way leaves the old org in place.
    pub fn reset(&mut self, org: &Org) -> Result<(), PersistError> {
        self.replace_all(org, true)
    }

    fn replace_all(&mut self, org: &Org, drop_old: bool) -> Result<(), PersistError> {
        let path = self.path.clone();
        let identity = new_identity();
        let tx = self.conn.transaction().map_err(|e| classify(&path, e))?;
        if drop_old {
            drop_tables(&tx).map_err(|e| classify(&path, e))?;
        }
        write_all(&tx, org).map_err(|e| classify(&path, e))?;
        put_meta(&tx, IDENTITY, &identity).map_err(|e| classify(&path, e))?;
        tx.commit().map_err(|e| classify(&path, e))?;
        self.written_next_id = org.next_id();
        self.identity = identity;
        Ok(())
    }

    /// Writes what `changes` says changed, as `org` now has it, in one transaction.
    pub fn commit(&mut self, org: &Org, changes: &Changes) -> Result<(), PersistError> {
        if changes.is_empty() && org.next_id() == self.written_next_id {
            return Ok(());
        }
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| classify(&path, e))?;
        write_changes(&tx, org, changes).map_err(|e| classify(&path, e))?;
        tx.commit().map_err(|e| classify(&path, e))?;
        self.written_next_id = org.next_id();
        Ok(())
    }

    /// The org as the file holds it (after a failed commit, to drop the unwritten change).
    pub fn load(&self) -> Result<Restored, PersistError> {
        load(&self.conn).map_err(|e| match e {
            LoadError::Sqlite(e) => self.err(e),
            LoadError::Bad(detail) => self.corrupt(detail),
        })
    }
}

/// The `meta` key of the file's identity.
const IDENTITY: &str = "identity";

/// 64 random bits (std's per-process random hash keys) and the clock, as hex: unique enough
/// to tell this machine's orgs apart, with no dependency for it.
pub(crate) fn new_identity() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.write_u32(std::process::id());
    format!("{:016x}", h.finish())
}

fn drop_tables(tx: &Transaction) -> rusqlite::Result<()> {
    let names: Vec<String> = tx
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for name in names {
        // Indexes go with their tables.
        tx.execute_batch(&format!("DROP TABLE \"{}\"", name.replace('"', "\"\"")))?;
    }
    Ok(())
}

fn classify(path: &str, e: rusqlite::Error) -> PersistError {
    let path = path.to_string();
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => PersistError::NotOurs {
            path,
            detail: "not a SQLite database".into(),
        },
        Some(ErrorCode::DatabaseCorrupt) => PersistError::Corrupt {
            path,
            detail: e.to_string(),
        },
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
            PersistError::Busy { path }
        }
        _ => PersistError::Sqlite { path, source: e },
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> rusqlite::Result<String> {
    serde_json::to_string(v).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

fn put_meta(tx: &Transaction, key: &str, value: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
        params![key, value],
    )?;
    Ok(())
}

fn score_fields_json(m: &ModuleState) -> rusqlite::Result<String> {
    let mut list: Vec<(&String, &Id, &String)> = m
        .score_fields
        .iter()
        .map(|(api, (rule, reference))| (api, rule, reference))
        .collect();
    list.sort();
    to_json(&list)
}

fn write_all(tx: &Transaction, org: &Org) -> rusqlite::Result<()> {
    tx.execute_batch(TABLES)?;
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    put_meta(tx, "edition", org.edition.slug())?;
    put_meta(
        tx,
        "started",
        &org.started.to_rfc3339_opts(SecondsFormat::Nanos, true),
    )?;
    put_meta(tx, "next_id", &org.next_id().to_string())?;
    put_meta(tx, "org", &to_json(&org.info)?)?;
    put_meta(tx, "users", &to_json(&org.users)?)?;
    put_meta(tx, "signals", &to_json(&org.signals)?)?;
    let mut module_stmt = tx.prepare(
        "INSERT INTO modules (seq, api_name, schema, score_fields) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut record_stmt =
        tx.prepare("INSERT INTO records (seq, module, id, body) VALUES (?1, ?2, ?3, ?4)")?;
    let mut record_seq: i64 = 0;
    for (module_seq, m) in org.modules.iter().enumerate() {
        module_stmt.execute(params![
            module_seq as i64,
            m.api_name(),
            to_json(&m.schema)?,
            score_fields_json(m)?
        ])?;
        for r in m.records.iter() {
            let body = codec::encode_record(&m.schema, r).to_string();
            record_stmt.execute(params![record_seq, m.api_name(), r.id.as_str(), body])?;
            record_seq += 1;
        }
        for ((record, rule), row) in &m.scores {
            put_score(tx, m.api_name(), record, rule, row)?;
        }
    }
    for (id, rule) in &org.rules {
        put_rule(tx, id, rule)?;
    }
    Ok(())
}

fn put_rule(tx: &Transaction, id: &Id, rule: &ScoringRule) -> rusqlite::Result<()> {
    tx.prepare_cached("INSERT OR REPLACE INTO rules (id, body) VALUES (?1, ?2)")?
        .execute(params![id.as_str(), to_json(rule)?])?;
    Ok(())
}

fn put_score(
    tx: &Transaction,
    module: &str,
    record: &Id,
    rule: &Id,
    row: &ScoreRow,
) -> rusqlite::Result<()> {
    let s = &row.score;
    tx.prepare_cached(
        "INSERT OR REPLACE INTO scores (module, record_id, rule_id, row_id, positive, negative,
         touch_positive, touch_negative, matched_field_rules, matched_signal_rules)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        module,
        record.as_str(),
        rule.as_str(),
        row.id.as_str(),
        s.positive,
        s.negative,
        s.touch_positive,
        s.touch_negative,
        s.matched_field_rules,
        s.matched_signal_rules
    ])?;
    Ok(())
}

fn write_changes(tx: &Transaction, org: &Org, changes: &Changes) -> rusqlite::Result<()> {
    put_meta(tx, "next_id", &org.next_id().to_string())?;
    for id in &changes.rules {
        match org.rules.get(id) {
            Some(rule) => put_rule(tx, id, rule)?,
            None => {
                tx.prepare_cached("DELETE FROM rules WHERE id = ?1")?
                    .execute(params![id.as_str()])?;
            }
        }
    }
    for (module, rule) in &changes.rule_scores_dropped {
        tx.prepare_cached("DELETE FROM scores WHERE module = ?1 AND rule_id = ?2")?
            .execute(params![module, rule.as_str()])?;
    }
    for module in &changes.schemas {
        if let Some(m) = org.module(module) {
            tx.prepare_cached(
                "UPDATE modules SET schema = ?1, score_fields = ?2 WHERE api_name = ?3",
            )?
            .execute(params![to_json(&m.schema)?, score_fields_json(m)?, module])?;
        }
    }
    for (module, record, rule) in &changes.scores {
        let key = (record.clone(), rule.clone());
        match org.module(module).and_then(|m| m.scores.get(&key)) {
            Some(row) => put_score(tx, module, record, rule, row)?,
            None => {
                tx.prepare_cached(
                    "DELETE FROM scores WHERE module = ?1 AND record_id = ?2 AND rule_id = ?3",
                )?
                .execute(params![module, record.as_str(), rule.as_str()])?;
            }
        }
    }
    for job in &changes.jobs_scheduled {
        let rule_ids: Vec<&str> = job.rule_ids.iter().map(Id::as_str).collect();
        tx.prepare_cached(
            "INSERT OR REPLACE INTO jobs (id, module, rule_ids) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![job.id.as_str(), job.module, to_json(&rule_ids)?])?;
    }
    for id in &changes.jobs_finished {
        tx.prepare_cached("DELETE FROM jobs WHERE id = ?1")?
            .execute(params![id.as_str()])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
