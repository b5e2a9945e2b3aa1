use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};

use super::*;
use crate::domain::operand::{comparators_for, parse_operand};
use crate::domain::{Condition, Criteria, DataType, Field, FieldValue, Record};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 14, 9, 26, 53).unwrap()
}

fn seed() -> SeedOrg {
    load_embedded(now()).unwrap()
}

fn module<'a>(org: &'a SeedOrg, api_name: &str) -> &'a ModuleSchema {
    org.modules
        .iter()
        .find(|m| m.module.api_name == api_name)
        .unwrap()
}

/// FNV-1a over every record's id, values and signals: a cheap fingerprint for determinism.
fn checksum(records: &BTreeMap<String, Vec<Record>>) -> u64 {
    let mut text = String::new();
    for (module, recs) in records {
        text.push_str(module);
        for r in recs {
            text.push_str(&format!("{}|{:?}|{:?}\n", r.id, r.values, r.signals));
        }
    }
    rng::fnv1a(&text)
}

#[test]
fn embedded_seed_loads_and_is_deterministic() {
    let a = seed();
    let b = seed();
    assert_eq!(checksum(&a.records), checksum(&b.records));
    assert_eq!(a.next_id, b.next_id);
    let ids = |o: &SeedOrg| -> Vec<String> {
        let mut v: Vec<String> = o.modules.iter().map(|m| m.module.id.to_string()).collect();
        v.extend(o.rules.iter().map(|r| r.id.clone().unwrap().to_string()));
        v.extend(o.users.iter().map(|u| u.id.to_string()));
        v
    };
    assert_eq!(ids(&a), ids(&b));
    assert_eq!(a, b);

    // A different `now` moves the dates but keeps the ids.
    let later = load_embedded(now() + chrono::Duration::days(3)).unwrap();
    assert_eq!(ids(&a), ids(&later));
    assert_ne!(checksum(&a.records), checksum(&later.records));
}

#[test]
fn org_and_users_look_like_zoho() {
    let o = seed();
    for key in [
        "id",
        "company_name",
        "domain_name",
        "time_zone",
        "currency",
        "iso_code",
        "country_code",
        "primary_zuid",
        "zgid",
    ] {
        assert!(o.org.get(key).is_some(), "org.{key}");
    }
    assert_eq!(o.org["type"], "production");
    assert_eq!(o.org["max_per_page"], 200);
    let lic = &o.org["license_details"];
    for key in [
        "paid",
        "paid_type",
        "paid_expiry",
        "trial_type",
        "trial_expiry",
        "trial_action",
        "users_license_purchased",
        "portal_users_license_purchased",
    ] {
        assert!(lic.get(key).is_some(), "license_details.{key}");
    }
    assert!(
        lic["paid_expiry"]
            .as_str()
            .unwrap()
            .starts_with("2027-03-14T")
    );
    assert!((4..=6).contains(&o.users.len()));
    assert_eq!(o.users[0].profile.1, "Administrator");
    assert_eq!(o.org["primary_zuid"], o.users[0].zuid.as_str());
}

