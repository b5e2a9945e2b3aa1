//! Importing into another org: names resolve to that org's ids, the sidecar's ids are ignored,
//! and whatever that org lacks or would refuse is an error naming the file and the path.

use serde_json::json;

use super::*;
use crate::transfer::{RuleFile, TransferError};

/// The demo org under other ids: every id's 13-digit org prefix replaced.
fn other_org(with_rules: bool) -> OrgSnapshot {
    let snap = snapshot();
    let id = snap.rules[0].id.clone().unwrap();
    let prefix = &id.as_str()[..13];
    let text = serde_json::to_string(&snap)
        .unwrap()
        .replace(prefix, "7777777777777");
    let mut other: OrgSnapshot = serde_json::from_str(&text).unwrap();
    if !with_rules {
        other.rules.clear();
    }
    other
}

fn plan_error(files: &[ExportFile], target: &OrgSnapshot) -> String {
    plan(&set_of(files), target).unwrap_err().to_string()
}

fn rule_file(rel: &str, rule: serde_json::Value) -> ExportFile {
    ExportFile {
        rel_path: rel.into(),
        contents: serde_json::to_string_pretty(&rule).unwrap(),
    }
}

#[test]
fn rules_are_created_with_the_other_orgs_ids() {
    let files = importable(files_of(&snapshot()));
    let source_prefix = &snapshot().rules[0].id.clone().unwrap().as_str()[..13].to_string();
    let p = plan(&set_of(&files), &other_org(false)).unwrap();
    assert_eq!(p.steps.len(), 17);
    for step in &p.steps {
        let Step::Create { body, file } = step else {
            panic!()
        };
        let mut body = body.clone();
        // Users named in lookup values keep their ids: users are not mapped between orgs.
        if let Some(rules) = body["field_rules"].as_array_mut() {
            rules.retain(|r| r["criteria"]["comparator"] != "include_any");
        }
        let text = body.to_string();
        assert!(!text.contains(source_prefix.as_str()), "{file}: {text}");
        assert!(text.contains("7777777777777"), "{file}: {text}");
    }
}

#[test]
fn sidecar_ids_from_another_org_are_ignored_and_names_match() {
    let files = files_of(&snapshot());
    let p = plan(&set_of(&files), &other_org(true)).unwrap();
    // Everything matches by name and is the same, except the rule whose value names users by
    // id: the other org's users have other ids, and values are compared as written.
    let [Step::Update { file, changes, .. }] = active_steps(&p)[..] else {
        panic!("{}", p.render())
    };
    assert_eq!(file, "Partners/Standard/Top Tier Partners.json");
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].path, "field_rules[3].criteria");
    assert!(
        p.render()
            .ends_with("0 to create, 1 to update, 0 to delete, 17 unchanged\n")
    );
}

#[test]
fn a_field_the_org_lacks_is_named_with_its_path() {
    let file = rule_file(
        "Deals/_all/x.json",
        json!({"name": "Big deals", "module": "Deals", "layout": null, "field_rules": [
            {"score": 10, "criteria": {"field": "Amount", "comparator": "greater_than", "value": 100000}},
            {"score": 5, "criteria": {"group_operator": "OR", "group": [
                {"field": "Stagee", "comparator": "equal", "value": "Negotiation"},
                {"field": "Amount", "comparator": "greater_than", "value": 5000}
            ]}}
        ]}),
    );
    assert_eq!(
        plan_error(&[file], &snapshot()),
        "Deals/_all/x.json: field_rules[1].criteria.group[0].field: no field \"Stagee\" in Deals"
    );
}

#[test]
fn a_signal_the_org_lacks_is_named_with_its_path() {
    let files = files_of(&snapshot());
    let mut target = other_org(false);
    target
        .signals
        .retain(|s| s.namespace != "EmailInsight_Open__s");
    let err = plan(&set_of(&files), &target).unwrap_err();
    let all: Vec<String> = err.errors().iter().map(ToString::to_string).collect();
    assert!(all.contains(
        &"Leads/Standard/Inbound Demand.json: signal_rules[1].signal: no signal \"EmailInsight_Open__s\" in this org"
            .to_string()
    ), "{err}");
}

