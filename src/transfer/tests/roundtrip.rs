//! Export → read → plan against the same org does nothing; against an empty org it creates
//! every rule exactly as it was.

use serde_json::Value;

use super::*;
use crate::domain::validate::{self, Op, RuleContext};
use crate::domain::{Criteria, ScoringRule};
use crate::transfer::{SIDECAR, Step, read_dir};

#[test]
fn exporting_and_planning_against_the_same_org_changes_nothing() {
    let snap = snapshot();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &files_of(&snap));
    let set = read_dir(dir.path()).unwrap();
    assert_eq!(set.rules.len(), snap.rules.len());
    let p = plan(&set, &snap).unwrap();
    assert!(p.is_noop());
    assert_eq!(p.steps.len(), snap.rules.len());
    assert!(p.steps.iter().all(|s| matches!(s, Step::Unchanged { .. })));
    assert!(
        p.render()
            .ends_with("\n0 to create, 0 to update, 0 to delete, 18 unchanged\n"),
        "{}",
        p.render()
    );
}

#[test]
fn export_is_byte_for_byte_deterministic_whatever_the_api_order() {
    let snap = snapshot();
    let a = files_of(&snap);
    let mut reversed = snap.clone();
    reversed.rules.reverse();
    assert_eq!(a, files_of(&snap));
    assert_eq!(a, files_of(&reversed));
    let mut paths: Vec<&str> = a.iter().map(|f| f.rel_path.as_str()).collect();
    assert_eq!(paths.pop(), Some(SIDECAR));
    assert!(paths.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn files_look_as_documented() {
    let files = files_of(&snapshot());
    let rel = path_of(&files, "Partner Referrals");
    assert_eq!(rel, "Leads/Partner_Referral/Partner Referrals.json");
    let text = text_at(&files, &rel);
    assert!(text.starts_with("{\n  \"name\": \"Partner Referrals\",\n  \"description\": "));
    assert!(text.ends_with("\n}\n"));
    let keys = [
        "\"name\"",
        "\"description\"",
        "\"module\"",
        "\"layout\"",
        "\"active\"",
        "\"field_rules\"",
        "\"signal_rules\"",
        "\"custom_fields\"",
    ];
    let at: Vec<usize> = keys.iter().map(|k| text.find(k).unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "key order: {text}");
    assert!(text.contains("\"layout\": \"Partner_Referral\""));
    assert!(text.contains(
        "{\n      \"field_label\": \"Partner Referral Score\",\n      \"reference_field\": \"Score\"\n    }"
    ));
    for gone in ["\"id\"", "_time", "\"type\"", "api_name"] {
        assert!(!text.contains(gone), "{gone} in {text}");
    }
    // Layout-less rules live under _all, with layout null.
    let junk = path_of(&files, "Junk Filter");
    assert_eq!(junk, "Leads/_all/Junk Filter.json");
}

#[test]
fn the_sidecar_maps_each_file_to_its_rule() {
    let snap = snapshot();
    let files = files_of(&snap);
    let sidecar = &files.last().unwrap().contents;
    assert!(sidecar.ends_with("}\n"));
    let v: Value = serde_json::from_str(sidecar).unwrap();
    let m = v.as_object().unwrap();
    assert_eq!(m.len(), snap.rules.len());
    let rel = path_of(&files, "Inbound Demand");
    let rule = snap
        .rules
        .iter()
        .find(|r| r.name == "Inbound Demand")
        .unwrap();
    let entry = &m[&rel];
    assert_eq!(entry["rule_id"], rule.id.as_ref().unwrap().as_str());
    assert_eq!(
        entry["module_id"],
        rule.module.id.as_ref().unwrap().as_str()
    );
    assert_eq!(entry["layout_id"], rule.layout_id().unwrap().as_str());
    assert_eq!(entry["modified_time"], rule.modified_time.clone().unwrap());
    // Sorted keys, inside entries too.
    let keys: Vec<&str> = entry
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["layout_id", "modified_time", "module_id", "rule_id"]);
    let first = sidecar.find("\"layout_id\"").unwrap();
    assert!(first < sidecar.find("\"rule_id\"").unwrap());
}

/// A rule without what the org adds on its own: ids of the rule and its parts, times, users.
fn essence(mut r: ScoringRule) -> ScoringRule {
    fn strip(c: &mut Criteria) {
        match c {
            Criteria::Condition(cond) => {
                cond.field.id = None;
                cond.kind = cond.kind.take().filter(|k| k != "value");
            }
            Criteria::Group(g) => g.group.iter_mut().for_each(strip),
        }
    }
    r.id = None;
    r.created_time = None;
    r.modified_time = None;
    r.created_by = None;
    r.modified_by = None;
    r.has_signal_rules = None;
    if let Some(l) = &mut r.layout {
        l.display_label = None;
    }
    r.field_rules.iter_mut().for_each(|f| {
        f.id = None;
        strip(&mut f.criteria);
    });
    r.signal_rules.iter_mut().for_each(|s| s.id = None);
    r.custom_fields.iter_mut().for_each(|c| {
        c.id = None;
        c.api_name = None;
    });
    r
}

#[test]
fn into_an_org_without_rules_every_rule_is_created_as_it_was() {
    let snap = snapshot();
    let mut empty = snap.clone();
    empty.rules.clear();
    let p = plan(&set_of(&importable(files_of(&snap))), &empty).unwrap();
    assert_eq!(p.steps.len(), snap.rules.len() - 1);
    for step in &p.steps {
        let Step::Create { file, body } = step else {
            panic!("not a create: {step:?}");
        };
        let created = validate::parse_create(body).unwrap_or_else(|v| panic!("{file}: {v:?}"));
        let schema = empty.module(&created.module.api_name).unwrap();
        let ctx = RuleContext {
            edition: empty.edition,
            schema,
            signals: &empty.signals,
            others: &[],
        };
        let found = validate::check_rule(&created, &ctx, Op::Create);
        assert!(found.is_empty(), "{file}: {found:?}");
        let original = snap.rules.iter().find(|r| r.name == created.name).unwrap();
        assert_eq!(essence(created), essence(original.clone()), "{file}");
    }
    assert!(
        p.render()
            .ends_with("17 to create, 0 to update, 0 to delete, 0 unchanged\n")
    );
}

/// The whole demo export into an org without rules: the one rule holding a picklist value the
/// field no longer has is refused before anything is sent, naming the rule, the field, the
/// value, what the field takes and what to do.
#[test]
fn the_rule_with_a_removed_picklist_value_is_refused_up_front() {
    let snap = snapshot();
    let mut empty = snap.clone();
    empty.rules.clear();
    let err = plan(&set_of(&files_of(&snap)), &empty)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "{REMOVED_VALUE_RULE}: field_rules[0].criteria.value: rule \"Regional Focus\": \
             \"ANZ\" is not a value of Region (the field takes North America, EMEA, APAC, \
             LATAM); edit the value in this file to one of those, or remove the file to import \
             without this rule"
        )
    );
}