#[test]
fn ids_are_unique_19_digit_and_below_next_id() {
    let o = seed();
    let mut all: Vec<Id> = vec![Id::parse(o.org["id"].as_str().unwrap()).unwrap()];
    for u in &o.users {
        all.extend([u.id.clone(), u.role.0.clone(), u.profile.0.clone()]);
    }
    for s in &o.signals {
        all.push(s.id.clone());
    }
    // Extensions are shared by several signals; count each once.
    let ext: HashSet<Id> = o
        .signals
        .iter()
        .map(|s| s.extension.as_ref().unwrap().id.clone())
        .collect();
    all.extend(ext);
    let roles: HashSet<Id> = o.users.iter().map(|u| u.role.0.clone()).collect();
    let profiles: HashSet<Id> = o.users.iter().map(|u| u.profile.0.clone()).collect();
    for m in &o.modules {
        all.push(m.module.id.clone());
        for f in &m.fields {
            all.push(f.id.clone());
            all.extend(f.pick_list_values.iter().map(|p| p.id.clone().unwrap()));
        }
        for l in &m.layouts {
            all.push(l.id.clone());
            all.extend(l.sections.iter().map(|s| s.id.clone().unwrap()));
        }
    }
    for r in &o.rules {
        all.push(r.id.clone().unwrap());
        all.extend(r.field_rules.iter().map(|f| f.id.clone().unwrap()));
        all.extend(r.signal_rules.iter().map(|s| s.id.clone().unwrap()));
    }
    for recs in o.records.values() {
        all.extend(recs.iter().map(|r| r.id.clone()));
    }
    // Users share roles and profiles, so those were pushed more than once above.
    let mut seen = HashSet::new();
    let shared: HashSet<&Id> = roles.iter().chain(&profiles).collect();
    for id in &all {
        assert_eq!(id.as_str().len(), 19, "{id}");
        assert!(id.as_str().starts_with("5843104000000"), "{id}");
        assert!(id.as_u64().unwrap() < o.next_id, "{id} ≥ next_id");
        assert!(
            seen.insert(id.clone()) || shared.contains(id),
            "duplicate id {id}"
        );
    }
    assert!(o.next_id.to_string().len() == 19);
}

#[test]
fn modules_fields_and_layouts_have_the_required_shape() {
    let o = seed();
    let names: Vec<&str> = o
        .modules
        .iter()
        .map(|m| m.module.api_name.as_str())
        .collect();
    assert_eq!(
        names,
        ["Leads", "Contacts", "Accounts", "Deals", "Partners"]
    );
    assert_eq!(
        module(&o, "Partners").module.generated_type.as_deref(),
        Some("custom")
    );
    let mut types_seen = HashSet::new();
    for m in &o.modules {
        let md = &m.module;
        assert_eq!(md.scoring_supported, Some(true));
        assert_eq!(md.status.as_deref(), Some("visible"));
        assert!(
            md.module_name.is_some() && md.singular_label.is_some() && md.plural_label.is_some()
        );
        assert!((2..=4).contains(&m.layouts.len()), "{}", md.api_name);
        let mut ids = HashSet::new();
        let mut api = HashSet::new();
        for f in &m.fields {
            assert!(ids.insert(f.id.clone()) && api.insert(f.api_name.clone()));
            types_seen.insert(f.data_type.as_str().to_string());
            if matches!(
                f.data_type,
                DataType::Picklist | DataType::Multiselectpicklist
            ) {
                for p in &f.pick_list_values {
                    assert!(p.id.is_some() && p.sequence_number.is_some());
                    assert_eq!(p.kind.as_deref(), Some("used"));
                }
            }
            if f.data_type == DataType::Formula {
                assert!(f.formula.as_ref().unwrap().return_type.is_some());
            }
            if f.data_type == DataType::RollupSummary {
                assert!(f.rollup_summary.as_ref().unwrap().return_type.is_some());
            }
        }
        let mut score_fields = vec!["Score", "Positive_Score", "Negative_Score", "Layout"];
        if m.is_people() {
            score_fields.extend([
                "Touch_Point_Score",
                "Touch_Point_Positive_Score",
                "Touch_Point_Negative_Score",
            ]);
        }
        for s in score_fields {
            assert!(m.field(s).is_some(), "{}.{s}", md.api_name);
        }
        for l in &m.layouts {
            assert!(l.api_name.is_some() && l.display_label.is_some());
            assert!(l.status.is_some() && l.visible.is_some() && l.generated_type.is_some());
            assert!(!l.sections.is_empty());
            for s in &l.sections {
                for f in &s.fields {
                    let field = m.field(&f.api_name).unwrap();
                    assert_eq!(f.id.as_ref(), Some(&field.id));
                    assert!(f.field_label.is_some());
                    assert_eq!(f.data_type.as_ref(), Some(&field.data_type));
                }
            }
        }
    }
    for t in [
        "text",
        "textarea",
        "email",
        "phone",
        "website",
        "autonumber",
        "picklist",
        "multiselectpicklist",
        "date",
        "datetime",
        "integer",
        "bigint",
        "currency",
        "double",
        "boolean",
        "lookup",
        "ownerlookup",
        "userlookup",
        "multiuserlookup",
        "multiselectlookup",
        "formula",
        "rollup_summary",
    ] {
        assert!(types_seen.contains(t), "no {t} field in the seed");
    }

    let leads = module(&o, "Leads");
    for f in [
        "Last_Name",
        "First_Name",
        "Company",
        "Designation",
        "Email",
        "Phone",
        "Website",
        "Lead_Source",
        "Lead_Status",
        "Industry",
        "Annual_Revenue",
        "No_of_Employees",
        "Rating",
        "Country",
        "Owner",
        "Created_Time",
        "Modified_Time",
        "Last_Activity_Time",
        "Email_Opt_Out",
        "Product_Interest",
        "Expected_Close_Date",
    ] {
        assert!(leads.field(f).is_some(), "Leads.{f}");
    }
    assert!(leads.layouts.len() >= 3);
    assert!(
        leads.layouts.iter().any(|l| !l.has_field("Annual_Revenue")),
        "some Leads layout must lack Annual_Revenue"
    );
}

