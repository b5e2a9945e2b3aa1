//! Entry points for fuzzing: each takes arbitrary bytes and runs them through one of the places
//! where zscore reads input it does not control. They return nothing and must never panic; the
//! only outcome a fuzzer looks for is a crash.
//!
//! The same functions are called by the cargo-fuzz targets in `fuzz/` (libFuzzer, nightly), by
//! `tests/fuzz_replay.rs` (every file of `fuzz/corpus/<target>/` on every `cargo test`), and by
//! `examples/fuzz_loop.rs` (a stable-toolchain mutation loop for machines without cargo-fuzz).
//!
//! - [`response_parse`]: an HTTP status and body as Zoho might answer them, into the client's
//!   response parsers (item results, error envelopes, rules, job status, token grants).
//! - [`request_validate`]: a request item into the validator the sandbox and the forms share
//!   (create and update parsing, semantic checks against the demo org, patch application).
//! - [`criteria_eval`]: criteria and a record derived from the bytes, compiled against the demo
//!   org's Leads schema, scored, explained and rendered as text.
//! - [`import_file`]: a rule file and a sidecar, read as `zscore import` reads a directory, and
//!   planned against the demo org.

use std::sync::OnceLock;

use serde_json::Value;

use crate::api::items::{parse_items, single};
use crate::api::{JobStatus, ZohoError};
use crate::domain::evaluate::{CompiledRule, EvalContext, criteria_text};
use crate::domain::record::{FieldValue, LookupValue, Record, SignalEvents};
use crate::domain::validate::{self, Op, RuleContext, RuleSummary};
use crate::domain::{Criteria, DataType, Edition, Id, OrgSnapshot, ScoringRule};
use crate::transfer::{ExportFile, ExportSet, SIDECAR, plan};

/// The demo org, loaded once, dated at a fixed instant so runs are reproducible.
pub fn demo_org() -> Option<&'static OrgSnapshot> {
    static ORG: OnceLock<Option<OrgSnapshot>> = OnceLock::new();
    ORG.get_or_init(|| {
        use chrono::TimeZone;
        let now = chrono::Utc
            .with_ymd_and_hms(2026, 11, 1, 12, 0, 0)
            .single()?;
        crate::sandbox::seed::load_embedded(now)
            .ok()
            .map(|seed| seed.snapshot(Edition::Enterprise))
    })
    .as_ref()
}

/// First two bytes: the status (folded into 100–599); the rest: the body.
pub fn response_parse(data: &[u8]) {
    let (status, body) = match data {
        [a, b, rest @ ..] => (100 + u16::from_be_bytes([*a, *b]) % 500, rest),
        _ => (200, data),
    };
    let _ = parse_items(status, None, "fuzz");
    if let (Ok(code), Ok(text)) = (
        reqwest::StatusCode::from_u16(status),
        std::str::from_utf8(body),
    ) && let Ok(grant) = crate::api::auth::grant_from(code, text)
    {
        let _ = crate::api::auth::refresh_at(std::time::Instant::now(), grant.expires_in);
    }
    let Ok(v) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    if let Ok(items) = parse_items(status, Some(&v), "fuzz") {
        let _ = single(items, "fuzz");
    }
    let _ = ZohoError::from_value(status, &v).map(|z| (z.to_string(), z.location().is_some()));
    let _ = serde_json::from_value::<JobStatus>(v.clone());
    if let Some(list) = v.get("scoring_rules") {
        let _ = serde_json::from_value::<Vec<ScoringRule>>(list.clone());
    }
    if let Ok(rule) = serde_json::from_value::<ScoringRule>(v) {
        let _ = serde_json::to_value(&rule);
        let _ = (rule.condition_count(), rule.field_score_span());
    }
}

/// The bytes as one JSON request item, validated as a create and as an update.
pub fn request_validate(data: &[u8]) {
    let Ok(item) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let Some(org) = demo_org() else { return };
    if let Ok(rule) = validate::parse_create(&item)
        && let Some(schema) = org.module(&rule.module.api_name)
    {
        let others: Vec<RuleSummary> = org.rules.iter().map(RuleSummary::of).collect();
        let ctx = RuleContext {
            edition: org.edition,
            schema,
            signals: &org.signals,
            others: &others,
        };
        let _ = validate::check_rule(&rule, &ctx, Op::Create);
    }
    if let Ok(patch) = validate::parse_update(&item) {
        for existing in org.rules.iter().take(3) {
            if let Ok(patched) = validate::apply_patch(existing, &patch)
                && let Some(schema) = org.module(&existing.module.api_name)
            {
                let others: Vec<RuleSummary> = org
                    .rules
                    .iter()
                    .filter(|r| r.id != existing.id)
                    .map(RuleSummary::of)
                    .collect();
                let ctx = RuleContext {
                    edition: org.edition,
                    schema,
                    signals: &org.signals,
                    others: &others,
                };
                let _ = validate::check_rule(&patched.rule, &ctx, Op::Update);
            }
        }
    }
}

