//! Rule lint: criteria that can never match, fields the layout lacks, criteria repeated across a
//! layout's rules, and scores that cancel out. `snapshot_findings` needs only the snapshot (the
//! audit shows its never-match, duplicate and cancel findings as issues); `sample_findings`
//! needs a preview of sampled records, so only `zscore lint` reports those.

use std::collections::HashMap;

use serde::Serialize;

use super::preview::PreviewReport;
use crate::domain::evaluate::criteria_text;
use crate::domain::id::Id;
use crate::domain::lint::{ProblemKind, condition_problems};
use crate::domain::metadata::{DataType, ModuleSchema};
use crate::domain::operand::{DateSpec, Operand, parse_operand};
use crate::domain::rule::{Comparator, Condition, Criteria, GroupOperator, ScoringRule};
use crate::domain::snapshot::OrgSnapshot;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    NeverMatches,
    /// A condition's value or comparator the field does not take (a picklist value since
    /// deleted, say): it can never match.
    DeadValue,
    MissingField,
    Disrupted,
    DuplicateCriteria,
    ScoresCancel,
    NoMatchInSample,
}

impl Kind {
    /// Findings the audit repeats as issues: the audit already reports missing and disrupted
    /// fields and dead values in its own words, and sample-based ones need records it does not fetch.
    pub fn for_audit(self) -> bool {
        matches!(
            self,
            Kind::NeverMatches | Kind::DuplicateCriteria | Kind::ScoresCancel
        )
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub module: String,
    pub layout: Option<Id>,
    pub rule_id: Option<Id>,
    pub rule_name: String,
    pub kind: Kind,
    pub message: String,
}

impl Finding {
    fn new(rule: &ScoringRule, kind: Kind, message: String) -> Finding {
        Finding {
            module: rule.module.api_name.clone(),
            layout: rule.layout_id().cloned(),
            rule_id: rule.id.clone(),
            rule_name: rule.name.clone(),
            kind,
            message,
        }
    }
}

/// Every snapshot-only finding for the rules of `modules` (all when empty), inactive rules too:
/// a draft is worth fixing before it is activated.
pub fn snapshot_findings(snapshot: &OrgSnapshot, modules: &[String]) -> Vec<Finding> {
    let wanted = |m: &str| modules.is_empty() || modules.iter().any(|w| w.eq_ignore_ascii_case(m));
    let mut out = Vec::new();
    for rule in snapshot.rules.iter().filter(|r| wanted(&r.module.api_name)) {
        if let Some(schema) = snapshot.module(&rule.module.api_name) {
            out.extend(rule_findings(rule, schema));
        }
    }
    let mut layouts: Vec<(&str, Option<&Id>)> = Vec::new();
    for r in snapshot.rules.iter().filter(|r| wanted(&r.module.api_name)) {
        let key = (r.module.api_name.as_str(), r.layout_id());
        if !layouts.contains(&key) {
            layouts.push(key);
        }
    }
    for (module, layout) in layouts {
        let Some(schema) = snapshot.module(module) else {
            continue;
        };
        let rules: Vec<&ScoringRule> = snapshot
            .rules_of(module)
            .filter(|r| r.layout_id() == layout)
            .collect();
        out.extend(layout_findings(&rules, schema));
    }
    out
}

/// The snapshot findings `zscore audit` lists as issues. Duplicates and cancelling pairs are
/// judged among the rules the audit shows: an inactive copy of a rule scores nothing.
pub fn audit_findings(snapshot: &OrgSnapshot, include_inactive: bool) -> Vec<Finding> {
    let findings = if include_inactive {
        snapshot_findings(snapshot, &[])
    } else {
        let mut active = snapshot.clone();
        active.rules.retain(|r| r.active);
        snapshot_findings(&active, &[])
    };
    findings
        .into_iter()
        .filter(|f| f.kind.for_audit())
        .collect()
}

/// The messages of `findings` about `rule`, for its audit row.
pub fn issues_of(findings: &[Finding], rule: &ScoringRule) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.rule_id == rule.id && f.module == rule.module.api_name)
        .map(|f| f.message.clone())
        .collect()
}

