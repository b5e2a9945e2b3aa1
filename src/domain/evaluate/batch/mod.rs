//! Scoring many records at once: the same semantics as `CompiledRule::score`, computed a
//! condition at a time over the whole batch instead of a record at a time.
//!
//! Each distinct leaf test (field, test) runs once per batch over a column of that field (see
//! `columns`) into a bitset, and is reused by every rule and field rule that has it. A field
//! rule's jump program is then run on sets of records instead of one record: the set reaching
//! a leaf splits into the part that passes and the part that fails, each flowing to that
//! leaf's next leaf, exactly the short-circuit walk `score` does per record (every jump goes
//! forward, so one pass in leaf order suffices). Records reaching `TRUE` match. Scores are
//! then added per record in field-rule order, then signal-rule order, as `score` adds them,
//! so even saturation agrees.
//!
//! A `Batch` keeps its columns and leaf results, so scoring more rules (or the same rule
//! again after an edit) over the same records only evaluates tests it has not seen.

mod bits;
mod columns;

use std::collections::HashMap;

use super::compare::Test;
use super::{CompiledRule, FALSE, RuleScore, TRUE};
use crate::domain::record::Record;

pub use self::bits::Bits;
use self::columns::{Columns, Shape};

/// Rules with at most this many field rules score through a table of field-rule combinations.
const PATTERN_BITS: usize = 12;

pub struct Batch<'a> {
    records: Vec<&'a Record>,
    columns: Columns<'a>,
    /// Positive results of every leaf test evaluated so far, grouped by field.
    leaf_results: HashMap<u32, Vec<(Test, Bits)>>,
    /// `(record, events)` for the records with events, by signal namespace.
    events: HashMap<String, Vec<(u32, u32)>>,
}

