//! What a save will change, line by line: name, description, and field rules, signal rules and
//! custom fields added, removed or changed (score, criteria, label), read the way the detail
//! pane reads them. Sub-items are matched by id.

use crate::display::{sanitize, truncate_to_width};
use crate::domain::evaluate::criteria_text;
use crate::domain::metadata::{ModuleSchema, Signal};
use crate::domain::rule::{ScoringRule, SignalRef};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Added,
    Removed,
    Changed,
}

impl Change {
    pub fn sign(self) -> char {
        match self {
            Change::Added => '+',
            Change::Removed => '-',
            Change::Changed => '~',
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffLine {
    pub change: Change,
    pub text: String,
}

fn line(change: Change, text: String) -> DiffLine {
    DiffLine { change, text }
}

fn score(s: i64) -> String {
    format!("{s:+}")
}

fn quoted(s: &str) -> String {
    format!("“{}”", truncate_to_width(&sanitize(s), 60))
}

fn signal_label(r: &SignalRef, signals: &[Signal]) -> String {
    signals
        .iter()
        .find(|s| s.id == r.id)
        .map_or_else(|| format!("signal {}", r.id), |s| sanitize(&s.full_label()))
}

/// The changes from `before` (`None`: a new rule) to `after`.
pub fn diff(
    before: Option<&ScoringRule>,
    after: &ScoringRule,
    schema: &ModuleSchema,
    signals: &[Signal],
) -> Vec<DiffLine> {
    let mut out = Vec::new();
    let crit = |c| sanitize(&criteria_text(c, schema));
    let Some(before) = before else {
        out.push(line(Change::Added, format!("name {}", quoted(&after.name))));
        if let Some(d) = after.description.as_deref().filter(|d| !d.is_empty()) {
            out.push(line(Change::Added, format!("description {}", quoted(d))));
        }
        let state = if after.active { "active" } else { "inactive" };
        out.push(line(Change::Added, format!("starts {state}")));
        for fr in &after.field_rules {
            let text = format!("field rule {} when {}", score(fr.score), crit(&fr.criteria));
            out.push(line(Change::Added, text));
        }
        for s in &after.signal_rules {
            let text = format!(
                "signal rule {} on {}",
                score(s.score),
                signal_label(&s.signal, signals)
            );
            out.push(line(Change::Added, text));
        }
        for c in &after.custom_fields {
            out.push(line(Change::Added, custom_text(c)));
        }
        return out;
    };
    if before.name != after.name {
        let text = format!("name {} → {}", quoted(&before.name), quoted(&after.name));
        out.push(line(Change::Changed, text));
    }
    let desc = |r: &ScoringRule| r.description.clone().unwrap_or_default();
    if desc(before) != desc(after) {
        let text = format!(
            "description {} → {}",
            quoted(&desc(before)),
            quoted(&desc(after))
        );
        out.push(line(Change::Changed, text));
    }
    for (n, fr) in after.field_rules.iter().enumerate() {
        let old = fr.id.as_ref().and_then(|id| {
            before
                .field_rules
                .iter()
                .find(|b| b.id.as_ref() == Some(id))
        });
        let Some(old) = old else {
            let text = format!("field rule {} when {}", score(fr.score), crit(&fr.criteria));
            out.push(line(Change::Added, text));
            continue;
        };
        if old.score != fr.score {
            let text = format!(
                "field rule {}: score {} → {}",
                n + 1,
                score(old.score),
                score(fr.score)
            );
            out.push(line(Change::Changed, text));
        }
        if old.criteria != fr.criteria {
            let text = format!(
                "field rule {}: criteria {} → {}",
                n + 1,
                crit(&old.criteria),
                crit(&fr.criteria)
            );
            out.push(line(Change::Changed, text));
        }
    }
    for old in &before.field_rules {
        if !after
            .field_rules
            .iter()
            .any(|f| f.id.is_some() && f.id == old.id)
        {
            let text = format!(
                "field rule {} when {}",
                score(old.score),
                crit(&old.criteria)
            );
            out.push(line(Change::Removed, text));
        }
    }
    for s in &after.signal_rules {
        let old = s.id.as_ref().and_then(|id| {
            before
                .signal_rules
                .iter()
                .find(|b| b.id.as_ref() == Some(id))
        });
        let label = signal_label(&s.signal, signals);
        match old {
            None => out.push(line(
                Change::Added,
                format!("signal rule {} on {label}", score(s.score)),
            )),
            Some(old) if old.score != s.score || old.signal != s.signal => {
                let text = format!(
                    "signal rule {} on {} → {} on {label}",
                    score(old.score),
                    signal_label(&old.signal, signals),
                    score(s.score)
                );
                out.push(line(Change::Changed, text));
            }
            Some(_) => {}
        }
    }
    for old in &before.signal_rules {
        if !after
            .signal_rules
            .iter()
            .any(|s| s.id.is_some() && s.id == old.id)
        {
            let text = format!(
                "signal rule {} on {}",
                score(old.score),
                signal_label(&old.signal, signals)
            );
            out.push(line(Change::Removed, text));
        }
    }
    for c in &after.custom_fields {
        let old = c.id.as_ref().and_then(|id| {
            before
                .custom_fields
                .iter()
                .find(|b| b.id.as_ref() == Some(id))
        });
        match old {
            None => out.push(line(Change::Added, custom_text(c))),
            Some(old) if old.field_label != c.field_label => {
                let label = |c: &crate::domain::rule::CustomField| {
                    quoted(c.field_label.as_deref().unwrap_or(""))
                };
                let text = format!("custom field {} → {}", label(old), label(c));
                out.push(line(Change::Changed, text));
            }
            Some(_) => {}
        }
    }
    for old in &before.custom_fields {
        if !after
            .custom_fields
            .iter()
            .any(|c| c.id.is_some() && c.id == old.id)
        {
            let text = format!("{} (Zoho deletes its data)", custom_text(old));
            out.push(line(Change::Removed, text));
        }
    }
    out
}

fn custom_text(c: &crate::domain::rule::CustomField) -> String {
    let label = c
        .field_label
        .as_deref()
        .or(c.api_name.as_deref())
        .unwrap_or("(unnamed)");
    let target = c
        .reference_field
        .as_ref()
        .and_then(|r| r.api_name.as_deref())
        .unwrap_or("?");
    format!(
        "custom field {} mapping {}",
        quoted(label),
        sanitize(target)
    )
}