/// Bytes to field values, one byte (or a few) at a time; runs out into `Null`.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    fn text(&mut self) -> String {
        let n = usize::from(self.byte() % 12);
        (0..n)
            .map(|_| {
                let b = self.byte();
                // Mostly letters (so criteria can match), sometimes anything.
                if b < 200 {
                    char::from(b'a' + b % 26)
                } else {
                    char::from_u32(u32::from(b) * 97).unwrap_or('?')
                }
            })
            .collect()
    }

    fn number(&mut self) -> i64 {
        i64::from(i16::from_be_bytes([self.byte(), self.byte()]))
    }

    /// Usually a value of the kind the field stores (what a record really holds), sometimes
    /// any kind (what a foreign org or a changed field type can leave behind).
    fn value(&mut self, ty: &DataType) -> FieldValue {
        let kind = self.byte();
        if kind.is_multiple_of(8) {
            return FieldValue::Null;
        }
        let natural = match ty {
            _ if kind.is_multiple_of(4) => None,
            DataType::Integer
            | DataType::Bigint
            | DataType::Currency
            | DataType::Double
            | DataType::Decimal => Some(0),
            DataType::Boolean => Some(1),
            DataType::Date => Some(2),
            DataType::Datetime => Some(3),
            DataType::Multiselectpicklist => Some(4),
            DataType::Lookup | DataType::Ownerlookup | DataType::Userlookup => Some(5),
            DataType::Multiuserlookup | DataType::Multiselectlookup => Some(6),
            _ => Some(7),
        };
        match natural.unwrap_or(kind % 8) {
            0 => FieldValue::Number(self.number() as f64 / 4.0),
            1 => FieldValue::Bool(kind & 0x80 != 0),
            2 => FieldValue::Date(
                20_000 + i32::from(i16::from_be_bytes([self.byte(), self.byte()])) / 16,
            ),
            3 => FieldValue::DateTime(1_790_000_000 + self.number() * 3_600),
            4 => FieldValue::multi(
                (0..self.byte() % 4)
                    .map(|_| self.text())
                    .collect::<Vec<_>>(),
            ),
            5 => FieldValue::lookup(self.lookup()),
            6 => FieldValue::multi_lookup(
                (0..self.byte() % 3)
                    .map(|_| self.lookup())
                    .collect::<Vec<_>>(),
            ),
            _ => FieldValue::text(self.text()),
        }
    }

    fn lookup(&mut self) -> LookupValue {
        LookupValue {
            id: Id::new(self.number().to_string()),
            name: self.text(),
        }
    }
}

/// Up to the first `\n`: criteria JSON (a condition or a group); after it: record bytes.
pub fn criteria_eval(data: &[u8]) {
    let split = data.iter().position(|b| *b == b'\n').unwrap_or(data.len());
    let (head, tail) = data.split_at(split);
    let Ok(criteria) = serde_json::from_slice::<Criteria>(head) else {
        return;
    };
    let Some(org) = demo_org() else { return };
    let Some(template) = org.rules.iter().find(|r| r.module.api_name == "Leads") else {
        return;
    };
    let Some(schema) = org.module("Leads") else {
        return;
    };
    let mut rule = template.clone();
    if let Some(first) = rule.field_rules.first_mut() {
        first.criteria = criteria.clone();
    }
    let _ = criteria_text(&criteria, schema);
    let mut bytes = Bytes(tail);
    let ctx = EvalContext {
        now: 1_790_000_000 + bytes.number() * 3_600,
        current_user: Some(Id::new("1")),
        current_role: None,
    };
    let compiled = CompiledRule::compile(&rule, schema, &ctx);
    let _ = compiled.disrupted();
    for n in 0..3 {
        let record = Record {
            id: Id::new(n.to_string()),
            values: schema
                .fields
                .iter()
                .map(|f| bytes.value(&f.data_type))
                .collect(),
            signals: (0..bytes.byte() % 3)
                .map(|_| SignalEvents {
                    namespace: bytes.text(),
                    count: u32::from(bytes.byte()),
                })
                .collect(),
        };
        let _ = compiled.score(&record).total();
        let _ = compiled.explain(&record);
    }
}

/// The bytes as a rule file at a fixed place and, split at the first NUL byte, a sidecar; read
/// as `zscore import` reads a directory and, when that succeeds, planned against the demo org.
pub fn import_file(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (rule, sidecar) = match text.split_once('\0') {
        Some((r, s)) => (r.to_string(), Some(s.to_string())),
        None => (text.to_string(), None),
    };
    let mut files = vec![ExportFile {
        rel_path: "Leads/Standard/Fuzzed.json".into(),
        contents: rule,
    }];
    if let Some(s) = sidecar {
        files.push(ExportFile {
            rel_path: SIDECAR.into(),
            contents: s,
        });
    }
    let Ok(set) = ExportSet::from_files(&files) else {
        return;
    };
    if let Some(org) = demo_org() {
        let _ = plan(&set, org).map(|p| p.render());
    }
}
