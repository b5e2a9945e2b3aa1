//! Lint findings for the rule detail pane (computed when the selection or the snapshot changes,
//! never per frame): the snapshot's own (never-matching criteria, fields
//! the layout lacks, criteria repeated in another rule of the layout, cancelling scores) plus,
//! once this session has previewed the rule, "matches none of the sampled records".

use crate::domain::rule::ScoringRule;
use crate::domain::snapshot::OrgSnapshot;
use std::collections::HashMap;

use crate::domain::Id;
use crate::lab::lint::{Kind, criteria_texts, findings_among, rule_findings};
use crate::tui::app::App;

/// `(label, reason)` for each finding about `rule`.
pub fn findings_for(app: &App, rule: &ScoringRule) -> Vec<(&'static str, String)> {
    let Some(snapshot) = app.snapshot.as_ref() else {
        return Vec::new();
    };
    let kept = app.derived.layout_texts_of(app.snapshot_generation, rule);
    let mut out = snapshot_findings(snapshot, rule, true, kept);
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
    snapshot_findings(snapshot, rule, true, None)
        .into_iter()
        .filter(|(kind, message)| *kind != label(Kind::DeadValue) || !reported(message))
        .collect()
}

/// `kept`: the criteria texts of the layout's rules by id, when the screen keeps them.
fn snapshot_findings(
    snapshot: &OrgSnapshot,
    rule: &ScoringRule,
    dead_values: bool,
    kept: Option<&HashMap<Id, Vec<String>>>,
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
    let made: Vec<Option<Vec<String>>> = others
        .iter()
        .map(|o| match (kept, &o.id) {
            (Some(k), Some(id)) if k.contains_key(id) => None,
            _ => Some(criteria_texts(o, schema)),
        })
        .collect();
    let texts: Vec<&[String]> = others
        .iter()
        .zip(&made)
        .map(|(o, made)| match made {
            Some(t) => t.as_slice(),
            None => {
                o.id.as_ref()
                    .and_then(|id| kept.and_then(|k| k.get(id)))
                    .map_or(&[][..], Vec::as_slice)
            }
        })
        .collect();
    found.extend(findings_among(rule, &others, &texts, schema));
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

#[cfg(test)]
mod tests {
    use super::{findings_for, snapshot_findings};

    /// The detail's findings with the layout's criteria texts kept in state are those made
    /// afresh, for every rule of the demo org (which has repeated and cancelling criteria).
    #[test]
    fn kept_layout_texts_give_the_findings_made_afresh() {
        // The demo org, and a copy of its first rule in the same layout with one score
        // turned round: every field rule repeats, one pair cancels.
        let mut snap = crate::tui::test_support::seeded();
        let mut copy = snap.rules[0].clone();
        copy.id = Some(crate::domain::Id::new("5843104000000999001"));
        copy.name = "Its twin".into();
        copy.field_rules[0].score = -copy.field_rules[0].score;
        snap.rules.push(copy);
        let mut app = crate::tui::test_support::loaded();
        let reload = app.act(crate::tui::action::Action::Reload);
        let [crate::tui::effects::Effect::LoadSnapshot { request }] = reload.as_slice() else {
            panic!("no reload: {reload:?}");
        };
        app.update(crate::tui::event::Msg::SnapshotLoaded {
            request: *request,
            result: Ok(snap.clone()),
        });
        let mut repeats = 0;
        for (i, rule) in snap.rules.iter().enumerate() {
            app.jump_to_rule(i);
            app.settle();
            assert!(
                app.derived
                    .layout_texts_of(app.snapshot_generation, rule)
                    .is_some(),
                "{}",
                rule.name
            );
            let kept = findings_for(&app, rule);
            let afresh = snapshot_findings(&snap, rule, true, None);
            assert_eq!(kept, afresh, "{}", rule.name);
            repeats += kept
                .iter()
                .filter(|(kind, _)| *kind == "duplicate" || *kind == "scores cancel")
                .count();
        }
        assert!(repeats > 0, "the demo org has no repeats to compare");
    }
}
