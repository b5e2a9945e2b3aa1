//! Lint findings for the rule detail pane: the snapshot's own (never-matching criteria, fields
//! the layout lacks, criteria repeated in another rule of the layout, cancelling scores) plus,
//! once this session has previewed the rule, "matches none of the sampled records".

use crate::domain::rule::ScoringRule;
use crate::lab::lint::{Kind, layout_findings, rule_findings};
use crate::tui::app::App;

/// `(label, reason)` for each finding about `rule`.
pub fn findings_for(app: &App, rule: &ScoringRule) -> Vec<(&'static str, String)> {
    let Some(snapshot) = app.snapshot.as_ref() else {
        return Vec::new();
    };
    let Some(schema) = snapshot.module(&rule.module.api_name) else {
        return Vec::new();
    };
    let mut found = rule_findings(rule, schema);
    let layout_rules: Vec<&ScoringRule> = snapshot
        .rules_of(&rule.module.api_name)
        .filter(|r| r.layout_id() == rule.layout_id())
        .collect();
    found.extend(
        layout_findings(&layout_rules, schema)
            .into_iter()
            .filter(|f| f.rule_id == rule.id),
    );
    let mut out: Vec<(&'static str, String)> = found
        .into_iter()
        .map(|f| (label(f.kind), f.message))
        .collect();
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

fn label(kind: Kind) -> &'static str {
    match kind {
        Kind::NeverMatches => "never matches",
        Kind::MissingField => "missing field",
        Kind::Disrupted => "disrupted",
        Kind::DuplicateCriteria => "duplicate",
        Kind::ScoresCancel => "scores cancel",
        Kind::NoMatchInSample => "no match",
    }
}
