//! Rules changed in the org since the export: which plan steps are stale, and the refusal.

use serde_json::json;

use super::*;
use crate::transfer::{stale_refusal, stale_rules};

#[test]
fn an_edit_over_a_rule_changed_since_the_export_is_stale() {
    let mut org = sandbox();
    let mut files = files_of(&snapshot_of(&org));
    // "Enterprise Fit" was never modified (no modified_time): its first change counts too.
    for name in ["Enterprise Fit", "Inbound Demand"] {
        let rel = path_of(&files, name);
        edit(&mut files, &rel, |v| v["description"] = json!("mine"));
        let id = id_of(&org, name);
        org.update_rule(
            &id,
            &json!({"name": format!("{name} 2")}),
            now() + chrono::Duration::days(1),
        )
        .unwrap();
    }
    let untouched = path_of(&files, "Stale Lead Decay");
    edit(&mut files, &untouched, |v| v["description"] = json!("mine"));

    let set = set_of(&files);
    let snap = snapshot_of(&org);
    let p = plan(&set, &snap).unwrap();
    let stale = stale_rules(&set, &p, &snap);
    let names: Vec<&str> = stale.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Enterprise Fit 2", "Inbound Demand 2"]);
    assert_eq!(stale[0].exported_modified_time, None);
    assert!(stale[1].exported_modified_time.is_some());
    assert!(stale[0].would.contains("name") && stale[0].would.contains("description"));

    let text = stale_refusal(&stale, "sandbox");
    assert!(
        text.starts_with("refusing to import: 2 rule(s) changed in sandbox"),
        "{text}"
    );
    assert!(
        text.contains("never modified") && text.contains("--force"),
        "{text}"
    );
    assert!(!text.contains("Stale Lead Decay"), "{text}");
}

#[test]
fn an_import_into_another_org_or_of_unchanged_files_is_never_stale() {
    let org = sandbox();
    let files = files_of(&snapshot_of(&org));
    let set = set_of(&files);
    let snap = snapshot_of(&org);
    let p = plan(&set, &snap).unwrap();
    assert!(stale_rules(&set, &p, &snap).is_empty());

    // Without the sidecar (another org's rules matched by name) there is no base to compare.
    let mut other = sandbox();
    let id = id_of(&other, "Inbound Demand");
    other
        .update_rule(
            &id,
            &json!({"description": "theirs"}),
            now() + chrono::Duration::days(1),
        )
        .unwrap();
    let no_sidecar: Vec<ExportFile> = files
        .into_iter()
        .filter(|f| f.rel_path != crate::transfer::SIDECAR)
        .collect();
    let set = set_of(&no_sidecar);
    let snap = snapshot_of(&other);
    let p = plan(&set, &snap).unwrap();
    assert!(!p.is_noop());
    assert!(stale_rules(&set, &p, &snap).is_empty());
}

#[test]
fn a_rule_created_after_the_export_under_the_same_id_is_another_rule() {
    let org = sandbox();
    let mut files = files_of(&snapshot_of(&org));
    let rel = path_of(&files, "Inbound Demand");
    edit(&mut files, &rel, |v| v["description"] = json!("mine"));
    let set = set_of(&files);
    let mut snap = snapshot_of(&org);
    let id = id_of(&org, "Inbound Demand");
    let rule = snap
        .rules
        .iter_mut()
        .find(|r| r.id.as_ref() == Some(&id))
        .unwrap();
    rule.created_time = Some("2027-01-01T00:00:00+00:00".into());
    rule.modified_time = Some("2027-01-01T00:00:00+00:00".into());
    let p = plan(&set, &snap).unwrap();
    assert!(stale_rules(&set, &p, &snap).is_empty());
}