#[test]
fn signals_match_the_reference() {
    let o = seed();
    assert_eq!(o.signals.len(), 16);
    for s in &o.signals {
        let ext = s.extension.as_ref().unwrap();
        assert_eq!(ext.kind, 2);
        assert!(
            s.feature_availability.is_some() && s.enabled.is_some() && s.chat_enabled.is_some()
        );
        assert_ne!(s.negative_signal, Some(false));
    }
    let bounce = o
        .signals
        .iter()
        .find(|s| s.namespace == "EmailInsight_Bounce__s")
        .unwrap();
    assert_eq!(bounce.negative_signal, Some(true));
    assert!(bounce.usable_for_scoring());
}

/// Every layout has room to create rules in, but one: Partners / Reseller is at the Enterprise
/// edition's limit of five active rules, so the audit has a limit to report.
#[test]
fn only_the_reseller_layout_starts_at_its_active_limit() {
    let o = seed();
    let mut buckets: BTreeMap<(String, Option<Id>), (usize, usize)> = BTreeMap::new();
    for r in &o.rules {
        let e = buckets
            .entry((r.module.api_name.clone(), r.layout_id().cloned()))
            .or_default();
        e.0 += usize::from(r.active);
        e.1 += 1;
    }
    let partners = module(&o, "Partners");
    let reseller = partners
        .layouts
        .iter()
        .find(|l| l.api_name() == "Reseller")
        .map(|l| l.id.clone());
    for ((m, l), (active, total)) in &buckets {
        if m == "Partners" && *l == reseller {
            assert_eq!(*active, 5, "Partners / Reseller is at the layout limit");
            continue;
        }
        assert!(*active <= 2, "{m}/{l:?}: {active} active");
        assert!(*total <= 6, "{m}/{l:?}: {total} rules");
    }
    assert_eq!(o.rules.iter().filter(|r| r.layout.is_none()).count(), 1);
    assert!(o.rules.iter().any(|r| !r.active));
    assert!(o.rules.iter().any(|r| !r.custom_fields.is_empty()));
    let modules: HashSet<&str> = o.rules.iter().map(|r| r.module.api_name.as_str()).collect();
    assert_eq!(modules.len(), 5, "rules in every module");
    let leads_layouts: HashSet<Option<&Id>> = o
        .rules
        .iter()
        .filter(|r| r.module.api_name == "Leads")
        .map(ScoringRule::layout_id)
        .collect();
    assert!(leads_layouts.len() >= 3);
}

fn walk<'a>(c: &'a Criteria, depth: usize, max: &mut usize, out: &mut Vec<&'a Condition>) {
    *max = (*max).max(depth);
    match c {
        Criteria::Condition(x) => out.push(x),
        Criteria::Group(g) => {
            assert!((2..=25).contains(&g.group.len()));
            g.group.iter().for_each(|m| walk(m, depth + 1, max, out));
        }
    }
}

