//! Validation of scoring rules, shared by the sandbox (which answers with the first finding, as
//! Zoho does), the CLI and the TUI forms (which show every finding next to its field).
//!
//! Two stages. `parse_create` / `parse_update` read raw, untrusted request JSON into typed
//! values and report shape problems (missing keys, wrong JSON types, over-long lists).
//! `check_rule` then judges a well-typed rule against the org: its module, layouts, fields,
//! signals, the other rules and the edition's limits. Updates go through `apply_patch`, and
//! `Patched::check` reports findings at the positions the request used.
//!
//! Every finding is a `Violation` carrying Zoho's code, message and `details` as the official
//! examples show them (`zoho-oas/examples/`), plus a hint a person can act on. Nothing here
//! panics on any input.

mod canon;
mod capacity;
mod criteria;
mod custom_fields;
mod merge;
mod parse;
mod parse_criteria;
mod patch;
mod rule;
mod shape;
mod signals;
mod text;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod tests;

pub use capacity::check_capacity;
pub use merge::{Patched, apply_patch};
pub use parse::parse_create;
pub use parse_criteria::{MAX_DEPTH, MIN_GROUP_MEMBERS};
pub use patch::{Change, CustomFieldEdit, FieldRuleEdit, RulePatch, SignalRuleEdit, parse_update};
pub use text::NAME_REGEX;

use crate::domain::edition::Edition;
use crate::domain::id::Id;
use crate::domain::metadata::{ModuleSchema, Signal};
use crate::domain::rule::ScoringRule;
use crate::domain::violation::Violation;

/// What validation needs to know about the other rules of the org.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSummary {
    pub id: Id,
    pub name: String,
    /// The module's api_name.
    pub module: String,
    pub layout: Option<Id>,
    pub active: bool,
    /// Custom (score) fields the rule created.
    pub custom_fields: usize,
    /// Its field rules' criteria as a set (`canon::criteria_set_key`); `None` when it has no
    /// field rules, or when it was left out (`brief`) because the rule is in another module and
    /// cannot be a duplicate.
    pub criteria: Option<String>,
}

impl RuleSummary {
    pub fn of(rule: &ScoringRule) -> RuleSummary {
        RuleSummary {
            criteria: canon::criteria_set_key(&rule.field_rules),
            ..RuleSummary::brief(rule)
        }
    }

    /// Without the criteria, which cost a canonical form to compute: enough for a rule of
    /// another module than the one validated (names are unique org-wide, criteria only within
    /// a module's layout bucket).
    pub fn brief(rule: &ScoringRule) -> RuleSummary {
        RuleSummary {
            id: rule.id.clone().unwrap_or_default(),
            name: rule.name.clone(),
            module: rule.module.api_name.clone(),
            layout: rule.layout_id().cloned(),
            active: rule.active,
            custom_fields: rule.custom_fields.len(),
            criteria: None,
        }
    }
}

/// The other rules as the validator needs them to judge a rule of `module`: criteria only for
/// that module's rules, the only ones that can repeat them (a large org has thousands).
pub fn summaries<'a>(
    rules: impl IntoIterator<Item = &'a ScoringRule>,
    module: &str,
) -> Vec<RuleSummary> {
    rules
        .into_iter()
        .map(|r| {
            if r.module.api_name == module {
                RuleSummary::of(r)
            } else {
                RuleSummary::brief(r)
            }
        })
        .collect()
}

/// The org as a rule is judged against.
#[derive(Clone, Copy, Debug)]
pub struct RuleContext<'a> {
    pub edition: Edition,
    /// The rule's module: module, layouts (with sections and fields), fields.
    pub schema: &'a ModuleSchema,
    /// The org's signals.
    pub signals: &'a [Signal],
    /// Every rule in the org (all modules) except the one validated.
    pub others: &'a [RuleSummary],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Create,
    Update,
}

/// Every semantic violation of a (well-typed) rule, in a stable order: module, layout, name,
/// description, presence of field/signal rules, field rules, criteria count, duplicate
/// criteria, signal rules, custom fields, name uniqueness, criteria another rule of the layout
/// bucket already has, and on create the rule limits.
/// The sandbox reports the first; forms show all.
pub fn check_rule(rule: &ScoringRule, ctx: &RuleContext, op: Op) -> Vec<Violation> {
    collect(rule, ctx, op, Fresh(None), true)
}

