//! Rules opened as text and read back (`edit`): as opened → nothing; a bad text → errors with
//! the line and column; a valid one → the plan that the sandbox applies to what the text says.

use serde_json::{Value, json};

use super::*;
use crate::transfer::edit::{Edited, EditedRule, open, read_rule_text, rule_text};

fn edited(text: &str, change: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(text).unwrap();
    change(&mut v);
    serde_json::to_string_pretty(&v).unwrap()
}

/// The first condition's field in a (nested) criteria.
fn first_field(c: &mut Value) -> &mut Value {
    if c.get("field").is_some() {
        return &mut c["field"];
    }
    first_field(&mut c["group"][0])
}

#[test]
fn one_rule_opens_as_its_export_file() {
    let snap = snapshot_of(&sandbox());
    let files = files_of(&snap);
    let rel = path_of(&files, "Enterprise Fit");
    let id = id_of(&sandbox(), "Enterprise Fit");
    let text = open(&snap, std::slice::from_ref(&id)).unwrap();
    let file = files.iter().find(|f| f.rel_path == rel).unwrap();
    assert_eq!(text.text, file.contents);
    assert_eq!(text.ids(), [id]);
}

#[test]
fn the_text_as_opened_sends_nothing() {
    let snap = snapshot_of(&sandbox());
    let id = id_of(&sandbox(), "Enterprise Fit");
    let text = open(&snap, &[id]).unwrap();
    assert_eq!(text.read(&text.text, &snap), Ok(Edited::Unchanged));
    // Reformatted but meaning the same: still nothing to send.
    let same = edited(&text.text, |_| {});
    assert_ne!(same, text.text);
    assert_eq!(text.read(&same, &snap), Ok(Edited::Unchanged));
}

#[test]
fn a_syntax_error_names_its_line_and_column() {
    let snap = snapshot_of(&sandbox());
    let text = open(&snap, &[id_of(&sandbox(), "Enterprise Fit")]).unwrap();
    // A comma dropped at the end of line 3.
    let mut lines: Vec<&str> = text.text.lines().collect();
    let third = lines[2].trim_end_matches(',').to_string();
    lines[2] = &third;
    let bad = lines.join("\n");
    let errs = text.read(&bad, &snap).unwrap_err();
    assert_eq!(errs.0.len(), 1, "{errs}");
    assert!(errs.0[0].starts_with("the edited rule: "), "{errs}");
    assert!(errs.0[0].contains("(line 4, column"), "{errs}");
}

#[test]
fn a_wrong_value_names_its_path_and_line() {
    let snap = snapshot_of(&sandbox());
    let text = open(&snap, &[id_of(&sandbox(), "Enterprise Fit")]).unwrap();
    let bad = text
        .text
        .replacen("\"score\": ", "\"score\": \"many\", \"x\": ", 1);
    let errs = text.read(&bad, &snap).unwrap_err();
    assert!(errs.0[0].contains("field_rules[0].score"), "{errs}");
    assert!(errs.0[0].contains("line "), "{errs}");
}

#[test]
fn an_unknown_field_is_refused_naming_the_rule_and_path() {
    let snap = snapshot_of(&sandbox());
    let text = open(&snap, &[id_of(&sandbox(), "Enterprise Fit")]).unwrap();
    let bad = edited(&text.text, |v| {
        *first_field(&mut v["field_rules"][0]["criteria"]) = json!("No_Such_Field")
    });
    let errs = text.read(&bad, &snap).unwrap_err();
    assert!(
        errs.0.iter().any(
            |e| e.starts_with("the edited rule: field_rules[0]") && e.contains("No_Such_Field")
        ),
        "{errs}"
    );
}

#[test]
fn a_valid_edit_plans_one_update_that_the_sandbox_applies() {
    let mut org = sandbox();
    let snap = snapshot_of(&org);
    let id = id_of(&org, "Enterprise Fit");
    let text = open(&snap, std::slice::from_ref(&id)).unwrap();
    let new = edited(&text.text, |v| {
        v["name"] = json!("Enterprise Fit 2");
        v["field_rules"][0]["score"] = json!(42);
    });
    let Edited::Planned(p) = text.read(&new, &snap).unwrap() else {
        panic!("nothing planned")
    };
    let Step::Update { rule_id, .. } = only_step(&p.plan) else {
        panic!("{p:?}")
    };
    assert_eq!(rule_id, &id);
    let [EditedRule { before, after }] = p.rules.as_slice() else {
        panic!("{:?}", p.rules)
    };
    assert_eq!(before.name, "Enterprise Fit");
    assert_eq!(after.name, "Enterprise Fit 2");
    assert_eq!(after.field_rules[0].score, 42);
    execute(&mut org, &p.plan);
    // The org now says what the text said: opened again, it is the edited text.
    let again = open(&snapshot_of(&org), &[id]).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&again.text).unwrap(),
        serde_json::from_str::<Value>(&new).unwrap()
    );
}