/// Every seeded rule is one the sandbox's own validation would accept: each condition's field
/// is on the rule's layout (every layout, for a layout-less rule), its comparator is allowed for
/// the field's type and its value parses.
#[test]
fn every_seeded_rule_is_valid() {
    let o = seed();
    let mut names = HashSet::new();
    let mut nested = false;
    for r in &o.rules {
        let n = r.name.chars().count();
        assert!((1..=25).contains(&n), "{}", r.name);
        assert!(
            !r.name
                .chars()
                .any(|c| "`~#%^&*()+=\";<>[]{}|\\".contains(c)),
            "{}",
            r.name
        );
        assert!(
            names.insert(r.name.to_lowercase()),
            "duplicate name {}",
            r.name
        );
        assert!(r.id.is_some() && r.created_time.is_some() && r.created_by.is_some());
        assert!(r.created_by.as_ref().unwrap().zuid.is_some());
        assert_eq!(r.has_signal_rules, Some(!r.signal_rules.is_empty()));
        let time = r.created_time.as_deref().unwrap();
        assert!(DateTime::parse_from_rfc3339(time).is_ok() && time.ends_with("+05:30"));

        let m = module(&o, &r.module.api_name);
        assert_eq!(r.module.id.as_ref(), Some(&m.module.id));
        let layouts: Vec<_> = match &r.layout {
            Some(l) => {
                let layout = m.layout(&l.id).unwrap();
                assert_eq!(l.api_name.as_deref(), Some(layout.api_name()));
                assert_eq!(l.display_label.as_deref(), Some(layout.label()));
                vec![layout]
            }
            None => m.layouts.iter().collect(),
        };
        assert!(!r.field_rules.is_empty() || !r.signal_rules.is_empty());
        assert!(
            r.condition_count() <= 5,
            "{}: fits every edition's criteria limit",
            r.name
        );
        for fr in &r.field_rules {
            assert!(fr.id.is_some());
            assert!((-100..=100).contains(&fr.score));
            let (mut depth, mut conds) = (0, Vec::new());
            walk(&fr.criteria, 0, &mut depth, &mut conds);
            nested |= depth >= 2;
            for c in conds {
                let field: &Field = m.field(&c.field.api_name).unwrap();
                assert_eq!(c.field.id.as_ref(), Some(&field.id));
                assert!(!field.is_score_or_layout());
                for l in &layouts {
                    assert!(
                        l.has_field(&field.api_name),
                        "{}: {} not on {}",
                        r.name,
                        field.api_name,
                        l.api_name()
                    );
                }
                let dt = field.effective_type();
                assert!(
                    comparators_for(&dt).contains(&c.comparator),
                    "{}: {} on {}",
                    r.name,
                    c.comparator.as_str(),
                    field.api_name
                );
                // One value was deleted from its picklist after the rule was saved (the
                // seed's `removed_value`): Zoho keeps the condition, which never matches.
                let removed = r.name == "Regional Focus" && c.value == "ANZ";
                assert_eq!(
                    parse_operand(&c.comparator, field, &c.value).is_ok(),
                    !removed,
                    "{}: {} {} {}",
                    r.name,
                    field.api_name,
                    c.comparator.as_str(),
                    c.value
                );
            }
        }
        for s in &r.signal_rules {
            assert!(
                m.is_people(),
                "{}: signal rules only on Leads/Contacts",
                r.name
            );
            assert!((-100..=100).contains(&s.score));
            let sig = o.signals.iter().find(|x| x.id == s.signal.id).unwrap();
            assert_eq!(sig.namespace, s.signal.namespace);
            assert!(sig.usable_for_scoring());
        }
        for cf in &r.custom_fields {
            let f = m.field(cf.api_name.as_deref().unwrap()).unwrap();
            assert_eq!(cf.id.as_ref(), Some(&f.id));
            assert_eq!(f.data_type, DataType::Integer);
            assert!(cf.field_label.is_some());
            assert_eq!(
                cf.reference_field.as_ref().unwrap().api_name.as_deref(),
                Some("Score")
            );
        }
    }
    assert!(nested, "at least one nested group");
}

