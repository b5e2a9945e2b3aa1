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
mod schema;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, ErrorCode, OptionalExtension, Transaction, params};
use serde::de::DeserializeOwned;

use super::store::{Changes, ModuleState, Org, PendingJob, ScoreRow};
use crate::domain::evaluate::RuleScore;
use crate::domain::{Edition, Id, ModuleSchema, ScoringRule};
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
        Ok((file, Some(restored)))
    }

    fn prepare(&mut self) -> Result<(), PersistError> {
        self.conn
            .busy_timeout(Duration::from_secs(1))
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
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| classify(&path, e))?;
        write_all(&tx, org).map_err(|e| classify(&path, e))?;
        tx.commit().map_err(|e| classify(&path, e))?;
        self.written_next_id = org.next_id();
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
        load(&self.conn, &self.path).map_err(|e| match e {
            LoadError::Sqlite(e) => self.err(e),
            LoadError::Bad(detail) => self.corrupt(detail),
        })
    }
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

enum LoadError {
    Sqlite(rusqlite::Error),
    Bad(String),
}

impl From<rusqlite::Error> for LoadError {
    fn from(e: rusqlite::Error) -> Self {
        LoadError::Sqlite(e)
    }
}

fn parse<T: DeserializeOwned>(what: &str, text: &str) -> Result<T, LoadError> {
    serde_json::from_str(text).map_err(|e| LoadError::Bad(format!("{what}: {e}")))
}

fn meta(conn: &Connection, key: &str) -> Result<String, LoadError> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?
        .ok_or_else(|| LoadError::Bad(format!("no {key} in the meta table")))
}

fn load(conn: &Connection, _path: &str) -> Result<Restored, LoadError> {
    let edition_slug = meta(conn, "edition")?;
    let edition = Edition::from_str(&edition_slug).map_err(|e| LoadError::Bad(e.to_string()))?;
    let started = DateTime::parse_from_rfc3339(&meta(conn, "started")?)
        .map_err(|e| LoadError::Bad(format!("started: {e}")))?
        .with_timezone(&Utc);
    let next_id: u64 = meta(conn, "next_id")?
        .parse()
        .map_err(|e| LoadError::Bad(format!("next_id: {e}")))?;
    let info = parse("org", &meta(conn, "org")?)?;
    let users = parse("users", &meta(conn, "users")?)?;
    let signals = parse("signals", &meta(conn, "signals")?)?;

    let mut modules = Vec::new();
    let mut stmt =
        conn.prepare("SELECT api_name, schema, score_fields FROM modules ORDER BY seq")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (api_name, schema, score_fields) = row?;
        let schema: ModuleSchema = parse(&format!("module {api_name}"), &schema)?;
        let fields: Vec<(String, Id, String)> =
            parse(&format!("score fields of {api_name}"), &score_fields)?;
        let records = load_records(conn, &api_name, &schema)?;
        let mut m = ModuleState::new(schema, records);
        m.score_fields = fields
            .into_iter()
            .map(|(api, rule, reference)| (api, (rule, reference)))
            .collect::<HashMap<_, _>>();
        m.scores = load_scores(conn, &api_name)?;
        modules.push(m);
    }

    let mut rules = BTreeMap::new();
    let mut stmt = conn.prepare("SELECT id, body FROM rules")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (id, body) = row?;
        let rule: ScoringRule = parse(&format!("rule {id}"), &body)?;
        rules.insert(Id::new(id), rule);
    }

    let mut pending_jobs = Vec::new();
    let mut stmt = conn.prepare("SELECT id, module, rule_ids FROM jobs ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (id, module, rule_ids) = row?;
        let rule_ids: Vec<String> = parse(&format!("job {id}"), &rule_ids)?;
        pending_jobs.push(PendingJob {
            id: Id::new(id),
            module,
            rule_ids: rule_ids.into_iter().map(Id::new).collect(),
        });
    }

    let org = Org::restored(
        edition, started, info, users, modules, signals, rules, next_id,
    );
    Ok(Restored { org, pending_jobs })
}

fn load_records(
    conn: &Connection,
    module: &str,
    schema: &ModuleSchema,
) -> Result<Vec<crate::domain::Record>, LoadError> {
    let mut stmt = conn.prepare("SELECT id, body FROM records WHERE module = ?1 ORDER BY seq")?;
    let rows = stmt.query_map([module], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    let mut shared = crate::sandbox::seed::intern::Interner::default();
    for row in rows {
        let (id, body) = row?;
        let body: serde_json::Value = parse(&format!("record {id}"), &body)?;
        out.push(
            codec::decode_record(schema, &id, &body, &mut shared)
                .map_err(|e| LoadError::Bad(format!("record {id}: {e}")))?,
        );
    }
    Ok(out)
}

fn load_scores(conn: &Connection, module: &str) -> Result<BTreeMap<(Id, Id), ScoreRow>, LoadError> {
    let mut stmt = conn.prepare(
        "SELECT record_id, rule_id, row_id, positive, negative, touch_positive, touch_negative,
                matched_field_rules, matched_signal_rules FROM scores WHERE module = ?1",
    )?;
    let rows = stmt.query_map([module], |r| {
        Ok((
            (
                Id::new(r.get::<_, String>(0)?),
                Id::new(r.get::<_, String>(1)?),
            ),
            ScoreRow {
                id: Id::new(r.get::<_, String>(2)?),
                score: RuleScore {
                    positive: r.get(3)?,
                    negative: r.get(4)?,
                    touch_positive: r.get(5)?,
                    touch_negative: r.get(6)?,
                    matched_field_rules: r.get(7)?,
                    matched_signal_rules: r.get(8)?,
                },
            },
        ))
    })?;
    let mut out = BTreeMap::new();
    for row in rows {
        let (key, value) = row?;
        out.insert(key, value);
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
