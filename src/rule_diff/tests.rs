use chrono::TimeZone;

use super::*;
use crate::domain::Edition;

fn seeded() -> OrgSnapshot {
    let now = chrono::Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
    crate::sandbox::seed::load_embedded(now)
        .unwrap()
        .snapshot(Edition::Enterprise)
}

fn rule<'a>(snap: &'a OrgSnapshot, name: &str) -> &'a ScoringRule {
    snap.rules.iter().find(|r| r.name == name).unwrap()
}

fn texts(lines: &[DiffLine]) -> Vec<String> {
    lines.iter().map(DiffLine::signed).collect()
}

#[test]
fn a_score_edit_reads_as_the_review_shows_it() {
    let snap = seeded();
    let before = rule(&snap, "Enterprise Fit");
    let mut after = before.clone();
    after.field_rules[1].score = 30;
    let names = Names::of(Some(&snap), "Leads");
    assert_eq!(
        texts(&diff(Some(before), Some(&after), names)),
        [format!(
            "~ field rule 2: score {:+} → +30",
            before.field_rules[1].score
        )]
    );
}

#[test]
fn an_appended_word_in_a_long_description_shows_on_the_new_side() {
    let snap = seeded();
    let mut before = rule(&snap, "Enterprise Fit").clone();
    before.description = Some(
        "Leads that came to us through the website, a chat or the online store, scored by \
         how much they engaged and how well they fit the sweet spot."
            .into(),
    );
    let mut after = before.clone();
    after.description = before.description.as_ref().map(|d| format!("{d} (edited)"));
    let lines = texts(&diff(Some(&before), Some(&after), Names::none()));
    assert_eq!(
        lines,
        ["~ description “… the sweet spot.” → “… the sweet spot. (edited)”"]
    );
}

#[test]
fn activation_reads_as_a_state_change_and_only_that() {
    let snap = seeded();
    let before = rule(&snap, "Stale Lead Decay");
    let after = ScoringRule {
        active: true,
        modified_time: Some("later".into()),
        ..before.clone()
    };
    assert_eq!(
        texts(&diff(Some(before), Some(&after), Names::none())),
        ["~ state inactive → active"]
    );
    assert_eq!(
        texts(&diff(Some(&after), Some(before), Names::none())),
        ["~ state active → inactive"]
    );
}

#[test]
fn lists_replaced_with_the_same_content_under_new_ids_change_nothing() {
    let snap = seeded();
    let before = rule(&snap, "Inbound Demand");
    let mut after = before.clone();
    for (i, f) in after.field_rules.iter_mut().enumerate() {
        f.id = Some(Id::new(format!("99{i}")));
    }
    for s in &mut after.signal_rules {
        s.id = None;
    }
    assert_eq!(diff(Some(before), Some(&after), Names::none()), []);
}

#[test]
fn criteria_use_field_labels_with_metadata_and_api_names_without() {
    let snap = seeded();
    let before = rule(&snap, "Inbound Demand");
    let mut after = before.clone();
    after.field_rules.remove(0);
    let with = texts(&diff(
        Some(before),
        Some(&after),
        Names::of(Some(&snap), "Leads"),
    ));
    assert!(
        with[0].starts_with("- field rule") && with[0].contains("Lead Source"),
        "{with:?}"
    );
    let without = texts(&diff(Some(before), Some(&after), Names::none()));
    assert!(without[0].contains("Lead_Source"), "{without:?}");
}

#[test]
fn a_deletion_names_the_custom_fields_whose_data_goes() {
    let snap = seeded();
    let gone = rule(&snap, "Partner Referrals");
    assert_eq!(
        texts(&diff(Some(gone), None, Names::none())),
        [
            "- rule “Partner Referrals” and its custom field(s) “Partner Referral Score” with their data"
        ]
    );
}

#[test]
fn a_new_rule_lists_what_it_starts_with() {
    let snap = seeded();
    let new = rule(&snap, "Stale Lead Decay");
    let lines = texts(&diff(None, Some(new), Names::of(Some(&snap), "Leads")));
    assert_eq!(lines[0], "+ name “Stale Lead Decay”");
    assert!(
        lines.contains(&"+ starts inactive".to_string()),
        "{lines:?}"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("+ field rule"))
            .count(),
        new.field_rules.len()
    );
}