#[test]
fn a_module_or_layout_the_org_lacks_is_named() {
    let files = files_of(&snapshot());
    let mut target = other_org(false);
    target.modules.retain(|m| m.module.api_name != "Partners");
    let leads = target
        .modules
        .iter_mut()
        .find(|m| m.module.api_name == "Leads")
        .unwrap();
    leads.layouts.retain(|l| l.api_name() != "Event_Leads");
    let err = plan(&set_of(&files), &target).unwrap_err();
    let all: Vec<String> = err.errors().iter().map(ToString::to_string).collect();
    assert!(all.iter().any(|e| e.starts_with(
        "Partners/Standard/Top Tier Partners.json: module: no module \"Partners\" in this org (modules: Leads, Contacts, Accounts, Deals)"
    )), "{err}");
    assert!(all.iter().any(|e| e.starts_with(
        "Leads/Event_Leads/Event Engagement.json: layout: no layout \"Event_Leads\" in Leads (layouts: Standard"
    )), "{err}");
}

#[test]
fn a_renamed_layout_in_the_target_is_an_unknown_layout() {
    let files = files_of(&snapshot());
    let mut target = snapshot();
    let leads = target
        .modules
        .iter_mut()
        .find(|m| m.module.api_name == "Leads")
        .unwrap();
    let layout = leads
        .layouts
        .iter_mut()
        .find(|l| l.api_name() == "Event_Leads")
        .unwrap();
    layout.api_name = Some("Events".into());
    let err = plan_error(&files, &target);
    assert!(
        err.starts_with(
            "Leads/Event_Leads/Event Engagement.json: layout: no layout \"Event_Leads\""
        ),
        "{err}"
    );
}

#[test]
fn an_empty_module_directory_the_org_lacks_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("Tickets")).unwrap();
    let set = crate::transfer::read_dir(dir.path()).unwrap();
    let err = plan(&set, &snapshot()).unwrap_err().to_string();
    assert!(
        err.starts_with("Tickets/: no module \"Tickets\" in this org"),
        "{err}"
    );
}

#[test]
fn what_zoho_would_refuse_is_refused_before_anything_is_sent() {
    let mut files = importable(files_of(&snapshot()));
    let rel = path_of(&files, "Enterprise Fit");
    edit(&mut files, &rel, |v| {
        v["field_rules"][1]["score"] = json!(500)
    });
    let err = plan_error(&files, &other_org(false));
    assert_eq!(
        err,
        format!("{rel}: field_rules[1].score: score must be an integer from -100 to 100 (500)")
    );
}

#[test]
fn a_field_not_on_the_files_layout_is_refused() {
    let mut files = files_of(&snapshot());
    let rel = path_of(&files, "Pipeline Priority");
    // Contract_Term is on the Renewals layout only.
    edit(&mut files, &rel, |v| {
        v["field_rules"][0]["criteria"] =
            json!({"field": "Contract_Term", "comparator": "greater_than", "value": 12});
    });
    let err = plan_error(&files, &snapshot());
    assert!(
        err.starts_with(&format!("{rel}: field_rules[0].criteria.field: ")),
        "{err}"
    );
}

#[test]
fn a_name_taken_in_a_module_without_a_directory_is_refused() {
    let snap = snapshot();
    let files = export(&snap, &["Contacts".to_string()]).unwrap();
    let mut set = set_of(&files);
    // The file now claims a name a Leads rule has; Leads has no directory, so it stays.
    let first = &mut set.rules[0];
    first.rule.name = "Junk Filter".into();
    set.ids.clear();
    let err = plan(&set, &snap).unwrap_err().to_string();
    assert!(
        err.contains(": name: another rule is already called \"Junk Filter\""),
        "{err}"
    );
}

#[test]
fn a_name_freed_by_a_delete_can_be_taken() {
    let mut org = sandbox();
    let mut files = files_of(&snapshot_of(&org));
    files.retain(|f| f.rel_path != crate::transfer::SIDECAR);
    // "Dormant Accounts" loses its file; a new Accounts rule takes its name.
    let rel = path_of(&files, "Dormant Accounts");
    let text = text_at(&files, &rel).to_string();
    let mut rule: RuleFile = serde_json::from_str(&text).unwrap();
    rule.name = "dormant accounts".into();
    rule.field_rules.truncate(1);
    rule.description = Some("Replaces the old one.".into());
    files.retain(|f| f.rel_path != rel);
    files.push(rule_file(
        "Accounts/Standard/new.json",
        serde_json::to_value(&rule).unwrap(),
    ));
    // Same name ignoring case: it matches the old rule, so it is an update, not a clash.
    let p = apply_and_recheck(&mut org, &files);
    assert!(
        matches!(active_steps(&p)[..], [Step::Update { .. }]),
        "{}",
        p.render()
    );
}

