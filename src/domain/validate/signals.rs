//! Signal-rule checks: people modules only, a known signal usable for scoring, a score in range,
//! each signal once per rule.

use serde_json::json;

use super::criteria::check_score;
use super::{Fresh, RuleContext, Section};
use crate::display::quote;
use crate::domain::rule::ScoringRule;
use crate::domain::violation::{RulePath, Violation, codes};

const BAD_SIGNAL: &str = "Invalid or Unsupported signal id";

pub fn check_signal_rules(
    rule: &ScoringRule,
    ctx: &RuleContext,
    fresh: Fresh,
    out: &mut Vec<Violation>,
) {
    if rule.signal_rules.is_empty() {
        return;
    }
    let root = RulePath::root().key("signal_rules");
    if !ctx.schema.is_people() {
        // One finding for the list: judging each signal of a list that cannot exist helps no one.
        out.push(
            Violation::new(
                codes::NOT_SUPPORTED,
                "You have specified Signal rules for non-people module",
                root,
            )
            .hint(format!(
                "only Leads and Contacts take signal rules, not {}",
                quote(&ctx.schema.module.api_name)
            )),
        );
        return;
    }
    for (i, sr) in rule.signal_rules.iter().enumerate() {
        let at = root.index(i);
        let wanted = &sr.signal;
        let hint = match ctx.signals.iter().find(|s| s.id == wanted.id) {
            None => Some(format!("there is no signal with id {}", wanted.id)),
            Some(s) if s.namespace != wanted.namespace => Some(format!(
                "signal {} is {}, whose namespace is {}, not {}",
                wanted.id,
                quote(&s.full_label()),
                quote(&s.namespace),
                quote(&wanted.namespace)
            )),
            Some(s) if !s.usable_for_scoring() => Some(format!(
                "signal {} cannot be used for scoring",
                quote(&s.full_label())
            )),
            Some(_) => None,
        };
        if let Some(hint) = hint {
            out.push(
                Violation::new(codes::INVALID_DATA, BAD_SIGNAL, at.key("signal").key("id"))
                    .hint(hint),
            );
        }
        check_score(sr.score, at.key("score"), out);
    }
    let keys: Vec<_> = rule
        .signal_rules
        .iter()
        .map(|s| Some(&s.signal.id))
        .collect();
    let signal_at = |k: usize| root.index(k).key("signal");
    for (at, other) in fresh.duplicates(Section::SignalRules, &keys) {
        let label = rule
            .signal_rules
            .get(at)
            .and_then(|sr| ctx.signals.iter().find(|s| s.id == sr.signal.id))
            .map_or_else(|| "this signal".to_string(), |s| quote(&s.full_label()));
        out.push(
            Violation::new(
                codes::ALREADY_USED,
                "The signal is already given in the same rule under different index",
                signal_at(at),
            )
            .detail(
                "exists_in",
                json!({"api_name": "signal", "json_path": signal_at(other).rel_json_path()}),
            )
            .hint(format!(
                "{label} is already scored by another signal rule of this rule"
            )),
        );
    }
}