fn fits(dt: &DataType, v: &FieldValue) -> bool {
    match v {
        FieldValue::Null => true,
        FieldValue::Text(_) => dt.is_textual() && *dt != DataType::Multiselectpicklist,
        FieldValue::Multi(_) => *dt == DataType::Multiselectpicklist,
        FieldValue::Number(x) => {
            dt.is_numeric()
                && x.is_finite()
                && (!matches!(dt, DataType::Integer | DataType::Bigint) || x.fract() == 0.0)
        }
        FieldValue::Bool(_) => *dt == DataType::Boolean,
        FieldValue::Date(_) => *dt == DataType::Date,
        FieldValue::DateTime(_) => *dt == DataType::Datetime,
        FieldValue::Lookup(_) => dt.is_lookup() || *dt == DataType::Other("layout".into()),
        FieldValue::MultiLookup(_) => dt.is_multi_lookup(),
    }
}

#[test]
fn records_fit_their_modules() {
    let o = seed();
    let now = now().timestamp();
    let year_ago = now - 365 * 86_400;
    for m in &o.modules {
        let recs = &o.records[&m.module.api_name];
        let min = match m.module.api_name.as_str() {
            "Leads" | "Contacts" => 5_000,
            _ => 500,
        };
        assert!(recs.len() >= min, "{}: {}", m.module.api_name, recs.len());
        let col = |name: &str| m.fields.iter().position(|f| f.api_name == name).unwrap();
        let (layout, created, modified, owner) = (
            col("Layout"),
            col("Created_Time"),
            col("Modified_Time"),
            col("Owner"),
        );
        let mut recent = 0;
        let mut per_layout: BTreeMap<String, usize> = BTreeMap::new();
        for r in recs {
            assert_eq!(r.values.len(), m.fields.len());
            let FieldValue::Lookup(l) = &r.values[layout] else {
                panic!("{}: Layout is {:?}", r.id, r.values[layout])
            };
            let lay = m.layout(&l.id).unwrap();
            assert_eq!(l.name, lay.name);
            *per_layout.entry(lay.name.clone()).or_default() += 1;
            for (f, v) in m.fields.iter().zip(&r.values) {
                assert!(
                    fits(&f.effective_type(), v),
                    "{}.{} = {v:?}",
                    m.module.api_name,
                    f.api_name
                );
                if f.api_name != "Layout" && !lay.has_field(&f.api_name) {
                    assert_eq!(
                        *v,
                        FieldValue::Null,
                        "{}.{} not on {}",
                        m.module.api_name,
                        f.api_name,
                        lay.name
                    );
                }
            }
            let (FieldValue::DateTime(c), FieldValue::DateTime(md)) =
                (&r.values[created], &r.values[modified])
            else {
                panic!("times")
            };
            assert!(year_ago <= *c && c <= md && *md <= now);
            recent += usize::from(*c >= now - 182 * 86_400);
            let FieldValue::Lookup(u) = &r.values[owner] else {
                panic!("owner")
            };
            assert!(o.users.iter().any(|x| x.id == u.id && x.name == u.name));
            if m.is_people() {
                assert!(r.signals.len() <= 4);
                for s in &r.signals {
                    assert!((1..=6).contains(&s.count));
                    let sig = o
                        .signals
                        .iter()
                        .find(|x| x.namespace == s.namespace)
                        .unwrap();
                    assert!(sig.usable_for_scoring());
                }
            } else {
                assert!(r.signals.is_empty());
            }
        }
        let share = recent as f64 / recs.len() as f64;
        assert!(
            (0.4..0.6).contains(&share),
            "{}: {share} created in the last six months",
            m.module.api_name
        );
        let first = per_layout[&m.layouts[0].name];
        assert!(
            per_layout.values().all(|&n| n <= first),
            "most records on the first layout"
        );
    }
    let leads = &o.records["Leads"];
    assert!(leads.iter().any(|r| !r.signals.is_empty()));
    assert!(leads.iter().filter(|r| r.signals.is_empty()).count() > leads.len() / 3);
}

