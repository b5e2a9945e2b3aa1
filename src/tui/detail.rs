//! What the rule detail pane says about a rule: everything a person needs to judge it without
//! opening Zoho — criteria as sentences (nested ones as the form numbers them), each with its
//! score, signals by their label, lint findings, custom fields, and who changed it when. Built
//! in state when the rule, the snapshot or a preview changes (lint is the costly part), as
//! tone-tagged paragraphs that the view wraps to the pane's width. All org text passes through
//! `sanitize`.

use super::app::App;
use super::select::{score_span, span_text};
use super::text::{Para, Tone};
use crate::display::sanitize;
use crate::domain::ScoringRule;
use crate::domain::evaluate::{condition_text, criteria_text};
use crate::domain::metadata::ModuleSchema;
use crate::domain::metadata::UserRef;
use crate::domain::{Criteria, pattern};

/// An org can hold a name of any length; three rows of it identify the rule.
const NAME_ROWS: usize = 3;
const DESCRIPTION_ROWS: usize = 6;

/// The columns the detail's text is wrapped to in a pane `width` columns wide inside its
/// borders: one stays free on the right, so wrapped text never runs into the border.
pub fn wrap_width(width: u16) -> usize {
    usize::from(width.saturating_sub(1)).max(1)
}

/// The detail of the selected rule, or the line saying there is none.
pub fn doc(app: &App) -> Vec<Para> {
    match app.current_rule() {
        Some(rule) => rule_doc(app, rule),
        None => vec![Para::new(Tone::Dim, "(no rule selected)")],
    }
}

fn rule_doc(app: &App, rule: &ScoringRule) -> Vec<Para> {
    let mut out = Vec::new();
    let (marker, state, tone) = if rule.active {
        ("●", "active", Tone::Active)
    } else {
        ("○", "inactive", Tone::Inactive)
    };
    out.push(
        Para::new(Tone::Heading, sanitize(&rule.name))
            .lead(tone, format!("{marker} "), 2)
            .tail(
                tone,
                format!("{state} · scores {}", span_text(score_span(rule))),
                2,
            )
            .max_rows(NAME_ROWS),
    );
    out.push(
        match rule.description.as_deref().filter(|d| !d.trim().is_empty()) {
            Some(d) => Para::new(Tone::Plain, sanitize(d)).max_rows(DESCRIPTION_ROWS),
            None => Para::new(Tone::Dim, "(no description)"),
        },
    );

    let schema = app
        .snapshot
        .as_ref()
        .and_then(|s| s.module(&rule.module.api_name));
    heading(
        &mut out,
        format!("Field rules ({})", rule.field_rules.len()),
        Tone::Heading,
    );
    if rule.field_rules.is_empty() {
        out.push(none());
    }
    for f in &rule.field_rules {
        // Without the module's schema (module missing from the metadata) the criteria still
        // render, with api names instead of labels.
        match schema {
            Some(schema) if nested(&f.criteria) => numbered(&mut out, &f.criteria, f.score, schema),
            Some(schema) => out.push(scored(&criteria_text(&f.criteria, schema), f.score)),
            None => out.push(scored(
                &format!("{} condition(s)", f.criteria.leaf_count()),
                f.score,
            )),
        }
    }

    heading(
        &mut out,
        format!("Signal rules ({})", rule.signal_rules.len()),
        Tone::Heading,
    );
    if rule.signal_rules.is_empty() {
        out.push(none());
    }
    for s in &rule.signal_rules {
        let label = app
            .snapshot
            .as_ref()
            .and_then(|snap| snap.signal(&s.signal.id))
            .map_or_else(
                || s.signal.namespace.clone(),
                |sig| sig.display_label.clone(),
            );
        out.push(scored(&label, s.score));
    }

    // Only rules with findings get the section: a clean rule's pane stays as it was.
    let findings = super::lab::lint::findings_for(app, rule);
    if !findings.is_empty() {
        heading(&mut out, format!("Lint ({})", findings.len()), Tone::Error);
    }
    for (label, reason) in findings {
        out.push(
            Para::new(Tone::Plain, format!("{label}: {}", sanitize(&reason))).lead(
                Tone::Error,
                "  ⚠ ",
                4,
            ),
        );
    }

    if !rule.custom_fields.is_empty() {
        heading(
            &mut out,
            format!("Custom fields ({})", rule.custom_fields.len()),
            Tone::Heading,
        );
        for c in &rule.custom_fields {
            let name = c
                .field_label
                .as_deref()
                .or(c.api_name.as_deref())
                .unwrap_or("(unnamed)");
            out.push(Para::new(Tone::Plain, sanitize(name)).lead(Tone::Plain, "  ", 4));
        }
    }

    out.push(Para::blank());
    out.push(stamp(
        "Created",
        rule.created_by.as_ref(),
        rule.created_time.as_deref(),
    ));
    out.push(stamp(
        "Modified",
        rule.modified_by.as_ref(),
        rule.modified_time.as_deref(),
    ));
    out
}