/// Findings within one rule.
pub fn rule_findings(rule: &ScoringRule, schema: &ModuleSchema) -> Vec<Finding> {
    let mut out = Vec::new();
    let layout = rule.layout_id().and_then(|id| schema.layout(id));
    for (i, fr) in rule.field_rules.iter().enumerate() {
        let at = i + 1;
        for c in fr.criteria.conditions() {
            // Lint does not compile the rule: a placeholder's context is the org's, not ours.
            for p in condition_problems(c, schema, layout, false) {
                out.push(Finding::new(
                    rule,
                    kind_of(&p.kind),
                    format!("field rule {at}: {}", p.message),
                ));
            }
            if let Some(why) = empty_between(c, schema) {
                out.push(Finding::new(
                    rule,
                    Kind::NeverMatches,
                    format!("field rule {at}: {why}"),
                ));
            }
        }
        if let Some(why) = contradiction(&fr.criteria, schema) {
            out.push(Finding::new(
                rule,
                Kind::NeverMatches,
                format!("field rule {at}: {why}"),
            ));
        }
    }
    // Two field rules of one rule with the same criteria and opposite scores add up to 0.
    for (i, a) in rule.field_rules.iter().enumerate() {
        for (j, b) in rule.field_rules.iter().enumerate().skip(i + 1) {
            if a.score != 0 && a.score.checked_neg() == Some(b.score) && a.criteria == b.criteria {
                out.push(Finding::new(
                    rule,
                    Kind::ScoresCancel,
                    format!(
                        "field rules {} and {} have the same criteria and scores {:+} and {:+}: they always cancel out",
                        i + 1,
                        j + 1,
                        a.score,
                        b.score
                    ),
                ));
            }
        }
    }
    out
}

/// Identical criteria in two rules of one layout (same module, same layout or both layout-less).
pub fn layout_findings(rules: &[&ScoringRule], schema: &ModuleSchema) -> Vec<Finding> {
    let mut seen: HashMap<String, Vec<(usize, usize, i64)>> = HashMap::new();
    for (r, rule) in rules.iter().enumerate() {
        for (f, fr) in rule.field_rules.iter().enumerate() {
            seen.entry(criteria_text(&fr.criteria, schema))
                .or_default()
                .push((r, f, fr.score));
        }
    }
    let mut out = Vec::new();
    let mut keys: Vec<&String> = seen.keys().collect();
    keys.sort();
    for text in keys {
        let hits = seen.get(text).map(Vec::as_slice).unwrap_or_default();
        for (k, &(ra, fa, sa)) in hits.iter().enumerate() {
            for &(rb, fb, sb) in hits.iter().skip(k + 1) {
                let (Some(a), Some(b)) = (rules.get(ra), rules.get(rb)) else {
                    continue;
                };
                if ra == rb {
                    continue;
                }
                out.extend(repeat_findings(text, (a, fa, sa), (b, fb, sb)));
            }
        }
    }
    out
}

/// The layout findings about `rule` alone among `others` (its layout's other rules): what
/// `layout_findings` reports on `rule` when it comes first, in the same order, but in time
/// linear in the layout's size rather than quadratic in its repeats, so a screen showing one
/// rule of a large layout can afford it on every change of selection or keystroke.
pub fn findings_about(
    rule: &ScoringRule,
    others: &[&ScoringRule],
    schema: &ModuleSchema,
) -> Vec<Finding> {
    let texts: Vec<Vec<String>> = others.iter().map(|o| criteria_texts(o, schema)).collect();
    let texts: Vec<&[String]> = texts.iter().map(Vec::as_slice).collect();
    findings_among(rule, others, &texts, schema)
}

/// The text each field rule of `rule` is compared by for repeats, in order.
pub fn criteria_texts(rule: &ScoringRule, schema: &ModuleSchema) -> Vec<String> {
    rule.field_rules
        .iter()
        .map(|fr| criteria_text(&fr.criteria, schema))
        .collect()
}

