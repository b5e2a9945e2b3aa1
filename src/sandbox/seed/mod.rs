//! The demo org: seed files (`assets/seed/`) and the loader that turns them into metadata,
//! scoring rules and generated records.
//!
//! The files refer to everything by api_name (modules, layouts, fields), namespace (signals) or
//! email (users); ids are assigned here, in file order, as a fixed 13-digit org prefix plus a
//! 6-digit counter, so every run of the sandbox sees the same ids. Records come from a seeded
//! SplitMix64 and `now`, so the same `now` always gives the same org.

mod files;
mod generate;
pub(crate) mod intern;
pub mod large;
mod names;
mod rng;
mod rules;
mod schema;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::domain::{Id, ModuleSchema, Record, ScoringRule, Signal};

/// Everything the sandbox serves at start-up.
#[derive(Clone, Debug, PartialEq)]
pub struct SeedOrg {
    /// The object `GET /crm/v8/org` returns inside `{"org":[…]}`.
    pub org: serde_json::Value,
    /// The first is the current user (the admin).
    pub users: Vec<SeedUser>,
    pub modules: Vec<ModuleSchema>,
    pub signals: Vec<Signal>,
    /// As `GET /settings/automation/scoring_rules` returns them.
    pub rules: Vec<ScoringRule>,
    /// Per module api_name; each record's values are aligned with that module's `fields`.
    pub records: BTreeMap<String, Vec<Record>>,
    /// The first id the server may mint: greater than every id in the seed.
    pub next_id: u64,
}

