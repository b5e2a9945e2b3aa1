//! The target org as a plan's steps leave it, one step at a time, so each sending step is
//! validated against the names and room the earlier steps leave, as Zoho will judge it.

use super::bodies::{OrgSide, updated_custom_fields};
use super::error::TransferError;
use super::resolve::violation_error;
use super::steps::{Item, Step};
use crate::domain::validate::{self, Op, RuleContext, RuleSummary};
use crate::domain::{Id, OrgSnapshot, ScoringRule, Violation};

pub struct Sim<'a> {
    target: &'a OrgSnapshot,
    rules: Vec<RuleSummary>,
}

impl<'a> Sim<'a> {
    pub fn new(target: &'a OrgSnapshot) -> Self {
        Sim {
            target,
            rules: target.rules.iter().map(RuleSummary::of).collect(),
        }
    }

    /// Takes one step; returns what Zoho would refuse about it.
    pub fn apply(&mut self, step: &Step, item: Option<&Item>) -> Vec<TransferError> {
        match (step, item) {
            (Step::Delete { rule_id, .. }, _) => {
                self.remove(rule_id);
                Vec::new()
            }
            (Step::Create { file, .. }, Some(item)) => self.create(file, item),
            (
                Step::Recreate {
                    file, old_rule_id, ..
                },
                Some(item),
            ) => {
                self.remove(old_rule_id);
                self.create(file, item)
            }
            (
                Step::Update {
                    file,
                    rule_id,
                    activate,
                    ..
                },
                Some(item),
            ) => self.update(file, rule_id, *activate, item),
            _ => Vec::new(),
        }
    }

    fn create(&mut self, file: &str, item: &Item) -> Vec<TransferError> {
        let rule = &item.resolved.rule;
        let found = validate::check_rule(rule, &self.ctx(item, &self.rules), Op::Create);
        self.rules.push(RuleSummary::of(rule));
        errors(file, &item.file.rule.name, &found)
    }

    fn update(
        &mut self,
        file: &str,
        rule_id: &Id,
        activate: Option<bool>,
        item: &Item,
    ) -> Vec<TransferError> {
        let Some((org_rule, org_file)) = &item.matched else {
            return Vec::new();
        };
        let side = OrgSide {
            rule: org_rule,
            file: org_file,
        };
        let wanted = &item.file.rule;
        let desired = ScoringRule {
            name: wanted.name.clone(),
            description: wanted.description.clone(),
            active: wanted.active,
            field_rules: item.resolved.rule.field_rules.clone(),
            signal_rules: item.resolved.rule.signal_rules.clone(),
            custom_fields: updated_custom_fields(&side, &wanted.custom_fields),
            ..(*org_rule).clone()
        };
        let others: Vec<RuleSummary> = self
            .rules
            .iter()
            .filter(|r| &r.id != rule_id)
            .cloned()
            .collect();
        let ctx = self.ctx(item, &others);
        let mut found = validate::check_edit(&desired, org_rule, &ctx);
        if activate == Some(true) {
            found.extend(validate::check_capacity(
                desired.layout_id(),
                true,
                false,
                &ctx,
            ));
        }
        self.remove(rule_id);
        self.rules.push(RuleSummary::of(&desired));
        errors(file, &item.file.rule.name, &found)
    }

    fn ctx<'s>(&'s self, item: &'s Item, others: &'s [RuleSummary]) -> RuleContext<'s> {
        RuleContext {
            edition: self.target.edition,
            schema: item.resolved.schema,
            signals: &self.target.signals,
            others,
        }
    }

    fn remove(&mut self, id: &Id) {
        self.rules.retain(|r| &r.id != id);
    }
}

fn errors(file: &str, rule: &str, found: &[Violation]) -> Vec<TransferError> {
    found
        .iter()
        .map(|v| violation_error(file, rule, v))
        .collect()
}