#[test]
fn a_plan_run_against_the_sandbox_rebuilds_every_rule() {
    let source = snapshot();
    let files = importable(files_of(&source));
    let mut org = sandbox();
    let ids: Vec<_> = org.rules.keys().cloned().collect();
    for id in ids {
        org.delete_rule(&id).unwrap();
    }
    let p = apply_and_recheck(&mut org, &files);
    assert_eq!(p.steps.len(), 17);
    // The rebuilt org exports to the same rule files (the sidecar differs: new ids).
    let again = files_of(&snapshot_of(&org));
    let rules = |f: &[ExportFile]| {
        f.iter()
            .filter(|x| x.rel_path != SIDECAR)
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(rules(&again), rules(&files));
}

#[test]
fn plans_against_the_sandbox_store_are_unchanged_too() {
    let mut org = sandbox();
    let files = files_of(&snapshot_of(&org));
    let p = apply_and_recheck(&mut org, &files);
    assert!(p.is_noop());
}

#[test]
fn only_the_chosen_modules_are_exported() {
    let snap = snapshot();
    let files = export(&snap, &["Deals".to_string(), "Partners".to_string()]).unwrap();
    let set = set_of(&files);
    assert_eq!(set.modules, ["Deals", "Partners"]);
    assert_eq!(set.rules.len(), 8);
    assert!(
        set.rules
            .iter()
            .all(|r| r.rel_path.starts_with("Deals/") || r.rel_path.starts_with("Partners/"))
    );
    // Rules of other modules are neither matched nor deleted.
    assert!(plan(&set, &snap).unwrap().is_noop());
    let err = export(&snap, &["Dealz".to_string()])
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("module \"Dealz\": no such module in this org (modules: Leads"),
        "{err}"
    );
}