#[test]
fn the_active_limit_is_checked_in_order() {
    // Six active Partner rules on one layout: Zoho allows five.
    let snap = snapshot();
    let mut files = export(&snap, &["Partners".to_string()]).unwrap();
    let rel = path_of(&files, "Top Tier Partners");
    let text = text_at(&files, &rel).to_string();
    for i in 0..5 {
        let mut rule: RuleFile = serde_json::from_str(&text).unwrap();
        rule.name = format!("Copy {i}");
        rule.field_rules.retain(|_| true);
        files.push(rule_file(
            &format!("Partners/Standard/copy {i}.json"),
            serde_json::to_value(&rule).unwrap(),
        ));
    }
    let err = plan(&set_of(&files), &snap).unwrap_err();
    let last = err.errors().last().unwrap().to_string();
    assert!(
        last.starts_with(
            "Partners/Standard/copy 4.json: layout: layout \"Standard\" already has 5 active rules"
        ),
        "{err}"
    );
    assert!(matches!(
        err,
        TransferError::Invalid { .. } | TransferError::Several(_)
    ));
}

/// The demo org as real Zoho answers: a rule's custom fields carry only api_name and id.
fn zoho_style() -> OrgSnapshot {
    let mut snap = snapshot();
    for rule in &mut snap.rules {
        for cf in &mut rule.custom_fields {
            cf.field_label = None;
            cf.reference_field = None;
        }
    }
    snap
}

#[test]
fn custom_fields_known_only_by_api_name_are_kept_but_cannot_be_created() {
    let snap = zoho_style();
    let files = files_of(&snap);
    let rel = path_of(&files, "Partner Referrals");
    let text = text_at(&files, &rel);
    // The label comes from the module's field list; the score it holds is unknown.
    assert!(text.contains(
        "{\n      \"field_label\": \"Partner Referral Score\",\n      \"reference_field\": null\n    }"
    ));
    assert!(plan(&set_of(&files), &snap).unwrap().is_noop());
    // Known on one side only is no difference either.
    assert!(plan(&set_of(&files), &snapshot()).unwrap().is_noop());
    assert_eq!(
        plan_error(&files, &other_org(false)),
        format!(
            "{rel}: custom_fields[0].reference_field: unknown: the org this was exported from did \
             not say which score the field holds, and a new field needs one; set it to one of \
             Positive_Score, Negative_Score, Touch_Point_Positive_Score, Touch_Point_Negative_Score, \
             Touch_Point_Score, Score"
        )
    );
}

/// Criteria another rule of the layout already has, as a set: DUPLICATE_DATA from Zoho, so
/// the plan refuses it, for a new rule and for an update, naming the rule it repeats.
#[test]
fn a_rule_repeating_another_rules_criteria_is_refused_before_sending() {
    let snap = snapshot();
    let mut files = files_of(&snap);
    let rel = path_of(&files, "Inbound Demand");
    let original = files.iter().find(|f| f.rel_path == rel).unwrap().clone();
    let mut copy: serde_json::Value = serde_json::from_str(&original.contents).unwrap();
    copy["name"] = json!("Inbound Again");
    // Scores and order do not make criteria different.
    copy["field_rules"].as_array_mut().unwrap().reverse();
    copy["field_rules"][0]["score"] = json!(1);
    files.push(rule_file("Leads/Standard/Inbound Again.json", copy));
    let err = plan_error(&files, &snap);
    assert!(
        err.starts_with(
            "Leads/Standard/Inbound Again.json: field_rules: rule \"Inbound Demand\" ("
        ),
        "{err}"
    );
    assert!(
        err.contains("in the same layout already has exactly these criteria"),
        "{err}"
    );

    // An update that gives a rule the criteria of another rule of its layout.
    let mut files = files_of(&snap);
    let source: serde_json::Value = serde_json::from_str(&original.contents).unwrap();
    let other = snap
        .rules
        .iter()
        .find(|r| {
            r.name != "Inbound Demand"
                && r.module.api_name == "Leads"
                && r.layout_id()
                    == snap
                        .rules
                        .iter()
                        .find(|x| x.name == "Inbound Demand")
                        .unwrap()
                        .layout_id()
        })
        .expect("another rule in Inbound Demand's layout");
    let other_rel = path_of(&files, &other.name);
    edit(&mut files, &other_rel, |v| {
        v["field_rules"] = source["field_rules"].clone();
    });
    let err = plan_error(&files, &snap);
    assert!(
        err.starts_with(&format!(
            "{other_rel}: field_rules: rule \"Inbound Demand\" ("
        )),
        "{err}"
    );
}
