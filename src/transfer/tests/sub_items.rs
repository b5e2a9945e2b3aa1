//! Edited sub-items against the org they came from: field rules, signal rules and custom
//! fields, and the edits that are not changes at all.

use serde_json::json;

use super::*;
use crate::transfer::Step;

#[test]
fn custom_fields_are_kept_renamed_added_and_removed_never_recreated() {
    let mut org = sandbox();
    let mut files = files_of(&snapshot_of(&org));
    let rel = path_of(&files, "Partner Referrals");
    let field_id = org.rules[&id_of(&org, "Partner Referrals")].custom_fields[0]
        .id
        .clone();
    // Added: a second field. Kept: the first, renamed in case only.
    edit(&mut files, &rel, |v| {
        v["custom_fields"] = json!([
            {"field_label": "Referral Positive", "reference_field": "Positive_Score"},
            {"field_label": "partner referral score", "reference_field": "Score"}
        ]);
    });
    let p = apply_and_recheck(&mut org, &files);
    let Step::Update { body, changes, .. } = only_step(&p) else {
        panic!()
    };
    assert_eq!(
        body["custom_fields"],
        json!([
            {"id": field_id, "field_label": "partner referral score"},
            {"field_label": "Referral Positive", "reference_field": {"api_name": "Positive_Score"}}
        ])
    );
    assert_eq!(
        changes,
        &[
            change(
                "custom_fields[0]",
                "(none)",
                "\"Referral Positive\" holding \"Positive_Score\""
            ),
            change(
                "custom_fields[1].field_label",
                "\"Partner Referral Score\"",
                "\"partner referral score\""
            ),
        ]
    );
    let kept = &org.rules[&id_of(&org, "Partner Referrals")].custom_fields;
    assert!(
        kept.iter().any(|c| c.id == field_id),
        "the field kept its id"
    );

    // Removed: only the dropped field is deleted.
    edit(&mut files, &rel, |v| {
        v["custom_fields"] =
            json!([{"field_label": "Referral Positive", "reference_field": "Positive_Score"}]);
    });
    let p = apply_and_recheck(&mut org, &files);
    let Step::Update { body, .. } = only_step(&p) else {
        panic!()
    };
    assert_eq!(
        body["custom_fields"],
        json!([{"id": field_id, "_delete": null}])
    );
}

#[test]
fn a_kept_custom_field_cannot_change_the_score_it_holds() {
    let mut files = files_of(&snapshot());
    let rel = path_of(&files, "Partner Referrals");
    edit(&mut files, &rel, |v| {
        v["custom_fields"][0]["reference_field"] = json!("Positive_Score")
    });
    let err = plan(&set_of(&files), &snapshot()).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!(
            "{rel}: custom_fields[0].reference_field: the org's field \"Partner Referral Score\" holds \"Score\""
        )),
        "{err}"
    );
}

#[test]
fn what_zoho_scores_the_same_is_not_a_change() {
    let snap = snapshot();
    let mut files = files_of(&snap);
    let rel = path_of(&files, "Enterprise Fit");
    edit(&mut files, &rel, |v| {
        let rules = v["field_rules"].as_array_mut().unwrap();
        rules.reverse();
        // Now field_rules[2] is the OR group: swap its members, spell `type` out.
        let group = rules[2]["criteria"]["group"].as_array_mut().unwrap();
        group.reverse();
        group[1]["type"] = json!("value");
        group[1]["value"].as_array_mut().unwrap().reverse();
        rules[0]["criteria"]["value"]
            .as_array_mut()
            .unwrap()
            .reverse();
    });
    let inbound = path_of(&files, "Inbound Demand");
    edit(&mut files, &inbound, |v| {
        v["field_rules"][1]["criteria"]["group"][0]["value"] = json!(1000000.0);
        v["signal_rules"].as_array_mut().unwrap().reverse();
        v["description"] = json!("Leads that came to us on their own, sized for our sweet spot.");
    });
    assert!(plan(&set_of(&files), &snap).unwrap().is_noop());

    // Bounds of `between` are ordered, so swapping them is a change.
    edit(&mut files, &inbound, |v| {
        v["field_rules"][1]["criteria"]["group"][1]["value"] = json!([5000, 50]);
    });
    assert!(!plan(&set_of(&files), &snap).unwrap().is_noop());
}

#[test]
fn signal_rules_are_changed_added_and_removed() {
    let mut org = sandbox();
    let mut files = files_of(&snapshot_of(&org));
    let rel = path_of(&files, "Inbound Demand");
    edit(&mut files, &rel, |v| {
        v["signal_rules"] = json!([
            {"score": 10, "signal": "Email_Incoming__s"},
            {"score": 4, "signal": "EmailInsight_Open__s"},
            {"score": 2, "signal": "Survey_Responded__s"},
            {"score": -25, "signal": "EmailInsight_Bounce__s"}
        ]);
    });
    let p = apply_and_recheck(&mut org, &files);
    let Step::Update { changes, body, .. } = only_step(&p) else {
        panic!()
    };
    assert_eq!(
        changes,
        &[
            change("signal_rules[1].score", "3", "4"),
            change("signal_rules[2]", "(none)", "+2 on \"Survey_Responded__s\""),
            change("signal_rules", "+6 on \"EmailInsight_Click__s\"", "(none)"),
        ]
    );
    assert_eq!(body["signal_rules"].as_array().unwrap().len(), 8);
    assert!(body.get("field_rules").is_none());
}

#[test]
fn long_field_rule_lists_are_edited_in_place_to_stay_within_the_list_limit() {
    let mut org = sandbox();
    let mut files = files_of(&snapshot_of(&org));
    let rel = path_of(&files, "Inbound Demand");
    let rules = |score: i64| {
        (0..30)
            .map(|i| {
                json!({"score": score, "criteria":
                    {"field": "Annual_Revenue", "comparator": "greater_than", "value": i * 1000}})
            })
            .collect::<Vec<_>>()
    };
    edit(&mut files, &rel, |v| v["field_rules"] = json!(rules(5)));
    let p = apply_and_recheck(&mut org, &files);
    let Step::Update { body, .. } = only_step(&p) else {
        panic!()
    };
    // 3 old deleted + 30 new: within the 50 a list may hold, so replaced whole.
    assert_eq!(body["field_rules"].as_array().unwrap().len(), 33);

    edit(&mut files, &rel, |v| v["field_rules"] = json!(rules(6)));
    let p = apply_and_recheck(&mut org, &files);
    let Step::Update { body, changes, .. } = only_step(&p) else {
        panic!()
    };
    let items = body["field_rules"].as_array().unwrap();
    assert_eq!(items.len(), 30);
    assert!(
        items
            .iter()
            .all(|i| i.get("id").is_some() && i["score"] == 6)
    );
    assert_eq!(changes.len(), 30);
    assert_eq!(changes[0], change("field_rules[0].score", "5", "6"));
}

#[test]
fn findings_about_custom_fields_name_the_files_index() {
    let mut files = files_of(&snapshot());
    let rel = path_of(&files, "Partner Referrals");
    edit(&mut files, &rel, |v| {
        v["custom_fields"] = json!([
            {"field_label": "Email", "reference_field": "Positive_Score"},
            {"field_label": "Partner Referral Score", "reference_field": "Score"}
        ]);
    });
    let err = plan(&set_of(&files), &snapshot()).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!(
            "{rel}: custom_fields[0].field_label: \"Email\" is already a field"
        )),
        "{err}"
    );
}
