//! `zscore audit`: one row per scoring rule, with what it scores and what is wrong with it.
//!
//! Admins cannot see in one place which rules are active on which layout and how much of the
//! edition's quota is left (USER-NEEDS §A.3.4): the API filters by module, layout and state,
//! but the limits live in the edition. `audit` joins the two over an `OrgSnapshot` and names
//! every problem a person can act on: criteria that can no longer match, signals that are gone,
//! limits reached. Pure: whoever loaded the snapshot (API client, sandbox, file) decides where
//! it came from, and `render_*` decide how it looks.

mod issues;
mod render;
mod table;

#[cfg(test)]
mod tests;

use serde::Serialize;

pub use render::{render_csv, render_json};
pub use table::render_table;

use crate::display::quote;
use crate::domain::id::Id;
use crate::domain::rule::ScoringRule;
use crate::domain::snapshot::OrgSnapshot;

/// One rule as the audit reports it. Serialized (JSON) with exactly these keys in this order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AuditRow {
    /// The module's api_name.
    pub module: String,
    pub layout_id: Option<String>,
    /// `None` (JSON `null`) for a rule that applies to every layout.
    pub layout_name: Option<String>,
    pub rule_id: String,
    pub rule_name: String,
    pub active: bool,
    pub field_rules: usize,
    pub signal_rules: usize,
    /// Leaf conditions across all field rules (what the edition's criteria limit counts).
    pub conditions: usize,
    /// Lowest score one record can get from the rule: the sum of its negative field-rule
    /// scores, plus each negative signal-rule score once. Signal rules score per event, so a
    /// record with many events can go beyond this span; once is the span of one event each.
    pub min_score: i64,
    /// Highest score, by the same rule: positive field-rule scores plus each positive
    /// signal-rule score once.
    pub max_score: i64,
    /// Problems a person can act on, most serious first; empty when the rule is fine.
    pub issues: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditOptions {
    /// Module api_names to audit (case-insensitive); empty = every module.
    pub modules: Vec<String>,
    /// Also list inactive rules (`--all`).
    pub include_inactive: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AuditError {
    /// `--module` named no module of the org; holds the name as given.
    #[error("no module {} in this org", quote(.0))]
    UnknownModule(String),
}

/// Audits every rule of the selected modules (active ones only unless `include_inactive`).
///
/// Rows are sorted by module (in the org's module order; modules missing from the metadata
/// last), then layout (in the module's layout order; unknown layouts after them, rules without a
/// layout last), then rule name (case-insensitive), then id. Counts and limits always look at
/// the whole snapshot, whatever the filter: a hidden inactive rule still uses quota.
pub fn audit(snapshot: &OrgSnapshot, opts: &AuditOptions) -> Result<Vec<AuditRow>, AuditError> {
    let selected = select_modules(snapshot, &opts.modules)?;
    let context = issues::Context::new(snapshot);
    let lint = crate::lab::lint::audit_findings(snapshot, opts.include_inactive);
    let mut keyed: Vec<(SortKey, AuditRow)> = snapshot
        .rules
        .iter()
        .filter(|r| opts.include_inactive || r.active)
        .filter(|r| {
            selected
                .as_ref()
                .is_none_or(|names| names.contains(&r.module.api_name.as_str()))
        })
        .map(|r| {
            let mut row = row(r, &context);
            row.issues.extend(crate::lab::lint::issues_of(&lint, r));
            (SortKey::of(snapshot, r), row)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(keyed.into_iter().map(|(_, row)| row).collect())
}

/// The module api_names `names` select, or `None` for all. A name matches a module of the
/// metadata, or a module some rule names (so rules of a module the metadata lacks can still be
/// audited), exactly or ignoring case.
fn select_modules<'a>(
    snapshot: &'a OrgSnapshot,
    names: &[String],
) -> Result<Option<Vec<&'a str>>, AuditError> {
    if names.is_empty() {
        return Ok(None);
    }
    let known: Vec<&str> = snapshot
        .modules
        .iter()
        .map(|m| m.module.api_name.as_str())
        .chain(snapshot.rules.iter().map(|r| r.module.api_name.as_str()))
        .collect();
    let mut out = Vec::new();
    for name in names {
        let wanted = name.trim();
        let hit = known
            .iter()
            .find(|k| **k == wanted)
            .or_else(|| known.iter().find(|k| k.eq_ignore_ascii_case(wanted)))
            .ok_or_else(|| AuditError::UnknownModule(name.clone()))?;
        out.push(*hit);
    }
    Ok(Some(out))
}

fn row(rule: &ScoringRule, context: &issues::Context) -> AuditRow {
    let schema = context.snapshot.module(&rule.module.api_name);
    let layout_name = rule.layout.as_ref().and_then(|l| {
        match schema.and_then(|s| s.layout(&l.id)) {
            Some(known) => Some(known.label().to_string()),
            // A layout the metadata no longer lists: the rule's own copy of its name, if any.
            None => l.display_label.clone().or_else(|| l.api_name.clone()),
        }
    });
    let (min_score, max_score) = score_span(rule);
    AuditRow {
        module: rule.module.api_name.clone(),
        layout_id: rule.layout_id().map(Id::to_string),
        layout_name,
        rule_id: rule.id.as_ref().map(Id::to_string).unwrap_or_default(),
        rule_name: rule.name.clone(),
        active: rule.active,
        field_rules: rule.field_rules.len(),
        signal_rules: rule.signal_rules.len(),
        conditions: rule.condition_count(),
        min_score,
        max_score,
        issues: context.issues(rule),
    }
}

/// `ScoringRule::field_score_span` extended with each signal rule once, saturating: scores from
/// an org are untrusted, and a plain sum of hostile ones would overflow.
fn score_span(rule: &ScoringRule) -> (i64, i64) {
    let scores = rule
        .field_rules
        .iter()
        .map(|f| f.score)
        .chain(rule.signal_rules.iter().map(|s| s.score));
    scores.fold((0i64, 0i64), |(lo, hi), s| {
        (lo.saturating_add(s.min(0)), hi.saturating_add(s.max(0)))
    })
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct SortKey {
    module_rank: usize,
    module: String,
    layout_rank: usize,
    name_folded: String,
    name: String,
    id: Option<Id>,
}

impl SortKey {
    fn of(snapshot: &OrgSnapshot, rule: &ScoringRule) -> SortKey {
        let module = &rule.module.api_name;
        let module_rank = snapshot
            .modules
            .iter()
            .position(|m| &m.module.api_name == module)
            .unwrap_or(snapshot.modules.len());
        let layouts = snapshot.module(module).map_or(&[][..], |m| &m.layouts[..]);
        let layout_rank = match rule.layout_id() {
            Some(id) => layouts
                .iter()
                .position(|l| &l.id == id)
                .unwrap_or(layouts.len()),
            None => layouts.len() + 1,
        };
        SortKey {
            module_rank,
            module: module.clone(),
            layout_rank,
            name_folded: rule.name.to_lowercase(),
            name: rule.name.clone(),
            id: rule.id.clone(),
        }
    }
}

// Quota use: per module and per layout bucket (each layout, plus one bucket for rules that
// apply to every layout).

/// Rule counts of one module over the whole snapshot, inactive rules included.
/// (The table shows them per layout bucket, so "how much quota is left" is one glance.)
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    pub active: usize,
    pub total: usize,
    /// `(layout, active, total)` per bucket that has rules, in first-seen order; `None` is the
    /// bucket of rules without a layout.
    buckets: Vec<(Option<Id>, usize, usize)>,
}

impl Usage {
    pub fn of(snapshot: &OrgSnapshot, module: &str) -> Usage {
        let mut usage = Usage::default();
        for rule in snapshot.rules_of(module) {
            let active = usize::from(rule.active);
            usage.active += active;
            usage.total += 1;
            let layout = rule.layout_id();
            match usage
                .buckets
                .iter_mut()
                .find(|(l, _, _)| l.as_ref() == layout)
            {
                Some((_, a, t)) => {
                    *a += active;
                    *t += 1;
                }
                None => usage.buckets.push((layout.cloned(), active, 1)),
            }
        }
        usage
    }

    /// `(active, total)` rules in the bucket of `layout` (`None`: rules without a layout).
    pub fn bucket(&self, layout: Option<&Id>) -> (usize, usize) {
        self.buckets
            .iter()
            .find(|(l, _, _)| l.as_ref() == layout)
            .map_or((0, 0), |(_, a, t)| (*a, *t))
    }

    /// Distinct layouts that have rules: what the edition's "layouts" limit counts. The bucket
    /// of rules without a layout is not a layout.
    pub fn layouts_used(&self) -> usize {
        self.buckets.iter().filter(|(l, _, _)| l.is_some()).count()
    }

    /// Layout ids with rules, in first-seen order.
    pub fn layout_ids(&self) -> impl Iterator<Item = &Id> {
        self.buckets.iter().filter_map(|(l, _, _)| l.as_ref())
    }
}

/// "at 5/5 active rules" / "over the limit at 6/5 rules", or `None` while below the limit:
/// usage is only worth an issue once it blocks something.
fn at_limit(count: usize, limit: u32, what: &str) -> Option<String> {
    let limit = limit as usize;
    if count < limit {
        None
    } else if count == limit {
        Some(format!("at {count}/{limit} {what}"))
    } else {
        Some(format!("over the limit at {count}/{limit} {what}"))
    }
}