/// `check_rule(Op::Update)` for a whole edited rule (an import plan's update) against the
/// stored one: like an update request, it is not refused for repeating another rule's criteria
/// when it leaves its own criteria as they were (a clone repeats its source's).
pub fn check_edit(rule: &ScoringRule, stored: &ScoringRule, ctx: &RuleContext) -> Vec<Violation> {
    let changed =
        canon::criteria_set_key(&rule.field_rules) != canon::criteria_set_key(&stored.field_rules);
    collect(rule, ctx, Op::Update, Fresh(None), changed)
}

/// `criteria_changed`: the request set the rule's criteria (a create) or changed them (an
/// update); only then is a repeat of another rule's criteria the request's doing.
fn collect(
    rule: &ScoringRule,
    ctx: &RuleContext,
    op: Op,
    fresh: Fresh,
    criteria_changed: bool,
) -> Vec<Violation> {
    let mut out = Vec::new();
    rule::check_module(rule, ctx, &mut out);
    rule::check_layout(rule, ctx, &mut out);
    rule::check_name(&rule.name, &mut out);
    rule::check_description(rule.description.as_deref(), &mut out);
    rule::check_something_scores(rule, ctx, &mut out);
    criteria::check_field_rules(rule, ctx, &mut out);
    criteria::check_criteria_count(rule, ctx, &mut out);
    criteria::check_duplicates(rule, op, fresh, &mut out);
    signals::check_signal_rules(rule, ctx, fresh, &mut out);
    custom_fields::check_custom_fields(rule, ctx, fresh, &mut out);
    rule::check_name_unique(&rule.name, ctx, &mut out);
    if criteria_changed {
        criteria::check_criteria_unique(rule, ctx, &mut out);
    }
    if op == Op::Create
        && let Some(v) = check_capacity(rule.layout_id(), rule.active, true, ctx)
    {
        out.push(v);
    }
    out
}

/// The three sub-item lists of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    FieldRules,
    SignalRules,
    CustomFields,
}

impl Section {
    const ALL: [Section; 3] = [
        Section::FieldRules,
        Section::SignalRules,
        Section::CustomFields,
    ];

    fn key(self) -> &'static str {
        match self {
            Section::FieldRules => "field_rules",
            Section::SignalRules => "signal_rules",
            Section::CustomFields => "custom_fields",
        }
    }

    fn singular(self) -> &'static str {
        match self {
            Section::FieldRules => "field rule",
            Section::SignalRules => "signal rule",
            Section::CustomFields => "custom field",
        }
    }

    fn from_key(k: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.key() == k)
    }
}

/// Which sub-items of the rule under check the request wrote. A finding that pairs two
/// sub-items (a duplicate) is reported at the one the request wrote, so an update that repeats
/// a stored criteria is told so at its own entry. `Fresh(None)`: a whole rule from a request or
/// a form, where every sub-item is the request's.
#[derive(Clone, Copy, Debug)]
struct Fresh<'a>(Option<&'a merge::Origins>);

impl Fresh<'_> {
    fn is(&self, section: Section, k: usize) -> bool {
        self.0
            .is_none_or(|o| o.of(section).get(k).is_some_and(Option::is_some))
    }

    /// Repeated keys (`None` never repeats), as `(reported at, the first occurrence or the
    /// repeat)`, one per position: a repeat is reported at itself unless only the first
    /// occurrence is fresh, then at that one.
    fn duplicates<K: PartialEq>(
        &self,
        section: Section,
        keys: &[Option<K>],
    ) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (j, kj) in keys.iter().enumerate() {
            let Some(kj) = kj else { continue };
            let first = keys[..j].iter().position(|ki| ki.as_ref() == Some(kj));
            if let Some(i) = first {
                let pair = if !self.is(section, j) && self.is(section, i) {
                    (i, j)
                } else {
                    (j, i)
                };
                if !out.iter().any(|(at, _)| *at == pair.0) {
                    out.push(pair);
                }
            }
        }
        out
    }
}