/// `findings_about` with the others' `criteria_texts` worked out already (`texts[i]` for
/// `others[i]`): a screen moving through one layout keeps them, and only `rule`'s are made.
pub fn findings_among(
    rule: &ScoringRule,
    others: &[&ScoringRule],
    texts: &[&[String]],
    schema: &ModuleSchema,
) -> Vec<Finding> {
    let mut mine: Vec<(String, usize, i64)> = rule
        .field_rules
        .iter()
        .enumerate()
        .map(|(f, fr)| (criteria_text(&fr.criteria, schema), f, fr.score))
        .collect();
    if mine.is_empty() {
        return Vec::new();
    }
    // Stable: field rules with the same text keep their order, as in `layout_findings`.
    mine.sort_by(|a, b| a.0.cmp(&b.0));
    let mut theirs: Vec<(&str, usize, usize, i64)> = Vec::new();
    for (r, (other, texts)) in others.iter().zip(texts).enumerate() {
        for (f, text) in texts.iter().enumerate() {
            if mine.iter().any(|(t, ..)| t == text) {
                let score = other.field_rules.get(f).map_or(0, |fr| fr.score);
                theirs.push((text.as_str(), r, f, score));
            }
        }
    }
    let mut out = Vec::new();
    for (text, fa, sa) in &mine {
        for &(_, rb, fb, sb) in theirs.iter().filter(|(t, ..)| t == text) {
            if let Some(b) = others.get(rb) {
                out.extend(repeat_findings(text, (rule, *fa, *sa), (b, fb, sb)));
            }
        }
    }
    out
}

/// What a field rule `fa` of `a` repeating field rule `fb` of `b` is reported as: a duplicate,
/// and with opposite scores a pair that cancels.
fn repeat_findings(
    text: &str,
    (a, fa, sa): (&ScoringRule, usize, i64),
    (b, fb, sb): (&ScoringRule, usize, i64),
) -> Vec<Finding> {
    let other = format!(
        "{:?} ({})",
        b.name,
        b.id.as_ref().map_or("draft".into(), Id::to_string)
    );
    let mut out = vec![Finding::new(
        a,
        Kind::DuplicateCriteria,
        format!(
            "field rule {} has the same criteria as field rule {} of rule {other}: {text}",
            fa + 1,
            fb + 1
        ),
    )];
    if sa != 0 && sa.checked_neg() == Some(sb) {
        out.push(Finding::new(
            a,
            Kind::ScoresCancel,
            format!("field rule {} ({sa:+}) and field rule {} of rule {other} ({sb:+}) have identical criteria and opposite scores", fa + 1, fb + 1),
        ));
    }
    out
}

/// Rules that matched no sampled record, and rules that score 0 on most of the records they
/// match although they have non-zero field scores (positive and negative parts cancelling: a
/// rule that mostly adds nothing is as likely a mistake as one that never does).
pub fn sample_findings(report: &PreviewReport, rules: &[ScoringRule]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (rule, r) in rules.iter().zip(&report.rules) {
        let cancelled = r.matched.saturating_sub(r.nonzero);
        if r.matched == 0 && report.sampled > 0 {
            out.push(Finding::new(
                rule,
                Kind::NoMatchInSample,
                format!("matches none of the {} sampled records", report.sampled),
            ));
        } else if cancelled * 2 > r.matched && rule.field_rules.iter().any(|f| f.score != 0) {
            let on = if cancelled == r.matched {
                format!("all {} matched records", r.matched)
            } else {
                format!("{cancelled} of the {} matched records", r.matched)
            };
            out.push(Finding::new(
                rule,
                Kind::ScoresCancel,
                format!("its positive and negative parts sum to 0 on {on}"),
            ));
        }
    }
    out
}

/// The lint kind of one of `domain::lint`'s condition problems.
fn kind_of(problem: &ProblemKind) -> Kind {
    match problem {
        ProblemKind::NotAField | ProblemKind::NotInLayout => Kind::MissingField,
        ProblemKind::WrongComparator | ProblemKind::DeadValue => Kind::DeadValue,
        ProblemKind::Unresolvable => Kind::NeverMatches,
        ProblemKind::Disrupted => Kind::Disrupted,
    }
}