#[test]
fn a_layout_change_names_both_layouts() {
    let snap = seeded();
    let before = rule(&snap, "Inbound Demand");
    let other = rule(&snap, "Partner Referrals");
    let after = ScoringRule {
        layout: other.layout.clone(),
        ..before.clone()
    };
    assert_eq!(
        texts(&diff(
            Some(before),
            Some(&after),
            Names::of(Some(&snap), "Leads")
        )),
        ["~ layout Standard → Partner Referral"]
    );
}

/// Enterprise Fit's first field rule: `Industry in (…) OR (Designation contains VP AND Country
/// = United States)`, split as the form numbers it.
fn enterprise_fit_parts(snap: &OrgSnapshot) -> (ScoringRule, Vec<crate::domain::rule::Condition>) {
    let before = rule(snap, "Enterprise Fit").clone();
    let (conditions, _) = pattern::split(&before.field_rules[0].criteria);
    assert_eq!(conditions.len(), 3);
    (before, conditions)
}

#[test]
fn a_pattern_change_reads_as_the_form_shows_it() {
    let snap = seeded();
    let (before, conditions) = enterprise_fit_parts(&snap);
    let mut after = before.clone();
    let regrouped = pattern::parse("(1 OR 2) AND 3", 3).unwrap();
    after.field_rules[0].criteria = pattern::join(&conditions, &regrouped).unwrap();
    let names = Names::of(Some(&snap), "Leads");
    assert_eq!(
        texts(&diff(Some(&before), Some(&after), names)),
        ["~ field rule 1: pattern 1 OR (2 AND 3) → (1 OR 2) AND 3"]
    );
}

#[test]
fn a_changed_condition_is_named_by_its_number() {
    let snap = seeded();
    let (before, mut conditions) = enterprise_fit_parts(&snap);
    conditions[1].value = serde_json::json!("CEO");
    let (_, same) = pattern::split(&before.field_rules[0].criteria);
    let mut after = before.clone();
    after.field_rules[0].criteria = pattern::join(&conditions, &same).unwrap();
    let names = Names::of(Some(&snap), "Leads");
    let lines = texts(&diff(Some(&before), Some(&after), names));
    assert_eq!(
        lines,
        ["~ field rule 1: condition 2: Title contains VP → Title contains CEO"]
    );
}

#[test]
fn conditions_and_pattern_changed_together_read_as_whole_criteria() {
    let snap = seeded();
    let (before, mut conditions) = enterprise_fit_parts(&snap);
    conditions.pop();
    let mut after = before.clone();
    let two = pattern::parse("1 AND 2", 2).unwrap();
    after.field_rules[0].criteria = pattern::join(&conditions, &two).unwrap();
    let names = Names::of(Some(&snap), "Leads");
    let lines = texts(&diff(Some(&before), Some(&after), names));
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("~ field rule 1: criteria Industry in ("),
        "{lines:?}"
    );
    assert!(lines[0].ends_with(" AND Title contains VP"), "{lines:?}");
}

/// A rule read back from a file (an `E` edit) carries no ids, nor field ids in its criteria:
/// its field rules still pair with the saved ones by what they say, so a score change reads
/// as one, not as every field rule removed and added again.
#[test]
fn a_rule_without_ids_pairs_its_field_rules_by_their_criteria() {
    let snap = seeded();
    let before = rule(&snap, "Enterprise Fit");
    let mut json = serde_json::to_value(before).unwrap();
    fn strip_ids(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.remove("id");
                map.values_mut().for_each(strip_ids);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip_ids),
            _ => {}
        }
    }
    for fr in json["field_rules"].as_array_mut().unwrap() {
        strip_ids(fr);
    }
    let mut after: ScoringRule = serde_json::from_value(json).unwrap();
    assert!(after.field_rules.iter().all(|f| f.id.is_none()));
    assert_ne!(
        after.field_rules[0].criteria,
        before.field_rules[0].criteria
    );
    after.field_rules[1].score = 17;
    let names = Names::of(Some(&snap), "Leads");
    assert_eq!(
        texts(&diff(Some(before), Some(&after), names)),
        [format!(
            "~ field rule 2: score {:+} → +17",
            before.field_rules[1].score
        )]
    );
}
