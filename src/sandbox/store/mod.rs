//! The sandbox org's state: metadata, rules, records and entity scores, and every change to
//! them. Plain data behind one lock in the server; no HTTP here, so each operation can be
//! tested directly and each either applies completely or leaves the org untouched.

mod changes;
mod rules;
mod scoring;
#[cfg(test)]
mod tests;

pub use changes::{Changes, PendingJob};
pub use rules::{RuleError, clone_name};
pub use scoring::{ScoreRow, ScoringRun, six_months_before};

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;

use crate::domain::metadata::UserRef;
use crate::domain::validate::{self, RuleSummary};
use crate::domain::{Edition, Id, ModuleSchema, Record, ScoringRule, Signal};
use crate::sandbox::seed::{SeedOrg, SeedUser};

/// One module: its schema, its records and the entity scores its rules have written.
#[derive(Debug)]
pub struct ModuleState {
    pub schema: ModuleSchema,
    /// Shared so an execution can snapshot the records it scores without copying them (a
    /// copy of a large module would stay in the process's memory for good); a change to the
    /// records (a score field added) copies them only while a run holds the snapshot.
    pub records: Arc<Vec<Record>>,
    record_index: HashMap<Id, usize>,
    /// (record id, rule id) → the scores that rule gave that record at its last execution.
    pub scores: BTreeMap<(Id, Id), ScoreRow>,
    /// Custom score fields created by rules: field api_name → (rule id, reference score field).
    pub score_fields: HashMap<String, (Id, String)>,
}

impl ModuleState {
    pub(crate) fn new(schema: ModuleSchema, records: Vec<Record>) -> Self {
        let record_index = records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        let records = Arc::new(records);
        ModuleState {
            schema,
            records,
            record_index,
            scores: BTreeMap::new(),
            score_fields: HashMap::new(),
        }
    }

    pub fn api_name(&self) -> &str {
        &self.schema.module.api_name
    }

    pub fn record(&self, id: &Id) -> Option<&Record> {
        self.record_index.get(id).map(|&i| &self.records[i])
    }

    pub fn field_index(&self, api_name: &str) -> Option<usize> {
        self.schema
            .fields
            .iter()
            .position(|f| f.api_name == api_name)
    }
}

#[derive(Debug)]
pub struct Org {
    pub edition: Edition,
    /// The org's "now" at start-up: seed data is dated relative to it.
    pub started: DateTime<Utc>,
    pub info: Value,
    pub users: Vec<SeedUser>,
    pub modules: Vec<ModuleState>,
    pub signals: Vec<Signal>,
    pub rules: BTreeMap<Id, ScoringRule>,
    next_id: u64,
    /// Rows changed since the last commit point (what a durable sandbox must write).
    changes: Changes,
}

impl Org {
    pub fn from_seed(seed: SeedOrg, edition: Edition, now: DateTime<Utc>) -> Self {
        let SeedOrg {
            mut org,
            users,
            modules,
            signals,
            rules,
            mut records,
            next_id,
        } = seed;
        if let Some(lic) = org
            .get_mut("license_details")
            .and_then(Value::as_object_mut)
        {
            lic.insert("paid_type".into(), Value::String(edition.slug().into()));
        }
        let modules = modules
            .into_iter()
            .map(|schema| {
                let recs = records.remove(&schema.module.api_name).unwrap_or_default();
                ModuleState::new(schema, recs)
            })
            .collect();
        let rules = rules
            .into_iter()
            .filter_map(|r| r.id.clone().map(|id| (id, r)))
            .collect();
        let mut org = Org::restored(edition, now, org, users, modules, signals, rules, next_id);
        org.register_seeded_score_fields();
        org
    }

    /// An org exactly as a state file held it (no seeding, no re-registration of fields).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn restored(
        edition: Edition,
        started: DateTime<Utc>,
        info: Value,
        users: Vec<SeedUser>,
        modules: Vec<ModuleState>,
        signals: Vec<Signal>,
        rules: BTreeMap<Id, ScoringRule>,
        next_id: u64,
    ) -> Self {
        Org {
            edition,
            started,
            info,
            users,
            modules,
            signals,
            rules,
            next_id,
            changes: Changes::default(),
        }
    }

    /// The first id `mint_id` will hand out.
    pub fn next_id(&self) -> u64 {
        self.next_id
    }

    /// Hands over (and forgets) what changed since the last call: the commit point's work.
    pub fn take_changes(&mut self) -> Changes {
        std::mem::take(&mut self.changes)
    }

    /// An execution was accepted: it must run even if the process dies before it finishes.
    pub fn note_job_scheduled(&mut self, job: PendingJob) {
        self.changes.jobs_scheduled.push(job);
    }

    /// An execution ended (its scores, if any, are in the same commit).
    pub fn note_job_finished(&mut self, id: Id) {
        self.changes.jobs_finished.push(id);
    }

    /// Seeded rules may map scores onto custom fields; remember which, so records can show them.
    fn register_seeded_score_fields(&mut self) {
        let mut found = Vec::new();
        for rule in self.rules.values() {
            for cf in &rule.custom_fields {
                if let (Some(api), Some(reference)) = (
                    &cf.api_name,
                    cf.reference_field.as_ref().and_then(|r| r.api_name.clone()),
                ) {
                    found.push((
                        rule.module.api_name.clone(),
                        api.clone(),
                        rule.id.clone(),
                        reference,
                    ));
                }
            }
        }
        for (module, api, rule_id, reference) in found {
            if let (Some(m), Some(rule_id)) = (self.module_mut(&module), rule_id) {
                m.score_fields.insert(api, (rule_id, reference));
            }
        }
    }

    /// A fresh id, unique in this org, shaped like Zoho's.
    pub fn mint_id(&mut self) -> Id {
        let id = Id::from(self.next_id);
        self.next_id += 1;
        id
    }

    pub fn module(&self, api_name: &str) -> Option<&ModuleState> {
        self.modules.iter().find(|m| m.api_name() == api_name)
    }

    pub fn module_mut(&mut self, api_name: &str) -> Option<&mut ModuleState> {
        self.modules.iter_mut().find(|m| m.api_name() == api_name)
    }

    /// Zoho matches module names in URLs case-insensitively; so do we.
    pub fn module_ci(&self, api_name: &str) -> Option<&ModuleState> {
        self.modules
            .iter()
            .find(|m| m.api_name().eq_ignore_ascii_case(api_name))
    }

    pub fn current_user(&self) -> UserRef {
        match self.users.first() {
            Some(u) => UserRef {
                name: u.name.clone(),
                id: u.id.clone(),
                zuid: Some(u.zuid.clone()),
            },
            None => UserRef {
                name: "Sandbox Admin".into(),
                id: Id::new("1"),
                zuid: None,
            },
        }
    }

    /// Every rule but `except`, as the validator counts them when it judges a rule of
    /// `module`: only that module's rules need their criteria (a large org has thousands).
    pub fn summaries_except(&self, except: Option<&Id>, module: &str) -> Vec<RuleSummary> {
        validate::summaries(
            self.rules.values().filter(|r| r.id.as_ref() != except),
            module,
        )
    }

    /// The time stamp format Zoho answers with: ISO 8601 with an offset, no fraction.
    pub fn timestamp(now: DateTime<Utc>) -> String {
        now.to_rfc3339_opts(SecondsFormat::Secs, false)
    }
}