impl<'a> Batch<'a> {
    pub fn new(records: impl IntoIterator<Item = &'a Record>) -> Batch<'a> {
        Batch {
            records: records.into_iter().collect(),
            columns: Columns::default(),
            leaf_results: HashMap::new(),
            events: HashMap::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Reads, in one pass over the records, every column `rules` will test. Optional (scoring
    /// reads what it lacks) but much cheaper than letting each rule read its own columns.
    pub fn prepare<'r>(&mut self, rules: impl IntoIterator<Item = &'r CompiledRule>) {
        let rules: Vec<&CompiledRule> = rules.into_iter().collect();
        let wanted: Vec<(u32, Shape)> = rules
            .iter()
            .flat_map(|r| r.leaves.iter())
            .filter_map(|l| Some((l.field, Shape::of(&l.test)?)))
            .collect();
        self.columns.load(&self.records, &wanted);
        for sr in rules.iter().flat_map(|r| r.signal_rules.iter()) {
            self.events(&sr.namespace);
        }
    }

    /// `rule.score(record)` for every record of the batch, in batch order.
    pub fn score(&mut self, rule: &CompiledRule) -> Vec<RuleScore> {
        let mut out = Vec::new();
        self.score_into(rule, &mut out);
        out
    }

    /// `score` into a buffer the caller reuses across rules.
    pub fn score_into(&mut self, rule: &CompiledRule, out: &mut Vec<RuleScore>) {
        self.prepare([rule]);
        let n = self.records.len();
        out.clear();
        if rule.field_rules.len() <= PATTERN_BITS {
            // Which field rules each record matched, as bits; the score of each combination
            // is added once, in field-rule order, into a table.
            let mut patterns = vec![0u16; n];
            for i in 0..rule.field_rules.len() {
                let matched = self.field_rule_matches(rule, i);
                for r in matched.ones() {
                    if let Some(p) = patterns.get_mut(r) {
                        *p |= 1 << i;
                    }
                }
            }
            let table: Vec<RuleScore> = (0..1usize << rule.field_rules.len())
                .map(|p| {
                    let mut s = RuleScore::default();
                    for (i, fr) in rule.field_rules.iter().enumerate() {
                        if p & (1 << i) != 0 {
                            s.add_field_rule(fr.score);
                        }
                    }
                    s
                })
                .collect();
            out.extend(
                patterns
                    .iter()
                    .map(|&p| table.get(usize::from(p)).copied().unwrap_or_default()),
            );
        } else {
            out.resize(n, RuleScore::default());
            for i in 0..rule.field_rules.len() {
                let matched = self.field_rule_matches(rule, i);
                let Some(fr) = rule.field_rules.get(i) else {
                    continue;
                };
                for r in matched.ones() {
                    if let Some(s) = out.get_mut(r) {
                        s.add_field_rule(fr.score);
                    }
                }
            }
        }
        for sr in &rule.signal_rules {
            for &(r, n) in self.events(&sr.namespace) {
                if let Some(s) = out.get_mut(r as usize) {
                    s.add_signal_rule(sr.score.saturating_mul(i64::from(n)));
                }
            }
        }
    }

    /// Forgets every leaf result (columns stay): the next scoring evaluates its tests afresh.
    /// For benchmarks that must not measure a cache.
    pub fn forget_results(&mut self) {
        self.leaf_results.clear();
    }

    /// The records whose criteria of field rule `index` match.
    pub fn field_rule_matches(&mut self, rule: &CompiledRule, index: usize) -> Bits {
        let n = self.records.len();
        let Some(fr) = rule.field_rules.get(index) else {
            return Bits::empty(n);
        };
        match fr.entry {
            TRUE => return Bits::full(n),
            FALSE => return Bits::empty(n),
            _ => {}
        }
        let start = fr.first_leaf;
        let end = rule
            .field_rules
            .get(index + 1)
            .map_or(rule.leaves.len(), |next| next.first_leaf);
        let Some(leaves) = rule.leaves.get(start..end) else {
            return Bits::empty(n);
        };
        // reach[i]: the records the walk brings to leaf start + i.
        let mut reach: Vec<Option<Bits>> = vec![None; leaves.len()];
        let mut matched = Bits::empty(n);
        if let Some(slot) = (fr.entry as usize)
            .checked_sub(start)
            .and_then(|i| reach.get_mut(i))
        {
            *slot = Some(Bits::full(n));
        }
        for (i, leaf) in leaves.iter().enumerate() {
            let Some(arriving) = reach.get_mut(i).and_then(Option::take) else {
                continue;
            };
            if arriving.none() {
                continue;
            }
            let pass = match &leaf.test {
                Test::Never => Bits::empty(n),
                test => arriving.and(self.leaf_result(leaf.field, test), leaf.negate),
            };
            let fail = arriving.and_not(&pass);
            for (target, set) in [(leaf.on_true, pass), (leaf.on_false, fail)] {
                match target {
                    TRUE => matched.or_with(&set),
                    FALSE => {}
                    t => {
                        let slot = (t as usize)
                            .checked_sub(start)
                            .and_then(|j| reach.get_mut(j));
                        match slot {
                            Some(Some(existing)) => existing.or_with(&set),
                            Some(empty) => *empty = Some(set),
                            None => {}
                        }
                    }
                }
            }
        }
        matched
    }

    /// The cached positive result of `test` on `field`, evaluated on first use.
    fn leaf_result(&mut self, field: u32, test: &Test) -> &Bits {
        let results = self.leaf_results.entry(field).or_default();
        let at = match results.iter().position(|(t, _)| t == test) {
            Some(at) => at,
            None => {
                let bits = self.columns.eval(&self.records, field, test);
                results.push((test.clone(), bits));
                results.len() - 1
            }
        };
        &results[at].1
    }

    /// Each record's event count for `namespace`, summed over its entries as `score` does.
    fn events(&mut self, namespace: &str) -> &[(u32, u32)] {
        let records = &self.records;
        self.events.entry(namespace.to_string()).or_insert_with(|| {
            records
                .iter()
                .enumerate()
                .filter_map(|(i, r)| {
                    let n = r
                        .signals
                        .iter()
                        .filter(|e| e.namespace == namespace)
                        .fold(0u32, |n, e| n.saturating_add(e.count));
                    Some((u32::try_from(i).ok()?, n)).filter(|_| n > 0)
                })
                .collect()
        })
    }
}
