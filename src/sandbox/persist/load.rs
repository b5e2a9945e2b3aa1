//! Reading a state file back into an `Org`: the meta singletons, modules with their records
//! and entity scores, rules, and the executions left unfinished.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::de::DeserializeOwned;

use super::Restored;
use super::codec;
use crate::domain::evaluate::RuleScore;
use crate::domain::{Edition, Id, ModuleSchema, ScoringRule};
use crate::sandbox::store::{ModuleState, Org, PendingJob, ScoreRow};

pub(super) enum LoadError {
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

pub(super) fn meta(conn: &Connection, key: &str) -> Result<String, LoadError> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?
        .ok_or_else(|| LoadError::Bad(format!("no {key} in the meta table")))
}

/// Every row `sql` selects, as its three text columns.
fn three_texts(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<(String, String, String)>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect()
}

pub(super) fn load(conn: &Connection) -> Result<Restored, LoadError> {
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
    let sql = "SELECT api_name, schema, score_fields FROM modules ORDER BY seq";
    for (api_name, schema, score_fields) in three_texts(conn, sql)? {
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
    for (id, module, rule_ids) in
        three_texts(conn, "SELECT id, module, rule_ids FROM jobs ORDER BY id")?
    {
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
