//! What is wrong with a rule, as sentences a person can act on.
//!
//! Conditions are judged by `domain::lint::condition_problems`, told what the evaluator cannot
//! resolve (`CompiledRule::disrupted`), so the audit calls a criterion dead exactly when scoring
//! would never match it, plus Zoho's own `$disrupted` flag.
//! Field rules and signal rules are numbered from 1, as the Zoho UI lists them.

use std::collections::HashSet;

use super::{Usage, at_limit};
use crate::display::{quote, sanitize, shorten};
use crate::domain::evaluate::{CompiledRule, EvalContext};
use crate::domain::id::Id;
use crate::domain::lint::{ConditionProblem, condition_problems};
use crate::domain::metadata::{Layout, ModuleSchema};
use crate::domain::rule::{Criteria, GroupOperator, ScoringRule};
use crate::domain::snapshot::OrgSnapshot;

pub(super) struct Context<'a> {
    pub snapshot: &'a OrgSnapshot,
    usage: Vec<(&'a str, Usage)>,
    eval: EvalContext,
}

impl<'a> Context<'a> {
    pub fn new(snapshot: &'a OrgSnapshot) -> Context<'a> {
        let mut usage: Vec<(&str, Usage)> = Vec::new();
        for rule in &snapshot.rules {
            let module = rule.module.api_name.as_str();
            if !usage.iter().any(|(m, _)| *m == module) {
                usage.push((module, Usage::of(snapshot, module)));
            }
        }
        // `${CURRENTUSER}` resolves to whoever runs the rule, so for "can this ever match" any
        // user will do; without one the evaluator would call those criteria unresolvable.
        let anyone = Some(Id::new("0"));
        let eval = EvalContext {
            now: 0,
            current_user: anyone.clone(),
            current_role: anyone,
        };
        Context {
            snapshot,
            usage,
            eval,
        }
    }

    fn usage(&self, module: &str) -> &Usage {
        static NONE: Usage = Usage {
            active: 0,
            total: 0,
            buckets: Vec::new(),
        };
        self.usage
            .iter()
            .find(|(m, _)| *m == module)
            .map_or(&NONE, |(_, u)| u)
    }

    /// Every issue of `rule`, most serious first: what cannot work (metadata, criteria,
    /// signals, a rule that scores nothing), then limits reached.
    pub fn issues(&self, rule: &ScoringRule) -> Vec<String> {
        let mut out = Vec::new();
        let module = &rule.module.api_name;
        match self.snapshot.module(module) {
            None => {
                out.push(format!(
                    "module {} is not in the org's metadata, so its criteria cannot be checked",
                    quote(module)
                ));
                if rule.field_rules.is_empty() && rule.signal_rules.is_empty() {
                    out.push(NOTHING.to_string());
                }
            }
            Some(schema) => {
                let layout = match &rule.layout {
                    Some(l) => match schema.layout(&l.id) {
                        Some(found) => Some(found),
                        None => {
                            out.push(format!(
                                "layout {} no longer exists in {}",
                                id_text(&l.id),
                                quote(module)
                            ));
                            None
                        }
                    },
                    None => None,
                };
                let live_field_rules = self.criteria_issues(rule, schema, layout, &mut out);
                let live_signal_rules = self.signal_issues(rule, schema, &mut out);
                if rule.field_rules.is_empty() && rule.signal_rules.is_empty() {
                    out.push(NOTHING.to_string());
                } else if live_field_rules == 0 && live_signal_rules == 0 {
                    out.push(
                        "scores nothing: none of its field rules or signal rules can apply"
                            .to_string(),
                    );
                }
            }
        }
        self.limit_issues(rule, &mut out);
        out
    }

    /// Pushes one issue per problem (the same problem in several field rules once, listing
    /// them) and returns how many field rules can still match.
    fn criteria_issues(
        &self,
        rule: &ScoringRule,
        schema: &ModuleSchema,
        layout: Option<&Layout>,
        out: &mut Vec<String>,
    ) -> usize {
        let compiled = CompiledRule::compile(rule, schema, &self.eval);
        let disrupted: HashSet<(usize, usize)> = compiled.disrupted().into_iter().collect();
        let mut found: Vec<(String, Vec<usize>)> = Vec::new();
        let mut live = 0;
        for (i, fr) in rule.field_rules.iter().enumerate() {
            let conditions = fr.criteria.conditions();
            let mut dead = vec![false; conditions.len()];
            for (j, cond) in conditions.into_iter().enumerate() {
                let problems =
                    condition_problems(cond, schema, layout, disrupted.contains(&(i, j)));
                dead[j] = problems.iter().any(|p| p.kind.never_matches());
                for ConditionProblem {
                    message: problem, ..
                } in problems
                {
                    match found.iter_mut().find(|(p, _)| *p == problem) {
                        Some((_, at)) if at.last() == Some(&i) => {}
                        Some((_, at)) => at.push(i),
                        None => found.push((problem, vec![i])),
                    }
                }
            }
            if can_match(&fr.criteria, &dead, &mut 0) {
                live += 1;
            }
        }
        for (problem, at) in found {
            let numbers: Vec<String> = at.iter().map(|i| (i + 1).to_string()).collect();
            let which = match numbers.as_slice() {
                [one] => format!("field rule {one}"),
                many => format!("field rules {}", many.join(", ")),
            };
            out.push(format!("{which}: {problem}"));
        }
        live
    }

    /// Pushes an issue per signal rule that cannot score and returns how many can.
    fn signal_issues(
        &self,
        rule: &ScoringRule,
        schema: &ModuleSchema,
        out: &mut Vec<String>,
    ) -> usize {
        if rule.signal_rules.is_empty() {
            return 0;
        }
        if !schema.is_people() {
            out.push(format!(
                "has signal rules, but only Leads and Contacts score signals, not {}",
                quote(&schema.module.api_name)
            ));
            return 0;
        }
        let mut live = 0;
        for (k, sr) in rule.signal_rules.iter().enumerate() {
            let wanted = &sr.signal;
            let at = k + 1;
            let problem = match self.snapshot.signal(&wanted.id) {
                None => format!(
                    "signal {} (id {}) no longer exists",
                    quote(&wanted.namespace),
                    id_text(&wanted.id)
                ),
                Some(s) if s.namespace != wanted.namespace => format!(
                    "signal id {} is {} ({}), not {}",
                    id_text(&wanted.id),
                    quote(&s.full_label()),
                    quote(&s.namespace),
                    quote(&wanted.namespace)
                ),
                Some(s) if !s.usable_for_scoring() => {
                    format!("{} cannot be used for scoring", quote(&s.full_label()))
                }
                Some(s) if s.enabled == Some(false) => format!(
                    "{} is turned off in the org, so it adds nothing",
                    quote(&s.full_label())
                ),
                Some(_) => {
                    live += 1;
                    continue;
                }
            };
            out.push(format!("signal rule {at}: {problem}"));
        }
        live
    }

    /// The edition's limits this rule's module or layout has reached.
    fn limit_issues(&self, rule: &ScoringRule, out: &mut Vec<String>) {
        let edition = self.snapshot.edition;
        let limits = edition.limits();
        let n = rule.condition_count();
        if n > limits.criteria_per_rule as usize {
            out.push(format!(
                "{n} conditions; the {} edition allows {}",
                edition.label(),
                limits.criteria_per_rule
            ));
        }
        let module = &rule.module.api_name;
        let usage = self.usage(module);
        // Activating an inactive rule is what an active limit blocks; say so on its row.
        let blocked = if rule.active {
            ""
        } else {
            ", so this rule cannot be activated"
        };
        // Editions without layout support have one bucket per module, which the module limits
        // below already cover.
        if let Some(max_layouts) = limits.layouts {
            let layout = rule.layout_id();
            let bucket = match layout {
                Some(id) => match self.snapshot.module(module).and_then(|s| s.layout(id)) {
                    Some(l) => format!("layout {}", quote(l.label())),
                    None => format!("layout {}", id_text(id)),
                },
                None => "the \"All layouts\" bucket".to_string(),
            };
            let (active, total) = usage.bucket(layout);
            if let Some(at) = at_limit(active, limits.active_per_layout, "active rules") {
                out.push(format!("{bucket} {at}{blocked}"));
            }
            if let Some(at) = at_limit(total, limits.total_per_layout, "rules") {
                out.push(format!("{bucket} {at}"));
            }
            let used = usage.layouts_used();
            if layout.is_some() && used > max_layouts as usize {
                out.push(format!(
                    "{} has rules on {used} layouts; the {} edition allows {max_layouts}",
                    quote(module),
                    edition.label()
                ));
            }
        }
        if let Some(at) = at_limit(usage.active, limits.active_per_module, "active rules") {
            out.push(format!("{} {at}{blocked}", quote(module)));
        }
        if let Some(at) = at_limit(usage.total, limits.total_per_module, "rules") {
            out.push(format!("{} {at}", quote(module)));
        }
    }
}

const NOTHING: &str = "scores nothing: it has no field rules and no signal rules";

/// Could the criteria match some record, given which leaves (depth first) never match? Groups
/// only combine leaves with AND / OR (negation lives inside leaves), so the best case is every
/// other leaf matching. Every leaf is visited, to keep `pos` in step with the leaf order.
fn can_match(c: &Criteria, dead: &[bool], pos: &mut usize) -> bool {
    match c {
        Criteria::Condition(_) => {
            let ok = !dead.get(*pos).copied().unwrap_or(true);
            *pos += 1;
            ok
        }
        Criteria::Group(g) => {
            let members: Vec<bool> = g.group.iter().map(|m| can_match(m, dead, pos)).collect();
            match g.group_operator {
                // An empty group never matches, in either operator (as the evaluator has it).
                GroupOperator::And => !members.is_empty() && members.iter().all(|m| *m),
                GroupOperator::Or => members.iter().any(|m| *m),
            }
        }
    }
}

/// Ids come from the org too and are read as any string, so they get the same care as names.
fn id_text(id: &Id) -> String {
    shorten(&sanitize(id.as_str()), 24)
}
