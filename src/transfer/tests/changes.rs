//! Edited files against the org they came from: the right steps, changes and bodies, and
//! bodies that the sandbox applies to exactly what the files say.

use serde_json::{Value, json};

use super::*;
use crate::transfer::Step;

#[test]
fn a_changed_score_replaces_the_field_rules() {
    let mut org = sandbox();
    let mut files = files_of(&snapshot_of(&org));
    let rel = path_of(&files, "Inbound Demand");
    edit(&mut files, &rel, |v| {
        v["field_rules"][1]["score"] = json!(35)
    });
    let rule = org.rules[&id_of(&org, "Inbound Demand")].clone();
    let p = apply_and_recheck(&mut org, &files);
    let Step::Update {
        file,
        rule_id,
        body,
        changes,
        activate,
    } = only_step(&p)
    else {
        panic!("{p:?}")
    };
    assert_eq!(file, &rel);
    assert_eq!(rule_id, rule.id.as_ref().unwrap());
    assert_eq!(changes, &[change("field_rules[1].score", "30", "35")]);
    assert_eq!(*activate, None);
    let items = body["field_rules"].as_array().unwrap();
    assert_eq!(items.len(), 6);
    for (old, item) in rule.field_rules.iter().zip(items) {
        assert_eq!(item, &json!({"id": old.id, "_delete": null}));
    }
    assert_eq!(items[4]["score"], 35);
    assert_eq!(
        items[4]["criteria"]["group"][0]["field"]["api_name"],
        "Annual_Revenue"
    );
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["field_rules", "id"]);
}

#[test]
fn a_changed_description_is_sent_alone() {
    let mut org = sandbox();
    let mut files = files_of(&snapshot_of(&org));
    let rel = path_of(&files, "Enterprise Fit");
    edit(&mut files, &rel, |v| {
        v["description"] = json!("Who we win with.")
    });
    let id = id_of(&org, "Enterprise Fit");
    let p = apply_and_recheck(&mut org, &files);
    let Step::Update { body, changes, .. } = only_step(&p) else {
        panic!()
    };
    assert_eq!(body, &json!({"id": id, "description": "Who we win with."}));
    assert_eq!(
        changes,
        &[change(
            "description",
            "\"Industries we win in, or a US executive.\"",
            "\"Who we win with.\""
        )]
    );
    assert!(p.render().contains(
        "~   update    Leads/Standard/Enterprise Fit.json\n      description: \"Industries we win in, or a US executive.\" → \"Who we win with.\"\n"
    ), "{}", p.render());
}

#[test]
fn an_added_condition_changes_that_criteria() {
    let mut org = sandbox();
    let mut files = files_of(&snapshot_of(&org));
    let rel = path_of(&files, "Enterprise Fit");
    edit(&mut files, &rel, |v| {
        let old = v["field_rules"][1]["criteria"].take();
        v["field_rules"][1]["criteria"] = json!({"group_operator": "AND", "group": [
            old, {"field": "Country", "comparator": "equal", "value": "India"}
        ]});
    });
    let p = apply_and_recheck(&mut org, &files);
    let Step::Update { changes, body, .. } = only_step(&p) else {
        panic!()
    };
    assert_eq!(
        changes,
        &[change(
            "field_rules[1].criteria",
            "Rating = \"Active\"",
            "Rating = \"Active\" AND Country = \"India\""
        )]
    );
    assert!(body.get("signal_rules").is_none() && body.get("custom_fields").is_none());
}

#[test]
fn flipping_active_goes_through_the_activate_endpoints() {
    let mut org = sandbox();
    let mut files = files_of(&snapshot_of(&org));
    let on = path_of(&files, "Stale Lead Decay");
    let off = path_of(&files, "Junk Filter");
    edit(&mut files, &on, |v| v["active"] = json!(true));
    edit(&mut files, &off, |v| v["active"] = json!(false));
    let p = apply_and_recheck(&mut org, &files);
    let steps = active_steps(&p);
    // Deactivations run first, so they can make room for activations.
    let Step::Update {
        file,
        body,
        activate,
        changes,
        ..
    } = steps[0]
    else {
        panic!()
    };
    assert_eq!((file, *activate), (&off, Some(false)));
    assert_eq!(body.as_object().unwrap().len(), 1, "only the id: {body}");
    assert_eq!(changes, &[change("active", "true", "false")]);
    let Step::Update { file, activate, .. } = steps[1] else {
        panic!()
    };
    assert_eq!((file, *activate), (&on, Some(true)));
    assert!(!org.rules[&id_of(&org, "Junk Filter")].active);
}

