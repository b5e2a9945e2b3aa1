//! A whole org as zscore sees it at one moment: metadata, signals and every rule. The audit,
//! export/import planning and the TUI all work from this, whoever loaded it.

use serde::{Deserialize, Serialize};

use super::edition::Edition;
use super::id::Id;
use super::metadata::{ModuleSchema, Signal};
use super::rule::ScoringRule;
use super::validate::{RuleContext, RuleSummary};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgSnapshot {
    pub org_name: String,
    pub edition: Edition,
    pub modules: Vec<ModuleSchema>,
    pub signals: Vec<Signal>,
    pub rules: Vec<ScoringRule>,
}

impl OrgSnapshot {
    pub fn module(&self, api_name: &str) -> Option<&ModuleSchema> {
        self.modules.iter().find(|m| m.module.api_name == api_name)
    }

    /// The module's rules, in the order the API listed them.
    pub fn rules_of<'a>(&'a self, module: &'a str) -> impl Iterator<Item = &'a ScoringRule> + 'a {
        self.rules
            .iter()
            .filter(move |r| r.module.api_name == module)
    }

    pub fn rule(&self, id: &Id) -> Option<&ScoringRule> {
        self.rules.iter().find(|r| r.id.as_ref() == Some(id))
    }

    pub fn signal(&self, id: &Id) -> Option<&Signal> {
        self.signals.iter().find(|s| &s.id == id)
    }

    /// The rules `keep` keeps, as the validator counts them: the others beside a rule judged.
    pub fn summaries_where(&self, keep: impl Fn(&ScoringRule) -> bool) -> Vec<RuleSummary> {
        self.rules
            .iter()
            .filter(|r| keep(r))
            .map(RuleSummary::of)
            .collect()
    }

    /// What the validator judges a rule of `schema` against in this org, beside `others`.
    pub fn rule_context<'a>(
        &'a self,
        schema: &'a ModuleSchema,
        others: &'a [RuleSummary],
    ) -> RuleContext<'a> {
        RuleContext {
            edition: self.edition,
            schema,
            signals: &self.signals,
            others,
        }
    }
}
