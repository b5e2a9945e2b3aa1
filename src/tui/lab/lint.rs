//! Lint findings for the rule detail pane (computed when the selection or the snapshot changes,
//! never per frame): the snapshot's own (never-matching criteria, fields
//! the layout lacks, criteria repeated in another rule of the layout, cancelling scores) plus,
//! once this session has previewed the rule, "matches none of the sampled records".

use crate::domain::rule::ScoringRule;
use crate::domain::snapshot::OrgSnapshot;
use crate::lab::lint::{Kind, findings_about, rule_findings};
use crate::tui::app::App;

/// `(label, reason)` for each finding about `rule`.
pub fn findings_for(app: &App, rule: &ScoringRule) -> Vec<(&'static str, String)> {
    let Some(snapshot) = app.snapshot.as_ref() else {
        return Vec::new();
    };
    let mut out = snapshot_findings(snapshot, rule, true);
    if let Some(view) = &app.lab.view
        && let Some(ready) = view.ready()
        && let Some(r) = ready
            .report
            .rules
            .iter()
            .find(|r| r.id.is_some() && r.id == rule.id)
        && r.matched == 0
        && ready.report.sampled > 0
    {
        out.push((
            label(Kind::NoMatchInSample),
            format!(
                "matches none of the {} sampled records",
                ready.report.sampled
            ),
        ));
    }
    out
}

/// The snapshot-only findings about `rule`, judged among its layout's rules with `rule` in
/// place of its saved version (an unsaved draft of the rule form, or the saved rule itself).
/// A value the field does not take is the validator's error where the request sends it
/// (`errors`: the form's error texts, `input: reason`), so it is not repeated here; a stored
/// condition the request leaves untouched is not judged by the validator (Zoho accepts an
/// update that does not resend it: a picklist value removed after the rule was saved), so
/// only this warning says it can never match.
pub fn draft_findings(
    snapshot: &OrgSnapshot,
    rule: &ScoringRule,
    errors: &[&str],
) -> Vec<(&'static str, String)> {
    let reported = |message: &str| {
        errors
            .iter()
            .filter_map(|e| e.split_once(": "))
            .any(|(_, reason)| message.ends_with(reason))
    };
    snapshot_findings(snapshot, rule, true)
        .into_iter()
        .filter(|(kind, message)| *kind != label(Kind::DeadValue) || !reported(message))
        .collect()
}

fn snapshot_findings(
    snapshot: &OrgSnapshot,
    rule: &ScoringRule,
    dead_values: bool,
) -> Vec<(&'static str, String)> {
    let Some(schema) = snapshot.module(&rule.module.api_name) else {
        return Vec::new();
    };
    let mut found = rule_findings(rule, schema);
    // Every repeat it shares with the others is reported on this rule.
    let others: Vec<&ScoringRule> = snapshot
        .rules_of(&rule.module.api_name)
        .filter(|r| r.layout_id() == rule.layout_id())
        .filter(|r| rule.id.is_none() || r.id != rule.id)
        .collect();
    found.extend(findings_about(rule, &others, schema));
    found
        .into_iter()
        .filter(|f| dead_values || f.kind != Kind::DeadValue)
        .map(|f| (label(f.kind), f.message))
        .collect()
}

fn label(kind: Kind) -> &'static str {
    match kind {
        Kind::NeverMatches => "never matches",
        Kind::DeadValue => "dead value",
        Kind::MissingField => "missing field",
        Kind::Disrupted => "disrupted",
        Kind::DuplicateCriteria => "duplicate",
        Kind::ScoresCancel => "scores cancel",
        Kind::NoMatchInSample => "no match",
    }
}