#[test]
fn moving_a_rule_to_another_layout_recreates_it() {
    let mut org = sandbox();
    let mut files = files_of(&snapshot_of(&org));
    let from = path_of(&files, "Enterprise Fit");
    let to = "Leads/_all/Enterprise Fit.json";
    rename(&mut files, &from, to);
    edit(&mut files, to, |v| v["layout"] = Value::Null);
    let old = id_of(&org, "Enterprise Fit");
    let p = apply_and_recheck(&mut org, &files);
    let Step::Recreate {
        file,
        old_rule_id,
        body,
        changes,
    } = only_step(&p)
    else {
        panic!("{}", p.render())
    };
    assert_eq!((file.as_str(), old_rule_id), (to, &old));
    assert!(body.get("layout").is_none());
    assert_eq!(
        changes,
        &[change("layout", "\"Standard\"", "null (every layout)")]
    );
    assert!(p.render().contains("1 to recreate, "));
    assert!(org.rules[&id_of(&org, "Enterprise Fit")].layout.is_none());
}

#[test]
fn recreating_a_rule_with_custom_fields_warns_that_their_values_go() {
    let mut files = files_of(&snapshot());
    let from = path_of(&files, "Partner Referrals");
    let to = "Leads/_all/Partner Referrals.json";
    rename(&mut files, &from, to);
    edit(&mut files, to, |v| v["layout"] = Value::Null);
    let p = plan(&set_of(&files), &snapshot()).unwrap();
    let last = only_step(&p).changes().last().unwrap();
    assert_eq!(last.path, "custom_fields");
    assert!(last.after.contains("values are lost"));
}