#[test]
fn lookups_point_at_real_records() {
    let o = seed();
    let contacts = module(&o, "Contacts");
    let acc = contacts
        .fields
        .iter()
        .position(|f| f.api_name == "Account_Name")
        .unwrap();
    let email = contacts
        .fields
        .iter()
        .position(|f| f.api_name == "Email")
        .unwrap();
    let accounts = &o.records["Accounts"];
    let names = module(&o, "Accounts")
        .fields
        .iter()
        .position(|f| f.api_name == "Account_Name")
        .unwrap();
    let mut matched = 0;
    for r in &o.records["Contacts"] {
        if let FieldValue::Lookup(l) = &r.values[acc] {
            let target = accounts.iter().find(|a| a.id == l.id).unwrap();
            assert_eq!(target.values[names], FieldValue::text(l.name.as_str()));
            if let FieldValue::Text(e) = &r.values[email] {
                let stem: String = l
                    .name
                    .split_whitespace()
                    .take(2)
                    .collect::<String>()
                    .to_lowercase();
                matched += usize::from(e.ends_with(&format!("@{stem}.example")));
            }
        }
    }
    assert!(
        matched > 3_000,
        "contact emails use their account's domain ({matched})"
    );
}

fn copy_seed(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/seed");
    std::fs::create_dir_all(to.join("modules")).unwrap();
    for (name, _) in EMBEDDED {
        std::fs::copy(from.join(name), to.join(name)).unwrap();
    }
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zscore-seed-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn load_dir_reads_the_same_seed() {
    let dir = temp_dir("same");
    copy_seed(&dir);
    let from_disk = load_dir(&dir, now()).unwrap();
    assert_eq!(from_disk, seed());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn broken_files_are_named_in_the_error() {
    let dir = temp_dir("broken");
    copy_seed(&dir);
    let leads = dir.join("modules/leads.json");
    let original = std::fs::read_to_string(&leads).unwrap();

    std::fs::write(&leads, "{ \"module\": ").unwrap();
    let e = load_dir(&dir, now()).unwrap_err();
    assert!(matches!(e, SeedError::Parse { .. }), "{e}");
    assert!(e.to_string().contains("leads.json"), "{e}");

    std::fs::write(
        &leads,
        original.replace(
            "\"Annual_Revenue\", \"No_of_Employees\", \"Rating\", \"Email_Opt_Out\"",
            "\"Annual_Revenue\", \"No_of_Employes\", \"Rating\", \"Email_Opt_Out\"",
        ),
    )
    .unwrap();
    let e = load_dir(&dir, now()).unwrap_err();
    assert!(e.to_string().contains("leads.json"), "{e}");
    assert!(e.to_string().contains("No_of_Employes"), "{e}");
    assert!(
        e.to_string()
            .contains("$.layouts[0].sections[0].fields[14]"),
        "{e}"
    );
    std::fs::write(
        &leads,
        original.replace(
            "\"gen\": { \"kind\": \"job_title\" }",
            "\"gen\": { \"kind\": \"bool\", \"p\": 0.5 }",
        ),
    )
    .unwrap();
    let msg = load_dir(&dir, now()).unwrap_err().to_string();
    assert!(
        msg.contains("leads.json: $.fields[5].gen: bool cannot fill Designation (text)"),
        "{msg}"
    );

    std::fs::write(
        &leads,
        original.replace("\"lookup\": \"Partners\"", "\"lookup\": \"Vendors\""),
    )
    .unwrap();
    let msg = load_dir(&dir, now()).unwrap_err().to_string();
    assert!(
        msg.contains("leads.json: $.fields[23].lookup: no module \"Vendors\""),
        "{msg}"
    );
    std::fs::write(&leads, &original).unwrap();

    let rules = dir.join("rules.json");
    let text = std::fs::read_to_string(&rules).unwrap();
    std::fs::write(
        &rules,
        text.replacen(
            "\"comparator\": \"in\"",
            "\"comparator\": \"greater_than\"",
            1,
        ),
    )
    .unwrap();
    let e = load_dir(&dir, now()).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("rules.json") && msg.contains("$.rules[0].field_rules[0].criteria.comparator"),
        "{msg}"
    );
    std::fs::write(&rules, &text).unwrap();

    std::fs::remove_file(dir.join("signals.json")).unwrap();
    let e = load_dir(&dir, now()).unwrap_err();
    assert!(
        matches!(e, SeedError::Read { .. }) && e.file().ends_with("signals.json"),
        "{e}"
    );

    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_rule_values_and_limits_are_rejected() {
    let dir = temp_dir("rules");
    copy_seed(&dir);
    let rules = dir.join("rules.json");
    let text = std::fs::read_to_string(&rules).unwrap();
    let cases = [
        (
            "\"value\": [\"Web Download\", \"Chat\", \"Online Store\"]",
            "\"value\": [\"Web Download\", \"Carrier Pigeon\"]",
            "Carrier Pigeon",
        ),
        (
            "\"name\": \"Inbound Demand\"",
            "\"name\": \"Inbound (Demand)\"",
            "forbids",
        ),
        (
            "\"name\": \"Enterprise Fit\"",
            "\"name\": \"inbound demand\"",
            "unique",
        ),
        ("\"score\": -100", "\"score\": -101", "-101"),
        (
            "\"signal\": \"Campaign_Click__s\"",
            "\"signal\": \"Support_NewTicket__s\"",
            "not available for scoring",
        ),
        (
            "\"api_name\": \"Booth_Visit_Date\"",
            "\"api_name\": \"Annual_Revenue\"",
            "not on the Event_Leads layout",
        ),
        (
            "\"layout\": \"Standard\",\n      \"active\": false",
            "\"layout\": \"Standard\",\n      \"active\": true",
            "",
        ),
    ];
    for (from, to, expect) in cases {
        assert!(text.contains(from), "{from}");
        std::fs::write(&rules, text.replacen(from, to, 1)).unwrap();
        let got = load_dir(&dir, now());
        if expect.is_empty() {
            // Three active rules on one layout is still within Zoho's limit of five.
            assert!(got.is_ok(), "{:?}", got.err());
        } else {
            let msg = got.unwrap_err().to_string();
            assert!(msg.contains("rules.json") && msg.contains(expect), "{msg}");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The demo org has what the lab is for: a condition that can never match (a deleted picklist
/// value), a rule whose scores cancel on most of its records, and an inactive rule that would
/// move many scores.
#[test]
fn the_demo_org_has_problems_worth_finding() {
    use crate::domain::evaluate::{CompiledRule, EvalContext};
    use crate::lab::lint::{Kind, snapshot_findings};
    let o = seed();
    let snapshot = o.snapshot(crate::domain::Edition::Enterprise);
    let findings = snapshot_findings(&snapshot, &[]);
    let dead: Vec<&str> = findings
        .iter()
        .filter(|f| f.kind == Kind::DeadValue)
        .map(|f| f.rule_name.as_str())
        .collect();
    assert_eq!(dead, ["Regional Focus"], "{findings:?}");
    let ctx = EvalContext {
        now: now().timestamp(),
        current_user: None,
        current_role: None,
    };
    let rule = |name: &str| o.rules.iter().find(|r| r.name == name).unwrap();
    // (total, matched) of every record of the module, layouts aside.
    let scores = |name: &str, module_name: &str| -> Vec<(i64, bool)> {
        let compiled = CompiledRule::compile(rule(name), module(&o, module_name), &ctx);
        o.records[module_name]
            .iter()
            .map(|r| {
                let s = compiled.score(r);
                (s.total(), s.matched_any())
            })
            .collect()
    };
    let activity = scores("Reseller Activity", "Partners");
    let matched = activity.iter().filter(|(_, m)| *m).count();
    let cancelled = activity.iter().filter(|(t, m)| *m && *t == 0).count();
    assert!(
        cancelled * 2 > matched,
        "{cancelled} of the {matched} records it matches end at 0"
    );
    assert!(!rule("Stale Lead Decay").active);
    let decay = scores("Stale Lead Decay", "Leads");
    let moved = decay.iter().filter(|(t, _)| *t != 0).count();
    assert!(
        moved * 3 > decay.len(),
        "{moved} of {} would move",
        decay.len()
    );
}