impl SeedOrg {
    /// The org as a client would load it through the API (for tests of pure code).
    pub fn snapshot(&self, edition: crate::domain::Edition) -> crate::domain::OrgSnapshot {
        crate::domain::OrgSnapshot {
            org_name: self
                .org
                .get("company_name")
                .and_then(|v| v.as_str())
                .unwrap_or("Demo org")
                .to_string(),
            edition,
            modules: self.modules.clone(),
            signals: self.signals.clone(),
            rules: self.rules.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedUser {
    pub id: Id,
    pub name: String,
    pub email: String,
    pub zuid: String,
    pub role: (Id, String),
    pub profile: (Id, String),
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("{file}: cannot read the file: {source}")]
    Read {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: not a valid seed file: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: {path}: {problem}")]
    Invalid {
        file: String,
        /// Where in the file, as a JSON path (`$.fields[3].lookup`).
        path: String,
        problem: String,
    },
}

impl SeedError {
    pub(crate) fn invalid(
        file: impl Into<String>,
        path: impl Into<String>,
        problem: impl Into<String>,
    ) -> Self {
        SeedError::Invalid {
            file: file.into(),
            path: path.into(),
            problem: problem.into(),
        }
    }

    /// The file the error is about.
    pub fn file(&self) -> &str {
        match self {
            SeedError::Read { file, .. }
            | SeedError::Parse { file, .. }
            | SeedError::Invalid { file, .. } => file,
        }
    }
}

/// Loads the seed compiled into the binary, so the sandbox runs from any directory.
pub fn load_embedded(now: DateTime<Utc>) -> Result<SeedOrg, SeedError> {
    load(&Source::Embedded, now)
}

/// Loads a seed directory laid out like `assets/seed/` (`zscore sandbox --seed DIR`).
pub fn load_dir(dir: &Path, now: DateTime<Utc>) -> Result<SeedOrg, SeedError> {
    load(&Source::Dir(dir), now)
}

/// Builds the large org (`zscore sandbox --org large`) and loads it like any seed.
pub fn load_large(spec: &large::LargeOrg, now: DateTime<Utc>) -> Result<SeedOrg, SeedError> {
    let files = large::files(spec)?;
    load(&Source::Generated(&files), now)
}

/// One of the embedded demo files as JSON (the large org is built from them).
fn embedded_json(name: &str) -> Result<serde_json::Value, SeedError> {
    Source::Embedded.parse(name).map(|(v, _)| v)
}

const MANIFEST: &str = "manifest.json";
const ORG: &str = "org.json";
const USERS: &str = "users.json";
const SIGNALS: &str = "signals.json";
const RULES: &str = "rules.json";

const EMBEDDED: &[(&str, &str)] = &[
    (MANIFEST, include_str!("../../../assets/seed/manifest.json")),
    (ORG, include_str!("../../../assets/seed/org.json")),
    (USERS, include_str!("../../../assets/seed/users.json")),
    (SIGNALS, include_str!("../../../assets/seed/signals.json")),
    (RULES, include_str!("../../../assets/seed/rules.json")),
    (
        "modules/leads.json",
        include_str!("../../../assets/seed/modules/leads.json"),
    ),
    (
        "modules/contacts.json",
        include_str!("../../../assets/seed/modules/contacts.json"),
    ),
    (
        "modules/accounts.json",
        include_str!("../../../assets/seed/modules/accounts.json"),
    ),
    (
        "modules/deals.json",
        include_str!("../../../assets/seed/modules/deals.json"),
    ),
    (
        "modules/partners.json",
        include_str!("../../../assets/seed/modules/partners.json"),
    ),
];

enum Source<'a> {
    Embedded,
    Dir(&'a Path),
    /// Seed files built in code, by name.
    Generated(&'a BTreeMap<String, serde_json::Value>),
}

impl Source<'_> {
    /// How errors name a file: the path on disk, or where the embedded copy came from.
    fn label(&self, name: &str) -> String {
        match self {
            Source::Embedded => format!("assets/seed/{name} (embedded)"),
            Source::Dir(dir) => dir.join(name).display().to_string(),
            Source::Generated(_) => format!("large org: {name} (generated)"),
        }
    }

    fn read(&self, name: &str) -> Result<String, SeedError> {
        match self {
            Source::Embedded => EMBEDDED
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, text)| (*text).to_string())
                .ok_or_else(|| SeedError::Read {
                    file: self.label(name),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "not among the files compiled into zscore",
                    ),
                }),
            Source::Dir(dir) => {
                std::fs::read_to_string(dir.join(name)).map_err(|source| SeedError::Read {
                    file: self.label(name),
                    source,
                })
            }
            Source::Generated(files) => Err(SeedError::Read {
                file: self.label(name),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    if files.contains_key(name) {
                        "generated files are read as JSON values, not text"
                    } else {
                        "not among the generated files"
                    },
                ),
            }),
        }
    }

    /// Reads and deserializes one file, returning it with its label for later errors.
    fn parse<T: DeserializeOwned>(&self, name: &str) -> Result<(T, String), SeedError> {
        let file = self.label(name);
        if let Source::Generated(files) = self
            && let Some(v) = files.get(name)
        {
            let value = T::deserialize(v).map_err(|e| SeedError::Parse {
                file: file.clone(),
                message: e.to_string(),
            })?;
            return Ok((value, file));
        }
        let text = self.read(name)?;
        let value = serde_json::from_str(&text).map_err(|e| SeedError::Parse {
            file: file.clone(),
            message: e.to_string(),
        })?;
        Ok((value, file))
    }
}

