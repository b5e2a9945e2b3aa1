//! Why a record scored what it did: one line per field rule and per signal rule.
//!
//! `explain` runs the very code `score` runs, rule by rule, so the outcomes always add up to
//! the score it reports; `why` (why.rs) adds each condition's verdict and value on top.

use serde::Serialize;

use super::{CompiledRule, RuleScore};
use crate::domain::id::Id;
use crate::domain::record::Record;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub field_rules: Vec<FieldRuleOutcome>,
    pub signal_rules: Vec<SignalRuleOutcome>,
    pub score: RuleScore,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldRuleOutcome {
    /// Position in the rule's `field_rules`.
    pub index: usize,
    pub id: Option<Id>,
    /// The field rule's score; it counts towards the record's only when `matched`.
    pub score: i64,
    pub matched: bool,
    /// Human text of the criteria (`criteria_text`).
    pub criteria: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SignalRuleOutcome {
    /// Position in the rule's `signal_rules`.
    pub index: usize,
    pub id: Option<Id>,
    pub namespace: String,
    /// Score per event.
    pub score: i64,
    pub events: u32,
    /// `score × events` (0 without events).
    pub contribution: i64,
}

impl FieldRuleOutcome {
    /// What this field rule adds to the record's total.
    pub fn contribution(&self) -> i64 {
        if self.matched { self.score } else { 0 }
    }
}

impl Explanation {
    /// Sum of all contributions: `score.total()`, since both come from the same outcomes
    /// (unless a sum saturates).
    pub fn contributions(&self) -> i64 {
        let fields = self.field_rules.iter().map(FieldRuleOutcome::contribution);
        let signals = self.signal_rules.iter().map(|s| s.contribution);
        fields.chain(signals).fold(0, i64::saturating_add)
    }
}

impl CompiledRule {
    pub fn explain(&self, record: &Record) -> Explanation {
        let mut score = RuleScore::default();
        let field_rules = self
            .field_rules
            .iter()
            .enumerate()
            .map(|(index, fr)| {
                let matched = self.matches(fr.entry, record);
                if matched {
                    score.add_field_rule(fr.score);
                }
                FieldRuleOutcome {
                    index,
                    id: fr.id.clone(),
                    score: fr.score,
                    matched,
                    criteria: fr.criteria.clone(),
                }
            })
            .collect();
        let signal_rules = self
            .signal_rules
            .iter()
            .enumerate()
            .map(|(index, sr)| {
                let (events, product) = sr.contribution(record);
                if let Some(p) = product {
                    score.add_signal_rule(p);
                }
                SignalRuleOutcome {
                    index,
                    id: sr.id.clone(),
                    namespace: sr.namespace.clone(),
                    score: sr.score,
                    events,
                    contribution: product.unwrap_or(0),
                }
            })
            .collect();
        Explanation {
            field_rules,
            signal_rules,
            score,
        }
    }
}