#[test]
fn with_the_sidecar_a_renamed_rule_is_updated_and_without_it_replaced() {
    let mut org = sandbox();
    let mut files = files_of(&snapshot_of(&org));
    let rel = path_of(&files, "Inbound Demand");
    edit(&mut files, &rel, |v| v["name"] = json!("Inbound v2"));
    let p = plan(&set_of(&files), &snapshot_of(&org)).unwrap();
    let Step::Update { body, changes, .. } = only_step(&p) else {
        panic!()
    };
    assert_eq!(body["name"], "Inbound v2");
    assert_eq!(
        changes,
        &[change("name", "\"Inbound Demand\"", "\"Inbound v2\"")]
    );

    files.retain(|f| f.rel_path != crate::transfer::SIDECAR);
    let p = apply_and_recheck(&mut org, &files);
    let kinds: Vec<&str> = active_steps(&p)
        .iter()
        .map(|s| match s {
            Step::Delete { .. } => "delete",
            Step::Create { .. } => "create",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["delete", "create"]);
}

#[test]
fn names_match_ignoring_case_and_a_case_change_is_a_rename() {
    let mut org = sandbox();
    let mut files = files_of(&snapshot_of(&org));
    files.retain(|f| f.rel_path != crate::transfer::SIDECAR);
    let rel = path_of(&files, "Inbound Demand");
    edit(&mut files, &rel, |v| v["name"] = json!("INBOUND demand"));
    let p = apply_and_recheck(&mut org, &files);
    assert!(matches!(only_step(&p), Step::Update { body, .. } if body["name"] == "INBOUND demand"));
}

/// Leads/Standard and Accounts' only layout left as exported, Stale Lead Decay's file gone from
/// Leads/Standard, an empty Deals/ directory and an empty Contacts/Standard/ directory.
fn partial_export(org: &Org) -> ExportSet {
    let files = files_of(&snapshot_of(org));
    let dir = tempfile::tempdir().unwrap();
    let kept: Vec<ExportFile> = files
        .iter()
        .filter(|f| {
            f.rel_path.starts_with("Leads/Standard/") || f.rel_path.starts_with("Accounts/")
        })
        .filter(|f| !f.rel_path.ends_with("/Stale Lead Decay.json"))
        .cloned()
        .collect();
    write(dir.path(), &kept);
    std::fs::create_dir(dir.path().join("Deals")).unwrap();
    std::fs::create_dir_all(dir.path().join("Contacts/Standard")).unwrap();
    crate::transfer::read_dir(dir.path()).unwrap()
}

fn module_and_name(s: &Step) -> (&str, &str) {
    match s {
        Step::Delete { name, module, .. } => (module.as_str(), name.as_str()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn without_prune_rules_without_a_file_are_kept_and_listed() {
    let org = sandbox();
    let set = partial_export(&org);
    let p = plan(&set, &snapshot_of(&org)).unwrap();
    assert!(p.is_noop(), "{}", p.render());
    let kept: Vec<(&str, &str, &str)> = p
        .kept
        .iter()
        .map(|k| (k.module.as_str(), k.layout_dir.as_str(), k.name.as_str()))
        .collect();
    // Leads rules of other layouts, and every Deals rule, are not the directory's business.
    let contacts: Vec<&str> = org
        .rules
        .values()
        .filter(|r| {
            r.module.api_name == "Contacts"
                && r.layout.as_ref().and_then(|l| l.api_name.as_deref()) == Some("Standard")
        })
        .map(|r| r.name.as_str())
        .collect();
    let mut expected: Vec<(&str, &str, &str)> = contacts
        .iter()
        .map(|n| ("Contacts", "Standard", *n))
        .collect();
    expected.push(("Leads", "Standard", "Stale Lead Decay"));
    expected.sort();
    let mut kept_sorted = kept.clone();
    kept_sorted.sort();
    assert_eq!(kept_sorted, expected);
    let text = p.render();
    assert!(
        text.contains("kept (no file for them; --prune would delete them):\n"),
        "{text}"
    );
    assert!(
        text.contains("    Leads rule \"Stale Lead Decay\" (id "),
        "{text}"
    );
    assert!(text.contains(") in Leads/Standard/\n"), "{text}");
    assert!(
        text.ends_with(&format!(
            " to delete, {} unchanged, {} kept without a file\n",
            set.rules.len(),
            expected.len()
        )),
        "{text}"
    );
}

#[test]
fn with_prune_rules_without_a_file_are_deleted_only_in_layouts_the_directory_holds() {
    let mut org = sandbox();
    let set = partial_export(&org);
    let p = plan_with(&set, &snapshot_of(&org), PlanOptions { prune: true }).unwrap();
    assert!(p.kept.is_empty());
    let mut deleted: Vec<(&str, &str)> =
        active_steps(&p).into_iter().map(module_and_name).collect();
    deleted.sort();
    let mut expected: Vec<(&str, &str)> = org
        .rules
        .values()
        .filter(|r| {
            r.module.api_name == "Contacts"
                && r.layout.as_ref().and_then(|l| l.api_name.as_deref()) == Some("Standard")
        })
        .map(|r| ("Contacts", r.name.as_str()))
        .collect();
    expected.push(("Leads", "Stale Lead Decay"));
    expected.sort();
    assert_eq!(deleted, expected);
    let text = p.render();
    assert!(
        text.contains("-   delete    Leads rule \"Stale Lead Decay\" (id "),
        "{text}"
    );
    let deals = org
        .rules
        .values()
        .filter(|r| r.module.api_name == "Deals")
        .count();
    let other_leads = org
        .rules
        .values()
        .filter(|r| {
            r.module.api_name == "Leads"
                && r.layout.as_ref().and_then(|l| l.api_name.as_deref()) != Some("Standard")
        })
        .count();
    execute(&mut org, &p);
    assert_eq!(
        org.rules
            .values()
            .filter(|r| r.module.api_name == "Deals")
            .count(),
        deals,
        "an empty module directory deletes nothing"
    );
    assert_eq!(
        org.rules
            .values()
            .filter(|r| r.module.api_name == "Leads"
                && r.layout.as_ref().and_then(|l| l.api_name.as_deref()) != Some("Standard"))
            .count(),
        other_leads,
        "other layouts are left alone"
    );
    assert!(!org.rules.values().any(|r| r.name == "Stale Lead Decay"));
}

#[test]
fn a_mixed_plan_renders_one_line_per_step() {
    let org = sandbox();
    let snap = snapshot_of(&org);
    let mut files = export(&snap, &["Deals".to_string()]).unwrap();
    let renewal = path_of(&files, "Renewal Watch");
    files.retain(|f| f.rel_path != renewal);
    let pipeline = path_of(&files, "Pipeline Priority");
    edit(&mut files, &pipeline, |v| {
        v["field_rules"][0]["score"] = json!(11);
        v["active"] = json!(false);
    });
    files.push(ExportFile {
        rel_path: "Deals/_all/Big deals.json".into(),
        contents: r#"{"name": "Big deals", "module": "Deals", "field_rules": [{"score": 10,
            "criteria": {"field": "Amount", "comparator": "greater_than", "value": 100000}}]}"#
            .into(),
    });
    // Its layout directory stays, emptied, as deleting the file leaves it.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &files);
    std::fs::create_dir_all(dir.path().join(renewal.rsplit_once('/').unwrap().0)).unwrap();
    let set = crate::transfer::read_dir(dir.path()).unwrap();
    let p = plan_with(&set, &snap, PlanOptions { prune: true }).unwrap();
    let renewal_id = id_of(&org, "Renewal Watch");
    let before = snap
        .rules
        .iter()
        .find(|r| r.name == "Pipeline Priority")
        .unwrap()
        .field_rules[0]
        .score;
    assert_eq!(
        p.render(),
        format!(
            "~   update    Deals/Standard/Pipeline Priority.json\n\
             \x20     active: true → false\n\
             \x20     field_rules[0].score: {before} → 11\n\
             +   create    Deals/_all/Big deals.json\n\
             \n\
             deleted (--prune: org rules of these layouts without a file):\n\
             -   delete    Deals rule \"Renewal Watch\" (id {renewal_id}): no file for it\n\
             \n\
             1 to create, 1 to update, 1 to delete, 0 unchanged\n"
        )
    );
    assert!(!p.is_noop());
}