fn load(src: &Source<'_>, now: DateTime<Utc>) -> Result<SeedOrg, SeedError> {
    let (manifest, manifest_file) = src.parse::<files::ManifestFile>(MANIFEST)?;
    let mut ids = IdGen::new(&manifest.id_prefix).ok_or_else(|| {
        SeedError::invalid(
            &manifest_file,
            "$.id_prefix",
            format!(
                "{:?} is not 13 digits without a leading zero",
                manifest.id_prefix
            ),
        )
    })?;
    if manifest.modules.is_empty() {
        return Err(SeedError::invalid(
            &manifest_file,
            "$.modules",
            "lists no module files",
        ));
    }

    let (org_file, file) = src.parse(ORG)?;
    let org = schema::build_org(org_file, &file, &mut ids, now)?;
    let (users_file, file) = src.parse(USERS)?;
    let users = schema::build_users(users_file, &file, &mut ids)?;
    let (signals_file, file) = src.parse(SIGNALS)?;
    let signals = schema::build_signals(signals_file, &file, &mut ids)?;

    let mut modules = Vec::with_capacity(manifest.modules.len());
    for (i, name) in manifest.modules.iter().enumerate() {
        if modules
            .iter()
            .any(|m: &schema::BuiltModule| m.source_name == *name)
        {
            return Err(SeedError::invalid(
                &manifest_file,
                format!("$.modules[{i}]"),
                format!("{name:?} is listed twice"),
            ));
        }
        let (module_file, file) = src.parse(name)?;
        let mut built = schema::build_module(module_file, &file, &mut ids)?;
        built.source_name.clone_from(name);
        modules.push(built);
    }
    schema::link_modules(&mut modules)?;

    let (rules_file, file) = src.parse(RULES)?;
    let rules = rules::build_rules(
        rules_file,
        &file,
        &rules::Refs {
            modules: &modules,
            signals: &signals.list,
            users: &users.list,
            offset: org.offset,
            now,
        },
        &mut ids,
    )?;

    // Records get their own id block so adding a rule or a field does not renumber them.
    ids.skip_to(RECORD_COUNTER_START);
    let record_total = modules
        .iter()
        .fold(0u64, |n, m| n.saturating_add(m.record_count as u64));
    if ids.counter.saturating_add(record_total) > MAX_COUNTER + 1 {
        return Err(SeedError::invalid(
            &manifest_file,
            "$.modules",
            format!(
                "the modules ask for {record_total} records, more than the ids a 6-digit counter leaves ({}); lower record_count",
                MAX_COUNTER + 1 - ids.counter.min(MAX_COUNTER + 1)
            ),
        ));
    }
    let records = generate::generate(
        &generate::Inputs {
            modules: &modules,
            users: &users,
            signals: &signals,
            seed: manifest.random_seed,
            now: now.timestamp(),
        },
        &mut ids,
    )?;

    Ok(SeedOrg {
        org: org.value,
        users: users.list,
        modules: modules.into_iter().map(|m| m.schema).collect(),
        signals: signals.list,
        rules,
        records,
        next_id: ids.peek(),
    })
}

/// Metadata ids count up from here (Zoho's own metadata ids are small numbers after the prefix).
const METADATA_COUNTER_START: u64 = 2_000;
const RECORD_COUNTER_START: u64 = 400_000;
const MAX_COUNTER: u64 = 999_999;

/// Deterministic ids: `prefix × 10^6 + counter`, handed out in load order.
pub(crate) struct IdGen {
    base: u64,
    counter: u64,
}

impl IdGen {
    fn new(prefix: &str) -> Option<Self> {
        let ok = prefix.len() == 13
            && prefix.bytes().all(|b| b.is_ascii_digit())
            && !prefix.starts_with('0');
        let base = prefix.parse::<u64>().ok()?.checked_mul(1_000_000)?;
        ok.then_some(IdGen {
            base,
            counter: METADATA_COUNTER_START,
        })
    }

    pub(crate) fn next(&mut self) -> Id {
        let id = self.base + self.counter;
        self.counter += 1;
        Id::from(id)
    }

    /// Reserves `n` consecutive ids and returns the first as a number.
    pub(crate) fn reserve(&mut self, n: u64) -> u64 {
        let first = self.base + self.counter;
        self.counter += n;
        first
    }

    fn skip_to(&mut self, counter: u64) {
        self.counter = self.counter.max(counter);
    }

    fn peek(&self) -> u64 {
        self.base + self.counter
    }
}

/// `now - seconds`, written the way Zoho writes times: ISO 8601 with the org's offset. `None`
/// when that is outside chrono's range.
pub(crate) fn zoho_time(
    now: DateTime<Utc>,
    seconds_ago: i64,
    offset: FixedOffset,
) -> Option<String> {
    let t = now.checked_sub_signed(chrono::TimeDelta::try_seconds(seconds_ago)?)?;
    Some(
        t.with_timezone(&offset)
            .to_rfc3339_opts(SecondsFormat::Secs, false),
    )
}

/// Seed dates stay within a century of `now`: enough for any demo, and far from the ranges
/// where date arithmetic overflows.
pub(crate) const MAX_DAYS_FROM_NOW: i64 = 36_525;