#[test]
fn several_rules_open_as_a_list_and_plan_each() {
    let mut org = sandbox();
    let snap = snapshot_of(&org);
    let a = id_of(&org, "Enterprise Fit");
    let b = id_of(&org, "Inbound Demand");
    let text = open(&snap, &[a.clone(), b.clone(), a.clone()]).unwrap();
    assert_eq!(text.ids(), [a.clone(), b.clone()]);
    let list: Vec<Value> = serde_json::from_str(&text.text).unwrap();
    assert_eq!(list[0]["name"], "Enterprise Fit");
    assert_eq!(list[1]["name"], "Inbound Demand");
    let new = edited(&text.text, |v| {
        v[0]["description"] = json!("edited one");
        v[1]["active"] = json!(false);
    });
    let Edited::Planned(p) = text.read(&new, &snap).unwrap() else {
        panic!("nothing planned")
    };
    assert_eq!(active_steps(&p.plan).len(), 2, "{}", p.plan.render());
    execute(&mut org, &p.plan);
    assert_eq!(org.rules[&a].description.as_deref(), Some("edited one"));
    assert!(!org.rules[&b].active);
    // An entry dropped is refused, not read as a delete.
    let fewer = edited(&text.text, |v| {
        v.as_array_mut().unwrap().pop();
    });
    let errs = text.read(&fewer, &snap).unwrap_err();
    assert!(errs.0[0].contains("holds 1 rules; 2 were opened"), "{errs}");
    // Errors name the rule by its place in the list.
    let bad = edited(&text.text, |v| v[1]["layout"] = json!("Nowhere"));
    let errs = text.read(&bad, &snap).unwrap_err();
    assert!(
        errs.0
            .iter()
            .any(|e| e.starts_with("rule 2 (\"Inbound Demand\")")),
        "{errs}"
    );
}

#[test]
fn a_new_layout_recreates_the_rule_there() {
    let snap = snapshot_of(&sandbox());
    let rule = snap
        .rules
        .iter()
        .find(|r| r.name == "Enterprise Fit")
        .unwrap();
    let id = rule.id.clone().unwrap();
    let module = snap.module(&rule.module.api_name).unwrap();
    let other = module
        .layouts
        .iter()
        .find(|l| Some(&l.id) != rule.layout_id())
        .unwrap()
        .api_name()
        .to_string();
    let text = open(&snap, std::slice::from_ref(&id)).unwrap();
    let new = edited(&text.text, |v| v["layout"] = json!(other));
    let Edited::Planned(p) = text.read(&new, &snap).unwrap() else {
        panic!("nothing planned")
    };
    let Step::Recreate { old_rule_id, .. } = only_step(&p.plan) else {
        panic!("{}", p.plan.render())
    };
    assert_eq!(old_rule_id, &id);
    // Another module is refused.
    let moved = edited(&text.text, |v| v["module"] = json!("Contacts"));
    let errs = text.read(&moved, &snap).unwrap_err();
    assert!(
        errs.0[0].contains("cannot move to another module"),
        "{errs}"
    );
}

#[test]
fn a_draft_rule_reads_back_as_a_rule_or_nothing() {
    let snap = snapshot_of(&sandbox());
    let rule = snap
        .rules
        .iter()
        .find(|r| r.name == "Enterprise Fit")
        .unwrap();
    let text = rule_text(rule, &snap).unwrap();
    assert_eq!(read_rule_text(&text, &text, &snap), Ok(None));
    let new = edited(&text, |v| v["field_rules"][0]["score"] = json!(7));
    let after = read_rule_text(&text, &new, &snap).unwrap().unwrap();
    assert_eq!(after.field_rules[0].score, 7);
    assert_eq!(after.id, rule.id);
    let errs = read_rule_text(&text, "{\n  \"name\": 3\n}", &snap).unwrap_err();
    assert!(
        errs.0[0].contains("name") && errs.0[0].contains("line 2"),
        "{errs}"
    );
}