fn empty_between(c: &Condition, schema: &ModuleSchema) -> Option<String> {
    if c.comparator != Comparator::Between {
        return None;
    }
    let field = schema.field(&c.field.api_name)?;
    let empty = match parse_operand(&c.comparator, field, &c.value).ok()? {
        Operand::Number(v) => matches!(v.as_slice(), [a, b] if a > b),
        Operand::Date(v) => match v.as_slice() {
            [DateSpec::Day(a), DateSpec::Day(b)] => a > b,
            [DateSpec::Instant(a), DateSpec::Instant(b)] => a > b,
            _ => false,
        },
        _ => false,
    };
    empty.then(|| {
        format!(
            "{} between {} is empty (lower bound above upper), so it never matches",
            c.field.api_name, c.value
        )
    })
}

/// Conditions that must all hold (the criteria's top-level AND chain), checked for two
/// `equal`s on one single-valued field that name different values.
fn contradiction(criteria: &Criteria, schema: &ModuleSchema) -> Option<String> {
    let mut all = Vec::new();
    required(criteria, &mut all);
    let mut equal: HashMap<&str, (String, &Condition)> = HashMap::new();
    for c in all {
        if c.comparator != Comparator::Equal {
            continue;
        }
        let Some(field) = schema.field(&c.field.api_name) else {
            continue;
        };
        let ty = field.effective_type();
        if ty == DataType::Multiselectpicklist || ty.is_multi_lookup() {
            continue;
        }
        let Some(key) = parse_operand(&c.comparator, field, &c.value)
            .ok()
            .and_then(|o| single(&o))
        else {
            continue;
        };
        match equal.get(c.field.api_name.as_str()) {
            Some((k, first)) if *k != key => {
                return Some(format!(
                    "{} = {} AND {} = {} can never both hold",
                    c.field.api_name, first.value, c.field.api_name, c.value
                ));
            }
            Some(_) => {}
            None => {
                equal.insert(&c.field.api_name, (key, c));
            }
        }
    }
    None
}

fn required<'a>(c: &'a Criteria, out: &mut Vec<&'a Condition>) {
    match c {
        Criteria::Condition(x) => out.push(x),
        Criteria::Group(g) if g.group_operator == GroupOperator::And => {
            g.group.iter().for_each(|m| required(m, out));
        }
        Criteria::Group(_) => {}
    }
}

/// A comparable key for a one-value operand; `None` for several values or relative dates.
fn single(o: &Operand) -> Option<String> {
    match o {
        Operand::Text(v) if v.len() == 1 => v.first().map(|s| format!("t:{}", s.to_lowercase())),
        Operand::Number(v) if v.len() == 1 => v.first().map(|n| format!("n:{n}")),
        Operand::Bool(b) => Some(format!("b:{b}")),
        Operand::Date(v) => match v.as_slice() {
            [DateSpec::Day(d)] => Some(format!("d:{d}")),
            [DateSpec::Instant(t)] => Some(format!("i:{t}")),
            _ => None,
        },
        Operand::Lookup(v) => match v.as_slice() {
            [crate::domain::operand::LookupSpec::Id(id)] => Some(format!("l:{id}")),
            _ => None,
        },
        _ => None,
    }
}

pub fn render_text(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return "no findings\n".to_string();
    }
    let mut out = String::new();
    for f in findings {
        let id = f
            .rule_id
            .as_ref()
            .map_or("draft".to_string(), Id::to_string);
        out.push_str(&format!(
            "{} / rule {} ({id}) [{}]: {}\n",
            f.module,
            crate::display::sanitize(&f.rule_name),
            kind_name(f.kind),
            crate::display::sanitize(&f.message)
        ));
    }
    out
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::NeverMatches => "never matches",
        Kind::DeadValue => "dead value",
        Kind::MissingField => "missing field",
        Kind::Disrupted => "disrupted",
        Kind::DuplicateCriteria => "duplicate criteria",
        Kind::ScoresCancel => "scores cancel",
        Kind::NoMatchInSample => "no match in sample",
    }
}