fn heading(out: &mut Vec<Para>, text: String, tone: Tone) {
    out.push(Para::blank());
    out.push(Para::new(tone, text));
}

/// "  criteria → +10", wrapped with a hanging indent so each rule reads as one block, the
/// score never parted from its arrow.
fn scored(text: &str, score: i64) -> Para {
    Para::new(Tone::Plain, sanitize(text))
        .lead(Tone::Plain, "  ", 4)
        .tail(Tone::Plain, format!("→ {score:+}"), 1)
}

/// Whether the criteria hold a group within a group: those read best as the form shows them.
fn nested(criteria: &Criteria) -> bool {
    match criteria {
        Criteria::Condition(_) => false,
        Criteria::Group(g) => g.group.iter().any(|m| matches!(m, Criteria::Group(_))),
    }
}

/// Nested criteria as the form numbers them: the pattern with the score, then each condition
/// on its own line (`pattern 1 OR (2 AND 3) → +25`, `1 Industry in (…)`, …), so a long one wraps by
/// condition instead of running parentheses over several lines.
fn numbered(out: &mut Vec<Para>, criteria: &Criteria, score: i64, schema: &ModuleSchema) {
    let (conditions, pattern) = pattern::split(criteria);
    out.push(scored(
        &format!("pattern {}", pattern::text(&pattern)),
        score,
    ));
    for (n, c) in conditions.iter().enumerate() {
        let lead = format!("    {} ", n + 1);
        let indent = lead.chars().count();
        out.push(
            Para::new(Tone::Plain, sanitize(&condition_text(c, schema))).lead(
                Tone::Dim,
                lead,
                indent,
            ),
        );
    }
}

fn none() -> Para {
    Para::new(Tone::Dim, "none").lead(Tone::Plain, "  ", 4)
}

fn stamp(what: &str, by: Option<&UserRef>, at: Option<&str>) -> Para {
    // Zoho sends null for both on a rule nobody has edited since it was created.
    if by.is_none() && at.is_none() {
        return Para::new(Tone::Dim, format!("{what}: never"));
    }
    let by = by.map_or_else(|| "unknown".to_string(), |u| sanitize(&u.name));
    let at = at.map_or_else(|| "unknown time".to_string(), readable_time);
    Para::new(Tone::Dim, format!("{what} by "))
        .then(Tone::Plain, by)
        .then(Tone::Dim, " at ")
        .then(Tone::Plain, at)
}

/// "2026-01-27T17:40:32+05:30" as "2026-01-27 17:40 +05:30": seconds are noise here. Anything
/// not in that shape is shown as it came, sanitized.
fn readable_time(at: &str) -> String {
    let parts = (at.get(..10), at.get(10..11), at.get(11..16), at.get(19..));
    match parts {
        (Some(date), Some("T"), Some(hm), Some(zone)) if at.is_ascii() => {
            sanitize(format!("{date} {hm} {zone}").trim_end())
        }
        _ => sanitize(at),
    }
}
