//! One rule file for `preview --file`: the export format and the API's JSON, with or without
//! ids, read as the same rule; errors name the file and the JSON path.

use serde_json::{Value, json};

use super::*;
use crate::transfer::read_rule;

fn api_of(snap: &OrgSnapshot, name: &str) -> Value {
    let rule = snap.rules.iter().find(|r| r.name == name).unwrap();
    serde_json::to_value(rule).unwrap()
}

/// What matters for scoring: the rule minus timestamps, authors and sub-item ids.
fn essence(rule: &ScoringRule) -> Value {
    let mut v = serde_json::to_value(rule).unwrap();
    let o = v.as_object_mut().unwrap();
    for k in [
        "created_time",
        "modified_time",
        "created_by",
        "modified_by",
        "has_signal_rules",
        "custom_fields",
    ] {
        o.remove(k);
    }
    for list in ["field_rules", "signal_rules"] {
        if let Some(items) = o.get_mut(list).and_then(Value::as_array_mut) {
            for item in items {
                item.as_object_mut().unwrap().remove("id");
            }
        }
    }
    if let Some(l) = o.get_mut("layout").and_then(Value::as_object_mut) {
        l.remove("display_label");
    }
    fn strip_field_ids(v: &mut Value) {
        match v {
            Value::Object(o) => {
                if let Some(f) = o.get_mut("field").and_then(Value::as_object_mut) {
                    f.remove("id");
                }
                // `value` is the default condition type: said or not, the same criterion.
                if o.get("type") == Some(&json!("value")) {
                    o.remove("type");
                }
                o.values_mut().for_each(strip_field_ids);
            }
            Value::Array(a) => a.iter_mut().for_each(strip_field_ids),
            _ => {}
        }
    }
    strip_field_ids(&mut v);
    v
}

use crate::domain::ScoringRule;

#[test]
fn an_exported_file_reads_as_the_org_rule_of_its_name() {
    let snap = snapshot();
    let files = files_of(&snap);
    let rel = path_of(&files, "Inbound Demand");
    let text = text_at(&files, &rel);
    let rule = read_rule(&rel, text, &snap).unwrap();
    let org = snap
        .rules
        .iter()
        .find(|r| r.name == "Inbound Demand")
        .unwrap();
    assert_eq!(rule.id, org.id, "previewed as an edit of the rule it names");
    assert_eq!(essence(&rule), essence(org));

    let mut renamed: Value = serde_json::from_str(text).unwrap();
    renamed["name"] = json!("Inbound Demand v2");
    let draft = read_rule(&rel, &renamed.to_string(), &snap).unwrap();
    assert_eq!(draft.id, None, "a name the org lacks is a new rule");
}

#[test]
fn the_apis_json_reads_with_ids_without_them_and_in_its_envelope() {
    let snap = snapshot();
    let with_ids = api_of(&snap, "Inbound Demand");
    let org = snap
        .rules
        .iter()
        .find(|r| r.name == "Inbound Demand")
        .unwrap();
    let rule = read_rule("draft.json", &with_ids.to_string(), &snap).unwrap();
    assert_eq!(&rule, org);

    let mut bare = with_ids.clone();
    let o = bare.as_object_mut().unwrap();
    o.remove("id");
    o["layout"] = json!({"api_name": "Standard"});
    o["module"] = json!({"api_name": "Leads"});
    for sr in o["signal_rules"].as_array_mut().into_iter().flatten() {
        sr["signal"].as_object_mut().unwrap().remove("id");
    }
    let rule = read_rule(
        "draft.json",
        &json!({"scoring_rules": [bare]}).to_string(),
        &snap,
    )
    .unwrap();
    assert_eq!(rule.id, None);
    assert_eq!(
        rule.layout.as_ref().map(|l| &l.id),
        org.layout.as_ref().map(|l| &l.id)
    );
    assert_eq!(rule.field_rules, org.field_rules);
    let signals: Vec<_> = rule
        .signal_rules
        .iter()
        .map(|s| (&s.signal.id, s.score))
        .collect();
    let expected: Vec<_> = org
        .signal_rules
        .iter()
        .map(|s| (&s.signal.id, s.score))
        .collect();
    assert_eq!(signals, expected);
}

#[test]
fn errors_name_the_file_and_the_json_path() {
    let snap = snapshot();
    let files = files_of(&snap);
    let rel = path_of(&files, "Inbound Demand");
    let mut export: Value = serde_json::from_str(text_at(&files, &rel)).unwrap();
    export["field_rules"][0]["score"] = json!("ten");
    let err = read_rule("mine.json", &export.to_string(), &snap)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("mine.json") && err.contains("field_rules[0].score"),
        "{err}"
    );

    let mut api = api_of(&snap, "Inbound Demand");
    api["layout"] = json!({"api_name": "Nowhere"});
    let err = read_rule(
        "api.json",
        &json!({"scoring_rules": [api]}).to_string(),
        &snap,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("api.json") && err.contains("scoring_rules[0].layout"),
        "{err}"
    );
    assert!(err.contains("no layout \"Nowhere\" in Leads"), "{err}");

    let mut api = api_of(&snap, "Inbound Demand");
    api["field_rules"][1]["criteria"] = json!({"field": {"api_name": "Lead_Source"}});
    let err = read_rule("api.json", &api.to_string(), &snap)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("api.json") && err.contains("field_rules[1].criteria"),
        "{err}"
    );

    let err = read_rule(
        "two.json",
        &json!({"scoring_rules": [{}, {}]}).to_string(),
        &snap,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("two.json") && err.contains("holds 2 rules"),
        "{err}"
    );
}
